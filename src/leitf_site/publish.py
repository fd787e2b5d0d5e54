"""Build a site into a fresh folder and swap it into place only when the build succeeded.

Pelican's DELETE_OUTPUT_DIRECTORY empties the output before a build that may then fail;
this keeps the previous output byte-for-byte until a complete new one exists.
"""

import argparse
import os
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


def _build(args, rest, staging):
    """Run Pelican into staging; return its exit code (0 when it succeeded)."""
    try:
        pelican_main([args.path, "-o", str(staging), "-s", args.settings, "--fatal", "warnings", *rest])
    except SystemExit as stop:
        if stop.code not in (None, 0):
            return stop.code if isinstance(stop.code, int) else 1
    return 0


def _swap(staging, output):
    """Put staging where output is; the old output is removed only once the new one is in place."""
    previous = output.with_name(f".{output.name}-old")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    try:
        staging.rename(output)
    except OSError:
        if previous.exists():
            previous.rename(output)
        raise
    shutil.rmtree(previous, ignore_errors=True)


def publish(argv=None):
    args, rest = parse(argv)
    output = Path(args.output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    # Next to the output, so the swap is a rename on one file system, never a copy.
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        code = _build(args, rest, staging)
        if code:
            print(f"publish: the build failed; {output} is unchanged", file=sys.stderr)
            return code
        if not (staging / "index.html").is_file():
            print(f"publish: the build wrote no index.html; {output} is unchanged", file=sys.stderr)
            return 1
        # mkdtemp makes a private folder; a web server must be able to read the site.
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        _swap(staging, output)
        print(f"publish: {output} replaced by the new build")
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(publish())
