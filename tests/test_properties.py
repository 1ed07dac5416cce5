"""Property tests (Hypothesis) for the identities tilmash relies on.

The single-value versions live beside each format (``test_yamlformat.py``: one concept;
``test_postrict.py``: one entry; ``test_translit.py``: one word); here the same identities
are checked for whole files and texts:

* glossary: ``dump_glossary`` → ``parse_glossary`` gives the same model for whole
  glossaries, also after a CLI-style edit through :func:`edit_glossary`, and TBX export →
  import gives it too;
* transliteration: Cyrillic → ``kk-latn-2021`` → ``kk-cyrl`` is the identity for running
  text made of native-letter words (the restricted alphabet of ``test_translit.py``),
  punctuation, digits and Latin-free spacing;
* documents: for generated Markdown and plain text, ``render_document(doc, {})`` and
  ``render_document(doc, {id: text})`` both give back the input byte for byte;
* catalogues: ``format_po`` → ``parse_po`` gives the same entries for whole catalogues (plural,
  obsolete, context, previous msgid, references), and formatting is idempotent.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.model import GENDERS, KINDS, PARTS_OF_SPEECH, STATUSES, Concept, Glossary, Term
from glossary.translit import transliterate
from glossary.yamlformat import check_concept_id, dump_glossary, edit_glossary, parse_glossary
from tests.test_translit import ROUNDTRIP_LETTERS, _roundtrip_safe
from translate.document import parse_document, render_document
from translate.postrict import format_po, parse_po

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- glossary

_WORDS = ["Astana", "Алматы", "Қазақстан", "Ұлы Отан соғысы", "Batyrlarğa tağzym", "9 May",
          "akim", "мәслихат", "KazTAG", "«Бессмертный полк»", "O'Brien", "yes", "null", "1945",
          "a: b", "# not a comment", "- dash", "[x]", "{y}", "'quoted'", '"dq"', "tab\there",
          "äkım", "İli", "ı", "€5", "✓", "🇰🇿"]
_text = st.one_of(
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(" ".join),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")),
            min_size=1, max_size=16).map(str.strip).filter(bool),
).map(_nfc)
_opt = st.none() | _text
_langs = st.sampled_from(["en", "ru", "kk", "kk-Latn", "de", "zh-Hans"])
_term = st.builds(
    Term, text=_text, status=st.sampled_from(STATUSES),
    pos=st.none() | st.sampled_from(PARTS_OF_SPEECH),
    gender=st.none() | st.sampled_from(GENDERS), note=_opt, case_sensitive=st.booleans(),
    translit=st.none() | st.sampled_from(["kk-latn-2021", "kk-latn-2018"]),
)
_ids = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True).filter(
    lambda s: check_concept_id(s) is None)
_concept = st.builds(
    Concept, id=_ids, kind=st.sampled_from(KINDS), subject=_opt, definition=_opt, note=_opt,
    terms=st.dictionaries(_langs, st.lists(_term, min_size=1, max_size=3, unique_by=lambda t: t.text),
                          min_size=1, max_size=4),
)
_glossaries = st.lists(_concept, max_size=6, unique_by=lambda c: c.id).map(
    lambda cs: Glossary({c.id: c for c in cs}))


def _same(a: Glossary, b: Glossary) -> bool:
    return list(a.concepts) == list(b.concepts) and all(
        a.concepts[k] == b.concepts[k] and list(a.concepts[k].terms) == list(b.concepts[k].terms)
        for k in a.concepts)


@SETTINGS
@given(_glossaries)
def test_glossary_dump_then_parse_is_identity(gl: Glossary) -> None:
    text = dump_glossary(gl)
    back = parse_glossary(text, "g.yaml").glossary
    assert _same(back, gl)
    assert dump_glossary(back) == text


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_glossaries, _concept, st.integers(0, 2))
def test_edited_glossary_file_reads_back_as_the_edited_model(
        tmp_path: Path, gl: Glossary, concept: Concept, how: int) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("# hand-written header, kept\n" + dump_glossary(gl), encoding="utf-8")
    expected = Glossary(dict(gl.concepts))
    victim = next(iter(gl.concepts), None)

    def change(gf):  # type: ignore[no-untyped-def]
        if how == 2 and victim is not None:
            gf.remove_concept(victim)
        else:
            gf.set_concept(concept)

    if how == 2 and victim is not None:
        del expected.concepts[victim]
    else:
        expected.concepts[concept.id] = concept
    edit_glossary(path, change)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# hand-written header, kept\n")
    back = parse_glossary(text, path).glossary
    assert {k: v for k, v in back.concepts.items()} == expected.concepts


_xml_text = st.one_of(
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(" ".join),
).filter(lambda s: "\t" not in s)
_xml_term = st.builds(
    Term, text=_xml_text, status=st.sampled_from(STATUSES),
    pos=st.none() | st.sampled_from(PARTS_OF_SPEECH),
    gender=st.none() | st.sampled_from(GENDERS), note=st.none() | _xml_text,
    case_sensitive=st.booleans(),
    translit=st.none() | st.sampled_from(["kk-latn-2021", "kk-latn-2018"]),
)
_xml_concept = st.builds(
    Concept, id=_ids, kind=st.sampled_from(KINDS), subject=st.none() | _xml_text,
    definition=st.none() | _xml_text, note=st.none() | _xml_text,
    terms=st.dictionaries(_langs, st.lists(_xml_term, min_size=1, max_size=3,
                                           unique_by=lambda t: t.text), min_size=1, max_size=4),
)


@SETTINGS
@given(st.lists(_xml_concept, max_size=5, unique_by=lambda c: c.id), st.none() | _langs)
def test_tbx_export_then_import_is_identity(concepts: list[Concept], source: str | None) -> None:
    from glossary.tbx import read_tbx, write_tbx

    gl = Glossary({c.id: c for c in concepts})
    data = write_tbx(gl, source_lang=source)
    back = read_tbx(data, "g.tbx")
    assert back == gl
    assert write_tbx(back, source_lang=source) == data


# --------------------------------------------------------------------------- translit

_native_words = (
    st.lists(st.sampled_from(ROUNDTRIP_LETTERS), min_size=1, max_size=10)
    .map("".join)
    .filter(_roundtrip_safe)
    .flatmap(lambda w: st.sampled_from([w, w[0].upper() + w[1:], w.upper()]))
)
_separators = st.sampled_from([" ", ", ", ". ", " — ", " (", ") ", "\n", " 1945 ", ": ", "! ",
                               " «", "» ", "; ", " - "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(st.tuples(_native_words, _separators), min_size=1, max_size=8))
def test_kazakh_running_text_round_trips_through_latin(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + s for w, s in parts)
    latin = transliterate(text, "kk-latn-2021")
    assert not any("\u0400" <= ch <= "\u04ff" for ch in latin), latin
    assert transliterate(latin, "kk-cyrl") == text


# --------------------------------------------------------------------------- documents

_plain_words = st.sampled_from([
    "Astana", "is", "the", "capital", "of", "Kazakhstan.", "It", "has", "1,354,556", "people.",
    "Dr.", "Smith", "said", "e.g.", "U.S.", "«quoted»", "“curly”", "—", "9", "May", "1945.",
    "Almaty?", "Yes!", "Қазақстан", "Ұлы", "Отан", "соғысы.", "Day", "1.", "№", "5", "&", "<",
    "a_b", "x*y", "[brackets]", "back\\slash", "`tick`", "http://example.com/a_b", "#tag", "|",
])


def _sentence(words: list[str]) -> str:
    return " ".join(words)


_inline = st.one_of(
    st.lists(_plain_words, min_size=1, max_size=8).map(_sentence),
    st.tuples(st.sampled_from(["*", "**", "_", "~~", "`"]),
              st.lists(_plain_words, min_size=1, max_size=3).map(_sentence))
    .map(lambda t: f"{t[0]}{t[1]}{t[0]}"),
    st.lists(_plain_words, min_size=1, max_size=3).map(lambda w: f"[{' '.join(w)}](https://x.kz/a)"),
    st.just("![alt text](img.png)"),
    st.just("<b>bold</b>"),
    st.just("&amp; &nbsp; \\*"),
)
_line = st.lists(_inline, min_size=1, max_size=5).map(" ".join)
_paragraph = st.lists(_line, min_size=1, max_size=3).map("\n".join)
_block = st.one_of(
    _paragraph,
    st.tuples(st.integers(1, 6), _line).map(lambda t: "#" * t[0] + " " + t[1]),
    st.lists(_line, min_size=1, max_size=4).map(lambda ls: "\n".join(f"- {x}" for x in ls)),
    st.lists(_line, min_size=1, max_size=4).map(
        lambda ls: "\n".join(f"{i + 1}. {x}" for i, x in enumerate(ls))),
    _paragraph.map(lambda p: "\n".join("> " + x for x in p.split("\n"))),
    _paragraph.map(lambda p: "```\n" + p + "\n```"),
    _paragraph.map(lambda p: "    " + p.replace("\n", "\n    ")),
    st.tuples(_line, _line).map(lambda t: f"| a | b |\n|---|---|\n| {t[0]} | {t[1]} |".replace(
        "||", "| |")),
    st.just("---"),
    st.just("<div>\nraw html\n</div>"),
    st.just("[ref]: https://example.com"),
)
_markdown = st.tuples(
    st.lists(_block, min_size=1, max_size=6),
    st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n"]),
    st.sampled_from(["", "\n", "\n\n"]),
    st.booleans(),
).map(lambda t: ("---\ntitle: x\n---\n\n" if t[3] else "") + t[1].join(t[0]) + t[2])


@SETTINGS
@given(_markdown, st.sampled_from(["en", "ru", "kk"]))
def test_markdown_segments_reassemble_to_the_input(text: str, lang: str) -> None:
    doc = parse_document(text, "doc.md", lang=lang)
    assert render_document(doc, {}) == text
    assert render_document(doc, {s.id: s.text for s in doc.segments}) == text


@SETTINGS
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
       | _markdown, st.sampled_from(["doc.md", "doc.txt"]))
def test_any_text_reassembles_to_the_input(text: str, name: str) -> None:
    doc = parse_document(text, name)
    assert render_document(doc, {}) == text
    assert render_document(doc, {s.id: s.text for s in doc.segments}) == text


# --------------------------------------------------------------------------- catalogues

_po_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
    | st.sampled_from(list('\n\t\r\\" \u2028әіңғүұқөһ')),
    max_size=80,
)
_entry = st.fixed_dictionaries({
    "msgid": _po_text.filter(bool),
    "msgstr": _po_text,
    "msgctxt": st.none() | _po_text,
    "previous_msgid": st.none() | _po_text,
    "fuzzy": st.booleans(),
    "obsolete": st.booleans(),
    "plural": st.booleans(),
    "comment": st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40),
    "refs": st.lists(st.tuples(st.sampled_from(["doc.md", "a b.md", "x/y.txt"]),
                               st.integers(1, 999).map(str)), max_size=3),
})


def _build(entries: list[dict[str, object]]) -> polib.POFile:
    po = parse_po('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Language: ru\\n"\n"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"\n',
                  "t.po")
    seen: set[tuple[object, object]] = set()
    for e in entries:
        if (e["msgctxt"], e["msgid"]) in seen:
            continue
        seen.add((e["msgctxt"], e["msgid"]))
        entry = polib.POEntry(
            msgid=e["msgid"], msgctxt=e["msgctxt"], previous_msgid=e["previous_msgid"],
            flags=["fuzzy"] if e["fuzzy"] else [], obsolete=e["obsolete"],
            comment=e["comment"], tcomment=e["comment"],
            occurrences=[] if e["obsolete"] else list(e["refs"]),  # type: ignore[arg-type]
        )
        if e["plural"]:
            entry.msgid_plural = f"{e['msgid']} (plural)"
            entry.msgstr_plural = {0: e["msgstr"], 1: f"{e['msgstr']}1", 2: f"{e['msgstr']}2"}
        else:
            entry.msgstr = e["msgstr"]  # type: ignore[assignment]
        po.append(entry)
    return po


@SETTINGS
@given(st.lists(_entry, max_size=8))
def test_whole_catalogue_format_then_parse_is_identity(entries: list[dict[str, object]]) -> None:
    po = _build(entries)
    text = format_po(po)
    back = parse_po(text, "t.po")
    fields = ("msgid", "msgid_plural", "msgstr", "msgstr_plural", "msgctxt", "previous_msgid",
              "obsolete", "flags", "comment", "tcomment", "occurrences")
    key = sorted(((e.obsolete, i) for i, e in enumerate(po)))
    ordered = [po[i] for _, i in key]  # obsolete entries are written last
    assert len(back) == len(po)
    for a, b in zip(ordered, back, strict=True):
        for name in fields:
            assert getattr(b, name) == getattr(a, name), name
    assert back.metadata == po.metadata
    assert format_po(back) == text
