"""The ``newsarchive`` command line: one sub-command per module, each with ``--help``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: sub-command -> module defining ``register(subparsers)``; each sets ``func(args) -> int``.
COMMANDS = {
    "import-revue": "newsarchive.commands.revue.command",
    "import-substack": "newsarchive.commands.substack.export",
    "import-feed": "newsarchive.commands.substack.feed",
    "tag": "newsarchive.commands.tag",
    "new": "newsarchive.commands.editor.new",
    "add": "newsarchive.commands.editor.add",
    "check": "newsarchive.commands.editor.check",
    "thumbs": "newsarchive.commands.thumbs",
    "linkreport": "newsarchive.commands.linkreport",
    "competitions": "newsarchive.commands.competitions",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Tools for the Weekly Kaggle News archive.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMANDS.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue  # a sub-command not installed in this checkout
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
