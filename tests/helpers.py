"""Helpers the tests share: build real sites into temporary folders and parse what they write."""

import logging
import os
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
KIT_PLUGINS = ["speaker_profiles", "blog_sections", "get_involved"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def reset_pelican_signals():
    """Pelican connects plugin receivers to global signals; start every in-process build clean."""
    from pelican.plugins import signals

    for value in vars(signals).values():
        receivers = getattr(value, "receivers", None)
        if receivers is None or not hasattr(value, "disconnect"):
            continue
        for ref in list(receivers.values()):
            receiver = ref() if isinstance(ref, weakref.ref) else ref
            if receiver is not None:
                value.disconnect(receiver)


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def write_tree(root, files):
    """Write {relative path: text or bytes} under root; text is dedented."""
    root = Path(root)
    for rel, body in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            target.write_bytes(body)
        else:
            target.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return root


def base_settings(content, output, **overrides):
    from pelican.settings import read_settings

    import leitf_site

    settings = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "THEME": leitf_site.theme_path(),
        "PLUGIN_PATHS": [str(REPO / "plugins")],
        "PLUGINS": list(KIT_PLUGINS),
        "SITENAME": "Test Coalition",
        "SITEURL": "",
        "FEED_DOMAIN": "https://example.org",
        "TIMEZONE": "UTC",
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "CACHE_PATH": str(Path(output).parent / "cache"),
    }
    settings.update(overrides)
    return read_settings(path=None, override=settings)


class BuildResult:
    def __init__(self, output, warnings):
        self.output = Path(output)
        self.warnings = warnings

    def path(self, rel):
        return self.output / rel

    def exists(self, rel):
        return (self.output / rel).is_file()

    def text(self, rel):
        return (self.output / rel).read_text(encoding="utf-8")

    def soup(self, rel):
        return BeautifulSoup(self.text(rel), "html.parser")

    def html_files(self):
        return sorted(p.relative_to(self.output).as_posix() for p in self.output.rglob("*.html"))


def run_build(content, output, allow_warnings=False, **overrides):
    """Run Pelican in this process on a content folder; fail on any warning unless allowed."""
    from pelican import Pelican

    reset_pelican_signals()
    settings = base_settings(content, output, **overrides)
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        Pelican(settings).run()
    finally:
        root.removeHandler(collector)
    messages = [f"{r.name}: {r.getMessage()}" for r in collector.records]
    if not allow_warnings:
        assert not messages, "the build logged warnings:\n" + "\n".join(messages)
    return BuildResult(output, messages)





def run_pelican_cli(args, cwd, env_extra=None, timeout=300):
    """Run the real `pelican` command, as a maintainer would, and return (exit code, output)."""
    env = dict(os.environ, COLUMNS="400", TERM="dumb", NO_COLOR="1")
    env.update(env_extra or {})
    proc = subprocess.run(
        [sys.executable, "-m", "pelican", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )
    return proc.returncode, proc.stdout + proc.stderr





def require_tool(path_or_name, why):
    """Skip when a tool is missing on a laptop; under CI=true a missing tool is a failure."""
    import shutil

    found = shutil.which(path_or_name) or (Path(path_or_name).exists() and path_or_name)
    if not found:
        message = f"{path_or_name} is not installed ({why})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def cli_build(workdir, files, settings=None, extra_args=()):
    """Write a site (content files + a pelicanconf.py) and build it with the real CLI.

    Returns (exit code, combined output). ``settings`` is a dict of extra settings.
    """
    import leitf_site

    workdir = Path(workdir)
    write_tree(workdir / "content", files)
    conf = {
        "SITENAME": "Test Coalition",
        "TIMEZONE": "UTC",
        "THEME": leitf_site.theme_path(),
        "PLUGIN_PATHS": [str(REPO / "plugins")],
        "PLUGINS": list(KIT_PLUGINS),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
    conf.update(settings or {})
    (workdir / "pelicanconf.py").write_text(
        "".join(f"{k} = {v!r}\n" for k, v in conf.items()), encoding="utf-8"
    )
    return run_pelican_cli(
        ["content", "-o", "output", "-s", "pelicanconf.py", *extra_args], cwd=workdir
    )


def assert_one_line_error(code, log, *fragments):
    """The build failed with a message naming every fragment on one line, and no traceback."""
    assert code != 0, log
    assert "Traceback" not in log, log
    lines = [line for line in log.splitlines() if all(f in line for f in fragments)]
    assert lines, f"no single line names {fragments}:\n{log}"


# --- quality gates: the node tools pinned in package.json ------------------------------

NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"


def require_file(path, why):
    """Like require_tool, for a file such as an npm package's jar (installed by `make test`)."""
    if not Path(path).is_file():
        message = f"{path} is missing ({why}); run `make test` or `npm ci --ignore-scripts`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return Path(path)


class serve_folder:
    """Serve a folder on 127.0.0.1 on a free port in a background thread: ``with serve_folder(p) as url``.

    For gates outside tests/browser/ (links, Lighthouse); browser tests use the `serve` fixture.
    """

    def __init__(self, root):
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.url

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def chromium_executable():
    """Debian's chromium (or CHROME_PATH), as tests/browser/conftest.py finds it; None if absent."""
    import shutil

    for candidate in (os.environ.get("CHROME_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def record_gate_count(gate, key, value):
    """Keep a quality gate's count (pages validated, links checked...) for the closing report.

    Written to tests/artifacts/quality-counts.json, one object per gate; also printed (-s).
    """
    import json

    path = Path(__file__).resolve().parent / "artifacts" / "quality-counts.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        counts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        counts = {}
    counts.setdefault(gate, {})[key] = value
    path.write_text(json.dumps(counts, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n[{gate}] {key}: {value}")
