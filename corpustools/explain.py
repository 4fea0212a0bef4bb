"""`corpustools clean --explain FILE`: every line with its label, the model's probability, the
features that weighed most and, for a removed line, the rule or layer that proposed it.

The corpus layer needs the other articles of the source, so the file is explained in the
context of its folder, exactly as `clean` on that folder would decide.
"""

from __future__ import annotations

from pathlib import Path

from .batch import count_lines, source_of
from .catalogue import load_catalogue
from .clean import split_lines
from .config import ProjectConfig
from .io import list_inputs, read_input, sha256_bytes
from .model import Layer
from .pipeline import clean_text, decode
from .rules import ruleset_for

KEPT_MARK = " "
REMOVED_MARK = "-"


def explain_file(path: Path, config: ProjectConfig, max_bytes: int) -> str:
    """The decoded article, one line per source line: `-` and the rule for each removed line."""
    folder = path.parent
    inputs, _problems = list_inputs(folder)
    catalogue = load_catalogue(folder)
    item = next((candidate for candidate in inputs if candidate.path.resolve() == path.resolve()), None)
    if item is None:
        from .io import InputFile

        item = InputFile(path, path.stem, "", path.name)
    counts = count_lines(inputs, catalogue, max_bytes)
    data = read_input(item, max_bytes)
    source = source_of(item, catalogue, decode(data).text)
    document = clean_text(
        data, item.doc_id, ruleset=ruleset_for(config.rules, source), counts=counts, source=source,
        catalogue=catalogue.entry(item.doc_id), source_sha256=sha256_bytes(data), explain=True,
    )
    removed = {line: removal for removal in document.removals for line in removal.source_lines}
    decided = {decision.line: decision for decision in document.decisions}
    lines = split_lines(decode(data).text)
    width = len(str(len(lines)))
    out = [f"# {item.relative}: {len(removed)} of {sum(1 for line in lines if line.text.strip())} non-blank lines removed"]
    for line in lines:
        removal = removed.get(line.number)
        decision = decided.get(line.number)
        reasons = [f"{decision.label} {decision.probability:.2f}"] if decision else []
        if removal is not None:
            by = "" if removal.layer == Layer.LABELLER else f"{removal.layer.value}: "  # else a user's rule or blank
            reasons.append(f"{by}{removal.rule} ({removal.category.value})")
        if decision and decision.features:
            reasons.append("weighed: " + ", ".join(f"{name} {weight:+.2f}" for name, weight in decision.features))
        mark = KEPT_MARK if removal is None else REMOVED_MARK
        reason = f"    [{' · '.join(reasons)}]" if reasons else ""
        out.append(f"{mark} {line.number:>{width}} | {line.text}{reason}")
    counts_by_category = ", ".join(f"{name} {count}" for name, count in document.removal_counts().items())
    out.append(f"# removed by category: {counts_by_category or 'nothing'}")
    metadata = document.metadata
    for name in ("title", "publication", "date", "issue", "language"):
        field = getattr(metadata, name)
        out.append(f"# {name}: {field.value or '(not found)'}" + (f"  <- {field.source}" if field.source else ""))
    authors = "; ".join(f"{a.name}" + (f" ({a.affiliation})" if a.affiliation else "") for a in metadata.authors)
    out.append(f"# authors: {authors or '(not found)'}")
    for candidate in metadata.rejected:
        out.append(f"# rejected {candidate.field}: {candidate.value!r} ({candidate.confidence:.2f}: {candidate.reason})  <- {candidate.source}")
    return "\n".join(out) + "\n"
