"""Gate: every internal link, anchor, image, stylesheet, script and feed resolves over HTTP.

Each built site is served on 127.0.0.1; every HTML page is fetched, and every same-site
reference in it (and every entry link in every feed) is requested. URLs under the site's
public address (feeds and canonical links use it) are mapped onto the local server.
"""

import json
import urllib.error
import urllib.request
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from helpers import record_gate_count, serve_folder
from quality_pages import PUBLIC_ROOTS, SITES, built_site, pages

# (tag, attribute) pairs that reference another resource; srcset lists are split below.
REFERENCES = [("a", "href"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("script", "src"),
              ("source", "src"), ("source", "srcset"), ("video", "src"), ("audio", "src"),
              ("iframe", "src"), ("form", "action"), ("object", "data")]
FEED_TYPES = {"application/atom+xml", "application/rss+xml", "application/feed+json", "application/json"}


class LinkChecker:
    def __init__(self, base, public_root):
        self.base, self.public_root = base, public_root
        self.fetched = {}   # url -> (status, body or None)
        self.ids = {}       # page url -> set of ids
        self.references = 0
        self.feeds = set()
        self.broken = []
        self.broken_in_feeds = []

    def local(self, url):
        """The local URL for a same-site reference, or None for another site or scheme."""
        if self.public_root and url.startswith(self.public_root + "/"):
            url = self.base + url[len(self.public_root):]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != self.base:
            return None
        return url

    def fetch(self, url):
        if url not in self.fetched:
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    ctype = response.headers.get("Content-Type", "")
                    keep = "html" in ctype or "xml" in ctype or "json" in ctype
                    body = response.read() if keep else None
                    self.fetched[url] = (response.status, body)
            except urllib.error.HTTPError as error:
                self.fetched[url] = (error.code, None)
            except OSError as error:
                self.fetched[url] = (str(error), None)
        return self.fetched[url]

    def ids_of(self, url):
        if url not in self.ids:
            status, body = self.fetch(url)
            soup = BeautifulSoup(body or b"", "html.parser")
            self.ids[url] = {t["id"] for t in soup.find_all(id=True)} | {
                t["name"] for t in soup.find_all("a", attrs={"name": True})}
        return self.ids[url]

    def check(self, page, raw, broken=None):
        broken = self.broken if broken is None else broken
        target = self.local(urljoin(page, raw.strip()))
        if target is None:
            return
        self.references += 1
        url, fragment = urldefrag(target)
        status, _body = self.fetch(url)
        if status != 200:
            broken.append((page, raw, f"HTTP {status}"))
        elif fragment and fragment not in self.ids_of(url):
            broken.append((page, raw, f"no element with id {fragment!r}"))

    def check_page(self, page):
        status, body = self.fetch(page)
        assert status == 200, (page, status)
        soup = BeautifulSoup(body, "html.parser")
        for tag, attr in REFERENCES:
            for element in soup.find_all(tag, attrs={attr: True}):
                values = [element[attr]]
                if attr == "srcset":
                    values = [part.strip().split(" ")[0] for part in element[attr].split(",")]
                for value in values:
                    if value.startswith(("mailto:", "tel:", "data:")):
                        continue
                    self.check(page, value)
                if tag == "link" and element.get("type") in FEED_TYPES:
                    feed = self.local(urljoin(page, element["href"]))
                    if feed:
                        self.feeds.add(feed)

    def check_feed(self, feed):
        status, body = self.fetch(feed)
        if status != 200:
            return  # already reported by the page that links to it
        if feed.endswith(".json"):
            try:
                items = json.loads(body)["items"]
            except (ValueError, KeyError) as error:
                self.broken.append((feed, "", f"JSON Feed does not parse: {error}"))
                return
            for item in items:
                urls = [item.get("url", "")] + [a.get("url", "") for a in item.get("attachments", [])]
                for url in urls:
                    self.check(feed, url, self.broken_in_feeds)
            return
        parsed = feedparser.parse(body)
        if parsed.bozo:
            self.broken.append((feed, "", f"feed does not parse: {parsed.get('bozo_exception')}"))
        for entry in parsed.entries:
            for link in entry.get("links", []):
                self.check(feed, link.get("href", ""), self.broken_in_feeds)


def crawl(site, tmp_path_factory):
    build = built_site(site, tmp_path_factory)
    page_paths = [rel if not rel.endswith("index.html") else rel[: -len("index.html")]
                  for rel in build.html_files()]
    with serve_folder(build.output) as base:
        checker = LinkChecker(base, PUBLIC_ROOTS[site])
        for rel in page_paths:
            checker.check_page(f"{base}/{rel}")
        for feed in sorted(checker.feeds):
            checker.check_feed(feed)
    return page_paths, checker


_crawls = {}


def _crawled(site, tmp_path_factory):
    if site not in _crawls:
        _crawls[site] = crawl(site, tmp_path_factory)
    return _crawls[site]


@pytest.mark.parametrize("site", SITES)
def test_no_broken_links(site, tmp_path_factory):
    page_paths, checker = _crawled(site, tmp_path_factory)
    record_gate_count("links", f"{site}: references checked", checker.references)
    record_gate_count("links", f"{site}: distinct URLs fetched", len(checker.fetched))
    record_gate_count("links", f"{site}: pages crawled", len(page_paths))
    record_gate_count("links", f"{site}: feeds", len(checker.feeds))
    assert checker.feeds, "no feed is linked from any page"
    assert checker.references > 10 * len(page_paths)
    assert checker.broken == [], "\n".join(f"{p}: {u}: {why}" for p, u, why in checker.broken)


@pytest.mark.parametrize("site", SITES)
def test_every_page_type_is_built(site, tmp_path_factory):
    """Each row of quality_pages.PAGE_TYPES names a file the build really writes."""
    build = built_site(site, tmp_path_factory)
    missing = [f"{kind}: {rel}" for kind, rel in pages(site) if not build.exists(rel)]
    assert missing == []


@pytest.mark.parametrize("site", SITES)
def test_feed_entries_link_to_pages_that_exist(site, tmp_path_factory):
    _pages, checker = _crawled(site, tmp_path_factory)
    broken = checker.broken_in_feeds
    assert broken == [], "\n".join(f"{p}: {u}: {why}" for p, u, why in broken)


def test_checker_reports_missing_files_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><title>x</title><p id="here">'
        '<a href="missing/">a</a> <a href="#nowhere">b</a> <a href="#here">c</a>'
        '<img src="gone.png" alt="">', encoding="utf-8")
    with serve_folder(tmp_path) as base:
        checker = LinkChecker(base, "https://example.org")
        checker.check_page(base + "/")
    assert sorted(why for _p, _u, why in checker.broken) == [
        "HTTP 404", "HTTP 404", "no element with id 'nowhere'"]
