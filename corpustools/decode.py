"""bytes -> text: encoding detection and text repair, recording every repair made.

Scraped files arrive in any encoding, with any line endings and with mojibake from earlier
mis-decodings. Each repair is recorded as a short sentence so the TEI header can say exactly
what was done to the text (and a scholar can judge it).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
import ftfy
from ftfy.badness import is_bad

from .errors import DecodeError, InputError
from .model import DecodedText

# File signatures of formats people rename to .txt by mistake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable program"),
    (b"RIFF", "RIFF media file"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF),
# plus zero-width characters that only ever hide text from search (ZWNJ/ZWJ stay: scripts and
# emoji sequences need them).
UNWANTED_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff\u200b\u2060\ufeff]"
)
LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
SPACE_RUNS = re.compile("[ \t]{2,}")
TRAILING_SPACE = re.compile("[ \t]+$", re.MULTILINE)

# ftfy is asked to undo mojibake and nothing else: quotes, ligatures and widths are the
# source's typography and stay as they are.
MOJIBAKE_FIXER = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)


def sniff_binary(data: bytes) -> str:
    """Name the binary format of `data`, or return "" when it may be text."""
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    return ""


def detect_encoding(data: bytes) -> tuple[str, bytes]:
    """Return (encoding, payload without BOM). UTF-8 first: it is nearly always right."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, data[len(bom) :]
    try:
        data.decode("utf-8")
        return "utf-8", data
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("not text in any encoding corpustools recognises")
    return best.encoding, data


def decode_bytes(data: bytes) -> DecodedText:
    """Decode raw article bytes and repair the text; raise InputError for non-text input."""
    if not data.strip():
        raise InputError("empty file (no text at all)" if not data else "file holds only whitespace")
    binary = sniff_binary(data)
    if binary:
        raise InputError(f"binary file ({binary}), not text")
    encoding, payload = detect_encoding(data)
    if b"\x00" in payload and not encoding.startswith(("utf-16", "utf-32")):
        raise InputError("binary file (holds NUL bytes), not text")
    text = payload.decode(encoding, errors="strict")
    repairs: list[str] = []
    if encoding != "utf-8":
        repairs.append(f"decoded from {encoding}")
    if data.startswith(BOMS[2][0]):
        repairs.append("removed the UTF-8 byte order mark")
    return repair_text(text, encoding, repairs)


def repair_text(text: str, encoding: str = "utf-8", repairs: list[str] | None = None) -> DecodedText:
    """Repair decoded text: line endings, mojibake, forbidden characters, spaces."""
    repairs = list(repairs or [])
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = LINE_BREAKS.sub("\n", text)
        repairs.append("normalised line endings to LF")
    if is_bad(text):
        fixed = ftfy.fix_and_explain(text, MOJIBAKE_FIXER)
        if fixed.text != text:
            steps = ", ".join(f"{action} {detail}" for action, detail in fixed.explanation or [])
            repairs.append(f"repaired mojibake with ftfy ({steps})")
            text = fixed.text
    text, removed = UNWANTED_CHARACTERS.subn("", text)
    if removed:
        repairs.append(f"removed {removed} control, surrogate or zero-width characters")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        repairs.append("normalised Unicode to NFC")
    if "\t" in text or "  " in text:
        squeezed = SPACE_RUNS.sub(" ", text.replace("\t", " "))
        if squeezed != text:
            text = squeezed
            repairs.append("collapsed runs of spaces and tabs")
    text = TRAILING_SPACE.sub("", text)
    return DecodedText(text=text, encoding=encoding, repairs=tuple(repairs), removed_characters=removed)
