"""The project's real example end to end: article, starter glossary, reviewed ru/kk catalogues.

``examples/kazakhstan-ww2.md`` (a Moscow Times article), ``examples/glossary/kazakhstan.yaml``
and the reviewed catalogues under ``locales/`` are copied with ``tilmash.toml`` into a temporary
folder, and ``tilmash translate --to ru,kk,kk-Latn --json`` runs there in-process.  The outputs
must be complete (every segment from a reviewed translation), keep the article's structure,
use the glossary's target terms for every concept of the source, localize numbers and dates,
and write kk-Latn without a Cyrillic letter; the catalogues must pass ``msgfmt -c`` and the
glossary ``tilmash glossary lint``.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from glossary.model import STATUSES, Concept, Glossary
from glossary.translit import transliterate
from glossary.yamlformat import load_glossary
from tests.conftest import REPO, shared_path
from tilmash.cli import COMMANDS, cli
from translate.catalog import read_catalog
from translate.terms import TermMatcher, concept_in_text

ARTICLE = Path("examples/kazakhstan-ww2.md")
GLOSSARY = Path("examples/glossary/kazakhstan.yaml")
SEED = "000_94c7650f3b1ed2f3.txt"
LANGUAGES = ("ru", "kk")
TARGETS = ("ru", "kk", "kk-Latn")
NBSP = "\u00a0"
NNBSP = "\u202f"
CYRILLIC = re.compile(r"[\u0400-\u052f]")


@dataclass
class Run:
    """The example translated in a temporary copy of the workspace."""

    root: Path
    reports: dict[str, dict[str, Any]]
    glossary: Glossary

    def output(self, lang: str) -> str:
        return (self.root / "out" / lang / ARTICLE.name).read_text(encoding="utf-8")

    def catalog(self, lang: str) -> Path:
        return self.root / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE.stem}.po"

    def pairs(self, lang: str) -> list[tuple[str, str]]:
        """(msgid, msgstr) of every live entry of the *lang* catalogue."""
        return [(e.msgid, e.msgstr) for e in read_catalog(self.catalog(lang)) if not e.obsolete]


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    root = tmp_path_factory.mktemp("example")
    for name in ("examples", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "tilmash.toml", root / "tilmash.toml")
    with contextlib.chdir(root):
        result = _invoke(["translate", str(ARTICLE), "--to", ",".join(TARGETS), "--json"])
        assert result.exit_code == 0, result.output
        reports = {r["language"]: r for r in json.loads(result.stdout)}
        yield Run(root, reports, load_glossary(GLOSSARY))


def _source_concepts(glossary: Glossary, text: str) -> list[Concept]:
    """Concepts whose English terms (any status: deprecated variants too) are in *text*,
    matched as the pipeline matches them (leftmost-longest: "Moscow" inside "The Moscow
    Times" is the newspaper, not the city)."""
    found: dict[str, Concept] = {}
    for match in TermMatcher(glossary, "en", statuses=STATUSES).match(text):
        found.setdefault(match.concept.id, match.concept)
    return list(found.values())


# -- the article -----------------------------------------------------------------------------


def test_article_keeps_the_seed_text() -> None:
    """Every paragraph of the seed is in the article byte for byte, in order."""
    seed = shared_path("seed", SEED).read_text(encoding="utf-8")
    article = (REPO / ARTICLE).read_text(encoding="utf-8")
    paragraphs = [p for p in re.split(r"\n{2,}", seed.strip("\n"))]
    assert re.split(r"\n{2,}", article.rstrip("\n")) == paragraphs
    assert article.startswith("# In Kazakhstan, Russia Looms Large")
    assert article.endswith("commemorations-a89008>\n")
    # the spelling variants the glossary and `tilmash check` are about stay as published
    for variant in ("*Batyrlarǵa taǵzym*", "*Batyrlarğa tağzym*", "*Batylarğa tağzym*"):
        assert variant in article


# -- the glossary ----------------------------------------------------------------------------


def test_starter_glossary_lints_clean() -> None:
    result = _invoke(["glossary", "lint", "--file", str(REPO / GLOSSARY)])
    assert result.exit_code == 0, result.output


def test_starter_glossary_covers_the_beat() -> None:
    glossary = load_glossary(REPO / GLOSSARY)
    assert len(glossary) >= 40
    for concept in glossary:
        for lang in ("en", "ru", "kk", "kk-Latn"):
            assert concept.preferred(lang) is not None, (concept.id, lang)
    # the Latin forms are the 2021 transliteration of the Cyrillic ones, variant by variant
    for concept in glossary:
        latin = {t.text for t in concept.terms["kk-Latn"]}
        for term in concept.terms["kk"]:
            assert transliterate(term.text, "kk-latn-2021") in latin, (concept.id, term.text)
    march = glossary.get("batyrlarga-tagzym")
    assert march is not None and march.kind == "name"
    old = [t for t in march.terms["kk-Latn"] if t.text == "Batyrlarǵa taǵzym"]
    assert old and old[0].status == "deprecated" and old[0].translit == "kk-latn-2018"
    assert transliterate("Батырларға тағзым", "kk-latn-2018") == "Batyrlarǵa taǵzym"
    tokayev = glossary.get("tokayev")
    assert tokayev is not None
    surnames = {"en": "Tokayev", "ru": "Токаев", "kk": "Тоқаев", "kk-Latn": "Toqaev"}
    for lang, surname in surnames.items():
        assert any(t.text == surname and t.status == "admitted" for t in tokayev.terms[lang])


# -- the run ---------------------------------------------------------------------------------


def test_every_segment_comes_from_a_reviewed_translation(example: Run) -> None:
    assert set(example.reports) == set(TARGETS)
    for lang, report in example.reports.items():
        assert report["segments"] > 50, lang
        assert report["reviewed"] == report["segments"], lang
        assert report["untranslated"] == 0 and report["machine"] == 0 and report["memory"] == 0
        assert report["engine_segments"] == 0, lang
        # reviewed translations are checked against the glossary: nothing to report
        assert report["warnings"] == [] and report["repairs"] == [], lang


def test_outputs_hold_every_translation_and_no_source_sentence(example: Run) -> None:
    for lang in LANGUAGES:
        output = example.output(lang)
        pairs = example.pairs(lang)
        assert len(pairs) == example.reports[lang]["segments"]
        for msgid, msgstr in pairs:
            assert msgstr and msgstr != msgid
            assert msgstr in output, (lang, msgstr)
            assert msgid not in output, (lang, msgid)
        # the bare URL of the footer is not a segment: it is kept as it is
        assert output.rstrip("\n").endswith(
            "<https://www.themoscowtimes.com/2025/05/08/"
            "in-kazakhstan-russia-looms-large-over-world-war-ii-commemorations-a89008>"
        )


def _structure(text: str) -> Counter[str]:
    from markdown_it import MarkdownIt

    counts: Counter[str] = Counter()

    def walk(tokens: list[Any]) -> None:
        for token in tokens:
            if token.type in ("heading_open", "paragraph_open", "link_open", "em_open",
                              "strong_open", "code_inline", "image"):
                counts[token.type] += 1
            if token.type == "link_open":
                counts["href " + str(token.attrGet("href"))] += 1
            if token.children:
                walk(token.children)

    walk(MarkdownIt("commonmark").parse(text))
    return counts


def test_outputs_keep_the_article_structure(example: Run) -> None:
    source = _structure((example.root / ARTICLE).read_text(encoding="utf-8"))
    assert source["heading_open"] == 1 and source["link_open"] >= 20
    assert source["em_open"] == 3 and source["strong_open"] == 3
    for lang in TARGETS:
        assert _structure(example.output(lang)) == source, lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_source_concept_has_its_target_term(example: Run, lang: str) -> None:
    """Segment by segment: each glossary concept of the English text has a preferred or
    admitted *lang* term (in any inflected form) in the reviewed translation."""
    checked = 0
    for msgid, msgstr in example.pairs(lang):
        for concept in _source_concepts(example.glossary, msgid):
            assert concept_in_text(concept, msgstr, lang), (concept.id, msgid, msgstr)
            checked += 1
    assert checked > 100


def test_kk_latn_output_has_every_source_concept(example: Run) -> None:
    source = (example.root / ARTICLE).read_text(encoding="utf-8")
    latin = example.output("kk-Latn")
    concepts = _source_concepts(example.glossary, source)
    assert len(concepts) > 40
    missing = [c.id for c in concepts if not concept_in_text(c, latin, "kk-Latn")]
    assert missing == []


def test_numbers_and_dates_are_localized(example: Run) -> None:
    ru, kk, latin = example.output("ru"), example.output("kk"), example.output("kk-Latn")
    # the date line of the byline, exactly
    assert f"\n\n8 мая 2025{NNBSP}г.\n\n" in ru
    assert f"\n\n2025{NNBSP}ж. 8 мамыр\n\n" in kk
    assert f"\n\n2025{NNBSP}j. 8 mamyr\n\n" in latin
    for text in (ru, kk, latin):
        assert f"178{NBSP}000" in text and f"600{NBSP}000" in text
        for english in ("178,000", "600,000", "1.2 million", "11.2%", "May 08", "May 9"):
            assert english not in text
    assert f"11,2{NBSP}%" in ru and "1,2 млн" in ru and "9 мая" in ru
    assert "11,2%" in kk and "1,2 млн" in kk and "9 мамыр" in kk
    # quotes: «…» outside; inside, ru „…“ and kk “…”; no straight or English quotes left
    for text in (ru, kk):
        assert text.count("«") == text.count("»") > 20
        assert '"' not in text and "'" not in text and "‘" not in text and "’" not in text
    assert "”" not in ru and "„Великую Отечественную войну“" in ru
    assert "„" not in kk and "“Ұлы Отан соғысы”" in kk


def test_kk_latn_output_is_all_latin(example: Run) -> None:
    latin = example.output("kk-Latn")
    assert CYRILLIC.findall(latin) == []
    assert "*Batyrlarğa tağzym*" in latin
    assert "Qasym-Jomart Toqaev" in latin and "Mäskeu" in latin


def test_kk_latn_output_is_the_transliterated_kk_output(example: Run) -> None:
    """The kk-Latn article is the kk article transliterated with the 2021 rules, except the
    glossary's established spellings (``translit: none``), which win over the rules."""
    expected = transliterate(example.output("kk"), "kk-latn-2021")
    assert "Oian, Qazaqstan!" in expected  # what the rules give
    expected = expected.replace("Oian, Qazaqstan!", "Oyan, Qazaqstan!")  # the glossary's form
    assert example.output("kk-Latn") == expected


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt (gettext) not installed")
def test_catalogues_pass_msgfmt(example: Run, tmp_path: Path) -> None:
    for path in [example.catalog(lang) for lang in LANGUAGES] + [
        example.root / "locales" / "templates" / f"{ARTICLE.stem}.pot"
    ]:
        proc = subprocess.run(
            ["msgfmt", "-c", "--statistics", "-o", str(tmp_path / "out.mo"), str(path)],
            capture_output=True, text=True, check=False,
        )
        assert proc.returncode == 0, proc.stderr
        if path.suffix == ".po":
            assert "fuzzy" not in proc.stderr and "untranslated" not in proc.stderr, proc.stderr


def test_committed_catalogues_are_reviewed() -> None:
    """The repository's catalogues themselves (not the run's copies): no fuzzy, no empty."""
    for lang in LANGUAGES:
        po = read_catalog(REPO / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE.stem}.po")
        live = [e for e in po if not e.obsolete]
        assert len(live) > 50
        assert [e.msgid for e in live if "fuzzy" in e.flags or not e.msgstr] == []


def test_check_reports_only_the_source_spellings(example: Run) -> None:
    """`tilmash check` finds nothing in the catalogues; in the source it reports the 2018
    spelling and the typo of Batyrlarğa tağzym (intended: the article is kept as published)."""
    if "check" not in COMMANDS:
        pytest.skip("tilmash check is not registered yet")
    with contextlib.chdir(example.root):
        result = CliRunner().invoke(cli, ["check", str(ARTICLE), "--json"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)
    assert [(f["code"], f["file"], f["line"]) for f in findings] == [
        ("term-spelling", str(ARTICLE), 13),
        ("term-spelling", str(ARTICLE), 45),
    ]
    assert "Batyrlarǵa taǵzym" in findings[0]["message"]
    assert "Batylarğa tağzym" in findings[1]["message"]
