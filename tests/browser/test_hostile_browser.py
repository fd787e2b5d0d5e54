"""Gate: Chromium loads every page of the hostile sites and nothing planted there runs.

Each payload in tests/test_hostile.py sets window.__pwned or opens a dialog. Every page is
opened, every link and control gets focus and a hover (so a planted handler would fire), and
the test checks the sentinel, the dialogs, and that the CSP reported no violation (a
violation means the theme itself emitted something the policy had to block).
"""

import pytest

from helpers import record_gate_count, serve_folder
from test_hostile import VARIANTS, hostile_site

pytestmark = pytest.mark.browser

POKE = r"""
() => {
  for (const el of document.querySelectorAll('a, button, input, textarea, select, img, svg, p')) {
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    if (el.focus) el.focus();
  }
  return window.__pwned === undefined ? null : String(window.__pwned);
}
"""


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_nothing_planted_runs(chromium, variant, tmp_path_factory):
    site = hostile_site(variant, tmp_path_factory)
    pages = site.html_files()
    context = chromium.new_context()
    dialogs, csp, ran = [], [], []
    try:
        with serve_folder(site.output) as base:
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
            page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(f"{page.url}: {m.text}"))
            for rel in pages:
                response = page.goto(f"{base}/{rel}", wait_until="load")
                assert response is not None and response.status == 200, rel
                flag = page.evaluate(POKE)
                if flag:
                    ran.append(f"{rel}: window.__pwned = {flag}")
    finally:
        context.close()
    record_gate_count("hostile", f"{variant}: pages loaded in Chromium", len(pages))
    assert len(pages) >= 10
    assert ran == [] and dialogs == [], "\n".join(ran + dialogs)
    assert csp == [], "\n".join(csp)


def test_the_sentinel_notices_a_script_that_runs(chromium, tmp_path):
    """The gate can fail: a page whose script runs from its own origin trips the sentinel."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title><script src="run.js"></script></head>'
        '<body><p>x</p></body></html>', encoding="utf-8")
    (tmp_path / "run.js").write_text("window.__pwned = 'yes'; alert('hi');", encoding="utf-8")
    context = chromium.new_context()
    dialogs = []
    try:
        with serve_folder(tmp_path) as base:
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(base + "/", wait_until="load")
            assert page.evaluate(POKE) == "yes"
    finally:
        context.close()
    assert dialogs == ["hi"]
