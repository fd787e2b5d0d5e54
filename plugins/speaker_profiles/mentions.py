"""Find people's names in post HTML and link the first mention of each to their profile.

One regular expression covers every name form of every person. It is built as a trie (names
that start alike share their prefix), so at each position of the text the engine follows one
path of characters instead of trying each name in turn: a pass over a post costs the same with
ten people or a thousand. Where one form is a prefix of another, the longer one wins, and a
form only matches as whole words.
"""

import hashlib
import re

from bs4 import BeautifulSoup, NavigableString

from leitf_site import speedups

# Text here is never read for names: code, scripts and other non-prose.
NO_SCAN = frozenset({"code", "pre", "script", "style", "kbd", "samp", "textarea", "template",
                     "svg", "math", "noscript", "var"})
# Text here counts as a mention but is never turned into a link.
NO_LINK = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "select",
                     "option", "summary", "title"})
APOSTROPHES = "'\u2019"


def normalize(form):
    form = " ".join(form.split())
    for mark in APOSTROPHES[1:]:
        form = form.replace(mark, "'")
    return form


def _char_pattern(char):
    if char == " ":
        return r"\s+"  # names wrap across lines and may use no-break spaces
    if char == "'":
        return "[" + APOSTROPHES + "]"
    return re.escape(char)


def trie_pattern(forms):
    """A regex source matching exactly ``forms``, longest first, with shared prefixes factored out."""
    root = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node):
        branches = [_char_pattern(char) + emit(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A form that ends here may go on into a longer one: try the longer first (greedy).
        return f"(?:{body})?" if "" in node else body

    return emit(root)


class MentionMatcher:
    """Built once per build from (slug, [name forms]) pairs; finds mentions in any text."""

    def __init__(self, people):
        owners = {}
        for slug, forms in people:
            for form in forms:
                key = normalize(form)
                if key:
                    owners.setdefault(key, set()).add(slug)
        # A name two people share cannot say which of them is meant, so it links nobody.
        self.ambiguous = sorted(key for key, slugs in owners.items() if len(slugs) > 1)
        self.owner = {key: next(iter(slugs)) for key, slugs in owners.items() if len(slugs) == 1}
        self.regex = None
        if self.owner:
            self.regex = re.compile(r"(?<!\w)(?:" + trie_pattern(self.owner) + r")(?!\w)")

    def find(self, text):
        """(start, end, slug) for every mention in ``text``."""
        if self.regex is None:
            return
        for match in self.regex.finditer(text):
            yield match.start(), match.end(), self.owner[normalize(match.group())]

    def any_in(self, text):
        return self.regex is not None and self.regex.search(text) is not None


def _text_nodes(node, linkable=True, found=None):
    """Every prose text node under ``node`` in document order, with whether it may become a link."""
    found = [] if found is None else found
    for child in node.children:
        if type(child) is NavigableString:
            found.append((child, linkable))
        elif getattr(child, "name", None) and child.name not in NO_SCAN:
            _text_nodes(child, linkable and child.name not in NO_LINK, found)
    return found


def link_mentions(html, matcher, href_for, link_class="speaker-mention"):
    """Return (html, slugs): the first linkable mention of each person becomes a link.

    ``slugs`` lists everyone mentioned, in order of first mention, linked or not. The HTML is
    returned unchanged (byte for byte) when nothing was linked.
    """
    if not html or not matcher.any_in(html):
        return html, []
    soup = BeautifulSoup(html, "html.parser")
    mentioned, linked = [], set()
    for node, linkable in _text_nodes(soup):
        text = str(node)
        pieces, cursor = [], 0
        for start, end, slug in matcher.find(text):
            if slug not in mentioned:
                mentioned.append(slug)
            if not linkable or slug in linked:
                continue
            linked.add(slug)
            if start > cursor:
                pieces.append(NavigableString(text[cursor:start]))
            anchor = soup.new_tag("a", href=href_for(slug), attrs={"class": link_class})
            anchor.string = text[start:end]
            pieces.append(anchor)
            cursor = end
        if pieces:
            if cursor < len(text):
                pieces.append(NavigableString(text[cursor:]))
            node.replace_with(*pieces)
    return (str(soup) if linked else html), mentioned


class LinkedCache:
    """Linked HTML from the last build, kept beside Pelican's content cache.

    With Pelican's content cache on (CACHE_CONTENT / LOAD_CONTENT_CACHE, the devserver
    case), a post whose HTML and whose possible people are unchanged is not parsed again.
    The key covers everything link_mentions reads, so a hit returns exactly what it would.
    """

    FILE = "speaker_profiles-mentions.pickle"

    def __init__(self, settings, matcher, hrefs):
        self.settings = settings
        self.write = bool(settings.get("CACHE_CONTENT"))
        people = repr((sorted(matcher.owner.items()), matcher.ambiguous, sorted(hrefs.items())))
        self.salt = hashlib.sha256(people.encode("utf-8")).hexdigest()
        self.entries = speedups.load_kept(settings, self.FILE, self.salt)
        self.fresh = {}

    def _key(self, html):
        return hashlib.sha256(f"{self.salt}\0{html}".encode("utf-8")).hexdigest()

    def get(self, html):
        key = self._key(html)
        found = self.entries.get(key)
        if found is not None and self.write:
            self.fresh[key] = found
        return found

    def put(self, html, result):
        if self.write:  # kept only to be saved; a build without the cache holds nothing extra
            self.fresh[self._key(html)] = result

    def link(self, html, compute):
        found = self.get(html)
        if found is None:
            found = compute()
            self.put(html, found)
        return found

    def save(self):
        speedups.save_kept(self.settings, self.FILE, self.salt, self.fresh)
