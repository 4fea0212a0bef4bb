"""The synthetic benchmark corpus: deterministic, realistic in size, sites and languages."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

from corpustools.synth import generate, make_sites, write_corpus


def test_the_same_count_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_corpus(first, 40, seed=3)
    write_corpus(second, 40, seed=3, jobs=2)
    files = sorted(path.relative_to(first) for path in first.rglob("*.txt"))
    assert len(files) == 40
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


def test_an_article_does_not_depend_on_how_many_are_made() -> None:
    few = list(generate(5, seed=1))
    many = list(generate(30, seed=1))
    assert few == many[:5]
    assert list(generate(30, seed=1, start=5)) == many[5:]


def test_another_seed_gives_another_corpus() -> None:
    assert [a.data for a in generate(3, seed=1)] != [a.data for a in generate(3, seed=2)]


def test_sizes_sites_and_languages_look_like_a_scraped_corpus() -> None:
    articles = list(generate(400, seed=0))
    sizes = [len(article.data) for article in articles]
    assert 6_000 <= statistics.median(sizes) <= 8_500
    assert any(50_000 <= size <= 200_000 for size in sizes)
    folders = Counter(article.relative.split("/")[0] for article in articles)
    assert len(folders) == 12
    assert {folder.split("-")[0] for folder in folders} == {"en", "de", "fr"}


def test_each_site_carries_its_own_recurring_footer() -> None:
    sites = make_sites(12, seed=0)
    assert len({site.footer for site in sites}) == 12
    for article in generate(60, seed=0):
        site = next(site for site in sites if article.relative.startswith(site.folder + "/"))
        text = article.data.decode("utf-8")
        assert all(line in text.split("\n") for line in site.footer)
