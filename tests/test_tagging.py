"""Tag suggestions, in-place re-tagging of issue pages, and ``newsarchive tag``."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsarchive.commands.cli import main
from newsarchive.core.tagging import find_cards, retag_text, split_lines, suggest_tags
from newsarchive.core.vocabulary import Vocabulary

REAL_VOCABULARY = Path(__file__).resolve().parents[1] / "docs" / "tags.toml"

RULES = """\
[[tag]]
slug = "rl"
ja = "強化学習"
en = "Reinforcement learning"
aliases = ["reinforcement learning"]
keywords = ["RL", "強化学習"]

[[tag]]
slug = "solution"
ja = "解法"
en = "Solutions"
keywords = ["solution*", 're:\\d+位解法']

[[tag]]
slug = "kaggle"
ja = "Kaggle"
en = "Kaggle"
keywords = ["Kaggle「"]
title_keywords = ["Kaggle"]
sites = ["kaggle.com"]

[[tag]]
slug = "notebook"
ja = "Notebook"
en = "Notebooks"
sites = ["kaggle.com/code"]

[[tag]]
slug = "video"
ja = "動画"
en = "Videos"
keywords = ["動画"]
sites = ["youtube.com", "youtu.be"]

[[tag]]
slug = "gbdt"
ja = "勾配ブースティング"
en = "GBDT"
aliases = ["gradient boosting"]
keywords = ["LightGBM"]
"""


@pytest.fixture(scope="module")
def rules() -> Vocabulary:
    return Vocabulary.from_text(RULES, "rules.toml")


@pytest.fixture(scope="module")
def real() -> Vocabulary:
    return Vocabulary.load(REAL_VOCABULARY)


def suggest(vocabulary: Vocabulary, **card: str) -> list[str]:
    fields = {
        "url": "https://example.com/",
        "title": "",
        "site": "",
        "excerpt": "",
        "commentary": "",
    }
    return suggest_tags(**{**fields, **card}, vocabulary=vocabulary)


# ---------------------------------------------------------------- suggest_tags: the rules


def test_ascii_keywords_are_whole_words(rules: Vocabulary) -> None:
    assert suggest(rules, commentary="See the URL and the curl command.") == []
    assert suggest(rules, commentary="Deep RL for games") == ["rl"]
    assert suggest(rules, commentary="RLを用いたエージェント") == ["rl"]  # Japanese is no letter
    assert suggest(rules, title="LightGBMTuner") == []
    assert suggest(rules, title="LightGBM Tuner") == ["gbdt"]


def test_keywords_ignore_case_and_width(rules: Vocabulary) -> None:
    assert suggest(rules, excerpt="ＬＩＧＨＴＧＢＭ") == ["gbdt"]
    assert suggest(rules, commentary="lightgbm") == ["gbdt"]


def test_star_and_regex_keywords(rules: Vocabulary) -> None:
    assert suggest(rules, title="Top solutions") == ["solution"]
    assert suggest(rules, commentary="コンペの3位解法。") == ["solution"]
    assert suggest(rules, commentary="コンペの位解法") == []


def test_sites_match_hosts_subdomains_and_paths(rules: Vocabulary) -> None:
    assert suggest(rules, url="https://www.kaggle.com/code/someone/eda") == ["kaggle", "notebook"]
    assert suggest(rules, url="https://kaggle.com/c/titanic") == ["kaggle"]
    assert suggest(rules, url="https://notkaggle.com/code") == []
    assert suggest(rules, url="https://www.kaggle.com/codex") == ["kaggle"]
    assert suggest(rules, url="https://youtu.be/abc") == ["video"]
    assert suggest(rules, url="not a url", site="www.youtube.com") == ["video"]


def test_title_keywords_only_read_the_title(rules: Vocabulary) -> None:
    assert suggest(rules, title="Kaggle Days") == ["kaggle"]
    assert suggest(rules, commentary="Kaggleでも使えそうです。") == []
    assert suggest(rules, commentary="Kaggle「Titanic」コンペ") == ["kaggle"]


def test_link_targets_are_not_read(rules: Vocabulary) -> None:
    commentary = "[記事](https://www.kaggle.com/rl-notes)と<https://youtu.be/x>を参照。"
    assert suggest(rules, commentary=commentary) == []


def test_order_is_the_vocabulary_order(rules: Vocabulary) -> None:
    tags = suggest(rules, url="https://youtu.be/x", commentary="LightGBMとRLの1位解法")
    assert tags == ["rl", "solution", "video", "gbdt"]


# ---------------------------------------------------------------- suggest_tags: real cards


@pytest.mark.parametrize(
    ("card", "expected", "unexpected"),
    [
        (
            {
                "url": "https://www.youtube.com/watch?v=6a6L_9USZxg&feature=youtu.be",
                "title": "Data Processing For Question & Answering Systems: BERT vs. RoBERTa",
                "site": "www.youtube.com",
                "excerpt": "In this video I explain how to process data for question answering.",
                "commentary": "「BERT」を用いて質問応答モデルを構築するためのデータ前処理についての"
                "解説動画。「RoBERTa」などに切り替える方法についても紹介しています。",
            },
            {"nlp", "video", "tutorial"},
            {"computer-vision", "kaggle", "reinforcement-learning"},
        ),
        (
            {
                "url": "https://lab.mo-t.com/blog/kaggle-rsna-2020",
                "title": "Kaggleコンペ「RSNA STR Pulmonary Embolism Detection」で9位を獲得しました",
                "site": "lab.mo-t.com",
                "excerpt": "MoT Labは、技術情報などを紹介するテックブログです。",
                "commentary": "10月に終了したKaggle「[RSNA STR Pulmonary Embolism Detection]"
                "(https://www.kaggle.com/c/rsna-str-pulmonary-embolism-detection)」コンペの"
                "9位解法。胸部CT画像から肺塞栓症を予測する課題で、上位の決め手となった画像の"
                "大きさと推論時間の観点などに言及しています。",
            },
            {"kaggle", "computer-vision", "medical", "solution"},
            {"video", "nlp", "book"},
        ),
        (
            {
                "url": "https://speakerdeck.com/x/nishika-ai-shang-biao",
                "title": "Nishika AI×商標：イメージサーチコンペティション 2nd place solution",
                "site": "speakerdeck.com",
                "excerpt": "",
                "commentary": "Nishika「AI×商標：イメージサーチコンペティション（類似商標画像の"
                "検出）」の2位解法。画像検索タスクへの取り組みが具体的に紹介されています。",
            },
            {"nishika", "computer-vision", "solution", "slides"},
            {"kaggle", "signate"},
        ),
        (
            {
                "url": "https://engineering.dena.com/blog/2021/12/handyrl/",
                "title": "HandyRLで切り開く並列強化学習 - DeNA Engineering",
                "site": "engineering.dena.com",
                "excerpt": "",
                "commentary": "並列強化学習のためのライブラリ「HandyRL」の紹介記事。Kaggle「Google "
                "Research Football with Manchester City F.C.」5位、「Hungry Geese」優勝の"
                "実績があります。",
            },
            {"kaggle", "reinforcement-learning", "tool"},
            {"video", "paper"},
        ),
        (
            {
                "url": "https://arxiv.org/abs/2004.04938",
                "title": "[2004.04938] Identifying Cultural Differences through Multi-Lingual "
                "Wikipedia",
                "site": "arxiv.org",
                "excerpt": "",
                "commentary": "wikipediaから文化の違いを捉えようとする試みで、BERTをfine-tuning。"
                "Kaggleの自然言語処理コンペでも頻出の翻訳・再翻訳によるデータセット水増し"
                "テクニックです。",
            },
            {"nlp", "paper"},
            {"video", "kaggle", "solution"},
        ),
        (
            {
                "url": "https://www.amazon.co.jp/dp/4297108437",
                "title": "Kaggleで勝つデータ分析の技術",
                "site": "www.amazon.co.jp",
                "excerpt": "",
                "commentary": "『Kaggleで勝つデータ分析の技術』と題した書籍が出版されます。"
                "テーブルデータのコンペでの特徴量エンジニアリングや検証の方法を解説しています。",
            },
            {"kaggle", "book", "tabular"},
            {"video", "paper", "computer-vision"},
        ),
    ],
)
def test_realistic_cards(
    real: Vocabulary, card: dict[str, str], expected: set[str], unexpected: set[str]
) -> None:
    tags = suggest_tags(**card, vocabulary=real)
    assert expected <= set(tags), tags
    assert not unexpected & set(tags), tags
    assert tags == [slug for slug in real.tags if slug in tags]  # vocabulary order


def test_url_alone_never_suggests_rl(real: Vocabulary) -> None:
    tags = suggest(real, url="https://example.com/url-curl", commentary="URLとcurlの使い方")
    assert "reinforcement-learning" not in tags


# ---------------------------------------------------------------- re-tagging pages

PAGE = """\
---
issue: 7
date: 2020-01-31
title: "Weekly Kaggle News #7"
---
# Weekly Kaggle News #7

Intro with a ```{link}``` mention and :::{link} in prose.

:::{link} https://www.youtube.com/watch?v=abc
:title: "RL agents, explained"
:site: www.youtube.com

強化学習の動画。
:::

::::{link} https://www.kaggle.com/code/someone/notebook
:title: "A notebook"
:tags: GBDT, mystery, gradient_boosting

LightGBMを使ったNotebook。

:::{note}
Nested inside the card.
:::
::::

```{link} https://example.com/plain
:title: Nothing to see
```

:::::{tip}
::::{link} https://youtu.be/xyz
:title: "Inside a tip"
::::
:::::

```markdown
:::{link} https://youtu.be/not-a-card
:title: "Only an example"
:::
```
"""


@pytest.fixture
def page(rules: Vocabulary) -> tuple[str, object]:
    return PAGE, retag_text(PAGE, rules, "issues/0007.md")


def test_cards_are_found_in_every_fence(rules: Vocabulary) -> None:
    cards = find_cards(PAGE)
    assert [card.url for card in cards] == [
        "https://www.youtube.com/watch?v=abc",
        "https://www.kaggle.com/code/someone/notebook",
        "https://example.com/plain",
        "https://youtu.be/xyz",
    ]
    assert [card.line for card in cards] == [10, 17, 28, 33]
    assert cards[0].title == "RL agents, explained"  # quotes removed
    assert cards[2].title == "Nothing to see"
    assert "Nested inside the card." in cards[1].body


def test_retag_changes_only_tags_lines(rules: Vocabulary) -> None:
    result = retag_text(PAGE, rules, "issues/0007.md")
    old, new = PAGE.splitlines(keepends=True), result.text.splitlines(keepends=True)
    added = [line for line in new if line not in old]
    assert added == [
        ":tags: rl, video\n",
        ":tags: gbdt, mystery, kaggle, notebook\n",
        ":tags: video\n",
    ]
    assert [line for line in old if line not in new] == [
        ":tags: GBDT, mystery, gradient_boosting\n"
    ]
    without_tags = [line for line in new if not line.startswith(":tags:")]
    assert without_tags == [line for line in old if not line.startswith(":tags:")]
    assert new[new.index(':title: "RL agents, explained"\n') + 2] == ":tags: rl, video\n"
    assert result.cards == 4
    assert result.tags_added == 5
    assert result.untagged == [(28, "Nothing to see")]
    assert result.unknown == [(17, "mystery", None)]
    renamed = result.changes[1].renamed
    assert renamed == [("GBDT", "gbdt"), ("gradient_boosting", "gbdt")]


def test_retag_is_idempotent(rules: Vocabulary) -> None:
    once = retag_text(PAGE, rules).text
    again = retag_text(once, rules)
    assert not again.changed
    assert again.text == once


def test_hand_set_tags_are_kept(rules: Vocabulary) -> None:
    text = ":::{link} https://example.com/\n:title: T\n:tags: video, gbdt\n\nNothing here.\n:::\n"
    result = retag_text(text, rules)
    assert not result.changed and result.text == text


def test_line_endings_and_missing_final_newline(rules: Vocabulary) -> None:
    text = "# T\r\n\r\n:::{link} https://youtu.be/a\r\n:title: A\r\n:::"
    result = retag_text(text, rules)
    assert (
        result.text == "# T\r\n\r\n:::{link} https://youtu.be/a\r\n:title: A\r\n:tags: video\r\n:::"
    )
    text = "::::{link} https://youtu.be/a\n:title: A"  # never closed, ends without newline
    assert (
        retag_text(text, rules).text == "::::{link} https://youtu.be/a\n:title: A\n:tags: video\n"
    )


def test_only_newlines_end_lines(rules: Vocabulary) -> None:
    text = "Prose with a\u2028line separator and a \x0c form feed.\n\n" + (
        ":::{link} https://youtu.be/a\n:title: A\u2028B\n:::\n"
    )
    assert split_lines(text)[0] == "Prose with a\u2028line separator and a \x0c form feed.\n"
    result = retag_text(text, rules)
    assert result.text == text.replace(":title: A\u2028B\n", ":title: A\u2028B\n:tags: video\n")


def test_a_lone_carriage_return_ends_a_line_as_the_page_reader_counts(rules: Vocabulary) -> None:
    text = "# T\r\r:::{link} https://youtu.be/a\r:title: A\r:::\r"
    assert [card.line for card in find_cards(text)] == [3]
    assert retag_text(text, rules).text == text.replace(":title: A\r", ":title: A\r:tags: video\r")


def test_a_value_continued_on_an_indented_line_stays_with_its_option(rules: Vocabulary) -> None:
    text = ":::{link} https://youtu.be/a\n:title: A\n:excerpt: long\n  and longer\n:::\n"
    result = retag_text(text, rules)
    assert result.text == text.replace("  and longer\n", "  and longer\n:tags: video\n")


def test_indented_cards_keep_their_indentation(rules: Vocabulary) -> None:
    text = "- item\n\n  :::{link} https://youtu.be/a\n  :title: A\n\n  動画。\n  :::\n"
    result = retag_text(text, rules)
    assert result.text == (
        "- item\n\n  :::{link} https://youtu.be/a\n  :title: A\n  :tags: video\n\n  動画。\n  :::\n"
    )


def test_card_without_options_gets_a_tags_line_after_the_fence(rules: Vocabulary) -> None:
    text = ":::{link} https://youtu.be/a\n動画。\n:::\n"
    assert (
        retag_text(text, rules).text == ":::{link} https://youtu.be/a\n:tags: video\n動画。\n:::\n"
    )


# ---------------------------------------------------------------- the command


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    (tmp_path / "tags.toml").write_text(RULES, encoding="utf-8")
    issues = tmp_path / "issues"
    (issues / "revue").mkdir(parents=True)
    (issues / "0007.md").write_text(PAGE, encoding="utf-8")
    (issues / "0008.md").write_text(":::{link} https://example.com/\n:title: Z\n:::\n", "utf-8")
    (issues / "revue" / "2020-01-31_x.md").write_text(
        ":::{link} https://youtu.be/a\n:::\n", "utf-8"
    )
    return tmp_path


def run_tag(archive: Path, *args: str) -> int:
    return main(["tag", "--vocabulary", str(archive / "tags.toml"), *args])


def test_command_check_then_write(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    issues = archive / "issues"
    before = {path: path.read_bytes() for path in issues.rglob("*.md")}
    assert run_tag(archive, "--check", str(issues)) == 1
    out = capsys.readouterr().out
    assert {path: path.read_bytes() for path in issues.rglob("*.md")} == before
    assert f"{issues / '0007.md'}:10: would add rl, video" in out
    assert f"{issues / '0007.md'}:17: unknown tag 'mystery' kept" in out
    assert "2 pages, 5 cards: 3 cards to tag in 1 pages, 5 tags to add, 2 cards without tags" in out
    assert f"{issues / '0007.md'}:28: card left without tags: Nothing to see" in out
    assert f"{issues / '0008.md'}:1: card left without tags: Z" in out

    assert run_tag(archive, str(issues)) == 0
    out = capsys.readouterr().out
    assert "3 cards tagged in 1 pages, 5 tags added" in out
    assert (issues / "0007.md").read_text("utf-8") == retag_text(
        PAGE, Vocabulary.from_text(RULES)
    ).text
    assert (issues / "revue" / "2020-01-31_x.md").read_bytes() == before[
        issues / "revue" / "2020-01-31_x.md"
    ]
    assert run_tag(archive, "--check", str(issues / "0007.md")) == 0


def test_command_default_path(
    archive: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(archive)
    assert main(["tag", "--vocabulary", "tags.toml", "--check"]) == 1
    assert "2 pages, 5 cards" in capsys.readouterr().out


def test_command_bad_vocabulary(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vocabulary = archive / "tags.toml"
    vocabulary.write_text('[[tag]]\nslug = "Bad Slug"\nja = "a"\nen = "a"\n', encoding="utf-8")
    assert run_tag(archive, str(archive / "issues")) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{vocabulary}:2: bad slug 'Bad Slug'")
    assert "Traceback" not in err


def test_command_unreadable_pages(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    issues = archive / "issues"
    (issues / "0009.md").write_bytes(b"\xff\xfe not UTF-8")
    assert run_tag(archive, str(issues), str(archive / "missing.md")) == 2
    captured = capsys.readouterr()
    assert f"{archive / 'missing.md'}: no such file or folder" in captured.err
    assert f"{issues / '0009.md'}: cannot read or write the page" in captured.err
    assert "Traceback" not in captured.err
    assert "5 tags added" in captured.out  # the readable pages were still tagged
