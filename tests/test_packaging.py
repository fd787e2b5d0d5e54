"""The wheel carries the theme and the plugins, and never a pelican/__init__.py."""

import subprocess
import sys
import zipfile

import pytest

import leitf_site
from helpers import REPO


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        # Build isolation needs hatchling from the index; try that when it is not installed here.
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(REPO)],
            capture_output=True, text=True,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("leitf_site-*.whl")
    return path


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
