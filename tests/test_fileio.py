"""Atomic writes, locks and the locked read-modify-write."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from tilmash.errors import ConcurrentModification, LockTimeout, ParseError
from tilmash.fileio import atomic_write, file_lock, read_text, update_text, write_if_changed


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    atomic_write(path, "новый")
    assert path.read_text(encoding="utf-8") == "новый"
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_failed_write_leaves_old_file(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old", encoding="utf-8")

    with pytest.raises(TypeError):
        atomic_write(path, 12345)  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_write_if_changed(tmp_path):
    path = tmp_path / "f.txt"
    assert write_if_changed(path, "a") is True
    mtime = path.stat().st_mtime_ns
    time.sleep(0.01)
    assert write_if_changed(path, "a") is False
    assert path.stat().st_mtime_ns == mtime


def test_read_text_reports_bad_utf8_with_line(tmp_path):
    path = tmp_path / "cp1251.txt"
    path.write_bytes("строка\nвторая".encode("utf-8").replace(b"\xd0\xb2", b"\xe2", 1))
    with pytest.raises(ParseError) as info:
        read_text(path)
    assert str(info.value).startswith(f"{path}:2: not valid UTF-8")


def test_read_text_drops_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfhello")
    assert read_text(path) == "hello"


def test_update_text_error_in_change_writes_nothing(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("a", encoding="utf-8")

    def change(text):
        raise ValueError("bad")

    with pytest.raises(ValueError):
        update_text(path, change)
    assert path.read_text(encoding="utf-8") == "a"
    assert [p.name for p in tmp_path.iterdir()] == ["g.yaml"]


def test_update_text_refuses_when_file_changed_under_it(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("a", encoding="utf-8")

    def change(text):
        path.write_text("edited by hand meanwhile", encoding="utf-8")  # an unlocked writer
        return text + "b"

    with pytest.raises(ConcurrentModification):
        update_text(path, change)
    assert path.read_text(encoding="utf-8") == "edited by hand meanwhile"


def _hold_lock(path, ready, release):
    with file_lock(path):
        ready.set()
        release.wait(10)


def test_lock_timeout_is_a_clear_error(tmp_path):
    path = tmp_path / "g.yaml"
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(path, ready, release))
    proc.start()
    try:
        assert ready.wait(10)
        with pytest.raises(LockTimeout, match="another tilmash process holds the lock"):
            with file_lock(path, timeout=0.2):
                pass
    finally:
        release.set()
        proc.join(10)
    with file_lock(path, timeout=1):
        pass
    assert not list(tmp_path.iterdir())


def _append(path, n):
    for i in range(n):
        update_text(path, lambda t, i=i: (t or "") + f"{os.getpid()}:{i}\n")


def test_concurrent_updates_lose_nothing(tmp_path):
    path = tmp_path / "log.txt"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append, args=(path, 25)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 100
