"""The human-first YAML glossary files: parsing, errors, canonical dumps, surgical edits,
layering and the locked read-modify-write."""

from __future__ import annotations

import copy
import difflib
import multiprocessing
import os
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.model import (
    GENDERS,
    KINDS,
    PARTS_OF_SPEECH,
    STATUSES,
    Concept,
    Glossary,
    Location,
    Term,
)
from glossary.yamlformat import (
    GlossaryFile,
    check_concept_id,
    defining_file,
    dump_concept,
    dump_glossary,
    edit_glossary,
    load_glossary,
    load_layers,
    new_glossary_text,
    parse_glossary,
)
from tilmash.errors import ParseError, TilmashError

DATA = Path(__file__).resolve().parent / "data" / "glossary"
RICH = DATA / "rich.yaml"
FOUR = DATA / "four-spaces.yaml"
TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"


def _rich() -> str:
    return RICH.read_text(encoding="utf-8")


def _same(a: Glossary, b: Glossary) -> bool:
    """Equal concepts, in the same order, with languages in the same order."""
    return list(a.concepts) == list(b.concepts) and all(
        a.concepts[k] == b.concepts[k] and list(a.concepts[k].terms) == list(b.concepts[k].terms)
        for k in a.concepts
    )


def _changes(before: str, after: str) -> list[tuple[str, int, int]]:
    """The changed line ranges of *before* (difflib opcodes other than 'equal')."""
    matcher = difflib.SequenceMatcher(
        a=before.splitlines(keepends=True), b=after.splitlines(keepends=True), autojunk=False
    )
    return [(tag, i1, i2) for tag, i1, i2, _j1, _j2 in matcher.get_opcodes() if tag != "equal"]


def _span(text: str, concept_id: str) -> tuple[int, int]:
    """0-based lines [start, end) of a concept in a block ``concepts:`` mapping: from its key
    line to the next non-blank line at the key's column or left of it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"{concept_id}:"))
    col = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > col
    ):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def _assert_only_span_changed(before: str, after: str, concept_id: str) -> None:
    start, end = _span(before, concept_id)
    for tag, i1, i2 in _changes(before, after):
        assert start <= i1 and i2 <= end, (tag, i1, i2, (start, end))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --------------------------------------------------------------------------------------
# Reading


def test_rich_fixture_reads_every_style() -> None:
    gl = load_glossary(RICH)
    assert list(gl.concepts) == [
        "batyrlarga-tagzym",
        "immortal-regiment",
        "astana",
        "akim",
        "kazmunaygas",
    ]
    bt = gl.concepts["batyrlarga-tagzym"]
    assert (bt.kind, bt.subject) == ("name", "commemorations")
    assert bt.definition == "A march honouring veterans: held on 9 May"
    assert bt.note == "Replaces the Immortal Regiment in Kazakhstan since 2022."
    assert list(bt.terms) == ["kk", "kk-Latn", "ru", "en"]
    assert bt.terms["kk-Latn"][1] == Term(
        "Batyrlarǵa taǵzym", status="deprecated", translit="kk-latn-2018", note="2018 alphabet"
    )
    assert [t.status for t in bt.terms["en"]] == ["preferred", "forbidden"]
    assert bt.terms["en"][0].note == "gloss used in brackets"
    assert bt.location == Location(str(RICH), 10)
    assert bt.terms["kk-Latn"][1].location == Location(str(RICH), 19)
    ir = gl.concepts["immortal-regiment"]
    assert ir.kind == "term" and ir.note == "Used in Russia; in Kazakhstan see batyrlarga-tagzym."
    assert ir.terms == {"en": [Term("Immortal Regiment")], "ru": [Term("Бессмертный полк")]}
    astana = gl.concepts["astana"]
    assert astana.terms["ru"] == [Term("Астана")]
    assert astana.terms["kk"] == [
        Term("Астана"),
        Term("Нұр-Сұлтан", status="deprecated", note="2019–2022"),
    ]
    akim = gl.concepts["akim"]
    assert akim.definition == "Head of a local executive body.\n# not a comment: part of the text\n"
    assert akim.terms["en"][1] == Term("yes", status="admitted", case_sensitive=True)
    assert akim.terms["no"] == [Term("ordfører")]
    assert gl.concepts["kazmunaygas"].kind == "dnt"


def test_text_is_nfc_in_the_model_but_kept_as_written_in_the_file() -> None:
    nfd = unicodedata.normalize("NFD", "ёлка")
    assert nfd != "ёлка"
    text = f"concepts:\n  yolka:\n    terms:\n      ru: {nfd}\n    note: {nfd}\n"
    gf = parse_glossary(text, "g.yaml")
    concept = gf.glossary.concepts["yolka"]
    assert concept.terms["ru"][0].text == "ёлка" and concept.note == "ёлка"
    assert gf.text == text


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_bytes(b"\xef\xbb\xbfconcepts:\n  a:\n    terms: {en: x}\n")
    gl = load_glossary(path)
    assert gl.concepts["a"].location == Location(str(path), 2)
    assert not parse_glossary("\ufeffconcepts: {}\n", "g.yaml").text.startswith("\ufeff")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "concepts:\n",
        "concepts: {}\n",
        "concepts: ~\n",
        "version: 1\n",
        "---\n",
        "version: 1\nconcepts:   # none yet\n",
    ],
)
def test_empty_glossaries(text: str) -> None:
    assert len(parse_glossary(text, "g.yaml").glossary) == 0


def test_single_term_mapping_and_plain_text_values_as_written() -> None:
    text = (
        "concepts:\n"
        "  a:\n"
        "    note: 2018\n"
        "    subject: 1.10\n"
        "    terms:\n"
        "      en: {term: On, status: admitted}\n"
        "      ru: 'null'\n"
        "      kk: no\n"
    )
    concept = parse_glossary(text, "g.yaml").glossary.concepts["a"]
    assert concept.note == "2018" and concept.subject == "1.10"
    assert concept.terms["en"] == [Term("On", status="admitted")]
    assert concept.terms["ru"] == [Term("null")]
    assert concept.terms["kk"] == [Term("no")]


def test_null_fields_mean_not_set_and_empty_concept_braces() -> None:
    text = "concepts:\n  a:\n    note: ~\n    subject:\n    kind:\n  b: {}\n"
    gl = parse_glossary(text, "g.yaml").glossary
    assert gl.concepts["a"] == Concept("a") and gl.concepts["b"] == Concept("b")


_ERRORS = [
    # (text, line, part of the message)
    (
        "concepts:\n  a:\n    terms:\n      kk: [Астана\n",
        5,
        "invalid YAML: did not find expected ',' or ']'",
    ),
    ("concepts:\n  a: {\n", 3, "invalid YAML"),
    (
        "concepts:\n  a:\n    kind: name\n    kind: term\n",
        4,
        "duplicate key 'kind' in concept 'a' (first at line 3)",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en:\n        - {term: x, term: y}\n",
        5,
        "duplicate key 'term'",
    ),
    ("version: 1\nversion: 1\n", 2, "duplicate key 'version'"),
    (
        "concepts:\n  a:\n    kind: name\n  b: {}\n  a:\n    kind: term\n",
        5,
        "duplicate concept id 'a' in concepts (first at line 2)",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en: x\n      ru: y\n      en: z\n",
        6,
        "duplicate key 'en'",
    ),
    (
        "concepts:\n  a:\n    terms:\n      \u0435\u0308: x\n      \u0451: y\n",
        5,
        "duplicate language 'ё'",
    ),
    (
        "version: 1\nconcept:\n  a: {}\n",
        2,
        "unknown key 'concept' in the top level; allowed keys: version, concepts",
    ),
    (
        "concepts:\n  a:\n    defintion: x\n",
        3,
        "allowed keys: kind, subject, definition, note, terms",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en:\n        - {term: x, stat: admitted}\n",
        5,
        "unknown key 'stat' in a term of concept 'a', language 'en'; allowed keys: term, status, pos, gender, note, case-sensitive, translit",
    ),
    ("concepts:\n  - a\n", 2, "concepts must be a mapping of concept ids to concepts, not a list"),
    ("concepts:\n  a:\n    - x\n", 3, "concept 'a' must be a mapping"),
    (
        "concepts:\n  a:\n    terms:\n      - en\n",
        4,
        "'terms' of concept 'a' must be a mapping of languages to terms, not a list",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en:\n        - [x]\n",
        5,
        "must be text or a mapping with 'term', not a list",
    ),
    ("concepts:\n  a:\n    note: [x]\n", 3, "'note' of concept 'a' must be text, not a list"),
    (
        "concepts:\n  a:\n    terms:\n      en: {term: {x: y}}\n",
        4,
        "'term' in concept 'a', language 'en' must be text, not a mapping",
    ),
    (
        "- a\n- b\n",
        1,
        "a glossary file is a mapping with the keys version and concepts, not a list",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en:\n        - term: x\n          status: old\n",
        6,
        "invalid status 'old' (allowed: preferred, admitted, deprecated, forbidden)",
    ),
    ("concepts:\n  a:\n    kind: person\n", 3, "invalid kind 'person' (allowed: term, name, dnt)"),
    (
        "concepts:\n  a:\n    terms:\n      en: [{term: x, pos: Noun}]\n",
        4,
        "invalid pos 'Noun' (allowed: noun, verb, adjective, adverb, properNoun, other)",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en: [{term: x, gender: m}]\n",
        4,
        "invalid gender 'm' (allowed: masculine, feminine, neuter, other)",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en: [{term: x, case-sensitive: maybe}]\n",
        4,
        "case-sensitive must be true or false",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en: [{term: x, case-sensitive: 'true'}]\n",
        4,
        "case-sensitive must be true or false",
    ),
    (
        "concepts:\n  a:\n    terms:\n      en: ''\n",
        4,
        "empty term text in concept 'a', language 'en'",
    ),
    ("concepts:\n  a:\n    terms:\n      en:\n        - '   '\n", 5, "empty term text"),
    (
        "concepts:\n  a:\n    terms:\n      en:\n        - term:\n          status: admitted\n",
        5,
        "empty term text",
    ),
    ("concepts:\n  a:\n    terms:\n      en:\n", 4, "no terms for concept 'a', language 'en'"),
    ("concepts:\n  a:\n    terms:\n      en: []\n", 4, "no terms for concept 'a', language 'en'"),
    (
        "concepts:\n  a:\n    terms:\n      en:\n        - status: admitted\n",
        5,
        "has no 'term' key",
    ),
    ("concepts:\n  a:\n", 2, "concept 'a' is empty"),
    ("concepts:\n  ? [a, b]\n  : {}\n", 2, "a key must be text, not a list"),
    ("concepts:\n  Astana:\n    kind: name\n", 2, "invalid concept id 'Astana'"),
    ("concepts:\n  астана: {}\n", 2, "invalid concept id 'астана'"),
    (
        "concepts:\n  2024:\n    kind: name\n",
        2,
        "invalid concept id '2024': YAML reads it as a number",
    ),
    ("concepts:\n  yes: {}\n", 2, "invalid concept id 'yes': YAML reads it as a boolean"),
    ("concepts:\n  '1.5': {}\n", 2, "YAML reads it as a number"),
    ("concepts:\n  2024-05-09: {}\n", 2, "YAML reads it as a date"),
    (
        "concepts:\n  a:\n    terms:\n      no: Oslo\n",
        4,
        "language key 'no' in concept 'a' is read by YAML as a boolean; quote it",
    ),
    ("concepts:\n  a:\n    terms:\n      1: x\n", 4, "is read by YAML as a number"),
    ("concepts:\n  a:\n    terms:\n      ~: x\n", 4, "is read by YAML as nothing"),
    ("concepts:\n  a:\n    terms:\n      ' ': x\n", 4, "empty language key"),
    ("concepts:\n  a:\n    terms:\n      [en]: x\n", 4, "a key must be text, not a list"),
    ("concepts:\n  a: &x\n    kind: name\n  b: *x\n", 2, "YAML anchors (&x) are not allowed"),
    ("concepts:\n  a:\n    terms: {en: x}\n  b: *x\n", 4, "YAML aliases (*x) are not allowed"),
    (
        "concepts:\n  a: !!python/object:os.system\n    kind: name\n",
        2,
        "YAML tags (!!python/object:os.system) are not allowed",
    ),
    ("concepts:\n  a:\n    note: !!str 1\n", 3, "YAML tags (!!str) are not allowed"),
    ("concepts:\n  a:\n    note: !custom x\n", 3, "YAML tags (!custom) are not allowed"),
    ("concepts: {}\n---\nconcepts: {}\n", 2, "a second YAML document (---)"),
    ("--- {}\n--- {}\n", 2, "a second YAML document"),
    ("version: 2\nconcepts: {}\n", 1, "version must be 1"),
    ("concepts:\n  a:\n    note: x\x01y\n", 3, "control characters are not allowed"),
    ("concepts:\n\ta: {}\n", 2, "invalid YAML"),
    ("concepts:\n  a:\n    note: " + "[" * 60 + "]" * 60 + "\n", 3, "nested too deeply"),
]


@pytest.mark.parametrize(("text", "line", "message"), _ERRORS)
def test_errors_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_glossary(text, "glossary/g.yaml")
    error = info.value
    assert (error.path, error.lineno) == ("glossary/g.yaml", line), str(error)
    assert str(error).startswith(f"glossary/g.yaml:{line}: ")
    assert message in error.message
    assert "\n" not in str(error)


def test_errors_count_lines_after_a_bom_and_crlf() -> None:
    text = "\ufeffconcepts:\r\n  a:\r\n    kind: nam\r\n"
    with pytest.raises(ParseError, match=r"^g\.yaml:3: invalid kind 'nam'"):
        parse_glossary(text, "g.yaml")


def test_billion_laughs_is_rejected_at_the_first_anchor() -> None:
    lines = ["concepts:", '  a: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    with pytest.raises(ParseError) as info:
        parse_glossary(text, "bomb.yaml")  # rejected before anything expands
    assert info.value.lineno == 2 and "anchors" in info.value.message


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("concepts:\n  a:\n    note: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ParseError) as info:
        load_glossary(path)
    assert str(info.value).startswith(f"{path}:3: not valid UTF-8")


def test_missing_file_is_a_tilmash_error(tmp_path: Path) -> None:
    with pytest.raises(TilmashError, match="no such file") as info:
        load_glossary(tmp_path / "nope.yaml")
    assert not isinstance(info.value, ParseError)


# --------------------------------------------------------------------------------------
# Canonical dumps


BRIEF_CONCEPT = Concept(
    "batyrlarga-tagzym",
    kind="name",
    subject="commemorations",
    definition="A march ...",
    note="Replaces the Immortal Regiment in Kazakhstan since 2022.",
    terms={
        "kk": [Term("Батырларға тағзым")],
        "kk-Latn": [
            Term("Batyrlarğa tağzym"),
            Term(
                "Batyrlarǵa taǵzym",
                status="deprecated",
                translit="kk-latn-2018",
                note="2018 alphabet",
            ),
        ],
        "ru": [Term("Батырларға тағзым")],
        "en": [
            Term("Tribute to Heroes", note="gloss used in brackets"),
            Term("March of Heroes", status="forbidden"),
        ],
    },
)


def test_dump_concept_is_canonical() -> None:
    assert dump_concept(BRIEF_CONCEPT) == (
        "  batyrlarga-tagzym:\n"
        "    kind: name\n"
        "    subject: commemorations\n"
        "    definition: A march ...\n"
        "    note: Replaces the Immortal Regiment in Kazakhstan since 2022.\n"
        "    terms:\n"
        "      kk: Батырларға тағзым\n"
        "      kk-Latn:\n"
        "        - Batyrlarğa tağzym\n"
        "        - {term: Batyrlarǵa taǵzym, status: deprecated, note: 2018 alphabet, translit: kk-latn-2018}\n"
        "      ru: Батырларға тағзым\n"
        "      en:\n"
        "        - {term: Tribute to Heroes, note: gloss used in brackets}\n"
        "        - {term: March of Heroes, status: forbidden}\n"
    )
    assert dump_concept(BRIEF_CONCEPT, indent=0).startswith("batyrlarga-tagzym:\n  kind: name\n")
    assert dump_concept(BRIEF_CONCEPT, indent=4).startswith(
        "    batyrlarga-tagzym:\n        kind: name\n"
    )


def test_dump_concept_term_attributes_order_and_long_terms() -> None:
    long_note = "A very long note that explains, at length, why this spelling is wrong in news copy"
    concept = Concept(
        "x",
        kind="term",
        terms={
            "en": [
                Term("sole", status="admitted"),
                Term(
                    "Word",
                    status="deprecated",
                    pos="noun",
                    gender="neuter",
                    note=long_note,
                    case_sensitive=True,
                    translit="t",
                ),
            ]
        },
    )
    assert dump_concept(concept) == (
        "  x:\n"
        "    terms:\n"
        "      en:\n"
        "        - {term: sole, status: admitted}\n"
        "        - term: Word\n"
        "          status: deprecated\n"
        "          pos: noun\n"
        "          gender: neuter\n"
        f"          note: {long_note}\n"
        "          case-sensitive: true\n"
        "          translit: t\n"
    )
    assert dump_concept(Concept("empty")) == "  empty: {}\n"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("plain words", "plain words"),
        ("Батырларға тағзым", "Батырларға тағзым"),
        ("emoji 🎉 ok", "emoji 🎉 ok"),
        ("C# and a:b", "C# and a:b"),
        ("it's", "it's"),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("off", '"off"'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("1.0", '"1.0"'),
        ("2018", '"2018"'),
        ("0x1F", '"0x1F"'),
        ("2024-05-09", '"2024-05-09"'),
        ("=", '"="'),
        ("<<", '"<<"'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        ("ends with:", '"ends with:"'),
        ("-dash", '"-dash"'),
        ("? q", '"? q"'),
        ("[x]", '"[x]"'),
        ("{x}", '"{x}"'),
        ("&a", '"&a"'),
        ("*a", '"*a"'),
        ("!t", '"!t"'),
        ("|", '"|"'),
        (">", '">"'),
        ("'quoted'", "\"'quoted'\""),
        ('"dq"', '"\\"dq\\""'),
        ("%x", '"%x"'),
        ("@x", '"@x"'),
        ("`x`", '"`x`"'),
        (" leading", '" leading"'),
        ("trailing ", '"trailing "'),
        ("back\\slash", "back\\slash"),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab\\there"'),
        ("nbsp\u00a0x", '"nbsp\\xA0x"'),
        ("line\u2028sep", '"line\\u2028sep"'),
        ("\ufeffbom", '"\\uFEFFbom"'),
    ],
)
def test_dump_quotes_only_when_yaml_would_read_something_else(text: str, written: str) -> None:
    dumped = dump_concept(Concept("x", note=text), indent=0)
    assert dumped == f"x:\n  note: {written}\n"
    assert yaml.safe_load(dumped) == {"x": {"note": text}}
    assert (
        parse_glossary("concepts:\n" + dump_concept(Concept("x", note=text)), "g")
        .glossary.concepts["x"]
        .note
        == text
    )


def test_dump_quotes_flow_values_and_keys() -> None:
    concept = Concept(
        "x", terms={"no": [Term("a, b", status="admitted", note="x: y")], "1": [Term("[q]")]}
    )
    dumped = dump_concept(concept, indent=0)
    assert dumped == (
        "x:\n"
        "  terms:\n"
        '    "no":\n'
        '      - {term: "a, b", status: admitted, note: "x: y"}\n'
        '    "1": "[q]"\n'
    )
    assert yaml.safe_load(dumped)["x"]["terms"] == {
        "no": [{"term": "a, b", "status": "admitted", "note": "x: y"}],
        "1": "[q]",
    }


def test_dump_rejects_what_cannot_be_written() -> None:
    with pytest.raises(TilmashError, match="invalid concept id 'Bad Id'"):
        dump_concept(Concept("Bad Id"))
    with pytest.raises(TilmashError, match="invalid status 'old'"):
        dump_concept(Concept("x", terms={"en": [Term("t", status="old")]}))
    with pytest.raises(TilmashError, match="empty term text"):
        dump_concept(Concept("x", terms={"en": [Term(" ")]}))
    with pytest.raises(TilmashError, match="invalid kind"):
        dump_concept(Concept("x", kind="person"))
    with pytest.raises(TilmashError, match="invalid language key"):
        dump_concept(Concept("x", terms={"e\nn": [Term("t")]}))


def test_dump_glossary_and_new_glossary_text() -> None:
    gl = Glossary()
    gl.add(BRIEF_CONCEPT)
    gl.add(Concept("astana", kind="name", terms={"en": [Term("Astana")]}))
    text = dump_glossary(gl, header="Kazakhstan beat\n\nglossary")
    assert text.startswith(
        "# Kazakhstan beat\n#\n# glossary\nversion: 1\nconcepts:\n  batyrlarga-tagzym:\n"
    )
    assert "\n\n  astana:\n    kind: name\n    terms:\n      en: Astana\n" in text
    assert _same(parse_glossary(text, "g").glossary, gl)
    assert (
        dump_glossary(parse_glossary(text, "g").glossary, header="Kazakhstan beat\n\nglossary")
        == text
    )
    new = new_glossary_text()
    assert new.startswith("# ") and new.endswith("version: 1\nconcepts:\n")
    assert len(parse_glossary(new, "g").glossary) == 0
    assert dump_glossary(Glossary()) == "version: 1\nconcepts:\n"


# Hypothesis: tricky strings

_SPECIAL = [
    "yes",
    "no",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "1",
    "1.0",
    "-1",
    ".5",
    "0x1f",
    "0o17",
    "1e3",
    ".inf",
    "-.inf",
    ".nan",
    "2024-05-09",
    "1_000",
    "12:30",
    "190:20:30",
    "=",
    "<<",
    "-",
    "- x",
    "? x",
    ":",
    ": x",
    "a: b",
    "a:b",
    "a #b",
    "#x",
    "x#",
    "'x'",
    '"x"',
    "x'",
    "[x]",
    "{x}",
    "x, y",
    "&a",
    "*a",
    "!x",
    "|",
    ">",
    "%x",
    "@x",
    "`x`",
    " lead",
    "trail ",
    "a  b",
    "---",
    "...",
    "Батырларға тағзым",
    "Нұр-Сұлтан",
    "Қазақстан",
    "ёлка",
    "🎉",
    "👨\u200d👩\u200d👧",
    "tab\there",
    "line\nbreak",
    "x\u2028y",
    "nbsp\xa0x",
    "zero\u200bwidth",
    "\ufeffbom",
    "\\",
    "a\\nb",
    "why?",
    "a?b",
    "a ?b",
    "a,b",
    "x}",
    "100%",
    "a\x85b",
]
_ALPHABET = (
    list("abz AZ09:#-'\"?,[]{}&*!|>%@`~=<\\/\t\n.")
    + list("ҚқӘәҒғҢңӨөҰұҮүҺһІіЁёЙйЖж")
    + [
        "🎉",
        "\u200d",
        "\xa0",
        "\u2028",
        "\x85",
        "\x7f",
        "\x00",
        "\u0301",
    ]
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_text = st.one_of(
    st.sampled_from(_SPECIAL),
    st.text(st.sampled_from(_ALPHABET), min_size=1, max_size=24),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12),
    st.lists(st.sampled_from(_SPECIAL), min_size=2, max_size=4).map(" ".join),
).map(_nfc)
_term_text = _text.filter(lambda s: bool(s.strip()))
_opt_text = st.none() | _text
_lang = st.one_of(
    st.sampled_from(
        ["kk", "ru", "en", "kk-Latn", "kk-Arab", "no", "yes", "1", "null", "x y", "a: b", "#"]
    ),
    _text.filter(lambda s: s.strip() and not any(c in s for c in "\r\n\x85\u2028\u2029")),
)
_terms = st.builds(
    Term,
    text=_term_text,
    status=st.sampled_from(STATUSES),
    pos=st.none() | st.sampled_from(PARTS_OF_SPEECH),
    gender=st.none() | st.sampled_from(GENDERS),
    note=_opt_text,
    case_sensitive=st.booleans(),
    translit=st.none()
    | st.sampled_from(["kk-latn-2021", "kk-latn-2018", "iuliia-mosmetro"])
    | _text,
)
_plain_terms = st.builds(Term, text=_term_text)
_ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True).filter(
    lambda s: check_concept_id(s) is None
)


def _concepts(ids: st.SearchStrategy[str] = _ids) -> st.SearchStrategy[Concept]:
    return st.builds(
        Concept,
        id=ids,
        kind=st.sampled_from(KINDS),
        subject=_opt_text,
        definition=_opt_text,
        note=_opt_text,
        terms=st.dictionaries(
            _lang.map(_nfc),
            st.lists(st.one_of(_terms, _plain_terms), min_size=1, max_size=3),
            max_size=4,
        ),
    )


def _as_plain_data(concept: Concept) -> object:
    """What a generic YAML reader should see for a dumped concept."""
    out: dict[str, object] = {}
    if concept.kind != "term":
        out["kind"] = concept.kind
    for name in ("subject", "definition", "note"):
        if getattr(concept, name) is not None:
            out[name] = getattr(concept, name)
    terms: dict[str, object] = {}
    for lang, items in concept.terms.items():
        rendered = []
        for t in items:
            pairs = (
                ("status", None if t.status == "preferred" else t.status),
                ("pos", t.pos),
                ("gender", t.gender),
                ("note", t.note),
                ("case-sensitive", t.case_sensitive or None),
                ("translit", t.translit),
            )
            attrs = {k: v for k, v in pairs if v is not None}
            rendered.append({"term": t.text, **attrs} if attrs else t.text)
        terms[lang] = (
            rendered[0] if len(rendered) == 1 and isinstance(rendered[0], str) else rendered
        )
    if terms:
        out["terms"] = terms
    return out


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_concepts())
def test_dump_then_parse_is_identity(concept: Concept) -> None:
    text = "concepts:\n" + dump_concept(concept)
    back = parse_glossary(text, "h.yaml").glossary.concepts[concept.id]
    assert back == concept and list(back.terms) == list(concept.terms)
    # other YAML tools read the same strings (nothing becomes a bool, number or date)
    assert yaml.safe_load(text) == {"concepts": {concept.id: _as_plain_data(concept)}}
    # one line per field / term / attribute: text never wraps
    assert all(line.startswith("  ") for line in text.splitlines()[1:])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_term_text, _lang)
def test_scalars_read_back_in_every_context_by_both_yaml_readers(text: str, lang: str) -> None:
    """Block value, flow value and key: libyaml (ours) and pure-Python PyYAML agree."""
    concept = Concept(
        "x",
        note=text,
        terms={
            _nfc(lang): [Term(text, status="admitted", note=text)],
            "en": [Term(text), Term(text)],
        },
    )
    dumped = dump_concept(concept, indent=0)
    assert yaml.load(dumped, Loader=yaml.SafeLoader) == {"x": _as_plain_data(concept)}
    assert yaml.load(dumped, Loader=yaml.CSafeLoader) == {"x": _as_plain_data(concept)}
    assert (
        parse_glossary("concepts:\n" + dump_concept(concept), "g").glossary.concepts["x"] == concept
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_concepts(), max_size=5, unique_by=lambda c: c.id))
def test_dump_glossary_is_idempotent(concepts: list[Concept]) -> None:
    gl = Glossary({c.id: c for c in concepts})
    once = dump_glossary(gl)
    back = parse_glossary(once, "h.yaml").glossary
    assert _same(back, gl)
    assert dump_glossary(back) == once


# --------------------------------------------------------------------------------------
# Surgical editing


def _edit(text: str, change) -> GlossaryFile:  # type: ignore[no-untyped-def]
    gf = parse_glossary(text, "g.yaml")
    change(gf)
    reparsed = parse_glossary(gf.render(), "g.yaml")
    assert _same(reparsed.glossary, gf.glossary)
    return gf


def _modify(concept: Concept, how: int) -> Concept:
    c = copy.deepcopy(concept)
    lang = next(iter(c.terms))
    if how == 0:
        c.note = "changed: note"
    elif how == 1:
        c.terms[lang].append(Term("added term", status="admitted"))
    elif how == 2:
        c.terms[lang][0] = Term(c.terms[lang][0].text + " 2")
    elif how == 3:
        c.terms["de"] = [Term("Neu")]
    elif how == 4:
        c.terms.pop(lang)
    else:
        c.kind = "term" if c.kind != "term" else "name"
        c.definition = None
    return c


@pytest.mark.parametrize("how", range(6))
@pytest.mark.parametrize(
    "concept_id", ["batyrlarga-tagzym", "immortal-regiment", "astana", "akim", "kazmunaygas"]
)
def test_set_concept_changes_only_that_concepts_lines(concept_id: str, how: int) -> None:
    before = _rich()
    gf = _edit(before, lambda gf: gf.set_concept(_modify(gf.glossary.concepts[concept_id], how)))
    after = gf.render()
    assert after != before
    _assert_only_span_changed(before, after, concept_id)
    expected = load_glossary(RICH)
    expected.concepts[concept_id] = _modify(expected.concepts[concept_id], how)
    assert _same(parse_glossary(after, "g").glossary, expected)


def test_set_concept_rewrites_only_the_changed_language() -> None:
    before = _rich()

    def change(gf: GlossaryFile) -> None:
        c = gf.glossary.concepts["batyrlarga-tagzym"]
        c.terms["en"][1].status = "deprecated"
        gf.set_concept(c)

    after = _edit(before, change).render()
    assert after == before.replace(
        "        - {term: March of Heroes, status: forbidden}\n",
        "        - {term: March of Heroes, status: deprecated}\n",
    )


def test_set_concept_edits_fields_in_place_and_keeps_comments_of_other_fields() -> None:
    before = _rich()

    def change(gf: GlossaryFile) -> None:
        c = gf.glossary.concepts["batyrlarga-tagzym"]
        c.note = None
        c.kind = "term"
        c.subject = "holidays"
        del c.terms["kk-Latn"]
        c.terms["kk-Arab"] = [Term("باتىرلارعا تاعزىم")]
        gf.set_concept(c)

    after = _edit(before, change).render()
    start = before.index("  batyrlarga-tagzym:")
    expected = (
        "  batyrlarga-tagzym:           # since 2022\n"
        "    subject: holidays\n"
        "    definition: 'A march honouring veterans: held on 9 May'\n"
        "    terms:\n"
        "      kk: Батырларға тағзым            # official\n"
        "      ru: Батырларға тағзым\n"
        "      en:\n"
        "        - {term: Tribute to Heroes, note: gloss used in brackets}\n"
        "        - {term: March of Heroes, status: forbidden}\n"
        "      kk-Arab: باتىرلارعا تاعزىم\n"
        "      # de: Heldenmarsch   (waiting for the Berlin desk)\n"
    )
    assert after[start:].startswith(expected)
    assert after[:start] == before[:start]
    assert after[start + len(expected) :] == before[before.index("\n  immortal-regiment:") :]


def test_set_concept_keeps_a_compact_list_compact() -> None:
    def change(gf: GlossaryFile) -> None:
        c = gf.glossary.concepts["astana"]
        c.terms["kk"][1].note = "2019 to 2022"
        gf.set_concept(c)

    after = _edit(_rich(), change).render()
    assert (
        "      kk:\n      - Астана\n      - {term: Нұр-Сұлтан, status: deprecated, note: 2019 to 2022}\n"
        in after
    )


def test_set_concept_with_the_same_content_changes_nothing() -> None:
    before = _rich()
    gf = parse_glossary(before, "g.yaml")
    for concept in list(gf.glossary):
        gf.set_concept(copy.deepcopy(concept))
    assert gf.render() == before


def test_set_concept_normalizes_and_drops_empty_languages() -> None:
    gf = parse_glossary("concepts:\n  a:\n    terms: {en: x}\n", "g.yaml")
    gf.set_concept(
        Concept("a", note=unicodedata.normalize("NFD", "ёж"), terms={"en": [Term("x")], "ru": []})
    )
    assert gf.glossary.concepts["a"].note == "ёж" and "ёж" in gf.render()
    assert list(gf.glossary.concepts["a"].terms) == ["en"]


def test_set_concept_rejects_invalid_concepts_and_leaves_the_text() -> None:
    before = _rich()
    gf = parse_glossary(before, "g.yaml")
    with pytest.raises(TilmashError, match="^g.yaml: invalid concept id"):
        gf.set_concept(Concept("Not An Id"))
    with pytest.raises(TilmashError, match="invalid status"):
        gf.set_concept(Concept("astana", terms={"en": [Term("Astana", status="best")]}))
    assert gf.render() == before


def test_append_goes_at_the_end_of_concepts_with_a_blank_line() -> None:
    before = _rich()
    new = Concept("victory-day", terms={"en": [Term("Victory Day")], "ru": [Term("День Победы")]})
    after = _edit(before, lambda gf: gf.set_concept(new)).render()
    tail = "  kazmunaygas: {kind: dnt, terms: {en: KazMunayGas}}\n"
    assert after == before.replace(
        tail, tail + "\n  victory-day:\n    terms:\n      en: Victory Day\n      ru: День Победы\n"
    )
    assert parse_glossary(after, "g").glossary.concepts["victory-day"].location == Location("g", 66)


def test_append_without_blank_lines_when_the_file_has_none() -> None:
    text = "concepts:\n  a:\n    terms: {en: a}\n  b:\n    terms: {en: b}\n"
    after = _edit(text, lambda gf: gf.set_concept(Concept("c", terms={"en": [Term("c")]}))).render()
    assert after == text + "  c:\n    terms:\n      en: c\n"


def test_append_uses_the_files_indentation() -> None:
    before = FOUR.read_text(encoding="utf-8")
    new = Concept(
        "astana", kind="name", terms={"en": [Term("Astana"), Term("Akmola", status="deprecated")]}
    )
    after = _edit(before, lambda gf: gf.set_concept(new)).render()
    assert after == before + (
        "\n"
        "    astana:\n"
        "        kind: name\n"
        "        terms:\n"
        "            en:\n"
        "                - Astana\n"
        "                - {term: Akmola, status: deprecated}\n"
    )


def test_append_to_a_file_without_a_trailing_newline() -> None:
    text = "concepts:\n  a:\n    terms: {en: a}  # last line, no newline"
    after = _edit(text, lambda gf: gf.set_concept(Concept("b", terms={"en": [Term("b")]}))).render()
    assert after == text + "\n\n  b:\n    terms:\n      en: b\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("concepts:\n", "concepts:\n  x:\n    terms:\n      en: X\n"),
        ("concepts: {}\n", "concepts:\n  x:\n    terms:\n      en: X\n"),
        ("concepts: ~   # none yet\n", "concepts:   # none yet\n  x:\n    terms:\n      en: X\n"),
        (
            "# header\nversion: 1\nconcepts: {}\n# footer\n",
            "# header\nversion: 1\nconcepts:\n  x:\n    terms:\n      en: X\n# footer\n",
        ),
        ("concepts:", "concepts:\n  x:\n    terms:\n      en: X\n"),
        ("version: 1\nconcepts: {}", "version: 1\nconcepts:\n  x:\n    terms:\n      en: X\n"),
        ("", "concepts:\n  x:\n    terms:\n      en: X\n"),
        ("# just a comment\n", "# just a comment\nconcepts:\n  x:\n    terms:\n      en: X\n"),
        ("version: 1", "version: 1\nconcepts:\n  x:\n    terms:\n      en: X\n"),
        (
            "concepts: {a: {terms: {en: A}}}  # flow\n",
            "concepts:  # flow\n  a:\n    terms:\n      en: A\n\n  x:\n    terms:\n      en: X\n",
        ),
    ],
)
def test_append_to_empty_missing_or_flow_concepts(text: str, expected: str) -> None:
    gf = _edit(text, lambda gf: gf.set_concept(Concept("x", terms={"en": [Term("X")]})))
    assert gf.render() == expected


def test_remove_takes_attached_comments_and_keeps_the_others() -> None:
    before = _rich()
    after = _edit(before, lambda gf: gf.remove_concept("astana")).render()
    removed = before[
        before.index("  # The capital") : before.index("  # a comment at the concepts' column")
    ]
    assert removed.startswith("  # The capital: renamed twice.\n  # Keep both")
    assert after == before.replace(removed, "")


def test_remove_keeps_detached_comments_and_single_blank_lines() -> None:
    text = (
        "concepts:\n"
        "  # section\n"
        "\n"
        "  # about a\n"
        "  a:\n"
        "    terms:\n"
        "      en: a\n"
        "      # inner comment of a\n"
        "\n"
        "  b:\n"
        "    terms: {en: b}\n"
        "\n"
        "  # about c\n"
        "  c: {terms: {en: c}}\n"
        "# end\n"
    )
    gf = parse_glossary(text, "g.yaml")
    gf.remove_concept("a")
    assert gf.render() == (
        "concepts:\n  # section\n\n  b:\n    terms: {en: b}\n\n  # about c\n  c: {terms: {en: c}}\n# end\n"
    )
    gf.remove_concept("c")
    assert gf.render() == "concepts:\n  # section\n\n  b:\n    terms: {en: b}\n\n# end\n"
    gf.remove_concept("b")
    assert gf.render() == "concepts:\n  # section\n\n# end\n"
    assert len(gf.glossary) == 0
    gf.set_concept(Concept("d", terms={"en": [Term("d")]}))
    assert gf.render() == "concepts:\n  d:\n    terms:\n      en: d\n  # section\n\n# end\n"
    assert _same(parse_glossary(gf.render(), "g").glossary, gf.glossary)


def test_remove_from_a_flow_concepts_mapping() -> None:
    gf = _edit("concepts: {a: {terms: {en: A}}, b: {}}\n", lambda gf: gf.remove_concept("a"))
    assert gf.render() == "concepts:\n  b: {}\n"
    gf.remove_concept("b")
    assert gf.render() == "concepts:\n"


def test_remove_missing_concept() -> None:
    gf = parse_glossary(_rich(), "g.yaml")
    with pytest.raises(TilmashError, match="^g.yaml: no concept 'nope'$"):
        gf.remove_concept("nope")


def test_crlf_files_stay_crlf() -> None:
    before = _rich().replace("\n", "\r\n")
    gf = parse_glossary(before, "g.yaml")
    c = gf.glossary.concepts["akim"]
    c.terms["ru"] = [Term("аким")]
    gf.set_concept(c)
    gf.set_concept(Concept("new", terms={"en": [Term("New")]}))
    gf.remove_concept("astana")
    after = gf.render()
    assert "\n" not in after.replace("\r\n", "")
    assert _same(parse_glossary(after, "g.yaml").glossary, gf.glossary)


def test_locations_follow_the_edits() -> None:
    gf = parse_glossary(_rich(), "g.yaml")
    c = gf.glossary.concepts["batyrlarga-tagzym"]
    c.terms["en"].append(Term("Heroes' March", status="admitted", note="x" * 120))
    gf.set_concept(c)
    gf.remove_concept("immortal-regiment")
    gf.set_concept(Concept("zz", terms={"en": [Term("z")]}))
    fresh = parse_glossary(gf.render(), "g.yaml").glossary
    for concept in gf.glossary:
        other = fresh.concepts[concept.id]
        assert concept.location == other.location, concept.id
        assert [t.location for _, t in concept.all_terms()] == [
            t.location for _, t in other.all_terms()
        ]


def test_a_glossary_edited_in_many_steps_matches_its_model() -> None:
    gf = parse_glossary(_rich(), "g.yaml")
    for i in range(30):
        concept_id = ["astana", "akim", f"new-{i % 7}", "kazmunaygas", "batyrlarga-tagzym"][i % 5]
        existing = gf.glossary.get(concept_id)
        if existing is not None and i % 4 == 3:
            gf.remove_concept(concept_id)
            continue
        c = copy.deepcopy(existing) if existing else Concept(concept_id)
        c.terms.setdefault("en", []).append(Term(f"term {i}", status=STATUSES[i % 4]))
        gf.set_concept(c)
        assert _same(parse_glossary(gf.render(), "g.yaml").glossary, gf.glossary)
    assert gf.render().startswith(_rich()[: _rich().index("  batyrlarga-tagzym:")])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _concepts(
        st.sampled_from(
            ["batyrlarga-tagzym", "immortal-regiment", "astana", "akim", "kazmunaygas", "brand-new"]
        )
    )
)
def test_set_any_concept_into_the_rich_file(concept: Concept) -> None:
    before = _rich()
    gf = parse_glossary(before, "g.yaml")
    gf.set_concept(concept)
    after = gf.render()
    expected = load_glossary(RICH)
    expected.concepts[concept.id] = concept
    assert _same(parse_glossary(after, "g.yaml").glossary, expected)
    if concept.id == "brand-new":
        assert {tag for tag, _i1, _i2 in _changes(before, after)} == {"insert"}
    else:
        _assert_only_span_changed(before, after, concept.id)


_ODD_LAYOUTS = [
    # explicit keys, multi-line plain / quoted / flow values, comments in odd places,
    # document markers, a top-level key after concepts
    (
        "---\n"
        "concepts:\n"
        "  a:\n"
        "    terms:\n"
        "      en: a long plain\n"
        "        scalar continued\n"
        '      ru: "multi\n'
        '        line quoted"\n'
        "  ? b\n"
        "  : terms: {en: b}\n"
        "  c: {terms: {\n"
        "      en: c,\n"
        "      ru: ц}}     # multi-line flow\n"
        "  d:   # comment on the key line\n"
        "    # comment before the first field\n"
        "    note: x\n"
        "    terms:\n"
        "      en:\n"
        "      - d\n"
        "      # comment inside the list\n"
        "      - {term: dd, status: admitted}\n"
        "version: 1\n"
        "...\n"
    ),
    # 4-space concepts with 2-space fields
    (
        "version: 1\nconcepts:\n    a:\n      terms:\n        en: a\n    b:\n      kind: name\n"
        "      terms:\n          en:  b    # odd spacing\n"
    ),
    # a flow mapping of concepts
    "concepts: {a: {terms: {en: a}}, b: {note: x}}\nversion: 1\n",
    "# header only\n",
    # block scalars: folded with a blank line, and |+ that keeps its trailing blank lines
    (
        "concepts:\n  a:\n    definition: >\n      folded text\n\n      with a blank line\n"
        "    terms:\n      en: a\n  b:\n    note: |+\n      keep trailing\n\n\n  c:\n    terms: {en: c}\n"
    ),
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_ODD_LAYOUTS),
    st.lists(st.tuples(st.booleans(), _concepts(st.sampled_from("abcde"))), min_size=1, max_size=5),
)
def test_edit_sequences_on_odd_hand_layouts(text: str, ops: list[tuple[bool, Concept]]) -> None:
    gf = parse_glossary(text, "odd.yaml")
    for remove, concept in ops:
        if remove:
            if concept.id in gf.glossary:
                gf.remove_concept(concept.id)
        else:
            gf.set_concept(concept)
        fresh = parse_glossary(gf.render(), "odd.yaml").glossary
        assert _same(fresh, gf.glossary), gf.render()
        for c in gf.glossary:
            assert c.location == fresh.concepts[c.id].location
            assert [t.location for _, t in c.all_terms()] == [
                t.location for _, t in fresh.concepts[c.id].all_terms()
            ]


# --------------------------------------------------------------------------------------
# Layers


def test_layers_add_and_override(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    local = tmp_path / "local.yaml"
    base.write_text(
        "concepts:\n"
        "  astana:\n"
        "    kind: name\n"
        "    subject: places\n"
        "    note: capital\n"
        "    terms:\n"
        "      en: Astana\n"
        "      ru: [Астана, {term: Акмола, status: deprecated}]\n"
        "  almaty:\n"
        "    terms: {en: Almaty}\n",
        encoding="utf-8",
    )
    local.write_text(
        "concepts:\n"
        "  astana:\n"
        "    note: capital since 1997\n"
        "    terms:\n"
        "      ru: Астана\n"
        "      kk: Астана\n"
        "  shymkent:\n"
        "    terms: {en: Shymkent}\n",
        encoding="utf-8",
    )
    gl = load_layers([base, local])
    assert list(gl.concepts) == ["astana", "almaty", "shymkent"]
    astana = gl.concepts["astana"]
    assert (astana.kind, astana.subject, astana.note) == ("name", "places", "capital since 1997")
    assert astana.terms == {"en": [Term("Astana")], "ru": [Term("Астана")], "kk": [Term("Астана")]}
    assert astana.location == Location(str(local), 2)
    assert astana.terms["en"][0].location == Location(str(base), 7)
    assert defining_file(gl, "astana") == local
    assert defining_file(gl, "almaty") == base
    assert defining_file(gl, "shymkent") == local
    with pytest.raises(TilmashError, match="no concept 'nope'"):
        defining_file(gl, "nope")
    # the order of the layers matters
    reverse = load_layers([local, base])
    assert reverse.concepts["astana"].note == "capital"
    assert reverse.concepts["astana"].terms["ru"][1].status == "deprecated"
    # an explicit "kind: term" in a later file overrides; an omitted kind does not
    local.write_text("concepts:\n  astana:\n    kind: term\n", encoding="utf-8")
    assert load_layers([base, local]).concepts["astana"].kind == "term"
    assert load_layers([]) == Glossary()


def test_layers_report_errors_of_each_file(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("concepts: {}\n", encoding="utf-8")
    bad.write_text("concepts:\n  a:\n    kind: x\n", encoding="utf-8")
    with pytest.raises(ParseError, match=f"^{bad}:3: invalid kind"):
        load_layers([good, bad])
    with pytest.raises(TilmashError, match="no such file"):
        load_layers([good, tmp_path / "missing.yaml"])


# --------------------------------------------------------------------------------------
# edit_glossary


def test_edit_glossary_writes_and_reports_changes(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(_rich(), encoding="utf-8")

    def add(gf: GlossaryFile) -> None:
        gf.set_concept(Concept("almaty", kind="name", terms={"en": [Term("Almaty")]}))

    assert edit_glossary(path, add) is True
    assert load_glossary(path).concepts["almaty"].kind == "name"
    assert edit_glossary(path, add) is False  # same content: nothing to write
    assert edit_glossary(path, lambda gf: None) is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.yaml"]


def test_edit_glossary_keeps_a_bom_when_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    data = b"\xef\xbb\xbfconcepts:\n  a:\n    terms: {en: a}\n"
    path.write_bytes(data)
    assert (
        edit_glossary(path, lambda gf: gf.set_concept(copy.deepcopy(gf.glossary.concepts["a"])))
        is False
    )
    assert path.read_bytes() == data
    assert edit_glossary(path, lambda gf: gf.remove_concept("a")) is True
    assert path.read_bytes() == b"concepts:\n"


def test_edit_glossary_creates_a_file_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"

    def add(gf: GlossaryFile) -> None:
        gf.set_concept(Concept("x", terms={"en": [Term("X")]}))

    with pytest.raises(TilmashError, match="no such file"):
        edit_glossary(path, add)
    assert list(tmp_path.iterdir()) == []
    assert edit_glossary(path, add, create=True) is True
    text = path.read_text(encoding="utf-8")
    assert text == new_glossary_text() + "  x:\n    terms:\n      en: X\n"
    with pytest.raises(TilmashError, match="is a directory"):
        edit_glossary(tmp_path, add)


@pytest.mark.parametrize(
    "content",
    [
        "concepts:\n  astana:\n    terms:\n      kk: [Астана\n".encode(),
        b"concepts:\n  a:\n    note: caf\xe9\n",
        b"concepts:\n  a: &x {}\n  b: *x\n",
    ],
)
def test_edit_glossary_on_a_broken_file_writes_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "g.yaml"
    path.write_bytes(content)
    before = _snapshot(tmp_path)
    called = []
    with pytest.raises(ParseError) as info:
        edit_glossary(path, lambda gf: called.append(gf))
    assert str(info.value).startswith(f"{path}:")
    assert called == []
    assert _snapshot(tmp_path) == before


def test_edit_glossary_failing_change_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(_rich(), encoding="utf-8")
    before = _snapshot(tmp_path)

    def change(gf: GlossaryFile) -> None:
        gf.remove_concept("astana")
        raise TilmashError("stop")

    with pytest.raises(TilmashError, match="stop"):
        edit_glossary(path, change)
    assert _snapshot(tmp_path) == before


def test_edit_glossary_refuses_model_changes_that_were_not_set(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(_rich(), encoding="utf-8")
    before = _snapshot(tmp_path)

    def change(gf: GlossaryFile) -> None:
        gf.glossary.concepts["astana"].note = "forgot set_concept"
        gf.set_concept(Concept("other", terms={"en": [Term("o")]}))

    with pytest.raises(TilmashError, match="'astana' differs"):
        edit_glossary(path, change)
    assert _snapshot(tmp_path) == before


def _add_one(path: str, i: int) -> None:
    def change(gf: GlossaryFile) -> None:
        gf.set_concept(Concept(f"concept-{i}", terms={"en": [Term(f"Term {i}")]}))

    edit_glossary(path, change, create=True)


def test_edit_glossary_concurrent_processes_all_land(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_one, args=(str(path), i)) for i in range(8)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    gl = load_glossary(path)
    assert sorted(gl.concepts) == sorted(f"concept-{i}" for i in range(8))
    assert sorted(os.listdir(tmp_path)) == ["g.yaml"]


# --------------------------------------------------------------------------------------
# Real third-party strings: the GNOME Control Center Kazakh and Russian catalogues


def _catalogue_concepts() -> list[Concept]:
    polib = pytest.importorskip("polib")
    kk_po = TESTDATA / "po" / "gnome-control-center" / "kk.po"
    ru_po = TESTDATA / "po" / "gnome-control-center" / "ru.po"
    if not kk_po.exists() or not ru_po.exists():
        pytest.skip("third-party test data not present")
    ru = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(ru_po)) if e.msgstr}
    concepts = []
    for i, entry in enumerate(polib.pofile(str(kk_po))):
        if not entry.msgstr.strip() or not entry.msgid.strip():
            continue
        terms = {"en": [Term(entry.msgid, note=entry.msgctxt)], "kk": [Term(entry.msgstr)]}
        if ru.get((entry.msgctxt, entry.msgid), "").strip():
            terms["ru"] = [Term(ru[(entry.msgctxt, entry.msgid)], status="admitted")]
        concepts.append(Concept(f"gcc-{i}", note=entry.comment or None, terms=terms))
    return [_nfc_concept(c) for c in concepts]


def _nfc_concept(c: Concept) -> Concept:
    for _lang, term in c.all_terms():
        term.text = _nfc(term.text)
        term.note = None if term.note is None else _nfc(term.note)
    c.note = None if c.note is None else _nfc(c.note)
    return c


def test_real_catalogue_strings_round_trip_and_edit() -> None:
    concepts = _catalogue_concepts()
    assert len(concepts) > 1000
    gl = Glossary({c.id: c for c in concepts})
    text = dump_glossary(gl, header="GNOME Control Center strings")
    gf = parse_glossary(text, "gcc.yaml")
    assert _same(gf.glossary, gl)
    assert dump_glossary(gf.glossary, header="GNOME Control Center strings") == text
    data = yaml.safe_load(text)["concepts"]
    assert all(isinstance(k, str) for k in data)
    assert data[concepts[0].id] == _as_plain_data(concepts[0])
    # edit one concept in the middle: only its lines change
    middle = concepts[len(concepts) // 2]
    changed = copy.deepcopy(middle)
    changed.terms["kk"].append(Term("Жаңа", status="deprecated"))
    gf.set_concept(changed)
    _assert_only_span_changed(text, gf.render(), middle.id)
