"""The regex prefilter: needles read off a pattern, and never a "no" where the regex says yes."""

from __future__ import annotations

import re

import pytest
from paths import CORPUS, RAW

from corpustools.prefilter import fold, may_match, needles_of
from corpustools.rules import UserConfig, ruleset_for
from corpustools.synth import generate


def test_needles_of_a_word_list_pattern() -> None:
    pattern = re.compile(r"\b(support(s|ing)?|donat(e|ion))\b|[£$]\s?\d", re.IGNORECASE)
    assert needles_of(pattern) == ("$", "donat", "support", "£")
    assert needles_of(re.compile(r"(share|tweet) this$", re.IGNORECASE)) == (" this",)
    assert needles_of(re.compile(r"all rights reserved|^©", re.IGNORECASE)) == ("all rights reserved", "©")


def test_patterns_anchored_at_the_start_are_not_prefiltered() -> None:
    # The regex engine tries them at one position only: cheaper than looking for needles.
    assert needles_of(re.compile(r"^(share|tweet) this$", re.IGNORECASE)) is None
    assert needles_of(re.compile(r"^donate|^(?:give) now", re.IGNORECASE)) is None


def test_patterns_without_a_required_word_are_not_prefiltered() -> None:
    assert needles_of(re.compile(r"^\d{1,6}$")) is None
    assert needles_of(re.compile(r"^(foo|\d+)$")) is None
    assert needles_of(re.compile(r"(?:x)?")) is None


@pytest.mark.parametrize(
    ("pattern", "line"),
    [
        ("sign up", "SIGN UP"),
        ("newsletter", "NEWSLETTER"),
        ("s", "ſ"),  # long s equals s under IGNORECASE
        ("k", "\u212a"),  # the Kelvin sign equals k
        ("i", "ı"),  # dotless i
        ("istanbul", "İstanbul"),  # capital dotted I lower-cases to two characters in str.lower
        ("straße", "STRAẞE"),
        ("é", "É"),
    ],
)
def test_case_is_folded_the_way_the_regex_engine_folds_it(pattern: str, line: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    assert compiled.search(line)
    assert may_match(fold(line), needles_of(compiled))


def _lines() -> list[str]:
    lines: list[str] = []
    for path in [*RAW.glob("*.txt"), *(CORPUS / "dev").rglob("*.txt")]:
        lines.extend(line[2:] if line[1:2] == " " else line for line in path.read_text("utf-8").split("\n"))
    for article in generate(60, seed=5):
        lines.extend(article.data.decode("utf-8").split("\n"))
    return [line.strip() for line in lines if line.strip()]


def test_the_prefilter_never_hides_a_match_of_any_shipped_rule() -> None:
    rules = ruleset_for(UserConfig()).rules
    lines = _lines() + [example for rule in rules for example in (*rule.examples, *rule.counterexamples)]
    hidden = [
        (rule.id, line)
        for rule in rules
        for line in lines
        if rule.pattern.search(line) and not may_match(fold(line), needles_of(rule.pattern))
    ]
    assert hidden == []
    assert sum(needles_of(rule.pattern) is not None for rule in rules) > len(rules) // 3  # the unanchored ones


def test_first_match_is_the_first_rule_that_matches() -> None:
    ruleset = ruleset_for(UserConfig())
    for line in _lines():
        words = len(line.split())
        expected = next((rule for rule in ruleset.rules if rule.matches(line, words)), None)
        assert ruleset.first_match(line, words) == expected, line


def test_windowed_mojibake_search_agrees_with_ftfy() -> None:
    from ftfy.badness import BADNESS_RE, is_bad

    from corpustools.prefilter import NonAsciiWindows

    windows = NonAsciiWindows(BADNESS_RE)
    assert windows.width == 7
    lines = _lines()
    mangled = [line.encode("utf-8").decode(codec, "replace") for line in lines if not line.isascii() for codec in ("latin-1", "cp1251", "mac_roman")]
    samples = [*lines, *mangled, "Ã ", "xÂ «", "caf\u00c3\u00a9" + " " * 20 + "ok", "ГўВЂВ\u009dx"]
    assert sum(map(is_bad, samples)) > 100
    assert [windows.search(line) for line in samples] == [is_bad(line) for line in samples]


def test_patterns_that_do_not_qualify_are_searched_whole() -> None:
    from corpustools.prefilter import NonAsciiWindows

    assert NonAsciiWindows(re.compile(r"ab[é]")).width == 3
    assert NonAsciiWindows(re.compile(r"a+é")).width is None  # unbounded width
    assert NonAsciiWindows(re.compile(r"abc")).width is None  # a match without non-ASCII
    assert NonAsciiWindows(re.compile(r"(?<=x)é")).width is None  # look-behind
    assert NonAsciiWindows(re.compile(r"abc")).search("xxabcxx")
