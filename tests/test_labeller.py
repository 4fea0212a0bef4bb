"""The line labeller: features, the gold alignment (checked on pages read by hand), the model's
rebuild, and the guard rails around its decisions."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from paths import CORPUS, ROOT

from corpustools.cli import main
from corpustools.labeller.align import align_labels
from corpustools.labeller.features import LineEvidence, features_of
from corpustools.labeller.gbm import label_vectors, loaded, weighed_features
from corpustools.labeller.stacking import stacked_features
from corpustools.labeller.training import OutOfFold, labelled_sequences, train, training_mix
from corpustools.model import LineLabel
from corpustools.pipeline import clean_text

PAGES = ROOT.parent / "shared" / "aeb-dev"  # third-party pages: read where they are, never copied


def page(page_id: str, layout: str = "html-text") -> tuple[list[str], str, dict]:
    gold = json.loads((PAGES / "gold.json").read_text("utf-8"))[page_id]
    meta = json.loads((PAGES / "meta.json").read_text("utf-8"))[page_id]
    lines = [line.strip() for line in (PAGES / layout / "raw" / f"{page_id}.txt").read_text("utf-8").split("\n") if line.strip()]
    return lines, gold, meta


# ---------------------------------------------------------------- features


def test_a_page_without_prose_has_no_lines_far_from_it() -> None:
    vectors = features_of([LineEvidence("A title"), LineEvidence("A short paragraph.")])
    assert all("zone=none" in vector and not any(name.startswith("dist=") for name in vector) for vector in vectors)


def test_a_menu_is_a_run_of_short_lines_and_prose_bounds_the_zones() -> None:
    prose = "The council met on Tuesday evening and argued for three hours about the budget for the coming year."
    lines = [LineEvidence(text) for text in ("Home", "News", "Sport", prose, "Contact us")]
    vectors = features_of(lines, "en")
    assert "run=3" in vectors[0] and "run=3" in vectors[2]  # three short lines in a row: bucket (2, 4]
    assert "zone=before" in vectors[0] and "zone=inside" in vectors[3] and "zone=after" in vectors[4]
    assert "1:edge" in vectors[4] and "-1:edge" in vectors[0]


def test_a_line_the_page_repeats_is_marked_first_and_later() -> None:
    vectors = features_of([LineEvidence("Teaser line"), LineEvidence("Other"), LineEvidence("Teaser line")])
    assert "repeated=first" in vectors[0] and "repeated=later" in vectors[2] and not any(k.startswith("repeated") for k in vectors[1])


def test_the_second_stage_places_each_line_relative_to_the_article_the_first_predicts() -> None:
    # A menu, three paragraphs the first stage reads as text, then a comment thread it half keeps.
    text = [0.05, 0.1, 0.95, 0.9, 0.97, 0.2, 0.3, 0.1]
    words = [1, 2, 40, 30, 50, 3, 12, 2]
    vectors = stacked_features(text, words)
    zones = [next(name for name in vector if name.startswith("s2:zone=")) for vector in vectors]
    assert zones == ["s2:zone=before"] * 2 + ["s2:zone=inside"] * 3 + ["s2:zone=after"] * 3
    assert vectors[0]["s2:tostart"] == 2 and vectors[7]["s2:fromend"] == 3 and vectors[7]["s2:fromendw"] == 15
    expected = [p * w for p, w in zip(text, words)]
    assert abs(vectors[4]["s2:after"] - sum(expected[5:]) / sum(expected)) < 1e-9  # little text follows the article
    assert vectors[1]["s2:later"] == 120 and vectors[4]["s2:later"] == 0  # the article's run of text lines, below line 1 only
    assert "s2:p-1" not in vectors[0] and vectors[3]["s2:p+1"] == 0.97


def test_the_second_stage_learns_from_first_stage_probabilities_of_held_out_folds() -> None:
    sequences = [sequence for sequence in labelled_sequences(CORPUS / "seeds") if not sequence.variant]
    out_of_fold = OutOfFold(training_mix(sequences, []))
    assert len(out_of_fold.used()) == 3  # three sites, three folds
    for fold in out_of_fold.used():
        held = out_of_fold.without(frozenset({fold}))
        assert held and all(out_of_fold.fold[name] == fold for name in held)  # each model labels only what it never saw
    assert out_of_fold.second_stage_for(frozenset()) is not None
    assert out_of_fold.second_stage_for(frozenset(out_of_fold.used()[:2])) is None  # one fold left: nothing held out to learn from


# ---------------------------------------------------------------- alignment, on pages read by hand


def test_alignment_of_a_news_page_read_by_hand() -> None:
    # Read by hand (html-text layout of a Detroit News page): the headline above the article is
    # the title, the agency byline the byline, the photo caption and credit and the footer are
    # not in the gold body; every paragraph of the story is.
    lines, gold, meta = page("aeb-7de5241947a5")
    labels = dict(zip(lines, align_labels(lines, gold, meta)))
    assert labels["Thousands of teachers pack Indiana Statehouse for protest"] == LineLabel.TITLE
    assert labels["Tom Davies Associated Press"] == LineLabel.BYLINE
    assert labels["Michael Conroy, AP"] == LineLabel.BOILERPLATE
    assert labels["Terms of Service Privacy Notice"] == LineLabel.BOILERPLATE
    assert labels["Other teacher protests were held last year in West Virginia, Oklahoma and Arizona."] == LineLabel.PARAGRAPH
    assert labels["“We get that you’re frustrated,” Bosma said. “We get that you are concerned about issues.”"] == LineLabel.PARAGRAPH
    caption = next(line for line in lines if line.startswith("Indiana teachers wearing red have carry signs"))
    assert labels[caption] == LineLabel.BOILERPLATE
    assert lines[0] == lines[3] and labels[lines[0]] == LineLabel.TITLE  # the page-title line is the same text


def test_alignment_keeps_a_short_heading_inside_the_body() -> None:
    gold = "The first paragraph says what happened on the day.\n\nWhat next\n\nThe second paragraph says what comes after it."
    lines = ["Menu", "The first paragraph says what happened on the day.", "What next", "The second paragraph says what comes after it.", "Share"]
    assert align_labels(lines, gold) == [LineLabel.BOILERPLATE, LineLabel.PARAGRAPH, LineLabel.HEADING, LineLabel.PARAGRAPH, LineLabel.BOILERPLATE]


# ---------------------------------------------------------------- training


def test_training_gives_the_same_bytes_for_the_same_data(tmp_path: Path) -> None:
    sequences = labelled_sequences(CORPUS / "seeds")
    train(training_mix(sequences, []), tmp_path / "a.lgb.gz")
    train(training_mix(sequences, []), tmp_path / "b.lgb.gz")
    assert (tmp_path / "a.lgb.gz").read_bytes() == (tmp_path / "b.lgb.gz").read_bytes()
    assert {sequence.variant for sequence in sequences} == {"", "bare", "short", "body"}


def test_a_model_trained_on_a_corpus_labels_its_lines_and_explains_them(tmp_path: Path) -> None:
    sequences = [sequence for sequence in labelled_sequences(CORPUS / "seeds")]
    train(training_mix(sequences, []), tmp_path / "m.lgb.gz")
    article = next(sequence for sequence in sequences if not sequence.variant)
    results = label_vectors(article.vectors, [len(text.split()) for text in article.texts], tmp_path / "m.lgb.gz")
    assert len(results) == len(article.labels)
    assert all(0.0 <= result.text_probability <= 1.0 and 0.0 < result.probability <= 1.0 for result in results)
    right = sum(result.label == label for result, label in zip(results, article.labels))
    assert right / len(results) > 0.9  # in-sample: a check that labelling works, not a measure
    assert loaded(tmp_path / "m.lgb.gz").second is not None  # both stages in the file
    weighed = weighed_features(article.vectors[0], results[0].label, tmp_path / "m.lgb.gz")
    assert weighed and all(name in article.vectors[0] for name, _weight in weighed)


def test_the_clean_variants_of_an_article_hold_only_its_text_lines() -> None:
    sequences = labelled_sequences(CORPUS / "seeds")
    bare = [sequence for sequence in sequences if sequence.variant == "bare"]
    assert bare and all(label.is_text for sequence in bare for label in sequence.labels)
    short = [sequence for sequence in sequences if sequence.variant == "short"]
    assert all(len(sequence.labels) <= 3 for sequence in short)


# ---------------------------------------------------------------- guard rails


def test_an_article_is_never_emptied_by_the_labeller() -> None:
    from corpustools.clean import WHOLE_BODY_WARNING, apply_labels, match_rules, propose_removals, split_lines
    from corpustools.labeller.gbm import LabelledLine
    from corpustools.rules import UserConfig, ruleset_for

    lines = split_lines("Title\n\nA paragraph about the café.\n\nShare this article\n")
    ruleset = ruleset_for(UserConfig())
    matches = match_rules(lines, ruleset)
    proposal = propose_removals(lines, ruleset, matches, {})
    sure_it_is_all_boilerplate = {line.number: LabelledLine(LineLabel.BOILERPLATE, 0.99, 0.01) for line in lines if line.text}
    result = apply_labels(lines, sure_it_is_all_boilerplate, proposal, {})
    assert [line.text for line in result.kept if line.text] == ["Title", "A paragraph about the café."]
    assert result.warnings == (WHOLE_BODY_WARNING,)
    assert [removal.rule for removal in result.removals] == ["sharing.share"]  # the rule layers' decision
    document = clean_text("Title\n\nA paragraph about the café.\n")  # the whole pipeline, model or guard
    assert "A paragraph about the café." in [line for section in document.sections for block in section.blocks for line in block.lines]


def test_a_user_rule_forces_its_line_out_whatever_the_model_says(tmp_path: Path) -> None:
    from corpustools.rules import ruleset_for, user_config_from_table

    prose = "The council met on Tuesday evening and argued for three hours about the budget for the coming year."
    text = f"A headline about the council\n\n{prose}\n\nThe mayor said the vote would come next month, after the summer break.\n"
    assert not clean_text(text).removals
    config = user_config_from_table({"rule": [{"id": "mine.mayor", "category": "site", "pattern": "^The mayor said"}]}, "test")
    removals = clean_text(text, ruleset=ruleset_for(config)).removals
    assert [(removal.rule, removal.layer.value) for removal in removals] == [("mine.mayor", "rule")]


def test_two_copies_of_one_article_both_keep_their_text_and_are_reported(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    article = (ROOT / "raw" / "004_7ffd91957bcffdf4.txt").read_bytes()
    (raw / "a.txt").write_bytes(article)
    (raw / "b.txt").write_bytes(article.replace(b"\n", b"\r\n"))  # the same page saved again
    result = CliRunner().invoke(main, ["clean", str(raw), "-o", str(tmp_path / "clean")])
    assert result.exit_code == 0, result.output
    assert "b.txt: a copy of a.txt" in result.output
    for name in ("a", "b"):
        assert "Trotsky himself paid" in (tmp_path / "clean" / f"{name}.txt").read_text("utf-8")
    log = json.loads((tmp_path / "clean" / "b.log.json").read_text("utf-8"))
    assert log["warnings"][0].startswith("a copy of a.txt")
    assert not any(removal["rule"].startswith("corpus.") for removal in log["removals"])


def test_an_article_that_loses_most_of_its_words_is_named(tmp_path: Path) -> None:
    # A user's rule decides here whatever the model says, so the test does not hang on the model.
    raw = tmp_path / "raw"
    raw.mkdir()
    prose = "The council met on Tuesday evening and argued for three hours about the budget for the coming year."
    appeals = [f"Advertisement: the {shop} on the high street has everything a family needs for a winter of long evenings." for shop in ("baker", "grocer", "ironmonger")]
    (raw / "page.txt").write_text("\n\n".join(["Budget row at the council", prose, *appeals]) + "\n", "utf-8")
    (tmp_path / "corpustools.toml").write_text('[[rule]]\nid = "mine.advert"\ncategory = "advertising"\npattern = "^Advertisement:"\n', "utf-8")
    result = CliRunner().invoke(main, ["clean", str(raw), "-o", str(tmp_path / "clean"), "--config", str(tmp_path / "corpustools.toml")])
    assert result.exit_code == 0, result.output
    assert "page.txt: 70% of the words were removed (54 of 77)" in result.output  # 3 x 18 of 5 + 18 + 3 x 18
    log = json.loads((tmp_path / "clean" / "page.log.json").read_text("utf-8"))
    assert "70% of the words were removed (54 of 77)" in log["warnings"]


# ---------------------------------------------------------------- another model through the pipeline


def test_clean_labels_with_the_model_it_is_given_and_the_shipped_one_by_default(tmp_path: Path) -> None:
    from corpustools.errors import ConfigError
    from corpustools.labeller.gbm import model_path
    from corpustools.pipeline import decode, read_article
    from corpustools.rules import UserConfig, ruleset_for

    sequences = labelled_sequences(CORPUS / "seeds")
    train(training_mix(sequences, []), tmp_path / "m.lgb.gz")
    raw = next(iter(sorted((CORPUS / "seeds").rglob("*.txt")))).read_text("utf-8")
    reading = read_article(decode(raw), ruleset_for(UserConfig()))
    given = clean_text(raw, explain=True, model=tmp_path / "m.lgb.gz")
    expected = label_vectors(reading.vectors(), [len(line.text.split()) for line in reading.evidence], tmp_path / "m.lgb.gz")
    assert [(d.label, d.probability) for d in given.decisions] == [(r.label.value, round(r.probability, 3)) for r in expected]
    assert clean_text(raw) == clean_text(raw, model=model_path())  # the default is the shipped model
    try:
        clean_text(raw, model=tmp_path / "missing.lgb.gz")
    except ConfigError as problem:
        assert "model is missing" in str(problem)
    else:
        raise AssertionError("a missing model file was not reported")


def test_each_fold_model_file_holds_both_stages_of_its_fold(tmp_path: Path) -> None:
    # The cross-validated metadata cleans a page with its fold's file: that file must label the
    # fold's sequences exactly as the cross-validation did (its first stage trained without the
    # fold, its second stage OutOfFold.second_stage_for the fold), not a first stage alone.
    from corpustools.labeller.gbm import forget_models
    from corpustools.labeller.training import cross_validate, fold_model

    sequences = [sequence for sequence in labelled_sequences(CORPUS / "seeds") if not sequence.variant]
    out_of_fold = OutOfFold(training_mix(sequences, []))
    predicted = cross_validate(out_of_fold, tmp_path)
    try:
        for fold in out_of_fold.used():
            path = fold_model(tmp_path, fold)
            assert loaded(path).second is not None
            for sequence in sequences:
                if out_of_fold.fold[sequence.name] == fold:
                    words = [len(text.split()) for text in sequence.texts]
                    assert label_vectors(sequence.vectors, words, path) == list(predicted[sequence.name])
    finally:
        forget_models()


def test_cross_validation_scores_metadata_with_the_fold_models(tmp_path: Path) -> None:
    from corpustools.labeller.evaluation import cross_validated_report
    from corpustools.labeller.training import FOLDS, fold_model

    sequences = labelled_sequences(CORPUS / "seeds")
    report, figures = cross_validated_report(sequences, [], [], None, tmp_path, CORPUS / "seeds")
    assert "labelled corpora, metadata accuracy with the fold models:" in report
    assert {f"cv_corpus_seeds_metadata_{name}" for name in ("title", "authors", "date", "publication")} <= set(figures)
    assert all(0.0 <= figures[name] <= 1.0 for name in figures if name.startswith("cv_corpus_"))
    assert any(fold_model(tmp_path, fold).is_file() for fold in range(FOLDS))  # cleaned with these, not the shipped one
