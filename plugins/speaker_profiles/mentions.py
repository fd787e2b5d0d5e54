"""Find people's names in post HTML and link the first mention of each to their profile.

One regular expression covers every name form of every person. It is built as a trie (names
that start alike share their prefix), so at each position of the text the engine follows one
path of characters instead of trying each name in turn: a pass over a post costs the same with
ten people or a thousand. Where one form is a prefix of another, the longer one wins, and a
form only matches as whole words.

Post HTML is read by a small scanner (below) rather than parsed into a tree: links are spliced
into the HTML as written.
"""

import hashlib
import re
from html.entities import html5

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
        self.shortest = min(map(len, self.owner), default=1)  # no mention is shorter
        self.regex = None
        if self.owner:
            self.regex = re.compile(r"(?<!\w)(?:" + trie_pattern(self.owner) + r")(?!\w)")

    def find(self, text):
        """(start, end, slug) for every mention in ``text``."""
        if self.regex is None:
            return
        owner = self.owner
        for match in self.regex.finditer(text):
            form = match.group()
            slug = owner.get(form)  # most mentions are written just as the form is kept
            yield match.start(), match.end(), owner[normalize(form)] if slug is None else slug

    def any_in(self, text):
        return self.regex is not None and self.regex.search(text) is not None


# --- Reading post HTML --------------------------------------------------------------------------
#
# Hand-written rather than BeautifulSoup: its full parse and re-serialization dominated build
# time, and splicing links into the string keeps every other byte of the post as written.
#
# The scanner reads HTML exactly as BeautifulSoup's "html.parser" tree builder did for the old
# code (Python's html.parser as of 3.11-3.13.0, with BeautifulSoup's handlers on top): the same
# tags, the same text nodes, the same decoding of character references, the same open elements.
# So it finds the same mentions. A link is spliced in only where inserting <a ...>...</a> cannot
# change how the rest of the post parses; in HTML broken in ways html.parser can only read by
# looking ahead to the end (an unterminated tag, comment or declaration, a bad "&#" reference...),
# mentions after the break still count but are not linked.

# The next "<" or "&". Read at once when it starts what html.parser reads the same way whatever
# surrounds it: a start tag whose attribute values are quoted or plain, an end tag, or a
# character reference ended by ";". Anything else goes the long way, below.
_TOKEN = re.compile(r"""
    <(?:
        (?P<tag>[a-zA-Z][-a-zA-Z0-9]*)
        (?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*
           (?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"[^"]*"|'[^']*'|[^\s"'=<>`/]+(?=[ \t\n\r\f>])))?
        )*
        [ \t\n\r\f]*(?P<slash>/?)>
      | /\s*(?P<end>[a-zA-Z][-.a-zA-Z0-9:_]*)\s*>
    )
    | &(?:\#(?P<number>[0-9]{1,8}|[xX][0-9a-fA-F]{1,8})|(?P<name>[a-zA-Z][a-zA-Z0-9]*));
    | [<&]
""", re.VERBOSE)
# html.parser's own patterns (Python 3.11 to 3.13.0); tests/test_mentions.py checks them against
# the running Python's before it compares how the two read broken markup.
_STARTTAGOPEN = re.compile(r"<[a-zA-Z]")
_ENTITYREF = re.compile(r"&([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]")
_CHARREF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")
_INCOMPLETE = re.compile(r"&[a-zA-Z#]")
_TAGFIND = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTRFIND = re.compile(
    r'((?<=[\'"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*'
    r'(\'[^\']*\'|"[^"]*"|(?![\'"])[^>\s]*))?(?:\s|/(?!>))*')
_LOCATESTARTTAGEND = re.compile(r"""
  <[a-zA-Z][^\t\n\r\f />\x00]*       # tag name
  (?:[\s/]*                          # optional whitespace before attribute name
    (?:(?<=['"\s/])[^\s/>][^\s/=>]*  # attribute name
      (?:\s*=+\s*                    # value indicator
        (?:'[^']*'                   # LITA-enclosed value
          |"[^"]*"                   # LIT-enclosed value
          |(?!['"])[^>\s]*           # bare value
         )
        \s*                          # possibly followed by a space
       )?(?:\s|/(?!>))*
     )*
   )?
  \s*                                # trailing whitespace
""", re.VERBOSE)
_UNFINISHED = frozenset("abcdefghijklmnopqrstuvwxyz=/ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_COMMENTCLOSE = re.compile(r"--\s*>")
_DECLNAME = re.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*\s*")
_MARKED_SECTION_CLOSE = {name: re.compile(r"]\s*]\s*>") for name in
                         ("temp", "cdata", "ignore", "include", "rcdata")}
_MARKED_SECTION_CLOSE.update({name: re.compile(r"]\s*>") for name in ("if", "else", "endif")})
# script and style hold raw text up to their end tag (html.parser's CDATA_CONTENT_ELEMENTS).
_RAW_TEXT_END = {name: re.compile(rf"</\s*{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
# BeautifulSoup closes these at once (its HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS).
_VOID = frozenset({"area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame",
                   "hr", "image", "img", "input", "isindex", "keygen", "link", "menuitem", "meta",
                   "nextid", "param", "source", "spacer", "track", "wbr"})
# BeautifulSoup also kept ruby annotations (rt, rp) as a string type the old walk skipped.
_NOT_PROSE = NO_SCAN | {"rt", "rp"}
_SPECIAL = _NOT_PROSE | NO_LINK | _VOID  # elements whose start or end does more than push or pop

# Named references as BeautifulSoup resolved them: every HTML5 name, with or without its ";".
_ENTITIES = {}
for _name, _chars in sorted(html5.items()):
    _ENTITIES.setdefault(_name.removesuffix(";"), _chars)
del _name, _chars

_NON_SPACE = re.compile(r"\S+")

# Start tag kinds.
_OPEN, _SELF_CLOSING, _NOT_A_TAG = 1, 2, 3


def _charref(ref):
    """The text of a numeric reference (``ref`` is what follows "&#"), as BeautifulSoup decodes it."""
    hexadecimal = ref[0] in "xX"
    digits = (ref[1:] if hexadecimal else ref).lstrip("0")
    if len(digits) > 8:
        return "\ufffd"
    number = int(digits or "0", 16 if hexadecimal else 10)
    if number == 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return "\ufffd"
    if 0x80 <= number <= 0x9F:  # Windows-1252 codes written as references
        try:
            return bytes((number,)).decode("cp1252")
        except UnicodeDecodeError:
            pass
    return chr(number)


def _start_tag(html, i):
    """(end, name, kind) of the start tag at ``i``, as html.parser reads it; end is -1 when unfinished."""
    j = _LOCATESTARTTAGEND.match(html, i).end()
    after = html[j:j + 1]
    if after == ">":
        end = j + 1
    elif after == "/":
        if not html.startswith("/>", j):
            return -1, None, None
        end = j + 2
    elif not after or after in _UNFINISHED:
        return -1, None, None
    else:
        end = j if j > i else i + 1
    found = _TAGFIND.match(html, i + 1)
    k = found.end()
    while k < end:
        attribute = _ATTRFIND.match(html, k)
        if not attribute:
            break
        k = attribute.end()
    rest = html[k:end].strip()
    if rest == ">":
        return end, found.group(1).lower(), _OPEN
    if rest == "/>":
        return end, found.group(1).lower(), _SELF_CLOSING
    return end, None, _NOT_A_TAG  # html.parser keeps it as text


def _reads_the_same_whatever_follows(html, i, end, kind):
    """False when an unmatched quote in the start tag at ``i`` would pair with a quote added later."""
    probe = html[i:end] + ">\"'"
    found_end, _name, found_kind = _start_tag(probe, 0)
    return found_end == end - i and found_kind == kind


def _prose(html, regex, shortest=1):
    """The prose text nodes of ``html`` in which ``regex`` finds something.

    The same text nodes, in the same order, as the old walk over BeautifulSoup's tree. Each is
    (text, parts, linkable): ``text`` is the decoded text, ``parts`` its pieces as (raw start, raw
    end, decoded text or None when it is the raw text itself, safe to splice a link at), and
    ``linkable`` False inside NO_LINK elements. ``shortest`` is the length of the shortest form.
    """
    found = []
    n = len(html)
    stack, closed_voids, parts = [], [], []
    quotes = (html.rfind('"'), html.rfind("'"))
    skip = no_link = 0  # open elements in _NOT_PROSE, in NO_LINK
    final = False  # html.parser's closing pass (goahead with end=True) has begun
    safe = True  # no broken markup so far whose reading depends on what follows it
    raw_text_end = None
    search = regex.search
    i = 0

    def text_ends():
        if not skip:
            if len(parts) == 1 and parts[0][2] is None:  # one plain run, searched in place
                a, b = parts[0][0], parts[0][1]
                if search(html, a, b) is not None:
                    found.append((html[a:b], parts[:], not no_link))
            else:
                text = "".join(html[a:b] if d is None else d for a, b, d, _ok in parts)
                if search(text) is not None:
                    found.append((text, parts[:], not no_link))
        parts.clear()

    def start_tag(name):
        nonlocal skip, no_link
        if name in _VOID:
            closed_voids.append(name)
            return None
        stack.append(name)
        if name in _NOT_PROSE:
            skip += 1
        if name in NO_LINK:
            no_link += 1
        return _RAW_TEXT_END.get(name)

    def end_tag(name):
        nonlocal skip, no_link
        if name in closed_voids:  # "</br>" after "<br>": BeautifulSoup ignores it entirely
            closed_voids.remove(name)
            return
        if parts:
            text_ends()
        if name in stack:
            while True:
                top = stack.pop()
                if top in _NOT_PROSE:
                    skip -= 1
                if top in NO_LINK:
                    no_link -= 1
                if top == name:
                    break

    while i < n:
        if raw_text_end is not None:
            close = raw_text_end.search(html, i)
            if close is None:
                break  # html.parser drops an unclosed script's or style's content, and the rest
            end_tag(stack[-1])  # the script or style element, necessarily the innermost
            raw_text_end = None
            i = close.end()
            continue
        for token in _TOKEN.finditer(html, i):
            j = token.start()
            kind = token.lastgroup
            if kind == "end":
                name = token.group("end").lower()
                if closed_voids and name in closed_voids:  # "</br>" after "<br>": ignored entirely
                    closed_voids.remove(name)
                    if i < j and not skip:
                        parts.append((i, j, None, safe))
                    i = token.end()
                    continue
            if kind == "slash" or kind == "end":  # a plain tag ends the text before it
                if parts:
                    if i < j and not skip:
                        parts.append((i, j, None, safe))
                    text_ends()
                elif j - i >= shortest and not skip and search(html, i, j) is not None:
                    # One plain run, searched in place: a text node is bounded by ">" and "<"
                    # (or "&"), which no name runs into any more than into a string's ends.
                    found.append((html[i:j], [(i, j, None, safe)], not no_link))
                i = token.end()
                if kind == "end":
                    if name in _SPECIAL or not stack or stack[-1] != name:
                        end_tag(name)
                    else:  # the common case: it closes the innermost element, an ordinary one
                        stack.pop()
                elif not token.group("slash"):  # (<x/> opens and closes at once)
                    name = token.group("tag").lower()
                    if name not in _SPECIAL:
                        stack.append(name)
                    else:
                        raw_text_end = start_tag(name)
                        if raw_text_end is not None:
                            break
                continue
            if i < j and not skip:
                parts.append((i, j, None, safe))
            if kind == "name":  # a named reference
                i = token.end()
                if not skip:
                    name = token.group("name")
                    parts.append((j, i, _ENTITIES.get(name) or "&" + name, safe))
            elif kind == "number":  # a numeric reference
                i = token.end()
                if not skip:
                    parts.append((j, i, _charref(token.group("number")), safe))
            else:
                i = j
                break
        else:
            if i < n and not skip:
                parts.append((i, n, None, safe))
            break
        if i != j or raw_text_end is not None:
            continue
        # The long way, following html.parser step by step.
        if html[i] == "<":
            lenient_end = False  # True: unfinished, but no link added later could finish it
            if _STARTTAGOPEN.match(html, i):
                k, name, kind = _start_tag(html, i)
                if kind == _NOT_A_TAG:  # html.parser keeps it as text
                    if not skip:
                        parts.append((i, k, None, False))
                    safe = False
                    i = k
                    continue
                if k >= 0:
                    if parts:
                        text_ends()
                    if safe and (i <= quotes[0] < k or i <= quotes[1] < k):
                        safe = _reads_the_same_whatever_follows(html, i, k, kind)
                    if kind == _OPEN:
                        raw_text_end = start_tag(name)
                    i = k
                    continue
            elif html.startswith("</", i):
                gt = html.find(">", i + 1)
                if gt >= 0:
                    named = _TAGFIND.match(html, i + 2)
                    if named:  # </x ...>: an end tag all the same
                        end_tag(named.group(1).lower())
                        i = html.find(">", named.end()) + 1
                    elif html.startswith("</>", i):
                        i += 3  # ignored, and the text around it stays one text node
                    else:  # a bogus comment
                        if parts:
                            text_ends()
                        i = gt + 1
                    continue
            elif html.startswith("<!--", i):
                close = _COMMENTCLOSE.search(html, i + 4)
                if close:
                    if parts:
                        text_ends()
                    i = close.end()
                    continue
                lenient_end = True
            elif html.startswith("<?", i):  # a processing instruction
                gt = html.find(">", i + 2)
                if gt >= 0:
                    if parts:
                        text_ends()
                    i = gt + 1
                    continue
            elif html.startswith("<![", i):  # a marked section, e.g. <![CDATA[...]]>
                declared = _DECLNAME.match(html, i + 3)
                close_re = declared and _MARKED_SECTION_CLOSE.get(declared.group().strip().lower())
                if i + 3 == n or (declared and declared.end() == n):
                    pass  # unfinished
                elif close_re:
                    close = close_re.search(html, i + 3)
                    if close:
                        if parts:
                            text_ends()
                        i = close.end()
                        continue
                    lenient_end = True
                else:
                    # html.parser gives up on the whole post here (BeautifulSoup raised
                    # ParserRejectedMarkup); read it as a bogus comment and link nothing after.
                    safe = False
                    gt = html.find(">", i + 2)
                    if gt >= 0:
                        if parts:
                            text_ends()
                        i = gt + 1
                        continue
            elif html.startswith("<!", i):  # a doctype or a bogus comment
                gt = html.find(">", i + 9 if html[i:i + 9].lower() == "<!doctype" else i + 2)
                if gt >= 0:
                    if parts:
                        text_ends()
                    i = gt + 1
                    continue
            else:  # a "<" that starts nothing is text
                if not skip:
                    parts.append((i, i + 1, None, safe))
                i += 1
                continue
            # Unfinished: html.parser's closing pass keeps the source up to the next ">" as text.
            final = True
            k = html.find(">", i + 1) + 1
            if not k:
                lenient_end = False
                k = html.find("<", i + 1)
                if k < 0:
                    k = i + 1
            if not lenient_end:
                safe = False
            if not skip:
                parts.append((i, k, None, False))
            i = k
        elif html.startswith("&#", i):
            ref = _CHARREF.match(html, i)
            if ref:
                k = ref.end()
                if html[k - 1] != ";":
                    k -= 1
                if not skip:
                    parts.append((i, k, _charref(ref.group()[2:-1]), safe))
                i = k
                continue
            if not final and html.find(";", i) >= 0:
                # "&#" stays as text, and html.parser goes on in its closing pass.
                if not skip:
                    parts.append((i, i + 2, "&#", safe))  # never split: "&<a>#" reads differently
                final = True
                i += 2
                continue
            # html.parser stops here and keeps the rest of the post as one piece of text.
            if not skip:
                parts.append((i, n, None, False))
            break
        else:
            ref = _ENTITYREF.match(html, i)
            if ref:
                k = ref.end()
                if html[k - 1] != ";":
                    k -= 1
                if not skip:
                    name = ref.group(1)
                    decoded = _ENTITIES.get(name)  # None: an unknown name reads as itself...
                    if decoded is None and html[k - 1] == ";":
                        decoded = "&" + name  # ...but BeautifulSoup dropped its ";"
                    parts.append((i, k, decoded, safe))
                i = k
            elif _INCOMPLETE.match(html, i):
                # "&name" running to the very end: kept as text ("&x" alone loses its "&").
                if not skip:
                    if n - i == 2:
                        parts.append((i + 1, n, None, False))
                    else:
                        parts.append((i, i + 1, None, False))
                        parts.append((i + 1, n, None, safe))
                break
            else:
                if not skip:
                    parts.append((i, i + 1, None, safe))
                i += 1
    if parts:
        text_ends()
    return found


def _raw_span(parts, start, end):
    """Where decoded text[start:end] lies in the HTML, or None when a link cannot wrap it safely."""
    position, raw_start = 0, None
    for a, b, decoded, ok in parts:
        length = b - a if decoded is None else len(decoded)
        following = position + length
        if raw_start is None:
            if start >= following:
                position = following
                continue
            if not ok:
                return None
            if decoded is None:
                raw_start = a + start - position
            elif start == position:
                raw_start = a
            else:
                return None  # starts inside a reference's decoded text
        elif not ok:
            return None
        if end <= following:
            if decoded is None:
                return raw_start, a + end - position
            return (raw_start, b) if end == following else None
        position = following
    return None


def _attribute(name, value, split=False):
    """name="value" the way BeautifulSoup writes an attribute."""
    if value is None:
        return name
    if isinstance(value, (list, tuple)):
        value = " ".join(value)
    elif split and isinstance(value, str):  # class: a list of words to BeautifulSoup
        value = " ".join(_NON_SPACE.findall(value))
    elif not isinstance(value, str):
        value = str(value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    quote = '"'
    if '"' in value:
        if "'" in value:
            value = value.replace('"', "&quot;")
        else:
            quote = "'"
    return f"{name}={quote}{value}{quote}"


def link_mentions(html, matcher, href_for, link_class="speaker-mention"):
    """Return (html, slugs): the first linkable mention of each person becomes a link.

    ``slugs`` lists everyone mentioned, in order of first mention, linked or not. The HTML is
    returned unchanged (the same object) when nothing was linked; otherwise each link is
    inserted around the name as written and every other byte is kept.
    """
    if not html or not matcher.any_in(html):
        return html, []
    mentioned, linked, pieces, cursor = [], set(), [], 0
    opening = None
    for text, parts, linkable in _prose(html, matcher.regex, matcher.shortest):
        for start, end, slug in matcher.find(text):
            if slug not in mentioned:
                mentioned.append(slug)
            if not linkable or slug in linked:
                continue
            span = _raw_span(parts, start, end)
            if span is None:
                continue
            linked.add(slug)
            if opening is None:
                opening = "<a " + _attribute("class", link_class, split=True) + " "
            pieces += (html[cursor:span[0]], opening, _attribute("href", href_for(slug)), ">",
                       html[span[0]:span[1]], "</a>")
            cursor = span[1]
    if not linked:
        return html, mentioned
    pieces.append(html[cursor:])
    return "".join(pieces), mentioned


class LinkedCache:
    """Linked HTML from the last build, kept beside Pelican's content cache.

    With Pelican's content cache on (CACHE_CONTENT / LOAD_CONTENT_CACHE, the devserver
    case), a post whose HTML and whose possible people are unchanged is not parsed again.
    The key covers everything link_mentions reads, so a hit returns exactly what it would.
    """

    FILE = "speaker_profiles-mentions.pickle"
    # 2: links spliced into the HTML as written (1: the whole post re-serialized by BeautifulSoup).
    FORMAT = 2

    def __init__(self, settings, matcher, hrefs):
        self.settings = settings
        self.write = bool(settings.get("CACHE_CONTENT"))
        people = repr((self.FORMAT, sorted(matcher.owner.items()), matcher.ambiguous,
                       sorted(hrefs.items())))
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
