"""Gate: axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on one page of every type.

The page types are tests/quality_pages.PAGE_TYPES; each page is served over HTTP on
127.0.0.1 and opened in headless Debian Chromium. A page must also load without a console
error (a CSP violation, a missing file), since each one is a defect a visitor's browser sees.
"""

import pytest

from helpers import record_gate_count, serve_folder
from quality_pages import built_site, page_cases

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_servers = {}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """site name -> base URL; each site is served once for the whole module."""
    started = []

    def url(site):
        if site not in _servers:
            server = serve_folder(built_site(site, tmp_path_factory).output)
            _servers[site] = server.__enter__()
            started.append(server)
        return _servers[site]

    yield url
    for server in started:
        server.__exit__(None, None, None)
    _servers.clear()


def open_page(chromium, url):
    """A new page at url; returns (page, context, console errors)."""
    context = chromium.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    return page, context, problems


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                    for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("site,kind,rel", page_cases(), ids=lambda v: str(v).replace(" ", "-"))
def test_axe_finds_no_violations(chromium, site_url, site, kind, rel):
    url = f"{site_url(site)}/{rel.removesuffix('index.html')}"
    page, context, problems = open_page(chromium, url)
    try:
        violations = axe_violations(page)
    finally:
        context.close()
    record_gate_count("axe", f"{site}: {kind}", f"{len(violations)} violations")
    assert violations == [], f"{url}\n" + "\n".join(violations)
    assert problems == [], f"{url}: console errors\n" + "\n".join(problems)


def test_axe_reports_a_violation(chromium, tmp_path):
    """The gate can fail: an image without alt text and low-contrast text are reported."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title><link rel="stylesheet" href="s.css"></head>'
        '<body><main><h1>x</h1><img src="a.svg"><p class="pale">faint</p></main></body></html>',
        encoding="utf-8")
    (tmp_path / "s.css").write_text(".pale { color: #eee; background: #fff; }", encoding="utf-8")
    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    with serve_folder(tmp_path) as base:
        page, context, _problems = open_page(chromium, base + "/")
        try:
            ids = {v.split(" ")[0] for v in axe_violations(page)}
        finally:
            context.close()
    assert {"image-alt", "color-contrast"} <= ids, ids
