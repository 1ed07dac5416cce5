"""The seed article through ``tilmash translate`` with the pseudo engine and a real (tiny) Argos model.

The tiny model is a valid ``.argosmodel`` built by ``tests/tinymodel.py`` (random-weight
CTranslate2 transformer + SentencePiece trained on test text) and installed with
``tilmash models install``; inference runs through CTranslate2 for real.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest
from markdown_it import MarkdownIt

from glossary.yamlformat import load_glossary
from tests.conftest import REPO, shared_path
from tests.tinymodel import TinyModel, cached_package
from translate.terms import TermMatcher, concept_in_text

GLOSSARY = REPO / "examples" / "glossary" / "kazakhstan.yaml"


def _structure(text: str) -> tuple[list[tuple[str, str]], Counter]:
    """Block tokens in order, and counts of inline markup (links, emphasis, code, images)."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    blocks, inline = [], Counter()
    for tok in md.parse(text):
        if tok.type != "inline":
            blocks.append((tok.type, tok.tag))
        for child in tok.children or []:
            if child.type.endswith("_open") or child.type in ("code_inline", "image"):
                inline[child.type] += 1
    return blocks, inline


@pytest.fixture
def seed_ws(tmp_path, monkeypatch):
    seed = shared_path("seed", "000_94c7650f3b1ed2f3.txt")
    shutil.copyfile(seed, tmp_path / "seed.md")
    shutil.copyfile(GLOSSARY, tmp_path / "glossary.yaml")
    (tmp_path / "tilmash.toml").write_text(
        'source = "en"\ntargets = ["ru", "kk", "kk-Latn"]\nglossary = "glossary.yaml"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _source_concepts(text: str, kinds: tuple[str, ...]) -> list:
    matcher = TermMatcher(load_glossary(GLOSSARY), "en")
    seen = {}
    for m in matcher.match(text):
        if m.concept.kind in kinds and m.term.usable:
            seen.setdefault(m.concept.id, m.concept)
    return list(seen.values())


def test_seed_with_pseudo_engine(seed_ws, run_cli):
    result = run_cli("translate", "seed.md", "--to", "ru,kk,kk-Latn", "--engine", "pseudo", "--json")
    assert result.exit_code == 0, result.stderr
    reports = {r["language"]: r for r in json.loads(result.stdout)}
    source = (seed_ws / "seed.md").read_text(encoding="utf-8")
    for lang in ("ru", "kk"):
        out = (seed_ws / f"out/{lang}/seed.md").read_text(encoding="utf-8")
        assert _structure(out) == _structure(source)
        assert reports[lang]["machine"] == reports[lang]["segments"] > 50
        for concept in _source_concepts(source, ("name", "dnt", "term")):
            if concept.preferred(lang) is not None:
                assert concept_in_text(concept, out, lang), (lang, concept.id)
    ru = (seed_ws / "out/ru/seed.md").read_text(encoding="utf-8")
    kk = (seed_ws / "out/kk/seed.md").read_text(encoding="utf-8")
    assert "8 мая 2025\u202fг." in ru and "2025\u202fж. 8 мамыр" in kk
    assert "178\u00a0000" in ru and "11,2\u00a0%" in ru and "11,2%" in kk
    assert "«The Great Patriotic War" not in ru and "«" in ru and "“The Great" not in ru


@pytest.fixture
def tiny_en_ru(run_cli, tmp_path_factory, monkeypatch) -> None:
    """A tiny en→ru model installed with ``tilmash models install`` into a fresh Argos home."""
    home = tmp_path_factory.mktemp("argos-home")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "packages"))
    monkeypatch.setenv("ARGOS_INTRA_THREADS", "1")
    package = cached_package(TinyModel("en", "ru", target_length=12), tmp_path_factory)
    installed = run_cli("models", "install", str(package))
    assert installed.exit_code == 0, installed.stderr


@pytest.mark.slow
def test_seed_with_tiny_argos_model(seed_ws, run_cli, tiny_en_ru):
    listed = json.loads(run_cli("models", "list", "--json").stdout)
    assert [(m["from_code"], m["to_code"]) for m in listed] == [("en", "ru")]

    result = run_cli("translate", "seed.md", "--to", "ru,kk", "--json")
    assert result.exit_code == 0, result.stderr
    assert "no Argos model for en→kk" in result.stderr  # kk: default engine none, with a notice
    reports = {r["language"]: r for r in json.loads(result.stdout)}
    ru_report = reports["ru"]
    assert ru_report["engine"] == "argos"
    assert ru_report["machine"] == ru_report["segments"] == ru_report["engine_segments"] > 50
    assert reports["kk"]["engine"] == "none" and reports["kk"]["untranslated"] == reports["kk"]["segments"]

    source = (seed_ws / "seed.md").read_text(encoding="utf-8")
    ru = (seed_ws / "out/ru/seed.md").read_text(encoding="utf-8")
    assert _structure(ru)[0] == _structure(source)[0]  # same blocks, in order
    assert _structure(ru)[1] == _structure(source)[1]  # same links and emphasis
    # names and do-not-translate terms are masked and restored in their ru form
    for concept in _source_concepts(source, ("name", "dnt")):
        assert concept_in_text(concept, ru, "ru"), concept.id
    # other terms are checked after translation: a random model loses them, and each loss is
    # reported, never silently ignored
    missing = [w for w in ru_report["warnings"] if "missing in translation" in w]
    for concept in _source_concepts(source, ("term",)):
        if concept.preferred("ru") and not concept_in_text(concept, ru, "ru"):
            assert any(f"({concept.id})" in w for w in missing), concept.id
    po = (seed_ws / "locales/ru/LC_MESSAGES/seed.po").read_text(encoding="utf-8")
    assert po.count("#, fuzzy") >= ru_report["segments"]
    assert "#. machine: argos en→ru translate-en_ru 1.0" in po

    again = run_cli("translate", "seed.md", "--to", "ru", "--json")
    assert json.loads(again.stdout)[0]["engine_segments"] == 0
    assert (seed_ws / "out/ru/seed.md").read_text(encoding="utf-8") == ru


@pytest.mark.slow
def test_draft_mode_translates_everything_and_says_so(seed_ws, run_cli, tiny_en_ru):
    result = run_cli("translate", "seed.md", "--to", "ru", "--draft", "--json")
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert report["engine"] == "argos"
    assert report["machine"] == report["segments"] == report["engine_segments"] > 50
    source = (seed_ws / "seed.md").read_text(encoding="utf-8")
    ru = (seed_ws / "out/ru/seed.md").read_text(encoding="utf-8")
    assert _structure(ru) == _structure(source)
    po = (seed_ws / "locales/ru/LC_MESSAGES/seed.po").read_text(encoding="utf-8")
    assert "#. machine: argos en→ru translate-en_ru 1.0 (draft)" in po


def test_structure_helper_sees_differences():
    a, _ = _structure("# T\n\ntext *x*\n")
    b, _ = _structure("T\n\ntext *x*\n")
    assert a != b
