"""The fixture of the JavaScript tests of ``searchcore.js``: a real index, and the Python side's
own answers, so the two sides are checked against each other and not against copied numbers.

``python tests/js/searchcore_fixture.py OUTDIR`` copies ``tests/roots/test-search``, adds the
issues below (numbers with gaps, three years, a word held as typed and in its pieces, a key
long enough to be cut into pages, enough distinct pairs for several shards), builds it with
Sphinx and leaves:

- ``OUTDIR/html/_search/``: the index ``search_index.py`` wrote, read by the tests' fake fetch;
- ``OUTDIR/python.json``: what ``search_index.py`` answers for the values the tests give
  ``fold``, ``keyHash``, ``shardOf``, ``decodeRefs``, ``issueNumbers`` and ``yearOf``.

``tests/test_searchcore_js.py`` builds it and runs ``node --test tests/js/``; ``make
mutants-js`` builds it once for every mutant.
"""

from __future__ import annotations

import json
import shutil
import sys
from io import StringIO
from pathlib import Path

from newsarchive.sphinxext import search_entries, search_index

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS / "roots" / "test-search"

#: Texts whose folding both sides must agree on: widths, case, compatibility forms, every
#: kind of white space, characters beyond the BMP.
FOLD_SAMPLES = [
    "ＬｉｇｈｔＧＢＭ",
    "ｶﾀｶﾅ ﾃﾞｰﾀ",
    "Kaggle\u3000Days",
    "tab\tnew\nline\r\nfeed\fvertical\vend",
    "no\u00a0break\u2002en\u2003em\u2009thin\u202fnarrow\u205fmath\ufeffbom",
    "ogham\u1680line\u2028para\u2029end",
    "many   spaces\t\t and \n\n lines",
    "①②③ ㈱ ㌔ ﬁ Ⅻ",
    "ÀÉÎÕÜ ǅ ΣΑΣ",
    "𝐁𝐄𝐑𝐓 😀 𠮷野家",
    "機械学習",
]

#: Keys whose hash both sides must agree on (with the keys of the index itself).
HASH_SAMPLES = ["", "a", "ab", "機械", "械", "😀", "😀a", "𠮷野", "\u0000", "\uffff"]
SHARD_COUNTS = [1, 2, 3, 7, 64, 1024]

#: Entry references (issue * REF + entry) as the facets hold them.
REF_SAMPLES = [
    [],
    [3 * search_index.REF + 0],
    [12 * search_index.REF + 4, 12 * search_index.REF + 1, 3 * search_index.REF + 2],
    [5 * search_index.REF + 7, 9 * search_index.REF, 5 * search_index.REF + 7, 1000 * 1024 + 1023],
]

#: Issue numbers, newest first, as meta.json holds them (runs).
NUMBER_SAMPLES = [[], [7], [12, 11, 10, 8, 5, 4, 3, 1], [200, 199, 1]]

#: A small index for the unit tests, written by search_index.py with postings of more than a
#: few occurrences (SAMPLE_PAGE_OCCURRENCES) out of the shard, in pages of about that many, so
#: that short texts have paged postings: issue ->
#: its entries' fields, newest issue first.
SAMPLE_ISSUES: list[tuple[int, list[list[str]]]] = [
    (12, [["abcab"], ["ab xx bc"], ["qr"]]),
    (10, [["abxabc", "example.com"]]),
    (9, [["機械学習"], ["x", "qr"]]),
    (7, [["学習する機械", "", "形態素の解析"]]),
    (4, [["機械"], ["学習"], ["形態素解析"], ["pqrst"]]),
    (2, [["機械の話"], ["st"], ["pqr"]]),
    (1, [["ＡＢＣ"], ["Ab"]]),
]
SAMPLE_PAGE_OCCURRENCES = 4

#: The issues added to the root's #1 (2020) and #2 (2021): (number, date, body), oldest first.
ISSUES: list[tuple[int, str, str]] = []
URL = "https://example.net/"


def _card(url: str, title: str, text: str, *, tags: str = "", site: str = "example.net") -> str:
    options = f':title: "{title}"\n:site: {site}\n' + (f":tags: {tags}\n" if tags else "")
    return f":::{{link}} {URL}{url}\n{options}\n{text}\n:::\n"


def _issue(number: int, date: str, news: str, *cards: str) -> None:
    ISSUES.append((number, date, f"## News\n\n{news}\n\n" + "\n".join(cards)))


def _filler(number: int) -> str:
    """A run of distinct kanji: enough pairs that the index needs several shards."""
    first = number * 500
    return "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(first, first + 500))


# 2022: the compound 機械学習 as typed (#3, #5), in its pieces (#4 in one entry, #8 in two), in
# part only (#7); words of a query held by different entries (#5). #6 is missing.
_issue(3, "2022-01-07", "機械学習の話題。", _card("3", "機械学習入門", "基礎。", tags="tabular"))
_issue(4, "2022-01-14", "今週は休み。", _card("4", "学習する機械", "機械が学習する。", tags="nlp"))
_issue(
    5,
    "2022-01-21",
    "機械学習と翻訳。",
    _card("5a", "BERT で翻訳", "質問応答も。", tags="nlp"),
    _card("5b", "LightGBM", "勾配ブースティング。", tags="tabular"),
)
_issue(7, "2022-02-04", "機械だけ。", _card("7", "機械の話", "ここまで。"))
_issue(8, "2022-02-11", "学習の記録。", _card("8", "機械の整備", "BERT の話。", tags="nlp"))
# 2023: a word in every issue, its pairs repeated so their postings are cut into pages
# (search_index.PAGE_OCCURRENCES), newest first; a filler of distinct pairs per issue.
for _number, _date in [(9, "2023-01-06"), (10, "2023-01-13"), (11, "2023-01-20")]:
    # "データ分析の例" in #9 and #11: rare pairs (析の, の例) beside paged ones; #10's 解析の例
    # holds the rare pairs without the word.
    _example = "解析の例。" if _number == 10 else "データ分析の例。"
    _card_text = _card(str(_number), f"データ {_number}", _example, tags="tabular")
    _issue(_number, _date, f"{'データ分析。' * 700}\n\n{_filler(_number)}", _card_text)
_card_text = _card("12", "データ 12", "分析。")
_issue(12, "2023-01-27", f"{'データ分析。' * 700}\n\n{_filler(12)}", _card_text)


def build(outdir: Path) -> Path:
    """Build the fixture project into ``outdir`` (see the module's docstring); its index."""
    from sphinx.testing.util import SphinxTestApp

    srcdir = outdir / "src"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(ROOT, srcdir)
    years = {date[:4] for _, date, _ in ISSUES}
    for year in sorted(years):
        page = srcdir / "years" / f"{year}.md"
        page.write_text(f"# {year}年\n\n:::{{issue-list}}\n:year: {year}\n:::\n", encoding="utf-8")
    for number, date, body in ISSUES:
        front = f'---\nissue: {number}\ndate: {date}\ntitle: "Search News #{number}"\n'
        front += f"source: https://example.org/revue/{number}\n---\n"
        text = f"{front}# Search News #{number}\n\n{body}"
        (srcdir / "issues" / f"{number:04d}.md").write_text(text, encoding="utf-8")
    warnings = StringIO()
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=outdir / "build", status=StringIO(), warning=warnings
    )
    try:
        app.build()
    finally:
        app.cleanup()
    index = outdir / "build" / "html" / search_index.SEARCH_DIR
    if not (index / search_index.META).exists():
        raise SystemExit(f"{srcdir}: the build wrote no search index\n{warnings.getvalue()}")
    shutil.rmtree(outdir / "html", ignore_errors=True)
    shutil.copytree(index.parent, outdir / "html")
    write_python_answers(outdir / "python.json", outdir / "html" / search_index.SEARCH_DIR)
    return outdir / "html" / search_index.SEARCH_DIR


def write_python_answers(path: Path, index: Path) -> None:
    keys = set(HASH_SAMPLES)
    for shard in (index / "s").glob("*.json"):
        keys.update(json.loads(shard.read_text(encoding="utf-8")))
    answers = {
        "fold": [[text, search_index.fold(text)] for text in FOLD_SAMPLES],
        "haystack": [
            [fields, search_index.haystack(fields)]
            for fields in (["Ａ", "Ｂ  c"], ["", "x"], ["機械学習"])
        ],
        "keyHash": [[key, search_index.key_hash(key)] for key in sorted(keys)],
        "shardOf": [
            [key, shards, search_index.shard_of(key, shards)]
            for key in HASH_SAMPLES
            for shards in SHARD_COUNTS
        ],
        "refs": [
            [
                search_index._refs(refs),
                sorted({f"{r // search_index.REF}:{r % search_index.REF}" for r in refs}),
            ]
            for refs in REF_SAMPLES
        ],
        "runs": [[search_index._runs(numbers), numbers] for numbers in NUMBER_SAMPLES],
        "keyOccurrences": [
            [text, search_index.key_occurrences(search_index.fold(text))]
            for text in ("abcab", "機械学習の機械", "a\u0000b", "ｄａｔａ")
        ],
        "sample": sample_index(),
        "verifySample": verify_sample(),
        "card": search_entries.CARD,
        "ref": search_index.REF,
        "pageOccurrences": search_index.PAGE_OCCURRENCES,
    }
    path.write_text(json.dumps(answers, ensure_ascii=False, indent=1), encoding="utf-8")


def sample_index() -> dict[str, object]:
    """The files of the small index of SAMPLE_ISSUES (name -> parsed JSON), paged finely."""
    postings = search_index.Postings()
    for number, entries in SAMPLE_ISSUES:
        postings.add_issue(number, (search_index.haystack(fields) for fields in entries))
    saved = search_index.INLINE_OCCURRENCES, search_index.PAGE_OCCURRENCES
    search_index.INLINE_OCCURRENCES = search_index.PAGE_OCCURRENCES = SAMPLE_PAGE_OCCURRENCES
    try:
        shards, files = search_index.shard_files(postings)
    finally:
        search_index.INLINE_OCCURRENCES, search_index.PAGE_OCCURRENCES = saved
    return {
        "shards": shards,
        "issues": [[number, entries] for number, entries in SAMPLE_ISSUES],
        "files": {name: json.loads(text) for name, text in files.items()},
    }


#: An index for Engine.verified: "abcdef" in #4..#1, its rare pairs (cd, ef: a page each)
#: without it in #14..#5, and "ab" in every issue often enough to be paged finely (a page an
#: issue), "b " and " a" more coarsely (two issues a page).
VERIFY_ISSUES = [(n, ["xcdefx" if n > 4 else "abcdef", "ab " * 10]) for n in range(14, 0, -1)]


def verify_sample() -> dict[str, object]:
    """Every file of the index of VERIFY_ISSUES (name -> parsed JSON), entry files included."""
    document = {
        "issues": [
            {
                "n": number,
                "date": f"2024-01-{number:02d}",
                "title": f"#{number}",
                "page": f"issues/{number:04d}",
                "entries": [[0, f"e{i}", text, "", "", "", []] for i, text in enumerate(texts)],
            }
            for number, texts in VERIFY_ISSUES
        ],
        "competitions": [],
        "tags": [],
        "platforms": [],
    }
    saved = search_index.INLINE_OCCURRENCES, search_index.PAGE_OCCURRENCES
    search_index.INLINE_OCCURRENCES, search_index.PAGE_OCCURRENCES = 12, 30
    try:
        files = search_index.index_files(document)
    finally:
        search_index.INLINE_OCCURRENCES, search_index.PAGE_OCCURRENCES = saved
    return {name: json.loads(text) for name, text in files.items()}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tests/js/searchcore_fixture.py OUTDIR")
    print(build(Path(sys.argv[1]).resolve()))
