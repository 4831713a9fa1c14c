"""Where an imported page goes, and whether it may be written there.

Every importer writes its pages through :func:`place_page`, so they share one rule: a page
edited by hand since the import wrote it (its bytes no longer those the manifest records)
is left alone, and so is a page the import would take cards or text from, unless
``--force``; with it, what was removed is said. The same input writes the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Literal

from newsarchive.commands.pipeline.model import Card, Figure, Header, Issue, Prose, Unmapped
from newsarchive.core.files import write_atomically
from newsarchive.core.frontmatter import front_matter_text

Outcome = Literal["written", "unchanged", "skipped", "kept"]

#: What a manifest says it is, for the import(s) that write it.
MANIFEST_ABOUT = (
    "Pages written by {imports}, with the sha256 of what it wrote. "
    "A page whose content differs was edited by hand; the import leaves it alone "
    "unless --force."
)
REVUE_IMPORTS = "`newsarchive import-revue`"


@dataclasses.dataclass
class Manifest:
    """page name -> sha256 of the bytes the import wrote (and the export it came from)."""

    path: Path
    pages: dict[str, dict[str, str]]
    #: the commands that write it, as its ``about`` names them
    imports: str = REVUE_IMPORTS

    @classmethod
    def load(cls, path: Path, imports: str = REVUE_IMPORTS) -> Manifest:
        if not path.exists():
            return cls(path, {}, imports)
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = data.get("pages") if isinstance(data, dict) else None
        if not isinstance(pages, dict):
            raise ValueError("no 'pages' object")
        return cls(path, {str(name): dict(entry) for name, entry in pages.items()}, imports)

    def recorded(self, page: str) -> str | None:
        return self.pages.get(page, {}).get("sha256")

    def record(self, page: str, content: bytes, source: str) -> None:
        self.pages[page] = {"sha256": sha256(content), "source": source}

    def save(self) -> None:
        about = MANIFEST_ABOUT.format(imports=self.imports)
        data = {"about": about, "pages": dict(sorted(self.pages.items()))}
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_file(self.path, text.encode("utf-8"))


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


def open_manifest(path: Path, report: Report, imports: str = REVUE_IMPORTS) -> Manifest:
    """The manifest at ``path``, written by the commands ``imports``; when unreadable, an
    empty one (every page is protected)."""
    try:
        return Manifest.load(path, imports)
    except (OSError, ValueError) as error:
        report.problems.append(
            f"{path}:1: unreadable manifest ({error}); "
            "every existing page is treated as edited by hand"
        )
        return Manifest(path, {}, imports)


#: Words of text: ASCII words whole, other letters (Japanese has no spaces) one by one.
_WORD = re.compile(r"[A-Za-z0-9]+|[^\W\dA-Za-z_]")


def losses(current: bytes, content: bytes) -> list[str]:
    """What writing ``content`` over the page ``current`` would remove: cards, then words.

    Cards are compared by URL; text as the words of the page after its front matter (a
    count of each), so a change of markup or added text loses nothing, but an item or
    sentence cut off does.
    """
    from newsarchive.core.sources import parse_page

    old_page = current.decode("utf-8", "replace")
    new_page = content.decode("utf-8", "replace")
    # Cards are read from the whole page: its body alone, when it holds a thematic break
    # (---), would start like front matter and hide the cards above the break.
    new_urls = Counter(card.url for card in parse_page(new_page, Path("new.md")).cards)
    old_urls = Counter(card.url for card in parse_page(old_page, Path("old.md")).cards)
    old_text, new_text = _body(old_page), _body(new_page)
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
        if not force and manifest.recorded(page) != sha256(current):
            return "skipped"
        lost.extend(losses(current, content))
        if lost and not force:
            return "kept"
    write_file(target, content)
    manifest.record(page, content, source)
    return "written"


def write_file(target: Path, content: bytes) -> None:
    """``content`` written to ``target`` at once (its folder made when missing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, content)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
