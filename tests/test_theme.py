"""The coalition theme: escaping, settings checks, strict builds, brand colours."""

import pytest

from helpers import assert_one_line_error, cli_build
from leitf_site import theme_support

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def test_metadata_is_escaped(build_site):
    site = build_site(
        {"posts/a.md": f"""
            Title: {HOSTILE}
            Date: 2024-01-02
            Category: News
            Summary: {HOSTILE}

            Body text.
            """},
        SITENAME=HOSTILE, SITE_TAGLINE=HOSTILE,
        MENUITEMS=[(HOSTILE, "javascript:alert(3)"), ("Fine", "about/")],
    )
    for rel in site.html_files():
        soup = site.soup(rel)
        assert not soup.find("script", src=True), rel
        assert not [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"], rel
        assert not soup.find(attrs={"onerror": True}), rel
        assert "javascript:" not in site.text(rel), rel
    soup = site.soup("index.html")
    assert HOSTILE in soup.find(class_="site-tagline").get_text()


def test_strict_build_fails_on_bad_date_with_one_line(tmp_path):
    code, log = cli_build(tmp_path, {"posts/bad.md": "Title: Bad\nDate: 2023-13-45\n\nx\n"})
    assert_one_line_error(code, log, "bad.md", "date")


def test_wrong_type_setting_is_one_line(tmp_path):
    code, log = cli_build(tmp_path, {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nx\n"},
                          settings={"MENUITEMS": "about/"})
    assert_one_line_error(code, log, "MENUITEMS", "pairs")


def test_bad_colour_pair_warns(build_site):
    site = build_site({"posts/a.md": "Title: A\nDate: 2024-01-01\n\nx\n"},
                      SITE_COLORS={"brand": "#ffff00", "brand_text": "#ffffff"}, allow_warnings=True)
    assert any("brand_text on brand" in w for w in site.warnings), site.warnings
    css = site.text("theme/css/brand.css")
    assert "--brand: #ffff00;" in css


def test_default_palette_passes_aa():
    assert theme_support.failing_contrast(theme_support.palette({})) == []


@pytest.mark.parametrize("fg,bg,expected", [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0)])
def test_contrast_ratio(fg, bg, expected):
    assert theme_support.contrast_ratio(fg, bg) == pytest.approx(expected, rel=1e-3)


def test_site_link_drops_unsafe_schemes():
    assert theme_support.site_link("javascript:alert(1)") == ""
    assert theme_support.site_link(" JavaScript:alert(1)") == ""
    assert theme_support.site_link("about/", "..") == "../about/"
    assert theme_support.site_link("https://example.org/x") == "https://example.org/x"


def test_interface_follows_each_pages_language(build_site):
    """On an English site, a Spanish translation gets Spanish labels and dates; the original stays English."""
    site = build_site({
        "posts/letter.md": "Title: Letter\nDate: 2019-09-10\nSlug: letter\nTags: reform\n\nText.\n",
        "posts/letter-es.md": "Title: Carta\nDate: 2019-09-10\nSlug: letter\nLang: es\nTags: reforma\n\nTexto.\n",
    }, DEFAULT_LANG="en")
    english, spanish = site.soup("letter.html"), site.soup("letter-es.html")
    assert english.find("a", class_="skip-link").get_text() == "Skip to main content"
    assert spanish.find("a", class_="skip-link").get_text() == "Saltar al contenido principal"
    assert english.find("time").get_text() == "September 10, 2019"
    assert spanish.find("time").get_text() == "10 de septiembre de 2019"
    assert spanish.html["lang"] == "es"
    assert "Etiquetas:" in spanish.find(class_="post__tags").get_text()


def test_spanish_site_has_a_spanish_interface(build_site):
    site = build_site({"posts/a.md": "Title: A\nDate: 2024-03-05\n\nx\n"}, DEFAULT_LANG="es")
    home = site.soup("index.html")
    assert home.html["lang"] == "es"
    assert home.find("a", class_="skip-link").get_text() == "Saltar al contenido principal"
    assert "5 de marzo de 2024" in site.soup("a.html").find("time").get_text()
    assert site.soup("404.html").find("h1").get_text(strip=True) == "Página no encontrada"


def test_every_theme_string_has_a_spanish_translation():
    """A template string added without a translation fails here; `make translations` lists them."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    import leitf_site
    from leitf_site import translations

    theme = Path(leitf_site.theme_path())
    template = translations.extract(theme)
    with (theme / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        spanish = read_po(handle, locale="es")
    untranslated = []
    for message in template:
        if not message.id:
            continue
        found = spanish.get(message.id)
        strings = [] if found is None else (found.string if isinstance(found.string, (list, tuple)) else [found.string])
        if found is None or found.fuzzy or not strings or not all(strings):
            untranslated.append(message.id)
    assert len(template) > 40
    assert not untranslated, untranslated


@pytest.mark.parametrize("lang,expected", [("en", "December 2023"), ("es", "diciembre de 2023")])
def test_month_archive_is_named_in_the_sites_language(build_site, lang, expected):
    site = build_site(
        {"posts/a.md": "Title: A\nDate: 2023-12-06\n\nx\n"}, DEFAULT_LANG=lang,
        MONTH_ARCHIVE_SAVE_AS="{date:%Y}/{date:%m}/index.html", YEAR_ARCHIVE_SAVE_AS="{date:%Y}/index.html",
    )
    assert expected in site.soup("2023/12/index.html").find("h1").get_text()
    assert site.soup("2023/index.html").find("h1").get_text().endswith("2023")


def test_fatal_warning_while_reading_settings_is_one_line(tmp_path):
    """Pelican warns about feeds without an address before any plugin loads; still no traceback.

    The settings file imports leitf_site, as every kit site's does (THEME = leitf_site.theme_path()).
    """
    from helpers import KIT_PLUGINS, REPO, run_pelican_cli, write_tree

    write_tree(tmp_path, {
        "content/a.md": "Title: A\nDate: 2024-01-01\n\nx\n",
        "pelicanconf.py": f"""
            import leitf_site
            THEME = leitf_site.theme_path()
            PLUGIN_PATHS = [{str(REPO / "plugins")!r}]
            PLUGINS = {KIT_PLUGINS!r}
            FEED_ALL_ATOM = "feeds/all.atom.xml"
            """,
    })
    code, log = run_pelican_cli(["content", "-o", "output", "-s", "pelicanconf.py", "--fatal", "warnings"], cwd=tmp_path)
    assert_one_line_error(code, log, "Feeds generated without SITEURL or FEED_DOMAIN")
    assert "Build stopped" in log


@pytest.mark.parametrize("size,lang,label", [
    (812, "en", "812 bytes"), (1, "en", "1 byte"), (1810, "en", "1.8 kB"), (1810, "es", "1,8 kB"),
    (2_400_000, "es", "2,4 MB"), (999_949, "en", "1000 kB"), (123_456, "es", "123 kB"),
])
def test_file_sizes_read_naturally_in_each_language(size, lang, label):
    assert theme_support.format_file_size(size, lang) == label
