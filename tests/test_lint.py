"""Tests for :mod:`glossary.lint`: every check, on small glossaries built in code.

Each finding is asserted exactly (code, concept, line, severity); the Kazakh Latin spellings
of the clean glossary are written out by hand from the 2021 and 2018 alphabets, and checked
by the real transliterator (:mod:`glossary.translit`).  Real data: the Kazakh translations of
GNOME, glib and DMOJ (../shared/testdata/po), where the linter finds translators' homoglyphs.
"""

from __future__ import annotations

import polib
import pytest

from glossary.lint import CHECKS, Finding, lint_glossary
from glossary.model import Concept, Glossary, Location, Term
from tests.conftest import shared_path

PATH = "glossary.yaml"


def at(line: int) -> Location:
    return Location(PATH, line)


def term(text: str, line: int, status: str = "preferred", **kw: object) -> Term:
    return Term(text, status, location=at(line), **kw)  # type: ignore[arg-type]


def glossary(*concepts: Concept) -> Glossary:
    g = Glossary()
    for c in concepts:
        g.add(c)
    return g


def brief(findings: list[Finding]) -> list[tuple[str, str | None, int | None, str]]:
    return [
        (f.code, f.concept_id, f.location.line if f.location else None, f.severity)
        for f in findings
    ]


def clean_glossary() -> Glossary:
    return glossary(
        Concept("astana", kind="name", location=at(1), note="Столица с 1997 года", terms={
            "kk": [term("Астана", 3)],
            "kk-Latn": [term("Astana", 4, translit="kk-latn-2021")],
            "ru": [term("Астана", 5)],
            "en": [term("Astana", 6), term("Nur-Sultan", 7, "deprecated",
                                            note="the name from 2019 to 2022")],
        }),
        Concept("tribute-to-heroes", kind="name", location=at(10),
                definition="Шествие 9 мая в Казахстане", terms={
            "kk": [term("Батырларға тағзым", 12)],
            "kk-Latn": [term("Batyrlarğa tağzym", 13),
                        term("Batyrlarǵa taǵzym", 14, "admitted", translit="kk-latn-2018"),
                        term("Batyrlarga tagzym", 15, "admitted", translit="kk-ascii")],
            "ru": [term("Батырларға тағзым", 16)],
            "en": [term("Tribute to Heroes", 17)],
        }),
        Concept("victory-day", location=at(20), terms={
            "en": [term("Victory Day", 21)],
            "ru": [term("День Победы", 22)],
            "kk": [term("Жеңіс күні", 23)],
            "kk-Latn": [term("Jeñıs künı", 24)],
        }),
        # the Cyrillic form was made from the Latin one
        Concept("kazakhstan", kind="name", location=at(30), terms={
            "kk-Latn": [term("Qazaqstan", 31)],
            "kk": [term("Қазақстан", 32, translit="kk-cyrl")],
            "ru": [term("Казахстан", 33)],
            "en": [term("Kazakhstan", 34), term("Qazaqstan", 35, "admitted")],
        }),
        Concept("bbc", kind="dnt", location=at(40), terms={
            "en": [term("BBC", 41)], "ru": [term("BBC", 42)], "kk": [term("BBC", 43)],
            "kk-Latn": [term("BBC", 44)],
        }),
        # case-sensitive terms that differ in case are not duplicates
        Concept("us", location=at(50), terms={"en": [term("US", 51, case_sensitive=True)]}),
        Concept("pronoun-us", location=at(55), terms={"en": [term("us", 56)]}),
    )


def test_a_clean_glossary_has_no_findings() -> None:
    assert lint_glossary(clean_glossary(), languages=["en", "ru", "kk", "kk-Latn"]) == []


def test_finding_prints_like_a_compiler() -> None:
    f = Finding("not-nfc", "term 'x' is not NFC", "c", at(7))
    assert str(f) == "glossary.yaml:7: not-nfc: term 'x' is not NFC"
    assert str(Finding("missing-preferred", "concept has no terms", "c", None)) == (
        "missing-preferred: concept has no terms"
    )
    assert f.severity == "error"


def test_duplicate_terms() -> None:
    g = glossary(
        Concept("astana", location=at(1), terms={"en": [term("Astana", 2)],
                                                  "ru": [term("Астана", 3)]}),
        Concept("astana-fc", location=at(5), terms={
            "en": [term("ASTANA", 6)],  # same term in another case: duplicate
            "ru": [term("Astana", 7)],  # same spelling, another language: not a duplicate
        }),
        Concept("almaty", location=at(10), terms={"en": [term("Almaty", 11), term("almaty", 12)]}),
        Concept("alma-ata-1", location=at(20), terms={
            "en": [term("Almaty", 21), term("Alma-Ata", 22, "deprecated")]}),
        Concept("alma-ata-2", location=at(25), terms={
            "en": [term("Almaty Region", 26), term("Alma-Ata", 27, "forbidden")]}),
        Concept("us", location=at(30), terms={"en": [term("US", 31, case_sensitive=True)]}),
        Concept("pronoun", location=at(35), terms={"en": [term("us", 36)]}),
        Concept("usa", location=at(40), terms={"en": [term("US", 41, case_sensitive=True)]}),
    )
    findings = lint_glossary(g)
    assert brief(findings) == [
        ("duplicate-term", "astana-fc", 6, "error"),
        ("duplicate-term", "almaty", 12, "error"),
        ("duplicate-term", "alma-ata-1", 21, "error"),
        ("duplicate-term", "alma-ata-2", 27, "warning"),  # unusable in both places
        ("duplicate-term", "usa", 41, "error"),
    ]
    assert findings[0].message == (
        "en term 'ASTANA' is also a term of concept 'astana' (glossary.yaml:2)"
    )
    assert findings[1].message == "en term 'almaty' is listed twice in this concept"
    assert "concept 'almaty' (glossary.yaml:11)" in findings[2].message
    assert "concept 'us' (glossary.yaml:31)" in findings[4].message


def test_conflicting_status() -> None:
    g = glossary(
        Concept("astana", location=at(1), terms={"en": [term("Astana", 2),
                                                         term("Nur-Sultan", 3, "deprecated")]}),
        Concept("nur-sultan-airport", location=at(5), terms={"en": [term("nur-sultan", 6)]}),
        Concept("akmola", location=at(10), terms={"en": [term("Akmola", 11),
                                                          term("Akmola", 12, "forbidden")]}),
    )
    findings = lint_glossary(g)
    assert brief(findings) == [
        ("conflicting-status", "nur-sultan-airport", 6, "error"),
        ("conflicting-status", "akmola", 12, "error"),
    ]
    assert findings[0].message == (
        "en term 'nur-sultan' is preferred here but deprecated in concept 'astana' "
        "(glossary.yaml:3)"
    )
    assert findings[1].message == "en term 'Akmola' is both preferred and forbidden in this concept"


def test_missing_preferred() -> None:
    g = glossary(
        Concept("empty", location=at(1)),
        Concept("empty-lists", location=at(3), terms={"en": []}),
        Concept("admitted-only", location=at(5), terms={
            "en": [term("Astana", 6)], "ru": [term("Астана", 7, "admitted")]}),
        Concept("forbidden-only", location=at(10), terms={
            "en": [term("Tselinograd", 11, "deprecated"), term("Akmola", 12, "forbidden")]}),
    )
    findings = lint_glossary(g)
    assert brief(findings) == [
        ("missing-preferred", "empty", 1, "error"),
        ("missing-preferred", "empty-lists", 3, "error"),
        ("missing-preferred", "admitted-only", 7, "warning"),
        ("missing-preferred", "forbidden-only", 11, "error"),
    ]
    assert findings[0].message == "concept has no terms"
    assert findings[2].message == "no preferred ru term (the admitted 'Астана' stands in)"
    assert findings[3].message == (
        "no preferred or admitted en term: all are deprecated or forbidden"
    )


def test_language_tags() -> None:
    g = glossary(Concept("c", location=at(1), terms={
        "en": [term("Astana", 2)],
        "KK-latn": [term("Astana", 3)],
        "en_GB": [term("Astana", 4)],
        "xx": [term("Astana", 5)],
        "kk-Latx": [term("Astana", 6)],
    }))
    findings = lint_glossary(g)
    assert brief(findings) == [
        ("noncanonical-language", "c", 3, "error"),
        ("noncanonical-language", "c", 4, "error"),
        ("invalid-language", "c", 5, "error"),
        ("invalid-language", "c", 6, "error"),
    ]
    assert findings[0].message == "language tag 'KK-latn' should be written 'kk-Latn'"
    assert "xx" in findings[2].message and "Latx" in findings[3].message


def test_translit_mismatch() -> None:
    g = glossary(
        Concept("tribute", location=at(1), terms={
            "kk": [term("Батырларға тағзым", 2)],
            "kk-Latn": [
                term("Batyrlarga tagzym", 3),  # no diacritics: not the 2021 spelling
                term("Batyrlarğa tağzym", 4, "admitted", translit="kk-latn-2018"),  # 2021, not 2018
                term("Batyrlar tağzymy", 5, "deprecated", translit="kk-latn-1940"),
            ],
        }),
        # the Cyrillic form claims to come from the Latin one, and does not
        Concept("kazakhstan", location=at(10), terms={
            "kk-Latn": [term("Qazaqstan", 11)],
            "kk": [term("Казахстан", 12, translit="kk-cyrl")],
        }),
        # a tag spelled differently is still the Kazakh Latin form
        Concept("almaty", location=at(20), terms={
            "kk": [term("Алматы", 21)], "KK-latn": [term("Almaty", 22)]}),
        Concept("semey", location=at(25), terms={
            "kk": [term("Семей", 26)], "kk-Latn": [term("Semey", 27)]}),
    )
    findings = [f for f in lint_glossary(g) if f.code != "noncanonical-language"]
    assert brief(findings) == [
        ("translit-mismatch", "tribute", 3, "error"),
        ("translit-mismatch", "tribute", 4, "error"),
        ("unknown-translit", "tribute", 5, "error"),
        ("translit-mismatch", "kazakhstan", 12, "error"),
        ("translit-mismatch", "semey", 27, "error"),
    ]
    assert findings[0].message == (
        "kk-Latn term 'Batyrlarga tagzym' is not the kk-latn-2021 transliteration of "
        "'Батырларға тағзым': expected 'Batyrlarğa tağzym'"
    )
    assert "kk-latn-2018" in findings[1].message and "'Batyrlarǵa taǵzym'" in findings[1].message
    assert "'kk-latn-1940'" in findings[2].message
    assert findings[3].message.endswith("expected 'Қазақстан'")
    assert findings[4].message.endswith("expected 'Semei'")


def test_translit_compares_after_nfc_and_honours_exceptions() -> None:
    g = glossary(
        Concept("tribute", location=at(1), terms={
            "kk": [term("Батырларға тағзым", 2)],
            "kk-Latn": [term("Batyrlarg\u0306a tag\u0306zym", 3)],  # ğ as g + breve
        }),
        Concept("nur-sultan", location=at(5), terms={
            "kk": [term("Нұр-Сұлтан", 6)], "kk-Latn": [term("Nur-Sultan", 7)]}),
    )
    assert brief(lint_glossary(g)) == [
        ("not-nfc", "tribute", 3, "error"),
        ("translit-mismatch", "nur-sultan", 7, "error"),  # the rules give Nūr-Sūltan
    ]
    assert brief(lint_glossary(g, exceptions={"Нұр-Сұлтан": "Nur-Sultan"})) == [
        ("not-nfc", "tribute", 3, "error"),
    ]


def test_mixed_script() -> None:
    g = glossary(
        Concept("almaty", location=at(1), definition="Крупнейший город Kазахстана", terms={
            "kk": [term("Aлматы", 2)],  # Latin A
            "en": [term("Almаty", 3, note="not Аlmа-Аtа")],  # Cyrillic а; Cyrillic А in note
            "ru": [term("A\u0441", 4)],  # Latin A + Cyrillic с: a tie, ru expects Cyrillic
            "de": [term("Almaty Қаласы", 5)],  # two words, each in one script: fine
        }),
    )
    findings = lint_glossary(g)
    assert brief(findings) == [
        ("mixed-script", "almaty", 1, "error"),
        ("mixed-script", "almaty", 2, "error"),
        ("mixed-script", "almaty", 3, "error"),
        ("mixed-script", "almaty", 3, "error"),
        ("mixed-script", "almaty", 3, "error"),
        ("mixed-script", "almaty", 4, "error"),
    ]
    assert [f.message for f in findings] == [
        "definition: word 'Kазахстана' mixes scripts: Latin 'K' (U+004B) in a Cyrillic word",
        "word 'Aлматы' mixes scripts: Latin 'A' (U+0041) in a Cyrillic word",
        "note of term 'Almаty': word 'Аlmа' mixes scripts: Latin 'l' (U+006C), 'm' (U+006D) "
        "in a Cyrillic word",
        "note of term 'Almаty': word 'Аtа' mixes scripts: Latin 't' (U+0074) in a Cyrillic word",
        "word 'Almаty' mixes scripts: Cyrillic 'а' (U+0430) in a Latin word",
        "word 'A\u0441' mixes scripts: Latin 'A' (U+0041) in a Cyrillic word",
    ]


def test_not_nfc() -> None:
    g = glossary(Concept("suleimenov", location=at(1), definition="Cafe\u0301 owner", terms={
        "kk": [term("Сүлеи\u0306менов", 2, note="О\u0308скемен")],
    }))
    findings = lint_glossary(g)
    assert brief(findings) == [
        ("not-nfc", "suleimenov", 1, "error"),
        ("not-nfc", "suleimenov", 2, "error"),
        ("not-nfc", "suleimenov", 2, "error"),
    ]
    assert findings[0].message == "definition is not NFC: U+0065 U+0301 should be U+00E9"
    assert sorted(f.message for f in findings[1:]) == [
        "note of term 'Сүлеи\u0306менов' is not NFC: U+041E U+0308 should be U+04E6",
        "term 'Сүлейменов' is not NFC: U+0438 U+0306 should be U+0439",
    ]


def test_dnt_differs() -> None:
    g = glossary(
        Concept("bbc", kind="dnt", location=at(1), terms={
            "en": [term("BBC", 2)], "ru": [term("Би-би-си", 3)]}),
        Concept("iphone", kind="dnt", location=at(5), terms={
            "en": [term("iPhone", 6)], "kk": [term("iPhone", 7)]}),
    )
    findings = lint_glossary(g)
    assert brief(findings) == [("dnt-differs", "bbc", 1, "error")]
    assert findings[0].message == (
        "do-not-translate concept has different forms: en 'BBC', ru 'Би-би-си'"
    )


def test_name_missing_form_only_with_languages() -> None:
    g = glossary(
        Concept("semey", kind="name", location=at(1), terms={
            "en": [term("Semey", 2)], "ru": [term("Семипалатинск", 3, "deprecated")]}),
        Concept("victory-day", location=at(5), terms={"en": [term("Victory Day", 6)]}),
    )
    assert [f for f in lint_glossary(g) if f.code == "name-missing-form"] == []
    findings = [f for f in lint_glossary(g, languages=["en", "ru", "kk"])
                if f.code == "name-missing-form"]
    assert brief(findings) == [
        ("name-missing-form", "semey", 1, "warning"),
        ("name-missing-form", "semey", 1, "warning"),
    ]
    assert sorted(f.message for f in findings) == ["name has no kk form", "name has no ru form"]


def test_whitespace_and_empty_terms() -> None:
    g = glossary(Concept("c", location=at(1), terms={"en": [
        term("Astana Opera", 2),
        term(" Astana", 3, "admitted"),
        term("Astana ", 4, "admitted"),
        term("Astana  Opera", 5, "admitted"),
        term("Astana\tOpera", 6, "admitted"),
        term("Astana\u00a0Opera", 7, "admitted"),
        term("", 8, "admitted"),
        term("  ", 9, "admitted"),
    ]}))
    findings = [f for f in lint_glossary(g) if f.code != "duplicate-term"]
    assert brief(findings) == [
        ("whitespace", "c", 3, "error"),
        ("whitespace", "c", 4, "error"),
        ("whitespace", "c", 5, "error"),
        ("whitespace", "c", 6, "error"),
        ("whitespace", "c", 7, "warning"),
        ("empty-term", "c", 8, "error"),
        ("empty-term", "c", 9, "error"),
    ]
    assert [f.message for f in findings[:5]] == [
        "term ' Astana' has leading whitespace",
        "term 'Astana ' has trailing whitespace",
        "term 'Astana  Opera' has a double space",
        "term 'Astana\\tOpera' contains U+0009 control character",
        "term 'Astana\\xa0Opera' contains U+00A0 NO-BREAK SPACE",
    ]


def test_findings_are_sorted_by_location_then_code_and_deterministic() -> None:
    g = glossary(
        Concept("b", location=Location("b.yaml", 1), terms={"en": [
            Term(" Aлматы", location=Location("b.yaml", 2))]}),
        Concept("a", location=Location("a.yaml", 9), terms={"xx": [
            Term("Astana ", location=Location("a.yaml", 10))]}),
        Concept("z", terms={"en": [Term("Zhezkazgan ")]}),  # no location at all
    )
    findings = lint_glossary(g)
    assert [(f.location and str(f.location), f.code) for f in findings] == [
        ("a.yaml:10", "invalid-language"),
        ("a.yaml:10", "whitespace"),
        ("b.yaml:2", "mixed-script"),
        ("b.yaml:2", "whitespace"),
        (None, "whitespace"),
    ]
    assert str(findings[-1]) == "whitespace: term 'Zhezkazgan ' has trailing whitespace"
    assert lint_glossary(g) == findings


def test_every_documented_code_can_be_found() -> None:
    g = glossary(
        Concept("empty", location=at(1)),
        Concept("a", kind="name", location=at(2), definition="Cafe\u0301", terms={
            "en": [term("Astana", 3), term("Astana", 4, "forbidden"), term(" Aлматы", 5)],
            "KK-latn": [term("Almaty", 6)],
            "kk": [term("Алматы", 7)],
            "xx": [term("x", 8, "admitted"), term("", 9, "admitted")],
            "kk-Cyrl": [term("Астана", 10, "deprecated", translit="kk-latn-1940")],
        }),
        Concept("b", location=at(20), terms={"en": [term("Astana", 21)]}),
        Concept("c", kind="dnt", location=at(30), terms={"en": [term("BBC", 31)],
                                                          "ru": [term("Би-би-си", 32)]}),
        Concept("d", location=at(40), terms={"kk": [term("Семей", 41)],
                                              "kk-Latn": [term("Semey", 42)]}),
    )
    codes = {f.code for f in lint_glossary(g, languages=["ru"])}
    assert codes == set(CHECKS)


# -- real data: Kazakh translations of GNOME and DMOJ --------------------------------------


@pytest.mark.parametrize(
    ("catalogue", "words"),
    [
        # a Latin i for the Kazakh і, three times in one message
        ("gnome-control-center/kk.po", ["етiлуi", "желiлік", "мүмкiн",
                                        # printf's %u before a Cyrillic unit: "%uм", "%uс"
                                        "uм", "uс", "uм", "uс"]),
        # a Latin c for the Cyrillic с
        ("dmoj-online-judge/kk.django.po", ["cүзгілеу", "cайыс"]),
        ("glib/kk.po", []),
    ],
)
def test_homoglyphs_in_real_kazakh_translations(catalogue: str, words: list[str]) -> None:
    """Every translation of a real catalogue as a kk term: the linter finds the Latin letters
    that slipped into Cyrillic words (GNOME and DMOJ translators' typos)."""
    path = shared_path("testdata", "po", *catalogue.split("/"))
    g = Glossary()
    for n, entry in enumerate(polib.pofile(str(path))):
        if entry.msgstr and not entry.obsolete:
            where = Location(catalogue, entry.linenum)
            terms = {"kk": [Term(entry.msgstr, location=where)]}
            g.add(Concept(f"m{n}", location=where, terms=terms))
    findings = [f for f in lint_glossary(g) if f.code == "mixed-script"]
    found = [f.message.split("'")[1] for f in findings]
    assert found == words
    assert all(" in a Cyrillic word" in f.message and "Latin " in f.message for f in findings)
    assert len(g) > 1000


def test_established_latin_spelling_is_not_a_translit_mismatch() -> None:
    from glossary.model import Concept, Glossary, Location, Term

    def concept(latin: Term) -> Glossary:
        g = Glossary()
        g.add(Concept("oyan", kind="name", location=Location("g.yaml", 1), terms={
            "kk": [Term("Оян, Қазақстан!", location=Location("g.yaml", 2))],
            "kk-Latn": [latin],
        }))
        return g

    plain = concept(Term("Oyan, Qazaqstan!", location=Location("g.yaml", 3)))
    assert [f.code for f in lint_glossary(plain)] == ["translit-mismatch"]
    marked = concept(Term("Oyan, Qazaqstan!", translit="none", location=Location("g.yaml", 3)))
    assert lint_glossary(marked) == []
