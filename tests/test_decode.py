"""decode.py: bytes -> text, every repair recorded, non-text refused with a specific message."""

from __future__ import annotations

import codecs
import time

import pytest

from corpustools.decode import decode_bytes, repair_text
from corpustools.errors import DecodeError, InputError

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file (no text at all)"),
        (b"   \n\t\r\n  ", "file holds only whitespace"),
        (codecs.BOM_UTF8, "file holds only whitespace"),  # a BOM and nothing else
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "file holds only whitespace"),
        (b"\x01\x02\x03\x1b\x7f\n", "file holds no visible text (only control or invisible characters)"),
        (b"Some text\x00with a NUL byte\n", "binary file (holds NUL bytes), not text"),
        (PNG_HEADER, "binary file (PNG image), not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (PDF document), not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image), not text"),
    ],
    ids=["empty", "whitespace", "bom-only", "utf16-whitespace", "controls-only", "nul", "png", "pdf", "jpeg"],
)
def test_non_text_is_refused_with_a_specific_message(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as raised:
        decode_bytes(data)
    assert raised.value.message == message


def test_bytes_in_no_known_encoding_are_a_decode_error() -> None:
    # Only C1 bytes and controls, no valid UTF-8 sequence: charset_normalizer finds no text.
    with pytest.raises(DecodeError, match="not text in any encoding corpustools recognises"):
        decode_bytes(bytes(range(0x80, 0xA0)) * 4 + b"\x01\x02\x03" * 40)


def test_plain_utf8_needs_no_repair() -> None:
    decoded = decode_bytes("Über den Fluss — “quoted”.\n".encode())
    assert decoded.text == "Über den Fluss — “quoted”.\n"
    assert decoded.encoding == "utf-8"
    assert decoded.repairs == ()


def test_utf8_bom_is_removed_and_recorded() -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + "Café au lait\n".encode())
    assert decoded.text == "Café au lait\n"
    assert decoded.repairs == ("removed the UTF-8 byte order mark",)


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom_is_decoded_and_recorded(bom: bytes, codec: str) -> None:
    decoded = decode_bytes(bom + "Grüße aus Köln\n".encode(codec))
    assert decoded.text == "Grüße aus Köln\n"
    assert decoded.encoding == codec
    assert decoded.repairs == (f"decoded from {codec}",)


def test_truncated_utf16_is_repaired_not_a_crash() -> None:
    # An odd number of bytes after the BOM: the last half unit cannot be decoded.
    decoded = decode_bytes(codecs.BOM_UTF16_LE + "Hello".encode("utf-16-le") + b"\x00")
    assert decoded.text == "Hello\ufffd"
    assert decoded.repairs == ("decoded from utf-16-le", "replaced 1 undecodable utf-16-le sequence with U+FFFD")


def test_cp1252_text_is_detected_as_cp1252() -> None:
    text = "The “café” costs 5 €. Déjà vu — naïve.\n\nAnother paragraph with façade and œuvre.\n"
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.encoding == "cp1252"
    assert decoded.repairs == ("decoded from cp1252",)


def test_latin1_text_is_not_mistaken_for_central_european() -> None:
    # charset_normalizer ties cp1250 with cp1252 here; cp1250 would read "naïve" as "naďve".
    text = "Ünïcödé text in latin-1, très bien. Ça va, naïve.\n"
    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded.text == text
    assert decoded.repairs == ("decoded from cp1252",)


def test_cyrillic_legacy_encoding_is_detected() -> None:
    text = "Привет мир, это обычный текст статьи.\n"
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.text == text
    assert decoded.encoding == "cp1251"


def test_stray_bytes_in_utf8_are_read_as_cp1252_and_counted() -> None:
    # A UTF-8 article with one Latin-1 word pasted in: every other character stays right.
    data = "Café déjà vu — naïve “quoted”. ".encode() * 5 + b"caf\xe9 and \xff end\n"
    decoded = decode_bytes(data)
    assert decoded.text == "Café déjà vu — naïve “quoted”. " * 4 + "Café déjà vu — naïve “quoted”. café and ÿ end\n"
    assert decoded.encoding == "utf-8"
    assert decoded.repairs == ("decoded 2 bytes that were not UTF-8 as Windows-1252",)


def test_encoded_surrogates_are_removed_and_counted() -> None:
    # CESU-8 style bytes for U+D800 and U+DFFF: lone surrogates XML cannot hold.
    decoded = decode_bytes(b"Caf\xc3\xa9 one \xed\xa0\x80two\xed\xbf\xbf three\n")
    assert decoded.text == "Café one two three\n"
    assert decoded.removed_characters == 2
    assert decoded.repairs == ("removed 2 control, surrogate or zero-width characters",)


def test_control_characters_are_removed_and_counted() -> None:
    decoded = decode_bytes(b"Bell\x07 and\x0b vertical tab\x0c form feed\x7f delete\n")
    assert decoded.text == "Bell and vertical tab form feed delete\n"
    assert decoded.removed_characters == 4


def test_terminal_colour_escapes_are_removed_whole() -> None:
    decoded = decode_bytes(b"Red \x1b[31mwarning\x1b[0m text\n")
    assert decoded.text == "Red warning text\n"
    assert decoded.repairs == ("removed terminal colour escape sequences",)


def test_mixed_line_endings_become_lf() -> None:
    decoded = decode_bytes(b"one\r\ntwo\rthree\nfour\r\n")
    assert decoded.text == "one\ntwo\nthree\nfour\n"
    assert decoded.repairs == ("normalised line endings to LF",)


def test_mojibake_is_repaired_and_the_ftfy_steps_recorded() -> None:
    decoded = decode_bytes("Itâ€™s the cafÃ©â€™s menu.\nA clean line.\n".encode())
    assert decoded.text == "It’s the café’s menu.\nA clean line.\n"
    assert decoded.repairs == ("repaired mojibake with ftfy (encode sloppy-windows-1252, decode utf-8)",)


def test_mojibake_on_one_line_leaves_the_others_alone() -> None:
    # "Ã©" is mojibake on line 1; line 2 is correct text and must not be touched.
    text = repair_text("cafÃ© crÃ¨me\nΑθήνα — Ελλάδα\n").text
    assert text == "café crème\nΑθήνα — Ελλάδα\n"


def test_right_to_left_text_and_emoji_are_kept_exactly() -> None:
    text = "عنوان المقال 😀\nזהו טקסט בעברית 👍🏽 👨\u200d👩\u200d👧\n"
    decoded = decode_bytes(text.encode())
    assert decoded.text == text
    assert decoded.repairs == ()


def test_decomposed_unicode_is_normalised_to_nfc_and_recorded() -> None:
    decoded = decode_bytes("Cafe\u0301\n".encode())
    assert decoded.text == "Café\n"
    assert decoded.repairs == ("normalised Unicode to NFC",)


def test_ten_megabytes_on_one_line_decode_quickly() -> None:
    data = ("word café " * 1_000_000).encode()  # 11 MB, one line, non-ASCII
    start = time.monotonic()
    decoded = decode_bytes(data)
    assert time.monotonic() - start < 15
    assert len(decoded.text) == len(data.decode()) - 1  # only the trailing space goes
