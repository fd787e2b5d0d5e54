"""Every blog_sections mistake a maintainer can make, and the one line the build must print.

Each case builds a tiny site with the real CLI: `files` are content files, `settings` go into
pelicanconf.py, and one line of the failed build's output must hold every `expect` fragment.
tests/test_blog_sections.py runs them all; the quality gate collects every bad_input_*.py.
"""

POST = "Title: A post\nDate: 2024-01-01\nCategory: Blog\n\nText.\n"
PRETTY = {"ARTICLE_URL": "{slug}/", "ARTICLE_SAVE_AS": "{slug}/index.html",
          "PAGE_URL": "{slug}/", "PAGE_SAVE_AS": "{slug}/index.html",
          "FEED_DOMAIN": "https://example.org"}


def post(extra="", name="posts/a.md", title="A post"):
    return {name: f"Title: {title}\nDate: 2024-01-01\nCategory: Blog\n{extra}\nText.\n"}


def case(id, expect, files=None, settings=None):
    return {"id": id, "files": files or {"posts/a.md": POST},
            "settings": {**PRETTY, **(settings or {})}, "expect": expect}


CASES = [
    case("missing-attachment", ("a.md", "Attachments", "files/missing.pdf", "no such file"),
         files=post("Attachments: files/missing.pdf\n")),
    case("one-of-two-attachments-missing", ("a.md", "Attachments", "files/gone.pdf"),
         files={**post("Attachments: files/here.pdf, files/gone.pdf\n"), "files/here.pdf": b"%PDF-1.4\n"}),
    case("attachment-outside-content", ("a.md", "Attachments", "outside the content folder"),
         files=post("Attachments: ../secrets.txt\n")),
    case("category-order-not-a-number", ("blog.md", "Order", "whole number", "'first'"),
         files={"posts/a.md": POST, "categories/blog.md": "Title: Blog\nOrder: first\n\nAbout.\n"}),
    case("category-unknown-parent", ("child.md", "Parent", "no category file focus.md"),
         files={"posts/a.md": POST, "categories/child.md": "Title: Child\nParent: focus\n\nAbout.\n"}),
    case("category-parent-loop", ("Parent", "loop"),
         files={"posts/a.md": POST, "categories/one.md": "Title: One\nParent: two\n\nA.\n",
                "categories/two.md": "Title: Two\nParent: one\n\nB.\n"}),
    case("category-own-parent", ("blog.md", "Parent", "its own parent"),
         files={"posts/a.md": POST, "categories/blog.md": "Title: Blog\nParent: blog\n\nA.\n"}),
    case("alias-with-domain", ("a.md", "Aliases", "without the domain"),
         files=post("Aliases: https://old.example.org/a/\n")),
    case("alias-with-query", ("a.md", "Aliases", "query string"),
         files=post("Aliases: /?p=123\n")),
    case("alias-is-site-root", ("a.md", "Aliases", "below the site root"),
         files=post("Aliases: /\n")),
    case("alias-is-own-url", ("a.md", "Aliases", "the post's own URL"),
         files=post("Aliases: /a-post/\n")),
    case("alias-clashes-with-a-page", ("a.md", "Aliases", "/about/", "about.md"),
         files={**post("Aliases: /about/\n"), "pages/about.md": "Title: About\n\nUs.\n"}),
    case("alias-in-two-posts", ("Aliases", "/old/", "also an alias in"),
         files={**post("Aliases: /old/\n"), **post("Aliases: /old/\n", name="posts/b.md", title="B post")}),
    case("alias-clashes-with-the-hub", ("a.md", "Aliases", "News and Resources hub"),
         files=post("Aliases: /news-and-resources/\n")),
    case("two-posts-one-feed-id", ("Feed_id", "tag:example.org,2024-01-01:same", "is also the feed ID of"),
         files={"posts/a.md": "Title: Same\nDate: 2024-01-01\nCategory: Blog\n\nA.\n",
                "posts/b.md": "Title: Same\nDate: 2024-01-01\nCategory: News\nLang: en\n\nB.\n"},
         settings={"ARTICLE_URL": "{category}/{slug}/", "ARTICLE_SAVE_AS": "{category}/{slug}/index.html"}),
    case("hub-count-zero", ("pelicanconf", "SECTION_HUB_COUNT", "1 or more"),
         settings={"SECTION_HUB_COUNT": 0}),
    case("hub-url-absolute", ("pelicanconf", "SECTION_HUB_URL", "path on this site"),
         settings={"SECTION_HUB_URL": "https://example.org/news/"}),
    case("hub-unknown-category", ("pelicanconf", "SECTION_HUB_CATEGORIES", "'press'", "known: blog"),
         settings={"SECTION_HUB_CATEGORIES": ["press"]}),
    case("misspelt-setting", ("pelicanconf", "SECTION_HUB_CONT", "did you mean SECTION_HUB_COUNT?"),
         settings={"SECTION_HUB_CONT": 5}),
    case("category-json-feed-without-slug", ("pelicanconf", "CATEGORY_FEED_JSON", "{slug}"),
         settings={"CATEGORY_FEED_JSON": "feeds/category.json"}),
    case("category-and-author-feeds-collide", ("pelicanconf", "feeds", "feeds/by/blog.xml",
                                               "its own folder"),
         files={"posts/a.md": "Title: A post\nDate: 2024-01-01\nCategory: Blog\nAuthor: Blog\n\nText.\n"},
         settings={"CATEGORY_FEED_ATOM": "feeds/by/{slug}.xml",
                   "AUTHOR_FEED_ATOM": "feeds/by/{slug}.xml", "AUTHOR_FEED_RSS": None}),
]
