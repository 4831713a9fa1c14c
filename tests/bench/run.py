"""Build-speed benchmarks: our book against a floor built in the same run.

For each archive size: clean build (-j 1 and -j auto), no-op rebuild, rebuild after
editing one card's commentary, rebuild after adding one issue, and peak memory. Each
figure is also given as a ratio to the floor (plain Markdown cards, no extension of
ours, no site-wide navigation), so results compare across machines. Writes
docs/benchmarks/build.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench.generate import REPO, generate, issue_date, issue_page, tag_slugs, year_page

RESULTS = REPO / "docs" / "benchmarks" / "build.md"


@dataclass
class Timing:
    seconds: float
    peak_mb: float


def sphinx(srcdir: Path, *extra: str) -> Timing:
    """One sphinx-build as its own process: wall time and peak resident memory."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-b",
        "html",
        *extra,
        str(srcdir),
        str(srcdir / "_build/html"),
    ]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed in {srcdir}: {process.stderr.read().decode()[-2000:]}")
    return Timing(seconds, usage.ru_maxrss / 1024)


def clean(srcdir: Path) -> None:
    shutil.rmtree(srcdir / "_build", ignore_errors=True)


def touch(path: Path) -> None:
    later = time.time() + 2
    os.utime(path, (later, later))


def edit_one_card(srcdir: Path, serial: int) -> None:
    """Add a sentence to the first card's commentary (a card of ours, or the floor's)."""
    page = srcdir / "issues" / min(p.name for p in (srcdir / "issues").glob("[0-9]*.md"))
    text = page.read_text(encoding="utf-8")
    if ":::{link}" in text:
        end = text.index("\n:::\n", text.index(":::{link}"))
    else:  # the floor: heading, quoted excerpt, then the commentary
        end = text.index("\n\n", text.index("\n> ", text.index("### [")) + 1)
    page.write_text(text[:end] + f"\n\n追記 {serial}。" + text[end:], encoding="utf-8")
    touch(page)


def add_one_issue(srcdir: Path, number: int, *, floor: bool) -> None:
    page = srcdir / "issues" / f"{number:04d}.md"
    page.write_text(issue_page(number, tag_slugs(), floor=floor), encoding="utf-8")
    touch(page)
    year = issue_date(number).year
    year_file = srcdir / "docs" / "years" / f"{year}.md"
    numbers = sorted(
        int(p.stem)
        for p in (srcdir / "issues").glob("[0-9]*.md")
        if issue_date(int(p.stem)).year == year
    )
    year_file.write_text(year_page(year, numbers, floor=floor), encoding="utf-8")
    touch(year_file)


def measure(srcdir: Path, count: int, *, floor: bool, repeats: int) -> dict[str, Timing]:
    def median(run) -> Timing:
        timings = [run(i) for i in range(repeats)]
        return Timing(
            statistics.median(t.seconds for t in timings), max(t.peak_mb for t in timings)
        )

    results: dict[str, Timing] = {}

    def clean_build(jobs: str):
        def run(_: int) -> Timing:
            clean(srcdir)
            return sphinx(srcdir, "-j", jobs)

        return run

    results["clean -j 1"] = median(clean_build("1"))
    results["clean -j auto"] = median(clean_build("auto"))
    results["no-op rebuild"] = median(lambda _: sphinx(srcdir))

    def edit(i: int) -> Timing:
        edit_one_card(srcdir, i)
        return sphinx(srcdir)

    results["edit one card"] = median(edit)
    results["add one issue"] = median(
        lambda i: (add_one_issue(srcdir, count + 1 + i, floor=floor), sphinx(srcdir))[1]
    )
    return results


CARD = re.compile(
    r"^:::\{link\} (?P<url>\S+)\n(?P<options>(?::[a-z]+:.*\n)*)(?P<body>.*?)^:::$", re.M | re.S
)
OPTION = re.compile(r"^:(?P<name>[a-z]+): ?(?P<value>.*)$", re.M)


def plain_markdown(page: str) -> str:
    """The floor's version of a page: each card as a heading, a quote and its text."""

    def card(match: re.Match[str]) -> str:
        options = {m["name"]: m["value"].strip('"') for m in OPTION.finditer(match["options"])}
        return (
            f"### [{options.get('title', '')}]({match['url']})\n\n"
            f"> {options.get('excerpt', '')}\n\n{match['body']}"
        )

    return CARD.sub(card, page)


def real_archive(target: Path, *, floor: bool) -> Path | None:
    """A copy of the real archive; for the floor, its cards as plain Markdown."""
    pages = sorted((REPO / "issues").glob("[0-9]*.md"))
    if len(pages) < 50:
        return None
    generate(target, 0, floor=floor)
    years: dict[int, list[int]] = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        (target / "issues" / page.name).write_text(
            plain_markdown(text) if floor else text, encoding="utf-8"
        )
        year = re.search(r"^date: (\d{4})", text, re.M)
        years.setdefault(int(year[1]) if year else 2019, []).append(int(page.stem))
    for year, numbers in years.items():
        (target / "docs" / "years" / f"{year}.md").write_text(
            year_page(year, numbers, floor=floor), encoding="utf-8"
        )
    return target


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import sphinx as sphinx_module

    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}, "
        f"Sphinx {sphinx_module.__version__}, {platform.system()} {platform.release()}"
    )


def report(rows: list[tuple[str, dict[str, Timing], dict[str, Timing]]], repeats: int) -> str:
    lines = [
        "# Build benchmarks",
        "",
        f"Machine: {machine()}.",
        f"Medians of {repeats} runs; `make bench` writes this file. Ratio = our book / the floor",
        "(the same pages with cards as plain Markdown, no extension of ours, a theme without",
        "site-wide navigation), both measured in the same run.",
        "",
        "| archive | measure | book (s) | floor (s) | ratio | book peak MB | floor peak MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, book, floor in rows:
        for measure_name, timing in book.items():
            base = floor[measure_name]
            lines.append(
                f"| {name} | {measure_name} | {timing.seconds:.2f} | {base.seconds:.2f} | "
                f"{timing.seconds / base.seconds:.2f} | {timing.peak_mb:.0f} | {base.peak_mb:.0f} |"
            )
    if len(rows) > 1:
        lines += ["", "Time per issue, clean build -j 1 (it must not grow with the archive):", ""]
        for name, book, _ in rows:
            count = int(name.split()[0]) if name.split()[0].isdigit() else None
            if count:
                lines.append(
                    f"- {name}: {book['clean -j 1'].seconds / count * 1000:.0f} ms per issue"
                )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="100,400,1000", help="synthetic archive sizes (comma separated)"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-real", action="store_true", help="skip the real archive")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="wkn-bench-") as workdir:
        work = Path(workdir)
        targets: list[tuple[str, Path | None, Path | None, int]] = []
        if not args.no_real:
            count = len(list((REPO / "issues").glob("[0-9]*.md")))
            targets.append(
                (
                    f"real archive ({count} issues)",
                    real_archive(work / "real", floor=False),
                    real_archive(work / "real-floor", floor=True),
                    count,
                )
            )
        for size in (int(s) for s in args.sizes.split(",") if s):
            targets.append(
                (
                    f"{size} issues",
                    generate(work / f"book-{size}", size),
                    generate(work / f"floor-{size}", size, floor=True),
                    size,
                )
            )
        for name, book_dir, floor_dir, count in targets:
            if book_dir is None or floor_dir is None:
                continue
            print(f"benchmarking {name} …", file=sys.stderr, flush=True)
            book = measure(book_dir, count, floor=False, repeats=args.repeats)
            floor = measure(floor_dir, count, floor=True, repeats=args.repeats)
            rows.append((name, book, floor))
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(report(rows, args.repeats), encoding="utf-8")
    print(args.output.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
