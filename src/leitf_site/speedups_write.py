"""SPEEDUP_PARALLEL_WRITE: render the articles generator's pages in forked workers.

Rendering templates is most of what the kit adds to a build, and it runs on one core. The
articles generator writes every post, archive, tag, category and author page in one
deterministic sequence (``generate_pages``) of ``writer.write_file`` calls. Each worker,
forked just before that sequence, runs it but makes only its share of the calls (each call
goes to the worker with the fewest pages so far, counting a paginated listing as its pages)
and skips the others. Once every worker has finished, the build process
runs the sequence once more making every call without rendering or writing anything, so
that Pelican's writer bookkeeping (overwrite checks), the shared context and every signal
(``article_generator_write_article``, ``content_written``) happen in the build process, in
the serial order, after the files exist. Warnings logged during a worker's call are
replayed at that call's turn.

If any worker fails (a template error, ``--fatal warnings``), the build process runs the
sequence again serially, which writes every file itself and reports the error exactly as
Pelican would.

A plugin generator's ``generate_pages`` may also call ``writer.write_feed``: feeds in the
sequence are shared among workers the same way. A worker builds
and writes the feed (``feed_generated`` fires there too, so a receiver that edits the feed
edits what is written; ``feed_written`` is muted). The build process replays every call:
it builds the same feed object, sends ``feed_generated`` and ``feed_written`` and does the
writer's bookkeeping, without serializing or writing the feed. A writer that can hand over
the per-post work it did for a feed (``export_feed_entries``/``adopt_feed_entries``, as the
kit's FeedWriter does) sends it back with the worker's results, so the build process does
not do that work again; with any other writer the build process simply redoes it. The
formats of one feed (the same posts) go to the same worker, which builds their entries once;
when a worker moves on to a feed of other posts, a writer with ``forget_feed_entries`` (the
kit's FeedWriter) drops the entries it kept, so a worker does not grow by every post's text.
"""

import functools
import logging
import os

from pelican import signals
from pelican.writers import FileOverwriteFailedError

from . import speedups

writer_logger = logging.getLogger("pelican.writers")

_worker = {}


def install(generator):
    """article_generator_init: route this generator's generate_pages through parallel_pages."""
    generator.generate_pages = functools.partial(parallel_pages, generator)


def install_for_plugin_generator(generator):
    """generator_init: a plugin's generator that writes its files in ``generate_pages`` (a
    deterministic sequence of write_file and write_feed calls, nothing else) and says how
    many with ``page_count()`` gets the same parallel writing (speaker_profiles' feeds,
    profiles and index do)."""
    if callable(getattr(type(generator), "generate_pages", None)) and callable(
            getattr(generator, "page_count", None)):
        install(generator)


def _page_items(generator):
    if callable(getattr(generator, "page_count", None)):
        return generator.page_count()
    return (len(generator.translations) + len(generator.articles)
            + len(generator.hidden_translations) + len(generator.hidden_articles))


def _serial(generator, writer):
    return type(generator).generate_pages(generator, writer)


def parallel_pages(generator, writer):
    settings = generator.settings
    workers = speedups.worker_count(settings)
    if (
        not settings.get("SPEEDUP_PARALLEL_WRITE", True)
        or not speedups.can_fork()
        or workers < 2
        or _page_items(generator) < int(settings.get("SPEEDUP_PARALLEL_MIN_FILES", 0))
    ):
        return _serial(generator, writer)

    speedups.remember_urls_now(generator)
    _worker.update(generator=generator, writer=writer, count=workers)
    try:
        results = speedups.run_in_workers(_write_share, range(workers), workers)
    finally:
        _worker.clear()
    if results is None or not all(ok for ok, _records, _handed in results):
        return _serial(generator, writer)

    replay, handed = {}, {}
    for _ok, records, handed_over in results:
        replay.update(records)
        handed.update(handed_over)
    speedups.STATS["parallel_write_generators"].add(type(generator).__name__)
    _run(generator, writer, _Share(None, workers, settings, replay=replay, handed=handed))


class _Share:
    """Numbers the writer's write_file and write_feed calls identically in every process.

    A worker makes only the calls it owns and skips the rest outright. The build process makes
    every call without rendering or writing, so its bookkeeping, shared context and signals end
    up as in a serial build.
    """

    def __init__(self, index, count, settings, replay=None, handed=None):
        self.index = index  # this worker's number; None in the build process
        self.count = count
        self.settings = settings
        self.calls = 0
        self.loads = [0] * count  # pages given to each worker so far
        self.records = {}  # worker: call number -> log records logged during that call
        self.replay = replay or {}  # build process: the same, gathered from the workers
        # write_feed: call number -> what the worker's writer hands over (export_feed_entries)
        self.handed = {} if handed is None else handed
        self.collector = None
        self.last_feed = None  # (the posts of the last write_feed call, its owner)
        self.owned_feed = None  # worker: the posts of the last feed it wrote

    def write_file(self, real_write_file, args, kwargs):
        number = self.calls
        self.calls += 1
        # Every process computes the same owner: the least loaded worker so far.
        owner = min(range(self.count), key=self.loads.__getitem__)
        self.loads[owner] += self.pages(kwargs)
        if self.index is None:
            self.replay_records(number, "parallel_write_pages")
            return real_write_file(*args, **kwargs)
        if owner != self.index:
            return None
        return self.recording(number, real_write_file, args, kwargs)

    def replay_records(self, number, counter):
        """Build process: log what the worker logged during call ``number``, at its turn."""
        if number in self.replay:
            speedups.STATS[counter] += 1
        for record in self.replay.get(number, ()):
            speedups._replay(record)

    def recording(self, number, call, args, kwargs):
        """Worker: make call ``number``, keeping what it logs for the build process."""
        self.collector.records.clear()
        self.collector.active = True
        try:
            return call(*args, **kwargs)
        finally:
            self.collector.active = False
            self.records[number] = [speedups._portable(r) for r in self.collector.records]

    def write_feed(self, writer, real_write_feed, args, kwargs):
        number = self.calls
        self.calls += 1
        elements = args[0] if args else kwargs.get("elements", ())
        listed = elements[: self.settings.get("FEED_MAX_ITEMS")]
        posts = tuple(map(id, listed))  # the same in every process: they all forked from one
        if self.last_feed is not None and self.last_feed[0] == posts:
            # The next format of the same feed (Atom, then RSS...): where its entries are built.
            owner = self.last_feed[1]
        else:
            owner = min(range(self.count), key=self.loads.__getitem__)
        self.last_feed = (posts, owner)
        # Feeds cost about one unit per entry (capped as the writer caps them).
        self.loads[owner] += 1 + len(listed)
        if self.index is None:
            self.replay_records(number, "parallel_write_feeds")
            if number in self.handed:
                writer.adopt_feed_entries(elements, self.handed[number])
            return real_write_feed(*args, **kwargs)
        if owner != self.index:
            return None
        if self.owned_feed != posts and callable(getattr(writer, "forget_feed_entries", None)):
            # Another feed's posts (the next person's): a worker seldom meets the last ones
            # again, and keeping every entry it built would grow it by their whole text.
            writer.forget_feed_entries()
        self.owned_feed = posts
        try:
            return self.recording(number, real_write_feed, args, kwargs)
        finally:
            if callable(getattr(writer, "export_feed_entries", None)):
                self.handed[number] = writer.export_feed_entries(elements)

    def pages(self, kwargs):
        """How many pages a write_file call renders (a paginated listing renders several)."""
        templates = self.settings["PAGINATED_TEMPLATES"]
        name = kwargs.get("template_name")
        listed = kwargs.get("articles") if kwargs.get("paginated") is None else None
        if name not in templates or not listed:
            return 1
        per_page = templates[name] or self.settings["DEFAULT_PAGINATION"]
        return -(-len(listed) // per_page) if per_page else 1


class _UnrenderedTemplate:
    """What the build process renders: nothing. The workers wrote the real page."""

    def __init__(self, template):
        self._template = template

    def render(self, *args, **kwargs):
        return ""

    def __getattr__(self, name):
        return getattr(self._template, name)


def _bookkeeping_open_w(writer):
    """Writer._open_w's checks and messages, without touching the file a worker wrote."""

    def open_w(filename, encoding, override=False):
        if filename in writer._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            writer_logger.info('Skipping "%s", not overwriting', filename)
            filename = os.devnull
        elif filename in writer._written_files:
            if override:
                writer_logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it '
                    "previously (set `override=True` if intended)"
                )
        if override:
            writer._overridden_files.add(filename)
        writer._written_files.add(filename)
        return open(os.devnull, "w", encoding=encoding)

    return open_w


def _run(generator, writer, share):
    # generate_pages binds writer.write_file into a partial when it starts, so an instance
    # attribute set now is what every page goes through.
    real_write_file, real_write_feed = writer.write_file, writer.write_feed
    writer.write_file = lambda *args, **kwargs: share.write_file(real_write_file, args, kwargs)
    writer.write_feed = lambda *args, **kwargs: share.write_feed(writer, real_write_feed, args, kwargs)
    unserialized = share.index is None and callable(getattr(writer, "feed_text", None))
    if share.index is None:
        real_get_template = type(generator).get_template
        generator.get_template = lambda name: _UnrenderedTemplate(real_get_template(generator, name))
        writer._open_w = _bookkeeping_open_w(writer)
        writer.replaying = True  # a writer may skip work only the file needed (FeedWriter does)
        if unserialized:
            writer.feed_text = lambda feed: ""  # the worker wrote the real feed
    try:
        _serial(generator, writer)
    finally:
        del writer.write_file
        del writer.write_feed
        if share.index is None:
            del generator.get_template
            del writer._open_w
            del writer.replaying
            if unserialized:
                del writer.feed_text


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records = []
        self.active = False

    def emit(self, record):
        if self.active:
            self.records.append(record)


def _write_share(index):
    generator, writer, count = _worker["generator"], _worker["writer"], _worker["count"]
    share = _Share(index, count, generator.settings)
    share.collector = _Collect()
    logging.getLogger().handlers[:] = [share.collector]
    try:
        # The build process sends content_written/feed_written itself, once the file is on disk.
        with signals.content_written.muted(), signals.feed_written.muted():
            _run(generator, writer, share)
        return True, share.records, share.handed
    except Exception:  # the build process runs the sequence serially and reports it
        return False, {}, {}
