"""A deterministic synthetic corpus, for benchmarks: N scraped-looking articles, same N same bytes.

Speed and memory can only be measured on corpora far larger than the labelled ones, and those
corpora must be the same on every machine and every run. Articles are assembled from word lists
and boilerplate templates (data/synth.toml) with a random generator seeded per article, so
article 7 is the same whether 10 or 100,000 are made, and any slice can be made in parallel.

What makes them realistic for the pipeline: sizes (median about 7 KB, about 3 in 100 between 50
and 200 KB), several sites (one sub-folder each) in English, German and French, each with a
recurring footer that only the cross-document layer can catch, and boilerplate at the top
(cookie banner, menu), in the middle (advertising, "read more") and at the bottom (sharing,
newsletter, comments), around a title, byline, date, headings, quotations and lists.
"""

from __future__ import annotations

import math
import random
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "de", "fr")
POOL_SENTENCES = 20_000  # per language; paragraphs draw 2-7 of them, so no paragraph recurs
MEDIAN_BYTES = 6_600  # article text before the site's boilerplate is added
QUOTES = {"en": ("“", "”"), "de": ("„", "“"), "fr": ("« ", " »")}
LONG_SHARE = 0.03  # share of long articles (reports, transcripts): 50-200 KB


@dataclass(frozen=True)
class Site:
    """One website: its folder, name, language and the footer every article of it carries."""

    folder: str
    name: str
    language: str
    footer: tuple[str, ...]


@dataclass(frozen=True)
class SynthArticle:
    relative: str  # path below the corpus folder: <site folder>/<id>.txt
    data: bytes


@lru_cache(maxsize=1)
def vocabulary() -> Mapping[str, Any]:
    """The word lists and templates, read once per process."""
    text = resources.files("corpustools").joinpath("data", "synth.toml").read_text("utf-8")
    return tomllib.loads(text)


def make_sites(count: int, seed: int = 0) -> list[Site]:
    """`count` sites, languages in turn (en, de, fr, en...), each with its own recurring footer."""
    words = vocabulary()
    names = words["names"]
    rng = random.Random(f"{seed}:sites")
    sites: list[Site] = []
    for index in range(count):
        language = LANGUAGES[index % len(LANGUAGES)]
        lang = words[language]
        prefix, word = rng.choice(names["site_prefixes"]), rng.choice(lang["site_words"])
        name = {"en": f"The {prefix} {word}", "de": f"Der {prefix}{word.lower()}", "fr": f"{word} du {prefix}"}[language]
        town = rng.choice(names["towns"])
        footer = tuple(
            template.format(site=name, year=2024, town=town, number=rng.randint(2, 200)) for template in lang["footer"]
        )
        folder = f"{language}-{index:02d}-{''.join(ch for ch in name.casefold() if ch.isascii() and ch.isalnum())}"
        sites.append(Site(folder, name, language, footer))
    return sites


class Writer:
    """Puts sentences, headings and boilerplate lines of one language together from its word lists."""

    def __init__(self, language: str, seed: int) -> None:
        self.language = language
        self.words = vocabulary()[language]
        self.names = vocabulary()["names"]
        pool_rng = random.Random(f"{seed}:pool:{language}")
        self.pool = [self._sentence(pool_rng) for _ in range(POOL_SENTENCES)]

    def _phrase(self, rng: random.Random) -> str:
        w = self.words
        parts = [rng.choice(w["determiners"])]
        if rng.random() < 0.4:
            parts.append(rng.choice(w["adjectives"]))
        parts.append(rng.choice(w["nouns"]))
        return " ".join(parts)

    def _sentence(self, rng: random.Random) -> str:
        w = self.words
        parts = [self._phrase(rng), rng.choice(w["verbs"]), self._phrase(rng)]
        for _ in range(rng.randint(0, 3)):
            roll = rng.random()
            if roll < 0.45:
                parts += [rng.choice(w["prepositions"]), self._phrase(rng)]
            elif roll < 0.8:
                parts += [rng.choice(w["connectors"]), self._phrase(rng), rng.choice(w["verbs"])]
            else:
                parts.append(rng.choice(w["adverbs"]))
        if rng.random() < 0.15:
            parts.append(str(rng.randint(2, 2000)))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def name(self, rng: random.Random) -> str:
        return f"{rng.choice(self.names['first'])} {rng.choice(self.names['last'])}"

    def heading(self, rng: random.Random) -> str:
        text = f"{self._phrase(rng)} {rng.choice(self.words['prepositions'])} {self._phrase(rng)}"
        return text[0].upper() + text[1:]

    def title(self, rng: random.Random) -> str:
        text = f"{self._phrase(rng)} {rng.choice(self.words['verbs'])} {self._phrase(rng)}"
        return text[0].upper() + text[1:]

    def paragraph(self, rng: random.Random) -> str:
        return " ".join(rng.choices(self.pool, k=rng.randint(2, 7)))

    def standfirst(self, rng: random.Random) -> str:
        return self._sentence(rng)

    def quotation(self, rng: random.Random) -> str:
        sentence = rng.choice(self.pool)[:-1]
        opening, closing = QUOTES[self.language]
        return f"{opening}{sentence},{closing} {rng.choice(self.words['speech'])} {self.name(rng)}."

    def list_items(self, rng: random.Random) -> list[str]:
        # Fresh sentences: a pool sentence alone on a line would recur across a site's articles.
        return [f"• {self._sentence(rng)}" for _ in range(rng.randint(3, 6))]

    def boilerplate(self, template: str, rng: random.Random) -> str:
        return template.format(
            section=rng.choice(self.words["sections"]),
            number=rng.randint(2, 40),
            title=self.title(rng),
            name=self.name(rng),
            town=rng.choice(self.names["towns"]),
        )

    def date(self, rng: random.Random) -> str:
        year, month, day = rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28)
        template: str = rng.choice(self.words["date_formats"])
        return template.format(day=day, month=month, month_name=self.words["months"][month - 1], year=year)


def article_size(rng: random.Random) -> int:
    """Bytes of article text wanted: log-normal around the median, with a long tail of reports."""
    if rng.random() < LONG_SHARE:
        return rng.randint(50_000, 200_000)
    return int(min(45_000, max(1_500, rng.lognormvariate(math.log(MEDIAN_BYTES), 0.45))))


def make_article(index: int, seed: int, sites: Sequence[Site], writers: Mapping[str, Writer]) -> SynthArticle:
    """Article number `index`: depends only on (index, seed, sites), never on how many are made."""
    rng = random.Random(f"{seed}:article:{index}")
    site = sites[rng.randrange(len(sites))]
    writer = writers[site.language]
    top, middle, bottom = writer.words["top"], writer.words["middle"], writer.words["bottom"]
    lines: list[str] = []
    if rng.random() < 0.7:
        lines.append(site.name)
    lines += [writer.boilerplate(template, rng) for template in rng.sample(top, rng.randint(1, 3))]
    lines += ["", writer.title(rng), ""]
    if rng.random() < 0.6:
        lines += [writer.standfirst(rng), ""]
    lines += [writer.words["byline"].format(name=writer.name(rng)), writer.date(rng), ""]
    wanted = article_size(rng)
    size = 0
    paragraphs_since_heading = 0
    while size < wanted:
        roll = rng.random()
        if paragraphs_since_heading >= 3 and roll < 0.25:
            block = [writer.heading(rng)]
            paragraphs_since_heading = 0
        elif roll < 0.06:
            block = [writer.quotation(rng)]
        elif roll < 0.10:
            block = writer.list_items(rng)
        elif roll < 0.13:
            block = [writer.boilerplate(rng.choice(middle), rng)]
        else:
            block = [writer.paragraph(rng)]
            paragraphs_since_heading += 1
        lines += block + [""]
        size += sum(len(line) + 1 for line in block) + 1
    lines += [writer.boilerplate(template, rng) for template in rng.sample(bottom, rng.randint(2, 6))]
    lines += ["", *site.footer, ""]
    text = "\n".join(lines)
    return SynthArticle(f"{site.folder}/a{index:07d}.txt", text.encode("utf-8"))


def generate(count: int, seed: int = 0, site_count: int = 12, start: int = 0) -> Iterator[SynthArticle]:
    """Articles `start` .. `count - 1`, in order."""
    sites = make_sites(site_count, seed)
    writers = {language: Writer(language, seed) for language in sorted({site.language for site in sites})}
    for index in range(start, count):
        yield make_article(index, seed, sites, writers)


@dataclass(frozen=True)
class SynthSummary:
    articles: int
    bytes: int
    sites: int


def write_corpus(folder: Path, count: int, seed: int = 0, site_count: int = 12, jobs: int = 1) -> SynthSummary:
    """Write `count` articles under `folder` (one sub-folder per site); files that exist are replaced."""
    for site in make_sites(site_count, seed):
        (folder / site.folder).mkdir(parents=True, exist_ok=True)
    if jobs <= 1 or count < 1000:
        total = _write_slice(folder, 0, count, seed, site_count)
    else:
        from concurrent.futures import ProcessPoolExecutor

        bounds = [(count * part // jobs, count * (part + 1) // jobs) for part in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as executor:
            futures = [executor.submit(_write_slice, folder, start, end, seed, site_count) for start, end in bounds]
            total = sum(future.result() for future in futures)
    return SynthSummary(count, total, site_count)


def _write_slice(folder: Path, start: int, end: int, seed: int, site_count: int) -> int:
    total = 0
    for article in generate(end, seed, site_count, start):
        (folder / article.relative).write_bytes(article.data)
        total += len(article.data)
    return total
