"""Index pages computed from the archive's data: tags, each tag, and the sites linked.

They are written by the HTML builder at ``html-collect-pages`` from the domain's data,
so a deleted card or tag cannot survive a rebuild. A page is rewritten only when what
it shows changed, and pages of tags that no longer exist are removed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2
from markupsafe import Markup, escape

from newsarchive.sphinxext.charts import tag_sparkline
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.entries import site_entries, tag_entries

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder


STATE_FILE = "newsarchive-pages.json"
#: Context key of a generated page's description (read by newsarchive.sharing).
DESCRIPTION_KEY = "newsarchive_description"

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("newsarchive.sphinxext", "templates"),
    autoescape=True,  # every value from a page is text, never markup
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class Page:
    pagename: str
    title: str
    template: str
    values: dict[str, Any]
    description: str = ""


def index_pages(app: Sphinx) -> Iterator[Page]:

    domain = news_domain(app.env)
    vocabulary = domain.run.vocabulary
    tags_dir = app.config.newsarchive_tags_dir
    by_tag = tag_entries(domain)
    tags = list(vocabulary.tags.values()) if vocabulary else []
    counts = Counter({slug: len(cards) for slug, cards in by_tag.items()})
    yield Page(
        f"{tags_dir}/index",
        "タグ一覧 Tags",
        "tags_index.html",
        {"tags": tags, "counts": counts, "total": sum(1 for _ in domain.issue_cards())},
        f"Weekly Kaggle News の {len(tags)} のタグと、タグごとのリンク数。",
    )
    for tag in tags:
        yield Page(
            f"{tags_dir}/{tag.slug}",
            f"{tag.label_ja} ({tag.label_en})",
            "tag_page.html",
            {
                "tag": tag,
                "entries": by_tag.get(tag.slug, []),
                "sparkline": tag_sparkline(app, tag.slug, f"{tags_dir}/{tag.slug}"),
            },
            f"「{tag.label_ja}」({tag.label_en}) のリンク {counts[tag.slug]} 件、新しい順。",
        )
    sites = site_entries(domain)
    yield Page(
        f"{app.config.newsarchive_sites_dir}/index",
        "サイト一覧 Sites",
        "sites_index.html",
        {"sites": sites, "total": sum(len(cards) for _, cards in sites)},
        f"Weekly Kaggle News が紹介した {len(sites)} のサイトと、サイトごとのリンク数。",
    )


def page_frame(app: Sphinx) -> str:
    """What a generated page is drawn from besides its body: the top of the toctree (the
    theme's sidebar), the configuration and the templates (theme and templates_path, by
    their newest change, as Sphinx judges its own pages). A change to any of them rewrites
    the generated pages, as it rewrites the documents."""
    env = app.env
    root = app.config.root_doc
    tops = env.toctree_includes.get(root, [])
    titles = [(d, env.titles[d].astext() if d in env.titles else "") for d in tops]
    builder = cast("StandaloneHTMLBuilder", app.builder)
    build_info = getattr(builder, "build_info", None)
    templates = getattr(builder, "templates", None)
    newest = templates.newest_template_mtime() if templates is not None else 0.0
    frame = [titles, getattr(build_info, "config_hash", ""), repr(newest)]
    return json.dumps(frame, ensure_ascii=False)


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: render the index pages whose content changed."""
    yield from render_pages(app, index_pages(app), STATE_FILE)


def render_pages(
    app: Sphinx, pages: Iterable[Page], state_file: str
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The pages whose content changed since the build that wrote ``state_file``; pages of
    that build which are no longer computed are removed from the output."""
    builder = cast("StandaloneHTMLBuilder", app.builder)
    state_path = Path(app.doctreedir) / state_file
    try:
        previous: dict[str, str] = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    frame = page_frame(app)
    current: dict[str, str] = {}
    for page in pages:

        def uri(target: str, anchor: str = "", _from: str = page.pagename) -> str:
            return builder.get_relative_uri(_from, target) + (f"#{anchor}" if anchor else "")

        body = _templates.get_template(page.template).render(
            uri=uri, tags_dir=app.config.newsarchive_tags_dir, **page.values
        )
        digest = hashlib.sha1(f"{frame}\n{page.title}\n{body}".encode()).hexdigest()
        current[page.pagename] = digest
        output = Path(builder.get_outfilename(page.pagename))
        if (
            previous.get(page.pagename) == digest
            and output.exists()
            and not news_domain(app.env).run.unfinished  # see unfinished.py
        ):
            continue
        # The theme prints the title as HTML (breadcrumbs): escaped here, as text.
        context = {
            "title": escape(page.title),
            "body": Markup(body),
            DESCRIPTION_KEY: page.description,
        }
        yield page.pagename, context, "page.html"
    for stale in sorted(set(previous) - set(current)):
        Path(builder.get_outfilename(stale)).unlink(missing_ok=True)
    state_path.write_text(json.dumps(current, indent=0, sort_keys=True), encoding="utf-8")


def setup_pages(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_pages)
