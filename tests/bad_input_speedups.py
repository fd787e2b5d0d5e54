"""Every speed-up setting a maintainer can get wrong, and the one line the build must print.

Each case builds a tiny site with the real CLI (tests/test_speedups.py runs them); the
quality gate collects every bad_input_*.py.
"""

POST = {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nText.\n"}


def case(id, settings, expect):
    return {"id": id, "files": POST, "settings": settings, "expect": expect}


CASES = [
    case("switch-as-text", {"SPEEDUP_PARALLEL_READ": "no"},
         ("pelicanconf", "SPEEDUP_PARALLEL_READ", "must be True or False", "'no'")),
    case("switch-as-number", {"SPEEDUP_MARKDOWN_REUSE": 0},
         ("pelicanconf", "SPEEDUP_MARKDOWN_REUSE", "must be True or False")),
    case("workers-as-text", {"SPEEDUP_PARALLEL_WORKERS": "two"},
         ("pelicanconf", "SPEEDUP_PARALLEL_WORKERS", "must be a whole number")),
    case("negative-workers", {"SPEEDUP_PARALLEL_WORKERS": -1},
         ("pelicanconf", "SPEEDUP_PARALLEL_WORKERS", "0 or more")),
    case("min-files-as-float", {"SPEEDUP_PARALLEL_MIN_FILES": 2.5},
         ("pelicanconf", "SPEEDUP_PARALLEL_MIN_FILES", "must be a whole number")),
]
