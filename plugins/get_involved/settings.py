"""Every CONTACT_*, CALLS_TO_ACTION and SOCIAL setting and its default; docs/settings.md documents each one."""

DEFAULTS = {
    # The content page that becomes the contact page (compared with each page's URL).
    # "" turns the contact page off; a page can still opt in with `Template: contact`.
    "CONTACT_URL": "contact/",
    # Where the form posts: an https:// endpoint of a form service. Empty: no form,
    # the page shows a mailto: link to CONTACT_EMAIL instead (netlify needs no endpoint).
    "CONTACT_FORM_ACTION": "",
    # generic | formspree | netlify: decides the honeypot, redirect and provider attributes.
    "CONTACT_FORM_PROVIDER": "generic",
    # The form's name; Netlify lists submissions under it.
    "CONTACT_FORM_NAME": "contact",
    # Honeypot field name; None picks the provider's own (_gotcha, or bot-field for netlify).
    "CONTACT_FORM_HONEYPOT": None,
    # Hidden field that tells a generic service where to send the visitor afterwards.
    # None picks the provider's own (_next for formspree); "" sends none.
    "CONTACT_FORM_REDIRECT_FIELD": None,
    # Lets a local test or preview post to http://127.0.0.1 or http://localhost. Never in production.
    "CONTACT_FORM_ALLOW_LOCAL_HTTP": False,
    # Address for the mailto: fallback and the Organization ContactPoint; obfuscated in the HTML.
    "CONTACT_EMAIL": "",
    # The thank-you page the provider redirects to; the plugin writes one if no page has this URL.
    "CONTACT_THANKS_URL": "contact/thanks/",
    # (value, label) pairs for "I am a…"; None uses the theme's translated defaults.
    "CONTACT_ROLES": None,
    # Text of the consent checkbox; None uses the theme's translated default.
    "CONTACT_CONSENT_TEXT": None,
    # Optional privacy policy link shown under the consent checkbox.
    "CONTACT_PRIVACY_URL": "",
    # schema.org ContactPoint contactType on the home page's Organization JSON-LD.
    "CONTACT_POINT_TYPE": "general inquiries",
    # (text, url) pairs rendered as buttons on every page.
    "CALLS_TO_ACTION": [],
    # Pelican's (name, url) pairs, rendered as "Follow" links with icons; the theme sets [] too.
    "SOCIAL": [],
}

PROVIDERS = ("generic", "formspree", "netlify")

# The form's own field names; a honeypot or redirect field must not reuse one.
FIELD_NAMES = ("name", "email", "organization", "role", "subject", "message", "consent")
