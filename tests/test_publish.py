"""Gate: `make publish` swaps a new build into output/ only when the build succeeded.

The LEITF project is copied to a temporary folder and published with publishconf.py, as
`make publish` does (`python -m leitf_site.publish`). A failed publish must leave the
previous output byte-for-byte intact, and no half-built folder behind.
"""

import os
import stat
import subprocess
import sys

import pytest

from helpers import REPO
from quality_pages import copy_project, tree_digest

BROKEN_POST = "Title: Broken\nDate: 2024-02-30\nCategory: Blog\n\nThis date does not exist.\n"


def publish(project):
    env = dict(os.environ, COLUMNS="400", TERM="dumb", NO_COLOR="1")
    proc = subprocess.run(
        # LEITF's form address is still a placeholder, which a production build refuses
        # (tests/bad_input_get_involved.py); publish as the maintainers will, with a real one.
        [sys.executable, "-m", "leitf_site.publish", "content", "-o", "output", "-s", "publishconf.py",
         "-e", 'CONTACT_FORM_ACTION="https://formspree.io/f/xleitf01"'],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )
    return proc.returncode, proc.stdout + proc.stderr


def leftovers(project):
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".output-"))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = copy_project(REPO, tmp_path_factory.mktemp("publish") / "site")
    code, log = publish(project)
    assert code == 0, log
    return project


def test_publish_builds_the_production_site(published):
    output = published / "output"
    index = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="https://leitf.org/theme/css/site.css"' in index  # publishconf's absolute SITEURL
    assert leftovers(published) == []
    mode = stat.S_IMODE(output.stat().st_mode)
    assert mode & stat.S_IROTH and mode & stat.S_IXOTH, oct(mode)  # a web server can read it


def test_failed_publish_leaves_output_byte_for_byte_intact(published):
    output = published / "output"
    before = tree_digest(output)
    assert len(before) > 20
    broken = published / "content" / "blog" / "broken.md"
    broken.write_text(BROKEN_POST, encoding="utf-8")
    try:
        code, log = publish(published)
    finally:
        broken.unlink()
    assert code != 0, log
    assert "blog/broken.md: date: '2024-02-30' is not a valid date" in log, log
    assert "Traceback" not in log, log
    assert "is unchanged" in log
    assert tree_digest(output) == before
    assert leftovers(published) == []


def test_successful_publish_replaces_the_whole_tree(published):
    output = published / "output"
    (output / "stale.html").write_text("left over from an old build", encoding="utf-8")
    code, log = publish(published)
    assert code == 0, log
    assert not (output / "stale.html").exists()
    assert (output / "index.html").is_file()
    assert leftovers(published) == []


def test_make_publish_uses_the_safe_publisher():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\npublish:", 1)[1].split("\n\n", 1)[0]
    assert "-m leitf_site.publish" in recipe and "$(PUBLISHCONF)" in recipe
