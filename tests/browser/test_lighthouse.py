"""Gate: Lighthouse 12.2.3 in Debian Chromium scores 100 for accessibility, best practices and
SEO on the LEITF home page, a post and the contact page. Performance depends on this
machine's speed, so it is printed, never asserted.
"""

import json
import os
import subprocess

import pytest

from helpers import IN_CI, LIGHTHOUSE, chromium_executable, record_gate_count, require_file, require_tool, serve_folder
from quality_pages import LIGHTHOUSE_TYPES, built_site, pages

pytestmark = pytest.mark.browser

GATED = ("accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"


@pytest.fixture(scope="module")
def leitf_url(tmp_path_factory):
    with serve_folder(built_site("leitf", tmp_path_factory).output) as url:
        yield url


def run_lighthouse(url, report_path):
    require_tool("node", "Lighthouse runs on Node.js")
    tool = require_file(LIGHTHOUSE, "npm package lighthouse@12.2.3")
    chrome = chromium_executable()
    if not chrome:
        message = "Debian chromium is not installed (Lighthouse drives it)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    env = dict(os.environ, CHROME_PATH=chrome)
    proc = subprocess.run(
        [str(tool), url, "--quiet", "--output=json", f"--output-path={report_path}",
         f"--chrome-flags={CHROME_FLAGS}",
         "--only-categories=performance,accessibility,best-practices,seo"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(report_path.read_text(encoding="utf-8"))


def failing_audits(report, category):
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])[:3]
            lines.append(f"{ref['id']}: {audit['title']} {json.dumps(items)[:400]}")
    return lines


@pytest.mark.parametrize("kind", LIGHTHOUSE_TYPES)
def test_lighthouse_scores(leitf_url, kind, artifacts_dir):
    rel = dict(pages("leitf"))[kind]
    url = f"{leitf_url}/{rel.removesuffix('index.html')}"
    report = run_lighthouse(url, artifacts_dir / f"lighthouse-{kind}.json")
    scores = {name: round((cat["score"] or 0) * 100) for name, cat in report["categories"].items()}
    record_gate_count("lighthouse", kind, scores)
    problems = [line for category in GATED if scores[category] < 100 for line in failing_audits(report, category)]
    assert all(scores[c] == 100 for c in GATED), f"{url}: {scores}\n" + "\n".join(problems)
