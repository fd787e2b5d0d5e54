"""Speed-ups (issue 8): the output is byte-identical with every speed-up on, off, and each alone.

No timings here; the benchmark (benchmarks/run.py) measures speed.
"""

import os
import sys
from pathlib import Path

import pytest

from helpers import REPO, cli_build, run_build, write_tree

sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402

from leitf_site import speedups  # noqa: E402

SPEEDUPS = ["SPEEDUP_MARKDOWN_REUSE", "SPEEDUP_PARALLEL_READ", "SPEEDUP_PARALLEL_WRITE",
            "SPEEDUP_TEMPLATE_CACHE", "SPEEDUP_DATE_CACHE", "SPEEDUP_URL_CACHE",
            "SPEEDUP_PARALLEL_SANITIZE", "SPEEDUP_SANITIZE_CACHE", "SPEEDUP_RENDER_CACHE",
            "SPEEDUP_LISTING_SETS", "SPEEDUP_GC_FREEZE", "SPEEDUP_DATE_PARSE"]
ALL_OFF = {name: False for name in SPEEDUPS}
ALL_ON = {name: True for name in SPEEDUPS}
# Small corpora still take the parallel path, with two workers even on a one-core machine.
FORCE_PARALLEL = {"SPEEDUP_PARALLEL_MIN_FILES": 1, "SPEEDUP_PARALLEL_WORKERS": 2}

# Cases a generated corpus does not cover: every Markdown extension Pelican enables by
# default keeps state between documents somewhere (footnotes, abbreviations, code blocks,
# attribute lists), a formatted Summary (converted with the "meta" preprocessor removed),
# internal links, a translation, a draft and a hidden post.
EXTRA_POSTS = {
    "posts/blog/footnotes-a.md": """
        Title: Footnotes A
        Date: 2020-01-01 10:00
        Category: Blog
        Summary: A *formatted* summary with a [link](https://example.org/).

        First claim.[^a] Second claim.[^b]

        [^a]: The first note.
        [^b]: The second note.

        *[LEITF]: Law Enforcement Immigration Task Force

        The LEITF met.
        """,
    "posts/blog/footnotes-b.md": """
        Title: Footnotes B
        Date: 2020-01-02 10:00
        Category: Blog
        Tags: border, data

        Another claim.[^a] No abbreviation carried over: LEITF.

        [^a]: Its own note.

        ```python
        def hello():
            return "<b>escaped</b>"
        ```

        Term
        :   Definition list entry.

        A paragraph with attributes.
        {: .lead #intro }

        <div markdown="1">
        *Markdown* inside HTML.
        </div>

        See [footnotes A]({filename}/posts/blog/footnotes-a.md).
        """,
    "posts/blog/translated-en.md": """
        Title: Translated
        Date: 2020-01-03 10:00
        Category: Blog
        Slug: translated
        Lang: en

        In English.
        """,
    "posts/blog/translated-es.md": """
        Title: Traducido
        Date: 2020-01-03 10:00
        Category: Blog
        Slug: translated
        Lang: es

        En español.
        """,
    "posts/blog/draft.md": """
        Title: A Draft
        Date: 2020-01-04 10:00
        Category: Blog
        Status: draft

        Not yet.
        """,
    "posts/blog/hidden.md": """
        Title: Hidden
        Date: 2020-01-05 10:00
        Category: Blog
        Status: hidden

        Only by link.
        """,
    "pages/about.md": """
        Title: About
        Slug: about
        Summary: About *us*.

        A page with a footnote.[^p]

        [^p]: Page note.
        """,
}

EXCLUDES = {"ARTICLE_EXCLUDES": ["pages", "speakers", "categories", "files"], "STATIC_PATHS": ["files"]}


@pytest.fixture(scope="module")
def varied_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("speedups-corpus")
    content = corpus.generate(root, posts=60, speakers=6, seed=3)
    write_tree(content, EXTRA_POSTS)
    return content


def tree(output):
    output = Path(output)
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def build(tmp_path, content, name, **settings):
    result = run_build(content, tmp_path / name, **{**EXCLUDES, **FORCE_PARALLEL, **settings})
    return tree(result.output)


def assert_same_tree(expected, actual):
    assert sorted(expected) == sorted(actual)
    different = [rel for rel in expected if expected[rel] != actual[rel]]
    assert not different, f"{len(different)} files differ, e.g. {different[:5]}"


def test_all_on_and_all_off_give_identical_output(tmp_path, varied_corpus):
    off = build(tmp_path, varied_corpus, "off", **ALL_OFF)
    on = build(tmp_path, varied_corpus, "on", **ALL_ON)
    # The fixture really exercised what it claims to.
    assert len([rel for rel in off if rel.endswith(".html")]) > 60
    assert any(b"footnote" in body for body in off.values())
    assert speedups.STATS["read_ahead_files"] >= 60
    assert speedups.STATS["parallel_write_pages"] > 60
    # Speaker profiles (speaker_profiles' generate_pages) are shared among the workers too.
    assert speedups.STATS["parallel_write_generators"] == {"ArticlesGenerator", "SpeakerGenerator"}
    # Speaker files were converted in the workers too.
    assert "SpeakerGenerator" in speedups.STATS["read_ahead_generators"]
    # Speaker feeds (speaker_profiles' generate_feeds) were written by the workers: two per
    # speaker with posts.
    assert speedups.STATS["parallel_write_feeds"] >= 2
    # With no plugin listening to feed signals, the build process builds none of those feeds again.
    assert speedups.STATS["feeds_left_to_workers"] == speedups.STATS["parallel_write_feeds"]
    # Mention linking (speaker_profiles) ran in the workers too, for every post.
    assert speedups.STATS["parallel_mapped_items"] >= 60
    assert speedups.STATS["urls_remembered"] > 60
    # The theme's cleaning of footnotes and tables came from the read-ahead workers.
    assert speedups.STATS["precomputed_used"] >= 3
    assert_same_tree(off, on)


@pytest.mark.parametrize("alone", SPEEDUPS)
def test_each_speedup_alone_gives_identical_output(tmp_path, varied_corpus, alone):
    off = build(tmp_path, varied_corpus, "off", **ALL_OFF)
    one = build(tmp_path, varied_corpus, "one", **{**ALL_OFF, alone: True})
    assert_same_tree(off, one)


def test_markdown_reuse_makes_one_instance_per_reader(tmp_path, varied_corpus):
    build(tmp_path, varied_corpus, "reuse", **{**ALL_OFF, "SPEEDUP_MARKDOWN_REUSE": True})
    # One per generator that reads Markdown (posts, pages, speakers, category files), not one per file.
    assert 1 <= speedups.STATS["markdown_instances"] <= 4
    build(tmp_path, varied_corpus, "fresh", **ALL_OFF)
    assert speedups.STATS["markdown_instances"] == 0


def test_parallel_read_takes_files_from_workers(tmp_path, varied_corpus):
    build(tmp_path, varied_corpus, "parallel", **{**ALL_OFF, "SPEEDUP_PARALLEL_READ": True})
    assert speedups.STATS["read_ahead_files"] >= 66
    build(tmp_path, varied_corpus, "serial", **{**ALL_OFF, "SPEEDUP_PARALLEL_READ": True,
                                               "SPEEDUP_PARALLEL_MIN_FILES": 10_000})
    assert speedups.STATS["read_ahead_files"] == 0


# A plugin that changes metadata in article_generator_context and counts content objects:
# those signals must still fire in the build process when reading is parallel.
SIGNAL_PLUGIN = '''
import os

from pelican import signals

SEEN = []
WRITING = []
WRITTEN = []
FEEDS = []


def mark(generator, metadata):
    metadata["title"] = metadata["title"] + " [seen]"


def count(content):
    SEEN.append(content.source_path)


def writing(generator, content):
    WRITING.append(content.source_path)


def written(path, context):
    # The file is complete on disk when the signal arrives, as in a serial build.
    with open(path, encoding="utf-8") as handle:
        WRITTEN.append((context["output_file"], len(handle.read())))


def feed_made(context, feed):
    FEEDS.append(("generated", feed.feed["title"], len(feed.items)))


def feed_done(path, context, feed):
    with open(path, encoding="utf-8") as handle:
        rel = os.path.relpath(path, context["OUTPUT_PATH"])
        FEEDS.append(("written", rel, len(handle.read()), len(feed.items)))


def register():
    signals.feed_generated.connect(feed_made)
    signals.feed_written.connect(feed_done)
    signals.article_generator_context.connect(mark)
    signals.content_object_init.connect(count)
    signals.article_generator_write_article.connect(writing)
    signals.content_written.connect(written)
'''


def test_reading_signals_still_fire_in_the_build_process(tmp_path, varied_corpus):
    plugins = write_tree(tmp_path / "plugins", {"signal_probe/__init__.py": SIGNAL_PLUGIN})
    from helpers import KIT_PLUGINS

    settings = {"PLUGIN_PATHS": [str(REPO / "plugins"), str(plugins)], "PLUGINS": [*KIT_PLUGINS, "signal_probe"]}
    off = build(tmp_path, varied_corpus, "off", **ALL_OFF, **settings)
    probe = sys.modules["signal_probe"]
    serial = {name: list(getattr(probe, name)) for name in ("SEEN", "WRITING", "WRITTEN", "FEEDS")}
    for name in serial:
        getattr(probe, name).clear()
    on = build(tmp_path, varied_corpus, "on", **ALL_ON, **settings)
    assert speedups.STATS["read_ahead_files"] >= 60 and speedups.STATS["parallel_write_pages"] > 60
    assert sorted(probe.SEEN) == sorted(serial["SEEN"]) and len(serial["SEEN"]) >= 66
    # Writing signals arrive in the build process, in the serial order.
    assert probe.WRITING == serial["WRITING"] and len(serial["WRITING"]) >= 64
    assert probe.WRITTEN == serial["WRITTEN"] and len(serial["WRITTEN"]) > 90
    # Feed signals too, speaker feeds included (written by the workers), each file complete.
    assert speedups.STATS["parallel_write_feeds"] >= 2
    assert speedups.STATS["feeds_left_to_workers"] == 0  # the probe listens: each feed is rebuilt for it
    assert probe.FEEDS == serial["FEEDS"]
    assert any(kind == "written" and "speaker" in path for kind, path, *_ in serial["FEEDS"])
    assert b"Footnotes A [seen]" in on["index.html"] or any(b"Footnotes A [seen]" in b for b in on.values())
    assert_same_tree(off, on)


DUPLICATE_SLUG = {
    f"posts/p{i:02d}.md": f"Title: Post {i}\nDate: 2021-01-{i + 1:02d}\nCategory: Blog\n\nBody {i}.\n"
    for i in range(8)
}
DUPLICATE_SLUG["posts/twice.md"] = "Title: Twice\nSlug: one\nSlug: two\nDate: 2021-02-01\nCategory: Blog\n\nBody.\n"
# A warning logged while a page renders (in a worker when writing is parallel).
DUPLICATE_SLUG["posts/p03.md"] += "\nA [broken link]({filename}/posts/missing.md).\n"


def test_worker_warnings_reach_the_build_log(tmp_path):
    logs = {}
    for name, settings in (("off", ALL_OFF), ("on", ALL_ON)):
        # Pelican logs a message once per process; a second folder gives it a new path.
        files = {rel: body.replace("missing.md", f"missing-{name}.md") for rel, body in DUPLICATE_SLUG.items()}
        content = write_tree(tmp_path / name / "content", files)
        # STRICT_BUILD off: the broken link is logged as an error, and the log is what is compared.
        result = run_build(content, tmp_path / name / "output", allow_warnings=True,
                           **{**FORCE_PARALLEL, **settings, "STRICT_BUILD": False})
        logs[name] = result.warnings
        if name == "on":
            assert speedups.STATS["read_ahead_files"] == 9
            assert speedups.STATS["parallel_write_pages"] > 9
    assert len([w for w in logs["off"] if "Duplicate definition" in w and "twice.md" in w]) == 1
    assert len([w for w in logs["off"] if "missing-off.md" in w]) >= 1  # page and feed each resolve it
    assert logs["on"] == [line.replace("off", "on") for line in logs["off"]]


FAILING_TEMPLATE = {
    "article.html": '{{ article.title }}{% if article.title == "Post 3" %}{{ 1 // 0 }}{% endif %}\n',
}


@pytest.mark.parametrize("parallel", [False, True])
def test_a_template_error_in_a_worker_fails_the_build_as_before(tmp_path, parallel):
    overrides = write_tree(tmp_path / "overrides", FAILING_TEMPLATE)
    posts = {k: v for k, v in DUPLICATE_SLUG.items() if k != "posts/twice.md"}
    settings = {**ALL_ON, "SPEEDUP_PARALLEL_WRITE": parallel, **FORCE_PARALLEL,
                "THEME_TEMPLATES_OVERRIDES": [str(overrides)], "FEED_DOMAIN": "https://example.org"}
    code, log = cli_build(tmp_path / "site", posts, settings)
    assert code != 0, log
    assert "ZeroDivisionError" in log, log


@pytest.mark.parametrize("parallel", [False, True])
def test_fatal_warnings_still_fail_the_build(tmp_path, parallel):
    settings = {**ALL_ON, "SPEEDUP_PARALLEL_READ": parallel, **FORCE_PARALLEL, "FEED_DOMAIN": "https://example.org"}
    code, log = cli_build(tmp_path, DUPLICATE_SLUG, settings, extra_args=("--fatal", "warnings"))
    assert code != 0, log
    assert "Duplicate definition" in log, log


def test_footnotes_with_unique_ids_turn_markdown_reuse_off():
    assert speedups.markdown_reuse_is_safe({"MARKDOWN": {"extension_configs": {}}})
    assert not speedups.markdown_reuse_is_safe(
        {"MARKDOWN": {"extension_configs": {"markdown.extensions.footnotes": {"UNIQUE_IDS": True}}}}
    )


def test_unknown_workers_setting_means_all_cores():
    assert speedups.worker_count({"SPEEDUP_PARALLEL_WORKERS": 3}) == 3
    assert speedups.worker_count({"SPEEDUP_PARALLEL_WORKERS": 0}) >= 1


def test_date_cache_formats_each_date_once_and_keeps_offsets_apart():
    from datetime import datetime, timedelta, timezone

    calls = []

    def long_date(value):
        calls.append(value)
        return f"{value:%Y-%m-%d}" if value else ""

    cached = speedups.remembering_date_filter(long_date)
    utc = datetime(2024, 1, 1, 1, 0, tzinfo=timezone.utc)
    same_instant_elsewhere = utc.astimezone(timezone(timedelta(hours=-5)))
    assert cached(utc) == cached(utc) == "2024-01-01"
    assert cached(same_instant_elsewhere) == "2023-12-31"
    assert cached(None) == cached(None)  # values without isoformat are not cached
    assert len(calls) == 4


def test_template_misses_are_remembered_until_the_loaders_change():
    from jinja2 import ChoiceLoader, DictLoader, Environment, TemplateNotFound

    class Counting(DictLoader):
        lookups = 0

        def get_source(self, environment, template):
            Counting.lookups += 1
            return super().get_source(environment, template)

    inner = ChoiceLoader([Counting({"a.html": "A"})])
    env = Environment(loader=speedups.MissRememberingLoader(inner), auto_reload=False)
    for _ in range(3):
        with pytest.raises(TemplateNotFound):
            env.get_template("missing.html")
    assert Counting.lookups == 1
    env.loader.loaders.insert(0, DictLoader({"missing.html": "now here"}))
    assert env.get_template("missing.html").render() == "now here"
    assert env.get_template("a.html").render() == "A"


def _bad_input_cases():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bad_input_speedups", Path(__file__).with_name("bad_input_speedups.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


@pytest.mark.parametrize("case", _bad_input_cases(), ids=lambda c: c["id"])
def test_bad_input_fails_with_one_line(tmp_path, case):
    from helpers import assert_one_line_error

    code, log = cli_build(tmp_path, case["files"], case["settings"])
    assert_one_line_error(code, log, *case["expect"])


def _worker_dies(*args):
    os._exit(3)


@pytest.mark.parametrize("step", ["read", "write"])
def test_a_killed_worker_means_serial_work_not_a_hang(tmp_path, varied_corpus, monkeypatch, step):
    from leitf_site import speedups_write

    off = build(tmp_path, varied_corpus, "off", **ALL_OFF)
    if step == "read":
        monkeypatch.setattr(speedups, "_read_in_worker", _worker_dies)
    else:
        monkeypatch.setattr(speedups_write, "_write_share", _worker_dies)
    on = build(tmp_path, varied_corpus, "on", **ALL_ON)
    assert speedups.STATS["read_ahead_files" if step == "read" else "parallel_write_pages"] == 0
    if step == "write":
        assert speedups.STATS["parallel_write_feeds"] == 0
    assert speedups.STATS["parallel_write_pages" if step == "read" else "read_ahead_files"] > 60
    assert_same_tree(off, on)


_real_read_in_worker = speedups._read_in_worker
_real_files_to_read = speedups.files_to_read
_reading = {}


def _noting_files_to_read(generator, files=None):
    paths = _real_files_to_read(generator, files)
    _reading["doomed"] = paths[-6] if len(paths) > 20 else None  # forked workers inherit this
    return paths


def _dies_late(path):
    # The workers take the files in reading order, so the ones before this were converted.
    if path == _reading.get("doomed"):
        os._exit(3)
    return _real_read_in_worker(path)


def test_workers_dying_half_way_through_reading_leave_the_rest_to_the_build_process(tmp_path, varied_corpus, monkeypatch):
    off = build(tmp_path, varied_corpus, "off", **ALL_OFF)
    build(tmp_path, varied_corpus, "whole", **ALL_ON)
    whole = speedups.STATS["read_ahead_files"]
    monkeypatch.setattr(speedups, "files_to_read", _noting_files_to_read)
    monkeypatch.setattr(speedups, "_read_in_worker", _dies_late)
    on = build(tmp_path, varied_corpus, "on", **ALL_ON)
    read_ahead = speedups.STATS["read_ahead_files"]
    # The first posts came from workers; from the one that killed its worker on, the build
    # process read them (speaker files are read ahead by a pool of their own).
    assert 0 < read_ahead <= whole - 6, (read_ahead, whole)
    assert_same_tree(off, on)


def test_idle_cores_leave_out_cores_other_processes_run_on(monkeypatch):
    monkeypatch.setattr(speedups, "usable_cores", lambda: 4)
    assert speedups.idle_cores("0.50 0.40 0.30 1/200 999") == 4  # only this build runs
    assert speedups.idle_cores("3.10 2.00 1.00 3/200 999") == 2  # two others running
    assert speedups.idle_cores("9.00 9.00 9.00 9/200 999") == 1  # busy: never below one
    assert speedups.idle_cores("garbled") == 4
    # A kernel thread that ran for one sample does not count; a program in every sample does.
    assert speedups.idle_cores(["1.0 1.0 1.0 2/200 9", "1.0 1.0 1.0 1/200 9", "1.0 1.0 1.0 2/200 9"]) == 4
    assert speedups.idle_cores(["1.0 1.0 1.0 2/200 9", "1.0 1.0 1.0 2/200 9"]) == 3


def test_cached_rebuild_with_compiled_templates_and_linked_mentions_is_identical(tmp_path, varied_corpus):
    """Content cache on (the devserver case): compiled templates and linked mentions are kept
    between builds, and the rebuild is byte-identical to a cold build."""
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    first = build(tmp_path, varied_corpus, "first", **ALL_ON, **cache)
    assert list((tmp_path / "cache" / "jinja").iterdir())
    assert (tmp_path / "cache" / "speaker_profiles-mentions.pickle").is_file()
    second = build(tmp_path, varied_corpus, "second", **ALL_ON, **cache)
    cold = build(tmp_path, varied_corpus, "cold", **ALL_OFF)
    assert_same_tree(first, second)
    assert_same_tree(cold, second)


def test_parallel_map_uses_workers_and_keeps_the_serial_order():
    data = list(range(101))
    on = {**FORCE_PARALLEL, "SPEEDUP_PARALLEL_READ": True}
    assert speedups.parallel_map(on, lambda i: i * i, data) == [i * i for i in data]
    pids = set(speedups.parallel_map(on, lambda i: os.getpid(), data))
    assert pids and os.getpid() not in pids  # computed in forked workers
    off = {**FORCE_PARALLEL, "SPEEDUP_PARALLEL_READ": False}
    assert set(speedups.parallel_map(off, lambda i: os.getpid(), data)) == {os.getpid()}


class _FeedProbe:
    """A writer for _Share: notes the feeds it writes and when it is told to forget entries."""

    def __init__(self):
        self.events = []

    def write_feed(self, elements, *args, **kwargs):
        self.events.append(("write", tuple(elements)))

    def forget_feed_entries(self):
        self.events.append(("forget",))


def test_feed_workers_keep_a_feeds_formats_together_and_forget_entries_between_feeds():
    from leitf_site import speedups_write

    posts = {name: [object() for _ in range(3)] for name in "abc"}
    # Each person's feed in three formats (the same post list), as speaker_profiles writes them.
    calls = [posts[name] for name in "abc" for _ in range(3)]
    owners = {}
    for index in (0, 1):
        share = speedups_write._Share(index, 2, {"FEED_MAX_ITEMS": 100})
        share.collector = speedups_write._Collect()
        writer = _FeedProbe()
        for elements in calls:
            share.write_feed(writer, writer.write_feed, (elements,), {})
        owners[index] = writer.events
    written = {index: [event[1] for event in events if event[0] == "write"] for index, events in owners.items()}
    # Every call is made by exactly one worker, and the three formats of a feed by the same one.
    assert sorted(map(id, written[0] + written[1])) == sorted(id(t) for t in written[0] + written[1])
    assert len(written[0]) + len(written[1]) == 9
    for name in "abc":
        holders = [index for index in (0, 1) if tuple(posts[name]) in written[index]]
        assert len(holders) == 1 and written[holders[0]].count(tuple(posts[name])) == 3
    # A worker forgets its entries when it moves on to another feed's posts, never between formats.
    for events in owners.values():
        for before, after in zip(events, events[1:]):
            if before[0] == "write" and after[0] == "write":
                assert before[1] == after[1]
        assert sum(1 for event in events if event[0] == "forget") == len({e[1] for e in events if e[0] == "write"})


def test_feed_writer_forgets_entries_unless_a_plugin_listens(monkeypatch):
    sys.path.insert(0, str(REPO / "plugins"))
    from blog_sections import feeds

    writer = feeds.FeedWriter("/nonexistent", settings={})
    writer._entries[1] = ("post", "entry", 0)
    monkeypatch.setattr(feeds, "feed_signals_heard", lambda: True)
    writer.forget_feed_entries()  # a listener may still be handed these entries
    assert writer._entries
    monkeypatch.setattr(feeds, "feed_signals_heard", lambda: False)
    writer.forget_feed_entries()
    assert not writer._entries


def test_the_build_process_drops_site_feed_entries_only_when_workers_write_the_rest(tmp_path, varied_corpus, monkeypatch):
    sys.path.insert(0, str(REPO / "plugins"))
    from blog_sections import feeds

    calls = []
    real = feeds.FeedWriter.forget_feed_entries

    def noting(self, *args, **kwargs):
        calls.append(os.getpid())  # a forked worker appends to its own copy
        return real(self, *args, **kwargs)

    monkeypatch.setattr(feeds.FeedWriter, "forget_feed_entries", noting)
    build(tmp_path, varied_corpus, "parallel", **ALL_ON)
    assert calls.count(os.getpid()) == 1  # once, after the site's JSON feeds
    calls.clear()
    build(tmp_path, varied_corpus, "serial", **{**ALL_ON, "SPEEDUP_PARALLEL_WRITE": False})
    assert calls == []  # speaker feeds are written here too: their entries are reused


def test_membership_list_answers_in_as_a_list_does():
    class Post:  # compares by identity, as Pelican's content does
        pass

    class Named:
        def __init__(self, name):
            self.name = name

        def __eq__(self, other):
            return isinstance(other, Named) and other.name == self.name

        __hash__ = None

    posts = [Post() for _ in range(5)]
    listed = speedups.MembershipList(posts[:3])
    assert listed == posts[:3] and [p in listed for p in posts] == [True, True, True, False, False]
    listed.append(posts[4])
    assert posts[4] in listed  # a change drops the remembered identities
    listed[0] = posts[3]
    assert posts[3] in listed and posts[0] not in listed
    listed.remove(posts[3])
    assert posts[3] not in listed
    listed.sort(key=id, reverse=True)  # keyword arguments pass through
    assert sorted(map(id, listed), reverse=True) == [id(p) for p in listed] and posts[4] in listed
    mixed = speedups.MembershipList([Named("a"), posts[0]])
    assert Named("a") in mixed and posts[0] in mixed and posts[1] not in mixed and Named("b") not in mixed
    import copy
    import pickle

    assert pickle.loads(pickle.dumps(speedups.MembershipList([1, 2]))) == [1, 2]
    assert 2 in copy.copy(speedups.MembershipList([1, 2]))


LISTING_PROBE = """
from pelican import signals

SEEN = {}


def look(generator):
    SEEN["tags"] = {tag: type(posts).__name__ for tag, posts in generator.tags.items()}
    SEEN["context_tags"] = [(type(posts).__name__, posts is generator.tags[tag]) for tag, posts in generator.context["tags"]]
    SEEN["categories"] = [type(posts).__name__ for _, posts in generator.context["categories"]]
    SEEN["same_categories"] = [a is b for (_, a), (_, b) in zip(generator.categories, generator.context["categories"])]


def look_at_articles(generators):
    for generator in generators:
        if hasattr(generator, "tags"):
            look(generator)


def register():
    signals.all_generators_finalized.connect(look_at_articles)
"""


def test_tag_and_category_lists_answer_from_sets_in_generator_and_context(tmp_path, varied_corpus):
    from helpers import KIT_PLUGINS

    plugins = write_tree(tmp_path / "plugins", {"listing_probe/__init__.py": LISTING_PROBE})
    # The probe registers after the kit, so it sees the lists the kit left.
    settings = {"PLUGIN_PATHS": [str(REPO / "plugins"), str(plugins)], "PLUGINS": [*KIT_PLUGINS, "listing_probe"]}
    for switch in (True, False):
        build(tmp_path, varied_corpus, f"listing-{switch}", **{**ALL_ON, **settings, "SPEEDUP_LISTING_SETS": switch})
        seen = sys.modules["listing_probe"].SEEN
        kind = "MembershipList" if switch else "list"
        assert seen["tags"] and set(seen["tags"].values()) == {kind}
        assert seen["context_tags"] and all(name == kind and same for name, same in seen["context_tags"])
        assert seen["categories"] and set(seen["categories"]) == {kind} and all(seen["same_categories"])


def test_gc_freeze_spares_workers_and_the_last_collection_and_thaws_for_the_next_build(tmp_path, varied_corpus, monkeypatch):
    import gc

    monkeypatch.setitem(speedups._gc_freeze, "on", True)
    seen = speedups.parallel_map({**FORCE_PARALLEL, "SPEEDUP_PARALLEL_READ": True}, lambda i: gc.get_freeze_count(), range(50))
    assert min(seen) > 1000  # each worker was forked with the build process's objects frozen
    assert gc.get_freeze_count() == 0  # and the build process thawed them at once
    monkeypatch.setitem(speedups._gc_freeze, "on", False)
    assert set(speedups.parallel_map({**FORCE_PARALLEL, "SPEEDUP_PARALLEL_READ": True}, lambda i: gc.get_freeze_count(), range(50))) == {0}
    try:
        build(tmp_path, varied_corpus, "frozen", **ALL_ON)
        assert gc.get_freeze_count() > 1000  # the build ended frozen: exit skips a full collection
        build(tmp_path, varied_corpus, "thawed", **{**ALL_ON, "SPEEDUP_GC_FREEZE": False})
        assert gc.get_freeze_count() == 0  # the next build thawed the last one's objects first
    finally:
        gc.unfreeze()


URL_PROBE = """
from pelican import signals

from leitf_site import speedups

SEEN = {}


def look(generator):
    # Called by SPEEDUP_PARALLEL_WRITE just before it forks (see the test): every post's
    # url and save_as are remembered by then, so no worker works them out again.
    from pelican.contents import Content

    posts = list(generator.articles) + list(generator.translations)
    known = set(speedups._urls["values"])
    save_as = Content.save_as.fget.computes
    SEEN["posts"] = len(posts)
    SEEN["remembered"] = sum((id(post), save_as) in known for post in posts)


def register():
    pass
"""


def test_urls_are_remembered_before_writer_workers_fork(tmp_path, varied_corpus, monkeypatch):
    from helpers import KIT_PLUGINS

    plugins = write_tree(tmp_path / "plugins", {"url_probe/__init__.py": URL_PROBE})
    settings = {"PLUGIN_PATHS": [str(REPO / "plugins"), str(plugins)], "PLUGINS": [*KIT_PLUGINS, "url_probe"]}
    real = speedups.run_in_workers

    def forking(function, items, workers, **kwargs):
        from leitf_site import speedups_write

        if function is speedups_write._write_share and "posts" not in sys.modules["url_probe"].SEEN:
            sys.modules["url_probe"].look(speedups_write._worker["generator"])
        return real(function, items, workers, **kwargs)

    monkeypatch.setattr(speedups, "run_in_workers", forking)
    build(tmp_path, varied_corpus, "urls", **{**ALL_ON, **settings})
    seen = sys.modules["url_probe"].SEEN
    assert seen["posts"] > 60 and seen["remembered"] == seen["posts"]


@pytest.mark.parametrize("written", [
    "2012-01-04", "2012-01-04 05:00", "2012-01-04T05:00:07", "2012-01-04  05:00", " 2012-01-04",
    "2012-01-04 5:00", "2012-01-04 05:00+02:00", "2012-01-04 05:00:00.5", "04/01/2012",
    "2024-02-29", "2024-02-30", "2012-13-01", "2012-01-04 24:00", "March 5, 2024", "",
])
def test_iso_dates_read_directly_are_what_pelican_reads(written, monkeypatch):
    import pelican.readers
    from pelican.utils import get_date

    speedups.register()  # as loading the kit's plugins does (idempotent)

    def read(switch):
        monkeypatch.setitem(speedups._iso_dates, "on", switch)
        try:
            value = pelican.readers.get_date(written)
        except ValueError as error:
            return "error", str(error)
        return type(value), value, repr(value.tzinfo)

    assert pelican.readers.get_date.reads_iso_dates and pelican.readers.get_date.slow is get_date
    assert read(True) == read(False)


def test_a_workers_answer_is_handed_out_once():
    text = "<p>Some post</p>"
    speedups._keep_precomputed((text, {}), {"probe": [("answer", [])]})
    try:
        assert speedups.precomputed("probe", text) == ("answer", [])
        assert speedups.precomputed("probe", text) is None  # not kept for the rest of the build
    finally:
        speedups.forget_precomputed()


def test_speaker_feeds_are_written_serially_below_the_threshold_or_when_switched_off(tmp_path, varied_corpus):
    off = build(tmp_path, varied_corpus, "off", **ALL_OFF)
    assert speedups.STATS["parallel_write_feeds"] == 0
    few = build(tmp_path, varied_corpus, "few", **{**ALL_ON, "SPEEDUP_PARALLEL_MIN_FILES": 10_000})
    assert speedups.STATS["parallel_write_feeds"] == 0
    assert_same_tree(off, few)


def test_feed_fragments_from_workers_are_kept_and_an_edit_rebuilds_identically(tmp_path, varied_corpus):
    """Speaker feeds serialized in the workers reach the fragment cache; after an edit, a
    cached rebuild (workers on) is byte-identical to a cold build."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(varied_corpus, content)
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    build(tmp_path, content, "first", **ALL_ON, **cache)
    assert speedups.STATS["parallel_write_feeds"] >= 2
    feeds = sys.modules["blog_sections.feeds"]  # as Pelican loaded the plugin
    # Serial now: every fragment, including those the workers made, comes from the cache.
    build(tmp_path, content, "serial", **{**ALL_ON, "SPEEDUP_PARALLEL_WRITE": False}, **cache)
    assert feeds.Fragments.made == 0
    post = next(p for p in sorted(content.rglob("*.md")) if "Speakers:" in p.read_text(encoding="utf-8"))
    post.write_text(post.read_text(encoding="utf-8") + "\nAn added line & <em>more</em>.\n", encoding="utf-8")
    edited = build(tmp_path, content, "edited", **ALL_ON, **cache)
    cold = build(tmp_path, content, "cold", **ALL_OFF)
    assert_same_tree(cold, edited)


# Markup the theme removes or rewrites: each removal is a warning naming the file.
HOSTILE = {
    f"posts/p{i:02d}.md": f"Title: Post {i}\nDate: 2021-01-{i + 1:02d}\nCategory: Blog\n\nBody {i}.\n"
    for i in range(6)
}
HOSTILE["posts/p01.md"] += '\n<p onclick="x()" style="color: red">Styled</p>\n\n<script>alert(1)</script>\n'
HOSTILE["posts/p02.md"] += "\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nNote.[^n]\n\n[^n]: A footnote.\n"
HOSTILE["posts/p03.md"] = HOSTILE["posts/p03.md"].replace(
    "Category: Blog\n", 'Category: Blog\nSummary: A <a href="javascript:x()">summary</a>\n')
HOSTILE["posts/p04.md"] += '\n<a href="jav&#x61;script:alert(1)">link</a> <iframe src="https://e.org"></iframe>\n'


@pytest.mark.parametrize("cache", [False, True])
def test_cleaning_in_workers_keeps_output_and_warnings(tmp_path, cache, monkeypatch):
    from pelican.log import LimitFilter

    runs = {}
    for name, settings in (("off", ALL_OFF), ("on", ALL_ON)):
        content = write_tree(tmp_path / name / "content", HOSTILE)
        extra = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
                 "CACHE_PATH": str(tmp_path / name / "cache")} if cache else {}
        for _ in range(2 if cache else 1):  # with the cache, the second build is the one compared
            # Pelican logs a message once per process: let each build log its own.
            monkeypatch.setattr(LimitFilter, "_raised_messages", set())
            result = run_build(content, tmp_path / name / "output", allow_warnings=True,
                               **{**FORCE_PARALLEL, **settings, **extra, "STRICT_BUILD": False})
        runs[name] = (tree(result.output), result.warnings)
        if name == "on" and not cache:
            assert speedups.STATS["precomputed_used"] >= 4
        if name == "on" and cache:  # the rebuild took the last build's cleanings
            assert speedups.STATS["kept_cleanings_used"] >= 4
    (off, off_log), (on, on_log) = runs["off"], runs["on"]
    assert len([w for w in off_log if "removed" in w]) >= 4
    assert any("p04.md" in w and "href" in w for w in off_log)
    assert on_log == off_log
    assert_same_tree(off, on)


def test_text_changed_after_reading_is_cleaned_in_the_build_process(tmp_path):
    """A worker's answer is used only for exactly the text it cleaned."""
    speedups._precomputed["clean_html"] = {"<p style='x'>a</p>": (None, ["a lie"])}
    try:
        from leitf_site.theme_support import _cleaned

        assert _cleaned("<p style='x'>a</p>") == ("<p style='x'>a</p>", ["a lie"])
        assert _cleaned("<p style='x'>b</p>") == ("<p>b</p>", ["a style attribute"])
    finally:
        speedups.forget_precomputed()


def test_kept_cleanings_are_used_only_for_the_same_text_and_never_for_a_warning(tmp_path, monkeypatch):
    import warnings

    from leitf_site import theme_support

    kept = theme_support._kept_cleanings
    settings = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path)}
    kept.start(settings)
    assert theme_support._cleaned("<p style='x'>a</p>") == ("<p>a</p>", ["a style attribute"])
    real = theme_support.clean_html

    def warning_clean(html):
        warnings.warn("a warning from the parser", UserWarning)
        return real(html)

    monkeypatch.setattr(theme_support, "clean_html", warning_clean)
    with pytest.warns(UserWarning):
        theme_support._cleaned("<p style='y'>b</p>")
    kept.save()
    monkeypatch.setattr(theme_support, "clean_html", lambda html: pytest.fail("cleaned again"))
    kept.start(settings)
    assert theme_support._cleaned("<p style='x'>a</p>") == ("<p>a</p>", ["a style attribute"])
    monkeypatch.setattr(theme_support, "clean_html", warning_clean)
    with pytest.warns(UserWarning):  # not kept: it warns again
        theme_support._cleaned("<p style='y'>b</p>")
    kept.save()


SPEAKER_LOG = {
    f"speakers/person-{i}.md": f"Name: Person Number{i}\nRoles: advisor\n\nBio {i}.\n" for i in range(6)
}
# The reader warns about a field given twice, and a post naming an unknown person fails.
SPEAKER_LOG["speakers/person-2.md"] = "Name: Person Number2\nRoles: advisor\nSlug: a\nSlug: b\n\nBio.\n"
SPEAKER_LOG["speakers/person-4.md"] = "Name: Person Number4\nRoles: advisor\nSlug: c\nSlug: d\n\nBio.\n"
SPEAKER_LOG["posts/p.md"] = "Title: P\nDate: 2021-01-01\nCategory: Blog\n\nPerson Number3 spoke.\n"


def test_speaker_files_read_ahead_log_as_a_serial_build_does(tmp_path, monkeypatch):
    from pelican.log import LimitFilter

    runs = {}
    for name, settings in (("off", ALL_OFF), ("on", ALL_ON)):
        monkeypatch.setattr(LimitFilter, "_raised_messages", set())
        content = write_tree(tmp_path / name / "content", SPEAKER_LOG)
        result = run_build(content, tmp_path / name / "output", allow_warnings=True,
                           **{**EXCLUDES, **FORCE_PARALLEL, **settings, "STRICT_BUILD": False})
        runs[name] = (tree(result.output), result.warnings)
        if name == "on":
            assert "SpeakerGenerator" in speedups.STATS["read_ahead_generators"]
    (off, off_log), (on, on_log) = runs["off"], runs["on"]
    assert len([w for w in off_log if "Duplicate definition" in w]) == 2
    assert on_log == [line.replace("/off/", "/on/") for line in off_log]
    assert_same_tree(off, on)


@pytest.mark.parametrize("remember", [True, False])
def test_direct_gettext_gives_what_jinjas_newstyle_gettext_gives(remember):
    from jinja2 import Environment
    from leitf_site import theme_support

    source = (
        "{{ _('Skip to main content') }}|{{ _('100%% <sure>') }}|{{ _('Page %(num)s', num='<2>') }}|"
        "{{ ngettext('%(num)d download', '%(num)d downloads', 3) }}|{{ gettext('Tags:') }}|"
        "{% autoescape false %}{{ _('a <b>') }}|{{ _('Page %(num)s', num='<2>') }}{% endautoescape %}|"
        "{{ _('Skip to main content') }}{{ _('100%% <sure>') }}"
    )
    theme = theme_support.speedups.__file__  # any path without translations: NullTranslations
    expected_env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    null = theme_support.NullTranslations()
    expected_env.install_gettext_callables(null.gettext, null.ngettext, newstyle=True)
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_callables(null.gettext, null.ngettext, newstyle=True)
    env.globals["_"] = env.globals["gettext"] = theme_support.newstyle_gettext(theme, "en", remember)
    env.globals["ngettext"] = theme_support.newstyle_ngettext(theme, "en")
    expected = expected_env.from_string(source).render()
    assert env.from_string(source).render() == expected
    assert env.from_string(source).render() == expected  # a second page, from the memo


def test_remembered_striptags_and_dates_match_the_plain_filters():
    from datetime import datetime, timedelta, timezone

    from jinja2.filters import do_striptags
    from markupsafe import Markup

    strip = speedups.remembering_striptags(do_striptags)
    for value in ["<p>a &amp; <b>b</b></p>", Markup("<p>a &amp; b</p>"), "plain", 42, None, "<p>a &amp; <b>b</b></p>"]:
        assert strip(value) == do_striptags(value)
    calls = []
    fmt = speedups.remembering_date_filter(lambda d, lang: calls.append(d) or f"{d.isoformat()} {lang}")
    when = datetime(2020, 1, 1, 23, 30, tzinfo=timezone.utc)
    same_instant = when.astimezone(timezone(timedelta(hours=2)))  # equal, but another wall-clock day
    assert fmt(when, "en") == fmt(when, "en") == "2020-01-01T23:30:00+00:00 en"
    assert fmt(same_instant, "en") == "2020-01-02T01:30:00+02:00 en"
    assert fmt(when, "es") == "2020-01-01T23:30:00+00:00 es"
    assert len(calls) == 3
