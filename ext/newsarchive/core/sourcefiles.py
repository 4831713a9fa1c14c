"""Source pages as files: UTF-8 with or without a BOM, line endings kept, one writer at a time.

Editors on Windows save a BOM and CRLF line ends; both are accepted when reading and kept
when a command edits a page. A page in another encoding (Shift_JIS, say) is named, with
the line of its first byte that is not UTF-8, by the build and by ``newsarchive check``
alike (``not_utf8``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsarchive.core.files import write_atomically

BOM = b"\xef\xbb\xbf"


def not_utf8(data: bytes) -> tuple[int, str] | None:
    """(line, message) when ``data`` is not UTF-8 text, else None."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        return line, f"not UTF-8 (byte 0x{byte} on this line); save the file as UTF-8"
    return None


@dataclass(frozen=True)
class SourceText:
    """A page's text with ``\\n`` line ends, and how its file writes them."""

    text: str
    bom: bool = False
    newline: str = "\n"


def read_source(path: Path) -> SourceText:
    """The page at ``path`` (UnicodeDecodeError when it is not UTF-8)."""
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    newline = "\r\n" if b"\r\n" in data else "\n"
    return SourceText(text.replace("\r\n", "\n"), bom=data.startswith(BOM), newline=newline)


def write_source(path: Path, text: str, like: SourceText | None = None) -> None:
    """Replace ``path`` with ``text`` in one step (never half a page), written as ``like``
    was (BOM, line ends)."""
    like = like or SourceText("")
    data = (BOM if like.bom else b"") + text.replace("\n", like.newline).encode("utf-8")
    write_atomically(path, data)


@contextlib.contextmanager
def editing(path: Path) -> Iterator[None]:
    """Hold the lock of ``path``'s folder while a page is read, changed and written.

    The folder, not the page: a page is replaced by a new file on each write, so a lock
    on the page's own file would be held on a file that is no longer there.
    """
    descriptor = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock
