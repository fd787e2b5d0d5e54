"""Every get_involved mistake a maintainer can make, and the one line the build must print.

Each case builds a tiny site with the real CLI: `files` are content files, `settings` go into
pelicanconf.py, and one line of the failed build's output must hold every `expect` fragment.
tests/test_get_involved.py runs them all; the quality gate collects every bad_input_*.py.
"""

PRETTY = {"PAGE_URL": "{slug}/", "PAGE_SAVE_AS": "{slug}/index.html"}
CONTACT = {"pages/contact.md": "Title: Contact\nSlug: contact\n\nWrite to us.\n"}
POST = {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nText.\n"}
ENDPOINT = "https://forms.example.org/f/abc123"


def case(id, settings, expect, files=None):
    return {"id": id, "files": files or POST, "settings": settings, "expect": expect}


CASES = [
    case("placeholder-endpoint-in-production",
         {"SITEURL": "https://example.org", "CONTACT_FORM_PROVIDER": "formspree",
          "CONTACT_FORM_ACTION": "https://formspree.io/f/REPLACE-ME"},
         ("pelicanconf", "CONTACT_FORM_ACTION", "is still the placeholder", "before publishing")),
    case("http-endpoint", {"CONTACT_FORM_ACTION": "http://forms.example.org/f/abc"},
         ("pelicanconf", "CONTACT_FORM_ACTION", "must be an https:// URL")),
    case("endpoint-not-a-url", {"CONTACT_FORM_ACTION": "forms.example.org/f/abc"},
         ("CONTACT_FORM_ACTION", "must be an https:// URL")),
    case("local-http-without-switch", {"CONTACT_FORM_ACTION": "http://127.0.0.1:8000/f"},
         ("CONTACT_FORM_ACTION", "CONTACT_FORM_ALLOW_LOCAL_HTTP = True")),
    case("secret-query-parameter", {"CONTACT_FORM_ACTION": ENDPOINT + "?api_key=live-123"},
         ("CONTACT_FORM_ACTION", "'api_key' looks like a secret")),
    case("token-shaped-value", {"CONTACT_FORM_ACTION": ENDPOINT + "?k=sk_live_51Habc"},
         ("CONTACT_FORM_ACTION", "'k' looks like a key")),
    case("credentials-in-url", {"CONTACT_FORM_ACTION": "https://me:pw@forms.example.org/f"},
         ("CONTACT_FORM_ACTION", "user name or password")),
    case("unknown-provider", {"CONTACT_FORM_PROVIDER": "mailchimp"},
         ("CONTACT_FORM_PROVIDER", "generic, formspree, netlify", "'mailchimp'")),
    case("netlify-with-endpoint", {"CONTACT_FORM_PROVIDER": "netlify", "CONTACT_FORM_ACTION": ENDPOINT},
         ("CONTACT_FORM_ACTION", "must be empty", "netlify")),
    case("formspree-other-host", {"CONTACT_FORM_PROVIDER": "formspree", "CONTACT_FORM_ACTION": ENDPOINT},
         ("CONTACT_FORM_ACTION", "not formspree.io", "generic")),
    case("formspree-custom-honeypot", {"CONTACT_FORM_PROVIDER": "formspree",
                                        "CONTACT_FORM_ACTION": "https://formspree.io/f/abc",
                                        "CONTACT_FORM_HONEYPOT": "website"},
         ("CONTACT_FORM_HONEYPOT", "_gotcha")),
    case("honeypot-is-a-real-field", {"CONTACT_FORM_ACTION": ENDPOINT, "CONTACT_FORM_HONEYPOT": "email"},
         ("CONTACT_FORM_HONEYPOT", "one of the form's own fields")),
    case("honeypot-bad-name", {"CONTACT_FORM_ACTION": ENDPOINT, "CONTACT_FORM_HONEYPOT": 'a" onfocus="x'},
         ("CONTACT_FORM_HONEYPOT", "letters, digits")),
    case("bad-email", {"CONTACT_EMAIL": "press at example.org"},
         ("CONTACT_EMAIL", "is not an email address")),
    case("allow-local-not-bool", {"CONTACT_FORM_ALLOW_LOCAL_HTTP": "yes"},
         ("CONTACT_FORM_ALLOW_LOCAL_HTTP", "True or False")),
    case("misspelt-setting", {"CONTACT_FORM_ACTON": ENDPOINT},
         ("CONTACT_FORM_ACTON", "did you mean CONTACT_FORM_ACTION?")),
    case("contact-url-absolute", {"CONTACT_URL": "https://example.org/contact/"},
         ("CONTACT_URL", "must be a path on this site")),
    case("thanks-url-no-file", {"CONTACT_THANKS_URL": "contact/thanks"},
         ("CONTACT_THANKS_URL", "must end with '/' or '.html'")),
    case("roles-not-pairs", {"CONTACT_ROLES": ["Chief", "Reporter"]},
         ("CONTACT_ROLES", '("value", "label") pairs')),
    case("roles-duplicate", {"CONTACT_ROLES": [("a", "A"), ("a", "B")]},
         ("CONTACT_ROLES", "unique")),
    case("cta-javascript", {"CALLS_TO_ACTION": [("Click", "javascript:alert(1)")]},
         ("CALLS_TO_ACTION", "entry 1 ('Click')", "site path")),
    case("cta-not-pairs", {"CALLS_TO_ACTION": [("Contact us",)]},
         ("CALLS_TO_ACTION", '("text", "url") pairs')),
    case("social-javascript", {"SOCIAL": [("X", "https://x.com/a"), ("Evil", "javascript:alert(1)")]},
         ("SOCIAL", "entry 2 ('Evil')")),
    case("privacy-url-unsafe", {"CONTACT_PRIVACY_URL": "javascript:alert(1)"},
         ("CONTACT_PRIVACY_URL", "site path")),
    case("contact-page-without-way-to-contact", dict(PRETTY),
         ("contact.md", "CONTACT_FORM_ACTION", "CONTACT_EMAIL"), files={**POST, **CONTACT}),
]
