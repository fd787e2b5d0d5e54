"""SPEEDUP_PARALLEL_WRITE: render the articles generator's pages in forked workers.

Rendering templates is most of what the kit adds to a build, and it runs on one core. The
articles generator writes every post, archive, tag, category and author page in one
deterministic sequence (``generate_pages``). Each worker, forked just before that sequence,
runs the whole sequence but renders and writes only its share of the pages (page i goes to
worker i mod n); for the rest it only does the cheap bookkeeping. Once every worker has
finished, the build process runs the sequence once more without rendering anything, so
that Pelican's writer bookkeeping, the shared context and every signal
(``article_generator_write_article``, ``content_written``) happen in the build process, in
the serial order, after the files exist. Warnings logged while a worker rendered a page
are replayed at that page's turn.

If any worker fails (a template error, ``--fatal warnings``), the build process runs the
sequence again serially, which writes every file itself and reports the error exactly as
Pelican would.
"""

import functools
import logging
import multiprocessing
import os

from pelican import signals
from pelican.writers import FileOverwriteFailedError

from . import speedups

writer_logger = logging.getLogger("pelican.writers")

_worker = {}


def install(generator):
    """article_generator_init: route this generator's generate_pages through parallel_pages."""
    generator.generate_pages = functools.partial(parallel_pages, generator)


def _serial(generator, writer):
    return type(generator).generate_pages(generator, writer)


def parallel_pages(generator, writer):
    settings = generator.settings
    articles = (len(generator.translations) + len(generator.articles)
                + len(generator.hidden_translations) + len(generator.hidden_articles))
    workers = speedups.worker_count(settings)
    if (
        not settings.get("SPEEDUP_PARALLEL_WRITE", True)
        or "fork" not in multiprocessing.get_all_start_methods()
        or workers < 2
        or articles < int(settings.get("SPEEDUP_PARALLEL_MIN_FILES", 0))
    ):
        return _serial(generator, writer)

    _worker.update(generator=generator, writer=writer, count=workers)
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            results = pool.map(_write_share, range(workers))
    finally:
        _worker.clear()
    if not all(ok for ok, _ in results):
        return _serial(generator, writer)

    replay = {}
    for _, records in results:
        replay.update(records)
    speedups.STATS["parallel_write_pages"] = sum(1 for _ in replay)
    _run(generator, writer, _Share(None, workers, replay=replay))


class _Share:
    """Counts renders identically in every process and decides which ones happen here."""

    def __init__(self, index, count, replay=None):
        self.index = index  # this worker's number; None in the build process
        self.count = count
        self.renders = 0
        self.owned = False
        self.records = {}  # worker: render number -> log records logged while rendering it
        self.replay = replay or {}  # build process: the same, gathered from the workers
        self.collector = None

    def render(self, template, args, kwargs):
        number = self.renders
        self.renders += 1
        self.owned = self.index is not None and number % self.count == self.index
        if self.index is None:
            self.records_for(number)
            return ""
        if not self.owned:
            return ""
        self.collector.records.clear()
        self.collector.active = True
        try:
            return template.render(*args, **kwargs)
        finally:
            self.collector.active = False
            self.records[number] = [speedups._portable(r) for r in self.collector.records]

    def records_for(self, number):
        for record in self.replay.get(number, ()):
            speedups._replay(record)


class _ShareTemplate:
    def __init__(self, template, share):
        self._template = template
        self._share = share

    def render(self, *args, **kwargs):
        return self._share.render(self._template, args, kwargs)

    def __getattr__(self, name):
        return getattr(self._template, name)


def _open_w_for(writer, share):
    """Writer._open_w with Pelican's bookkeeping; only pages rendered here reach the disk."""
    real_open_w = type(writer)._open_w

    def open_w(filename, encoding, override=False):
        if share.owned:
            return real_open_w(writer, filename, encoding, override=override)
        # The same checks and messages as Pelican's Writer._open_w, without touching the file.
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
    real_get_template = type(generator).get_template
    generator.get_template = lambda name: _ShareTemplate(real_get_template(generator, name), share)
    writer._open_w = _open_w_for(writer, share)
    try:
        _serial(generator, writer)
    finally:
        del generator.get_template
        del writer._open_w


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
    share = _Share(index, count)
    share.collector = _Collect()
    logging.getLogger().handlers[:] = [share.collector]
    try:
        # The build process sends content_written itself, once the file is on disk.
        with signals.content_written.muted():
            _run(generator, writer, share)
        return True, share.records
    except Exception:  # the build process runs the sequence serially and reports it
        return False, {}
