"""The real LEITF site, built as `make html` builds it."""

import re
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from helpers import REPO, reset_pelican_signals
from sitecheck import broken_references

DEC_2023_SLUG = (
    "blog-post-open-channels-of-collaboration-between-local-law-enforcement-agencies-"
    "and-the-federal-government"
)


def test_build_is_clean(leitf_site_build):
    log = leitf_site_build.warnings
    assert "WARNING" not in log and "ERROR" not in log, log
    assert "Traceback" not in log


def test_home_and_december_post_exist(leitf_site_build):
    assert leitf_site_build.exists("index.html")
    post = leitf_site_build.soup(f"2023/12/{DEC_2023_SLUG}/index.html")
    assert "Open Channels of Collaboration" in post.h1.get_text()
    body = post.find(class_="post__body").get_text(" ")
    for name in ("Robert Luna", "Ramon Batista", "Niel Noakes", "Paco Balderrama"):
        assert name in body
    assert "We can be humanitarians and enforce the law" in body
    for briefing in ("Law Enforcement Support Center", "Science and Technology Directorate",
                     "Center for Countering Human Trafficking", "border"):
        assert briefing in body


def test_every_content_file_produces_its_page(leitf_site_build):
    content = REPO / "content"
    for md in content.rglob("*.md"):
        rel = md.relative_to(content)
        if rel.parts[0] in ("speakers", "categories"):
            continue  # their plugins' tests cover them
        meta = dict(
            (m.group(1).lower(), m.group(2).strip())
            for m in re.finditer(r"^(\w+):\s*(.*)$", md.read_text(encoding="utf-8").split("\n\n")[0], re.M)
        )
        if meta.get("status") in ("draft", "hidden"):
            continue
        slug = meta["slug"]
        lang = meta.get("lang")
        if rel.parts[0] == "pages":
            candidates = [f"{slug}/index.html", f"{lang}/{slug}/index.html"]
        else:
            year, month = meta["date"][:4], meta["date"][5:7]
            candidates = [f"{year}/{month}/{slug}/index.html", f"{year}/{month}/{slug}/{lang}/index.html"]
        if lang and lang != "en":
            candidates.reverse()  # a translation lives under its language code
        found = [c for c in candidates if leitf_site_build.exists(c)]
        assert found, f"{rel} produced none of {candidates}"
        title = leitf_site_build.soup(found[0]).find("h1").get_text(strip=True)
        assert title == meta["title"], rel


def test_page_skeleton_on_every_page(leitf_site_build):
    for rel in leitf_site_build.html_files():
        soup = leitf_site_build.soup(rel)
        if soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # legacy redirects are tiny on purpose
        assert soup.html.get("lang"), rel
        assert len(soup.find_all("main")) == 1, rel
        assert soup.find("header") and soup.find("footer") and soup.find("nav"), rel
        skip = soup.find("a", class_="skip-link")
        assert skip and skip["href"] == "#main" and soup.find(id="main"), rel
        assert soup.find("meta", attrs={"name": "description"})["content"].strip(), rel
        assert soup.find("link", rel="stylesheet"), rel


def test_feed_autodiscovery_and_canonical(leitf_site_build):
    soup = leitf_site_build.soup(f"2023/12/{DEC_2023_SLUG}/index.html")
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical.rstrip("/").endswith(DEC_2023_SLUG)
    types = {link["type"] for link in soup.find_all("link", rel="alternate") if link.get("type")}
    assert {"application/atom+xml", "application/rss+xml"} <= types


def test_nav_links_point_at_files_that_exist(leitf_site_build):
    soup = leitf_site_build.soup("index.html")
    links = soup.find("nav", class_="site-nav").find_all("a")
    assert len(links) >= 4
    for a in links:
        target = leitf_site_build.output / a["href"].lstrip("./")
        if a["href"].endswith("/"):
            target = target / "index.html"
        assert target.is_file(), a["href"]


def test_no_broken_internal_references(leitf_site_build):
    broken = broken_references(leitf_site_build.output, extra_roots=("https://leitf.org",))
    assert broken == []


def test_no_third_party_requests(leitf_site_build):
    for rel in leitf_site_build.html_files():
        soup = leitf_site_build.soup(rel)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag):
                value = el.get(attr) or ""
                if tag == "link" and not set(el.get("rel") or []) & {"stylesheet", "preload", "icon", "modulepreload"}:
                    continue
                assert not value.startswith(("http:", "https:", "//")), (rel, value)


def test_theme_and_every_plugin_loaded():
    reset_pelican_signals()
    settings = read_settings(str(REPO / "pelicanconf.py"), override={"PATH": str(REPO / "content")})
    pelican = Pelican(settings)
    loaded = [p.__name__.split(".")[-1] for p in pelican.plugins]
    assert loaded == settings["PLUGINS"] == ["speaker_profiles", "blog_sections", "get_involved"]
    assert Path(settings["THEME"], "templates", "base.html").is_file()
    assert Path(settings["THEME"]).name == "coalition"


def test_all_pelican_templates_render(leitf_site_build):
    out = leitf_site_build
    for rel in ("index.html", "archives/index.html", "category/index.html", "tag/index.html",
                "author/index.html", "category/blog/index.html", "2023/index.html",
                "2023/12/index.html", "404.html", "about/index.html",
                "author/law-enforcement-immigration-task-force/index.html"):
        assert out.exists(rel), rel
        assert out.soup(rel).find("main").get_text(strip=True), rel


def test_plain_pelican_in_the_repository_builds_the_site(tmp_path):
    """`pelican` with no arguments finds pelicanconf.py and content/, as Pelican users expect."""
    from helpers import run_pelican_cli

    code, log = run_pelican_cli(["-o", str(tmp_path / "out")], cwd=REPO)
    assert code == 0, log
    assert (tmp_path / "out" / "index.html").is_file()
    assert list((tmp_path / "out" / "2023" / "12").glob("*/index.html"))
