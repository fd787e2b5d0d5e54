"""speaker_profiles: people as content, linked both ways with posts; profiles, index, feeds,
mention linking, caching and every user mistake."""

import json
import os
import sys
import time

import feedparser
import pytest
from bs4 import BeautifulSoup

from helpers import (REPO, BuildResult, assert_one_line_error, base_settings, cli_build,
                     reset_pelican_signals, write_tree)

# The plugin loads by short name through PLUGIN_PATHS; import it the same way for unit tests.
sys.path.insert(0, str(REPO / "plugins"))
from speaker_profiles.contents import describe_link, link_problem, parse_roles, split_links  # noqa: E402
from speaker_profiles.generator import group_for_index  # noqa: E402
from speaker_profiles.mentions import MentionMatcher, link_mentions, trie_pattern  # noqa: E402

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
PHOTO = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
PRETTY = dict(ARTICLE_URL="posts/{slug}/", ARTICLE_SAVE_AS="posts/{slug}/index.html", RELATIVE_URLS=True,
              SLUGIFY_SOURCE="basename")


def speaker(name, honorific="", roles="", jurisdiction="", extra="", bio="A short bio."):
    lines = [f"Name: {name}"]
    for key, value in (("Honorific", honorific), ("Roles", roles), ("Jurisdiction", jurisdiction)):
        if value:
            lines.append(f"{key}: {value}")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n\n" + bio + "\n"


def post(title, date, body, speakers="", category="News", extra=""):
    head = f"Title: {title}\n"
    if speakers:
        head += f"Speakers: {speakers}\n"
    head += f"Date: {date}\nCategory: {category}\n{extra}"
    return head + "\n" + body + "\n"


PEOPLE = {
    "speakers/ramon-batista.md": speaker(
        "Ramon Batista", "Chief", "co-chair, member", "Santa Monica, CA",
        extra=("Agency: Santa Monica Police Department\nPhoto: images/speakers/batista.svg\n"
               "Photo_alt: Chief Batista in uniform\n"
               # Continuation lines of Markdown metadata are indented by four spaces.
               "Links: https://x.com/example, https://www.linkedin.com/in/example,\n"
               "    https://bsky.app/profile/example.org, https://www.santamonica.gov/police,\n"
               "    https://blog.example.org/about, mailto:chief@example.org"),
        bio="Leads the **department**."),
    "speakers/maria-batista.md": speaker("Maria Batista", "Director", "guest-speaker", ""),
    "speakers/ed-gonzalez.md": speaker("Ed Gonzalez", "Sheriff", "co-chair", "Harris County, TX"),
    "speakers/ana-gonzalez.md": speaker("Ana Gonzalez", "Chief", "member", "Austin, TX"),
    "speakers/niel-noakes.md": speaker("Niel Noakes", "Chief", "member", "Fort Worth, TX"),
    "speakers/paco-balderrama.md": speaker("Paco Balderrama", "Chief", "member", "Fresno, CA"),
    "speakers/chad-kasmar.md": speaker("Chad Kasmar", "Chief", "co-chair, member", "Tucson, AZ"),
    "speakers/zoe-advisor.md": speaker("Zoe Adams", "", "senior-advisor", "Boise, ID"),
    "speakers/olga-retired.md": speaker("Olga Nunez", "Chief", "retired", "Reno, NV"),
    "speakers/no-role.md": speaker("Nora Quinn", "", "", ""),
    "speakers/hidden.md": speaker("Hal Hidden", "Chief", "member", "Dover, DE", extra="Status: hidden"),
    "images/speakers/batista.svg": PHOTO,
}
POSTS = {
    "posts/meeting.md": post(
        "The San Diego meeting", "2023-12-06",
        "Chief Ramon Batista opened. Later Ramon Batista spoke again.\n\n"
        "Sheriff Ed Gonzalez and Chief Ana Gonzalez both came.",
        speakers="ramon-batista, niel-noakes"),
    "posts/co-chairs.md": post(
        "Co-chairs named", "2024-01-16", "Our co-chairs lead the work.",
        speakers="ramon-batista, ed-gonzalez, chad-kasmar", category="Press"),
    "posts/older.md": post("An older note", "2022-05-01", "Nobody in particular."),
    "posts/mention-only.md": post("Fresno", "2023-03-01", "A word from Chief Paco Balderrama."),
}


def ld_of(soup):
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def run_in_process(content, output, pelican=None, **overrides):
    """Build like run_build, returning the Pelican object and the generators of the last run."""
    from pelican import Pelican, signals

    seen = {}

    def keep(generators):
        seen["generators"] = generators

    if pelican is None:
        reset_pelican_signals()
        pelican = Pelican(base_settings(content, output, **overrides))
    signals.all_generators_finalized.connect(keep)
    try:
        pelican.run()
    finally:
        signals.all_generators_finalized.disconnect(keep)
    return pelican, seen["generators"]


@pytest.fixture
def site(build_site):
    return build_site({**PEOPLE, **POSTS}, **PRETTY)


# --- mention linking: pure functions ------------------------------------------------------------


PEOPLE_FORMS = [
    ("ramon-batista", ["Chief Ramon Batista", "Ramon Batista"]),
    ("maria-batista", ["Director Maria Batista", "Maria Batista"]),
    ("ed-gonzalez", ["Sheriff Ed Gonzalez", "Ed Gonzalez"]),
    ("ana-gonzalez", ["Chief Ana Gonzalez", "Ana Gonzalez"]),
    ("ann-lee", ["Ann Lee"]),
    ("mary-ann-lee", ["Mary Ann Lee"]),
    ("pat-obrien", ["Pat O'Brien"]),
]


def linked(html):
    """[(link text, href)] of the mention links in ``html``."""
    soup = BeautifulSoup(html, "html.parser")
    return [(a.get_text(), a["href"]) for a in soup.find_all("a", class_="speaker-mention")]


def run(html, people=PEOPLE_FORMS):
    return link_mentions(html, MentionMatcher(people), lambda slug: f"/p/{slug}/")


def test_honorific_form_wins_and_only_first_mention_is_linked():
    html, mentioned = run("<p>Chief Ramon Batista spoke. Then Ramon Batista and Chief Ramon Batista again.</p>")
    assert linked(html) == [("Chief Ramon Batista", "/p/ramon-batista/")]
    assert mentioned == ["ramon-batista"]
    assert html.count("Ramon Batista") == 3


def test_existing_links_headings_code_and_attributes_are_left_alone():
    source = ('<h2>Ramon Batista</h2><p><a href="/x">Chief Ramon Batista</a> '
              '<img alt="Ed Gonzalez" src="a.png"> <span title="Ana Gonzalez">t</span></p>'
              "<pre>Maria Batista</pre><p><code>Maria Batista</code></p>"
              "<script>var n = 'Maria Batista';</script><style>/* Maria Batista */</style>"
              "<!-- Ed Gonzalez -->"
              "<p>Then Ramon Batista said hello.</p>")
    html, mentioned = run(source)
    assert linked(html) == [("Ramon Batista", "/p/ramon-batista/")]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h2.get_text() == "Ramon Batista" and not soup.h2.find("a")
    assert soup.find("a", href="/x").get_text() == "Chief Ramon Batista"
    assert soup.img["alt"] == "Ed Gonzalez" and soup.span["title"] == "Ana Gonzalez"
    assert not soup.pre.find("a") and not soup.code.find("a")
    # Seen in a heading or a link, a person still appears in the post; code and attributes do not count.
    assert mentioned == ["ramon-batista"]


def test_names_sharing_a_surname_link_the_right_person():
    html, mentioned = run("<p>Director Maria Batista presented. Chief Batista listened; "
                          "later Ramon Batista asked a question.</p>")
    assert linked(html) == [("Director Maria Batista", "/p/maria-batista/"),
                            ("Ramon Batista", "/p/ramon-batista/")]
    assert mentioned == ["maria-batista", "ramon-batista"]


def test_two_people_with_the_same_last_name():
    html, mentioned = run("<p>Sheriff Ed Gonzalez and Chief Ana Gonzalez met. Gonzalez said yes.</p>")
    assert linked(html) == [("Sheriff Ed Gonzalez", "/p/ed-gonzalez/"),
                            ("Chief Ana Gonzalez", "/p/ana-gonzalez/")]
    assert mentioned == ["ed-gonzalez", "ana-gonzalez"]


def test_a_name_inside_a_longer_name_or_word_is_not_a_mention():
    html, mentioned = run("<p>Mary Ann Lee came. JoAnn Lee and Ann Leeds did not. Ann Lee did.</p>")
    assert linked(html) == [("Mary Ann Lee", "/p/mary-ann-lee/"), ("Ann Lee", "/p/ann-lee/")]
    assert mentioned == ["mary-ann-lee", "ann-lee"]


def test_names_across_line_breaks_inline_markup_and_typographic_apostrophes():
    html, _ = run("<p>Chief Ramon\n  Batista and Pat O\u2019Brien and <em>Ed Gonzalez</em>.</p>")
    assert linked(html) == [("Chief Ramon\n  Batista", "/p/ramon-batista/"),
                            ("Pat O\u2019Brien", "/p/pat-obrien/"),
                            ("Ed Gonzalez", "/p/ed-gonzalez/")]


def test_text_without_mentions_is_returned_untouched():
    source = "<p>Caf&eacute;&nbsp;talk <br> with <b>nobody</b> we know.</p>"
    html, mentioned = run(source)
    assert html is source and mentioned == []
    only_attr = '<p><img alt="Ramon Batista" src="x.png"></p>'
    html, mentioned = run(only_attr)
    assert html == only_attr and mentioned == []


def test_a_name_two_people_share_links_nobody():
    matcher = MentionMatcher([("a", ["Chief Sam Lee", "Sam Lee"]), ("b", ["Sheriff Sam Lee", "Sam Lee"])])
    assert matcher.ambiguous == ["Sam Lee"]
    html, mentioned = link_mentions("<p>Sam Lee and Sheriff Sam Lee</p>", matcher, lambda s: s)
    assert linked(html) == [("Sheriff Sam Lee", "b")] and mentioned == ["b"]


def test_trie_pattern_matches_exactly_the_forms():
    import re

    forms = ["Ann Lee", "Ann Leeds", "Anna Lee", "Bo", "Bob", "Bob Ray", "C.J. Roe"]
    regex = re.compile(r"(?:" + trie_pattern(forms) + r")\Z")
    for form in forms:
        assert regex.match(form), form
    for other in ("Ann Le", "Ann", "Anna", "B", "Bob R", "CxJ. Roe", "Ann Leed"):
        assert not regex.match(other), other


def test_the_matcher_is_one_regex_whatever_the_number_of_people():
    people = [(f"p{i}", [f"Chief First{i} Last{i}", f"First{i} Last{i}"]) for i in range(500)]
    matcher = MentionMatcher(people)
    html, mentioned = link_mentions("<p>Chief First321 Last321 and First7 Last7 and First70 Last70 and First7 Last70.</p>",
                                    matcher, lambda s: s)
    assert mentioned == ["p321", "p7", "p70"]
    assert [t for t, _h in linked(html)] == ["Chief First321 Last321", "First7 Last7", "First70 Last70"]


# --- metadata parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize("url,kind,host", [
    ("https://x.com/a", "x", "x.com"),
    ("https://twitter.com/a", "x", "twitter.com"),
    ("https://www.linkedin.com/in/a", "linkedin", "linkedin.com"),
    ("https://m.facebook.com/a", "facebook", "facebook.com"),
    ("https://bsky.app/profile/a", "bluesky", "bsky.app"),
    ("https://www.instagram.com/a", "instagram", "instagram.com"),
    ("https://youtu.be/a", "youtube", "youtu.be"),
    ("https://www.fortworthtexas.gov/police", "gov", "fortworthtexas.gov"),
    ("https://blog.example.org/", "web", "blog.example.org"),
    ("mailto:a@example.org", "email", ""),
])
def test_known_hosts_get_a_kind(url, kind, host):
    assert describe_link(url) == {"url": url, "kind": kind, "host": host}


@pytest.mark.parametrize("url,fragment", [
    ("javascript:alert(1)", "javascript: scheme"),
    (" JavaScript:alert(1)", "javascript: scheme"),
    ("data:text/html,x", "data: scheme"),
    ("example.org/a", "not a full URL"),
    ("https:///nohost", "no host"),
])
def test_unsafe_links_are_refused(url, fragment):
    assert fragment in link_problem(url.strip())


def test_lists_in_metadata():
    assert parse_roles("Co-Chair, senior advisor, co-chair") == ["co-chair", "senior-advisor"]
    assert split_links("https://a.org/x,y, https://b.org\n https://c.org") == [
        "https://a.org/x,y", "https://b.org", "https://c.org"]
    assert split_links(["https://a.org", "https://b.org, https://c.org"]) == [
        "https://a.org", "https://b.org", "https://c.org"]


def test_index_groups_unknown_roles_after_known_ones_and_people_without_roles_last():
    from types import SimpleNamespace

    def person(name, roles, state=""):
        return SimpleNamespace(name=name, roles=roles, state_name=state)

    people = [person("Al Zed", ["board"]), person("Bo Young", []), person("Cy Xu", ["member"], "Iowa"),
              person("Di Wu", ["alumni", "board"]), person("Ed Vo", ["member", "co-chair"], "Texas"),
              person("Fa Ul", ["member"], "Alaska"), person("Gil Ul", ["member"], "Alaska")]
    groups = group_for_index(people, ["co-chair", "member"])
    assert [g["role"] for g in groups] == ["co-chair", "member", "alumni", "board", ""]
    assert groups[0]["featured"] and not groups[1]["featured"]
    assert [[p.name for p in s["speakers"]] for s in groups[1]["states"]] == [["Fa Ul", "Gil Ul"], ["Cy Xu"]]
    assert [s["state_name"] for s in groups[1]["states"]] == ["Alaska", "Iowa"]
    assert [p.name for p in groups[3]["states"][0]["speakers"]] == ["Al Zed"]


# --- pages ----------------------------------------------------------------------------------------


def test_profile_page_shows_everything(site):
    soup = site.soup("speakers/ramon-batista/index.html")
    profile = soup.find("article", class_="speaker-profile")
    assert profile.h1.get_text(" ", strip=True) == "Chief Ramon Batista"
    assert profile.find(class_="speaker-profile__honorific").get_text() == "Chief"
    assert profile.find(class_="speaker-profile__roles").get_text(strip=True) == "Co-chair, Member"
    assert profile.find(class_="speaker-profile__agency").get_text() == "Santa Monica Police Department"
    assert profile.find(class_="speaker-profile__jurisdiction").get_text() == "Santa Monica, CA"
    assert profile.find(class_="speaker-profile__bio").strong.get_text() == "department"
    photo = profile.find("img", class_="speaker-profile__photo")
    assert photo["alt"] == "Chief Batista in uniform"
    assert photo["src"] == "../../images/speakers/batista.svg" and site.exists("images/speakers/batista.svg")
    labels = [a.get_text() for a in profile.find(class_="speaker-links").find_all("a")]
    assert labels == ["X", "LinkedIn", "Bluesky", "santamonica.gov", "blog.example.org", "Email"]
    items = profile.find(class_="speaker-posts").find_all("li")
    assert [li.a.get_text() for li in items] == ["Co-chairs named", "The San Diego meeting"]
    assert [li.time["datetime"][:10] for li in items] == ["2024-01-16", "2023-12-06"]
    assert items[0].time.get_text() == "January 16, 2024"
    assert items[0].a["href"] == "../../posts/co-chairs/"


def test_profile_person_json_ld(site):
    person = ld_of(site.soup("speakers/ramon-batista/index.html"))[0]
    assert person["@type"] == "Person" and person["name"] == "Ramon Batista"
    assert person["honorificPrefix"] == "Chief"
    assert person["url"] == "https://example.org/speakers/ramon-batista/"
    assert person["image"] == "https://example.org/images/speakers/batista.svg"
    assert person["worksFor"]["name"] == "Santa Monica Police Department"
    assert person["workLocation"]["name"] == "Santa Monica, CA"
    assert "https://x.com/example" in person["sameAs"] and "mailto:chief@example.org" not in person["sameAs"]
    assert person["memberOf"]["roleName"] == ["Co-chair", "Member"]


def test_photo_alt_defaults_to_the_name_and_cards_hide_the_photo(build_site):
    files = {"speakers/jane.md": speaker("Jane Doe", "Chief", extra="Photo: people/jane.svg"),
             "people/jane.svg": PHOTO, "posts/a.md": post("A", "2024-01-01", "x", speakers="jane")}
    site = build_site(files, STATIC_SAVE_AS="static/{path}", STATIC_URL="static/{path}", **PRETTY)
    img = site.soup("speakers/jane/index.html").find("img", class_="speaker-profile__photo")
    assert img["alt"] == "Photo of Chief Jane Doe"
    # Outside STATIC_PATHS, the photo is still copied, and linked where it was published.
    assert site.exists("static/people/jane.svg")
    assert img["src"] == "../../static/people/jane.svg"
    card = site.soup("posts/a/index.html").find(class_="speaker-card")
    assert card.img["alt"] == "" and card.a.get_text(" ", strip=True) == "Chief Jane Doe"


def test_post_shows_cards_and_links_mentions(site):
    soup = site.soup("posts/meeting/index.html")
    section = soup.find("section", class_="post-people")
    names = [a.get_text(" ", strip=True) for a in section.find_all("a", class_="speaker-card__name")]
    # Named first (in metadata order), then the people only mentioned, in order of mention.
    assert names == ["Chief Ramon Batista", "Chief Niel Noakes", "Sheriff Ed Gonzalez", "Chief Ana Gonzalez"]
    assert section.find("a", class_="speaker-card__name")["href"] == "../../speakers/ramon-batista/"
    filters = [s.get_text() for s in section.find_all(attrs={"data-pagefind-filter": "speaker"})]
    assert filters == ["Ramon Batista", "Niel Noakes", "Ed Gonzalez", "Ana Gonzalez"]
    body = soup.find(class_="post__body")
    assert [(a.get_text(), a["href"]) for a in body.find_all("a", class_="speaker-mention")] == [
        ("Chief Ramon Batista", "../../speakers/ramon-batista/"),
        ("Sheriff Ed Gonzalez", "../../speakers/ed-gonzalez/"),
        ("Chief Ana Gonzalez", "../../speakers/ana-gonzalez/"),
    ]
    # The post's own JSON-LD (discovery) mentions every person, linked to the profile.
    [post] = [d for d in ld_of(soup) if d.get("@type") in ("BlogPosting", "NewsArticle")]
    assert [p["name"] for p in post["mentions"]] == ["Ramon Batista", "Niel Noakes", "Ed Gonzalez", "Ana Gonzalez"]
    assert post["mentions"][0]["url"].endswith("/speakers/ramon-batista/")
    assert not site.soup("posts/older/index.html").find("section", class_="post-people")


def test_mentioned_people_list_the_post_too(site):
    items = site.soup("speakers/paco-balderrama/index.html").find(class_="speaker-posts").find_all("a")
    assert [a.get_text() for a in items] == ["Fresno"]
    empty = site.soup("speakers/zoe-advisor/index.html")
    assert not empty.find(class_="speaker-posts") and "No posts yet." in empty.get_text()


def test_speaker_files_are_never_articles_or_pages(site):
    titles = [a.get_text() for a in site.soup("index.html").select(".post-summary__title a")]
    assert sorted(titles) == sorted(["The San Diego meeting", "Co-chairs named", "An older note", "Fresno"])
    assert not any("speakers" in rel and not rel.startswith("speakers/") for rel in site.html_files())
    assert not site.exists("pages/ramon-batista.html") and not site.exists("posts/ramon-batista/index.html")


def test_index_orders_co_chairs_first_then_role_then_state(site):
    soup = site.soup("speakers/index.html")
    groups = soup.find_all("section", class_="speaker-group")
    assert [g.h2.get_text() for g in groups] == [
        "Co-chairs", "Senior advisors", "Members", "Guest speakers", "Retired", "More people"]
    co_chairs = [a.get_text(" ", strip=True) for a in groups[0].find_all("a")]
    assert co_chairs == ["Chief Ramon Batista", "Sheriff Ed Gonzalez", "Chief Chad Kasmar"]
    assert not groups[0].find("h3")
    members = groups[2]
    assert [h.get_text() for h in members.find_all("h3")] == ["California", "Texas"]
    per_state = [[a.get_text(" ", strip=True) for a in ul.find_all("a")] for ul in members.find_all("ul")]
    assert per_state == [["Chief Paco Balderrama"], ["Chief Ana Gonzalez", "Chief Niel Noakes"]]
    everyone = [a["href"] for a in soup.find("main").find_all("a", class_="speaker-card__name")]
    assert len(everyone) == len(set(everyone)) == 10  # each person once; the hidden one not at all
    assert "../speakers/hidden/" not in everyone and site.exists("speakers/hidden/index.html")
    for href in everyone:
        assert site.exists(href.replace("../", "", 1) + "index.html"), href


def test_metadata_is_escaped_everywhere(build_site):
    files = {"speakers/evil.md": speaker(HOSTILE, HOSTILE, HOSTILE, HOSTILE, extra=f"Agency: {HOSTILE}"),
             "posts/a.md": post("A", "2024-01-01", "x", speakers="evil")}
    site = build_site(files, **PRETTY)
    for rel in ("speakers/evil/index.html", "speakers/index.html", "posts/a/index.html"):
        soup = site.soup(rel)
        assert not soup.find("img", src="x"), rel
        assert not [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"], rel
    person = ld_of(site.soup("speakers/evil/index.html"))[0]
    assert person["name"] == " ".join(HOSTILE.split())


# --- feeds ----------------------------------------------------------------------------------------


def test_per_speaker_feeds_parse_and_hold_the_right_posts(build_site):
    site = build_site({**PEOPLE, **POSTS}, **{**PRETTY, "RELATIVE_URLS": False, "SITEURL": "https://example.org"})
    for kind in ("atom", "rss"):
        feed = feedparser.parse(site.text(f"feeds/speaker/ramon-batista.{kind}.xml"))
        assert feed.bozo == 0, feed.bozo_exception
        assert [e.title for e in feed.entries] == ["Co-chairs named", "The San Diego meeting"]
        assert feed.entries[0].link == "https://example.org/posts/co-chairs/"
        assert "Chief Ramon Batista" in feed.feed.title
    mention_only = feedparser.parse(site.text("feeds/speaker/paco-balderrama.atom.xml"))
    assert [e.title for e in mention_only.entries] == ["Fresno"]
    # The post body in the feed links the profile with an absolute URL.
    assert 'href="https://example.org/speakers/paco-balderrama/"' in mention_only.entries[0].content[0].value
    assert not site.exists("feeds/speaker/zoe-advisor.atom.xml")


def test_profile_has_feed_autodiscovery(site):
    soup = site.soup("speakers/ramon-batista/index.html")
    links = {l["type"]: l["href"] for l in soup.find_all("link", rel="alternate")
             if "speaker" in l["href"]}
    assert links == {"application/atom+xml": "https://example.org/feeds/speaker/ramon-batista.atom.xml",
                     "application/rss+xml": "https://example.org/feeds/speaker/ramon-batista.rss.xml"}
    assert not [l for l in site.soup("speakers/zoe-advisor/index.html").find_all("link", rel="alternate")
                if "speaker" in l["href"]]


def test_feed_paths_and_urls_are_settings(build_site):
    files = {**{k: v for k, v in PEOPLE.items() if "ramon" in k or k.endswith(".svg")},
             "posts/a.md": post("A", "2024-01-01", "x", speakers="ramon-batista")}
    site = build_site(files, SPEAKER_FEED_RSS=None, SPEAKER_FEED_ATOM="people/{slug}/feed.xml",
                      SPEAKER_FEED_ATOM_URL="people/{slug}/feed/", **PRETTY)
    assert feedparser.parse(site.text("people/ramon-batista/feed.xml")).bozo == 0
    assert not list(site.output.rglob("*.rss.xml")) or not site.exists("feeds/speaker/ramon-batista.rss.xml")
    links = [l["href"] for l in site.soup("speakers/ramon-batista/index.html").find_all("link", rel="alternate")]
    assert "https://example.org/people/ramon-batista/feed/" in links


def test_context_feed_index_and_every_article_has_speakers(tmp_path):
    content = write_tree(tmp_path / "content", {**PEOPLE, **POSTS})
    _pelican, generators = run_in_process(content, tmp_path / "out", **PRETTY)
    context = generators[0].context
    index = [f for f in context["FEED_INDEX"] if "/speaker/" in f["url"]]
    assert {"title": "Chief Ramon Batista", "url": "feeds/speaker/ramon-batista.atom.xml",
            "type": "atom", "group": "People"} in index
    assert {f["type"] for f in index} == {"atom", "rss"}
    assert not [f for f in index if "zoe" in f["url"] or "hidden" in f["url"]]
    people = context["speakers"]
    assert "hidden" not in [p.slug for p in people] and len(people) == 10
    for person in people:
        assert person.url and person.save_as and person.name and person.source_path
    articles = generators[0].articles
    assert articles and all(isinstance(a.speakers, list) for a in articles)
    by_title = {a.title: [s.slug for s in a.speakers] for a in articles}
    assert by_title["An older note"] == []
    assert by_title["Co-chairs named"] == ["ramon-batista", "ed-gonzalez", "chad-kasmar"]
    assert by_title["Fresno"] == ["paco-balderrama"]


# --- settings -------------------------------------------------------------------------------------


def test_mention_linking_can_be_turned_off(build_site):
    site = build_site({**PEOPLE, **POSTS}, SPEAKER_LINK_MENTIONS=False, **PRETTY)
    soup = site.soup("posts/meeting/index.html")
    assert not soup.find("a", class_="speaker-mention")
    names = [a.get_text(" ", strip=True) for a in soup.find_all("a", class_="speaker-card__name")]
    assert names == ["Chief Ramon Batista", "Chief Niel Noakes"]
    assert not site.soup("posts/mention-only/index.html").find("section", class_="post-people")


def test_urls_and_index_title_are_settings(build_site):
    files = {"people/jane.md": speaker("Jane Doe"), "posts/a.md": post("A", "2024-01-01", "Jane Doe.")}
    site = build_site(files, SPEAKER_PATHS=["people"], SPEAKER_URL="team/{slug}.html",
                      SPEAKER_SAVE_AS="team/{slug}.html", SPEAKERS_URL="team/",
                      SPEAKERS_SAVE_AS="team/index.html", SPEAKERS_TITLE="Our team", **PRETTY)
    assert site.exists("team/jane.html")
    index = site.soup("team/index.html")
    assert index.h1.get_text() == "Our team"
    assert site.soup("posts/a/index.html").find("a", class_="speaker-mention")["href"] == "../../team/jane.html"
    assert not site.exists("speakers/index.html")


def test_without_the_plugin_speakers_metadata_is_ignored(build_site):
    plugins = ["blog_sections", "get_involved"]
    site = build_site({"posts/a.md": post("A", "2024-01-01", "x", speakers="jane-doe, john-roe")},
                      PLUGINS=plugins, **PRETTY)
    soup = site.soup("posts/a/index.html")
    assert not soup.find("section", class_="post-people")
    assert not site.exists("speakers/index.html")


def test_a_translated_profile_shares_the_slug(build_site):
    files = {"speakers/jane.md": speaker("Jane Doe", "Chief", "member", "Austin, TX"),
             "speakers/jane-es.md": speaker("Jane Doe", "Jefa", "member", "Austin, TX",
                                            extra="Slug: jane\nLang: es", bio="Una biografía."),
             "posts/a.md": post("A", "2024-01-01", "Chief Jane Doe spoke.")}
    site = build_site(files, **PRETTY)
    assert site.exists("speakers/jane/index.html") and site.exists("speakers/jane/es/index.html")
    spanish = site.soup("speakers/jane/es/index.html")
    assert spanish.html["lang"] == "es" and "Una biografía." in spanish.get_text()
    assert [a.get_text() for a in spanish.find(class_="speaker-posts").find_all("a")] == ["A"]
    english = site.soup("speakers/jane/index.html")
    assert english.find(class_="speaker-profile__translations").a["href"] == "../../speakers/jane/es/"
    cards = site.soup("speakers/index.html").find_all("a", class_="speaker-card__name")
    assert [a["href"] for a in cards] == ["../speakers/jane/"]


def test_site_without_speaker_files(build_site):
    site = build_site({"posts/a.md": post("A", "2024-01-01", "x")}, **PRETTY)
    assert not site.exists("speakers/index.html")
    assert not site.soup("posts/a/index.html").find("section", class_="post-people")


# --- caching and autoreload --------------------------------------------------------------------


def _edit(path, text):
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_edited_speaker_changes_the_next_build_with_the_cache_on(tmp_path, layer):
    files = {"speakers/jane-doe.md": speaker("Jane Doe", "Chief"),
             "posts/a.md": post("A", "2024-01-01", "Chief Jane Doe met Janet Roe.", speakers="jane-doe"),
             "posts/b.md": post("B", "2024-02-01", "Nothing about anyone.")}
    content = write_tree(tmp_path / "content", files)
    out = tmp_path / "out"
    cache = dict(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CONTENT_CACHING_LAYER=layer,
                 CACHE_PATH=str(tmp_path / "cache"), **PRETTY)

    def mentions():
        soup = BuildResult(out, "").soup("posts/a/index.html")
        return [(a.get_text(), a["href"]) for a in soup.find("div", class_="post__body").find_all("a")]

    pelican, _ = run_in_process(content, out, **cache)
    assert mentions() == [("Chief Jane Doe", "../../speakers/jane-doe/")]
    assert any((tmp_path / "cache").iterdir())

    # As `pelican --autoreload` does: the same Pelican object runs again after a save. Post A is
    # unchanged (read from the cache); a speaker was edited and one added.
    _edit(content / "speakers/jane-doe.md", speaker("Jane Doe", "Director"))
    _edit(content / "speakers/janet-roe.md", speaker("Janet Roe", "Sheriff"))
    _edit(content / "posts/b.md", post("B", "2024-02-01", "Now about Sheriff Janet Roe."))
    run_in_process(content, out, pelican=pelican)
    expected = [("Jane Doe", "../../speakers/jane-doe/"), ("Janet Roe", "../../speakers/janet-roe/")]
    assert mentions() == expected
    profile = BuildResult(out, "").soup("speakers/jane-doe/index.html")
    assert profile.h1.get_text(" ", strip=True) == "Director Jane Doe"
    janet = BuildResult(out, "").soup("speakers/janet-roe/index.html")
    assert [a.get_text() for a in janet.find(class_="speaker-posts").find_all("a")] == ["B", "A"]

    # A fresh process reading the cache from disk sees the same.
    _, generators = run_in_process(content, out, **cache)
    assert mentions() == expected
    cached = [a for a in generators[0].articles if a.title == "A"][0]
    assert [s.name for s in cached.speakers] == ["Jane Doe", "Janet Roe"]


# --- errors ---------------------------------------------------------------------------------------


# Every case in tests/bad_input_speaker_profiles.py runs in the quality gate, tests/test_bad_input.py.


def test_misspelt_setting_is_refused(tmp_path):
    code, log = cli_build(tmp_path, {"posts/a.md": post("A", "2024-01-01", "x")},
                          {"SPEAKER_LINK_MENTION": False})
    assert_one_line_error(code, log, "SPEAKER_LINK_MENTION", "did you mean SPEAKER_LINK_MENTIONS?")


# --- the LEITF site -------------------------------------------------------------------------------

DEC_2023 = ("2023/12/blog-post-open-channels-of-collaboration-between-local-law-enforcement-"
            "agencies-and-the-federal-government/index.html")
LEITF_PEOPLE = {
    "robert-luna": "Sheriff Robert Luna", "ramon-batista": "Chief Ramon Batista",
    "niel-noakes": "Chief Niel Noakes", "paco-balderrama": "Chief Paco Balderrama",
    "ed-gonzalez": "Sheriff Ed Gonzalez", "chad-kasmar": "Chief Chad Kasmar",
    "michael-tupper": "Chief Michael Tupper",
}


def test_leitf_profiles_index_and_menu(leitf_site_build):
    out = leitf_site_build
    assert out.exists("speakers/index.html")
    for slug, name in LEITF_PEOPLE.items():
        soup = out.soup(f"speakers/{slug}/index.html")
        assert soup.h1.get_text(" ", strip=True) == name
        assert soup.find(class_="speaker-profile__bio").get_text(strip=True)
    index = out.soup("speakers/index.html")
    first = index.find("section", class_="speaker-group")
    assert first.h2.get_text() == "Co-chairs"
    assert {a.get_text(" ", strip=True) for a in first.find_all("a")} == {
        "Sheriff Ed Gonzalez", "Chief Chad Kasmar", "Chief Michael Tupper", "Chief Ramon Batista"}
    nav = out.soup("index.html").find("nav", class_="site-nav")
    assert nav.find("a", href="./speakers/")


def test_leitf_december_post_links_its_people_and_profiles_list_it(leitf_site_build):
    out = leitf_site_build
    soup = out.soup(DEC_2023)
    hrefs = {a["href"] for a in soup.find("main").find_all("a")}
    body_links = {a.get_text(): a["href"] for a in soup.find(class_="post__body").find_all("a", class_="speaker-mention")}
    for slug, name in list(LEITF_PEOPLE.items())[:4]:
        assert f"../../../speakers/{slug}/" in hrefs, slug
        assert body_links[name] == f"../../../speakers/{slug}/"
        profile = out.soup(f"speakers/{slug}/index.html")
        posts = [a["href"] for a in profile.find(class_="speaker-posts").find_all("a")]
        assert "../../" + DEC_2023.replace("index.html", "") in posts
        feed = feedparser.parse(out.text(f"feeds/speaker/{slug}.atom.xml"))
        assert feed.bozo == 0 and any("Open Channels" in e.title for e in feed.entries)
    release = out.soup("2024/01/press-release-law-enforcement-immigration-task-force-names-its-2024-co-chairs/index.html")
    cards = {a["href"] for a in release.find_all("a", class_="speaker-card__name")}
    assert {f"../../../speakers/{s}/" for s in ("ed-gonzalez", "chad-kasmar", "michael-tupper", "ramon-batista")} <= cards


def test_linked_html_is_reused_only_while_its_inputs_are_unchanged(tmp_path):
    """The devserver case: with the content cache on, an unchanged post is not parsed again."""
    import importlib

    mentions = importlib.import_module("speaker_profiles.mentions")
    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    ana = mentions.MentionMatcher([("ana", ["Ana Flores"])])
    hrefs = {"ana": "{filename}/speakers/ana.md"}
    html = "<p>Ana Flores spoke.</p>"
    calls = []

    def compute(matcher, links):
        def run():
            calls.append(1)
            return mentions.link_mentions(html, matcher, links.__getitem__)
        return run

    first = mentions.LinkedCache(settings, ana, hrefs)
    linked = first.link(html, compute(ana, hrefs))
    first.save()
    assert 'class="speaker-mention"' in linked[0] and len(calls) == 1
    again = mentions.LinkedCache(settings, ana, hrefs)
    assert again.link(html, compute(ana, hrefs)) == linked and len(calls) == 1
    # Another person, or a profile that moved, changes the key: computed afresh.
    both = mentions.MentionMatcher([("ana", ["Ana Flores"]), ("bo", ["Bo Lee"])])
    mentions.LinkedCache(settings, both, {**hrefs, "bo": "x"}).link(html, compute(both, {**hrefs, "bo": "x"}))
    moved = {"ana": "{filename}/people/ana.md"}
    mentions.LinkedCache(settings, ana, moved).link(html, compute(ana, moved))
    assert len(calls) == 3
    # Without LOAD_CONTENT_CACHE nothing is read back.
    mentions.LinkedCache({**settings, "LOAD_CONTENT_CACHE": False}, ana, hrefs).link(html, compute(ana, hrefs))
    assert len(calls) == 4
