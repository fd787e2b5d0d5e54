"""Every speaker_profiles mistake a maintainer can make, and the one line the build must print.

Each case builds a tiny site with the real CLI: `files` are content files, `settings` go into
pelicanconf.py, and one line of the failed build's output must hold every `expect` fragment.
tests/test_speaker_profiles.py runs them all; the quality gate collects every bad_input_*.py.
"""

LUNA = "Name: Robert Luna\nHonorific: Sheriff\nJurisdiction: Los Angeles County, CA\n\nBio.\n"
BATISTA = "Name: Ramon Batista\nHonorific: Chief\n\nBio.\n"
PEOPLE = {"speakers/robert-luna.md": LUNA, "speakers/ramon-batista.md": BATISTA}


def post(speakers=None, category="News"):
    line = f"Speakers: {speakers}\n" if speakers else ""
    return f"Title: A post\n{line}Date: 2024-01-01\nCategory: {category}\n\nText.\n"


def case(id, files, expect, settings=None):
    return {"id": id, "files": files, "settings": settings or {}, "expect": expect}


CASES = [
    case("unknown-speaker-in-post",
         {**PEOPLE, "posts/a.md": post("robert-luna, ramon-batist")},
         ("posts/a.md", "speakers", "unknown speaker 'ramon-batist'", "closest known: ramon-batista")),
    case("speaker-without-any-speaker-files",
         {"posts/a.md": post("jane-doe")},
         ("posts/a.md", "speakers", "unknown speaker 'jane-doe'", "no speaker files")),
    case("duplicate-slug",
         {**PEOPLE, "speakers/luna-again.md": "Name: Bob Luna\nSlug: robert-luna\n\nBio.\n",
          "posts/a.md": post()},
         ("speakers/robert-luna.md", "speakers/luna-again.md", "slug", "'robert-luna'")),
    case("missing-name",
         {**PEOPLE, "speakers/nobody.md": "Honorific: Chief\nJurisdiction: Fresno, CA\n\nBio.\n",
          "posts/a.md": post()},
         ("speakers/nobody.md", "name", "is missing")),
    case("blank-name",
         {"speakers/blank.md": "Name:   \nHonorific: Chief\n\nBio.\n", "posts/a.md": post()},
         ("speakers/blank.md", "name", "is missing")),
    case("missing-photo",
         {**PEOPLE, "speakers/jane.md": "Name: Jane Doe\nPhoto: images/speakers/jane.jpg\n\nBio.\n",
          "posts/a.md": post()},
         ("speakers/jane.md", "photo", "'images/speakers/jane.jpg' does not exist")),
    case("photo-outside-content",
         {"speakers/jane.md": "Name: Jane Doe\nPhoto: ../secret.jpg\n\nBio.\n", "posts/a.md": post()},
         ("speakers/jane.md", "photo", "outside the content folder")),
    case("javascript-link",
         {"speakers/jane.md": "Name: Jane Doe\nLinks: https://x.com/jane, javascript:alert(1)\n\nBio.\n",
          "posts/a.md": post()},
         ("speakers/jane.md", "links", "javascript: scheme")),
    case("link-without-scheme",
         {"speakers/jane.md": "Name: Jane Doe\nLinks: www.example.org/jane\n\nBio.\n",
          "posts/a.md": post()},
         ("speakers/jane.md", "links", "not a full URL")),
    case("feed-collides-with-category-feed",
         {**PEOPLE, "posts/a.md": post("robert-luna", category="Robert Luna")},
         ("pelicanconf", "SPEAKER_FEED_ATOM", "category 'robert-luna'"),
         settings={"CATEGORY_FEED_ATOM": "feeds/x/{slug}.atom.xml",
                   "SPEAKER_FEED_ATOM": "feeds/x/{slug}.atom.xml"}),
    case("speaker-paths-not-a-list",
         {**PEOPLE, "posts/a.md": post()},
         ("pelicanconf", "SPEAKER_PATHS", "list of folders"),
         settings={"SPEAKER_PATHS": "speakers"}),
]
