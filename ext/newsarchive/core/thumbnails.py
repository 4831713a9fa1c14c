"""Mirrored thumbnails as the repository keeps them: ``docs/thumbs/manifest.json`` (image
URL -> file named by the SHA-256 of its bytes) and the files next to it.

Written by ``newsarchive thumbs`` (:mod:`newsarchive.commands.thumbs`), read by the build
(:mod:`newsarchive.sphinxext.thumbs`), which shows the local copy of each mirrored image.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive.core.files import write_atomically

#: A card's thumbnail side in CSS pixels.
THUMB_SIZE = 140
#: Pixels of a stored thumbnail's side: the card's CSS size, twice, for 2x screens.
THUMB_PX = 2 * THUMB_SIZE
DEFAULT_MANIFEST = "docs/thumbs/manifest.json"
MANIFEST_FORMAT = 1
FILE_NAME = re.compile(r"^[0-9a-f]{64}\.(?:webp|jpg)$")


class ManifestError(Exception):
    """The manifest cannot be read."""


@dataclass
class Manifest:
    """``docs/thumbs/manifest.json``: image URL -> mirrored file, and what failed."""

    path: Path
    images: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def directory(self) -> Path:
        return self.path.parent

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ManifestError(f"{path}: cannot be read: {error}") from None
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ManifestError(f"{path}: not a thumbnail manifest of format {MANIFEST_FORMAT}")
        images = data.get("images", {})
        failed = data.get("failed", {})
        if not isinstance(images, dict) or not isinstance(failed, dict):
            raise ManifestError(f"{path}: 'images' and 'failed' must be objects")
        return cls(path, images, failed)

    def save(self) -> None:
        data = {
            "format": MANIFEST_FORMAT,
            "size": THUMB_PX,
            "images": dict(sorted(self.images.items())),
            "failed": dict(sorted(self.failed.items())),
        }
        self.directory.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        if not self.path.exists() or self.path.read_text(encoding="utf-8") != text:
            write_atomically(self.path, text.encode())

    def file_of(self, url: str) -> str | None:
        """The mirrored file of ``url`` if it is recorded, well named and present."""
        record = self.images.get(url)
        name = record.get("file") if isinstance(record, dict) else None
        if isinstance(name, str) and FILE_NAME.match(name) and (self.directory / name).is_file():
            return name
        return None

    def mapping(self) -> dict[str, str]:
        """Every image URL whose file is present -> its file name."""
        return {url: name for url in self.images if (name := self.file_of(url))}
