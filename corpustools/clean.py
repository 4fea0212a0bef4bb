"""text lines -> kept lines + removals: the labeller's decision applied, every removal explained.

`apply_labels` is the decision: a line the line labeller labels boilerplate (B) or metadata (M)
leaves the text, unless a user's rule forces it out first. The rule layers below no longer
decide; `propose_removals` gives their proposal to the labeller as a feature:

1. rules: the rule library (rules/boilerplate/*.toml) marks lines strong or weak;
2. metadata: lines that only carry metadata (found by metadata.find_header_lines) leave the text;
3. corpus: lines recurring across articles of the same source are site boilerplate;
4. structure: a strong line pulls in its weak neighbours (a donation appeal is a block), and
   short fragments stranded between removed lines in the head and tail zones go with them;
5. protection: well-formed sentences that speak about third persons are never pulled in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from .corpus import LineCounts
from .labeller import LabelledLine
from .metadata import is_person_name, is_substantive, zones
from .model import Category, CleanResult, Layer, Line, LineLabel, Removal
from .rules import BoilerplateRule, RuleSet, Strength, lexicon_patterns

# The labeller removes a line only when it is fairly sure the line is not article text: losing
# a line of the article is worse than keeping a menu item. Chosen on the cross-validated folds
# (labeller/MODEL_CARD.md). With the first stage alone, 0.1 (from 0.3 to 0.1 the pages' mean F1
# stayed at 0.88-0.89 while recall rose from 0.90 to 0.93). The text probability is now the mean
# of the two stages': at 0.25 / 0.3 the pages' mean F1 is 0.903 / 0.905, the corpora's content
# kept 0.986 / 0.984 and their boilerplate removed 0.990 / 0.992.
KEEP_FROM_TEXT_PROBABILITY = 0.3
SHORT_FRAGMENT = 8  # words: the longest stranded line the structure layer removes
SENTENCE_WORDS = 8  # words: from this length a sentence can be protected
LEADS_INTO_WORDS = 8  # words: a following line this long is article prose


def split_lines(text: str) -> list[Line]:
    return [Line(number, text) for number, text in enumerate(text.split("\n"), start=1)]


def match_rules(lines: Sequence[Line], ruleset: RuleSet) -> dict[int, BoilerplateRule]:
    """Layer 1: the first rule matching each line (user rules come first in the rule set)."""
    matches: dict[int, BoilerplateRule] = {}
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        rule = ruleset.first_match(text, len(text.split()))
        if rule is not None:
            matches[line.number] = rule
    return matches


def apply_labels(
    lines: Sequence[Line],
    labelled: Mapping[int, LabelledLine],
    proposal: CleanResult,
    forced: Mapping[int, BoilerplateRule],
    claimed: Collection[int] = (),
) -> CleanResult:
    """Keep the lines the labeller labels as text; remove the others, each with its reason.

    A user's rule (`forced`) removes its line whatever the labeller says: it is the user's
    override. A removal names the rule layer that proposed it, when one did, so that the
    explanation says which rule fired as well as how sure the model was.
    """
    proposed = {removal.line: removal for removal in proposal.removals}
    removed: dict[int, Removal] = {}
    for line in lines:
        rule = forced.get(line.number)
        decision = labelled.get(line.number)
        if rule is not None:
            removed[line.number] = Removal(line.number, line.text, Layer.RULE, rule.id, rule.category)
        elif decision is None:
            if line.number in proposed:  # a blank line of invisible characters
                removed[line.number] = proposed[line.number]
        elif not is_kept(decision):
            earlier = proposed.get(line.number)
            metadata = decision.label == LineLabel.METADATA
            default = (Category.METADATA, "labeller.metadata") if metadata else (Category.BOILERPLATE, "labeller.boilerplate")
            category, rule_id = (earlier.category, earlier.rule) if earlier else default
            removed[line.number] = Removal(
                line.number, line.text, Layer.LABELLER, rule_id, category, decision.label.value, decision.probability
            )
    kept = tuple(line for line in lines if line.number not in removed)
    if not _has_body(kept, claimed, labelled) and _has_body(proposal.kept, claimed):
        # The guard rail: the model took every line of the body for boilerplate (a very short
        # article, a shape it never saw). Emptying an article is the one loss that cannot be
        # right, so the rule layers' decisions stand, and the log says so.
        removed = {number: removal for number, removal in removed.items() if removal.layer != Layer.LABELLER}
        for removal in proposal.removals:
            removed.setdefault(removal.line, removal)
        kept = tuple(line for line in lines if line.number not in removed)
        warnings: tuple[str, ...] = (WHOLE_BODY_WARNING,)
    else:
        warnings = ()
    return CleanResult(kept=kept, removals=tuple(removed[number] for number in sorted(removed)), warnings=warnings)


def is_kept(decision: LabelledLine) -> bool:
    """The labeller's decision on its own: a line labelled as text, or one the model does not
    rule out as text, stays (the evaluation asks this too, so it measures what clean does)."""
    return decision.label.is_text or decision.text_probability >= KEEP_FROM_TEXT_PROBABILITY


WHOLE_BODY_WARNING = "the labeller took the whole body for boilerplate; the rule layers' decisions were kept"


FRONT_LABELS = frozenset({LineLabel.TITLE, LineLabel.STANDFIRST, LineLabel.BYLINE, LineLabel.EPIGRAPH})


def is_body_line(claimed: bool, label: LineLabel | None) -> bool:
    """A line of the article's body: not a header line (title, byline, date) the header finder
    claimed, and not front matter by the labeller's label (None: no label to go by)."""
    return not claimed and label not in FRONT_LABELS


def _has_body(kept: Sequence[Line], claimed: Collection[int], labelled: Mapping[int, LabelledLine] | None = None) -> bool:
    labelled = labelled or {}
    return any(
        line.text.strip() and is_body_line(line.number in claimed, labelled[line.number].label if line.number in labelled else None)
        for line in kept
    )


def strong_lines(matches: Mapping[int, BoilerplateRule]) -> set[int]:
    return {number for number, rule in matches.items() if rule.strength == Strength.STRONG}


def is_protected(text: str) -> bool:
    """Article prose about third persons: a full sentence that does not address the reader."""
    words = text.split()
    return (
        len(words) >= SENTENCE_WORDS
        and text.rstrip()[-1:] in ".!?…\"”’»)"
        and lexicon_patterns().reader_address.search(text) is None
    )


def propose_removals(
    lines: Sequence[Line],
    ruleset: RuleSet,
    matches: Mapping[int, BoilerplateRule],
    claimed: Mapping[int, str],
    counts: LineCounts | None = None,
    source: str = "",
) -> CleanResult:
    """What the rule layers would remove, each line with its reason: the labeller's features.

    The labeller decides (`apply_labels`); these proposals tell it which rule fired and which
    layer (metadata, corpus, structure) would have removed the line, and when the model would
    empty an article, they are the guard rail's decision.
    """
    removed: dict[int, Removal] = {}
    weak: dict[int, BoilerplateRule] = {}
    for line in lines:
        text = line.text.strip()
        if not text:
            if line.text:
                removed[line.number] = Removal(
                    line.number, line.text, Layer.WHITESPACE, "whitespace.invisible", Category.INVISIBLE
                )
            continue
        if line.number in claimed:
            removed[line.number] = Removal(line.number, line.text, Layer.METADATA, claimed[line.number], Category.METADATA)
            continue
        rule = matches.get(line.number)
        if rule is not None and rule.strength == Strength.STRONG:
            removed[line.number] = Removal(line.number, line.text, Layer.RULE, rule.id, rule.category)
        elif rule is not None:
            weak[line.number] = rule

    by_number = {line.number: line for line in lines}
    nonblank = [line.number for line in lines if line.text.strip()]
    neighbours = _neighbours(nonblank)

    if counts is not None:
        _corpus_layer(lines, removed, neighbours, counts, source, ruleset.corpus_min_articles)

    first_text, last_text = zones(lines, removed.keys() | weak.keys())
    changed = True
    while changed:
        changed = False
        for number in nonblank:
            if number in removed:
                continue
            above, below = neighbours[number]
            text = by_number[number].text.strip()
            rule = weak.get(number)
            if rule is not None and _pulled_in(rule, removed, number, above, below) and (rule.overrides_protection or not is_protected(text)):
                removed[number] = Removal(number, by_number[number].text, Layer.STRUCTURE, f"structure.block ({rule.id})", rule.category)
                changed = True
            elif _is_stranded(number, text, above, below, removed, first_text, last_text):
                anchor = removed[above] if above in removed else removed[below]
                removed[number] = Removal(number, by_number[number].text, Layer.STRUCTURE, "structure.stranded-fragment", anchor.category)
                changed = True

    _link_lists(lines, matches, removed)
    _after_end_marker(lines, matches, removed)
    _comment_threads(lines, removed, nonblank)
    _kickers(lines, removed, nonblank, first_text)
    kept = tuple(line for line in lines if line.number not in removed)
    return CleanResult(kept=kept, removals=tuple(removed[number] for number in sorted(removed)))


LONGEST_COMMENT_THREAD = 16  # non-blank lines between two comment-form lines
LONGEST_KICKER = 3  # words


LONGEST_LINK = 18  # words


def _after_end_marker(lines: Sequence[Line], matches: Mapping[int, BoilerplateRule], removed: dict[int, Removal]) -> None:
    """After an end marker in the second half of the text ('Ends'), nothing is article text."""
    markers = [number for number, rule in matches.items() if rule.ends_article and number > len(lines) // 2]
    if not markers:
        return
    marker = removed[markers[0]]
    for line in lines[markers[0] :]:
        if line.text.strip() and line.number not in removed:
            removed[line.number] = Removal(line.number, line.text, Layer.STRUCTURE, f"structure.after-end-marker ({marker.rule})", marker.category)


def _link_lists(lines: Sequence[Line], matches: Mapping[int, BoilerplateRule], removed: dict[int, Removal]) -> None:
    """Headlines listed under a 'Related articles' / 'Lesen Sie auch:' label, up to a blank line."""
    for line in lines:
        rule = matches.get(line.number)
        label = removed.get(line.number)
        text = line.text.strip()
        if rule is None or not rule.starts_list or label is None or label.layer != Layer.RULE:
            continue
        if ":" in text.rstrip(":"):
            continue  # "Read more: <headline>" is a one-line item, not a list label
        number = line.number + 1
        while number <= len(lines):
            text = lines[number - 1].text.strip()
            if not text or number in removed and removed[number].layer == Layer.METADATA:
                break
            if number not in removed:
                if not _is_link_like(text):
                    break
                removed[number] = Removal(number, lines[number - 1].text, Layer.STRUCTURE, f"structure.link-list ({label.rule})", label.category)
            number += 1


def _is_link_like(text: str) -> bool:
    """A headline or link text: short, and not a finished sentence."""
    return len(text.split()) <= LONGEST_LINK and text[-1] not in ".;,:"


def _comment_threads(lines: Sequence[Line], removed: dict[int, Removal], nonblank: Sequence[int]) -> None:
    """Readers' comments sit between comment-form lines ('3 comments' ... 'Log in to reply')."""
    markers = [index for index, number in enumerate(nonblank) if number in removed and removed[number].category == Category.COMMENTS and removed[number].layer == Layer.RULE]
    for start, end in zip(markers, markers[1:]):
        if 1 < end - start <= LONGEST_COMMENT_THREAD:
            for number in nonblank[start + 1 : end]:
                if number not in removed:
                    removed[number] = Removal(number, lines[number - 1].text, Layer.STRUCTURE, "structure.comment-thread", Category.COMMENTS)


def _kickers(lines: Sequence[Line], removed: dict[int, Removal], nonblank: Sequence[int], first_text: int) -> None:
    """A one-to-three-word section label above the title ('Technology', 'Guest post').

    Only below site furniture that was removed: a text that opens with a short title followed
    by a longer standfirst has no kicker (and cleaning a cleaned text removes nothing more).
    """
    kept = [number for number in nonblank if number not in removed and number < first_text]
    for number, following in zip(kept, kept[1:]):
        text, title = lines[number - 1].text.strip(), lines[following - 1].text.strip()
        if (
            any(earlier in removed for earlier in nonblank if earlier < number)
            and
            len(text.split()) <= LONGEST_KICKER
            and text[-1] not in ".!?:;,"
            and len(title.split()) > len(text.split()) + 2
            and title[-1] not in ".:;,"
            and not is_substantive(title)
        ):
            removed[number] = Removal(number, lines[number - 1].text, Layer.STRUCTURE, "structure.kicker", Category.NAVIGATION)
        break


def _pulled_in(rule: BoilerplateRule, removed: Mapping[int, Removal], number: int, above: int, below: int) -> bool:
    """A weak line goes when a neighbour was removed for the same kind of boilerplate.

    Not when the line is set directly against kept text (no blank line between): then it is the
    last item of a list or the end of a paragraph block, and belongs with the text.
    """
    for neighbour in (above, below):
        kept = neighbour and neighbour not in removed
        if kept and abs(neighbour - number) == 1:
            return False
    return any(
        neighbour in removed and removed[neighbour].category == rule.category for neighbour in (above, below)
    )


def _neighbours(nonblank: Sequence[int]) -> dict[int, tuple[int, int]]:
    """For each non-blank line, the nearest non-blank line above and below (0 = none)."""
    result: dict[int, tuple[int, int]] = {}
    for index, number in enumerate(nonblank):
        above = nonblank[index - 1] if index > 0 else 0
        below = nonblank[index + 1] if index + 1 < len(nonblank) else 0
        result[number] = (above, below)
    return result


def _is_stranded(
    number: int, text: str, above: int, below: int, removed: Mapping[int, Removal], first_text: int, last_text: int
) -> bool:
    """A short non-sentence line in the tail zone with removed lines around it (or the end)."""
    if number <= last_text or len(text.split()) > SHORT_FRAGMENT or is_protected(text):
        return False
    above_removed = above in removed and removed[above].layer != Layer.METADATA
    below_removed = below == 0 or (below in removed and removed[below].layer != Layer.METADATA)
    return above_removed and below_removed


def _corpus_layer(
    lines: Sequence[Line],
    removed: dict[int, Removal],
    neighbours: Mapping[int, tuple[int, int]],
    counts: LineCounts,
    source: str,
    min_articles: int,
) -> None:
    """Layer 3: lines recurring in at least `min_articles` articles of the source.

    A recurring line embedded in article text (prose on both sides, e.g. a standard
    sub-heading like "1. Introduction") is left to the other layers.
    """
    candidates = {
        line.number
        for line in lines
        if line.text.strip() and line.number not in removed and counts.count(source, line.text) >= min_articles
    }
    gone = {number for number, removal in removed.items() if removal.layer != Layer.METADATA} | candidates
    for number in sorted(candidates):
        text = lines[number - 1].text.strip()
        below = neighbours[number][1]
        while below and below in removed and removed[below].layer == Layer.METADATA:
            below = neighbours[below][1]  # a date line between title and byline says nothing
        if _leads_into_text(lines, below, gone) or _names_a_person(text):
            continue
        removed[number] = Removal(number, lines[number - 1].text, Layer.CORPUS, "corpus.recurring-line", Category.SITE)


def _leads_into_text(lines: Sequence[Line], below: int, gone: Collection[int]) -> bool:
    """A recurring line followed by article prose or a byline is a heading or a title, not a footer.

    (A standard sub-heading recurs across a site's articles, and an article's title recurs in
    the related-article lists of the others.)
    """
    if not below or below in gone:
        return False
    text = lines[below - 1].text.strip()
    return len(text.split()) >= LEADS_INTO_WORDS or bool(lexicon_patterns().byline.match(text)) or _names_a_person(text)


def _names_a_person(text: str) -> bool:
    """Bylines and signatures recur on a one-author site, and are still article text."""
    patterns = lexicon_patterns()
    signature = patterns.attribution.match(text)
    name = (signature.group(1) if signature else text).split(",")[0]
    return bool(patterns.byline.match(text)) or (is_person_name(name) and (bool(signature) or " " in name))


