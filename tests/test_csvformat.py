"""Weblate glossary CSV import/export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from glossary.csvformat import read_csv, write_csv
from glossary.model import Concept, Glossary, Term
from tilmash.errors import ParseError

DATA = Path(__file__).resolve().parent / "data" / "csv"
SHARED_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "glossary_csv"


def shared(name: str) -> Path:
    path = SHARED_CSV / name
    if not path.exists():
        pytest.skip(f"shared test data not available: {path}")
    return path


def read(path: Path, src: str = "en", tgt: str = "ru") -> Glossary:
    return read_csv(path.read_bytes(), path, source_lang=src, target_lang=tgt)


def pairs(g: Glossary, src: str = "en", tgt: str = "ru") -> list[tuple[str, str, str, str | None]]:
    return [(c.id, c.terms[src][0].text, t.text, t.note)
            for c in g for t in c.terms.get(tgt, [])]


def newsroom_glossary() -> Glossary:
    g = Glossary()
    g.add(Concept("supreme-court", terms={
        "en": [Term("Supreme Court")],
        "ru": [Term("Верховный суд", note="Capitalised in official names.")],
        "kk": [Term("Жоғарғы Сот")],
    }))
    g.add(Concept("akim", note="Appointed, not elected.", terms={
        "en": [Term("akim")],
        "ru": [Term("аким"), Term("глава администрации", status="admitted",
                                  note='Longer; use "аким" in headlines,\nnot in body text.')],
    }))
    # ids are not in the CSV: these are the ids made from the source terms on import
    g.add(Concept("mazhilis-lower-house", terms={"en": [Term("Mazhilis, lower house")]}))
    g.add(Concept("kazakhstan", terms={
        "en": [Term("Kazakhstan")],
        "ru": [Term("Казахстан"), Term("Казахская ССР", status="deprecated")],
    }))
    return g


# --------------------------------------------------------------------------- round trip


def test_round_trip_of_what_csv_carries():
    g = newsroom_glossary()
    text = write_csv(g, source_lang="en", target_lang="ru")
    back = read_csv(text.encode("utf-8"), "g.csv", source_lang="en", target_lang="ru")
    # the deprecated target is not exported (CSV cannot mark it), and only the pair travels
    expected = newsroom_glossary()
    for concept in expected:
        concept.terms.pop("kk", None)
        if "ru" in concept.terms:
            concept.terms["ru"] = [t for t in concept.terms["ru"] if t.usable]
    assert back == expected


def test_round_trip_with_kazakh_source():
    g = Glossary()
    g.add(Concept("x", terms={"kk": [Term("Әділет министрлігі")],
                              "kk-Latn": [Term("Ädılet mınıstrlıgı", note="2021 alphabet")]}))
    text = write_csv(g, source_lang="kk", target_lang="kk-Latn")
    back = read_csv(text.encode(), "g.csv", source_lang="kk", target_lang="kk-Latn")
    (concept,) = back
    assert concept.terms == g.get("x").terms  # type: ignore[union-attr]
    assert concept.id == "adilet-ministrligi"


def test_export_format():
    text = write_csv(newsroom_glossary(), source_lang="en", target_lang="ru")
    assert text == (
        "source,target,translator_comments,developer_comments\n"
        "Supreme Court,Верховный суд,Capitalised in official names.,\n"
        "akim,аким,,\"Appointed, not elected.\"\n"
        "akim,глава администрации,\"Longer; use \"\"аким\"\" in headlines,\n"
        "not in body text.\",\"Appointed, not elected.\"\n"
        "\"Mazhilis, lower house\",,,\n"
        "Kazakhstan,Казахстан,,\n"
    )
    assert text == write_csv(newsroom_glossary(), source_lang="en", target_lang="ru")
    assert "\r" not in text


def test_export_header_is_weblates_three_columns_without_concept_notes():
    g = Glossary({"a": Concept("a", terms={"en": [Term("Senate")], "ru": [Term("Сенат")]})})
    assert write_csv(g, source_lang="en", target_lang="ru") == (
        "source,target,translator_comments\nSenate,Сенат,\n")


def test_export_leaves_out_unusable_targets_and_fills_do_not_translate():
    g = Glossary()
    g.add(Concept("kaztag", kind="dnt", terms={"en": [Term("KazTAG")]}))
    g.add(Concept("nur-otan", terms={"en": [Term("Nur Otan")],
                                     "ru": [Term("Нур Отан", status="forbidden")]}))
    g.add(Concept("only-ru", terms={"ru": [Term("только по-русски")]}))
    g.add(Concept("alt", terms={"en": [Term("Astana", status="admitted")],
                                "ru": [Term("Астана")]}))
    assert write_csv(g, source_lang="en", target_lang="ru").splitlines() == [
        "source,target,translator_comments",
        "KazTAG,KazTAG,",
        "Nur Otan,,",
        "Astana,Астана,",
    ]


# --------------------------------------------------------------------------- third-party files


def test_weblate_key_value_file():
    g = read(shared("weblate-tests/cs.csv"), tgt="cs")
    assert [(c.terms["en"][0].text, [t.text for t in c.terms.get("cs", [])]) for c in g] == [
        ("Hello, world!\\n", ["Ahoj světe!\\n"]),
        ("Orangutan has %d banana.\\n", []),
        ("Try Weblate at https://demo.weblate.org/!\\n", []),
        ("Thank you for using Weblate.", []),
    ]
    assert [c.location.line for c in g] == [2, 3, 4, 5]  # type: ignore[union-attr]


def test_weblate_three_columns_crlf():
    path = shared("weblate-tests/en-3col.csv")
    assert b"\r\n" in path.read_bytes()
    g = read(path, tgt="de")
    assert pairs(g, tgt="de") == [
        ("test003-1", "test003_1", "q123", None),
        ("test003-2", "test003_2", "q234", None),
        ("test003-3", "test003_3", "qwe12", None),
    ]


def test_weblate_multivalue_file():
    g = read(shared("weblate-tests/fr-multi.csv"), tgt="fr")
    assert list(g.concepts) == ["22298006", "271681002"]
    mi = g.get("22298006")
    assert mi is not None
    assert [t.text for t in mi.terms["en"]] == ["Myocardial infarction (disorder)"]
    assert [(t.text, t.status) for t in mi.terms["fr"]] == [
        ("Infarctus myocardique", "preferred"),
        ("Infarctus du myocarde", "admitted"),
        ("Infarctus cardiaque", "admitted"),
    ]
    assert [t.text for t in g.get("271681002").terms["fr"]] == [  # type: ignore[union-attr]
        "douleur à l'estomac", "douleur gastrique"]


def test_omegat_quoting_edge_cases():
    path = shared("omegat-tests/test.csv")
    g = read(path, tgt="cs")
    assert [(c.terms["en"][0].text, c.terms["cs"][0].text) for c in g] == [
        ("kde", "csv kde"),
        ("question", "csv q"),
        ("kde; question", "comma"),
        ("kde, qu", "comma dot"),
        ('"kde","q"', "cdk"),
        ('""k', "k"),
        ('zz"zz', "zz"),
    ]
    # our minimal quoting writes the rows back exactly as OmegaT wrote them
    out = write_csv(g, source_lang="en", target_lang="cs").splitlines()[1:]
    original = path.read_text(encoding="utf-8").splitlines()
    assert [line.removesuffix(",") for line in out] == original


# --------------------------------------------------------------------------- our fixtures


def test_bom_crlf_header_case_comments_and_multivalue():
    g = read(DATA / "bom-crlf-comments.csv", tgt="kk")
    assert list(g.concepts) == ["akorda", "akim", "kaztag"]
    akorda, akim, kaztag = g.get("akorda"), g.get("akim"), g.get("kaztag")
    assert akorda is not None and akim is not None and kaztag is not None
    assert akorda.note == "Presidential residence"
    assert [(t.text, t.status, t.note) for t in akim.terms["kk"]] == [
        ("әкім", "preferred", "Head of a region,\nnot a mayor"),
        ("аким (орыс.)", "admitted", None),
    ]
    assert [t.location.line for t in akim.terms["kk"]] == [3, 5]  # type: ignore[union-attr]
    assert kaztag.terms == {"en": [Term("KazTAG")]} and kaztag.note == "News agency"


def test_cp1251_is_refused_with_line_and_hint():
    data = "source,target\nAstana,Astana\nAlmaty,Алматы\n".encode("cp1251")
    with pytest.raises(ParseError) as info:
        read_csv(data, "kz.csv", source_lang="en", target_lang="ru")
    message = str(info.value)
    assert message.startswith("kz.csv:3: not valid UTF-8")
    assert message.endswith("(cp1251? convert with iconv -f cp1251 -t utf-8)")


def test_western_code_page_gets_another_hint():
    data = "source,target\nCafé,кафе\n".encode().replace("é".encode(), b"\xe9")
    with pytest.raises(ParseError, match=r"^w\.csv:2: .*iconv -f cp1252 -t utf-8\)$"):
        read_csv(data, "w.csv", source_lang="en", target_lang="ru")


def test_utf16_is_refused():
    data = "source,target\nA,Б\n".encode("utf-16")
    with pytest.raises(ParseError, match=r"^u\.csv:1: not valid UTF-8: the file is UTF-16"):
        read_csv(data, "u.csv", source_lang="en", target_lang="ru")


def test_wrong_number_of_columns():
    path = DATA / "wrong-columns.csv"
    with pytest.raises(ParseError) as info:
        read(path)
    assert str(info.value) == f"{path}:3: expected 2 columns, found 3"


def test_syntax_error_line_counts_embedded_newlines():
    path = DATA / "bad-quote.csv"
    with pytest.raises(ParseError) as info:
        read(path)
    assert str(info.value).startswith(f"{path}:4: CSV syntax error: ")


def test_headerless_files():
    one = read_csv(b"Astana\nAlmaty\n", "1.csv", source_lang="en", target_lang="ru")
    assert [list(c.terms) for c in one] == [["en"], ["en"]]
    two = read_csv("Astana,Астана\n".encode(), "2.csv", source_lang="en", target_lang="ru")
    assert pairs(two) == [("astana", "Astana", "Астана", None)]
    with pytest.raises(ParseError, match=r"^3\.csv:1: no header row and 3 columns"):
        read_csv("Astana,Астана,capital\n".encode(), "3.csv", source_lang="en", target_lang="ru")


def test_header_problems():
    with pytest.raises(ParseError, match=r"^h\.csv:1: column 'target' appears twice"):
        read_csv(b"source,target,translation\na,b,c\n", "h.csv", source_lang="en", target_lang="ru")
    with pytest.raises(ParseError, match=r"^h\.csv:1: the CSV header has no source column"):
        read_csv(b"context,target\nx,b\n", "h.csv", source_lang="en", target_lang="ru")
    with pytest.raises(ParseError, match=r"^h\.csv:2: row without a source term"):
        read_csv(b"source,target\n,b\n", "h.csv", source_lang="en", target_lang="ru")


def test_translate_toolkit_aliases_and_contexts_that_are_not_ids():
    data = "Context,Original,Translation,Notes\nCourt 1,Supreme Court,Верховный суд,\n" \
           "Court 1,High Court,Верховный суд,old name\n,Senate,Сенат,\n".encode()
    g = read_csv(data, "a.csv", source_lang="en", target_lang="ru")
    assert list(g.concepts) == ["court-1", "senate"]
    court = g.get("court-1")
    assert court is not None
    # one context, two source texts: one concept with a source synonym
    assert [(t.text, t.status) for t in court.terms["en"]] == [
        ("Supreme Court", "preferred"), ("High Court", "admitted")]
    assert [(t.text, t.note) for t in court.terms["ru"]] == [("Верховный суд", "old name")]


def test_blank_lines_and_empty_rows_are_skipped():
    g = read_csv(b"source,target\n\nAstana,x\n,\n\n", "b.csv", source_lang="en", target_lang="ru")
    assert pairs(g) == [("astana", "Astana", "x", None)]


def test_export_reads_back_with_the_csv_module_as_weblate_would():
    text = write_csv(newsroom_glossary(), source_lang="en", target_lang="ru")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[2] == {
        "source": "akim",
        "target": "глава администрации",
        "translator_comments": 'Longer; use "аким" in headlines,\nnot in body text.',
        "developer_comments": "Appointed, not elected.",
    }
