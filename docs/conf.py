"""Sphinx configuration of the Weekly Kaggle News archive.

The sources live at the repository root: ``index.md`` (home), ``docs/`` (the book's own
pages) and ``issues/`` (one page per newsletter issue). Build with ``make html``.
"""

from __future__ import annotations

project = "Weekly Kaggle News"
author = "Weekly Kaggle News"
copyright = "2019–2026, Weekly Kaggle News"
version = release = "1"
language = "ja"

extensions = [
    "myst_parser",
    "sphinxext.opengraph",
    "newsarchive",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
# Only these are pages; the rest of the repository (README, tests, the Revue originals
# in issues/revue/) is not part of the book.
include_patterns = ["index.md", "docs/**", "issues/[0-9]*.md"]
# docs/benchmarks/ holds results, not pages.
exclude_patterns = ["_build", ".venv", "**/.pytest_cache", "docs/benchmarks/**"]

myst_enable_extensions = ["colon_fence"]
smartquotes = False  # keep every character of the source text
myst_heading_anchors = 3
# The extension's search page, which finds Japanese compounds (機械学習) and lists every
# link (search.html?all=1); see docs/benchmarks/search.md. The extension's default,
# "sphinx", keeps Sphinx's own search page.
newsarchive_search = "newsarchive"

html_theme = "sphinx_book_theme"
html_title = "Weekly Kaggle News アーカイブ"
html_static_path: list[str] = []
html_favicon = "_static/favicon.svg"  # the site's icon (browsers ask for one on every page)
html_last_updated_fmt: str | None = None  # a date would make two builds differ
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "collapse_navbar": True,
    "show_toc_level": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    "show_prev_next": False,  # issue pages have their own previous / next issue links
}
# A first visit follows the reader's system; the theme's own default ("") is logged as an
# invalid mode on every page.
html_context = {"default_mode": "auto"}

# The hosted address (set SITE_URL when deploying); feeds, the sitemap and Open Graph
# need absolute URLs.
import os  # noqa: E402

html_baseurl = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")
ogp_site_url = html_baseurl
ogp_site_name = "Weekly Kaggle News アーカイブ"
ogp_type = "website"
ogp_custom_meta_tags = ['<meta property="og:locale" content="ja_JP" />']
ogp_enable_meta_description = True
ogp_social_cards = {"enable": False}

# Link checking: `make linkcheck` (it ends with `newsarchive linkreport`). The extension
# never checks archived copies (web.archive.org) and lists sites that refuse automated
# checks "check by hand" without requesting them (newsarchive_linkcheck_by_hand). Revue
# closed in 2023: its pages are kept as provenance, known gone.
linkcheck_ignore = [r"^https?://(www\.)?getrevue\.co/"]
linkcheck_workers = 4  # a few requests at a time, from one machine
linkcheck_timeout = 20
linkcheck_retries = 2
linkcheck_rate_limit_timeout = 120.0  # follow a 429's Retry-After for up to two minutes
linkcheck_anchors = False  # most linked pages draw their anchors with scripts
linkcheck_report_timeouts_as_broken = False  # a timeout is "check by hand", not dead
linkcheck_request_headers = {"*": {"Accept-Language": "ja,en;q=0.8"}}
