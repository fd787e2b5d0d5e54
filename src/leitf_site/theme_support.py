"""What the coalition theme needs from Pelican, wired once by whichever kit plugin loads first.

Pelican offers no hook for a theme itself, so each plugin's ``register()`` calls
``register()`` here; blinker ignores a receiver connected twice.
"""

import calendar
import hashlib
import io
import logging
import re
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from . import discovery, errors, speedups

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
    _remember_requested_plugins()
    errors.install_log_filter()
    signals.initialized.connect(apply_defaults)
    signals.generator_init.connect(prepare_environment)
    signals.content_object_init.connect(sanitize_content)
    signals.all_generators_finalized.connect(check_content)
    signals.finalized.connect(write_brand_css)
    signals.finalized.connect(save_kept_cleanings)
    signals.finalized.connect(fail_on_logged_errors)
    _ErrorCounter.install()
    # Kit-wide features that belong to no one plugin: sitemap/search/previews, and build speed-ups.
    discovery.register()
    speedups.register()
    # SPEEDUP_PARALLEL_SANITIZE: the read-ahead workers clean what they read; see sanitize_content.
    speedups.precompute_in_workers("clean_html", _clean_compactly, "SPEEDUP_PARALLEL_SANITIZE")


# --- settings -----------------------------------------------------------------


def apply_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    errors.configure(settings.get("PATH"), settings.get("STRICT_BUILD"))
    check_types(settings)
    _kept_cleanings.start(settings)
    check_plugins(pelican)
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


_requested_plugins = []


def _remember_requested_plugins():
    """Keep the PLUGINS list as written: Pelican replaces it with the plugins that loaded once
    they are all registered, and register() runs inside Pelican.init_plugins, before that."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "init_plugins":
            settings = getattr(frame.f_locals.get("self"), "settings", None) or {}
            _requested_plugins[:] = list(settings.get("PLUGINS") or [])
            return
        frame = frame.f_back


def check_plugins(pelican):
    """Pelican only logs a plugin it cannot import and builds on without it; stop instead."""
    loaded = {getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in pelican.plugins}
    requested, _requested_plugins[:] = list(_requested_plugins), []
    for entry in requested:
        name = entry if isinstance(entry, str) else getattr(entry, "__name__", str(entry))
        if name.rsplit(".", 1)[-1] not in loaded:
            raise errors.ContentError(
                "pelicanconf", "PLUGINS",
                f"cannot load plugin {name!r}; check its spelling and PLUGIN_PATHS "
                f"(loaded: {', '.join(sorted(loaded)) or 'none'})",
            )


_BOOLEANS = ("SITE_CSP", "STRICT_BUILD", "DISPLAY_PAGES_ON_MENU", "DISPLAY_CATEGORIES_ON_MENU")
LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
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
    for key in _BOOLEANS:
        if not isinstance(settings.get(key), bool):
            raise errors.ContentError("pelicanconf", key, f"must be True or False, got {settings.get(key)!r}")
    lang = settings.get("DEFAULT_LANG")
    if not isinstance(lang, str) or not LANG_CODE.match(lang):
        raise errors.ContentError("pelicanconf", "DEFAULT_LANG", f"{lang!r} is not a language code such as en or es-MX")
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


def translations_for(theme, lang):
    key = (theme, lang)
    if key not in _translation_cache:
        _translation_cache[key] = load_translations(theme, lang)
    return _translation_cache[key]


def page_lang(context, default):
    """The language of the page being rendered: its article's, page's or profile's, else the site's.

    A Spanish translation on an English site then gets a Spanish interface, not just Spanish text.
    """
    # context.get(name), spelled out: filters and _() ask this on every call.
    local, parent = context.vars, context.parent
    for name in ("article", "page", "speaker"):
        item = local[name] if name in local else parent.get(name)
        if item is None:
            continue
        lang = getattr(item, "lang", None)
        if isinstance(lang, str) and lang:
            return lang
    return default


def prepare_environment(generator):
    settings = generator.settings
    default_lang = settings.get("DEFAULT_LANG", "en")
    theme = settings["THEME"]
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")

    @pass_context
    def gettext(context, message):
        return translations_for(theme, page_lang(context, default_lang)).gettext(message)

    @pass_context
    def ngettext(context, singular, plural, number):
        return translations_for(theme, page_lang(context, default_lang)).ngettext(singular, plural, number)

    # SPEEDUP_DATE_CACHE: listings show the same dates on every page; format each (date, language) once.
    date_format = format_long_date
    if settings.get("SPEEDUP_DATE_CACHE", True):
        date_format = speedups.remembering_date_filter(format_long_date)

    @pass_context
    def long_date(context, value):
        return date_format(value, page_lang(context, default_lang))

    @pass_context
    def period_label(context, period):
        return format_period(period, page_lang(context, default_lang))

    @pass_context
    def file_size(context, size):
        return format_file_size(size, page_lang(context, default_lang))

    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    # Jinja's newstyle _() goes through three context calls (alias, wrapper, ours) per string;
    # one function does the same work. SPEEDUP_RENDER_CACHE also keeps each finished string.
    remember = bool(settings.get("SPEEDUP_RENDER_CACHE", True))
    direct_gettext = newstyle_gettext(theme, default_lang, remember)
    env.globals["_"] = env.globals["gettext"] = direct_gettext
    env.globals["ngettext"] = newstyle_ngettext(theme, default_lang)
    if remember and not hasattr(env.filters.get("striptags"), "cache"):
        env.filters["striptags"] = speedups.remembering_striptags(env.filters["striptags"])
    # Pelican's environment has no autoescape; the theme relies on it for metadata.
    env.autoescape = True
    env.filters["long_date"] = long_date
    env.filters["period_label"] = period_label
    env.filters["file_size"] = file_size
    env.filters.setdefault("iso_date", lambda d: d.isoformat() if d else "")
    env.globals.setdefault("link", lambda url, siteurl="": site_link(url, siteurl))
    env.globals.setdefault("is_safe_url", is_safe_url)
    env.globals.setdefault("menu_links", menu_links)
    # Canonical and hreflang links must be absolute, even in a preview built with RELATIVE_URLS.
    root = public_root(settings)
    env.globals.setdefault("public_url", lambda path="": public_url(root, path))


def newstyle_gettext(theme, default_lang, remember=True):
    """``_()`` / ``gettext()`` for the theme's templates, in the page's language.

    Gives exactly what Jinja's newstyle gettext gives: the translation, as Markup when
    autoescaping, formatted with ``%`` (always, so "%%" is "%"). With ``remember`` (the
    SPEEDUP_RENDER_CACHE setting), a string without variables is translated and formatted
    once per (language, autoescape) for the environment; every page asks for the same ones.
    """
    memo = {}

    @pass_context
    def gettext(context, string, **variables):
        lang = page_lang(context, default_lang)
        autoescape = context.eval_ctx.autoescape
        if remember and not variables:
            key = (lang, autoescape, string)
            try:
                return memo[key]
            except KeyError:
                pass
            except TypeError:  # an unhashable argument: translate it every time
                key = None
        else:
            key = None
        rv = translations_for(theme, lang).gettext(string)
        if autoescape:
            rv = Markup(rv)
        rv = rv % variables
        if key is not None:
            memo[key] = rv
        return rv

    return gettext


def newstyle_ngettext(theme, default_lang):
    """``ngettext()`` as Jinja's newstyle one, with the page's language in one call."""

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        rv = translations_for(theme, page_lang(context, default_lang)).ngettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return ngettext


def format_long_date(value, lang):
    if not value:
        return ""
    try:
        return format_date(value, format="long", locale=lang)
    except Exception:  # an unknown locale falls back to English rather than failing a page
        return format_date(value, format="long", locale="en")


def format_file_size(size, lang):
    """Bytes as a reader sees them, in the page's language: "812 bytes", "1.8 kB" / "1,8 kB".

    Decimal units, as file managers on macOS and GNOME show them; the unit symbols are the
    same in every language the theme ships.
    """
    if not isinstance(size, int) or size < 0:
        return ""
    if size < 1000:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            number = round(value, 1) if value < 100 else round(value)
            try:
                text = format_decimal(number, format="0.#", locale=lang)
            except Exception:  # an unknown locale falls back to English rather than failing a page
                text = format_decimal(number, format="0.#", locale="en")
            return f"{text} {unit}"


def format_period(period, lang):
    """Name a period archive in the site's language: "2023", "diciembre de 2023", "5 de diciembre de 2023".

    Pelican passes (year,), (year, month name) or (year, month name, day), with the month
    named by the C locale; babel gives the localized form.
    """
    period = list(period)
    if len(period) < 2:
        return str(period[0]) if period else ""
    month = period[1] if isinstance(period[1], int) else list(calendar.month_name).index(period[1])
    day = date(int(period[0]), month, int(period[2]) if len(period) > 2 else 1)
    if len(period) > 2:
        return format_long_date(day, lang)
    try:
        return format_skeleton("yMMMM", day, locale=lang)
    except Exception:  # an unknown locale falls back to English rather than failing a page
        return format_skeleton("yMMMM", day, locale="en")


def _url_as_browser_reads(url):
    # Browsers drop leading and trailing C0 controls and spaces, and tabs and newlines anywhere.
    return re.sub(r"[\t\n\r]", "", url).strip("".join(chr(c) for c in range(0x21)))


def is_safe_url(url):
    if not isinstance(url, str):
        return False
    scheme = urlsplit(_url_as_browser_reads(url)).scheme.lower()
    return scheme in SAFE_SCHEMES


def public_root(settings, keys=("SITEURL", "FEED_DOMAIN")):
    """The site's public address: the first of ``keys`` (SITEURL, else FEED_DOMAIN) that is an
    absolute http(s) URL, without its trailing slash; "" when none is (address unknown).

    The one place every plugin and template gets absolute URLs from.
    """
    for key in keys:
        value = settings.get(key) or ""
        if isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
            return value.rstrip("/")
    return ""


def public_url(root, path=""):
    """An absolute URL for a site path, or "" when the site's address is unknown."""
    if not root or not isinstance(path, str):
        return ""
    return f"{root}/{path.lstrip('/')}"


def site_link(url, siteurl=""):
    """Resolve a menu or settings URL: absolute stays, site paths get SITEURL, unsafe schemes vanish."""
    if not is_safe_url(url):
        return ""
    url = _url_as_browser_reads(url)
    if urlsplit(url).scheme or url.startswith("#") or url.startswith("//"):
        return url
    return f"{siteurl}/{url.lstrip('/')}"


def menu_links(menuitems, pages, categories, siteurl, output_file):
    """The main menu as (title, url, current) triples: MENUITEMS through site_link, then each
    page and each category (callers pass [] for the ones the menu leaves out). ``current`` marks
    the entry that leads to ``output_file``, except on the home page. A dropped unsafe URL is ""
    (the theme skips it). The menu is on every page, so it is one call instead of a dozen
    template expressions per entry.
    """
    menu = [(title, site_link(url, siteurl)) for title, url in menuitems]
    menu += [(p.title, f"{siteurl}/{p.url}") for p in pages]
    menu += [(cat.name, f"{siteurl}/{cat.url}") for cat, _articles in categories]
    here = str(output_file)
    suffix = "/" + here.replace("index.html", "").rstrip("/")
    home = here == "index.html"
    return [(title, url, bool(url) and not home and url.rstrip("/").endswith(suffix)) for title, url in menu]


# --- rendered content ------------------------------------------------------------------

# Cheap test first: most pages hold none of these, and are then left byte-for-byte alone.
# A numeric reference can spell a script URL or a handler in an attribute; the two Markdown's
# footnotes write in every post that has one (a no-break space, the "↩" back link) cannot
# spell anything a browser would run (neither is a letter or a character it drops from a URL),
# so they alone do not send a post through BeautifulSoup.
_SUSPECT = re.compile(r"<\s*(?:script|iframe|object|embed|base|meta)|\son[a-z]+\s*=|script\s*:|data\s*:|style\s*=|"
                      r"&#(?!160;|8617;)|&colon;", re.IGNORECASE)
_DROP_ELEMENTS = ("script", "object", "embed", "base", "meta")
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite",
              "background", "ping", "srcset")
_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|right|center)\s*;?\s*$", re.IGNORECASE)


def clean_html(html):
    """Remove what the theme's Content-Security-Policy would block, and every script URL.

    Returns (html, [what was removed]); the html is unchanged when nothing had to go.
    Markdown table alignment (style="text-align: ...") becomes a class the stylesheet knows.
    """
    if not html or not _SUSPECT.search(html):
        return html, []
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    removed, restyled = [], False
    for element in soup.find_all(_DROP_ELEMENTS):
        removed.append(f"a <{element.name}> element")
        element.decompose()
    for element in soup.find_all(True):
        for attr in list(element.attrs):
            value = element.attrs[attr]
            text = " ".join(value) if isinstance(value, list) else str(value)
            name = attr.lower()
            if name.startswith("on"):
                removed.append(f"an {name} attribute")
                del element.attrs[attr]
            elif name == "style":
                align = _ALIGN.match(text)
                del element.attrs[attr]
                if align:
                    element["class"] = [*element.get("class", []), f"align-{align.group(1).lower()}"]
                    restyled = True
                else:
                    removed.append("a style attribute")
            elif name in _URL_ATTRS:
                urls = [part.strip().split(" ")[0] for part in text.split(",")] if name == "srcset" else [text]
                image_data = element.name == "img" and name == "src" and text.strip().lower().startswith("data:image/")
                if not image_data and not all(is_safe_url(u) for u in urls):
                    removed.append(f"a {name}={_url_as_browser_reads(text)[:40]!r}")
                    del element.attrs[attr]
    if not removed and not restyled:
        # Re-serialising would change bytes for nothing (and decode Markdown's entity-spelled
        # email addresses), so safe markup stays exactly as Markdown wrote it.
        return html, []
    return str(soup), removed


def _clean_compactly(html):
    """clean_html's answer as a worker sends it back: None for "unchanged", not the text again."""
    cleaned, removed = clean_html(html)
    return (None if cleaned is html else cleaned), removed


def _cleaned(html):
    """clean_html(html), taken from the read-ahead workers or the last build when either
    already cleaned this very text."""
    found = speedups.precomputed("clean_html", html)
    kept = _kept_cleanings
    if kept.on:
        key = kept.key(html)
        if found is None:
            found = kept.get(key)
        if found is None:
            with _noting_warnings() as warned:
                found = _clean_compactly(html)
            if not warned:  # an answer that warned must warn again next time: not kept
                kept.put(key, found)
        else:
            kept.put(key, found)  # a worker's answer (it neither warned nor logged) or a kept one
    if found is None:
        return clean_html(html)
    cleaned, removed = found
    return (html if cleaned is None else cleaned), list(removed)


class _noting_warnings:
    """Notes whether Python code called warnings.warn inside the block, without changing what
    the warning does (catch_warnings would reset which warnings were already shown)."""

    def __enter__(self):
        import warnings

        self._original = original = warnings.warn
        self.called = False

        def warn(message, category=None, stacklevel=1, source=None, **kwargs):
            self.called = True
            return original(message, category, stacklevel + 1, source, **kwargs)

        warnings.warn = warn
        return self

    def __exit__(self, *exc):
        import warnings

        warnings.warn = self._original
        return False

    def __bool__(self):
        return self.called


class _KeptCleanings:
    """clean_html's answers from the last build (SPEEDUP_SANITIZE_CACHE), beside Pelican's
    content cache: on a cached build Pelican builds every post again from its cached HTML, and
    the theme would parse that HTML again. Keyed by a digest of the exact text, salted with
    this module's source, the BeautifulSoup and Python versions and the warning filters, so a
    hit is what clean_html would return.
    """

    FILE = "leitf_site-cleaned.pickle"

    def __init__(self):
        self.on, self.write, self.entries, self.fresh, self.settings, self.salt = False, False, {}, {}, {}, b""

    def start(self, settings):
        self.entries, self.fresh = {}, {}
        self.on = bool(settings.get("SPEEDUP_SANITIZE_CACHE", True)) and bool(
            settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE"))
        if not self.on:
            return
        self.settings = settings
        self.write = bool(settings.get("CACHE_CONTENT"))
        self.salt = _cleaning_salt()
        self.entries = speedups.load_kept(settings, self.FILE, self.salt)

    def key(self, html):
        # A digest of a post costs less than clean_html's own first test of it.
        return hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=20,
                               key=self.salt[:64]).digest()

    def get(self, key):
        found = self.entries.get(key)
        if found is not None:
            speedups.STATS["kept_cleanings_used"] += 1
        return found

    def put(self, key, answer):
        if self.write:  # kept only to be saved: the answers this build used or made
            self.fresh[key] = answer

    def save(self):
        if self.on:
            speedups.save_kept(self.settings, self.FILE, self.salt, self.fresh)
        self.on, self.entries, self.fresh = False, {}, {}


def _cleaning_salt():
    import warnings

    import bs4

    filters = [(f[0], getattr(f[1], "pattern", f[1]), getattr(f[2], "__qualname__", f[2]),
                getattr(f[3], "pattern", f[3]), f[4]) for f in warnings.filters]
    parts = (Path(__file__).read_bytes(), bs4.__version__, sys.version, repr(filters))
    return hashlib.sha512(repr(parts).encode("utf-8", "surrogatepass")).digest()


_kept_cleanings = _KeptCleanings()


def save_kept_cleanings(pelican):
    _kept_cleanings.save()


def sanitize_content(content):
    """content_object_init: clean the rendered body and summary of every post, page or profile."""
    path = None  # worked out only for a warning
    for attr, field in (("_content", "content"), ("_summary", "summary")):
        html = getattr(content, attr, None)
        if not isinstance(html, str):
            continue
        cleaned, removed = _cleaned(html)
        if cleaned is not html:
            setattr(content, attr, cleaned)
        # A summary is metadata: the theme shows it as text, so its markup needs no warning.
        for what in dict.fromkeys(removed if field == "content" else []):
            if path is None:
                path = errors.relative_path(getattr(content, "source_path", "") or "")
            logger.warning("%s: %s: removed %s (scripts, handlers and inline styles "
                           "never run under the site's Content-Security-Policy)", path, field, what)


# --- content checks ------------------------------------------------------------------

_CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                  "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")


def all_content(generators):
    """Every post, page and profile once, by source path, each with its save_as.

    save_as is worked out from the metadata and URL settings on every ask (Pelican keeps no
    answer before the writer exists), so it is asked once per item here.
    """
    seen, items = set(), []
    for generator in generators:
        for attr in _CONTENT_LISTS:
            for item in getattr(generator, attr, None) or []:
                if id(item) in seen or not hasattr(item, "source_path"):
                    continue
                try:
                    save_as = item.save_as
                except AttributeError:
                    continue
                seen.add(id(item))
                items.append((item, save_as))
    return sorted(items, key=lambda pair: pair[0].source_path or "")


def _templates(generators):
    for generator in generators:
        env = getattr(generator, "env", None)
        if env is not None:
            try:
                return set(env.list_templates())
            except TypeError:  # a loader that cannot list its templates: skip the check
                return None
    return None


def check_content(generators):
    """Catch, before anything is written, mistakes Pelican reports with a traceback or not at all."""
    settings = generators[0].settings if generators else {}
    templates = _templates(generators)
    extensions = settings.get("TEMPLATE_EXTENSIONS", [".html"])
    writes = {}
    for item, save_as in all_content(generators):
        path = errors.relative_path(item.source_path)
        lang = getattr(item, "lang", None)
        if lang is not None and not (isinstance(lang, str) and LANG_CODE.match(lang)):
            raise errors.ContentError(path, "lang", f"{lang!r} is not a language code such as en or es-MX")
        name = item.metadata.get("template")
        if templates is not None and name and not any(f"{name}{ext}" in templates for ext in extensions):
            raise errors.ContentError(
                path, "template", f"no template {name!r} in the theme; remove the Template line or add {name}.html")
        if save_as and save_as in writes:
            first = writes[save_as]
            raise errors.ContentError(
                path, "slug",
                f"{getattr(item, 'slug', '')!r} would write {save_as}, as {first} does; "
                "give one of them another Slug (or a Lang if it is a translation)",
            )
        if save_as:
            writes[save_as] = path


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
