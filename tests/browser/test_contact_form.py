"""The contact form in headless Chromium: a real submission to a local endpoint, native
validation, the honeypot out of reach, accessibility checks and screenshots at two widths."""

import http.server
import threading
from urllib.parse import parse_qsl

import pytest

from helpers import run_build, write_tree

pytestmark = pytest.mark.browser

TYPED = {
    "name": "José Álvarez-O'Neil",
    "email": "jose.alvarez@example.org",
    "organization": "Fresno Police Department",
    "role": "journalist",
    "subject": "Interview request & <background>",
    "message": "Line one.\nLine two — ünïcode, \"quotes\" & ampersands.",
    "consent": "yes",
}
# Tab order through the form: one stop per field, the radio group is one stop, then the button.
TAB_ORDER = ["email", "organization", "role", "subject", "message", "consent", "BUTTON"]


class Endpoint:
    """A stand-in form service on 127.0.0.1: records every POST, then redirects like Formspree's _next."""

    def __init__(self):
        self.received = []
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                fields = dict(parse_qsl(body, keep_blank_values=True))
                endpoint.received.append({"content_type": self.headers.get("Content-Type"), **fields})
                target = fields.get("_next")
                self.send_response(303 if target else 200)
                if target:
                    self.send_header("Location", target)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/submit"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def endpoint():
    server = Endpoint()
    yield server
    server.close()


@pytest.fixture
def contact_site(tmp_path, serve, endpoint):
    """A small site with the form posting to the local endpoint, served on 127.0.0.1.

    The server starts first so the build can use its address as an absolute SITEURL, which the
    redirect field needs. The https-only rule is lifted by the explicit local-test switch.
    """
    output = tmp_path / "output"
    output.mkdir()
    base = serve(output)
    content = write_tree(tmp_path / "content", {
        "pages/contact.md": "Title: Contact us\nSlug: contact\n\nWrite to us with any question.\n",
        "posts/a.md": "Title: A post\nDate: 2024-01-02\nCategory: News\n\nBody.\n",
    })
    run_build(
        content, output,
        SITEURL=base, RELATIVE_URLS=False,
        PAGE_URL="{slug}/", PAGE_SAVE_AS="{slug}/index.html",
        CONTACT_FORM_ACTION=endpoint.url, CONTACT_FORM_ALLOW_LOCAL_HTTP=True,
        CONTACT_FORM_REDIRECT_FIELD="_next", CONTACT_PRIVACY_URL="privacy/",
        CALLS_TO_ACTION=[("Learn more. Contact Us.", "contact/"), ("Get involved", "get-involved/")],
        SOCIAL=[("Bluesky", "https://bsky.app/profile/example.org"), ("News feed", "feeds/all.atom.xml")],
    )
    return {"contact": f"{base}/contact/", "thanks": f"{base}/contact/thanks/"}


@pytest.fixture
def open_page(chromium):
    contexts = []

    def open_(url, width=1280):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)  # a blocked submission fails fast instead of after 30 s
        page.csp_errors = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


def fill_form(page, skip=()):
    values = {
        "name": lambda v: page.get_by_label("Name", exact=True).fill(v),
        "email": lambda v: page.get_by_label("Email address").fill(v),
        "organization": lambda v: page.get_by_label("Organization").fill(v),
        "role": lambda v: page.get_by_label("Journalist").check(),
        "subject": lambda v: page.get_by_label("Subject").fill(v),
        "message": lambda v: page.get_by_label("Message", exact=True).fill(v),
        "consent": lambda v: page.get_by_label("I agree").check(),
    }
    for name, action in values.items():
        if name not in skip:
            action(TYPED[name])


def test_submission_reaches_the_endpoint_with_every_typed_value(contact_site, endpoint, open_page):
    page = open_page(contact_site["contact"])
    fill_form(page)
    page.get_by_role("button", name="Send message").click()
    page.wait_for_url(contact_site["thanks"])
    assert page.locator("h1").inner_text() == "Thank you"
    assert len(endpoint.received) == 1
    got = endpoint.received[0]
    assert got.pop("content_type") == "application/x-www-form-urlencoded"
    # Browsers send textarea line breaks as CRLF.
    got["message"] = got["message"].replace("\r\n", "\n")
    assert got == {**TYPED, "_gotcha": "", "_next": contact_site["thanks"]}
    assert page.csp_errors == []


def test_empty_required_field_blocks_submission(contact_site, endpoint, open_page):
    page = open_page(contact_site["contact"])
    fill_form(page, skip={"message"})
    page.get_by_role("button", name="Send message").click()
    message = page.get_by_label("Message", exact=True)
    assert message.evaluate("el => el.validity.valueMissing") is True
    assert message.evaluate("el => el.validationMessage")
    # The browser moved focus to the field that needs attention and stayed on the page.
    assert page.evaluate("document.activeElement.name") == "message"
    assert page.url == contact_site["contact"]
    assert page.evaluate("document.querySelector('#contact-form').checkValidity()") is False
    # Filling it in lets the same form through: exactly one request ever reached the endpoint.
    message.fill(TYPED["message"])
    page.get_by_role("button", name="Send message").click()
    page.wait_for_url(contact_site["thanks"])
    assert len(endpoint.received) == 1


def test_honeypot_is_invisible_and_never_focused(contact_site, open_page):
    page = open_page(contact_site["contact"])
    trap = page.locator("input[name=_gotcha]")
    assert trap.count() == 1  # present for bots
    assert not trap.is_visible()
    assert trap.bounding_box() is None
    assert trap.evaluate("el => el.tabIndex") == -1
    assert trap.evaluate("el => el.closest('[aria-hidden=true]') !== null")
    page.get_by_label("Name", exact=True).focus()
    seen = []
    for _ in range(len(TAB_ORDER) + 2):  # the privacy link sits between consent and the button
        page.keyboard.press("Tab")
        active = page.evaluate("document.activeElement.name || document.activeElement.tagName")
        seen.append(active)
        if active == "BUTTON":
            break
    assert "_gotcha" not in seen
    assert [s for s in seen if s != "A"] == TAB_ORDER


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_layout_and_axe(contact_site, open_page, artifacts_dir, width):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(contact_site["contact"], width=width)
    page.screenshot(path=str(artifacts_dir / f"contact-form-{width}.png"), full_page=True)
    assert (artifacts_dir / f"contact-form-{width}.png").stat().st_size > 1000
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Every field, the radios and the button are at least 44px tall or sit in a 44px row.
    for selector in (".field__input", ".choice", ".contact-form__submit"):
        for box in (el.bounding_box() for el in page.locator(selector).all()):
            assert box["height"] >= 44, (selector, box)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.csp_errors == []


def test_works_at_320_pixels(contact_site, open_page):
    page = open_page(contact_site["contact"], width=320)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button = page.get_by_role("button", name="Send message").bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= 320
