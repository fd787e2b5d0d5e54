"""The "News and Resources" hub, legacy-URL redirect pages and the JSON feeds."""

import posixpath
from itertools import chain

from babel import Locale, UnknownLocaleError
from markupsafe import Markup
from pelican.generators import Generator
from pelican.utils import order_content, sanitised_join

from leitf_site.errors import ContentError, display_path

from .attachments import split_list
from .feeds import FeedWriter, absolute_root

FEED_KINDS = (("atom", "ATOM"), ("rss", "RSS"), ("json", "JSON"))


def url_to_save_as(url):
    """A site path as the file that serves it: "a/b/" -> "a/b/index.html"."""
    path = url.strip().lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    if posixpath.splitext(path)[1] in (".html", ".htm"):
        return path
    return path + "/index.html"


def feed_setting(settings, key, **fields):
    """(path, url) of a feed setting such as CATEGORY_FEED_ATOM, or None when it is off."""
    path = settings.get(key)
    if not path:
        return None
    url = settings.get(f"{key}_URL") or path
    return str(path).format(**fields), str(url).format(**fields)


def site_feeds(settings):
    for kind, suffix in FEED_KINDS:
        found = feed_setting(settings, f"FEED_ALL_{suffix}")
        if found:
            yield kind, found


def category_feeds(settings, slug):
    for kind, suffix in FEED_KINDS:
        found = feed_setting(settings, f"CATEGORY_FEED_{suffix}", slug=slug)
        if found:
            yield kind, found


def language_name(code):
    """"español" for "es": a language named in itself, for feed titles and the hub."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (ValueError, UnknownLocaleError):
        return code


def check_alias(source, alias):
    """An old URL the post used to live at: a path on this site, nothing else."""
    text = alias.strip()
    if "://" in text or text.startswith("//"):
        raise ContentError(source, "Aliases", f"{text}: give the path only, without the domain")
    if "?" in text or "#" in text:
        raise ContentError(source, "Aliases", f"{text}: a static site cannot redirect a query "
                           "string or fragment; give the old path")
    if ".." in text.split("/") or not text.strip("/"):
        raise ContentError(source, "Aliases", f"{text}: must be a path below the site root")
    return "/" + text.lstrip("/")


class SectionsGenerator(Generator):
    """Runs after the articles and pages are read, so it sees every post and category."""

    def generate_context(self):
        self.index_feeds()
        self.redirects = self.collect_redirects()
        self.context["section_redirects"] = sorted(self.redirects)

    # --- feeds ------------------------------------------------------------------------------

    def index_feeds(self):
        """Put every feed Pelican and this plugin write into FEED_INDEX (for the hub), and tell
        the FeedWriter each category feed's title, page and description."""
        settings = self.settings
        feed_pages = self.context.setdefault("section_feeds", {})
        index = self.context.setdefault("FEED_INDEX", [])
        root = absolute_root(settings)
        mine = []

        def add(group, title, kind, found):
            mine.append({"title": title, "url": found[1], "type": kind, "group": group})

        for kind, suffix in (("atom", "ATOM"), ("rss", "RSS")):
            found = feed_setting(settings, f"FEED_{suffix}")
            if found:
                add("site", settings["SITENAME"], kind, found)
        for kind, found in site_feeds(settings):
            add("site", settings["SITENAME"], kind, found)
        for section in self.context.get("sections") or []:
            if section.category is None:
                continue
            for kind, found in category_feeds(settings, section.slug):
                feed_pages[found[0]] = {
                    "title": section.title,
                    "link": f"{root}/{section.category.url}",
                    "description": Markup(section.description).striptags() or None,
                }
                add("category", section.title, kind, found)
        for group, key, items in (("author", "AUTHOR", self.context.get("authors", [])),
                                  ("tag", "TAG", self.context.get("tags", []))):
            for thing, _articles in items:
                for kind, suffix in (("atom", "ATOM"), ("rss", "RSS")):
                    found = feed_setting(settings, f"{key}_FEED_{suffix}", slug=thing.slug)
                    if found:
                        add(group, thing.name, kind, found)
        langs = sorted({a.lang for a in self.context.get("articles", [])
                        for a in (a, *a.translations)})
        for lang in langs:
            name = language_name(lang)
            for kind, suffix in (("atom", "ATOM"), ("rss", "RSS")):
                found = feed_setting(settings, f"TRANSLATION_FEED_{suffix}", lang=lang)
                if found:
                    feed_pages[found[0]] = {"title": name}
                    add("language", name, kind, found)
        index[:0] = mine

    # --- legacy URLs ------------------------------------------------------------------

    def collect_redirects(self):
        """{save_as of the old URL: the content it now lives at}; every clash is an error."""
        # save_as -> the content written there (named only in an error) or a description.
        taken = {}
        for content in chain(self.context.get("generated_content", {}).values(),
                             self.context.get("static_content", {}).values()):
            save_as = getattr(content, "save_as", None) if content is not None else None
            if save_as:  # worked out anew on every ask: ask once
                taken[save_as] = content
        hub = self.hub_save_as()
        if hub:
            taken[hub] = "the News and Resources hub"
        redirects = {}
        for content in self.contents_with_aliases():
            source = display_path(content.source_path)
            for alias in split_list(content.metadata.get("aliases", "")):
                path = check_alias(source, alias)
                save_as = url_to_save_as(path)
                if save_as == content.save_as:
                    raise ContentError(source, "Aliases", f"{path} is the post's own URL")
                if save_as in taken:
                    owner = taken[save_as]
                    owner = owner if isinstance(owner, str) else display_path(owner.source_path)
                    raise ContentError(source, "Aliases", f"{path} is already the address of {owner}")
                if save_as in redirects:
                    other = display_path(redirects[save_as][0].source_path)
                    raise ContentError(source, "Aliases", f"{path} is also an alias in {other}")
                redirects[save_as] = (content, path)
        return redirects

    def contents_with_aliases(self):
        ctx = self.context
        found = []
        for item in chain(ctx.get("articles", []), ctx.get("hidden_articles", []),
                          ctx.get("pages", []), ctx.get("hidden_pages", [])):
            for content in (item, *getattr(item, "translations", ())):
                if "aliases" in content.metadata and content not in found:
                    found.append(content)
        return found

    # --- output -------------------------------------------------------------------------

    def hub_save_as(self):
        url = self.settings["SECTION_HUB_URL"]
        if not url:
            return None
        return self.settings["SECTION_HUB_SAVE_AS"] or url_to_save_as(url)

    def generate_output(self, writer):
        self.write_json_feeds(writer)
        if isinstance(writer, FeedWriter) and self.feeds_left_to_workers():
            # The site's and categories' feeds are written, and the speaker feeds will be
            # built by writer workers: this process needs their entries no more (unless a
            # plugin listens to feed signals), so it stops holding those posts' text twice.
            writer.forget_feed_entries()
        self.write_hub(writer)
        self.write_redirects(writer)

    def feeds_left_to_workers(self):
        """Whether the kit's SPEEDUP_PARALLEL_WRITE will write the rest of the feeds in forked
        workers (a site big enough for it; a small one writes everything in this process)."""
        settings = self.settings
        return bool(settings.get("SPEEDUP_PARALLEL_WRITE", True)) and len(
            self.context.get("articles", [])) >= int(settings.get("SPEEDUP_PARALLEL_MIN_FILES", 40))

    def write_json_feeds(self, writer):
        # Pelican never asks for JSON, so it is written here, through the same FeedWriter.
        if not isinstance(writer, FeedWriter):
            writer_for_json = FeedWriter(self.output_path, settings=self.settings)
            writer_for_json._written_files = writer._written_files
        else:
            writer_for_json = writer
        settings = self.settings
        found = feed_setting(settings, "FEED_ALL_JSON")
        if found:
            articles = list(self.context.get("articles", []))
            for article in list(articles):
                articles.extend(article.translations)
            articles = order_content(articles, order_by=settings["ARTICLE_ORDER_BY"])
            writer_for_json.write_feed(articles, self.context, found[0], found[1], feed_type="json")
        for section in self.context.get("sections") or []:
            if section.category is None:
                continue
            found = feed_setting(settings, "CATEGORY_FEED_JSON", slug=section.slug)
            if found:
                writer_for_json.write_feed(section.articles, self.context, found[0], found[1],
                                           feed_type="json", feed_title=section.title)

    def hub_groups(self):
        settings = self.settings
        sections = [s for s in self.context.get("sections") or [] if s.category is not None]
        wanted = settings["SECTION_HUB_CATEGORIES"]
        if wanted is None:
            chosen = [s for s in sections if s.parent is None]
        else:
            by_slug = {s.slug: s for s in sections}
            by_slug.update({s.base_slug: s for s in sections})
            chosen = []
            for slug in wanted:
                if slug not in by_slug:
                    known = ", ".join(s.slug for s in sections)
                    raise ContentError("pelicanconf", "SECTION_HUB_CATEGORIES",
                                       f"no category with the slug {slug!r} (known: {known})")
                chosen.append(by_slug[slug])
        count = settings["SECTION_HUB_COUNT"]
        return [{"section": s, "category": s.category, "articles": s.articles[:count],
                 "total": len(s.articles)} for s in chosen]

    def feed_groups(self):
        """FEED_INDEX grouped by its "group", site feeds first, each URL once."""
        groups, seen = {}, set()
        for entry in self.context.get("FEED_INDEX", []):
            if entry["url"] in seen:
                continue
            seen.add(entry["url"])
            groups.setdefault(entry.get("group", ""), []).append(entry)
        rank = {"site": 0, "category": 1, "language": 2, "author": 3, "tag": 4}
        order = sorted(groups, key=lambda g: rank.get(g, 5))
        return [(group, groups[group]) for group in order]

    def write_hub(self, writer):
        save_as = self.hub_save_as()
        if not save_as:
            return
        writer.write_file(
            save_as, self.get_template("hub"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=self.settings["SECTION_HUB_URL"],
            template_name="hub", hub_title=self.settings["SECTION_HUB_TITLE"],
            hub_groups=self.hub_groups(), feed_groups=self.feed_groups(),
        )

    def write_redirects(self, writer):
        template = self.get_template("redirect")
        root = absolute_root(self.settings)
        for save_as, (content, path) in sorted(self.redirects.items()):
            if sanitised_join(self.output_path, save_as) in writer._written_files:
                raise ContentError(display_path(content.source_path), "Aliases",
                                   f"{path} is already the address of another page")
            writer.write_file(
                save_as, template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
                template_name="redirect", target=content, old_path=path,
                canonical=f"{root}/{content.url}",
            )
