"""Deterministic synthetic archives for the build benchmarks.

``archive``: the book as we build it (cards via our extension, the book theme, years
then issues in the navigation). ``floor``: the same pages with the cards as plain
Markdown, no extension of ours, and a theme without site-wide navigation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CARDS_PER_ISSUE = 15
FIRST_ISSUE_DATE = dt.date(2019, 12, 20)

WORDS_JA = [
    "機械学習",
    "特徴量エンジニアリング",
    "自然言語処理",
    "画像コンペ",
    "翻訳",
    "勾配ブースティング",
    "解法",
    "上位解法",
    "データセット",
    "前処理",
    "検証",
    "リーク",
    "アンサンブル",
    "事前学習",
    "推論",
    "時系列",
    "コンペティション",
    "評価指標",
    "可視化",
    "ノートブック",
    "形態素解析",
    "深層学習",
    "論文",
    "実装",
]
WORDS_EN = [
    "Kaggle",
    "BERT",
    "LightGBM",
    "XGBoost",
    "CatBoost",
    "PyTorch",
    "Transformer",
    "CNN",
    "GBDT",
    "LLM",
    "RAG",
]
SITES = [
    "www.kaggle.com",
    "arxiv.org",
    "www.youtube.com",
    "zenn.dev",
    "qiita.com",
    "speakerdeck.com",
    "github.com",
    "medium.com",
    "note.com",
    "signate.jp",
]

FLOOR_CONF = """project = "floor"
language = "ja"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
html_theme = "alabaster"
html_sidebars = {"**": []}
include_patterns = ["index.md", "docs/**", "issues/[0-9]*.md"]
exclude_patterns = ["_build"]
"""


def sentence(rng: random.Random, words: int) -> str:
    return (
        "".join(
            rng.choice(WORDS_JA) + rng.choice(["を", "の", "と", "で", "、"]) for _ in range(words)
        )
        + f"{rng.choice(WORDS_EN)}について解説しています。"
    )


def tag_slugs() -> list[str]:
    path = REPO / "docs" / "tags.toml"
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tags = data.get("tags", data)
    if isinstance(tags, list):
        return [t["slug"] for t in tags if "slug" in t]
    return [slug for slug in tags if isinstance(tags[slug], dict)]


def issue_date(number: int) -> dt.date:
    return FIRST_ISSUE_DATE + dt.timedelta(days=7 * (number - 1))


def card(rng: random.Random, number: int, index: int, tags: list[str], *, floor: bool) -> str:
    site = rng.choice(SITES)
    url = f"https://{site}/posts/{number}-{index}-{rng.randrange(10_000)}"
    title = f"{rng.choice(WORDS_EN)} {rng.choice(WORDS_JA)} #{number}-{index}"
    image = f"https://images.example.org/{number}/{index}.png"
    excerpt = sentence(rng, 4)
    commentary = sentence(rng, 10) + "\n\n" + sentence(rng, 6)
    chosen = rng.sample(tags, k=min(2, len(tags))) if tags else []
    if floor:
        return (
            f"### [{title}]({url})\n\n![]({image})\n\n{site}\n\n> {excerpt}\n\n"
            f"{commentary}\n\n{', '.join(chosen)}\n"
        )
    tag_line = f":tags: {', '.join(chosen)}\n" if chosen else ""
    return (
        f':::{{link}} {url}\n:title: "{title}"\n:image: {image}\n:site: {site}\n'
        f':excerpt: "{excerpt}"\n{tag_line}\n{commentary}\n:::\n'
    )


def issue_page(number: int, tags: list[str], *, floor: bool) -> str:
    rng = random.Random(number)
    day = issue_date(number)
    cards = "\n".join(
        card(rng, number, i, tags, floor=floor) for i in range(1, CARDS_PER_ISSUE + 1)
    )
    return (
        f"---\nissue: {number}\ndate: {day.isoformat()}\n"
        f'title: "Weekly Kaggle News #{number}"\n---\n'
        f"# Weekly Kaggle News #{number}\n\n## News\n\n{sentence(rng, 12)}\n\n{cards}"
    )


def year_page(year: int, numbers: list[int], *, floor: bool) -> str:
    if floor:
        entries = "\n".join(f"/issues/{n:04d}" for n in sorted(numbers, reverse=True))
        return f"# {year}年\n\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"
    return f"# {year}年\n\n:::{{issue-list}}\n:year: {year}\n:::\n"


def generate(target: Path, count: int, *, floor: bool = False) -> Path:
    """Write an archive of ``count`` issues into ``target`` (replaced)."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "issues").mkdir(parents=True)
    (target / "docs" / "years").mkdir(parents=True)
    tags = tag_slugs()
    years: dict[int, list[int]] = {}
    for number in range(1, count + 1):
        (target / f"issues/{number:04d}.md").write_text(
            issue_page(number, tags, floor=floor), encoding="utf-8"
        )
        years.setdefault(issue_date(number).year, []).append(number)
    for year, numbers in years.items():
        (target / f"docs/years/{year}.md").write_text(
            year_page(year, numbers, floor=floor), encoding="utf-8"
        )
    listing = "" if floor else ":::{issue-list}\n:::\n"
    (target / "index.md").write_text(
        "# Weekly Kaggle News\n\n"
        "```{toctree}\n:hidden:\n:glob:\n:reversed:\n\ndocs/years/*\n```\n\n" + listing,
        encoding="utf-8",
    )
    if floor:
        (target / "conf.py").write_text(FLOOR_CONF, encoding="utf-8")
    else:
        shutil.copy(REPO / "docs" / "conf.py", target / "conf.py")
        if (REPO / "docs" / "tags.toml").exists():
            shutil.copy(REPO / "docs" / "tags.toml", target / "docs" / "tags.toml")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--floor", action="store_true")
    args = parser.parse_args()
    print(generate(args.target, args.count, floor=args.floor))


if __name__ == "__main__":
    main()
