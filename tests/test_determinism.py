"""Gate: the same content built twice, in different folders at different times, gives
byte-identical output trees (no build time, no absolute path, no file mtime leaks out).

The first build is the session's build of each site; the second copies the project to a
new folder, moves every file's modification time back by years, and builds again later.
"""

import difflib
import os
import time

import pytest

from helpers import REPO, record_gate_count
from quality_pages import FIXTURE_SITE, SITES, build_with_cli, built_site, copy_project, tree_digest

LONG_AGO = 978307200  # 2001-01-01, as a file's modification time


def explain(first, second, a, b):
    lines = []
    for rel in sorted(set(a) | set(b)):
        if a.get(rel) == b.get(rel):
            continue
        if rel not in a or rel not in b:
            lines.append(f"{rel}: only in the {'second' if rel not in a else 'first'} build")
            continue
        lines.append(f"{rel}: differs")
        try:
            old = (first / rel).read_text(encoding="utf-8").splitlines()
            new = (second / rel).read_text(encoding="utf-8").splitlines()
            lines += list(difflib.unified_diff(old, new, lineterm="", n=0))[2:8]
        except UnicodeDecodeError:
            pass
    return "\n".join(lines[:80])


@pytest.mark.parametrize("site", SITES)
def test_two_builds_are_byte_identical(site, tmp_path_factory):
    first = built_site(site, tmp_path_factory).output
    project = copy_project(REPO if site == "leitf" else FIXTURE_SITE,
                           tmp_path_factory.mktemp(f"again-{site}") / "elsewhere" / "project")
    for path in project.rglob("*"):
        os.utime(path, (LONG_AGO, LONG_AGO))
    started = time.time()
    while time.time() - started < 1.1:  # a later second than the first build, at least
        time.sleep(0.2)
    second = build_with_cli(project, project / "output").output
    a, b = tree_digest(first), tree_digest(second)
    record_gate_count("determinism", f"{site}: files compared", len(a))
    assert len(a) > 20
    assert a == b, explain(first, second, a, b)
