"""``import-substack``'s reading of an export, one rule at a time: which rows are posts,
their dates, slugs and sources, and each problem named at its file and line. The exports
are written here (posts.csv and posts/<post_id>.html), as folders or zips."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOTS
from newsarchive.commands.substack import export as export_command
from newsarchive.commands.substack.importer import SUBSTACK_URL
from substack_importing import page, run_import

COLUMNS = ("post_id", "post_date", "is_published", "email_sent_at", "type", "title", "subtitle")
BODY = "<p>本文です。</p>"


def row(number: int, **values: str) -> dict[str, str]:
    """A published newsletter post #number, sent 2023-02-09 22:00 UTC (02-10 in Tokyo)."""
    return {
        "post_id": f"{100000 + number}.weekly-kaggle-news-{number}",
        "post_date": "2023-02-09T21:58:00.000Z",
        "is_published": "true",
        "email_sent_at": "2023-02-09T22:00:00.000Z",
        "type": "newsletter",
        "title": f"Weekly Kaggle News #{number}",
        "subtitle": "",
        **values,
    }


def posts_csv(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_folder(
    root: Path,
    rows: list[dict[str, str]],
    columns: tuple[str, ...] = COLUMNS,
    bodies: dict[str, bytes] | None = None,
) -> Path:
    """An export folder: posts.csv of ``rows`` and a body for each (``bodies`` instead)."""
    root.mkdir(parents=True)
    (root / "posts.csv").write_text(posts_csv(rows, columns), "utf-8")
    (root / "posts").mkdir()
    if bodies is None:
        bodies = {entry["post_id"]: BODY.encode("utf-8") for entry in rows}
    for post_id, body in bodies.items():
        (root / "posts" / f"{post_id}.html").write_bytes(body)
    return root


def zipped(folder: Path, target: Path, *, inside: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, inside + path.relative_to(folder).as_posix())
    return target


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def import_export(archive: Path, export: Path, *args: str) -> int:
    return run_import("import-substack", export, archive, *args)


def test_what_counts_as_published(archive, tmp_path, capsys):
    published = ["true", "t", "1", "yes", "TRUE", "Yes"]
    drafts = ["false", "f", "0", ""]
    rows = [row(170 + n, is_published=value) for n, value in enumerate(published + drafts)]
    assert import_export(archive, export_folder(tmp_path / "export", rows)) == 0
    out = capsys.readouterr().out
    assert f"issues: {len(published)} written" in out
    assert f", {len(drafts)} drafts, 0 not newsletter posts" in out
    assert [n for n in range(170, 180) if (archive / "issues" / f"0{n}.md").exists()] == [
        170 + n for n in range(len(published))
    ]


def test_a_post_without_a_type_is_a_newsletter_post(archive, tmp_path, capsys):
    rows = [row(170, type=""), row(171, type="podcast"), row(172, type="thread"), row(173)]
    assert import_export(archive, export_folder(tmp_path / "with-type", rows)) == 0
    out = capsys.readouterr().out
    assert "issues: 2 written" in out and ", 2 not newsletter posts" in out
    assert (archive / "issues" / "0170.md").exists() and (archive / "issues" / "0173.md").exists()


def test_missing_optional_columns_are_said_and_taken_as_empty(archive, tmp_path, capsys):
    columns = ("post_id", "post_date", "is_published", "title")
    export = export_folder(tmp_path / "export", [row(170, subtitle="要約")], columns)
    assert import_export(archive, export) == 0
    err = capsys.readouterr().err
    assert f"{export}/posts.csv:1: no column type; taken as empty\n" in err
    assert f"{export}/posts.csv:1: no column subtitle; taken as empty\n" in err
    # No subtitle: the page goes from its title to its body.
    assert page(archive, 170).endswith("# Weekly Kaggle News #170\n\n本文です。\n")
    # The send date is the post's date when the export has no email_sent_at column.
    assert "\ndate: 2023-02-10\n" in page(archive, 170)


def test_present_optional_columns_are_not_said(archive, tmp_path, capsys):
    export = export_folder(tmp_path / "export", [row(170, subtitle="要約")])
    assert import_export(archive, export) == 0
    assert "no column" not in capsys.readouterr().err
    assert page(archive, 170).endswith("# Weekly Kaggle News #170\n\n要約\n\n本文です。\n")


@pytest.mark.parametrize(
    ("values", "day"),
    [
        # The first date the row has, in the export's order.
        ({"email_sent_at": "", "post_date": "2023-02-09T14:00:00Z"}, "2023-02-09"),
        ({"email_sent_at": "2023-02-09T15:00:00Z"}, "2023-02-10"),
        # A time with its zone is taken as it is; one without is UTC.
        ({"email_sent_at": "2023-02-10T08:30:00+09:00"}, "2023-02-10"),
        ({"email_sent_at": "2023-02-09T10:00:00-05:00"}, "2023-02-10"),
        ({"email_sent_at": "2023-02-09 23:30:00"}, "2023-02-10"),
        ({"email_sent_at": "2023-02-09 14:30:00"}, "2023-02-09"),
    ],
)
def test_the_send_date(archive, tmp_path, capsys, values, day):
    assert import_export(archive, export_folder(tmp_path / "export", [row(170, **values)])) == 0
    assert f"\ndate: {day}\n" in page(archive, 170)


def test_rows_that_cannot_be_posts_are_named_at_their_line(archive, tmp_path, capsys):
    rows = [
        row(170, email_sent_at="", post_date=""),
        row(171, email_sent_at="next week"),
        row(172),
        row(173),
        row(174),
        row(175),
    ]
    bodies = {entry["post_id"]: BODY.encode("utf-8") for entry in rows[:3]}
    bodies[rows[4]["post_id"]] = b"\xff\xfe not UTF-8"
    bodies[rows[5]["post_id"]] = "<p>\udcff</p>".encode("utf-8", "surrogateescape")
    export = export_folder(tmp_path / "export", rows, bodies=bodies)
    assert import_export(archive, export) == 1
    captured = capsys.readouterr()
    table = f"{export}/posts.csv"
    assert f"{table}:2: {rows[0]['post_id']}: no valid send date\n" in captured.err
    assert f"{table}:3: {rows[1]['post_id']}: no valid send date\n" in captured.err
    body = f"posts/{rows[3]['post_id']}.html"
    assert f"{table}:5: {rows[3]['post_id']}: no {body} in the export\n" in captured.err
    for entry in rows[4:]:
        assert f"{export}/posts/{entry['post_id']}.html:1: cannot be read: " in captured.err
    assert ", 5 not imported\n" in captured.out
    assert (archive / "issues" / "0172.md").exists()


def test_rows_with_the_wrong_number_of_columns(archive, tmp_path, capsys):
    export = export_folder(tmp_path / "export", [row(172)])
    table = export / "posts.csv"
    lines = table.read_text("utf-8").splitlines(keepends=True)
    short = "100170.weekly-kaggle-news-170,2023-02-09T21:58:00Z,true\n"
    long = lines[1].rstrip("\n") + ",extra\n"
    table.write_text(lines[0] + short + long + lines[1], "utf-8")
    assert import_export(archive, export) == 1
    captured = capsys.readouterr()
    assert f"{table}:2: {len(COLUMNS)} columns expected; row not imported\n" in captured.err
    assert f"{table}:3: {len(COLUMNS)} columns expected; row not imported\n" in captured.err
    assert ", 2 not imported\n" in captured.out
    assert (archive / "issues" / "0172.md").exists()


def test_a_table_csv_cannot_read_says_where_it_stopped(archive, tmp_path, capsys):
    huge = "長" * (csv.field_size_limit() + 1)
    export = export_folder(tmp_path / "export", [row(170), row(171, subtitle=huge), row(172)])
    assert import_export(archive, export) == 1
    err = capsys.readouterr().err
    limit = csv.field_size_limit()
    assert (
        f"{export}/posts.csv:3: field larger than field limit ({limit}); the rest not read\n"
        in (err)
    )
    assert (archive / "issues" / "0170.md").exists()
    assert not (archive / "issues" / "0172.md").exists()


def test_files_up_to_the_size_limit_are_read(archive, tmp_path, capsys, monkeypatch):
    rows = [row(170)]
    body = "<p>本文です。</p>" * 100
    export = export_folder(tmp_path / "export", rows, bodies={rows[0]["post_id"]: body.encode()})
    path = export / "posts" / f"{rows[0]['post_id']}.html"
    size = path.stat().st_size
    monkeypatch.setattr(export_command, "MAX_BODY_BYTES", size - 1)
    assert import_export(archive, export) == 1
    err = capsys.readouterr().err
    assert err.endswith(f"{path}:1: cannot be read: larger than {size - 1:,} bytes\n")
    monkeypatch.setattr(export_command, "MAX_BODY_BYTES", size)
    assert import_export(archive, export) == 0, capsys.readouterr().err


def test_a_table_too_large_is_said(archive, tmp_path, capsys, monkeypatch):
    export = export_folder(tmp_path / "export", [row(170)])
    size = (export / "posts.csv").stat().st_size
    monkeypatch.setattr(export_command, "MAX_BODY_BYTES", size - 1)
    assert import_export(archive, export) == 1
    err = capsys.readouterr().err
    assert err == f"{export}/posts.csv:1: cannot be read: larger than {size - 1:,} bytes\n"


def test_a_zip_s_files_are_named_inside_the_zip(archive, tmp_path, capsys):
    rows = [row(170)]
    folder = export_folder(tmp_path / "export", rows, bodies={rows[0]["post_id"]: b"\xff"})
    export = zipped(folder, tmp_path / "export.zip")
    assert import_export(archive, export) == 1
    err = capsys.readouterr().err
    assert f"{export}:posts/{rows[0]['post_id']}.html:1: cannot be read: " in err


def test_the_export_is_the_shallowest_posts_csv_in_the_zip(archive, tmp_path, capsys):
    outer = export_folder(tmp_path / "outer", [row(170)])
    old = export_folder(tmp_path / "old", [row(171)])
    shutil.copytree(old, outer / "archive" / "old")
    export = zipped(outer, tmp_path / "export.zip", inside="export/")
    assert import_export(archive, export) == 0, capsys.readouterr().err
    assert (archive / "issues" / "0170.md").exists()
    assert not (archive / "issues" / "0171.md").exists()


def test_slugs_and_sources(archive, tmp_path, capsys):
    rows = [
        row(170, post_id="100170.v1.5-release"),
        row(171, post_id="100171"),
        row(0, post_id="100172.year-end", title="年末特集"),
    ]
    export = export_folder(tmp_path / "export", rows)
    assert import_export(archive, export, "--number", "year-end=172") == 0
    # The slug is all after the post's id; a post without one is known by its id.
    assert f"\nsource: {SUBSTACK_URL}/p/v1.5-release\n" in page(archive, 170)
    assert f"\nsource: {SUBSTACK_URL}/p/100171\n" in page(archive, 171)
    assert f"\nsource: {SUBSTACK_URL}/p/year-end\n" in page(archive, 172)


def test_a_given_address_loses_its_trailing_slash(archive, tmp_path, capsys):
    export = export_folder(tmp_path / "export", [row(170)])
    assert import_export(archive, export, "--url", "https://news.example/") == 0
    assert "\nsource: https://news.example/p/weekly-kaggle-news-170\n" in page(archive, 170)


def test_only_the_slashes_end_a_given_address(archive, tmp_path, capsys):
    # The address's own last characters stay, whatever they are: only "/" is cut.
    export = export_folder(tmp_path / "export", [row(170)])
    assert import_export(archive, export, "--url", "https://news.example/WEEKLYX//") == 0
    assert "\nsource: https://news.example/WEEKLYX/p/weekly-kaggle-news-170\n" in page(archive, 170)
