"""A hypothesis-based fuzzing campaign on the decoder, the cleaner and the TEI exporter.

    python tools/fuzz.py --seconds 180                 # every target, 3 minutes each
    python tools/fuzz.py --target decode --seconds 60

Each target runs random (and shrunk) inputs for the given time. An input that raises anything but
corpustools' own InputError, or gives a TEI file that does not parse, is a crash: it is written to
tests/fuzz_regressions/<target>-<sha>.bin, where tests/test_fuzz_regressions.py replays it for
good. Exit status 1 if anything crashed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree

from corpustools.decode import decode_bytes
from corpustools.errors import InputError
from corpustools.pipeline import clean_text
from corpustools.tei import build_tei, serialise

REGRESSIONS = Path(__file__).resolve().parent.parent / "tests" / "fuzz_regressions"

# Byte fragments that steer random input towards the decoder's branches.
FRAGMENTS = [
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\r\n", b"\r", b"\xed\xa0\x80", b"\xc3\xa9",
    b"\xe2\x80\x99", b"\xc3\xa2\xe2\x82\xac\xe2\x84\xa2", b"\xe9", b"\x1b[31m", b"\x89PNG\r\n\x1a\n",
    b"\xf0\x9f\x98\x80", b"\xd8\xb9", b"Subscribe to our newsletter!", b"By Jane Doe", b"\n\n", b"# ",
    b"> ", b"- ", b"1) ", b"+++\n", b"[title] ", b"\\", b"12 March 2024", b"\t", b"  ",
]
fuzz_bytes = st.one_of(st.binary(max_size=2000), st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=20)), max_size=60).map(b"".join))
fuzz_text = st.one_of(st.text(max_size=2000), fuzz_bytes.map(lambda data: data.decode("utf-8", "surrogateescape")))


def run_decode(data: bytes) -> None:
    try:
        decode_bytes(data)
    except InputError:
        pass


def run_clean(data: bytes) -> None:
    try:
        clean_text(data, "fuzz")
    except InputError:
        pass


def run_export(data: bytes) -> None:
    """Text (lone surrogates and all, via surrogateescape) through clean_text and the TEI export."""
    text = data.decode("utf-8", "surrogateescape")
    document = clean_text(text, "fuzz")
    tei = serialise(build_tei(document))
    etree.fromstring(tei)
    assert tei == serialise(build_tei(document)), "the export is not deterministic"


TARGETS: dict[str, Callable[[bytes], None]] = {"decode": run_decode, "clean": run_clean, "export": run_export}


def campaign(name: str, seconds: float) -> tuple[int, list[bytes]]:
    """Run one target for `seconds`; return (inputs tried, one crashing input per distinct crash)."""
    target = TARGETS[name]
    crashes: dict[str, bytes] = {}
    tried = 0
    strategy = fuzz_bytes if name != "export" else fuzz_text.map(lambda text: text.encode("utf-8", "surrogateescape"))
    end = time.monotonic() + seconds

    @settings(max_examples=500, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def probe(data: bytes) -> None:
        nonlocal tried
        if time.monotonic() > end:
            return
        tried += 1
        try:
            target(data)
        except Exception as problem:  # noqa: BLE001 - any exception is a crash: keep the smallest input per place
            frame = traceback.extract_tb(problem.__traceback__)[-1]
            key = f"{type(problem).__name__} at {frame.filename}:{frame.lineno}"
            if key not in crashes or len(data) < len(crashes[key]):
                if key not in crashes:
                    print(f"crash in {name}: {key}: {problem}", file=sys.stderr)
                crashes[key] = data

    while time.monotonic() < end:
        probe()
    for data in crashes.values():
        save(name, data)
    return tried, list(crashes.values())


def save(name: str, data: bytes) -> Path:
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    path = REGRESSIONS / f"{name}-{hashlib.sha256(data).hexdigest()[:12]}.bin"
    path.write_bytes(data)
    print(f"crash in {name}: saved {path.relative_to(REGRESSIONS.parent.parent)}", file=sys.stderr)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=sorted(TARGETS), action="append", help="Fuzz only this target (repeatable).")
    parser.add_argument("--seconds", type=float, default=60.0, help="Time per target (default 60).")
    arguments = parser.parse_args()
    failed = False
    for name in arguments.target or list(TARGETS):
        tried, crashes = campaign(name, arguments.seconds)
        print(f"{name}: {tried} inputs in {arguments.seconds:.0f} s, {len(crashes)} crashes")
        failed = failed or bool(crashes)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
