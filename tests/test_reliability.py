"""Bad input, for every command and every format: one line, exit 2, nothing written anywhere.

Each case puts one bad file into a complete, working workspace (``tilmash.toml``, a glossary,
a Markdown article, its catalogues and translated output made by ``tilmash translate``) with
the Argos and XDG folders pointed into the test's folder, runs one command in-process, and
requires:

* exit code 2 and nothing on stdout;
* exactly one line on stderr, starting with the bad file's name (and ``:LINE:`` when the
  problem has a line), no traceback;
* every file and folder under the test's folder (workspace, Argos packages, XDG folders, the
  bad inputs) byte for byte as before, with no temporary or lock file left.

Fixtures live in ``tests/data/bad/`` (and the format tests' ``tests/data/{po,tbx,csv}``);
large and binary inputs (50 MB Markdown, a 20 MB glossary, broken ``.argosmodel`` files,
zip bombs) are made here.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO

DATA = REPO / "tests" / "data"
BAD = DATA / "bad"

TOML = 'source = "en"\ntargets = ["ru"]\nglossary = ["glossary.yaml"]\n'
GLOSSARY = """\
version: 1
concepts:
  astana:
    kind: name
    terms:
      en: Astana
      ru: Астана
  capital:
    terms:
      en: capital
      ru: столица
"""
DOC = """\
# Astana

Astana is the capital of Kazakhstan. It has 1,354,556 people.

- The *Baiterek* tower is 97 metres tall.
"""
PO = "locales/ru/LC_MESSAGES/doc.po"


# --------------------------------------------------------------------------- harness


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under *root*, hidden ones included."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            out[os.path.relpath(os.path.join(dirpath, name), root) + "/"] = None
        for name in filenames:
            full = os.path.join(dirpath, name)
            out[os.path.relpath(full, root)] = Path(full).read_bytes()
    return out


def diff(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> list[str]:
    """Human-readable list of what changed between two snapshots."""
    changes = [f"created {k}" for k in sorted(after.keys() - before.keys())]
    changes += [f"removed {k}" for k in sorted(before.keys() - after.keys())]
    changes += [f"changed {k}" for k in sorted(before.keys() & after.keys())
                if before[k] != after[k]]
    return changes


@dataclass
class Env:
    """A test's folders: *root* holds everything that must not change."""

    root: Path
    ws: Path
    inputs: Path
    packages: Path


def _cli(args: list[str], stdin: bytes | None = None):  # type: ignore[no-untyped-def]
    from tilmash.cli import cli

    return CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    """A working workspace with a translated article; cwd is the workspace."""
    ws = tmp_path / "ws"
    inputs = tmp_path / "inputs"
    packages = tmp_path / "argos" / "packages"
    for folder in (ws, inputs, packages):
        folder.mkdir(parents=True)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        folder = tmp_path / "xdg" / var.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("EDITOR", "false")
    monkeypatch.setenv("VISUAL", "false")
    (ws / "tilmash.toml").write_text(TOML, encoding="utf-8")
    (ws / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    (ws / "doc.md").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(ws)
    result = _cli(["translate", "doc.md", "--to", "ru", "--engine", "pseudo"])
    assert result.exit_code == 0, result.stderr
    assert (ws / PO).is_file() and (ws / "out/ru/doc.md").is_file()
    return Env(tmp_path, ws, inputs, packages)


def assert_refused(env: Env, args: list[str], bad: Path, line: int | None,
                   message: str = "", stdin: bytes | None = None) -> str:
    """Run ``tilmash ARGS``; require exit 2, one stderr line naming *bad*, nothing changed."""
    before = snapshot(env.root)
    result = _cli(args, stdin)
    after = snapshot(env.root)
    stderr = result.stderr
    assert result.exit_code == 2, (result.exit_code, result.stdout, stderr)
    assert result.stdout == "", result.stdout
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    where = re.escape(bad.name) + (f":{line}" if line is not None else r"(:\d+)?")
    assert re.match(rf"^\S*{where}: \S", stderr), (where, stderr)
    assert message in stderr, (message, stderr)
    assert diff(before, after) == [], stderr
    return stderr


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Bad:
    """A bad file: where its bytes come from and where in the workspace it goes."""

    name: str
    data: Callable[[], bytes]
    line: int | None
    message: str


def _file(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


BAD_GLOSSARIES = [
    Bad("syntax.yaml", _file(BAD / "syntax.yaml"), 6, "YAML"),
    Bad("alias-bomb.yaml", _file(BAD / "alias-bomb.yaml"), 1, "anchors"),
    Bad("not-a-glossary.yaml", _file(BAD / "not-a-glossary.yaml"), 1, ""),
    Bad("cp1251.yaml", lambda: "concepts:\n  astana:\n    terms:\n      ru: Астана\n"
        .encode("cp1251"), 4, "not valid UTF-8"),
    Bad("nul.yaml", lambda: b"concepts:\n  astana:\n    terms:\n      en: Ast\x00ana\n", 4, ""),
    Bad("tagged.yaml", lambda: b"concepts:\n  x: !!python/object:os.system {}\n", 2, ""),
    Bad("bad-id.yaml", lambda: b"concepts:\n  2024:\n    terms:\n      en: year\n", 2, ""),
    Bad("two-docs.yaml", lambda: b"concepts: {}\n---\nconcepts: {}\n", 2, ""),
]

#: commands that read the configured glossary (glossary.yaml), run in the workspace
GLOSSARY_COMMANDS = {
    "list": ["glossary", "list"],
    "show": ["glossary", "show", "astana"],
    "search": ["glossary", "search", "astana"],
    "lint": ["glossary", "lint"],
    "add": ["glossary", "add", "Almaty", "--lang", "en"],
    "edit": ["glossary", "edit", "astana", "--note", "capital since 1997"],
    "rm": ["glossary", "rm", "capital"],
    "export-tbx": ["glossary", "export", "../inputs/out.tbx"],
    "export-csv": ["glossary", "export", "../inputs/out.csv"],
    "export-stdout": ["glossary", "export", "-", "--format", "yaml"],
    "import-into": ["glossary", "import", "../inputs/good.csv"],
    "translate": ["translate", "doc.md", "--to", "ru", "--engine", "pseudo"],
    "check-doc": ["check", "doc.md"],
    "check-all": ["check"],
    "catalog-update": ["catalog", "update", "doc.md"],
    "review": ["review"],
}


@pytest.mark.parametrize("bad", BAD_GLOSSARIES, ids=lambda b: b.name)
@pytest.mark.parametrize("command", list(GLOSSARY_COMMANDS))
def test_bad_configured_glossary(env: Env, command: str, bad: Bad) -> None:
    (env.inputs / "good.csv").write_text("source,target\nAlmaty,Алматы\n", encoding="utf-8")
    target = env.ws / bad.name
    target.write_bytes(bad.data())
    (env.ws / "tilmash.toml").write_text(TOML.replace("glossary.yaml", bad.name), encoding="utf-8")
    assert_refused(env, GLOSSARY_COMMANDS[command], target, bad.line, bad.message)


BAD_IMPORTS = [
    *BAD_GLOSSARIES,
    Bad("xxe.tbx", _file(DATA / "tbx" / "xxe.tbx"), 4, "entit"),
    Bad("xxe-parameter.tbx", _file(DATA / "tbx" / "xxe-parameter.tbx"), None, ""),
    Bad("billion-laughs.tbx", _file(DATA / "tbx" / "billion-laughs.tbx"), 3, "entit"),
    Bad("undeclared-entity.tbx", _file(DATA / "tbx" / "undeclared-entity.tbx"), None, ""),
    Bad("not-well-formed.tbx", _file(BAD / "not-well-formed.tbx"), 9, ""),
    Bad("empty.tbx", lambda: b"", None, ""),
    Bad("html.tbx", lambda: b"<html><body>Astana</body></html>\n", None, ""),
    Bad("cp1251.tbx", lambda: '<?xml version="1.0" encoding="UTF-8"?>\n<martif>Астана</martif>\n'
        .encode("cp1251"), 2, ""),
    Bad("unknown-encoding.tbx", lambda: b'<?xml version="1.0" encoding="TF-8"?>\n<martif/>\n',
        1, "unknown encoding"),  # was a LookupError traceback (found by test_fuzz)
    Bad("wrong-columns.csv", _file(DATA / "csv" / "wrong-columns.csv"), 3, ""),
    Bad("bad-quote.csv", _file(DATA / "csv" / "bad-quote.csv"), None, ""),
    Bad("headerless-three.csv", _file(BAD / "headerless-three.csv"), 1, ""),
    Bad("cp1251.csv", _file(BAD / "cp1251.csv"), 2, "not valid UTF-8"),
    Bad("utf16.csv", lambda: "source,target\nAstana,Астана\n".encode("utf-16"), 1, ""),
]


@pytest.mark.parametrize("bad", BAD_IMPORTS, ids=lambda b: b.name)
def test_bad_import_source(env: Env, bad: Bad) -> None:
    source = env.inputs / bad.name
    source.write_bytes(bad.data())
    assert_refused(env, ["glossary", "import", str(source), "--source-lang", "en",
                         "--target-lang", "ru"], source, bad.line, bad.message)


@pytest.mark.parametrize("bad", BAD_IMPORTS[:3], ids=lambda b: b.name)
def test_bad_import_into_a_new_file_creates_nothing(env: Env, bad: Bad) -> None:
    source = env.inputs / bad.name
    source.write_bytes(bad.data())
    assert_refused(env, ["glossary", "import", str(source), "--file", "new.yaml"],
                   source, bad.line, bad.message)


BAD_CONFIGS = [
    Bad("syntax", _file(BAD / "syntax.toml"), 3, "invalid TOML"),
    Bad("unknown key", _file(BAD / "bad-key.toml"), 3, "unknown key 'colour'"),
    Bad("bad tag", lambda: b'targets = ["r u"]\n', 1, ""),
    Bad("bad output", lambda: b'output = "out/{name}"\n', 1, "{lang}"),
    Bad("cp1251", lambda: 'source = "en"\n# Астана\n'.encode("cp1251"), 2, "not valid UTF-8"),
    Bad("wrong type", lambda: b'glossary = 3\n', 1, ""),
]

#: commands that load tilmash.toml
CONFIG_COMMANDS = {
    "glossary-list": ["glossary", "list"],
    "glossary-add": ["glossary", "add", "Almaty", "--lang", "en"],
    "glossary-lint": ["glossary", "lint"],
    "export-csv": ["glossary", "export", "../inputs/out.csv"],
    "translate": ["translate", "doc.md", "--engine", "pseudo"],
    "check": ["check"],
    "catalog-stats": ["catalog", "stats"],
    "catalog-compile": ["catalog", "compile"],
    "catalog-update": ["catalog", "update", "doc.md"],
    "review": ["review"],
}


@pytest.mark.parametrize("bad", BAD_CONFIGS, ids=lambda b: b.name)
@pytest.mark.parametrize("command", list(CONFIG_COMMANDS))
def test_bad_config(env: Env, command: str, bad: Bad) -> None:
    config = env.ws / "tilmash.toml"
    config.write_bytes(bad.data())
    assert_refused(env, CONFIG_COMMANDS[command], config, bad.line, bad.message)


def _po(*entries: str) -> bytes:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
    return "\n".join([header, *entries]).encode("utf-8")


BAD_CATALOGUES = [
    Bad("unterminated.po", _file(DATA / "po" / "unterminated.po"), 7, "unterminated string"),
    Bad("duplicate.po", _file(DATA / "po" / "duplicate.po"), 10, "duplicate entry"),
    Bad("duplicate-obsolete.po", _file(DATA / "po" / "duplicate-obsolete.po"), 11, "duplicate"),
    Bad("plural.po", _file(DATA / "po" / "plural-without-msgid-plural.po"), 7, "msgid_plural"),
    Bad("badstring.po", _file(BAD / "badstring.po"), 7, ""),
    Bad("cp1251.po", lambda: _po('msgid "Astana"\nmsgstr "Астана"\n').decode().encode("cp1251"),
        7, "not valid UTF-8"),
    Bad("charset.po", lambda: _po('msgid "a"\nmsgstr "b"\n').replace(b"UTF-8", b"KOI8-R"), 1,
        "charset KOI8-R"),
    Bad("escape.po", lambda: _po('msgid "Astana"\nmsgstr "\\q"\n'), 7, ""),
    Bad("nul.po", lambda: _po('msgid "Astana"\nmsgstr "A\x00"\n'), 7, "NUL"),
    Bad("no-msgstr.po", lambda: _po('msgid "Astana"\n', 'msgid "Almaty"\nmsgstr ""\n'), None, ""),
]

#: commands that read locales/ru/LC_MESSAGES/doc.po
CATALOGUE_COMMANDS = {
    "stats": ["catalog", "stats"],
    "stats-path": ["catalog", "stats", PO],
    "compile": ["catalog", "compile"],
    "compile-path": ["catalog", "compile", PO],
    "update": ["catalog", "update", "doc.md"],
    "translate": ["translate", "doc.md", "--engine", "pseudo"],
    "check": ["check"],
    "check-doc": ["check", "doc.md"],
    "check-path": ["check", PO],
    "review": ["review"],
    "review-path": ["review", PO],
}


@pytest.mark.parametrize("bad", BAD_CATALOGUES, ids=lambda b: b.name)
@pytest.mark.parametrize("command", list(CATALOGUE_COMMANDS))
def test_bad_catalogue(env: Env, command: str, bad: Bad) -> None:
    target = env.ws / PO
    target.write_bytes(bad.data())
    (env.ws / PO).with_suffix(".mo").write_bytes(b"old .mo file\n")
    line = bad.line
    if bad.name == "no-msgstr.po":
        line = None
    assert_refused(env, CATALOGUE_COMMANDS[command], target, line, bad.message)


BAD_DOCUMENTS = [
    Bad("cp1251", _file(BAD / "cp1251.md"), 3, "not valid UTF-8"),
    Bad("latin1 late", lambda: DOC.encode() + "\n\nCafé\n".encode("latin-1"), 8,
        "not valid UTF-8"),
    Bad("utf16", lambda: DOC.encode("utf-16"), 1, "not valid UTF-8"),
]

DOCUMENT_COMMANDS = {
    "translate": ["translate", "doc.md", "--engine", "pseudo"],
    "translate-none": ["translate", "doc.md", "--engine", "none"],
    "check": ["check", "doc.md"],
    "catalog-update": ["catalog", "update", "doc.md"],
}


@pytest.mark.parametrize("bad", BAD_DOCUMENTS, ids=lambda b: b.name)
@pytest.mark.parametrize("command", list(DOCUMENT_COMMANDS))
def test_bad_document(env: Env, command: str, bad: Bad) -> None:
    doc = env.ws / "doc.md"
    doc.write_bytes(bad.data())
    assert_refused(env, DOCUMENT_COMMANDS[command], doc, bad.line, bad.message)


def test_one_bad_document_among_good_ones_writes_nothing(env: Env) -> None:
    (env.ws / "a.md").write_text("Almaty is large.\n", encoding="utf-8")
    (env.ws / "z.md").write_bytes("Шымкент\n".encode("cp1251"))
    assert_refused(env, ["translate", "a.md", "doc.md", "z.md", "--engine", "pseudo"],
                   env.ws / "z.md", 1, "not valid UTF-8")


def test_translit_stdin_not_utf8(env: Env) -> None:
    fake = Path("<stdin>")
    assert_refused(env, ["translit"], fake, 1, "not valid UTF-8",
                   stdin="Алматы\n".encode("cp1251") + "Астана\n".encode())


def test_translit_stdin_not_utf8_after_good_lines(env: Env) -> None:
    # lines are streamed: the good ones before the bad one are already out
    before = snapshot(env.root)
    result = _cli(["translit"], "Астана\n".encode() + "Алматы\n".encode("cp1251"))
    assert result.exit_code == 2
    assert result.stdout == "Astana\n"
    assert result.stderr == "<stdin>:2: not valid UTF-8 (byte 0xc0)\n"
    assert snapshot(env.root) == before


def test_unknown_translit_scheme(env: Env) -> None:
    before = snapshot(env.root)
    result = _cli(["translit", "-s", "klingon", "Астана"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and result.stdout == ""
    assert "klingon" in result.stderr
    assert snapshot(env.root) == before


# --------------------------------------------------------------------------- .argosmodel

TOP = "translate-en_xx-1_0"
META = b'{"package_version": "1.0", "from_code": "en", "to_code": "xx", "type": "translate"}'


def _zip(members: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
        if symlink is not None:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def _package(**extra: bytes) -> dict[str, bytes]:
    return {f"{TOP}/metadata.json": META, f"{TOP}/model/model.bin": b"\0" * 64,
            f"{TOP}/sentencepiece.model": b"sp", **extra}


def _declared(data: bytes, size: int) -> bytes:
    """Make every central-directory entry declare *size* uncompressed bytes."""
    buf = bytearray(data)
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        struct.pack_into("<I", buf, pos + 24, size)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    return bytes(buf)


def _real_bomb() -> bytes:
    """A 150 KB zip whose one member inflates to 150 MB of zeros."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{TOP}/metadata.json", META)
        zf.writestr(f"{TOP}/sentencepiece.model", b"sp")
        with zf.open(f"{TOP}/model/model.bin", "w") as out:
            block = bytes(1024 * 1024)
            for _ in range(150):
                out.write(block)
    return buf.getvalue()


def _lying_bomb() -> bytes:
    """A zip whose directory declares 1 KB members that really inflate to 50 MB."""
    data = _real_bomb()
    return _declared(data, 1000)


BAD_MODELS = [
    Bad("text.argosmodel", lambda: b"not a zip at all\n" * 50, None, "not a zip archive"),
    Bad("empty.argosmodel", lambda: b"", None, ""),
    Bad("truncated.argosmodel", lambda: _zip(_package())[:-30], None, ""),
    Bad("emptyzip.argosmodel", lambda: _zip({}), None, "empty zip"),
    Bad("nometa.argosmodel", lambda: _zip({f"{TOP}/model/model.bin": b"x",
                                          f"{TOP}/sentencepiece.model": b"sp"}), None,
        "metadata.json"),
    Bad("badmeta.argosmodel", lambda: _zip(_package(**{f"{TOP}/metadata.json": b"{nope"})),
        None, "not valid JSON"),
    Bad("dotdot.argosmodel", lambda: _zip(_package(**{f"{TOP}/../../evil.txt": b"x"})), None,
        "unsafe member"),
    Bad("absolute.argosmodel", lambda: _zip(_package(**{"/tmp/tilmash-evil.txt": b"x"})), None,
        "unsafe member"),
    Bad("backslash.argosmodel", lambda: _zip(_package(**{f"{TOP}\\..\\evil.txt": b"x"})), None,
        "unsafe member"),
    Bad("symlink.argosmodel", lambda: _zip(_package(), symlink=f"{TOP}/link"), None,
        "symbolic link"),
    Bad("declared-huge.argosmodel", lambda: _declared(_zip(_package()), 3 * 1024**3), None,
        "nothing installed"),
    Bad("bomb.argosmodel", _real_bomb, None, "zip bomb"),
    Bad("lying-bomb.argosmodel", _lying_bomb, None, ""),
]


@pytest.mark.parametrize("bad", BAD_MODELS, ids=lambda b: b.name)
def test_bad_model_package(env: Env, bad: Bad) -> None:
    # argostranslate creates its (empty) folders when its settings are first imported, as
    # any `tilmash models` command does; after that a bad package must change nothing
    assert _cli(["models", "list"]).exit_code == 0
    installed = env.packages / "translate-en_ru-1_0"
    installed.mkdir()
    (installed / "metadata.json").write_bytes(META.replace(b'"xx"', b'"ru"'))
    model = env.inputs / bad.name
    model.write_bytes(bad.data())
    assert_refused(env, ["models", "install", str(model)], model, bad.line, bad.message)
    assert not Path("/tmp/tilmash-evil.txt").exists()


@pytest.mark.parametrize("bad", [BAD_MODELS[0], BAD_MODELS[6], BAD_MODELS[-2]],
                         ids=lambda b: b.name)
def test_bad_model_package_in_a_fresh_home_creates_nothing(env: Env, bad: Bad) -> None:
    """The package is checked before argostranslate's settings (which create its data
    folders on import) are loaded."""
    shutil.rmtree(env.packages)
    model = env.inputs / bad.name
    model.write_bytes(bad.data())
    before = snapshot(env.root)
    result = _cli(["models", "install", str(model)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert diff(before, snapshot(env.root)) == []


# --------------------------------------------------------------------------- large inputs


def _run_bounded(args: list[str], cwd: Path, seconds: float) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run ``python -m tilmash ARGS`` in a subprocess; returns (result, seconds, peak RSS MiB)."""
    code = (
        "import resource, runpy, sys\n"
        "try:\n"
        "    sys.argv = ['tilmash', *sys.argv[1:]]\n"
        "    runpy.run_module('tilmash', run_name='__main__')\n"
        "finally:\n"
        "    sys.stderr.write('\\nPEAK %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=seconds * 3, env={**os.environ, "PYTHONPATH": str(REPO)})
    elapsed = time.monotonic() - start
    stderr, _, peak = proc.stderr.rpartition("\nPEAK ")
    proc.stderr = stderr
    return proc, elapsed, int(peak) // 1024


def _works_or_one_line(proc: subprocess.CompletedProcess[str], name: str) -> None:
    if proc.returncode == 0:
        return
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.count("\n") <= 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert name in proc.stderr


SENTENCE = "Astana is the capital of Kazakhstan and has about 1.3 million people. "


@pytest.mark.slow
def test_50_mb_single_line_markdown(env: Env) -> None:
    doc = env.ws / "big.md"
    doc.write_text(SENTENCE * (50 * 1024**2 // len(SENTENCE)) + "\n", encoding="utf-8")
    (env.ws / "tilmash.toml").write_text('source = "en"\ntargets = ["ru"]\n', encoding="utf-8")
    before = snapshot(env.root)
    proc, _, _ = _run_bounded(["check", "big.md"], env.ws, 200)
    _works_or_one_line(proc, "big.md")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "748982 source segments in 1 document" in proc.stderr
    assert diff(before, snapshot(env.root)) == []


def test_long_single_paragraph_is_segmented() -> None:
    """Regression: one long paragraph was quadratic (7 minutes for 1 MB): the segmenter
    searched the whole prefix for the word before each full stop, and the splitter re-sliced
    the rest of the paragraph at every cut.  (Timing lives in benchmarks/; this pins the
    behaviour on an input that took minutes before the fix.)"""
    from translate.document import parse_document, render_document

    text = SENTENCE * (1024**2 // len(SENTENCE)) + "\n"
    doc = parse_document(text, "big.md")
    assert len(doc.segments) == 1024**2 // len(SENTENCE)
    assert render_document(doc, {s.id: s.text for s in doc.segments}) == text


@pytest.mark.slow
def test_20_mb_glossary(env: Env) -> None:
    lines = ["version: 1", "concepts:"]
    i = 0
    size = 0
    while size < 20 * 1024**2:
        block = (f"  concept-{i}:\n    note: Note number {i} about the concept.\n    terms:\n"
                 f"      en: English term number {i}\n      ru: Русский термин номер {i}\n"
                 f"      kk: Қазақ термині {i}\n")
        lines.append(block.rstrip("\n"))
        size += len(block.encode())
        i += 1
    big = env.ws / "glossary.yaml"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(env.root)
    proc, _, _ = _run_bounded(["glossary", "show", "concept-7"], env.ws, 200)
    _works_or_one_line(proc, "glossary.yaml")
    assert diff(before, snapshot(env.root)) == []
