"""The wheel carries the theme and the plugins, and never a pelican/__init__.py."""

import zipfile

import leitf_site


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "leitf_site/__init__.py" in names
    assert "leitf_site/themes/coalition/templates/base.html" in names
    assert "leitf_site/themes/coalition/static/css/site.css" in names
    for plugin in ("speaker_profiles", "blog_sections", "get_involved"):
        assert f"pelican/plugins/{plugin}/__init__.py" in names
        assert f"pelican/plugins/{plugin}/plugin.py" in names
    assert "pelican/__init__.py" not in names
    assert "pelican/plugins/__init__.py" not in names
    assert not any("__pycache__" in n for n in names)


def test_wheel_version_matches_package(wheel):
    assert wheel.name.startswith(f"leitf_site-{leitf_site.__version__}-")


def test_theme_path_points_at_a_theme():
    from pathlib import Path

    theme = Path(leitf_site.theme_path())
    assert (theme / "templates" / "base.html").is_file()
