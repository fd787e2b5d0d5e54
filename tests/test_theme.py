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
