"""`corpustools clean` / `export` on hostile folders: each case a clear one-line error or a recorded repair.

Every test runs the real CLI (click's CliRunner, or a subprocess where a signal or another user is
needed) on files written into a temporary folder, and checks the exit code, the exact message,
what was written and that raw/ was left untouched.
"""

from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from corpustools.cleanfile import parse
from corpustools.cli import main
from corpustools.io import MANIFEST_NAME

TEI = "{http://www.tei-c.org/ns/1.0}"
GOOD_ARTICLE = "The harbour committee meets again\n\nThe committee met on Tuesday to discuss the budget for the new pier.\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def make_raw(folder: Path, files: dict[str, bytes | str]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and modification time: raw/ must never change."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes() if not path.is_symlink() else b"->", path.lstat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


def clean(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["clean", *map(str, args)], catch_exceptions=False)


def export(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["export", *map(str, args)], catch_exceptions=False)


def errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line]


def outputs(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name != MANIFEST_NAME)


def log_of(out: Path, doc_id: str) -> dict:  # type: ignore[type-arg]
    return json.loads((out / f"{doc_id}.log.json").read_text("utf-8"))


def tei_of(tmp_path: Path, clean_folder: Path, doc_id: str) -> tuple[bytes, etree._Element]:
    tei = tmp_path / "tei"
    result = export(clean_folder, "-o", tei, "--quiet")
    assert result.exit_code == 0, result.output
    data = (tei / f"{doc_id}.xml").read_bytes()
    return data, etree.fromstring(data, etree.XMLParser(huge_tree=True))  # the 10 MB paragraph


def normalization(root: etree._Element) -> str:
    return "".join(root.find(f".//{TEI}editorialDecl/{TEI}normalization").itertext())


# ---------------------------------------------------------------- refused, with a one-line error


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file (no text at all)"),
        ("blank.txt", b"  \n\t\n \r\n", "file holds only whitespace"),
        ("bom only.txt", codecs.BOM_UTF8 + b"\n", "file holds only whitespace"),
        ("controls.txt", b"\x01\x02\x1b\x7f\n", "file holds no visible text (only control or invisible characters)"),
        ("nul.txt", b"Plain start\x00\x00\x00binary tail", "binary file (holds NUL bytes), not text"),
        ("image.txt", PNG_HEADER + bytes(range(256)), "binary file (PNG image), not text"),
        ("garbage.txt", bytes(range(0x80, 0xA0)) * 4 + b"\x01\x02\x03" * 40, "not text in any encoding corpustools recognises"),
    ],
    ids=["empty", "whitespace", "bom-only", "controls-only", "nul-bytes", "png-renamed", "undecodable"],
)
def test_non_text_is_refused_by_name_and_the_others_cleaned(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    raw = make_raw(tmp_path / "raw", {name: content, "good.txt": GOOD_ARTICLE})
    before = snapshot(raw)
    result = clean(raw, "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert errors(result) == [f"error: {name}: {message}"]
    assert outputs(tmp_path / "out") == ["good.log.json", "good.txt"]
    assert snapshot(raw) == before


def test_file_over_max_bytes_is_refused_with_the_limit(tmp_path: Path) -> None:
    raw = make_raw(tmp_path / "raw", {"big.txt": "word " * 400, "good.txt": GOOD_ARTICLE})
    result = clean(raw, "-o", tmp_path / "out", "--max-bytes", "1000", "--quiet")
    assert result.exit_code == 1
    assert errors(result) == ["error: big.txt: file is 2,000 bytes, over the limit of 1,000 (raise it with --max-bytes)"]
    assert outputs(tmp_path / "out") == ["good.log.json", "good.txt"]


def test_zero_max_bytes_is_a_usage_error(tmp_path: Path) -> None:
    raw = make_raw(tmp_path / "raw", {"good.txt": GOOD_ARTICLE})
    result = clean(raw, "-o", tmp_path / "out", "--max-bytes", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--max-bytes': 0 is not in the range x>=1." in result.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- repaired, and the repair recorded


@pytest.mark.parametrize(
    ("content", "encoding", "repair", "expected"),
    [
        (codecs.BOM_UTF8 + "Café society\n\nA paragraph about the café.\n".encode(), "utf-8",
         "removed the UTF-8 byte order mark", "A paragraph about the café."),
        (codecs.BOM_UTF16_LE + "Grüße aus Köln\n\nEin Absatz über die Brücke.\n".encode("utf-16-le"), "utf-16-le",
         "decoded from utf-16-le", "Ein Absatz über die Brücke."),
        (codecs.BOM_UTF16_BE + "Grüße aus Köln\n\nEin Absatz über die Brücke.\n".encode("utf-16-be"), "utf-16-be",
         "decoded from utf-16-be", "Ein Absatz über die Brücke."),
        ("Le “café” coûte 5 €\n\nDéjà vu — une façade naïve et une œuvre.\n".encode("cp1252"), "cp1252",
         "decoded from cp1252", "Déjà vu — une façade naïve et une œuvre."),
        ("Très bien, ça va\n\nUn texte en latin-1, naïf et sûr.\n".encode("latin-1"), "cp1252",
         "decoded from cp1252", "Un texte en latin-1, naïf et sûr."),
        (b"Mixed endings\r\n\r\nThe first paragraph ends with a carriage return.\rThe second paragraph ends with a line feed.\n"
         b"The third paragraph ends with both.\r\n", "utf-8", "normalised line endings to LF", "The second paragraph ends with a line feed."),
        ("Mojibake headline\n\nItâ€™s the cafÃ©â€™s best day.\n".encode(), "utf-8",
         "repaired mojibake with ftfy (encode sloppy-windows-1252, decode utf-8)", "It’s the café’s best day."),
        ("Pasted text\n\nThe café served crème brûlée to ".encode() + b"caf\xe9 regulars.\n", "utf-8",
         "decoded 1 byte that were not UTF-8 as Windows-1252", "The café served crème brûlée to café regulars."),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252", "latin1", "mixed-line-endings", "mojibake", "invalid-utf8-byte"],
)
def test_repairs_are_recorded_in_the_log_and_the_tei_header(
    tmp_path: Path, content: bytes, encoding: str, repair: str, expected: str
) -> None:
    raw = make_raw(tmp_path / "raw", {"article.txt": content})
    result = clean(raw, "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    log = log_of(tmp_path / "out", "article")
    assert log["encoding"] == encoding
    assert log["repairs"] == [repair]
    assert expected in (tmp_path / "out" / "article.txt").read_text("utf-8")
    data, root = tei_of(tmp_path, tmp_path / "out", "article")
    assert f"Source encoding: {encoding}. Text repairs: {repair}." in normalization(root)
    assert expected.encode() in data


def test_xml_illegal_characters_are_removed_counted_and_the_export_is_valid(tmp_path: Path) -> None:
    content = (
        b"Control\x01 characters\x0b headline\n\n"
        b"A paragraph with a bell\x07, a lone surrogate \xed\xa0\x80and \xef\xbf\xbe a non-character.\n"
    )
    raw = make_raw(tmp_path / "raw", {"article.txt": content})
    assert clean(raw, "-o", tmp_path / "out", "--quiet").exit_code == 0
    log = log_of(tmp_path / "out", "article")
    assert log["removed_characters"] == 5
    assert log["repairs"] == ["removed 5 control, surrogate or zero-width characters", "collapsed runs of spaces and tabs"]
    data, root = tei_of(tmp_path, tmp_path / "out", "article")
    assert (
        "Text repairs: removed 5 control, surrogate or zero-width characters; collapsed runs of spaces and tabs."
        in normalization(root)
    )
    assert b"A paragraph with a bell, a lone surrogate and a non-character." in data
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "tei" / "article.xml")])
    assert result.exit_code == 0, result.output


def test_right_to_left_text_and_emoji_are_kept_byte_for_byte(tmp_path: Path) -> None:
    arabic = "هذا نص عربي طويل بما يكفي ليكون فقرة حقيقية 😀 مع رموز 👍🏽."
    hebrew = "זהו טקסט בעברית עם משפחה 👨\u200d👩\u200d👧 ודגל 🏳️\u200d🌈."
    raw = make_raw(tmp_path / "raw", {"rtl.txt": f"عنوان المقال\n\n{arabic}\n\n{hebrew}\n"})
    assert clean(raw, "-o", tmp_path / "out", "--quiet").exit_code == 0
    assert log_of(tmp_path / "out", "rtl")["repairs"] == []
    data, root = tei_of(tmp_path, tmp_path / "out", "rtl")
    assert arabic.encode() in data
    assert hebrew.encode() in data
    assert "Text repairs: no repairs were needed." in normalization(root)


def test_ten_megabytes_on_one_line_are_cleaned_and_exported(tmp_path: Path) -> None:
    line = "Ein langer Satz über den Hafen, ohne Zeilenumbruch. " * 200_000  # 10.6 MB
    raw = make_raw(tmp_path / "raw", {"long.txt": "Der lange Artikel\n\n" + line + "\n"})
    start = time.monotonic()
    result = clean(raw, "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    data = tei_of(tmp_path, tmp_path / "out", "long")[0]
    assert time.monotonic() - start < 90
    assert line.strip().encode() in data


# ---------------------------------------------------------------- file names and folders


def test_awkward_file_names_are_cleaned_and_exported(tmp_path: Path) -> None:
    names = ["-x.txt", "with spaces.txt", "Ünïcödé näme.txt", "--help.txt", "日本語.txt"]
    raw = make_raw(tmp_path / "raw", {name: GOOD_ARTICLE for name in names})
    result = clean(raw, "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    ids = [name[: -len(".txt")] for name in names]
    assert outputs(tmp_path / "out") == sorted(f"{i}{suffix}" for i in ids for suffix in (".txt", ".log.json"))
    result = export(tmp_path / "out", "-o", tmp_path / "tei", "--quiet")
    assert result.exit_code == 0, result.output
    for doc_id in ids:
        root = etree.parse(str(tmp_path / "tei" / f"{doc_id}.xml")).getroot()
        assert root.find(f".//{TEI}idno[@type='corpustools']").text == doc_id


def test_a_folder_named_with_a_leading_dash_works_after_double_dash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_raw(tmp_path / "-raw", {"a.txt": GOOD_ARTICLE})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["clean", "-o", "out", "--quiet", "--", "-raw"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "out") == ["a.log.json", "a.txt"]


def test_two_files_with_one_id_are_both_refused_and_nothing_overwritten(tmp_path: Path) -> None:
    raw = make_raw(tmp_path / "raw", {"one/same.txt": GOOD_ARTICLE, "two/same.txt": "Other\n\nOther text.\n", "ok.txt": GOOD_ARTICLE})
    out = make_raw(tmp_path / "out", {"same.txt": "left from an earlier run"})
    result = clean(raw, "-o", out, "--quiet")
    assert result.exit_code == 1
    message = "document id 'same' is not unique (one/same.txt, two/same.txt): refused"
    assert errors(result) == [f"error: one/same.txt: {message}", f"error: two/same.txt: {message}"]
    assert (out / "same.txt").read_text() == "left from an earlier run"
    assert outputs(out) == ["ok.log.json", "ok.txt", "same.txt"]


def test_symlink_outside_the_input_is_skipped_unless_asked(tmp_path: Path) -> None:
    secret = make_raw(tmp_path / "private", {"secret.txt": "Private notes\n\nNot part of the corpus at all.\n"})
    raw = make_raw(tmp_path / "raw", {"good.txt": GOOD_ARTICLE})
    (raw / "link.txt").symlink_to(secret / "secret.txt")
    result = clean(raw, "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert errors(result) == ["error: link.txt: symbolic link to a file outside the input folder: skipped (use --follow-symlinks)"]
    assert outputs(tmp_path / "out") == ["good.log.json", "good.txt"]
    result = clean(raw, "-o", tmp_path / "out2", "--quiet", "--follow-symlinks")
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "out2") == ["good.log.json", "good.txt", "link.log.json", "link.txt"]


@pytest.mark.parametrize("inside", ["clean", "."], ids=["subfolder", "same-folder"])
def test_output_inside_input_is_a_usage_error_and_nothing_is_written(tmp_path: Path, inside: str) -> None:
    raw = make_raw(tmp_path / "raw", {"a.txt": GOOD_ARTICLE})
    before = snapshot(raw)
    result = clean(raw, "-o", raw / inside)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {raw / inside}: the output folder must not be inside the input folder"
    assert snapshot(raw) == before


# ---------------------------------------------------------------- faults


def test_one_bad_article_among_good_ones(tmp_path: Path) -> None:
    files: dict[str, bytes | str] = {f"good-{n}.txt": GOOD_ARTICLE.replace("Tuesday", f"day {n}") for n in range(5)}
    files["bad.txt"] = PNG_HEADER
    raw = make_raw(tmp_path / "raw", files)
    result = clean(raw, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert errors(result) == ["error: bad.txt: binary file (PNG image), not text"]
    assert "cleaned 5 of 6 articles" in result.stdout
    assert outputs(tmp_path / "out") == sorted(f"good-{n}{s}" for n in range(5) for s in (".txt", ".log.json"))


def test_output_path_under_a_regular_file_fails_cleanly(tmp_path: Path) -> None:
    raw = make_raw(tmp_path / "raw", {"a.txt": GOOD_ARTICLE})
    blocker = make_raw(tmp_path, {"blocker": "a file, not a folder"}) / "blocker"
    before = snapshot(raw)
    result = clean(raw, "-o", blocker / "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {blocker / 'out'}: cannot create the output folder: Not a directory"
    assert blocker.read_text() == "a file, not a folder"
    assert snapshot(raw) == before


CORPUSTOOLS = str(Path(sys.executable).parent / "corpustools")


def as_ordinary_user(command: list[str]) -> list[str]:
    """chmod does not bind root: as root, run the command without the capabilities that bypass it."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", *command]


def test_read_only_output_folder_fails_cleanly(tmp_path: Path) -> None:
    raw = make_raw(tmp_path / "raw", {"a.txt": GOOD_ARTICLE, "b.txt": GOOD_ARTICLE})
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    raw.chmod(0o555)
    before = snapshot(raw)
    try:
        completed = subprocess.run(
            as_ordinary_user([CORPUSTOOLS, "clean", str(raw), "-o", str(out)]), check=False, capture_output=True, text=True, timeout=120
        )
    finally:
        out.chmod(0o755)
        raw.chmod(0o755)
    assert completed.returncode == 2
    assert completed.stderr.splitlines()[-1] == f"Error: {out}: the output folder is not writable"
    assert list(out.iterdir()) == []
    assert snapshot(raw) == before


def test_hand_edits_are_refused_unless_forced_and_recorded_on_export(tmp_path: Path) -> None:
    raw = make_raw(tmp_path / "raw", {"a.txt": GOOD_ARTICLE, "b.txt": GOOD_ARTICLE.replace("pier", "quay")})
    out = tmp_path / "out"
    assert clean(raw, "-o", out, "--quiet").exit_code == 0
    edited = (out / "a.txt").read_text("utf-8").replace("the new pier", "the new stone pier")
    (out / "a.txt").write_text(edited, "utf-8")

    result = clean(raw, "-o", out, "--quiet")
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {out / 'a.txt'}: edited by hand since corpustools wrote it: not overwritten (use --force to replace it)"
    ]
    assert (out / "a.txt").read_text("utf-8") == edited

    data, root = tei_of(tmp_path, out, "a")
    assert b"the new stone pier" in data
    changes = ["".join(change.itertext()) for change in root.iter(f"{TEI}change")]
    assert changes[-1] == "Hand corrections in the cleaned text file before export: no metadata value changed; 1 line of the cleaned file changed."
    other = etree.parse(str(tmp_path / "tei" / "b.xml")).getroot()
    assert len(list(other.iter(f"{TEI}change"))) == 1

    result = clean(raw, "-o", out, "--quiet", "--force")
    assert result.exit_code == 0, result.output
    assert "stone" not in (out / "a.txt").read_text("utf-8")


def write_articles(folder: Path, count: int) -> None:
    for number in range(count):
        path = folder / f"site{number % 3}" / f"article-{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Harbour report number {number}\n\nBy Jane Doe\n\n"
            f"The harbour committee met on Tuesday to discuss item {number} of the agenda at length.\n\n"
            "Subscribe to our newsletter!\n\n"
            f"A second paragraph explains what happened next, with {number * 7} boats counted.\n",
            "utf-8",
        )


def test_a_run_killed_with_sigkill_leaves_complete_files_and_a_rerun_finishes(tmp_path: Path) -> None:
    count = 2000
    raw = tmp_path / "raw"
    write_articles(raw, count)
    out = tmp_path / "out"
    command = [CORPUSTOOLS, "clean", str(raw), "-o", str(out), "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and sum(1 for _ in out.iterdir()) >= count // 2:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be killed: make it larger"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    written = sorted(path for path in out.iterdir() if not path.name.startswith("."))
    assert 0 < len(written) < 2 * count
    for path in written:
        assert path.name.endswith((".txt", ".log.json")), f"{path.name} is not an output"
        if path.name.endswith(".log.json"):
            assert json.loads(path.read_text("utf-8"))["id"] == path.name[: -len(".log.json")]
        else:
            assert parse(path.read_text("utf-8"), str(path)).id == path.stem

    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted([MANIFEST_NAME] + [f"article-{n:05d}{s}" for n in range(count) for s in (".txt", ".log.json")])
    for path in out.glob("*.txt"):
        assert parse(path.read_text("utf-8"), str(path)).id == path.stem
