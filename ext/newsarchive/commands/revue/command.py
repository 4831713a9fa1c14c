"""``newsarchive import-revue``: Revue exports in, issue pages (``issues/NNNN.md``) out.

Safe to run again: the same input writes the same bytes. A manifest records the sha256
of every page the import wrote; a page whose content no longer matches was edited by
hand and is left alone unless ``--force``. An import that would remove cards or text from
an existing page (an export cut short, an older export) is refused, naming what would be
lost, unless ``--force``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from newsarchive.commands.pipeline.emit import emit_page
from newsarchive.commands.pipeline.options import add_page_options
from newsarchive.commands.pipeline.placement import Report, open_manifest, place_page
from newsarchive.commands.pipeline.tagger import load_tagger, with_tags
from newsarchive.commands.revue.parse import FILE_NAME, RevueFormatError, read_issue
from newsarchive.core.vocabulary import VocabularyError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import-revue",
        help="convert Revue exports into issue pages",  # pragma: no mutate
        description=(  # pragma: no mutate
            "Convert Revue exports (YYYY-MM-DD_<title>.md: title, "  # pragma: no mutate
            "Revue URL, HTML) into MyST issue pages OUT/NNNN.md. "  # pragma: no mutate
            "Directories are searched for such files."  # pragma: no mutate
        ),
        epilog=(  # pragma: no mutate
            "Exit status 0 when every page was written or already up to "  # pragma: no mutate
            "date; 1 when a file could not be read, an item was kept as "  # pragma: no mutate
            "plain text, or a page edited by hand was left alone."  # pragma: no mutate
        ),
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",  # pragma: no mutate
        help="file or directory",  # pragma: no mutate
    )
    add_page_options(parser, manifest="OUT/revue/imported.json")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = Report()
    files = _collect(args.paths, report)
    out: Path = args.out
    manifest = open_manifest(args.manifest or out / "revue" / "imported.json", report)
    try:
        tagger = None if args.no_tags else load_tagger(args.vocabulary, report)
    except VocabularyError as error:
        print(f"{error.format()} (--no-tags imports without tags)", file=sys.stderr)
        return 1
    seen: dict[int, Path] = {}
    progress = tqdm(
        files,
        desc="import-revue",  # pragma: no mutate
        unit="issue",
        file=sys.stderr,
        disable=None,
        leave=False,
    )
    for path in progress:
        try:
            issue = read_issue(path)
        except RevueFormatError as error:
            report.problems.append(f"{path}:{error.line}: {error.message}")
            report.outcomes["failed"] += 1
            continue
        except OSError as error:
            report.problems.append(f"{path}:1: cannot read: {error.strerror or error}")
            report.outcomes["failed"] += 1
            continue
        if issue.number in seen:
            report.problems.append(
                f"{path}:1: issue #{issue.number} is also imported from {seen[issue.number]}"
            )
            report.outcomes["failed"] += 1
            continue
        seen[issue.number] = path
        report.problems.extend(f"{path}:{note.line}: {note.message}" for note in issue.notes)
        if tagger is not None:
            issue = with_tags(issue, tagger)
        report.count_items(issue)
        content = emit_page(issue).encode("utf-8")
        place_page(
            out / f"{issue.number:04d}.md",
            content,
            manifest,
            report,
            source=path.name,
            force=args.force,
            cut="the export",
        )
    if report.outcomes["written"] or report.outcomes["unchanged"]:
        manifest.save()
    for line in report.notices + report.problems:
        print(line, file=sys.stderr)
    print(report.summary())
    return 1 if report.problems else 0


def _collect(paths: list[Path], report: Report) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                child
                for child in path.iterdir()
                if child.is_file() and FILE_NAME.fullmatch(child.name)
            )
            if not found:
                report.problems.append(f"{path}: no Revue exports (YYYY-MM-DD_<title>.md) here")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            report.problems.append(f"{path}: no such file or directory")
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())
