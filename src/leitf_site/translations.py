"""Extract the theme's interface strings and update its Babel catalogs (`make translations`).

Run it after changing a template: it rewrites messages.pot and merges new strings into every
language's messages.po, keeping existing translations. The .po files are the only source:
theme_support compiles them in memory at build time.
"""

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import theme_path

METHOD_MAP = [("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def extract(theme):
    catalog = Catalog(project="coalition theme", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        theme, METHOD_MAP, OPTIONS, keywords={"_": None, "gettext": None, "ngettext": (1, 2)}
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update(theme, languages=None):
    theme = Path(theme)
    template = extract(theme)
    translations = theme / "translations"
    with (translations / "messages.pot").open("wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=True, no_location=True)
    langs = languages or sorted(p.name for p in translations.iterdir() if (p / "LC_MESSAGES").is_dir())
    report = {}
    for lang in langs:
        po_path = translations / lang / "LC_MESSAGES" / "messages.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="coalition theme", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po_path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, no_location=True, width=100)
        report[lang] = missing_translations(catalog)
    return report


def missing_translations(catalog):
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", default=theme_path())
    parser.add_argument("languages", nargs="*")
    args = parser.parse_args(argv)
    report = update(args.theme, args.languages or None)
    for lang, missing in report.items():
        print(f"{lang}: {len(missing)} untranslated")
        for msgid in missing:
            print(f"  {msgid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
