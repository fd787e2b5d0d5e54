"""Discovery: sitemap.xml, robots.txt, Open Graph/Twitter meta, JSON-LD per page type and the
Pagefind index, on the real LEITF site and on small fixture sites."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from helpers import KIT_PLUGINS, REPO, write_tree
from leitf_site import discovery
from leitf_site.errors import ContentError

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
LEITF = "https://leitf.org"
DEC_2023 = (
    "2023/12/blog-post-open-channels-of-collaboration-between-local-law-enforcement-agencies-"
    "and-the-federal-government/"
)
ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

POSTS = {
    "posts/old.md": """\
        Title: An older post
        Date: 2024-01-02 10:00
        Modified: 2024-02-03 11:00
        Category: News
        Tags: border, trust
        Summary: The older one.

        Old text about the Science Directorate.
        """,
    "posts/new.md": """\
        Title: A newer post
        Date: 2024-03-04 09:30
        Category: Press Releases
        Image: images/share.png

        New text.
        """,
    "pages/about.md": "Title: About us\nSlug: about\n\nWho we are.\n",
    "images/share.png": b"\x89PNG\r\n\x1a\n",
}
PRETTY = {
    "ARTICLE_URL": "{date:%Y}/{slug}/", "ARTICLE_SAVE_AS": "{date:%Y}/{slug}/index.html",
    "PAGE_URL": "{slug}/", "PAGE_SAVE_AS": "{slug}/index.html",
    "CATEGORY_URL": "category/{slug}/", "CATEGORY_SAVE_AS": "category/{slug}/index.html",
    "TAG_URL": "tag/{slug}/", "TAG_SAVE_AS": "tag/{slug}/index.html",
    "ARCHIVES_SAVE_AS": "archives/index.html", "ARCHIVES_URL": "archives/",
    "STATIC_PATHS": ["images"], "ARTICLE_EXCLUDES": ["pages", "images"],
    "DISCOVERY_SEARCH": True,
}


# --- helpers --------------------------------------------------------------------------


def sitemap(output):
    """[(loc, lastmod, element)] from sitemap.xml, which must be well-formed XML in the 0.9 namespace."""
    root = ET.parse(Path(output) / "sitemap.xml").getroot()
    assert root.tag == "{%s}urlset" % NS["sm"]
    return [(u.findtext("sm:loc", namespaces=NS), u.findtext("sm:lastmod", namespaces=NS), u)
            for u in root.findall("sm:url", NS)]


def file_for(output, url, root):
    assert url.startswith(root + "/"), url
    path = urlsplit(url).path[len(urlsplit(root).path):].lstrip("/")
    target = Path(output) / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup):
    """Every JSON-LD block of a page, parsed; a block that is not valid JSON fails the test."""
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def ld_types(soup):
    return [block.get("@type") for block in json_ld(soup)]


def is_redirect(soup):
    return soup.find("meta", attrs={"http-equiv": "refresh"}) is not None


def fake_speakers_plugin(tmp_path, speakers):
    """A stand-in for speaker_profiles: sets article.speakers as the cross-area contract says."""
    folder = tmp_path / "fakeplugins" / "fake_speakers"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(
        "from types import SimpleNamespace\n"
        "from pelican import signals\n"
        f"SPEAKERS = {speakers!r}\n"
        "def attach(generators):\n"
        "    for g in generators:\n"
        "        for article in getattr(g, 'articles', []):\n"
        "            article.speakers = [SimpleNamespace(**s) for s in SPEAKERS]\n"
        "def register():\n"
        "    signals.all_generators_finalized.connect(attach)\n",
        encoding="utf-8",
    )
    return str(folder.parent)


# --- the LEITF site: sitemap and robots --------------------------------------------------


def test_leitf_sitemap_is_valid_and_every_url_resolves(leitf_site_build):
    out = leitf_site_build.output
    entries = sitemap(out)
    locs = [loc for loc, _, _ in entries]
    assert len(locs) == len(set(locs)), "duplicate URLs"
    for loc, lastmod, element in entries:
        target = file_for(out, loc, LEITF)
        assert target.is_file(), loc
        soup = leitf_site_build.soup(target.relative_to(out).as_posix())
        assert not is_redirect(soup), loc
        assert ISO_WITH_ZONE.match(lastmod), (loc, lastmod)
        assert element.findtext("sm:changefreq", namespaces=NS) in ("weekly", "monthly"), loc
        assert 0 <= float(element.findtext("sm:priority", namespaces=NS)) <= 1
        for alternate in element.findall("xhtml:link", NS):
            assert file_for(out, alternate.get("href"), LEITF).is_file(), alternate.attrib


def test_leitf_sitemap_covers_posts_pages_and_categories(leitf_site_build):
    locs = {loc for loc, _, _ in sitemap(leitf_site_build.output)}
    expected = [f"{LEITF}/", f"{LEITF}/{DEC_2023}", f"{LEITF}/about/", f"{LEITF}/archives/",
                f"{LEITF}/category/blog/", f"{LEITF}/category/press-releases/",
                f"{LEITF}/2019/09/sign-on-letter-law-enforcement-leaders-ask-congress-for-lasting-immigration-reform/es/"]
    for url in expected:
        assert url in locs, url
    # Every category listing, whatever categories the content has.
    for path in leitf_site_build.output.glob("category/*/index.html"):
        assert f"{LEITF}/category/{path.parent.name}/" in locs
    # Pages that are not for search engines stay out.
    for url in ("404.html", "search/", "contact/thanks/"):
        assert f"{LEITF}/{url}" not in locs, url


def test_leitf_sitemap_lists_speaker_profiles(leitf_site_build):
    profiles = sorted(leitf_site_build.output.glob("speakers/*/index.html"))
    assert len(profiles) >= 7
    locs = {loc for loc, _, _ in sitemap(leitf_site_build.output)}
    for path in profiles:
        assert f"{LEITF}/speakers/{path.parent.name}/" in locs, path


def test_leitf_lastmod_matches_each_post_and_its_listings(leitf_site_build):
    out = leitf_site_build.output
    lastmods = {loc: lastmod for loc, lastmod, _ in sitemap(out)}
    posts = [loc for loc in lastmods if re.search(r"/\d{4}/\d\d/[^/]+/(es/)?$", loc)]
    assert len(posts) >= 4
    for loc in posts:
        soup = leitf_site_build.soup(file_for(out, loc, LEITF).relative_to(out).as_posix())
        assert lastmods[loc] == meta(soup, "article:modified_time"), loc
    # A listing is as new as its newest post.
    dec = leitf_site_build.soup(DEC_2023 + "index.html")
    assert lastmods[f"{LEITF}/category/blog/"] == meta(dec, "article:modified_time")
    newest = max(lastmods[loc] for loc in posts if "/es/" not in loc)
    assert lastmods[f"{LEITF}/"][:10] == newest[:10]


def test_leitf_robots_txt_points_at_the_absolute_sitemap(leitf_site_build):
    robots = leitf_site_build.text("robots.txt")
    assert robots.splitlines()[0] == "User-agent: *"
    assert f"Sitemap: {LEITF}/sitemap.xml" in robots.splitlines()


# --- the LEITF site: link previews and JSON-LD --------------------------------------------


def test_leitf_every_page_has_open_graph_and_twitter_meta(leitf_site_build):
    out = leitf_site_build
    checked = 0
    for rel in out.html_files():
        if rel.startswith("pagefind/"):
            continue
        soup = out.soup(rel)
        if is_redirect(soup):
            continue
        checked += 1
        for key in ("og:title", "og:description", "og:type", "og:site_name", "og:locale", "twitter:card",
                    "twitter:title", "twitter:description"):
            assert meta(soup, key), (rel, key)
        assert meta(soup, "og:site_name") == "Law Enforcement Immigration Task Force"
        canonical = soup.find("link", rel="canonical")
        if canonical is not None:
            og_url = meta(soup, "og:url")
            assert og_url and og_url.startswith(LEITF + "/"), rel
            # og:url is the canonical URL made absolute.
            here = f"{LEITF}/{rel}"
            assert urljoin(here, canonical["href"]).replace("index.html", "") == og_url, rel
        json_ld(soup)  # every block parses
    assert checked >= 20


def test_leitf_post_previews_and_article_json_ld(leitf_site_build):
    soup = leitf_site_build.soup(DEC_2023 + "index.html")
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:url") == f"{LEITF}/{DEC_2023}"
    assert meta(soup, "og:locale") == "en_US"
    assert meta(soup, "article:published_time").startswith("2023-12-")
    assert meta(soup, "article:modified_time")
    assert meta(soup, "article:section") == "Blog"
    [post] = [b for b in json_ld(soup) if b["@type"] in ("BlogPosting", "NewsArticle")]
    assert post["@type"] == "BlogPosting"
    assert post["author"]["@type"] == "Organization"
    assert post["author"]["name"] == "Law Enforcement Immigration Task Force"
    assert post["url"] == f"{LEITF}/{DEC_2023}"
    assert post["datePublished"] == meta(soup, "article:published_time")


def test_leitf_press_release_is_a_news_article(leitf_site_build):
    [path] = leitf_site_build.output.glob("2024/01/press-release-*/index.html")
    soup = leitf_site_build.soup(path.relative_to(leitf_site_build.output).as_posix())
    assert "NewsArticle" in ld_types(soup)


def test_leitf_json_ld_per_page_type(leitf_site_build):
    out = leitf_site_build
    home = ld_types(out.soup("index.html"))
    assert {"Organization", "WebSite", "CollectionPage"} <= set(home)
    website = next(b for b in json_ld(out.soup("index.html")) if b["@type"] == "WebSite")
    assert website["potentialAction"]["target"]["urlTemplate"] == f"{LEITF}/search/?q={{search_term_string}}"
    for rel in ("category/blog/index.html", "archives/index.html", "category/index.html",
                "2023/index.html", "author/index.html"):
        assert "CollectionPage" in ld_types(out.soup(rel)), rel
    blog = next(b for b in json_ld(out.soup("category/blog/index.html")) if b["@type"] == "CollectionPage")
    urls = [item["url"] for item in blog["mainEntity"]["itemListElement"]]
    assert f"{LEITF}/{DEC_2023}" in urls
    assert "WebPage" in ld_types(out.soup("about/index.html"))
    assert ld_types(out.soup("404.html")) == []


# --- the LEITF site: search ----------------------------------------------------------------


def test_leitf_search_index_covers_main_content_only(leitf_site_build):
    out = leitf_site_build
    entry = json.loads(out.text("pagefind/pagefind-entry.json"))
    assert "en" in entry["languages"]
    bodies = {rel for rel in out.html_files() if out.soup(rel).find(attrs={"data-pagefind-body": True})}
    assert DEC_2023 + "index.html" in bodies
    assert "about/index.html" in bodies
    for listing in ("index.html", "category/blog/index.html", "archives/index.html", "search/index.html",
                    "404.html"):
        assert listing not in bodies, listing
    # data-pagefind-body sits on <main> only, so menus, calls to action and the footer are not indexed.
    for rel in bodies:
        assert [t.name for t in out.soup(rel).find_all(attrs={"data-pagefind-body": True})] == ["main"], rel
        assert re.search(r'<main [^>]*"\s+data-pagefind-body', out.text(rel)), rel  # a space between attributes
    english = [rel for rel in bodies if out.soup(rel).html["lang"] == "en"]
    assert entry["languages"]["en"]["page_count"] == len(english)


def test_leitf_search_page_and_header_form(leitf_site_build):
    out = leitf_site_build
    soup = out.soup("search/index.html")
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    scripts = [s["src"] for s in soup.find_all("script", src=True)]
    assert any(s.endswith("pagefind/pagefind-ui.js") for s in scripts)
    assert all(not s.startswith(("http:", "https:", "//")) for s in scripts)
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    note = soup.find(class_="search-nojs")
    assert "JavaScript" in note.get_text()
    hrefs = [a["href"] for a in note.find_all("a")]
    assert any(h.endswith("archives/") for h in hrefs) and any(h.endswith("news-and-resources/") for h in hrefs)
    # Other pages keep the base policy, and carry a plain GET form to the search page.
    about = out.soup("about/index.html")
    assert "wasm" not in about.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    form = about.find("form", class_="header-search")
    assert form["method"] == "get" and form["action"].endswith("search/")
    assert form.find("input", attrs={"name": "q"})
    assert form.find("label", attrs={"for": form.find("input")["id"]})


# --- fixture sites ------------------------------------------------------------------------


def test_sitemap_lastmod_and_urls_on_a_fixture_site(build_site):
    out = build_site(POSTS, SITEURL="https://example.org/sub", RELATIVE_URLS=False, **PRETTY)
    root = "https://example.org/sub"
    entries = {loc: lastmod for loc, lastmod, _ in sitemap(out.output)}
    assert entries[f"{root}/2024/an-older-post/"] == "2024-02-03T11:00:00+00:00"
    assert entries[f"{root}/2024/a-newer-post/"] == "2024-03-04T09:30:00+00:00"
    assert entries[f"{root}/category/news/"] == "2024-02-03T11:00:00+00:00"
    assert entries[f"{root}/tag/border/"] == "2024-02-03T11:00:00+00:00"
    assert entries[f"{root}/"] == "2024-03-04T09:30:00+00:00"
    for loc in entries:
        assert file_for(out.output, loc, root).is_file(), loc
    assert "Sitemap: https://example.org/sub/sitemap.xml" in out.text("robots.txt")


def test_sitemap_is_the_same_on_every_build(build_site):
    first = build_site(POSTS, **PRETTY).text("sitemap.xml")
    second = build_site(POSTS, **PRETTY).text("sitemap.xml")
    assert first == second


REDIRECT_TEMPLATE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Moved</title>'
    '<link rel="canonical" href="{{ SITEURL }}/about/">'
    '<meta http-equiv="refresh" content="0; url={{ SITEURL }}/about/"></head>'
    '<body><main><a href="{{ SITEURL }}/about/">Moved</a></main></body></html>'
)
ELSEWHERE_TEMPLATE = (
    '{% extends "page.html" %}{% block canonical %}<link rel="canonical" href="{{ SITEURL }}/about/">{% endblock %}'
)


def test_redirects_noindex_and_duplicates_stay_out_of_the_sitemap(build_site, tmp_path):
    overrides = write_tree(tmp_path / "overrides", {"redirect.html": REDIRECT_TEMPLATE,
                                                    "elsewhere.html": ELSEWHERE_TEMPLATE})
    files = dict(POSTS)
    files["pages/old-about.md"] = "Title: Old about\nSlug: old-about\nTemplate: redirect\n\nx\n"
    files["pages/copy.md"] = "Title: A copy\nSlug: copy\nTemplate: elsewhere\n\nx\n"
    out = build_site(files, THEME_TEMPLATES_OVERRIDES=[str(overrides)], **PRETTY)
    assert out.exists("old-about/index.html") and out.exists("copy/index.html")
    locs = {loc for loc, _, _ in sitemap(out.output)}
    assert "https://example.org/about/" in locs
    assert "https://example.org/old-about/" not in locs
    assert "https://example.org/copy/" not in locs
    assert "https://example.org/404.html" not in locs
    assert "https://example.org/search/" not in locs


def test_sitemap_plugin_in_plugins_too_writes_once_with_content_dates(build_site):
    out = build_site(POSTS, PLUGINS=[*KIT_PLUGINS, "sitemap"], **PRETTY)
    entries = {loc: lastmod for loc, lastmod, _ in sitemap(out.output)}
    assert entries["https://example.org/"] == "2024-03-04T09:30:00+00:00"
    assert "https://example.org/old-about/" not in entries


def test_speaker_profiles_get_their_own_lastmod(tmp_path):
    output = tmp_path / "out"
    profile = output / "speakers" / "ramon-batista" / "index.html"
    profile.parent.mkdir(parents=True)
    profile.write_text('<html><head><link rel="canonical" href="../../speakers/ramon-batista/"></head></html>')
    speaker = SimpleNamespace(url="speakers/ramon-batista/", name="Ramon Batista",
                              date=datetime(2024, 1, 16, 9, 0), modified=None)
    article = SimpleNamespace(date=datetime(2024, 5, 1), modified=None, speakers=[speaker])
    written = [(str(profile), discovery._SitemapSource.from_context({"speaker": speaker}))]
    settings = {"SITEMAP": {"priorities": {"pages": 0.6}, "changefreqs": {"pages": "monthly"}}}
    entries, _ = discovery.sitemap_entries(settings, output, "https://example.org", written,
                                           {"articles": [article], "pages": []})
    [(_, item)] = entries
    assert item.url == "speakers/ramon-batista/"
    assert item.modified == datetime(2024, 1, 16, 9, 0)
    assert (item.priority, item.changefreq) == (0.6, "monthly")
    # Without a date of its own, a profile is as new as the newest post that names the speaker.
    speaker.date = None
    entries, _ = discovery.sitemap_entries(settings, output, "https://example.org", written,
                                           {"articles": [article], "pages": []})
    assert entries[0][1].modified == datetime(2024, 5, 1)
    # A profile page rendered without a `speaker` variable is still known by its save_as.
    speaker.save_as, speaker.date = "speakers/ramon-batista/index.html", datetime(2024, 2, 2)
    anonymous = [(str(profile), discovery._SitemapSource.from_context({}))]
    entries, _ = discovery.sitemap_entries(settings, output, "https://example.org", anonymous,
                                           {"articles": [article], "pages": [], "speakers": [speaker]})
    assert entries[0][1].modified == datetime(2024, 2, 2)
    assert entries[0][1].priority == 0.6


def test_robots_txt_settings_and_a_sites_own_file(build_site):
    out = build_site(POSTS, DISCOVERY_ROBOTS_DISALLOW=["/drafts/", "/private/"], **PRETTY)
    assert out.text("robots.txt") == (
        "User-agent: *\nDisallow: /drafts/\nDisallow: /private/\n\nSitemap: https://example.org/sitemap.xml\n"
    )
    files = dict(POSTS, **{"extra/robots.txt": "User-agent: *\nDisallow: /mine/\n"})
    own = build_site(files, **{**PRETTY, "STATIC_PATHS": ["images", "extra/robots.txt"],
                               "EXTRA_PATH_METADATA": {"extra/robots.txt": {"path": "robots.txt"}}})
    assert own.text("robots.txt") == "User-agent: *\nDisallow: /mine/\n"


def test_without_a_public_address_there_is_no_sitemap(build_site):
    out = build_site(POSTS, FEED_DOMAIN="", SITEURL="", **PRETTY)
    assert not out.exists("sitemap.xml")
    assert "Sitemap" not in out.text("robots.txt")
    assert meta(out.soup("about/index.html"), "og:url") is None


def test_search_is_off_by_default_in_the_kit(build_site):
    out = build_site(POSTS)
    assert out.exists("sitemap.xml") and out.exists("robots.txt")
    assert not out.path("pagefind").exists() and not out.exists("search.html")
    assert out.soup("index.html").find("form") is None


def test_everything_off(build_site):
    out = build_site(POSTS, **{**PRETTY, "DISCOVERY_SITEMAP": False, "DISCOVERY_ROBOTS": False,
                               "DISCOVERY_SEARCH": False})
    assert not out.exists("sitemap.xml") and not out.exists("robots.txt")
    assert not out.path("pagefind").exists() and not out.exists("search/index.html")
    home = out.soup("index.html")
    assert home.find("form", class_="header-search") is None
    website = next(b for b in json_ld(home) if b["@type"] == "WebSite")
    assert "potentialAction" not in website
    assert not out.soup("2024/an-older-post/index.html").find(attrs={"data-pagefind-body": True})


HOSTILE = '</script><script>alert("x")</script> Q&A "quoted" <b>bold</b>'


def test_hostile_metadata_stays_escaped_and_json_ld_stays_valid(build_site, tmp_path):
    speakers = [{"name": 'Chief </script><img src=x onerror=alert(1)>', "honorific": "Chief",
                 "slug": "x", "url": "speakers/x/", "roles": ["co-chair"], "agency": "A & B PD",
                 "jurisdiction": "Town, ST", "photo": ""}]
    files = {
        "posts/evil.md": f"Title: {HOSTILE}\nDate: 2024-01-02\nCategory: {HOSTILE}\nTags: {HOSTILE}\n"
                         f"Summary: {HOSTILE}\nImage: javascript:alert(1)\nImage_alt: {HOSTILE}\n\nBody.\n",
        "pages/evil.md": f"Title: {HOSTILE}\nSlug: evil\nImage: {{static}}/images/share.png\n\nBody.\n",
        "images/share.png": b"\x89PNG\r\n\x1a\n",
    }
    out = build_site(files, PLUGIN_PATHS=[str(REPO / "plugins"), fake_speakers_plugin(tmp_path, speakers)],
                     PLUGINS=[*KIT_PLUGINS, "fake_speakers"], SITE_DESCRIPTION=HOSTILE,
                     DISCOVERY_TWITTER_SITE='@x"><script>', **PRETTY)
    for rel in out.html_files():
        if rel.startswith("pagefind/"):
            continue
        html = out.text(rel)
        assert '<script>alert("x")' not in html, rel
        assert "<img src=x" not in html, rel
        soup = out.soup(rel)
        json_ld(soup)  # a block that metadata had broken out of would not parse
        assert meta(soup, "twitter:site") == '@x"><script>', rel
    [post_rel] = [r for r in out.html_files() if r.startswith("2024/")]
    soup = out.soup(post_rel)
    assert meta(soup, "og:title") == 'alert("x") Q&A "quoted" bold'
    assert meta(soup, "og:image") is None  # a javascript: image is dropped
    assert "javascript:" not in out.text(post_rel)
    post = next(b for b in json_ld(soup) if b["@type"] == "BlogPosting")
    assert post["headline"] == 'alert("x") Q&A "quoted" bold'
    assert post["mentions"][0]["name"] == speakers[0]["name"]
    assert post["about"]["url"] == "https://example.org/speakers/x/"
    assert post["mentions"][0]["affiliation"]["name"] == "A & B PD"
    page = out.soup("evil/index.html")
    assert meta(page, "og:image") == "https://example.org/images/share.png"
    assert meta(page, "twitter:card") == "summary_large_image"


def test_images_previews_and_locales(build_site):
    out = build_site(POSTS, SITE_IMAGE="images/share.png", DEFAULT_LANG="es", **PRETTY)
    newer = out.soup("2024/a-newer-post/index.html")
    assert meta(newer, "og:image") == "https://example.org/images/share.png"
    assert meta(newer, "og:locale") == "es_ES"
    about = out.soup("about/index.html")
    assert meta(about, "og:image") == "https://example.org/images/share.png"  # SITE_IMAGE
    assert meta(about, "og:type") == "website"
    older = out.soup("2024/an-older-post/index.html")
    assert meta(older, "article:modified_time") == "2024-02-03T11:00:00+00:00"
    assert [t["content"] for t in older.find_all("meta", attrs={"property": "article:tag"})] == ["border", "trust"]


def test_news_categories_make_news_articles(build_site):
    out = build_site(POSTS, DISCOVERY_NEWS_CATEGORIES=["press-releases"], **PRETTY)
    assert "NewsArticle" in ld_types(out.soup("2024/a-newer-post/index.html"))
    assert "BlogPosting" in ld_types(out.soup("2024/an-older-post/index.html"))


def test_missing_pagefind_binary_is_one_clear_error(build_site, monkeypatch):
    monkeypatch.setattr(discovery, "pagefind_executable", lambda: None)
    with pytest.raises(ContentError, match="DISCOVERY_SEARCH: the Pagefind binary is missing"):
        build_site(POSTS, **PRETTY)


# --- pure functions -------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("images/a.png", "https://example.org/images/a.png"),
    ("/images/a.png", "https://example.org/images/a.png"),
    ("{static}/images/a.png", "https://example.org/images/a.png"),
    ("https://cdn.example.net/a.png", "https://cdn.example.net/a.png"),
    ("javascript:alert(1)", ""),
    ("data:image/png;base64,AAAA", ""),
    ("//evil.example/a.png", ""),
    ("", ""),
    (None, ""),
])
def test_absolute_url(value, expected):
    assert discovery.absolute_url(value, "https://example.org") == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "en_US"), ("es", "es_ES"), ("pt-BR", "pt_BR"), ("fr_CA", "fr_CA"), ("", ""),
])
def test_og_locale(lang, expected):
    assert discovery.og_locale(lang) == expected


def test_robots_txt_text():
    assert discovery.robots_txt([], "") == "User-agent: *\nDisallow:\n"


# Every case in tests/bad_input_discovery.py runs in the quality gate, tests/test_bad_input.py.
