"""The library API: what the command line does, callable from Python (the CLI is a thin layer over it).

Strings and bytes:

    from corpustools.api import clean_text, to_tei_string
    document = clean_text(raw_bytes, "my-id")
    document.metadata.title.value        # a value, or "" when not found
    xml = to_tei_string(document)        # the header counts the document's own removals

Folders, as `corpustools clean`, `export` and `validate` run them:

    from pathlib import Path
    from corpustools.api import clean_folder, export_folder, load_config, validate_paths
    config = load_config(Path("corpustools.toml"))   # or None: the defaults
    summary = clean_folder(Path("raw"), Path("clean"), config)
    summary = export_folder(Path("clean"), Path("tei"), config)
    checked, problems = validate_paths([Path("tei")])

Each folder call returns a RunSummary (`.ok`, `.failures`: (file, problem) pairs) instead of
exiting: one bad article is a failure in the summary, and the others are still written.
"""

from __future__ import annotations

from .batch import CleanOptions, ExportOptions, RunSummary, clean_folder, export_folder
from .config import ProjectConfig, load_config
from .model import Document
from .pipeline import clean_text
from .tei import Edition, ExportRecord, build_tei, serialise, text_units, to_tei_string
from .validate import Problem, validate_paths

__all__ = [
    "CleanOptions",
    "Document",
    "Edition",
    "ExportOptions",
    "ExportRecord",
    "Problem",
    "ProjectConfig",
    "RunSummary",
    "build_tei",
    "clean_folder",
    "clean_text",
    "export_folder",
    "load_config",
    "serialise",
    "text_units",
    "to_tei_string",
    "validate_paths",
]
