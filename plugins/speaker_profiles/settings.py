"""Every SPEAKER_* setting and its default; docs/settings.md documents each one."""

DEFAULTS = {
    # Folders under PATH that hold one Markdown file per person; never read as articles or pages.
    "SPEAKER_PATHS": ["speakers"],
    "SPEAKER_EXCLUDES": [],
    # A person's profile page. Pelican looks these up by the content class's name (Speaker).
    "SPEAKER_URL": "speakers/{slug}/",
    "SPEAKER_SAVE_AS": "speakers/{slug}/index.html",
    "SPEAKER_LANG_URL": "speakers/{slug}/{lang}/",
    "SPEAKER_LANG_SAVE_AS": "speakers/{slug}/{lang}/index.html",
    # The index of everyone; SPEAKERS_SAVE_AS = "" writes none.
    "SPEAKERS_URL": "speakers/",
    "SPEAKERS_SAVE_AS": "speakers/index.html",
    # Heading of the index and the feed group on the feed hub; "" uses the theme's "People".
    "SPEAKERS_TITLE": "",
    # Roles in the order the index groups them; the first one is featured (a flat list on top).
    "SPEAKER_ROLE_ORDER": ["co-chair", "senior-advisor", "member", "guest-speaker", "retired"],
    # Turn the first mention of a known person in a post into a link to their profile.
    "SPEAKER_LINK_MENTIONS": True,
    # Per-person feeds of the posts they appear in; None turns a format off.
    "SPEAKER_FEED_ATOM": "feeds/speaker/{slug}.atom.xml",
    "SPEAKER_FEED_RSS": "feeds/speaker/{slug}.rss.xml",
    # Public URLs of those feeds when they differ from the paths (as Pelican's *_URL feed settings).
    "SPEAKER_FEED_ATOM_URL": None,
    "SPEAKER_FEED_RSS_URL": None,
}
