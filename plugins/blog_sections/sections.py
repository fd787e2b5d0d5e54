"""Category metadata: one small file per category gives its title, post label, description,
order and parent. A parent nests the category's URL: category/<parent>/<child>/."""

import logging
import os

from markupsafe import Markup
from pelican.contents import Page
from pelican.urlwrappers import Category
from pelican.utils import order_content

from leitf_site.errors import ContentError, display_path

logger = logging.getLogger(__name__)

# A category without an Order sorts after every category that has one.
UNORDERED = 10**6


class Section:
    """What the theme needs to know about one category, with or without a metadata file."""

    def __init__(self, base_slug, name, title=None, label=None, description="", order=UNORDERED,
                 parent_slug=None, source_path=None):
        self.base_slug = base_slug
        self.name = name
        self.title = title or name
        self.label = label or self.title
        self.description = Markup(description or "")
        self.order = order
        self.parent_slug = parent_slug
        self.source_path = source_path
        self.parent = None
        self.children = []
        self.category = None
        self.articles = []

    @property
    def slug(self):
        """The URL slug: the parent's slug, a slash, then this category's own."""
        return f"{self.parent.slug}/{self.base_slug}" if self.parent else self.base_slug

    @property
    def depth(self):
        return self.parent.depth + 1 if self.parent else 0

    @property
    def ancestors(self):
        return [*self.parent.ancestors, self.parent] if self.parent else []

    def sort_key(self):
        return (self.order, self.title.lower())

    def __repr__(self):
        return f"<Section {self.slug!r}>"


def read_metadata_files(generator):
    """Read every category file; return {base slug: Section}. Errors name the file and field."""
    settings = generator.settings
    paths = settings["SECTION_CATEGORY_PATHS"]
    sections = {}
    for rel in sorted(generator.get_files(paths, exclude=[])):
        source = os.path.join(generator.path, rel)
        page = generator.readers.read_file(base_path=generator.path, path=rel, content_class=Page,
                                           context=generator.context)
        meta = page.metadata
        slug = os.path.splitext(os.path.basename(rel))[0]
        order = meta.get("order", UNORDERED)
        if order != UNORDERED:
            try:
                order = int(str(order).strip())
            except ValueError:
                raise ContentError(display_path(source), "Order",
                                   f"must be a whole number, got {order!r}") from None
        parent = str(meta.get("parent", "")).strip().strip("/") or None
        if parent == slug:
            raise ContentError(display_path(source), "Parent", "a category cannot be its own parent")
        sections[slug] = Section(
            slug, name=meta.get("title") or slug, title=meta.get("title"),
            label=str(meta.get("label", "")).strip() or None,
            description=page.content, order=order, parent_slug=parent,
            source_path=display_path(source),
        )
    for section in sections.values():
        if section.parent_slug is None:
            continue
        if section.parent_slug not in sections:
            known = ", ".join(sorted(sections)) or "none"
            raise ContentError(section.source_path, "Parent",
                               f"no category file {section.parent_slug}.md (known: {known})")
        section.parent = sections[section.parent_slug]
    for section in sections.values():
        seen, walk = {section.base_slug}, section.parent
        while walk is not None:
            if walk.base_slug in seen:
                raise ContentError(section.source_path, "Parent", "categories form a loop")
            seen.add(walk.base_slug)
            walk = walk.parent
    return sections


def all_articles(generator):
    for name in ("articles", "translations", "hidden_articles", "hidden_translations",
                 "drafts", "drafts_translations"):
        yield from getattr(generator, name, [])


def plain_slug(category, settings):
    """The category's own slug from its name, whatever was set on this object before."""
    return Category(category.name, settings).slug


def nest_category_slugs(generator, sections):
    """Before Pelican groups posts by category: give each nested category its full slug."""
    for article in all_articles(generator):
        category = getattr(article, "category", None)
        if category is None:
            continue
        section = sections.get(plain_slug(category, generator.settings))
        if section is not None and category.slug != section.slug:
            category.slug = section.slug


def attach_sections(generator, sections):
    """After grouping: a Section for every category, parents that list their children's posts,
    the categories in their configured order, and ``category.section`` on every Category."""
    settings = generator.settings
    by_slug = {s.slug: s for s in sections.values()}
    grouped = dict(generator.categories)
    for category, articles in grouped.items():
        section = by_slug.get(category.slug)
        if section is None:
            # No metadata file: the name does for title and label.
            base = plain_slug(category, settings)
            section = Section(base, category.name)
            sections[base] = section
            by_slug[section.slug] = section
        section.category = category
        section.articles = list(articles)
    for section in sections.values():
        if section.parent is not None:
            section.parent.children.append(section)
    for section in sections.values():
        section.children.sort(key=Section.sort_key)
    # A parent lists its own posts and every descendant's, newest first.
    for section in sorted(sections.values(), key=lambda s: -s.depth):
        if section.children:
            merged = list(section.articles)
            for child in section.children:
                merged.extend(a for a in child.articles if a not in merged)
            section.articles = order_content(merged, settings["ARTICLE_ORDER_BY"])
        if section.category is None and section.articles:
            category = Category(section.title, settings)
            category.slug = section.slug
            section.category = category
    ordered = ordered_sections(sections)
    for section in ordered:
        if section.category is None and section.source_path:
            # Usually a file name that does not match the slug of the posts' Category:.
            known = ", ".join(s.slug for s in ordered if s.category) or "none"
            logger.warning("%s: no post is in the category %r or below it (categories with posts: %s)",
                           section.source_path, section.base_slug, known)
    generator.categories[:] = [(s.category, s.articles) for s in ordered if s.category]
    generator.context["categories"] = generator.categories
    for section in ordered:
        if section.category is not None:
            section.category.section = section
    for article in all_articles(generator):
        category = getattr(article, "category", None)
        if category is not None and category.slug in by_slug:
            category.section = by_slug[category.slug]
    return ordered


def ordered_sections(sections):
    """Depth first: each top-level category by Order then title, its children right after it."""
    result = []

    def visit(section):
        result.append(section)
        for child in section.children:
            visit(child)

    for section in sorted((s for s in sections.values() if s.parent is None), key=Section.sort_key):
        visit(section)
    return result
