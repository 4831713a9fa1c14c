"""The command-line options every import shares: where pages go, ``--force``, the
manifest and tags."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_page_options(
    parser: argparse.ArgumentParser, *, manifest: str, force_note: str = ""
) -> None:
    """Where pages go, --force, the manifest and tags: the options every import shares.
    ``force_note`` says which pages even --force leaves alone."""
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("issues"),
        help="where pages go (default: issues)",  # pragma: no mutate
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=(  # pragma: no mutate
            "overwrite pages even if edited by hand or losing cards or text "  # pragma: no mutate
            f"(what is removed is said){force_note}"  # pragma: no mutate
        ),
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        help=f"the record of what was imported (default: {manifest})",  # pragma: no mutate
    )
    parser.add_argument(
        "--vocabulary",
        type=Path,
        default=Path("docs/tags.toml"),
        help=(  # pragma: no mutate
            "the tag vocabulary used to suggest :tags: "  # pragma: no mutate
            "(default: docs/tags.toml)"  # pragma: no mutate
        ),
    )
    parser.add_argument(
        "--no-tags",
        action="store_true",
        help="write cards without :tags:",  # pragma: no mutate
    )
