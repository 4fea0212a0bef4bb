"""The only module that touches the file system: listing inputs, reading, atomic writes.

Writes go to a temporary file in the target folder and are renamed into place, so a run killed
at any moment leaves each output either complete or absent. A manifest in each output folder
records the hash of every file corpustools wrote, so a file a person edited afterwards is never
overwritten silently.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import socket
import stat
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import FolderLockedError, HandEditError, InputError, OutputError, OutputFolderError

MANIFEST_NAME = ".corpustools-manifest.jsonl"
LOCK_NAME = ".corpustools-lock"
INPUT_SUFFIX = ".txt"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_ID_BYTES = 200  # a file name is at most 255 bytes; the id gets suffixes and atomic_write's temporary name
# Ids whose output files a corpus-wide file would replace (any case: some file systems ignore it).
RESERVED_IDS = {"corpus": "the corpus file (corpus.xml)"}
# Besides letters, digits and combining marks: punctuation that is safe in a file name on every
# system a corpus is shared to (no path separators, no shell or Windows specials like ? * < > | : ").
SAFE_PUNCTUATION = frozenset(" -_.,+()[]'&@~")
# The temporary files atomic_write makes: "." + target name + "." + mkstemp's 8 characters + ".tmp".
TEMPORARY_FILE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def _file_mode() -> int:
    """The mode a plainly created file would get (mkstemp's private 0600 is not wanted)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


@dataclass(frozen=True)
class InputFile:
    """One raw article: where it is, its document id and the source it belongs to."""

    path: Path
    doc_id: str
    source: str  # the sub-folder of the input folder ("" at the top level)
    relative: str  # path relative to the input folder, for logs and headers


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def list_inputs(folder: Path, follow_symlinks: bool = False) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """All `*.txt` articles under `folder`, sorted; plus problems (path, message) found on the way.

    Two files that would give the same document id (or ids that differ only in case) are both
    refused, never overwritten, and so is a name that cannot name the outputs (check_document_id),
    a name that is not UTF-8 and a link loop; symbolic links that leave the input folder are
    skipped unless `follow_symlinks`.
    """
    if not folder.is_dir():
        raise InputError("not a folder", str(folder))
    root = folder.resolve()
    found: list[InputFile] = []
    problems: list[tuple[str, str]] = []
    for path in sorted(_walk(folder, follow_symlinks), key=lambda p: p.as_posix()):
        relative = path.relative_to(folder).as_posix()
        if not _is_utf8(relative):
            problems.append((_shown(relative), "the file name is not UTF-8: skipped (rename the file)"))
            continue
        if path.is_symlink() and _is_link_loop(path):
            problems.append((relative, "a symbolic link loop: skipped"))
            continue
        if path.is_symlink() and not follow_symlinks:
            target = path.resolve()
            if not target.is_relative_to(root):
                problems.append((relative, "symbolic link to a file outside the input folder: skipped (use --follow-symlinks)"))
                continue
        try:
            check_document_id(path.stem, relative)
        except OutputError as problem:
            problems.append((relative, problem.message))
            continue
        source = path.parent.relative_to(folder).as_posix()
        found.append(InputFile(path, path.stem, "" if source == "." else source, relative))
    by_id: dict[str, list[InputFile]] = {}
    for item in found:
        # Ids that differ only in case name one file on macOS and Windows: refused too.
        by_id.setdefault(item.doc_id.casefold(), []).append(item)
    unique = []
    for _key, items in sorted(by_id.items()):
        if len(items) > 1:
            names = ", ".join(item.relative for item in items)
            case = "" if len({item.doc_id for item in items}) == 1 else ", ignoring case"
            problems.extend((item.relative, f"document id {item.doc_id!r} is not unique{case} ({names}): refused") for item in items)
        else:
            unique.append(items[0])
    return sorted(unique, key=lambda item: item.relative), problems


def one_input(path: Path) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """One article file named on its own, as list_inputs gives it: its id from its name, whatever its suffix."""
    name = path.name
    if not _is_utf8(name):
        return [], [(_shown(name), "the file name is not UTF-8: skipped (rename the file)")]
    try:
        check_document_id(path.stem, name)
    except OutputError as problem:
        return [], [(name, problem.message)]
    return [InputFile(path, path.stem, "", name)], []


def other_files(folder: Path) -> list[str]:
    """The visible files under `folder` (relative, sorted): what a folder without articles holds instead."""
    found: list[str] = []
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(_shown((Path(directory) / name).relative_to(folder).as_posix()) for name in files if not name.startswith("."))
    return sorted(found)


def _is_utf8(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(name: str) -> str:
    """A file name that is not UTF-8, printable: each byte that is not UTF-8 as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _is_link_loop(path: Path) -> bool:
    """Whether following `path` goes round in a circle (resolving it would then raise, not fail)."""
    try:
        path.stat()
    except OSError as problem:
        return problem.errno == errno.ELOOP
    return False


def _walk(folder: Path, follow_symlinks: bool) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()  # folders walked: a link back up would be walked for ever
    for directory, subfolders, files in os.walk(folder, followlinks=follow_symlinks):
        if follow_symlinks:
            try:
                status = os.stat(directory)
            except OSError:
                continue
            if (status.st_dev, status.st_ino) in seen:
                subfolders[:] = []
                continue
            seen.add((status.st_dev, status.st_ino))
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in files:
            if name.endswith(INPUT_SUFFIX) and not name.startswith("."):
                yield Path(directory) / name


def check_document_id(doc_id: str, origin: str) -> None:
    """Refuse a document id that cannot name an output file: it could write outside the folder.

    Ids come from file names and from the headers of cleaned files, which people edit: an id
    like `../raw/x` or `/etc/x` must never become a path.
    """
    reason = _unsafe_name_reason(doc_id)
    if reason:
        raise OutputError(f"the id {doc_id!r} cannot be used as a file name: {reason}", origin)


def _unsafe_name_reason(doc_id: str) -> str:
    if not doc_id:
        return "it is empty"
    if "/" in doc_id or "\\" in doc_id:
        return "it holds a path separator"
    if ".." in doc_id:
        return "it holds '..'"
    if doc_id.startswith("."):
        return "it starts with a dot (hidden file)"
    for char in doc_id:
        if unicodedata.category(char).startswith("C"):
            return f"it holds the control character {char!r}"
    if doc_id != doc_id.strip():
        return "it starts or ends with a space"
    for char in doc_id:
        if not (unicodedata.category(char)[0] in "LNM" or char in SAFE_PUNCTUATION):
            return f"it holds {char!r} (use letters, digits, spaces and {''.join(sorted(SAFE_PUNCTUATION)).strip()})"
    if doc_id.casefold() in RESERVED_IDS:
        return f"it is reserved for {RESERVED_IDS[doc_id.casefold()]}"
    if len(doc_id.encode("utf-8", "surrogateescape")) > MAX_ID_BYTES:
        return f"it is longer than {MAX_ID_BYTES} bytes"
    return ""


def read_input(item: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an input file, refusing files over the size limit before reading them."""
    try:
        status = item.path.stat()
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device named *.txt would block the run or never end.
            raise InputError("not a regular file: skipped", item.relative)
        size = status.st_size
        if size > max_bytes:
            raise InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)", item.relative)
        with item.path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as problem:
        raise InputError(f"cannot read: {problem.strerror}", item.relative) from None


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; anything else is refused (reading a FIFO would wait forever)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO must not wait either
    except OSError as problem:
        raise InputError(f"cannot read: {problem.strerror}", str(path)) from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise InputError("not a regular file: skipped", str(path))
        os.set_blocking(handle, True)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    except OSError as problem:
        raise InputError(f"cannot read: {problem.strerror}", str(path)) from None
    finally:
        os.close(handle)


def check_output_folder(output: Path, input_folder: Path) -> None:
    """Refuse an output folder inside the input folder: outputs would be read back as inputs."""
    resolved_output, resolved_input = output.resolve(), input_folder.resolve()
    if resolved_output == resolved_input or resolved_output.is_relative_to(resolved_input):
        raise OutputFolderError("the output folder must not be inside the input folder", str(output))


def check_output_for_file(output: Path, input_file: Path) -> None:
    """Refuse the input file's own folder as the output: the cleaned file would replace the article."""
    if output.resolve() == input_file.parent.resolve():
        raise OutputFolderError("the output folder must not be the input file's folder (its cleaned file would replace it)", str(output))


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise OutputFolderError(f"cannot create the output folder: {problem.strerror}", str(folder)) from None
    if not os.access(folder, os.W_OK):
        raise OutputFolderError("the output folder is not writable", str(folder))


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an output folder for one run: two runs writing into it would overwrite each other.

    The lock is `.corpustools-lock`, holding the pid (and host) of the run. It is held with
    flock, which the system releases when the process dies however it dies, so the lock of a
    killed run is taken over; a lock file naming a live process on this host is respected too,
    for file systems where flock does nothing.
    """
    path = folder / LOCK_NAME
    handle = _take_lock(folder, path)
    try:
        yield
    finally:
        try:
            os.unlink(path)  # before letting go: a run waiting on this file then makes a new one
        except OSError:
            pass
        os.close(handle)


def _take_lock(folder: Path, path: Path) -> int:
    while True:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as problem:
            raise OutputError(f"cannot lock the output folder: {problem.strerror}", str(folder)) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            holder = _live_holder(handle)
        except OSError as problem:
            # Held (or no flock on this file system): the pid the file names decides. A killed
            # run's pool workers can outlive it for a moment and still hold its flock; they
            # write nothing, so the lock of a dead pid is taken over. A holder that has not yet
            # written its pid is a live run.
            holder = _live_holder(handle)
            if problem.errno in (errno.EWOULDBLOCK, errno.EAGAIN) and not _lock_holder(handle)[0]:
                holder = "?"
        if holder:
            os.close(handle)
            raise FolderLockedError(
                f"another corpustools run (pid {holder}) is writing into this folder: wait for it to finish (if there is none, delete {LOCK_NAME})",
                str(folder),
            )
        try:
            current = os.stat(path).st_ino
        except OSError:
            current = -1
        if current == os.fstat(handle).st_ino:
            break
        os.close(handle)  # the run before removed the file as we opened it: lock the new one
    try:
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()} {socket.gethostname()}\n".encode())
    except OSError as problem:  # a full disk, say
        os.close(handle)
        raise OutputError(f"cannot write the lock file: {problem.strerror}", str(path)) from None
    return handle


def _lock_holder(handle: int) -> tuple[str, str]:
    """The pid and host a lock file names ("" for a file cut short or not ours)."""
    os.lseek(handle, 0, os.SEEK_SET)
    words = os.read(handle, 256).decode("utf-8", "replace").split()
    pid = words[0] if words and words[0].isdigit() else ""
    return pid, words[1] if len(words) > 1 else ""


def _live_holder(handle: int) -> str:
    """The pid of another live process on this host that the lock file names, else ""."""
    pid, host = _lock_holder(handle)
    if not pid or int(pid) == os.getpid() or (host and host != socket.gethostname()):
        return ""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return ""  # a dead run's lock: stale
    except PermissionError:
        return pid  # alive, another user's
    except OverflowError:
        return ""
    return pid


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as problem:
        raise OutputError(f"cannot write: {problem.strerror}", str(path)) from None
    try:
        os.fchmod(handle, FILE_MODE)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as problem:  # a full disk, or the run stopped from outside: no temporary left
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(problem, OSError):
            raise OutputError(f"cannot write: {problem.strerror}", str(path)) from None
        raise


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files a killed run left behind (they are hidden, never outputs)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if TEMPORARY_FILE.match(name):
            try:
                os.unlink(folder / name)
            except OSError:
                pass  # not ours to insist on: a hidden leftover harms nothing


class Manifest:
    """A journal of the files corpustools wrote into one output folder, and their hashes.

    A file counts as edited by hand when its current content is nothing corpustools ever wrote
    there. The journal gets a line before each file is renamed into place, so a run killed
    between the two still recognises its own file on the next run.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST_NAME
        self.latest: dict[str, dict[str, str]] = {}
        self.known: dict[str, set[str]] = {}
        remove_stale_temporaries(folder)
        text = self._read_journal()
        for entry in _journal_entries(text):
            if entry.get("removed"):
                self.latest.pop(entry["name"], None)
            else:
                self._remember(entry)
        if text and not text.endswith("\n"):
            # A line cut short by a killed run: end it, or the next entry would be glued to it and lost.
            self._append("\n")

    def _read_journal(self) -> str:
        try:
            return self.path.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        except OSError as problem:
            raise OutputError(f"cannot read the manifest: {problem.strerror}", str(self.path)) from None

    def _remember(self, entry: dict[str, str]) -> None:
        self.latest[entry["name"]] = entry
        self.known.setdefault(entry["name"], set()).add(entry["sha256"])

    def is_hand_edited(self, name: str) -> bool:
        """True when the file exists and holds something corpustools never wrote there."""
        path = self.folder / name
        try:
            status = path.lstat()
        except FileNotFoundError:
            return False
        if not stat.S_ISREG(status.st_mode):
            return True  # a FIFO, a link or a folder is nothing corpustools wrote: never replaced
        return sha256_bytes(read_regular_file(path)) not in self.known.get(name, set())

    def write(self, name: str, data: bytes, force: bool = False, **facts: str) -> None:
        """Write a file atomically unless a person edited it since corpustools wrote it."""
        self._refuse_outside(name)
        self._refuse_hand_edited(name, force)
        entry = {"name": name, "sha256": sha256_bytes(data), **facts}
        self._journal(entry)
        atomic_write(self.folder / name, data)
        self._remember(entry)

    def remove(self, name: str) -> None:
        """Delete a file corpustools wrote here, and record that it is gone."""
        self._refuse_outside(name)
        try:
            os.unlink(self.folder / name)
        except FileNotFoundError:
            pass
        except OSError as problem:
            raise OutputError(f"cannot remove: {problem.strerror}", str(self.folder / name)) from None
        self._journal({"name": name, "sha256": "", "removed": "yes"})
        self.latest.pop(name, None)

    def stream(self, name: str, force: bool = False) -> StreamedFile:
        """A file written piece by piece (a corpus file), renamed into place by `commit()`."""
        self._refuse_outside(name)
        self._refuse_hand_edited(name, force)
        return StreamedFile(self, name)

    def _refuse_outside(self, name: str) -> None:
        """The last guard: a name that is not one plain file name in this folder is never written."""
        if not name or name != os.path.basename(name) or "\\" in name or name.startswith("."):
            raise OutputError("not a plain file name: not written", str(self.folder / name))

    def _refuse_hand_edited(self, name: str, force: bool) -> None:
        if not force and self.is_hand_edited(name):
            raise HandEditError(
                "edited by hand since corpustools wrote it: not overwritten (use --force to replace it)",
                str(self.folder / name),
            )

    def _journal(self, entry: dict[str, str]) -> None:
        self._append(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")

    def _append(self, text: str) -> None:
        try:
            with self.path.open("a", encoding="utf-8") as journal:
                journal.write(text)
        except OSError as problem:
            raise OutputError(f"cannot write the manifest: {problem.strerror}", str(self.path)) from None

    def save(self) -> None:
        """Compact the journal to one line per file (the latest), atomically.

        The compacted journal is made from the journal as it is on disk now, not from what this
        run read at its start: an entry another writer appended meanwhile is kept.
        """
        latest: dict[str, dict[str, str]] = {}
        for entry in _journal_entries(self._read_journal()):
            if entry.get("removed"):
                latest.pop(entry["name"], None)
            else:
                latest[entry["name"]] = entry
        lines = [json.dumps(latest[name], ensure_ascii=False, sort_keys=True) for name in sorted(latest)]
        atomic_write(self.path, ("\n".join(lines) + "\n").encode("utf-8") if lines else b"")


def _journal_entries(text: str) -> Iterator[dict[str, str]]:
    """The well-formed entries of a journal, in order (a line cut short by a killed run is skipped)."""
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("sha256"), str):
            yield entry


class StreamedFile:
    """An output written in pieces to a hidden temporary file, then renamed into place.

    Like atomic_write, readers see the old file or the whole new one; the journal line goes in
    before the rename. `abort()` (or an exception inside a `with` block) leaves nothing behind.
    """

    def __init__(self, manifest: Manifest, name: str) -> None:
        self.manifest = manifest
        self.name = name
        self.path = manifest.folder / name
        self.digest = hashlib.sha256()
        try:
            handle, self.temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=manifest.folder)
            os.fchmod(handle, FILE_MODE)
            self.handle = os.fdopen(handle, "wb")
        except OSError as problem:
            raise OutputError(f"cannot write: {problem.strerror}", str(self.path)) from None

    def write(self, data: bytes) -> int:
        try:
            self.handle.write(data)
        except OSError as problem:
            self.abort()
            raise OutputError(f"cannot write: {problem.strerror}", str(self.path)) from None
        self.digest.update(data)
        return len(data)

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
        except OSError as problem:
            self.abort()
            raise OutputError(f"cannot write: {problem.strerror}", str(self.path)) from None
        entry = {"name": self.name, "sha256": self.digest.hexdigest()}
        self.manifest._journal(entry)
        try:
            os.replace(self.temporary, self.path)
        except OSError as problem:
            self.abort()
            raise OutputError(f"cannot write: {problem.strerror}", str(self.path)) from None
        self.manifest._remember(entry)

    def abort(self) -> None:
        try:
            self.handle.close()
        except OSError:
            pass
        try:
            os.unlink(self.temporary)
        except OSError:
            pass

    def __enter__(self) -> StreamedFile:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()
