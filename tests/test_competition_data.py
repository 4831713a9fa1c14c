"""The curated competition file: values read, every mistake reported with its line,
aliases matched; `newsarchive check` and `newsarchive competitions` on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOTS
from newsarchive.commands.cli import main
from newsarchive.core.competition_data import catalog_from_text
from newsarchive.core.competition_mentions import alias_hits

GOOD = """\
# comment
[[competition]]
key = "kaggle/Riiid-Test-Answer-Prediction"
name = "Riiid! Answer Correctness Prediction"
ja = "Riiid!コンペ"
start = 2020-10-05
end = 2021-01-07
aliases = ["Riiid!", "Riiidコンペ"]

[[competition]]
key = "signate/280"
"""


def test_values_are_read_and_keys_normalised_like_links():
    catalog = catalog_from_text(GOOD)
    assert catalog.problems == []
    riiid = catalog.competitions["kaggle/riiid-test-answer-prediction"]
    assert (riiid.name, riiid.ja, riiid.start, riiid.end, riiid.line) == (
        "Riiid! Answer Correctness Prediction",
        "Riiid!コンペ",
        "2020-10-05",
        "2021-01-07",
        2,
    )
    assert catalog.competitions["signate/280"].name == ""  # shown by its link text


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[[competition]]\nkey = 'x'\n", 2, "'key' must be <platform>/<id>"),
        ("[[competition]]\nname = 'x'\n", 1, "'key' must be <platform>/<id>"),
        ("[[competition]]\nkey = 'signate/abc'\n", 2, "'key' must be"),
        ("[[competition]]\nkey = 'kaggle/a'\ncolour = 1\n", 3, "unknown key 'colour'"),
        ("[[competition]]\nkey = 'kaggle/a'\nstart = '2020-01-01'\n", 3, "must be a date"),
        ("[[competition]]\nkey = 'kaggle/a'\nstart = 2021-01-02\nend = 2021-01-01\n", 4, "before"),
        ("[[competition]]\nkey = 'kaggle/a'\nname = ''\n", 3, "non-empty string"),
        ("[[competition]]\nkey = 'kaggle/a'\naliases = 'x'\n", 3, "list of names"),
        ("[[competition]]\nkey = 'kaggle/a'\naliases = ['ab']\n", 3, "too short"),
        ("[[competition]]\nkey = 'kaggle/a'\n\n[[competition]]\nkey = 'kaggle/A'\n", 4, "twice"),
        (
            "[[competition]]\nkey = 'kaggle/a'\naliases = ['ＡＢＣ']\n\n"
            "[[competition]]\nkey = 'kaggle/b'\naliases = ['abc']\n",
            7,
            "already an alias of kaggle/a",
        ),
        ("[[competition]\nkey = 'kaggle/a'\n", 1, "not valid TOML"),
        ("competition = 1\n", 1, "must be a list"),
        ("[[tag]]\nslug = 'a'\n", 1, "unknown top-level key 'tag'"),
    ],
)
def test_each_mistake_has_its_line(text, line, message):
    problems = catalog_from_text(text).problems
    assert [p.line for p in problems] == [line], problems
    assert message in problems[0].message


def test_a_bad_entry_does_not_hide_the_good_ones():
    catalog = catalog_from_text(GOOD + "\n[[competition]]\nkey = 'nowhere/x'\n")
    assert len(catalog.problems) == 1
    assert set(catalog.competitions) == {"kaggle/riiid-test-answer-prediction", "signate/280"}


def test_aliases_match_ignoring_width_and_case_longest_first():
    patterns = catalog_from_text(GOOD).alias_patterns()
    key = "kaggle/riiid-test-answer-prediction"
    assert alias_hits("Ｒｉｉｉｄコンペの解法", patterns) == [key]
    assert alias_hits("riiid! の上位解法", patterns) == [key]
    assert alias_hits("Riiid の解法", patterns) == []  # no alias is written like this
    assert alias_hits("", patterns) == []


def test_check_reports_the_file_with_its_line(tmp_path, capsys):
    catalog = tmp_path / "competitions.toml"
    catalog.write_text(GOOD + "start = 2020\n", encoding="utf-8")
    issues = ROOTS / "test-competitions" / "issues"
    assert main(["check", str(issues), "--competitions", str(catalog)]) == 1
    out = capsys.readouterr().out
    assert (
        out
        == f"{catalog}:12: signate/280: 'start' must be a date written as YYYY-MM-DD (no quotes)\n"
    )
    catalog.write_text(GOOD, encoding="utf-8")
    assert main(["check", str(issues), "--competitions", str(catalog)]) == 0


def test_competitions_command_lists_what_the_file_lacks(capsys):
    root = ROOTS / "test-competitions"
    code = main(["competitions", str(root / "issues"), "--file", str(root / "competitions.toml")])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    issues = Path(root / "issues")
    assert lines == [
        "competitions linked: 5; without a curated name: 4",
        f"{issues}/0001.md:12: signate/281 has no curated name "
        "(shown as '<script>alert(1)</script>'; 2 links)",
        f"{issues}/0002.md:21: kaggle/rfcx-species-audio-detection has no curated name "
        "(shown as 'Rainforest Connection Species Audio Detection'; 1 links)",
        f"{issues}/0003.md:15: kaggle/titanic has no curated name "
        "(shown as 'Titanic - Machine Learning from Disaster'; 1 links)",
        f"{issues}/0001.md:14: nishika/11 has no curated name "
        "(shown as '中古マンション価格予測'; 1 links)",
        "named without a link, attached by an alias: 2",
        f"{issues}/0002.md:10: names kaggle/riiid-test-answer-prediction (alias)",
        f"{issues}/0002.md:17: names kaggle/riiid-test-answer-prediction (alias)",
        "named without a link, no alias: 1",
        f"{issues}/0003.md:10: names nishika/11 as '中古マンション価格予測'; "
        "add an alias or a link",
        "「…」コンペ with no competition link: 1",
        f"{issues}/0003.md:12: 「未知の画像分類」コンペ is linked nowhere on this line",
    ]


def test_skeleton_is_a_valid_file_for_the_uncurated(capsys):
    root = ROOTS / "test-competitions"
    main(
        [
            "competitions",
            str(root / "issues"),
            "--file",
            str(root / "competitions.toml"),
            "--skeleton",
        ]
    )
    catalog = catalog_from_text(capsys.readouterr().out)
    assert catalog.problems == []
    assert {c.key: c.name for c in catalog} == {
        "kaggle/rfcx-species-audio-detection": "Rainforest Connection Species Audio Detection",
        "nishika/11": "中古マンション価格予測",
        "signate/281": "<script>alert(1)</script>",
        "kaggle/titanic": "Titanic - Machine Learning from Disaster",
    }
