"""Find the contact and thank-you pages among the site's pages; write a thank-you page when none exists."""

import logging
from itertools import chain

from pelican.generators import Generator

from leitf_site.errors import ContentError, display_path

logger = logging.getLogger(__name__)


def matching_pages(generator, url, template):
    """Pages at ``url`` (and their translations), plus pages that ask for ``template`` themselves."""
    found = []
    pages = chain(generator.pages, generator.translations, generator.hidden_pages,
                  generator.hidden_translations)
    for page in pages:
        asked = page.metadata.get("template") == template
        if asked or (url and page.url.lstrip("/") == url):
            for candidate in (page, *getattr(page, "translations", ())):
                if candidate not in found:
                    found.append(candidate)
    return found


def claim_pages(generator):
    """page_generator_finalized: give the contact and thank-you pages their templates."""
    info = generator.context.get("GET_INVOLVED")
    if info is None:
        return
    contact_pages = matching_pages(generator, info["contact_url"], "contact")
    thanks_pages = matching_pages(generator, info["thanks_url"], "thanks")
    for pages, template in ((contact_pages, "contact"), (thanks_pages, "thanks")):
        for page in pages:
            # A page's own Template: beats the plugin's choice.
            if "template" not in page.metadata:
                page.template = template
    # A page at CONTACT_URL that chose another template is a plain page, not a contact page.
    contact_pages = [p for p in contact_pages if p.template == "contact"]
    thanks_pages = [p for p in thanks_pages if p.template == "thanks"]
    if not contact_pages:
        if info["mode"] != "none" and info["contact_url"]:
            # A configured form that no page shows is almost always a CONTACT_URL/PAGE_URL mismatch.
            logger.warning(
                "pelicanconf: CONTACT_URL: no page has the URL %r, so the contact form is shown "
                "nowhere; set CONTACT_URL to the contact page's URL or give a page Template: contact",
                info["contact_url"],
            )
        return
    lang = generator.settings.get("DEFAULT_LANG")
    contact_pages.sort(key=lambda p: (p.metadata.get("template") == "contact", p.lang != lang))
    info["contact_page"] = contact_pages[0]
    info["thanks_page"] = thanks_pages[0] if thanks_pages else None
    source = display_path(contact_pages[0].source_path)
    if info["mode"] == "none":
        raise ContentError(
            source, "CONTACT_FORM_ACTION",
            "the contact page needs a form endpoint (CONTACT_FORM_ACTION, https://) or an "
            "address (CONTACT_EMAIL); set CONTACT_URL = '' to keep it a plain page",
        )
    if info["mode"] == "mailto":
        logger.warning(
            "pelicanconf: CONTACT_FORM_ACTION is not set, so %s shows a mailto: link to "
            "CONTACT_EMAIL instead of a form", source,
        )


class ThanksPageGenerator(Generator):
    """Writes the page the form service redirects to, unless the site wrote its own."""

    def generate_output(self, writer):
        info = self.context.get("GET_INVOLVED")
        if not info or not info["contact_page"] or not info["thanks_url"] or info["thanks_page"]:
            return
        url = info["thanks_url"]
        save_as = f"{url}index.html" if url.endswith("/") else url
        writer.write_file(
            save_as, self.get_template("thanks"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=url, page=None,
        )


def thanks_generator(pelican):
    return ThanksPageGenerator
