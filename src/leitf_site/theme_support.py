"""What the coalition theme needs from Pelican, wired once by whichever kit plugin loads first.

Pelican offers no hook for a theme itself, so each plugin's ``register()`` calls
``register()`` here; blinker ignores a receiver connected twice.
"""

import io
import logging
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from pelican import signals

from . import errors, speedups

logger = logging.getLogger(__name__)

# Every theme setting and its default; docs/settings.md documents each one.
DEFAULTS = {
    "SITENAME": "Our Coalition",
    "SITE_SHORT_NAME": "",
    "SITE_TAGLINE": "",
    "SITE_DESCRIPTION": "",
    "SITE_LOGO": "",
    "SITE_LOGO_ALT": "",
    "SITE_FAVICON": "",
    "SITE_IMAGE": "",
    "SITE_COLORS": {},
    "SITE_FOOTER_TEXT": "",
    "SITE_LEGAL_LINKS": [],
    "SITE_CSP": True,
    "STRICT_BUILD": True,
    "MENUITEMS": [],
    "SOCIAL": [],
    "DISPLAY_PAGES_ON_MENU": False,
    "DISPLAY_CATEGORIES_ON_MENU": False,
}

# Light and dark palettes; SITE_COLORS overrides any key, per scheme.
DEFAULT_COLORS = {
    "brand": "#1d3557",
    "brand_text": "#ffffff",
    "accent": "#9a3412",
    "text": "#1f2328",
    "background": "#ffffff",
    "muted": "#57606a",
    "link": "#1d4ed8",
    "surface": "#f3f4f6",
    "dark_text": "#e6edf3",
    "dark_background": "#0d1117",
    "dark_muted": "#9da7b3",
    "dark_link": "#8ab4f8",
    "dark_surface": "#161b22",
}

# Foreground/background pairs that carry text, and the minimum WCAG AA ratio for each.
CONTRAST_PAIRS = [
    ("text", "background", 4.5),
    ("muted", "background", 4.5),
    ("link", "background", 4.5),
    ("brand_text", "brand", 4.5),
    ("accent", "background", 4.5),
    ("text", "surface", 4.5),
    ("link", "surface", 4.5),
    ("dark_text", "dark_background", 4.5),
    ("dark_muted", "dark_background", 4.5),
    ("dark_link", "dark_background", 4.5),
    ("dark_text", "dark_surface", 4.5),
    ("dark_link", "dark_surface", 4.5),
]

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def register():
    errors.install_log_filter()
    signals.initialized.connect(apply_defaults)
    signals.generator_init.connect(prepare_environment)
    signals.finalized.connect(write_brand_css)
    signals.finalized.connect(fail_on_logged_errors)
    _ErrorCounter.install()
    # Build speed-ups (issue 8) hook in here, once, when leitf_site.speedups exists.
    speedups.register()


# --- settings -----------------------------------------------------------------


def apply_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    check_types(settings)
    # Every site needs a not-found page; the theme renders one as a direct template.
    if "404" not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "404"]
    settings["SITE_PALETTE"] = palette(settings["SITE_COLORS"])
    for fg, bg, ratio, needed in failing_contrast(settings["SITE_PALETTE"]):
        logger.warning(
            "pelicanconf: SITE_COLORS: %s on %s has contrast %.2f:1, below WCAG AA %.1f:1",
            fg, bg, ratio, needed,
        )
    _ErrorCounter.reset()


_LIST_OF_PAIRS = ("MENUITEMS", "SOCIAL", "SITE_LEGAL_LINKS")
_STRINGS = ("SITENAME", "SITE_SHORT_NAME", "SITE_TAGLINE", "SITE_DESCRIPTION", "SITE_LOGO",
            "SITE_LOGO_ALT", "SITE_FAVICON", "SITE_IMAGE", "SITE_FOOTER_TEXT")


def check_types(settings):
    """Reject a theme setting of the wrong shape with one line, before any template runs."""
    for key in _STRINGS:
        if not isinstance(settings.get(key), str):
            raise errors.ContentError("pelicanconf", key, f"must be text, got {type(settings.get(key)).__name__}")
    for key in _LIST_OF_PAIRS:
        value = settings.get(key)
        if not isinstance(value, (list, tuple)) or not all(
            isinstance(item, (list, tuple)) and len(item) >= 2
            and all(isinstance(part, str) for part in item[:2])
            for item in value
        ):
            raise errors.ContentError(
                "pelicanconf", key, 'must be a list of ("text", "url") pairs'
            )
    if not isinstance(settings.get("SITE_COLORS"), dict):
        raise errors.ContentError("pelicanconf", "SITE_COLORS", "must be a dict of name -> #rrggbb")
    for name, value in settings["SITE_COLORS"].items():
        if name not in DEFAULT_COLORS:
            raise errors.ContentError(
                "pelicanconf", "SITE_COLORS",
                f"unknown colour {name!r}; known: {', '.join(DEFAULT_COLORS)}",
            )
        if not isinstance(value, str) or not HEX_COLOR.match(value):
            raise errors.ContentError(
                "pelicanconf", "SITE_COLORS", f"{name} must be a #rgb or #rrggbb colour, got {value!r}"
            )


def palette(overrides):
    colors = dict(DEFAULT_COLORS)
    colors.update(overrides)
    return {k: _expand_hex(v) for k, v in colors.items()}


def _expand_hex(value):
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def relative_luminance(hex_color):
    channels = []
    for i in (1, 3, 5):
        c = int(hex_color[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg, bg):
    a, b = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def failing_contrast(colors):
    result = []
    for fg, bg, needed in CONTRAST_PAIRS:
        ratio = contrast_ratio(colors[fg], colors[bg])
        if ratio < needed:
            result.append((fg, bg, ratio, needed))
    return result


def brand_css(colors):
    light = "\n".join(
        f"  --{k.replace('_', '-')}: {v};" for k, v in colors.items() if not k.startswith("dark_")
    )
    dark = "\n".join(
        f"    --{k[5:].replace('_', '-')}: {v};" for k, v in colors.items() if k.startswith("dark_")
    )
    return (
        "/* Written by the coalition theme from SITE_COLORS. */\n"
        f":root {{\n{light}\n}}\n"
        f"@media (prefers-color-scheme: dark) {{\n  :root {{\n{dark}\n  }}\n}}\n"
    )


def write_brand_css(pelican):
    target = Path(pelican.output_path) / pelican.settings.get("THEME_STATIC_DIR", "theme") / "css" / "brand.css"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(brand_css(pelican.settings["SITE_PALETTE"]), encoding="utf-8")


# --- Jinja environment ------------------------------------------------------------


def load_translations(theme, lang):
    """Read the theme's Babel catalog for ``lang`` straight from its .po file.

    Compiling in memory keeps one source of truth in the repository (no committed .mo).
    """
    po_path = Path(theme) / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


_translation_cache = {}


def prepare_environment(generator):
    settings = generator.settings
    lang = settings.get("DEFAULT_LANG", "en")
    key = (settings["THEME"], lang)
    if key not in _translation_cache:
        _translation_cache[key] = load_translations(*key)
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(_translation_cache[key], newstyle=True)
    # Pelican's environment has no autoescape; the theme relies on it for metadata.
    env.autoescape = True
    env.filters.setdefault("long_date", lambda d, lang=lang: format_long_date(d, lang))
    env.filters.setdefault("iso_date", lambda d: d.isoformat() if d else "")
    env.globals.setdefault("link", lambda url, siteurl="": site_link(url, siteurl))
    env.globals.setdefault("is_safe_url", is_safe_url)


def format_long_date(value, lang):
    if not value:
        return ""
    try:
        return format_date(value, format="long", locale=lang)
    except Exception:  # an unknown locale falls back to English rather than failing a page
        return format_date(value, format="long", locale="en")


def is_safe_url(url):
    if not isinstance(url, str):
        return False
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES


def site_link(url, siteurl=""):
    """Resolve a menu or settings URL: absolute stays, site paths get SITEURL, unsafe schemes vanish."""
    if not is_safe_url(url):
        return ""
    url = url.strip()
    if urlsplit(url).scheme or url.startswith("#") or url.startswith("//"):
        return url
    return f"{siteurl}/{url.lstrip('/')}"


# --- strict builds ------------------------------------------------------------------


class _ErrorCounter(logging.Handler):
    """Counts errors that Pelican logs and then carries on from (a file it could not read)."""

    count = 0
    first = ""

    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record):
        if record.name.startswith(("pelican", "leitf_site")) and record.levelno < logging.CRITICAL:
            if not _ErrorCounter.count:
                _ErrorCounter.first = record.getMessage()
            _ErrorCounter.count += 1

    _instance = None

    @classmethod
    def install(cls):
        if cls._instance is None:
            cls._instance = cls()
            logging.getLogger().addHandler(cls._instance)

    @classmethod
    def reset(cls):
        cls.count, cls.first = 0, ""


def fail_on_logged_errors(pelican):
    if pelican.settings.get("STRICT_BUILD") and _ErrorCounter.count:
        count = _ErrorCounter.count
        first = _ErrorCounter.first
        _ErrorCounter.reset()
        raise errors.ContentError(
            "", "", f"{count} error(s) during the build; the first: {first}"
        )
