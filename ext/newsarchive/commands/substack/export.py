"""``newsarchive import-substack``: Substack's export (zip or folder) in, issue pages out.

The export holds ``posts.csv`` (one row per post: ``post_id`` is ``<id>.<slug>``,
``is_published``, ``email_sent_at``, ``inbox_sent_at``, ``post_date``, ``type``, ``title``,
``subtitle`` …) and ``posts/<post_id>.html``, each post's body. Published newsletter posts
whose title carries an issue number are imported; drafts, pages, podcasts and threads
are not; a post without a number is listed, and imported when ``--number`` gives one.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from newsarchive.commands.substack.importer import (
    MANIFEST,
    SUBSTACK_URL,
    Importer,
    Post,
    SourceError,
    add_common_arguments,
    run_import,
)

REQUIRED_COLUMNS = ("post_id", "is_published", "title")
#: The send date: the first of these that a row has.
DATE_COLUMNS = ("email_sent_at", "inbox_sent_at", "post_date")
OPTIONAL_COLUMNS = ("type", "subtitle")
#: A body larger than this is not a newsletter post (and is not read into memory).
MAX_BODY_BYTES = 20_000_000


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import-substack",
        help="convert a Substack export (zip or folder) into issue pages",  # pragma: no mutate
        description=(  # pragma: no mutate
            "Convert the published newsletter posts of a Substack export (the "  # pragma: no mutate
            "zip, or its unpacked folder: posts.csv and "  # pragma: no mutate
            "posts/<id>.<slug>.html) into MyST issue pages OUT/NNNN.md. The "  # pragma: no mutate
            "number comes from the title ('#160'); the date is the send date "  # pragma: no mutate
            "in Asia/Tokyo; drafts are skipped. Same export, same bytes."  # pragma: no mutate
        ),
        epilog=(  # pragma: no mutate
            "Exit status 0 when every post was imported or already up to "  # pragma: no mutate
            "date; 1 when a file could not be read, something was kept as "  # pragma: no mutate
            "plain text, or a page edited by hand was left alone."  # pragma: no mutate
        ),
    )
    parser.add_argument(
        "export",
        type=Path,
        metavar="EXPORT",  # pragma: no mutate
        help="export zip or folder",  # pragma: no mutate
    )
    parser.add_argument(
        "--url",
        help=(  # pragma: no mutate
            "the newsletter's address, for each post's source (default: the "  # pragma: no mutate
            "address the posts link themselves at, as in their share buttons, "  # pragma: no mutate
            f"else {SUBSTACK_URL})"  # pragma: no mutate
        ),
    )
    add_common_arguments(parser, manifest=MANIFEST)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    def read(importer: Importer) -> list[Post]:
        return list(Export.open(args.export).posts(args.url, importer))

    return run_import(
        args,
        read,
        source=str(args.export),
        progress="import-substack",  # pragma: no mutate
    )


@dataclass
class Export:
    """The export's files, read from a folder or straight from the zip."""

    name: str
    files: dict[str, Path | zipfile.ZipInfo]
    archive: zipfile.ZipFile | None = None

    @classmethod
    def open(cls, path: Path) -> Export:
        if path.is_dir():
            files: dict[str, Path | zipfile.ZipInfo] = {
                p.relative_to(path).as_posix(): p for p in sorted(path.rglob("*")) if p.is_file()
            }
            return cls._rooted(str(path), files, None)
        if not path.is_file():
            raise SourceError("no such file or folder")
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise SourceError(
                f"not a Substack export: neither a folder nor a zip file ({error})"
            ) from None
        members: dict[str, Path | zipfile.ZipInfo] = {
            info.filename: info for info in archive.infolist() if not info.is_dir()
        }
        return cls._rooted(str(path), members, archive)

    @classmethod
    def _rooted(
        cls, name: str, files: dict[str, Path | zipfile.ZipInfo], archive: zipfile.ZipFile | None
    ) -> Export:
        """The export, also when it sits in one folder inside the zip."""
        tables = sorted(
            (key for key in files if PurePosixPath(key).name == "posts.csv"),
            key=lambda key: key.count("/"),
        )
        if not tables:
            raise SourceError("not a Substack export: no posts.csv in it")
        prefix = tables[0][: -len("posts.csv")]
        inner = {
            key[len(prefix) :]: value for key, value in files.items() if key.startswith(prefix)
        }
        return cls(name, inner, archive)

    def where(self, key: str) -> str:
        return f"{self.name}/{key}" if self.archive is None else f"{self.name}:{key}"

    def read(self, key: str) -> bytes:
        entry = self.files[key]
        size = entry.stat().st_size if isinstance(entry, Path) else entry.file_size
        if size > MAX_BODY_BYTES:
            raise SourceError(f"larger than {MAX_BODY_BYTES:,} bytes")
        if isinstance(entry, Path):
            return entry.read_bytes()
        assert self.archive is not None
        return self.archive.read(entry)

    def rows(self, importer: Importer) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, row) of posts.csv; problems (missing columns …) go to the report."""
        report, table = importer.report, self.where("posts.csv")
        try:
            text = self.read("posts.csv").decode("utf-8-sig")
        except (OSError, zipfile.BadZipFile, SourceError, UnicodeDecodeError) as error:
            report.problems.append(f"{table}:1: cannot be read: {error}")
            return
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if not any(c in columns for c in DATE_COLUMNS):
            missing.append(" or ".join(DATE_COLUMNS))
        if missing:
            report.problems.append(
                f"{table}:1: missing column(s) {', '.join(missing)}; no post can be imported"
            )
            return
        for column in OPTIONAL_COLUMNS:
            if column not in columns:
                report.notices.append(f"{table}:1: no column {column}; taken as empty")
        try:
            for row in reader:
                line = reader.line_num
                if None in row or any(value is None for value in row.values()):
                    report.problems.append(
                        f"{table}:{line}: {len(columns)} columns expected; row not imported"
                    )
                    report.outcomes["failed"] += 1
                    continue
                yield line, {key: (value or "").strip() for key, value in row.items()}
        except csv.Error as error:
            # line_num counts the lines of the rows read: the failing row starts after them.
            line = reader.line_num + 1
            report.problems.append(f"{table}:{line}: {error}; the rest not read")

    def posts(self, base: str | None, importer: Importer) -> Iterator[Post]:
        """Published newsletter posts, each with its body; the others are counted.

        Each post's source is ``<base>/p/<slug>``; without ``base``, the address the post
        links itself at (share buttons, the subscribe widget's post link …) is used.
        """
        report, table = importer.report, self.where("posts.csv")
        for line, row in self.rows(importer):
            post_id = row["post_id"]
            if row["is_published"].lower() not in ("true", "t", "1", "yes"):
                report.outcomes["draft"] += 1
                continue
            if row.get("type", "newsletter") not in ("newsletter", ""):
                report.outcomes["other"] += 1
                continue
            sent = _sent_at(row)
            if sent is None:
                report.problems.append(f"{table}:{line}: {post_id}: no valid send date")
                report.outcomes["failed"] += 1
                continue
            body_key = f"posts/{post_id}.html"
            if body_key not in self.files:
                report.problems.append(f"{table}:{line}: {post_id}: no {body_key} in the export")
                report.outcomes["failed"] += 1
                continue
            try:
                html = self.read(body_key).decode("utf-8")
            except (OSError, zipfile.BadZipFile, SourceError, UnicodeDecodeError) as error:
                report.problems.append(f"{self.where(body_key)}:1: cannot be read: {error}")
                report.outcomes["failed"] += 1
                continue
            _, _, slug = post_id.partition(".")
            yield Post(
                where=self.where(body_key),
                key=post_id,
                slug=slug or post_id,
                title=row["title"],
                subtitle=row.get("subtitle", ""),
                sent=sent,
                source=f"{(base or own_address(html, slug) or SUBSTACK_URL).rstrip('/')}"
                f"/p/{slug or post_id}",
                html=html,
            )


def own_address(html: str, slug: str) -> str:
    """The newsletter's address as a post links itself (``https://host/p/<slug>``), or ''."""
    if not slug:
        return ""
    pattern = rf"(https?://[A-Za-z0-9.-]+)/p/{re.escape(slug)}(?=[\s\"'?#/<&]|$)"
    addresses = sorted(set(re.findall(pattern, html)))
    return addresses[0] if len(addresses) == 1 else ""


def _sent_at(row: dict[str, str]) -> dt.datetime | None:
    for column in DATE_COLUMNS:
        value = row.get(column, "")
        if not value:
            continue
        try:
            moment = dt.datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return None
