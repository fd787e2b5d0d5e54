"""Build a site into a fresh folder and swap it into place only when the build succeeded.

Pelican's DELETE_OUTPUT_DIRECTORY empties the output before a build that may then fail;
this keeps the previous output byte-for-byte until a complete new one exists.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from pelican import main as pelican_main


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m leitf_site.publish")
    parser.add_argument("path", nargs="?", default="content")
    parser.add_argument("-o", "--output", default="output")
    parser.add_argument("-s", "--settings", default="publishconf.py")
    return parser.parse_known_args(argv)


def publish(argv=None):
    args, rest = parse(argv)
    output = Path(args.output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        try:
            pelican_main([args.path, "-o", str(staging), "-s", args.settings, "--fatal", "warnings", *rest])
        except SystemExit as stop:
            if stop.code not in (None, 0):
                raise
        if not (staging / "index.html").is_file():
            print(f"publish: the build wrote no index.html; {output} is unchanged", file=sys.stderr)
            return 1
        previous = output.with_name(f".{output.name}-old")
        shutil.rmtree(previous, ignore_errors=True)
        if output.exists():
            output.rename(previous)
        staging.rename(output)
        shutil.rmtree(previous, ignore_errors=True)
        return 0
    except SystemExit as stop:
        print(f"publish: the build failed; {output} is unchanged", file=sys.stderr)
        return stop.code if isinstance(stop.code, int) and stop.code else 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(publish())
