"""Walk a built site's HTML and resolve every internal reference to a file in the output."""

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

REFERENCE_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "form": "action"}


def page_url(output, html_path):
    rel = Path(html_path).relative_to(output).as_posix()
    return "http://site.invalid/" + rel


def resolve(output, url, site_roots=("http://site.invalid",)):
    """Map an internal URL to (file path, fragment), or None when it points off-site."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    if parts.scheme not in ("http", "https") or base not in site_roots:
        return None
    path = unquote(parts.path).lstrip("/")
    target = Path(output) / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def internal_references(output, extra_roots=()):
    """Yield (page, url, target file, fragment) for every same-site reference in every page."""
    output = Path(output)
    roots = ("http://site.invalid", *extra_roots)
    for html_path in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
        base = page_url(output, html_path)
        for tag_name, attr in REFERENCE_ATTRS.items():
            for tag in soup.find_all(tag_name):
                value = tag.get(attr)
                if not value or value.startswith(("mailto:", "tel:", "data:")):
                    continue
                if tag_name == "link" and "canonical" in (tag.get("rel") or []):
                    pass
                absolute = urljoin(base, value)
                for root in extra_roots:
                    if absolute.startswith(root):
                        absolute = "http://site.invalid" + absolute[len(root):]
                resolved = resolve(output, absolute, roots)
                if resolved is None:
                    continue
                target, fragment = resolved
                yield html_path.relative_to(output).as_posix(), value, target, fragment


def broken_references(output, extra_roots=()):
    broken = []
    ids_cache = {}
    for page, url, target, fragment in internal_references(output, extra_roots):
        if not target.is_file():
            broken.append((page, url, "missing file"))
            continue
        if fragment and target.suffix == ".html":
            if target not in ids_cache:
                soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                ids_cache[target] = {t.get("id") for t in soup.find_all(id=True)} | {
                    t.get("name") for t in soup.find_all("a", attrs={"name": True})
                }
            if fragment not in ids_cache[target]:
                broken.append((page, url, f"no element with id {fragment!r}"))
    return broken
