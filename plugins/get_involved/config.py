"""Check the get_involved settings and turn them into what the templates need.

Every check raises ContentError("pelicanconf", SETTING, problem) so the build stops with one
line. A message never repeats a value that may be a secret.
"""

import difflib
import json
import re
from urllib.parse import parse_qsl, urlsplit

from markupsafe import Markup

from leitf_site.errors import ContentError
from leitf_site.theme_support import is_safe_url, public_root

from .settings import DEFAULTS, FIELD_NAMES, PROVIDERS

CONF = "pelicanconf"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# Field names the form services accept: no spaces, quotes or brackets.
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
# Loose on purpose: catch typos and pasted markup, not every RFC 5322 corner.
EMAIL = re.compile(r"^[^@\s<>\"'&;:,()\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
HONEYPOTS = {"generic": "_gotcha", "formspree": "_gotcha", "netlify": "bot-field"}
REDIRECT_FIELDS = {"generic": "", "formspree": "_next", "netlify": ""}

# Query parameter names (or parts of them) that carry credentials.
SECRET_WORDS = ("token", "secret", "apikey", "api_key", "password", "passwd", "signature",
                "credential", "private", "bearer", "session")
SECRET_PARTS = {"key", "sig", "auth", "pwd", "pass", "hmac"}
# Values shaped like provider keys (Stripe sk_live_, GitHub ghp_, Slack xox*, AWS AKIA) or any
# long random-looking string.
SECRET_VALUE = re.compile(r"^(sk|pk|rk)_(live|test)_|^gh[pousr]_|^xox[abprs]-|^AKIA[0-9A-Z]{12}")
LONG_RANDOM = re.compile(r"^(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9_\-+/=]{32,}$")


def fail(setting, problem):
    raise ContentError(CONF, setting, problem)


# --- checks -------------------------------------------------------------------------

_TEXT = ("CONTACT_URL", "CONTACT_FORM_ACTION", "CONTACT_FORM_PROVIDER", "CONTACT_FORM_NAME",
         "CONTACT_EMAIL", "CONTACT_THANKS_URL", "CONTACT_PRIVACY_URL", "CONTACT_POINT_TYPE")
_TEXT_OR_NONE = ("CONTACT_FORM_HONEYPOT", "CONTACT_FORM_REDIRECT_FIELD", "CONTACT_CONSENT_TEXT")


def check(settings):
    """Reject every wrong get_involved setting before any page is read."""
    check_known_names(settings)
    for key in _TEXT:
        if not isinstance(settings[key], str):
            fail(key, f"must be text, got {type(settings[key]).__name__}")
    for key in _TEXT_OR_NONE:
        if settings[key] is not None and not isinstance(settings[key], str):
            fail(key, f"must be text or None, got {type(settings[key]).__name__}")
    if not isinstance(settings["CONTACT_FORM_ALLOW_LOCAL_HTTP"], bool):
        fail("CONTACT_FORM_ALLOW_LOCAL_HTTP", "must be True or False")
    provider = settings["CONTACT_FORM_PROVIDER"]
    if provider not in PROVIDERS:
        fail("CONTACT_FORM_PROVIDER", f"must be one of {', '.join(PROVIDERS)}; got {provider!r}")
    check_site_path("CONTACT_URL", settings["CONTACT_URL"])
    check_site_path("CONTACT_THANKS_URL", settings["CONTACT_THANKS_URL"], page_file=True)
    check_action(settings["CONTACT_FORM_ACTION"].strip(), provider,
                 settings["CONTACT_FORM_ALLOW_LOCAL_HTTP"])
    check_not_placeholder(settings)
    email = settings["CONTACT_EMAIL"].strip()
    if email and not EMAIL.match(email):
        fail("CONTACT_EMAIL", f"is not an email address: {email!r}")
    check_field_names(settings, provider)
    if settings["CONTACT_PRIVACY_URL"] and not is_safe_url(settings["CONTACT_PRIVACY_URL"]):
        fail("CONTACT_PRIVACY_URL", "must be a site path or an http(s) URL")
    check_roles(settings["CONTACT_ROLES"])
    check_links("CALLS_TO_ACTION", settings["CALLS_TO_ACTION"])
    check_links("SOCIAL", settings["SOCIAL"])


def check_known_names(settings):
    """A misspelt CONTACT_ setting would otherwise be ignored without a word."""
    for key in settings:
        if key.startswith("CONTACT_") and key not in DEFAULTS:
            close = difflib.get_close_matches(key, [k for k in DEFAULTS if k.startswith("CONTACT_")], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            fail(key, f"is not a get_involved setting{hint}")


def check_site_path(key, value, page_file=False):
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        fail(key, f"must be a path on this site such as 'contact/', got {value!r}")
    if page_file and not (value.endswith("/") or value.endswith(".html")):
        fail(key, f"must end with '/' or '.html' so the page has a file to live in, got {value!r}")


# What the kit's own starter files put in CONTACT_FORM_ACTION until the real address is known.
PLACEHOLDER = "replace-me"


def check_not_placeholder(settings):
    """A preview may keep the starter placeholder; a production build (absolute SITEURL) may not,
    or the live site would carry a form that loses every message."""
    action = settings["CONTACT_FORM_ACTION"]
    if PLACEHOLDER in action.lower() and public_root(settings, ("SITEURL",)):
        fail("CONTACT_FORM_ACTION", f"is still the placeholder {action!r}; paste your form "
                                    "service's address before publishing")


def check_action(action, provider, allow_local):
    key = "CONTACT_FORM_ACTION"
    if provider == "netlify":
        if action:
            fail(key, "must be empty with CONTACT_FORM_PROVIDER = 'netlify': Netlify receives "
                      "the form on the site itself")
        return
    if not action:
        return
    parts = urlsplit(action)
    check_no_secret(parts)
    host = (parts.hostname or "").lower()
    local = parts.scheme == "http" and host in LOCAL_HOSTS
    if local and not allow_local:
        fail(key, "posts to a local http:// address; set CONTACT_FORM_ALLOW_LOCAL_HTTP = True "
                  "for a local test, never in production")
    if not local and (parts.scheme != "https" or not host):
        fail(key, f"must be an https:// URL so messages are encrypted in transit, got {action!r}")
    if provider == "formspree" and not local and host != "formspree.io" and not host.endswith(".formspree.io"):
        fail(key, f"points at {host}, not formspree.io; use CONTACT_FORM_PROVIDER = 'generic' "
                  "for other form services")


def check_no_secret(parts):
    """A static page is public: credentials in the form's URL would be published to everyone."""
    key = "CONTACT_FORM_ACTION"
    if parts.username or parts.password:
        fail(key, "contains a user name or password; a static page is public, so never put "
                  "credentials in the URL")
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        lowered = name.lower()
        pieces = set(re.split(r"[_.\-\[\]]+", lowered))
        if any(word in lowered for word in SECRET_WORDS) or pieces & SECRET_PARTS:
            fail(key, f"query parameter {name!r} looks like a secret; a static page is public, "
                      "so keep keys in the form service's dashboard, never in the URL")
        if SECRET_VALUE.search(value) or LONG_RANDOM.match(value):
            fail(key, f"the value of query parameter {name!r} looks like a key; a static page is "
                      "public, so keep keys in the form service's dashboard, never in the URL")


def check_field_names(settings, provider):
    name = settings["CONTACT_FORM_NAME"]
    if not FIELD_NAME.match(name):
        fail("CONTACT_FORM_NAME", f"must be letters, digits, '_', '-' or '.', got {name!r}")
    honeypot = honeypot_name(settings)
    redirect = redirect_field(settings)
    for key, value in (("CONTACT_FORM_HONEYPOT", honeypot), ("CONTACT_FORM_REDIRECT_FIELD", redirect)):
        if not value:
            continue
        if not FIELD_NAME.match(value):
            fail(key, f"must be letters, digits, '_', '-' or '.', got {value!r}")
        if value in FIELD_NAMES:
            fail(key, f"{value!r} is one of the form's own fields ({', '.join(FIELD_NAMES)})")
    if not honeypot:
        fail("CONTACT_FORM_HONEYPOT", "must not be empty: the honeypot is the form's spam filter")
    if honeypot == redirect:
        fail("CONTACT_FORM_REDIRECT_FIELD", "must differ from CONTACT_FORM_HONEYPOT")
    if provider == "formspree" and honeypot != "_gotcha":
        fail("CONTACT_FORM_HONEYPOT", "Formspree only recognises '_gotcha'; leave it as None")
    if provider == "netlify" and settings["CONTACT_FORM_REDIRECT_FIELD"]:
        fail("CONTACT_FORM_REDIRECT_FIELD", "Netlify redirects through the form's action; "
                                            "leave it as None")


def check_roles(roles):
    if roles is None:
        return
    if not is_pairs(roles) or not roles:
        fail("CONTACT_ROLES", 'must be a non-empty list of ("value", "label") pairs, or None')
    values = [value for value, _label in roles]
    for value in values:
        if not value.strip():
            fail("CONTACT_ROLES", "a value is empty")
    if len(set(values)) != len(values):
        fail("CONTACT_ROLES", "values must be unique")


def check_links(key, items):
    if not is_pairs(items):
        fail(key, 'must be a list of ("text", "url") pairs')
    for number, (text, url) in enumerate(items, start=1):
        if not text.strip():
            fail(key, f"entry {number} has no text")
        if not url.strip() or not is_safe_url(url):
            fail(key, f"entry {number} ({text!r}) needs a site path or an http(s), mailto: or tel: URL")


def is_pairs(value):
    return isinstance(value, (list, tuple)) and all(
        isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(p, str) for p in item)
        for item in value
    )


# --- what the templates get ----------------------------------------------------------


def honeypot_name(settings):
    chosen = settings["CONTACT_FORM_HONEYPOT"]
    return HONEYPOTS[settings["CONTACT_FORM_PROVIDER"]] if chosen is None else chosen


def redirect_field(settings):
    chosen = settings["CONTACT_FORM_REDIRECT_FIELD"]
    return REDIRECT_FIELDS[settings["CONTACT_FORM_PROVIDER"]] if chosen is None else chosen


def site_path(settings, url):
    """``url`` (a site path) as an absolute path from the server root, for Netlify's action."""
    prefix = urlsplit(settings.get("SITEURL") or "").path.rstrip("/")
    return f"{prefix}/{url.lstrip('/')}"


def form_context(settings):
    """Everything the contact templates need, as the context variable GET_INVOLVED."""
    provider = settings["CONTACT_FORM_PROVIDER"]
    action = settings["CONTACT_FORM_ACTION"].strip()
    email = settings["CONTACT_EMAIL"].strip()
    thanks_url = settings["CONTACT_THANKS_URL"].lstrip("/")
    root = public_root(settings, ("SITEURL",))
    attrs, hidden = [], []
    if provider == "netlify":
        mode = "form"
        attrs = [("name", settings["CONTACT_FORM_NAME"]), ("data-netlify", "true"),
                 ("netlify-honeypot", honeypot_name(settings))]
        hidden.append(("form-name", settings["CONTACT_FORM_NAME"]))
        action = site_path(settings, thanks_url) if thanks_url else ""
    elif action:
        mode = "form"
        # A redirect needs an absolute URL, which only a build with an absolute SITEURL has.
        field = redirect_field(settings)
        if field and thanks_url and root:
            hidden.append((field, f"{root}/{thanks_url}"))
    else:
        mode = "mailto" if email else "none"
    parts = urlsplit(action)
    local_origin = ""
    if parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS:
        local_origin = f"{parts.scheme}://{parts.netloc}"
    return {
        "mode": mode,
        "provider": provider,
        "action": action,
        "attrs": attrs,
        "hidden": hidden,
        "honeypot": honeypot_name(settings),
        "local_origin": local_origin,
        "email": email,
        "roles": settings["CONTACT_ROLES"],
        "consent_text": settings["CONTACT_CONSENT_TEXT"],
        "privacy_url": settings["CONTACT_PRIVACY_URL"],
        "contact_url": settings["CONTACT_URL"].lstrip("/"),
        "thanks_url": thanks_url if mode == "form" else "",
        "contact_type": settings["CONTACT_POINT_TYPE"],
        # Absolute URLs for JSON-LD; FEED_DOMAIN stands in when a preview build has no SITEURL.
        "public_root": public_root(settings),
        # Filled in once the pages are read.
        "contact_page": None,
        "thanks_page": None,
    }


# --- obfuscation --------------------------------------------------------------------


def entity_encode(text):
    """Every character as a decimal HTML entity: browsers decode it, naive scrapers do not.

    Hand-written because it is three lines; no maintained package does only this.
    """
    return Markup("".join(f"&#{ord(char)};" for char in str(text)))


def tojson_obfuscating(value, *hidden):
    """``|tojson``, with each string in ``hidden`` spelled as \\u escapes (still valid JSON)."""
    from jinja2.utils import htmlsafe_json_dumps

    text = str(htmlsafe_json_dumps(value, sort_keys=True))  # as Jinja's |tojson
    for secret in hidden:
        if secret:
            spelled = '"' + "".join(f"\\u{ord(char):04x}" for char in secret) + '"'
            text = text.replace(json.dumps(secret), spelled)
    return Markup(text)
