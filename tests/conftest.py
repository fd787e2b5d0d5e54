"""Fixtures: build real sites into temporary folders (helpers.py holds the machinery)."""

import subprocess
import sys

import pytest

from helpers import REPO, BuildResult, run_build, run_pelican_cli, write_tree


@pytest.fixture
def build_site(tmp_path):
    """build_site({"posts/a.md": "...", ...}, **SETTINGS) -> BuildResult, built into tmp_path."""
    counter = {"n": 0}

    def build(files=None, content=None, allow_warnings=False, **overrides):
        counter["n"] += 1
        work = tmp_path / f"site{counter['n']}"
        if content is None:
            content = write_tree(work / "content", files or {})
        return run_build(content, work / "output", allow_warnings=allow_warnings, **overrides)

    return build


@pytest.fixture(scope="session")
def leitf_site_build(tmp_path_factory):
    """The real LEITF site, built once per session with pelicanconf.py, as `make html` does."""
    out = tmp_path_factory.mktemp("leitf") / "output"
    code, log = run_pelican_cli(
        ["content", "-o", str(out), "-s", "pelicanconf.py", "--fatal", "warnings"], cwd=REPO
    )
    assert code == 0, log
    return BuildResult(out, log)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """The kit's wheel, built once per session from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        # Build isolation needs hatchling from the index; try that when it is not installed here.
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(REPO)],
            capture_output=True, text=True,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("leitf_site-*.whl")
    return path
