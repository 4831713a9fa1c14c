"""Full-text search of the book with Pagefind, which segments Japanese words.

Sphinx's own index splits Japanese with TinySegmenter while its search page does not
split the query, so compounds such as 機械学習 never match (see
``docs/benchmarks/search.md``). With ``newsarchive_search = "pagefind"``:

- every page written by the HTML builder also leaves a bare copy of its body in
  ``<doctreedir>/search-pages/`` (at ``html-page-context``, so parallel writers work and an
  incremental build refreshes only the pages it rewrites); in that copy each card's title
  is a heading carrying the card's id, so a result can point at the card itself;
- at ``build-finished`` Pagefind's extended build indexes those copies into
  ``_pagefind/`` of the output (only when a copy changed);
- every issue page also leaves its cards and intro sections as text
  (``search_entries.py``), joined at ``build-finished`` into ``_search/entries.json``;
- ``search.html`` keeps Sphinx's address and ``?q=`` parameter, so the theme's search box
  and old links still work. It matches the reader's words itself against
  ``entries.json`` (``static/search.js``): Pagefind splits a compound into words and ranks
  pages holding the halves apart above the pages holding it, which readers do not expect
  (``docs/benchmarks/search.md``). The page no longer loads Pagefind's bundle, which is
  still built (the recall tests read it).

Sphinx's own index is then not built (it would cost build time), and no page loads
Sphinx's search scripts (``assets.py``, ``templates/layout.html``).
Where Pagefind cannot run, the build warns and keeps Sphinx's search.
The default, ``"sphinx"``, changes nothing, so small test projects build fast.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from newsarchive.core.text import japanese_date
from newsarchive.sphinxext.diagnostics import Subtype, logger, warn
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.finder import PAGENAME as FINDER_PAGE
from newsarchive.sphinxext.finder import root_prefix
from newsarchive.sphinxext.pages import DESCRIPTION_KEY
from newsarchive.sphinxext.search_entries import OUTPUT as ENTRIES_FILE
from newsarchive.sphinxext.search_entries import entries_path, write_entries, write_page_entries

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


MODES = ("sphinx", "pagefind")
PAGES_DIR = "search-pages"  # in the doctree directory: what Pagefind indexes
BUNDLE_DIR = "_pagefind"  # in the output: Pagefind's index and its JavaScript
STATE_FILE = "search-index.json"  # in the doctree directory: fingerprint of the last index
#: Builders that write a website Pagefind can index.
WEB_BUILDERS = frozenset({"html", "dirhtml"})
#: Parts of a page that are not words of the archive.
EXCLUDED = (
    ".headerlink",
    ".wkn-card-thumb",
    ".wkn-permalink",
    ".wkn-archived",
    ".wkn-also-in",
    ".wkn-source",
    ".wkn-pager",
)

# A card as nodes.py writes it: <article class="wkn-card ..." id="link-N"> … then its
# title heading. In the copy for the index the id moves to that heading, which Pagefind
# turns into a sub-result linking to the card.
_CARD = re.compile(
    r'<article class="(wkn-card[^"]*)" id="([^"]+)">(.*?)'
    r'<(h[1-6]) class="wkn-card-title">(.*?)</\4>',
    re.DOTALL,
)


def _warn(message: str) -> None:
    warn(message, Subtype.SEARCH)


def pagefind_executable() -> Path | None:
    """The extended Pagefind binary shipped in the ``pagefind_bin_extended`` wheel."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except (OSError, FileNotFoundError):
        return None


def enabled(app: Sphinx) -> bool:
    builder = getattr(app, "builder", None)
    return (
        app.config.newsarchive_search == "pagefind"
        and builder is not None
        and builder.name in WEB_BUILDERS
        and news_domain(app.env).run.pagefind is not None
    )


def choose_engine(app: Sphinx) -> None:
    """builder-inited: use Pagefind where asked and where it can run."""
    news_domain(app.env).run.pagefind = None
    if app.config.newsarchive_search != "pagefind" or app.builder.name not in WEB_BUILDERS:
        return
    executable = pagefind_executable()
    if executable is None:
        _warn(
            "Pagefind's extended build is not installed (pip install pagefind-bin-extended); "
            "the book keeps Sphinx's search, which misses Japanese compound words"
        )
        return
    news_domain(app.env).run.pagefind = executable
    app.builder.search = False  # type: ignore[attr-defined]


# -- the copies Pagefind indexes -----------------------------------------------------


def pages_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / PAGES_DIR


def copy_path(app: Sphinx, pagename: str) -> Path:
    return pages_dir(app) / f"{app.builder.get_target_uri(pagename) or 'index.html'}"


def indexed(app: Sphinx, pagename: str) -> bool:
    """Pages with words of the archive; lists of issues (home, years) only repeat titles."""
    return pagename not in news_domain(app.env).data["lists"]


def index_copy(*, title: str, body: str, lang: str, date: str = "", indexed: bool) -> str:
    """The page as Pagefind should see it: its body only, each card title a heading.

    ``title`` and ``body`` are HTML as Sphinx rendered them; ``date`` is text.
    """
    body = _CARD.sub(
        lambda m: (
            f'<article class="{m[1]}">{m[3]}'
            f'<{m[4]} class="wkn-card-title" id="{m[2]}">{m[5]}</{m[4]}>'
        ),
        body,
    )
    meta = Markup('<meta data-pagefind-meta="date:{}">').format(date) if date else ""
    return Markup(
        '<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        "</head>\n<body>{open}{meta}\n{body}\n</main></body></html>\n"
    ).format(
        lang=lang,
        title=Markup(title),  # Sphinx's title is already HTML
        open=Markup("<main data-pagefind-body>" if indexed else "<main>"),
        meta=meta,
        body=Markup(body),
    )


def write_copy(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: leave the page's bare copy for the index."""
    if not enabled(app) or doctree is None or pagename not in app.env.all_docs:
        return
    issue = news_domain(app.env).issue(pagename)
    text = index_copy(
        title=str(context.get("title", "")),
        body=str(context.get("body", "")),
        lang=app.config.language or "en",
        date=japanese_date(issue.day) if issue else "",
        indexed=indexed(app, pagename),
    )
    path = copy_path(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    write_page_entries(app, pagename, doctree)


def missing_copies(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: write again the pages whose copy or search entries are missing (first
    build); both are made when a page is written, so nothing needs to be read again."""
    if not enabled(app):
        return []
    issues = {issue.docname for issue in news_domain(env).issues()}
    return sorted(
        docname
        for docname in env.all_docs
        if not copy_path(app, docname).exists()
        or (docname in issues and not entries_path(app, docname).exists())
    )


# -- the search page -----------------------------------------------------------------


def collect_search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: ``search.html``, at Sphinx's address, searching with Pagefind.

    Rendered by ``templates/search.html``, which is the theme's own search page when
    Pagefind is off.
    """
    if not enabled(app):
        return
    context = {
        "title": "検索 Search",
        "wkn_pagefind": True,
        # The theme logs an error in a fresh browser when no mode is given.
        "default_mode": "auto",
        "wkn_bundle": root_prefix(app, "search") + BUNDLE_DIR + "/",
        "wkn_index": root_prefix(app, "search") + ENTRIES_FILE,
        "wkn_root": root_prefix(app, "search") or "./",
        "wkn_finder": app.builder.get_relative_uri("search", FINDER_PAGE),
        DESCRIPTION_KEY: "Weekly Kaggle News アーカイブの全文検索（日本語・英語）。",
    }
    yield "search", context, "search.html"


def add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: the search page's script and styles, on that page only."""
    if enabled(app) and context.get("wkn_pagefind"):
        app.add_js_file("search.js", type="module")
        app.add_css_file("search.css")
        context["metatags"] = context.get("metatags", "") + '<meta name="robots" content="noindex">'


# -- the index -----------------------------------------------------------------------


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha1()
    for path in sorted(folder.rglob("*.html")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def prune_copies(app: Sphinx) -> None:
    """Copies of pages that are gone must not stay searchable."""
    folder = pages_dir(app)
    keep = {copy_path(app, docname) for docname in app.env.all_docs}
    for path in folder.rglob("*.html"):
        if path not in keep:
            path.unlink()


def run_pagefind(executable: Path, site: Path, output: Path) -> tuple[bool, str]:
    """Index ``site`` into ``output`` (replaced whole, so no stale fragments remain)."""
    staging = output.with_name(output.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    command = [
        str(executable),
        "--site",
        str(site),
        "--output-path",
        str(staging),
        "--exclude-selectors",
        ", ".join(EXCLUDED),
        "--keep-index-url",
        "--quiet",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.SubprocessError) as error:
        return False, str(error)
    if done.returncode != 0 or not (staging / "pagefind.js").exists():
        shutil.rmtree(staging, ignore_errors=True)
        return False, (done.stderr or done.stdout).strip()[-2000:]
    shutil.rmtree(output, ignore_errors=True)
    staging.rename(output)
    return True, ""


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: index the copies with Pagefind, when one changed."""
    if exception is not None or not enabled(app):
        return
    write_entries(app)
    outdir = Path(app.outdir)
    site = pages_dir(app)
    site.mkdir(parents=True, exist_ok=True)
    prune_copies(app)
    output = outdir / BUNDLE_DIR
    state_path = Path(app.doctreedir) / STATE_FILE
    fingerprint = _fingerprint(site)
    try:
        previous = json.loads(state_path.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        previous = None
    if previous == fingerprint and (output / "pagefind.js").exists():
        return
    executable = news_domain(app.env).run.pagefind
    assert executable is not None  # enabled() said so
    started = time.perf_counter()
    ok, detail = run_pagefind(executable, site, output)
    if not ok:
        _warn(f"Pagefind could not index the book, so search.html finds nothing: {detail}")
        state_path.unlink(missing_ok=True)
        return
    seconds = time.perf_counter() - started
    logger.info("search index: Pagefind, %.1f s", seconds)
    state_path.write_text(json.dumps({"fingerprint": fingerprint, "seconds": seconds}))


def setup_search(app: Sphinx) -> None:
    app.connect("builder-inited", choose_engine)
    app.connect("env-get-updated", missing_copies)
    app.connect("html-collect-pages", collect_search_page)
    app.connect("html-page-context", write_copy)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", build_index)
