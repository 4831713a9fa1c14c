"""What a server sent instead of what a command asked for, named: a bot check, an HTML
page, an HTTP error (``import-feed``'s feed and archive API routes share these words)."""

from __future__ import annotations

from typing import Any

from newsarchive.commands.httpclient import FetchError, bot_check
from newsarchive.commands.substack.importer import SourceError

#: What to do about a bot check, said once after the messages.
BOT_CHECK_ADVICE = (
    "A bot check is a page for browsers, which a command cannot pass: try again later, "
    "import the publication's export instead (newsarchive import-substack EXPORT), or "
    "read its archive API (import-feed does so by itself for https://NAME.substack.com/feed)."
)

#: What to do when the feed and the archive API are both refused.
BOTH_REFUSED_ADVICE = (
    "Try again later, or import the publication's export instead "
    "(newsarchive import-substack EXPORT)."
)


class Refused(SourceError):
    """The server gave no feed (or no posts): an HTTP error, a bot check, an HTML page, no
    answer at all. ``bot_check`` when what it sent was a bot check."""

    def __init__(self, message: str, *, bot_check: bool = False) -> None:
        super().__init__(message)
        self.bot_check = bot_check


def refusal(status: str, headers: Any, body: bytes, content_type: str, wanted: str) -> Refused:
    """What an answer that is not ``wanted`` was, in words (``status``: "HTTP 403 Forbidden")."""
    check = bot_check(headers, body)
    if check is not None:
        return Refused(
            f"answered {status} with a bot check ({check}), not {wanted}", bot_check=True
        )
    if is_html(content_type, body):
        return Refused(f"answered {status} with an HTML page, not {wanted}")
    return Refused(status)


def refused_answer(error: FetchError, wanted: str) -> Refused:
    """An error answer (``error.status`` set) named for what it was."""
    content_type = error.headers.get("content-type", "").partition(";")[0].strip().lower()
    return refusal(f"HTTP {error.reason}", error.headers, error.body, content_type, wanted)


def is_html(content_type: str, body: bytes) -> bool:
    """An HTML page, by its type or by its first bytes (some servers send it as text/plain)."""
    start = body.lstrip()[:64].lower()
    return content_type in {"text/html", "application/xhtml+xml"} or start.startswith(
        (b"<!doctype html", b"<html")
    )
