"""blog_sections: category metadata and nested categories, bylines, the News and Resources hub,
attachments and legacy-URL redirects; bad input; and the LEITF site built with all of it.
Feeds have their own file, tests/test_feeds.py."""

import json
import os
import sys
from urllib.parse import urljoin

import pytest

from helpers import REPO

sys.path.insert(0, str(REPO / "plugins"))
from blog_sections.attachments import guess_mime, human_size, normalize, split_list  # noqa: E402
from blog_sections.generator import check_alias, url_to_save_as  # noqa: E402

PRETTY = dict(
    ARTICLE_URL="{date:%Y}/{date:%m}/{slug}/", ARTICLE_SAVE_AS="{date:%Y}/{date:%m}/{slug}/index.html",
    PAGE_URL="{slug}/", PAGE_SAVE_AS="{slug}/index.html",
    CATEGORY_URL="category/{slug}/", CATEGORY_SAVE_AS="category/{slug}/index.html",
    CATEGORIES_URL="category/", CATEGORIES_SAVE_AS="category/index.html",
    PAGINATION_PATTERNS=((1, "{url}", "{save_as}"),
                         (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html")),
    STATIC_PATHS=["images", "files"], ARTICLE_EXCLUDES=["pages", "images", "files"],
    RELATIVE_URLS=True,
)


def post(title, date, category, extra="", body="Body text."):
    return f"Title: {title}\nDate: {date}\nCategory: {category}\n{extra}\n{body}\n"


CATEGORY_FILES = {
    "categories/blog.md": "Title: Blog\nLabel: Blog Post\nOrder: 2\n\nWhat our members *see* on patrol.\n",
    "categories/press-releases.md": "Title: Press Releases\nLabel: Press Release\nOrder: 1\n\nOur announcements.\n",
    "categories/focus-point.md": "Title: Focus Point\nOrder: 3\n\nTopics we return to.\n",
    "categories/path-to-public-safety.md": (
        "Title: Path to Public Safety\nLabel: Focus Point\nParent: focus-point\n\n"
        "Trust keeps [communities](https://example.org/trust) safe.\n"),
}
POSTS = {
    "posts/b1.md": post("Blog one", "2024-01-01", "Blog"),
    "posts/b2.md": post("Blog two", "2024-02-01", "Blog"),
    "posts/b3.md": post("Blog three", "2024-03-01", "Blog"),
    "posts/b4.md": post("Blog four", "2024-04-01", "Blog"),
    "posts/p1.md": post("Press one", "2024-01-15", "Press Releases"),
    "posts/f1.md": post("Trust and safety", "2024-05-01", "Path to Public Safety"),
    "posts/n1.md": post("Plain one", "2023-01-01", "Odds and Ends"),
}


@pytest.fixture
def site(build_site):
    return build_site({**CATEGORY_FILES, **POSTS}, **PRETTY)


def main_of(soup):
    return soup.find("main")


def titles(soup):
    return [a.get_text(strip=True) for a in main_of(soup).select(".post-summary__title a")]


# --- unit: pure functions --------------------------------------------------------------------


@pytest.mark.parametrize("size,label", [
    (0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1000, "1 kB"), (1810, "1.8 kB"),
    (123_456, "123 kB"), (999_999, "1 MB"), (2_400_000, "2.4 MB"), (5 * 10**9, "5 GB"),
])
def test_human_size(size, label):
    assert human_size(size) == label


def test_attachment_paths_and_types():
    assert split_list("files/a.pdf, files/b.docx") == ["files/a.pdf", "files/b.docx"]
    assert normalize("{static}/files/a.pdf") == normalize("/files/a.pdf") == "files/a.pdf"
    assert guess_mime("a.pdf") == "application/pdf"
    assert guess_mime("a.unknownext") == "application/octet-stream"


def test_alias_paths():
    assert check_alias("a.md", "old/post/") == "/old/post/"
    assert url_to_save_as("/old/post/") == "old/post/index.html"
    assert url_to_save_as("/old/post.html") == "old/post.html"
    assert url_to_save_as("/old/post") == "old/post/index.html"


# --- category metadata ------------------------------------------------------------------------


def test_category_page_shows_title_and_description_above_the_list(site):
    soup = site.soup("category/blog/index.html")
    main = main_of(soup)
    assert main.h1.get_text(strip=True) == "Blog"
    description = main.find(class_="category-description")
    assert description.find("em").get_text() == "see"  # Markdown, rendered
    first_post = main.find(class_="post-summary")
    assert description.sourceline < first_post.sourceline
    assert soup.find("meta", attrs={"name": "description"})["content"] == "What our members see on patrol."


def test_description_only_on_the_first_page(build_site):
    site = build_site({**CATEGORY_FILES, **POSTS}, DEFAULT_PAGINATION=2, **PRETTY)
    assert site.soup("category/blog/index.html").find(class_="category-description")
    second = site.soup("category/blog/page/2/index.html")
    assert not second.find(class_="category-description")
    assert titles(second) == ["Blog two", "Blog one"]


def test_category_without_a_file_gets_defaults(site):
    main = main_of(site.soup("category/odds-and-ends/index.html"))
    assert main.h1.get_text(strip=True) == "Odds and Ends"
    assert not main.find(class_="category-description")
    byline = site.soup("2023/01/plain-one/index.html").find(class_="byline")
    assert byline.find(class_="byline__category").get_text(strip=True) == "Odds and Ends"


def test_byline_has_organization_label_link_and_date(site):
    byline = site.soup("2024/01/blog-one/index.html").find("main").find(class_="byline")
    assert byline.find(class_="byline__org").get_text(strip=True) == "Test Coalition"
    label = byline.find("a", class_="byline__category")
    assert label.get_text(strip=True) == "Blog Post"
    assert label["data-pagefind-filter"] == "category"
    assert urljoin("http://x/2024/01/blog-one/", label["href"]) == "http://x/category/blog/"
    assert byline.find("time")["datetime"].startswith("2024-01-01")


def test_nested_category_lives_under_its_parent(site):
    child = site.soup("category/focus-point/path-to-public-safety/index.html")
    assert main_of(child).h1.get_text(strip=True) == "Path to Public Safety"
    assert titles(child) == ["Trust and safety"]
    trail = child.find(class_="category-trail")
    assert [a.get_text() for a in trail.find_all("a")] == ["Focus Point"]
    assert not site.exists("category/path-to-public-safety/index.html")
    post = site.soup("2024/05/trust-and-safety/index.html").find("main").find(class_="byline__category")
    assert urljoin("http://x/2024/05/trust-and-safety/", post["href"]) == \
        "http://x/category/focus-point/path-to-public-safety/"
    assert post.get_text(strip=True) == "Focus Point"
    assert site.exists("feeds/category/focus-point/path-to-public-safety.atom.xml")


def test_parent_category_lists_its_childrens_posts(site):
    parent = site.soup("category/focus-point/index.html")
    assert titles(parent) == ["Trust and safety"]
    children = parent.find(class_="category-children")
    assert [a.get_text() for a in children.find_all("a")] == ["Path to Public Safety"]
    assert site.exists("feeds/category/focus-point.atom.xml")


def test_categories_page_follows_the_configured_order(site):
    main = main_of(site.soup("category/index.html"))
    names = [li.a.get_text(strip=True) for li in main.select("li.category-tree__item")]
    assert names == ["Press Releases", "Blog", "Focus Point", "Path to Public Safety", "Odds and Ends"]
    nested = main.select_one("li.category-tree__item--depth-1")
    assert nested.a.get_text(strip=True) == "Path to Public Safety"


def test_category_files_are_neither_posts_nor_pages(site):
    feed = json.loads(site.text("feeds/all.json"))
    assert sorted(item["title"] for item in feed["items"]) == sorted(
        text.split("\n", 1)[0].removeprefix("Title: ") for text in POSTS.values())
    assert not site.exists("focus-point/index.html") and not site.exists("blog/index.html")


# --- hub ----------------------------------------------------------------------------------------


def test_hub_shows_latest_posts_per_category_in_order(site):
    soup = site.soup("news-and-resources/index.html")
    main = main_of(soup)
    assert main.h1.get_text(strip=True) == "News and Resources"
    sections = main.find_all("section", class_="hub-section")
    headings = [s.h2.get_text(strip=True) for s in sections]
    assert headings == ["Press Releases", "Blog", "Focus Point", "Odds and Ends"]
    blog = sections[1]
    assert [a.get_text(strip=True) for a in blog.select(".post-summary__title a")] == \
        ["Blog four", "Blog three", "Blog two"]
    more = blog.find(class_="hub-section__more").a
    assert urljoin("http://x/news-and-resources/", more["href"]) == "http://x/category/blog/"
    assert "4 posts" in more.get_text()
    assert "Trust and safety" in sections[2].get_text()


def test_hub_is_configurable(build_site):
    site = build_site({**CATEGORY_FILES, **POSTS}, SECTION_HUB_URL="resources/",
                      SECTION_HUB_TITLE="Latest from us", SECTION_HUB_COUNT=1,
                      SECTION_HUB_CATEGORIES=["blog", "path-to-public-safety"], **PRETTY)
    main = main_of(site.soup("resources/index.html"))
    assert main.h1.get_text(strip=True) == "Latest from us"
    sections = main.find_all("section", class_="hub-section")
    assert [s.h2.get_text(strip=True) for s in sections] == ["Blog", "Path to Public Safety"]
    assert [len(s.select(".post-summary")) for s in sections] == [1, 1]
    assert not site.exists("news-and-resources/index.html")


def test_hub_can_be_turned_off(build_site):
    site = build_site(POSTS, SECTION_HUB_URL="", **PRETTY)
    assert not site.exists("news-and-resources/index.html")


def test_hub_lists_every_feed(site):
    feeds = main_of(site.soup("news-and-resources/index.html")).find(class_="hub-feeds")
    hrefs = {urljoin("http://x/news-and-resources/", a["href"]) for a in feeds.find_all("a")}
    assert "http://x/feeds/all.atom.xml" in hrefs and "http://x/feeds/all.json" in hrefs
    for slug in ("blog", "press-releases", "focus-point", "focus-point/path-to-public-safety", "odds-and-ends"):
        assert f"http://x/feeds/category/{slug}.json" in hrefs
    for href in hrefs:
        assert site.exists(href.removeprefix("http://x/")), href


# --- attachments -------------------------------------------------------------------------------


def test_download_list_with_name_type_and_measured_size(build_site):
    pdf = b"%PDF-1.4\n" + b"0" * 2500
    site = build_site({
        "posts/a.md": post("Explainer", "2024-03-05", "Explainers",
                           "Attachments: files/guide.pdf, {static}/downloads/data.csv\n"),
        "files/guide.pdf": pdf,
        "downloads/data.csv": "a,b\n1,2\n",
    }, **PRETTY)
    section = site.soup("2024/03/explainer/index.html").find(class_="post__attachments")
    items = section.find_all("li", class_="attachment")
    assert [li.a.get_text() for li in items] == ["guide.pdf", "data.csv"]
    assert [li.abbr.get_text() for li in items] == ["PDF", "CSV"]
    assert items[0].find("data")["value"] == str(len(pdf))
    assert items[0].find("data").get_text() == human_size(len(pdf)) == "2.5 kB"
    for li in items:
        target = urljoin("http://x/2024/03/explainer/", li.a["href"]).removeprefix("http://x/")
        assert site.exists(target), target  # copied even from a folder outside STATIC_PATHS
    assert site.path("downloads/data.csv").read_bytes() == b"a,b\n1,2\n"


def test_posts_without_attachments_have_no_download_list(site):
    assert not site.soup("2024/01/blog-one/index.html").find(class_="post__attachments")


# --- legacy URLs --------------------------------------------------------------------------------


def test_alias_gets_a_redirect_page(build_site):
    site = build_site({
        "posts/a.md": post("Moved post", "2023-12-06", "Blog",
                           "Aliases: /moved-post/, /old/archive/moved.html\n"),
    }, FEED_DOMAIN="https://example.org", **PRETTY)
    for rel in ("moved-post/index.html", "old/archive/moved.html"):
        soup = site.soup(rel)
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh.startswith("0; url=")
        target = urljoin(f"http://x/{rel}", refresh.split("url=", 1)[1])
        assert target == "http://x/2023/12/moved-post/"
        assert soup.find("link", rel="canonical")["href"] == "https://example.org/2023/12/moved-post/"
        link = soup.find("main").find("a")
        assert urljoin(f"http://x/{rel}", link["href"]) == target and link.get_text() == "Moved post"
        assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


def test_redirects_are_never_listed(build_site):
    site = build_site({"posts/a.md": post("Moved post", "2023-12-06", "Blog", "Aliases: /moved-post/\n")},
                      **PRETTY)
    for rel in site.html_files():
        if rel == "moved-post/index.html":
            continue
        for a in site.soup(rel).find_all("a", href=True):
            assert not urljoin(f"http://x/{rel}", a["href"]).startswith("http://x/moved-post/"), rel
    for feed in (site.output / "feeds").rglob("*"):
        if feed.is_file():
            assert "moved-post/" not in feed.read_text(encoding="utf-8").replace("2023/12/moved-post/", "")


# --- bad input ----------------------------------------------------------------------------------


# Every case in tests/bad_input_blog_sections.py runs in the quality gate, tests/test_bad_input.py.


# --- the LEITF site -----------------------------------------------------------------------------

DEC_2023 = "2023/12/blog-post-open-channels-of-collaboration-between-local-law-enforcement-agencies-and-the-federal-government/"
EXPLAINER = "2024/03/leitf-explainer-human-trafficking-and-human-smuggling-are-different-crimes/"
LEITF_CATEGORIES = ("blog", "press-releases", "sign-on-letters", "explainers")


def test_leitf_category_pages_have_descriptions(leitf_site_build):
    for slug in LEITF_CATEGORIES:
        main = main_of(leitf_site_build.soup(f"category/{slug}/index.html"))
        description = main.find(class_="category-description")
        assert description and len(description.get_text(strip=True)) > 40, slug
        assert main.find(class_="post-summary"), slug


def test_leitf_hub_and_bylines(leitf_site_build):
    hub = main_of(leitf_site_build.soup("news-and-resources/index.html"))
    assert hub.h1.get_text(strip=True) == "News and Resources"
    assert [s.h2.get_text(strip=True) for s in hub.find_all("section", class_="hub-section")] == \
        ["Blog", "Press Releases", "Sign-On Letters", "Explainers"]
    nav = leitf_site_build.soup("index.html").find("nav", class_="site-nav")
    assert "News and Resources" in nav.get_text()
    byline = leitf_site_build.soup(DEC_2023 + "index.html").find("main").find(class_="byline")
    assert byline.find(class_="byline__org").get_text(strip=True) == "Law Enforcement Immigration Task Force"
    assert byline.find(class_="byline__category").get_text(strip=True) == "Blog"
    press = leitf_site_build.soup("2024/01/press-release-law-enforcement-immigration-task-force-names-its-2024-co-chairs/index.html")
    assert press.find("main").find(class_="byline__category").get_text(strip=True) == "Press Release"


def test_leitf_explainer_pdf_download_matches_the_file(leitf_site_build):
    pdf = REPO / "content/files/leitf-explainer-trafficking-vs-smuggling.pdf"
    item = leitf_site_build.soup(EXPLAINER + "index.html").find(class_="post__attachments").find("li")
    target = urljoin("http://x/" + EXPLAINER, item.a["href"]).removeprefix("http://x/")
    assert leitf_site_build.path(target).read_bytes() == pdf.read_bytes()
    assert item.abbr.get_text() == "PDF"
    assert item.find("data")["value"] == str(os.path.getsize(pdf))
    assert item.find("data").get_text() == human_size(os.path.getsize(pdf))


def test_leitf_legacy_redirect_for_the_december_2023_post(leitf_site_build):
    old = "blog-post-open-channels-of-collaboration-between-local-law-enforcement-agencies-and-the-federal-government/"
    soup = leitf_site_build.soup(old + "index.html")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"].split("url=", 1)[1]
    assert urljoin("http://x/" + old, refresh) == "http://x/" + DEC_2023
    assert soup.find("link", rel="canonical")["href"] == "https://leitf.org/" + DEC_2023


def test_leitf_feeds_for_the_site_and_each_category(leitf_site_build):
    from test_feeds import check_feed

    rels = ["feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/all.json"]
    for slug in LEITF_CATEGORIES:
        rels += [f"feeds/category/{slug}.atom.xml", f"feeds/category/{slug}.rss.xml",
                 f"feeds/category/{slug}.json"]
    for rel in rels:
        assert leitf_site_build.exists(rel), rel
        check_feed(leitf_site_build, rel)
    data = json.loads(leitf_site_build.text("feeds/category/explainers.json"))
    assert data["items"][0]["attachments"][0]["mime_type"] == "application/pdf"


def test_theme_works_without_the_plugin(build_site):
    site = build_site({"posts/a.md": post("A post", "2024-01-01", "Blog")},
                      PLUGINS=["get_involved"], **PRETTY)
    main = main_of(site.soup("category/blog/index.html"))
    assert main.h1.get_text(strip=True) == "Blog"
    byline = site.soup("2024/01/a-post/index.html").find("main").find(class_="byline__category")
    assert byline.get_text(strip=True) == "Blog"
    assert not site.exists("news-and-resources/index.html")


def test_a_category_file_that_matches_no_posts_is_reported(build_site):
    site = build_site({"posts/a.md": post("A post", "2024-01-01", "Blog"),
                       "categories/blogs.md": "Title: Blogs\n\nA typo in the file name.\n"},
                      allow_warnings=True, **PRETTY)
    assert any("categories/blogs.md" in w and "'blogs'" in w and "blog" in w for w in site.warnings), site.warnings
    assert site.exists("category/blog/index.html")
