"""A new coalition adopts the kit from the wheel alone, in Spanish, as docs/adopting.md says.

The site is written by `leitf-site new` and built with `make html` in a fresh virtualenv
outside the repository, so nothing from this checkout can leak into it.
"""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from helpers import REPO

pytestmark = pytest.mark.slow

COALITION = "Red de Fe, Empresa y Comunidad"
BRAND = "#5b2a86"
LINK = "#0b5394"
FORBIDDEN = ("LEITF", "Law Enforcement Immigration Task Force")


def run(args, cwd, env=None, timeout=900):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="session")
def adopted(tmp_path_factory, wheel):
    root = tmp_path_factory.mktemp("adopter")
    assert REPO not in root.parents
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    bin_dir = venv / "bin"
    # Only the wheel's own dependencies come from the index; the kit itself is the wheel.
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=root)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    site = root / "red"
    run(
        ["leitf-site", "new", str(site), "--name", COALITION, "--short-name", "RFEC",
         "--lang", "es", "--brand", BRAND, "--link", LINK, "--url", "https://red.example.org"],
        cwd=root, env=env,
    )
    log = run(["make", "html"], cwd=site, env=env)
    return {"root": root, "venv": venv, "env": env, "site": site, "output": site / "output", "log": log}


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def test_wheel_has_no_pelican_package_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "pelican/__init__.py" not in names
    assert "pelican/plugins/__init__.py" not in names


def test_pelican_still_works_after_installing_the_wheel(adopted):
    out = run(["pelican", "--version"], cwd=adopted["root"], env=adopted["env"])
    assert out.strip()[0].isdigit(), out


def test_kit_loads_from_the_wheel_not_the_checkout(adopted):
    code = (
        "import leitf_site, pelican.plugins.speaker_profiles as s, pelican.plugins.blog_sections as b, "
        "pelican.plugins.get_involved as g; print(leitf_site.theme_path()); print(s.__file__, b.__file__, g.__file__)"
    )
    out = run([str(adopted["venv"] / "bin" / "python"), "-c", code], cwd=adopted["root"], env=adopted["env"])
    assert str(REPO) not in out
    assert str(adopted["venv"]) in out


def test_scaffold_writes_a_complete_site(adopted):
    site = adopted["site"]
    for rel in ("pelicanconf.py", "publishconf.py", "Makefile", "content/pages/about.md",
                "content/pages/contact.md", "content/speakers/alex-rivera.md"):
        assert (site / rel).is_file(), rel
    assert list((site / "content" / "posts").glob("*.md"))


def test_site_has_speakers_contact_form_feeds_and_hub(adopted):
    out = adopted["output"]
    assert (out / "speakers" / "index.html").is_file()
    profile = out / "speakers" / "alex-rivera" / "index.html"
    assert profile.is_file()
    assert "Alex Rivera" in soup(profile).find("h1").get_text()
    form = soup(out / "contact" / "index.html").find("form", class_="contact-form")
    assert form is not None and form["action"].startswith("https://")
    assert form.find("input", attrs={"type": "email"}) is not None
    feed = feedparser.parse((out / "feeds" / "all.atom.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) == 1
    assert feed.entries[0].link.startswith("https://red.example.org/")
    hub = out / "news-and-resources" / "index.html"
    assert hub.is_file()
    assert soup(hub).find("a", href=lambda h: h and "noticias" in h)


def test_interface_is_spanish(adopted):
    out = adopted["output"]
    home = soup(out / "index.html")
    assert home.html["lang"] == "es"
    assert home.find("a", class_="skip-link").get_text(strip=True) == "Saltar al contenido principal"
    post = next(p for p in out.rglob("index.html") if "bienvenidos" in p.as_posix())
    page = soup(post)
    time = page.find("time")
    # babel's Spanish long date: "29 de noviembre de 2026"
    assert " de " in time.get_text(), time
    contact = soup(out / "contact" / "index.html")
    labels = " ".join(label.get_text(" ", strip=True) for label in contact.find_all("label"))
    assert "Nombre" in labels and "Correo electrónico" in labels and "Mensaje" in labels
    assert "Enviar" in contact.find("form", class_="contact-form").get_text(" ", strip=True)


def test_own_colours_reach_the_stylesheet(adopted):
    css = next(adopted["output"].rglob("brand.css")).read_text(encoding="utf-8")
    assert f"--brand: {BRAND}" in css
    assert f"--link: {LINK}" in css


def test_output_never_mentions_leitf(adopted):
    hits = []
    for path in adopted["output"].rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="ignore")
            hits += [f"{path.relative_to(adopted['output'])}: {word}" for word in FORBIDDEN if word in text]
    assert not hits, hits


def test_output_names_the_coalition(adopted):
    home = soup(adopted["output"] / "index.html")
    assert COALITION in home.title.get_text()
    for script in home.find_all("script", type="application/ld+json"):
        json.loads(script.string)
