"""Build speed-ups that leave every output byte unchanged (issue 8).

Each one is an opt-out setting, on by default (docs/settings.md, "Speed-ups"):

SPEEDUP_MARKDOWN_REUSE
    Pelican's Markdown reader builds a new ``markdown.Markdown`` for every file, and building
    one (loading every extension) costs about as much as converting a short post. This
    reader keeps one instance per reader and calls ``reset()`` between files, which is what
    Python-Markdown documents for converting many documents.

SPEEDUP_PARALLEL_READ
    Converting Markdown is most of a cold build. Before the articles (or pages) generator
    reads its first file, worker processes forked from the build convert every file that
    the generator is about to read, and their results go into the Readers' own file cache
    (the one ``CONTENT_CACHING_LAYER = "reader"`` uses), each one when ``read_file`` asks
    for it (_Stream), so the build process's own work on a post overlaps the workers'
    conversion of the next. Pelican runs ``read_file`` as usual: every signal
    (``*_preread``, ``*_context``, ``content_object_init``) still fires in the build
    process, in the same order, so plugins see nothing different. Only
    ``reader.read()`` - pure Markdown conversion and metadata parsing - runs in a worker,
    and only for Pelican's own Markdown reader (or ours); any other reader reads serially.
    A file that fails in a worker is simply read again in the build process, which then
    reports the error exactly as Pelican would. speaker_profiles reads its speaker files the
    same way (read_ahead_files). What a worker logged while converting a file is logged when
    the generator reads that file.

SPEEDUP_PARALLEL_SANITIZE
    The theme cleans every post's rendered HTML (``content_object_init``), parsing it with
    BeautifulSoup when a cheap test finds anything suspect (aligned table cells, numeric
    character references other than the two Markdown's footnotes write). The read-ahead
    workers (SPEEDUP_PARALLEL_READ) also run that pure function on the text they converted;
    the build process then finds the answer by the exact text and only logs what was
    removed, at the same moment and in the same order as before. Text that changed on its
    way (another plugin, typogrify) is cleaned in the build process as without the speed-up.

SPEEDUP_SANITIZE_CACHE
    With Pelican's content cache on, Pelican builds every post again from its cached HTML on
    each build, and the theme would clean that HTML again. Its answers are kept beside the
    content cache, keyed by the exact text (theme_support._KeptCleanings).

SPEEDUP_PARALLEL_WRITE
    Forked workers render the articles generator's pages; see speedups_write.py.

SPEEDUP_TEMPLATE_CACHE
    Jinja checks every template file's modification time each time a template is included
    (``auto_reload``); the theme includes partials for every post in every listing. A build
    never edits its templates mid-run, and Pelican makes a fresh environment for every
    (re)build, so the check is turned off. For the same reason a template that was not
    found (an optional partial, ``{% include ... ignore missing %}``) is remembered as
    missing instead of being searched for on every page.

SPEEDUP_URL_CACHE
    A post's ``url`` and ``save_as`` are recomputed from its metadata and the URL settings
    every time a template asks (copying the metadata and resolving the source path each
    time), and listings ask for every post on every page; a category's, tag's or author's
    ``url`` formats its setting on every access. Once every generator has built its
    context and ``all_generators_finalized`` has run (Pelican then asks for a writer), each
    answer is kept until the build ends.

SPEEDUP_INCREMENTAL_WRITE
    With Pelican's content cache on, a page whose inputs have not changed since the last
    build is not rendered again; see speedups_incremental.py.

SPEEDUP_FAST_CACHE_GZIP
    With ``GZIP_CACHE`` (Pelican's default) the content cache is written with gzip's slowest,
    tightest level at the end of every build, which costs a devserver rebuild more than
    reading the cache did. It is written at level 1 instead; gzip reads either.

SPEEDUP_DATE_CACHE
    The theme's ``long_date`` filter formats dates with Babel, and every listing page
    formats the same post dates again; each (date, language) result is computed once per
    environment (theme_support applies ``remembering_date_filter``).

SPEEDUP_DATE_PARSE
    Pelican reads every date (``Date:``, ``Modified:``, the date in a file name) with
    dateutil's general parser, which costs tens of microseconds each: twice per post. A date
    written the ISO way (``2024-03-05``, ``2024-03-05 14:30``, ``2024-03-05T14:30:00``, no
    zone) is read directly into the same SafeDatetime; any other string goes to Pelican's
    ``get_date`` as before.

SPEEDUP_GC_FREEZE
    Python's cyclic garbage collector now and then walks every object the process holds. A
    forked worker holds all of the build's posts, so each of its full collections walks them
    all, for nothing: they are the build process's, and live on there. Just before forking
    workers, the build's objects are frozen (``gc.freeze``) and thawed again once the workers
    exist, so workers only ever collect what they made themselves. When the build ends
    (``finalized``), its objects are frozen again, which spares the interpreter's last
    collection at exit; the next build in the same process (the devserver, tests) thaws them
    at ``initialized``.

SPEEDUP_RENDER_CACHE
    Every page asks the theme's helpers the same questions: the same interface strings in
    the same language ("Skip to main content", "All posts"), and strip the tags from the
    same summaries and titles (a post is listed on several pages). theme_support keeps each
    answer for the environment (one build of one generator) instead of computing it again
    on every page.

SPEEDUP_LISTING_SETS
    Pelican writes each tag and category page with ``dates = [a for a in self.dates if a in
    articles]``: every dated post tested against a plain list of the tag's posts, so a site
    with many posts and tags spends quadratic time there, in the build process and again in
    every writer worker. Once every generator is done (``all_generators_finalized``) each
    tag's and category's post list becomes a list that answers ``in`` from a set of its
    items' identities (MembershipList); the lists hold the same posts in the same order.

Not a setting, and not a speed-up: memory (issue 8's budget).

Recent content HTML only
    Pelican memoizes ``Content.get_content(siteurl)`` for the whole process: one copy of a
    post's HTML for every SITEURL it was asked for (with RELATIVE_URLS, one per depth of the
    pages that show it, and the feeds' domain). Any post with an intra-site link (every
    post that mentions a speaker) gets a new string each time, so a build would end holding
    several copies of every post. Each answer is asked for again only while the same page
    (or feed entry) is being rendered, so the memo keeps only its newest answers
    (``CONTENT_MEMO_SIZE``); an older one is computed again, identically, if ever asked.
"""

import functools
import gc
import gzip
import io
import logging
import multiprocessing
import os
import pickle
import re
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date, time
from time import sleep

from jinja2 import BaseLoader, FileSystemBytecodeCache, TemplateNotFound
from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader, _filter_discardable_metadata
from pelican.utils import SafeDatetime, file_suffix, pelican_open

from . import errors

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SPEEDUP_MARKDOWN_REUSE": True,
    "SPEEDUP_PARALLEL_READ": True,
    "SPEEDUP_PARALLEL_WRITE": True,
    "SPEEDUP_PARALLEL_SANITIZE": True,
    "SPEEDUP_SANITIZE_CACHE": True,
    # 0 means one worker per core that no other process is running on (see idle_cores).
    "SPEEDUP_PARALLEL_WORKERS": 0,
    # Below this many files to read, forking costs more than it saves.
    "SPEEDUP_PARALLEL_MIN_FILES": 40,
    "SPEEDUP_TEMPLATE_CACHE": True,
    "SPEEDUP_DATE_CACHE": True,
    "SPEEDUP_URL_CACHE": True,
    "SPEEDUP_INCREMENTAL_WRITE": True,
    "SPEEDUP_FAST_CACHE_GZIP": True,
    "SPEEDUP_RENDER_CACHE": True,
    "SPEEDUP_LISTING_SETS": True,
    "SPEEDUP_GC_FREEZE": True,
    "SPEEDUP_DATE_PARSE": True,
}

def _fresh_stats():
    """What the last build did, for tests: Markdown instances made by ReusingMarkdownReader,
    files the read-ahead took from workers, calls the writer workers made, and so on."""
    return {"markdown_instances": 0, "read_ahead_files": 0, "parallel_write_pages": 0,
            "urls_remembered": 0, "parallel_write_generators": set(), "parallel_mapped_items": 0,
            "parallel_write_feeds": 0, "feeds_left_to_workers": 0, "precomputed_used": 0,
            "kept_cleanings_used": 0, "read_ahead_generators": set()}


STATS = _fresh_stats()


def register():
    """Connect the speed-ups; blinker ignores a receiver connected twice. Each handler checks
    its own setting on every build."""
    signals.initialized.connect(apply_defaults)
    signals.readers_init.connect(use_reusing_markdown_reader)
    signals.generator_init.connect(skip_template_mtime_checks)
    signals.article_generator_preread.connect(read_ahead_in_parallel)
    signals.page_generator_preread.connect(read_ahead_in_parallel)
    signals.article_generator_finalized.connect(close_read_ahead)
    signals.page_generator_finalized.connect(close_read_ahead)
    signals.all_generators_finalized.connect(close_every_read_ahead)
    signals.generator_init.connect(forget_urls)
    # Readers are complete by generator_init; a caching generator's own cache only by its own init.
    signals.generator_init.connect(fast_cache_gzip)
    signals.article_generator_init.connect(fast_cache_gzip)
    signals.page_generator_init.connect(fast_cache_gzip)
    signals.all_generators_finalized.connect(use_membership_lists)
    signals.get_writer.connect(remember_urls)
    signals.finalized.connect(forget_urls)
    signals.finalized.connect(forget_precomputed)
    signals.finalized.connect(freeze_at_the_end)
    _wrap_url_properties()
    _keep_recent_content_only()
    _read_iso_dates_directly()
    from . import speedups_write

    signals.article_generator_init.connect(speedups_write.install)
    # A plugin generator opts in by having generate_pages(writer) and page_count().
    signals.generator_init.connect(speedups_write.install_for_plugin_generator)
    from . import speedups_incremental

    speedups_incremental.register()


def apply_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    check_types(pelican.settings)
    gc.unfreeze()  # what the last build in this process froze at its end is collectable again
    _gc_freeze["on"] = _enabled(pelican.settings, "SPEEDUP_GC_FREEZE")
    _iso_dates["on"] = _enabled(pelican.settings, "SPEEDUP_DATE_PARSE")
    STATS.update(_fresh_stats())
    forget_precomputed(pelican)


_COUNTS = ("SPEEDUP_PARALLEL_WORKERS", "SPEEDUP_PARALLEL_MIN_FILES")


def check_types(settings):
    """A switch given as text ("no") would count as on; say so instead of guessing."""
    for key, default in DEFAULTS.items():
        value = settings[key]
        if key in _COUNTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise errors.ContentError("pelicanconf", key, f"must be a whole number, 0 or more, got {value!r}")
        elif not isinstance(value, bool):
            raise errors.ContentError("pelicanconf", key, f"must be True or False, got {value!r}")


def _enabled(settings, name):
    return bool(settings.get(name, DEFAULTS[name]))


# --- one Markdown instance per reader --------------------------------------------------


class ReusingMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader, converting every file with one reset() Markdown instance."""

    _META_PRIORITY = 27  # where markdown.extensions.meta registers its preprocessor

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shared_md = None
        self._meta_preprocessor = None

    def _markdown(self):
        from markdown import Markdown

        md = self._shared_md
        if md is None:
            md = self._shared_md = Markdown(**self.settings["MARKDOWN"])
            STATS["markdown_instances"] += 1
            self._meta_preprocessor = md.preprocessors["meta"]
        else:
            md.reset()
            # _parse_metadata() deregisters "meta" to convert formatted fields; put it back.
            if "meta" not in md.preprocessors:
                md.preprocessors.register(self._meta_preprocessor, "meta", self._META_PRIORITY)
        return md

    def read(self, source_path):
        self._source_path = source_path
        self._md = self._markdown()
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        if hasattr(self._md, "Meta"):
            metadata = self._parse_metadata(self._md.Meta)
        else:
            metadata = {}
        return content, metadata


def markdown_reuse_is_safe(settings):
    """Footnotes with UNIQUE_IDS number each document by instance, so they need a fresh one."""
    configs = settings.get("MARKDOWN", {}).get("extension_configs", {})
    return not any(
        isinstance(config, dict) and config.get("UNIQUE_IDS") for config in configs.values()
    )


def use_reusing_markdown_reader(readers):
    settings = readers.settings
    if not _enabled(settings, "SPEEDUP_MARKDOWN_REUSE") or not markdown_reuse_is_safe(settings):
        return
    for ext, cls in list(readers.reader_classes.items()):
        # Only replace Pelican's own reader; a site's or plugin's custom reader stays.
        if cls is MarkdownReader:
            readers.reader_classes[ext] = ReusingMarkdownReader


# --- Pelican's content cache -------------------------------------------------------------

_fast_gzip_open = functools.partial(gzip.open, compresslevel=1)


def fast_cache_gzip(generator):
    """A generator's Readers and a caching generator write their cache file through
    ``_cache_open``, which is gzip.open when GZIP_CACHE is on."""
    if not _enabled(generator.settings, "SPEEDUP_FAST_CACHE_GZIP"):
        return
    for cacher in (generator, getattr(generator, "readers", None)):
        if getattr(cacher, "_cache_open", None) is gzip.open:
            cacher._cache_open = _fast_gzip_open


# --- kept between builds -------------------------------------------------------------------
# The kit's own caches beside Pelican's content cache (linked mentions, sanitizer results, feed
# entries) share one file format: {"salt": what the entries were made by, "entries": {...}}.


def kept_path(settings, name):
    return os.path.join(settings.get("CACHE_PATH") or "cache", name)


def load_kept(settings, name, salt):
    """The entries save_kept stored in CACHE_PATH/name under the same salt, when
    LOAD_CONTENT_CACHE is on; else {} (no file yet, a damaged one, or other code's)."""
    if not settings.get("LOAD_CONTENT_CACHE"):
        return {}
    try:
        with open(kept_path(settings, name), "rb") as handle:
            found = pickle.load(handle)
    except Exception:  # missing, truncated, from another Python or version: start afresh
        return {}
    if not isinstance(found, dict) or found.get("salt") != salt or not isinstance(found.get("entries"), dict):
        return {}
    return found["entries"]


def save_kept(settings, name, salt, entries):
    """Keep ``entries`` for the next build when CACHE_CONTENT is on. The file is replaced
    whole, so a build stopped mid-save leaves the previous one intact."""
    if not settings.get("CACHE_CONTENT"):
        return
    path = kept_path(settings, name)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        pickle.dump({"salt": salt, "entries": entries}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


# --- Jinja ----------------------------------------------------------------------------


def skip_template_mtime_checks(generator):
    env = generator.env
    if _enabled(generator.settings, "SPEEDUP_TEMPLATE_CACHE"):
        env.auto_reload = False
        if env.loader is not None and not isinstance(env.loader, MissRememberingLoader):
            env.loader = MissRememberingLoader(env.loader)
        settings = generator.settings
        if (settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")) and env.bytecode_cache is None:
            # With Pelican's content cache on (the devserver case), keep compiled templates
            # too; Jinja checks each template's source checksum, so an edited one recompiles.
            folder = os.path.join(settings.get("CACHE_PATH") or "cache", "jinja")
            os.makedirs(folder, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(folder)


class MissRememberingLoader(BaseLoader):
    """Wraps Pelican's loader and remembers names it could not find during one build.

    TemplatePagesGenerator inserts its own loader into ``loaders`` for a moment; any change
    to that list forgets what was missing.
    """

    def __init__(self, inner):
        self.inner = inner
        self.missing = set()
        self._loaders_seen = None

    @property
    def loaders(self):
        return self.inner.loaders

    def _known_missing(self, name):
        current = list(getattr(self.inner, "loaders", ()))
        if current != self._loaders_seen:
            self.missing.clear()
            self._loaders_seen = current
        return name in self.missing

    def get_source(self, environment, template):
        if self._known_missing(template):
            raise TemplateNotFound(template)
        try:
            return self.inner.get_source(environment, template)
        except TemplateNotFound:
            self.missing.add(template)
            raise

    def load(self, environment, name, globals=None):
        if self._known_missing(name):
            raise TemplateNotFound(name)
        try:
            return self.inner.load(environment, name, globals)
        except TemplateNotFound:
            self.missing.add(name)
            raise

    def list_templates(self):
        return self.inner.list_templates()


def remembering_date_filter(format_date):
    """Memoize a date formatter (SPEEDUP_DATE_CACHE); theme_support wraps its long_date with it."""
    cache = {}
    # Pages show the same date objects (a post's date) again and again: dates are immutable,
    # so the object itself (kept alive beside its answer, so its id is not reused) finds the
    # answer before its isoformat() is computed.
    by_object = {}

    def cached(value, *args, **kwargs):
        if not kwargs:
            hit = by_object.get((id(value), args))
            if hit is not None and hit[0] is value:
                return hit[1]
        # isoformat() carries the wall-clock fields and UTC offset the date is formatted from.
        iso = getattr(value, "isoformat", None)
        if iso is None:
            return format_date(value, *args, **kwargs)
        key = (type(value), iso(), args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = format_date(value, *args, **kwargs)
        if not kwargs and isinstance(value, (date, time)):
            by_object[(id(value), args)] = (value, cache[key])
        return cache[key]

    cached.cache = cache
    return cached


def remembering_striptags(striptags):
    """Memoize Jinja's striptags for text (SPEEDUP_RENDER_CACHE): every page a post is listed
    on strips the same summary and title again. The result depends only on the text."""
    cache = {}

    def cached(value):
        if type(value) is not str and type(value) is not Markup:
            return striptags(value)
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = striptags(value)
            return result

    cached.cache = cache
    return cached


# --- URLs ---------------------------------------------------------------------------

# While "on", Content.url/save_as answers are kept, keyed by (object id, property); the
# object is kept alive beside its value so an id cannot be reused within the build.
_urls = {"on": False, "values": {}}


def _remembering(prop):
    compute = prop.fget

    def get(self):
        if not _urls["on"]:
            return compute(self)
        key = (id(self), compute)
        hit = _urls["values"].get(key)
        if hit is None:
            value = compute(self)
            _urls["values"][key] = (self, value)
            return value
        return hit[1]

    get.computes = compute
    return property(get, doc=prop.__doc__)


def _wrap_url_properties():
    from pelican.contents import Content
    from pelican.urlwrappers import URLWrapper

    # Categories, tags and authors format their URL setting on every access too: every
    # byline, menu and tag list asks again.
    for cls in (Content, URLWrapper):
        for name in ("url", "save_as"):
            prop = cls.__dict__[name]
            if not hasattr(prop.fget, "computes"):
                setattr(cls, name, _remembering(prop))


def remember_urls(pelican):
    """get_writer: every context is built and all_generators_finalized has run."""
    forget_urls(pelican)
    _urls["on"] = _enabled(pelican.settings, "SPEEDUP_URL_CACHE")
    return None  # not a writer; Pelican keeps its own choice


def remember_urls_now(generator):
    """With the URL cache on, work out every post's and page's ``url`` and ``save_as`` in the
    build process before writer workers fork: each worker runs the whole writing sequence (it
    only skips the calls it does not own), so each would otherwise work them all out again."""
    if not _urls["on"]:
        return
    for name in ("articles", "translations", "hidden_articles", "hidden_translations",
                 "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
                 "speakers", "hidden_speakers"):
        for item in getattr(generator, name, None) or ():
            item.url
            item.save_as


def forget_urls(sender):
    if _urls["values"]:
        STATS["urls_remembered"] = len(_urls["values"])
    _urls["on"] = False
    _urls["values"].clear()


# --- memory: recent content HTML only ------------------------------------------------

# Answers of Content.get_content kept; a page asks for a handful (its post's summary and
# content, a listing's summaries), so this covers any page many times over.
CONTENT_MEMO_SIZE = 256


class RecentOnly(OrderedDict):
    """A memo dict that keeps its ``limit`` newest entries; the oldest go first."""

    def __init__(self, limit, entries=()):
        super().__init__(entries)
        self.limit = limit
        while len(self) > limit:
            self.popitem(last=False)

    def __setitem__(self, key, value):
        if key not in self and len(self) >= self.limit:
            self.popitem(last=False)
        super().__setitem__(key, value)


def _keep_recent_content_only():
    from pelican.contents import Content

    memo = Content.__dict__["get_content"]  # pelican.utils.memoized; its .cache is the memo
    if not isinstance(memo.cache, RecentOnly):
        memo.cache = RecentOnly(CONTENT_MEMO_SIZE, memo.cache)


# --- dates ---------------------------------------------------------------------------------

_iso_dates = {"on": False}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_SPACES = re.compile(" +")


def _read_iso_dates_directly():
    """SPEEDUP_DATE_PARSE: pelican.readers calls get_date through its module global."""
    import pelican.readers

    if getattr(pelican.readers.get_date, "reads_iso_dates", False):
        return
    slow = pelican.readers.get_date

    def get_date(string):
        if _iso_dates["on"] and isinstance(string, str):
            found = _ISO_DATE.fullmatch(_SPACES.sub(" ", string))
            if found is not None:
                try:
                    # What dateutil gives for these: the fields written, the rest zero, no zone.
                    return SafeDatetime(*(int(part or 0) for part in found.groups()))
                except ValueError:
                    pass  # month 13 and the like: Pelican's own message
        return slow(string)

    get_date.reads_iso_dates = True
    get_date.slow = slow
    pelican.readers.get_date = get_date


# --- listings --------------------------------------------------------------------------


class MembershipList(list):
    """A list whose ``in`` is a set lookup when the item compares by identity (posts do).

    Same items, order and equality as a plain list; any change to the list drops the set,
    which is built again on the next ``in``. Pickles as a plain list would (no identities
    travel to another process).
    """

    __slots__ = ("_ids",)

    def __init__(self, *args):
        super().__init__(*args)
        self._ids = None

    def __contains__(self, item):
        if type(item).__eq__ is not object.__eq__:
            return list.__contains__(self, item)
        if self._ids is None:
            # (identities, whether any item has its own __eq__ that might accept ``item``)
            self._ids = ({id(x) for x in self}, any(type(x).__eq__ is not object.__eq__ for x in self))
        ids, mixed = self._ids
        return id(item) in ids or (mixed and list.__contains__(self, item))

    def __reduce__(self):
        return (type(self), (list(self),))

    def __copy__(self):
        return type(self)(self)


def _dropping_ids(name):
    method = getattr(list, name)

    def changed(self, *args, **kwargs):
        self._ids = None
        return method(self, *args, **kwargs)

    changed.__name__ = name
    return changed


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert",
              "remove", "pop", "clear", "sort", "reverse"):
    setattr(MembershipList, _name, _dropping_ids(_name))


def _with_membership_lists(pairs, made):
    """(key, posts) pairs in place: each plain list of posts becomes its MembershipList."""
    for index, pair in enumerate(pairs):
        if isinstance(pair, tuple) and len(pair) == 2 and type(pair[1]) is list:
            posts = made.get(id(pair[1]))
            if posts is None:
                posts = made[id(pair[1])] = MembershipList(pair[1])
            pairs[index] = (pair[0], posts)


def use_membership_lists(generators):
    """all_generators_finalized (SPEEDUP_LISTING_SETS): each tag's and category's posts in a
    MembershipList, in the articles generator and in its context. Plugins that rebuild
    those lists (blog_sections nests category slugs) have done so by then."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator) and _enabled(generator.settings, "SPEEDUP_LISTING_SETS"):
            _use_membership_lists(generator)


def _use_membership_lists(generator):
    made = {}  # id(plain list) -> its MembershipList, so one list stays one list everywhere
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, posts in list(tags.items()):
            if type(posts) is list:
                tags[tag] = made[id(posts)] = MembershipList(posts)
    if isinstance(getattr(generator, "categories", None), list):
        _with_membership_lists(generator.categories, made)
    for key in ("tags", "categories"):
        if isinstance(generator.context.get(key), list):
            _with_membership_lists(generator.context[key], made)


# --- parallel reading -------------------------------------------------------------------

_PARALLEL_READERS = (MarkdownReader, ReusingMarkdownReader)
_worker = {}  # what forked workers inherit: the Readers and its settings


_gc_freeze = {"on": False}


def forked_pool_map(pool, function, items, chunksize=1):
    """pool.map(...) on a fork-context ProcessPoolExecutor, whose first submit forks every
    worker: with SPEEDUP_GC_FREEZE the build's objects are frozen while they fork."""
    if not _gc_freeze["on"]:
        return pool.map(function, items, chunksize=chunksize)
    gc.freeze()
    try:
        return pool.map(function, items, chunksize=chunksize)
    finally:
        gc.unfreeze()


def freeze_at_the_end(pelican):
    """finalized (SPEEDUP_GC_FREEZE): the interpreter's last collection skips the build's
    objects; apply_defaults thaws them if another build follows in this process."""
    if _enabled(pelican.settings, "SPEEDUP_GC_FREEZE"):
        gc.freeze()


def run_in_workers(function, items, workers, initializer=None, chunksize=1):
    """[function(item) ...] computed by forked workers; None if a worker died (killed, out
    of memory), in which case the caller does the work itself."""
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer) as pool:
            return list(forked_pool_map(pool, function, items, chunksize=chunksize))
    except (BrokenProcessPool, OSError) as error:
        logger.debug("Workers failed (%s); doing the work in the build process", error)
        return None


_mapped = {}  # what forked workers inherit for parallel_map: the function


def _call_mapped(chunk):
    function = _mapped["function"]
    return [function(item) for item in chunk]


def parallel_map(settings, function, items, setting="SPEEDUP_PARALLEL_READ"):
    """[function(item) for item in items], shared among forked workers when that pays.

    Workers inherit ``function`` (a closure over the build's data) by forking; only the
    items (keep them small, e.g. indexes) and the results cross between processes. The
    result is the same list, in the same order, as the serial loop gives.
    """
    items = list(items)
    workers = worker_count(settings)
    if (not _enabled(settings, setting) or not can_fork() or workers < 2
            or len(items) < int(settings.get("SPEEDUP_PARALLEL_MIN_FILES", DEFAULTS["SPEEDUP_PARALLEL_MIN_FILES"]))):
        return [function(item) for item in items]
    chunks = [items[start::workers] for start in range(workers)]
    _mapped["function"] = function
    try:
        results = run_in_workers(_call_mapped, chunks, workers)
    finally:
        _mapped.clear()
    if results is None:
        return [function(item) for item in items]
    ordered = [None] * len(items)
    for start, chunk in enumerate(results):
        ordered[start::workers] = chunk
    STATS["parallel_mapped_items"] += len(items)
    return ordered


def can_fork():
    """Forked workers need the fork start method and a process allowed to have children."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def idle_cores(loadavg=None, samples=5):
    """Cores no other process is running on right now (Linux /proc/loadavg), else all.

    On a busy machine a worker only takes turns with the build process, and forking and
    splitting the work cost more than they save. The running count is read ``samples`` times,
    a millisecond apart, and the lowest taken: a kernel thread flushing the files the build
    just wrote runs for a moment, while another program using a core runs in every sample.
    ``loadavg`` (the file's text, or several texts) is for tests.
    """
    cores = usable_cores()
    try:
        if loadavg is None:
            texts = []
            for sample in range(samples):
                if sample:
                    sleep(0.001)
                with open("/proc/loadavg", encoding="ascii") as handle:
                    texts.append(handle.read())
        else:
            texts = [loadavg] if isinstance(loadavg, str) else list(loadavg)
        running = min(int(text.split()[3].split("/")[0]) for text in texts)
    except (OSError, ValueError, IndexError):
        return cores
    return max(1, cores - max(0, running - 1))  # the count includes this process


def worker_count(settings):
    wanted = int(settings.get("SPEEDUP_PARALLEL_WORKERS") or 0)
    if wanted > 0:
        return wanted
    return idle_cores()


def files_to_read(generator, files=None):
    """The files this generator will hand to read_file (cache misses), with their readers.

    ``files`` (relative to the generator's path) for a plugin generator that finds its own;
    the articles and pages generators' are found here."""
    settings = generator.settings
    if files is None:
        if isinstance(generator, ArticlesGenerator):
            files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
        elif isinstance(generator, PagesGenerator):
            files = generator.get_files(settings["PAGE_PATHS"], exclude=settings["PAGE_EXCLUDES"])
        else:
            return []
    readers = generator.readers
    result = []
    for f in sorted(files):
        reader = readers.readers.get(file_suffix(f))
        if type(reader) not in _PARALLEL_READERS:
            continue
        if generator.get_cached_data(f, None) is not None:
            continue
        path = os.path.abspath(os.path.join(generator.path, f))
        if readers.get_cached_data(path, None) is not None:
            continue
        result.append(path)
    return result


def read_ahead_in_parallel(generator):
    # The preread signal fires before every file; read ahead only before the first.
    if getattr(generator, "_speedups_read_ahead", False):
        return
    generator._speedups_read_ahead = True
    read_ahead_files(generator, None)


def close_read_ahead(generator):
    """article_generator_finalized, page_generator_finalized: stop workers nobody waits for."""
    stream = getattr(generator.readers, "_speedups_stream", None)
    if stream is not None:
        stream.close()


class _Stream:
    """Read-ahead for one generator's Readers (articles, pages, speaker files), taken as the
    generator reads.

    Workers convert the files in reading order; the build process takes each file's result
    when read_file asks the Readers' cache for it, so its own per-file work (metadata, the
    content object, its signals) overlaps the workers' conversion of the files after it.
    What a worker logged while reading a file is logged at that moment, where reading the
    file in this process would have logged it. A file without a result (a worker failed on
    it, or the workers died) is read by read_file itself, which reports any error as usual.
    """

    def __init__(self, generator, paths, workers):
        self.generator = generator
        self.readers = readers = generator.readers
        self.settings = generator.settings
        self.waiting = set(paths)  # results still to come from the workers
        self.logs = {}  # path -> what the worker logged reading it, until read_file asks
        self.taken = set()  # read-ahead entries to drop once read_file has them
        self.forget = not readers._cache_data_policy
        self.pool = None
        context = multiprocessing.get_context("fork")
        _worker.update(readers=readers, settings=self.settings)
        try:
            # Every worker is forked by the first submit, so _worker can be cleared after.
            self.pool = ProcessPoolExecutor(min(workers, len(paths)), mp_context=context,
                                            initializer=_start_worker)
            self.results = forked_pool_map(self.pool, _read_in_worker, paths, chunksize=8)
        except OSError as error:
            logger.debug("Workers failed (%s); reading in the build process", error)
            self.close()
            return
        finally:
            _worker.clear()
        cached = type(readers).get_cached_data
        stream = self

        def get_cached_data(filename, default=None):
            if filename in stream.waiting:
                stream.take_until(filename)
            for record in stream.logs.pop(filename, ()):
                _replay(record)
            found = cached(readers, filename, default)
            if filename in stream.taken:
                # Without Pelican's content cache nothing reads an entry twice or saves it;
                # kept, it would hold every file's first HTML until the build ends.
                stream.taken.discard(filename)
                readers._cache.pop(filename, None)
            return found

        readers.get_cached_data = get_cached_data
        readers._speedups_stream = self

    def take_until(self, path):
        while path in self.waiting:
            try:
                done, payload = next(self.results)
            except StopIteration:
                self.close()
                return
            except (BrokenProcessPool, OSError) as error:
                logger.debug("Workers failed (%s); reading the rest in the build process", error)
                self.close()
                return
            self.waiting.discard(done)
            if payload is None:
                continue  # read_file reads it in this process and reports any error itself
            stamp, data, records, extra = _load(payload, self.settings)
            self.readers._cache[done] = (stamp, data)
            _keep_precomputed(data, extra)
            STATS["read_ahead_files"] += 1
            STATS["read_ahead_generators"].add(type(self.generator).__name__)
            self.logs[done] = records
            if self.forget:
                self.taken.add(done)
        if not self.waiting:
            self.close()

    def close(self):
        self.waiting.clear()
        if self.pool is not None:
            pool, self.pool = self.pool, None
            pool.shutdown(wait=True, cancel_futures=True)


def read_ahead_files(generator, files):
    """SPEEDUP_PARALLEL_READ for ``files`` (relative to the generator's path), which the
    generator then reads with ``readers.read_file`` in this order: a plugin generator that
    finds its own (speaker_profiles), or None for the articles' and pages' own. What a worker
    logged while converting a file is logged when the generator reads that file."""
    plan = _read_ahead_plan(generator, files)
    if plan is not None:
        _Stream(generator, *plan)


def close_every_read_ahead(generators):
    """all_generators_finalized: stop the workers of a plugin generator that read fewer files
    than it said it would."""
    for generator in generators:
        if getattr(generator, "readers", None) is not None:
            close_read_ahead(generator)


def _read_ahead_plan(generator, files):
    """(paths, workers) when reading ahead pays for this generator, else None."""
    settings = generator.settings
    if not _enabled(settings, "SPEEDUP_PARALLEL_READ"):
        return None
    if not can_fork():
        return None
    workers = worker_count(settings)
    if workers < 2:
        return None
    paths = files_to_read(generator, files)
    if len(paths) < int(settings.get("SPEEDUP_PARALLEL_MIN_FILES", 0)):
        return None
    return paths, workers


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _start_worker():
    collector = _Collect()
    root = logging.getLogger()
    root.handlers[:] = [collector]
    _worker["log"] = collector


def _read_in_worker(path):
    readers = _worker["readers"]
    collector = _worker["log"]
    collector.records.clear()
    try:
        stamp = readers._get_file_stamp(path)
        reader = readers.readers[file_suffix(path)]
        content, metadata = reader.read(path)
        data = (content, _filter_discardable_metadata(metadata))
        records = [_portable(r) for r in collector.records]
        extra = _precompute(data, _worker["settings"])
        return path, _dump((stamp, data, records, extra), _worker["settings"])
    except Exception:  # includes --fatal warnings; the build process will meet it again
        return path, None


# --- work on the read text, done ahead in the workers ------------------------------------

# name -> (setting, function): a pure function of one text (a post's HTML, its summary) that a
# build-process handler would otherwise run; see precompute_in_workers.
_PRECOMPUTE = {}
# name -> {text: answer} for the texts the workers read in this build; each key is the very
# string object the Readers' cache holds, so the table adds no copies of the text.
_precomputed = {}


def precompute_in_workers(name, function, setting):
    """Have read-ahead workers call ``function(text)`` on each file's HTML and summary.

    ``function`` must be pure: its answer depends on the text alone, and it must not log or
    warn. An answer is kept only when the call raised nothing, logged nothing and warned
    nothing, so the build process meets any of those itself, as without the speed-up.
    """
    _PRECOMPUTE[name] = (setting, function)


def precomputed(name, text):
    """The answer a worker gave for exactly ``text``, or None (then compute it here).

    An answer is handed out once: the table would otherwise keep every post's first HTML alive
    until the build ends, also after sanitizing or mention linking gave the post a new one.
    """
    table = _precomputed.get(name)
    if not table or not isinstance(text, str):
        return None
    found = table.pop(text, None)
    if found is not None:
        STATS["precomputed_used"] += 1
    return found


def forget_precomputed(sender=None):
    _precomputed.clear()


def _texts(data):
    content, metadata = data
    texts = [content]
    summary = metadata.get("summary")
    if isinstance(summary, str):
        texts.append(summary)
    return [text for text in texts if isinstance(text, str) and text]


def _precompute(data, settings):
    """{name: [answer or None for each of _texts(data)]}, computed in a worker."""
    import warnings

    collector = _worker["log"]
    extra = {}
    for name, (setting, function) in _PRECOMPUTE.items():
        if not _enabled(settings, setting):
            continue
        answers = []
        for text in _texts(data):
            logged = len(collector.records)
            try:
                with warnings.catch_warnings(record=True) as warned:
                    warnings.simplefilter("always")
                    answer = function(text)
            except Exception:
                answer = None
            if warned or len(collector.records) != logged:
                answer = None
                del collector.records[logged:]
            answers.append(answer)
        extra[name] = answers
    return extra


def _keep_precomputed(data, extra):
    for name, answers in extra.items():
        table = _precomputed.setdefault(name, {})
        for text, answer in zip(_texts(data), answers):
            if answer is not None:
                table[text] = answer


def _portable(record):
    record = logging.makeLogRecord(record.__dict__)
    record.msg = record.getMessage()
    record.args = None
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return record


def _replay(record):
    from pelican.log import FilteredMessage

    try:
        logging.getLogger(record.name).handle(record)
    except FilteredMessage:
        pass


# Metadata holds Category/Tag/Author objects that keep a reference to the settings dict.
# The settings travel as a reference, so the build's objects point at the build's own dict.
class _Pickler(pickle.Pickler):
    def __init__(self, file, settings):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._settings = settings

    def persistent_id(self, obj):
        return "settings" if obj is self._settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self._settings = settings

    def persistent_load(self, pid):
        if pid != "settings":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self._settings


def _dump(value, settings):
    buffer = io.BytesIO()
    _Pickler(buffer, settings).dump(value)
    return buffer.getvalue()


def _load(payload, settings):
    return _Unpickler(io.BytesIO(payload), settings).load()
