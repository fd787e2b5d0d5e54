"""Cached rebuilds (the devserver case).

SPEEDUP_INCREMENTAL_WRITE: a rebuild renders only pages that can differ, and its output is
byte-identical to a cold build of the same content after every kind of edit.
SPEEDUP_FAST_CACHE_GZIP: Pelican's content cache is written with fast gzip and read back.

No timings here; benchmarks/run.py measures the cached rebuild.
"""

import shutil
import sys
from pathlib import Path

import pytest

from helpers import REPO, run_build, write_tree

sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402

from leitf_site import speedups_incremental  # noqa: E402

EXCLUDES = {"ARTICLE_EXCLUDES": ["pages", "speakers", "categories", "files"], "STATIC_PATHS": ["files"]}
PARALLEL = {"SPEEDUP_PARALLEL_MIN_FILES": 1, "SPEEDUP_PARALLEL_WORKERS": 2}
SERIAL = {"SPEEDUP_PARALLEL_READ": False, "SPEEDUP_PARALLEL_WRITE": False}

# A post with no Summary line: its summary comes from its first words, so editing them
# changes every listing it appears in.
NO_SUMMARY = {
    "posts/blog/plain.md": """
        Title: Plain Post
        Date: 2021-03-04 10:00
        Category: Blog
        Tags: courts

        Opening words of the plain post.

        A later paragraph.
        """,
}


def tree(output):
    output = Path(output)
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path):
    content = corpus.generate(tmp_path / "site", posts=40, speakers=5, seed=7)
    write_tree(content, NO_SUMMARY)
    return content


class Builder:
    """Incremental builds into one output folder, each checked against a cold build."""

    def __init__(self, tmp_path, content, mode):
        self.tmp = tmp_path
        self.content = content
        self.mode = mode
        self.output = tmp_path / "incremental"
        self.cache = tmp_path / "cache"
        self.colds = 0

    def settings(self, **extra):
        return {**EXCLUDES, **self.mode, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
                "CACHE_PATH": str(self.cache), **extra}

    def build(self, **extra):
        reset_stats()
        run_build(self.content, self.output, **self.settings(**extra))
        return dict(speedups_incremental.STATS)

    def cold(self, **extra):
        self.colds += 1
        output = self.tmp / f"cold{self.colds}"
        run_build(self.content, output, **{**EXCLUDES, "CACHE_PATH": str(self.tmp / f"cold-cache{self.colds}"),
                                           **extra})
        return tree(output)

    def assert_like_cold(self, **extra):
        cold = self.cold(**extra)
        incremental = tree(self.output)
        # Pelican leaves a deleted post's old page in place (without DELETE_OUTPUT_DIRECTORY);
        # every file a cold build writes must be there, byte for byte.
        missing = sorted(set(cold) - set(incremental))
        assert not missing, missing[:5]
        different = [rel for rel in cold if cold[rel] != incremental[rel]]
        assert not different, f"{len(different)} files differ from a cold build, e.g. {different[:5]}"


def reset_stats():
    speedups_incremental.STATS.update(dict.fromkeys(speedups_incremental.STATS, 0))


def pages(stats):
    return {key: stats[key] for key in ("skipped", "rendered", "unfingerprinted")}


NOTHING = {"skipped": 0, "rendered": 0, "unfingerprinted": 0, "feeds_skipped": 0, "feeds_rendered": 0}


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path, text):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def a_post(content):
    return sorted((content / "posts").rglob("*.md"))[5]


@pytest.mark.parametrize("mode", [PARALLEL, SERIAL], ids=["parallel", "serial"])
def test_every_kind_of_edit_gives_the_cold_build(tmp_path, site, mode):
    b = Builder(tmp_path, site, mode)
    first = b.build()
    assert first["rendered"] > 60 and first["skipped"] == 0 and first["unfingerprinted"] == 0
    assert first["feeds_rendered"] > 20 and first["feeds_skipped"] == 0
    count, feeds = first["rendered"], first["feeds_rendered"]

    # Nothing changed: nothing is rendered or serialized.
    again = b.build()
    assert again == {**NOTHING, "skipped": count, "feeds_skipped": feeds}
    b.assert_like_cold()

    # A sentence added at the end of one post: its page, and the feeds that carry it.
    post = a_post(site)
    append(post, "\nOne more sentence for the incremental test.\n")
    stats = b.build()
    assert 1 <= stats["rendered"] <= 3, stats
    assert 3 <= stats["feeds_rendered"] < feeds / 2, stats
    b.assert_like_cold()
    carried = [p.name for p in b.output.rglob("*.xml") if b"One more sentence for the incremental test." in p.read_bytes()]
    assert "all.atom.xml" in carried, carried
    shown = [p for p in b.output.rglob("*.html") if b"One more sentence for the incremental test." in p.read_bytes()]
    assert len(shown) == 1, shown

    # The first words of a post without a Summary: every listing that shows it changes.
    edit(site / "posts/blog/plain.md", "Opening words", "Changed opening words")
    stats = b.build()
    assert stats["rendered"] > 3, stats
    b.assert_like_cold()

    # A title.
    edit(post, "Title: ", "Title: Retitled ")
    b.build()
    b.assert_like_cold()

    # A speaker's biography and a category's description.
    speaker = sorted((site / "speakers").glob("*.md"))[0]
    append(speaker, "\nA new line in the biography.\n")
    b.build()
    b.assert_like_cold()
    category = sorted((site / "categories").glob("*.md"))[0]
    append(category, "\nA new line in the description.\n")
    b.build()
    b.assert_like_cold()

    # A new post, then a deleted one.
    write_tree(site, {"posts/blog/new.md": """
        Title: A New Post
        Date: 2024-06-01 10:00
        Category: Blog

        Fresh text.
        """})
    b.build()
    b.assert_like_cold()
    (site / "posts/blog/new.md").unlink()
    b.build()
    b.assert_like_cold()

    # An attachment replaced by a bigger file: pages show its size.
    pdf = sorted((site / "files").glob("*.pdf"))[0]
    pdf.write_bytes(pdf.read_bytes() + b"%" * 5000)
    b.build()
    b.assert_like_cold()

    # A setting.
    b.build(SITENAME="Renamed Coalition")
    b.assert_like_cold(SITENAME="Renamed Coalition")


def test_a_page_changed_or_removed_in_the_output_is_written_again(tmp_path, site):
    b = Builder(tmp_path, site, PARALLEL)
    b.build()
    page = next(p for p in sorted(b.output.rglob("index.html")) if "/category/" not in p.as_posix())
    good = page.read_bytes()
    page.write_bytes(b"edited by hand")
    removed = sorted(b.output.rglob("*.html"))[-1]
    removed_bytes = removed.read_bytes()
    removed.unlink()
    stats = b.build()
    assert stats["rendered"] == 2, stats
    assert page.read_bytes() == good
    assert removed.read_bytes() == removed_bytes


def test_a_template_override_is_part_of_every_fingerprint(tmp_path, site):
    import leitf_site

    overrides = tmp_path / "overrides"
    overrides.mkdir()
    shutil.copy(Path(leitf_site.theme_path()) / "templates" / "article.html", overrides / "article.html")
    b = Builder(tmp_path, site, PARALLEL)
    b.build(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    edit(overrides / "article.html", "{{ article.content | safe }}",
         "<p class=\"marker\">Override</p>{{ article.content | safe }}")
    stats = b.build(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert stats["rendered"] >= 40, stats
    b.assert_like_cold(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert len([p for p in b.output.rglob("*.html") if b'<p class="marker">Override</p>' in p.read_bytes()]) >= 40


@pytest.mark.parametrize("loop", [
    "{% for a in articles %}<div hidden>{{ a.content }}</div>{% endfor %}",
    "{% for article in articles %}<div hidden>{{ article.content }}</div>{% endfor %}",
], ids=["other-name", "same-name"])
def test_a_template_that_shows_other_posts_text_makes_bodies_count_there(tmp_path, site, loop):
    """A site's own index.html that prints every listed post's full text: an edit to one
    post's body must reach the listing pages too."""
    import leitf_site

    overrides = tmp_path / "overrides"
    overrides.mkdir()
    source = (Path(leitf_site.theme_path()) / "templates" / "index.html").read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in source
    (overrides / "index.html").write_text(
        source.replace(marker, marker + loop, 1),
        encoding="utf-8")
    settings = {"THEME_TEMPLATES_OVERRIDES": [str(overrides)]}
    b = Builder(tmp_path, site, PARALLEL)
    b.build(**settings)
    append(a_post(site), "\nText the index shows in full.\n")
    stats = b.build(**settings)
    # The post's own page and the (single, unpaginated) index that prints it.
    assert stats["rendered"] == 2, stats
    assert b"Text the index shows in full." in (b.output / "index.html").read_bytes()
    b.assert_like_cold(**settings)


@pytest.mark.parametrize("templates, shows", [
    ({"page.html": "{{ article.content }}"}, False),
    ({"page.html": "{{ article.summary }}{% for article in articles %}{{ article.title }}{% endfor %}"}, False),
    ({"page.html": "{% for article in articles %}{{ article.content }}{% endfor %}"}, True),
    ({"page.html": "{% for a in articles %}{{ a.get_content(SITEURL) }}{% endfor %}"}, True),
    ({"page.html": "{{ articles[0].content }}"}, True),
    ({"page.html": "{% set article = articles[0] %}{{ article.content }}"}, True),
    ({"page.html": "{% macro show(article) %}{{ article.content }}{% endmacro %}{{ article.title }}"}, True),
    ({"page.html": "{% for article in articles %}{% include 'part.html' %}{% endfor %}",
      "part.html": "{{ article.content }}"}, True),
    ({"page.html": "{% include 'part.html' %}{% for article in articles %}{% endfor %}",
      "part.html": "{{ article.content }}"}, False),
    ({"page.html": "{% extends 'base.html' %}", "base.html": "{{ page['content'] }}"}, False),
    ({"page.html": "{% include name %}"}, True),
])
def test_which_templates_can_show_another_posts_full_text(templates, shows):
    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    analyses = speedups_incremental.analyse_templates(env, {})
    assert speedups_incremental.shows_other_bodies(analyses, "page.html") is shows


def test_without_the_content_cache_or_with_the_setting_off_every_page_renders(tmp_path, site):
    b = Builder(tmp_path, site, PARALLEL)
    b.build()
    off = b.build(SPEEDUP_INCREMENTAL_WRITE=False)
    assert off == NOTHING
    reset_stats()
    run_build(site, b.output, **{**EXCLUDES, **PARALLEL, "CACHE_PATH": str(b.cache)})
    assert speedups_incremental.STATS == NOTHING


def test_a_broken_record_is_ignored(tmp_path, site):
    b = Builder(tmp_path, site, PARALLEL)
    count = b.build()["rendered"]
    (b.cache / "incremental" / "pages.json").write_text("{not json", encoding="utf-8")
    assert b.build()["rendered"] == count
    b.assert_like_cold()


def test_digests_tell_values_apart_and_refuse_what_they_cannot_repeat():
    digester = speedups_incremental.Digester({})
    assert digester.value([list(range(30)), 1]) == digester.value([list(range(30)), 1])
    assert digester.value([list(range(30)), 1]) != digester.value([list(range(31)), 1])
    assert digester.value({"a": "x"}) != digester.value({"a": "y"})
    big = {f"k{i}": i for i in range(25)}
    assert digester.value({**big, "body": "one"}) != digester.value({**big, "body": "two"})

    def outer():
        data = []
        return lambda: data

    with pytest.raises(speedups_incremental.Unstable):
        digester.value({"f": outer()})
    with pytest.raises(speedups_incremental.Unstable):
        digester.value([object()])
    cycle = []
    cycle.append(cycle)
    assert digester.value(cycle) == digester.value(cycle)


@pytest.mark.parametrize("on, flag", [(True, 4), (False, 2)])
def test_the_content_cache_is_written_with_fast_gzip(tmp_path, site, on, flag):
    """SPEEDUP_FAST_CACHE_GZIP: the gzip header's XFL byte says 4 (fastest) or 2 (tightest)."""
    b = Builder(tmp_path, site, SERIAL)
    b.build(SPEEDUP_FAST_CACHE_GZIP=on)
    cache_file = b.cache / "ArticlesGenerator-Readers"
    header = cache_file.read_bytes()[:10]
    assert header[:2] == b"\x1f\x8b" and header[8] == flag
    # Pelican reads it back: the next build takes every post from the cache.
    assert b.build(SPEEDUP_FAST_CACHE_GZIP=on)["rendered"] == 0


def test_journals_left_by_a_stopped_build_are_dropped(tmp_path, site):
    """A build that stops half-way leaves its journal behind; the next build must not take its
    lines (they may name pages whose files were never written)."""
    import json

    b = Builder(tmp_path, site, SERIAL)
    count = b.build()["rendered"]
    manifest = json.loads((b.cache / "incremental" / "pages.json").read_text(encoding="utf-8"))
    leftover = b.cache / "incremental" / "journal-999999.txt"
    leftover.write_text("".join(json.dumps(["rendered", name, "0" * 32, "article.html"]) + "\n"
                                for name in manifest["pages"]), encoding="utf-8")
    assert pages(b.build()) == {"skipped": count, "rendered": 0, "unfingerprinted": 0}
    assert not leftover.exists()
    assert pages(b.build()) == {"skipped": count, "rendered": 0, "unfingerprinted": 0}


SPY_PLUGIN = '''
from pelican import signals

SEEN = []


def seen(context, feed):
    SEEN.append(feed.feed["title"])


def register():
    signals.feed_generated.connect(seen)
'''


def test_feeds_are_all_built_when_a_plugin_listens_to_the_feed_signals(tmp_path, site):
    import importlib

    from helpers import KIT_PLUGINS

    plugins = tmp_path / "plugins"
    write_tree(plugins, {"feed_spy.py": SPY_PLUGIN})
    sys.path.insert(0, str(plugins))
    try:
        spy = importlib.import_module("feed_spy")
        b = Builder(tmp_path, site, SERIAL)
        extra = {"PLUGIN_PATHS": [str(REPO / "plugins"), str(plugins)], "PLUGINS": [*KIT_PLUGINS, "feed_spy"]}
        b.build(**extra)
        first = len(spy.SEEN)
        stats = b.build(**extra)
        assert first > 10 and len(spy.SEEN) == 2 * first
        assert stats["feeds_skipped"] == 0 and stats["skipped"] > 60
        b.assert_like_cold()
    finally:
        sys.path.remove(str(plugins))
        sys.modules.pop("feed_spy", None)
