from urllib.parse import quote

from pelican import signals

from leitf_site import theme_support

from . import attachments, config, sections
from .feeds import FeedWriter, Fragments
from .generator import SectionsGenerator


def apply_defaults(pelican):
    config.apply(pelican.settings)


def read_categories(generator):
    """article_generator_pretaxonomy: nested categories get their full slug before grouping."""
    generator.blog_sections = sections.read_metadata_files(generator)
    sections.nest_category_slugs(generator, generator.blog_sections)


def finish_articles(generator):
    """article_generator_finalized: sections in order, and every post's attachments."""
    found = getattr(generator, "blog_sections", None)
    if found is None:
        found = sections.read_metadata_files(generator)
    generator.context["sections"] = sections.attach_sections(generator, found)
    links = generator.context.setdefault("static_links", set())
    for article in sections.all_articles(generator):
        article.attachments = attachments.read_attachments(article, generator.path)
        # Copied to the output like a {static} link, even outside STATIC_PATHS.
        links.update(a.path for a in article.attachments)


def attachment_urls(generators):
    """all_generators_finalized: each attachment links to where Pelican copies the file."""
    for generator in generators:
        if not hasattr(generator, "articles"):
            continue
        static = generator.context.get("static_content", {})
        for article in sections.all_articles(generator):
            for attachment in getattr(article, "attachments", []):
                copied = static.get(attachment.path)
                if copied is not None:
                    # Percent-encoded, so a file name with spaces or quotes is still a valid link.
                    attachment.url = quote(copied.url)


def get_writer(pelican):
    return FeedWriter


def get_generators(pelican):
    return SectionsGenerator


def register():
    theme_support.register()
    signals.initialized.connect(apply_defaults)
    signals.initialized.connect(Fragments.start_build)
    signals.finalized.connect(Fragments.save_all)
    signals.article_generator_pretaxonomy.connect(read_categories)
    signals.article_generator_finalized.connect(finish_articles)
    signals.all_generators_finalized.connect(attachment_urls)
    signals.get_writer.connect(get_writer)
    signals.get_generators.connect(get_generators)
