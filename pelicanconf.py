"""Settings for the Law Enforcement Immigration Task Force site (development builds).

publishconf.py imports everything here and switches to production values.
"""

import leitf_site

AUTHOR = "Law Enforcement Immigration Task Force"
SITENAME = "Law Enforcement Immigration Task Force"
SITE_SHORT_NAME = "LEITF"
SITE_TAGLINE = "Police chiefs and sheriffs for immigration reform that keeps communities safe"
SITE_DESCRIPTION = (
    "The Law Enforcement Immigration Task Force brings police chiefs and sheriffs together "
    "to work for immigration policies that build trust and keep communities safe."
)
SITE_LOGO = "images/leitf-logo.svg"
SITE_LOGO_ALT = "Law Enforcement Immigration Task Force"
SITE_FAVICON = "images/favicon.svg"
# Link previews (Open Graph, Twitter, JSON-LD): 1200x630, rendered from the logo and tagline.
SITE_IMAGE = "images/leitf-share.png"
SITE_FOOTER_TEXT = "© Law Enforcement Immigration Task Force"
SITEURL = ""
# Feeds need absolute links even in a preview build.
FEED_DOMAIN = "https://leitf.org"

PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

THEME = leitf_site.theme_path()
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["speaker_profiles", "blog_sections", "get_involved"]

# URLs as on the live WordPress site, so inbound links keep working.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
ARTICLE_LANG_URL = "{date:%Y}/{date:%m}/{slug}/{lang}/"
ARTICLE_LANG_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/{lang}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
CATEGORIES_URL = "category/"
CATEGORIES_SAVE_AS = "category/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
TAGS_URL = "tag/"
TAGS_SAVE_AS = "tag/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
AUTHORS_URL = "author/"
AUTHORS_SAVE_AS = "author/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_PAGINATION = 10

STATIC_PATHS = ["images", "files"]
ARTICLE_EXCLUDES = ["pages", "files", "images"]

# Feeds: whole site and per category, Atom and RSS. Category and author feeds must not share a path.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

MENUITEMS = [
    ("About", "about/"),
    ("Blog", "category/blog/"),
    ("Press Releases", "category/press-releases/"),
    ("Sign-On Letters", "category/sign-on-letters/"),
    ("Explainers", "category/explainers/"),
    ("Contact", "contact/"),
]

SOCIAL = []

DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

RELATIVE_URLS = True
# Byte-identical output on every build.
DEFAULT_METADATA = {}

# --- speaker_profiles ---------------------------------------------------------
# One file per person in content/speakers/ (the default SPEAKER_PATHS); profiles at speakers/<slug>/.
SPEAKERS_TITLE = "Members"
MENUITEMS.insert(1, ("Members", "speakers/"))

# --- blog_sections ------------------------------------------------------------
# Category metadata lives in content/categories/<slug>.md (Title, Label, Order, Parent, and a
# Markdown description). The hub gathers the latest posts of each category and lists every feed.
SECTION_HUB_URL = "news-and-resources/"
SECTION_HUB_COUNT = 3
# JSON Feed 1.1 next to the Atom and RSS feeds above.
FEED_ALL_JSON = "feeds/all.json"
CATEGORY_FEED_JSON = "feeds/category/{slug}.json"
# The live site's header links to "News and Resources"; it goes just before Contact.
MENUITEMS = [item for item in MENUITEMS if item[1] != "contact/"] + [
    ("News and Resources", SECTION_HUB_URL),
    ("Contact", "contact/"),
]

# --- get_involved -------------------------------------------------------------
# The contact form posts to Formspree. PLACEHOLDER: "REPLACE-ME" is not a real form; the
# maintainers must paste the task force's own form ID (https://formspree.io/f/<id>) before launch;
# until then `make publish` stops with one line naming CONTACT_FORM_ACTION (previews still build).
# A form ID is public by design; never put an API key or token in this URL (the build refuses).
CONTACT_FORM_PROVIDER = "formspree"
CONTACT_FORM_ACTION = "https://formspree.io/f/REPLACE-ME"
# content/pages/contact.md and content/pages/thanks.md (URL contact/thanks/) hold LEITF's words.
CONTACT_URL = "contact/"
CONTACT_THANKS_URL = "contact/thanks/"
# CONTACT_EMAIL = ""  # the task force's public address, when the maintainers confirm one
CALLS_TO_ACTION = [
    ("Learn more. Contact Us.", "contact/"),
    ("Share questions. Get more information. Get involved.", "get-involved/"),
]
# Follow links. The site's own feeds are real; add the task force's accounts once the
# maintainers confirm them, e.g. ("Bluesky", "https://bsky.app/profile/REPLACE-ME") (placeholder).
SOCIAL = [
    ("News feed (Atom)", "feeds/all.atom.xml"),
    ("RSS", "feeds/all.rss.xml"),
]

# --- speed-ups ----------------------------------------------------------------
# Faster builds with byte-identical output (docs/settings.md, "Speed-ups"). These are the
# kit's defaults, spelled out so a maintainer can see and switch off each one.
SPEEDUP_MARKDOWN_REUSE = True
SPEEDUP_PARALLEL_READ = True
SPEEDUP_PARALLEL_WRITE = True
SPEEDUP_PARALLEL_WORKERS = 0  # one per idle CPU core
SPEEDUP_PARALLEL_MIN_FILES = 40
SPEEDUP_TEMPLATE_CACHE = True
SPEEDUP_DATE_CACHE = True
SPEEDUP_URL_CACHE = True
SPEEDUP_RENDER_CACHE = True
SPEEDUP_LISTING_SETS = True
SPEEDUP_GC_FREEZE = True
SPEEDUP_DATE_PARSE = True
SPEEDUP_PARALLEL_SANITIZE = True
# With the content cache on (make devserver), also:
SPEEDUP_SANITIZE_CACHE = True
SPEEDUP_INCREMENTAL_WRITE = True  # render only the pages an edit can change
SPEEDUP_FAST_CACHE_GZIP = True

# --- discovery ----------------------------------------------------------------
# sitemap.xml (written through pelican-sitemap) and robots.txt are on by default; Pagefind search
# is opt-in and on here. Absolute URLs come from SITEURL, else FEED_DOMAIN.
SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.7, "pages": 0.6, "indexes": 0.5},
    "changefreqs": {"articles": "monthly", "pages": "monthly", "indexes": "weekly"},
}
DISCOVERY_SEARCH = True
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
# Where the search page sends visitors whose browser runs no JavaScript (besides the archives).
# The hub page itself comes from blog_sections.
DISCOVERY_SEARCH_LINKS = [("News & Resources", "news-and-resources/")]
# Press releases are news; every other post is a blog posting.
DISCOVERY_NEWS_CATEGORIES = ["press-releases"]
