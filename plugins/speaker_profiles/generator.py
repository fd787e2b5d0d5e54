"""SpeakerGenerator: read the people, tie them to the posts, write profiles, the index and feeds."""

import difflib
import logging
from urllib.parse import quote

from markupsafe import escape
from pelican.contents import Article, SkipStub
from pelican.generators import CachingGenerator
from pelican.utils import process_translations

from leitf_site import speedups
from leitf_site.errors import ContentError, display_path
from leitf_site.theme_support import public_root

from .contents import Speaker, as_list
from .mentions import LinkedCache, MentionMatcher, link_mentions

logger = logging.getLogger(__name__)

FEED_TYPES = (("atom", "SPEAKER_FEED_ATOM"), ("rss", "SPEAKER_FEED_RSS"))


class SpeakerGenerator(CachingGenerator):
    """Reads SPEAKER_PATHS like PagesGenerator reads pages, then links people and posts."""

    def __init__(self, *args, **kwargs):
        self.speakers = []
        self.hidden_speakers = []
        self.translations = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        everyone, self.translations = process_translations(
            self.read_speakers(), translation_id="slug")
        everyone.sort(key=Speaker.sort_key)
        self.save_cache()
        self.readers.save_cache()
        # Pelican's generators always run before plugin generators, so every post is read by
        # now. Linking here, after the article cache was saved, keeps cached posts unlinked:
        # an edited speaker file changes the links on the next build.
        self.attach_to_posts(everyone)
        self.speakers = [s for s in everyone if s.status == "published"]
        self.hidden_speakers = [s for s in everyone if s.status != "published"]
        self.context["speaker_public_root"] = public_root(self.settings)
        self.check_feed_paths(everyone)
        self.register_feeds(everyone)
        for original in everyone:
            for translation in original.translations:
                translation.posts, translation.feeds = original.posts, original.feeds
        self._update_context(("speakers",))

    # --- read -------------------------------------------------------------------------

    def read_speakers(self):
        found, by_slug = [], {}
        paths = self.settings["SPEAKER_PATHS"]
        files = sorted(self.get_files(paths, exclude=self.settings["SPEAKER_EXCLUDES"]))
        # SPEEDUP_PARALLEL_READ: forked workers convert the Markdown ahead of read_file.
        speedups.read_ahead_files(self, files)
        for f in files:
            speaker = self.get_cached_data(f, None)
            if speaker is None:
                try:
                    speaker = self.readers.read_file(
                        base_path=self.path, path=f, content_class=Speaker, context=self.context
                    )
                except Exception:
                    logger.exception("Could not process %s", f, exc_info=self.settings.get("DEBUG", False))
                    self._add_failed_source_path(f)
                    continue
                if isinstance(speaker, SkipStub):
                    continue
            else:
                # A cached object carries a stale copy of the last build's context.
                speaker._context = self.context
            source = display_path(speaker.source_path)
            for field, problem in speaker.problems():
                raise ContentError(source, field, problem)
            if not speaker.is_valid():
                self._add_failed_source_path(f)
                continue
            self.cache_data(f, speaker)
            # Translations share a slug; two files in one language may not.
            key = (speaker.slug, speaker.lang)
            if key in by_slug:
                other = display_path(by_slug[key].source_path)
                raise ContentError(source, "slug", f"{speaker.slug!r} is also the slug of {other}; "
                                                   "give one of them its own Slug:")
            by_slug[key] = speaker
            found.append(speaker)
            self.add_source_path(speaker)
            if speaker.photo:
                # Copied by the static generator even when outside STATIC_PATHS.
                self.context["static_links"].add(speaker.photo)
        return found

    # --- people in posts ---------------------------------------------------------------

    def attach_to_posts(self, everyone):
        by_slug = {s.slug: s for s in everyone}
        matcher = None
        if self.settings["SPEAKER_LINK_MENTIONS"] and everyone:
            matcher = MentionMatcher((s.slug, s.name_forms()) for s in everyone)
        hrefs = {s.slug: "{filename}/" + quote(s.get_relative_source_path()) for s in everyone}
        posts = [c for c in self.context["generated_content"].values() if isinstance(c, Article)]
        changed = set()
        mentioned_by = {}

        def take(index, html, mentioned):
            post = posts[index]
            if html is not post._content and html != post._content:
                post._content = html
                # The article may come from a generator cache, with a stale context.
                post._context = self.context
                changed.add(post)
            mentioned_by[index] = mentioned

        if matcher is not None:
            linked = LinkedCache(self.settings, matcher, hrefs)
            to_link = []
            for index, post in enumerate(posts):
                found = linked.get(post._content)
                if found is None:
                    to_link.append(index)
                else:
                    take(index, *found)

            def link(index):
                html = posts[index]._content
                result, mentioned = link_mentions(html, matcher, hrefs.__getitem__)
                # A post that links nobody comes back as None, not as a copy of its HTML.
                return (None if result is html else result), mentioned

            # Shared among forked workers (SPEEDUP_PARALLEL_READ) when there are enough posts.
            for index, (html, mentioned) in zip(to_link, speedups.parallel_map(self.settings, link, to_link)):
                content = posts[index]._content
                html = content if html is None else html
                linked.put(content, (html, mentioned))
                take(index, html, mentioned)
            linked.save()
        for index, post in enumerate(posts):
            named = [self.known(post, slug, by_slug) for slug in as_list(post.metadata.get("speakers"))]
            people = list(dict.fromkeys(named))
            if matcher is not None:
                people.extend(by_slug[slug] for slug in mentioned_by[index] if by_slug[slug] not in people)
            post.speakers = people
        forget_rendered(changed)
        for speaker in everyone:
            speaker.posts, speaker.feeds = [], []
        # Listed posts: published ones in their original language, newest first.
        for post in self.context.get("articles", []):
            for speaker in post.speakers:
                speaker.posts.append(post)
        for speaker in everyone:
            speaker.posts.sort(key=lambda p: p.date, reverse=True)

    def known(self, post, slug, by_slug):
        if slug in by_slug:
            return by_slug[slug]
        folder = ", ".join(self.settings["SPEAKER_PATHS"])
        if not by_slug:
            hint = f"there are no speaker files (in {folder})"
        else:
            close = difflib.get_close_matches(slug, list(by_slug), n=3, cutoff=0)
            hint = "closest known: " + ", ".join(close)
        raise ContentError(display_path(post.source_path), "speakers",
                           f"unknown speaker {slug!r}; {hint}")

    # --- feeds -------------------------------------------------------------------------

    def feed_paths(self, speaker):
        for kind, key in FEED_TYPES:
            pattern = self.settings[key]
            if pattern:
                path = pattern.format(slug=speaker.slug)
                url = (self.settings[key + "_URL"] or pattern).format(slug=speaker.slug)
                yield kind, key, path, url

    def check_feed_paths(self, everyone):
        taken = other_feed_paths(self.context)
        for speaker in everyone:
            for _kind, key, path, _url in self.feed_paths(speaker):
                if path in taken:
                    raise ContentError(
                        "pelicanconf", key,
                        f"the feed of {speaker.slug!r} would overwrite {taken[path]} ({path}); "
                        "keep speaker feeds in their own folder, e.g. 'feeds/speaker/{slug}.atom.xml'",
                    )
                taken[path] = f"the feed of speaker {speaker.slug!r}"

    def register_feeds(self, everyone):
        group = self.settings["SPEAKERS_TITLE"] or "People"
        index = self.context.setdefault("FEED_INDEX", [])
        for speaker in everyone:
            # A feed with no entries would carry the build time as its date; write none.
            if not speaker.posts:
                continue
            for kind, _key, path, url in self.feed_paths(speaker):
                speaker.feeds.append({"type": kind, "path": path, "url": url})
                if speaker.status == "published":
                    index.append({"title": speaker.full_name, "url": url, "type": kind, "group": group})

    def resolve_photos(self):
        """all_generators_finalized: use each photo's published URL (STATIC_URL may differ from the path)."""
        static = self.context.get("static_content", {})
        for speaker in self.speakers + self.hidden_speakers + self.translations:
            copied = static.get(speaker.photo) if speaker.photo else None
            if copied is not None:
                speaker.photo = copied.url

    # --- output ------------------------------------------------------------------------

    def generate_output(self, writer):
        self.generate_pages(writer)

    def feed_file_count(self):
        return sum(len(speaker.feeds) for speaker in self.speakers + self.hidden_speakers)

    def page_count(self):
        """Files generate_pages writes: the kit's SPEEDUP_PARALLEL_WRITE shares them among
        forked workers when there are enough."""
        return len(self.speakers) + len(self.hidden_speakers) + len(self.translations) + self.feed_file_count()

    def generate_pages(self, writer):
        """Each person's feeds, then the profiles and the index: only write_feed and write_file
        calls, in a fixed order, so the kit's SPEEDUP_PARALLEL_WRITE can share them among
        forked workers (one pool for both)."""
        for speaker in self.speakers + self.hidden_speakers:
            for feed in speaker.feeds:
                writer.write_feed(
                    speaker.posts, self.context, path=feed["path"], url=feed["url"],
                    feed_type=feed["type"], feed_title=str(escape(speaker.full_name)),
                )
        for speaker in self.speakers + self.hidden_speakers + self.translations:
            writer.write_file(
                speaker.save_as, self.get_template(speaker.template), self.context,
                speaker=speaker, relative_urls=self.settings["RELATIVE_URLS"],
                override_output=hasattr(speaker, "override_save_as"), url=speaker.url,
            )
        save_as = self.settings["SPEAKERS_SAVE_AS"]
        if save_as and self.speakers:
            writer.write_file(
                save_as, self.get_template("speakers"), self.context,
                speaker_groups=group_for_index(self.speakers, self.settings["SPEAKER_ROLE_ORDER"]),
                relative_urls=self.settings["RELATIVE_URLS"], url=self.settings["SPEAKERS_URL"],
            )


def forget_rendered(posts):
    """Drop Pelican's memoized HTML of changed posts, in case anything rendered it already."""
    if not posts:
        return
    for method in (Article.get_content, Article.get_summary):
        cache = method.cache
        for key in [k for k in cache if k and k[0] in posts]:
            del cache[key]


def other_feed_paths(context):
    """Every feed path Pelican itself will write, and whose feed it is."""
    taken = {}
    for key in ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS"):
        if context.get(key):
            taken[context[key]] = key
    # Pelican stores categories, authors and tags in the context as (object, posts) pairs.
    for prefix, key in (("CATEGORY", "categories"), ("AUTHOR", "authors"), ("TAG", "tags")):
        for obj, _posts in context.get(key, []):
            for kind in ("ATOM", "RSS"):
                pattern = context.get(f"{prefix}_FEED_{kind}")
                if pattern:
                    taken[pattern.format(slug=obj.slug)] = f"the feed of {prefix.lower()} {obj.slug!r}"
    return taken


def group_for_index(speakers, role_order):
    """[{"role", "featured", "states": [{"state", "state_name", "speakers"}]}], for speakers.html.

    Each person appears once, under the first of their roles in ``role_order`` (other roles
    after those, alphabetically; people without a role last). The first group is featured: a
    flat list. The others are split by state, states by name, people by last name.
    """
    order = list(role_order)

    def rank(role):
        return (0, order.index(role), "") if role in order else (1, 0, role)

    groups = {}
    for speaker in speakers:
        primary = min(speaker.roles, key=rank) if speaker.roles else ""
        groups.setdefault(primary, []).append(speaker)
    keys = sorted(groups, key=lambda r: rank(r) if r else (2, 0, ""))
    result = []
    for position, role in enumerate(keys):
        people = sorted(groups[role], key=Speaker.sort_key)
        featured = position == 0 and bool(order) and role == order[0]
        if featured:
            states = [{"state": "", "state_name": "", "speakers": people}]
        else:
            by_state = {}
            for speaker in people:
                by_state.setdefault(speaker.state_name, []).append(speaker)
            states = [{"state": name, "state_name": name, "speakers": by_state[name]}
                      for name in sorted(by_state, key=lambda n: (n == "", n.lower()))]
        result.append({"role": role, "featured": featured, "states": states})
    return result
