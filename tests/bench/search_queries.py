"""The search benchmark's query set and its relevant issues, computed from the originals.

Relevance never comes from the book: an issue is relevant to a query when the text of its
Revue original (``issues/revue/``: the title line and the issue's HTML with tags removed
and entities decoded) contains every space-separated word of the query, after NFKC, width
and case folding (ＢＥＲＴ = BERT, ｺﾝﾍﾟ = コンペ). Block elements end a run of text, so a
match never spans two paragraphs.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ORIGINALS = REPO / "issues" / "revue"

# fmt: off
#: Queries as a reader types them: Japanese compounds, katakana, English terms (several
#: letter cases and widths), several words.
QUERIES: tuple[str, ...] = (
    # Japanese compounds, which a word segmenter splits
    "画像コンペ", "コード提出", "データ拡張", "医療画像", "金メダル", "機械学習", "形態素解析",
    "自然言語処理", "特徴量エンジニアリング", "勾配ブースティング", "強化学習", "物体検出",
    "異常検知", "転移学習", "交差検証", "質問応答", "衛星画像", "分かち書き", "上位解法",
    "銀メダル", "テーブルデータ", "音声認識", "画像分類", "時系列予測", "解法まとめ",
    # Japanese, simple words
    "翻訳", "音声", "推薦", "書籍", "量子化", "可視化", "時系列", "優勝",
    # katakana, and the same in half width
    "コンペ", "アンサンブル", "データセット", "ディープラーニング", "ノートブック",
    "セグメンテーション", "ｺﾝﾍﾟ", "ｱﾝｻﾝﾌﾞﾙ",
    # English terms
    "BERT", "LightGBM", "XGBoost", "CatBoost", "EfficientNet", "Optuna", "NVIDIA",
    "atmaCup", "AutoML", "Transformer", "SIGNATE", "GPU",
    # other letter cases and widths of the same words
    "lightgbm", "efficientnet", "Bert", "ＢＥＲＴ", "ｌｉｇｈｔｇｂｍ",
    # several words
    "Kaggle Days", "PyTorch Lightning", "KAGGLE DAYS", "BERT 翻訳", "LightGBM 特徴量",
    "画像 コンペ", "Kaggle 金メダル", "自然言語処理 コンペ",
)
# fmt: on

#: Elements that end a run of text (a match cannot span them).
_BLOCK = re.compile(
    r"</?(?:p|h[1-6]|div|br|hr|li|ul|ol|blockquote|pre|table|tr|td|th|figure)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]*>")
_NUMBER = re.compile(r"#(\d+)")


def fold(text: str) -> str:
    """NFKC (which also folds full and half widths), lower case, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def words(query: str) -> list[str]:
    return fold(query).split()


def original_text(path: Path) -> str:
    """An original's title line and its HTML as text (the Revue URL line is not text)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    body = "\n".join([lines[0].lstrip("# "), *lines[2:]])
    body = _BLOCK.sub("\n", body)
    body = _TAG.sub("", body)
    return html.unescape(body)


@functools.cache
def originals() -> dict[int, list[str]]:
    """Issue number -> its folded runs of text (one per block)."""
    texts: dict[int, list[str]] = {}
    for path in sorted(ORIGINALS.glob("*.md")):
        title = path.read_text(encoding="utf-8").split("\n", 1)[0]
        found = _NUMBER.search(title)
        if found is None:
            continue
        runs = [fold(run) for run in original_text(path).split("\n")]
        texts[int(found[1])] = [run for run in runs if run]
    return texts


def relevant(query: str) -> frozenset[int]:
    """Issues whose original holds every word of ``query`` (each inside one block)."""
    wanted = words(query)
    if not wanted:
        return frozenset()
    return frozenset(
        number
        for number, runs in originals().items()
        if all(any(word in run for run in runs) for word in wanted)
    )


def r_precision(ranked: list[int], relevant_issues: frozenset[int], cutoff: int = 10) -> float:
    """Share of relevant issues among the first k = min(cutoff, |relevant|) shown."""
    k = min(cutoff, len(relevant_issues))
    if k == 0:
        return 1.0 if not ranked else 0.0
    return len(set(ranked[:k]) & relevant_issues) / k
