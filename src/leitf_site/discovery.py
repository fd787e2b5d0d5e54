"""Discovery: sitemap.xml, robots.txt, link-preview helpers and the Pagefind search index.

A kit feature rather than a plugin: theme_support.register() wires it once, so any site that
loads one of the kit's plugins gets it. Everything here runs after Pelican has written the
site (``finalized``), in one handler, so the order is fixed: sitemap, robots.txt, search index.

The sitemap is written by the pelican-sitemap package's own generator, driven from here
instead of through its signals, because its defaults do not fit this kit: it needs an
absolute SITEURL (a preview build has only FEED_DOMAIN), it dates every listing and every
speaker profile with the build time (never the same twice), and it cannot tell a redirect
page from a real one.
"""

import logging
import re
import subprocess
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

from babel.core import get_global
from pelican import signals

from . import errors, speedups, theme_support

logger = logging.getLogger(__name__)

# Every discovery setting and its default; docs/settings.md ("Discovery") documents each one.
DEFAULTS = {
    "DISCOVERY_SITEMAP": True,
    "DISCOVERY_ROBOTS": True,
    "DISCOVERY_ROBOTS_DISALLOW": [],
    # Off unless a site asks: it runs the Pagefind binary and adds a script to the search page.
    "DISCOVERY_SEARCH": False,
    "DISCOVERY_SEARCH_LINKS": [],
    "DISCOVERY_NEWS_CATEGORIES": [],
    "DISCOVERY_TWITTER_SITE": "",
    # Pelican reads <NAME>_URL and <NAME>_SAVE_AS for the direct template "search".
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
}

# Pelican's content_written tells where each page went; these are kept until finalized.
_written = []
_context = {}


def register():
    signals.initialized.connect(apply_defaults)
    signals.generator_init.connect(add_template_helpers)
    signals.all_generators_finalized.connect(remember_context)
    signals.content_written.connect(remember_page)
    signals.finalized.connect(finish)


# --- settings -----------------------------------------------------------------


def apply_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    check(settings)
    if settings["DISCOVERY_SEARCH"] and "search" not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "search"]
    # Recomputed on every build: autoreload keeps the settings object between runs.
    settings["DISCOVERY"] = {
        "root": theme_support.public_root(settings),
        "search": bool(settings["DISCOVERY_SEARCH"]),
        "search_url": settings["SEARCH_URL"].lstrip("/"),
        "search_links": list(settings["DISCOVERY_SEARCH_LINKS"]),
        "news_categories": list(settings["DISCOVERY_NEWS_CATEGORIES"]),
        "twitter_site": settings["DISCOVERY_TWITTER_SITE"].strip(),
    }
    if settings["DISCOVERY_SITEMAP"]:
        _silence_sitemap_plugin()
    _reset()


def _silence_sitemap_plugin():
    """A site may also list "sitemap" in PLUGINS; its own handlers would then write sitemap.xml
    a second time (build-time dates, redirects included), in an order blinker does not fix."""
    try:
        from pelican.plugins.sitemap import sitemap as plugin
    except ImportError:
        return
    signals.get_generators.disconnect(plugin.generator.init)
    signals.content_written.disconnect(plugin.generator.queue_page)
    signals.finalized.disconnect(plugin.generator.finalize)


def check(settings):
    for key in ("DISCOVERY_SITEMAP", "DISCOVERY_ROBOTS", "DISCOVERY_SEARCH"):
        if not isinstance(settings[key], bool):
            raise errors.ContentError("pelicanconf", key, "must be True or False")
    for key in ("DISCOVERY_TWITTER_SITE", "SEARCH_URL", "SEARCH_SAVE_AS"):
        if not isinstance(settings[key], str):
            raise errors.ContentError("pelicanconf", key, "must be text")
    for key in ("DISCOVERY_ROBOTS_DISALLOW", "DISCOVERY_NEWS_CATEGORIES"):
        value = settings[key]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise errors.ContentError("pelicanconf", key, "must be a list of text")
    links = settings["DISCOVERY_SEARCH_LINKS"]
    if not isinstance(links, (list, tuple)) or not all(
        isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(p, str) for p in item)
        for item in links
    ):
        raise errors.ContentError("pelicanconf", "DISCOVERY_SEARCH_LINKS", 'must be a list of ("text", "url") pairs')
    for _text, url in links:
        if urlsplit(url.strip()).scheme.lower() not in ("", "http", "https"):
            raise errors.ContentError("pelicanconf", "DISCOVERY_SEARCH_LINKS", f"unsafe URL {url!r}")
    for path in settings["DISCOVERY_ROBOTS_DISALLOW"]:
        if not path.startswith("/") or any(c in path for c in "\r\n"):
            raise errors.ContentError(
                "pelicanconf", "DISCOVERY_ROBOTS_DISALLOW", f"{path!r} must be one path starting with /"
            )


def _reset():
    _written.clear()
    _context.clear()


# --- template helpers ---------------------------------------------------------


_PLACEHOLDERS = re.compile(r"^\{(static|attach|filename)\}")


def absolute_url(value, root):
    """A metadata path or URL (``images/a.png``, ``{static}/images/a.png``, ``https://...``) as an
    absolute URL, or "" when it cannot be one (no public root, or an unsafe scheme)."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    scheme = urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        return text
    if scheme or text.startswith("//") or not root:
        return ""
    return f"{root}/{_PLACEHOLDERS.sub('', text).lstrip('/')}"


def og_locale(lang):
    """``en`` -> ``en_US``: Open Graph wants language_TERRITORY; CLDR knows the likely territory."""
    lang = (lang or "").replace("-", "_")
    if not lang:
        return ""
    likely = get_global("likely_subtags").get(lang.split("_")[0].lower(), "")
    parts = lang.split("_")
    if len(parts) > 1 and len(parts[-1]) == 2:
        return f"{parts[0].lower()}_{parts[-1].upper()}"
    pieces = likely.split("_")
    territory = next((p for p in pieces[1:] if len(p) == 2 and p.isupper()), "")
    return f"{parts[0].lower()}_{territory}" if territory else parts[0].lower()


def add_template_helpers(generator):
    env = generator.env
    root = generator.settings.get("DISCOVERY", {}).get("root", "")
    env.globals["absolute_url"] = lambda value, root=root: absolute_url(value, root)
    env.filters.setdefault("og_locale", og_locale)


# --- remembering what was written ---------------------------------------------


def remember_context(generators):
    if generators:
        _context["context"] = generators[0].context


def remember_page(path, context):
    if path.endswith(".html"):
        _written.append((path, _SitemapSource.from_context(context)))


class _SitemapSource:
    """What the sitemap needs from one written page, taken while its context is at hand."""

    __slots__ = ("content", "speaker", "listed")

    def __init__(self, content=None, speaker=None, listed=()):
        self.content, self.speaker, self.listed = content, speaker, listed

    @classmethod
    def from_context(cls, context):
        content = context.get("article") or context.get("page")
        if content is not None and not isinstance(content, str):
            return cls(content=content)
        speaker = context.get("speaker")
        if speaker is not None:
            return cls(speaker=speaker)
        page = context.get("articles_page")
        listed = page.object_list if page is not None else (context.get("dates") or context.get("articles") or ())
        return cls(listed=tuple(listed))


def newest(items):
    dates = [d for d in (getattr(i, "modified", None) or getattr(i, "date", None) for i in items) if d]
    return max(dates, key=_sort_key) if dates else None


def _sort_key(date):
    return date.timestamp() if date.tzinfo else date.replace(tzinfo=None).timestamp()


# --- after the build --------------------------------------------------------------


def finish(pelican):
    settings = pelican.settings
    output = Path(pelican.output_path)
    context = _context.get("context", {})
    root = settings.get("DISCOVERY", {}).get("root", "")
    try:
        sitemap_written = False
        if settings.get("DISCOVERY_SITEMAP"):
            if root:
                write_sitemap(settings, output, root, list(_written), context)
                sitemap_written = True
            else:
                logger.info("discovery: no sitemap.xml: it needs an absolute SITEURL or FEED_DOMAIN")
        if settings.get("DISCOVERY_ROBOTS") and not provided_by_content(context, "robots.txt"):
            write_robots(output, settings["DISCOVERY_ROBOTS_DISALLOW"], root if sitemap_written else "")
        if settings.get("DISCOVERY_SEARCH"):
            build_search_index(output)
    finally:
        _reset()


def provided_by_content(context, save_as):
    return any(getattr(f, "save_as", None) == save_as for f in context.get("staticfiles", ()))


# --- sitemap ------------------------------------------------------------------


_CANONICAL = re.compile(r"<link\b[^>]*\brel=\"canonical\"[^>]*\bhref=\"([^\"]*)\"", re.I)
_CANONICAL_REVERSED = re.compile(r"<link\b[^>]*\bhref=\"([^\"]*)\"[^>]*\brel=\"canonical\"", re.I)
_REFRESH = re.compile(r"<meta\b[^>]*http-equiv=\"refresh\"", re.I)
_NOINDEX = re.compile(r"<meta\b[^>]*name=\"robots\"[^>]*content=\"[^\"]*noindex", re.I)
_VIRTUAL = "http://site.invalid"


def belongs_in_sitemap(path, output, root, rel=None):
    """A page belongs when it is its own canonical page: no redirect, no noindex, no canonical
    pointing elsewhere, and a canonical at all (the 404 and thank-you pages have none).

    ``rel`` is the path relative to ``output`` when the caller has it already."""
    head = read_head(path)
    if _REFRESH.search(head) or _NOINDEX.search(head):
        return False
    found = _CANONICAL.search(head) or _CANONICAL_REVERSED.search(head)
    if not found:
        return False
    if rel is None:
        rel = Path(path).relative_to(output).as_posix()
    here = f"{_VIRTUAL}/{rel}"
    href = found.group(1).replace("&amp;", "&")
    if root and href.startswith(root):
        href = _VIRTUAL + href[len(root):]
    return _clean(urljoin(here, href)) == _clean(here)


_HEAD_END = b"</head>"


def read_head(path, chunk=16384):
    """The page's text before its first ``</head>`` (all of it when there is none), as reading
    the whole file as text and splitting there gives, without reading the body.

    "</head>" is ASCII, which UTF-8 never uses inside a multi-byte character, so the first one
    in the bytes is the first one in the text, and decoding the bytes before it (with the same
    error handling, and the same newline translation as text mode) gives the same characters.
    """
    data = b""
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            # Look again only where the marker could newly begin: it may straddle two blocks.
            start = max(0, len(data) - len(_HEAD_END) + 1)
            data += block
            end = data.find(_HEAD_END, start)
            if end >= 0:
                data = data[:end]
                break
    text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _clean(url):
    url = url.split("#", 1)[0]
    return re.sub(r"(?:^|(?<=/))index\.html$", "", url)


def sitemap_entries(settings, output, root, written, context):
    """(path, object) pairs for pelican-sitemap; each object carries url and modified/date."""
    config = settings.get("SITEMAP") or {}
    speaker_freq = (config.get("changefreqs") or {}).get("pages")
    speaker_priority = (config.get("priorities") or {}).get("pages")
    everything = list(context.get("articles", ()))
    fallback = newest(everything + list(context.get("pages", ()))) or datetime(1970, 1, 1)
    # Profiles are matched by where they were written too, whatever variable their template got.
    profiles = {getattr(s, "save_as", None): s for s in context.get("speakers", ()) or ()}
    # The posts naming each person, gathered in one pass (not one pass per person).
    appears_in = {}
    for article in everything:
        for person in getattr(article, "speakers", ()) or ():
            appears_in.setdefault(id(person), []).append(article)
    # Each written file once (its first source). Reading every page's head is most of the
    # sitemap's time: forked workers share it when there are enough pages (SPEEDUP_PARALLEL_WRITE).
    firsts, seen = [], set()
    for path, source in written:
        if path not in seen:
            seen.add(path)
            firsts.append((path, source))

    def verdict(index):
        path = firsts[index][0]
        page = Path(path)
        if not page.is_file():
            return False, None
        try:
            rel = page.relative_to(output).as_posix()
        except ValueError:
            rel = None  # belongs_in_sitemap raises it where it always did, if it gets that far
        try:
            return belongs_in_sitemap(path, output, root, rel), rel
        except Exception as error:  # raised below, in order, as the serial loop would
            return error, rel

    verdicts = speedups.parallel_map(settings, verdict, range(len(firsts)), setting="SPEEDUP_PARALLEL_WRITE")
    entries = []
    for (path, source), (belongs, rel) in zip(firsts, verdicts):
        if isinstance(belongs, Exception):
            raise belongs
        if not belongs:
            continue
        page = Path(path)
        if rel is None:
            rel = page.relative_to(output).as_posix()
        if source.content is not None:
            entries.append((path, source.content))
            continue
        item = SimpleNamespace(url=rel)
        speaker = source.speaker if source.speaker is not None else profiles.get(rel)
        if speaker is not None:
            mentioned = appears_in.get(id(speaker), [])
            item.modified = newest([speaker]) or newest(mentioned) or fallback
            item.url = getattr(speaker, "url", None) or rel
            if speaker_freq:
                item.changefreq = speaker_freq
            if speaker_priority is not None:
                item.priority = speaker_priority
        else:
            item.modified = newest(source.listed) or fallback
        entries.append((path, item))
    return entries, fallback


def write_sitemap(settings, output, root, written, context):
    try:
        from pelican.plugins.sitemap.sitemap import SitemapGenerator
    except ImportError:
        raise errors.ContentError(
            "pelicanconf", "DISCOVERY_SITEMAP",
            "the pelican-sitemap package is missing; install the kit with its dependencies "
            "or set DISCOVERY_SITEMAP = False",
        ) from None

    entries, fallback = sitemap_entries(settings, output, root, written, context)
    # pelican-sitemap reads SITEURL and output_path from what it is given; hand it the public root.
    target = SimpleNamespace(settings={**settings, "SITEURL": root}, output_path=str(output))
    generator = SitemapGenerator()
    generator.now = fallback
    generator.init(target)
    for path, obj in entries:
        generator.queue_page(path, {"page": obj})
    generator.finalize(target)
    # pelican-sitemap 1.2 spells the translation links' attribute "ref"; the protocol says href.
    sitemap = output / "sitemap.xml"
    text = sitemap.read_text(encoding="utf-8")
    sitemap.write_text(_TRANSLATION_REF.sub(r"\1href=", text), encoding="utf-8")


_TRANSLATION_REF = re.compile(r'(<xhtml:link rel="alternate" hreflang="[^"]*" )ref=')


# --- robots.txt ---------------------------------------------------------------


def robots_txt(disallow, sitemap_root):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    if sitemap_root:
        lines += ["", f"Sitemap: {sitemap_root}/sitemap.xml"]
    return "\n".join(lines) + "\n"


def write_robots(output, disallow, sitemap_root):
    (output / "robots.txt").write_text(robots_txt(disallow, sitemap_root), encoding="utf-8")


# --- search -----------------------------------------------------------------------


def pagefind_executable():
    try:
        import pagefind_bin
    except ImportError:
        return None
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError:
        return None


def build_search_index(output):
    """Run the Pagefind binary that the pagefind[bin] package ships; nothing is downloaded."""
    executable = pagefind_executable()
    if executable is None:
        raise errors.ContentError(
            "pelicanconf", "DISCOVERY_SEARCH",
            "the Pagefind binary is missing; install the kit with its dependencies "
            "(pip install 'pagefind[bin]') or set DISCOVERY_SEARCH = False",
        )
    proc = subprocess.run(
        [str(executable), "--site", str(output), "--output-subdir", "pagefind", "--silent"],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
        reason = lines[-1].strip() if lines else f"exit code {proc.returncode}"
        raise errors.ContentError("pelicanconf", "DISCOVERY_SEARCH", f"Pagefind failed: {reason}")
