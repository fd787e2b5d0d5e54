"""The sites every quality gate runs over, and one page of every type in each.

PAGE_TYPES is the one list of page types: the axe, keyboard and link gates read it, and a
new page type (a plugin's hub, speaker index, speaker profile...) is one more row here, with
its file in the LEITF build and in the fixture site (tests/fixtures/quality_site/), or None
where that site has no such page. The HTML validity gate covers every file anyway.

Each site is built once per test session (`built_site`), whichever test asks first.
"""

import hashlib
import shutil
from pathlib import Path

from helpers import FIXTURES, REPO, BuildResult, run_pelican_cli

LEITF_POST = (
    "2023/12/blog-post-open-channels-of-collaboration-between-local-law-enforcement-"
    "agencies-and-the-federal-government/index.html"
)

# name: (file in the LEITF build, file in the fixture site)
PAGE_TYPES = {
    "home": ("index.html", "index.html"),
    "home page 2": (None, "page/2/index.html"),
    "post": (LEITF_POST, "2024/01/town-hall-on-safe-streets/index.html"),
    "page": ("about/index.html", "about/index.html"),
    "category": ("category/blog/index.html", "category/news/index.html"),
    "categories": ("category/index.html", "category/index.html"),
    "tag": (None, "tag/safety/index.html"),
    "tags": ("tag/index.html", "tag/index.html"),
    "archives": ("archives/index.html", "archives/index.html"),
    "author": ("author/law-enforcement-immigration-task-force/index.html", "author/dana-ortiz/index.html"),
    "authors": ("author/index.html", "author/index.html"),
    "period archive": ("2023/12/index.html", "2024/index.html"),
    "404": ("404.html", "404.html"),
    "contact": ("contact/index.html", "contact/index.html"),
    "thanks": ("contact/thanks/index.html", "contact/thanks/index.html"),
    "Spanish page": (
        "2019/09/sign-on-letter-law-enforcement-leaders-ask-congress-for-lasting-immigration-reform/es/index.html",
        "es/about/index.html",
    ),
    "Spanish post": (None, "2024/04/free-first-aid-classes/es/index.html"),
    "hub": ("news-and-resources/index.html", "news-and-resources/index.html"),
    "speaker index": ("speakers/index.html", "speakers/index.html"),
    "speaker profile": ("speakers/ramon-batista/index.html", "speakers/ana-flores/index.html"),
    "search": ("search/index.html", "search/index.html"),
}

# Lighthouse is slow (about 20 s a page), so it runs on these types of the LEITF build only.
LIGHTHOUSE_TYPES = ("home", "post", "contact")

SITES = ("leitf", "fixture")
# Each site's public address (SITEURL in production, FEED_DOMAIN in a preview build): feed
# links and canonical URLs use it, and the link checker maps it onto the local server.
PUBLIC_ROOTS = {"leitf": "https://leitf.org", "fixture": "https://coalition.example.org"}
FIXTURE_SITE = FIXTURES / "quality_site"


def pages(site):
    """[(type name, file)] for one site; `site` is "leitf" or "fixture"."""
    column = SITES.index(site)
    return [(name, files[column]) for name, files in PAGE_TYPES.items() if files[column]]


def page_cases():
    """(site, type name, file) for every page of every type, for pytest.mark.parametrize."""
    return [(site, name, rel) for site in SITES for name, rel in pages(site)]


_built = {}


def build_with_cli(project, output, settings="pelicanconf.py", fatal=True):
    args = ["content", "-o", str(output), "-s", settings]
    if fatal:
        args += ["--fatal", "warnings"]
    code, log = run_pelican_cli(args, cwd=project)
    assert code == 0, log
    return BuildResult(output, log)


def built_site(name, tmp_path_factory):
    """The LEITF site or the fixture site, built with the real CLI once per session."""
    if name not in _built:
        project = REPO if name == "leitf" else FIXTURE_SITE
        output = tmp_path_factory.mktemp(f"quality-{name}") / "output"
        _built[name] = build_with_cli(project, output)
    return _built[name]


def tree_digest(root):
    """{relative path: sha256} of every file under root (a directory's exact content)."""
    root = Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def copy_project(source, target, with_output=False):
    """Copy a site project (content and settings) so it can be built somewhere else."""
    ignore = shutil.ignore_patterns("output", "cache", "__pycache__", ".venv", "node_modules", ".git",
                                    "tests", "benchmarks", "dist", "build", "*.egg-info", ".output-*")
    shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
    return Path(target)
