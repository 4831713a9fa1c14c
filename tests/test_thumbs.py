"""Mirroring thumbnails: good images, a 404, a non-image, oversized bodies, a decompression
bomb and a slow server, all served on 127.0.0.1; then the book shows the local copies.

The server and the root are per module; ``@BASE@`` in the root's pages is its address.
"""

from __future__ import annotations

import http.server
import io
import json
import shutil
import threading
import time
import zlib
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import ROOTS, soup_of
from newsarchive.commands import thumbs
from newsarchive.commands.cli import main
from PIL import Image

TIMEOUT = 0.5
MAX_BYTES = 200_000
FAILURES = {
    "missing.png": "404 Not Found",
    "page.html": "not an image (the server says text/html)",
    "fake.png": "not an image (JPEG, PNG, GIF, WEBP are accepted)",
    "huge.png": "too large: ",
    "stream.png": "too large: more than 200,000 bytes (--max-bytes)",
    "bomb.png": "(a decompression bomb?)",
    "slow.png": "no answer within 0.5 s (--timeout)",
}


def encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels."""
    data = bytearray(encoded(Image.new("L", (1, 1)), "PNG"))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


def images() -> dict[str, tuple[str, bytes]]:
    good = Image.new("RGBA", (600, 400), (30, 120, 200, 255))
    good.paste((250, 200, 0, 128), (0, 0, 300, 400))
    photo = Image.radial_gradient("L").resize((800, 300)).convert("RGB")
    noise = Image.frombytes("RGB", (300, 300), bytes(range(256)) * 1055)
    huge = encoded(noise, "PNG", compress_level=0)
    assert len(huge) > MAX_BYTES
    return {
        "good.png": ("image/png", encoded(good, "PNG")),
        "photo.jpg": ("image/jpeg", encoded(photo, "JPEG")),
        "page.html": ("text/html", b"<!doctype html><title>not an image</title>"),
        "fake.png": ("image/png", b"<!doctype html><title>says it is a PNG</title>"),
        "huge.png": ("image/png", huge),
        "stream.png": ("image/png", huge),
        "bomb.png": ("image/png", bomb_png(7000, 7000)),
        "slow.png": ("image/png", encoded(good, "PNG")),
    }


class ImageServer(http.server.BaseHTTPRequestHandler):
    files: ClassVar[dict[str, tuple[str, bytes]]] = {}
    hits: ClassVar[Counter[str]] = Counter()

    def do_GET(self) -> None:
        name = self.path.removeprefix("/img/")
        self.hits[name] += 1
        if name == "moved.png":
            self.send_response(302)
            self.send_header("Location", "/img/good.png")
            self.end_headers()
            return
        if name not in self.files:
            self.send_error(404)
            return
        if name == "slow.png":
            time.sleep(TIMEOUT * 3)
        kind, body = self.files[name]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if name != "stream.png":  # no length: the body is read until the limit
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the slow answer's client has given up: a broken pipe is expected


@pytest.fixture(scope="module")
def image_server():
    ImageServer.files = images()
    server = QuietServer(("127.0.0.1", 0), ImageServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def copy_root(name: str, target: Path, base: str) -> Path:
    shutil.copytree(ROOTS / f"test-{name}", target)
    for page in target.rglob("*.md"):
        page.write_text(page.read_text(encoding="utf-8").replace("@BASE@", base), encoding="utf-8")
    return target


def mirror_command(root: Path, *extra: str) -> list[str]:
    return [
        "thumbs",
        "--dir", str(root / "issues"),
        "--manifest", str(root / "thumbs" / "manifest.json"),
        "--timeout", str(TIMEOUT),
        "--max-bytes", str(MAX_BYTES),
        *extra,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory, image_server):
    """The root after one mirroring run: (root, exit code, output, hits of that run)."""
    root = copy_root("thumbs", tmp_path_factory.mktemp("thumbs") / "root", image_server)
    ImageServer.hits.clear()
    output = StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(output):
        code = main(mirror_command(root))
    return root, code, output.getvalue(), Counter(ImageServer.hits)


def manifest_of(root: Path) -> dict:
    return json.loads((root / "thumbs" / "manifest.json").read_text(encoding="utf-8"))


def test_good_images_are_mirrored_as_square_webp(mirrored, image_server):
    root, _, _, _ = mirrored
    records = manifest_of(root)["images"]
    assert sorted(records) == [
        f"{image_server}/img/{n}" for n in ("good.png", "moved.png", "photo.jpg")
    ]
    for record in records.values():
        path = root / "thumbs" / record["file"]
        assert record["file"] == thumbs.hashlib.sha256(path.read_bytes()).hexdigest() + ".webp"
        with Image.open(path) as image:
            assert (image.format, image.size) == ("WEBP", (280, 280))
    good = records[f"{image_server}/img/good.png"]
    assert good["source_size"] == [600, 400] and good["source_format"] == "PNG"
    with Image.open(root / "thumbs" / good["file"]) as image:
        assert image.mode == "RGBA"  # transparency kept
    # The redirect leads to the same picture: one file, named by its content.
    assert records[f"{image_server}/img/moved.png"]["file"] == good["file"]
    stored = sorted(p.name for p in (root / "thumbs").iterdir())
    assert len(stored) == 3 and "manifest.json" in stored


def test_every_failure_is_reported_by_card_with_its_reason(mirrored, image_server):
    root, code, output, _ = mirrored
    assert code == 1
    lines = [line for line in output.splitlines() if ": thumbnail " in line]
    assert len(lines) == len(FAILURES) + 1  # the missing image is on two cards
    for name, reason in FAILURES.items():
        found = [line for line in lines if f" thumbnail {image_server}/img/{name}: " in line]
        assert found and all(reason in line for line in found), (name, found)
    page = root / "issues" / "0001.md"
    missing_line = (
        page.read_text(encoding="utf-8")
        .splitlines()
        .index(f":image: {image_server}/img/missing.png")
        + 1
    )
    assert f"{page}:{missing_line}: thumbnail {image_server}/img/missing.png: 404" in output
    assert f"{root / 'issues' / '0002.md'}:17: thumbnail {image_server}/img/missing.png" in output
    assert output.splitlines()[-1] == (
        "thumbs: 10 images on 12 cards: 3 mirrored now, 0 before, 7 failed"
    )
    failed = manifest_of(root)["failed"]
    assert failed[f"{image_server}/img/missing.png"] == {
        "reason": "404 Not Found",
        "permanent": True,
    }
    assert failed[f"{image_server}/img/slow.png"]["permanent"] is False


def test_each_image_is_fetched_once(mirrored):
    *_, hits = mirrored
    assert hits["good.png"] == 2  # once itself, once behind the redirect
    assert max(hits.values()) <= 2 and hits["missing.png"] == 1


def test_a_second_run_fetches_only_what_may_work_now(mirrored, image_server, capsys):
    root, *_ = mirrored
    ImageServer.hits.clear()
    assert main(mirror_command(root)) == 1
    output = capsys.readouterr().out
    # Only the timed-out image is tried again; failures for good are still reported.
    assert dict(ImageServer.hits) == {"slow.png": 1}
    assert "thumbs: 10 images on 12 cards: 0 mirrored now, 3 before, 7 failed" in output
    assert "404 Not Found (an earlier run; --retry-failed to try again)" in output


def test_an_interrupted_run_keeps_what_it_did(tmp_path, image_server, monkeypatch, capsys):
    root = copy_root("thumbs", tmp_path / "root", image_server)
    real = thumbs.download

    def interrupted(url: str, **options: object) -> bytes:
        if url.endswith("photo.jpg"):
            raise KeyboardInterrupt
        return real(url, **options)

    monkeypatch.setattr(thumbs, "download", interrupted)
    assert main([*mirror_command(root), "--jobs", "1"]) == 130
    done = manifest_of(root)["images"]
    assert list(done) == [f"{image_server}/img/good.png"]
    monkeypatch.setattr(thumbs, "download", real)
    ImageServer.hits.clear()
    main(mirror_command(root))
    # good.png is fetched only behind moved.png's redirect: its own URL is skipped.
    assert ImageServer.hits["good.png"] == ImageServer.hits["moved.png"] == 1
    assert ImageServer.hits["photo.jpg"] == 1
    assert len(manifest_of(root)["images"]) == 3
    capsys.readouterr()


def test_a_host_that_cannot_be_reached_is_given_up_after_three_tries(tmp_path, monkeypatch):
    calls = []

    def unreachable(url: str, **options: object) -> bytes:
        calls.append(url)
        raise thumbs.ThumbError("cannot be reached: no such host", permanent=False)

    monkeypatch.setattr(thumbs, "download", unreachable)
    manifest = thumbs.Manifest(tmp_path / "manifest.json")
    urls = [f"https://gone.invalid/{n}.png" for n in range(10)]
    outcome = thumbs.mirror(urls, manifest, jobs=1, progress=False)
    assert len(calls) == 3 and len(outcome.failed) == 10
    assert outcome.failed[urls[-1]] == (
        "not tried: gone.invalid failed 3 times in this run (cannot be reached: no such host)"
    )
    assert manifest.failed[urls[-1]]["permanent"] is False  # tried again next run


def test_prune_forgets_images_no_card_uses(tmp_path, image_server, capsys):
    root = copy_root("thumbs", tmp_path / "root", image_server)
    main(mirror_command(root))
    page = root / "issues" / "0001.md"
    page.write_text(page.read_text(encoding="utf-8").replace("photo.jpg", "gone.jpg"))
    main(mirror_command(root, "--prune"))
    records = manifest_of(root)["images"]
    assert f"{image_server}/img/photo.jpg" not in records
    assert len(list((root / "thumbs").glob("*.webp"))) == 1
    capsys.readouterr()


def test_a_broken_manifest_is_an_error_not_a_traceback(tmp_path, image_server, capsys):
    root = copy_root("thumbs", tmp_path / "root", image_server)
    (root / "thumbs").mkdir()
    (root / "thumbs" / "manifest.json").write_text("{not json")
    assert main(mirror_command(root)) == 2
    assert "manifest.json: cannot be read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not an image"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not an image"),
        (bomb_png(100_000, 100_000), "decompression bomb"),
        (encoded(Image.new("RGB", (40, 40)), "PNG")[:60], "cannot be decoded"),
    ],
    ids=["empty", "postscript", "huge-bomb", "truncated"],
)
def test_bodies_that_are_not_usable_images_are_refused(body, reason):
    with pytest.raises(thumbs.ThumbError, match=reason):
        thumbs.make_thumbnail(body)


def test_small_images_are_not_enlarged_and_gifs_keep_their_first_frame():
    frames = [Image.new("P", (50, 30), colour) for colour in (1, 2)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    made = thumbs.make_thumbnail(gif.getvalue())
    assert (made.width, made.height, made.source_format) == (30, 30, "GIF")


# -- the book with mirrored thumbnails -----------------------------------------------------
@pytest.fixture(scope="module")
def book(mirrored, tmp_path_factory):
    from sphinx.testing.util import SphinxTestApp

    root, *_ = mirrored
    app = SphinxTestApp("html", srcdir=root, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_book_builds_and_mirrored_cards_show_the_local_copy(book, mirrored, image_server):
    root, *_ = mirrored
    assert book.warning.getvalue() == ""
    records = manifest_of(root)["images"]
    page = soup_of(book.outdir / "issues" / "0001.html")
    image = page.select_one("#link-1 .wkn-card-thumb img")
    expected = records[f"{image_server}/img/good.png"]["file"]
    assert image["src"] == f"../_static/thumbs/{expected}"
    assert (book.outdir / "_static" / "thumbs" / expected).read_bytes() == (
        root / "thumbs" / expected
    ).read_bytes()
    # Not mirrored: the remote image stays, and the fallback is under it.
    gone = page.select_one("#link-3 .wkn-card-thumb")
    assert gone.select_one("img")["src"] == f"{image_server}/img/missing.png"
    assert gone.select_one(".wkn-thumb-fallback").get_text() == "E"
    assert "wkn-thumb-missing" in page.select_one("#link-11 .wkn-card-thumb")["class"]
    copied = sorted(p.name for p in (book.outdir / "_static" / "thumbs").iterdir())
    assert copied == sorted({r["file"] for r in records.values()})


def test_thumbnails_of_deleted_cards_leave_the_output(tmp_path, mirrored):
    from sphinx.testing.util import SphinxTestApp

    root, *_ = mirrored
    srcdir = shutil.copytree(root, tmp_path / "root")
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    app.build()
    app.cleanup()
    assert len(list((app.outdir / "_static" / "thumbs").iterdir())) == 2
    page = srcdir / "issues" / "0001.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("/img/photo.jpg", "/img/other.jpg"), encoding="utf-8")
    again = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    again.build()
    again.cleanup()
    assert len(list((again.outdir / "_static" / "thumbs").iterdir())) == 1
    assert "other.jpg" in (again.outdir / "issues" / "0001.html").read_text(encoding="utf-8")


def test_a_mirrored_file_missing_from_the_repository_is_a_warning(tmp_path, mirrored):
    from sphinx.testing.util import SphinxTestApp

    root, *_ = mirrored
    srcdir = shutil.copytree(root, tmp_path / "root", ignore=shutil.ignore_patterns("_build"))
    photo = next(v for k, v in manifest_of(srcdir)["images"].items() if k.endswith("photo.jpg"))
    (srcdir / "thumbs" / photo["file"]).unlink()
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    app.build()
    app.cleanup()
    warning = app.warning.getvalue()
    assert (
        f"WARNING: 1 mirrored thumbnails are missing or misnamed in {srcdir / 'thumbs'}" in warning
    )
    assert "[newsarchive.thumbs]" in warning
    html = (app.outdir / "issues" / "0001.html").read_text(encoding="utf-8")
    assert "/img/photo.jpg" in html and photo["file"] not in html


def test_mirroring_after_a_build_rereads_only_the_pages_it_concerns(tmp_path, mirrored):
    from sphinx.testing.util import SphinxTestApp

    root, *_ = mirrored
    srcdir = shutil.copytree(root, tmp_path / "root")
    manifest = srcdir / "thumbs" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    photo = next(url for url in data["images"] if url.endswith("photo.jpg"))
    kept = data["images"].pop(photo)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    first = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    first.build()
    first.cleanup()
    data["images"][photo] = kept
    manifest.write_text(json.dumps(data), encoding="utf-8")
    second = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    read: list[str] = []
    second.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    second.build()
    second.cleanup()
    assert read == ["issues/0001"]  # not 0002, whose images did not change
    html = (second.outdir / "issues" / "0001.html").read_text(encoding="utf-8")
    assert f"_static/thumbs/{kept['file']}" in html


# -- in a browser ------------------------------------------------------------------------
@pytest.mark.browser
def test_in_a_browser_mirrored_images_show_and_failed_ones_show_the_initial(browser, book, serve):
    url = serve(book.outdir)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(url) else route.abort(),
    )
    try:
        page.goto(f"{url}/issues/0001.html")
        page.wait_for_load_state("networkidle")
        for image in page.locator(".wkn-card-thumb img").all():
            image.scroll_into_view_if_needed()  # thumbnails load lazily
        page.wait_for_function(
            "(imgs => imgs.length === 3 && imgs.every(e => e.complete))"
            "([...document.querySelectorAll('.wkn-card-thumb img')])",
            timeout=5000,
        )
        shown = page.eval_on_selector_all(
            ".wkn-card-thumb img",
            "els => els.map(e => [e.closest('article').id, e.complete, e.naturalWidth])",
        )
        assert shown == [["link-1", True, 280], ["link-2", True, 280], ["link-10", True, 280]]
        fallbacks = page.eval_on_selector_all(
            "article:has(.wkn-thumb-missing) .wkn-thumb-fallback",
            "els => els.map(e => [e.closest('article').id, e.getBoundingClientRect().width > 0])",
        )
        assert [card for card, visible in fallbacks if visible] == [
            f"link-{n}" for n in (3, 4, 5, 6, 7, 8, 9, 11)
        ]
    finally:
        context.close()
