"""Detection of competitions from links: every platform of the table, and hostile URLs."""

from __future__ import annotations

import pytest
from newsarchive.core.competition_links import (
    PLATFORMS,
    CompetitionRef,
    competition_of,
    parse_key,
)

UUID = "3c7a473f-61f4-472f-a812-92eb07cc4541"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "https://www.kaggle.com/c/riiid-test-answer-prediction",
            "kaggle/riiid-test-answer-prediction",
        ),
        (
            "https://www.kaggle.com/c/riiid-test-answer-prediction/",
            "kaggle/riiid-test-answer-prediction",
        ),
        (
            "https://kaggle.com/competitions/hubmap-kidney-segmentation",
            "kaggle/hubmap-kidney-segmentation",
        ),
        (
            "https://www.kaggle.com/c/seti-breakthrough-listen/discussion/246782",
            "kaggle/seti-breakthrough-listen",
        ),
        ("https://www.kaggle.com/competitions/foo/overview/evaluation", "kaggle/foo"),
        ("https://www.kaggle.com/c/foo/leaderboard?tab=private#top", "kaggle/foo"),
        ("https://www.kaggle.com/c/foo/data", "kaggle/foo"),
        (
            "HTTPS://WWW.KAGGLE.COM/c/Jane-Street-Market-Prediction",
            "kaggle/jane-street-market-prediction",
        ),
        ("http://www.kaggle.com./c/titanic", "kaggle/titanic"),
        ("https://www.kaggle.com/c/foo/disc…", "kaggle/foo"),
        ("https://signate.jp/competitions/281/discussions/384-419-1", "signate/281"),
        ("https://signate.jp/competitions/277#schedule", "signate/277"),
        ("https://www.nishika.com/competitions/22/topics/171", "nishika/22"),
        (
            "https://www.nishika.com/competitions/yasai_2022winter/summary",
            "nishika/yasai_2022winter",
        ),
        (
            "https://comp.probspace.com/competitions/religious_art/discussions/x",
            "probspace/religious_art",
        ),
        (f"https://solafune.com/competitions/{UUID}", f"solafune/{UUID}"),
        (f"https://solafune.com/ja/competitions/{UUID}", f"solafune/{UUID}"),
        (f"https://solafune.com/#/competitions/{UUID.upper()}?menu=about", f"solafune/{UUID}"),
        ("https://www.guruguru.science/competitions/13/discussions", "guruguru/13"),
        ("https://guruguru.ml/competitions/10/leaderboard", "guruguru/10"),
        (
            "https://www.aicrowd.com/challenges/global-wheat-challenge-2021",
            "aicrowd/global-wheat-challenge-2021",
        ),
        (
            "https://www.drivendata.org/competitions/79/competition-image-similarity-1-dev/",
            "drivendata/79",
        ),
        (
            "https://zindi.africa/competitions/predict-the-global-spread-of-covid-19",
            "zindi/predict-the-global-spread-of-covid-19",
        ),
        ("https://competitions.codalab.org/competitions/23905", "codalab/23905"),
        ("https://codalab.lisn.upsaclay.fr/competitions/1234#learn_the_details", "codalab/1234"),
    ],
)
def test_detects(url: str, key: str) -> None:
    ref = competition_of(url)
    assert ref is not None, url
    assert ref.key == key
    assert parse_key(key) == ref


@pytest.mark.parametrize(
    "url",
    [
        "https://www.kaggle.com/competitions",
        "https://www.kaggle.com/competitions/",
        "https://www.kaggle.com/c/",
        "https://www.kaggle.com/abhishek",
        "https://www.kaggle.com/product-feedback/12345",
        "https://www.kaggle.com/discussions/general/1",
        "https://www.kaggle.com/cx/foo",
        "https://www.nishika.com/competitions/ranking",
        "https://www.nishika.com/competitions",
        "https://signate.jp/users/123",
        "https://signate.jp/competitions/abc",
        "https://solafune.com/#/",
        "https://solafune.com/competitions/not-a-uuid",
        "https://www.guruguru.science/news/5",
        "https://www.drivendata.co/blog/image-similarity-winners/",
        "https://github.com/motokimura/solafune_vehicle_detection_solution",
        "https://www.kaggle.com/code/someone/c/titanic",
        # hostile: other hosts dressed up as a platform
        "https://kaggle.com.evil.example/c/titanic",
        "https://evil.example/www.kaggle.com/c/titanic",
        "https://www.kaggle.com@evil.example/c/titanic",
        "https://evilkaggle.com/c/titanic",
        "https://evil.example/?u=https://www.kaggle.com/c/titanic",
        # hostile: schemes and malformed URLs
        "javascript:alert(1)//www.kaggle.com/c/titanic",
        "ftp://www.kaggle.com/c/titanic",
        "//www.kaggle.com/c/titanic",
        "www.kaggle.com/c/titanic",
        "https://[www.kaggle.com/c/titanic",
        "https://www.kaggle.com/c/../../etc/passwd",
        "https://www.kaggle.com/c/%2e%2e",
        "https://www.kaggle.com/c/a%2Fb",
        "https://www.kaggle.com/c/<script>",
        'https://www.kaggle.com/c/x"onmouseover="alert(1)',
        "https://www.kaggle.com/c/ti tanic",
        "https://www.kaggle.com/c/titanic\n/evil",
        "https://www.kaggle.com/c/-leading-hyphen",
        "https://www.kaggle.com/c/" + "a" * 101,
        "https://www.kaggle.com/c/" + "a" * 5000,
        "https://signate.jp/competitions/1234567890",
        "",
        "   ",
    ],
)
def test_rejects(url: str) -> None:
    assert competition_of(url) is None


def test_non_strings_are_not_competitions() -> None:
    assert competition_of(None) is None  # type: ignore[arg-type]
    assert parse_key(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "key",
    [
        "kaggle",
        "kaggle/",
        "/titanic",
        "unknown/titanic",
        "signate/abc",
        "nishika/ranking",
        "kaggle/../x",
        "kaggle/a/b",
        "Kaggle/titanic",
        "solafune/x",
    ],
)
def test_bad_keys(key: str) -> None:
    assert parse_key(key) is None


def test_every_platform_round_trips_its_own_url() -> None:
    samples = {
        "signate": "101",
        "guruguru": "13",
        "drivendata": "79",
        "codalab": "23905",
        "solafune": UUID,
    }
    for platform in PLATFORMS:
        ref = CompetitionRef(platform.key, samples.get(platform.key, "some-slug_1"))
        assert competition_of(ref.url) == ref, platform.key
        assert ref.platform_name == platform.name
