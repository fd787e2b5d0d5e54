"""`leitf-site new`: the starter site builds cleanly in either language, and bad options say so in one line.

tests/test_kit.py does the whole journey from the wheel; these run from the checkout, fast.
"""

import json
import subprocess
import sys

import pytest

from helpers import REPO, run_pelican_cli


def new(target, *options):
    return subprocess.run(
        [sys.executable, "-m", "leitf_site.cli", "new", str(target), *options],
        capture_output=True, text=True,
    )


def build(site):
    return run_pelican_cli(
        ["content", "-o", "output", "-s", "pelicanconf.py", "--fatal", "warnings",
         "-e", f"PLUGIN_PATHS={json.dumps([str(REPO / 'plugins')])}"],
        cwd=site,
    )


@pytest.mark.parametrize("lang,post_slug,skip_text", [
    ("en", "welcome-to-our-new-website", "Skip to main content"),
    ("es", "bienvenidos-a-nuestro-nuevo-sitio-web", "Saltar al contenido principal"),
])
def test_starter_site_builds_without_warnings(tmp_path, lang, post_slug, skip_text):
    from bs4 import BeautifulSoup

    site = tmp_path / "site"
    proc = new(site, "--name", "Harbor Faith & Labor Alliance", "--lang", lang, "--brand", "#0b5d1e")
    assert proc.returncode == 0, proc.stderr
    code, log = build(site)
    assert code == 0, log
    out = site / "output"
    [post] = list(out.glob(f"*/*/{post_slug}/index.html"))
    soup = BeautifulSoup(post.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("a", class_="skip-link").get_text() == skip_text
    # The example person is named in metadata and mentioned in the text: both link to the profile.
    assert soup.select_one(".post-people a[href*='speakers/alex-rivera/']")
    assert soup.select_one(".post__body a[href*='speakers/alex-rivera/']")
    for rel in ("speakers/index.html", "speakers/alex-rivera/index.html", "news-and-resources/index.html",
                "contact/index.html", "contact/thanks/index.html", "search/index.html", "sitemap.xml",
                "feeds/all.atom.xml", "feeds/all.json"):
        assert (out / rel).is_file(), rel
    assert "Harbor Faith &amp; Labor Alliance" in (out / "index.html").read_text(encoding="utf-8")
    # Only the starter's own category: no category named after the posts/ folder.
    assert sorted(p.name for p in (out / "category").iterdir() if p.is_dir()) == [
        "news" if lang == "en" else "noticias"]


def test_a_post_without_a_category_joins_the_news(tmp_path):
    site = tmp_path / "site"
    assert new(site, "--name", "Harbor Alliance").returncode == 0
    (site / "content" / "posts" / "bare.md").write_text("Title: Bare\nDate: 2026-02-04\n\nText.\n", encoding="utf-8")
    code, log = build(site)
    assert code == 0, log
    assert "Bare" in (site / "output" / "category" / "news" / "index.html").read_text(encoding="utf-8")
    assert not (site / "output" / "category" / "posts").exists()


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    proc = new(tmp_path, "--name", "X")
    assert proc.returncode != 0
    assert "is not empty; use --force" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("options,message", [
    (("--name", "X", "--brand", "navy"), "--brand: 'navy' is not a #rgb or #rrggbb colour"),
    (("--name", "  "), "--name: the organization's name cannot be empty"),
    (("--name", "X", "--lang", "fr"), "invalid choice: 'fr'"),
])
def test_bad_options_are_one_line(tmp_path, options, message):
    proc = new(tmp_path / "site", *options)
    assert proc.returncode != 0
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "site").exists()
