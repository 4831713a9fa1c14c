"""``newsarchive new``: the next issue page, dated in Tokyo, never overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfoNotFoundError

import pytest
from conftest import REPO
from newsarchive.commands.cli import main
from newsarchive.commands.editor import new


def page(number: int, day: str) -> str:
    return f'---\nissue: {number}\ndate: {day}\ntitle: "Weekly Kaggle News #{number}"\n---\n'


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """Issues #1, #2 and #5 (2020), with the 2020 year page, as the current folder."""
    (tmp_path / "issues").mkdir()
    for number, day in ((1, "2020-01-03"), (2, "2020-01-10"), (5, "2020-01-31")):
        (tmp_path / f"issues/{number:04d}.md").write_text(page(number, day), encoding="utf-8")
    (tmp_path / "issues/revue").mkdir()  # not an issue page
    (tmp_path / "docs/years").mkdir(parents=True)
    (tmp_path / "docs/years/2020.md").write_text("# 2020年 (edited)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def at_utc(monkeypatch, *when: int) -> None:
    instant = dt.datetime(*when, tzinfo=dt.UTC)
    monkeypatch.setattr(new, "now", lambda: instant)


def test_next_number_and_front_matter(archive, capsys):
    assert main(["new", "--date", "2020-02-07"]) == 0
    assert capsys.readouterr().out == "issues/0006.md\n"
    assert Path("issues/0006.md").read_text(encoding="utf-8") == (
        "---\n"
        "issue: 6\n"
        "date: 2020-02-07\n"
        'title: "Weekly Kaggle News #6"\n'
        "---\n"
        "# Weekly Kaggle News #6\n"
        "\n"
        "## News\n"
        "\n"
        "## Competitions\n"
    )
    assert Path("docs/years/2020.md").read_text(encoding="utf-8") == "# 2020年 (edited)\n"


@pytest.mark.parametrize(
    ("utc", "tokyo"),
    [
        ((2026, 8, 20, 14, 59), "2026-08-20"),  # 23:59 in Tokyo
        ((2026, 8, 20, 15, 0), "2026-08-21"),  # midnight in Tokyo, still the 20th in UTC
        ((2026, 12, 31, 15, 30), "2027-01-01"),  # a new year in Tokyo first
    ],
)
def test_date_is_today_in_tokyo(archive, capsys, monkeypatch, utc, tokyo):
    at_utc(monkeypatch, *utc)
    assert main(["new"]) == 0
    assert f"date: {tokyo}\n" in Path("issues/0006.md").read_text(encoding="utf-8")


def test_tokyo_without_time_zone_data(monkeypatch):
    def missing(key: str) -> None:
        raise ZoneInfoNotFoundError(key)

    monkeypatch.setattr(new, "ZoneInfo", missing)
    at_utc(monkeypatch, 2026, 8, 20, 15, 0)
    assert new.tokyo_today() == dt.date(2026, 8, 21)


def test_new_year_page(archive, capsys):
    assert main(["new", "--date", "2021-01-01"]) == 0
    assert capsys.readouterr().out == "issues/0006.md\ndocs/years/2021.md\n"
    expected = (REPO / "docs/years/2020.md").read_text(encoding="utf-8").replace("2020", "2021")
    assert Path("docs/years/2021.md").read_text(encoding="utf-8") == expected


def test_refuses_to_overwrite(archive, capsys):
    before = Path("issues/0002.md").read_text(encoding="utf-8")
    assert main(["new", "--number", "2", "--date", "2026-08-21"]) == 1
    assert "issues/0002.md already exists; not overwritten" in capsys.readouterr().err
    assert Path("issues/0002.md").read_text(encoding="utf-8") == before


def test_a_chosen_number(archive, capsys):
    assert main(["new", "--number", "349", "--date", "2026-08-21"]) == 0
    assert capsys.readouterr().out.split() == ["issues/0349.md", "docs/years/2026.md"]
    page = Path("issues/0349.md").read_text(encoding="utf-8")
    assert "issue: 349\nfollows: 5\n" in page  # the gap is declared, so check accepts it
    main(["check"])
    assert "0349.md" not in capsys.readouterr().out


def test_refuses_a_date_not_after_the_newest_issue(archive, capsys):
    assert main(["new", "--date", "2020-01-31"]) == 1
    assert "#6 would be dated 2020-01-31, not after #5 (2020-01-31)" in capsys.readouterr().err
    assert not Path("issues/0006.md").exists()


def test_first_issue(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("issues").mkdir()
    assert main(["new", "--date", "2019-12-20"]) == 0
    assert capsys.readouterr().out.split() == ["issues/0001.md", "docs/years/2019.md"]
    assert main(["check"]) == 0


def test_no_issue_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new"]) == 2
    assert "no issue folder issues/" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--date", "2020-13-01"], ["--number", "0"]])
def test_bad_arguments(archive, capsys, argv):
    with pytest.raises(SystemExit) as exit:
        main(["new", *argv])
    assert exit.value.code == 2
    assert "not a" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["new", "add", "check"])
def test_help(capsys, command):
    with pytest.raises(SystemExit) as exit:
        main([command, "--help"])
    assert exit.value.code == 0
    assert f"usage: newsarchive {command}" in capsys.readouterr().out
