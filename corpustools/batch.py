"""Folders in, folders out: the pipeline run over a whole corpus, one article at a time.

A failure in one article never stops the others: it is recorded in the run summary, and the
CLI exits 1. The per-article work is a plain function of its inputs, so it can run in several
processes (`jobs`) with output identical to a single-process run.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from lxml import etree

from . import __version__
from .catalogue import Catalogue, load_catalogue
from .cleanfile import parse, render
from .config import ProjectConfig
from .corpus import LineCounts
from .decode import decode_bytes
from .errors import CorpusToolsError, InputError
from .io import InputFile, Manifest, check_output_folder, ensure_folder, list_inputs, read_input, sha256_bytes
from .model import Document, Provenance
from .pipeline import clean_text
from .rules import ruleset_for
from .tei import ExportRecord, build_tei, serialise
from .teicorpus import build_corpus

COUNT_CHUNK = 500  # articles per counting chunk: fixed, so the counts never depend on --jobs
LOG_SUFFIX = ".log.json"
CLEAN_SUFFIX = ".txt"


@dataclass
class RunSummary:
    """What a run did, for the closing table and the exit code."""

    articles: int = 0
    written: int = 0
    skipped: int = 0
    input_bytes: int = 0
    removed_lines: int = 0
    removed_by_category: Counter[str] = field(default_factory=Counter)
    missing_fields: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class CleanOptions:
    force: bool = False
    max_bytes: int = 50 * 1024 * 1024
    follow_symlinks: bool = False
    jobs: int = 1
    keep_documents: bool = False


# ---------------------------------------------------------------- clean


def count_lines(inputs: Sequence[InputFile], catalogue: Catalogue, max_bytes: int, jobs: int = 1) -> LineCounts:
    """Pass 1: per-source line counts over the whole input, in fixed chunks merged in order."""
    chunks = [inputs[start : start + COUNT_CHUNK] for start in range(0, len(inputs), COUNT_CHUNK)]
    work = partial(_count_chunk, catalogue=catalogue, max_bytes=max_bytes)
    total = LineCounts()
    for partial_counts in _map(work, chunks, jobs):
        total.merge(partial_counts)
    return total


def _count_chunk(chunk: Sequence[InputFile], catalogue: Catalogue, max_bytes: int) -> LineCounts:
    counts = LineCounts()
    for item in chunk:
        try:
            text = decode_bytes(read_input(item, max_bytes)).text
        except CorpusToolsError:
            continue  # reported by the cleaning pass
        counts.add_article(source_of(item, catalogue), text.split("\n"))
    return counts


def source_of(item: InputFile, catalogue: Catalogue) -> str:
    """The source an article belongs to: the catalogue's `source`, else its sub-folder."""
    explicit = catalogue.entry(item.doc_id).get("source")
    return str(explicit) if explicit else item.source


def clean_folder(input_folder: Path, output_folder: Path, config: ProjectConfig | None = None, options: CleanOptions | None = None) -> RunSummary:
    """`corpustools clean`: every raw article to a cleaned text file and a removal log."""
    config = config or ProjectConfig()
    options = options or CleanOptions()
    check_output_folder(output_folder, input_folder)
    inputs, problems = list_inputs(input_folder, options.follow_symlinks)
    catalogue = load_catalogue(input_folder)
    ensure_folder(output_folder)
    summary = RunSummary(failures=list(problems))
    counts = count_lines(inputs, catalogue, options.max_bytes, options.jobs)
    manifest = Manifest(output_folder)
    work = partial(_clean_one, config=config, catalogue=catalogue, counts=counts, max_bytes=options.max_bytes)
    for item, outcome in zip(inputs, _map(work, inputs, options.jobs)):
        summary.articles += 1
        if isinstance(outcome, CorpusToolsError):
            summary.failures.append((item.relative, outcome.message))
            continue
        document, cleaned, log, size = outcome
        try:
            manifest.write(document.id + CLEAN_SUFFIX, cleaned, options.force, source=item.relative, source_sha256=document.provenance.source_sha256)
            manifest.write(document.id + LOG_SUFFIX, log, force=True)
        except CorpusToolsError as problem:
            summary.failures.append((problem.path or item.relative, problem.message))
            continue
        summary.written += 1
        summary.input_bytes += size
        _tally(summary, document)
        if options.keep_documents:
            summary.documents.append(document)
    manifest.save()
    return summary


def _clean_one(item: InputFile, config: ProjectConfig, catalogue: Catalogue, counts: LineCounts, max_bytes: int) -> tuple[Document, bytes, bytes, int] | CorpusToolsError:
    """Clean one article; errors are returned (not raised) so a batch can go on."""
    try:
        data = read_input(item, max_bytes)
        source = source_of(item, catalogue)
        document = clean_text(
            data,
            item.doc_id,
            ruleset=ruleset_for(config.rules, source),
            counts=counts,
            source=source,
            catalogue=catalogue.entry(item.doc_id),
            source_file=item.relative,
            source_sha256=sha256_bytes(data),
        )
        cleaned = render(document).encode("utf-8")
        return document, cleaned, removal_log(document, cleaned), len(data)
    except CorpusToolsError as problem:
        return problem


def removal_log(document: Document, cleaned: bytes) -> bytes:
    """The machine-readable record of a cleaning: every removed line with its layer and rule."""
    provenance = document.provenance
    payload = {
        "id": document.id,
        "corpustools": __version__,
        "source": provenance.source_file,
        "source_sha256": provenance.source_sha256,
        "cleaned_sha256": sha256_bytes(cleaned),
        "encoding": provenance.encoding,
        "repairs": list(provenance.repairs),
        "removed_characters": provenance.removed_characters,
        "removed_by_category": document.removal_counts(),
        "removals": [
            {"line": r.line, "layer": r.layer.value, "rule": r.rule, "category": r.category.value, "text": r.text}
            for r in document.removals
        ],
        "missing_metadata": document.metadata.missing(),
    }
    return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _tally(summary: RunSummary, document: Document) -> None:
    summary.removed_lines += len(document.removals)
    summary.removed_by_category.update(document.removal_counts())
    summary.missing_fields.update(document.metadata.missing())


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportOptions:
    force: bool = False
    formats: tuple[str, ...] = ("tei",)
    jobs: int = 1
    schema_href: str = ""


def cleaned_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError("not a folder", str(folder))
    return sorted(path for path in folder.glob("*" + CLEAN_SUFFIX) if not path.name.startswith("."))


def load_cleaned(path: Path) -> tuple[Document, ExportRecord]:
    """A cleaned file and its log, as a Document and what the TEI header reports of it."""
    try:
        data = path.read_bytes()
    except OSError as problem:
        raise InputError(f"cannot read: {problem.strerror}", str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 (cleaned files are always UTF-8)", str(path)) from None
    document = parse(text.replace("\r\n", "\n"), str(path))
    log_path = path.with_name(path.name[: -len(CLEAN_SUFFIX)] + LOG_SUFFIX)
    record = ExportRecord()
    if log_path.is_file():
        try:
            log = json.loads(log_path.read_text("utf-8"))
        except (OSError, ValueError):
            raise InputError("the removal log beside this file is unreadable", str(log_path)) from None
        layers = Counter(removal["layer"] for removal in log.get("removals", []))
        record = ExportRecord(
            removal_counts=dict(log.get("removed_by_category", {})),
            layer_counts=dict(sorted(layers.items())),
            hand_edited=log.get("cleaned_sha256") != sha256_bytes(data),
        )
        provenance = Provenance(
            source_file=log.get("source", ""),
            source_sha256=log.get("source_sha256", ""),
            encoding=log.get("encoding", "utf-8"),
            repairs=tuple(log.get("repairs", ())),
            removed_characters=int(log.get("removed_characters", 0)),
            hand_edited=record.hand_edited,
        )
        from dataclasses import replace

        document = replace(document, provenance=provenance)
    return document, record


def export_folder(clean_folder_path: Path, output_folder: Path, config: ProjectConfig | None = None, options: ExportOptions | None = None) -> RunSummary:
    """`corpustools export`: one TEI file per cleaned article, plus tei/corpus.xml."""
    from .formats import EXPORTERS

    config = config or ProjectConfig()
    options = options or ExportOptions()
    paths = cleaned_files(clean_folder_path)
    ensure_folder(output_folder)
    manifest = Manifest(output_folder)
    summary = RunSummary()
    exported: list[tuple[Document, ExportRecord]] = []
    work = partial(_export_one, config=config, schema_href=options.schema_href, want_tei="tei" in options.formats)
    for path, outcome in zip(paths, _map(work, paths, options.jobs)):
        summary.articles += 1
        if isinstance(outcome, CorpusToolsError):
            summary.failures.append((path.name, outcome.message))
            continue
        document, record, tei_bytes = outcome
        try:
            if tei_bytes is not None:
                manifest.write(document.id + ".xml", tei_bytes, options.force)
        except CorpusToolsError as problem:
            summary.failures.append((problem.path or path.name, problem.message))
            continue
        exported.append((document, record))
        summary.written += 1
        _tally(summary, document)
    if "tei" in options.formats and exported:
        corpus_tree = build_corpus(exported, config.edition, config.change_date)
        try:
            manifest.write("corpus.xml", serialise(corpus_tree, options.schema_href), options.force)
        except CorpusToolsError as problem:
            summary.failures.append(("corpus.xml", problem.message))
    for name in options.formats:
        if name == "tei":
            continue
        for filename, data in EXPORTERS[name](exported):
            try:
                manifest.write(filename, data, options.force)
            except CorpusToolsError as problem:
                summary.failures.append((filename, problem.message))
    manifest.save()
    return summary


def _export_one(path: Path, config: ProjectConfig, schema_href: str, want_tei: bool) -> tuple[Document, ExportRecord, bytes | None] | CorpusToolsError:
    try:
        document, record = load_cleaned(path)
        if config.change_date:
            from dataclasses import replace

            record = replace(record, change_date=config.change_date)
        tei_bytes = serialise(build_tei(document, record, config.edition), schema_href) if want_tei else None
        return document, record, tei_bytes
    except CorpusToolsError as problem:
        return problem
    except etree.LxmlError as problem:
        return CorpusToolsError(f"cannot build the TEI: {problem}", str(path))


# ---------------------------------------------------------------- running the work


def _map(function: Callable, items: Iterable, jobs: int) -> Iterable:  # type: ignore[type-arg]
    """map() in order, over `jobs` processes when more than one is asked for."""
    items = list(items)
    if jobs <= 1 or len(items) < 2:
        return map(function, items)
    executor = ProcessPoolExecutor(max_workers=jobs)
    chunk = max(1, min(64, len(items) // (jobs * 4) or 1))
    results = executor.map(function, items, chunksize=chunk)

    def drain() -> Iterable:  # type: ignore[type-arg]
        try:
            yield from results
        finally:
            executor.shutdown()

    return drain()
