"""A synthetic coalition site for benchmarks and speed-up tests, the same for the same seed.

    python benchmarks/corpus.py OUT_DIR --posts 1000 --speakers 10 --seed 1

writes OUT_DIR/content/ with:
  posts/<category>/<date>-<slug>.md   posts with tags, `Speakers:`, names in the body,
                                      some `Attachments:`, headings, lists, tables, footnotes
  speakers/<slug>.md                  Name, Honorific, Roles, Agency, Jurisdiction
  categories/<slug>.md                Title, Label, Order; the body is the description
  pages/about.md                      one page
  files/*.pdf                         small, valid PDF files that posts attach
"""

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

CATEGORIES = [
    ("blog", "Blog", "Blog Post"),
    ("press-releases", "Press Releases", "Press Release"),
    ("sign-on-letters", "Sign-On Letters", "Sign-On Letter"),
    ("news-resources", "News & Resources", "News"),
    ("explainers", "Explainers", "LEITF Explainer"),
    ("path-to-public-safety", "Path to Public Safety", "Focus Point"),
]

TAGS = [
    "border", "community trust", "congress", "dhs", "public safety", "trafficking",
    "smuggling", "victims", "workforce", "dreamers", "asylum", "courts", "training",
    "technology", "local policing", "state law", "federal policy", "data", "rural", "cities",
]

FIRST = ["Ana", "Ben", "Carla", "David", "Elena", "Frank", "Grace", "Hector", "Irene", "Jamal",
         "Karen", "Luis", "Maria", "Nadia", "Omar", "Paula", "Quinn", "Rosa", "Sam", "Teresa",
         "Umar", "Vera", "Walter", "Ximena", "Yusuf", "Zoe"]
LAST = ["Alvarez", "Brooks", "Castillo", "Dunn", "Esparza", "Fischer", "Garza", "Holt", "Ibarra",
        "Jensen", "Kowalski", "Lopez", "Moreno", "Nguyen", "Ortega", "Price", "Quintero",
        "Reyes", "Sandoval", "Tran", "Underwood", "Vasquez", "Whitaker", "Young", "Zamora"]
PLACES = [("Tucson", "AZ"), ("Fresno", "CA"), ("Harris County", "TX"), ("Marshalltown", "IA"),
          ("Santa Monica", "CA"), ("Fort Worth", "TX"), ("Salt Lake City", "UT"),
          ("King County", "WA"), ("Dane County", "WI"), ("Boise", "ID"), ("Denver", "CO"),
          ("Orange County", "FL"), ("Wake County", "NC"), ("Chester County", "PA")]
ROLES = ["co-chair", "member", "senior advisor", "retired", "member", "member"]

WORDS = (
    "officers community trust local federal policy reform families victims witnesses "
    "report crimes safety neighborhoods resources agencies immigration enforcement "
    "training partnership congress border communities jurisdiction residents sheriffs "
    "chiefs departments cooperation legislation public hearing testimony briefing data "
    "program outreach language access schools workforce courts detention response"
).split()


def sentence(rng, names=()):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if names and rng.random() < 0.5:
        words.insert(rng.randint(0, len(words)), rng.choice(names))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng, names=()):
    return " ".join(sentence(rng, names) for _ in range(rng.randint(3, 6)))


def minimal_pdf(title):
    """A tiny but valid one-page PDF (correct xref offsets), so attachments are real files."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_speakers(rng, count):
    speakers = []
    used = set()
    for i in range(count):
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}"
            if name not in used or len(used) >= len(FIRST) * len(LAST):
                break
        if name in used:  # more speakers than name pairs: keep names unique with a middle initial
            name = f"{first} {chr(65 + i % 26)}. {last}"
        used.add(name)
        place, state = rng.choice(PLACES)
        honorific = "Sheriff" if "County" in place else "Chief"
        slug = f"{name.lower().replace('.', '').replace(' ', '-')}-{i}"
        speakers.append({
            "slug": slug, "name": name, "honorific": honorific,
            "roles": rng.choice(ROLES), "jurisdiction": f"{place}, {state}",
            "agency": f"{place} {'Sheriff' if honorific == 'Sheriff' else 'Police Department'}",
        })
    return speakers


def post_body(rng, mentioned, attachment):
    names = [f"{s['honorific']} {s['name']}" for s in mentioned]
    parts = [paragraph(rng, names), paragraph(rng, names)]
    parts.append(f"## {sentence(rng)[:-1].title()}")
    parts.append(paragraph(rng, names))
    if rng.random() < 0.5:
        parts.append("\n".join(f"- {sentence(rng, names)}" for _ in range(rng.randint(3, 5))))
    if rng.random() < 0.3:
        parts.append("| Program | Agencies | Year |\n| --- | --- | --- |\n" + "\n".join(
            f"| {rng.choice(WORDS).title()} | {rng.randint(2, 90)} | {rng.randint(2015, 2025)} |"
            for _ in range(3)
        ))
    if names and rng.random() < 0.4:
        parts.append(f'> "{sentence(rng)}" said {names[0]}.')
    parts.append(f"Read more from the [task force](/about/) and *{rng.choice(WORDS)}* partners.")
    if rng.random() < 0.2:
        parts.append(f"{sentence(rng)}[^1]\n\n[^1]: {sentence(rng)}")
    if attachment:
        parts.append(f"Download the [full document]({{static}}/{attachment}).")
    parts.append(paragraph(rng, names))
    return "\n\n".join(parts)


def generate(out_dir, posts=1000, speakers=10, seed=1):
    """Write the corpus under out_dir/content and return that folder."""
    rng = random.Random(seed)
    content = Path(out_dir) / "content"
    content.mkdir(parents=True, exist_ok=True)

    for order, (slug, title, label) in enumerate(CATEGORIES, start=1):
        write(content / "categories" / f"{slug}.md",
              f"Title: {title}\nLabel: {label}\nOrder: {order}\n\n{paragraph(rng)}\n")

    people = make_speakers(rng, speakers)
    for s in people:
        write(content / "speakers" / f"{s['slug']}.md",
              f"Name: {s['name']}\nHonorific: {s['honorific']}\nRoles: {s['roles']}\n"
              f"Agency: {s['agency']}\nJurisdiction: {s['jurisdiction']}\n\n{paragraph(rng)}\n")

    files = [f"files/document-{i:02d}.pdf" for i in range(12)]
    for i, rel in enumerate(files):
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(minimal_pdf(f"Document {i}"))

    write(content / "pages" / "about.md",
          f"Title: About\nSlug: about\n\n{paragraph(rng)}\n\n{paragraph(rng)}\n")

    start = datetime(2012, 1, 1, 9, 0)
    for i in range(posts):
        cat_slug, cat_title, label = CATEGORIES[rng.randrange(len(CATEGORIES))]
        date = start + timedelta(hours=rng.randint(0, 24 * 365 * 13))
        title = f"{label}: {sentence(rng)[:-1][:70].title()} {i}"
        slug = f"post-{i}-{'-'.join(title.lower().split()[2:6])}"
        slug = "".join(c for c in slug if c.isalnum() or c == "-")
        tags = sorted(set(rng.sample(TAGS, rng.randint(1, 4))))
        mentioned = rng.sample(people, min(len(people), rng.randint(0, 3))) if people else []
        attachment = files[rng.randrange(len(files))] if rng.random() < 0.25 else None
        meta = [
            f"Title: {title}",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Category: {cat_title}",
            f"Tags: {', '.join(tags)}",
            f"Slug: {slug}",
            f"Summary: {sentence(rng)}",
        ]
        if mentioned:
            meta.append(f"Speakers: {', '.join(s['slug'] for s in mentioned)}")
        if attachment:
            meta.append(f"Attachments: {attachment}")
        write(content / "posts" / cat_slug / f"{date:%Y-%m-%d}-{slug}.md",
              "\n".join(meta) + "\n\n" + post_body(rng, mentioned, attachment) + "\n")
    return content


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--speakers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.out_dir, args.posts, args.speakers, args.seed))


if __name__ == "__main__":
    main()
