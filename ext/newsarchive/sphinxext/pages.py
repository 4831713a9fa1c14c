"""Index pages computed from the archive's data: tags, each tag, the sites linked and
each site.

They are written by the HTML builder at ``html-collect-pages`` from the domain's data,
so a deleted card or tag cannot survive a rebuild. A page is rewritten only when what
it shows changed, and pages that are no longer computed (a tag gone, a part of a list
that shrank) are removed.

A tag's or a site's list is cut into parts of ``newsarchive_entries_per_page`` links,
newest first, so no page grows with the archive: part 1 keeps the list's own address
(``tags/kaggle.html``), part *k* is ``tags/kaggle/k.html`` (a folder of the list's own,
so no tag or site name can make another's part).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2
from markupsafe import Markup, escape

from newsarchive.sphinxext.charts import tag_sparkline
from newsarchive.sphinxext.domain import news_domain
from newsarchive.sphinxext.entries import Entry, site_entries, site_page, tag_entries

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

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
class Part:
    """Where a page stands in a list cut into parts: its number, how many there are, and
    the page name of each (part 1 first)."""

    number: int
    names: tuple[str, ...]
    first: int  #: the position (1-based) of the part's first link in the whole list
    last: int

    @property
    def count(self) -> int:
        return len(self.names)

    def numbers(self) -> list[int | None]:
        """The part numbers the navigation shows (None: a gap): all when few, otherwise
        the first, the last and two either side of this one."""
        if self.count <= 9:
            return list(range(1, self.count + 1))
        shown = {1, self.count, *range(self.number - 2, self.number + 3)}
        numbers: list[int | None] = []
        for number in range(1, self.count + 1):
            if number in shown:
                numbers.append(number)
            elif numbers[-1] is not None:
                numbers.append(None)
        return numbers


@dataclass(frozen=True)
class Page:
    pagename: str
    title: str
    template: str
    values: dict[str, Any]
    description: str = ""
    part: Part | None = field(default=None)


def part_name(pagename: str, number: int) -> str:
    """Part ``number`` of the list whose first part is ``pagename``."""
    return pagename if number == 1 else f"{pagename}/{number}"


def paginated(
    pagename: str, entries: list[Entry], size: int
) -> Iterator[tuple[str, list[Entry], Part | None]]:
    """``entries`` cut into parts of ``size``: each part's page name, its entries and where
    it stands (None when they fit on one page; an empty list is one page too)."""
    chunks = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
    if len(chunks) == 1:
        yield pagename, chunks[0], None
        return
    names = tuple(part_name(pagename, n) for n in range(1, len(chunks) + 1))
    for number, chunk in enumerate(chunks, 1):
        first = (number - 1) * size + 1
        part = Part(number, names, first, first + len(chunk) - 1)
        yield names[number - 1], chunk, part


def part_title(title: str, part: Part | None) -> str:
    """A later part's title says which part it is: "Kaggle (2/5)"."""
    return title if part is None or part.number == 1 else f"{title} ({part.number}/{part.count})"


def part_description(description: str, part: Part | None) -> str:
    if part is None:
        return description
    return f"{description}（{part.number}/{part.count}: {part.first}–{part.last} 件目）"


def index_pages(app: Sphinx) -> Iterator[Page]:

    domain = news_domain(app.env)
    vocabulary = domain.run.vocabulary
    tags_dir = app.config.newsarchive_tags_dir
    sites_dir = app.config.newsarchive_sites_dir
    size = app.config.newsarchive_entries_per_page
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
        pagename = f"{tags_dir}/{tag.slug}"
        sparkline = tag_sparkline(app, tag.slug, pagename)
        count = counts[tag.slug]
        described = f"「{tag.label_ja}」({tag.label_en}) のリンク {count} 件、新しい順。"
        for name, chunk, part in paginated(pagename, by_tag.get(tag.slug, []), size):
            yield Page(
                name,
                part_title(f"{tag.label_ja} ({tag.label_en})", part),
                "tag_page.html",
                {
                    "tag": tag,
                    "entries": chunk,
                    "count": count,
                    "part": part,
                    # The sparkline is the whole list's: on its first part only.
                    "sparkline": sparkline if name == pagename else None,
                },
                part_description(described, part),
                part,
            )
    sites = [(site, site_page(sites_dir, site), cards) for site, cards in site_entries(domain)]
    yield Page(
        f"{sites_dir}/index",
        "サイト一覧 Sites",
        "sites_index.html",
        {"sites": sites, "total": sum(len(cards) for _, _, cards in sites)},
        f"Weekly Kaggle News が紹介した {len(sites)} のサイトと、サイトごとのリンク数。",
    )
    for site, pagename, cards in sites:
        described = f"Weekly Kaggle News が紹介した {site} のリンク {len(cards)} 件、新しい順。"
        for name, chunk, part in paginated(pagename, cards, size):
            yield Page(
                name,
                part_title(f"{site} のリンク", part),
                "site_page.html",
                {
                    "site": site,
                    "entries": chunk,
                    "count": len(cards),
                    "part": part,
                    "index": f"{sites_dir}/index",
                },
                part_description(described, part),
                part,
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
        digest = hashlib.sha1(
            f"{frame}\n{page.title}\n{page.description}\n{body}".encode()
        ).hexdigest()
        current[page.pagename] = digest
        output = Path(builder.get_outfilename(page.pagename))
        if (
            previous.get(page.pagename) == digest
            and output.exists()
            and not news_domain(app.env).run.unfinished  # see unfinished.py
        ):
            continue
        # The theme prints the title as HTML (breadcrumbs): escaped here, as text.
        context: dict[str, Any] = {
            "title": escape(page.title),
            "body": Markup(body),
            DESCRIPTION_KEY: page.description,
            **neighbours(page, uri),
        }
        yield page.pagename, context, "page.html"
    for stale in sorted(set(previous) - set(current)):
        remove_page(Path(builder.get_outfilename(stale)), Path(builder.outdir))
    state_path.write_text(json.dumps(current, indent=0, sort_keys=True), encoding="utf-8")


def neighbours(page: Page, uri: Callable[[str], str]) -> dict[str, Any]:
    """The previous and next part as Sphinx's layout takes them (``<link rel=prev/next>``)."""
    part = page.part
    if part is None:
        return {}
    found: dict[str, Any] = {}
    for key, number in (("prev", part.number - 1), ("next", part.number + 1)):
        if 1 <= number <= part.count:
            title = escape(f"{number}/{part.count}")
            found[key] = {"link": uri(part.names[number - 1]), "title": title}
    return found


def remove_page(path: Path, outdir: Path) -> None:
    """A page no longer computed, and the folders it leaves empty (a list's parts)."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while (
        folder != outdir
        and folder.is_relative_to(outdir)
        and folder.is_dir()
        and not any(folder.iterdir())
    ):
        folder.rmdir()
        folder = folder.parent


def setup_pages(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_pages)
