"""Mention linking must cost the same with 10 people or 1,000: time it on 2,000 synthetic posts.

Standalone: `python benchmarks/bench_mentions.py [--posts 2000] [--runs 5] [--gc]`. Both runs
link the same posts, each naming three people, with headings, links and code that must be
skipped; the second run's matcher knows 990 more people. The timed step is what a build does:
build the matcher once, then run link_mentions over every post. Prints the median of the runs
for each pool size and their ratio; a ratio near 1 means the cost does not grow with the
number of people. The GC is off while timing (as timeit does) unless --gc is given.
"""

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from speaker_profiles.mentions import MentionMatcher, link_mentions  # noqa: E402

SYLLABLES = ["ka", "lo", "ran", "ves", "te", "ri", "mo", "dan", "sel", "vi", "ta", "nor",
             "bel", "qui", "ro", "sa", "mir", "ul", "fen", "dor", "a", "e", "is", "on"]
HONORIFICS = ["Chief", "Sheriff", "Director", "Commissioner"]


def make_people(count, rng):
    people, seen = [], set()
    while len(people) < count:
        first = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        last = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        people.append((f"p{len(people)}", f"{rng.choice(HONORIFICS)} {name}", name))
    return people


def make_posts(count, people, rng):
    posts = []
    filler = ("The task force met federal partners to talk about trust, data and the border. "
              "Local agencies shared what works in their communities and what does not. ") * 3
    for number in range(count):
        a, b, c = rng.sample(people, 3)
        posts.append(
            f"<h2>Meeting {number} with {a[2]}</h2>"
            f"<p>{filler}{a[1]} opened the session. {filler}</p>"
            f"<p>Later {b[2]} and <strong>{c[1]}</strong> spoke; {a[2]} answered. {filler}</p>"
            f'<p>See <a href="/x/">{b[1]}</a> and <code>{c[2]}</code>. {filler}</p>'
        )
    return posts


def build_matcher(people):
    return MentionMatcher((slug, [full, bare]) for slug, full, bare in people)


def link_all(matcher, posts):
    linked = 0
    for html in posts:
        _html, mentioned = link_mentions(html, matcher, lambda slug: f"/speakers/{slug}/")
        linked += len(mentioned)
    return linked


def timed_run(people, posts, keep_gc=False):
    """(seconds to build the matcher, seconds for the whole step), with the GC off as timeit does."""
    gc.collect()
    if not keep_gc:
        gc.disable()
    try:
        start = time.perf_counter()
        matcher = build_matcher(people)
        built = time.perf_counter()
        linked = link_all(matcher, posts)
        done = time.perf_counter()
    finally:
        gc.enable()
    assert linked == 3 * len(posts), linked  # every post mentions its three people
    return built - start, done - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gc", action="store_true", help="leave the garbage collector on")
    args = parser.parse_args()
    # The same posts for both sizes, naming people from the first ten; the larger pool only adds
    # people the matcher must know about. So the work of linking is equal and only the number
    # of known people changes.
    rng = random.Random(2024)
    pool = make_people(1000, rng)
    posts = make_posts(args.posts, pool[:10], rng)
    corpora = {10: (pool[:10], posts), 1000: (pool, posts)}
    builds = {size: [] for size in corpora}
    totals = {size: [] for size in corpora}
    # Interleaved, so a busy machine slows both sizes alike.
    for _ in range(args.runs):
        for size, (people, posts) in corpora.items():
            build, total = timed_run(people, posts, args.gc)
            builds[size].append(build)
            totals[size].append(total)
    for size in corpora:
        print(f"{size:>5} speakers, {args.posts} posts: {statistics.median(totals[size]):.3f} s "
              f"(median of {args.runs}; building the matcher: {statistics.median(builds[size]):.3f} s)")
    ratio = statistics.median(totals[1000]) / statistics.median(totals[10])
    print(f"ratio 1000/10: {ratio:.2f}")


if __name__ == "__main__":
    main()
