"""Every input that ever crashed a fuzzing target (tests/fuzz_regressions/*.bin), replayed for good.

Each file goes through the three targets of tools/fuzz.py: decode_bytes, clean_text on the bytes,
and clean_text + TEI export on the text (surrogateescape keeps undecodable bytes as lone
surrogates). Only corpustools' InputError may be raised, and the TEI must parse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from corpustools.decode import decode_bytes
from corpustools.errors import InputError
from corpustools.pipeline import clean_text
from corpustools.tei import build_tei, serialise

REGRESSIONS = sorted((Path(__file__).parent / "fuzz_regressions").glob("*.bin"))


def test_the_regression_folder_is_not_empty() -> None:
    assert len(REGRESSIONS) >= 5


@pytest.mark.parametrize("path", REGRESSIONS, ids=[path.stem for path in REGRESSIONS])
def test_fuzz_regression(path: Path) -> None:
    data = path.read_bytes()
    try:
        decoded = decode_bytes(data)
    except InputError as problem:
        assert problem.message
    else:
        assert "\x00" not in decoded.text
        document = clean_text(data, path.stem)
        etree.fromstring(serialise(build_tei(document)))
    text_document = clean_text(data.decode("utf-8", "surrogateescape"), path.stem)
    tei = serialise(build_tei(text_document))
    etree.fromstring(tei)
    assert tei == serialise(build_tei(text_document))
