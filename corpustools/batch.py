"""Folders in, folders out: the pipeline run over a whole corpus, one article at a time.

A failure in one article never stops the others: it is recorded in the run summary, and the
CLI exits 1. The per-article work is a plain function of its inputs, so it can run in several
processes (`jobs`) with output identical to a single-process run.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from . import __version__
from .catalogue import Catalogue, load_catalogue
from .cleanfile import parse, parse_id, render
from .config import ProjectConfig
from .corpus import LineCounts
from .decode import decode_bytes
from .errors import CorpusToolsError, HandEditError, InputError, NoArticlesError, NotCleanedError
from .io import (
    InputFile,
    Manifest,
    check_document_id,
    check_output_folder,
    check_output_for_file,
    ensure_folder,
    folder_lock,
    list_inputs,
    one_input,
    other_files,
    read_input,
    read_regular_file,
    sha256_bytes,
)
from .metadata import site_named_in
from .model import Document, Provenance
from .pipeline import clean_text
from .provenance import changed_lines, line_digests, metadata_record, restore
from .rules import RuleSet, ruleset_for
from .tei import TEI_NS, ExportRecord, build_tei, serialise, xml_id
from .tei.corpus import EMBEDDED, INCLUDE, CorpusEntry, read_article, write_corpus, write_corpus_of_includes

if TYPE_CHECKING:
    from .validate import Problem

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
    stale: list[str] = field(default_factory=list)  # outputs of articles no longer in the input, left in place
    pruned: list[str] = field(default_factory=list)  # ...those removed (--prune)
    kept: list[str] = field(default_factory=list)  # ...and those --prune kept, edited by hand
    kept_edited: list[str] = field(default_factory=list)  # cleaned files edited by hand, kept as they are (--keep-edited)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (where, what): worth a look, not a failure

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
    incremental: bool = True  # an article whose input, rules and corpus decisions are unchanged is not redone
    prune: bool = False  # remove the outputs of articles no longer in the input
    keep_edited: bool = False  # a cleaned file edited by hand is kept (with its log) and the run goes on


# ---------------------------------------------------------------- clean


Mapper = Callable[..., Iterable]  # type: ignore[type-arg]  # (function, items, **shared) -> results in order


def local_mapper(jobs: int) -> Mapper:
    """The mapper of one machine: `jobs` processes (shared values travel with each task)."""

    def mapper(function: Callable, items: Iterable, **shared: object) -> Iterable:  # type: ignore[type-arg]
        return _map(partial(function, **shared) if shared else function, items, jobs)

    return mapper


def count_lines(inputs: Sequence[InputFile], catalogue: Catalogue, max_bytes: int, jobs: int = 1, mapper: Mapper | None = None) -> LineCounts:
    """Pass 1: per-source line counts over the whole input, in fixed chunks merged in order.

    The chunks are the map, the merge in chunk order the reduce: the counts are the same
    whatever ran the chunks (one process, several, or a cluster).
    """
    chunks = [inputs[start : start + COUNT_CHUNK] for start in range(0, len(inputs), COUNT_CHUNK)]
    work = partial(_count_chunk, catalogue=catalogue, max_bytes=max_bytes)
    total = LineCounts()
    for partial_counts in (mapper or local_mapper(jobs))(work, chunks):
        total.merge(partial_counts)
    return total


def _count_chunk(chunk: Sequence[InputFile], catalogue: Catalogue, max_bytes: int) -> LineCounts:
    counts = LineCounts()
    for item in chunk:
        try:
            text = decode_bytes(read_input(item, max_bytes)).text
        except CorpusToolsError:
            continue  # reported by the cleaning pass
        counts.add_article(source_of(item, catalogue, text), text.split("\n"), item.relative)
    return counts


def source_of(item: InputFile, catalogue: Catalogue, text: str) -> str:
    """The source an article belongs to, which groups articles for the corpus layer.

    The catalogue's `source`, else the article's sub-folder, else the site name its opening
    lines give ("Socialist Worker"), else the whole input folder ("").
    """
    explicit = catalogue.entry(item.doc_id).get("source")
    if explicit:
        return str(explicit)
    if item.source:
        return item.source
    return site_named_in(text)


Progress = Callable[[int, int, int], None]  # (articles done, articles in all, input bytes done)


@dataclass(frozen=True)
class Cleaned:
    """What a worker sends back for one cleaned article: the files, and only the counts of the
    Document (a whole Document costs more to send between processes than to summarise)."""

    doc_id: str
    cleaned: bytes
    log: bytes
    size: int
    facts: dict[str, str]
    removed_by_category: dict[str, int]
    missing: tuple[str, ...]
    document: Document | None  # only when the caller keeps documents
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unchanged:
    """An article not redone: same input bytes, rules, version and corpus-layer decisions."""

    size: int
    removed_by_category: dict[str, int]
    missing: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def clean_folder(
    input_folder: Path,
    output_folder: Path,
    config: ProjectConfig | None = None,
    options: CleanOptions | None = None,
    progress: Progress | None = None,
    mapper: Mapper | None = None,
) -> RunSummary:
    """`corpustools clean`: every raw article to a cleaned text file and a removal log.

    `input_folder` may also be one article file: it is cleaned as a run on its folder would
    clean it (the corpus layer counts its neighbours' lines too), and only its files are
    written; the others in the output folder are neither stale nor pruned.
    `mapper` runs the per-article work (default: `options.jobs` local processes; see
    distributed.py for a cluster); files are written here, in input order, whatever ran it.
    """
    config = config or ProjectConfig()
    options = options or CleanOptions()
    single = input_folder.is_file()
    folder = input_folder.parent if single else input_folder
    if single:
        check_output_for_file(output_folder, input_folder)
        inputs, problems = one_input(input_folder)
        listed, _others = list_inputs(folder, options.follow_symlinks)
        # Counted as a run on the folder counts them (same articles, same order), the file included.
        counted = listed if any(item.relative == input.relative for item in listed for input in inputs) else [*listed, *inputs]
    else:
        check_output_folder(output_folder, input_folder)
        inputs, problems = list_inputs(input_folder, options.follow_symlinks)
        counted = inputs
        if not inputs and not problems:
            raise NoArticlesError(f"no articles (*.txt) in this folder: {_what_else(input_folder)}", str(input_folder))
    catalogue = load_catalogue(folder)
    ensure_folder(output_folder)
    with folder_lock(output_folder):  # one run at a time writes a folder
        summary = RunSummary(failures=list(problems))
        present = {item.doc_id for item in inputs} | {Path(relative).stem for relative, _ in problems}
        if not single:
            summary.warnings.extend(catalogue.unmatched(present))
        mapper = mapper or local_mapper(options.jobs)
        counts = count_lines(counted, catalogue, options.max_bytes, options.jobs, mapper)
        manifest = Manifest(output_folder)
        incremental = options.incremental and not options.keep_documents
        work = partial(
            _clean_one,
            config=config,
            catalogue=catalogue,
            max_bytes=options.max_bytes,
            output_folder=output_folder,
            keep_document=options.keep_documents,
        )
        tasks = [(item, manifest.latest.get(item.doc_id + CLEAN_SUFFIX) if incremental else None) for item in inputs]
        for item, outcome in zip(inputs, mapper(work, tasks, counts=counts)):
            summary.articles += 1
            if progress is not None:
                progress(summary.articles, len(inputs), summary.input_bytes)
            if isinstance(outcome, CorpusToolsError):
                summary.failures.append((item.relative, outcome.message))
                continue
            if isinstance(outcome, Unchanged):
                summary.skipped += 1
                summary.input_bytes += outcome.size
                _count_removals(summary, outcome.removed_by_category, outcome.missing)
                summary.notes.extend(f"{item.relative}: {warning}" for warning in outcome.warnings)
                continue
            if options.keep_edited and not options.force and manifest.is_hand_edited(outcome.doc_id + CLEAN_SUFFIX):
                # The person's correction stands, and so does the log of the cleaning they corrected:
                # export then reads both, and records that the file was edited.
                summary.kept_edited.append(outcome.doc_id + CLEAN_SUFFIX)
                summary.input_bytes += outcome.size
                _count_removals(summary, outcome.removed_by_category, outcome.missing)  # its log still stands
                continue
            try:
                manifest.write(outcome.doc_id + CLEAN_SUFFIX, outcome.cleaned, options.force, **outcome.facts)
                manifest.write(outcome.doc_id + LOG_SUFFIX, outcome.log, force=True)
            except CorpusToolsError as problem:
                summary.failures.append((problem.path or item.relative, problem.message))
                continue
            summary.written += 1
            summary.input_bytes += outcome.size
            _count_removals(summary, outcome.removed_by_category, outcome.missing)
            summary.notes.extend(f"{item.relative}: {warning}" for warning in outcome.warnings)
            if outcome.document is not None:
                summary.documents.append(outcome.document)
        if not single:
            _prune_stale(manifest, present, (CLEAN_SUFFIX, LOG_SUFFIX), options, summary)
        _save(manifest, summary)
        return summary


def _what_else(folder: Path) -> str:
    """What a folder without articles holds instead, to tell someone who gave the wrong one."""
    others = other_files(folder)
    if not others:
        return "the folder is empty"
    shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
    return f"it holds {len(others)} other file{'s' if len(others) > 1 else ''} ({shown}): corpustools reads plain-text articles named *.txt"


def _clean_one(
    task: tuple[InputFile, dict[str, str] | None],
    config: ProjectConfig,
    catalogue: Catalogue,
    max_bytes: int,
    output_folder: Path,
    counts: LineCounts,
    keep_document: bool = False,
) -> Cleaned | Unchanged | CorpusToolsError:
    """Clean one article; errors are returned (not raised) so a batch can go on.

    `previous` is what the manifest recorded when this article's cleaned file was last written;
    when every fact that decides the output is the same and the files are as written, the
    article is not redone.
    """
    item, previous = task
    try:
        data = read_input(item, max_bytes)
        decoded = decode_bytes(data)
        source = source_of(item, catalogue, decoded.text)
        ruleset = ruleset_for(config.rules, source)
        entry = catalogue.entry(item.doc_id)
        facts = {
            "source": item.relative,
            "source_sha256": sha256_bytes(data),
            "corpustools": __version__,
            "rules": _rules_digest(ruleset),
            "corpus": counts.decisions(source, decoded.text.split("\n"), ruleset.corpus_min_articles),
            "catalogue": sha256_bytes(json.dumps(entry.values, sort_keys=True, default=str).encode())[:16] if entry.values else "",
            "duplicate_of": counts.duplicate_of(item.relative),
        }
        if previous is not None and all(previous.get(name) == value for name, value in facts.items()):
            unchanged = _unchanged(output_folder, item.doc_id, previous, len(data))
            if unchanged is not None:
                return unchanged
        document = clean_text(
            data,
            item.doc_id,
            ruleset=ruleset,
            counts=counts,
            source=source,
            catalogue=entry,
            source_file=item.relative,
            source_sha256=facts["source_sha256"],
            decoded=decoded,
        )
        if facts["duplicate_of"]:
            twin = f"a copy of {facts['duplicate_of']}: cleaned as it is, its lines not counted twice by the corpus layer"
            document = replace(document, warnings=(twin, *document.warnings))
        cleaned = render(document).encode("utf-8")
        return Cleaned(
            document.id,
            cleaned,
            removal_log(document, cleaned),
            len(data),
            facts,
            document.removal_counts(),
            tuple(document.metadata.missing()),
            document if keep_document else None,
            document.warnings,
        )
    except CorpusToolsError as problem:
        return problem


CORPUS_FILES = frozenset({"corpus.xml", "corpus.jsonl", "catalogue.csv"})  # of the whole corpus: never stale


def _prune_stale(manifest: Manifest, present: set[str], suffixes: tuple[str, ...], options: CleanOptions | ExportOptions, summary: RunSummary) -> None:
    """Find (and with --prune remove) the files this folder holds for articles no longer in the input.

    Only files corpustools wrote here count (a person's own files are never touched), and one
    edited by hand since is kept unless --force: deleting the input must not delete their work.
    """
    for name in sorted(manifest.latest):
        doc_id = next((name[: -len(suffix)] for suffix in suffixes if name.endswith(suffix)), None)
        if doc_id is None or doc_id in present or name in CORPUS_FILES or not (manifest.folder / name).is_file():
            continue
        if not options.prune:
            summary.stale.append(name)
        elif manifest.is_hand_edited(name) and not options.force:
            summary.kept.append(name)
        else:
            try:
                manifest.remove(name)
            except CorpusToolsError as problem:
                summary.failures.append((problem.path, problem.message))
                continue
            summary.pruned.append(name)


def _rules_digest(ruleset: RuleSet) -> str:
    """The rule set's fingerprint, plus what it leaves out: categories and the shipped word lists."""
    categories = ",".join(rule.category.value for rule in ruleset.rules)
    return sha256_bytes(f"{ruleset.fingerprint()}\0{categories}\0{_shipped_data_digest()}".encode())[:16]


@lru_cache(maxsize=1)
def _shipped_data_digest() -> str:
    """A digest of every rule and word-list file shipped in the package, read once per process."""
    folder = resources.files("corpustools").joinpath("rules")
    digest = hashlib.sha256()
    pending = [folder]
    while pending:
        for entry in sorted(pending.pop().iterdir(), key=lambda entry: entry.name):
            if entry.is_dir():
                pending.append(entry)
            elif entry.name.endswith(".toml"):
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]


def _unchanged(output_folder: Path, doc_id: str, previous: dict[str, str], size: int) -> Unchanged | None:
    """The record of an earlier cleaning, if its cleaned file and log are there as written."""
    try:
        cleaned = read_regular_file(output_folder / (doc_id + CLEAN_SUFFIX))
        log = json.loads(read_regular_file(output_folder / (doc_id + LOG_SUFFIX)))
        _check_log(log, doc_id + LOG_SUFFIX, doc_id)
    except (InputError, ValueError):
        return None  # not as written: the article is cleaned again and both files rewritten
    if sha256_bytes(cleaned) != previous.get("sha256") or log.get("cleaned_sha256") != previous.get("sha256"):
        return None
    return Unchanged(
        size, dict(log.get("removed_by_category", {})), tuple(log.get("missing_metadata", ())), tuple(log.get("warnings", ()))
    )


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
            | ({"last_line": r.last_line} if r.last_line > r.line else {})
            | ({"label": r.label, "probability": round(r.probability, 3)} if r.label else {})
            for r in document.removals
        ],
        "missing_metadata": document.metadata.missing(),
        "rejected_metadata": [
            {"field": c.field, "value": c.value, "source": c.source, "confidence": round(c.confidence, 3), "reason": c.reason}
            for c in document.metadata.rejected
        ],
        "warnings": list(document.warnings),
        "metadata": metadata_record(document.metadata),
        "line_digests": line_digests(cleaned.decode("utf-8")),
    }
    return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _tally(summary: RunSummary, document: Document) -> None:
    summary.removed_lines += len(document.removals)
    summary.removed_by_category.update(document.removal_counts())
    summary.missing_fields.update(document.metadata.missing())


def _count_removals(summary: RunSummary, removed_by_category: dict[str, int], missing: Iterable[str]) -> None:
    summary.removed_lines += sum(removed_by_category.values())
    summary.removed_by_category.update(removed_by_category)
    summary.missing_fields.update(missing)


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportOptions:
    force: bool = False
    formats: tuple[str, ...] = ("tei",)
    jobs: int = 1
    schema_href: str = ""
    incremental: bool = True  # an article whose cleaned file, log and edition are unchanged is not rebuilt
    prune: bool = False  # remove the outputs of articles no longer in the input
    keep_edited: bool = False  # a TEI file edited by hand is kept (and goes into corpus.xml as it is), not a failure
    corpus_file: str = INCLUDE  # corpus.xml includes each article's file (tei.corpus.INCLUDE) or embeds a copy (EMBEDDED)


def cleaned_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError("not a folder", str(folder))
    return sorted(path for path in folder.glob("*" + CLEAN_SUFFIX) if not path.name.startswith("."))


def _read_cleaned(path: Path) -> tuple[bytes, str]:
    """A cleaned file's bytes and its text (with Windows line ends, as an editor may leave them, undone)."""
    data = read_regular_file(path)
    try:
        return data, data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 (cleaned files are always UTF-8)", str(path)) from None


def load_cleaned(path: Path) -> tuple[Document, ExportRecord]:
    """A cleaned file and its log, as a Document and what the TEI header reports of it."""
    data, text = _read_cleaned(path)
    document = parse(text, str(path))
    log_path = path.with_name(path.name[: -len(CLEAN_SUFFIX)] + LOG_SUFFIX)
    record = ExportRecord()
    if log_path.is_file():
        try:
            log = json.loads(log_path.read_text("utf-8"))
        except (OSError, ValueError):
            raise InputError("the removal log beside this file is unreadable", str(log_path)) from None
        _check_log(log, log_path.name, str(path))
        layers = Counter(removal["layer"] for removal in log.get("removals", []))
        hand_edited = log.get("cleaned_sha256") != sha256_bytes(data)
        edited_fields: tuple[str, ...] = ()
        if "metadata" in log:  # logs of corpustools before 0.2 do not record it
            restored = restore(document.metadata, log["metadata"])
            document = replace(document, metadata=restored.metadata)
            edited_fields = restored.edited_fields
        digests = log.get("line_digests")
        record = ExportRecord(
            removal_counts=dict(log.get("removed_by_category", {})),
            layer_counts=dict(sorted(layers.items())),
            hand_edited=hand_edited,
            edited_fields=edited_fields,
            edited_lines=changed_lines(digests, text) if hand_edited and digests is not None else (0 if not hand_edited else -1),
        )
        provenance = Provenance(
            source_file=log.get("source", ""),
            source_sha256=log.get("source_sha256", ""),
            encoding=log.get("encoding", "utf-8"),
            repairs=tuple(log.get("repairs", ())),
            removed_characters=int(log.get("removed_characters", 0)),
            hand_edited=record.hand_edited,
        )
        document = replace(document, provenance=provenance)
    return document, record


LOG_LISTS = ("repairs", "missing_metadata", "warnings")
LOG_STRINGS = ("source", "source_sha256", "encoding", "cleaned_sha256")


def _check_log(log: object, name: str, origin: str) -> None:
    """Refuse a removal log that is not the shape corpustools writes (a person or a tool edited it)."""

    def refuse(what: str) -> InputError:
        return InputError(f"its removal log {name} is not what corpustools writes: {what} (delete it, or clean again)", origin)

    if not isinstance(log, dict):
        raise refuse("it is not a JSON object")
    removals = log.get("removals", [])
    if not isinstance(removals, list) or not all(isinstance(removal, dict) and isinstance(removal.get("layer"), str) for removal in removals):
        raise refuse("removals must be a list of removed lines")
    counts = log.get("removed_by_category", {})
    if not isinstance(counts, dict) or not all(isinstance(count, int) and not isinstance(count, bool) for count in counts.values()):
        raise refuse("removed_by_category must map categories to counts")
    for key in LOG_LISTS:
        if not isinstance(log.get(key, []), list):
            raise refuse(f"{key} must be a list")
    characters = log.get("removed_characters", 0)
    if not isinstance(characters, int) or isinstance(characters, bool):
        raise refuse("removed_characters must be a whole number")
    for key in LOG_STRINGS:
        if not isinstance(log.get(key, ""), str):
            raise refuse(f"{key} must be a string")
    if not isinstance(log.get("metadata", {}), dict):
        raise refuse("metadata must be a JSON object")
    digests = log.get("line_digests", [])
    if not isinstance(digests, list) or not all(isinstance(digest, str) for digest in digests):
        raise refuse("line_digests must be a list of strings")


def export_folder(
    clean_folder_path: Path,
    output_folder: Path,
    config: ProjectConfig | None = None,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
    mapper: Mapper | None = None,
) -> RunSummary:
    """`corpustools export`: one TEI file per cleaned article, plus tei/corpus.xml.

    Articles stream through: each is written as it comes, and only a small summary of each is
    kept for the corpus header, so memory does not grow with the corpus.
    """
    from .formats import WRITERS

    config = config or ProjectConfig()
    options = options or ExportOptions()
    check_output_folder(output_folder, clean_folder_path)
    paths = cleaned_files(clean_folder_path)
    mapper = mapper or local_mapper(options.jobs)
    ids = list(mapper(_read_id, paths))
    _refuse_no_cleaned_files(clean_folder_path, paths, ids)
    ensure_folder(output_folder)
    with folder_lock(output_folder):  # one run at a time writes a folder
        manifest = Manifest(output_folder)
        summary = RunSummary()
        entries: list[CorpusEntry] = []
        writers = {name: WRITERS[name](manifest, options.force) for name in options.formats if name != "tei"}
        refused = _id_clashes(paths, ids)
        work = partial(_export_one, config=config, schema_href=options.schema_href, want_tei="tei" in options.formats, output_folder=output_folder)
        tasks = [
            (path, manifest.latest.get(f"{doc_id if isinstance(doc_id, str) else path.stem}.xml") if options.incremental else None)
            for path, doc_id in zip(paths, ids)
            if path not in refused
        ]
        outcomes = iter(mapper(work, tasks))
        for path in paths:
            outcome = CorpusToolsError(refused[path], path.name) if path in refused else next(outcomes)
            summary.articles += 1
            if progress is not None:
                progress(summary.articles, len(paths), 0)
            if isinstance(outcome, CorpusToolsError):
                summary.failures.append((outcome.where(path.name), outcome.message))
                continue
            document, record, tei_bytes, facts = outcome
            try:
                if tei_bytes is not None:
                    try:
                        manifest.write(document.id + ".xml", tei_bytes, options.force, **facts)
                    except HandEditError as problem:
                        # The person's version stands, and is the one the corpus file should hold.
                        usable = _is_tei_article(output_folder / (document.id + ".xml"))
                        in_corpus = "corpus.xml includes it as it is" if usable else "not well-formed TEI, so left out of corpus.xml"
                        if usable and options.keep_edited:
                            summary.kept_edited.append(document.id + ".xml")
                        else:
                            summary.failures.append((problem.path, f"{problem.message}; {in_corpus}"))
                        if not usable:
                            continue
                elif facts:
                    summary.skipped += 1  # unchanged since the last export: the TEI file stands
                for writer in writers.values():
                    writer.add(document, record)
            except CorpusToolsError as problem:
                summary.failures.append((problem.path or path.name, problem.message))
                continue
            entries.append(CorpusEntry.of(document, record))
            summary.written += 1
            _tally(summary, document)
        for name, writer in writers.items():
            try:
                writer.finish()
            except CorpusToolsError as problem:
                summary.failures.append((problem.path or name, problem.message))
        if "tei" in options.formats and entries:
            try:
                with manifest.stream("corpus.xml", options.force) as corpus:
                    if options.corpus_file == EMBEDDED:
                        articles = (_read_back(output_folder / f"{entry.doc_id}.xml") for entry in entries)
                        write_corpus(corpus, entries, articles, config.edition, options.schema_href)  # type: ignore[arg-type]
                    else:
                        write_corpus_of_includes(corpus, entries, config.edition, options.schema_href)  # type: ignore[arg-type]
            except CorpusToolsError as problem:
                summary.failures.append((problem.path or "corpus.xml", problem.message))
        present = {doc_id if isinstance(doc_id, str) else path.stem for path, doc_id in zip(paths, ids)}
        _prune_stale(manifest, present, (".xml", ".txt"), options, summary)
        _save(manifest, summary)
        return summary


def _save(manifest: Manifest, summary: RunSummary) -> None:
    """Compact the journal; if that fails (a full disk), it is one more failure of the run, not
    the end of the report: the journal as appended still records every file written."""
    try:
        manifest.save()
    except CorpusToolsError as problem:
        summary.failures.append((problem.path, problem.message))


def _refuse_no_cleaned_files(folder: Path, paths: Sequence[Path], ids: Sequence[str | CorpusToolsError]) -> None:
    """Stop before writing when the folder holds no cleaned file at all: the wrong folder was given."""
    if not paths:
        hint = " (it holds TEI files: give the folder `clean` wrote)" if any(folder.glob("*.xml")) else ""
        raise NoArticlesError(f"no cleaned articles (*.txt) in this folder{hint}", str(folder))
    if all(isinstance(doc_id, NotCleanedError) for doc_id in ids):
        raise NoArticlesError(
            f"no cleaned files in this folder: none of its {len(paths)} *.txt files starts with the '+++' header `clean` writes "
            f"(raw articles?): run `corpustools clean {folder} -o clean/`, then export clean/",
            str(folder),
        )


def _read_back(path: Path) -> etree._Element:
    """A TEI file of this run (or a person's edit of one), read back for corpus.xml."""
    try:
        return read_article(path.read_bytes())
    except OSError as problem:
        raise InputError(f"cannot read back for corpus.xml: {problem.strerror}", str(path)) from None
    except etree.LxmlError as problem:
        raise InputError(f"cannot read back for corpus.xml: {problem}", str(path)) from None


def _is_tei_article(path: Path) -> bool:
    """Whether a TEI file (one a person edited) can go into corpus.xml: a well-formed TEI element."""
    try:
        return bool(read_article(path.read_bytes()).tag == f"{{{TEI_NS}}}TEI")
    except (OSError, etree.LxmlError):
        return False


def _read_id(path: Path) -> str | CorpusToolsError:
    """A cleaned file's document id; a problem is returned, for the export of the file to report."""
    try:
        return parse_id(_read_cleaned(path)[1], str(path))
    except CorpusToolsError as problem:
        return problem


def _id_clashes(paths: Sequence[Path], ids: Sequence[str | CorpusToolsError]) -> dict[Path, str]:
    """The cleaned files refused because their ids clash, with why: found before anything is written.

    Two ids that name the same output file (also on a file system that ignores case) would
    overwrite each other; two that give the same xml:id ('a b', 'a_b') cannot share the corpus
    file. Like two raw files with one id, both are refused: which one wins is not ours to guess.
    """
    named = [(path, doc_id) for path, doc_id in zip(paths, ids) if isinstance(doc_id, str)]
    refused: dict[Path, str] = {}
    by_name: dict[str, list[tuple[Path, str]]] = {}
    for path, doc_id in named:
        by_name.setdefault(doc_id.casefold(), []).append((path, doc_id))
    for group in by_name.values():
        if len(group) > 1:
            names = ", ".join(path.name for path, _ in group)
            case = "" if len({doc_id for _, doc_id in group}) == 1 else ", ignoring case"
            refused.update((path, f"document id {doc_id!r} is not unique{case} ({names}): refused") for path, doc_id in group)
    by_xml_id: dict[str, list[tuple[Path, str]]] = {}
    for path, doc_id in named:
        if path not in refused:
            by_xml_id.setdefault(xml_id(doc_id), []).append((path, doc_id))
    for shared, group in by_xml_id.items():
        if len(group) > 1:
            names = ", ".join(path.name for path, _ in group)
            refused.update(
                (path, f"document id {doc_id!r} gives the same xml:id {shared!r} as another ({names}): rename one; refused") for path, doc_id in group
            )
    return refused


def _export_one(
    task: tuple[Path, dict[str, str] | None],
    config: ProjectConfig,
    schema_href: str,
    want_tei: bool,
    output_folder: Path,
) -> tuple[Document, ExportRecord, bytes | None, dict[str, str]] | CorpusToolsError:
    """Export one cleaned article; errors are returned (not raised) so a batch can go on.

    The TEI is not rebuilt when the cleaned file, its log, the edition and the version are
    those recorded when it was last written, and the TEI file is as written (then no bytes and
    the facts come back).
    """
    path, previous = task
    try:
        document, record = load_cleaned(path)
        check_document_id(document.id, str(path))
        if not want_tei:
            return document, record, None, {}
        facts = _export_facts(path, config, schema_href)
        target = output_folder / (document.id + ".xml")
        if previous is not None and all(previous.get(name) == value for name, value in facts.items()):
            try:
                if sha256_bytes(target.read_bytes()) == previous.get("sha256"):
                    return document, record, None, facts
            except OSError:
                pass
        return document, record, serialise(build_tei(document, record, config.edition), schema_href), facts
    except CorpusToolsError as problem:
        return problem
    except etree.LxmlError as problem:
        return CorpusToolsError(f"cannot build the TEI: {problem}", str(path))


def _export_facts(path: Path, config: ProjectConfig, schema_href: str) -> dict[str, str]:
    """What decides an article's TEI: its cleaned file and log, the edition, the version."""
    log = path.with_name(path.name[: -len(CLEAN_SUFFIX)] + LOG_SUFFIX)
    try:
        log_digest = sha256_bytes(log.read_bytes()) if log.is_file() else ""
        cleaned_digest = sha256_bytes(path.read_bytes())
    except OSError as problem:
        raise InputError(f"cannot read: {problem.strerror}", str(path)) from None
    edition = json.dumps([repr(config.edition), schema_href], sort_keys=True)
    return {
        "cleaned_sha256": cleaned_digest,
        "log_sha256": log_digest,
        "edition": sha256_bytes(edition.encode())[:16],
        "corpustools": __version__,
    }


# ---------------------------------------------------------------- validate


def validate_files(paths: Iterable[Path], jobs: int = 1, progress: Progress | None = None) -> tuple[int, list[Problem]]:
    """`corpustools validate` over `jobs` processes: (files checked, problems), in file order.

    Each process loads the schemas once (validate.relax_ng is cached per process).
    """
    # (file, whether it came from a folder: then every *.xml beside it is checked too)
    tasks = [(file, path.is_dir()) for path in paths for file in (sorted(path.glob("*.xml")) if path.is_dir() else [path])]
    problems: list[Problem] = []
    # An article a corpus.xml includes is checked once, as a file of its own (in its own process).
    # Only the files named one by one travel with each task: a folder's could be millions.
    named = frozenset(str(file) for file, from_folder in tasks if not from_folder)
    work = partial(_validate_task, named=named)
    for done, found in enumerate(_map(work, tasks, jobs), start=1):
        problems.extend(found)
        if progress is not None:
            progress(done, len(tasks), 0)
    return len(tasks), problems


def _validate_task(task: tuple[Path, bool], named: frozenset[str]) -> list[Problem]:
    from .validate import validate_file

    path, from_folder = task
    return validate_file(path, checked_separately=named, siblings_checked=from_folder)


# ---------------------------------------------------------------- running the work


def _map(function: Callable, items: Iterable, jobs: int) -> Iterable:  # type: ignore[type-arg]
    """map() in order, over `jobs` processes when more than one is asked for."""
    items = list(items)
    if jobs <= 1 or len(items) < 2:
        return map(function, items)
    preload = PRELOADS.get(function.func if isinstance(function, partial) else function)
    if preload is not None:
        preload()  # in the parent, once: the forked workers inherit what it loaded
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(os.getpid(),))
    chunk = max(1, min(64, len(items) // (jobs * 4) or 1))
    results = executor.map(function, items, chunksize=chunk)

    def drain() -> Iterable:  # type: ignore[type-arg]
        try:
            yield from results
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)  # stopped: the work not begun is dropped
            raise
        else:
            executor.shutdown()

    return drain()


def _load_clean_models() -> None:
    """Load what cleaning an article loads on first use (the line labeller's model, the language
    identifier, the date parser), so that workers forked after it start with them (issue 15:
    each worker loaded them itself, 17% more CPU at --jobs 2)."""
    import py3langid

    from .labeller.gbm import loaded
    from .metadata import _date_parser

    loaded()
    py3langid.classify("preload")
    _date_parser().get_date_data("1 January 2000")


PRELOADS: dict[Callable, Callable[[], None]] = {_clean_one: _load_clean_models}  # type: ignore[type-arg]

PARENT_CHECK_SECONDS = 0.2


def _start_worker(parent: int) -> None:
    """In each worker process: stop with the run. A worker writes nothing, so it can just go."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the CLI's handler is for the run, not for a worker
    threading.Thread(target=_exit_with, args=(parent,), name="corpustools-parent", daemon=True).start()


def _exit_with(parent: int) -> None:
    """Exit once the parent is gone (killed, or stopped by SIGTERM): an orphan would work on for minutes."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
