"""`leitf-site new DIR --name "..."`: write a ready-to-build site for a new coalition.

This is the kit's pelican-quickstart: it copies the skeleton in leitf_site/scaffold/,
filling in the organization's name, language, colours and address.
"""

import argparse
import re
import sys
from datetime import date
from importlib import resources
from pathlib import Path

from . import __version__
from .theme_support import HEX_COLOR

LANGUAGES = ("en", "es")

# Interface words that live in the new site's settings rather than in the theme catalog.
WORDS = {
    "en": {
        "about": "About", "news": "News", "news_slug": "news", "contact": "Contact", "speakers": "People",
        "get_involved": "Get involved", "hub": "News and resources",
        "cta_contact": "Learn more. Contact us.",
        "cta_involved": "Share questions. Get more information. Get involved.",
        "tagline": "Leaders working together",
    },
    "es": {
        "about": "Quiénes somos", "news": "Noticias", "news_slug": "noticias", "contact": "Contacto", "speakers": "Personas",
        "get_involved": "Participe", "hub": "Noticias y recursos",
        "cta_contact": "Más información. Contáctenos.",
        "cta_involved": "Comparta sus preguntas. Infórmese. Participe.",
        "tagline": "Líderes que trabajan juntos",
    },
}


def slugify(text):
    from pelican.utils import slugify as pelican_slugify

    return pelican_slugify(text, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")])


def parse(argv):
    parser = argparse.ArgumentParser(prog="leitf-site", description="Tools for sites built with the leitf-site kit.")
    parser.add_argument("--version", action="version", version=f"leitf-site {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="write a new coalition site into DIR")
    new.add_argument("directory")
    new.add_argument("--name", required=True, help="the organization's full name")
    new.add_argument("--short-name", default="", help="a short form of the name")
    new.add_argument("--tagline", default=None, help="one line under the name")
    new.add_argument("--lang", default="en", choices=LANGUAGES, help="the site's language (default en)")
    new.add_argument("--url", default="https://example.org", help="the public address, used by publishconf.py")
    new.add_argument("--brand", default="#1d3557", help="main brand colour, #rrggbb")
    new.add_argument("--brand-text", default="#ffffff", help="text colour on the brand colour")
    new.add_argument("--link", default="", help="link colour, #rrggbb (default: the theme's)")
    new.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    return parser.parse_args(argv)


def render(text, values):
    """Replace __TOKEN__ placeholders; tokens ending in _PY are Python literals (repr)."""
    def substitute(match):
        key = match.group(1)
        if key not in values:
            raise KeyError(f"scaffold: unknown placeholder __{key}__")
        return values[key]

    return re.sub(r"__([A-Z][A-Z0-9_]*)__", substitute, text)


def values_for(args):
    words = WORDS[args.lang]
    tagline = args.tagline if args.tagline is not None else words["tagline"]
    colors = {"brand": args.brand, "brand_text": args.brand_text}
    if not args.name.strip():
        raise SystemExit("leitf-site: --name: the organization's name cannot be empty")
    if args.link:
        colors["link"] = args.link
    plain = {
        "SITENAME": args.name,
        "SHORT_NAME": args.short_name,
        "TAGLINE": tagline,
        "LANG": args.lang,
        "URL": args.url.rstrip("/"),
        "YEAR": str(date.today().year),
        "TODAY": date.today().isoformat(),
        "BRAND": args.brand,
        "BRAND_TEXT": args.brand_text,
    }
    values = {key: value for key, value in plain.items()}
    values.update({f"{key}_PY": repr(value) for key, value in plain.items()})
    values["COLORS_PY"] = repr(colors)
    values.update({f"W_{key.upper()}": value for key, value in words.items()})
    values.update({f"W_{key.upper()}_PY": repr(value) for key, value in words.items()})
    return values


def skeleton_files(lang):
    """Yield (relative path, text) for the common files and the language's content."""
    root = resources.files(__package__) / "scaffold"
    for base in (root / "common", root / lang):
        yield from _walk(base, "")


def _walk(folder, prefix):
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, rel + "/")
        elif not entry.name.endswith((".pyc",)):
            yield rel, entry.read_text(encoding="utf-8")


def new_site(args):
    for flag in ("brand", "brand_text", "link"):
        value = getattr(args, flag)
        if value and not HEX_COLOR.match(value):
            raise SystemExit(f"leitf-site: --{flag.replace('_', '-')}: {value!r} is not a #rgb or #rrggbb colour")
    target = Path(args.directory)
    if target.exists() and any(target.iterdir()) and not args.force:
        raise SystemExit(f"leitf-site: {target} is not empty; use --force to write into it anyway")
    values = values_for(args)
    written = []
    for rel, text in skeleton_files(args.lang):
        rel = rel.removesuffix(".tmpl")
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(text, values), encoding="utf-8")
        written.append(rel)
    print(f"Wrote {len(written)} files to {target}. Next: cd {target} && make html")
    return 0


def main(argv=None):
    args = parse(argv)
    if args.command == "new":
        return new_site(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
