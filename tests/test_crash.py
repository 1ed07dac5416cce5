"""Crash safety and concurrency of the writers: kill -9 at random moments, eight at once.

* A writer process edits a large glossary (20,000 concepts, through
  :func:`glossary.yamlformat.edit_glossary`) or a large catalogue (5,000 entries, through
  :func:`translate.catalog.update_catalog`) in a loop, and is killed with SIGKILL after a
  random delay, many times.  After every kill the file must be exactly one of the versions
  the writer could have written (it parses and equals the expected text of its version),
  at most one stale temporary file may be left per kill, and the stale ``.lock`` file of
  the killed writer must not hold up the next one (the lock is ``fcntl``-based: the kernel
  releases it with the process).
* Eight processes edit different concepts of one glossary (``tilmash glossary edit``) or
  different entries of one catalogue (``update_catalog``, as ``tilmash review`` saves) at
  the same time: every change must be there.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

from tests.conftest import REPO

FIXED = datetime(2024, 5, 9, 10, 0, tzinfo=timezone.utc)
ENV = {**os.environ, "PYTHONPATH": str(REPO), "TILMASH_LOCK_TIMEOUT": "20"}


def _start(code: str, *args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=cwd,
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _temps(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(f".{name}.") and p.name.endswith(".tmp"))


def _kill_loop(code: str, path: Path, check: object, seconds: float,
               max_delay: float) -> tuple[int, list[int]]:
    """Start the writer *code*, SIGKILL it after a random delay, check the file; repeat.

    Returns the number of kills and the versions seen after each kill.
    """
    rng = random.Random(int(os.environ.get("TILMASH_CRASH_SEED", "20240509")))
    deadline = time.monotonic() + seconds
    kills = 0
    versions: list[int] = []
    while time.monotonic() < deadline:
        proc = _start(code, str(path), cwd=path.parent)
        time.sleep(rng.uniform(0.05, max_delay))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, err.decode()[-2000:]
        kills += 1
        versions.append(check(path))  # type: ignore[operator]
        assert len(_temps(path.parent, path.name)) <= kills
    if os.environ.get("TILMASH_CRASH_VERBOSE"):
        print(f"{kills} kills, versions {versions}, temps {_temps(path.parent, path.name)}")
    return kills, versions


# --------------------------------------------------------------------------- glossary

N_CONCEPTS = 20_000


def _big_glossary(note: str) -> str:
    lines = ["version: 1", "concepts:"]
    for i in range(N_CONCEPTS):
        lines += [f"  c-{i:05d}:"]
        if i == 0:
            lines += [f"    note: {note}"]
        lines += ["    terms:", f"      en: Concept number {i}", f"      ru: Понятие номер {i}"]
    return "\n".join(lines) + "\n"


GLOSSARY_WRITER = """
    import sys
    from glossary.yamlformat import edit_glossary

    def change(gf):
        concept = gf.glossary.get("c-00000")
        concept.note = "v%d" % (int(concept.note[1:]) + 1)
        gf.set_concept(concept)

    while True:
        edit_glossary(sys.argv[1], change)
"""


def _glossary_version(path: Path) -> int:
    from glossary.yamlformat import parse_glossary

    text = path.read_text(encoding="utf-8")
    gl = parse_glossary(text, path).glossary
    note = gl.get("c-00000").note
    assert note is not None and note.startswith("v"), note
    version = int(note[1:])
    assert text == _big_glossary(f"v{version}"), f"version {version} is not byte-exact"
    assert len(gl) == N_CONCEPTS
    return version


def test_the_glossary_edit_is_the_one_line_we_expect(tmp_path: Path) -> None:
    from glossary.yamlformat import edit_glossary

    path = tmp_path / "glossary.yaml"
    path.write_text(_big_glossary("v0"), encoding="utf-8")
    ns: dict[str, object] = {}
    exec(textwrap.dedent(GLOSSARY_WRITER).split("while True")[0], ns)
    assert edit_glossary(path, ns["change"]) is True  # type: ignore[arg-type]
    assert _glossary_version(path) == 1


def test_killed_glossary_writers_leave_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(_big_glossary("v0"), encoding="utf-8")
    kills, versions = _kill_loop(GLOSSARY_WRITER, path, _glossary_version, 10, 2.0)
    assert kills >= 5
    assert versions == sorted(versions) and versions[-1] > 0, versions
    # the killed writers' lock does not block the next edit
    from glossary.yamlformat import edit_glossary

    ns: dict[str, object] = {}
    exec(textwrap.dedent(GLOSSARY_WRITER).split("while True")[0], ns)
    start = time.monotonic()
    assert edit_glossary(path, ns["change"]) is True  # type: ignore[arg-type]
    assert time.monotonic() - start < 10
    assert _glossary_version(path) == versions[-1] + 1


# --------------------------------------------------------------------------- catalogue

N_ENTRIES = 5_000


def _base_catalogue() -> str:
    import polib

    from translate.catalog import new_catalog
    from translate.postrict import format_po

    po = new_catalog("ru", "big.md", now=FIXED)
    for i in range(N_ENTRIES):
        po.append(polib.POEntry(
            msgid=f"Segment number {i} of a long article about Kazakhstan.",
            msgstr=f"Сегмент номер {i} длинной статьи о Казахстане.",
            occurrences=[("big.md", str(i + 1))],
        ))
    po[0].msgstr = "v0"
    return format_po(po)


CATALOGUE_WRITER = """
    import sys
    from datetime import datetime, timezone
    from translate.catalog import update_catalog

    NOW = datetime(2024, 5, 9, 10, 0, tzinfo=timezone.utc)

    def change(po):
        po[0].msgstr = "v%d" % (int(po[0].msgstr[1:]) + 1)
        return po

    while True:
        update_catalog(sys.argv[1], change, now=NOW)
"""


def _catalogue_version(path: Path) -> int:
    from translate.postrict import format_po, parse_po

    text = path.read_text(encoding="utf-8")
    po = parse_po(text, path)
    assert len(po) == N_ENTRIES
    version = int(po[0].msgstr[1:])
    expected = parse_po(_base_catalogue(), path)
    expected[0].msgstr = f"v{version}"
    assert text == format_po(expected), f"version {version} is not byte-exact"
    return version


def test_killed_catalogue_writers_leave_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "big.po"
    path.write_text(_base_catalogue(), encoding="utf-8")
    assert _catalogue_version(path) == 0
    kills, versions = _kill_loop(CATALOGUE_WRITER, path, _catalogue_version, 8, 1.5)
    assert kills >= 5
    assert versions == sorted(versions) and versions[-1] > 0, versions
    from translate.catalog import update_catalog

    def change(po):  # type: ignore[no-untyped-def]
        po[0].msgstr = f"v{int(po[0].msgstr[1:]) + 1}"
        return po

    assert update_catalog(path, change, now=FIXED, timeout=10) is True
    assert _catalogue_version(path) == versions[-1] + 1


# --------------------------------------------------------------------------- concurrency


def test_eight_concurrent_glossary_edits_of_different_concepts_all_land(tmp_path: Path) -> None:
    (tmp_path / "tilmash.toml").write_text('glossary = ["glossary.yaml"]\n', encoding="utf-8")
    text = ["version: 1", "concepts:"]
    for i in range(8):
        text += [f"  c-{i}:   # concept {i}", "    terms:", f"      en: Concept {i}"]
    path = tmp_path / "glossary.yaml"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tilmash", "glossary", "edit", f"c-{i}", "--note", f"note {i}",
             "--lang", "ru", "--term", f"Понятие {i}"],
            cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(8)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    from glossary.yamlformat import load_glossary

    gl = load_glossary(path)
    assert len(gl) == 8
    for i in range(8):
        concept = gl.get(f"c-{i}")
        assert concept.note == f"note {i}"
        assert [t.text for t in concept.terms["ru"]] == [f"Понятие {i}"]
        assert [t.text for t in concept.terms["en"]] == [f"Concept {i}"]
    assert "  c-3:   # concept 3" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["glossary.yaml", "tilmash.toml"]


REVIEWER = """
    import sys, time
    from translate.catalog import update_catalog

    index = int(sys.argv[2])

    def change(po):
        time.sleep(0.05)  # widen the window between read and write
        entry = po[index]
        entry.msgstr = "reviewed %d" % index
        entry.fuzzy = False
        return po

    update_catalog(sys.argv[1], change)
"""


def test_eight_concurrent_catalogue_updates_of_different_entries_all_land(tmp_path: Path) -> None:
    import polib

    from translate.catalog import new_catalog, write_catalog
    from translate.postrict import read_catalog

    path = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "doc.po"
    po = new_catalog("ru", "doc.md", now=FIXED)
    for i in range(8):
        entry = polib.POEntry(msgid=f"Sentence {i}.", msgstr=f"machine {i}", flags=["fuzzy"],
                              comment="machine: pseudo en→ru")
        po.append(entry)
    write_catalog(path, po, now=FIXED)
    procs = [
        subprocess.Popen([sys.executable, "-c", textwrap.dedent(REVIEWER), str(path), str(i)],
                         cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for i in range(8)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    result = read_catalog(path)
    assert [(e.msgstr, e.fuzzy) for e in result] == [(f"reviewed {i}", False) for i in range(8)]
    assert sorted(p.name for p in path.parent.iterdir()) == ["doc.po"]


def test_a_killed_lock_holder_does_not_block_others(tmp_path: Path) -> None:
    """A process killed while holding the lock (inside the change callback) leaves its lock
    file behind; the next writer gets the lock at once."""
    from tilmash.fileio import update_text

    path = tmp_path / "notes.txt"
    path.write_text("start\n", encoding="utf-8")
    holder = _start("""
        import sys, time
        from tilmash.fileio import update_text

        def change(text):
            print("locked", flush=True, file=sys.stderr)
            time.sleep(60)
            return text + "never\\n"

        update_text(sys.argv[1], change)
    """, str(path), cwd=tmp_path)
    assert holder.stderr is not None
    assert holder.stderr.readline() == b"locked\n"
    assert (tmp_path / ".notes.txt.lock").exists()
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=30)
    assert (tmp_path / ".notes.txt.lock").exists()  # stale, but not locked
    start = time.monotonic()
    for i in range(2):
        assert update_text(path, lambda t, i=i: (t or "") + f"line {i}\n", timeout=5)
    assert time.monotonic() - start < 2
    assert path.read_text(encoding="utf-8") == "start\nline 0\nline 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
