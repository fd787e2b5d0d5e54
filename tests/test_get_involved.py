"""get_involved: the contact form and its providers, the mailto fallback, the thank-you page,
calls to action, Follow links and the home page's Organization JSON-LD."""

import html
import json
import re
import sys

import pytest

from helpers import REPO, assert_one_line_error, cli_build

# The plugin loads by short name through PLUGIN_PATHS; import it the same way for unit tests.
sys.path.insert(0, str(REPO / "plugins"))
from get_involved import config  # noqa: E402
from get_involved.settings import DEFAULTS  # noqa: E402

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
ENDPOINT = "https://forms.example.org/f/abc123"
ADDRESS = "press@coalition.example.org"
PRETTY = dict(PAGE_URL="{slug}/", PAGE_SAVE_AS="{slug}/index.html")
POST = """
    Title: A post
    Date: 2024-01-02
    Category: News

    Body of the post.
    """
CONTACT = """
    Title: Contact us
    Slug: contact

    Write to us with questions.
    """
SITE = {"posts/a.md": POST, "pages/contact.md": CONTACT}
FIELDS = ("name", "email", "organization", "role", "subject", "message", "consent")


def settings_with(**overrides):
    settings = dict(DEFAULTS, SITEURL="", FEED_DOMAIN="")
    settings.update(overrides)
    return settings


def form_of(site, rel="contact/index.html"):
    return site.soup(rel).find("form", class_="contact-form")


def ld_of(soup):
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


# --- pure functions -------------------------------------------------------------------


def test_defaults_pass_the_checks():
    config.check(settings_with())
    assert config.form_context(settings_with())["mode"] == "none"


@pytest.mark.parametrize("url", [
    "https://formspree.io/f/xyzabcd",
    "https://usebasin.com/f/0123456789ab?lang=en",
    "https://forms.example.org/submit?form=contact&redirect=thanks",
])
def test_public_endpoints_are_accepted(url):
    config.check(settings_with(CONTACT_FORM_ACTION=url))


@pytest.mark.parametrize("url,fragment", [
    ("https://api.example.org/f?api_key=abcd", "'api_key' looks like a secret"),
    ("https://api.example.org/f?apiKey=abcd", "'apiKey' looks like a secret"),
    ("https://api.example.org/f?access_token=abcd", "'access_token' looks like a secret"),
    ("https://api.example.org/f?key=abcd", "'key' looks like a secret"),
    ("https://api.example.org/f?sig=abcd", "'sig' looks like a secret"),
    ("https://api.example.org/f?client-secret=abcd", "'client-secret' looks like a secret"),
    ("https://api.example.org/f?x=sk_live_abcdef", "value of query parameter 'x' looks like a key"),
    ("https://api.example.org/f?x=Zq8Xv2LmN4pR7tY1wK9sD3fG6hJ0aB5cE", "value of query parameter 'x'"),
    ("https://user:hunter2@api.example.org/f", "user name or password"),
])
def test_secrets_in_the_endpoint_are_refused_without_repeating_them(url, fragment):
    with pytest.raises(config.ContentError) as caught:
        config.check(settings_with(CONTACT_FORM_ACTION=url))
    message = str(caught.value)
    assert message.startswith("pelicanconf: CONTACT_FORM_ACTION: ")
    assert fragment in message
    for secret in ("abcd", "sk_live_abcdef", "Zq8Xv2LmN4pR7tY1wK9sD3fG6hJ0aB5cE", "hunter2"):
        assert secret not in message


@pytest.mark.parametrize("url,allowed", [
    ("http://127.0.0.1:8123/submit", True),
    ("http://localhost/submit", True),
    ("http://[::1]:9000/submit", True),
    ("http://forms.example.org/submit", False),
    ("http://127.0.0.1.example.org/submit", False),
])
def test_local_http_needs_the_explicit_switch(url, allowed):
    expected = "CONTACT_FORM_ALLOW_LOCAL_HTTP" if allowed else "must be an https:// URL"
    with pytest.raises(config.ContentError, match=expected):
        config.check(settings_with(CONTACT_FORM_ACTION=url))
    if allowed:
        config.check(settings_with(CONTACT_FORM_ACTION=url, CONTACT_FORM_ALLOW_LOCAL_HTTP=True))
    else:
        with pytest.raises(config.ContentError, match="https://"):
            config.check(settings_with(CONTACT_FORM_ACTION=url, CONTACT_FORM_ALLOW_LOCAL_HTTP=True))


def test_http_endpoint_message_without_switch_names_https():
    with pytest.raises(config.ContentError, match="must be an https:// URL"):
        config.check(settings_with(CONTACT_FORM_ACTION="http://forms.example.org/f"))


def test_entity_encoding_round_trips_and_hides_the_address():
    encoded = str(config.entity_encode("mailto:" + ADDRESS))
    assert "@" not in encoded and "press" not in encoded
    assert html.unescape(encoded) == "mailto:" + ADDRESS


def test_tojson_obfuscating_is_valid_json_without_the_address():
    data = {"name": "</script>&", "contactPoint": {"email": ADDRESS}}
    text = str(config.tojson_obfuscating(data, ADDRESS))
    assert ADDRESS not in text and "@" not in text and "</script>" not in text
    assert json.loads(text) == data


def test_redirect_needs_an_absolute_siteurl():
    relative = config.form_context(settings_with(CONTACT_FORM_PROVIDER="formspree",
                                                 CONTACT_FORM_ACTION="https://formspree.io/f/abc"))
    assert relative["hidden"] == []
    absolute = config.form_context(settings_with(CONTACT_FORM_PROVIDER="formspree",
                                                 CONTACT_FORM_ACTION="https://formspree.io/f/abc",
                                                 SITEURL="https://example.org/sub"))
    assert absolute["hidden"] == [("_next", "https://example.org/sub/contact/thanks/")]


def test_netlify_action_is_a_root_path_under_siteurl():
    info = config.form_context(settings_with(CONTACT_FORM_PROVIDER="netlify",
                                             SITEURL="https://example.org/sub"))
    assert info["action"] == "/sub/contact/thanks/"
    assert info["hidden"] == [("form-name", "contact")]


# --- the contact form, per provider ------------------------------------------------------


def test_generic_provider(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, CONTACT_FORM_HONEYPOT="website_url",
                      CONTACT_FORM_REDIRECT_FIELD="_redirect", SITEURL="https://example.org",
                      **PRETTY)
    form = form_of(site)
    assert form["action"] == ENDPOINT and form["method"] == "post"
    assert not form.has_attr("data-netlify") and not form.has_attr("name")
    assert form.find("input", attrs={"name": "website_url"})
    assert not form.find("input", attrs={"name": "_gotcha"})
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == {"_redirect": "https://example.org/contact/thanks/"}
    # The redirect target exists: the plugin wrote a thank-you page.
    thanks = site.soup("contact/thanks/index.html")
    assert thanks.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert thanks.h1.get_text(strip=True) == "Thank you"


def test_generic_provider_without_redirect_field_sends_none(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, SITEURL="https://example.org", **PRETTY)
    form = form_of(site)
    assert form.find_all("input", type="hidden") == []
    assert form.find("input", attrs={"name": "_gotcha"})


def test_formspree_provider(build_site):
    action = "https://formspree.io/f/xyzabcd"
    site = build_site(SITE, CONTACT_FORM_PROVIDER="formspree", CONTACT_FORM_ACTION=action,
                      SITEURL="https://example.org", **PRETTY)
    form = form_of(site)
    assert form["action"] == action and form["method"] == "post"
    assert form.find("input", attrs={"name": "_gotcha"})
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == {"_next": "https://example.org/contact/thanks/"}
    # Formspree replies to the field called "email".
    assert form.find("input", attrs={"name": "email"})["type"] == "email"


def test_netlify_provider(build_site):
    site = build_site(SITE, CONTACT_FORM_PROVIDER="netlify", CONTACT_FORM_NAME="enquiries", **PRETTY)
    form = form_of(site)
    assert form["data-netlify"] == "true"
    assert form["netlify-honeypot"] == "bot-field"
    assert form["name"] == "enquiries"
    assert form["action"] == "/contact/thanks/"
    assert form.find("input", attrs={"name": "bot-field"})
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == {"form-name": "enquiries"}
    assert site.exists("contact/thanks/index.html")


def test_netlify_without_thanks_page_omits_the_action(build_site):
    site = build_site(SITE, CONTACT_FORM_PROVIDER="netlify", CONTACT_THANKS_URL="", **PRETTY)
    assert not form_of(site).has_attr("action")
    assert not site.exists("contact/thanks/index.html")


def test_fields_are_labelled_typed_and_required(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, CONTACT_PRIVACY_URL="privacy/",
                      RELATIVE_URLS=True, **PRETTY)
    soup = site.soup("contact/index.html")
    form = form_of(site)
    expected = {
        "name": ("text", "name", True),
        "email": ("email", "email", True),
        "organization": ("text", "organization", False),
        "subject": ("text", None, True),
        "consent": ("checkbox", None, True),
    }
    for name, (kind, autocomplete, required) in expected.items():
        field = form.find("input", attrs={"name": name})
        assert field["type"] == kind, name
        assert field.get("autocomplete") == autocomplete, name
        assert field.has_attr("required") == required, name
        label = form.find("label", attrs={"for": field["id"]})
        assert label and label.get_text(strip=True), name
    message = form.find("textarea", attrs={"name": "message"})
    assert message.has_attr("required") and form.find("label", attrs={"for": message["id"]})
    radios = form.find_all("input", attrs={"name": "role"})
    assert [r["value"] for r in radios] == ["law-enforcement", "faith", "business", "community", "journalist", "other"]
    assert all(r["type"] == "radio" and r.has_attr("required") for r in radios)
    assert radios[0].find_parent("fieldset").legend.get_text(strip=True) == "I am a…"
    for radio in radios:
        assert form.find("label", attrs={"for": radio["id"]}).get_text(strip=True)
    assert "(optional)" in form.find("label", attrs={"for": "contact-organization"}).get_text()
    # Every hint a field points at exists, so assistive technology reads it with the field.
    described = [el for el in form.find_all(attrs={"aria-describedby": True})]
    assert {el["name"] for el in described} >= {"email", "consent"}
    for el in described:
        assert soup.find(id=el["aria-describedby"]).get_text(strip=True)
    assert form.find(id="contact-privacy").a["href"] == "../privacy/"
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert form.find("button", type="submit").get_text(strip=True)


def test_honeypot_is_hidden_from_people_and_assistive_technology(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, **PRETTY)
    trap = form_of(site).find("input", attrs={"name": "_gotcha"})
    wrapper = trap.find_parent("div")
    assert wrapper["aria-hidden"] == "true"
    assert "contact-form__trap" in wrapper["class"]
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off" and trap["type"] == "text"
    assert not site.soup("contact/index.html").find(attrs={"style": True})
    css = site.text("theme/css/site.css")
    assert re.search(r"\.contact-form__trap\s*\{\s*display:\s*none", css)


def test_roles_and_consent_come_from_settings_and_are_escaped(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, **PRETTY,
                      CONTACT_ROLES=[("chief", HOSTILE), ("reporter", "Reporter")],
                      CONTACT_CONSENT_TEXT=HOSTILE)
    form = form_of(site)
    assert [r["value"] for r in form.find_all("input", attrs={"name": "role"})] == ["chief", "reporter"]
    assert form.find("label", attrs={"for": "contact-role-1"}).get_text() == HOSTILE
    assert form.find("label", attrs={"for": "contact-consent"}).get_text() == HOSTILE
    assert not form.find("img") and not form.find("script")


def test_local_endpoint_is_added_to_the_csp_form_action(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION="http://127.0.0.1:8765/submit",
                      CONTACT_FORM_ALLOW_LOCAL_HTTP=True, **PRETTY)
    csp = site.soup("contact/index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "form-action 'self' https: http://127.0.0.1:8765;" in csp["content"]
    other = site.soup("index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "127.0.0.1" not in other["content"]


# --- without an endpoint ------------------------------------------------------------------


def test_mailto_fallback_with_one_warning_and_no_plain_address(build_site):
    site = build_site(SITE, CONTACT_EMAIL=ADDRESS, allow_warnings=True, **PRETTY)
    assert len(site.warnings) == 1, site.warnings
    assert "CONTACT_FORM_ACTION" in site.warnings[0] and "contact.md" in site.warnings[0]
    soup = site.soup("contact/index.html")
    assert not soup.find("form")
    link = soup.find(class_="contact-mailto").a
    assert link["href"] == "mailto:" + ADDRESS and link.get_text() == ADDRESS
    for rel in site.html_files():
        raw = site.text(rel)
        assert ADDRESS not in raw and "coalition.example.org" not in raw, rel
    home = ld_of(site.soup("index.html"))[0]
    assert home["contactPoint"]["email"] == ADDRESS
    assert not site.exists("contact/thanks/index.html")


def test_form_with_an_address_offers_email_too(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, CONTACT_EMAIL=ADDRESS, **PRETTY)
    soup = site.soup("contact/index.html")
    assert form_of(site)
    assert soup.find(class_="contact-form__alt").a["href"] == "mailto:" + ADDRESS
    assert ADDRESS not in site.text("contact/index.html")


def test_non_https_endpoint_fails_with_one_line(tmp_path):
    code, log = cli_build(tmp_path, SITE, {**PRETTY, "CONTACT_FORM_ACTION": "http://forms.example.org/f"})
    assert_one_line_error(code, log, "pelicanconf", "CONTACT_FORM_ACTION", "https://")


def test_secret_in_endpoint_fails_and_is_never_written(tmp_path):
    secret = "k3Y-Zq8Xv2LmN4pR7tY1wK9s"
    code, log = cli_build(tmp_path, SITE, {**PRETTY, "CONTACT_FORM_ACTION": f"{ENDPOINT}?api_key={secret}"})
    assert_one_line_error(code, log, "CONTACT_FORM_ACTION", "'api_key' looks like a secret")
    assert secret not in log
    written = [p for p in (tmp_path / "output").rglob("*") if p.is_file()] if (tmp_path / "output").exists() else []
    assert not any(secret in p.read_text(errors="ignore") for p in written)


def test_contact_page_without_endpoint_or_address_fails(tmp_path):
    code, log = cli_build(tmp_path, SITE, PRETTY)
    assert_one_line_error(code, log, "contact.md", "CONTACT_FORM_ACTION", "CONTACT_EMAIL")


# --- which pages become the contact and thank-you pages ------------------------------------


def test_site_without_contact_page_is_untouched(build_site):
    site = build_site({"posts/a.md": POST, "pages/about.md": "Title: About\n\nAbout us.\n"}, **PRETTY)
    for rel in site.html_files():
        soup = site.soup(rel)
        assert not soup.find("form") and not soup.find(class_="calls-to-action"), rel
    assert not site.exists("contact/thanks/index.html")
    assert "contactPoint" not in ld_of(site.soup("index.html"))[0]


def test_configured_form_without_a_page_warns_once(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, allow_warnings=True)  # PAGE_URL: pages/contact.html
    assert len(site.warnings) == 1, site.warnings
    assert "CONTACT_URL" in site.warnings[0] and "'contact/'" in site.warnings[0]
    assert not site.soup("pages/contact.html").find("form")


def test_page_with_its_own_template_is_left_alone(build_site):
    files = {"pages/contact.md": "Title: Contact\nSlug: contact\nTemplate: page\n\nCall us.\n"}
    site = build_site(files, **PRETTY)
    assert not site.soup("contact/index.html").find("form")


def test_any_page_can_ask_for_the_contact_template(build_site):
    files = {"pages/write.md": "Title: Write to us\nSlug: write\nTemplate: contact\n\nHello.\n"}
    site = build_site(files, CONTACT_FORM_ACTION=ENDPOINT, RELATIVE_URLS=True, **PRETTY)
    assert form_of(site, "write/index.html")
    assert site.exists("contact/thanks/index.html")
    thanks = site.soup("contact/thanks/index.html")
    assert thanks.find("a", string="Send another message")["href"] == "../../write/"


def test_translated_contact_page_gets_the_form_too(build_site):
    files = dict(SITE)
    files["pages/contact-es.md"] = "Title: Contacto\nSlug: contact\nLang: es\n\nEscríbanos.\n"
    site = build_site(files, CONTACT_FORM_ACTION=ENDPOINT, **PRETTY,
                      PAGE_LANG_URL="{lang}/{slug}/", PAGE_LANG_SAVE_AS="{lang}/{slug}/index.html")
    assert form_of(site) and form_of(site, "es/contact/index.html")


def test_site_thanks_page_beats_the_generated_one(build_site):
    files = dict(SITE)
    files["pages/thanks.md"] = """
        Title: Message received
        Slug: thanks
        URL: contact/thanks/
        Save_as: contact/thanks/index.html
        Status: hidden

        We will answer within a week.
        """
    site = build_site(files, CONTACT_FORM_ACTION=ENDPOINT, **PRETTY)
    thanks = site.soup("contact/thanks/index.html")
    assert thanks.h1.get_text(strip=True) == "Message received"
    assert "within a week" in thanks.find(class_="prose").get_text()
    assert thanks.find("meta", attrs={"name": "robots"})["content"] == "noindex"


# --- calls to action -------------------------------------------------------------------


CTAS = [("Learn more. Contact Us.", "contact/"), ("Get involved " + HOSTILE, "get-involved/"),
        ("Donate", "https://donate.example.org/")]


def test_calls_to_action_on_every_page_except_their_own(build_site):
    files = dict(SITE)
    files["pages/get-involved.md"] = "Title: Get involved\nSlug: get-involved\n\nJoin us.\n"
    site = build_site(files, CONTACT_FORM_ACTION=ENDPOINT, CALLS_TO_ACTION=CTAS, RELATIVE_URLS=True,
                      **PRETTY)
    pages = site.html_files()
    assert len(pages) >= 6
    for rel in pages:
        soup = site.soup(rel)
        asides = soup.find_all("aside", class_="calls-to-action")
        assert len(asides) == 1, rel
        texts = [a.get_text() for a in asides[0].find_all("a")]
        assert not soup.find("img", src="x"), rel
        own = {"contact/index.html": CTAS[0][0], "get-involved/index.html": CTAS[1][0]}.get(rel)
        assert texts == [t for t, _u in CTAS if t != own], rel
    links = site.soup("contact/thanks/index.html").find("aside", class_="calls-to-action").find_all("a")
    assert [a["href"] for a in links] == ["../../contact/", "../../get-involved/", "https://donate.example.org/"]


# --- Follow links ---------------------------------------------------------------------------


NETWORKS = [
    ("X", "https://x.com/coalition", "x"),
    ("Twitter", "https://twitter.com/coalition", "x"),
    ("Facebook", "https://www.facebook.com/coalition", "facebook"),
    ("LinkedIn", "https://www.linkedin.com/company/coalition", "linkedin"),
    ("Instagram", "https://instagram.com/coalition", "instagram"),
    ("YouTube", "https://youtube.com/@coalition", "youtube"),
    ("Bluesky", "https://bsky.app/profile/coalition.example.org", "bluesky"),
    ("Mastodon", "https://social.example.org/@coalition", "mastodon"),
    ("Our Fediverse", "https://mastodon.social/@coalition", "mastodon"),
    ("Threads", "https://www.threads.net/@coalition", "threads"),
    ("Email", "mailto:" + ADDRESS, "email"),
    ("News feed", "feeds/all.atom.xml", "rss"),
    ("Newsletter", "https://lists.example.org/join", "email"),
    ("Our blog " + HOSTILE, "https://blog.example.org/", "link"),
]


def test_social_links_have_icons_and_names_on_posts_and_footer(build_site):
    social = [(name, url) for name, url, _key in NETWORKS]
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, SOCIAL=social, **PRETTY)
    post = site.soup("a-post.html")
    for where in (post.find(class_="post__follow"), post.find(class_="site-footer__follow")):
        assert where.find("h2").get_text(strip=True) == "Follow"
        links = where.find_all("a", class_="social-links__link")
        assert len(links) == len(NETWORKS)
        for link, (name, url, key) in zip(links, NETWORKS):
            icon = link.find("svg")
            assert icon["data-network"] == key, name
            assert icon["aria-hidden"] == "true" and icon["focusable"] == "false"
            assert icon.find(["path", "circle", "rect"]), name
            assert link.find(class_="social-links__name").get_text() == name
            if url.startswith("mailto:"):
                assert link["href"] == url
            elif url.startswith("https://"):
                assert link["href"] == url and "me" in link["rel"]
            else:
                assert link["href"] == "./" + url or link["href"].endswith(url)
    assert ADDRESS not in site.text("a-post.html")
    assert not post.find("img", src="x")
    home = ld_of(site.soup("index.html"))[0]
    assert home["sameAs"] == [url for _n, url, _k in NETWORKS if url.startswith("https://")]


@pytest.mark.parametrize("key,value,fragment", [
    ("SOCIAL", [("Evil", "javascript:alert(1)")], "entry 1 ('Evil')"),
    ("CALLS_TO_ACTION", [("Fine", "contact/"), ("Evil", " JavaScript:alert(1)")], "entry 2 ('Evil')"),
    ("CALLS_TO_ACTION", "contact/", '("text", "url") pairs'),
])
def test_unsafe_or_malformed_links_are_refused(key, value, fragment):
    with pytest.raises(config.ContentError) as caught:
        config.check(settings_with(**{key: value}))
    assert str(caught.value).startswith(f"pelicanconf: {key}: ") and fragment in str(caught.value)


# --- Organization JSON-LD ---------------------------------------------------------------


def test_home_has_organization_with_contact_point(build_site):
    site = build_site(SITE, CONTACT_FORM_ACTION=ENDPOINT, SITEURL="https://example.org",
                      SITENAME="Coalition </script><b>", SITE_LOGO="images/logo.svg", **PRETTY)
    soup = site.soup("index.html")
    raw = site.text("index.html")
    assert "</script><b>" not in raw
    org = ld_of(soup)[0]
    assert org["@type"] == "Organization" and org["name"] == "Coalition </script><b>"
    assert org["url"] == "https://example.org/"
    assert org["logo"] == "https://example.org/images/logo.svg"
    assert org["contactPoint"] == {
        "@type": "ContactPoint", "contactType": "general inquiries",
        "url": "https://example.org/contact/", "availableLanguage": "en",
    }
    # Only the home page carries it.
    assert not [d for d in ld_of(site.soup("contact/index.html")) if d.get("@type") == "Organization"]


# --- the LEITF site ------------------------------------------------------------------------


def test_leitf_contact_thanks_get_involved_and_calls_to_action(leitf_site_build):
    out = leitf_site_build
    form = out.soup("contact/index.html").find("form", class_="contact-form")
    assert form["action"].startswith("https://formspree.io/f/")
    assert form.find("input", attrs={"name": "_gotcha"})
    assert {el["name"] for el in form.find_all(["input", "textarea"]) if el.get("type") != "hidden"} >= set(FIELDS)
    thanks = out.soup("contact/thanks/index.html")
    assert thanks.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    involved = out.soup("get-involved/index.html")
    headings = " ".join(h.get_text() for h in involved.find_all("h2"))
    for topic in ("Law enforcement leaders", "Press", "Everyone"):
        assert topic in headings
    assert involved.find("a", href="../feeds/all.atom.xml")
    wanted = ["Learn more. Contact Us.", "Share questions. Get more information. Get involved."]
    for rel in out.html_files():
        soup = out.soup(rel)
        if soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        texts = [a.get_text() for a in soup.find("aside", class_="calls-to-action").find_all("a")]
        assert set(texts) <= set(wanted) and texts, rel
        assert soup.find(class_="site-footer__follow").find("a", class_="social-links__link"), rel
    post = out.soup("2023/12/blog-post-open-channels-of-collaboration-between-local-law-enforcement-"
                    "agencies-and-the-federal-government/index.html")
    assert post.find(class_="post__follow").find("a", class_="social-links__link")
    org = ld_of(out.soup("index.html"))[0]
    assert org["contactPoint"]["url"] == "https://leitf.org/contact/"


# --- every bad input, as the CLI reports it --------------------------------------------------


# Every case in tests/bad_input_get_involved.py runs in the quality gate, tests/test_bad_input.py.
