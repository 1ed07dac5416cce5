"""``tilmash translate`` end to end with the pseudo and none engines, catalogues and glossary."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from glossary.translit import transliterate
from tests.conftest import shared_path, snapshot

GLOSSARY = """\
concepts:
  astana:
    kind: name
    terms:
      en: Astana
      ru: Астана
      kk: Астана
      kk-Latn: Astana
  kassym-jomart-tokayev:
    kind: name
    terms:
      en: [Kassym-Jomart Tokayev, Tokayev]
      ru: [Касым-Жомарт Токаев, Токаев]
      kk: [Қасым-Жомарт Тоқаев, Тоқаев]
      kk-Latn: [Qasym-Jomart Toqaev, Toqaev]
  immortal-regiment:
    terms:
      en: Immortal Regiment
      ru:
        - Бессмертный полк
        - {term: Вечный полк, status: forbidden}
      kk: Өлмес полк
  tass:
    kind: dnt
    terms:
      en: TASS
"""

ARTICLE = """\
# Victory Day in Astana

President Kassym-Jomart Tokayev spoke in *Astana* on May 08, 2025.

Around 178,000 people joined the Immortal Regiment, or 11.2% of the city.

```
code stays: Astana 178,000
```

Photo: **TASS**
"""


@pytest.fixture
def ws(workspace):
    (workspace / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    (workspace / "article.md").write_text(ARTICLE, encoding="utf-8")
    return workspace


def _run(run_cli, *args):
    result = run_cli("translate", *args)
    assert result.exit_code == 0, result.stderr
    return result


def _json(run_cli, *args):
    return {r["language"]: r for r in json.loads(_run(run_cli, *args, "--json").stdout)}


def test_pseudo_run_enforces_glossary_localizes_and_keeps_structure(ws, run_cli):
    reports = _json(run_cli, "article.md", "--to", "ru,kk,kk-Latn", "--engine", "pseudo")
    ru = (ws / "out/ru/article.md").read_text(encoding="utf-8")
    assert "# ⟦Victory Day in Астана⟧" in ru
    assert "President Касым-Жомарт Токаев spoke in *Астана* on 8\u00a0мая 2025\u202fг." in ru \
        or "President Касым-Жомарт Токаев spoke in *Астана* on 8 мая 2025\u202fг." in ru
    assert "178\u00a0000" in ru and "11,2\u00a0%" in ru
    assert "Бессмертный полк" in ru and "Immortal Regiment" not in ru
    assert "code stays: Astana 178,000" in ru  # code blocks are never touched
    assert "⟦Photo: **TASS**⟧" in ru  # do-not-translate: unchanged
    r = reports["ru"]
    assert r["segments"] == 4 and r["machine"] == 4 and r["engine_segments"] == 4
    assert r["reviewed"] == r["memory"] == r["untranslated"] == 0
    assert r["terms_enforced"] >= 4
    assert set(r) >= {"document", "language", "output", "segments", "reviewed", "memory", "machine",
                      "untranslated", "engine_segments", "terms_enforced", "repairs", "warnings"}
    kk = (ws / "out/kk/article.md").read_text(encoding="utf-8")
    latn = (ws / "out/kk-Latn/article.md").read_text(encoding="utf-8")
    assert "Қасым-Жомарт Тоқаев" in kk and "Qasym-Jomart Toqaev" in latn
    assert "2025\u202fж. 8 мамыр" in kk
    assert transliterate("2025\u202fж. 8 мамыр", "kk-latn-2021") in latn
    assert not re.search(r"[\u0400-\u04FF]", latn)  # fully Latin
    assert reports["kk-Latn"]["engine_segments"] == reports["kk"]["engine_segments"]


def test_marker_test_en_to_en_gives_back_the_input(ws, run_cli):
    _run(run_cli, "article.md", "--from", "en", "--to", "en", "--engine", "pseudo")
    out = (ws / "out/en/article.md").read_text(encoding="utf-8")
    assert out != ARTICLE
    assert out.replace("⟦", "").replace("⟧", "") == ARTICLE


def test_marker_test_on_the_seed_article(workspace, run_cli):
    seed = shared_path("seed", "000_94c7650f3b1ed2f3.txt")
    doc = workspace / "seed.md"
    shutil.copyfile(seed, doc)
    (workspace / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    _run(run_cli, "seed.md", "--from", "en", "--to", "en", "--engine", "pseudo")
    out = (workspace / "out/en/seed.md").read_bytes().decode("utf-8")
    assert out.count("⟦") == out.count("⟧") > 50
    assert out.replace("⟦", "").replace("⟧", "").encode("utf-8") == seed.read_bytes()


def _entry_block(po: str, msgid_start: str) -> str:
    for block in po.split("\n\n"):
        if msgid_start in block and "msgid" in block:
            return block
    raise AssertionError(f"no entry {msgid_start!r}")


def test_review_workflow_keeps_reviewed_and_sends_nothing_twice(ws, run_cli):
    first = _json(run_cli, "article.md", "--to", "ru", "--engine", "pseudo")["ru"]
    assert first["engine_segments"] == 4
    po_path = ws / "locales/ru/LC_MESSAGES/article.po"
    po = po_path.read_text(encoding="utf-8")
    block = _entry_block(po, "Around 178,000")
    assert "#, fuzzy" in block and "#. machine: pseudo en→ru" in block
    # second run: everything has a translation → nothing goes to the engine
    second = _json(run_cli, "article.md", "--to", "ru", "--engine", "pseudo")["ru"]
    assert second["engine_segments"] == 0 and second["machine"] == 4
    # a reviewer edits one string in a text editor and removes the fuzzy flag
    reviewed = "Около 178\u00a0000 человек присоединились к Бессмертному полку — 11,2\u00a0% города."
    new_block = re.sub(r'msgstr ".*"(\n".*")*', f'msgstr "{reviewed}"', block)
    new_block = new_block.replace("#, fuzzy\n", "")
    po_path.write_text(po.replace(block, new_block), encoding="utf-8")
    third = _json(run_cli, "article.md", "--to", "ru", "--engine", "pseudo")["ru"]
    assert third["reviewed"] == 1 and third["engine_segments"] == 0
    assert reviewed in (ws / "out/ru/article.md").read_text(encoding="utf-8")
    # the source changes: the reviewed one stays, a changed sentence becomes a fuzzy suggestion
    changed = ARTICLE.replace("spoke in *Astana*", "spoke briefly in *Astana*")
    (ws / "article.md").write_text(changed, encoding="utf-8")
    fourth = _json(run_cli, "article.md", "--to", "ru", "--engine", "pseudo")["ru"]
    assert fourth["reviewed"] == 1 and fourth["memory"] == 1 and fourth["engine_segments"] == 0
    po = po_path.read_text(encoding="utf-8")
    block = _entry_block(po, "President Kassym-Jomart Tokayev spoke briefly")
    assert "#, fuzzy" in block and '#| msgid "President Kassym-Jomart Tokayev spoke in' in block
    assert reviewed in po
    # a fifth, unchanged run sends nothing
    fifth = _json(run_cli, "article.md", "--to", "ru", "--engine", "pseudo")["ru"]
    assert fifth["engine_segments"] == 0
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po_path)], check=True)


def test_reviewed_only_leaves_the_rest_in_the_source_language(ws, run_cli):
    _run(run_cli, "article.md", "--to", "ru", "--engine", "pseudo")
    r = _json(run_cli, "article.md", "--to", "ru", "--reviewed-only", "--engine", "pseudo")["ru"]
    assert r["reviewed"] == 0 and r["untranslated"] == 4 and r["engine_segments"] == 0
    assert (ws / "out/ru/article.md").read_text(encoding="utf-8") == ARTICLE


def test_without_a_model_the_default_engine_is_none_with_a_notice(ws, run_cli, tmp_path):
    result = run_cli("translate", "article.md", "--to", "ru", "--json",
                     env={"ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")})
    assert result.exit_code == 0, result.stderr
    assert "tilmash models install" in result.stderr
    r = json.loads(result.stdout)[0]
    assert r["engine"] == "none" and r["untranslated"] == 4 and r["engine_segments"] == 0


def test_explicit_argos_without_model_is_a_one_line_error(ws, run_cli, tmp_path):
    before = snapshot(ws)
    result = run_cli("translate", "article.md", "--to", "ru", "--engine", "argos",
                     env={"ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")})
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "no Argos model for en→ru" in result.stderr
    assert snapshot(ws) == before


def test_bad_document_changes_nothing(ws, run_cli):
    (ws / "bad.md").write_bytes(b"# Title\n\nok\n\xff\xfe broken\n")
    before = snapshot(ws)
    result = run_cli("translate", "article.md", "bad.md", "--to", "ru", "--engine", "pseudo")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{Path('bad.md')}:4: not valid UTF-8 (byte 0xff at offset 16)" \
        or result.stderr.strip().startswith("bad.md:4: not valid UTF-8")
    assert snapshot(ws) == before


def test_broken_catalogue_changes_nothing(ws, run_cli):
    po = ws / "locales/ru/LC_MESSAGES/article.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    before = snapshot(ws)
    result = run_cli("translate", "article.md", "--to", "ru", "--engine", "pseudo")
    assert result.exit_code == 2 and "article.po:6:" in result.stderr
    assert snapshot(ws) == before


def test_many_documents_share_one_batch(ws, run_cli):
    (ws / "second.md").write_text("Victory Day in Astana.\n\nA new sentence.\n", encoding="utf-8")
    result = _run(run_cli, "article.md", "second.md", "--to", "ru", "--engine", "pseudo", "--json")
    reports = json.loads(result.stdout)
    assert [r["document"] for r in reports] == ["article.md", "second.md"]
    assert result.stderr.count("translating") == 1  # one engine call for both documents
    assert (ws / "out/ru/second.md").exists()


def test_out_dir_and_config_pattern(ws, run_cli):
    (ws / "tilmash.toml").write_text('glossary = "glossary.yaml"\ntargets = ["ru"]\n'
                                     'output = "build/{stem}.{lang}{ext}"\n', encoding="utf-8")
    _run(run_cli, "article.md", "--engine", "pseudo", "--out", "dist")
    assert (ws / "dist/build/article.ru.md").exists()


def test_catalog_update_resyncs_without_translating(ws, run_cli):
    _run(run_cli, "article.md", "--to", "ru", "--engine", "pseudo")
    changed = ARTICLE.replace("Around 178,000 people", "Around 179,000 people").replace(
        "Photo: **TASS**\n", "")
    (ws / "article.md").write_text(changed, encoding="utf-8")
    r = run_cli("catalog", "update", "article.md", "--to", "ru", "--json")
    assert r.exit_code == 0, r.stderr
    row = json.loads(r.stdout)[0]
    assert row["changed"] and row["fuzzy_matched"] == 1 and row["obsoleted"] == 2  # old text + removed
    po = (ws / "locales/ru/LC_MESSAGES/article.po").read_text(encoding="utf-8")
    assert '#~ msgid "Photo: **TASS**"' in po
    assert "#| msgid" in po and "Around 179,000" in po
    r = run_cli("catalog", "update", "article.md", "--to", "ru", "--json")
    assert json.loads(r.stdout)[0]["changed"] is False
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null",
                        str(ws / "locales/ru/LC_MESSAGES/article.po")], check=True)


def test_kk_latn_uses_glossary_spellings_aligned_with_the_kk_term():
    from glossary.model import Concept, Glossary, Term
    from translate.pipeline import transliterate_kazakh
    from translate.terms import TermMatcher

    g = Glossary()
    g.add(Concept("tokayev", kind="name", terms={
        "kk": [Term("Қасым-Жомарт Тоқаев"), Term("Тоқаев", status="admitted")],
        "kk-Latn": [Term("Qasym-Jomart Toqaev"), Term("Toqaev", status="admitted")]}))
    g.add(Concept("oyan", kind="name", terms={
        "kk": [Term("Оян, Қазақстан!")], "kk-Latn": [Term("Oyan, Qazaqstan!", translit="none")]}))
    g.add(Concept("parade", terms={"kk": [Term("әскери шеру")], "kk-Latn": [Term("äskeri şeru")]}))
    m = TermMatcher(g, "kk")
    assert transliterate_kazakh("Тоқаевтың сөзі", m) == "Toqaevtyñ sözı"
    assert transliterate_kazakh("Әскери шеруді көрдік.", m) == "Äskeri şerudı kördık."
    # an established spelling (not the rules' "Oian") wins
    assert transliterate_kazakh("«Оян, Қазақстан!» қозғалысы", m) == "«Oyan, Qazaqstan!» qozğalysy"
    assert transliterate_kazakh("No Cyrillic here", m) == "No Cyrillic here"


def test_kk_latn_inflected_plural_of_a_possessive_term():
    from glossary.model import Concept, Glossary, Term
    from translate.pipeline import transliterate_kazakh
    from translate.terms import TermMatcher

    g = Glossary()
    g.add(Concept("ribbon", terms={"kk": [Term("Георгий лентасы")],
                                   "kk-Latn": [Term("Georgii lentasy")]}))
    g.add(Concept("oyan", kind="name", terms={
        "kk": [Term("Оян, Қазақстан!")], "kk-Latn": [Term("Oyan, Qazaqstan!", translit="none")]}))
    m = TermMatcher(g, "kk")
    assert transliterate_kazakh("Георгий ленталары", m) == "Georgii lentalary"
    assert transliterate_kazakh("«Оян, Қазақстан!» қозғалысы", m) == "«Oyan, Qazaqstan!» qozğalysy"
