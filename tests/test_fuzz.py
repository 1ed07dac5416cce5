"""Fuzzing the parsers: random input never raises anything but our own errors.

Every reader of user files — the YAML glossary parser, the TBX and CSV readers, the PO
parser, the Markdown/plain-text document parser and the ``tilmash.toml`` loader — gets
random bytes, random text, and random mutations of real files (``../shared/testdata/`` and
the repository's own examples).  Each either returns a result or raises a
:class:`~tilmash.errors.TilmashError` (``ParseError`` and friends) whose message is one line;
nothing else (no ``KeyError``, ``RecursionError``, ``UnicodeError``, ``yaml.YAMLError`` …).

The editing paths get the same treatment: :func:`edit_glossary` and :func:`update_catalog`
on a mutated file either write a file that reads back or raise our error and leave the
file's bytes as they were.

The number of examples is bounded for CI (``TILMASH_FUZZ_EXAMPLES``, default 500 per
parser and input kind).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, TESTDATA
from tilmash.errors import TilmashError

N = int(os.environ.get("TILMASH_FUZZ_EXAMPLES", "500"))
FUZZ = settings(max_examples=N, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --------------------------------------------------------------------------- seeds


def _read(path: Path, limit: int = 6000) -> bytes:
    """The start of *path*, cut at a blank line near *limit* bytes (keeps PO entries whole)."""
    data = path.read_bytes()
    if len(data) <= limit:
        return data
    cut = data.find(b"\n\n", limit)
    return data if cut == -1 else data[: cut + 1]


def _seeds(patterns: list[str], extra: list[Path]) -> list[bytes]:
    found = [p for pat in patterns for p in sorted(TESTDATA.glob(pat))] if TESTDATA.exists() else []
    seeds = [_read(p) for p in [*extra, *found] if p.is_file()]
    assert seeds, patterns
    return seeds




SEEDS: dict[str, list[bytes]] = {
    "yaml": _seeds([], [*sorted((REPO / "tests/data/glossary").glob("*.yaml")),
                        REPO / "examples/glossary/kazakhstan.yaml",
                        REPO / "tests/data/bad/syntax.yaml"]),
    "tbx": _seeds(["tbx/*/*.tbx"], sorted((REPO / "tests/data/tbx").glob("*.tbx"))),
    "csv": _seeds(["glossary_csv/*/*.csv"], sorted((REPO / "tests/data/csv").glob("*.csv"))),
    "po": _seeds(["po/*/*.po"], sorted((REPO / "tests/data/po").glob("*.po"))),
    "md": _seeds([], [REPO / "examples/kazakhstan-ww2.md", REPO / "tests/data/documents/mixed.md"]),
    "toml": [(REPO / "tilmash.toml").read_bytes(),
             b'source = "kk"\ntargets = "ru, en"\nglossary = "g.yaml"\nlocales = "loc"\n'
             b'output = "out/{lang}/{stem}{ext}"\n'],
}
if (TESTDATA / "commonmark" / "spec.txt").exists():
    spec = (TESTDATA / "commonmark" / "spec.txt").read_bytes()
    SEEDS["md"] += [spec[i : i + 3000] for i in range(0, min(len(spec), 60000), 6000)]

#: tokens that matter to one of the grammars, spliced in by the mutator
TOKENS = [b"\n", b"\r\n", b"\t", b" ", b"\"", b"'", b"\\", b"\x00", b"\xff", b"\xd0", b"\xef\xbb\xbf",
          b":", b"- ", b"&a ", b"*a", b"!!str ", b"{", b"}", b"[", b"]", b"#", b"---\n", b"|\n",
          b">-\n", b"? ", b"%YAML 1.1\n", b"<", b">", b"</", b"&amp;", b"&x;", b"<!DOCTYPE x [",
          b"<!ENTITY e \"x\">", b"]]>", b"<![CDATA[", b"xml:lang=\"", b"msgid ", b"msgstr ",
          b"msgstr[0] ", b"msgctxt ", b"msgid_plural ", b"#~ ", b"#| ", b"#, fuzzy\n", b"\\x41",
          b"\\777", b",", b"\"\"", b"```\n", b"    ", b"> ", b"1. ", b"**", b"_", b"`", b"[x](",
          b"<gN>", b"\xe2\x80\xa8", b"=", b"[[", b"\"\"\"", b"{lang}", "Қазақ".encode()]


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    """A seed of *kind* with 1-8 random edits (splice, delete, duplicate, token, truncate)."""
    data = bytearray(draw(st.sampled_from(SEEDS[kind])))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.integers(0, 5))
        pos = draw(st.integers(0, len(data)))
        if op == 0:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == 1:
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == 2:
            end = min(len(data), pos + draw(st.integers(1, 200)))
            data[pos:pos] = data[pos:end]
        elif op == 3:
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif op == 4 and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        else:
            del data[pos:]
    return bytes(data)


def _inputs(kind: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
        mutated(kind),
        mutated(kind),
    )


def _only_our_errors(parse: Callable[[], object]) -> None:
    try:
        parse()
    except TilmashError as exc:
        message = str(exc)
        assert message and "\n" not in message.rstrip("\n"), message
    except RecursionError:  # pragma: no cover - reported as a failure with its input
        pytest.fail("RecursionError")


def _text(data: bytes, path: str) -> str:
    from tilmash.fileio import decode_text

    return decode_text(data, path)


# --------------------------------------------------------------------------- parsers


@FUZZ
@given(_inputs("yaml"))
def test_fuzz_yaml_glossary(data: bytes) -> None:
    from glossary.yamlformat import parse_glossary

    _only_our_errors(lambda: parse_glossary(_text(data, "g.yaml"), "g.yaml"))


@FUZZ
@given(_inputs("tbx"))
def test_fuzz_tbx(data: bytes) -> None:
    from glossary.tbx import read_tbx

    _only_our_errors(lambda: read_tbx(data, "g.tbx"))


@FUZZ
@given(_inputs("csv"))
def test_fuzz_csv(data: bytes) -> None:
    from glossary.csvformat import read_csv

    _only_our_errors(lambda: read_csv(data, "g.csv", source_lang="en", target_lang="ru"))


@FUZZ
@given(_inputs("po"))
def test_fuzz_po(data: bytes) -> None:
    from translate.postrict import parse_po

    _only_our_errors(lambda: parse_po(_text(data, "t.po"), "t.po"))


@FUZZ
@given(_inputs("md"), st.sampled_from(["doc.md", "doc.txt"]))
def test_fuzz_documents(data: bytes, name: str) -> None:
    from translate.document import parse_document, render_document

    def parse() -> None:
        text = _text(data, name)
        doc = parse_document(text, name)
        assert render_document(doc, {}) == text

    _only_our_errors(parse)


@FUZZ
@given(_inputs("toml"))
def test_fuzz_config(data: bytes) -> None:
    from tilmash.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tilmash.toml"
        path.write_bytes(data)
        _only_our_errors(lambda: load_config(path))


# --------------------------------------------------------------------------- editors

EDITS = settings(max_examples=max(N // 3, 20), deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@EDITS
@given(mutated("yaml"))
def test_fuzz_glossary_edit_writes_a_readable_file_or_nothing(data: bytes) -> None:
    from glossary.model import Concept, Term
    from glossary.yamlformat import edit_glossary, load_glossary

    def change(gf):  # type: ignore[no-untyped-def]
        gf.set_concept(Concept("fuzz-added", terms={"en": [Term("Fuzz")]}))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.yaml"
        path.write_bytes(data)
        try:
            edit_glossary(path, change)
        except TilmashError:
            assert path.read_bytes() == data
        else:
            assert load_glossary(path).get("fuzz-added") is not None
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["g.yaml"]


@EDITS
@given(mutated("po"))
def test_fuzz_catalogue_update_writes_a_readable_file_or_nothing(data: bytes) -> None:
    import polib

    from translate.catalog import update_catalog
    from translate.postrict import read_catalog

    def change(po):  # type: ignore[no-untyped-def]
        po.append(polib.POEntry(msgid="fuzz: added entry", msgstr="добавлено"))
        return po

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ru.po"
        path.write_bytes(data)
        try:
            update_catalog(path, change)
        except TilmashError:
            assert path.read_bytes() == data
        else:
            assert read_catalog(path).find("fuzz: added entry") is not None
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["ru.po"]
