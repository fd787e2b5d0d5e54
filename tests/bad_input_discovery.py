"""Every discovery setting a maintainer can get wrong, and the one line the build must print.

tests/test_discovery.py runs each case with the real CLI; the quality gate collects every
bad_input_*.py.
"""

POST = {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nText.\n"}


def case(id, settings, expect):
    return {"id": id, "files": POST, "settings": settings, "expect": expect}


CASES = [
    case("search-not-a-bool", {"DISCOVERY_SEARCH": "yes"},
         ("pelicanconf", "DISCOVERY_SEARCH", "must be True or False")),
    case("sitemap-not-a-bool", {"DISCOVERY_SITEMAP": 1},
         ("pelicanconf", "DISCOVERY_SITEMAP", "must be True or False")),
    case("search-link-unsafe", {"DISCOVERY_SEARCH_LINKS": [("Hub", "javascript:alert(1)")]},
         ("pelicanconf", "DISCOVERY_SEARCH_LINKS", "unsafe URL")),
    case("search-links-not-pairs", {"DISCOVERY_SEARCH_LINKS": ["news/"]},
         ("pelicanconf", "DISCOVERY_SEARCH_LINKS", '("text", "url") pairs')),
    case("robots-path-without-slash", {"DISCOVERY_ROBOTS_DISALLOW": ["drafts/"]},
         ("pelicanconf", "DISCOVERY_ROBOTS_DISALLOW", "must be one path starting with /")),
    case("robots-path-with-newline", {"DISCOVERY_ROBOTS_DISALLOW": ["/a\nSitemap: https://evil.example/x"]},
         ("pelicanconf", "DISCOVERY_ROBOTS_DISALLOW", "must be one path starting with /")),
    case("news-categories-not-a-list", {"DISCOVERY_NEWS_CATEGORIES": "press-releases"},
         ("pelicanconf", "DISCOVERY_NEWS_CATEGORIES", "must be a list of text")),
    case("twitter-site-not-text", {"DISCOVERY_TWITTER_SITE": ["@a"]},
         ("pelicanconf", "DISCOVERY_TWITTER_SITE", "must be text")),
]
