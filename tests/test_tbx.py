"""TBX import/export: round trips, the third-party TBX files, and XML attacks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from glossary.model import Concept, Glossary, Term
from glossary.tbx import read_tbx, write_tbx
from tilmash.errors import ParseError, TilmashError

DATA = Path(__file__).resolve().parent / "data" / "tbx"
SHARED_TBX = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "tbx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_BASIC_STATUSES = {
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
}


def shared(name: str) -> Path:
    path = SHARED_TBX / name
    if not path.exists():
        pytest.skip(f"shared test data not available: {path}")
    return path


def read(path: Path) -> Glossary:
    return read_tbx(path.read_bytes(), path)


def newsroom_glossary() -> Glossary:
    """Kazakh (both scripts), Russian and English; every status, kind and term field."""
    g = Glossary()
    g.add(Concept(
        "almaty", kind="name", subject="geography", definition="Largest city of Kazakhstan.",
        note="Capital until 1997.\nSee also: astana",
        terms={
            "en": [Term("Almaty", pos="properNoun", case_sensitive=True),
                   Term("Alma-Ata", status="deprecated", note="Soviet-era name")],
            "ru": [Term("Алматы", gender="neuter", case_sensitive=True),
                   Term("Алма-Ата", status="forbidden", note="Только в исторических цитатах")],
            "kk": [Term("Алматы", case_sensitive=True)],
            "kk-Latn": [Term("Almaty", translit="kk-latn-2021", case_sensitive=True)],
        },
    ))
    g.add(Concept(
        "akim", kind="term", subject="government",
        terms={
            "en": [Term("akim", pos="noun", note="Head of a regional administration."),
                   Term("mayor", status="admitted")],
            "ru": [Term("аким", pos="noun", gender="masculine"),
                   Term("мэр", status="deprecated")],
            "kk": [Term("әкім", pos="noun")],
            "kk-Latn": [Term("äkım", pos="noun", translit="kk-latn-2021")],
        },
    ))
    g.add(Concept("kaztag", kind="dnt", note="News agency; never translated.",
                  terms={"en": [Term("KazTAG", case_sensitive=True)]}))
    g.add(Concept(
        "maslikhat", definition="Local representative body.\n\nElected for five years.",
        terms={
            "kk": [Term("мәслихат", status="preferred", pos="noun")],
            "ru": [Term("маслихат", status="admitted", pos="other", gender="other"),
                   Term("маслихат (собрание)", status="forbidden", translit="ru-iso9",
                        note="tilmash: this is a real note, not a marker")],
        },
    ))
    return g


# --------------------------------------------------------------------------- round trip


def test_round_trip_is_lossless_for_our_glossary():
    g = newsroom_glossary()
    assert read_tbx(write_tbx(g, source_lang="en"), "out.tbx") == g


def test_round_trip_without_source_lang():
    g = newsroom_glossary()
    assert read_tbx(write_tbx(g), "out.tbx") == g


def test_export_is_deterministic_and_idempotent():
    g = newsroom_glossary()
    first = write_tbx(g, source_lang="kk")
    assert first == write_tbx(newsroom_glossary(), source_lang="kk")
    assert write_tbx(read_tbx(first, "x.tbx"), source_lang="kk") == first


def test_foreign_file_round_trip_is_stable():
    g = read(shared("ltac-tbx-basic-dialect/Example_Astronomy_DCA_VALID.tbx"))
    out = write_tbx(g)
    assert read_tbx(out, "out.tbx") == g
    assert write_tbx(read_tbx(out, "out.tbx")) == out


def test_export_is_tbx_basic_that_tools_read():
    out = write_tbx(newsroom_glossary(), source_lang="en")
    text = out.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif ')
    assert text.endswith("</martif>\n") and "\r" not in text
    root = ET.fromstring(out)
    assert root.tag == "martif" and root.get("type") == "TBX-Basic" and root.get(XML_LANG) == "en"
    assert root.find("martifHeader/fileDesc/sourceDesc/p") is not None
    entries = root.findall("text/body/termEntry")
    assert [e.get("id") for e in entries] == ["almaty", "akim", "kaztag", "maslikhat"]
    # the source language comes first in every entry that has it
    langs = [ls.get(XML_LANG) for ls in entries[0].findall("langSet")]
    assert langs == ["en", "ru", "kk", "kk-Latn"]
    statuses = {n.text for n in root.iter("termNote") if n.get("type") == "administrativeStatus"}
    assert statuses <= TBX_BASIC_STATUSES
    # do-not-translate uses the Weblate / Translate Toolkit convention
    kaztag = entries[2]
    descrips = [(d.get("type"), d.text) for d in kaztag.findall("descrip")]
    assert descrips == [("Translation needed", "No")]
    # every term carries an explicit status; pos and gender use the TBX-Basic names
    tig = entries[1].find(f"langSet[@{XML_LANG}='ru']/tig")
    assert {n.get("type"): n.text for n in tig.findall("termNote")} == {
        "administrativeStatus": "preferredTerm-admn-sts",
        "partOfSpeech": "noun",
        "grammaticalGender": "masculine",
    }


def test_extras_are_encoded_as_documented():
    out = write_tbx(newsroom_glossary(), source_lang="en").decode("utf-8")
    assert "<note>tilmash: kind=name</note>" in out
    assert "<note>tilmash: forbidden</note>" in out
    assert "<note>tilmash: case-sensitive; translit=kk-latn-2021</note>" in out
    assert '<termNote type="termType">variant</termNote>' in out
    assert "<note>tilmash: this is a real note, not a marker</note>" in out


def test_term_locations_point_at_term_elements():
    out = write_tbx(newsroom_glossary())
    lines = out.decode("utf-8").split("\n")
    g = read_tbx(out, "out.tbx")
    for concept in g:
        assert concept.location is not None
        assert lines[concept.location.line - 1].strip().startswith(f'<termEntry id="{concept.id}"')
        for _, term in concept.all_terms():
            assert term.location is not None and term.location.path == "out.tbx"
            assert lines[term.location.line - 1].strip() == f"<term>{term.text}</term>"


def test_invalid_xml_character_is_refused_on_export():
    g = Glossary({"x": Concept("x", terms={"en": [Term("bad\x01term")]})})
    with pytest.raises(TilmashError, match="U\\+0001"):
        write_tbx(g)


def test_empty_glossary():
    out = write_tbx(Glossary())
    assert read_tbx(out, "e.tbx") == Glossary()


# --------------------------------------------------------------------------- third-party files

ASTRONOMY = [
    "ltac-tbx-test-files/basic_good.tbx",
    "ltac-tbx-test-files/min_good.tbx",
    "ltac-tbx-basic-dialect/Example_Astronomy_DCA_VALID.tbx",
    "ltac-tbx-basic-dialect/Example_Astronomy_DCT_VALID.tbx",
    "ltac-tbx-min-dialect/Example_Astronomy_DCA_VALID.tbx",
]


@pytest.mark.parametrize("name", ASTRONOMY)
def test_astronomy_files(name):
    g = read(shared(name))
    assert len(g) == 45
    assert sum(len(ts) for c in g for ts in c.terms.values()) == 113
    assert Counter(lang for c in g for lang in c.terms) == {"en": 39, "es": 39, "zu": 6}
    # 12 preferred, 16 admitted, 4 deprecated/superseded marked; the other 81 default to preferred
    assert Counter(t.status for c in g for _, t in c.all_terms()) == {
        "preferred": 93, "admitted": 16, "deprecated": 4}
    c1 = g.get("c1")
    assert c1 is not None and c1.subject == "General"
    assert [(t.text, t.status, t.pos) for t in c1.terms["en"]] == [
        ("open cluster", "preferred", "noun"), ("galactic cluster", "deprecated", "noun")]
    assert c1.terms["en"][1].note is not None
    assert c1.terms["en"][1].note.startswith("Another name for an open star cluster. They are")


def test_dialect_violations_are_read_not_validated():
    # basic_bad.tbx breaks TBX-Basic rules but is well-formed: we read it; the one value
    # outside the part-of-speech picklist ("nominal") becomes "other"
    bad = read(shared("ltac-tbx-test-files/basic_bad.tbx"))
    good = read(shared("ltac-tbx-test-files/basic_good.tbx"))
    assert list(bad.concepts) == list(good.concepts)
    c1 = bad.get("c1")
    assert c1 is not None
    assert [t.pos for t in c1.terms["en"]] == ["other", "noun"]
    c1.terms["en"][0].pos = "noun"
    assert [c.terms for c in bad] == [c.terms for c in good]


def test_core_structure_file_has_no_statuses():
    g = read(shared("ltac-tbx-test-files/core_structure_good.tbx"))
    assert len(g) == 45
    assert sum(len(ts) for c in g for ts in c.terms.values()) == 113
    assert {t.status for c in g for _, t in c.all_terms()} == {"preferred"}
    assert {t.pos for c in g for _, t in c.all_terms()} == {None}


def test_dca_and_dct_styles_give_the_same_terms():
    dca = read(shared("ltac-tbx-basic-dialect/Example_Astronomy_DCA_VALID.tbx"))
    dct = read(shared("ltac-tbx-basic-dialect/Example_Astronomy_DCT_VALID.tbx"))
    assert list(dca.concepts) == list(dct.concepts)
    for concept in dca:
        other = dct.get(concept.id)
        assert other is not None
        assert (other.terms, other.subject, other.definition) == (
            concept.terms, concept.subject, concept.definition)


def test_definitions_per_language_keep_the_document_language():
    c1 = read(shared("ltac-tbx-test-files/basic_good.tbx")).get("c1")
    assert c1 is not None
    assert c1.definition == "A group of stars formed together in the spiral arms of a galaxy."


def test_weblate_cs_tbx():
    g = read(shared("weblate-tests/cs.tbx"))
    pairs = [(c.id, c.terms["en"][0].text, c.terms["cs"][0].text) for c in g]
    assert pairs == [
        ("address-bar", "address bar", "adresní řádek"),
        ("administrator", "administrator", "správce"),
        ("administrate", "administrate", "spravovat"),
        ("always-on-top", "always on top", "vždy navrchu"),
    ]
    assert all(c.kind == "term" for c in g)


def test_weblate_extended_metadata():
    g = read(shared("weblate-tests/fr-extended-metadata.tbx"))
    assert list(g.concepts) == ["e001", "e002"]
    e001, e002 = g.get("e001"), g.get("e002")
    assert e001 is not None and e002 is not None
    assert {lang: [t.status for t in ts] for lang, ts in e001.terms.items()} == {
        "en": ["deprecated"], "fr": ["deprecated"]}
    assert e001.kind == "term"  # Translation needed: Yes
    assert e001.definition == "Superseded but still found in older manuals."
    assert e001.note == "Avoid using this term in any documentation."  # Usage note
    assert e002.kind == "dnt"  # Translation needed: No
    assert e002.terms["en"][0].note == "Do not translate error codes."
    assert e002.terms["fr"][0].text == "SYS_ERR_406"


def test_omegat_sample():
    g = read(shared("omegat-tests/sampleTBXfile.tbx"))
    assert len(g) == 1
    (concept,) = g
    assert concept.id == "eid-oracle-67"  # eid-Oracle-67, made to fit our id pattern
    assert concept.subject == "manufacturing"
    assert concept.definition == "A value between 0 and 1 used in ..."
    assert [(lang, t.text, t.pos) for lang, t in concept.all_terms()] == [
        ("en", "alpha smoothing factor", "noun"), ("hu", "hu translation", "noun")]


def test_poorly_formed_xml_reports_line_42():
    path = shared("ltac-tbx-test-files/poorly_formed_xml.tbx")
    with pytest.raises(ParseError) as info:
        read(path)
    assert info.value.lineno == 42
    assert str(info.value).startswith(f"{path}:42: not well-formed XML: mismatched tag")
    assert "\n" not in str(info.value)


def test_bad_status_value_reports_its_line():
    path = shared("ltac-tbx-test-files/min_bad.tbx")
    with pytest.raises(ParseError, match="unknown term status 'not an allowed value'") as info:
        read(path)
    assert info.value.lineno == 803


def test_two_terms_in_one_term_section_is_refused():
    path = shared("ltac-tbx-test-files/core_structure_bad.tbx")
    with pytest.raises(ParseError, match=r"more than one <term> in <termSec>") as info:
        read(path)
    assert info.value.lineno == 32


# --------------------------------------------------------------------------- security


@pytest.mark.parametrize(("name", "line", "pattern"), [
    ("billion-laughs.tbx", 3, "entity declaration 'lol' refused"),
    ("xxe.tbx", 4, "external entity declaration 'secret' refused"),
    ("xxe-parameter.tbx", 3, "external entity declaration 'remote' refused"),
    ("undeclared-entity.tbx", 9, "undefined entity &nbsp;"),
])
def test_entities_are_refused_with_a_line(name, line, pattern):
    path = DATA / name
    with pytest.raises(ParseError, match=pattern) as info:
        read(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: ")
    assert "\n" not in message
    assert "root:" not in message  # nothing from /etc/passwd


def test_doctype_that_only_names_a_dtd_is_accepted():
    g = read(DATA / "ttk-doctype.tbx")
    assert list(g.concepts) == ["supreme-court", "supreme-court-2"]
    assert g.get("supreme-court-2").terms["kk"][0].text == "Жоғарғы Сот"  # type: ignore[union-attr]


def test_not_tbx_and_structural_errors(tmp_path):
    cases = {
        b'<?xml version="1.0"?>\n<xliff version="1.2"/>':
            (2, "not a TBX file: the root element is <xliff>"),
        b'<martif>\n<text><body><termEntry>\n<langSet><tig><term>x</term></tig></langSet>'
        b'</termEntry></body></text></martif>': (3, "<langSet> without xml:lang"),
        b'<martif><text><body>\n<termEntry id="a"/>\n<termEntry id="a"/></body></text></martif>':
            (3, "duplicate concept id 'a' (first at line 2)"),
        b'<martif><text><body><termEntry><langSet xml:lang="en">\n<tig><note>x</note></tig>'
        b'</langSet></termEntry></body></text></martif>': (2, "<tig> without a <term>"),
        b"": (1, "not well-formed XML: no element found"),
    }
    for data, (line, message) in cases.items():
        with pytest.raises(ParseError) as info:
            read_tbx(data, "t.tbx")
        assert str(info.value).startswith(f"t.tbx:{line}: {message}"), str(info.value)


# --------------------------------------------------------------------------- mapping details


def test_ntig_language_tags_and_foreign_statuses():
    g = read(DATA / "ntig-and-tags.tbx")
    (concept,) = g
    assert concept.id == "mazhilis-1"
    assert list(concept.terms) == ["en-US", "ru-RU", "x-newsroom"]  # normalized; unknown kept
    assert concept.subject == "politics"
    assert concept.definition == "Lower house of the Parliament of Kazakhstan."
    assert concept.note == "[ru-RU] Склоняется."
    en = concept.terms["en-US"][0]
    assert (en.text, en.pos, en.status, en.note) == (
        "Mazhilis", "properNoun", "preferred", "Also spelled Majilis.")
    assert [(t.text, t.gender, t.status) for t in concept.terms["ru-RU"]] == [
        ("Мажилис", "masculine", "preferred"), ("Меджлис", None, "forbidden")]
    assert concept.terms["x-newsroom"][0].status == "deprecated"  # TBX-Min notRecommended


def test_unknown_markers_stay_notes():
    data = (
        b'<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry id="a">'
        b"<note>tilmash: kind=planet</note>"
        b'<langSet xml:lang="en"><tig><term>a</term>'
        b"<note>tilmash: case-sensitive; colour=blue</note>"
        b"<note>tilmash: forbidden=yes</note>"
        b"<note>tilmash: translit</note>"
        b"</tig></langSet></termEntry></body></text></martif>"
    )
    (concept,) = read_tbx(data, "m.tbx")
    assert concept.kind == "term" and concept.note == "tilmash: kind=planet"
    term = concept.terms["en"][0]
    assert not term.case_sensitive and term.status == "preferred" and term.translit is None
    assert term.note == ("tilmash: case-sensitive; colour=blue\ntilmash: forbidden=yes\n"
                         "tilmash: translit")


def test_empty_terms_are_skipped_and_wrapped_notes_joined():
    data = (
        b'<martif xml:lang="en"><text><body><termEntry id="a">\n'
        b'<langSet xml:lang="en"><tig><term>  Astana\n </term>'
        b"<note>first line\n\t\t\tcontinued\n\nsecond paragraph  </note></tig></langSet>\n"
        b'<langSet xml:lang="kk"><tig><term/></tig></langSet>\n'
        b"</termEntry></body></text></martif>"
    )
    (concept,) = read_tbx(data, "w.tbx")
    assert list(concept.terms) == ["en"]
    term = concept.terms["en"][0]
    assert term.text == "Astana"
    assert term.note == "first line continued\n\nsecond paragraph"
