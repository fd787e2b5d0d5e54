"""SPEEDUP_INCREMENTAL_WRITE: after a one-post edit, render only the pages that can differ.

With Pelican's content cache on (the ``make devserver`` case), every rebuild still renders
every page, though an edit to one post changes one post page and the feeds. Jinja has no
notion of a page's inputs and Pelican keeps no record of past output, so this module keeps
one: for each page it writes, a fingerprint of everything the page's template could read,
and the size and modification time of the file written. On the next build a page whose
fingerprint and file are both unchanged is neither rendered nor written: the render returns
nothing and the writer's file is a null device, opened with the writer's own overwrite
checks, so Pelican's bookkeeping, logging and signals run exactly as before.

A fingerprint is made of:

- the code and theme: kit, plugin and theme files, Pelican's and Jinja's versions;
- every setting, and every file under ``PATH`` that is not a post, page or profile source
  (attachments and photos whose sizes pages show);
- the site's view of every content object: its metadata, URL and summary; the full text
  too for anything but posts (pages, profiles, category descriptions are few);
- the page's own context: the values of the names its template tree reads (found with
  ``jinja2.meta``), with the page's own post, page or profile in full, body included.

So a post's body appears only in its own page's fingerprint. That relies on one property of
a template: it shows another post's summary, never its full text. Every template tree is
checked for that at each build (a ``.content`` read through anything but ``article``,
``page`` or ``speaker`` as the writer passed them, following Jinja's scoping); pages of a
template that breaks it take every post's text into their fingerprint, and if the site adds
Jinja filters or globals the kit does not know, every page does: still correct, just less to
skip. Anything that cannot be digested the same way twice (a closure, an object printed with
its address) makes that page (or, in a setting, the whole build) render as usual. A page
whose file was changed or removed since is rendered, whatever its fingerprint; a damaged
record means a full render.

Only the build's own writes are affected; a cold build (empty cache or new output folder)
renders everything and records fingerprints for the next one.
"""

import datetime as dt
import hashlib
import json
import logging
import os
import sys
import types
from importlib.metadata import PackageNotFoundError, version

from jinja2 import Template, meta, nodes
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

logger = logging.getLogger(__name__)

FORMAT = 3
FOLDER = "incremental"
MANIFEST = "pages.json"
# Names a kit filter reads from the page context (theme_support.page_lang), whatever the
# template mentions, and the names Pelican sets per page.
ALWAYS = ("article", "page", "speaker", "lang", "DEFAULT_LANG", "SITEURL", "localsiteurl", "output_file")
OWN = ("article", "page", "speaker")
BODY = ("content", "_content", "get_content")
# Filter and global modules whose functions only read their arguments and the settings.
KNOWN_CODE = ("builtins", "jinja2", "markupsafe", "pelican", "leitf_site", "babel")
KIT_PLUGINS = ("speaker_profiles", "blog_sections", "get_involved")

STATS = {"skipped": 0, "rendered": 0, "unfingerprinted": 0, "feeds_skipped": 0, "feeds_rendered": 0}


class Unstable(Exception):
    """A value that would not digest the same way in the next build."""


class IncrementalTemplate(Template):
    """The environment's template class: the writer's render goes through the active state."""

    def render(self, *args, **kwargs):
        state = _state.get("active")
        if state is None or kwargs or len(args) != 1 or not isinstance(args[0], dict) or not _called_by_writer():
            return super().render(*args, **kwargs)
        return state.render(self, args[0])


def active():
    """The build's incremental state while pages and feeds are written, else None."""
    return _state.get("active")


def _called_by_writer():
    """Only Pelican's writer, which writes what render returns to output_file, may get "" back."""
    caller = sys._getframe(2)
    return caller.f_code.co_name == "_write_file" and caller.f_globals.get("__name__") == "pelican.writers"


def _open_w(self, filename, encoding, override=False):
    """Writer._open_w, except that a page render found unchanged is written to a null file
    (with the writer's overwrite checks and messages, shared with speedups_write)."""
    state = _state.get("active")
    if state is not None and filename in state.unchanged:
        state.unchanged.discard(filename)
        from . import speedups_write

        return speedups_write._bookkeeping_open_w(self)(filename, encoding, override)
    return _open_w.original(self, filename, encoding, override)


def _wrap_writer():
    if not hasattr(Writer._open_w, "original"):
        _open_w.original = Writer._open_w
        Writer._open_w = _open_w


_state = {}
_PROCESS_CODE = {}  # code folders -> their digest, taken once per process
# Settings that change how a build runs, never what it writes (the speed-ups are proven
# byte-identical by tests/test_speedups.py).
MECHANICS = ("CACHE_CONTENT", "LOAD_CONTENT_CACHE", "CACHE_PATH", "CONTENT_CACHING_LAYER",
             "CHECK_MODIFIED_METHOD", "GZIP_CACHE", "LOG_FILTER", "WRITE_SELECTED")


def register():
    _wrap_writer()
    signals.initialized.connect(reset)
    signals.generator_init.connect(install_template_class)
    signals.all_generators_finalized.connect(remember_generators)
    signals.get_writer.connect(start)
    signals.finalized.connect(finish)


def enabled(settings):
    return bool(settings.get("SPEEDUP_INCREMENTAL_WRITE", True)) and bool(
        settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE"))


def reset(pelican):
    _state.clear()
    STATS.update(dict.fromkeys(STATS, 0))


def install_template_class(generator):
    env = getattr(generator, "env", None)
    if env is not None and enabled(generator.settings) and env.template_class is Template:
        env.template_class = IncrementalTemplate
        env.cache.clear()


def remember_generators(generators):
    _state["generators"] = list(generators)


def start(pelican):
    """get_writer: every context is final. Digest the site once, before any worker forks."""
    _state.pop("active", None)
    settings = pelican.settings
    generators = _state.get("generators")
    if not enabled(settings) or not generators:
        return None
    env = next((g.env for g in generators if getattr(g, "env", None) is not None), None)
    if env is None:
        return None
    try:
        _state["active"] = Incremental(settings, generators, env)
    except Unstable as why:
        logger.debug("Rendering every page: %s cannot be fingerprinted", why)
    except Exception as error:  # a damaged record: this build renders everything and rewrites it
        logger.debug("Rendering every page: %r", error)
    return None  # not a writer


def finish(pelican):
    state = _state.pop("active", None)
    _state.pop("generators", None)
    if state is not None:
        state.save()


# --- stable digests ------------------------------------------------------------------


def _h(*parts):
    text = "\x00".join(p if isinstance(p, str) else p.decode("latin-1") for p in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Digester:
    """Turns values into text that is the same in the next build exactly when they are.

    Content objects inside a value stand for themselves by reference (type and source file);
    their data is in the site digest. ``own`` digests one in full instead.
    """

    MAX_DEPTH = 12
    SHARED = 20  # containers this long are digested once per build, wherever they appear

    def __init__(self, settings):
        self.settings = settings
        self.memo = {}  # id(value) -> (value, digest) for the build's shared objects
        self.settings_digest = None
        self.copies = {}  # id(dict) -> (dict, whether it equals the settings)

    def _is_settings_copy(self, candidate):
        hit = self.copies.get(id(candidate))
        if hit is not None and hit[0] is candidate:
            return hit[1]
        self.copies[id(candidate)] = (candidate, False)  # while comparing
        if self.settings_digest is None:
            self.settings_digest = self._items_digest(self.settings)
        same = self._items_digest(candidate) == self.settings_digest
        self.copies[id(candidate)] = (candidate, same)
        return same

    def _items_digest(self, mapping):
        parts = [f"dict{len(mapping)}"]
        for key in sorted(mapping, key=repr):
            parts.append(repr(key))
            self._walk(mapping[key], parts, 1, {id(mapping)}, False)
        return _h(*parts)

    def value(self, value, own=False):
        parts = []
        self._walk(value, parts, 0, set(), own, whole=True)
        return _h(*parts)

    def shared(self, value, top=False):
        """Digest of a value many pages share (the post list, a paginator): once per build.

        A page's own values (``top``, straight from its context) are remembered whatever
        their size: listings pass the same lists and paginators to page after page.
        """
        if isinstance(value, (str, int, float, bool)) or value is None:
            return self.value(value)
        if top and isinstance(value, Content):
            return self.value(value)
        if not top and (not isinstance(value, (list, tuple, dict, set, frozenset)) or len(value) < self.SHARED):
            return self.value(value)
        hit = self.memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        self.memo[id(value)] = (value, "cycle")  # a value that contains itself
        digest = self.value(value)
        self.memo[id(value)] = (value, digest)
        return digest

    def content(self, item, with_body=True):
        metadata = getattr(item, "metadata", None)
        metadata = metadata if isinstance(metadata, dict) else {}
        attrs = {}
        for key, value in vars(item).items():
            if key in ("_context", "settings") or (key == "_content" and not with_body):
                continue
            if key != "metadata" and metadata.get(key, attrs) is value:
                continue  # the very object is in the metadata, digested there
            attrs[key] = value
        parts = [f"content:{type(item).__qualname__}"]
        self._walk(attrs, parts, 0, {id(item)}, False, whole=True)
        return _h(*parts)

    def _walk(self, x, out, depth, stack, own, whole=False):
        kind = type(x)
        if kind is str:  # the commonest value first
            out.append(f"s{len(x)}:")
            out.append(x)
            return
        if depth > self.MAX_DEPTH:
            raise Unstable("too deep")
        if x is None or isinstance(x, (bool, int, float)):
            out.append(f"{type(x).__name__}:{x!r}")
            return
        if isinstance(x, str):  # str and Markup
            out.append(f"{'M' if isinstance(x, Markup) else 's'}{len(x)}:")
            out.append(x)
            return
        if isinstance(x, bytes):
            out.append(f"b{len(x)}:")
            out.append(x)
            return
        if isinstance(x, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            tz = getattr(x, "tzinfo", None)
            out.append(f"{type(x).__name__}:{x.isoformat() if hasattr(x, 'isoformat') else x!r}:{tz!s}")
            return
        if x is self.settings:
            out.append("settings")
            return
        if isinstance(x, dict) and len(x) == len(self.settings) and self._is_settings_copy(x):
            # Pelican's content cache unpickles categories and tags with a copy of the settings
            # of the build that read them; an equal copy is the settings.
            out.append("settings")
            return
        if id(x) in stack:
            out.append("cycle")
            return
        if isinstance(x, Content):
            if own:
                out.append(self.content(x))
            else:
                out.append(f"ref:{type(x).__qualname__}:{getattr(x, 'source_path', '')}:"
                           f"{getattr(x, 'lang', '')}")
            return
        if not whole and isinstance(x, (list, tuple, dict, set, frozenset)) and len(x) >= self.SHARED:
            out.append(self.shared(x))
            return
        stack = stack | {id(x)}
        if isinstance(x, dict):
            out.append(f"dict{len(x)}")
            for key in sorted(x, key=repr):
                out.append(repr(key))
                self._walk(x[key], out, depth + 1, stack, False)
            return
        if isinstance(x, (list, tuple)):
            out.append(f"{type(x).__name__}{len(x)}")
            for item in x:
                self._walk(item, out, depth + 1, stack, False)
            return
        if isinstance(x, (set, frozenset)):
            items = []
            for item in x:
                sub = []
                self._walk(item, sub, depth + 1, stack, False)
                items.append(_h(*sub))
            out.append(f"set{len(x)}")
            out.extend(sorted(items))
            return
        if isinstance(x, types.ModuleType):
            out.append(f"module:{x.__name__}")
            return
        if isinstance(x, type):
            out.append(f"type:{x.__module__}.{x.__qualname__}")
            return
        if callable(x) and hasattr(x, "__code__"):
            # A plain function is its code (the code digest covers it); a closure may hold
            # data that changes from one build to the next.
            if getattr(x, "__closure__", None) or hasattr(x, "__self__"):
                raise Unstable(f"closure {x!r}")
            out.append(f"fn:{x.__module__}.{x.__qualname__}")
            return
        if isinstance(x, URLWrapper) and not whole:
            out.append(self.shared(x, top=True))  # a category or tag: every post points at it
            return
        attrs = getattr(x, "__dict__", None)
        if attrs is not None and not callable(x):
            out.append(f"obj:{type(x).__module__}.{type(x).__qualname__}")
            self._walk(attrs, out, depth + 1, stack, False)
            return
        text = repr(x)
        if " at 0x" in text or " object at " in text:
            raise Unstable(text)
        out.append(f"{type(x).__qualname__}:{text}")


# --- what a build can skip -------------------------------------------------------------


class Incremental:
    def __init__(self, settings, generators, env):
        self.settings = settings
        self.env = env
        self.output = settings["OUTPUT_PATH"]
        self.folder = os.path.join(settings.get("CACHE_PATH") or "cache", FOLDER)
        self.digester = Digester(settings)
        self.seen = {}  # id(content object) -> (object, its site digest, whether that has its text)
        self.items = site_content(generators)
        # Journals left by a build that stopped half-way may name pages whose files were never
        # written; they are dropped, never merged.
        self._drop_journals()
        previous = self._load() if settings.get("LOAD_CONTENT_CACHE") else {}
        self.pages = previous.get("pages", {})
        self.summaries = previous.get("summaries", {})
        self.new_summaries = {}
        analyses = analyse_templates(env, previous.get("templates", {}))
        self.templates = {key: analysis for key, analysis in (analyses or {}).values()}
        self.names = template_names(analyses) if analyses is not None else None
        self.analyses = analyses
        # Filters or globals from outside the kit might show any post's text on any page.
        self.foreign = analyses is None or foreign_code(env)
        self.other_bodies = {}  # template name -> whether its pages can show other posts' text
        self.bodies = None  # every post's text, digested only if a template needs it
        self.base = _h(
            f"format {FORMAT}",
            self.code_digest(),
            self.digester.value({k: v for k, v in settings.items()
                                 if k not in MECHANICS and not k.startswith("SPEEDUP_")}),
            self.files_digest(),
            self.site_digest(),
        )
        self.journal = None
        self.journal_pid = None
        self.keys = {}  # template name -> the context keys its fingerprint reads
        self.unchanged = set()  # paths whose render was skipped, until the writer opens them

    # fingerprints

    def code_digest(self):
        """The kit's and plugins' code and the theme's templates.

        Python code is what this process imported, so its files are stamped once per process
        (a devserver that keeps running keeps its code even if the files change); templates
        are read again every build, so they are stamped every build.
        """
        import leitf_site

        code_roots = tuple(sorted({os.path.dirname(os.path.abspath(leitf_site.__file__)),
                                   *(os.path.abspath(p) for p in self.settings.get("PLUGIN_PATHS") or [])}))
        if code_roots not in _PROCESS_CODE:
            parts = [sys.version]
            for name in ("pelican", "jinja2", "markupsafe", "babel", "feedgenerator"):
                try:
                    parts.append(f"{name} {version(name)}")
                except PackageNotFoundError:
                    parts.append(f"{name} ?")
            parts += [_tree_stamp(root) for root in code_roots]
            # Any other plugin module, wherever it was installed.
            for module in sorted(list(sys.modules.values()), key=lambda m: getattr(m, "__name__", "")):
                path = getattr(module, "__file__", None)
                if path and (module.__name__.startswith("pelican.plugins.") or "plugins" in path.split(os.sep)):
                    parts.append(_file_stamp(path))
            _PROCESS_CODE[code_roots] = _h(*parts)
        themes = [self.settings.get("THEME"), *(self.settings.get("THEME_TEMPLATES_OVERRIDES") or [])]
        return _h(_PROCESS_CODE[code_roots], *(_tree_stamp(os.path.abspath(t)) for t in themes if t))

    def files_digest(self):
        """Every file under PATH that is not a content source: attachments, images, photos."""
        sources = {os.path.abspath(item.source_path) for item in self.items if getattr(item, "source_path", None)}
        root = self.settings["PATH"]
        parts = []
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                if os.path.abspath(path) not in sources:
                    parts.append(_file_stamp(path))
        return _h(*parts)

    def site_digest(self):
        """Every content object as listings see it: metadata, URL and summary for posts, the
        full text too for pages, profiles and the like (they are few)."""
        parts = []
        for item in self.items:
            whole = not isinstance(item, Article)
            digest = self.digester.content(item, with_body=whole)
            self.seen[id(item)] = (item, digest, whole)
            parts.append(digest)
            if not whole:
                parts.append(self.summary_digest(item))
        return _h(*parts)

    def own_digest(self, item):
        """A page's own post, page or profile in full: its site digest and, for a post, its text."""
        known = self.seen.get(id(item))
        if known is None or known[0] is not item:
            return self.digester.content(item)
        _, digest, whole = known
        return digest if whole else _h(digest, getattr(item, "_content", "") or "")

    def bodies_digest(self):
        if self.bodies is None:
            self.bodies = _h(*(getattr(item, "_content", "") or "" for item in self.items
                               if isinstance(item, Article)))
        return self.bodies

    def shows_other_bodies(self, name):
        known = self.other_bodies.get(name)
        if known is None:
            known = self.other_bodies[name] = self.foreign or shows_other_bodies(self.analyses, name)
        return known

    def summary_digest(self, item):
        """A post's summary, known from earlier builds when its text has not changed."""
        key = _h(getattr(item, "_content", "") or "", repr(item.metadata.get("summary")))
        digest = self.summaries.get(key)
        if digest is None:
            digest = _h(str(item.summary or ""))
        self.new_summaries[key] = digest
        return digest

    def fingerprint(self, template, context):
        keys = self.keys.get(template.name)
        if keys is None:
            names = self.names.get(template.name) if self.names is not None else None
            if names is None:
                return None
            keys = self.keys[template.name] = sorted(names.union(ALWAYS))
        settings = self.settings
        parts = [self.base, template.name]
        if self.shows_other_bodies(template.name):
            parts.append(self.bodies_digest())
        for key in keys:
            if key not in context:
                parts.append(f"-{key}")
                continue
            value = context[key]
            if key in settings and settings[key] is value:
                parts.append(key)  # in the settings digest already
            elif key in OWN and isinstance(value, Content):
                parts.append(f"{key}={self.own_digest(value)}")
            else:
                parts.append(f"{key}={self.digester.shared(value, top=True)}")
        return _h(*parts)

    # rendering

    def render(self, template, context):
        """The writer's render of one page: "" when the file on disk is already this page."""
        name = context.get("output_file")
        if not isinstance(name, str) or not name:
            return Template.render(template, context)
        try:
            fingerprint = self.fingerprint(template, context)
        except Unstable:
            fingerprint = None
        if fingerprint is None:
            self._record("unfingerprinted", name)
            return Template.render(template, context)
        if self.unchanged_file(name, fingerprint, template.name):
            return ""  # the writer asks _open_w for the file next; it gets a null file
        text = Template.render(template, context)
        self._record("rendered", name, fingerprint, template.name)
        return text

    def unchanged_file(self, name, fingerprint, kind):
        """True, and the next _open_w of this file opens a null file, when ``name`` (relative to
        the output folder) was last written from this fingerprint and is untouched since."""
        path = sanitised_join(self.output, name)
        known = self.pages.get(name)
        if known and known[:2] == [fingerprint, kind] and _stamp(path) == known[2:]:
            self.unchanged.add(path)
            self._record("skipped", name, None, kind)
            return True
        return False

    def feed_fingerprint(self, path, header, elements):
        """A feed file: its path and header fields, and each entry's post in full."""
        try:
            parts = [self.base, "feed", path, *(self.digester.value(value) for value in header)]
            parts += [self.own_digest(item) for item in elements]
        except Unstable:
            return None
        return _h(*parts)

    def record_feed(self, name, fingerprint):
        self._record("rendered", name, fingerprint, "feed")

    # the record

    def _record(self, what, name, fingerprint=None, template_name=None):
        # Forked workers render too: each process appends to its own journal, line-buffered so
        # a worker's lines are on disk when it exits; the build process merges them at the end.
        pid = os.getpid()
        if self.journal is None or self.journal_pid != pid:
            os.makedirs(self.folder, exist_ok=True)
            self.journal = open(os.path.join(self.folder, f"journal-{pid}.txt"), "a", encoding="utf-8",
                                buffering=1)
            self.journal_pid = pid
        self.journal.write(json.dumps([what, name, fingerprint, template_name]) + "\n")

    def _journals(self):
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return []
        return [os.path.join(self.folder, n) for n in names if n.startswith("journal-") and n.endswith(".txt")]

    def _drop_journals(self):
        for path in self._journals():
            try:
                os.remove(path)
            except OSError:
                pass

    def _load(self):
        try:
            with open(os.path.join(self.folder, MANIFEST), encoding="utf-8") as handle:
                data = json.load(handle)
            if data.get("format") != FORMAT:
                return {}
            return data
        except (OSError, ValueError, AttributeError):
            return {}

    def save(self):
        """Merge this build's journals: each page rendered now, with its file's size and time."""
        if self.journal is not None and self.journal_pid == os.getpid():
            self.journal.close()
        pages = dict(self.pages)
        for path in self._journals():
            try:
                with open(path, encoding="utf-8") as handle:
                    lines = handle.readlines()
                os.remove(path)
            except OSError:
                continue
            for line in lines:
                try:
                    what, page, fingerprint, template_name = json.loads(line)
                    STATS[f"feeds_{what}" if template_name == "feed" else what] += 1
                except (ValueError, KeyError):
                    continue  # a torn line: that page is simply rendered next time
                if what != "rendered":
                    continue
                stamp = _stamp(sanitised_join(self.output, page))
                if stamp is None:
                    pages.pop(page, None)
                else:
                    pages[page] = [fingerprint, template_name, *stamp]
        os.makedirs(self.folder, exist_ok=True)
        data = {"format": FORMAT, "pages": pages, "summaries": self.new_summaries, "templates": self.templates}
        temporary = os.path.join(self.folder, f"{MANIFEST}.{os.getpid()}.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"), sort_keys=True)
        os.replace(temporary, os.path.join(self.folder, MANIFEST))


def _stamp(path):
    """[size, modification time in ns] of a file, or None; a page rewritten or touched since
    the record no longer matches."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _file_stamp(path):
    stamp = _stamp(path)
    return f"{path}:missing" if stamp is None else f"{path}:{stamp[0]}:{stamp[1]}"


def _tree_stamp(root):
    parts = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            parts.append(_file_stamp(os.path.join(folder, name)))
    return _h(root, *parts)


def site_content(generators):
    """Every content object the generators hold (posts, pages, profiles, drafts), in a fixed order."""
    seen, items = set(), []

    def add(value):
        if isinstance(value, Content) and id(value) not in seen:
            seen.add(id(value))
            items.append(value)

    for generator in generators:
        for value in vars(generator).values():
            if isinstance(value, (list, tuple)):
                for item in value:
                    add(item)
            elif isinstance(value, dict):
                for item in value.values():
                    if isinstance(item, (list, tuple)):
                        for sub in item:
                            add(sub)
                    else:
                        add(item)
    # A stable sort: objects that tie keep the generators' own (deterministic) order.
    return sorted(items, key=lambda i: (type(i).__qualname__, i.source_path or "", str(getattr(i, "lang", "") or "")))


# --- what templates read ------------------------------------------------------------------


def analyse_template(env, name, source):
    """What one template reads: [names from the context, templates it pulls in (None for a
    computed include or import), full-text reads, includes]. A full-text read is [name or None,
    names bound around it]; an include is [template, names bound around it]."""
    tree = env.parse(source, name)
    names = sorted(meta.find_undeclared_variables(tree))
    refs = list(meta.find_referenced_templates(tree))
    reads, includes = [], []

    def targets(node):
        return {n.name for n in node.find_all(nodes.Name)} | ({node.name} if isinstance(node, nodes.Name) else set())

    def visit(node, bound):
        if isinstance(node, nodes.For):
            visit(node.iter, bound)
            inner = bound | targets(node.target)
            for child in [*node.body, *(node.test and [node.test] or [])]:
                visit(child, inner)
            for child in node.else_:
                visit(child, bound)
            return
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = bound | {arg.name for arg in node.args}
            if isinstance(node, nodes.CallBlock):
                visit(node.call, bound)
            for child in node.body:
                visit(child, inner)
            return
        if isinstance(node, nodes.With):
            for value in node.values:
                visit(value, bound)
            inner = bound | set().union(*(targets(t) for t in node.targets))
            for child in node.body:
                visit(child, inner)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            # {% set %} rebinds a name for the rest of the template: count it as bound everywhere.
            assigned.update(targets(node.target))
        if isinstance(node, nodes.Include):
            template = node.template.value if isinstance(node.template, nodes.Const) else None
            includes.append([template, sorted(bound)])
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if attr in BODY:
                owner = node.node.name if isinstance(node.node, nodes.Name) else None
                reads.append([owner, sorted(bound)])
        for child in node.iter_child_nodes():
            visit(child, bound)

    assigned = set()
    visit(tree, set())
    for read in reads:
        read[1] = sorted(set(read[1]) | assigned)
    for include in includes:
        include[1] = sorted(set(include[1]) | assigned)
    return [names, refs, reads, includes]


def shows_other_bodies(analyses, name, bound=frozenset(), seen=None):
    """Whether pages of template ``name`` can show the full text of anything but their own
    post, page or profile: a body read through ``article``, ``page`` or ``speaker`` as the writer
    passed them is the page's own; through a loop variable, a macro argument, a ``set`` name
    or any other expression it may be another post's. Included templates are followed with the
    names bound around the include; extended and imported ones with none."""
    seen = set() if seen is None else seen
    if (name, bound) in seen:
        return False
    seen.add((name, bound))
    if name not in analyses:
        return True
    _, refs, reads, includes = analyses[name][1]
    for owner, around in reads:
        if owner not in OWN or owner in bound or owner in around:
            return True
    included = set()
    for template, around in includes:
        if template is None:
            return True
        included.add(template)
        if shows_other_bodies(analyses, template, bound | frozenset(around), seen):
            return True
    for ref in refs:
        if ref is None:
            return True
        if ref not in included and shows_other_bodies(analyses, ref, frozenset(), seen):
            return True
    return False


def analyse_templates(env, known):
    """{template: analysis} for every template the loader lists, parsing only sources not seen
    in an earlier build (``known`` maps a source digest to its analysis); None when the loader
    cannot list its templates or a template cannot be parsed."""
    try:
        listed = env.list_templates()
    except TypeError:
        return None
    result = {}
    for name in listed:
        try:
            source = env.loader.get_source(env, name)[0]
        except Exception:
            return None
        key = _h(name, source)
        analysis = known.get(key)
        if analysis is None:
            try:
                analysis = analyse_template(env, name, source)
            except Exception:  # Jinja reports a broken template when it is used
                return None
        result[name] = (key, analysis)
    return result


def template_names(analyses):
    """{template name: every name its whole tree reads, or None if the tree has a computed include}."""
    result = {}
    for name in analyses:
        names, pending, visited = set(), [name], set()
        while pending:
            current = pending.pop()
            if current is None or current not in analyses:
                names = None
                break
            if current in visited:
                continue
            visited.add(current)
            direct, refs = analyses[current][1][:2]
            names.update(direct)
            pending.extend(refs)
        result[name] = frozenset(names) if names is not None else None
    return result


def foreign_code(env):
    """Filters or globals from outside the kit, Pelican and Jinja might read any post's text."""
    for function in list(env.filters.values()) + list(env.globals.values()):
        module = (getattr(function, "__module__", None) or "").removeprefix("pelican.plugins.")
        if callable(function) and module.split(".")[0] not in KNOWN_CODE + KIT_PLUGINS:
            return True
    return False
