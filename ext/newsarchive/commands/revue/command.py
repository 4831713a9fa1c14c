"""``newsarchive import-revue``: Revue exports in, issue pages (``issues/NNNN.md``) out.

Safe to run again: the same input writes the same bytes. A manifest records the sha256
of every page the import wrote; a page whose content no longer matches was edited by
hand and is left alone unless ``--force``. An import that would remove cards or text from
an existing page (an export cut short, an older export) is refused, naming what would be
lost, unless ``--force``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from tqdm import tqdm

from newsarchive.commands.revue.emit import emit_page
from newsarchive.commands.revue.model import (
    Card,
    Figure,
    Header,
    Issue,
    Prose,
    RevueFormatError,
    Unmapped,
    blocks_text,
)
from newsarchive.commands.revue.parse import FILE_NAME, read_issue
from newsarchive.core.files import write_atomically
from newsarchive.core.frontmatter import front_matter_text
from newsarchive.core.urls import site_of
from newsarchive.core.vocabulary import VocabularyError

Outcome = Literal["written", "unchanged", "skipped", "kept"]
Tagger = Callable[[Card], list[str]]

MANIFEST_ABOUT = (
    "Pages written by `newsarchive import-revue`, with the sha256 of what it wrote. "
    "A page whose content differs was edited by hand; the import leaves it alone "
    "unless --force."
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import-revue",
        help="convert Revue exports into issue pages",
        description=(
            "Convert Revue exports (YYYY-MM-DD_<title>.md: title, Revue URL, HTML) into "
            "MyST issue pages OUT/NNNN.md. Directories are searched for such files."
        ),
        epilog=(
            "Exit status 0 when every page was written or already up to date; 1 when a "
            "file could not be read, an item was kept as plain text, or a page edited by "
            "hand was left alone."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or directory")
    add_page_options(parser, manifest="OUT/revue/imported.json")
    parser.set_defaults(func=run)


def add_page_options(parser: argparse.ArgumentParser, *, manifest: str) -> None:
    """Where pages go, --force, the manifest and tags: the options every import shares."""
    parser.add_argument(
        "--out", type=Path, default=Path("issues"), help="where pages go (default: issues)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite pages even if edited by hand or losing cards or text (what is "
        "removed is said)",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        help=f"the record of what was imported (default: {manifest})",
    )
    parser.add_argument(
        "--vocabulary",
        type=Path,
        default=Path("docs/tags.toml"),
        help="the tag vocabulary used to suggest :tags: (default: docs/tags.toml)",
    )
    parser.add_argument("--no-tags", action="store_true", help="write cards without :tags:")


@dataclasses.dataclass
class Manifest:
    """page name -> sha256 of the bytes the import wrote (and the export it came from)."""

    path: Path
    pages: dict[str, dict[str, str]]

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls(path, {})
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = data.get("pages") if isinstance(data, dict) else None
        if not isinstance(pages, dict):
            raise ValueError("no 'pages' object")
        return cls(path, {str(name): dict(entry) for name, entry in pages.items()})

    def recorded(self, page: str) -> str | None:
        return self.pages.get(page, {}).get("sha256")

    def record(self, page: str, content: bytes, source: str) -> None:
        self.pages[page] = {"sha256": _sha256(content), "source": source}

    def save(self) -> None:
        data = {"about": MANIFEST_ABOUT, "pages": dict(sorted(self.pages.items()))}
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        _write_atomically(self.path, text.encode("utf-8"))


@dataclasses.dataclass
class Report:
    outcomes: Counter[str] = dataclasses.field(default_factory=Counter)
    items: Counter[str] = dataclasses.field(default_factory=Counter)
    problems: list[str] = dataclasses.field(default_factory=list)
    notices: list[str] = dataclasses.field(default_factory=list)

    def count_items(self, issue: Issue) -> None:
        for item in issue.items:
            if isinstance(item, Card):
                self.items[item.kind] += 1
                if item.commentary:
                    self.items[f"commentary:{item.kind}"] += 1
            else:
                self.items[_ITEM_NAMES[type(item)]] += 1

    def summary(self) -> str:
        out, items = self.outcomes, self.items
        commentaries = sum(n for key, n in items.items() if key.startswith("commentary:"))
        return "\n".join(
            [
                f"issues: {out['written']} written, {out['unchanged']} unchanged, "
                f"{out['skipped']} skipped (edited by hand), {out['kept']} kept (would lose "
                f"content), {out['failed']} not imported",
                f"cards: {items['link']} links, {items['video']} videos, {items['tweet']} tweets; "
                f"{commentaries} with commentary ({items['commentary:link']} of the links)",
                f"other items: {items['header']} headers, {items['figure']} images, "
                f"{items['prose']} text blocks, {items['unmapped']} kept as plain text",
            ]
        )


_ITEM_NAMES = {Header: "header", Figure: "figure", Prose: "prose", Unmapped: "unmapped"}


def run(args: argparse.Namespace) -> int:
    report = Report()
    files = _collect(args.paths, report)
    out: Path = args.out
    manifest = open_manifest(args.manifest or out / "revue" / "imported.json", report)
    try:
        tagger = None if args.no_tags else _load_tagger(args.vocabulary, report)
    except VocabularyError as error:
        print(f"{error.format()} (--no-tags imports without tags)", file=sys.stderr)
        return 1
    seen: dict[int, Path] = {}
    progress = tqdm(
        files, desc="import-revue", unit="issue", file=sys.stderr, disable=None, leave=False
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
            issue = _with_tags(issue, tagger)
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


def open_manifest(path: Path, report: Report) -> Manifest:
    """The manifest at ``path``; when unreadable, an empty one (every page is protected)."""
    try:
        return Manifest.load(path)
    except (OSError, ValueError) as error:
        report.problems.append(
            f"{path}:1: unreadable manifest ({error}); "
            "every existing page is treated as edited by hand"
        )
        return Manifest(path, {})


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


#: Words of text: ASCII words whole, other letters (Japanese has no spaces) one by one.
_WORD = re.compile(r"[A-Za-z0-9]+|[^\W\dA-Za-z_]")


def losses(current: bytes, content: bytes) -> list[str]:
    """What writing ``content`` over the page ``current`` would remove: cards, then words.

    Cards are compared by URL; text as the words of the page after its front matter (a
    count of each), so a change of markup or added text loses nothing, but an item or
    sentence cut off does.
    """
    from newsarchive.core.sources import parse_page

    old_text = _body(current.decode("utf-8", "replace"))
    new_text = _body(content.decode("utf-8", "replace"))
    new_urls = Counter(card.url for card in parse_page(new_text, Path("new.md")).cards)
    old_urls = Counter(card.url for card in parse_page(old_text, Path("old.md")).cards)
    lost: list[str] = []
    if cards := list((old_urls - new_urls).elements()):
        shown = ", ".join(cards[:3]) + (", …" if len(cards) > 3 else "")
        lost.append(f"{len(cards)} card(s) ({shown})")
    words = Counter(_WORD.findall(old_text)) - Counter(_WORD.findall(new_text))
    if count := sum(words.values()):
        lost.append(f"{count} word(s) or character(s) of text ({_first_gone(old_text, new_text)})")
    return lost


def _body(text: str) -> str:
    """A page after its front matter: its fields (a ``follows:`` dropped once the issue
    before is imported, a corrected date) are the import's to set, not content."""
    fields = front_matter_text(text)
    return text if fields is None else text.split("\n", fields.count("\n") + 2)[-1]


def _first_gone(old_text: str, new_text: str) -> str:
    """The first line of ``old_text`` with words that ``new_text`` has on no line, shown
    for a person to find what would be lost."""
    kept = {line.strip() for line in new_text.splitlines()}
    for line in old_text.splitlines():
        if _WORD.search(line) and line.strip() not in kept:
            shown = line.strip()
            return f"from the line {shown[:60]!r}" + ("…" if len(shown) > 60 else "")
    return "words repeated fewer times"


def place_page(
    target: Path,
    content: bytes,
    manifest: Manifest,
    report: Report,
    *,
    source: str,
    force: bool,
    cut: str,
) -> Outcome:
    """Write an imported page unless that overwrites work done by hand or removes content;
    what happened is counted in ``report``, and a page left alone is a problem naming the
    file and what would be lost. ``source`` names the import's input (an export's file
    name, a post); ``cut`` what may have been cut short ("the export", "the post").

    Every importer writes its pages through here, so they share one rule: nothing is
    removed from a page without ``--force``, and with it what was removed is said.
    """
    lost: list[str] = []
    outcome = _place(target, content, manifest, source=source, force=force, lost=lost)
    report.outcomes[outcome] += 1
    if outcome == "kept":
        report.problems.append(
            f"{target}:1: the import of {source} would remove {'; '.join(lost)}; "
            f"left alone (is {cut} cut short? --force overwrites it)"
        )
    elif outcome == "skipped":
        why = "edited by hand since" if manifest.recorded(target.name) else "not written by"
        report.problems.append(
            f"{target}:1: {why} the import of {source}; left alone (--force overwrites it)"
        )
    elif lost:
        report.notices.append(
            f"{target}: --force: the import of {source} removed {'; '.join(lost)}"
        )
    return outcome


def _place(
    target: Path,
    content: bytes,
    manifest: Manifest,
    *,
    source: str,
    force: bool,
    lost: list[str],
) -> Outcome:
    """Write ``content`` to ``target`` unless that would overwrite work done by hand or
    remove content. What the write removes (or would have) is added to ``lost``."""
    page = target.name
    if target.exists():
        current = target.read_bytes()
        if current == content:
            manifest.record(page, content, source)
            return "unchanged"
        if not force and manifest.recorded(page) != _sha256(current):
            return "skipped"
        lost.extend(losses(current, content))
        if lost and not force:
            return "kept"
    _write_atomically(target, content)
    manifest.record(page, content, source)
    return "written"


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, content)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _load_tagger(vocabulary_path: Path, report: Report) -> Tagger | None:
    """``suggest_tags`` bound to the vocabulary, or None when there is no vocabulary."""
    from newsarchive.core.tagging import suggest_tags
    from newsarchive.core.vocabulary import Vocabulary

    if not vocabulary_path.is_file():
        report.notices.append(
            f"note: {vocabulary_path}: no tag vocabulary; cards are written without :tags:"
        )
        return None
    vocabulary = Vocabulary.load(vocabulary_path)

    def tagger(card: Card) -> list[str]:
        return suggest_tags(
            url=card.url,
            title=card.title,
            site=card.site or site_of(card.url),
            excerpt=card.excerpt,
            commentary=blocks_text(card.commentary),
            vocabulary=vocabulary,
        )

    return tagger


def _with_tags(issue: Issue, tagger: Tagger) -> Issue:
    items = tuple(
        dataclasses.replace(item, tags=tuple(tagger(item))) if isinstance(item, Card) else item
        for item in issue.items
    )
    return dataclasses.replace(issue, items=items)
