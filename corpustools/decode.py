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
from ftfy.badness import BADNESS_RE
from ftfy.fixes import remove_terminal_escapes

from .errors import DecodeError, InputError
from .model import DecodedText
from .prefilter import NonAsciiWindows

# ftfy's badness test (ftfy.badness.is_bad), searched only around non-ASCII characters: the
# same answer, three times faster (it was a third of the cleaning time).
MOJIBAKE_TEST = NonAsciiWindows(BADNESS_RE)

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


# Among single-byte encodings charset_normalizer finds equally plausible (it often ties cp1250,
# cp1252 and cp1257 on short texts), the one Western European scraped text nearly always is.
PREFERRED_LEGACY_ENCODINGS: tuple[str, ...] = ("cp1252", "latin_1", "iso8859_15", "cp1250", "cp1251")
# The largest share of non-ASCII letters a Western European text has (Portuguese, Icelandic
# and French stay far below it; Cyrillic or Greek read as Windows-1252 is near 100%).
WESTERN_ACCENTED_SHARE = 0.3
# EBCDIC code pages decode any bytes at all; no scraped web text is in one.
EXCLUDED_ENCODINGS: list[str] = ["cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"]
# An encoded UTF-16 surrogate (ED A0-BF 80-BF): CESU-8 or WTF-8 output, not valid UTF-8.
ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def sniff_binary(data: bytes) -> str:
    """Name the binary format of `data`, or return "" when it may be text."""
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    return ""


def detect_encoding(data: bytes) -> tuple[str, bytes]:
    """Return (encoding, payload without BOM). UTF-8 first: it is nearly always right.

    "utf-8" is also returned for text that is mostly UTF-8 with a few stray bytes (a file
    pasted together from two sources): `decode_payload` repairs those bytes one by one, which
    keeps every correct character, where guessing a legacy encoding would garble all of them.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, data[len(bom) :]
    try:
        data.decode("utf-8")
        return "utf-8", data
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return "utf-8", data
    if _reads_as_western(data):
        return "cp1252", data
    matches = charset_normalizer.from_bytes(data, cp_exclusion=EXCLUDED_ENCODINGS)
    best = matches.best()
    if best is None:
        raise DecodeError("not text in any encoding corpustools recognises")
    tied = {match.encoding for match in matches if (match.chaos, match.coherence) == (best.chaos, best.coherence)}
    preferred = next((name for name in PREFERRED_LEGACY_ENCODINGS if name in tied), best.encoding)
    return preferred, data


def _reads_as_western(data: bytes) -> bool:
    """True when `data` reads as Windows-1252 text in a Western European language.

    charset_normalizer guesses poorly on short texts (a French paragraph in Latin-1 came out as
    Big5). In Western languages accented letters are a small share of all letters, whereas
    Cyrillic, Greek, Hebrew or CJK bytes read as Windows-1252 give words made only of them.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes 81, 8D, 8F, 90 and 9D are not Windows-1252
        return False
    letters = [character for character in text if character.isalpha()]
    accented = sum(1 for character in letters if not character.isascii())
    return bool(letters) and accented <= WESTERN_ACCENTED_SHARE * len(letters)


def _mostly_utf8(data: bytes) -> bool:
    """True when valid UTF-8 multi-byte sequences outnumber the bytes that are not UTF-8."""
    surrogates = len(ENCODED_SURROGATE.findall(data))
    data = ENCODED_SURROGATE.sub(b"", data)
    valid = len(UTF8_MULTIBYTE.findall(data)) + surrogates
    if not valid:
        return False
    invalid = 0
    position = 0
    while True:
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as problem:
            invalid += problem.end - problem.start
            position += problem.end
    return valid >= invalid


def decode_payload(payload: bytes, encoding: str) -> tuple[str, list[str]]:
    """Decode `payload`, repairing what does not decode; return (text, repairs made).

    Encoded surrogates become lone surrogates (removed and counted later, with the other
    characters XML cannot hold); any other stray byte in UTF-8 text is read as Windows-1252,
    the usual source of such bytes; in UTF-16/32 a truncated or broken unit becomes U+FFFD.
    """
    repairs: list[str] = []
    try:
        return payload.decode(encoding), repairs
    except UnicodeDecodeError:
        pass
    if encoding != "utf-8":
        text = payload.decode(encoding, errors="replace")
        count = text.count("\ufffd") - payload.decode(encoding, errors="ignore").count("\ufffd")
        repairs.append(f"replaced {_plural(count, 'undecodable ' + encoding + ' sequence')} with U+FFFD")
        return text, repairs
    pieces: list[str] = []
    stray = 0
    position = 0
    while position < len(payload):
        try:
            pieces.append(payload[position:].decode("utf-8"))
            break
        except UnicodeDecodeError as problem:
            start = position + problem.start
            pieces.append(payload[position:start].decode("utf-8"))
            surrogate = ENCODED_SURROGATE.match(payload, start)
            if surrogate:
                pieces.append(surrogate.group().decode("utf-8", errors="surrogatepass"))
                position = surrogate.end()
                continue
            byte = payload[start : start + 1]
            pieces.append(byte.decode("cp1252", errors="replace"))
            stray += 1
            position = start + 1
    if stray:
        repairs.append(f"decoded {_plural(stray, 'byte')} that were not UTF-8 as Windows-1252")
    return "".join(pieces), repairs


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
    text, repairs = decode_payload(payload, encoding)
    if encoding != "utf-8":
        repairs.insert(0, f"decoded from {encoding}")
    if data.startswith(BOMS[2][0]):
        repairs.append("removed the UTF-8 byte order mark")
    if not text.strip():
        raise InputError("file holds only whitespace")
    decoded = repair_text(text, encoding, repairs)
    if not decoded.text.strip():
        raise InputError("file holds no visible text (only control or invisible characters)")
    return decoded


def repair_text(text: str, encoding: str = "utf-8", repairs: list[str] | None = None) -> DecodedText:
    """Repair decoded text: line endings, mojibake, forbidden characters, spaces."""
    repairs = list(repairs or [])
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = LINE_BREAKS.sub("\n", text)
        repairs.append("normalised line endings to LF")
    if "\x1b" in text:
        unescaped = remove_terminal_escapes(text)
        if unescaped != text:
            text = unescaped
            repairs.append("removed terminal colour escape sequences")
    text, steps = fix_mojibake(text)
    if steps:
        repairs.append(f"repaired mojibake with ftfy ({', '.join(steps)})")
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


def fix_mojibake(text: str) -> tuple[str, list[str]]:
    """Undo mojibake line by line; return the text and the distinct ftfy steps taken.

    Line by line because mojibake comes from pasted fragments, and because ftfy's badness test
    is slow (seconds on a 10 MB line): ASCII lines, which cannot hold mojibake, are skipped.
    """
    if text.isascii():
        return text, []
    steps: list[str] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.isascii() or not MOJIBAKE_TEST.search(line):
            continue
        fixed = ftfy.fix_and_explain(line, MOJIBAKE_FIXER)
        if fixed.text == line:
            continue
        lines[index] = fixed.text
        for action, detail in fixed.explanation or []:
            step = f"{action} {detail}"
            if step not in steps:
                steps.append(step)
    return "\n".join(lines), steps
