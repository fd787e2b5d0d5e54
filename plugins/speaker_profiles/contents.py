"""The Speaker content type and the pure functions that read its metadata."""

import os
import re
from urllib.parse import urlsplit

from pelican.contents import Content

# Hosts whose links get a recognisable label; the template turns the key into the label.
KNOWN_HOSTS = {
    "x.com": "x",
    "twitter.com": "x",
    "linkedin.com": "linkedin",
    "lnkd.in": "linkedin",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "bsky.app": "bluesky",
    "instagram.com": "instagram",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "threads.net": "threads",
}
LINK_SCHEMES = ("http", "https", "mailto")
# Two-letter codes to names, to group and sort people by state. Data, not interface text.
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
}
# A comma only separates links when the next one starts with a scheme; URLs may contain commas.
_LINK_SPLIT = re.compile(r"\s+|,(?=\s*[A-Za-z][A-Za-z0-9+.-]*:)")


def squash(text):
    """Collapse runs of whitespace, as names are typed with stray spaces and line breaks."""
    return " ".join(str(text or "").split())


def as_list(value):
    """Metadata given as "a, b" or as several lines (a list) -> ["a", "b"]."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return [squash(item) for item in items if squash(item)]


def parse_roles(value):
    """Roles are keys: "Co-Chair, senior advisor" -> ["co-chair", "senior-advisor"]."""
    roles = []
    for item in as_list(value):
        key = re.sub(r"[\s_]+", "-", item.lower())
        if key not in roles:
            roles.append(key)
    return roles


def split_links(value):
    items = value if isinstance(value, (list, tuple)) else [value or ""]
    found = []
    for item in items:
        for part in _LINK_SPLIT.split(str(item)):
            part = part.strip().rstrip(",")
            if part:
                found.append(part)
    return found


def describe_link(url):
    """{"url", "kind", "host"}: kind is a known network, "gov", "email" or "web"."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "mailto":
        return {"url": url, "kind": "email", "host": ""}
    host = (parts.hostname or "").lower()
    short = re.sub(r"^(www|m|mobile)\.", "", host)
    for known, kind in KNOWN_HOSTS.items():
        if short == known or short.endswith("." + known):
            return {"url": url, "kind": kind, "host": short}
    kind = "gov" if short.endswith((".gov", ".mil")) else "web"
    return {"url": url, "kind": kind, "host": short}


def link_problem(url):
    """Why ``url`` cannot be a profile link, or "" when it can."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        if not scheme:
            return f"{url!r} is not a full URL; write it with https://"
        return f"{url!r} uses the {scheme}: scheme; only http(s) and mailto: links are allowed"
    if scheme != "mailto" and not parts.hostname:
        return f"{url!r} has no host name"
    return ""


def state_of(jurisdiction):
    """The state code at the end of "City, ST" ("" when there is none)."""
    if "," not in jurisdiction:
        return ""
    return jurisdiction.rsplit(",", 1)[1].strip()


def last_name_key(name):
    words = name.split()
    return (words[-1].lower() if words else "", name.lower())


class Speaker(Content):
    """One person: a Markdown file in SPEAKER_PATHS whose body is the bio."""

    # "name" is checked by the generator first, so a missing one fails with one line.
    mandatory_properties = ("name",)
    allowed_statuses = ("published", "hidden")
    default_status = "published"
    default_template = "speaker"

    def __init__(self, content, metadata=None, settings=None, source_path=None, context=None):
        metadata = dict(metadata or {})
        if "slug" not in metadata and source_path:
            # The file name is the slug, so `speakers: jane-doe` matches jane-doe.md.
            metadata["slug"] = os.path.splitext(os.path.basename(source_path))[0]
        name = squash(metadata.get("name"))
        honorific = squash(metadata.get("honorific"))
        if name:
            metadata["name"] = name
            metadata.setdefault("title", f"{honorific} {name}".strip())
        else:
            metadata.pop("name", None)
        super().__init__(content, metadata, settings, source_path, context)
        self.honorific = honorific
        self.full_name = f"{honorific} {name}".strip()
        self.roles = parse_roles(metadata.get("roles"))
        self.agency = squash(metadata.get("agency"))
        self.jurisdiction = squash(metadata.get("jurisdiction"))
        self.state = state_of(self.jurisdiction)
        self.state_name = US_STATES.get(self.state.upper(), self.state)
        self.photo_path = str(metadata.get("photo") or "").strip()
        self.photo = self.photo_path.lstrip("/")
        self.photo_alt = squash(metadata.get("photo_alt"))
        self.link_urls = split_links(metadata.get("links"))
        self.links = [describe_link(url) for url in self.link_urls if not link_problem(url)]
        # Filled in once the posts are read.
        self.posts = []
        self.feeds = []

    def name_forms(self):
        """The ways a post may name this person, longest first."""
        name = getattr(self, "name", "")
        forms = [self.full_name, name] if self.honorific else [name]
        return [form for form in forms if form]

    def sort_key(self):
        return last_name_key(getattr(self, "name", ""))

    def problems(self):
        """(field, problem) pairs for the first mistake in this file, checked on every build."""
        if not getattr(self, "name", ""):
            return [("name", "is missing; every person needs one, e.g. 'Name: Jane Doe'")]
        for url in self.link_urls:
            problem = link_problem(url)
            if problem:
                return [("links", problem)]
        if self.photo_path:
            root = os.path.realpath(self.settings["PATH"])
            target = os.path.realpath(os.path.join(root, self.photo))
            if not target.startswith(root + os.sep):
                return [("photo", f"{self.photo_path!r} is outside the content folder")]
            if not os.path.isfile(target):
                return [("photo", f"{self.photo_path!r} does not exist (a path under the content folder, "
                                  "e.g. images/speakers/jane-doe.jpg)")]
        return []
