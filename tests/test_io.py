"""io.py: listing inputs safely, reading with a size limit, atomic writes, the hand-edit manifest."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from corpustools.errors import HandEditError, InputError, OutputError
from corpustools.io import (
    MANIFEST_NAME,
    InputFile,
    Manifest,
    atomic_write,
    check_output_folder,
    ensure_folder,
    list_inputs,
    read_input,
)


def write(path: Path, text: str = "Some article text.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_inputs_are_listed_sorted_with_ids_and_sources(tmp_path: Path) -> None:
    write(tmp_path / "b.txt")
    write(tmp_path / "site" / "a b.txt")
    write(tmp_path / "site" / "Ünïcödé.txt")
    write(tmp_path / "-x.txt")
    write(tmp_path / "notes.md")
    write(tmp_path / ".hidden.txt")
    write(tmp_path / ".git" / "c.txt")
    inputs, problems = list_inputs(tmp_path)
    assert [(i.relative, i.doc_id, i.source) for i in inputs] == [
        ("-x.txt", "-x", ""),
        ("b.txt", "b", ""),
        ("site/a b.txt", "a b", "site"),
        ("site/Ünïcödé.txt", "Ünïcödé", "site"),
    ]
    assert problems == []


def test_two_files_with_one_id_are_both_refused(tmp_path: Path) -> None:
    write(tmp_path / "one" / "same.txt")
    write(tmp_path / "two" / "same.txt")
    write(tmp_path / "other.txt")
    inputs, problems = list_inputs(tmp_path)
    assert [i.relative for i in inputs] == ["other.txt"]
    message = "document id 'same' is not unique (one/same.txt, two/same.txt): refused"
    assert problems == [("one/same.txt", message), ("two/same.txt", message)]


def test_symlink_leaving_the_folder_is_skipped_unless_asked(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "secret.txt")
    raw = tmp_path / "raw"
    write(raw / "inside.txt")
    (raw / "link.txt").symlink_to(outside)
    (raw / "alias.txt").symlink_to(raw / "inside.txt")  # stays inside: fine
    inputs, problems = list_inputs(raw)
    assert [i.relative for i in inputs] == ["alias.txt", "inside.txt"]
    assert problems == [("link.txt", "symbolic link to a file outside the input folder: skipped (use --follow-symlinks)")]
    inputs, problems = list_inputs(raw, follow_symlinks=True)
    assert [i.relative for i in inputs] == ["alias.txt", "inside.txt", "link.txt"]
    assert problems == []


def test_symlinked_folder_outside_is_not_walked_unless_asked(tmp_path: Path) -> None:
    write(tmp_path / "elsewhere" / "far.txt")
    raw = tmp_path / "raw"
    write(raw / "near.txt")
    (raw / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert [i.relative for i in list_inputs(raw)[0]] == ["near.txt"]
    assert [i.relative for i in list_inputs(raw, follow_symlinks=True)[0]] == ["linked/far.txt", "near.txt"]


def test_listing_a_file_instead_of_a_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        list_inputs(write(tmp_path / "a.txt"))


def item(path: Path) -> InputFile:
    return InputFile(path, path.stem, "", path.name)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 2000)
    with pytest.raises(InputError) as raised:
        read_input(item(path), max_bytes=1000)
    assert str(raised.value) == "big.txt: file is 2,000 bytes, over the limit of 1,000 (raise it with --max-bytes)"
    assert read_input(item(path), max_bytes=2000) == b"x" * 2000


def test_a_fifo_named_txt_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as raised:
        read_input(item(fifo))
    assert str(raised.value) == "pipe.txt: not a regular file: skipped"


def test_a_dangling_symlink_is_a_read_error(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(InputError) as raised:
        read_input(item(link))
    assert str(raised.value) == "gone.txt: cannot read: No such file or directory"


def test_output_inside_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="the output folder must not be inside the input folder"):
        check_output_folder(tmp_path / "raw" / "clean", tmp_path / "raw")
    with pytest.raises(OutputError):
        check_output_folder(tmp_path / "raw", tmp_path / "raw")
    check_output_folder(tmp_path / "clean", tmp_path / "raw")  # a sibling is fine


def test_output_folder_under_a_regular_file_is_an_output_error(tmp_path: Path) -> None:
    blocker = write(tmp_path / "file")
    with pytest.raises(OutputError) as raised:
        ensure_folder(blocker / "out")
    assert str(raised.value) == f"{blocker / 'out'}: cannot create the output folder: Not a directory"


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write(target, b"first")
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.txt"
    atomic_write(target, b"old content")

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError) as raised:
        atomic_write(target, b"new content")
    assert str(raised.value) == f"{target}: cannot write: No space left on device"
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_manifest_refuses_to_overwrite_a_hand_edit(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.write("doc.txt", b"written by corpustools")
    manifest.write("doc.txt", b"written again")  # our own file: replaced silently
    (tmp_path / "doc.txt").write_bytes(b"corrected by a person")
    reloaded = Manifest(tmp_path)
    with pytest.raises(HandEditError) as raised:
        reloaded.write("doc.txt", b"a new cleaning")
    assert str(raised.value) == (
        f"{tmp_path / 'doc.txt'}: edited by hand since corpustools wrote it: not overwritten (use --force to replace it)"
    )
    assert (tmp_path / "doc.txt").read_bytes() == b"corrected by a person"
    reloaded.write("doc.txt", b"a new cleaning", force=True)
    assert (tmp_path / "doc.txt").read_bytes() == b"a new cleaning"


def test_manifest_survives_a_journal_line_cut_short(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.write("doc.txt", b"content")
    with (tmp_path / MANIFEST_NAME).open("a", encoding="utf-8") as journal:
        journal.write('{"name": "other.txt", "sha2')  # what a SIGKILL mid-line leaves
    reloaded = Manifest(tmp_path)
    assert not reloaded.is_hand_edited("doc.txt")
    reloaded.write("doc.txt", b"content again")
    reloaded.save()
    assert (tmp_path / MANIFEST_NAME).read_text("utf-8").count("\n") == 1


def test_manifest_removes_temporaries_of_a_killed_run(tmp_path: Path) -> None:
    (tmp_path / ".doc.txt.k2j_x9a0.tmp").write_bytes(b"half")
    (tmp_path / ".notes.tmp").write_bytes(b"a person's file, not ours")
    Manifest(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp"]
