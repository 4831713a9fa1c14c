"""Scale benchmark: the real pages repeated to the newsletter's true size, in one run.

    python -m tests.bench.scale [--sizes 159,350,1000] [--output FILE] [--keep DIR]
                                [--queries N]

For each size N a source tree is made (``scaled_sources``): the real sources (``index.md``,
``docs/``, ``issues/0001..0159.md``) and, above 159, copies of the real issues renumbered
160..N (issue n is a copy of issue ((n-1) % 159) + 1, dated weekly after the last real
issue, with a Substack source address), plus a year page for each new year. Each tree is
built exactly as ``make html`` does. Reported per size, beside the 159-issue book:

- bytes per kind of page: the largest page of each kind, raw and ``gzip -9``, and how many
  pages of that kind; the total size of the build; every HTML page over 100 KB gzipped or
  500 KB raw;
- per query (``tests/bench/search.py``'s ``measure_typed``, served gzipped, Debian's
  Chromium): bytes from opening ``search.html`` to the first results, time from the last
  keystroke to them, R-precision@10 (a copied issue is relevant when its original is);
  and the bytes the link finder downloads once the reader types.

``--keep DIR`` keeps the trees and builds in DIR and reuses a build already there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.generate import REPO, year_page
from tests.bench.search_queries import QUERIES, r_precision, relevant

RESULTS = REPO / "docs" / "benchmarks" / "scale.md"
#: The real archive: issues 1..159, the last dated 2022-12-30.
REAL_ISSUES = 159
LAST_REAL_DATE = dt.date(2022, 12, 30)
SUBSTACK = "https://weeklykagglenews.substack.com/p/weekly-kaggle-news-{n}"
HEADER = """# Scale benchmark

The real pages repeated to the newsletter's true size (350 issues today, 1,000 in a few
years) beside the real 159-issue book, built as `make html` does, in one run of
`make bench-scale` (`tests/bench/scale.py`; `--append --label ...` adds a later run's
section below). Issue n > 159 is a copy of issue ((n-1) % 159) + 1, dated weekly after
2022-12-30.

"""
GZ_LIMIT = 100_000
RAW_LIMIT = 500_000


def original_of(number: int) -> int:
    """The real issue that issue ``number`` of a scaled archive copies."""
    return (number - 1) % REAL_ISSUES + 1


def scaled_date(number: int) -> dt.date:
    """A copy's date: weekly after the last real issue."""
    return LAST_REAL_DATE + dt.timedelta(days=7 * (number - REAL_ISSUES))


def renumbered(text: str, number: int) -> str:
    """A real issue's page as issue ``number``: front matter and heading renumbered."""
    head, sep, body = text.partition("\n---\n")
    head = re.sub(r"^issue: .*$", f"issue: {number}", head, count=1, flags=re.M)
    head = re.sub(r"^date: .*$", f"date: {scaled_date(number).isoformat()}", head, flags=re.M)
    head = re.sub(
        r"^title: .*$", f'title: "Weekly Kaggle News #{number}"', head, count=1, flags=re.M
    )
    head = re.sub(r"^source: .*$", f"source: {SUBSTACK.format(n=number)}", head, flags=re.M)
    body = re.sub(r"^# .*$", f"# Weekly Kaggle News #{number}", body, count=1, flags=re.M)
    return head + sep + body


def scaled_sources(size: int, dest: Path) -> Path:
    """Write the real book's sources with ``size`` issues into ``dest`` (replaced)."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "issues").mkdir(parents=True)
    shutil.copy(REPO / "index.md", dest / "index.md")
    shutil.copytree(REPO / "docs", dest / "docs", ignore=shutil.ignore_patterns("benchmarks"))
    for number in range(1, min(size, REAL_ISSUES) + 1):
        shutil.copy(REPO / "issues" / f"{number:04d}.md", dest / "issues" / f"{number:04d}.md")
    originals = {
        n: (REPO / "issues" / f"{n:04d}.md").read_text(encoding="utf-8")
        for n in range(1, REAL_ISSUES + 1)
    }
    for number in range(REAL_ISSUES + 1, size + 1):
        page = renumbered(originals[original_of(number)], number)
        (dest / "issues" / f"{number:04d}.md").write_text(page, encoding="utf-8")
        year = dest / "docs" / "years" / f"{scaled_date(number).year}.md"
        if not year.exists():
            year.write_text(year_page(scaled_date(number).year, [], floor=False), "utf-8")
    return dest


def build(src: Path) -> Path:
    """``make html`` on ``src``: its own configuration, doctrees apart, -j auto."""
    out = src / "_build" / "html"
    if (out / "search.html").exists():
        return out
    command = [sys.executable, "-m", "sphinx", "-q", "-c", str(src / "docs"), "-b", "html"]
    command += ["-d", str(src / "_build" / "doctrees"), "-j", "auto", str(src), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"build of {src} failed:\n{done.stderr[-3000:]}")
    return out


#: Kinds of page, by path inside the build (first match wins).
KINDS: tuple[tuple[str, str], ...] = (
    ("home", r"index\.html"),
    ("issue page", r"issues/\d+\.html"),
    ("year page", r"docs/years/\d+\.html"),
    ("tags index", r"tags/index\.html"),
    ("tag page", r"tags/.+\.html"),  # and its parts (tags/kaggle/2.html)
    ("tag feed", r"tags/[^/]+\.xml"),
    ("sites index", r"sites/index\.html"),
    ("site page", r"sites/.+\.html"),
    ("competitions index", r"competitions/index\.html"),
    ("competition page", r"competitions/.+\.html"),
    ("competition feed", r"competitions/.+\.xml"),
    ("overview", r"docs/overview\.html"),
    ("search.html", r"search\.html"),
    ("link finder", r"links/index\.html"),
    ("genindex", r"genindex\.html"),
    ("feed", r"feed\.xml"),
    ("links.json", r"links\.json"),
    ("search index", r"_search/.+"),
)


@dataclass
class Kind:
    count: int = 0
    raw: int = 0
    gz: int = 0
    largest: str = ""


@dataclass
class Weights:
    kinds: dict[str, Kind] = field(default_factory=dict)
    total: int = 0
    heavy: list[tuple[str, int, int]] = field(default_factory=list)


def weigh(html: Path) -> Weights:
    weights = Weights({name: Kind() for name, _ in KINDS})
    for path in sorted(html.rglob("*")):
        if not path.is_file():
            continue
        size = path.stat().st_size
        weights.total += size
        rel = path.relative_to(html).as_posix()
        name = next((n for n, pattern in KINDS if re.fullmatch(pattern, rel)), None)
        if name is None and not rel.endswith(".html"):
            continue
        data = path.read_bytes()
        gz = len(gzip.compress(data, 9, mtime=0))
        if rel.endswith(".html") and (gz > GZ_LIMIT or size > RAW_LIMIT):
            weights.heavy.append((rel, size, gz))
        if name is None:
            continue
        kind = weights.kinds[name]
        kind.count += 1
        if gz > kind.gz:
            kind.raw, kind.gz, kind.largest = size, gz, rel
    return weights


@dataclass
class Query:
    query: str
    kilobytes: float
    milliseconds: float
    r_precision: float
    #: issues on the first screen of results
    shown: int


def finder_redirects(html: Path) -> bool:
    page = html / "links" / "index.html"
    return not page.exists() or 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def measure_finder(browser, base: str, counter, query: str) -> float:
    """KB the link finder downloads from opening it until the reader's query is answered."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/index.html", wait_until="load")
        counter.reset()
        page.goto(f"{base}/links/index.html", wait_until="load")
        page.locator("#wkn-finder input[name=q]").click()
        page.keyboard.type(query, delay=80)
        page.wait_for_load_state("networkidle", timeout=60_000)
        page.wait_for_timeout(300)
        return counter.sent / 1000
    finally:
        context.close()


def search_queries(html: Path, size: int, queries: list[str]) -> tuple[list[Query], float | None]:
    from playwright.sync_api import sync_playwright

    from tests.bench.chromium import launch
    from tests.bench.gzserve import serve_gzipped
    from tests.bench.search import measure_typed

    base, counter, server = serve_gzipped(html)
    rows = []
    finder = None
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for query in queries:
                row = measure_typed(browser, base, counter, query)
                wanted = frozenset(
                    n for n in range(1, size + 1) if original_of(n) in relevant(query)
                )
                score = r_precision(row.ranked, wanted)
                rows.append(Query(query, row.kilobytes, row.milliseconds, score, len(row.ranked)))
                print(
                    f"  {size}: {score:.2f} {row.milliseconds:5.0f} ms "
                    f"{row.kilobytes:6.0f} KB  {query}",
                    file=sys.stderr,
                    flush=True,
                )
            if not finder_redirects(html):
                finder = measure_finder(browser, base, counter, queries[0])
            browser.close()
    finally:
        server.shutdown()
    return rows, finder


def kb(n: float) -> str:
    return f"{n / 1000:,.0f}"


def report(
    label: str,
    weights: dict[int, Weights],
    searches: dict[int, tuple[list[Query], float | None]],
) -> str:
    sizes = sorted(weights)
    lines = [f"## {label}", "", "### Bytes per kind of page", ""]
    lines.append(
        "Largest page of each kind, KB raw / gzip -9 (pages of that kind). "
        "`make bench-scale` writes this file."
    )
    lines += ["", "| kind | " + " | ".join(f"{s} issues" for s in sizes) + " |"]
    lines.append("| --- |" + " --- |" * len(sizes))
    for name, _ in KINDS:
        cells = []
        for s in sizes:
            k = weights[s].kinds[name]
            cells.append(f"{kb(k.raw)} / {kb(k.gz)} ({k.count})" if k.count else "-")
        if any(c != "-" for c in cells):
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        "| whole `_build/html` (MB) | "
        + " | ".join(f"{weights[s].total / 1e6:,.1f}" for s in sizes)
        + " |"
    )
    lines += ["", f"HTML pages over {GZ_LIMIT // 1000} KB gz or {RAW_LIMIT // 1000} KB raw:", ""]
    for s in sizes:
        heavy = sorted(weights[s].heavy, key=lambda h: -h[2])
        listed = ", ".join(f"`{p}` {kb(r)} / {kb(g)} KB" for p, r, g in heavy) or "none"
        lines.append(f"- {s} issues ({len(heavy)}): {listed}")
    if searches:
        lines += ["", "### Per query", ""]
        lines.append(
            "`search.html` served gzipped, Chromium, theme files cached: KB from opening it "
            "to the first results, ms from the last keystroke to them, R-precision@10 "
            "(a copied issue is relevant when its original is)."
        )
        lines += ["", "| size | queries | KB median | KB max | ms median | ms max | "]
        lines[-1] += "R-prec mean | R-prec min | link finder KB once typed |"
        lines.append("| --- |" + " --- |" * 8)
        for s in sorted(searches):
            rows, finder = searches[s]
            if not rows:
                continue
            kbs = [r.kilobytes for r in rows]
            ms = [r.milliseconds for r in rows]
            rp = [r.r_precision for r in rows]
            finder_cell = f"{finder:,.0f}" if finder is not None else "redirects to search"
            lines.append(
                f"| {s} | {len(rows)} | {statistics.median(kbs):,.0f} | {max(kbs):,.0f} | "
                f"{statistics.median(ms):.0f} | {max(ms):.0f} | {statistics.mean(rp):.3f} | "
                f"{min(rp):.2f} | {finder_cell} |"
            )
        base = searches.get(REAL_ISSUES)
        if base and base[0]:
            others = [s for s in sorted(searches) if s != REAL_ISSUES]
            lines += [
                "",
                "KB (issues shown): a query with fewer issues than a page at 159 shows more at a "
                "larger size, and each issue shown downloads its entries.",
            ]
            head = ["query", "KB at 159"]
            for s in others:
                head += [f"KB at {s}", f"ratio {s}/159", f"R-prec at {s}"]
            head.append("ms at 159")
            lines += ["", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
            by = {s: {r.query: r for r in searches[s][0]} for s in searches}
            order = sorted(
                base[0],
                key=lambda r: (
                    -max(
                        (
                            by[s][r.query].kilobytes / r.kilobytes
                            for s in others
                            if r.query in by[s]
                        ),
                        default=0,
                    )
                ),
            )
            for r in order:
                cells = [r.query, f"{r.kilobytes:,.0f} ({r.shown})"]
                for s in others:
                    o = by[s].get(r.query)
                    cells += (
                        [
                            f"{o.kilobytes:,.0f} ({o.shown})",
                            f"{o.kilobytes / r.kilobytes:.2f}",
                            f"{o.r_precision:.2f}",
                        ]
                        if o
                        else ["-", "-", "-"]
                    )
                cells.append(f"{r.milliseconds:.0f}")
                lines.append("| " + " | ".join(cells) + " |")
            lines += ["", like_for_like(base[0], {s: searches[s][0] for s in others})]
            lines += ["", "Worst queries (most KB at the largest size): "]
            largest = max(searches)
            worst = sorted(searches[largest][0], key=lambda r: -r.kilobytes)[:5]
            lines[-1] += ", ".join(f"{r.query} ({r.kilobytes:,.0f} KB)" for r in worst) + "."
    return "\n".join(lines) + "\n"


def like_for_like(base: list[Query], larger: dict[int, list[Query]]) -> str:
    """The ratios to the 159-issue book: of the median, of the queries that show as many
    issues at both sizes (like with like), and the queries that show more at the larger."""
    parts = []
    base_kb = statistics.median(r.kilobytes for r in base)
    for size, rows in sorted(larger.items()):
        by_query = {r.query: r for r in rows}
        pairs = [(r, by_query[r.query]) for r in base if r.query in by_query]
        same = [(a, b) for a, b in pairs if a.shown == b.shown]
        more = [(a, b) for a, b in pairs if b.shown > a.shown]
        text = (
            f"At {size}: median KB {statistics.median(r.kilobytes for r in rows) / base_kb:.2f}"
            f" times the 159-issue median"
        )
        if same:
            a, b = max(same, key=lambda pair: pair[1].kilobytes / pair[0].kilobytes)
            text += (
                f"; of the {len(same)} queries showing as many issues at both sizes, the most"
                f" is {b.kilobytes / a.kilobytes:.2f} times ({a.query})"
            )
        if more:
            worst = sorted(more, key=lambda pair: -pair[1].kilobytes / pair[0].kilobytes)
            text += f"; {len(more)} show more issues: " + ", ".join(
                f"{a.query} {a.shown} → {b.shown} issues, {b.kilobytes / a.kilobytes:.2f} times"
                for a, b in worst[:3]
            )
        parts.append(text + ".")
    return " ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="159,350,1000")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) trees and builds here")
    parser.add_argument("--queries", type=int, help="type only the first N queries (0: none)")
    parser.add_argument("--label", default="Scale benchmark", help="the section's heading")
    parser.add_argument(
        "--append", action="store_true", help="add the section after the file's text"
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    queries = list(QUERIES) if args.queries is None else list(QUERIES)[: args.queries]
    with tempfile.TemporaryDirectory(prefix="wkn-scale-") as temp:
        work = args.keep or Path(temp)
        weights, searches = {}, {}
        for size in sizes:
            src = work / f"book-{size}"
            if not (src / "_build" / "html" / "search.html").exists():
                print(f"building {size} issues …", file=sys.stderr, flush=True)
                scaled_sources(size, src)
            html = build(src)
            weights[size] = weigh(html)
            if queries:
                searches[size] = search_queries(html, size, queries)
    text = report(args.label, weights, searches)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.append and args.output.exists():
        text = args.output.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text
    else:
        text = HEADER + text
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
