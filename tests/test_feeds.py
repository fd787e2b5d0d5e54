"""blog_sections feeds: every feed the site writes (site, category, any plugin's) is complete,
valid and stable. Structure is checked against RFC 4287 (Atom), RSS 2.0 and JSON Feed 1.1."""

import email.utils
import json
import re
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from helpers import REPO, KIT_PLUGINS, write_tree

sys.path.insert(0, str(REPO / "plugins"))
from blog_sections import feeds  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT|[A-Z]{3})$")
CONTROL = "".join(chr(c) for c in range(0x20))  # U+0000..U+001F, tab/newline/return included
PDF = b"%PDF-1.4\n" + b"x" * 2991 + b"\n%%EOF\n"

SITE = {
    "posts/meeting.md": """
        Title: Meeting with federal partners
        Date: 2023-12-06 10:00
        Modified: 2024-02-01 08:30
        Category: Blog
        Tags: border, trust
        Summary: Chiefs met **DHS** officials.

        Read [about us](/about/) and [the letter]({filename}letter.md), see
        ![a map]({static}/images/map.png), or <a href="../../../files/notes.pdf">the notes</a>.
        """,
    "posts/letter.md": """
        Title: A letter to Congress
        Date: 2019-09-10 09:00
        Category: Sign-On Letters
        Attachments: files/letter.pdf

        We ask Congress to act.
        """,
    "posts/explainer.md": """
        Title: Trafficking & smuggling
        Date: 2024-03-05 09:00
        Category: Explainers
        Summary: Two different crimes.

        Smuggling is transport; trafficking is exploitation.
        """,
    "pages/about.md": "Title: About\n\nWho we are.\n",
    "images/map.png": b"\x89PNG\r\n\x1a\n" + b"0" * 64,
    "files/letter.pdf": PDF,
    "files/notes.pdf": b"%PDF-1.4\nnotes\n",
}
PRETTY = dict(
    ARTICLE_URL="{date:%Y}/{date:%m}/{slug}/", ARTICLE_SAVE_AS="{date:%Y}/{date:%m}/{slug}/index.html",
    PAGE_URL="{slug}/", PAGE_SAVE_AS="{slug}/index.html",
    CATEGORY_FEED_RSS="feeds/category/{slug}.rss.xml", FEED_ALL_RSS="feeds/all.rss.xml",
    STATIC_PATHS=["images", "files"], ARTICLE_EXCLUDES=["pages", "images", "files"],
    SITE_DESCRIPTION="A test coalition of chiefs.",
)
CATEGORIES = ("blog", "sign-on-letters", "explainers")


def feed_files(site):
    return sorted(p.relative_to(site.output).as_posix() for p in (site.output / "feeds").rglob("*")
                  if p.is_file())


@pytest.fixture
def site(build_site):
    return build_site(SITE, **PRETTY)


# --- structural checks ----------------------------------------------------------------


def is_absolute(url):
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def atom_problems(text):
    """What RFC 4287 requires of a feed and its entries, as a list of problems."""
    problems = []
    root = ET.fromstring(text.encode("utf-8"))
    if root.tag != f"{ATOM}feed":
        return ["root is not atom:feed"]
    for name in ("id", "title", "updated"):
        if not (root.findtext(f"{ATOM}{name}") or "").strip():
            problems.append(f"feed has no {name}")
    if not RFC3339.match(root.findtext(f"{ATOM}updated") or ""):
        problems.append("feed updated is not RFC 3339")
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        ids.append(entry_id)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", entry_id):
            problems.append(f"entry id {entry_id!r} is not a URI")
        for name in ("title", "updated"):
            if not (entry.findtext(f"{ATOM}{name}") or "").strip():
                problems.append(f"entry {entry_id} has no {name}")
        for name in ("updated", "published"):
            value = entry.findtext(f"{ATOM}{name}")
            if value is not None and not RFC3339.match(value):
                problems.append(f"entry {entry_id} {name} {value!r} is not RFC 3339")
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        if not alternates:
            problems.append(f"entry {entry_id} has no alternate link")
        for link in entry.findall(f"{ATOM}link"):
            if not is_absolute(link.get("href")):
                problems.append(f"entry {entry_id} link {link.get('href')!r} is not absolute")
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"entry {entry_id} has no author")
        if entry.find(f"{ATOM}content") is None and not alternates:
            problems.append(f"entry {entry_id} has neither content nor alternate link")
    if len(ids) != len(set(ids)):
        problems.append("entry ids are not unique")
    return problems


def rss_problems(text):
    """What RSS 2.0 requires of a channel and its items, as a list of problems."""
    problems = []
    root = ET.fromstring(text.encode("utf-8"))
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return ["not an RSS 2.0 document"]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel has no {name}")
    if not is_absolute(channel.findtext("link")):
        problems.append("channel link is not absolute")
    guids = []
    for item in channel.findall("item"):
        guid = item.findtext("guid") or ""
        guids.append(guid)
        if not guid:
            problems.append("item has no guid")
        if item.find("guid") is not None and item.find("guid").get("isPermaLink", "true") == "true" \
                and not is_absolute(guid):
            problems.append(f"guid {guid!r} claims to be a permalink")
        if not (item.findtext("title") or item.findtext("description")):
            problems.append(f"item {guid} has neither title nor description")
        pub = item.findtext("pubDate")
        if pub is None or not RFC822.match(pub) or email.utils.parsedate_to_datetime(pub) is None:
            problems.append(f"item {guid} pubDate {pub!r} is not RFC 822")
        if not is_absolute(item.findtext("link")):
            problems.append(f"item {guid} link is not absolute")
        for enclosure in item.findall("enclosure"):
            if not (is_absolute(enclosure.get("url")) and enclosure.get("length", "").isdigit()
                    and enclosure.get("type")):
                problems.append(f"item {guid} enclosure lacks url/length/type")
    if len(guids) != len(set(guids)):
        problems.append("guids are not unique")
    return problems


def json_feed_problems(data):
    """JSON Feed 1.1: required top-level and item fields, absolute URLs, unique ids."""
    problems = []
    if data.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version is not 1.1")
    if not data.get("title"):
        problems.append("no title")
    for key in ("home_page_url", "feed_url"):
        if key in data and not is_absolute(data[key]):
            problems.append(f"{key} is not absolute")
    if not isinstance(data.get("items"), list):
        return problems + ["items is not a list"]
    ids = [item.get("id") for item in data["items"]]
    for item in data["items"]:
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append("item without a string id")
        if not (item.get("content_html") or item.get("content_text")):
            problems.append(f"item {item.get('id')} has no content")
        if "url" in item and not is_absolute(item["url"]):
            problems.append(f"item {item.get('id')} url is not absolute")
        for key in ("date_published", "date_modified"):
            if key in item and not RFC3339.match(item[key]):
                problems.append(f"item {item.get('id')} {key} is not RFC 3339")
    if len(ids) != len(set(ids)):
        problems.append("ids are not unique")
    return problems


def check_feed(site, rel):
    """Parse one written feed with feedparser (bozo must be 0) and the structural rules."""
    text = site.text(rel)
    if rel.endswith(".json"):
        data = json.loads(text)
        assert json_feed_problems(data) == [], rel
        return data
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0, (rel, parsed.get("bozo_exception"))
    assert (atom_problems if rel.endswith(".atom.xml") else rss_problems)(text) == [], rel
    return parsed


def atom_ids(site, rel):
    return [e.findtext(f"{ATOM}id") for e in ET.fromstring(site.text(rel).encode()).findall(f"{ATOM}entry")]


# --- the structural checks can fail ---------------------------------------------------


def test_structural_checks_catch_broken_feeds():
    broken_atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><updated>2024-01-01</updated>'
                   '<entry><id>x</id><id>x</id><title>A</title><updated>2024-01-01T00:00:00Z</updated>'
                   '<link href="/a/"/></entry><entry><id>x</id><title>B</title></entry></feed>')
    problems = atom_problems(broken_atom)
    assert "feed has no id" in problems
    assert "feed updated is not RFC 3339" in problems
    assert any("is not absolute" in p for p in problems)
    assert "entry ids are not unique" in problems
    assert any("has no updated" in p for p in problems)
    broken_rss = ('<rss version="2.0"><channel><title>T</title><link>/</link><item><title>A</title>'
                  '<pubDate>2024-01-01</pubDate><link>https://e.org/a</link></item></channel></rss>')
    problems = rss_problems(broken_rss)
    assert "channel has no description" in problems and "item has no guid" in problems
    assert any("not RFC 822" in p for p in problems) and "channel link is not absolute" in problems
    assert json_feed_problems({"version": "1", "items": [{"id": 1}]}) != []


# --- unit: pure functions ---------------------------------------------------------------


def test_clean_drops_every_xml_illegal_character_and_keeps_the_rest():
    text = "a" + CONTROL + "b\ufffe\uffffc é —"
    assert feeds.clean(text) == "a\t\n\rbc é —"


def test_absolutize_resolves_links_and_images_against_the_post():
    html = ('<a href="/about/">x</a> <img src="../img/a.png" srcset="a.png 1x, /b.png 2x"> '
            '<a href="https://other.org/">o</a> <a href="mailto:a@b.org">m</a> <a href="#n">n</a>')
    out = feeds.absolutize(html, "https://example.org/2024/01/post/")
    assert 'href="https://example.org/about/"' in out
    assert 'src="https://example.org/2024/01/img/a.png"' in out
    assert 'srcset="https://example.org/2024/01/post/a.png 1x, https://example.org/b.png 2x"' in out
    assert 'href="https://other.org/"' in out and 'href="mailto:a@b.org"' in out
    assert 'href="https://example.org/2024/01/post/#n"' in out


def test_absolute_root_prefers_an_absolute_feed_domain():
    assert feeds.absolute_root({"FEED_DOMAIN": "https://a.org/", "SITEURL": ""}) == "https://a.org"
    assert feeds.absolute_root({"FEED_DOMAIN": "", "SITEURL": "https://b.org"}) == "https://b.org"


# --- the feeds a site writes --------------------------------------------------------------


def test_every_feed_is_written_and_valid(site):
    # Pelican's own per-language feed goes through the same writer.
    expected = {"feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/all.json", "feeds/all-en.atom.xml"}
    for slug in CATEGORIES:
        expected |= {f"feeds/category/{slug}.atom.xml", f"feeds/category/{slug}.rss.xml",
                     f"feeds/category/{slug}.json"}
    assert set(feed_files(site)) == expected
    for rel in expected:
        check_feed(site, rel)


def test_titles_name_the_site_and_the_category(site):
    assert check_feed(site, "feeds/all.atom.xml").feed.title == "Test Coalition"
    assert check_feed(site, "feeds/category/sign-on-letters.atom.xml").feed.title == \
        "Test Coalition — Sign-On Letters"
    assert check_feed(site, "feeds/category/blog.rss.xml").feed.title == "Test Coalition — Blog"
    assert check_feed(site, "feeds/category/blog.json")["title"] == "Test Coalition — Blog"


def test_category_feed_links_to_its_category_page(site):
    parsed = check_feed(site, "feeds/category/blog.atom.xml")
    assert parsed.feed.link == "https://example.org/category/blog.html"
    assert site.exists("category/blog.html")


def test_full_content_with_absolute_urls_and_a_summary(site):
    entry = check_feed(site, "feeds/category/blog.atom.xml").entries[0]
    html = entry.content[0].value
    assert "https://example.org/about/" in html
    assert "https://example.org/2019/09/a-letter-to-congress/" in html
    assert "https://example.org/images/map.png" in html
    assert "https://example.org/files/notes.pdf" in html
    for url in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert is_absolute(url), url
    assert "<strong>DHS</strong>" in entry.summary
    rss = ET.fromstring(site.text("feeds/category/blog.rss.xml").encode()).find("channel/item")
    assert "DHS" in rss.findtext("description")
    assert "https://example.org/about/" in rss.findtext(f"{CONTENT_NS}encoded")
    item = check_feed(site, "feeds/category/blog.json")["items"][0]
    assert "https://example.org/images/map.png" in item["content_html"]
    assert item["summary"] == "Chiefs met DHS officials."


def test_entries_have_author_categories_and_updated_from_modified(site):
    entry = check_feed(site, "feeds/all.atom.xml").entries
    meeting = next(e for e in entry if e.title == "Meeting with federal partners")
    assert meeting.author == "Test Coalition"  # no Author: the site speaks
    assert {t.term for t in meeting.tags} == {"Blog", "border", "trust"}
    assert meeting.updated.startswith("2024-02-01T08:30:00")
    assert meeting.published.startswith("2023-12-06T10:00:00")
    letter = next(e for e in entry if e.title == "A letter to Congress")
    assert letter.updated == letter.published  # no Modified: the publication date
    item = next(i for i in check_feed(site, "feeds/all.json")["items"] if i["title"] == meeting.title)
    assert item["date_modified"].startswith("2024-02-01T08:30:00")
    assert item["tags"] == ["Blog", "border", "trust"]
    assert item["authors"][0]["name"]


def test_authors_are_named(build_site):
    site = build_site({"posts/a.md": "Title: A\nDate: 2024-01-01\nAuthor: Chief Example\n\nText.\n"})
    entry = check_feed(site, "feeds/all.atom.xml").entries[0]
    assert entry.author == "Chief Example"
    atom = ET.fromstring(site.text("feeds/all.atom.xml").encode())
    assert atom.find(f"{ATOM}author/{ATOM}name").text == "Test Coalition"


def test_first_attachment_is_the_enclosure_with_real_length_and_type(site):
    size = len(PDF)
    atom = ET.fromstring(site.text("feeds/category/sign-on-letters.atom.xml").encode())
    enclosure = [l for l in atom.iter(f"{ATOM}link") if l.get("rel") == "enclosure"]
    assert len(enclosure) == 1
    assert enclosure[0].get("href") == "https://example.org/files/letter.pdf"
    assert enclosure[0].get("length") == str(size) and enclosure[0].get("type") == "application/pdf"
    rss = ET.fromstring(site.text("feeds/all.rss.xml").encode())
    rss_enclosures = rss.findall("channel/item/enclosure")
    assert [(e.get("url"), e.get("length"), e.get("type")) for e in rss_enclosures] == \
        [("https://example.org/files/letter.pdf", str(size), "application/pdf")]
    item = next(i for i in check_feed(site, "feeds/all.json")["items"] if "attachments" in i)
    assert item["attachments"][0] == {"url": "https://example.org/files/letter.pdf",
                                      "mime_type": "application/pdf", "size_in_bytes": size,
                                      "title": "letter.pdf"}


def test_ids_are_tag_uris_from_domain_date_and_slug(site):
    ids = atom_ids(site, "feeds/all.atom.xml")
    assert "tag:example.org,2023-12-06:meeting-with-federal-partners" in ids
    rss = ET.fromstring(site.text("feeds/all.rss.xml").encode())
    guids = [g.text for g in rss.iter("guid")]
    assert sorted(guids) == sorted(ids)
    assert all(g.get("isPermaLink") == "false" for g in rss.iter("guid"))
    assert sorted(i["id"] for i in check_feed(site, "feeds/all.json")["items"]) == sorted(ids)


def test_ids_and_feeds_are_unchanged_after_a_second_build(build_site, tmp_path):
    content = write_tree(tmp_path / "content", SITE)
    first = build_site(content=content, **PRETTY)
    second = build_site(content=content, **PRETTY)
    for rel in feed_files(first):
        if rel.endswith(".atom.xml"):
            assert atom_ids(first, rel) == atom_ids(second, rel)
        assert first.text(rel) == second.text(rel), rel
    # The ID does not move with the URL pattern or SITEURL either.
    moved = build_site(content=content, **{**PRETTY, "ARTICLE_URL": "posts/{slug}.html",
                                           "ARTICLE_SAVE_AS": "posts/{slug}.html",
                                           "SITEURL": "https://example.org/preview"})
    assert sorted(atom_ids(moved, "feeds/all.atom.xml")) == sorted(atom_ids(first, "feeds/all.atom.xml"))


def test_feed_id_metadata_pins_an_entry(build_site):
    site = build_site({"posts/a.md": "Title: A\nDate: 2024-01-01\nFeed_id: tag:example.org,2010-01-01:old\n\nText.\n"})
    assert atom_ids(site, "feeds/all.atom.xml") == ["tag:example.org,2010-01-01:old"]


def test_control_characters_never_reach_a_feed(build_site):
    body = "Before" + CONTROL + "after."
    site = build_site({
        "posts/bad.md": f"Title: Bad\x01 title\x1f\nDate: 2024-01-01\nCategory: Blog\nSummary: Sum\x0bmary\n\n{body}\n",
        "posts/ok.md": "Title: Fine\nDate: 2024-01-02\nCategory: Blog\n\nFine.\n",
    }, FEED_ALL_RSS="feeds/all.rss.xml", CATEGORY_FEED_RSS="feeds/category/{slug}.rss.xml")
    rels = feed_files(site)
    assert len(rels) == 7
    for rel in rels:
        raw = site.path(rel).read_bytes()
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw), rel
        check_feed(site, rel)
    entry = next(e for e in check_feed(site, "feeds/all.atom.xml").entries if e.title == "Bad title")
    assert "Before" in entry.content[0].value and "after." in entry.content[0].value


def test_translations_get_their_own_ids(build_site):
    site = build_site({
        "posts/a.md": "Title: Letter\nDate: 2019-09-10\nSlug: letter\n\nText.\n",
        "posts/a-es.md": "Title: Carta\nDate: 2019-09-10\nSlug: letter\nLang: es\n\nTexto.\n",
    })
    ids = atom_ids(site, "feeds/all.atom.xml")
    assert sorted(ids) == ["tag:example.org,2019-09-10:letter", "tag:example.org,2019-09-10:letter/es"]


def test_category_and_author_feeds_no_longer_collide_by_default(build_site):
    site = build_site({"posts/a.md": "Title: A\nDate: 2024-01-01\nCategory: Press\nAuthor: Press\n\nText.\n"})
    assert site.exists("feeds/category/press.atom.xml") and site.exists("feeds/author/press.atom.xml")
    assert check_feed(site, "feeds/author/press.atom.xml").feed.title == "Test Coalition — Press"


def test_json_feeds_can_be_turned_off(build_site):
    site = build_site({"posts/a.md": "Title: A\nDate: 2024-01-01\nCategory: Blog\n\nText.\n"},
                      FEED_ALL_JSON=None, CATEGORY_FEED_JSON=None)
    assert not any(rel.endswith(".json") for rel in feed_files(site))
    assert not site.soup("index.html").find("link", type="application/feed+json")


# --- a plugin's own feed (as speaker_profiles writes per-speaker feeds) --------------------

PEOPLE_PLUGIN = '''
from pelican import signals
from pelican.generators import Generator


class Person:
    def __init__(self, name):
        self.name = name


def add_people(generators):
    for generator in generators:
        for article in getattr(generator, "articles", []):
            names = article.metadata.get("people", "")
            article.speakers = [Person(n.strip()) for n in names.split(",") if n.strip()]


class PeopleFeeds(Generator):
    def generate_context(self):
        self.context.setdefault("FEED_INDEX", []).append(
            {"title": "Chief Example", "url": "feeds/people/chief-example.atom.xml",
             "type": "atom", "group": "People"})

    def generate_output(self, writer):
        articles = [a for a in self.context["articles"] if a.speakers]
        writer.write_feed(articles, self.context, "feeds/people/chief-example.atom.xml",
                          feed_title="Chief Example")


def people_generator(pelican):
    return PeopleFeeds


def register():
    signals.all_generators_finalized.connect(add_people)
    signals.get_generators.connect(people_generator)
'''


@pytest.fixture
def people_site(build_site, tmp_path):
    plugin_dir = tmp_path / "extra_plugins"
    write_tree(plugin_dir, {"fake_people/__init__.py": PEOPLE_PLUGIN})
    return build_site({
        "posts/a.md": "Title: Q&A with Chief Example\nDate: 2024-01-01\nCategory: Blog\n"
                      "People: Chief Example, Sheriff Sample\n\nQuestions and answers.\n",
        "posts/b.md": "Title: Other\nDate: 2024-01-02\nCategory: Blog\n\nNo people.\n",
    }, PLUGIN_PATHS=[str(REPO / "plugins"), str(plugin_dir)], PLUGINS=[*KIT_PLUGINS, "fake_people"])


def test_a_plugins_feed_goes_through_the_feed_writer(people_site):
    parsed = check_feed(people_site, "feeds/people/chief-example.atom.xml")
    assert parsed.feed.title == "Test Coalition — Chief Example"
    assert [e.id for e in parsed.entries] == ["tag:example.org,2024-01-01:qa-with-chief-example"]
    assert {t.term for t in parsed.entries[0].tags} == {"Blog", "Chief Example", "Sheriff Sample"}


def test_speakers_become_categories_in_every_feed(people_site):
    entry = next(e for e in check_feed(people_site, "feeds/all.atom.xml").entries if e.title.startswith("Q&A"))
    assert {"Chief Example", "Sheriff Sample"} <= {t.term for t in entry.tags}
    item = next(i for i in check_feed(people_site, "feeds/all.json")["items"] if i["title"].startswith("Q&A"))
    assert "Sheriff Sample" in item["tags"]


def test_the_hub_lists_feeds_from_the_feed_index(people_site):
    hub = people_site.soup("news-and-resources/index.html")
    base = "http://site.invalid/news-and-resources/"
    links = {urljoin(base, a["href"]): a.get_text(" ", strip=True)
             for a in hub.find(class_="hub-feeds").find_all("a")}
    assert links["http://site.invalid/feeds/people/chief-example.atom.xml"] == "Chief Example (Atom)"
    headings = [h.get_text(strip=True) for h in hub.find(class_="hub-feeds").find_all("h3")]
    assert headings == ["Whole site", "By category", "By language", "People"]
    # Atom and JSON of the site and of Blog, Pelican's English feed, the plugin's feed
    assert len(links) == 2 + 2 + 1 + 1
    for url in links:
        assert people_site.exists(url.removeprefix("http://site.invalid/")), url


# --- autodiscovery ------------------------------------------------------------------------


def alternates(soup):
    return {(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate") if link.get("type")}


def test_autodiscovery_on_the_pages_each_feed_belongs_to(site):
    site_feeds = {("application/atom+xml", "https://example.org/feeds/all.atom.xml"),
                  ("application/rss+xml", "https://example.org/feeds/all.rss.xml"),
                  ("application/feed+json", "https://example.org/feeds/all.json")}
    assert site_feeds <= alternates(site.soup("index.html"))
    category = alternates(site.soup("category/sign-on-letters.html"))
    assert {("application/atom+xml", "https://example.org/feeds/category/sign-on-letters.atom.xml"),
            ("application/rss+xml", "https://example.org/feeds/category/sign-on-letters.rss.xml"),
            ("application/feed+json", "https://example.org/feeds/category/sign-on-letters.json")} <= category
    assert not any("category/blog" in href for _, href in category)
    for _, href in alternates(site.soup("category/blog.html")):
        assert site.exists(href.replace("https://example.org/", "")), href


def test_a_translation_carries_its_language(build_site):
    site = build_site({
        "posts/a.md": "Title: Letter\nDate: 2019-09-10\nSlug: letter\n\nText.\n",
        "posts/a-es.md": "Title: Carta\nDate: 2019-09-10\nSlug: letter\nLang: es\n\nTexto.\n",
    })
    entries = ET.fromstring(site.text("feeds/all.atom.xml").encode()).findall(f"{ATOM}entry")
    langs = {e.findtext(f"{ATOM}title"): e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in entries}
    assert langs == {"Letter": None, "Carta": "es"}
    check_feed(site, "feeds/all.atom.xml")


def test_a_cached_rebuild_writes_the_same_feeds(build_site, tmp_path):
    content = write_tree(tmp_path / "content", SITE)
    cache = dict(PRETTY, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(tmp_path / "cache"))
    first = build_site(content=content, **cache)
    second = build_site(content=content, **cache)
    for rel in feed_files(first):
        assert first.text(rel) == second.text(rel), rel
    assert second.soup("category/sign-on-letters.html").find(class_="category-description") is None
    assert second.soup("2019/09/a-letter-to-congress/index.html").find(class_="post__attachments")


def test_hub_lists_author_tag_and_language_feeds_when_the_site_writes_them(build_site):
    site = build_site({
        "posts/a.md": "Title: Letter\nDate: 2019-09-10\nSlug: letter\nAuthor: Chief Example\nTags: trust\n\nText.\n",
        "posts/a-es.md": "Title: Carta\nDate: 2019-09-10\nSlug: letter\nLang: es\n\nTexto.\n",
    }, TAG_FEED_ATOM="feeds/tag/{slug}.atom.xml", TRANSLATION_FEED_ATOM="feeds/all-{lang}.atom.xml")
    feeds = site.soup("news-and-resources/index.html").find(class_="hub-feeds")
    headings = [h.get_text(strip=True) for h in feeds.find_all("h3")]
    assert headings == ["Whole site", "By category", "By language", "By author", "By tag"]
    texts = {a.get_text(" ", strip=True) for a in feeds.find_all("a")}
    assert {"español (Atom)", "Chief Example (Atom)", "trust (Atom)"} <= texts
    assert check_feed(site, "feeds/all-es.atom.xml").feed.title == "Test Coalition — español"
    for a in feeds.find_all("a"):
        assert site.exists(urljoin("http://x/news-and-resources/", a["href"]).removeprefix("http://x/")), a["href"]


# --- each entry serialized once per format (issue 8) -------------------------------------

HOSTILE = "<b>&amp;</b> ]]> \"quoted\" 'single' & < > — ñ 日本 🙂\t\n\r"


def shared_items():
    """Entries as FeedWriter builds them: shared by several feeds, with the awkward bits."""
    from datetime import datetime, timedelta, timezone

    utc = datetime(2024, 3, 5, 9, 0, tzinfo=timezone.utc)
    east = datetime(2024, 3, 5, 4, 0, tzinfo=timezone(timedelta(hours=-5)))  # the same instant
    entries = []
    for n, (lang, published, updated, enclosure) in enumerate([
        ("en", utc, utc, None),
        ("es", east, east, {"url": "https://example.org/files/a b&c.pdf", "mime": "application/pdf",
                            "size": 3000, "name": "A & B"}),
        ("en", utc, datetime(2024, 4, 1, 8, 30, tzinfo=timezone.utc), None),
        ("fr", east, None, {"url": "https://example.org/ünï.mp3", "mime": "audio/mpeg", "size": 7,
                            "name": "x"}),
    ]):
        entry = feeds.FeedEntry.__new__(feeds.FeedEntry)
        entry.link = f"https://example.org/2024/03/post-{n}/?a=1&b=\"2\""
        entry.id = f"tag:example.org,2024-03-05:post-{n}"
        entry.title = feeds.clean(f"Post {n} {HOSTILE}\x00\x0b")
        entry.content = feeds.clean(f"<p>{HOSTILE}</p><img src=\"https://example.org/i.png\">\x1f")
        entry.summary = feeds.clean(f"<p>Summary {n} {HOSTILE}</p>") if n % 2 == 0 else None
        entry.summary_text = None
        entry.published, entry.updated = published, updated or published
        entry.author = f"Chief {n} & <Co>"
        entry.lang = lang
        entry.categories = ["Blog", f"Tag & {n}", "Ann <O'Neil>", "日本"]
        entry.attachments = [enclosure] if enclosure else []
        entries.append(entry)
    return entries


def write_with(feed_class, entries, language, fragments, title="Feed"):
    feed = feed_class(title=title, link="https://example.org/", feed_url="https://example.org/f.xml",
                      description="d", language=language, author_name="Site", feed_guid="g")
    feed.fragments = fragments
    for entry in entries:
        feeds.add_entry(feed, entry, rss=feed_class is feeds.FullRssFeed)
    return feed.writeString("utf-8")


@pytest.mark.parametrize("feed_class", [feeds.LangAtomFeed, feeds.FullRssFeed])
def test_reused_entry_xml_is_what_feedgenerator_writes(feed_class, tmp_path):
    entries = shared_items()
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path)}
    # Feeds sharing entries, in other orders and subsets, in two feed languages (Atom writes
    # xml:lang on an entry whose language differs from the feed's).
    plans = [(entries, "en"), (entries[::-1], "en"), (entries[1:3], "es"), (entries, "es"),
             (entries[:1], "en")]
    total = sum(len(chosen) for chosen, _ in plans)
    for build, made in (("first", 8), ("next", 0)):
        fragments = feeds.Fragments(cache)
        feeds.Fragments.made = 0
        for chosen, language in plans:
            plain_text = write_with(feed_class, chosen, language, None)  # feedgenerator's write_items
            reused = write_with(feed_class, chosen, language, fragments)
            assert reused == plain_text
        assert "&lt;b&gt;&amp;amp;" in plain_text and "🙂" in plain_text
        # The first build serializes once per distinct (entry, feed language): 4 in en, 4 in
        # es; the next one takes every entry from the first.
        assert feeds.Fragments.made == made < total, build
        fragments.save()
    # Without the content cache nothing is kept: feedgenerator writes every item itself.
    feeds.Fragments.made = 0
    assert write_with(feed_class, entries, "en", feeds.Fragments()) == write_with(feed_class, entries, "en", None)
    assert feeds.Fragments.made == 0


def test_values_a_key_cannot_vouch_for_are_serialized_every_time():
    from markupsafe import Markup

    feed = feeds.LangAtomFeed(title="t", link="https://example.org/", description="d", language="en")
    feed.add_item(title="No date", link="https://example.org/x", description=None)
    assert feed.fragment_key(feed.items[0]) is None  # Atom writes the clock as <updated>
    rss = feeds.FullRssFeed(title="t", link="https://example.org/", description="d", language="en")
    rss.add_item(title="t", link="https://example.org/x", description="d", full_content=Markup("<i>x</i>"))
    assert rss.fragment_key(rss.items[0]) is None
    rss.items[0]["full_content"] = "<i>x</i>"
    assert rss.fragment_key(rss.items[0]) is not None
    # The same instant in another offset is written differently: different keys.
    from datetime import datetime, timedelta, timezone

    a = datetime(2024, 1, 1, 5, tzinfo=timezone.utc)
    assert feeds.frozen(a) != feeds.frozen(a.astimezone(timezone(timedelta(hours=-5))))


def feed_bytes(output):
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*"))
            if p.is_file() and "feeds" in p.parts}


def test_a_cached_rebuild_after_an_edit_serializes_only_that_post(tmp_path):
    from helpers import run_build

    content = write_tree(tmp_path / "content", SITE)
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache"),
             "SPEEDUP_PARALLEL_WRITE": False, **PRETTY}
    run_build(content, tmp_path / "first", **cache)
    everything = feeds.Fragments.made
    assert everything >= 6  # three posts, Atom and RSS
    assert (tmp_path / "cache" / feeds.Fragments.FILE).is_file()
    run_build(content, tmp_path / "again", **cache)
    assert feeds.Fragments.made == 0
    explainer = content / "posts" / "explainer.md"
    explainer.write_text(explainer.read_text(encoding="utf-8").replace("exploitation", "exploitation & <abuse>"),
                         encoding="utf-8")
    edited = run_build(content, tmp_path / "edited", **cache)
    assert feeds.Fragments.made == 2  # the edited post, once in Atom and once in RSS
    cold = run_build(content, tmp_path / "cold", **{**PRETTY, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False})
    assert feeds.Fragments.made == 0  # no cache: feedgenerator writes every entry itself
    assert feed_bytes(edited.output) == feed_bytes(cold.output)
    assert b"exploitation &amp;amp; &lt;abuse&gt;" in (edited.output / "feeds" / "all.atom.xml").read_bytes()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other code", "wrong text types"])
def test_a_damaged_or_stale_fragment_cache_is_ignored(tmp_path, damage):
    import pickle

    from helpers import run_build

    content = write_tree(tmp_path / "content", SITE)
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache"),
             "SPEEDUP_PARALLEL_WRITE": False, **PRETTY}
    first = run_build(content, tmp_path / "first", **cache)
    everything = feeds.Fragments.made
    stored = tmp_path / "cache" / feeds.Fragments.FILE
    data = pickle.loads(stored.read_bytes())
    if damage == "garbage":
        stored.write_bytes(b"not a pickle at all")
    elif damage == "truncated":
        stored.write_bytes(stored.read_bytes()[:100])
    elif damage == "other code":
        # Fragments written by other serialization code, even under the right digests, are
        # never reused.
        data["salt"] += "another feedgenerator"
        data["entries"] = {k: "<entry>stale</entry>" for k in data["entries"]}
        stored.write_bytes(pickle.dumps(data))
    else:
        data["entries"] = {k: b"<entry>bytes</entry>" for k in data["entries"]}
        stored.write_bytes(pickle.dumps(data))
    second = run_build(content, tmp_path / "second", **cache)
    assert feeds.Fragments.made == everything
    assert feed_bytes(second.output) == feed_bytes(first.output)


def test_only_feed_classes_the_code_salt_covers_are_kept_across_builds():
    class Elsewhere(feeds.LangAtomFeed):  # its code may change between builds unseen
        pass

    fragments = feeds.Fragments({"CACHE_CONTENT": True, "CACHE_PATH": "/nonexistent"})
    key = (feeds.LangAtomFeed, "en", ("title",), ("t",))
    assert fragments.digest(key) is not None
    assert fragments.digest((Elsewhere, *key[1:])) is None
    assert fragments.text((Elsewhere, *key[1:]), lambda: "<entry/>") == "<entry/>"
    assert not fragments.used
