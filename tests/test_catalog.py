"""Catalogue layer (translate.catalog): headers, writing, sync, states, memory, stats, .mo.

Every catalogue written here is checked with ``msgfmt -c``; statistics and ``.mo`` files are
compared with GNU gettext's on the real third-party catalogues under ../shared/testdata.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import shutil
import struct
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest

from tilmash.errors import ParseError, TilmashError
from translate.catalog import (
    MACHINE_PREFIX,
    SegmentRef,
    TranslationMemory,
    catalog_path,
    catalog_stats,
    compile_catalog,
    entry_state,
    gettext_language,
    lookup,
    memory_for,
    new_catalog,
    set_machine,
    sync_catalog,
    template_catalog,
    template_path,
    update_catalog,
    write_catalog,
)
from translate.postrict import format_po, parse_po, read_catalog
from tests.conftest import REPO

TESTDATA = REPO.parent / "shared" / "testdata" / "po"
REAL_PO = sorted(TESTDATA.glob("*/*.po")) if TESTDATA.is_dir() else []
LARGEST = TESTDATA / "gnome-control-center" / "kk.po"

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=5)))
T1 = datetime(2025, 3, 2, 14, 0, tzinfo=timezone(timedelta(hours=5)))
DOC = "examples/article.md"


def need_gettext() -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")


def msgfmt(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(["msgfmt", *map(str, args)], capture_output=True, env=env)


def assert_msgfmt_clean(path: Path, *, warnings: bool = False) -> None:
    """``msgfmt -c`` accepts *path*; a ``.po`` must not even get a warning."""
    need_gettext()
    result = msgfmt("-c", "-o", os.devnull, path)
    assert result.returncode == 0, result.stderr.decode()
    if not warnings:
        assert result.stderr == b"", result.stderr.decode()


@pytest.fixture(params=[p.relative_to(TESTDATA).as_posix() for p in REAL_PO] or ["none"])
def real_po(request: pytest.FixtureRequest) -> Path:
    if not REAL_PO:
        pytest.skip(f"shared test data not available: {TESTDATA}")
    return TESTDATA / request.param


def seg(
    source: str, line: int, context: str | None = None, terms: tuple[str, ...] = ()
) -> SegmentRef:
    return SegmentRef(source=source, line=line, document=DOC, context=context, terms=list(terms))


PARA_1 = (
    "Kazakhstan's parliament approved amendments to the budget code on Wednesday, "
    "redirecting 1.2 trillion tenge from the National Fund to regional roads."
)
PARA_1_EDITED = PARA_1.replace("1.2 trillion", "1.4 trillion")
PARA_2 = "The finance ministry said the transfer would be audited."
TITLE = "Budget code amended"
LONG_NEWS = (
    "ASTANA — The government on Thursday published the draft of a new tax code that would "
    "raise value added tax from 12 to 16 percent, introduce a progressive personal income "
    "tax for high earners and abolish dozens of exemptions, a move officials said would "
    "bring the budget an extra three trillion tenge a year; business associations warned "
    "that small companies in the regions would bear most of the burden."
)


def first_document() -> list[SegmentRef]:
    return [
        seg(TITLE, 1, None, ("budget code",)),
        seg(PARA_1, 3, TITLE, ("National Fund", "tenge")),
        seg(PARA_2, 5, TITLE),
        seg(TITLE, 9, "Read more"),
    ]


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("kk", "kk"), ("ru", "ru"), ("pt-BR", "pt_BR"), ("kk-Latn", "kk@latin"),
     ("sr-Latn-RS", "sr_RS@latin"), ("KK", "kk"), ("uz_Cyrl", "uz@cyrillic")],
)
def test_gettext_language_names(tag: str, expected: str) -> None:
    assert gettext_language(tag) == expected


def test_layout_paths(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    assert catalog_path(locales, "kk", DOC) == locales / "kk" / "LC_MESSAGES" / "article.po"
    assert catalog_path(locales, "kk-Latn", "a/b/news.md") == (
        locales / "kk@latin" / "LC_MESSAGES" / "news.po"
    )
    assert template_path(locales, DOC) == locales / "templates" / "article.pot"


def test_bad_language_tag_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(TilmashError, match="unknown language 'xx'"):
        catalog_path(tmp_path, "xx", DOC)


# --------------------------------------------------------------------------- headers


def test_new_catalog_header_comes_from_babel() -> None:
    po = new_catalog("ru", DOC, now=T0)
    meta = po.metadata
    assert meta["Language"] == "ru"
    assert meta["Plural-Forms"].startswith("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0")
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["Content-Transfer-Encoding"] == "8bit"
    assert meta["MIME-Version"] == "1.0"
    assert meta["POT-Creation-Date"] == meta["PO-Revision-Date"] == "2025-03-01 09:30+0500"
    assert re.fullmatch(r"tilmash \d+\.\d+\.\d+.*", meta["X-Generator"])
    assert meta["Project-Id-Version"] == DOC
    assert new_catalog("kk", DOC).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert new_catalog("kk-Latn", DOC).metadata["Language"] == "kk@latin"
    assert new_catalog("pt-BR", DOC).metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_source_date_epoch_freezes_header_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert new_catalog("kk", DOC).metadata["PO-Revision-Date"] == "2023-11-14 22:13+0000"


def test_new_catalogues_pass_msgfmt_check(tmp_path: Path) -> None:
    for lang in ("kk", "ru", "kk-Latn", "en"):
        path = tmp_path / f"{lang}.po"
        result = sync_catalog(new_catalog(lang, DOC, now=T0), first_document(), lang)
        write_catalog(path, result.catalog)
        assert_msgfmt_clean(path)
    pot = tmp_path / "article.pot"
    write_catalog(pot, template_catalog(first_document(), DOC, now=T0))
    assert_msgfmt_clean(pot, warnings=True)  # a template's empty Language is only a warning
    assert [e.msgid for e in read_catalog(pot)] == [TITLE, PARA_1, PARA_2]
    assert all(e.msgstr == "" for e in read_catalog(pot))


# --------------------------------------------------------------------------- writing


def test_write_catalog_writes_only_when_content_changes(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "kk" / "LC_MESSAGES" / "article.po"
    po = sync_catalog(new_catalog("kk", DOC, now=T0), first_document(), "kk").catalog
    assert write_catalog(path, po, now=T1) is True
    first = path.read_bytes()
    assert b'"PO-Revision-Date: 2025-03-01 09:30+0500\\n"' in first

    # same content again (a fresh sync of the same document): not written, date kept
    again = sync_catalog(read_catalog(path), first_document(), "kk").catalog
    assert write_catalog(path, again, now=T1) is False
    assert path.read_bytes() == first

    # a real change: written, and only then does PO-Revision-Date move
    set_machine(again, PARA_2, "Қаржы министрлігі аударым тексерілетінін айтты.", "pseudo")
    assert write_catalog(path, again, now=T1) is True
    text = path.read_text(encoding="utf-8")
    assert '"PO-Revision-Date: 2025-03-02 14:00+0500\\n"' in text
    assert '"POT-Creation-Date: 2025-03-01 09:30+0500\\n"' in text
    assert again.metadata["PO-Revision-Date"] == "2025-03-02 14:00+0500"
    assert_msgfmt_clean(path)


def test_a_file_reformatted_by_another_tool_is_left_alone(tmp_path: Path) -> None:
    need_gettext()
    path = tmp_path / "kk.po"
    po = sync_catalog(new_catalog("kk", DOC, now=T0), [seg(LONG_NEWS, 1)], "kk").catalog
    write_catalog(path, po)
    # msgcat --no-wrap: one long line per string, like some editors write
    subprocess.run(["msgcat", "--no-wrap", "-o", str(path), str(path)], check=True)
    reformatted = path.read_bytes()
    assert reformatted != format_po(po).encode()
    same = sync_catalog(read_catalog(path), [seg(LONG_NEWS, 1)], "kk").catalog
    assert write_catalog(path, same, now=T1) is False
    assert path.read_bytes() == reformatted


def test_write_catalog_refuses_to_overwrite_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "kk.po"
    broken = b'msgid "a"\nmsgstr "b\n'
    path.write_bytes(broken)
    po = new_catalog("kk", DOC, now=T0)
    with pytest.raises(ParseError, match=r"kk\.po:2: unterminated string"):
        write_catalog(path, po)
    assert path.read_bytes() == broken


def test_template_date_is_pot_creation_date(tmp_path: Path) -> None:
    path = tmp_path / "article.pot"
    write_catalog(path, template_catalog(first_document(), DOC, now=T0))
    assert write_catalog(path, template_catalog(first_document(), DOC, now=T1)) is False
    changed = template_catalog([seg(PARA_2, 1)], DOC, now=T0)
    assert write_catalog(path, changed, now=T1) is True
    assert read_catalog(path).metadata["POT-Creation-Date"] == "2025-03-02 14:00+0500"


def test_update_catalog_is_a_locked_read_modify_write(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "article.po"
    seen: list[object] = []

    def change(po: polib.POFile | None) -> polib.POFile:
        seen.append(po)
        return sync_catalog(po, first_document(), "ru", document=DOC).catalog

    assert update_catalog(path, change, now=T0) is True
    assert seen == [None]
    assert update_catalog(path, change, now=T1) is False
    assert isinstance(seen[1], polib.POFile) and len(seen[1]) == 3
    assert not list(path.parent.glob(".*.lock"))
    assert_msgfmt_clean(path)


# --------------------------------------------------------------------------- the review workflow


def review(path: Path, source: str, translation: str | None = None) -> None:
    """What a reviewer does in a text editor: fix msgstr, delete the ``#, fuzzy`` line."""
    text = path.read_text(encoding="utf-8")
    po = parse_po(text, path)
    entry = next(e for e in po if e.msgid == source and not e.obsolete)
    if translation is not None:
        entry.msgstr = translation
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    path.write_text(format_po(po), encoding="utf-8")


def test_end_to_end_translate_review_change_resync(tmp_path: Path) -> None:
    path = catalog_path(tmp_path / "locales", "kk", DOC)

    # 1. a new document: every segment untranslated, one entry per distinct text
    result = sync_catalog(None, first_document(), "kk")
    assert (result.new, result.kept, result.fuzzy_matched) == (3, 0, 0)
    po = result.catalog
    assert [e.msgid for e in po] == [TITLE, PARA_1, PARA_2]
    assert po[0].occurrences == [(DOC, "1"), (DOC, "9")]
    assert po[0].comment == "Read more\nglossary: budget code"
    assert po[1].comment == f"{TITLE}\nglossary: National Fund, tenge"
    assert all(lookup(po, s.source) is None for s in first_document())
    assert catalog_stats(po) == {"translated": 0, "fuzzy": 0, "untranslated": 3, "obsolete": 0}

    # 2. machine translation: fuzzy, with provenance
    provenance = "argos en→kk translate-en_kk 1.9, tilmash 0.1.0"
    assert set_machine(po, TITLE, "Бюджет кодексіне түзету енгізілді", provenance)
    assert set_machine(po, PARA_1, "Парламент бюджет кодексіне түзетулерді мақұлдады.", provenance)
    assert set_machine(po, PARA_2, "Министрлік аударым тексерілетінін айтты.", provenance)
    t = lookup(po, TITLE)
    assert t is not None and (t.state, t.provenance) == ("machine", provenance)
    assert f"#. {MACHINE_PREFIX}{provenance}\n" in format_po(po)
    write_catalog(path, po, now=T0)
    assert_msgfmt_clean(path)
    assert catalog_stats(read_catalog(path))["fuzzy"] == 3

    # 3. hand review in a text editor: accept one, correct another
    review(path, TITLE)
    review(path, PARA_1, "Парламент сәрсенбіде бюджет кодексіне түзетулерді мақұлдады.")
    po = read_catalog(path)
    accepted = lookup(po, TITLE)
    assert accepted is not None and accepted.state == "reviewed"
    # machine output never replaces a reviewed (or any) translation
    assert not set_machine(po, PARA_1, "other", "pseudo")
    assert lookup(po, PARA_1).text.startswith("Парламент сәрсенбіде")  # type: ignore[union-attr]

    # 4. the source document changes: PARA_1 edited, PARA_2 removed, a new paragraph
    changed = [seg(TITLE, 1), seg(PARA_1_EDITED, 3, TITLE), seg(LONG_NEWS, 7, TITLE)]
    result = sync_catalog(po, changed, "kk")
    assert (result.kept, result.fuzzy_matched, result.new, result.obsoleted, result.revived) == (
        1, 1, 1, 2, 0)
    po = result.catalog
    title = lookup(po, TITLE)
    assert title is not None and title.state == "reviewed"
    suggestion = lookup(po, PARA_1_EDITED)
    assert suggestion is not None and suggestion.state == "suggestion"
    assert suggestion.text.startswith("Парламент сәрсенбіде")
    assert "reviewed" in suggestion.provenance and "%" in suggestion.provenance
    entry = next(e for e in po if e.msgid == PARA_1_EDITED)
    assert entry.fuzzy and entry.previous_msgid == PARA_1
    obsolete = {e.msgid: e for e in po if e.obsolete}
    assert set(obsolete) == {PARA_1, PARA_2}
    assert not obsolete[PARA_1].fuzzy  # the reviewed translation is kept, still reviewed
    assert lookup(po, PARA_2) is None  # obsolete entries are not live translations
    write_catalog(path, po, now=T1)
    assert_msgfmt_clean(path)
    text = path.read_text(encoding="utf-8")
    assert "#| msgid " in text and "#~ msgid " in text
    assert read_catalog(path)[1].previous_msgid == PARA_1

    # 5. the old text comes back: revived with its translation and state
    po = read_catalog(path)
    result = sync_catalog(po, first_document(), "kk")
    assert result.revived == 2
    po = result.catalog
    restored = lookup(po, PARA_1)
    assert restored is not None and restored.state == "reviewed"
    machine = lookup(po, PARA_2)
    assert machine is not None and (machine.state, machine.provenance) == ("machine", provenance)
    assert {e.msgid for e in po if e.obsolete} == {PARA_1_EDITED, LONG_NEWS}
    write_catalog(path, po, now=T1)
    assert_msgfmt_clean(path)

    # 6. idempotent: syncing the same document again writes nothing
    again = sync_catalog(read_catalog(path), first_document(), "kk").catalog
    assert write_catalog(path, again, now=T1 + timedelta(days=1)) is False


def test_sync_does_not_modify_its_input() -> None:
    po = sync_catalog(None, first_document(), "kk").catalog
    before = format_po(po)
    sync_catalog(po, [seg(PARA_2, 1)], "kk")
    assert format_po(po) == before


def test_reviewed_suggestion_beats_machine_output_at_equal_similarity() -> None:
    po = sync_catalog(None, [seg("Prices rose in May.", 1), seg("Prices rose in June.", 2)],
                      "ru").catalog
    set_machine(po, "Prices rose in May.", "Цены выросли в мае (машина).", "pseudo")
    po[1].msgstr = "Цены выросли в июне."  # reviewed
    result = sync_catalog(po, [seg("Prices rose in July.", 1)], "ru")
    entry = result.catalog[0]
    assert entry.msgstr == "Цены выросли в июне." and entry.previous_msgid == "Prices rose in June."


def test_threshold_limits_suggestions() -> None:
    po = sync_catalog(None, [seg("Prices rose in May.", 1)], "ru").catalog
    po[0].msgstr = "Цены выросли в мае."
    low = sync_catalog(po, [seg("Rain is expected tomorrow.", 1)], "ru")
    assert (low.new, low.fuzzy_matched) == (1, 0)
    high = sync_catalog(po, [seg("Prices rose in May!", 1)], "ru", threshold=0.9)
    assert high.fuzzy_matched == 1


def test_reviewer_split_with_msgctxt_is_respected(tmp_path: Path) -> None:
    """Same text, two translations: the reviewer gave each occurrence its own msgctxt."""
    source = "Astana"
    po = sync_catalog(None, [seg(source, 3), seg(source, 20)], "ru").catalog
    po[0].msgctxt = "city"
    po[0].msgstr = "Астана"
    po[0].occurrences = [(DOC, "3")]
    club = polib.POEntry(msgid=source, msgctxt="football club", msgstr="«Астана»",
                         occurrences=[(DOC, "20")])
    po.append(club)
    path = tmp_path / "ru.po"
    write_catalog(path, po, now=T0)
    assert_msgfmt_clean(path)

    # lines shift by two: each occurrence goes to the variant nearest to it
    result = sync_catalog(read_catalog(path), [seg(source, 5), seg(source, 22)], "ru")
    assert result.kept == 2 and result.obsoleted == 0
    po = result.catalog
    assert [(e.msgctxt, e.occurrences) for e in po] == [
        ("city", [(DOC, "5")]), ("football club", [(DOC, "22")])]
    assert lookup(po, source, document=DOC, line=22).text == "«Астана»"  # type: ignore[union-attr]
    assert lookup(po, source, line=5).text == "Астана"  # type: ignore[union-attr]

    # the club paragraph is deleted: that variant becomes obsolete, no duplicate key
    result = sync_catalog(po, [seg(source, 5)], "ru")
    assert (result.kept, result.obsoleted) == (1, 1)
    write_catalog(path, result.catalog, now=T1)
    assert_msgfmt_clean(path)


def test_set_machine_rules() -> None:
    po = sync_catalog(None, [seg("Hello", 1), seg("Code:\n", 2)], "kk").catalog
    with pytest.raises(KeyError):
        set_machine(po, "not in the catalogue", "x", "pseudo")
    assert not set_machine(po, "Hello", "   ", "pseudo")  # empty output stays untranslated
    assert po[0].msgstr == ""
    # NFC at the boundary; newlines made to agree with the msgid (msgfmt -c rule)
    assert set_machine(po, "Code:\n", "Код:", "pseudo")
    assert po[1].msgstr == "Код:\n"
    assert set_machine(po, "Hello", "Са\u0301лем", "pseudo")
    assert po[0].msgstr == "Са\u0301лем"  # no precomposed form: unchanged
    assert set_machine(po, "Hello", "x", "again") is False  # earlier machine output kept
    assert po[0].msgstr == "Са\u0301лем"
    assert entry_state(po[0]) == "machine"


def test_entry_states() -> None:
    reviewed = polib.POEntry(msgid="a", msgstr="b")
    machine = polib.POEntry(msgid="a", msgstr="b", flags=["fuzzy"], comment="machine: x")
    suggestion = polib.POEntry(msgid="a", msgstr="b", flags=["fuzzy"], previous_msgid="A")
    plain_fuzzy = polib.POEntry(msgid="a", msgstr="b", flags=["fuzzy"])
    empty = polib.POEntry(msgid="a", msgstr="", flags=["fuzzy"])
    assert [entry_state(e) for e in (reviewed, machine, suggestion, plain_fuzzy, empty)] == [
        "reviewed", "machine", "suggestion", "suggestion", None]


# --------------------------------------------------------------------------- memory


def test_translation_memory_across_two_catalogues(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    other = sync_catalog(None, [SegmentRef(PARA_1, 4, "news/other.md"),
                                SegmentRef(PARA_2, 6, "news/other.md")], "kk").catalog
    other[0].msgstr = "Парламент бюджет кодексін өзгертті."
    set_machine(other, PARA_2, "Министрлік айтты.", "pseudo")
    write_catalog(catalog_path(locales, "kk", "news/other.md"), other, now=T0)
    third = sync_catalog(None, [SegmentRef(TITLE, 1, "news/third.md")], "kk").catalog
    third[0].msgstr = "Бюджет кодексі"
    write_catalog(catalog_path(locales, "kk", "news/third.md"), third, now=T0)

    mine = catalog_path(locales, "kk", DOC)
    memory = memory_for(locales, "kk", exclude=[mine])
    assert len(memory) == 3
    found = memory.best(PARA_1_EDITED, 0.75)
    assert found is not None and found[0].msgstr == "Парламент бюджет кодексін өзгертті."
    assert 0.95 < found[1] < 1
    assert memory.best("Something unrelated entirely", 0.75) is None

    result = sync_catalog(None, [seg(PARA_1_EDITED, 3), seg(TITLE + "!", 1)], "kk",
                          memory=memory)
    assert result.fuzzy_matched == 2
    suggestion = lookup(result.catalog, PARA_1_EDITED)
    assert suggestion is not None and suggestion.state == "suggestion"
    assert "other.po" in suggestion.provenance
    write_catalog(mine, result.catalog, now=T0)
    assert_msgfmt_clean(mine)


def test_memory_exact_match_and_ties() -> None:
    a = polib.POEntry(msgid="Good morning", msgstr="machine", flags=["fuzzy"])
    b = polib.POEntry(msgid="Good morning", msgstr="reviewed")
    memory = TranslationMemory([[a, b]])  # any iterable of entries works as a catalogue
    found = memory.best("Good morning")
    assert found is not None and found[0].msgstr == "reviewed" and found[1] == 1.0
    assert TranslationMemory([]).best("x") is None


def test_memory_handles_long_paragraphs_fairly() -> None:
    # difflib's autojunk would make two near-identical 400-character paragraphs look
    # dissimilar; we turn it off.
    memory = TranslationMemory([[polib.POEntry(msgid=LONG_NEWS, msgstr="перевод")]])
    found = memory.best(LONG_NEWS.replace("16 percent", "15 percent"), 0.75)
    assert found is not None and found[1] > 0.98


def test_memory_finds_edited_entries_among_thousands() -> None:
    if not LARGEST.exists():
        pytest.skip(f"shared test data not available: {LARGEST}")
    po = read_catalog(LARGEST)
    memory = TranslationMemory([po])
    queries = [e.msgid + " again" for e in po if not e.obsolete and e.msgstr][:200]
    hits = sum(1 for q in queries if memory.best(q, 0.75) is not None)
    assert len(memory) > 3000 and hits > 50


def test_sync_on_the_largest_real_catalogue() -> None:
    if not LARGEST.exists():
        pytest.skip(f"shared test data not available: {LARGEST}")
    po = read_catalog(LARGEST)
    live = [e for e in po if not e.obsolete and not e.msgid_plural]
    segments = [
        SegmentRef(e.msgid + (" (edited)" if i % 25 == 0 else ""), i + 1, "ui.md")
        for i, e in enumerate(live)
    ]
    result = sync_catalog(po, segments, "kk")
    distinct = len({s.source for s in segments})
    assert result.kept + result.fuzzy_matched + result.new == distinct
    assert result.fuzzy_matched >= 40  # short UI strings + " (edited)" fall below 0.75
    before = {(e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr}
    after = {(e.msgctxt, e.msgid): e.msgstr for e in result.catalog if e.msgstr}
    assert before.items() <= after.items()  # no translation is ever lost


# --------------------------------------------------------------------------- statistics


def msgfmt_statistics(path: Path, *extra: str) -> dict[str, int]:
    need_gettext()
    result = msgfmt("--statistics", *extra, "-o", os.devnull, path)
    assert result.returncode == 0, result.stderr.decode()
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    found = re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr.decode())
    for number, kind in found:
        counts[kind] = int(number)
    return counts


def without_obsolete(stats: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in stats.items() if k != "obsolete"}


def test_stats_equal_msgfmt_on_real_catalogues(real_po: Path) -> None:
    stats = catalog_stats(read_catalog(real_po))
    assert without_obsolete(stats) == msgfmt_statistics(real_po)
    obsolete = polib.pofile(str(real_po)).obsolete_entries()
    assert stats["obsolete"] == len(obsolete)


EDGE_CASES = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "one"
msgid_plural "many"
msgstr[0] "only the first form"
msgstr[1] ""
msgstr[2] ""

msgid "two"
msgid_plural "twos"
msgstr[0] ""
msgstr[1] "y"
msgstr[2] "z"

#, fuzzy
msgid "fuzzy but empty"
msgstr ""

#, fuzzy
msgid "fuzzy"
msgstr "Нечёткий"

msgctxt "c"
msgid ""
msgstr "context with an empty msgid"

msgctxt ""
msgid "empty context"
msgstr "пустой контекст"

msgctxt "d"
msgid ""
msgstr ""

#~ msgid "old"
#~ msgstr "OLD"
"""


def test_stats_follow_msgfmt_on_edge_cases(tmp_path: Path) -> None:
    path = tmp_path / "edge.po"
    path.write_text(EDGE_CASES, encoding="utf-8")
    stats = catalog_stats(read_catalog(path))
    # msgfmt: only msgstr[0] decides; fuzzy with an empty msgstr is untranslated
    assert stats == {"translated": 3, "fuzzy": 1, "untranslated": 3, "obsolete": 1}
    assert without_obsolete(stats) == msgfmt_statistics(path)


# --------------------------------------------------------------------------- compile


def mo_table(data: bytes) -> dict[bytes, bytes]:
    """The main string table of a .mo file."""
    _magic, _rev, count, orig, trans, _hs, _ho = struct.unpack("<7I", data[:28])
    table = {}
    for i in range(count):
        klen, koff = struct.unpack("<2I", data[orig + 8 * i : orig + 8 * i + 8])
        vlen, voff = struct.unpack("<2I", data[trans + 8 * i : trans + 8 * i + 8])
        table[data[koff : koff + klen]] = data[voff : voff + vlen]
    return table


def msgfmt_mo(path: Path, *extra: str) -> bytes:
    need_gettext()
    result = msgfmt(*extra, "-o", "-", path)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def test_compile_equals_msgfmt_on_real_catalogues(real_po: Path) -> None:
    po = read_catalog(real_po)
    ours = compile_catalog(po)
    theirs = msgfmt_mo(real_po)
    gettext.GNUTranslations(io.BytesIO(ours))  # loads
    if "<PRI" in real_po.read_text(encoding="utf-8"):
        # msgfmt moves C99 <PRIxxx> format strings to a system-dependent table (.mo
        # revision 1); we store them as ordinary strings, as Python's msgfmt.py does.
        a, b = mo_table(ours), mo_table(theirs)
        extra = {k for k in set(a) - set(b)}
        assert extra and all(b"<PRI" in k for k in extra)
        assert all(a[k] == b[k] for k in b)
    else:
        assert ours == theirs
    assert compile_catalog(po, use_fuzzy=True) == ours or "fuzzy" in real_po.read_text("utf-8")


def test_compile_edge_cases_byte_equal_to_msgfmt(tmp_path: Path) -> None:
    path = tmp_path / "edge.po"
    path.write_text(EDGE_CASES, encoding="utf-8")
    po = read_catalog(path)
    assert compile_catalog(po) == msgfmt_mo(path)
    assert compile_catalog(po, use_fuzzy=True) == msgfmt_mo(path, "--use-fuzzy")
    t = gettext.GNUTranslations(io.BytesIO(compile_catalog(po)))
    assert t.ngettext("one", "many", 1) == "only the first form"
    assert t.ngettext("one", "many", 5) == ""  # what msgfmt's file says too
    assert t.pgettext("", "empty context") == "пустой контекст"
    assert t.gettext("empty context") == "empty context"  # msgctxt "" is a real context
    assert t.gettext("fuzzy") == "fuzzy"
    fuzzy = gettext.GNUTranslations(io.BytesIO(compile_catalog(po, use_fuzzy=True)))
    assert fuzzy.gettext("fuzzy") == "Нечёткий"


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5, 7, 8, 10, 13, 31, 100])
def test_compile_hash_table_matches_msgfmt_for_any_size(tmp_path: Path, count: int) -> None:
    body = "".join(f'msgid "m{i}"\nmsgstr "t{i}"\n\n' for i in range(count))
    path = tmp_path / "n.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body,
                    encoding="utf-8")
    assert compile_catalog(read_catalog(path)) == msgfmt_mo(path)


def test_compile_keeps_the_fuzzy_header_like_msgfmt() -> None:
    path = TESTDATA / "glib" / "kk.po"
    if not path.exists():
        pytest.skip(f"shared test data not available: {path}")
    po = read_catalog(path)
    assert po.metadata_is_fuzzy
    t = gettext.GNUTranslations(io.BytesIO(compile_catalog(po)))
    assert t.info()["language"] == "kk"
    assert "pot-creation-date" not in t.info()  # msgfmt ≥ 0.20 leaves it out


def test_compiled_catalogue_after_sync_and_review(tmp_path: Path) -> None:
    po = sync_catalog(None, first_document(), "kk").catalog
    set_machine(po, TITLE, "Тақырып", "pseudo")
    po[1].msgstr = "Абзац"  # reviewed
    path = tmp_path / "kk.po"
    write_catalog(path, po, now=T0)
    mo = compile_catalog(read_catalog(path))
    assert mo == msgfmt_mo(path)
    t = gettext.GNUTranslations(io.BytesIO(mo))
    assert t.gettext(PARA_1) == "Абзац"
    assert t.gettext(TITLE) == TITLE  # fuzzy machine output is not compiled


def test_stats_count_an_empty_header_entry_like_msgfmt(tmp_path: Path) -> None:
    path = tmp_path / "empty-header.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    stats = catalog_stats(read_catalog(path))
    assert stats == {"translated": 1, "fuzzy": 0, "untranslated": 1, "obsolete": 0}
    assert without_obsolete(stats) == msgfmt_statistics(path)
    assert compile_catalog(read_catalog(path)) == msgfmt_mo(path)


def test_lookup_sees_entries_edited_in_place() -> None:
    po = sync_catalog(None, [seg("Old text", 1)], "kk").catalog
    assert lookup(po, "Old text") is None  # builds the index
    po[0].msgid = "New text"
    po[0].msgstr = "Жаңа мәтін"
    found = lookup(po, "New text")
    assert found is not None and found.text == "Жаңа мәтін"
    assert lookup(po, "Old text") is None
