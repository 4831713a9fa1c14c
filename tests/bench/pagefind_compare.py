"""Pagefind 1.5 on the archive's cards, beside the current whole-archive search file.

    python -m tests.bench.pagefind_compare --html DIR [--repeat N]

From a built book's ``_search/entries.json`` (``make html``), one Pagefind custom record per
card and per intro section (url = issue page + anchor; content = title, site, excerpt and
commentary; meta title/issue/date; filters year, tag, site, platform, competition), at the
archive's size and repeated to ``--repeat`` issues (issue n is a copy of ((n-1) % 159)+1).
Each bundle is served gzipped on 127.0.0.1 and every query of
``tests/bench/search_queries.py`` runs through ``pagefind.search`` in Chromium, each in a
fresh browser context: bytes to open (pagefind.js, wasm, entry, filters), bytes from the
query to the first 10 results' data, R-precision@10 by issue, and the recall of exact
matches (cards whose folded content holds the folded query). The current search's cost is
the whole ``entries.json`` gzipped at both sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from tests.bench.chromium import launch
from tests.bench.gzserve import serve_gzipped
from tests.bench.search_queries import QUERIES, fold, r_precision, relevant

ARCHIVE = 159

#: Opens Pagefind in a blank page (what search.html would do before the first query).
OPEN = """async () => {
  window.pf = await import("/pagefind/pagefind.js");
  await window.pf.init();
  await window.pf.filters();
}"""
#: A query and the data of its first 10 results (what the reader sees first).
FIRST = """async (query) => {
  const search = await window.pf.search(query);
  window.last = search;
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return {count: search.results.length, first: data.map((d) => d.url)};
}"""
#: Every result's url, in rank order (for recall and ranking; not counted).
ALL = """async () => Promise.all(window.last.results.map(async (r) => (await r.data()).url))"""


def records(document: dict[str, Any], issues: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Pagefind records for ``issues`` issues, and url -> folded content."""
    originals = {issue["n"]: issue for issue in document["issues"]}
    competitions = document["competitions"]
    made: list[dict[str, Any]] = []
    folded: dict[str, str] = {}
    for number in range(1, issues + 1):
        issue = originals[(number - 1) % ARCHIVE + 1]
        page = f"issues/{number:04d}.html"
        for entry in issue["entries"]:
            _kind, anchor, title, site, excerpt, text, tags = entry[:7]
            mentioned = [competitions[i] for i in (entry[7] if len(entry) > 7 else [])]
            url = f"/{page}#{anchor}"
            content = "\n".join(part for part in (title, site, excerpt, text) if part)
            folded[url] = fold(content)
            filters = {
                "year": [issue["date"][:4]],
                "tag": [document["tags"].get(tag, tag) for tag in tags],
                "site": [site] if site else [],
                "platform": sorted({key.split("/")[0] for key, _name in mentioned}),
                "competition": [name for _key, name in mentioned],
            }
            made.append(
                {
                    "url": url,
                    "content": content,
                    "language": "ja",
                    "meta": {"title": title, "issue": str(number), "date": issue["date"]},
                    "filters": {k: v for k, v in filters.items() if v},
                }
            )
    return made, folded


async def write_bundle(made: list[dict[str, Any]], out: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(out / "pagefind"), force_language="ja")
    async with PagefindIndex(config=config) as index:
        for record in made:
            await index.add_custom_record(**record)
    (out / "index.html").write_text("<!doctype html><title>pagefind</title>", encoding="utf-8")


def issue_of(url: str) -> int:
    number = int(url.split("/")[-1].split(".")[0])
    return (number - 1) % ARCHIVE + 1


def measure(out: Path, folded: dict[str, str]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    base, counter, server = serve_gzipped(out)
    rows = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for query in (*QUERIES, '"Kaggle Days"'):
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}/index.html")
            counter.reset()
            page.evaluate(OPEN)
            opened = counter.sent
            counter.reset()
            first = page.evaluate(FIRST, query)
            queried = counter.sent
            urls = page.evaluate(ALL)
            context.close()
            ranked: list[int] = []
            for url in urls:
                if issue_of(url) not in ranked:
                    ranked.append(issue_of(url))
            needle = fold(query.strip('"'))
            exact = {url for url, text in folded.items() if needle in text}
            found = exact & {url.split("?")[0] for url in urls}
            rows.append(
                {
                    "query": query,
                    "open": opened,
                    "query_bytes": queried,
                    "results": first["count"],
                    "rp": r_precision(ranked, relevant(query.strip('"'))),
                    "exact": len(exact),
                    "recall": len(found) / len(exact) if exact else 1.0,
                }
            )
        browser.close()
    server.shutdown()
    return rows


def report(issues: int, rows: list[dict[str, Any]], current: int) -> None:
    plain = [r for r in rows if not r["query"].startswith('"')]
    first = [r["open"] + r["query_bytes"] for r in plain]
    print(f"\n## {issues} issues")
    print(f"current search: entries.json gzipped {current / 1024:.0f} KB (every query)")
    print(
        f"pagefind: open {statistics.median(r['open'] for r in plain) / 1024:.0f} KB; "
        f"to first results median {statistics.median(first) / 1024:.0f} KB, "
        f"max {max(first) / 1024:.0f} KB; query only median "
        f"{statistics.median(r['query_bytes'] for r in plain) / 1024:.0f} KB; "
        f"mean R-precision@10 {statistics.mean(r['rp'] for r in plain):.3f}; "
        f"exact-match recall mean {statistics.mean(r['recall'] for r in plain):.3f}, "
        f"queries with recall 1: {sum(r['recall'] == 1 for r in plain)}/{len(plain)}"
    )
    for r in sorted(rows, key=lambda r: (r["recall"], r["rp"]))[:12]:
        print(
            f"  {r['query']}: recall {r['recall']:.2f} of {r['exact']}, "
            f"R-prec {r['rp']:.2f}, {r['results']} results, "
            f"{(r['open'] + r['query_bytes']) / 1024:.0f} KB"
        )
    quoted = {r["query"]: r for r in rows if "kaggle days" in r["query"].lower()}
    for query, r in quoted.items():
        print(f"  phrase {query}: {r['results']} results, recall {r['recall']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--html", type=Path, required=True, help="a built book (make html)")
    parser.add_argument("--repeat", type=int, default=1000, help="issues of the large run")
    args = parser.parse_args()
    document = json.loads((args.html / "_search" / "entries.json").read_text(encoding="utf-8"))
    for issues in (ARCHIVE, args.repeat):
        made, folded = records(document, issues)
        copies = dict(
            document,
            issues=[
                dict(document["issues"][-((n - 1) % ARCHIVE + 1)], n=n)
                for n in range(1, issues + 1)
            ],
        )
        text = json.dumps(copies, ensure_ascii=False, separators=(",", ":"))
        current = len(gzip.compress(text.encode("utf-8"), 6))
        with tempfile.TemporaryDirectory() as temp:
            out = Path(temp)
            asyncio.run(write_bundle(made, out))
            report(issues, measure(out, folded), current)


if __name__ == "__main__":
    main()
