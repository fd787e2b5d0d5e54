"""Broken inputs for Pelican itself and the coalition theme, each with the exact line it must print.

Same shape as every tests/bad_input_*.py: `files` are content files, `settings` go into
pelicanconf.py, and one line of the failed build's output must hold every `expect` fragment
(here each case gives its whole message). tests/test_bad_input.py runs every case of every
such file.
"""

POST = "Title: A post\nDate: 2024-01-01\n\nText.\n"
DATE_HINT = "is not a valid date; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM"
DUPLICATE_HINT = "give one of them another Slug (or a Lang if it is a translation)"


def case(id, files, expect, settings=None):
    return {"id": id, "files": files, "settings": settings or {}, "expect": (expect,)}


def post(meta, body="Text."):
    return "".join(f"{k}: {v}\n" for k, v in meta.items()) + "\n" + body + "\n"


def setting(id, settings, expect):
    return case(id, {"posts/a.md": POST}, f"pelicanconf: {expect}", settings)


CASES = [
    # Required metadata
    case("post-without-title", {"posts/untitled.md": "Date: 2024-01-01\n\nText.\n"},
         "posts/untitled.md: title: is missing; every article needs one"),
    case("page-without-title", {"pages/about.md": "Slug: about\n\nText.\n", "posts/a.md": POST},
         "pages/about.md: title: is missing; every page needs one"),
    case("post-without-date", {"posts/undated.md": "Title: Undated\n\nText.\n"},
         "posts/undated.md: date: is missing; every article needs one"),
    # Dates
    case("impossible-date", {"posts/bad-date.md": post({"Title": "B", "Date": "2023-13-45"})},
         f"posts/bad-date.md: date: '2023-13-45' {DATE_HINT}"),
    case("date-is-words", {"posts/words.md": post({"Title": "W", "Date": "last Tuesday"})},
         f"posts/words.md: date: 'last Tuesday' {DATE_HINT}"),
    case("bad-modified-date", {"posts/mod.md": post({"Title": "M", "Date": "2024-01-01", "Modified": "soon"})},
         f"posts/mod.md: modified: 'soon' {DATE_HINT}"),
    # Files and values Pelican cannot use
    case("invalid-utf8", {"posts/latin1.md": "Title: Caf\xe9\nDate: 2024-01-01\n\nText.\n".encode("latin-1")},
         "posts/latin1.md: encoding: not UTF-8 (byte 0xe9 at position 10); save the file as UTF-8"),
    case("unknown-status", {"posts/status.md": post({"Title": "S", "Date": "2024-01-01", "Status": "publihsed"})},
         "posts/status.md: status: unknown status 'publihsed'; use one of published, hidden, draft, skip"),
    case("bad-lang-code", {"posts/a.md": post({"Title": "L", "Date": "2024-01-01", "Lang": "english"})},
         "posts/a.md: lang: 'english' is not a language code such as en or es-MX"),
    # Duplicates and unknown references
    case("duplicate-slug", {"posts/one.md": post({"Title": "One", "Date": "2024-01-01", "Slug": "same"}),
                            "posts/two.md": post({"Title": "Two", "Date": "2024-01-02", "Slug": "same"})},
         f"posts/two.md: slug: 'same' would write same.html, as posts/one.md does; {DUPLICATE_HINT}"),
    case("duplicate-page-slug", {"pages/a.md": "Title: A\nSlug: about\n\nText.\n",
                                 "pages/b.md": "Title: B\nSlug: about\n\nText.\n", "posts/a.md": POST},
         f"pages/b.md: slug: 'about' would write pages/about.html, as pages/a.md does; {DUPLICATE_HINT}"),
    case("unknown-template", {"pages/x.md": "Title: X\nTemplate: fancy\n\nText.\n", "posts/a.md": POST},
         "pages/x.md: template: no template 'fancy' in the theme; remove the Template line or add fancy.html"),
    case("link-to-missing-file", {"posts/a.md": post({"Title": "L", "Date": "2024-01-01"},
                                                     "See [it]({filename}/posts/nope.md).")},
         "posts/a.md: link: '/posts/nope.md' does not match any file in the content folder "
         "(check the path after {filename} or {static})"),
    # Settings
    setting("unknown-plugin", {"PLUGINS": ["speaker_profiles", "blog_sections", "get_involved", "speaker_profile"]},
            "PLUGINS: cannot load plugin 'speaker_profile'; check its spelling and PLUGIN_PATHS "
            "(loaded: blog_sections, get_involved, speaker_profiles)"),
    setting("sitename-not-text", {"SITENAME": 42}, "SITENAME: must be text, got int"),
    setting("menuitems-not-pairs", {"MENUITEMS": "about/"}, 'MENUITEMS: must be a list of ("text", "url") pairs'),
    setting("legal-links-not-pairs", {"SITE_LEGAL_LINKS": [("Privacy",)]},
            'SITE_LEGAL_LINKS: must be a list of ("text", "url") pairs'),
    setting("colour-not-hex", {"SITE_COLORS": {"brand": "navy"}},
            "SITE_COLORS: brand must be a #rgb or #rrggbb colour, got 'navy'"),
    setting("unknown-colour", {"SITE_COLORS": {"brnad": "#000000"}}, "SITE_COLORS: unknown colour 'brnad'; known: brand,"),
    setting("csp-not-bool", {"SITE_CSP": "off"}, "SITE_CSP: must be True or False, got 'off'"),
    setting("display-pages-not-bool", {"DISPLAY_PAGES_ON_MENU": "yes"},
            "DISPLAY_PAGES_ON_MENU: must be True or False, got 'yes'"),
    setting("default-lang-not-a-code", {"DEFAULT_LANG": "Spanish"},
            "DEFAULT_LANG: 'spanish' is not a language code such as en or es-MX"),
]
CASES += [
    case("save-as-outside-output", {"pages/x.md": "Title: X\nSave_as: ../../escape.html\n\nText.\n", "posts/a.md": POST},
         "pages/x.md: save_as: '../../escape.html' would be written outside the output folder"),
    setting("tagline-not-text", {"SITE_TAGLINE": ["Safer", "together"]}, "SITE_TAGLINE: must be text, got list"),
    setting("strict-build-not-bool", {"STRICT_BUILD": 1}, "STRICT_BUILD: must be True or False, got 1"),
]
