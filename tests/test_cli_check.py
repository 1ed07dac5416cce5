"""``tilmash check``: QA of documents (source spellings) and catalogues (translation pairs)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from tilmash.cli import COMMANDS, cli
from translate.catalog import (
    SegmentRef,
    catalog_path,
    new_catalog,
    set_machine,
    sync_catalog,
    write_catalog,
)
from translate.document import load_document
from tests.conftest import REPO

BAD_PO = REPO / "tests" / "data" / "po" / "unterminated.po"
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=5)))

GLOSSARY = """\
version: 1
concepts:
  immortal-regiment:
    terms:
      en: Immortal Regiment
      ru:
        - Бессмертный полк
        - term: Вечный полк
          status: forbidden
  batyrlarga-tagzym:
    kind: name
    terms:
      kk-Latn: Batyrlarğa tağzym
      ru: Батырларға тағзым
      en: Tribute to Heroes
  astana:
    kind: name
    terms:
      en: Astana
      ru: Астана
      kk-Latn: Astana
"""

ARTICLE = """\
# Parade in Astana

The *Batylarğa tağzym* march replaced the Immortal Regiment in 2022.

Around 178,000 natives served; 1.2 million were drafted.

Tokayev [said](#) it was **important**.
"""

#: segment text -> (translation, reviewed?)
RU = {
    "Parade in Astana": ("Парад в Астане", True),
    "The *Batylarğa tağzym* march replaced the Immortal Regiment in 2022.": (
        "Марш *Батырларға тағзым* заменил Вечный полк в 2022 году.",
        False,
    ),
    "Around 178,000 natives served; 1.2 million were drafted.": (
        "Около 170 000 уроженцев служили; 1,2 млн были призваны.",
        True,
    ),
    "Tokayev [said](#) it was **important**.": ("Токаев сказал, что это важно.", False),
}


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(COMMANDS, "check", ("tilmash.commands.check", "check", "QA."))


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "tilmash.toml").write_text(
        'source = "en"\ntargets = ["ru", "kk-Latn"]\nglossary = ["glossary.yaml"]\n',
        encoding="utf-8",
    )
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def write_ru(translations: dict[str, tuple[str, bool]] = RU) -> Path:
    doc = load_document("article.md")
    refs = [SegmentRef(s.source, s.line, "article.md") for s in doc.segments]
    po = sync_catalog(new_catalog("ru", "article.md", now=T0), refs, "ru").catalog
    for source, (text, reviewed) in translations.items():
        set_machine(po, source, text, "test engine")
        if reviewed:
            entry = po.find(source)
            assert entry is not None
            entry.flags = []
    path = catalog_path("locales", "ru", "article.md")
    write_catalog(path, po, now=T0)
    return path


def msgid_line(po: Path, msgid: str) -> int:
    lines = po.read_text(encoding="utf-8").split("\n")
    return lines.index(f"msgid {json.dumps(msgid, ensure_ascii=False)}") + 1


def test_document_source_and_catalogue_pairs(ws: Path) -> None:
    po = write_ru()
    result = run("check", "article.md")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    shown = "locales/ru/LC_MESSAGES/article.po"
    src2 = "The *Batylarğa tağzym* march replaced the Immortal Regiment in 2022."
    src3 = "Around 178,000 natives served; 1.2 million were drafted."
    src4 = "Tokayev [said](#) it was **important**."
    assert lines[0].startswith("article.md:3: term-spelling: 'Batylarğa tağzym'")
    assert (
        f"{shown}:{msgid_line(po, src2)}: term-forbidden: forbidden ru term 'Вечный полк'"
        in "\n".join(lines)
    )
    assert (
        f"{shown}:{msgid_line(po, src3)}: number-mismatch: source has 178,000; "
        "translation has 170 000" in lines
    )
    mismatches = [ln for ln in lines if ln.startswith(f"{shown}:{msgid_line(po, src4)}: ")]
    assert len(mismatches) == 2 and all("placeholder-mismatch" in m for m in mismatches)
    assert len(lines) == 5
    assert result.stderr.strip() == (
        "checked 4 translations in 1 catalogue and 4 source segments in 1 document: 5 findings"
    )


def test_json_shape(ws: Path) -> None:
    po = write_ru()
    result = run("check", "--json", po)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert len(data) == 4
    for item in data:
        assert set(item) == {"file", "line", "code", "severity", "message", "msgid"}
        assert item["file"] == str(po)
        assert item["severity"] in ("error", "warning")
        assert msgid_line(po, item["msgid"]) == item["line"]
    assert [d["code"] for d in data] == [
        "term-forbidden",
        "number-mismatch",
        "placeholder-mismatch",
        "placeholder-mismatch",
    ]


def test_clean_catalogue_exit_0(ws: Path) -> None:
    po = write_ru(
        {
            "Parade in Astana": ("Парад в Астане", True),
            "Around 178,000 natives served; 1.2 million were drafted.": (
                "Около 178 000 уроженцев служили; 1,2 млн были призваны.",
                False,
            ),
        }
    )
    result = run("check", po)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "checked 2 translations in 1 catalogue: no findings\n"
    result = run("check", "--json", po)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_only_translated_entries_are_checked(ws: Path) -> None:
    po_path = write_ru({"Parade in Astana": ("Парад в Астане", True)})
    po = polib.pofile(str(po_path))
    # a memory suggestion (fuzzy, #| msgid) with a wrong number: not a translation yet
    entry = po.find("Around 178,000 natives served; 1.2 million were drafted.")
    entry.msgstr = "Около 5 уроженцев."
    entry.flags = ["fuzzy"]
    entry.previous_msgid = "Around 5 natives served."
    entry.comment = "memory: 80% match, reviewed in other.po"
    write_catalog(po_path, po, now=T0)
    result = run("check", po_path)
    assert result.exit_code == 0, result.output
    assert "checked 1 translation in 1 catalogue" in result.stderr


def test_language_header_picks_target_language(ws: Path) -> None:
    po = new_catalog("kk-Latn", "article.md", now=T0)
    assert po.metadata["Language"] == "kk@latin"
    po.append(
        polib.POEntry(
            msgid="A parade in Astana.", msgstr="Astanada şeru.", occurrences=[("article.md", "3")]
        )
    )
    po.append(
        polib.POEntry(msgid="Astana again.", msgstr="Taǵy da.", occurrences=[("article.md", "5")])
    )
    path = catalog_path("locales", "kk-Latn", "article.md")
    write_catalog(path, po, now=T0)
    result = run("check", "--json", path)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    # Astanada (locative) counts; the second translation lacks the kk-Latn form
    assert [(d["code"], d["msgid"]) for d in data] == [("term-missing", "Astana again.")]
    assert "kk-Latn 'Astana'" in data[0]["message"]


def test_po_without_language_header_needs_lang(ws: Path) -> None:
    po = polib.POFile(encoding="utf-8")
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="The Immortal Regiment.", msgstr="Шествие."))
    path = ws / "loose.po"
    write_catalog(path, po, now=T0)
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{path}: no Language header; pass --lang"
    result = run("check", "--lang", "ru", path)
    assert result.exit_code == 1
    assert "term-missing" in result.stdout and "Бессмертный полк" in result.stdout


def test_no_arguments_checks_every_catalogue(ws: Path) -> None:
    write_ru()
    kk = new_catalog("kk-Latn", "article.md", now=T0)
    kk.append(
        polib.POEntry(msgid="In 2022.", msgstr="2023 jyly.", occurrences=[("article.md", "1")])
    )
    write_catalog(catalog_path("locales", "kk-Latn", "article.md"), kk, now=T0)
    result = run("check")
    assert result.exit_code == 1
    files = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert files == {"locales/kk@latin/LC_MESSAGES/article.po", "locales/ru/LC_MESSAGES/article.po"}
    assert "checked 5 translations in 2 catalogues" in result.stderr
    result = run("check", "--lang", "kk-Latn")
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {
        "locales/kk@latin/LC_MESSAGES/article.po"
    }
    assert "number-mismatch: source has 2022; translation has 2023" in result.stdout


def test_document_without_catalogues_checks_its_source(ws: Path) -> None:
    result = run("check", "article.md")
    assert result.exit_code == 1
    assert result.stdout == (
        "article.md:3: term-spelling: 'Batylarğa tağzym' looks like a misspelling of kk-Latn "
        "'Batyrlarğa tağzym' (batyrlarga-tagzym)\n"
    )
    assert (
        "checked 0 translations in 0 catalogues and 4 source segments in 1 document"
        in result.stderr
    )


def test_lang_option_selects_the_document_catalogues(ws: Path) -> None:
    write_ru()
    result = run("check", "--lang", "kk-Latn", "article.md")
    assert result.exit_code == 1  # the source spelling finding only
    assert [ln.split(":")[0] for ln in result.stdout.splitlines()] == ["article.md"]
    assert (
        "article.md: no kk-Latn catalogue (locales/kk@latin/LC_MESSAGES/article.po)"
        in result.stderr
    )
    result = run("check", "--lang", "ru", "article.md")
    assert "locales/ru/LC_MESSAGES/article.po:" in result.stdout


def test_clean_document_exit_0(ws: Path) -> None:
    (ws / "clean.md").write_text("The *Batyrlarğa tağzym* march in Astana.\n", encoding="utf-8")
    result = run("check", "clean.md")
    assert (result.exit_code, result.stdout) == (0, "")


def test_plain_text_document_markup_not_compared(ws: Path) -> None:
    (ws / "note.txt").write_text("A *bold* claim about Astana.\n", encoding="utf-8")
    po = new_catalog("ru", "note.txt", now=T0)
    po.append(
        polib.POEntry(
            msgid="A *bold* claim about Astana.",
            msgstr="Смелое заявление об Астане.",
            occurrences=[("note.txt", "1")],
        )
    )
    write_catalog(catalog_path("locales", "ru", "note.txt"), po, now=T0)
    result = run("check", "note.txt")
    assert result.exit_code == 0, result.output


def test_glossary_option_overrides_config(ws: Path) -> None:
    write_ru({"Parade in Astana": ("Парад в столице", True)})
    assert "term-missing" in run("check", "article.md").stdout
    other = ws / "empty.yaml"
    other.write_text("version: 1\nconcepts: {}\n", encoding="utf-8")
    result = run("check", "--glossary", other, "locales/ru/LC_MESSAGES/article.po")
    assert result.exit_code == 0, result.output


def test_missing_configured_glossary_is_bad_input(ws: Path) -> None:
    (ws / "glossary.yaml").unlink()
    result = run("check", "article.md")
    assert result.exit_code == 2
    assert "glossary.yaml: no such file" in result.stderr


def test_bad_po_exit_2_and_nothing_on_stdout(ws: Path) -> None:
    write_ru()
    bad = ws / "bad.po"
    shutil.copy(BAD_PO, bad)
    result = run("check", "locales/ru/LC_MESSAGES/article.po", bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.fullmatch(rf"{re.escape(str(bad))}:\d+: [^\n]+\n", result.stderr)


def test_unknown_file_type_exit_2(ws: Path) -> None:
    (ws / "data.csv").write_text("a,b\n", encoding="utf-8")
    result = run("check", "data.csv")
    assert result.exit_code == 2
    assert "data.csv: not a document (.md, .txt) or a catalogue (.po)" in result.stderr


def test_bad_lang_is_usage_error(ws: Path) -> None:
    result = run("check", "--lang", "xx-Nope", "article.md")
    assert result.exit_code == 2
    assert "--lang" in result.stderr
