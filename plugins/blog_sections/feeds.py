"""Feeds a reader can trust, for every feed the site writes.

``FeedWriter`` replaces Pelican's writer (signal ``get_writer``) and keeps its ``write_feed``
signature, so Pelican's own site/category feeds and any plugin's feeds go through it.
"""

import copy
import datetime
import functools
import hashlib
import json
import os
import re
import sys
from importlib.metadata import version as package_version
from io import StringIO
from urllib.parse import urljoin, urlsplit

from feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from markupsafe import Markup
from pelican.plugins import signals
from pelican.utils import sanitised_join, set_date_tzinfo
from pelican.writers import Writer

from leitf_site import speedups, speedups_incremental
from leitf_site.errors import ContentError, display_path
from leitf_site.theme_support import public_root

# Characters XML 1.0 forbids (C0 controls except tab/newline/return, lone surrogates, and the
# two non-characters). feedgenerator refuses them; a reader's parser chokes on them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# URL-bearing attributes in rendered post HTML.
URL_ATTR = re.compile(r"""(\s(?:href|src|poster|cite)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
SRCSET_ATTR = re.compile(r"""(\ssrcset\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def clean(text):
    """Text safe for XML 1.0: the forbidden characters are dropped, never written."""
    if text is None:
        return None
    return XML_ILLEGAL.sub("", str(text))


def absolute_root(settings):
    """The site's absolute origin for feeds: FEED_DOMAIN, else SITEURL when it is absolute."""
    return public_root(settings, ("FEED_DOMAIN", "SITEURL")) or (settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "").rstrip("/")


def join(root, path):
    return f"{root}/{str(path).lstrip('/')}"


def absolutize(html, base):
    """Every link and image in ``html`` as an absolute URL, resolved against the post's URL."""
    if not html:
        return html

    def one(match):
        value = match.group(3).strip()
        return f"{match.group(1)}{match.group(2)}{urljoin(base, value)}{match.group(2)}"

    def srcset(match):
        parts = []
        for candidate in match.group(3).split(","):
            bits = candidate.strip().split(None, 1)
            if bits:
                bits[0] = urljoin(base, bits[0])
                parts.append(" ".join(bits))
        return f"{match.group(1)}{match.group(2)}{', '.join(parts)}{match.group(2)}"

    return SRCSET_ATTR.sub(srcset, URL_ATTR.sub(one, str(html)))


def tag_authority(root):
    host = urlsplit(root).hostname
    return host or "localhost"


def entry_id(item, settings):
    """A tag: URI from the domain, the publication date and the slug (plus the language of a
    translation): it never depends on build time, and survives SITEURL or URL pattern changes.
    ``Feed_id:`` metadata pins an entry's ID when a post must change its slug or date."""
    pinned = getattr(item, "metadata", {}).get("feed_id")
    if pinned:
        return clean(str(pinned).strip())
    date = getattr(item, "date", None)
    day = date.strftime("%Y-%m-%d") if date else "0000-00-00"
    slug = getattr(item, "slug", None) or str(getattr(item, "url", "")).strip("/")
    lang = getattr(item, "lang", None)
    if lang and lang != settings.get("DEFAULT_LANG"):
        slug = f"{slug}/{lang}"
    return f"tag:{tag_authority(absolute_root(settings))},{day}:{slug}"


def plain(html):
    return Markup(html or "").striptags()


class FeedEntry:
    """One post as every feed format sees it; all text already XML-safe."""

    def __init__(self, item, settings):
        root = absolute_root(settings)
        tz = settings.get("TIMEZONE")
        self.link = join(root, item.url)
        self.id = entry_id(item, settings)
        self.title = clean(plain(getattr(item, "title", "")))
        if hasattr(item, "get_content"):
            content = item.get_content(root)
        else:
            content = getattr(item, "content", "")
        self.content = clean(absolutize(content, self.link))
        if hasattr(item, "get_summary"):
            summary = item.get_summary(root)
        else:
            summary = getattr(item, "summary", "")
        self.summary = clean(absolutize(summary, self.link)) or None
        self.summary_text = clean(plain(self.summary)) if self.summary else None
        date = getattr(item, "date", None)
        modified = getattr(item, "modified", None)
        self.published = set_date_tzinfo(date, tz) if date else None
        self.updated = set_date_tzinfo(modified, tz) if modified else self.published
        author = getattr(item, "author", None)
        self.author = clean(str(author)) if author else clean(settings.get("SITENAME", ""))
        self.lang = getattr(item, "lang", None)
        self.categories = clean_unique(categories_of(item))
        self.attachments = []
        for attachment in getattr(item, "attachments", None) or []:
            self.attachments.append({
                "url": join(root, attachment.url), "mime": attachment.mime,
                "size": attachment.size, "name": clean(attachment.name),
            })


def categories_of(item):
    names = []
    category = getattr(item, "category", None)
    if category is not None:
        section = getattr(category, "section", None)
        names.append(section.title if section is not None else category.name)
    names.extend(str(tag) for tag in getattr(item, "tags", None) or [])
    # Speakers (speaker_profiles) become categories, so a reader can follow a person.
    # Only Speaker objects: without speaker_profiles, a `Speakers:` line stays plain text.
    names.extend(s.name for s in getattr(item, "speakers", None) or [] if hasattr(s, "name"))
    return names


def clean_unique(values):
    seen, result = set(), []
    for value in values:
        value = clean(value).strip()
        if value and value not in seen:
            seen.add(value)
            result.append(value)
    return result


class Uncacheable(Exception):
    """An item value whose serialization may not be a function of what a key can hold."""


def frozen(value):
    """``value`` as a hashable key that two values share only if feedgenerator writes them alike.

    Exact types only: a str subclass (Markup) may escape differently, an unknown object may
    serialize from state the key cannot see. Aware datetimes that are the same instant
    compare equal but are written with their own offset, so dates key by their ISO text."""
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return (f"{kind.__module__}.{kind.__qualname__}", value.isoformat())
    if kind is list or kind is tuple:
        return tuple(frozen(v) for v in value)
    if kind is Enclosure:
        return ("Enclosure", frozen(value.url), frozen(value.length), frozen(value.mime_type))
    raise Uncacheable(kind)


class ReusedEntries:
    """With Pelican's content cache on, writes each item's XML through ``fragments`` (a
    Fragments, set by FeedWriter): text kept from the last build, or made once in this one.

    feedgenerator writes the items one after another into one SimplerXMLGenerator, and an
    item element starts and ends with no start tag pending, so its text does not depend on
    what the feed wrote before it. What the text does depend on: the item dict, this class's
    ``item_attributes``/``add_item_elements`` (Atom's reads the feed's language) and, for an
    Atom item with neither date, the clock. The key holds the first three; the last is not
    cached. Without the content cache (or ``fragments`` None): plain feedgenerator behaviour.
    feedgenerator has no way to reuse an item's XML, hence this write_items.
    """

    fragments = None

    def fragment_key(self, item):
        if isinstance(self, Atom1Feed) and item.get("pubdate") is None and item.get("updateddate") is None:
            return None  # Atom1Feed writes datetime.now() as <updated>
        values = []
        try:
            for value in item.values():
                kind = type(value)
                # The common cases inline: this runs for every item of every feed.
                values.append(value if kind is str or value is None or kind is bool else frozen(value))
        except Uncacheable:
            return None
        return (type(self), self.feed["language"], tuple(item), tuple(values))

    def serialize_item(self, item):
        """The exact text feedgenerator's write_items writes for ``item`` alone."""
        out = StringIO()
        # The generator feedgenerator's write() makes: same class, same short_empty_elements.
        handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
        alone = copy.copy(self)  # shares self.feed; only the item list differs
        alone.items = [item]
        super(ReusedEntries, alone).write_items(handler)
        return out.getvalue()

    def write_items(self, handler):
        if self.fragments is None or not self.fragments.kept:
            return super().write_items(handler)
        for item in self.items:
            key = self.fragment_key(item)
            if key is None:
                text = self.serialize_item(item)
            else:
                text = self.fragments.text(key, functools.partial(self.serialize_item, item))
            # XMLGenerator's one verbatim output (it closes a pending start tag first, as
            # startElement would); the text was escaped when it was serialized.
            handler.ignorableWhitespace(text)


class FullRssFeed(ReusedEntries, Rss201rev2Feed):
    """RSS 2.0 with the summary in <description> and the full post in <content:encoded>."""

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("full_content"):
            handler.addQuickElement("content:encoded", item["full_content"])


class LangAtomFeed(ReusedEntries, Atom1Feed):
    """Atom with xml:lang on an entry whose language differs from the feed's (a translation)."""

    def item_attributes(self, item):
        lang = item.get("lang")
        if lang and lang != self.feed["language"]:
            return {"xml:lang": lang}
        return {}


def _code_salt():
    """What serialization code a stored fragment came from: this module (the feed classes),
    feedgenerator and Python (xml.sax). A fragment made by any other code is never reused."""
    with open(__file__, "rb") as handle:
        source = hashlib.sha256(handle.read()).hexdigest()
    return f"feed-fragments-1\0{source}\0{package_version('feedgenerator')}\0{sys.version}"


class Fragments:
    """Serialized feed entries, with Pelican's content cache on (CACHE_CONTENT /
    LOAD_CONTENT_CACHE): fragment key -> XML text, made once per build and kept across builds.

    On disk the key is a SHA-256 of the code salt and the whole in-memory key (feed class,
    feed language, every item value), i.e. of everything the text is a pure function of; a
    rebuild after editing one post serializes only that post's entries. A cache file that
    cannot be read, or was written by other code, is ignored.
    """

    # Pelican's FileDataCacher keys by source file and mtime; these key by content digest.
    FILE = "blog_sections-feed-fragments.pickle"
    made = 0  # entries serialized in this process during this build (the rest were reused)
    _builds = {}  # cache file -> the Fragments every FeedWriter of the running build shares

    def __init__(self, settings=None):
        settings = settings or {}
        self.settings = settings
        self.write = bool(settings.get("CACHE_CONTENT"))
        self.read = bool(settings.get("LOAD_CONTENT_CACHE"))
        self.salt = _code_salt() if self.read or self.write else None
        self.stored = self._load() if self.read else {}
        self.used = {}  # digest -> text: what this build wrote, saved for the next one
        self.fresh = {}  # the same, since a forked worker last handed its share over

    @classmethod
    def for_build(cls, settings):
        path = speedups.kept_path(settings, cls.FILE)
        found = cls._builds.get(path)
        if found is None:
            found = cls._builds[path] = cls(settings)
        return found

    @classmethod
    def start_build(cls, *_):
        """initialized: nothing carries over from a build that never finished."""
        cls._builds.clear()
        Fragments.made = 0

    @classmethod
    def save_all(cls, *_):
        """finalized: keep this build's fragments for the next one."""
        for fragments in cls._builds.values():
            fragments.save()
        cls._builds.clear()

    def _load(self):
        stored = speedups.load_kept(self.settings, self.FILE, self.salt)
        return {k: v for k, v in stored.items() if type(k) is str and type(v) is str}

    def digest(self, key):
        """The on-disk key, or None for a feed class whose code the salt does not cover
        (a subclass defined elsewhere may change between builds): kept for this build only."""
        cls, language, names, values = key
        if not all(c.__module__ == __name__ or c.__module__.startswith("feedgenerator.") or c is object
                   for c in cls.__mro__):
            return None
        text = repr((self.salt, f"{cls.__module__}.{cls.__qualname__}", language, names, values))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def kept(self):
        """Whether fragments are kept between builds (Pelican's content cache is on)."""
        return self.salt is not None

    def text(self, key, serialize):
        """The XML of the item ``key`` stands for: made earlier in this build, stored by the
        last one, or ``serialize()``. A cold build without the content cache keeps nothing
        (ReusedEntries does not ask): keeping every entry's XML cost more memory than writing
        again the few posts two feeds of one process share."""
        digest = self.digest(key)
        found = None
        if digest is not None:
            found = self.used.get(digest)  # made (or taken) earlier in this build
            if found is None:
                found = self.stored.get(digest)
        if found is None:
            found = serialize()
            Fragments.made += 1
        if self.write and digest is not None:
            self.used[digest] = self.fresh[digest] = found
        return found

    def hand_over(self):
        """In a forked worker: the fragments it made or used since it last handed them over."""
        fresh, self.fresh = self.fresh, {}
        return fresh

    def take(self, fragments):
        if self.write:
            self.used.update(fragments)

    def save(self):
        speedups.save_kept(self.settings, self.FILE, self.salt, self.used)


def feed_signals_heard():
    """Whether any plugin listens to feed_generated or feed_written (and so needs feed objects)."""
    return bool(signals.feed_generated.receivers or signals.feed_written.receivers)


class FeedWriter(Writer):
    """Pelican's writer, with feeds that are complete, valid and stable."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._feed_owners = {}
        # A post sits in the site, category and speaker feeds, in three formats: build its
        # entry once. Keyed by id(), with the post kept beside it so the id stays its own.
        self._entries = {}
        # ... and, with the content cache, keep each entry's XML for the next build (ReusedEntries).
        self._fragments = Fragments.for_build(self.settings or {})

    def _entry(self, item):
        cached = self._entries.get(id(item))
        if cached is None or cached[0] is not item:
            # The process that built it: a forked worker hands its own back (export_feed_entries).
            cached = (item, FeedEntry(item, self.settings), os.getpid())
            self._entries[id(item)] = cached
        return cached[1]

    def export_feed_entries(self, elements):
        """In a forked worker (speedups_write), after write_feed(elements): the entries it
        built for them that the build process does not have, {position: FeedEntry}, and the
        fragments it made (for the cache across builds)."""
        pid, found = os.getpid(), {}
        if not feed_signals_heard():
            return found, self._fragments.hand_over()  # the build process builds no feed objects
        for position, item in enumerate(elements[: self.settings.get("FEED_MAX_ITEMS")]):
            cached = self._entries.get(id(item))
            if cached is not None and cached[0] is item and cached[2] == pid:
                found[position] = cached[1]
                self._entries[id(item)] = (item, cached[1], None)  # handed over once
        return found, self._fragments.hand_over()

    def forget_feed_entries(self):
        """Drop the entries built so far (a forked worker before a feed of other posts; the
        build process once the site's and categories' feeds are written), unless a plugin
        listens to the feed signals: then they are handed over, or kept for its next feeds."""
        if feed_signals_heard():
            return
        self._entries.clear()

    def adopt_feed_entries(self, elements, handed):
        """In the build process: take a worker's entries for these elements (a FeedEntry is a
        pure function of its post and the settings, so it is the one this process would build)."""
        found, fragments = handed
        for position, entry in found.items():
            item = elements[position]
            cached = self._entries.get(id(item))
            if cached is None or cached[0] is not item:
                self._entries[id(item)] = (item, entry, os.getpid())
        self._fragments.take(fragments)

    def feed_text(self, feed):
        """What write_feed writes to the file."""
        if isinstance(feed, dict):
            return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
        return feed.writeString("utf-8")

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):
        settings = self.settings
        root = absolute_root(settings)
        url = url or path
        meta = context.get("section_feeds", {}).get(path, {}) if path else {}
        title = meta.get("title") or feed_title
        sitename = context.get("SITENAME") or settings.get("SITENAME", "")
        full_title = clean(plain(f"{sitename} — {title}" if title else sitename))
        if path and not override_output:
            owner = self._feed_owners.get(path)
            if owner is not None:
                raise ContentError("pelicanconf", "feeds",
                                   f"two feeds would be written to {path} ({owner!r} and "
                                   f"{full_title!r}); give each kind of feed its own folder, "
                                   "e.g. CATEGORY_FEED_ATOM = 'feeds/category/{slug}.atom.xml'")
            self._feed_owners[path] = full_title
        if getattr(self, "replaying", False) and not feed_signals_heard():
            # speedups_write's build process, after a worker wrote this feed: with nobody
            # listening to the feed signals, only the writer's own checks are left to do.
            speedups.STATS["feeds_left_to_workers"] += 1
            if path:
                self._write_text(path, "", override_output)
            return None
        description = clean(meta.get("description") or context.get("SITESUBTITLE")
                            or context.get("SITE_DESCRIPTION") or context.get("SITE_TAGLINE")
                            or sitename)
        home = meta.get("link") or (root + "/")
        feed_url = join(root, url) if url else None
        # Pelican's writer exposes these; feed_generated receivers may read them.
        self.site_url, self.feed_domain, self.feed_url = root, root, feed_url
        elements = list(elements[: settings.get("FEED_MAX_ITEMS")])
        # SPEEDUP_INCREMENTAL_WRITE: a feed whose posts and header are as when its file was
        # written is left as it is, unless a plugin listens to the feed signals.
        incremental, fingerprint = speedups_incremental.active(), None
        if path and incremental is not None and not feed_signals_heard():
            fingerprint = incremental.feed_fingerprint(
                path, [feed_type, full_title, description, home, feed_url, override_output], elements)
            if fingerprint is not None and incremental.unchanged_file(path, fingerprint, "feed"):
                self._write_text(path, "", override_output)  # the writer's checks; a null file
                return None
            if fingerprint is not None:
                incremental.record_feed(path, fingerprint)
        entries = [self._entry(e) for e in elements]
        check_unique_ids(elements, entries)
        if feed_type == "json":
            feed = json_feed(full_title, home, feed_url, description, sitename,
                             settings.get("DEFAULT_LANG"), entries)
            if path:
                self._write_text(path, self.feed_text(feed), override_output)
            return feed
        feed_class = FullRssFeed if feed_type == "rss" else LangAtomFeed
        feed = feed_class(title=full_title, link=home, feed_url=feed_url,
                          description=description, language=settings.get("DEFAULT_LANG"),
                          author_name=clean(sitename), feed_guid=feed_url or home)
        feed.fragments = self._fragments
        for entry in entries:
            add_entry(feed, entry, rss=feed_type == "rss")
        signals.feed_generated.send(context, feed=feed)
        if path:
            complete_path = self._write_text(path, self.feed_text(feed), override_output)
            signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed

    def _write_text(self, path, text, override_output):
        complete_path = sanitised_join(self.output_path, path)
        os.makedirs(os.path.dirname(complete_path), exist_ok=True)
        with self._open_w(complete_path, "utf-8", override_output) as handle:
            handle.write(text)
        return complete_path


def check_unique_ids(elements, entries):
    """Two entries with one ID look like one post to a reader; the second would vanish."""
    seen = {}
    for element, entry in zip(elements, entries):
        source = display_path(getattr(element, "source_path", "") or "") or entry.link
        if entry.id in seen:
            raise ContentError(source, "Feed_id", f"{entry.id} is also the feed ID of {seen[entry.id]}; "
                               "give one of them a different Slug or its own Feed_id")
        seen[entry.id] = source


def add_entry(feed, entry, rss):
    enclosure = entry.attachments[0] if entry.attachments else None
    feed.add_item(
        title=entry.title,
        link=entry.link,
        unique_id=entry.id,
        unique_id_is_permalink=False,
        # RSS has one <description>: the summary there, the full post in content:encoded.
        description=entry.summary if not rss else (entry.summary or entry.content),
        content=None if rss else entry.content,
        full_content=entry.content if rss else None,
        categories=entry.categories,
        author_name=entry.author,
        pubdate=entry.published,
        updateddate=entry.updated,
        lang=entry.lang,
        enclosures=[Enclosure(enclosure["url"], str(enclosure["size"]), enclosure["mime"])]
        if enclosure else None,
    )


def json_feed(title, home, feed_url, description, author, lang, entries):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1). No Pelican feed library writes it
    (getpelican/feedgenerator#11), so it is built here as a dict and written with ``json``."""
    feed = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": home,
        "description": description,
        "authors": [{"name": clean(author)}],
        "language": lang,
        "items": [],
    }
    if feed_url:
        feed["feed_url"] = feed_url
    for entry in entries:
        item = {
            "id": entry.id,
            "url": entry.link,
            "title": entry.title,
            "content_html": entry.content,
            "authors": [{"name": entry.author}],
        }
        if entry.summary_text:
            item["summary"] = entry.summary_text
        if entry.published:
            item["date_published"] = entry.published.isoformat()
        if entry.updated:
            item["date_modified"] = entry.updated.isoformat()
        if entry.categories:
            item["tags"] = entry.categories
        if entry.lang:
            item["language"] = entry.lang
        if entry.attachments:
            item["attachments"] = [
                {"url": a["url"], "mime_type": a["mime"], "size_in_bytes": a["size"],
                 "title": a["name"]} for a in entry.attachments
            ]
        feed["items"].append(item)
    return feed
