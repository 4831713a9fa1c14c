"""``newsarchive tag``: add the vocabulary's suggested tags to the cards of issue pages.

Tags an editor set are kept (aliases become slugs); only ``:tags:`` lines are written, so
the rest of each page stays byte-identical. ``--check`` writes nothing and exits 1 when a
page would change, so CI can tell that the archive is tagged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from newsarchive.core.files import write_atomically
from newsarchive.core.tagging import PageResult, retag_text
from newsarchive.core.vocabulary import Vocabulary, VocabularyError

DEFAULT_VOCABULARY = Path("docs/tags.toml")
DEFAULT_PATHS = (Path("issues"),)
#: The pages a folder holds: issue pages only, never the Revue originals below it.
ISSUE_GLOB = "[0-9]*.md"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "tag",
        help="add suggested tags to link cards",
        description=(
            "Add the tags suggested by the vocabulary's rules to every link card. Tags "
            "already set are kept (aliases are written as slugs); only :tags: lines change."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=f"issue pages, or folders of them ({ISSUE_GLOB}); default: issues/",
    )
    parser.add_argument(
        "--vocabulary",
        type=Path,
        default=DEFAULT_VOCABULARY,
        help="the tag vocabulary (default: %(default)s)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; report what would change and exit 1 if anything would",
    )
    parser.set_defaults(func=run)


def page_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The pages named or held by ``paths``, and an error for each path that is neither."""
    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob(ISSUE_GLOB))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    return files, errors


def _retag_file(path: Path, vocabulary: Vocabulary, write: bool) -> PageResult:
    """Raises OSError or UnicodeError when the page cannot be read or written."""
    with path.open(encoding="utf-8", newline="") as file:
        text = file.read()
    result = retag_text(text, vocabulary, path)
    if write and result.changed:
        write_atomically(path, result.text)
    return result


def run(args: argparse.Namespace) -> int:
    try:
        vocabulary = Vocabulary.load(args.vocabulary)
    except VocabularyError as error:
        print(error.format(), file=sys.stderr)
        return 2
    files, errors = page_files(list(args.paths) or list(DEFAULT_PATHS))
    results: list[PageResult] = []
    progress = tqdm(files, desc="tag", unit="page", file=sys.stderr, leave=False, disable=None)
    for path in progress:
        try:
            results.append(_retag_file(path, vocabulary, write=not args.check))
        except (OSError, UnicodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            errors.append(f"{path}: cannot read or write the page: {reason}")
    _report(results, check=args.check)
    for message in errors:
        print(message, file=sys.stderr)
    if errors:
        return 2
    return 1 if args.check and any(result.changed for result in results) else 0


def _report(results: list[PageResult], *, check: bool) -> None:
    out = sys.stdout
    verb = "would add" if check else "added"
    for result in results:
        for change in result.changes:
            parts = []
            if change.added:
                parts.append(f"{verb} {', '.join(change.added)}")
            parts += [f"{name!r} -> {slug}" for name, slug in change.renamed]
            if not parts:
                parts.append("duplicate tags merged")
            print(f"{result.path}:{change.line}: {'; '.join(parts)}", file=out)
        for line, name, hint in result.unknown:
            suggestion = f"; did you mean {hint!r}?" if hint else ""
            print(f"{result.path}:{line}: unknown tag {name!r} kept{suggestion}", file=out)
    cards = sum(result.cards for result in results)
    changed = sum(len(result.changes) for result in results)
    added = sum(result.tags_added for result in results)
    untagged = [(result.path, line, title) for result in results for line, title in result.untagged]
    pages = sum(result.changed for result in results)
    print(
        f"{len(results)} pages, {cards} cards: {changed} cards {'to tag' if check else 'tagged'}"
        f" in {pages} pages, {added} tags {'to add' if check else 'added'},"
        f" {len(untagged)} cards without tags",
        file=out,
    )
    for path, line, title in untagged:
        print(f"{path}:{line}: card left without tags: {title or '(no title)'}", file=out)
