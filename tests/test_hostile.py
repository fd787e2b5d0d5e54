"""Gate: hostile text in metadata, bodies and settings is shown as text and never runs.

Two builds of a site full of script tags, broken-out attributes, `</script>`, `javascript:`
URLs, quotes, ampersands and right-to-left text: one with every kit plugin, and one with the
theme alone (no get_involved, whose checks refuse `javascript:` in SOCIAL and CALLS_TO_ACTION),
so the theme's own defences are tested too. Each site is built once per session.
tests/browser/test_hostile_browser.py opens every page of both in Chromium.
"""

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from helpers import BuildResult, cli_build, record_gate_count

# Every payload sets window.__pwned or opens a dialog if it ever runs.
SCRIPT = "<script>window.__pwned='script';alert(1)</script>"
BREAKOUT = "\"><img src=x onerror=\"window.__pwned='img';alert(2)\">"
END_SCRIPT = "</script><script>window.__pwned='end';alert(3)</script>"
JS_URL = "javascript:window.__pwned='url';alert(4)"
JS_URLS = [JS_URL, " JaVaScRiPt:alert(5)", "java\tscript:alert(6)", "\x01javascript:alert(7)"]
TEXT = "Tom & Jerry's \"quoted\" <b>bold</b> — مرحبا بالعالم \u202eevil\u202c שלום"
PAYLOADS = [SCRIPT, BREAKOUT, END_SCRIPT, TEXT]

TITLE = f"Breaking {BREAKOUT} news {END_SCRIPT}"
SUMMARY = f"Summary {SCRIPT} {BREAKOUT} {TEXT}"
AUTHOR = f"Ann {BREAKOUT}"
CATEGORY = f"News {SCRIPT}"
TAG = f"tag {BREAKOUT}"


def meta(**fields):
    return "".join(f"{k.replace('_', ' ').title().replace(' ', '_')}: {v}\n" for k, v in fields.items())


BODY = f"""
A paragraph with {TEXT.replace('<b>', '&lt;b&gt;').replace('</b>', '&lt;/b&gt;')}.

{SCRIPT}

<p onclick="window.__pwned='click'">Raw HTML with a handler.</p>
<a href="{JS_URL}">a javascript link</a> and <a href="&#106;avascript:alert(8)">an encoded one</a>
<img src="x" alt="broken" onerror="window.__pwned='body-img'">
<svg onload="window.__pwned='svg'"><circle r="1"/></svg>
<iframe src="javascript:alert(9)" title="frame"></iframe>
<form action="javascript:alert(10)"><button formaction="javascript:alert(11)">Go</button></form>

[Markdown javascript link]({JS_URL}) and [spaced]( javascript:alert(12))

| Left | Right |
|:-----|------:|
| a    | b     |
"""

FILES = {
    "posts/hostile.md": meta(title=TITLE, date="2024-02-01 10:00", category=CATEGORY, tags=TAG,
                             author=AUTHOR, summary=SUMMARY, slug="hostile-post") + "\n" + BODY,
    "posts/hostile-es.md": meta(title=f"Noticias {SCRIPT} «{TEXT}»", date="2024-02-01 10:00",
                                category=CATEGORY, slug="hostile-post", lang="es",
                                summary=f"Resumen {END_SCRIPT}") + "\nTexto en español.\n",
    "posts/plain.md": meta(title="A plain post", date="2024-01-01", category="Plain", speakers="eve",
                           attachments="files/tom&jerry's report.pdf") + "\nPlain text about Eve Hostile.\n",
    "files/tom&jerry's report.pdf": b"%PDF-1.4\n% a tiny stand-in\n%%EOF\n",
    "speakers/eve.md": meta(name="Eve Hostile", honorific=SCRIPT, roles=f"co-chair, {END_SCRIPT}",
                            agency=TEXT, jurisdiction=f"Town {BREAKOUT}, ST",
                            links="https://example.org/a?x=1&y=2") + "\n" + BODY,
    "categories/plain.md": meta(title=f"Plain {SCRIPT}", label=BREAKOUT, order="1") + "\n" + BODY,
    "pages/about.md": meta(title=f"About {END_SCRIPT}", slug="about", summary=BREAKOUT) + "\n" + BODY,
    "pages/contact.md": meta(title=f"Contact {SCRIPT}", slug="contact") + "\nWrite to us.\n",
}

BASE = {
    "SITENAME": f"Coalition {END_SCRIPT} {BREAKOUT}",
    "SITE_SHORT_NAME": SCRIPT,
    "SITE_TAGLINE": TEXT,
    "SITE_DESCRIPTION": f"Description {BREAKOUT}",
    "SITE_FOOTER_TEXT": f"Footer {SCRIPT}",
    "SITE_LEGAL_LINKS": [(f"Legal {BREAKOUT}", JS_URL), ("Privacy", "about/")],
    "MENUITEMS": [(f"Menu {SCRIPT}", "about/"), (f"Evil {END_SCRIPT}", JS_URL)]
                 + [(f"Evil {i}", url) for i, url in enumerate(JS_URLS[1:])],
    "FEED_DOMAIN": "https://hostile.example.org",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "PAGE_URL": "{slug}/",
    "PAGE_SAVE_AS": "{slug}/index.html",
    "CONTACT_URL": "contact/",
    "CONTACT_EMAIL": "press@hostile.example.org",
}
SAFE_SOCIAL = [(f"Follow {SCRIPT}", "https://example.org/@coalition"), (TEXT, "feeds/all.atom.xml")]
SAFE_CTA = [(f"Contact {BREAKOUT}", "contact/"), (END_SCRIPT, "about/")]
VARIANTS = {
    # get_involved refuses javascript: in SOCIAL and CALLS_TO_ACTION, so those stay safe here.
    "kit": {**BASE, "SOCIAL": SAFE_SOCIAL, "CALLS_TO_ACTION": SAFE_CTA},
    # The theme alone must drop them.
    "theme": {**BASE, "PLUGINS": ["speaker_profiles", "blog_sections"],
              "SOCIAL": SAFE_SOCIAL + [(f"Bad {SCRIPT}", url) for url in JS_URLS],
              "CALLS_TO_ACTION": SAFE_CTA + [(f"Bad {BREAKOUT}", url) for url in JS_URLS]},
}


def hostile_cases():
    """How many (place, payload) pairs the fixture plants: the count the report gives."""
    places = 0
    for variant in VARIANTS.values():
        for value in variant.values():
            text = json.dumps(value)
            places += sum(text.count(json.dumps(p)[1:-1]) for p in PAYLOADS) + sum(
                text.count(json.dumps(u)[1:-1]) for u in JS_URLS)
    for body in FILES.values():
        if isinstance(body, bytes):
            continue
        places += sum(body.count(p) for p in PAYLOADS) + len(re.findall(r"javascript:", body, re.I))
    return places


_built = {}


def hostile_site(variant, tmp_path_factory):
    """One hostile build per variant per session (warnings allowed: the build reports what it removed)."""
    if variant not in _built:
        work = tmp_path_factory.mktemp(f"hostile-{variant}")
        code, log = cli_build(work, FILES, VARIANTS[variant])
        assert code == 0, log
        _built[variant] = BuildResult(work / "output", log)
    return _built[variant]


@pytest.fixture(scope="module", params=list(VARIANTS))
def site(request, tmp_path_factory):
    return hostile_site(request.param, tmp_path_factory)


def test_count_of_hostile_cases():
    count = hostile_cases()
    record_gate_count("hostile", "values planted", count)
    assert count >= 40


def test_no_script_url_or_handler_anywhere(site):
    files = [p for p in site.output.rglob("*") if p.suffix in (".html", ".xml", ".json", ".txt")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(java|vb)script\s*:", text, re.I), path
        assert "&#106;avascript" not in text, path
        if path.suffix != ".html":
            continue
        soup = BeautifulSoup(text, "html.parser")
        for element in soup.find_all(True):
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            assert not handlers, (path, str(element)[:200])
            assert "style" not in element.attrs, (path, str(element)[:200])
        for script in soup.find_all("script"):
            assert script.get("type") == "application/ld+json" or (
                script.get("src") and "://" not in script["src"]), (path, str(script)[:200])
        for frame in soup.find_all(["iframe", "object", "embed", "base"]):
            assert not frame.get("src") and not frame.get("data"), (path, str(frame)[:200])


def test_hostile_text_is_shown_as_text(site):
    post = site.soup("hostile-post.html")
    assert post.find("h1").get_text() == TITLE
    assert BREAKOUT in post.title.get_text()
    description = post.find("meta", attrs={"name": "description"})["content"]
    assert "<img" not in description and "<script" not in description and "Summary" in description
    home = site.soup("index.html")
    assert home.find(class_="site-tagline").get_text() == TEXT
    labels = [a.get_text() for a in home.find("nav", class_="site-nav").find_all("a")]
    assert f"Menu {SCRIPT}" in labels
    assert not any(label.startswith(("Evil", "Bad")) for label in labels), labels  # unsafe URL: item dropped
    footer = home.find("footer", class_="site-footer").get_text()
    assert f"Footer {SCRIPT}" in footer
    text = home.get_text()
    assert "\u202eevil\u202c" in text and "مرحبا" in text


def test_json_ld_is_valid_json(site):
    found = 0
    for rel in site.html_files():
        for block in site.soup(rel).find_all("script", type="application/ld+json"):
            data = json.loads(block.string)
            assert data["@context"] == "https://schema.org", rel
            assert "</script" not in block.string.lower(), rel
            found += 1
    assert found >= 2
    post = json.loads(site.soup("hostile-post.html").find("script", type="application/ld+json").string)
    assert post["headline"].startswith("Breaking") and "<" not in post["headline"]


def test_feeds_are_valid(site):
    for path in site.output.rglob("*.xml"):
        ET.parse(path)  # every XML file is well-formed, the sitemap included
    for path in sorted(site.output.rglob("feeds/**/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))  # JSON Feed: valid JSON with items
        assert data["items"] and all(item["id"] and item["url"].startswith("https://") for item in data["items"]), path
    feeds = sorted((site.output / "feeds").rglob("*.xml"))
    assert feeds
    for path in feeds:
        ET.parse(path)  # well-formed XML
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
    titles = [e.title for e in feedparser.parse((site.output / "feeds/all.atom.xml").read_bytes()).entries]
    assert any(t.startswith("Breaking") for t in titles), titles


def test_csp_meta_without_unsafe_inline(site):
    for rel in site.html_files():
        meta_tags = site.soup(rel).find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(meta_tags) == 1, rel
        policy = meta_tags[0]["content"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, rel
        assert "script-src 'self'" in policy and "object-src 'none'" in policy, rel


def test_the_build_says_what_it_removed(site):
    assert "removed a <script> element" in site.warnings
    assert "hostile.md: content:" in site.warnings


def test_hostile_pages_stay_valid_html(site):
    from test_html_valid import validate

    files, errors = validate(site.output)
    assert files and errors == [], "\n".join(errors)


@pytest.mark.parametrize("html,kept,gone", [
    ('<p>x<script>alert(1)</script></p>', "<p>x</p>", "<script"),
    ('<a href=" JaVaScRiPt:alert(1)">a</a>', "<a>a</a>", "href"),
    ('<a href="&#106;avascript:alert(1)">a</a>', "<a>a</a>", "href"),
    ('<a href="java&#x09;script:alert(1)">a</a>', "<a>a</a>", "href"),
    ('<img src="x.png" alt="" onerror="alert(1)">', 'src="x.png"', "onerror"),
    ('<img src="data:image/png;base64,AAAA" alt="">', 'src="data:image/png;base64,AAAA"', "onerror"),
    ('<a href="data:text/html,<script>alert(1)</script>">a</a>', "<a>a</a>", "data:"),
    # Nothing else in the post looks suspect: the cheap first test must still catch it.
    ('<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a></p>', "<a>a</a>", "data:"),
    ('<p><a href="DaTa:text/html,x">a</a></p>', "<a>a</a>", "DaTa:"),
    ('<td style="text-align: right;">1</td>', 'class="align-right"', "style="),
    ('<p style="color: red">x</p>', "<p>x</p>", "style="),
    ('<object data="x.swf"></object><embed src="y"><base href="/"><p>z</p>', "<p>z</p>", "<object"),
])
def test_clean_html(html, kept, gone):
    from leitf_site.theme_support import clean_html

    cleaned, _removed = clean_html(html)
    assert kept in cleaned and gone not in cleaned, cleaned


def test_clean_html_leaves_safe_markup_alone():
    from leitf_site.theme_support import clean_html

    html = '<p>Tom &amp; Jerry <a href="https://example.org/?a=1&amp;b=2">link</a> <code>onclick=x</code></p>'
    assert clean_html(html) == (html, [])
    prose = '<p>Our data: 5 counties &#8212; <img src="data:image/png;base64,AAAA" alt=""></p>'
    assert clean_html(prose) == (prose, [])  # parsed (it looks suspect), nothing to remove


def test_footnotes_alone_are_not_parsed_and_hide_nothing():
    import markdown

    from leitf_site import theme_support

    html = markdown.markdown("A claim.[^1] Another.[^2]\n\n[^1]: One.\n[^2]: Two.", extensions=["extra"])
    assert "&#160;" in html and "&#8617;" in html  # what Markdown's footnotes write
    assert theme_support._SUSPECT.search(html) is None  # so BeautifulSoup is not asked
    assert theme_support.clean_html(html)[0] is html
    # Beside those two references, anything else that is suspect still is.
    for attack, gone in (('<a href="jav&#97;script:alert(1)">x</a>', "href"),
                         ('<a href="&#0106;avascript:x">&#160;</a>', "href"),
                         ('<img src=x onerror=alert(1)>', "onerror")):
        mixed = html + attack
        assert theme_support._SUSPECT.search(mixed) is not None, attack
        cleaned, removed = theme_support.clean_html(mixed)
        assert removed and gone not in cleaned[len(html) - 20:], (attack, cleaned)


def test_clean_html_keeps_entity_spelled_addresses():
    from leitf_site.theme_support import clean_html

    html = '<p><a href="&#109;&#97;&#105;&#108;&#116;&#111;:a@b.org">&#97;@b.org</a> &#8617;</p>'
    assert clean_html(html) == (html, [])
