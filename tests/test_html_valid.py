"""Gate: every HTML file (and stylesheet) of the LEITF build and of the fixture site passes the
Nu Html Checker.

One java call per site checks all of its files at once (starting the JVM is the slow part).
"""

import json
import subprocess

import pytest

from helpers import VNU_JAR, record_gate_count, require_file, require_tool
from quality_pages import SITES, built_site


def validate(root):
    """Run vnu over a folder's HTML and CSS; return (HTML files checked, [error messages])."""
    java = require_tool("java", "the Nu Html Checker runs on the system Java")
    jar = require_file(VNU_JAR, "npm package vnu-jar")
    files = sorted(root.rglob("*.html"))
    stylesheets = sorted(root.rglob("*.css"))
    proc = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--format", "json", "--exit-zero-always", "--also-check-css",
         *map(str, files + stylesheets)],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(proc.stderr or proc.stdout)
    errors = [
        f"{m.get('url', '').split(str(root) + '/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
    return files, errors


@pytest.mark.parametrize("site", SITES)
def test_every_page_is_valid_html(site, tmp_path_factory):
    build = built_site(site, tmp_path_factory)
    files, errors = validate(build.output)
    record_gate_count("html", f"{site}: pages validated", len(files))
    assert len(files) >= 15
    assert errors == [], "\n".join(errors)


def test_the_checker_finds_errors(tmp_path):
    """The gate can fail: a page with a stray end tag and a duplicate id, and a bad stylesheet."""
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><html lang=en><head><title>x</title></head>"
        "<body><p id=a>one</p><p id=a>two</div></body></html>", encoding="utf-8")
    (tmp_path / "bad.css").write_text("p { colour: red; }", encoding="utf-8")
    files, errors = validate(tmp_path)
    assert len(files) == 1 and len(errors) >= 3, errors
    assert any("bad.css" in e for e in errors), errors
