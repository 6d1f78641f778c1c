"""The fast path's bytes (lib/ingest/fast.py): while DuckDB reads the file, a thread
copies it under a temporary name into the uploads folder (the kernel copies), then hashes
it and checks that it is clean UTF-8 text (`Keeper`, `scan_bytes`). The importer then
moves the copy to its content-addressed name (`Keeper.keep`) or deletes it (`discard`);
a file about people is only hashed, never copied.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from lib.ingest.fast import NotClean
from lib.ingest.stage import CHUNK

INCOMING = ".incoming-"  # what lib.store.clean_partial_files removes after a killed import


@dataclass
class Scan:
    """What one pass over the file's bytes found."""

    sha256: str = ""
    clean: bool = True  # UTF-8, no NUL byte, no byte-order mark after the start
    error: BaseException | None = None


def _incomplete(data: bytes) -> int:
    """How many bytes at the end of `data` begin a UTF-8 character they do not finish."""
    i = len(data) - 1
    while i >= 0 and len(data) - i < 4 and 0x80 <= data[i] < 0xC0:
        i -= 1
    if i < 0 or data[i] < 0xC0:
        return 0
    needed = 2 if data[i] < 0xE0 else 3 if data[i] < 0xF0 else 4
    return len(data) - i if len(data) - i < needed else 0


def _utf8(data: bytes) -> bool:
    """Whether `data` is valid UTF-8, checked where it lies (Arrow's validator, no copy)."""
    offsets = pa.array([0, len(data)], type=pa.int64()).buffers()[1]
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def scan_bytes(path: Path, out: Scan) -> Scan:
    """Hash the file and check that it is clean UTF-8 text: no NUL byte, valid UTF-8, no
    byte-order mark after the start. Chunks of ASCII, the usual case, are only hashed;
    others are validated in place by Arrow (ten times faster than decoding them), and
    searched for the mark only when they hold its first byte (0xEF: rare in text)."""
    hasher = hashlib.sha256()
    carry, first = b"", True
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK * 4):
            hasher.update(chunk)
            if b"\x00" in chunk:
                out.clean = False
            if out.clean and (carry or not chunk.isascii()):
                data = carry + chunk if carry else chunk
                cut = len(data) - _incomplete(data)  # a character split between two chunks
                part, carry = (data, b"") if cut == len(data) else (data[:cut], data[cut:])
                start = len(codecs.BOM_UTF8) if first and part.startswith(codecs.BOM_UTF8) else 0
                if not _utf8(part) or (b"\xef" in part and part.find(codecs.BOM_UTF8, start) >= 0):
                    out.clean = False
            first = False
    if carry:
        out.clean = False  # the file ends inside a character
    out.sha256 = hasher.hexdigest()
    return out


class Keeper:
    """On a thread, while DuckDB reads the file: copy it into `copy_dir` under a temporary
    name (the kernel copies: `shutil.copyfile`), then hash and check it (`scan_bytes`).
    Without `copy_dir` (a file about people, never kept as uploaded) it only hashes."""

    def __init__(self, path: str | os.PathLike, copy_dir: Path | None):
        self.path = Path(path)
        self.copy: Path | None = None
        self.scan = Scan()
        self._thread = threading.Thread(target=self._run, args=(copy_dir,), name="pillars-keep-upload")
        self._thread.start()

    def _run(self, copy_dir: Path | None) -> None:
        try:
            if copy_dir is not None:
                copy_dir.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(dir=copy_dir, prefix=INCOMING)
                os.close(fd)
                self.copy = Path(name)
                shutil.copyfile(self.path, self.copy)
            scan_bytes(self.path, self.scan)
        except BaseException as exc:  # the importer then takes the general path, which reports it
            self.scan.error = exc

    def result(self) -> Scan:
        """Wait for the thread; NotClean when the file is not clean text or could not be read."""
        self._thread.join()
        if self.scan.error is not None:
            raise NotClean(f"the file could not be kept: {self.scan.error}")
        if not self.scan.clean:
            raise NotClean("not clean UTF-8 text")
        return self.scan

    def keep(self, target: Path) -> None:
        """Move the copy to `target` (content-addressed: an existing one is the same bytes)."""
        self._thread.join()
        if self.copy is None:
            return
        if target.exists() or target.resolve() == self.path.resolve():
            self.copy.unlink(missing_ok=True)
        else:
            os.replace(self.copy, target)
        self.copy = None

    def discard(self) -> None:
        """Wait for the thread and delete a copy not kept."""
        self._thread.join()
        if self.copy is not None:
            self.copy.unlink(missing_ok=True)
            self.copy = None
