"""Writing MyST pages: the format, and values that MyST reads back exactly."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from newsarchive.commands.pipeline.emit import emit_card, emit_item, emit_page, render_blocks
from newsarchive.commands.pipeline.model import (
    Card,
    CodeBlock,
    Emphasis,
    Figure,
    Header,
    Heading,
    Hyperlink,
    Issue,
    LineBreak,
    ListBlock,
    Paragraph,
    Prose,
    Quote,
    Strong,
    Text,
    Unmapped,
)
from newsarchive.commands.revue.parse import read_issue
from newsarchive.core.urls import strip_tracking

REVUE = Path(__file__).resolve().parents[1] / "issues" / "revue"

#: Values that break naive quoting or escaping.
HOSTILE = [
    "a: b",
    'say "hi"',
    "back\\slash \\n \\t \\u1234 \\",
    "# not a comment",
    "x #y",
    "{{ template }} {% tag %}",
    "<script>alert(1)</script>",
    "<b>bold</b> &amp; &#38; &lt;",
    "it's",
    "- dash",
    "1. first",
    "(target)=",
    "% comment",
    "::: fence",
    "[2004.04938] *stars* _under_ `tick` [t](u) ![i](j)",
    "| a | b |",
    "~~~",
    "+++",
    "> quote",
    "---",
    "{strong}`role`",
    "ünï ✓ 日本語「括弧」",
    "'",
    '"',
]

PROBE_CONF = '''
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
smartquotes = False

import json
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective


class Probe(SphinxDirective):
    """Stands in for the extension's ``link``: records what MyST hands a directive."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {k: directives.unchanged for k in ("title", "image", "site", "excerpt", "tags")}

    def run(self):
        data = {"argument": self.arguments[0] if self.arguments else "", "options": self.options}
        record = nodes.literal_block("", json.dumps(data), classes=["probe"])
        body = nodes.container(classes=["probe-body"])
        self.state.nested_parse(self.content, self.content_offset, body)
        return [record, body]


def setup(app):
    app.add_directive("link", Probe)
'''


def build_probe(directory: Path, markdown: str) -> tuple[list[dict], list[nodes.Element], str]:
    """Build ``markdown`` as a one-page Sphinx project; (options, bodies, warnings)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src = directory / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(PROBE_CONF, encoding="utf-8")
    (src / "index.md").write_text(markdown, encoding="utf-8")
    warnings = io.StringIO()
    # docutils' directives, roles and nodes are global: registered here, gone when done, so
    # neither this build nor the next test's sees the other's.
    with docutils_namespace():
        app = Sphinx(
            src,
            src,
            directory / "out",
            directory / "doctrees",
            "html",
            status=None,
            warning=warnings,
        )
        app.build()
    doctree = app.env.get_doctree("index")
    records = [
        json.loads(node.astext())
        for node in doctree.findall(nodes.literal_block)
        if "probe" in node["classes"]
    ]
    bodies = [node for node in doctree.findall(nodes.container) if "probe-body" in node["classes"]]
    return records, bodies, warnings.getvalue()


def card(commentary=(), **fields) -> Card:
    values = {"kind": "link", "line": 1, "url": "https://example.com/", "title": "T"}
    return Card(**(values | fields), commentary=tuple(commentary))


def para(*children) -> Paragraph:
    return Paragraph(tuple(Text(c) if isinstance(c, str) else c for c in children))


# The page format ------------------------------------------------------------------------------


def test_page_format():
    issue = Issue(
        number=18,
        date=dt.date(2020, 4, 17),
        title="Weekly Kaggle News #18",
        source="https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-18-239563",
        intro=(
            Heading(2, (Text("News"),)),
            para("Intro ", Hyperlink("https://x.org/", (Text("link"),))),
        ),
        items=(
            Header(5, (Text("Others"),)),
            card(
                [para("「BERT」を用いた解説動画。")],
                url="https://www.youtube.com/watch?v=6a6L_9USZxg&feature=youtu.be",
                title="Data Processing For Question & Answering Systems: BERT vs. RoBERTa",
                image="https://s3.amazonaws.com/revue/items/images/005/829/745/thumb/m.jpg",
                site="www.youtube.com",
                excerpt="In this video I explain …",
                tags=("nlp", "video"),
            ),
            card(url="https://arxiv.org/abs/2004.04938", title="[2004.04938] Cultures"),
        ),
    )
    assert emit_page(issue) == (
        "---\n"
        "issue: 18\n"
        "date: 2020-04-17\n"
        'title: "Weekly Kaggle News #18"\n'
        "source: https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-18-239563\n"
        "---\n"
        "# Weekly Kaggle News #18\n"
        "\n"
        "## News\n"
        "\n"
        "Intro [link](https://x.org/)\n"
        "\n"
        "## Others\n"
        "\n"
        ":::{link} https://www.youtube.com/watch?v=6a6L_9USZxg&feature=youtu.be\n"
        ':title: "Data Processing For Question & Answering Systems: BERT vs. RoBERTa"\n'
        ":image: https://s3.amazonaws.com/revue/items/images/005/829/745/thumb/m.jpg\n"
        ":site: www.youtube.com\n"
        ':excerpt: "In this video I explain …"\n'
        ":tags: nlp, video\n"
        "\n"
        "「BERT」を用いた解説動画。\n"
        ":::\n"
        "\n"
        ":::{link} https://arxiv.org/abs/2004.04938\n"
        ':title: "[2004.04938] Cultures"\n'
        ":::\n"
    )


def test_odd_titles_in_front_matter_and_heading():
    issue = Issue(1, dt.date(2020, 1, 1), 'A "quoted" title #', "https://x.org/a b")
    page = emit_page(issue)
    assert 'title: "A \\"quoted\\" title #"' in page
    assert 'source: "https://x.org/a b"' in page
    assert '# A "quoted" title \\#\n' in page  # not a closing sequence


def test_tags_are_slugs_or_left_out():
    assert ":tags:" not in emit_card(card())
    assert ":tags: nlp, c-plus\n" in emit_card(card(tags=("nlp", "Bad Tag", "c-plus", "x,y")))


def test_headings_inside_a_card_become_bold_lines():
    assert "\n**Section**\n" in emit_card(card([Heading(2, (Text("Section"),))]))


def test_code_with_a_colon_fence_gets_a_longer_card_fence():
    emitted = emit_card(card([CodeBlock(":::\n```\nx")]))
    assert emitted.startswith("::::{link} ") and emitted.endswith("\n::::")
    assert "\n````\n:::\n```\nx\n````\n" in emitted


def test_figure_image_and_unmapped_items():
    caption = (Text("Figure: "), Hyperlink("https://x.org/", (Text("source"),)))
    assert emit_item(Figure(3, "https://x.org/c.png", "A chart", caption)) == (
        ':::{figure} https://x.org/c.png\n:alt: "A chart"\n\nFigure: [source](https://x.org/)\n:::'
    )
    assert emit_item(Figure(3, "https://x.org/c.png")) == ":::{image} https://x.org/c.png\n:::"
    assert emit_item(Unmapped(9, (para("cell"),), "unknown item <table>")) == (
        "% Revue item kept as text (unknown item <table>, source line 9)\ncell"
    )
    assert emit_item(Prose(4, (para("# Alone"),))) == "\\# Alone"


def test_lists_next_to_each_other_stay_apart():
    one = ListBlock(False, ((para("a"),), (para("b"),)))
    two = ListBlock(False, ((para("c"),),))
    assert render_blocks((one, two)) == "- a\n- b\n\n* c"


# MyST reads it back ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    commentary = [para(value) for value in HOSTILE]
    cards = [
        emit_card(
            card(commentary[i : i + 1], url=f"https://x.org/p?i={i}&q=(a)", title=v, excerpt=v)
        )
        for i, v in enumerate(HOSTILE)
    ]
    structure = card(
        [
            para("Kaggleの", Strong((Text("「コンペ」"),)), "が", Strong((Text("2位"),)), "に"),
            para(
                "a", Strong((Text("b"),)), Strong((Text("c"),)), "d ", Emphasis((Text("(e)"),)), "f"
            ),
            para("x", Hyperlink("https://x.org/a_(b)?c=1&d=<e>", (Text("[link] *text*"),)), "y"),
            para("line one", LineBreak(), "# line two"),
            ListBlock(False, ((para("one"),), (para("two"), CodeBlock(":::\nx")))),
            ListBlock(True, ((para("first"),),)),
            Quote((para("quoted"),)),
            Heading(3, (Text("heading in a card"),)),
        ]
    )
    markdown = "# Probe\n\n" + "\n\n".join([*cards, emit_card(structure)]) + "\n"
    return build_probe(tmp_path_factory.mktemp("probe"), markdown)


def test_probe_builds_without_warnings(probe):
    assert probe[2] == ""


@pytest.mark.parametrize("index", range(len(HOSTILE)), ids=HOSTILE)
def test_option_values_round_trip(probe, index):
    record = probe[0][index]
    assert record["options"] == {"title": HOSTILE[index], "excerpt": HOSTILE[index]}
    assert record["argument"] == f"https://x.org/p?i={index}&q=(a)"


@pytest.mark.parametrize("index", range(len(HOSTILE)), ids=HOSTILE)
def test_commentary_text_round_trips_as_plain_text(probe, index):
    body = probe[1][index]
    assert body.astext() == HOSTILE[index]
    assert [child.tagname for child in body.findall(include_self=False)] == ["paragraph", "#text"]


def test_option_values_with_newlines_and_control_characters():
    emitted = emit_card(card(title="two\nlines\u2028and\ttabs", excerpt="bell\x07"))
    assert ':title: "two lines and tabs"' in emitted
    assert ':excerpt: "bell\\u0007"' in emitted


def test_markup_survives_japanese_punctuation(probe):
    body = probe[1][-1]
    paragraphs = list(body.findall(nodes.paragraph))
    assert [n.astext() for n in paragraphs[0].findall(nodes.strong)] == ["「コンペ」", "2位"]
    assert paragraphs[0].astext() == "Kaggleの「コンペ」が2位に"
    assert [n.astext() for n in paragraphs[1].findall(nodes.strong)] == ["b", "c"]
    assert [n.astext() for n in paragraphs[1].findall(nodes.emphasis)] == ["(e)"]
    assert paragraphs[1].astext() == "abcd (e)f"
    (link,) = paragraphs[2].findall(nodes.reference)
    assert link["refuri"] == "https://x.org/a_(b)?c=1&d=%3Ce%3E"
    assert link.astext() == "[link] *text*"
    assert [p.astext() for p in paragraphs[3:5]] == ["line one", "# line two"]


def test_lists_quotes_code_and_headings_in_a_card(probe):
    body = probe[1][-1]
    bullets, numbers = body.findall(nodes.bullet_list), body.findall(nodes.enumerated_list)
    assert [item.astext() for item in next(iter(bullets)).children] == ["one", "two\n\n:::\nx\n"]
    assert next(iter(numbers)).astext() == "first"
    assert next(iter(body.findall(nodes.block_quote))).astext() == "quoted"
    assert next(iter(body.findall(nodes.literal_block))).astext() == ":::\nx\n"
    assert body.children[-1].astext() == "heading in a card"
    assert [n.astext() for n in body.children[-1].findall(nodes.strong)] == ["heading in a card"]


# The whole source ---------------------------------------------------------------------------------


def _markdown_html(markdown: str) -> BeautifulSoup:
    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
    soup = BeautifulSoup(parser.render(markdown), "html.parser")
    for role in soup.select("code.role"):  # rendered as {name}[content]
        role.replace_with(re.sub(r"^\{\w+\}\[(.*)\]$", r"\1", role.get_text(), flags=re.S))
    return soup


def _revue_commentaries(path: Path) -> list[BeautifulSoup]:
    body = BeautifulSoup(path.read_text(encoding="utf-8").split("\n", 2)[2], "html.parser")
    return [
        outer
        for outer in body.find_all("p", recursive=False)
        if outer.find("p", recursive=False) is not None and outer.find("strong", style=True) is None
    ]


def _words(soup) -> str:
    return " ".join(soup.get_text().split())


def test_every_commentary_keeps_its_words_links_and_bold_text():
    checked = 0
    for path in sorted(REVUE.glob("*.md")):
        issue = read_issue(path)
        originals = _revue_commentaries(path)
        rendered = [c.commentary for c in issue.cards if c.commentary]
        assert len(originals) == len(rendered), path.name
        for original, blocks in zip(originals, rendered, strict=True):
            html = _markdown_html(render_blocks(blocks, in_card=True))
            original_text = _words(original).replace("\x08", "")
            assert _words(html) == original_text, path.name
            assert [a["href"] for a in html.find_all("a")] == [
                strip_tracking(a["href"]) for a in original.find_all("a")
            ], path.name
            assert [_words(s) for s in html.find_all("strong")] == [
                _words(s) for s in original.find_all("strong")
            ], path.name
            assert html.find(lambda tag: tag.name not in {"p", "a", "strong"}) is None
            checked += 1
    assert checked == 1191
