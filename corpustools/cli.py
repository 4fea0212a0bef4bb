"""The command line: parse, call the library, report, exit 0 (all good), 1 (some failed), 2 (usage)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .batch import CleanOptions, ExportOptions, RunSummary, clean_folder, export_folder
from .config import CONFIG_NAME, ProjectConfig, find_config, load_config
from .errors import CitationError, CorpusToolsError, NoArticlesError, OutputFolderError, Terminated
from .formats import FORMATS
from .progress import ProgressLine, default_jobs
from .tei import XML_ID, Edition
from .tei.corpus import CORPUS_FILE_FORMS

EXISTING_FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)
EXISTING_PATH = click.Path(exists=True, path_type=Path)


def _config(path: Path | None, *folders: Path) -> ProjectConfig:
    try:
        return load_config(find_config(path, *folders))
    except CorpusToolsError as problem:
        raise click.UsageError(str(problem)) from None


JOBS_HELP = "Worker processes (default: all cores); the output is the same for any number."
PRUNE_HELP = "Remove the files of articles no longer in the input (deleted or renamed); a file edited by hand stays unless --force."
DASK_HELP = "Run the work on Dask: a scheduler address (tcp://host:8786) or 'local' (needs the [dask] extra)."


NOTES_SHOWN = 20  # warnings listed in the summary; every one is in its article's log


def _report(summary: RunSummary, verb: str, quiet: bool, seconds: float | None = None) -> None:
    """The closing summary; failures always go to stderr, one line each, naming the file."""
    for path, message in summary.failures:
        click.echo(f"error: {_one_line(path)}: {_one_line(message)}", err=True)
    if quiet:
        return
    for where, message in summary.warnings:
        click.echo(f"warning: {_one_line(where)}: {_one_line(message)}", err=True)
    lines = [f"{verb} {summary.written} of {summary.articles} articles"]
    if summary.skipped:
        lines[0] += f" ({summary.skipped} unchanged since the last run, not redone)"
    if seconds is not None and summary.articles:
        volume = f", {summary.input_bytes / 1e6:.1f} MB" if summary.input_bytes else ""
        lines.append(f"time: {seconds:.1f} s{volume} ({summary.articles / max(seconds, 1e-9):.0f} articles/s)")
    if summary.removed_lines:
        categories = ", ".join(f"{name} {count}" for name, count in sorted(summary.removed_by_category.items()))
        lines.append(f"removed {summary.removed_lines} lines ({categories})")
    if summary.missing_fields:
        missing = ", ".join(f"{name} in {count}" for name, count in sorted(summary.missing_fields.items()))
        lines.append(f"metadata not found: {missing}")
    if summary.notes:
        lines.append(f"check by hand ({len(summary.notes)}; the removal logs say more):")
        lines.extend(f"  {note}" for note in summary.notes[:NOTES_SHOWN])
        if len(summary.notes) > NOTES_SHOWN:
            lines.append(f"  … and {len(summary.notes) - NOTES_SHOWN} more")
    if summary.kept_edited:
        count = len(summary.kept_edited)
        what, kept = ("cleaned file", "not cleaned again") if verb == "cleaned" else ("TEI file", "not rebuilt; corpus.xml includes it as it is")
        lines.append(f"kept {count} {what}{'s' if count > 1 else ''} edited by hand ({kept}; --force replaces it):")
        lines.extend(f"  {_one_line(name)}" for name in summary.kept_edited[:NOTES_SHOWN])
        if count > NOTES_SHOWN:
            lines.append(f"  … and {count - NOTES_SHOWN} more")
    if summary.pruned:
        lines.append(f"pruned {len(summary.pruned)} stale files (their articles are no longer in the input)")
    stale = [*summary.stale, *(f"{name} (edited by hand: kept; --force removes it too)" for name in summary.kept)]
    if stale:
        hint = " (remove them with --prune)" if summary.stale else ""
        lines.append(f"stale: {len(stale)} files whose articles are no longer in the input{hint}:")
        lines.extend(f"  {_one_line(name)}" for name in stale[:NOTES_SHOWN])
        if len(stale) > NOTES_SHOWN:
            lines.append(f"  … and {len(stale) - NOTES_SHOWN} more")
    lines.append(f"problems: {len(summary.failures)}")
    click.echo("\n".join(lines))


def _one_line(text: str) -> str:
    """Text for one line of a report: a newline or other control character in a file name is
    shown escaped, so each error stays one line (and a terminal is sent no control codes)."""
    return "".join(char if char.isprintable() or char == " " else repr(char)[1:-1] for char in text)


def _run_batch(
    stage: str,
    verb: str,
    quiet: bool,
    dask_address: str | None,
    jobs: int,
    here: Callable[[ProgressLine | None], RunSummary],
    on_cluster: Callable[[Any, ProgressLine | None], RunSummary],
    usage_errors: tuple[type[CorpusToolsError], ...] = (),
) -> None:
    """Run a folder stage here or on a Dask cluster, with progress, summary and exit code."""
    progress = ProgressLine(stage) if not quiet else None
    try:
        if dask_address:
            from .distributed import connect

            with connect(dask_address, workers=jobs) as client:
                summary = on_cluster(client, progress)
        else:
            summary = here(progress)
    except usage_errors as problem:
        raise click.UsageError(str(problem)) from None
    except CorpusToolsError as problem:
        raise click.ClickException(str(problem)) from None
    finally:
        if progress is not None:
            progress.finish()
    _report(summary, verb, quiet, progress.seconds if progress else None)
    _exit(summary)


def _exit(summary: RunSummary) -> None:
    sys.exit(0 if summary.ok else 1)


TERMINATED_EXIT = 128 + signal.SIGTERM  # what a shell reports for a process stopped by SIGTERM


class _StoppableGroup(click.Group):
    """The command group, which turns SIGTERM into a clean stop of whichever command runs."""

    def invoke(self, ctx: click.Context) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return super().invoke(ctx)  # signal handlers belong to the main thread
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().invoke(ctx)
        except Terminated:
            # The run has unwound: its lock is released and no temporary file is left; every file
            # in the output is complete (written atomically). Exit at once: the worker processes
            # stop by themselves when their parent is gone, and are not waited on.
            click.echo("error: stopped by SIGTERM: every file written is complete; run the same command again to finish", err=True)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(TERMINATED_EXIT)
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)  # None: not set from Python


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


@click.group(cls=_StoppableGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="corpustools")
def main() -> None:
    """corpustools: scraped plain-text articles in, a validated TEI P5 corpus out.

    \b
    Example:
      corpustools clean raw/ -o clean/
      corpustools export clean/ -o tei/
      corpustools validate tei/
    """


@main.command()
@click.argument("input_path", metavar="INPUT", type=EXISTING_PATH)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the cleaned files and their removal logs.")
@click.option("--explain", is_flag=True, help="Print INPUT (a file) with each removed line marked and the rule beside it; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite cleaned files even if they were edited by hand.")
@click.option("--keep-edited", is_flag=True, help="Keep cleaned files edited by hand as they are, list them in the summary and go on (exit 0).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Project config (default: ./corpustools.toml if present).")
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, help=JOBS_HELP)
@click.option("--dask", "dask_address", metavar="ADDRESS", help=DASK_HELP)
@click.option("--rebuild", is_flag=True, help="Clean every article, even those unchanged since the last run.")
@click.option("--max-bytes", type=click.IntRange(1), default=50 * 1024 * 1024, show_default=True, help="Refuse input files larger than this.")
@click.option("--follow-symlinks", is_flag=True, help="Follow symbolic links that point outside INPUT.")
@click.option("--prune", is_flag=True, help=PRUNE_HELP)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (no progress, no summary).")
def clean(input_path: Path, output: Path | None, explain: bool, force: bool, keep_edited: bool, config_path: Path | None, jobs: int | None, dask_address: str | None, rebuild: bool, max_bytes: int, follow_symlinks: bool, prune: bool, quiet: bool) -> None:
    """Remove boilerplate, repair the text and find the metadata of every article in INPUT
    (a folder, or one article file: cleaned as a run on its folder would clean it).

    Writes OUTPUT/<id>.txt (the cleaned text, for people to read and correct) and
    OUTPUT/<id>.log.json (every removed line with its rule). Nothing is written into INPUT.
    An article whose input, rules and version are unchanged since the last run into OUTPUT
    is not redone (--rebuild redoes all). A cleaned file edited by hand is never overwritten:
    it is an error, unless --keep-edited (kept and listed) or --force (replaced).

    \b
    Examples:
      corpustools clean raw/ -o clean/
      corpustools clean raw/ -o clean/ --keep-edited   # again, after correcting some files
      corpustools clean raw/new-article.txt -o clean/
      corpustools clean --explain raw/000_7584a26c6b66eb82.txt
    """
    folder = input_path if input_path.is_dir() else input_path.parent
    config = _config(config_path, folder)
    if explain:
        from .explain import explain_file

        if input_path.is_dir():
            raise click.BadParameter("--explain takes one article file", param_hint="INPUT")
        try:
            click.echo(explain_file(input_path, config, max_bytes), nl=False)
        except CorpusToolsError as problem:
            raise click.ClickException(str(problem)) from None
        return
    if output is None:
        raise click.UsageError("give an output folder with -o (or use --explain to look at one file)")
    if prune and not input_path.is_dir():
        raise click.BadParameter("--prune needs the whole input folder, not one file", param_hint="INPUT")
    options = CleanOptions(force=force, keep_edited=keep_edited, max_bytes=max_bytes, follow_symlinks=follow_symlinks, jobs=jobs or default_jobs(), incremental=not rebuild, prune=prune)

    def on_cluster(client: Any, progress: ProgressLine | None) -> RunSummary:
        from .distributed import clean_folder_dask

        return clean_folder_dask(client, input_path, output, config, options, progress)

    _run_batch(
        "clean",
        "cleaned",
        quiet,
        dask_address,
        options.jobs,
        lambda progress: clean_folder(input_path, output, config, options, progress),
        on_cluster,
        usage_errors=(OutputFolderError, NoArticlesError),  # a folder was given wrong (output inside the input, input without articles...)
    )


@main.command()
@click.argument("clean_folder_path", metavar="CLEAN", type=EXISTING_FOLDER)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the TEI files.")
@click.option("--format", "formats", default="tei", show_default=True, help=f"Comma-separated formats: {', '.join(FORMATS)}.")
@click.option("--force", is_flag=True, help="Overwrite output files even if they were edited by hand.")
@click.option("--keep-edited", is_flag=True, help="Keep TEI files edited by hand as they are (corpus.xml includes them), list them and go on (exit 0).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Project config (default: ./corpustools.toml if present).")
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, help=JOBS_HELP)
@click.option("--dask", "dask_address", metavar="ADDRESS", help=DASK_HELP)
@click.option("--schema-href", default="", help="Link each TEI file to this schema with an xml-model instruction.")
@click.option(
    "--corpus-file",
    type=click.Choice(CORPUS_FILE_FORMS),
    default=CORPUS_FILE_FORMS[0],
    show_default=True,
    help="corpus.xml includes each article's file with xi:include, or embeds a copy of every article (one self-contained file).",
)
@click.option("--rebuild", is_flag=True, help="Rebuild every TEI file, even those unchanged since the last run.")
@click.option("--prune", is_flag=True, help=PRUNE_HELP)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (no progress, no summary).")
def export(clean_folder_path: Path, output: Path, formats: str, force: bool, keep_edited: bool, config_path: Path | None, jobs: int | None, dask_address: str | None, schema_href: str, corpus_file: str, rebuild: bool, prune: bool, quiet: bool) -> None:
    """Write one TEI P5 file per cleaned article in CLEAN, and OUTPUT/corpus.xml.

    Hand edits made to the cleaned files are honoured (and recorded in revisionDesc).

    \b
    Examples:
      corpustools export clean/ -o tei/
      corpustools export clean/ -o out/ --format tei,txt,jsonl,csv
      corpustools export clean/ -o tei/ --corpus-file embedded
    """
    wanted = tuple(name.strip() for name in formats.split(",") if name.strip())
    unknown = [name for name in wanted if name not in FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}", param_hint="--format")
    config = _config(config_path, clean_folder_path)
    if not config.origin and not quiet:
        # Said once, here: every TEI header of the run would otherwise name the default publisher unseen.
        click.echo(
            f"warning: no {CONFIG_NAME} (looked in {Path.cwd()} and {clean_folder_path}): the TEI headers name "
            f"{Edition.publisher!r} as the publisher, give no licence and no responsible people (\"not stated\"); write one with a [project] table "
            "(README: The project config) or give --config",
            err=True,
        )
    elif not config.edition.responsible and not quiet:
        # Said once, here: every TEI header of the run says "not stated" for who is responsible.
        click.echo(
            f"warning: {config.origin} names no people: the TEI headers say \"not stated\" for who is responsible "
            "for the edition; name them in [[project.people]] (name, role, orcid, affiliation) or with [project] encoder",
            err=True,
        )
    options = ExportOptions(force=force, keep_edited=keep_edited, formats=wanted, jobs=jobs or default_jobs(), schema_href=schema_href, corpus_file=corpus_file, incremental=not rebuild, prune=prune)

    def on_cluster(client: Any, progress: ProgressLine | None) -> RunSummary:
        from .distributed import export_folder_dask

        return export_folder_dask(client, clean_folder_path, output, config, options, progress)

    _run_batch(
        "export",
        "exported",
        quiet,
        dask_address,
        options.jobs,
        lambda progress: export_folder(clean_folder_path, output, config, options, progress),
        on_cluster,
        usage_errors=(OutputFolderError, NoArticlesError),  # a folder was given wrong (output inside CLEAN, CLEAN holds raw text...)
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=EXISTING_PATH)
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, help=JOBS_HELP)
@click.option("--quiet", "-q", is_flag=True, help="Print only the problems.")
def validate(paths: Sequence[Path], jobs: int | None, quiet: bool) -> None:
    """Check TEI files (or folders of them) against the project schema and Schematron rules.

    Prints one `file:line: message` per problem and exits 1 if there is any.

    \b
    Example:
      corpustools validate tei/
    """
    from .batch import validate_files

    progress = ProgressLine("validate") if not quiet else None
    try:
        checked, problems = validate_files(paths, jobs or default_jobs(), progress)
    finally:
        if progress is not None:
            progress.finish()
    for problem in problems:
        click.echo(str(problem))
    if not quiet:
        click.echo(f"validated {checked} files: {len({p.path for p in problems})} invalid, {len(problems)} problems", err=bool(problems))
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("count", type=click.IntRange(1))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the articles (one sub-folder per site).")
@click.option("--seed", type=int, default=0, show_default=True, help="Another seed gives another corpus.")
@click.option("--sites", type=click.IntRange(1), default=12, show_default=True, help="Number of sites (languages in turn: en, de, fr).")
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, help=JOBS_HELP)
def synth(count: int, output: Path, seed: int, sites: int, jobs: int | None) -> None:
    """Write COUNT synthetic scraped articles for benchmarks: the same COUNT and seed, the same bytes.

    \b
    Example:
      corpustools synth 10000 -o /dev/shm/synth
    """
    from .synth import write_corpus

    summary = write_corpus(output, count, seed, sites, jobs or default_jobs())
    click.echo(f"wrote {summary.articles} articles ({summary.bytes / 1e6:.1f} MB) from {summary.sites} sites to {output}")


@main.command()
@click.argument("tei_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def text(tei_file: Path) -> None:
    """Print the article text of a TEI file, one paragraph per block (the way back from TEI).

    \b
    Example:
      corpustools text tei/000_7584a26c6b66eb82.xml
    """
    from .tei import text_units
    from .validate import parse_safely

    tree, problems = parse_safely(tei_file)
    if tree is None:
        raise click.ClickException(str(problems[0]))
    click.echo("\n\n".join(text_units(tree)))


@main.command()
@click.argument("tei_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("citation")
def cite(tei_file: Path, citation: str) -> None:
    """Print the part of an article a citation names, with its xml:id (citations as the file's
    refsDecl declares them: d2.p3 is the third paragraph of the second section, p1 the first
    paragraph before any heading).

    \b
    Example:
      corpustools cite tei/004_7ffd91957bcffdf4.xml d1.p3
    """
    from .tei.citation import resolve_one
    from .tei.reading import article_words
    from .validate import parse_safely

    tree, problems = parse_safely(tei_file)
    if tree is None:
        raise click.ClickException(str(problems[0]))
    try:
        part = resolve_one(tree.getroot(), citation)
    except CitationError as problem:
        raise click.ClickException(f"{tei_file}: {problem}") from None
    click.echo(f"{part.get(XML_ID)}\n{article_words(part)}")


@main.command()
@click.argument("corpus", type=EXISTING_FOLDER)
@click.option("--peers/--no-peers", default=True, show_default=True, help="Also score jusText and trafilatura (needs the [compare] extra).")
@click.option("--floors", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML of minimum figures; exit 1 if any figure is below its floor.")
@click.option("--details", is_flag=True, help="List every lost content line, missed boilerplate line, heading and metadata error.")
def score(corpus: Path, peers: bool, floors: Path | None, details: bool) -> None:
    """Score boilerplate removal, headings and metadata against a labelled corpus, or the
    article text and metadata against real pages with gold text (a folder with gold.json).

    \b
    Example:
      corpustools score tests/corpus/dev --floors tests/corpus/floors.toml
      corpustools score ../shared/aeb-dev
    """
    from .evaluate import run_scoring
    from .pages import run_page_scoring

    try:
        if (corpus / "gold.json").is_file():
            report, below = run_page_scoring(corpus, peers=peers, floors=floors, details=details)
        else:
            report, below = run_scoring(corpus, peers=peers, floors=floors, details=details)
    except CorpusToolsError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(report)
    if below:
        for line in below:
            click.echo(f"below floor: {line}", err=True)
        sys.exit(1)


@main.command()
@click.option("--corpus", "corpus_folder", required=True, type=EXISTING_FOLDER, help="Labelled corpora (tests/corpus: one sub-folder per corpus, one per site below).")
@click.option("--pages", "pages_folder", type=EXISTING_FOLDER, help="Real pages with gold article text (<layout>/raw/<id>.txt, gold.json), e.g. ../shared/aeb-dev.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the model (default: the one the package ships).")
@click.option("--cross-validate", is_flag=True, help="Also print figures from models trained without the site they are measured on.")
@click.option(
    "--floors", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
    help="TOML of minimum cross-validated figures (repeatable); exit 1 if any is below.",
)
def train(corpus_folder: Path, pages_folder: Path | None, output: Path | None, cross_validate: bool, floors: tuple[Path, ...]) -> None:
    """Rebuild the line labeller's model from labelled data (same data, same bytes).

    \b
    Example:
      corpustools train --corpus tests/corpus --pages ../shared/aeb-dev --cross-validate
    """
    import tempfile

    from .evaluate import check_floors
    from .labeller.evaluation import cross_validated_report
    from .labeller.gbm import model_path
    from .labeller.training import FOLDS, OutOfFold, labelled_sequences, page_sequences, train_model, training_mix
    from .pages import read_pages

    try:
        corpus = labelled_sequences(corpus_folder)
        page_list = read_pages(pages_folder) if pages_folder else []
        pages = page_sequences(pages_folder, page_list) if pages_folder else []
    except CorpusToolsError as problem:
        raise click.ClickException(str(problem)) from None
    target = output or model_path()
    out_of_fold = OutOfFold(training_mix(corpus, pages), FOLDS)  # the fold models, trained once for both
    digest = train_model(corpus, pages, target, out_of_fold)
    articles = sum(1 for sequence in corpus if not sequence.variant)
    click.echo(f"trained on {articles} labelled articles (and their clean variants) and {len(pages)} pages: {target} (sha256 {digest})")
    if not cross_validate:
        return
    with tempfile.TemporaryDirectory() as work:
        report, figures = cross_validated_report(corpus, pages, page_list, pages_folder, Path(work), corpus_folder, out_of_fold)
    click.echo(report)
    below = [line for path in floors for line in check_floors(figures, path)]
    for line in below:
        click.echo(f"below floor: {line}", err=True)
    if below:
        sys.exit(1)


@main.command()
@click.argument("clean_folder_path", metavar="CLEAN", type=EXISTING_FOLDER)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@click.option("--title", default="corpustools corpus report", show_default=True, help="Title of the page.")
def report(clean_folder_path: Path, output: Path, title: str) -> None:
    """Write one self-contained HTML page about the cleaned articles in CLEAN.

    Per article: metadata, words, section outline and lines removed by category; a chart of
    article sizes. No scripts or external files, so the page can be mailed and archived.

    \b
    Example:
      corpustools report clean/ -o report.html
    """
    from .batch import cleaned_files, load_cleaned
    from .io import atomic_write, ensure_folder
    from .report import RunFacts, build_report

    try:
        paths = cleaned_files(clean_folder_path)
    except CorpusToolsError as problem:
        raise click.ClickException(str(problem)) from None
    if not paths:
        hint = " (it holds TEI files: give the cleaned folder that `export` read)" if any(clean_folder_path.glob("*.xml")) else ""
        raise click.BadParameter(f"no cleaned articles (*.txt) in {clean_folder_path}{hint}", param_hint="CLEAN")
    articles, failures = [], []
    for path in paths:
        try:
            articles.append(load_cleaned(path))
        except CorpusToolsError as problem:
            failures.append((problem.where(path.name), problem.message))
    page = build_report(articles, RunFacts(folder=str(clean_folder_path), failures=tuple(failures), title=title))
    try:
        ensure_folder(output.parent)
        atomic_write(output, page.encode("utf-8"))
    except CorpusToolsError as problem:
        raise click.ClickException(str(problem)) from None
    for name, message in failures:
        click.echo(f"error: {name}: {message}", err=True)
    click.echo(f"reported on {len(articles)} of {len(paths)} articles: {output}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":  # `python -m corpustools.cli`, as well as the installed `corpustools`
    main()
