"""docs/settings.md documents every setting the kit reads, with its default."""

import importlib.util
import re

import pytest

from helpers import REPO
from leitf_site import discovery, speedups, theme_support

DOC = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
# A documented setting is a table row: | `NAME` | default | ...
DOCUMENTED = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", DOC, flags=re.M))


def plugin_defaults(name):
    path = REPO / "plugins" / name / "settings.py"
    spec = importlib.util.spec_from_file_location(f"_docs_{name}_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DEFAULTS


SOURCES = {
    "theme": theme_support.DEFAULTS,
    "discovery": discovery.DEFAULTS,
    "speed-ups": speedups.DEFAULTS,
    "speaker_profiles": plugin_defaults("speaker_profiles"),
    "blog_sections": plugin_defaults("blog_sections"),
    "get_involved": plugin_defaults("get_involved"),
}


@pytest.mark.parametrize("area", SOURCES)
def test_every_setting_has_a_row_in_the_reference(area):
    defaults = SOURCES[area]
    assert defaults, area
    missing = sorted(set(defaults) - DOCUMENTED)
    assert not missing, f"{area}: not in docs/settings.md: {missing}"


def test_adopting_guide_names_only_real_settings():
    guide = (REPO / "docs" / "adopting.md").read_text(encoding="utf-8")
    known = set().union(*SOURCES.values()) | {
        "SITENAME", "SITEURL", "FEED_DOMAIN", "DEFAULT_LANG", "THEME", "PLUGINS",
        "THEME_TEMPLATES_OVERRIDES", "MENUITEMS", "SOCIAL",
    }
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", guide))
    assert named and not (named - known), sorted(named - known)


def test_the_leitf_settings_spell_out_every_speedup_at_its_default():
    """Issue 8: every speed-up is on in the LEITF site, where a maintainer can see and switch it off."""
    spec = importlib.util.spec_from_file_location("leitf_pelicanconf", REPO / "pelicanconf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    for key, default in speedups.DEFAULTS.items():
        assert hasattr(conf, key), f"pelicanconf.py does not list {key}"
        assert getattr(conf, key) == default, key


@pytest.mark.parametrize("makefile", ["Makefile", "src/leitf_site/scaffold/common/Makefile.tmpl"])
def test_the_devserver_keeps_the_content_cache_as_the_readme_says(makefile):
    """`make devserver` runs with Pelican's content cache, which incremental writing needs;
    `make html` does not (a full build)."""
    text = (REPO / makefile).read_text(encoding="utf-8")
    recipes = dict(re.findall(r"^(\w+):.*\n\t(.+)$", text, re.M))
    flags = re.search(r"^DEVSERVER_CACHE := (.+)$", text, re.M).group(1)
    assert "CACHE_CONTENT=true" in flags and "LOAD_CONTENT_CACHE=true" in flags
    assert "$(DEVSERVER_CACHE)" in recipes["devserver"]
    assert "CACHE" not in recipes["html"]
