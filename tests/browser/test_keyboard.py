"""Gate: on one page of every type, Tab reaches every interactive element, and focus shows.

Before any key is pressed, every visible interactive element gets an index and its unfocused
outline and box-shadow are recorded. Then Tab is pressed until focus leaves the page; each
stop must look different from the same element unfocused (an outline or a shadow appears).
A radio group is one Tab stop, so reaching any radio of a group counts for the group.
"""

import pytest

from helpers import record_gate_count
from quality_pages import page_cases
from test_axe import open_page, site_url  # noqa: F401  (a module-scoped fixture)

pytestmark = pytest.mark.browser

MARK_ELEMENTS = r"""
() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const look = el => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|');
  };
  const found = [];
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.matches('[tabindex="-1"], [disabled], input[type=hidden]')) continue;
    if (el.closest('[inert], [aria-hidden="true"]')) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    el.dataset.kb = String(n);
    const group = el.matches('input[type=radio]') ? 'radio:' + el.name : 'el:' + n;
    found.push({index: n, group, look: look(el), html: el.outerHTML.slice(0, 120)});
    n += 1;
  }
  return found;
}
"""

FOCUSED = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body || !el.dataset || el.dataset.kb === undefined) {
    return el && el !== document.body ? {index: null, html: el.outerHTML.slice(0, 120)} : null;
  }
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    index: Number(el.dataset.kb),
    look: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|'),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    shadow: s.boxShadow !== 'none',
    onScreen: r.width > 0 && r.height > 0 && r.bottom > -1 && r.right > -1,
    html: el.outerHTML.slice(0, 120),
  };
}
"""


def tab_through(page):
    """Press Tab until focus leaves the page or comes back round; return (elements, stops)."""
    # Start from the top of the page even when a script focused something (the search box).
    page.evaluate("""() => {
      const start = document.createElement("span");
      start.tabIndex = -1;
      document.body.prepend(start);
      start.focus();
    }""")
    elements = page.evaluate(MARK_ELEMENTS)
    stops = []
    for _ in range(len(elements) + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused.get("index") == stops[0].get("index")):
            break
        stops.append(focused)
    return elements, stops


def keyboard_problems(page):
    elements, stops = tab_through(page)
    problems = []
    by_index = {e["index"]: e for e in elements}
    reached_groups = {by_index[s["index"]]["group"] for s in stops if s.get("index") is not None}
    for element in elements:
        if element["group"] not in reached_groups:
            problems.append(f"not reachable with Tab: {element['html']}")
            reached_groups.add(element["group"])  # one report per radio group
    for stop in stops:
        if stop.get("index") is None:
            continue  # focusable but not in our list (e.g. an iframe's content); nothing to compare
        before = by_index[stop["index"]]["look"]
        if not (stop["outline"] or stop["shadow"]) or stop["look"] == before:
            problems.append(f"focus not visible: {stop['html']}")
        if not stop["onScreen"]:
            problems.append(f"focused but off screen: {stop['html']}")
    return elements, stops, problems


@pytest.mark.parametrize("site,kind,rel", page_cases(), ids=lambda v: str(v).replace(" ", "-"))
def test_every_control_is_reachable_and_shows_focus(chromium, site_url, site, kind, rel):  # noqa: F811
    url = f"{site_url(site)}/{rel.removesuffix('index.html')}"
    page, context, _problems = open_page(chromium, url)
    try:
        elements, stops, problems = keyboard_problems(page)
    finally:
        context.close()
    record_gate_count("keyboard", f"{site}: {kind}", f"{len(elements)} controls, {len(stops)} Tab stops")
    assert elements, url
    assert problems == [], f"{url}\n" + "\n".join(problems)


def test_keyboard_check_can_fail(chromium, tmp_path):
    """A link whose focus ring is removed, and a link behind a keyboard trap, are reported."""
    from helpers import serve_folder

    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title><link rel="stylesheet" href="s.css">'
        '<script src="trap.js" defer></script></head>'
        '<body><a href="#a">fine</a> <a href="#b" class="bare">bare</a>'
        ' <button id="trap">trap</button> <a href="#c">after the trap</a></body></html>', encoding="utf-8")
    (tmp_path / "s.css").write_text(".bare:focus { outline: none; }", encoding="utf-8")
    (tmp_path / "trap.js").write_text(
        "document.getElementById('trap').addEventListener('keydown', e => { if (e.key === 'Tab') e.preventDefault(); });")
    with serve_folder(tmp_path) as base:
        page, context, _ = open_page(chromium, base + "/")
        try:
            elements, _stops, problems = keyboard_problems(page)
        finally:
            context.close()
    assert len(elements) == 4
    assert [p.split(":")[0] for p in problems] == ["not reachable with Tab", "focus not visible"], problems
    assert "after the trap" in problems[0] and "bare" in problems[1]
