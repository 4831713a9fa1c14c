"""The ``link`` directive: one curated link, its options and the editor's commentary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from newsarchive.core.cards import (
    CardSyntax,
    JudgedCard,
    judge_card,
    option_lines,
    parse_issue_date,
    repeated_options,
    site_hue,
    site_initial,
)
from newsarchive.core.urls import site_of, wayback_url
from newsarchive.sphinxext import nodes as cardnodes
from newsarchive.sphinxext.diagnostics import Subtype, warn
from newsarchive.sphinxext.domain import news_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx


CARD_COUNTER = "newsarchive_cards"


class LinkDirective(SphinxDirective):
    """``:::{link} URL`` with ``title``, ``image``, ``site``, ``excerpt``, ``tags``, ``status``."""

    has_content = CardSyntax.has_content
    required_arguments = CardSyntax.required_arguments
    optional_arguments = CardSyntax.optional_arguments
    final_argument_whitespace = CardSyntax.final_argument_whitespace
    option_spec = CardSyntax.option_spec

    def run(self) -> list[nodes.Node]:
        ordinal = int(self.env.temp_data.get(CARD_COUNTER) or 0) + 1
        self.env.temp_data[CARD_COUNTER] = ordinal
        anchor = f"link-{ordinal}"

        judged = self._judged()
        url, title, image, tags, status = (
            judged.url,
            judged.title or judged.url or "(無題)",
            judged.image,
            judged.tags,
            judged.status,
        )
        site = judged.site or (site_of(url) if url else "")
        excerpt = judged.excerpt
        date = parse_issue_date(self.env.metadata.get(self.env.docname, {}).get("date"))
        archived = wayback_url(url, date) if url else ""

        card = cardnodes.link_card(
            ids=[anchor],
            classes=["wkn-card"],
            url=url,
            title=title,
            site=site,
            image=image,
            excerpt=excerpt,
            tags=[slug for slug, _ in tags],
            anchor=anchor,
            status=status,
        )
        self.set_source_info(card)
        card += cardnodes.card_thumbnail(
            uri=image, alt=title, initial=site_initial(site), hue=site_hue(site)
        )
        heading = cardnodes.card_title(classes=["wkn-card-title"])
        if url:
            # A dead link's card leads to its archived copy; the original is shown unlinked.
            target = archived if status == "dead" else url
            heading += cardnodes.card_link("", title, refuri=target, internal=False)
        else:
            heading += nodes.Text(title)
        card += heading
        if url and status == "dead":
            card += self._dead_note(site, url)
        elif site:
            card += nodes.paragraph("", site, classes=["wkn-card-site"])
        if excerpt:
            card += nodes.paragraph("", excerpt, classes=["wkn-card-excerpt"])
        body = nodes.container(classes=["wkn-card-body"])
        self.state.nested_parse(self.content, self.content_offset, body)
        card += body
        card += self._footer(anchor, archived, tags)
        return [card]

    @staticmethod
    def _dead_note(site: str, url: str) -> nodes.Element:
        """The site line of a dead link: a notice and the original URL, not linked."""
        note = nodes.paragraph(classes=["wkn-card-site", "wkn-card-dead"])
        if site:
            note += nodes.Text(f"{site} · ")
        note += nodes.strong("", "リンク切れ（タイトルはアーカイブ版へ）")
        note += nodes.Text(" · 元のURL: ")
        note += nodes.inline("", url, classes=["wkn-card-original"])
        return note

    def _footer(self, anchor: str, archived: str, tags: list[tuple[str, str]]) -> nodes.Element:
        footer = nodes.paragraph(classes=["wkn-card-footer"])
        for slug, label in tags:
            footer += cardnodes.card_tag("", label, refuri="", classes=["wkn-chip"], tag=slug)
            footer += nodes.Text(" ")
        permalink = nodes.reference("", "#", refid=anchor, internal=True, classes=["wkn-permalink"])
        permalink["reftitle"] = "このリンクへのパーマリンク"
        footer += permalink
        if archived:
            footer += nodes.Text(" ")
            footer += nodes.reference("", "アーカイブ", refuri=archived, classes=["wkn-archived"])
        return footer

    def _judged(self) -> JudgedCard:
        """The card judged by the rules ``check`` applies; each finding a warning at its
        line (an option's own line where the finding is about an option)."""
        content = self.block_text.split("\n", 1)[1] if "\n" in self.block_text else ""
        vocabulary = news_domain(self.env).run.vocabulary
        if vocabulary is not None and self.options.get("tags", "").strip():
            self.env.note_dependency(str(vocabulary.path))
        judged = judge_card(
            self.arguments[0] if self.arguments else "",
            {key: str(value) for key, value in self.options.items()},
            line=self.lineno,
            lines=option_lines(content, self.lineno),
            vocabulary=vocabulary,
            repeated=repeated_options(content, self.lineno),
        )
        source, _ = self.get_source_info()
        for finding in judged.findings:
            warn(finding.message, Subtype(finding.kind), f"{source}:{finding.line}")
        return judged


def setup_cards(app: Sphinx) -> None:
    app.add_directive("link", LinkDirective)
