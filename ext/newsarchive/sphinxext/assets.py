"""What every page loads: the book theme's look, without the scripts the pages do not run.

The book theme (pydata-sphinx-theme underneath) puts two things on every page that the book
does not use (see ``docs/benchmarks/readers.md`` for the bytes):

- ``fontawesome.js`` (1.5 MB, 540 KB gzipped): every Font Awesome icon as SVG, "so that
  users can add custom icons". The theme's own CSS already draws its icons (``<i
  class="fa-solid fa-…">``) with Font Awesome's font, so ``templates/layout.html`` leaves
  the script out, and the font is cut down with fontTools' subsetter to the icons the pages
  show (:data:`ICONS`): ``_static/newsarchive-icons.woff2``, 2 KB instead of the theme's
  115 KB, declared after the theme's CSS under the theme's family name, so the theme's rules
  draw from it and the full font is never fetched;
- Sphinx's ``searchtools.js``, ``language_data.js`` and ``searchindex.js``, for the theme's
  search-as-you-type (off in this book): when ``search.html`` is ours
  (``newsarchive_search = "newsarchive"``, see ``search.py``) no page loads them.

Only HTML builds with the book theme change (``wkn_light_assets`` in the page context); the
e-book and other themes keep their own layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.sphinxext.config import OWN_SEARCH
from newsarchive.sphinxext.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Builders whose pages use the book theme's layout.
WEB_BUILDERS = frozenset({"html", "dirhtml"})
#: The theme whose layout ``templates/layout.html`` trims (sphinx-book-theme, on
#: pydata-sphinx-theme).
THEME = "sphinx_book_theme"
#: The theme's solid icon font, as Sphinx copies it into the output.
THEME_FONT = "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"
#: The subset the pages load instead.
ICON_FONT = "_static/newsarchive-icons.woff2"
#: Every icon the pages show, by Font Awesome name, with its code point in the font (the
#: theme's CSS maps ``.fa-NAME`` to it). The theme's header, sidebars and search dialog use
#: these; ``tests/test_weight.py`` checks that no page shows another.
ICONS: dict[str, int] = {
    "arrow-up": 0xF062,  # back to top
    "bars": 0xF0C9,  # the primary sidebar's toggle
    "chevron-down": 0xF078,  # a sidebar entry's children
    "circle-half-stroke": 0xF042,  # the colour mode switch: automatic
    "list": 0xF03A,  # the secondary sidebar's toggle
    "magnifying-glass": 0xF002,  # search
    "moon": 0xF186,  # dark mode
    "outdent": 0xF03B,  # hide the sidebar
    "sun": 0xF185,  # light mode
    "xmark": 0xF00D,  # closing the search dialog (pydata-sphinx-theme.js)
}


def light(app: Sphinx) -> bool:
    builder = getattr(app, "builder", None)
    return (
        builder is not None
        and builder.name in WEB_BUILDERS
        and app.config.html_theme == THEME
        and app.config.newsarchive_search == OWN_SEARCH
    )


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: tell ``templates/layout.html`` to leave the unused scripts out."""
    context["wkn_light_assets"] = light(app)
    context["wkn_icon_font"] = ICON_FONT


def subset_icons(source: bytes) -> bytes:
    """The theme's icon font cut down to :data:`ICONS`, as WOFF2; the same bytes every time
    (the font's own timestamp is kept)."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(source), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ICONS.values()))
    subsetter.subset(font)
    font.flavor = "woff2"
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def write_icon_font(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: ``_static/newsarchive-icons.woff2`` from the theme's font."""
    if exception is not None or not light(app):
        return
    outdir = Path(app.outdir)
    source = outdir / THEME_FONT
    if not source.is_file():
        warn(
            f"the book theme's icon font {THEME_FONT} is missing, so the pages show no icons",
            Subtype.ASSETS,
        )
        return
    try:
        data = subset_icons(source.read_bytes())
    except Exception as error:  # a font fontTools cannot read is the theme's, not the reader's
        warn(
            f"the icon font could not be cut down ({error}); the pages show no icons",
            Subtype.ASSETS,
        )
        return
    target = outdir / ICON_FONT
    if not target.is_file() or target.read_bytes() != data:
        target.write_bytes(data)


def setup_assets(app: Sphinx) -> None:
    app.connect("html-page-context", page_context)
    app.connect("build-finished", write_icon_font)
