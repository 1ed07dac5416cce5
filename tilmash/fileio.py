"""Safe file I/O: atomic replacement, per-file locks, UTF-8 text reading.

* :func:`atomic_write` writes a temporary file in the target's folder, flushes and
  fsyncs it, keeps the old file's mode, and ``os.replace``-s it over the target: a process
  killed at any moment leaves the old or the new file, never a mix.  On failure the
  temporary file is removed and the target is untouched.
* :func:`file_lock` takes an exclusive ``fcntl`` lock on a sibling ``.<name>.lock`` file
  and removes it on release (checking the inode after locking, so removal is race-free).
* :func:`read_text` reads UTF-8 (dropping a BOM) and reports undecodable bytes as
  ``path:line: not valid UTF-8``.
* :func:`update_text` is the locked read-modify-write used by every editing command: it
  refuses to write when the file changed since it was read.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tilmash.errors import ConcurrentModification, LockTimeout, ParseError, TilmashError

__all__ = [
    "atomic_write",
    "write_if_changed",
    "file_lock",
    "read_text",
    "decode_text",
    "update_text",
    "DEFAULT_LOCK_TIMEOUT",
]

DEFAULT_LOCK_TIMEOUT = float(os.environ.get("TILMASH_LOCK_TIMEOUT", "30"))


def atomic_write(path: str | Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Replace *path* with *data* atomically (str is encoded as UTF-8, newlines untouched)."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def write_if_changed(path: str | Path, data: str | bytes) -> bool:
    """Atomically write *data* unless the file already holds exactly these bytes.

    Returns True when the file was written.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if Path(path).read_bytes() == payload:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, payload)
    return True


def _lock_path(path: Path) -> Path:
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def file_lock(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock for *path* (a sibling ``.<name>.lock`` file) while in the block."""
    path = Path(path)
    lock = _lock_path(path)
    deadline = time.monotonic() + (DEFAULT_LOCK_TIMEOUT if timeout is None else timeout)
    delay = 0.005
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise TilmashError(f"{path}: cannot create lock file {lock.name}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            if time.monotonic() > deadline:
                raise LockTimeout(
                    f"{path}: another tilmash process holds the lock {lock} "
                    "(remove it if no tilmash is running)"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
            continue
        # The holder before us may have unlinked the lock file: only the inode that is
        # still at the path counts.
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)
        os.close(fd)


def decode_text(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 *data* (dropping a BOM); bad bytes raise ``path:line: not valid UTF-8``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file; a missing or unreadable file is a one-line error."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TilmashError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TilmashError(f"{path}: is a directory") from None
    except OSError as exc:
        raise TilmashError(f"{path}: cannot read: {exc.strerror}") from None
    return decode_text(data, path)


def update_text(
    path: str | Path,
    change: Callable[[str | None], str],
    *,
    timeout: float | None = None,
) -> bool:
    """Locked read-modify-write of a text file.

    *change* gets the current text (``None`` when the file does not exist yet) and returns
    the new text; any exception it raises leaves the file untouched.  The write is atomic,
    happens only when the bytes differ, and is refused if the file changed since it was
    read.  Returns True when the file was written.
    """
    path = Path(path)
    with file_lock(path, timeout):
        try:
            before = path.read_bytes()
        except FileNotFoundError:
            before = None
        text = None if before is None else decode_text(before, path)
        new = change(text).encode("utf-8")
        if before == new:
            return False
        try:
            now = path.read_bytes()
        except FileNotFoundError:
            now = None
        if _digest(now) != _digest(before):
            raise ConcurrentModification(
                f"{path}: changed by another program while tilmash was editing it; nothing written"
            )
        atomic_write(path, new)
        return True


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()
