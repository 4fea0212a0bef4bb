"""Loads the rule library (rules/*.toml) once and compiles its patterns: the only place that does.

Rules are data so that a scholar can read why a line was removed, and add, disable or override
rules for one site in a config file without touching code. Every rule carries examples and
counterexamples; the tests check each rule against them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from .errors import ConfigError
from .model import Category
from .prefilter import Needles, fold, may_match, needles_of

RULE_FOLDER = "rules"


class Strength:
    """How much a match proves on its own."""

    STRONG = "strong"  # removes the line by itself
    WEAK = "weak"  # removes the line only inside a block that holds strong evidence


@dataclass(frozen=True)
class BoilerplateRule:
    """One boilerplate rule: a pattern, what it catches and how sure it is."""

    id: str
    category: Category
    strength: str
    pattern: re.Pattern[str]
    max_words: int
    overrides_protection: bool = False  # specific enough to pull in even a full sentence
    starts_list: bool = False  # a label ("Related articles") heading a list of links below it
    ends_article: bool = False  # an end marker ("Ends"): everything after it goes too
    user: bool = False  # a user's rule (config file): it forces its line out, before the labeller
    comment: str = ""
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()

    def matches(self, line: str, word_count: int) -> bool:
        return word_count <= self.max_words and self.pattern.search(line) is not None


MEMO_SIZE = 100_000  # remembered lines per rule set


@dataclass(frozen=True)
class RuleSet:
    """The rules in force for one source, plus the word lists the other stages read."""

    rules: tuple[BoilerplateRule, ...]
    corpus_min_articles: int = 2
    lexicon: Mapping[str, Any] = field(default_factory=dict)

    def without(self, disabled: Iterable[str]) -> RuleSet:
        gone = set(disabled)
        kept = tuple(rule for rule in self.rules if rule.id not in gone and _category_of(rule.id) not in gone)
        return RuleSet(kept, self.corpus_min_articles, self.lexicon)

    def first_match(self, line: str, word_count: int) -> BoilerplateRule | None:
        # Same answer as trying rule.matches in order; the prefilter only skips regexes that
        # cannot match (see prefilter.py): this loop is the hottest of the whole pipeline.
        # Site furniture repeats from article to article, so answers are remembered.
        memo = self._memo
        key = (line, word_count)
        if key in memo:
            return memo[key]
        if len(memo) >= MEMO_SIZE:
            memo.clear()  # bounded memory: start again rather than grow
        memo[key] = rule = self._first_match(line, word_count)
        return rule

    @cached_property
    def _memo(self) -> dict[tuple[str, int], BoilerplateRule | None]:
        return {}

    def _first_match(self, line: str, word_count: int) -> BoilerplateRule | None:
        folded = fold(line)
        for rule, needles in self._prefiltered:
            if word_count <= rule.max_words and may_match(folded, needles) and rule.pattern.search(line) is not None:
                return rule
        return None

    @cached_property
    def _prefiltered(self) -> tuple[tuple[BoilerplateRule, Needles | None], ...]:
        return tuple((rule, needles_of(rule.pattern)) for rule in self.rules)

    def fingerprint(self) -> str:
        """A stable digest of the rules, so incremental runs notice a rule change."""
        import hashlib

        digest = hashlib.sha256()
        for rule in self.rules:
            digest.update(f"{rule.id}\0{rule.strength}\0{rule.pattern.pattern}\0{rule.max_words}\n".encode())
        digest.update(str(self.corpus_min_articles).encode())
        return digest.hexdigest()[:16]


def _category_of(rule_id: str) -> str:
    return rule_id.split(".", 1)[0]


def compile_rule(raw: Mapping[str, Any], origin: str) -> BoilerplateRule:
    """Build one rule from its TOML table, with an error that names the file and the rule."""
    rule_id = raw.get("id", "")
    if not isinstance(rule_id, str):
        raise ConfigError(f"a rule's id must be a string, not {rule_id!r}", origin)
    try:
        category = Category(raw["category"])
        strength = raw.get("strength", Strength.STRONG)
        if strength not in (Strength.STRONG, Strength.WEAK):
            raise ValueError(f"strength must be 'strong' or 'weak', not {strength!r}")
        if not isinstance(raw["pattern"], str):
            raise ValueError("the pattern must be a string")
        pattern = re.compile(raw["pattern"], re.IGNORECASE)
        max_words = raw.get("max_words", 30)
        if isinstance(max_words, bool) or not isinstance(max_words, int):
            raise ValueError(f"max_words must be a whole number, not {max_words!r}")
        _check_rule_values(raw)
    except KeyError as missing:
        raise ConfigError(f"rule {rule_id!r} lacks the key {missing}", origin) from None
    except (ValueError, re.error) as problem:
        raise ConfigError(f"rule {rule_id!r}: {problem}", origin) from None
    if not rule_id:
        raise ConfigError("a rule has no id", origin)
    return BoilerplateRule(
        id=rule_id,
        category=category,
        strength=strength,
        pattern=pattern,
        max_words=max_words,
        overrides_protection=raw.get("overrides_protection", False),
        starts_list=raw.get("starts_list", False),
        ends_article=raw.get("ends_article", False),
        comment=raw.get("comment", ""),
        examples=tuple(raw.get("examples", ())),
        counterexamples=tuple(raw.get("counterexamples", ())),
    )


RULE_FLAGS = ("overrides_protection", "starts_list", "ends_article")
RULE_EXAMPLES = ("examples", "counterexamples")


def _check_rule_values(raw: Mapping[str, Any]) -> None:
    """A rule's optional values, each of its type: `starts_list = "false"` would otherwise be true."""
    for flag in RULE_FLAGS:
        if not isinstance(raw.get(flag, False), bool):
            raise ValueError(f"{flag} must be true or false, not {raw[flag]!r}")
    if not isinstance(raw.get("comment", ""), str):
        raise ValueError(f"comment must be a string, not {raw['comment']!r}")
    for key in RULE_EXAMPLES:
        value = raw.get(key, [])
        if not (isinstance(value, list) and all(isinstance(line, str) for line in value)):
            raise ValueError(f"{key} must be a list of lines, not {value!r}")


def _read_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise ConfigError(f"not valid TOML: {problem}", origin) from None


@lru_cache(maxsize=1)
def builtin_rule_tables() -> tuple[tuple[str, dict[str, Any]], ...]:
    """The shipped rule files, parsed once per process."""
    folder = resources.files("corpustools").joinpath(RULE_FOLDER, "boilerplate")
    tables = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            tables.append((f"rules/boilerplate/{entry.name}", _read_toml(entry.read_text("utf-8"), entry.name)))
    return tuple(tables)


@lru_cache(maxsize=1)
def lexicon() -> Mapping[str, Any]:
    """Word lists for metadata and structure (month names, byline words...), from lexicon.toml."""
    text = resources.files("corpustools").joinpath(RULE_FOLDER, "lexicon.toml").read_text("utf-8")
    return _read_toml(text, "rules/lexicon.toml")


@dataclass(frozen=True)
class Genre:
    """A category of the genre taxonomy (rules/genres.toml)."""

    id: str
    label: str
    also: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def genres() -> tuple[Genre, ...]:
    """The genre taxonomy, in the file's order (the header declares it in that order)."""
    text = resources.files("corpustools").joinpath(RULE_FOLDER, "genres.toml").read_text("utf-8")
    table = _read_toml(text, "genres.toml")["genre"]
    return tuple(Genre(key, str(entry["label"]), tuple(str(word) for word in entry.get("also", ()))) for key, entry in table.items())


def genre_named(word: str) -> Genre | None:
    """The genre a catalogue word names (its id, label or another spelling, ignoring case), if any."""
    wanted = " ".join(word.split()).casefold()
    for genre in genres():
        if wanted in (genre.id.casefold(), genre.label.casefold(), *(other.casefold() for other in genre.also)):
            return genre
    return None


@lru_cache(maxsize=1)
def month_numbers() -> Mapping[str, int]:
    """Month name (casefolded) -> month number, from month-numbers.toml: the date fast path's table."""
    text = resources.files("corpustools").joinpath(RULE_FOLDER, "month-numbers.toml").read_text("utf-8")
    table = _read_toml(text, "rules/month-numbers.toml")["months"]
    return {name.casefold(): int(number) for number, names in table.items() for name in names}


@dataclass(frozen=True)
class UserConfig:
    """A user's corpustools.toml: extra rules, disabled rules and per-site profiles."""

    added: tuple[BoilerplateRule, ...] = ()
    disabled: tuple[str, ...] = ()
    corpus_min_articles: int = 2
    sites: Mapping[str, UserConfig] = field(default_factory=dict)
    # The rule sets built from this config, by profile: built once per process, so that what a
    # rule set remembers (its compiled prefilters, the lines it has seen) serves every article.
    built: dict[str, RuleSet] = field(default_factory=dict, compare=False, repr=False)


def user_config_from_table(table: Mapping[str, Any], origin: str) -> UserConfig:
    """A user's config (or one site's profile in it), every value checked.

    A value that cannot make sense is a one-line error naming the file: a traceback tells the
    user nothing, and a value quietly taken as something else (corpus_min_articles = 1 marks
    every line as boilerplate) spoils a whole run.
    """
    clean = table.get("clean", {})
    if not isinstance(clean, dict):
        raise ConfigError("[clean] must be a table", origin)
    site_tables = table.get("site", {})
    if not isinstance(site_tables, dict):
        raise ConfigError("[site] must be a table of site profiles", origin)
    sites = {}
    for name, profile in site_tables.items():
        shown = name if name.isprintable() else repr(name)  # a newline in a quoted key must not break the one-line error
        if not isinstance(profile, dict):
            raise ConfigError(f"[site.{shown}] must be a table", origin)
        sites[name] = user_config_from_table(profile, f"{origin} [site.{shown}]")
    raw_rules = table.get("rule", [])
    if not isinstance(raw_rules, list) or not all(isinstance(raw, dict) for raw in raw_rules):
        raise ConfigError("[[rule]] must be a list of tables", origin)
    disabled = clean.get("disable", table.get("disable", []))
    if not isinstance(disabled, list) or not all(isinstance(name, str) for name in disabled):
        raise ConfigError(f"disable must be a list of rule ids or categories, not {disabled!r}", origin)
    minimum = clean.get("corpus_min_articles", 2)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 2:
        # One article is every line of every article: the corpus layer would remove all text.
        raise ConfigError(f"corpus_min_articles must be a whole number of at least 2, not {minimum!r}", origin)
    return UserConfig(
        added=tuple(replace(compile_rule(raw, origin), user=True) for raw in raw_rules),
        disabled=tuple(disabled),
        corpus_min_articles=minimum,
        sites=sites,
    )


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[BoilerplateRule, ...]:
    rules: list[BoilerplateRule] = []
    for origin, table in builtin_rule_tables():
        rules.extend(compile_rule(raw, origin) for raw in table.get("rule", ()))
    ids = [rule.id for rule in rules]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise ConfigError(f"duplicate rule ids: {', '.join(duplicates)}", "rules/boilerplate")
    return tuple(rules)


def ruleset_for(config: UserConfig, site: str = "") -> RuleSet:
    """The rules in force for a site: built-in, then the user's, then the site's profile.

    User rules come first so that they override a built-in rule that matches the same line.
    """
    profile_name = site if site in config.sites else ""
    if profile_name not in config.built:
        config.built[profile_name] = _build_ruleset(config, profile_name)
    return config.built[profile_name]


def _build_ruleset(config: UserConfig, site: str) -> RuleSet:
    profile = config.sites.get(site) if site else None
    added = (profile.added if profile else ()) + config.added
    disabled = config.disabled + (profile.disabled if profile else ())
    overridden = {rule.id for rule in added}
    ordered = added + tuple(rule for rule in builtin_rules() if rule.id not in overridden)
    # Strong rules are tried first: a line that a strong rule removes must not be filed under a
    # weak rule that happens to match too.
    ordered = tuple(rule for rule in ordered if rule.strength == Strength.STRONG) + tuple(
        rule for rule in ordered if rule.strength == Strength.WEAK
    )
    ruleset = RuleSet(ordered, config.corpus_min_articles, lexicon())
    return ruleset.without(disabled)


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so that 'issue no.' beats 'issue'."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class LexiconPatterns:
    """The lexicon's word lists compiled into the patterns the metadata and segment stages use."""

    byline: re.Pattern[str]
    affiliation: re.Pattern[str]
    honorific: re.Pattern[str]
    dated_byline: re.Pattern[str]
    closing_formula: re.Pattern[str]
    standfirst_verb: re.Pattern[str]
    author_separator: re.Pattern[str]
    not_name_words: frozenset[str]
    name_particles: frozenset[str]
    roles: frozenset[str]
    date_prefix: re.Pattern[str]
    updated_prefix: re.Pattern[str]  # "Updated:", "Last modified on": a line of the article's last change
    date_words: frozenset[str]
    month_words: frozenset[str]
    byline_links: frozenset[str]  # "by", "von", "par": what joins a date to the names after it  # "nov", "november", "märz": a date that names its month
    day_first_languages: frozenset[str]
    issue_line: re.Pattern[str]
    volume_line: re.Pattern[str]
    ordinal_volume: re.Pattern[str]
    published_in: re.Pattern[str]
    reading_time: re.Pattern[str]
    metadata_separator: re.Pattern[str]
    publication_words: frozenset[str]
    speech_verb: re.Pattern[str]
    reader_address: re.Pattern[str]
    opening_quotes: tuple[str, ...]
    closing_quotes: tuple[str, ...]
    attribution: re.Pattern[str]
    bullet_item: re.Pattern[str]
    numbered_item: re.Pattern[str]
    section_break: re.Pattern[str]
    title_separator: re.Pattern[str]  # " - ", " – ", " | ", " : " between a headline and a site name
    copyright_holder: re.Pattern[str]  # "© 2019 The Detroit News. All rights reserved": group "holder"
    corporate_words: frozenset[str]
    site_name_particles: frozenset[str]  # small words a site's name writes in lower case ("Dawgs by Nature")
    trailing_agency: re.Pattern[str]  # "Tom Davies Associated Press": group 1 the name, 2 the agency
    section_words: frozenset[str]
    action_words: frozenset[str]
    byline_tail: re.Pattern[str]  # where a byline's names end: a separator, a date, a time, a @handle
    late_byline: re.Pattern[str]  # "Monday November 18, 2019 7:45 am PST by Joe Rossignol": group 1 the names
    role_words: frozenset[str]  # the words of the roles ("Staff Writer", "Senior Contributor")
    not_author_words: frozenset[str]
    other_credit: re.Pattern[str]  # ". Photos: Ben Sample" after the writer's names
    site_call: re.Pattern[str]  # "search slashgear", "follow the telegraph" (casefolded words): group 1 the name
    site_call_tails: frozenset[str]  # "newsletter": a word that may follow the name in its call
    credit_words: frozenset[str]  # a line holding one is a credit ("Credit... Doug Mills/The New York Times")
    credit_line: re.Pattern[str]  # "Photo: Meg Kinnard, AP": a caption's credit, never a title
    news_agency: re.Pattern[str]  # a whole name that is a news agency ("Associated Press", "Reuters")


@lru_cache(maxsize=1)
def lexicon_patterns() -> LexiconPatterns:
    words = lexicon()
    byline, date, issue, structure = words["byline"], words["date"], words["issue"], words["structure"]
    publication = words["publication"]
    number = r"(?:n[°º]\s*|#\s*)?(\d+[a-z]?(?:\s*[-/–]\s*\d+)?)"
    dashes = _alternation(structure["attribution_dashes"])
    return LexiconPatterns(
        byline=re.compile(rf"^(?:{_alternation(byline['prefixes'])})\s*:?\s+(\S.*)$", re.IGNORECASE),
        affiliation=re.compile(rf"\b(?:{_alternation(byline['affiliation_words'])})\b", re.IGNORECASE),
        honorific=re.compile(rf"^(?:{_alternation(byline['honorifics'])})\.?\s+(?=\S)", re.IGNORECASE),
        dated_byline=re.compile(
            rf"^(?:{_alternation(byline['dated_byline_openers'])})\s+(?P<date>.{{4,40}}?)\s+(?:{_alternation(byline['dated_byline_links'])})\s+(?P<names>\S.{{0,80}})$",
            re.IGNORECASE,
        ),
        closing_formula=re.compile(rf"^(?:{_alternation(byline['closing_formulas'])})[,.!]?$", re.IGNORECASE),
        standfirst_verb=re.compile(rf"(?<=\s)(?:{_alternation(byline['standfirst_verbs'])})(?=[\s.,:]|$)"),
        author_separator=re.compile(rf"\s*(?:,\s*(?:{_alternation(byline['conjunctions'])})\s+|\s+(?:{_alternation(byline['conjunctions'])})\s+)\s*"),
        not_name_words=frozenset(byline["not_name_words"]),
        name_particles=frozenset(byline["name_particles"]),
        roles=frozenset(byline["roles"]),
        date_prefix=re.compile(rf"^(?:{_alternation(date['prefixes'])})\b\s*:?\s*", re.IGNORECASE),
        updated_prefix=re.compile(rf"^(?:{_alternation(date['updated_prefixes'])})\b", re.IGNORECASE),
        date_words=frozenset(date["months"] + date["weekdays"] + date["fillers"]),
        month_words=frozenset(date["months"]),
        byline_links=frozenset(byline["dated_byline_links"]),
        day_first_languages=frozenset(date["day_first_languages"]),
        issue_line=re.compile(rf"^(?:[\w'’-]+\s+){{0,2}}?(?:{_alternation(issue['issue_labels'])})\s*:?\s*{number}$", re.IGNORECASE),
        volume_line=re.compile(
            rf"^(?:{_alternation(issue['volume_labels'])})\s*:?\s*(\d+|[ivxlc]+)\s*(?:[,;.]\s*(?:{_alternation(issue['issue_labels'])})\s*:?\s*{number})?$",
            re.IGNORECASE,
        ),
        ordinal_volume=re.compile(rf"^(\d+)\.?\s*(?:{_alternation(issue['ordinal_volume_labels'])})$", re.IGNORECASE),
        published_in=re.compile(rf"^(?:{_alternation(issue['published_in'])})\s+(\S.{{0,60}})$", re.IGNORECASE),
        reading_time=re.compile(rf"^\d+\s*(?:{_alternation(issue['reading_time_units'])})\.?(?:\s+(?:{_alternation(issue['reading_time_words'])}))?$", re.IGNORECASE),
        metadata_separator=re.compile(r"\s+[·•|]\s+|\s+[–—]\s+"),
        publication_words=frozenset(word.lower() for word in words["publication"]["words"]),
        speech_verb=re.compile(rf"\b(?:{_alternation(structure['speech_verbs'])})\b", re.IGNORECASE),
        reader_address=re.compile(rf"(?<![\w'’-])(?:{_alternation(structure['reader_address'])})(?![\w'’-])"),
        opening_quotes=tuple(structure["opening_quotes"]),
        closing_quotes=tuple(structure["closing_quotes"]),
        attribution=re.compile(rf"^(?:{dashes})\s*(\S.*)$"),
        bullet_item=re.compile(rf"^(?:{_alternation(structure['bullets'])})\s+(\S.*)$"),
        numbered_item=re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s+(\S.*)$|^\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s+(\S.*)$"),
        section_break=re.compile(rf"^(?:[{re.escape(''.join(structure['section_break_characters']))}]\s*){{3,}}$"),
        title_separator=re.compile(r"\s+(?:[-–—|:·•»]|::|//)\s+"),
        copyright_holder=re.compile(
            r"(?:©|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?:copyright\s+)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?[,.]?\s*)?(?:by\s+)?"
            r"(?P<holder>[^\W\d_][^|©]{0,60}?)\s*(?:[-,]?\s*\b(?:19|20)\d\d\b)?\s*(?:$|[.|]\s|\.$|\s[-–]\s|,?\s*all rights|,\s*(?:a|an)\s)",
            re.IGNORECASE,
        ),
        corporate_words=frozenset(publication["corporate_words"]),
        site_name_particles=frozenset(publication["name_particles"] + byline["name_particles"]),
        trailing_agency=re.compile(rf"^(.+?\S)\s+({_alternation(publication['news_agencies'])})$", re.IGNORECASE),
        section_words=frozenset(words["navigation"]["section_words"]),
        action_words=frozenset(words["navigation"]["action_words"]),
        byline_tail=re.compile(r"\s+[|·•–—-]\s+|\s+[|·•]|\s*@\w|\s+\S*\d"),
        late_byline=re.compile(rf"\d\S*(?:\s+\S+){{0,3}}?\s+(?:[|·•–—-]\s+)?(?:{_alternation(byline['dated_byline_links'])})\s+(\S.*)$", re.IGNORECASE),
        role_words=frozenset(word for role in byline["roles"] + byline["role_words"] for word in role.split()),
        not_author_words=frozenset(byline["not_author_words"]),
        site_call=re.compile(rf"^(?:{_alternation(words['publication']['site_calls'])})\s+(\S.*)$"),
        site_call_tails=frozenset(words["publication"]["site_call_tails"]),
        credit_words=frozenset(byline["credit_labels"] + byline["credit_words"]),
        credit_line=re.compile(rf"^(?:{_alternation(byline['credit_labels'])})\s*:\s*\S", re.IGNORECASE),
        other_credit=re.compile(rf"[.;,]\s+(?:{_alternation(byline['credit_labels'])})\s*:\s+\S.*$", re.IGNORECASE),
        news_agency=re.compile(rf"^(?:{_alternation(publication['news_agencies'])})$", re.IGNORECASE),
    )


@dataclass(frozen=True)
class EvidenceConfidence:
    """How sure each kind of metadata evidence is, and the threshold below which a field is not
    found (lexicon.toml's [confidence] table, where each number is explained)."""

    threshold: float
    weights: Mapping[str, float]

    def of(self, evidence: str) -> float:
        return self.weights[evidence]


@lru_cache(maxsize=1)
def evidence_confidence() -> EvidenceConfidence:
    table = dict(lexicon()["confidence"])
    threshold = float(table.pop("threshold"))
    return EvidenceConfidence(threshold, {name: float(value) for name, value in table.items()})


@dataclass(frozen=True)
class TextShapes:
    """Shapes of text the stages recognise whatever the language: years, numbering, capitals."""

    year: re.Pattern[str]
    numeric_date: re.Pattern[str]
    word: re.Pattern[str]  # a run of letters
    unfinished_end: re.Pattern[str]  # a line ending like a clause, not like a name
    sentence_inside: re.Pattern[str]  # a sentence boundary within a line
    numbered_heading: re.Pattern[str]  # "2.1 Sources", "II. The archive"
    caps_lead_in: re.Pattern[str]  # "WHO WAS Stalin ...": words in capitals opening a paragraph, before a word in lower case or capitalised
    speaker_turn: re.Pattern[str]  # "PRIYA: ..." in a transcript
    place_before_date: re.Pattern[str]  # "Paris, le 12 mars 2025": a dateline's place
    iso_timestamp: re.Pattern[str]  # "2019-11-18T20:51:19Z": group 1 the date


CAPITAL = "A-ZÀ-ÖØ-Þ"
SHAPES = TextShapes(
    year=re.compile(r"\b(1[5-9]\d\d|20\d\d)\b"),
    numeric_date=re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b"),
    word=re.compile(r"[^\W\d_]+"),
    unfinished_end=re.compile(r"[.!?…:;,]$"),
    sentence_inside=re.compile(rf"[.!?]\s+[{CAPITAL}]"),
    numbered_heading=re.compile(r"^((?:\d{1,2}\.)*\d{1,2})\.?\s+(\S.*)$|^([IVXLC]{1,6})\.(?:\s+(\S.*))?$"),
    caps_lead_in=re.compile(
        rf"^[\"“'‘]?((?:[{CAPITAL}][{CAPITAL}’'.-]*\s+){{0,4}}[{CAPITAL}]{{2,}}[{CAPITAL}’'.-]*)(?=\s+[{CAPITAL}]?[a-zß-öø-ÿ0-9(\"“‘'])"
    ),
    speaker_turn=re.compile(rf"^[{CAPITAL}][{CAPITAL} .'-]{{1,30}}:\s"),
    place_before_date=re.compile(rf"^[{CAPITAL}][\w'’.-]*(?:[ -][{CAPITAL}][\w'’.-]*){{0,3}},\s+(\S.*)$"),
    iso_timestamp=re.compile(r"\b(\d{4}-\d\d-\d\d)T\d\d:\d\d"),
)


@dataclass(frozen=True)
class LayoutShapes:
    """The marks scrapers leave in plain text (bullets, Markdown headings, emphasis, links), for layout.py.

    Line shapes match a line's body, its indentation already stripped; the inline shapes run over
    a whole logical line. The multi-line shapes let the layout stage weigh a file's evidence with
    the regex engine, without a Python loop over every line.
    """

    bullet_characters: str  # the characters a bullet may be: a cheap test before the regex
    outline_bullet_characters: str
    block_characters: str  # the characters a bullet, heading, quote, numbered item or table row opens with
    bullet: re.Pattern[str]  # "* item", "+ item", "- item", "• item": group 1 the item
    outline_bullet: re.Pattern[str]  # the same, plus inscriptis's "o item"
    heading: re.Pattern[str]  # "## Title ##": group 1 the marks, group 2 the title
    quote: re.Pattern[str]  # "> " (or ">" alone) opening a Markdown block quotation
    numbered_item: re.Pattern[str]  # "1. item", "2) item": never a wrapped line's continuation
    rule_line: re.Pattern[str]  # "* * *", "- - -", "___": a horizontal rule, not a list item
    image: re.Pattern[str]  # ![alt](src)
    link: re.Pattern[str]  # [text](url "title"): group 1 the text
    autolink: re.Pattern[str]  # <https://example.org>: group 1 the address
    strong: re.Pattern[str]  # **x** or __x__: group 2 the text
    stray_strong: re.Pattern[str]  # a ** or __ left alone (an empty icon element, a broken pair)
    emphasis: re.Pattern[str]  # _x_ or *x*: group 2 the text
    escape: re.Pattern[str]  # \- \. \* ...: group 1 the character
    inline_hint: re.Pattern[str]  # any character an inline mark starts with: skip lines without
    heading_lines: re.Pattern[str]  # (whole file) a Markdown heading at the start of a line
    strong_pairs: re.Pattern[str]  # (whole file) a **bold** or __bold__ pair within one line
    link_marks: re.Pattern[str]  # (whole file) the "](url)" of a link or an image
    indented_lines: re.Pattern[str]  # (whole file) a line that holds text after indentation
    text_lines: re.Pattern[str]  # (whole file) a line that holds text
    long_lines: re.Pattern[str]  # (whole file) a line of 30 characters or more at the margin: group 1


@lru_cache(maxsize=1)
def layout_shapes() -> LayoutShapes:
    layout = lexicon()["layout"]
    bullets = re.escape("".join(layout["bullets"]))
    outline_bullets = re.escape("".join(layout["bullets"] + layout["outline_bullets"]))
    escapable = re.escape("".join(layout["escapable"]))
    return LayoutShapes(
        bullet_characters="".join(layout["bullets"]),
        outline_bullet_characters="".join(layout["bullets"] + layout["outline_bullets"]),
        block_characters="".join(layout["bullets"]) + "#>|0123456789",
        bullet=re.compile(rf"[{bullets}][ \t]+(\S.*)$"),
        outline_bullet=re.compile(rf"[{outline_bullets}][ \t]+(\S.*)$"),
        heading=re.compile(r"(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$"),
        quote=re.compile(r">(?:[ \t]|$)"),
        numbered_item=re.compile(r"\d{1,3}[.)][ \t]"),
        rule_line=re.compile(r"(?:[*_-][ \t]*){3,}$"),
        image=re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"),
        link=re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"\n]*\")?\)"),
        autolink=re.compile(r"<((?:https?|ftp)://[^>\s]+|mailto:[^>\s]+)>"),
        strong=re.compile(r"(?<![*_])(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*_])"),
        stray_strong=re.compile(r"(?<![*_])(?:(?<!\w)(?:\*\*|__)|(?:\*\*|__)(?!\w))(?![*_])"),
        emphasis=re.compile(r"(?<![\w*])(\*|_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])"),
        escape=re.compile(rf"\\([{escapable}])"),
        inline_hint=re.compile(r"[*_\[\]\\<!]"),
        # The whole-file shapes start with a newline, a literal the regex engine scans for fast;
        # layout.py matches them against the text with a newline put before it.
        heading_lines=re.compile(r"\n[ \t]*(?:[*+-][ \t]+)?#{1,6}[ \t]+\S"),
        strong_pairs=re.compile(r"(?:\*\*|__)[^\s*_][^\n]*?[^\s*_](?:\*\*|__)(?![*_])"),
        link_marks=re.compile(r"\]\([^)\s]*\)"),
        indented_lines=re.compile(r"\n[^\S\n]+\S"),
        text_lines=re.compile(r"\n[^\S\n]*\S"),
        long_lines=re.compile(r"\n(\S[^\n]{29,})"),
    )


@dataclass(frozen=True)
class FeatureShapes:
    """Shapes the line labeller's features test for (labeller/features.py)."""

    word: re.Pattern[str]  # a run of letters
    sentence_inside: re.Pattern[str]  # a sentence boundary within a line
    separator: re.Pattern[str]  # menu and metadata separators: "News | Sport", "5 min · Share"
    web_address: re.Pattern[str]
    copyright: re.Pattern[str]
    year: re.Pattern[str]
    clock: re.Pattern[str]  # "10:45", "10.45 am"


FEATURE_SHAPES = FeatureShapes(
    word=SHAPES.word,
    sentence_inside=SHAPES.sentence_inside,
    separator=re.compile(r"\s[|·•/»›>]\s|\s[|·•]|[|·•]\s"),
    web_address=re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|co\.uk|de|fr|ru|id|kr|jp|it|pt|br)\b|@\w", re.IGNORECASE),
    copyright=re.compile(r"©|\(c\)\s*\d{4}|copyright|all rights reserved", re.IGNORECASE),
    year=SHAPES.year,
    clock=re.compile(r"\b\d{1,2}[:.]\d{2}\b(?:\s*[ap]\.?m\.?)?", re.IGNORECASE),
)
