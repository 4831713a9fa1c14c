"""Thumbnails kept in the repository, so cards keep their pictures when image hosts go away.

``newsarchive thumbs`` fetches each distinct ``:image:`` of the issue pages once, with the
commands' HTTP client (:mod:`newsarchive.commands.httpclient`: http(s) only, a deadline, a
size limit), and never trusts what it gets: Pillow decodes it as JPEG, PNG, GIF or WebP
only (no other decoder runs), the pixel count is checked before any pixel is decoded, and
the picture is cropped to the card's square, scaled to :data:`THUMB_PX` (twice the card's
140 CSS px, for 2x screens) and re-encoded as WebP. The file is named by the SHA-256 of its
bytes and recorded in ``docs/thumbs/manifest.json`` (image URL -> file), so issue pages
are never edited.

The book shows the local copies (:mod:`newsarchive.sphinxext.thumbs`).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import threading
import warnings
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsarchive.commands.httpclient import FetchError, get
from newsarchive.core.files import write_atomically
from newsarchive.core.thumbnails import (
    DEFAULT_MANIFEST,
    FILE_NAME,
    THUMB_PX,
    Manifest,
    ManifestError,
)
from newsarchive.core.urls import is_http_url

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from PIL import Image as PILImage

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: More pixels than this is refused before decoding (a decompression bomb, or no thumbnail).
MAX_PIXELS = 36_000_000
#: The only decoders Pillow may run on a downloaded body.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
_SAVE_EVERY = 20


class ThumbError(Exception):
    """An image that cannot be mirrored; ``permanent`` when retrying will not help."""

    def __init__(self, reason: str, *, permanent: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


# -- making a thumbnail ------------------------------------------------------------------
@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    suffix: str  #: "webp" (or "jpg" where Pillow has no WebP encoder)
    width: int
    height: int
    source_format: str
    source_size: tuple[int, int]

    @property
    def name(self) -> str:
        return f"{hashlib.sha256(self.data).hexdigest()}.{self.suffix}"


def make_thumbnail(body: bytes, *, size: int = THUMB_PX, max_pixels: int = MAX_PIXELS) -> Thumbnail:
    """The card-sized thumbnail of an image body; :class:`ThumbError` for anything else."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(body), formats=FORMATS) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ThumbError(
                        f"{width}x{height} pixels is more than {max_pixels:,} "
                        "(a decompression bomb?)"
                    )
                source_format = str(image.format)
                square = _square(image, size)
        except UnidentifiedImageError:
            raise ThumbError(f"not an image ({', '.join(FORMATS)} are accepted)") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ThumbError(f"refused as a decompression bomb: {error}") from None
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
            raise ThumbError(f"the image cannot be decoded: {error}") from None
    data, suffix = _encode(square)
    return Thumbnail(data, suffix, square.width, square.height, source_format, (width, height))


def _square(image: PILImage.Image, size: int) -> PILImage.Image:
    """The centre square a card shows (``object-fit: cover``), at most ``size`` pixels."""
    from PIL import Image, ImageOps

    if image.format == "JPEG":
        image.draft("RGB", (size, size))  # decode at a reduced scale, still >= size
    image.load()
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    converted = upright.convert("RGBA" if has_alpha else "RGB")
    side = max(1, min(size, converted.width, converted.height))
    return ImageOps.fit(converted, (side, side), method=Image.Resampling.LANCZOS)


def _encode(image: PILImage.Image) -> tuple[bytes, str]:
    from PIL import Image, features

    out = io.BytesIO()
    if features.check("webp"):
        image.save(out, "WEBP", quality=80, method=4)
        return out.getvalue(), "webp"
    if image.mode == "RGBA":  # JPEG has no transparency: flatten onto white
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), "jpg"


# -- downloading -------------------------------------------------------------------------
def _image_type(content_type: str) -> bool:
    """What may hold an image ("" when the server states no type): its body is read."""
    return (
        not content_type
        or content_type.startswith("image/")
        or content_type == "application/octet-stream"
    )


def download(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """The body of an image URL; :class:`ThumbError` unless it is a plausible image."""
    if not is_http_url(url):
        raise ThumbError("only http and https images can be mirrored")
    try:
        response = get(
            url,
            purpose="thumbnail mirror",
            accept="image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1",
            timeout=timeout,
            max_bytes=max_bytes,
            reads=_image_type,
            timeout_option="--timeout",
            size_option="--max-bytes",
        )
    except FetchError as error:
        raise ThumbError(error.reason, permanent=not error.transient) from None
    if not _image_type(response.content_type):
        raise ThumbError(f"not an image (the server says {response.content_type})")
    return response.body


# -- mirroring ---------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Place:
    """Where a card names an image: the page and the ``:image:`` line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def card_images(paths: Iterable[Path]) -> dict[str, list[Place]]:
    """Every ``:image:`` URL of the pages -> the cards naming it, in page order."""
    from newsarchive.core.sources import read_page

    images: dict[str, list[Place]] = defaultdict(list)
    for path in paths:
        for card in read_page(path).cards:
            image = " ".join(card.options.get("image", "").split())
            if image and is_http_url(image):
                images[image].append(Place(path, card.line_of("image")))
    return dict(images)


@dataclass
class Outcome:
    """What a mirroring run did."""

    mirrored: list[str] = field(default_factory=list)  #: URLs mirrored by this run
    skipped: list[str] = field(default_factory=list)  #: URLs mirrored by an earlier run
    failed: dict[str, str] = field(default_factory=dict)  #: URL -> reason (this run)
    known: dict[str, str] = field(default_factory=dict)  #: URL -> reason (earlier, not retried)


def mirror_one(
    url: str, directory: Path, *, size: int, timeout: float, max_bytes: int
) -> dict[str, Any]:
    """Fetch, check and store one image; its manifest record."""
    body = download(url, timeout=timeout, max_bytes=max_bytes)
    thumb = make_thumbnail(body, size=size)
    target = directory / thumb.name
    if not target.exists():
        write_atomically(target, thumb.data)
    return {
        "file": thumb.name,
        "width": thumb.width,
        "height": thumb.height,
        "source_format": thumb.source_format,
        "source_size": list(thumb.source_size),
        "source_bytes": len(body),
    }


class _Hosts:
    """Hosts that cannot be reached: after ``limit`` such failures in a run (and no
    success), their other images are not tried (an image host that has gone)."""

    def __init__(self, limit: int = 3) -> None:
        self.limit = limit
        self.failures: Counter[str] = Counter()
        self.reasons: dict[str, str] = {}
        self.working: set[str] = set()
        self.lock = threading.Lock()

    def fetch(self, url: str, fetcher: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        host = (urlsplit(url).hostname or "").lower()
        with self.lock:
            if host not in self.working and self.failures[host] >= self.limit:
                raise ThumbError(
                    f"not tried: {host} failed {self.limit} times in this run "
                    f"({self.reasons[host]})",
                    permanent=False,
                )
        try:
            record = fetcher()
        except ThumbError as error:
            if not error.permanent:
                with self.lock:
                    self.failures[host] += 1
                    self.reasons[host] = error.reason
            else:
                self.working.add(host)  # it answered
            raise
        self.working.add(host)
        return record


def mirror(
    urls: Sequence[str],
    manifest: Manifest,
    *,
    size: int = THUMB_PX,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 4,
    retry_failed: bool = False,
    progress: bool | None = None,
) -> Outcome:
    """Mirror every URL not mirrored yet; the manifest is saved as it goes (resumable)."""
    from tqdm import tqdm

    outcome = Outcome()
    todo: list[str] = []
    for url in urls:
        known = manifest.failed.get(url)
        if manifest.file_of(url):
            outcome.skipped.append(url)
        elif known and known.get("permanent") and not retry_failed:
            outcome.known[url] = str(known.get("reason", "failed"))
        else:
            todo.append(url)
    manifest.directory.mkdir(parents=True, exist_ok=True)
    bar = tqdm(
        total=len(todo), desc="thumbs", unit="image", file=sys.stderr, leave=False,
        disable=None if progress is None else not progress,
    )  # fmt: skip
    unsaved = 0
    hosts = _Hosts()

    def one(url: str) -> dict[str, Any]:
        return hosts.fetch(
            url,
            lambda: mirror_one(
                url, manifest.directory, size=size, timeout=timeout, max_bytes=max_bytes
            ),
        )

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(one, url): url for url in todo}
            try:
                for future in as_completed(futures):
                    url = futures[future]
                    try:
                        manifest.images[url] = future.result()
                        manifest.failed.pop(url, None)
                        outcome.mirrored.append(url)
                    except ThumbError as error:
                        manifest.failed[url] = {
                            "reason": error.reason,
                            "permanent": error.permanent,
                        }
                        outcome.failed[url] = error.reason
                    except Exception as error:  # one image never stops the run
                        reason = f"cannot be mirrored: {type(error).__name__}: {error}"
                        manifest.failed[url] = {"reason": reason, "permanent": False}
                        outcome.failed[url] = reason
                    bar.update()
                    unsaved += 1
                    if unsaved >= _SAVE_EVERY:
                        manifest.save()
                        unsaved = 0
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        bar.close()
        manifest.save()
    return outcome


def remove_unused(manifest: Manifest, used: Iterable[str], *, prune: bool) -> list[str]:
    """Delete stored files no manifest entry names (left by an interrupted run); with
    ``prune``, first drop the entries of images no card uses any more."""
    if prune:
        keep = set(used)
        for table in (manifest.images, manifest.failed):
            for url in [url for url in table if url not in keep]:
                del table[url]
        manifest.save()
    named = {record.get("file") for record in manifest.images.values() if isinstance(record, dict)}
    removed = []
    if manifest.directory.is_dir():
        for path in sorted(manifest.directory.iterdir()):
            if FILE_NAME.match(path.name) and path.name not in named:
                path.unlink()
                removed.append(path.name)
    return removed


# -- the command -------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "thumbs",
        help="mirror the cards' thumbnails into the repository",
        description=(
            "Download each card's :image: once, check it (size, type, pixel count), crop it "
            f"to the card's square at {THUMB_PX} px, store it as docs/thumbs/<sha256>.webp and "
            "record it in the manifest; the book then shows the local copy. Images mirrored "
            "before are skipped; images that failed for good are skipped unless "
            "--retry-failed. Every failure is reported by card (file:line)."
        ),
    )
    parser.add_argument("--dir", type=Path, default=Path("issues"), help="issue folder (issues)")
    parser.add_argument(
        "--manifest", type=Path, default=Path(DEFAULT_MANIFEST),
        help=f"the manifest; files are stored next to it ({DEFAULT_MANIFEST})",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, default=4, help="downloads at a time (4)")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT,
        help=f"give up on an image after this many seconds ({DEFAULT_TIMEOUT:g})",
    )  # fmt: skip
    parser.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
        help=f"refuse images larger than this ({DEFAULT_MAX_BYTES})",
    )  # fmt: skip
    parser.add_argument(
        "--size", type=int, default=THUMB_PX, help=f"side of a thumbnail in pixels ({THUMB_PX})"
    )
    parser.add_argument(
        "--retry-failed", action="store_true", help="try images that failed for good again"
    )
    parser.add_argument(
        "--prune", action="store_true", help="forget images no card uses and delete their files"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newsarchive.core.sources import issue_files

    if not args.dir.is_dir():
        print(f"newsarchive thumbs: {args.dir} is not a folder", file=sys.stderr)
        return 2
    if args.size < 16 or args.jobs < 1 or args.max_bytes < 1 or args.timeout <= 0:
        print(
            "newsarchive thumbs: --size >= 16, --jobs, --max-bytes, --timeout > 0", file=sys.stderr
        )
        return 2
    try:
        manifest = Manifest.load(args.manifest)
    except ManifestError as error:
        print(f"newsarchive thumbs: {error}", file=sys.stderr)
        return 2
    places = card_images(issue_files(args.dir))
    try:
        outcome = mirror(
            list(places),
            manifest,
            size=args.size,
            timeout=args.timeout,
            max_bytes=args.max_bytes,
            jobs=args.jobs,
            retry_failed=args.retry_failed,
        )
    finally:
        removed = remove_unused(manifest, places, prune=args.prune)
    failures = sorted(
        (place, url, reason, url in outcome.known)
        for url, reason in {**outcome.known, **outcome.failed}.items()
        for place in places[url]
    )
    for place, url, reason, earlier in failures:
        when = " (an earlier run; --retry-failed to try again)" if earlier else ""
        print(f"{place}: thumbnail {url}: {reason}{when}")
    cards = sum(len(found) for found in places.values())
    print(
        f"thumbs: {len(places)} images on {cards} cards: {len(outcome.mirrored)} mirrored now, "
        f"{len(outcome.skipped)} before, {len(outcome.failed) + len(outcome.known)} failed"
        + (f"; {len(removed)} unused files removed" if removed else "")
    )
    return 1 if failures else 0
