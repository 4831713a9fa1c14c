"""Two builds' search pages timed against each other in one run: the ratio per query.

    python -m tests.bench.search_compare --base DIR --new DIR [--rounds N]

Each ``DIR`` is a built book (``make html``), served gzipped on 127.0.0.1; both search
pages stay open in one Chromium. For each query of ``tests/bench/search_queries.py``, the
page's own work is timed: from the query written into the box (one ``input`` event, as the
last keystroke) until the page shows its answer for it. The two builds take turns, in
alternating order each round, so a busy machine slows both alike; per query the median of
the rounds is kept, and the new build's medians are divided by the base's.

``tests/bench/search.py`` measures what a reader waits for (typing, bytes); this one tells a
change of the page's script apart from the machine's noise.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from tests.bench.chromium import launch
from tests.bench.gzserve import serve_gzipped
from tests.bench.search_queries import QUERIES

#: The page's work for one query, in milliseconds.
TIME = """async (query) => {
  const root = document.getElementById("wkn-search");
  const input = root.querySelector("input[name=q]");
  const started = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input"));
  const status = root.querySelector(".wkn-search-status[role=status]");
  while (!(root.dataset.state === "done" && status.textContent.includes(query.trim()))) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return performance.now() - started;
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", type=Path, required=True, help="the book to compare with")
    parser.add_argument("--new", type=Path, required=True, help="the changed book")
    parser.add_argument("--rounds", type=int, default=4, help="runs of the query set (4)")
    args = parser.parse_args()
    servers = {name: serve_gzipped(getattr(args, name)) for name in ("base", "new")}
    times: dict[str, dict[str, list[float]]] = {name: {q: [] for q in QUERIES} for name in servers}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        pages = {}
        for name, (url, _counter, _server) in servers.items():
            pages[name] = browser.new_page()
            pages[name].goto(f"{url}/search.html")
            pages[name].wait_for_function(
                "document.getElementById('wkn-search').dataset.state === 'idle'"
            )
        for round_ in range(args.rounds):
            for query in QUERIES:
                for name in ("base", "new") if round_ % 2 else ("new", "base"):
                    times[name][query].append(pages[name].evaluate(TIME, query))
        browser.close()
    for _url, _counter, server in servers.values():
        server.shutdown()
    medians = {name: {q: statistics.median(t) for q, t in times[name].items()} for name in times}
    for name, per_query in medians.items():
        values = list(per_query.values())
        print(
            f"{name}: median {statistics.median(values):.1f} ms, "
            f"mean {statistics.mean(values):.1f} ms, worst {max(values):.1f} ms"
        )
    ratios = [medians["new"][q] / medians["base"][q] for q in QUERIES]
    print(
        f"new / base over {len(ratios)} queries, {args.rounds} rounds: "
        f"median {statistics.median(ratios):.2f}, geometric mean "
        f"{statistics.geometric_mean(ratios):.2f}, highest {max(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
