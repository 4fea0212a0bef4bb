"""The rule library: every rule matches its examples and none of its counterexamples."""

from __future__ import annotations

import pytest

from corpustools.config import load_config
from corpustools.errors import ConfigError
from corpustools.model import Category
from corpustools.rules import Strength, builtin_rules, lexicon_patterns, ruleset_for

RULES = builtin_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_matches_its_examples(rule) -> None:
    assert rule.examples, f"{rule.id} has no example"
    for example in rule.examples:
        assert rule.matches(example, len(example.split())), f"{rule.id} misses its example {example!r}"


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule.counterexamples], ids=lambda rule: rule.id)
def test_rule_spares_its_counterexamples(rule) -> None:
    for sentence in rule.counterexamples:
        assert not rule.matches(sentence, len(sentence.split())), f"{rule.id} wrongly matches {sentence!r}"


def test_rule_library_covers_the_categories_and_languages() -> None:
    categories = {rule.category for rule in RULES}
    for category in (Category.SUBSCRIPTION, Category.DONATION, Category.SHARING, Category.COMMENTS, Category.NAVIGATION,
                     Category.CONSENT, Category.POPUP, Category.LEGAL, Category.ADVERTISING, Category.CREDIT):
        assert category in categories
    ids = {rule.id for rule in RULES}
    assert any(".de-" in rule_id for rule_id in ids) and any(".fr-" in rule_id for rule_id in ids)


def test_strong_rules_are_tried_before_weak_ones() -> None:
    ruleset = ruleset_for(load_config(None).rules)
    strengths = [rule.strength for rule in ruleset.rules]
    assert strengths == sorted(strengths, key=lambda strength: strength != Strength.STRONG)


def test_user_rules_come_first_and_can_be_disabled_per_site(tmp_path) -> None:
    config_file = tmp_path / "corpustools.toml"
    config_file.write_text(
        '[[rule]]\nid = "site.printed-from"\ncategory = "legal"\npattern = "^Printed from"\nexamples = ["Printed from x"]\n\n'
        '[site."Valley Courier"]\ndisable = ["sharing"]\n',
        encoding="utf-8",
    )
    config = load_config(config_file).rules
    everywhere = ruleset_for(config)
    assert everywhere.rules[0].id == "site.printed-from"
    assert everywhere.first_match("Share this article", 3) is not None
    courier = ruleset_for(config, "Valley Courier")
    assert courier.first_match("Share this article", 3) is None, "the site profile switches the category off"
    assert courier.first_match("Printed from the archive", 4) is not None


def test_a_broken_user_rule_is_a_config_error_naming_the_file(tmp_path) -> None:
    config_file = tmp_path / "corpustools.toml"
    config_file.write_text('[[rule]]\nid = "bad"\ncategory = "legal"\npattern = "(unclosed"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config_file)
    assert str(config_file) in str(error.value) and "bad" in str(error.value)


def test_lexicon_patterns_read_issue_and_volume_lines() -> None:
    patterns = lexicon_patterns()
    assert patterns.issue_line.match("Issue No. 1817").group(1) == "1817"
    assert patterns.issue_line.match("Numéro 218").group(1) == "218"
    assert patterns.volume_line.match("Vol. 12, No. 3").groups() == ("12", "3")
    assert patterns.issue_line.match("Issue of the day") is None
