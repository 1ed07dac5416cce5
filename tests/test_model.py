"""The glossary model and language tags."""

from __future__ import annotations

import pytest

from glossary.langtags import base_language, is_valid_tag, normalize_tag, script_of
from glossary.model import Concept, Glossary, Term


def test_preferred_falls_back_to_admitted_never_to_forbidden():
    c = Concept("x", terms={"ru": [Term("Вечный полк", status="forbidden"),
                                   Term("Бессмертный полк", status="admitted")]})
    assert c.preferred("ru").text == "Бессмертный полк"
    c.terms["ru"].append(Term("Полк бессмертных", status="preferred"))
    assert c.preferred("ru").text == "Полк бессмертных"
    assert Concept("y", terms={"en": [Term("z", status="deprecated")]}).preferred("en") is None
    assert c.preferred("kk") is None


def test_kinds_and_term_usability():
    assert Concept("a", kind="name").is_name and Concept("b", kind="dnt").is_dnt
    assert Term("t").usable and Term("t", status="admitted").usable
    assert not Term("t", status="deprecated").usable and not Term("t", status="forbidden").usable


def test_glossary_keeps_order_and_languages():
    g = Glossary()
    g.add(Concept("b", terms={"ru": [Term("б")]}))
    g.add(Concept("a", terms={"en": [Term("a")], "ru": [Term("а")]}))
    assert [c.id for c in g] == ["b", "a"] and len(g) == 2 and "a" in g
    assert g.languages() == ["ru", "en"]
    c = g.get("a")
    c.add_term("kk", Term("ә"))
    assert c.all_terms()[-1][0] == "kk"


@pytest.mark.parametrize(("tag", "canonical"), [
    ("kk", "kk"), ("KK-latn", "kk-Latn"), ("kk_Latn", "kk-Latn"), ("ru", "ru"), ("en-gb", "en-GB"),
    ("sr-Latn-RS", "sr-Latn-RS"), ("kk-Cyrl-KZ", "kk-Cyrl-KZ"),
])
def test_tags_are_canonicalized(tag, canonical):
    assert normalize_tag(tag) == canonical


@pytest.mark.parametrize("tag", ["xx", "kk-Latx", "en-XY", "english", "", "kk--Latn", "k"])
def test_invalid_tags_are_rejected(tag):
    assert not is_valid_tag(tag)
    with pytest.raises(ValueError):
        normalize_tag(tag)


def test_tag_parts():
    assert base_language("kk-Latn") == "kk" and script_of("kk-Latn") == "Latn"
    assert script_of("ru") is None and script_of("en-GB") is None
