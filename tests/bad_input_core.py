"""Broken inputs for Pelican itself and the coalition theme, each with the one line it must print.

Same shape as every tests/bad_input_*.py: `files` are content files, `settings` go into
pelicanconf.py, and one line of the failed build's output must hold every `expect` fragment.
tests/test_bad_input.py runs every case of every such file.
"""

POST = "Title: A post\nDate: 2024-01-01\n\nText.\n"


def case(id, files, expect, settings=None):
    return {"id": id, "files": files, "settings": settings or {}, "expect": expect}


def post(meta, body="Text."):
    return "".join(f"{k}: {v}\n" for k, v in meta.items()) + "\n" + body + "\n"


CASES = [
    case("post-without-title", {"posts/untitled.md": "Date: 2024-01-01\n\nText.\n"},
         ("untitled.md", "title")),
    case("page-without-title", {"pages/about.md": "Slug: about\n\nText.\n", "posts/a.md": POST},
         ("about.md", "title")),
    case("post-without-date", {"posts/undated.md": "Title: Undated\n\nText.\n"},
         ("undated.md", "date")),
    case("impossible-date", {"posts/bad-date.md": post({"Title": "B", "Date": "2023-13-45"})},
         ("bad-date.md", "date")),
    case("date-is-words", {"posts/words.md": post({"Title": "W", "Date": "last Tuesday"})},
         ("words.md", "date")),
    case("modified-before-nothing", {"posts/mod.md": post({"Title": "M", "Date": "2024-01-01", "Modified": "soon"})},
         ("mod.md", "modified")),
    case("invalid-utf8", {"posts/latin1.md": "Title: Caf\xe9\nDate: 2024-01-01\n\nText.\n".encode("latin-1")},
         ("latin1.md", "not valid UTF-8")),
    case("unknown-status", {"posts/status.md": post({"Title": "S", "Date": "2024-01-01", "Status": "publihsed"})},
         ("status.md", "status", "publihsed")),
    case("duplicate-slug", {"posts/one.md": post({"Title": "One", "Date": "2024-01-01", "Slug": "same"}),
                            "posts/two.md": post({"Title": "Two", "Date": "2024-01-02", "Slug": "same"})},
         ("two.md", "slug", "one.md")),
    case("duplicate-page-url", {"pages/a.md": "Title: A\nSlug: about\n\nText.\n",
                                "pages/b.md": "Title: B\nSlug: about\n\nText.\n", "posts/a.md": POST},
         ("b.md", "slug", "a.md")),
    case("unknown-template", {"pages/x.md": "Title: X\nTemplate: fancy\n\nText.\n", "posts/a.md": POST},
         ("x.md", "template", "fancy")),
    case("link-to-missing-file", {"posts/a.md": post({"Title": "L", "Date": "2024-01-01"},
                                                     "See [it]({filename}/posts/nope.md).")},
         ("a.md", "link", "nope.md")),
    case("unknown-plugin", {"posts/a.md": POST},
         ("pelicanconf", "PLUGINS", "speaker_profile"),
         {"PLUGINS": ["speaker_profiles", "blog_sections", "get_involved", "speaker_profile"]}),
    case("sitename-not-text", {"posts/a.md": POST}, ("pelicanconf", "SITENAME", "must be text")),
    case("menuitems-not-pairs", {"posts/a.md": POST}, ("pelicanconf", "MENUITEMS", "pairs"),
         {"MENUITEMS": "about/"}),
    case("legal-links-not-pairs", {"posts/a.md": POST}, ("pelicanconf", "SITE_LEGAL_LINKS", "pairs"),
         {"SITE_LEGAL_LINKS": [("Privacy",)]}),
    case("colour-not-hex", {"posts/a.md": POST}, ("pelicanconf", "SITE_COLORS", "brand", "#rrggbb"),
         {"SITE_COLORS": {"brand": "navy"}}),
    case("unknown-colour", {"posts/a.md": POST}, ("pelicanconf", "SITE_COLORS", "unknown colour", "brnad"),
         {"SITE_COLORS": {"brnad": "#000000"}}),
    case("csp-not-bool", {"posts/a.md": POST}, ("pelicanconf", "SITE_CSP", "True or False"),
         {"SITE_CSP": "off"}),
]
# SITENAME is set by cli_build; the case replaces it with a number.
CASES[[c["id"] for c in CASES].index("sitename-not-text")]["settings"] = {"SITENAME": 42}
CASES += [
    case("bad-lang-code", {"posts/a.md": post({"Title": "L", "Date": "2024-01-01", "Lang": "english"})},
         ("a.md", "lang", "'english'")),
    case("default-lang-not-a-code", {"posts/a.md": POST}, ("pelicanconf", "DEFAULT_LANG", "language code"),
         {"DEFAULT_LANG": "Spanish"}),
    case("display-pages-not-bool", {"posts/a.md": POST}, ("pelicanconf", "DISPLAY_PAGES_ON_MENU", "True or False"),
         {"DISPLAY_PAGES_ON_MENU": "yes"}),
]
