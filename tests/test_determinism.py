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

# Pagefind writes its filter indexes (and so the meta index and entry file that name them by
# hash) in Rust hash-map order, which changes on every run even over the same folder: a
# known upstream limitation (Pagefind issue #638; fragments were made stable in 1.3, filters
# were not). Everything else, including every search fragment and word index, must match.
def upstream_unstable(rel):
    return rel.startswith("pagefind/filter/") or rel == "pagefind/pagefind-entry.json" or (
        rel.startswith("pagefind/pagefind.") and rel.endswith(".pf_meta"))


def split_unstable(digest):
    stable = {rel: h for rel, h in digest.items() if not upstream_unstable(rel)}
    return stable, sum(1 for rel in digest if upstream_unstable(rel))


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
    (a, a_unstable), (b, b_unstable) = split_unstable(tree_digest(first)), split_unstable(tree_digest(second))
    record_gate_count("determinism", f"{site}: files compared", len(a))
    assert len(a) > 20
    assert a == b, explain(first, second, a, b)
    assert a_unstable == b_unstable


def test_only_pagefinds_filter_indexes_are_exempt():
    assert upstream_unstable("pagefind/filter/en_1a2b3c4.pf_filter")
    assert upstream_unstable("pagefind/pagefind.en_2a95f98582.pf_meta")
    assert not upstream_unstable("pagefind/fragment/en_1a2b3c4.pf_fragment")
    assert not upstream_unstable("pagefind/index/en_1a2b3c4.pf_index")
    assert not upstream_unstable("index.html")
