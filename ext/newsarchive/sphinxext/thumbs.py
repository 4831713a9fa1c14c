"""Mirrored thumbnails in the book: each card whose image is in the manifest shows the
local copy, copied to ``_static/thumbs/`` of HTML output; other cards keep the remote image,
and the site's initial when there is none or it fails to load. The files are made by
``newsarchive thumbs`` (:mod:`newsarchive.commands.thumbs`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.core.thumbnails import FILE_NAME, Manifest, ManifestError
from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.nodes import card_thumbnail

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Where HTML output keeps the mirrored files, and the builders that use them.
OUTPUT_DIR = "_static/thumbs"
MIRROR_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


def _warn(message: str) -> None:
    warn(message, Subtype.THUMBS)


def load_mirrored(app: Sphinx) -> None:
    """builder-inited: the manifest's image URL -> file, for files that are present."""
    path = Path(app.srcdir, app.config.newsarchive_thumbs_manifest)
    mapping: dict[str, str] = {}
    try:
        manifest = Manifest.load(path)
    except ManifestError as error:
        _warn(f"{error}; cards show the remote images")
    else:
        mapping = manifest.mapping()
        if missing := sorted(url for url in manifest.images if url not in mapping):
            _warn(
                f"{len(missing)} mirrored thumbnails are missing or misnamed in {path.parent} "
                f"(first: {missing[0]}); their cards show the remote image"
            )
    run = news_domain(app.env).run
    run.thumbs = mapping
    run.thumbs_dir = path.parent


def outdated_by_mirror(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """env-get-outdated: pages whose cards' images were mirrored (or dropped) since the
    last build, so that only they are read again."""
    domain = news_domain(env)
    current = domain.run.thumbs
    before: dict[str, str] = domain.remember("thumbs", dict(current)) or {}
    moved = {url for url in before.keys() | current.keys() if before.get(url) != current.get(url)}
    if not moved:
        return []
    cards = domain.data["cards"]
    return sorted(
        docname
        for docname, records in cards.items()
        if docname not in added | changed | removed
        and any(record.get("image") in moved for record in records)
    )


def point_at_mirror(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: a thumbnail whose image is mirrored names its local file."""
    mapping = news_domain(app.env).run.thumbs
    for node in doctree.findall(card_thumbnail):
        if name := mapping.get(node.get("uri", "")):
            node["local"] = name


def point_at_local_copy(app: Sphinx, doctree: Any, docname: str) -> None:
    """doctree-resolved: a mirrored thumbnail's ``src``, relative to the page written."""
    if app.builder.name not in MIRROR_BUILDERS:
        return
    from sphinx.util.osutil import relative_uri

    here = app.builder.get_target_uri(docname)
    for node in doctree.findall(card_thumbnail):
        name = node.get("local")
        if name and FILE_NAME.match(name):
            node["src"] = relative_uri(here, f"{OUTPUT_DIR}/{name}")


def copy_mirrored(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: the mirrored files the cards use, in ``_static/thumbs/``; files of
    images no card uses any more are removed from the output."""
    if exception is not None or app.builder.name not in MIRROR_BUILDERS:
        return
    run = news_domain(app.env).run
    mapping, source = run.thumbs, run.thumbs_dir
    if source is None:  # builder-inited did not run for this builder
        return
    used = {
        mapping[record["image"]]
        for records in news_domain(app.env).data["cards"].values()
        for record in records
        if record.get("image") in mapping
    }
    target = Path(app.outdir, OUTPUT_DIR)
    if used:
        target.mkdir(parents=True, exist_ok=True)
    for name in sorted(used):
        copy = target / name
        original = source / name
        if not copy.exists() or copy.stat().st_size != original.stat().st_size:
            shutil.copyfile(original, copy)
    if target.is_dir():
        for stale in target.iterdir():
            if stale.name not in used:
                stale.unlink()


def setup_thumbs(app: Sphinx) -> None:
    app.connect("builder-inited", load_mirrored)
    app.connect("env-get-outdated", outdated_by_mirror)
    app.connect("doctree-read", point_at_mirror)
    app.connect("doctree-resolved", point_at_local_copy)
    app.connect("build-finished", copy_mirrored)
