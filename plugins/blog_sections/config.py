"""Apply and check the blog_sections settings before any content is read."""

import difflib

from pelican.settings import DEFAULT_CONFIG

from leitf_site.errors import ContentError

from .settings import DEFAULTS, FEED_FOLDERS

CONF = "pelicanconf"


def apply(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    check_known_names(settings)
    for key, (pelican_default, kit_default) in FEED_FOLDERS.items():
        if settings.get(key) == pelican_default == DEFAULT_CONFIG.get(key):
            settings[key] = kit_default
    check(settings)
    # Category files describe categories; they are neither posts nor pages.
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        excludes = list(settings.get(key, []))
        for path in settings["SECTION_CATEGORY_PATHS"]:
            if path not in excludes:
                excludes.append(path)
        settings[key] = excludes


def check_known_names(settings):
    """A misspelt SECTION_ setting would otherwise be ignored without a word."""
    known = [k for k in DEFAULTS if k.startswith("SECTION_")]
    for key in settings:
        if key.startswith("SECTION_") and key not in known:
            hint = difflib.get_close_matches(key, known, n=1)
            extra = f"; did you mean {hint[0]}?" if hint else f"; known: {', '.join(known)}"
            raise ContentError(CONF, key, "is not a blog_sections setting" + extra)


def check(settings):
    paths = settings["SECTION_CATEGORY_PATHS"]
    if not isinstance(paths, (list, tuple)) or not all(isinstance(p, str) and p for p in paths):
        raise ContentError(CONF, "SECTION_CATEGORY_PATHS", "must be a list of folder names under PATH")
    for key in ("SECTION_HUB_URL",):
        if not isinstance(settings[key], str):
            raise ContentError(CONF, key, "must be text (a site path such as 'news-and-resources/')")
        if "://" in settings[key] or settings[key].startswith("//"):
            raise ContentError(CONF, key, "must be a path on this site, not a full URL")
    for key in ("SECTION_HUB_SAVE_AS", "SECTION_HUB_TITLE"):
        if settings[key] is not None and not isinstance(settings[key], str):
            raise ContentError(CONF, key, "must be text or None")
    count = settings["SECTION_HUB_COUNT"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ContentError(CONF, "SECTION_HUB_COUNT", f"must be a whole number of 1 or more, got {count!r}")
    wanted = settings["SECTION_HUB_CATEGORIES"]
    if wanted is not None and (not isinstance(wanted, (list, tuple))
                               or not all(isinstance(s, str) for s in wanted)):
        raise ContentError(CONF, "SECTION_HUB_CATEGORIES", "must be a list of category slugs or None")
    for key in ("FEED_ALL_JSON", "CATEGORY_FEED_JSON"):
        value = settings[key]
        if value is not None and not isinstance(value, str):
            raise ContentError(CONF, key, "must be a path such as 'feeds/all.json', or None")
    value = settings["CATEGORY_FEED_JSON"]
    if value and "{slug}" not in value:
        raise ContentError(CONF, "CATEGORY_FEED_JSON", "must contain {slug}, or every category "
                           "would write the same file")
