"""Page weight (issue 8) on the built LEITF site: sizes and requests, never timings.

- A post page's HTML plus the CSS it loads is at most 30 KB gzipped.
- No page needs JavaScript: the only <script> elements are JSON-LD data, none has src.
- No page makes a third-party request: link/script/img/iframe (and source, audio, video,
  embed, object) never point at another host, except feed and canonical links to the
  site's own FEED_DOMAIN/SITEURL. CSS never loads from another host either.
"""

import gzip
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from helpers import REPO

BUDGET_BYTES = 30 * 1024
POST_PAGE = re.compile(r"^\d{4}/\d{2}/[^/]+/(?:[a-z]{2}/)?index\.html$")
# Elements whose URL attributes the browser fetches while loading the page.
FETCHED = {
    "link": ("href",), "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",),
    "source": ("src", "srcset"), "audio": ("src",), "video": ("src", "poster"),
    "embed": ("src",), "object": ("data",), "track": ("src",),
}
# <link rel> values that are links to the site's own documents, not fetched resources.
OWN_DOCUMENT_RELS = {"alternate", "canonical"}
CSS_URL = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*['"]?([^'")\s]+)""")


def site_settings():
    from pelican.settings import read_settings

    return read_settings(str(REPO / "pelicanconf.py"))


def own_hosts(settings):
    hosts = set()
    for key in ("FEED_DOMAIN", "SITEURL"):
        host = urlsplit(settings.get(key) or "").hostname
        if host:
            hosts.add(host)
    return hosts


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=9))


def stylesheets(output, page_rel, soup):
    """Local CSS files the page loads, following @import, as paths under output."""
    found = []
    queue = [urljoin(page_rel, link["href"]) for link in soup.find_all("link", href=True)
             if "stylesheet" in (link.get("rel") or [])]
    while queue:
        rel = urlsplit(queue.pop(0)).path.lstrip("/")
        if rel in found or urlsplit(rel).scheme:
            continue
        found.append(rel)
        css = (Path(output) / rel).read_text(encoding="utf-8")
        queue += [urljoin(rel, url) for url in CSS_URL.findall(css)
                  if url.endswith(".css") and not urlsplit(url).scheme]
    return found


def page_weight(output, page_rel):
    """Gzipped bytes of the page's HTML plus every stylesheet it loads (each compressed alone)."""
    output = Path(output)
    html = (output / page_rel).read_bytes()
    soup = BeautifulSoup(html, "html.parser")
    css = stylesheets(output, page_rel, soup)
    return gzipped_size(html) + sum(gzipped_size((output / rel).read_bytes()) for rel in css), css


def third_party_requests(soup, allowed_hosts):
    """(tag, url) pairs for every fetched URL that leaves the site."""
    found = []
    for tag, attrs in FETCHED.items():
        for element in soup.find_all(tag):
            rels = set(element.get("rel") or []) if tag == "link" else set()
            for attr in attrs:
                value = element.get(attr)
                if not value:
                    continue
                urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] \
                    if attr == "srcset" else [value.strip()]
                for url in urls:
                    parts = urlsplit(url)
                    if not parts.netloc:  # site-relative, or data:
                        continue
                    if rels and rels <= OWN_DOCUMENT_RELS and parts.hostname in allowed_hosts:
                        continue
                    found.append((tag, url))
    return found


def script_problems(soup):
    problems = []
    for script in soup.find_all("script"):
        if script.get("src"):
            problems.append(f"<script src={script['src']!r}>")
        elif (script.get("type") or "").strip().lower() != "application/ld+json":
            problems.append(f"<script type={script.get('type')!r}> is not JSON-LD")
    for element in soup.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        if handlers:
            problems.append(f"<{element.name}> has inline handlers {handlers}")
        for attr in ("href", "src", "action"):
            if str(element.get(attr) or "").strip().lower().startswith("javascript:"):
                problems.append(f"<{element.name} {attr}=javascript:...>")
    return problems


# --- the checks themselves can fail ------------------------------------------------------


def test_checks_catch_scripts_and_third_party_requests():
    soup = BeautifulSoup(
        '<link rel="stylesheet" href="https://fonts.example.net/a.css">'
        '<link rel="alternate" href="https://leitf.org/feeds/all.atom.xml">'
        '<link rel="alternate" href="https://tracker.example.com/feed.xml">'
        '<img src="//cdn.example.com/x.png" alt=""><img src="/images/ok.png" alt="">'
        '<img srcset="a.png 1x, https://cdn.example.com/b.png 2x" alt="">'
        '<script src="../theme/js/app.js"></script><script>alert(1)</script>'
        '<script type="application/ld+json">{}</script><a href="#" onclick="x()">x</a>',
        "html.parser",
    )
    found = [url for _, url in third_party_requests(soup, {"leitf.org"})]
    assert found == ["https://fonts.example.net/a.css", "https://tracker.example.com/feed.xml",
                     "//cdn.example.com/x.png", "https://cdn.example.com/b.png"]
    problems = script_problems(soup)
    assert len(problems) == 3, problems


def test_weight_counts_html_and_imported_css(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "a.css").write_text('@import url("b.css");\nbody{color:red}', encoding="utf-8")
    (tmp_path / "css" / "b.css").write_text("p{margin:0}", encoding="utf-8")
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "index.html").write_text(
        '<link rel="stylesheet" href="../css/a.css"><p>hi</p>', encoding="utf-8"
    )
    weight, css = page_weight(tmp_path, "post/index.html")
    assert css == ["css/a.css", "css/b.css"]
    assert weight > gzipped_size((tmp_path / "post" / "index.html").read_bytes())


# --- the LEITF site -----------------------------------------------------------------------


def post_pages(build):
    return [rel for rel in build.html_files() if POST_PAGE.match(rel)]


def test_every_post_page_is_within_30_kb_gzipped(leitf_site_build):
    pages = post_pages(leitf_site_build)
    assert len(pages) >= 5
    for rel in pages:
        weight, css = page_weight(leitf_site_build.output, rel)
        assert css, f"{rel} loads no stylesheet; the weight check would be meaningless"
        assert weight <= BUDGET_BYTES, f"{rel}: HTML + CSS is {weight} bytes gzipped (budget {BUDGET_BYTES})"


# Site search runs Pagefind in the browser; that one page says so without JavaScript and
# links to the archives and the hub instead (tests/test_discovery.py checks the fallback).
SEARCH_PAGE = "search/index.html"


def test_no_page_needs_javascript(leitf_site_build):
    problems = {}
    pages = leitf_site_build.html_files()
    assert SEARCH_PAGE in pages
    search = leitf_site_build.soup(SEARCH_PAGE)
    fallback = search.find(attrs={"data-search-fallback": True})
    assert fallback and fallback.find("a"), "the search page needs a fallback for readers without JavaScript"
    for rel in pages:
        if rel == SEARCH_PAGE:
            continue
        found = script_problems(leitf_site_build.soup(rel))
        if found:
            problems[rel] = found
    assert not problems, problems


def test_no_page_makes_a_third_party_request(leitf_site_build):
    allowed = own_hosts(site_settings())
    assert allowed, "pelicanconf.py sets FEED_DOMAIN; the allowed host list should not be empty"
    problems = {}
    for rel in leitf_site_build.html_files():
        found = third_party_requests(leitf_site_build.soup(rel), allowed)
        if found:
            problems[rel] = found
    assert not problems, problems


def test_stylesheets_load_nothing_from_other_hosts(leitf_site_build):
    sheets = list(leitf_site_build.output.rglob("*.css"))
    assert sheets
    for sheet in sheets:
        for url in CSS_URL.findall(sheet.read_text(encoding="utf-8")):
            assert not urlsplit(url).netloc, f"{sheet.name} loads {url}"
