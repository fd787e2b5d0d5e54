"""Every SECTION_* and feed setting and its default; docs/settings.md documents each one."""

DEFAULTS = {
    # Folders (under PATH) that hold one metadata file per category: <category-slug>.md.
    "SECTION_CATEGORY_PATHS": ["categories"],
    # The "News and Resources" hub; "" turns it off. SAVE_AS None follows the URL.
    "SECTION_HUB_URL": "news-and-resources/",
    "SECTION_HUB_SAVE_AS": None,
    # The hub's heading; None uses the theme's translated "News and Resources".
    "SECTION_HUB_TITLE": None,
    # Latest posts shown per category on the hub.
    "SECTION_HUB_COUNT": 3,
    # Category slugs in the order the hub shows them; None: every top-level category by Order.
    "SECTION_HUB_CATEGORIES": None,
    # JSON Feed 1.1 for the whole site and for each category ({slug}); None turns one off.
    "FEED_ALL_JSON": "feeds/all.json",
    "FEED_ALL_JSON_URL": None,
    "CATEGORY_FEED_JSON": "feeds/category/{slug}.json",
    "CATEGORY_FEED_JSON_URL": None,
}

# Pelican writes category and author feeds to the same feeds/{slug}.atom.xml by default, so
# a category and an author with the same name overwrite each other. While a site keeps
# Pelican's default, the kit moves each kind into its own folder.
FEED_FOLDERS = {
    "CATEGORY_FEED_ATOM": ("feeds/{slug}.atom.xml", "feeds/category/{slug}.atom.xml"),
    "AUTHOR_FEED_ATOM": ("feeds/{slug}.atom.xml", "feeds/author/{slug}.atom.xml"),
    "AUTHOR_FEED_RSS": ("feeds/{slug}.rss.xml", "feeds/author/{slug}.rss.xml"),
}
