"""Re-posts: Substack's archive holds every issue from #1, the Revue era posted again.

A post is a re-post when its issue has a page that the Substack import did not write (the
manifest does not record it) and whose ``source`` is not on Substack: a Revue original,
or a page written by hand. Such a page is the archive's own copy (with Revue's thumbnails
and excerpts) and stays as it is, byte for byte, even with ``--force``. What the re-post
holds beyond it is only said: the cards whose links the page has nowhere.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from newsarchive.commands.pipeline.html import youtube_id
from newsarchive.commands.pipeline.model import Card
from newsarchive.commands.substack.body import (
    SubstackFormatError,
    clean_url,
    is_substack_host,
    parse_body,
)
from newsarchive.core.frontmatter import judge_front_matter, read_front_matter
from newsarchive.core.sources import parse_page

#: Links shown in a notice at most.
SHOWN = 3


def is_repost(page: Path, post_source: str, *, recorded: bool) -> bool:
    """Whether a post of the issue whose page is ``page`` is a re-post: the page is not
    the Substack import's (``recorded``: its manifest has it) and its source is not on
    Substack's hosts nor on the post's own (a custom domain)."""
    if recorded:
        return False
    source = str((read_front_matter(page) or {}).get("source") or "")
    host = (urlsplit(source).hostname or "").lower()
    if not host:
        return True
    return not (is_substack_host(host) or host == (urlsplit(post_source).hostname or "").lower())


def lacking_links(page: Path, html: str) -> list[str] | str:
    """The links of the re-post's cards (``html``, the post's body) that the page has
    nowhere, in the post's order; a message instead when the body cannot be read."""
    try:
        body = parse_body(html)
    except SubstackFormatError as error:
        return f"line {error.line}: {error.message}"
    parsed = parse_page(page.read_text(encoding="utf-8"), page)
    present = {link_key(card.url) for card in parsed.cards}
    present |= {link_key(link.message) for link in parsed.links}
    lacking: dict[str, str] = {}
    for item in body.items:
        if isinstance(item, Card) and (key := link_key(item.url)) not in present:
            lacking.setdefault(key, item.url)
    return list(lacking.values())


def link_key(url: str) -> str:
    """What two links to the same page share, as the two eras wrote them: a YouTube
    video's id; otherwise host (without ``www.``) and path (without the final slash) and
    query without tracking parameters (a tweet's ``?s=20`` on a Revue page), whatever the
    scheme."""
    if video := youtube_id(url):
        return f"youtube:{video}"
    parts = urlsplit(clean_url(url))
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("mobile.")
    if host == "x.com":
        host = "twitter.com"
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"


def source_line(page: Path) -> int:
    """The line of the page's ``source:`` field (what the page is a copy of), else 1; read
    as ``check`` reads the front matter (a ``source:`` line in the text is none)."""
    fields, _ = judge_front_matter(page.read_text(encoding="utf-8"))
    return fields.lines.get("source", 1)


def lacking_notice(page: Path, key: str, links: list[str]) -> str:
    shown = ", ".join(links[:SHOWN]) + (", …" if len(links) > SHOWN else "")
    noun = "link" if len(links) == 1 else "links"
    return (
        f"{page}:{source_line(page)}: the Substack re-post ({key}) has {len(links)} {noun} "
        f"this page lacks: {shown}; the page is left as it is"
    )


def number_ranges(numbers: list[int]) -> str:
    """``#1–#3, #18, #40``: issue numbers, runs of consecutive ones as a range."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"#{run[0]}" if len(run) == 1 else f"#{run[0]}–#{run[-1]}" for run in runs)
