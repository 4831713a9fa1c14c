"""The tag vocabulary: normalised names, closest match, errors with lines, the real file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from newsarchive.core.vocabulary import (
    SLUG_RE,
    Tag,
    Vocabulary,
    VocabularyError,
    normalize,
    parse_tag_list,
)

REAL_VOCABULARY = Path(__file__).resolve().parents[1] / "docs" / "tags.toml"

SMALL = """\
# a comment
[[tag]]
slug = "gbdt"
ja = "勾配ブースティング"
en = "GBDT"
aliases = ["gradient boosting"]

[[tag]]
slug = "cpp"
ja = "C++"
en = "C++"

[[tag]]
slug = "csharp"
ja = "C#"
en = "C#"

[[tag]]
slug = "c-lang"
ja = "C言語"
en = "C"

[[tag]]
slug = "blog"
ja = "ブログ"
en = "Blog posts"
aliases = ["ﾌﾞﾛｸﾞ記事"]

[[tag]]
slug = "time-series"
ja = "時系列"
en = "Time series"
"""


@pytest.fixture
def small() -> Vocabulary:
    return Vocabulary.from_text(SMALL, "tags.toml")


def load_error(tmp_path: Path, text: str) -> VocabularyError:
    path = tmp_path / "tags.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.load(path)
    return caught.value


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GBDT", "gbdt"),
        ("ＧＢＤＴ", "gbdt"),  # full-width letters
        ("  Time_Series ", "time-series"),
        ("time  series", "time-series"),
        ("time--series", "time-series"),
        ("ﾌﾞﾛｸﾞ", "ブログ"),  # half-width kana with dakuten become full-width, dakuten kept
        ("ブログ", "ブログ"),
        ("C++", "c++"),
        ("C#", "c#"),
        ("Ｃ＃", "c#"),
    ],
)
def test_normalize(name: str, expected: str) -> None:
    assert normalize(name) == expected


def test_normalize_never_strips_dakuten() -> None:
    assert normalize("ブログ") != normalize("フロク")
    assert normalize("ガ") != normalize("カ")


def test_resolve_is_case_width_and_alias_insensitive(small: Vocabulary) -> None:
    for name in ("gbdt", "GBDT", "ＧＢＤＴ", "Gradient_Boosting", "勾配ブースティング"):
        tag = small.resolve(name)
        assert tag is not None and tag.slug == "gbdt", name
    assert small.resolve("Time Series") is small.tags["time-series"]
    assert small.resolve("unknown") is None


def test_symbols_keep_tags_apart(small: Vocabulary) -> None:
    assert small.resolve("C++") is small.tags["cpp"]
    assert small.resolve("c#") is small.tags["csharp"]
    assert small.resolve("C") is small.tags["c-lang"]
    assert small.resolve("c+") is None


def test_kana_keep_dakuten(small: Vocabulary) -> None:
    assert small.resolve("ブログ") is small.tags["blog"]
    assert small.resolve("ﾌﾞﾛｸﾞ") is small.tags["blog"]
    assert small.resolve("ブログ記事") is small.tags["blog"]
    assert small.resolve("フロク") is None


def test_closest(small: Vocabulary) -> None:
    assert small.closest("gbtd") == "gbdt"
    assert small.closest("timeseries") == "time-series"
    assert small.closest("gradient boost") == "gbdt"  # aliases count
    assert small.closest("ブログス") == "blog"  # labels count
    assert small.closest("zzzzzz") is None
    assert small.closest("") is None


def test_parse_tag_list() -> None:
    assert parse_tag_list("nlp, video") == ["nlp", "video"]
    assert parse_tag_list(" nlp ,, video ,") == ["nlp", "video"]
    assert parse_tag_list("画像、動画，論文") == ["画像", "動画", "論文"]
    assert parse_tag_list("") == []


def test_tags_keep_file_order_and_lines(small: Vocabulary) -> None:
    assert list(small.tags) == ["gbdt", "cpp", "csharp", "c-lang", "blog", "time-series"]
    assert small.tags["gbdt"].line == 2
    assert small.tags["cpp"].line == 8
    assert isinstance(small.tags["gbdt"], Tag)
    assert small.tags["gbdt"].aliases == ("gradient boosting",)


# ---------------------------------------------------------------- errors


def test_bad_toml_has_its_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, '[[tag]]\nslug = "a"\nja = "A\nen = "A"\n')
    assert error.line == 3
    assert "not valid TOML" in error.message
    assert error.format().startswith(f"{tmp_path / 'tags.toml'}:3: ")


@pytest.mark.parametrize("slug", ["Bad", "bad slug", "ばっど", "-bad", "bad-", "bad--slug", "c++"])
def test_bad_slug(tmp_path: Path, slug: str) -> None:
    text = '[[tag]]\nslug = "ok"\nja = "a"\nen = "a"\n\n[[tag]]\nja = "b"\nen = "b"\n'
    text += f'slug = "{slug}"\n'
    error = load_error(tmp_path, text)
    assert error.line == 9
    assert "bad slug" in error.message and repr(slug) in error.message


def test_duplicate_slug(tmp_path: Path) -> None:
    text = '[[tag]]\nslug = "a"\nja = "A"\nen = "A"\n\n[[tag]]\nslug = "a"\nja = "B"\nen = "B"\n'
    error = load_error(tmp_path, text)
    assert error.line == 6
    assert "duplicate slug 'a'" in error.message and "line 1" in error.message


def test_duplicate_alias_after_normalisation(tmp_path: Path) -> None:
    text = (
        '[[tag]]\nslug = "a"\nja = "A"\nen = "A"\naliases = ["Deep Learning"]\n\n'
        '[[tag]]\nslug = "b"\nja = "B"\nen = "B"\naliases = ["ｄｅｅｐ_learning"]\n'
    )
    error = load_error(tmp_path, text)
    assert error.line == 7
    assert "already used by tag 'a'" in error.message


def test_missing_label(tmp_path: Path) -> None:
    error = load_error(tmp_path, '[[tag]]\nslug = "a"\nja = "A"\n\n[[tag]]\nslug = "b"\n')
    assert error.line == 1
    assert "'en' is missing" in error.message
    error = load_error(tmp_path, '[[tag]]\nslug = "a"\nen = "A"\nja = " "\n')
    assert error.line == 4
    assert "'ja' must be a non-empty string" in error.message


def test_unknown_key_and_bad_list(tmp_path: Path) -> None:
    error = load_error(tmp_path, '[[tag]]\nslug = "a"\nja = "A"\nen = "A"\nkeyword = ["x"]\n')
    assert error.line == 5 and "unknown key 'keyword'" in error.message
    error = load_error(tmp_path, '[[tag]]\nslug = "a"\nja = "A"\nen = "A"\naliases = "x"\n')
    assert error.line == 5 and "'aliases' must be a list" in error.message


def test_bad_regular_expression(tmp_path: Path) -> None:
    text = '[[tag]]\nslug = "a"\nja = "A"\nen = "A"\nkeywords = [\'re:(\']\n'
    error = load_error(tmp_path, text)
    assert error.line == 5 and "bad regular expression" in error.message


def test_unreadable_and_top_level_errors(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="cannot read the vocabulary") as caught:
        Vocabulary.load(tmp_path / "missing.toml")
    assert caught.value.line is None
    assert "missing.toml: cannot read" in caught.value.format()
    error = load_error(tmp_path, 'title = "x"\n')
    assert "unknown top-level key 'title'" in error.message


def test_str_is_the_message_alone() -> None:
    error = VocabularyError("bad slug 'X'", "docs/tags.toml", 7)
    assert str(error) == "bad slug 'X'"
    assert error.format() == "docs/tags.toml:7: bad slug 'X'"


# ---------------------------------------------------------------- the real vocabulary


def test_real_vocabulary() -> None:
    vocabulary = Vocabulary.load(REAL_VOCABULARY)
    assert 30 <= len(vocabulary) <= 60
    names: dict[str, str] = {}
    for tag in vocabulary:
        assert SLUG_RE.fullmatch(tag.slug)
        assert tag.label_ja.strip() and tag.label_en.strip()
        assert re.search(r"[^\x00-\x7f]", tag.label_ja) or tag.label_ja == tag.label_en
        assert tag.keywords or tag.title_keywords or tag.sites, f"{tag.slug} suggests nothing"
        for name in tag.names:
            assert names.setdefault(normalize(name), tag.slug) == tag.slug, name
    for slug in ("kaggle", "signate", "atmacup", "nishika", "tabular", "computer-vision", "nlp"):
        assert slug in vocabulary.tags
    for slug in ("time-series", "audio", "reinforcement-learning", "recommendation", "gbdt"):
        assert slug in vocabulary.tags
    for slug in ("solution", "paper", "video", "slides", "book", "tool", "event", "dataset"):
        assert slug in vocabulary.tags


# ---------------------------------------------------------------- each error, exactly where
TAG_A = '[[tag]]\nslug = "a"\nja = "A"\nen = "A"\n'


def test_an_empty_name_is_named_at_its_tag(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, TAG_A + '\n[[tag]]\nslug = "b"\nja = "B"\nen = "B"\naliases = [" -_ "]\n'
    )
    assert error.format() == f"{tmp_path / 'tags.toml'}:6: tag 'b' has an empty name"


def test_a_table_inside_a_tag_keeps_the_lines_of_the_tags(tmp_path: Path) -> None:
    text = TAG_A + '\n[[tag]]\nslug = "b"\nja = "B"\nen = "B"\n[tag.meta]\nnote = "x"\n'
    error = load_error(tmp_path, text)
    assert error.format() == (
        f"{tmp_path / 'tags.toml'}:6: tag 'b': unknown key 'meta' "
        "(allowed: slug, ja, en, aliases, keywords, title_keywords, sites)"
    )


def test_a_file_that_is_not_utf8_or_not_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tags.toml"
    path.write_bytes('[[tag]]\nslug = "a"\nja = "日本"\nen = "A"\n'.encode("shift_jis"))
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.load(path)
    assert caught.value.format() == (
        f"{path}: the vocabulary is not UTF-8: 'utf-8' codec can't decode byte 0x93 in "
        "position 25: invalid start byte"
    )
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.load(tmp_path)
    assert caught.value.format() == f"{tmp_path}: cannot read the vocabulary: Is a directory"


def test_tags_given_directly_are_checked_too() -> None:
    twice = [Tag("a", "A", "A", line=3), Tag("a", "B", "B", line=9)]
    with pytest.raises(VocabularyError) as caught:
        Vocabulary(twice)
    assert caught.value.format() == "tags.toml:9: duplicate slug 'a' (first declared on line 3)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Tables written inline have no header line: line 1.
        (
            'tag = [{slug = "Bad", ja = "A", en = "A"}]\n',
            "1: bad slug 'Bad': use lowercase ASCII letters, digits and single hyphens",
        ),
        (
            'tag = [{slug = "a", ja = "A", en = "A", x = 1}]\n',
            "1: tag 'a': unknown key 'x' (allowed: slug, ja, en, aliases, keywords, "
            "title_keywords, sites)",
        ),
        ("# c\n\n[[tag]]\nja = 'A'\nen = 'A'\n", "3: tag without a slug: 'slug' is missing"),
        (TAG_A + "aliases = [1]\n", "5: tag 'a': 'aliases' must be a list of non-empty strings"),
        (TAG_A + "sites = [' ']\n", "5: tag 'a': 'sites' must be a list of non-empty strings"),
        (
            'tag = [{slug = "a", ja = "A", en = "A", aliases = [1]}]\n',
            "1: tag 'a': 'aliases' must be a list of non-empty strings",
        ),
        (
            TAG_A + "keywords = ['re:*a']\n",
            "5: tag 'a': bad regular expression 're:*a': nothing to repeat at position 0",
        ),
        (
            'tag = [{slug = "a", ja = "A", en = "A", title_keywords = ["re:("]}]\n',
            "1: tag 'a': bad regular expression 're:(': missing ), unterminated subpattern at "
            "position 0",
        ),
    ],
)
def test_tag_errors_at_their_line(tmp_path: Path, text: str, expected: str) -> None:
    assert load_error(tmp_path, text).format() == f"{tmp_path / 'tags.toml'}:{expected}"


def test_a_tag_keeps_its_lists_and_only_keywords_are_expressions() -> None:
    text = TAG_A + (
        "aliases = [' re:( ']\nsites = ['ArXiv.org/abs']\n"
        "title_keywords = ['LLM', 're:^GPT']\nkeywords = ['x']\n"
    )
    (tag,) = Vocabulary.from_text(text)
    assert tag.aliases == ("re:(",)  # an alias is a name, never an expression
    assert tag.sites == ("arxiv.org/abs",)
    assert tag.title_keywords == ("LLM", "re:^GPT")
    assert tag.keywords == ("x",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[tag]]\nslug = "a',
            "tags.toml: not valid TOML: Unterminated string (at end of document)",
        ),
        ("tag = [1]\n", "tags.toml:1: 'tag' must be a list of [[tag]] tables"),
        ('tag = "x"\n', "tags.toml:1: 'tag' must be a list of [[tag]] tables"),
        (
            "meta = 1\n[[tag]]\n",
            "tags.toml:1: unknown top-level key 'meta'; declare tags as [[tag]] tables",
        ),
    ],
)
def test_file_errors_read_from_text(text: str, expected: str) -> None:
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.from_text(text)
    assert caught.value.format() == expected


def test_an_empty_vocabulary_has_no_tags() -> None:
    assert len(Vocabulary.from_text("# no tags yet\n")) == 0
