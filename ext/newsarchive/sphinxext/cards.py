"""The ``link`` directive: one curated link, its options and the editor's commentary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from newsarchive.core.cards import (
    CARD_STATUSES,
    CardSyntax,
    parse_issue_date,
    site_hue,
    site_initial,
    suspicious_markup,
)
from newsarchive.core.urls import is_http_url, site_of, tracking_params, wayback_url
from newsarchive.sphinxext import nodes as cardnodes
from newsarchive.sphinxext.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from newsarchive.core.vocabulary import Vocabulary

CARD_COUNTER = "newsarchive_cards"


class LinkDirective(SphinxDirective):
    """``:::{link} URL`` with ``title``, ``image``, ``site``, ``excerpt``, ``tags``, ``status``."""

    has_content = CardSyntax.has_content
    required_arguments = CardSyntax.required_arguments
    optional_arguments = CardSyntax.optional_arguments
    final_argument_whitespace = CardSyntax.final_argument_whitespace
    option_spec = CardSyntax.option_spec

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        ordinal = int(self.env.temp_data.get(CARD_COUNTER) or 0) + 1
        self.env.temp_data[CARD_COUNTER] = ordinal
        anchor = f"link-{ordinal}"

        url = self._checked_url(location)
        title = self._checked_text("title", location)
        if not title:
            warn("link card has no :title: (required)", Subtype.CARD, location)
            title = url or "(無題)"
        site = self._checked_text("site", location) or (site_of(url) if url else "")
        excerpt = self._checked_text("excerpt", location)
        image = self._checked_image(location)
        tags = self._resolved_tags(location)
        status = self._checked_status(location)
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
        heading = nodes.paragraph(classes=["wkn-card-title"])
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

    def _checked_status(self, location: object) -> str:
        status = " ".join(self.options.get("status", "").split()).lower()
        if not status:
            return "live"
        if status not in CARD_STATUSES:
            known = " or ".join(repr(value) for value in CARD_STATUSES)
            warn(
                f"link card :status: must be {known}, not {status!r}; ignored",
                Subtype.CARD,
                location,
            )
            return "live"
        return status

    def _checked_url(self, location: object) -> str:
        url = self.arguments[0].strip() if self.arguments else ""
        if not url:
            warn("link card has no URL (the directive's argument)", Subtype.CARD, location)
            return ""
        if not is_http_url(url):
            warn(
                f"link card URL must be http or https, not {url!r}; shown without a link",
                Subtype.CARD,
                location,
            )
            return ""
        if params := tracking_params(url):
            warn(
                f"link card URL has tracking parameters ({', '.join(params)}); remove them",
                Subtype.CARD,
                location,
            )
        return url

    def _checked_text(self, option: str, location: object) -> str:
        value = " ".join(self.options.get(option, "").split())
        if value and (kind := suspicious_markup(value)):
            warn(f"link card :{option}: contains {kind}; shown as text", Subtype.CARD, location)
        return value

    def _checked_image(self, location: object) -> str:
        image = self.options.get("image", "").strip()
        if image and not is_http_url(image):
            warn(f"link card :image: must be http or https, not {image!r}", Subtype.CARD, location)
            return ""
        return image

    def _resolved_tags(self, location: object) -> list[tuple[str, str]]:
        if not self.options.get("tags", "").strip():
            return []
        from newsarchive.core.vocabulary import parse_tag_list

        names = parse_tag_list(self.options["tags"])
        vocabulary: Vocabulary | None = getattr(self.env.app, "newsarchive_vocabulary", None)
        if vocabulary is None:
            return []
        self.env.note_dependency(str(vocabulary.path))
        resolved: list[tuple[str, str]] = []
        for name in names:
            tag = vocabulary.resolve(name)
            if tag is None:
                hint = vocabulary.closest(name)
                suggestion = f"; did you mean {hint!r}?" if hint else ""
                warn(f"unknown tag {name!r}{suggestion}", Subtype.TAG, location)
            elif tag.slug not in (slug for slug, _ in resolved):
                resolved.append((tag.slug, tag.label_ja))
        return resolved


def setup_cards(app: Sphinx) -> None:
    app.add_directive("link", LinkDirective)
