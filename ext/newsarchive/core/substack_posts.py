"""The newsletter's posts on Substack, by slug: ``issues/substack/posts.json``.

A post's address is ``https://<publication>/p/<slug>``, and a slug need not carry the
issue's number (``weekly-kaggle-issue-40-20-09-18``, or none at all). The Substack imports
(``import-substack``, ``import-feed``) know each post's issue from its title and record
slug -> issue number here, re-posts of Revue-era issues included; the build
(:mod:`newsarchive.sphinxext.issuelinks`) reads it so that a link to any post of the
newsletter points to our page of its issue. The file is sorted and written only when it
changes, so the same import gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsarchive.core.files import write_atomically

#: The newsletter's publication on Substack; a post's page is ``https://<this>/p/<slug>``.
SUBSTACK_HOST = "weeklykagglenews.substack.com"
#: The table's place in the issue folder, beside the Substack import's manifest.
POSTS_TABLE = "substack/posts.json"

ABOUT = (
    "The newsletter's posts on Substack: slug -> issue number, written by "
    "`newsarchive import-substack` and `import-feed`; the build points links to "
    "https://<publication>/p/<slug> to the issue's page."
)


class PostsTableError(Exception):
    """The table cannot be read; the message names the file."""


def load_posts(path: Path) -> dict[str, int]:
    """slug -> issue number; empty when there is no table."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PostsTableError(f"{path}: cannot be read: {error}") from None
    posts = data.get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, dict):
        raise PostsTableError(f"{path}: no 'posts' object (slug -> issue number)")
    table: dict[str, int] = {}
    for slug, number in posts.items():
        if not slug or "/" in slug or not _is_issue_number(number):
            raise PostsTableError(
                f"{path}: {slug!r}: {number!r} is not an issue number of a post's slug"
            )
        table[slug] = number
    return table


def posts_text(posts: dict[str, int]) -> str:
    """The table as written: sorted by slug, one post a line."""
    data = {"about": ABOUT, "posts": dict(sorted(posts.items()))}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def save_posts(path: Path, posts: dict[str, int]) -> bool:
    """Write the table unless it holds that already; whether it was written."""
    text = posts_text(posts)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode("utf-8"))
    return True


def _is_issue_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
