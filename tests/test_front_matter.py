"""core/frontmatter.py: an issue's front matter judged, each problem at its line, and
single fields read as written."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from newsarchive.core.frontmatter import judge_front_matter, read_front_matter

GOOD = (
    '---\nissue: 18\ndate: 2020-04-17\ntitle: "Weekly  Kaggle News #18"\n'
    "source: https://example.com/18\nfollows: 16\n---\n# x\n"
)


def test_a_good_front_matter_gives_every_value_and_its_line():
    matter, findings = judge_front_matter(GOOD)
    assert findings == []
    assert matter.present and matter.number == 18 and matter.follows == 16
    assert matter.date == dt.date(2020, 4, 17)
    assert matter.title == "Weekly Kaggle News #18"
    assert matter.source == "https://example.com/18"
    assert matter.lines == {"issue": 2, "date": 3, "title": 4, "source": 5, "follows": 6}
    assert matter.keys == {"issue", "date", "title", "source", "follows"}
    # Fences may carry trailing blanks; other keys are kept and not judged.
    matter, findings = judge_front_matter(
        "--- \nissue: 1\ndate: 2020-01-01\ntitle: x\nx: [1]\n---\t"
    )
    assert (findings, matter.number, "x" in matter.keys) == ([], 1, True)


HEAD = "---\nissue: 1\ndate: 2020-01-01\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# no front matter\n", [(1, "no front matter (issue, date and title between --- lines)")]),
        (  # a thematic break later is no front matter
            "# Title\n\n---\n\ntext\n",
            [(1, "no front matter (issue, date and title between --- lines)")],
        ),
        (
            "---\n\ntitle: a\x07b\nissue: 1\n---\n",
            [
                (
                    3,
                    "front matter is not valid YAML: unacceptable character #x0007: special "
                    "characters are not allowed",
                )
            ],
        ),
        ("---\nissue: 1\n", [(1, "front matter is never closed (a second --- line)")]),
        (
            "---\nissue: 1\ntitle: [\n---\n",
            [
                (
                    3,
                    "front matter is not valid YAML: expected the node content, but found "
                    "'<stream end>'",
                )
            ],
        ),
        ("---\n- a\n---\n", [(1, "front matter must be fields (issue: 18, date: …, title: …)")]),
        (
            "---\nissue: 1\ntitle: a\x07b\n---\n",
            [
                (
                    3,
                    "front matter is not valid YAML: unacceptable character #x0007: special "
                    "characters are not allowed",
                )
            ],
        ),
        (
            "---\nissue: 1\ntitle: " + "[" * 1000 + "]" * 1000 + "\n---\n",
            [(1, "front matter is nested too deeply to be read")],
        ),
        ("---\n---\n", [(1, "front matter must be fields (issue: 18, date: …, title: …)")]),
        (
            "---\nissue: 1\ntitle: &a x\ndate: *a\n---\n",
            [(3, "front matter repeats a value with a YAML anchor (&, *): write it out")],
        ),
        (
            "---\nissue: 1\ndate: 2020-01-01\ntitle: [&a x, *a]\n---\n",
            [(4, "front matter repeats a value with a YAML anchor (&, *): write it out")],
        ),
        (HEAD + "issue: 2\ntitle: t\n---\n", [(4, "front matter has 'issue' twice")]),
        (
            '---\nissue: "3"\ndate: 2020-01-01\ntitle: t\n---\n',
            [(2, "front matter 'issue' must be a positive whole number like 18, not '3'")],
        ),
        (
            '---\nissue: 0\ndate: 2020-02-30\ntitle: ""\nfollows: x\nsource: ftp://e\n---\n',
            [
                (2, "front matter 'issue' must be a positive whole number like 18, not '0'"),
                (3, "front matter 'date' must be a date like 2020-04-17, not '2020-02-30'"),
                (4, "front matter 'title' is empty"),
                (
                    5,
                    "front matter 'follows' must be the number of the issue this one follows, "
                    "not 'x'",
                ),
                (6, "front matter 'source' must be an http or https URL, not 'ftp://e'"),
            ],
        ),
        (
            HEAD + "title: t\nfollows: '0'\n---\n",
            [
                (
                    5,
                    "front matter 'follows' must be the number of the issue this one follows, "
                    "not '0'",
                )
            ],
        ),
        (
            HEAD + "title: Kaggle #18 news\n---\n",
            [
                (
                    4,
                    "front matter 'title' is cut short by '#18 news' (a YAML comment): quote the "
                    "value",
                )
            ],
        ),
        (HEAD + "title: 123\n---\n", [(4, "front matter 'title' must be text; quote it: \"123\"")]),
        (
            HEAD + 'title: "<b>x</b>"\n---\n',
            [(4, "front matter 'title' contains HTML; shown as text")],
        ),
        (
            "---\nissue: {a: 1}\ndate: 2020-01-01\ntitle: x\n---\n",
            [(2, "front matter 'issue' must be a single value")],
        ),
        (
            "---\nsource: https://e.com/\n---\n",
            [
                (1, "front matter has no 'issue'"),
                (1, "front matter has no 'date'"),
                (1, "front matter has no 'title'"),
            ],
        ),
    ],
)
def test_each_problem_at_its_line(text, expected):
    _, findings = judge_front_matter(text)
    assert [(finding.line, finding.message) for finding in findings] == expected


def test_a_rejected_value_is_not_kept():
    matter, _ = judge_front_matter(
        '---\nissue: x\ndate: 2020-13-01\ntitle: "<i>t</i>"\nsource: x\nfollows: -1\n---\n'
    )
    assert (matter.number, matter.date, matter.source, matter.follows) == (None, None, "", None)
    assert matter.title == "<i>t</i>"  # shown as text, escaped by the build


def test_single_fields_as_written_cached_per_file_version(tmp_path):
    page = tmp_path / "0001.md"
    versions = iter(range(1, 100))

    def write(content: bytes) -> None:
        page.write_bytes(content)
        stamp = next(versions) * 1_000_000_000
        os.utime(page, ns=(stamp, stamp))  # a new version, whatever the clock's resolution

    write("\ufeff---\nissue: 1\ndate: 2020-02-30\nfollows: 007\n---\n".encode())
    assert read_front_matter(page) == {"issue": "1", "date": "2020-02-30", "follows": "007"}
    write(b"---\nissue: 2\n---\n")
    assert read_front_matter(page) == {"issue": "2"}
    write(b"# no front matter\n")
    assert read_front_matter(page) == {}
    write(b"---\nissue: [\n---\n")
    assert read_front_matter(page) is None
    write(b"---\n- a list\n---\n")
    assert read_front_matter(page) is None
    write(b"---\ntitle: \x82\xa0\n---\n")  # Shift_JIS
    assert read_front_matter(page) is None
    assert read_front_matter(tmp_path / "missing.md") is None
