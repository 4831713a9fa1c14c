"""The search index's writer on its own (``sphinxext/search_index.py``): keys, postings,
pages, shards, entry files and facets, from entries documents made here.

The page's side (``static/searchcore.js``) is tested by node (``tests/js/``) and in
Chromium (``tests/test_search.py``); these tests read the files back with decoders written
here from the format's description, so a writer that drops, reorders or misplaces an
occurrence fails them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from newsarchive.sphinxext import search_index as si

CARD, SECTION = 0, 1


def entry(
    title: str,
    *,
    text: str = "",
    site: str = "",
    excerpt: str = "",
    kind: int = CARD,
    anchor: str = "",
    tags: tuple[str, ...] = (),
    mentions: tuple[int, ...] = (),
) -> list[Any]:
    found = [kind, anchor or "link", title, site, excerpt, text]
    return [*found, list(tags), *([list(mentions)] if mentions else [])]


def document(issues: list[tuple[int, str, list[list[Any]]]]) -> dict[str, Any]:
    """An entries document: issues as (number, date, entries), newest first."""
    return {
        "format": 2,
        "tags": {"nlp": "自然言語処理", "kaggle": "Kaggle"},
        "platforms": {"kaggle": "Kaggle"},
        "competitions": [["kaggle/riiid", "Riiid!"], ["kaggle/m5", "M5"]],
        "issues": [
            {
                "n": n,
                "date": date,
                "title": f"Weekly Kaggle News #{n}",
                "page": f"issues/{n:04d}.html",
                "entries": entries,
            }
            for n, date, entries in issues
        ],
    }


def read(files: dict[str, str], name: str) -> Any:
    return json.loads(files[name])


def posting_of(files: dict[str, str], key: str) -> list[list[Any]]:
    """A key's whole posting as the page reads it: from its shard, and its pages in turn."""
    meta = read(files, si.META)
    shard = read(files, f"s/{si.shard_of(key, meta['shards'])}.json")
    value = shard.get(key, [])
    if isinstance(value, dict):
        groups: list[list[Any]] = []
        for name, lowest in zip(value["pages"], value["lowest"], strict=True):
            page = read(files, name)
            assert page[-1][0] == lowest, name
            groups += page
        return groups
    return value


def positions(item: list[int]) -> list[int]:
    """[entry, first, +delta, …] -> the places, absolute."""
    places, at = [], 0
    for delta in item[1:]:
        at += delta
        places.append(at)
    return places


def decoded_refs(flat: list[int]) -> list[tuple[int, int]]:
    refs, number, i = [], 0, 0
    while i < len(flat):
        number = number - flat[i] if number else flat[i]
        count = flat[i + 1]
        refs += [(number, e) for e in flat[i + 2 : i + 2 + count]]
        i += 2 + count
    return refs


# -- folding and keys ------------------------------------------------------------------


def test_fold_is_nfkc_lower_case_and_one_space():
    assert si.fold("ＢＥＲＴ\u3000ｶﾞｲﾄﾞ") == "bert ガイド"
    assert si.fold("Kaggle\t\n  Days\u00a0x") == "kaggle days x"
    assert si.fold("Ⅻ") == "xii"


def test_haystack_keeps_fields_apart():
    assert si.haystack(["A b", "", "C"]) == "a b\x00\x00c"


def test_keys_are_characters_once_and_pairs_everywhere():
    found = si.key_occurrences("abab\x00ab")
    assert found["a"] == [0] and found["b"] == [1]  # a character: where it first is
    assert found["ab"] == [0, 2, 5] and found["ba"] == [1]  # a pair: every place
    assert "b\x00" not in found and "\x00a" not in found and "\x00" not in found


# -- postings and pages ------------------------------------------------------------------


def test_postings_are_newest_first_with_entries_and_places():
    postings = si.Postings()
    postings.add_issue(9, ["xyxy", "zz"])
    postings.add_issue(3, ["axy"])
    assert postings.groups["xy"] == [[9, [0, 0, 2]], [3, [0, 1]]]
    assert postings.groups["z"] == [[9, [1]]]
    assert postings.sizes["xy"] == 5 and postings.sizes["z"] == 1


def test_pages_cut_at_issue_boundaries_and_keep_every_occurrence(monkeypatch):
    monkeypatch.setattr(si, "PAGE_OCCURRENCES", 10)
    postings = si.Postings()
    postings.add_issue(31, ["ab " * 12])  # one issue longer than a page: a page of its own
    for number in range(30, 0, -1):
        postings.add_issue(number, ["ab " * (number % 4 + 1)])
    pages = postings.pages("ab")
    assert len(pages) > 3 and all(pages)
    assert pages[0] == [postings.groups["ab"][0]]
    assert [group for page in pages for group in page] == postings.groups["ab"]
    for page in pages:
        size = sum(len(item) for group in page for item in group[1:])
        assert size <= 10 or len(page) == 1
    # No issue is split between pages.
    numbers = [group[0] for page in pages for group in page]
    assert numbers == sorted(set(numbers), reverse=True)


# -- shards ------------------------------------------------------------------------------


def random_archive(issues: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    alphabet = "機械学習自然言語処理画像コンペデータ解法上位金メダルabcdefghij "
    return document(
        [
            (
                n,
                f"2020-01-{n % 28 + 1:02d}",
                [
                    entry(
                        "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 40))),
                        text="".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))),
                        anchor=f"link-{k}",
                    )
                    for k in range(rng.randint(1, 6))
                ],
            )
            for n in range(issues, 0, -1)
        ]
    )


def test_every_key_is_found_in_its_shard_and_pages_whole(monkeypatch):
    monkeypatch.setattr(si, "INLINE_OCCURRENCES", 20)
    monkeypatch.setattr(si, "PAGE_OCCURRENCES", 30)
    doc = random_archive(60)
    files = si.index_files(doc)
    postings = si.Postings()
    for issue in doc["issues"]:
        postings.add_issue(issue["n"], (si.haystack(e[2:6]) for e in issue["entries"]))
    paged = inline = 0
    for key, groups in postings.groups.items():
        assert posting_of(files, key) == groups, key
        if postings.sizes[key] > si.INLINE_OCCURRENCES:
            paged += 1
        else:
            inline += 1
    assert paged and inline  # both kinds were checked
    meta = read(files, si.META)
    shards = [name for name in files if name.startswith("s/")]
    assert sorted(shards) == sorted(f"s/{n}.json" for n in range(meta["shards"]))


def test_a_long_posting_leaves_its_shard_for_pages(monkeypatch):
    monkeypatch.setattr(si, "INLINE_OCCURRENCES", 20)
    doc = random_archive(80)
    files = si.index_files(doc)
    meta = read(files, si.META)
    for name in (n for n in files if n.startswith("s/")):
        for key, value in read(files, name).items():
            assert si.shard_of(key, meta["shards"]) == int(name[2:-5]), key
            occurrences = sum(len(item) for group in posting_of(files, key) for item in group[1:])
            assert isinstance(value, list) == (occurrences <= 20), key


def test_shards_stay_the_same_size_as_the_archive_grows():
    small, large = (si.index_files(random_archive(n)) for n in (40, 400))

    def mean_shard(files: dict[str, str]) -> float:
        sizes = [len(text) for name, text in files.items() if name.startswith("s/")]
        return sum(sizes) / len(sizes)

    assert read(large, si.META)["shards"] > 5 * read(small, si.META)["shards"]
    # Near the target at both sizes (powers of two would leave them up to half as large).
    for files in (small, large):
        assert 0.75 < mean_shard(files) / si.SHARD_TARGET < 1.33


# -- the files a result and a filter read ------------------------------------------------


def test_entry_files_hold_one_entry_each_with_its_issue():
    doc = document(
        [
            (
                12,
                "2021-05-01",
                [
                    entry("Intro", kind=SECTION, anchor="news", text="<b>本文</b>"),
                    entry(
                        "BERT を読む",
                        site="example.com",
                        tags=("nlp",),
                        mentions=(0,),
                        anchor="link-1",
                    ),
                ],
            ),
            (11, "2021-04-24", [entry("M5", anchor="link-1", mentions=(1, 0))]),
        ]
    )
    files = si.index_files(doc)
    card = read(files, "e/12/1.json")
    assert card == {
        "n": 12,
        "date": "2021-05-01",
        "title": "Weekly Kaggle News #12",
        "page": "issues/0012.html",
        "entry": [CARD, "link-1", "BERT を読む", "example.com", "", "", ["nlp"], ["kaggle/riiid"]],
    }
    assert read(files, "e/12/0.json")["entry"][5] == "<b>本文</b>"  # text, written as text
    assert read(files, "e/11/0.json")["entry"][7] == ["kaggle/m5", "kaggle/riiid"]
    whole = read(files, "i/12.json")
    assert whole["entries"] == [read(files, f"e/12/{k}.json")["entry"] for k in range(2)]
    assert sorted(n for n in files if n.startswith("e/")) == [
        "e/11/0.json",
        "e/12/0.json",
        "e/12/1.json",
    ]


def test_facets_and_meta():
    doc = document(
        [
            (
                30,
                "2022-01-07",
                [
                    entry("a", tags=("nlp", "kaggle"), site="x.org", anchor="l1"),
                    entry("b", kind=SECTION, anchor="s", mentions=(0,)),
                    entry("c", tags=("nlp",), site="y.org", anchor="l2", mentions=(0,)),
                ],
            ),
            (29, "2021-12-31", [entry("d", tags=("nlp",), site="x.org", anchor="l1")]),
            (27, "2021-12-17", [entry("e", site="x.org", anchor="l1", mentions=(1,))]),
        ]
    )
    files = si.index_files(doc)
    tags = read(files, "f/tags.json")
    assert decoded_refs(tags["nlp"]) == [(30, 0), (30, 2), (29, 0)]
    assert decoded_refs(tags["kaggle"]) == [(30, 0)]
    sites = read(files, "f/sites.json")
    assert decoded_refs(sites["x.org"]) == [(30, 0), (29, 0), (27, 0)]
    assert "" not in sites  # a section is no site's
    competitions = read(files, "f/competitions.json")
    assert [[k, n, decoded_refs(r)] for k, n, r in competitions] == [
        ["kaggle/riiid", "Riiid!", [(30, 1), (30, 2)]],
        ["kaggle/m5", "M5", [(27, 0)]],
    ]
    meta = read(files, si.META)
    assert meta["format"] == si.FORMAT
    assert meta["issues"] == [[30, 29], [27, 27]]
    assert meta["years"] == [["2022", 30, 30], ["2021", 29, 27]]
    assert meta["cards"] == 4 and meta["cardsByYear"] == {"2022": 2, "2021": 2}
    assert meta["tags"] == doc["tags"] and meta["platforms"] == doc["platforms"]


def test_refs_are_issue_groups_newest_first():
    flat = si._refs(
        [5 * si.REF + 2, 9 * si.REF + 0, 5 * si.REF + 1, 9 * si.REF + 0, 2 * si.REF + 7]
    )
    assert flat == [9, 1, 0, 4, 2, 1, 2, 3, 1, 7]
    assert decoded_refs(flat) == [(9, 0), (5, 1), (5, 2), (2, 7)]


# -- writing -----------------------------------------------------------------------------


def test_write_index_removes_what_an_earlier_build_had(tmp_path: Path):
    two = document(
        [(2, "2020-01-08", [entry("b", anchor="l")]), (1, "2020-01-01", [entry("a", anchor="l")])]
    )
    si.write_index(tmp_path, two)
    folder = tmp_path / si.SEARCH_DIR
    assert (folder / "e/2/0.json").exists() and (folder / "i/2.json").exists()
    kept = folder / "e/1/0.json"
    before = kept.stat().st_mtime_ns
    si.write_index(tmp_path, document([(1, "2020-01-01", [entry("a", anchor="l")])]))
    assert not (folder / "e/2").exists() and not (folder / "i/2.json").exists()
    assert kept.stat().st_mtime_ns == before  # unchanged bytes are not written again
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*.json")}
    assert written == set(si.index_files(document([(1, "2020-01-01", [entry("a", anchor="l")])])))


@pytest.mark.parametrize("key", ["a", "ab", "機械", "\U0001f600x"])
def test_shard_of_is_within_range(key: str):
    for shards in (1, 3, 1490):
        assert 0 <= si.shard_of(key, shards) < shards
