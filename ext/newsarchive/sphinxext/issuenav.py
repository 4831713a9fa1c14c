"""Navigation between issues: the ``{issue-list}`` directive (and the year pages' hidden
toctrees), previous / next, the lists of issues, "also in #N" on cards, and which pages
must be written again when what they show of other pages changed."""

from __future__ import annotations

import glob
import hashlib
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from newsarchive.core.text import japanese_date
from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import IssueRecord, news_domain
from newsarchive.sphinxext.finder import LISTING_QUERY, SEARCH_PAGE
from newsarchive.sphinxext.finder import written as listing_written
from newsarchive.sphinxext.issues import issue_years, source_platform
from newsarchive.sphinxext.nodes import card_link, card_tag, issue_list, issue_pager, link_card

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from newsarchive.sphinxext.domain import CardRecord, NewsDomain


def year_docname(app: Sphinx, year: int) -> str:
    return f"{app.config.newsarchive_years_dir}/{year}"


class IssueListDirective(SphinxDirective):
    """``{issue-list}``: the issues, newest first; with ``:year:``, that year's issues.

    With a year it also places the year's issues in the navigation (a hidden toctree), so
    the sidebar reads years, then issues.
    """

    option_spec: ClassVar[dict[str, Any]] = {"year": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        year = self.options.get("year")
        placeholder = issue_list(year=year or 0)
        self.set_source_info(placeholder)
        result: list[nodes.Node] = [placeholder]
        if year:
            members = issue_years(self.env, self.config.newsarchive_issue_dir)
            entries = sorted(
                (number, docname) for docname, (y, number) in members.items() if y == year
            )
            docnames = [docname for _, docname in reversed(entries)]
            toctree = addnodes.toctree(
                parent=self.env.docname,
                entries=[(None, d) for d in docnames],
                includefiles=docnames,
                maxdepth=1,
                caption=None,
                glob=False,
                hidden=True,
                includehidden=False,
                numbered=0,
                titlesonly=True,
            )
            self.set_source_info(toctree)
            wrapper = nodes.compound(classes=["toctree-wrapper"])
            wrapper += toctree
            result.append(wrapper)
        return result


def remove_deleted_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """env-get-outdated: a deleted page's HTML and source copy go too (Sphinx leaves them)."""
    get_outfilename = getattr(app.builder, "get_outfilename", None)
    if get_outfilename is not None:
        sources = Path(app.outdir) / "_sources"
        suffix = getattr(app.config, "html_sourcelink_suffix", ".txt")
        for docname in removed:
            Path(get_outfilename(docname)).unlink(missing_ok=True)
            for copy in sources.glob(f"{glob.escape(docname)}.*{suffix}"):
                copy.unlink(missing_ok=True)
    return []


def outdated_year_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """env-get-outdated: re-read a year page when its set of issues changed."""
    current = issue_years(env, app.config.newsarchive_issue_dir)
    previous: dict[str, tuple[int, int]] = news_domain(env).remember("issue_years", current) or {}
    years = {year for _, (year, _) in current.items()}
    stale = {
        year
        for docname in set(current) | set(previous)
        if current.get(docname) != previous.get(docname)
        for year, _ in filter(None, (current.get(docname), previous.get(docname)))
    }
    missing = [
        docname
        for docname in (year_docname(app, y) for y in sorted(years))
        if docname not in env.found_docs
    ]
    for docname in missing:
        warn(
            f"no year page {docname}.md: its issues are not in the navigation "
            "(newsarchive new creates it)",
            Subtype.FRONTMATTER,
        )
    return sorted(
        docname
        for docname in (year_docname(app, y) for y in stale)
        if docname in env.found_docs and docname not in added | changed
    )


# -- doctree-resolved: pager, lists, chips, "also in" --------------------------------
def resolve_issue_parts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = news_domain(app.env)
    builder = app.builder
    is_html = builder.format == "html"

    def uri(target: str, anchor: str = "") -> str:
        return builder.get_relative_uri(docname, target) + (f"#{anchor}" if anchor else "")

    for chip in list(doctree.findall(card_tag)):
        if is_html:
            chip["refuri"] = uri(f"{app.config.newsarchive_tags_dir}/{chip['tag']}")
        else:
            chip.replace_self(nodes.inline("", chip.astext(), classes=chip["classes"]))
    if not is_html:
        _plain_cards(doctree, show_urls=builder.format in {"text", "man", "texinfo"})
    for pager in list(doctree.findall(issue_pager)):
        pager.replace_self(_pager(domain, docname, uri))
    for placeholder in list(doctree.findall(issue_list)):
        placeholder.replace_self(_issue_list(app, domain, placeholder["year"], uri))
    _add_also_in(domain, doctree, docname, uri)


def _plain_cards(doctree: nodes.document, *, show_urls: bool) -> None:
    """Outside HTML: no permalinks; formats without hyperlinks spell the URL out."""
    for permalink in list(doctree.findall(nodes.reference)):
        if "wkn-permalink" in permalink["classes"]:
            permalink.parent.remove(permalink)
    if show_urls:
        for link in list(doctree.findall(card_link)):
            link.parent.insert(link.parent.index(link) + 1, nodes.Text(f" <{link['refuri']}>"))


def _pager(domain: NewsDomain, docname: str, uri: Any) -> nodes.Node:
    before, after = domain.neighbours(docname)
    pager = nodes.paragraph(classes=["wkn-pager"])
    if before:
        pager += nodes.reference(
            "", f"← 前の号 #{before.number}", refuri=uri(before.docname), classes=["wkn-prev"]
        )
    if after:
        if before:
            pager += nodes.Text(" ")
        pager += nodes.reference(
            "", f"次の号 #{after.number} →", refuri=uri(after.docname), classes=["wkn-next"]
        )
    return pager if before or after else nodes.comment()


def _issue_list(app: Sphinx, domain: NewsDomain, year: int, uri: Any) -> nodes.Node:
    by_year: dict[int, list[IssueRecord]] = defaultdict(list)
    for issue in domain.issues():
        if not year or issue.year == year:
            by_year[issue.year].append(issue)
    container = nodes.container(classes=["wkn-issue-list"])
    if not year and app.builder.format == "html":  # index pages exist in HTML only
        links = nodes.paragraph(classes=["wkn-archive-links"])
        links += nodes.reference(
            "", "タグ一覧 Tags", refuri=uri(f"{app.config.newsarchive_tags_dir}/index")
        )
        links += nodes.Text(" · ")
        links += nodes.reference(
            "", "サイト一覧 Sites", refuri=uri(f"{app.config.newsarchive_sites_dir}/index")
        )
        links += nodes.Text(" · ")
        links += nodes.reference(
            "",
            "コンペ一覧 Competitions",
            refuri=uri(f"{app.config.newsarchive_competitions_dir}/index"),
        )
        if listing_written(app):  # the search page's listing: the website's, when it is ours
            links += nodes.Text(" · ")
            links += nodes.reference(
                "", "すべてのリンク All links", refuri=uri(SEARCH_PAGE) + LISTING_QUERY
            )
        container += links
    provenance = _provenance([issue for issues in by_year.values() for issue in issues])
    if provenance is not None:
        container += provenance
    for group_year in sorted(by_year, reverse=True):
        issues = sorted(by_year[group_year], key=lambda r: r.number, reverse=True)
        if not year:
            heading = nodes.paragraph(classes=["wkn-year"])
            heading += nodes.reference(
                "", f"{group_year}年", refuri=uri(year_docname(app, group_year))
            )
            heading += nodes.inline("", f"{len(issues)}号", classes=["wkn-count"])
            container += heading
        items = nodes.bullet_list(classes=["wkn-issues"])
        for issue in issues:
            count = domain.link_count(issue.docname)
            paragraph = nodes.paragraph()
            paragraph += nodes.reference("", issue.title, refuri=uri(issue.docname))
            paragraph += nodes.Text(" ")
            paragraph += nodes.inline(
                "", f"{japanese_date(issue.day)} · {count} リンク", classes=["wkn-issue-info"]
            )
            items += nodes.list_item("", paragraph)
        container += items
    return container


def platform_runs(issues: list[IssueRecord]) -> list[tuple[str, int, int]]:
    """(where they were published, first, last number) for each run of issues, in number
    order, that came from one place (the source link's platform); issues without a source
    link are left out."""
    runs: list[tuple[str, int, int]] = []
    for issue in sorted(issues, key=lambda record: record.number):
        if not issue.source:
            continue
        platform = source_platform(issue.source)
        if runs and runs[-1][0] == platform:
            runs[-1] = (platform, runs[-1][1], issue.number)
        else:
            runs.append((platform, issue.number, issue.number))
    return runs


def _provenance(issues: list[IssueRecord]) -> nodes.Node | None:
    """ "配信元: Revue（#1–#159）/ Substack（#160–#170）": which issues came from where."""
    runs = platform_runs(issues)
    if not runs:
        return None
    line = nodes.paragraph(classes=["wkn-sources"])
    line += nodes.Text("配信元: ")
    for index, (platform, first, last) in enumerate(runs):
        if index:
            line += nodes.Text(" / ")
        numbers = f"#{first}" if first == last else f"#{first}–#{last}"
        line += nodes.inline("", f"{platform}（{numbers}）", classes=["wkn-source-run"])
    return line


def _add_also_in(domain: NewsDomain, doctree: nodes.document, docname: str, uri: Any) -> None:
    others = _also_in(domain, docname)
    if not others:
        return
    for card in doctree.findall(link_card):
        elsewhere = others.get(card["anchor"])
        if not elsewhere:
            continue
        footer = next((c for c in card.children if "wkn-card-footer" in c.get("classes", [])), None)
        if footer is None:
            continue
        note = nodes.inline("", "", classes=["wkn-also-in"])
        note += nodes.Text(" 他の号にも: ")
        for index, (issue, other) in enumerate(elsewhere):
            if index:
                note += nodes.Text(", ")
            note += nodes.reference("", f"#{issue.number}", refuri=uri(issue.docname, other.anchor))
        footer += note


def _also_in(domain: NewsDomain, docname: str) -> dict[str, list[tuple[IssueRecord, CardRecord]]]:
    """anchor -> the same URL's cards in other issues."""
    by_url = domain.issues_by_url()
    found: dict[str, list[tuple[IssueRecord, CardRecord]]] = {}
    for card in domain.cards_of(docname):
        elsewhere = [(i, c) for i, c in by_url.get(card.url, []) if i.docname != docname]
        if elsewhere:
            found[card.anchor] = elsewhere
    return found


# -- incremental builds: rewrite a page when what it shows from others changed ------
def resolved_signature(app: Sphinx, domain: NewsDomain, docname: str) -> str:
    """A digest of everything doctree-resolved puts into ``docname`` from other pages."""
    parts: list[str] = []
    issue = domain.issue(docname)
    if issue:
        parts += [repr(r and (r.docname, r.number)) for r in domain.neighbours(docname)]
        parts += [
            f"{anchor}:{[(i.number, c.anchor) for i, c in cards]}"
            for anchor, cards in sorted(_also_in(domain, docname).items())
        ]
    lists = domain.data["lists"].get(docname)
    if lists is not None:
        for record in domain.issues():
            if not lists or record.year == lists:
                count = domain.link_count(record.docname)
                parts.append(
                    f"{record.docname}|{record.number}|{record.date}|{record.title}|{count}"
                    f"|{record.source}"
                )
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def note_issue_lists(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: remember which pages hold an issue list (and of which year)."""
    lists = news_domain(app.env).data["lists"]
    lists.pop(app.env.docname, None)
    for placeholder in doctree.findall(issue_list):
        lists[app.env.docname] = placeholder["year"]


def navigation_signature(env: BuildEnvironment, docname: str, parents: dict[str, str]) -> str:
    """What the collapsed sidebar of ``docname`` shows: the top level, then the entries
    under each of its ancestors (with their titles)."""

    def entries(parent: str) -> list[tuple[str, str]]:
        return [
            (child, env.titles[child].astext() if child in env.titles else "")
            for child in env.toctree_includes.get(parent, [])
        ]

    shown = [entries(env.config.root_doc)]
    current: str | None = docname
    while current is not None and current != env.config.root_doc:
        shown.append(entries(current))
        current = parents.get(current)
    return repr(shown)


def updated_by_others(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: pages whose source did not change but whose output must.

    A page shows things it does not own: previous / next issue, "also in", issue lists,
    and the theme's sidebar. When any of those changed, the page is written again, so an
    incremental build never leaves stale navigation behind.
    """
    domain = news_domain(env)
    signatures: dict[str, str] = domain.data["signatures"]
    parents = {
        child: parent
        for parent, children in sorted(env.toctree_includes.items())
        for child in children
    }
    return changed_signatures(
        env,
        signatures,
        lambda docname: (
            resolved_signature(app, domain, docname) + navigation_signature(env, docname, parents)
        ),
    )


def changed_signatures(
    env: BuildEnvironment, signatures: dict[str, str], signature: Callable[[str], str]
) -> list[str]:
    """The documents whose ``signature`` differs from the one stored (which is updated);
    signatures of removed documents are forgotten."""
    changed = []
    for docname in sorted(env.found_docs):
        digest = hashlib.sha1(signature(docname).encode()).hexdigest()
        if signatures.get(docname) != digest:
            signatures[docname] = digest
            changed.append(docname)
    for docname in set(signatures) - env.found_docs:
        del signatures[docname]
    return changed


def setup_issue_navigation(app: Sphinx) -> None:
    app.add_directive("issue-list", IssueListDirective)
    app.connect("doctree-read", note_issue_lists)
    app.connect("env-get-outdated", outdated_year_pages)
    app.connect("env-get-outdated", remove_deleted_pages)
    app.connect("env-get-updated", updated_by_others)
    app.connect("doctree-resolved", resolve_issue_parts)
