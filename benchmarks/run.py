"""Benchmark the kit against bare Pelican on the same synthetic posts (`make bench`).

Every build is the real `pelican` command in a child process. For each corpus size the
variants run one after the other, alternating which goes first, and the table reports
medians. Peak memory is the largest resident set of any process in the build's tree
(from the child's rusage, so forked read-ahead workers count too).

    python benchmarks/run.py                 # N = 1,000 and 4,000; M = 10 and 1,000; 3 runs
    python benchmarks/run.py --quick         # N = 1,000 only, 1 run
    python benchmarks/run.py --sizes 1000 --speakers 10,1000 --runs 3 --with-off

Variants:
  bare  Pelican, no plugins, the built-in `simple` theme
  kit   every plugin in plugins/ and the coalition theme, speed-ups at their defaults (on)
  off   (with --with-off) the kit with every SPEEDUP_* setting off
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

# Settings both variants share, so the only differences are the theme and the plugins.
COMMON = {
    "SITENAME": "Benchmark Coalition",
    "SITEURL": "",
    "RELATIVE_URLS": True,
    "TIMEZONE": "UTC",
    "DEFAULT_LANG": "en",
    "DEFAULT_PAGINATION": 10,
    "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
    "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
    "PAGE_URL": "{slug}/",
    "PAGE_SAVE_AS": "{slug}/index.html",
    "CATEGORY_URL": "category/{slug}/",
    "CATEGORY_SAVE_AS": "category/{slug}/index.html",
    "TAG_URL": "tag/{slug}/",
    "TAG_SAVE_AS": "tag/{slug}/index.html",
    "FEED_DOMAIN": "https://example.org",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": "feeds/category/{slug}.atom.xml",
    "CATEGORY_FEED_RSS": "feeds/category/{slug}.rss.xml",
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "STATIC_PATHS": ["files"],
    # Speaker and category files are not posts. In the kit, speaker_profiles and
    # blog_sections add these exclusions themselves once merged; listing them here as well
    # keeps the two variants reading exactly the same posts.
    "ARTICLE_EXCLUDES": ["pages", "speakers", "categories", "files"],
    "PAGE_EXCLUDES": ["speakers", "categories", "files"],
    "CACHE_PATH": "cache",
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
}

SPEEDUPS_OFF = {
    "SPEEDUP_MARKDOWN_REUSE": False,
    "SPEEDUP_PARALLEL_READ": False,
    "SPEEDUP_PARALLEL_WRITE": False,
    "SPEEDUP_TEMPLATE_CACHE": False,
    "SPEEDUP_DATE_CACHE": False,
    "SPEEDUP_URL_CACHE": False,
}


def kit_plugins():
    return sorted(p.name for p in (REPO / "plugins").iterdir() if (p / "__init__.py").is_file())


def conf_text(variant, cached=False):
    settings = dict(COMMON)
    lines = []
    if variant == "bare":
        settings.update(THEME="simple", PLUGINS=[])
    else:
        lines.append("import leitf_site")
        settings.update(PLUGIN_PATHS=[str(REPO / "plugins")], PLUGINS=kit_plugins())
        if variant == "off":
            settings.update(SPEEDUPS_OFF)
    if cached:
        settings.update(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    lines += [f"{k} = {v!r}" for k, v in settings.items()]
    if variant != "bare":
        lines.append("THEME = leitf_site.theme_path()")
    return "\n".join(lines) + "\n"


class Build:
    def __init__(self, wall, cpu, maxrss_kb, code):
        self.wall, self.cpu, self.maxrss_kb, self.code = wall, cpu, maxrss_kb, code


def run_pelican(site, conf, output, log):
    """One build of the real CLI; wall time, CPU time and peak RSS from the child's rusage."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "pelican", "content", "-o", str(output), "-s", conf],
            cwd=site, stdout=out, stderr=subprocess.STDOUT,
            env=dict(os.environ, COLUMNS="200", NO_COLOR="1"),
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"pelican failed ({conf} in {site}); see {log}:\n" + Path(log).read_text()[-3000:])
    return Build(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode)


def cold_build(site, variant):
    output = site / f"output-{variant}"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site / "cache", ignore_errors=True)
    return run_pelican(site, f"{variant}.py", output, site / f"{variant}.log")


def prepare(workdir, posts, speakers):
    site = workdir / f"n{posts}-m{speakers}"
    if not (site / "content").is_dir():
        corpus.generate(site, posts=posts, speakers=speakers, seed=1)
    for variant in ("bare", "kit", "off"):
        (site / f"{variant}.py").write_text(conf_text(variant), encoding="utf-8")
        (site / f"{variant}-cached.py").write_text(conf_text(variant, cached=True), encoding="utf-8")
    return site


def median(builds, attr):
    return statistics.median(getattr(b, attr) for b in builds)


def one_post(site):
    posts = sorted((site / "content" / "posts").rglob("*.md"))
    return posts[len(posts) // 2]


def cached_rebuild(site, variant, runs):
    """Cold build with the content cache on, edit one post, rebuild: the devserver case."""
    colds, warms = [], []
    post = one_post(site)
    original = post.read_text(encoding="utf-8")
    conf = f"{variant}-cached.py"
    output = site / f"output-{variant}-cached"
    try:
        for r in range(runs):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(site / "cache", ignore_errors=True)
            colds.append(run_pelican(site, conf, output, site / f"{variant}-cached.log"))
            post.write_text(original + f"\nOne more sentence, edit {r}.\n", encoding="utf-8")
            warms.append(run_pelican(site, conf, output, site / f"{variant}-cached.log"))
            post.write_text(original, encoding="utf-8")
    finally:
        post.write_text(original, encoding="utf-8")
        shutil.rmtree(site / "cache", ignore_errors=True)
    return colds, warms


def cores():
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return os.cpu_count(), usable


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,4000", help="post counts, comma-separated")
    parser.add_argument("--speakers", default="10,1000", help="speaker counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="N = 1,000 only, one run")
    parser.add_argument("--with-off", action="store_true", help="also time the kit with every speed-up off")
    parser.add_argument("--no-cached", action="store_true", help="skip the cached-rebuild timing")
    parser.add_argument("--workdir", help="where corpora and outputs go (default: a temporary folder)")
    parser.add_argument("--results", default=str(HERE / "results.md"))
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    speakers = [int(x) for x in args.speakers.split(",")]
    runs = args.runs
    if args.quick:
        sizes, runs = [1000], 1

    variants = ["bare", "kit"] + (["off"] if args.with_off else [])
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="leitf-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"corpora and outputs in {workdir}", flush=True)

    sites = {(n, m): prepare(workdir, n, m) for n in sizes for m in speakers}
    load_before = _loadavg()
    results = {key: {v: [] for v in variants} for key in sites}
    for r in range(runs):
        order = variants if r % 2 == 0 else list(reversed(variants))
        for key, site in sites.items():
            for variant in order:
                build = cold_build(site, variant)
                results[key][variant].append(build)
                print(f"run {r + 1}/{runs} N={key[0]} M={key[1]} {variant}: {build.wall:.2f} s, "
                      f"{build.maxrss_kb / 1024:.0f} MB", flush=True)

    cached = {}
    if not args.no_cached:
        n_cached = 1000 if 1000 in sizes else sizes[0]
        site = sites[(n_cached, speakers[0])]
        for variant in ("bare", "kit"):
            cached[variant] = cached_rebuild(site, variant, runs)
            colds, warms = cached[variant]
            print(f"cached N={n_cached} {variant}: cold {median(colds, 'wall'):.2f} s, "
                  f"after one edit {median(warms, 'wall'):.2f} s", flush=True)

    load = (load_before, _loadavg())
    report = render(results, cached, sizes, speakers, runs, variants, argv, load)
    Path(args.results).write_text(report, encoding="utf-8")
    print(report)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def _loadavg():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def render(results, cached, sizes, speakers, runs, variants, argv, load):
    total, usable = cores()
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {total} CPU cores ({usable} usable by the build), {platform.machine()}, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Pelican {_pelican_version()}",
        f"- Command: `{' '.join(['python benchmarks/run.py', *(argv if argv is not None else sys.argv[1:])])}`",
        f"- Medians of {runs} run(s) per cell; variants alternate which runs first.",
        "- bare: Pelican, no plugins, `simple` theme. kit: plugins "
        f"{', '.join(kit_plugins())} and the coalition theme, speed-ups on."
        + (" off: the kit with every `SPEEDUP_*` off." if "off" in variants else ""),
        "- Peak memory: largest resident set of any process in the build (child rusage maxrss).",
        "- CPU: user + system time of the build and its workers. Wall time is what the budget "
        "counts; CPU time shows the work done, which other load on the machine does not change much.",
        f"- 1-minute load average before and after the benchmark: {load[0]:.2f} and {load[1]:.2f} "
        f"(on {usable} usable cores; a load above the core count means other processes competed "
        "for the CPU and wall times are noisy).",
        "",
        "## Cold builds",
        "",
    ]
    head = "| N posts | M speakers | bare s | kit s | kit/bare |"
    rule = "| ---: | ---: | ---: | ---: | ---: |"
    if "off" in variants:
        head += " kit, speed-ups off s |"
        rule += " ---: |"
    head += " bare MB | kit MB | kit/bare memory | bare CPU s | kit CPU s | kit/bare CPU |"
    rule += " ---: | ---: | ---: | ---: | ---: | ---: |"
    lines += [head, rule]
    for (n, m), by_variant in results.items():
        bare, kit = by_variant["bare"], by_variant["kit"]
        row = (f"| {n:,} | {m:,} | {median(bare, 'wall'):.2f} | {median(kit, 'wall'):.2f} | "
               f"{median(kit, 'wall') / median(bare, 'wall'):.2f} |")
        if "off" in variants:
            row += f" {median(by_variant['off'], 'wall'):.2f} |"
        row += (f" {median(bare, 'maxrss_kb') / 1024:.0f} | {median(kit, 'maxrss_kb') / 1024:.0f} | "
                f"{median(kit, 'maxrss_kb') / median(bare, 'maxrss_kb'):.2f} | "
                f"{median(bare, 'cpu'):.2f} | {median(kit, 'cpu'):.2f} | "
                f"{median(kit, 'cpu') / median(bare, 'cpu'):.2f} |")
        lines.append(row)

    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        lines += ["", f"## Scaling from {small:,} to {large:,} posts (wall time)", "",
                  "| M speakers | bare | kit |", "| ---: | ---: | ---: |"]
        for m in speakers:
            b = median(results[(large, m)]["bare"], "wall") / median(results[(small, m)]["bare"], "wall")
            k = median(results[(large, m)]["kit"], "wall") / median(results[(small, m)]["kit"], "wall")
            lines.append(f"| {m:,} | {b:.2f}× | {k:.2f}× |")

    if cached:
        n_cached = 1000 if 1000 in sizes else sizes[0]
        lines += ["", f"## Cached rebuild after editing one post (N = {n_cached:,}, M = {speakers[0]:,})", "",
                  "`CACHE_CONTENT = LOAD_CONTENT_CACHE = True`; cold build with an empty cache, "
                  "then one post edited and the site rebuilt.", "",
                  "| variant | cold s | after one edit s | rebuild/cold |", "| --- | ---: | ---: | ---: |"]
        for variant, (colds, warms) in cached.items():
            cold, warm = median(colds, "wall"), median(warms, "wall")
            lines.append(f"| {variant} | {cold:.2f} | {warm:.2f} | {warm / cold:.2f} |")

    lines += ["", "## Budgets (issue 8)", ""]
    lines += budget_lines(results, cached, sizes, speakers)
    return "\n".join(lines) + "\n"


def budget_lines(results, cached, sizes, speakers):
    out = []
    large, small = max(sizes), min(sizes)
    m = max(speakers)
    kit, bare = results[(large, m)]["kit"], results[(large, m)]["bare"]
    ratio = median(kit, "wall") / median(bare, "wall")
    out.append(f"- kit/bare wall time at N = {large:,}, M = {m:,}: {ratio:.2f} (budget ≤ 1.00) "
               f"{'met' if ratio <= 1.0 else 'NOT met'}")
    if len(sizes) > 1:
        worst = max(median(results[(large, mm)]["kit"], "wall") / median(results[(small, mm)]["kit"], "wall")
                    for mm in speakers)
        out.append(f"- kit scaling {small:,} → {large:,}: {worst:.2f}× at worst (budget ≤ 4.2×) "
                   f"{'met' if worst <= 4.2 else 'NOT met'}")
    mem = max(median(results[key]["kit"], "maxrss_kb") / median(results[key]["bare"], "maxrss_kb")
              for key in results)
    out.append(f"- kit/bare peak memory: {mem:.2f} at worst (budget ≤ 1.5) {'met' if mem <= 1.5 else 'NOT met'}")
    if "kit" in cached:
        colds, warms = cached["kit"]
        r = median(warms, "wall") / median(colds, "wall")
        out.append(f"- kit cached rebuild / cold build: {r:.2f} (budget ≤ 0.35) {'met' if r <= 0.35 else 'NOT met'}")
    return out


def _pelican_version():
    from importlib.metadata import version

    return version("pelican")


if __name__ == "__main__":
    main()
