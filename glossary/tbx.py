"""TBX (TermBase eXchange, ISO 30042) import and export.

:func:`read_tbx` reads both generations of TBX:

* TBX 2008 — ``martif``/``text``/``body``/``termEntry``/``langSet``/``tig`` (or
  ``ntig``/``termGrp``), with or without the ISO namespace, with or without a DOCTYPE;
  this is what Translate Toolkit, Weblate and most CAT tools write;
* TBX v3 (2019) — ``tbx``/``conceptEntry``/``langSec``/``termSec``, in DCA style
  (``<termNote type="partOfSpeech">``) and DCT style (namespaced ``<min:partOfSpeech>``),
  including the TBX-Core, TBX-Min and TBX-Basic dialects.

:func:`write_tbx` writes TBX-Basic in the TBX 2008 shape (``martif type="TBX-Basic"``),
which Translate Toolkit and Weblate read.  What TBX-Basic cannot carry natively is
encoded so that our own export → import is lossless and other tools still see something
sensible:

* concept kind ``dnt`` → ``<descrip type="Translation needed">No</descrip>`` on the
  ``termEntry`` (the Weblate / Translate Toolkit convention for untranslatable terms);
* concept kind ``name`` → a concept ``<note>tilmash: kind=name</note>``;
* term status ``forbidden`` → ``deprecatedTerm-admn-sts`` (the strongest TBX-Basic
  status) plus a term ``<note>tilmash: forbidden</note>``; on import the value
  ``forbidden`` (Weblate, TermWeb) is also understood;
* case-sensitive terms → term ``<note>tilmash: case-sensitive</note>``;
* transliterated terms → ``<termNote type="termType">variant</termNote>`` and a term
  ``<note>tilmash: translit=SCHEME</note>``.

Several markers of one element share a note: ``tilmash: forbidden; case-sensitive``.  A
note is a marker only when every item in it is one we know; anything else is a plain
note.

Security: XML is parsed with :mod:`defusedxml` and fails closed.  A DOCTYPE that only
names a DTD is accepted (Translate Toolkit writes one); any entity declaration (billion
laughs) or external entity (XXE) is rejected with ``path:line: ...``, as is XML that is
not well-formed.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
    NotSupportedError,
)
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import ParseError as _XMLSyntaxError

from glossary.editing import ID_PATTERN, new_concept_id, slugify, unique_id
from glossary.langtags import normalize_tag
from glossary.model import GENDERS, PARTS_OF_SPEECH, Concept, Glossary, Location, Term
from tilmash.errors import ParseError, TilmashError

__all__ = ["MARKER_PREFIX", "read_tbx", "write_tbx"]

#: the prefix of the notes that carry what TBX-Basic has no element for
MARKER_PREFIX = "tilmash:"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_CONCEPT_TAGS = frozenset({"termEntry", "conceptEntry"})
_LANG_TAGS = frozenset({"langSet", "langSec"})
_TERM_GROUP_TAGS = frozenset({"tig", "ntig", "termSec"})
#: grouping elements whose children are read as if they were at the group's level
_GROUP_TAGS = frozenset({"descripGrp", "adminGrp", "termNoteGrp", "termGrp"})
#: DCA elements whose data category is in their ``type`` attribute
_TYPED_TAGS = frozenset({"termNote", "descrip", "admin"})
_STATUS_CATEGORIES = frozenset({"administrativeStatus", "usageStatus", "termStatus", "status"})

#: status values (lower case, ``-admn-sts`` and punctuation removed) → our status
_STATUS_VALUES = {
    "preferred": "preferred",
    "preferredterm": "preferred",
    "standardized": "preferred",
    "standardizedterm": "preferred",
    "admitted": "admitted",
    "admittedterm": "admitted",
    "legalterm": "admitted",
    "regulatedterm": "admitted",
    "deprecated": "deprecated",
    "deprecatedterm": "deprecated",
    "superseded": "deprecated",
    "supersededterm": "deprecated",
    "obsolete": "deprecated",
    "notrecommended": "deprecated",
    "forbidden": "forbidden",
}
_STATUS_OUT = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
_POS_VALUES = {p.lower(): p for p in PARTS_OF_SPEECH} | {"propernoun": "properNoun"}
_GENDER_VALUES = {g: g for g in GENDERS} | {"othergender": "other"}

_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WRAPPED_LINE = re.compile(r"[ \t\r]*\n[ \t]+")
_TRAILING_SPACE = re.compile(r"[ \t\r]+\n")
_TERM_SPACE = re.compile(r"[ \t\r\n]+")


# --------------------------------------------------------------------------- parsing


@dataclass
class _Node:
    """A parsed element: local name, attributes, children and text, with its line."""

    tag: str
    namespaced: bool
    attrs: dict[str, str]
    line: int
    parts: list[str | _Node] = field(default_factory=list)

    @property
    def children(self) -> list[_Node]:
        return [p for p in self.parts if isinstance(p, _Node)]

    def text(self) -> str:
        """All the text inside the element, markup removed."""
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    @property
    def category(self) -> str:
        """The data category: ``type`` of DCA ``termNote``/``descrip``/``admin``, else the name."""
        if self.tag in _TYPED_TAGS:
            return self.attrs.get("type", "")
        return self.tag


_TBX_NAMESPACES = frozenset({"", "urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed-1"})


class _Builder:
    """The parser target: builds :class:`_Node` trees and records each start tag's line."""

    def __init__(self) -> None:
        self.parser: DefusedXMLParser | None = None
        self.stack: list[_Node] = []
        self.root: _Node | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        assert self.parser is not None
        node = _Node(local, ns not in _TBX_NAMESPACES, dict(attrs),
                     self.parser.parser.CurrentLineNumber)
        if self.stack:
            self.stack[-1].parts.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(text)

    def close(self) -> _Node | None:
        return self.root


def _parse_xml(data: bytes, path: str | Path) -> _Node:
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        parser.close()
    except _XMLSyntaxError as exc:
        line, column = getattr(exc, "position", (None, None))
        message = str(exc).split(": line ")[0]
        raise ParseError(path, line, f"not well-formed XML: {message} (column {column})") from None
    except EntitiesForbidden as exc:
        kind = "external entity" if exc.sysid or exc.pubid else "entity"
        raise ParseError(
            path, parser.parser.CurrentLineNumber,
            f"{kind} declaration {exc.name!r} refused: TBX files may not declare entities "
            "(protection against billion-laughs and XXE attacks)",
        ) from None
    except ExternalReferenceForbidden as exc:
        raise ParseError(path, parser.parser.CurrentLineNumber,
                         f"external reference {exc.sysid!r} refused (XXE protection)") from None
    except (DTDForbidden, NotSupportedError, DefusedXmlException) as exc:
        raise ParseError(path, parser.parser.CurrentLineNumber,
                         f"refused unsafe XML construct: {type(exc).__name__}") from None
    except LookupError as exc:  # <?xml ... encoding="TF-8"?>: the codec does not exist
        raise ParseError(path, 1, f"not well-formed XML: {exc}") from None
    if builder.root is None:
        raise ParseError(path, None, "empty XML document")
    return builder.root


# --------------------------------------------------------------------------- reading


def _clean_note(text: str) -> str:
    """NFC; hard-wrapped continuation lines joined with a space; ends stripped."""
    text = unicodedata.normalize("NFC", text)
    text = _WRAPPED_LINE.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    return text.strip()


def _clean_term(text: str) -> str:
    return _TERM_SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _flatten(node: _Node) -> list[_Node]:
    """The children of *node*, with grouping elements (``descripGrp`` …) opened up."""
    out: list[_Node] = []
    for child in node.children:
        if child.tag in _GROUP_TAGS and not child.namespaced:
            out.extend(_flatten(child))
        else:
            out.append(child)
    return out


def _join(values: list[str], sep: str = "\n") -> str | None:
    values = [v for v in values if v]
    return sep.join(values) if values else None


def _parse_marker(text: str, allowed: frozenset[str]) -> dict[str, str] | None:
    """``tilmash: a; b=c`` → ``{"a": "", "b": "c"}`` when every item is one we know.

    Keys in :data:`_VALUED_MARKERS` need a value, the others must not have one; a note
    that breaks either rule is an ordinary note, not a marker.
    """
    if not text.startswith(MARKER_PREFIX):
        return None
    items: dict[str, str] = {}
    for raw in text[len(MARKER_PREFIX):].split(";"):
        key, eq, value = raw.partition("=")
        key, value = key.strip(), value.strip()
        if key not in allowed or bool(eq) != (key in _VALUED_MARKERS) or (eq and not value):
            return None
        items[key] = value
    return items


_CONCEPT_MARKERS = frozenset({"kind"})
_VALUED_MARKERS = frozenset({"kind", "translit"})
_TERM_MARKERS = frozenset({"forbidden", "case-sensitive", "translit"})


def _lang_tag(raw: str) -> str:
    try:
        return normalize_tag(raw)
    except ValueError:
        return raw.strip()


def _status(value: str, path: str | Path, line: int) -> str:
    key = re.sub(r"[^a-z]", "", value.lower().replace("-admn-sts", "").replace("admnsts", ""))
    status = _STATUS_VALUES.get(key)
    if status is None:
        raise ParseError(
            path, line,
            f"unknown term status {value!r} (expected preferredTerm-admn-sts, "
            "admittedTerm-admn-sts, deprecatedTerm-admn-sts, supersededTerm-admn-sts, "
            "or TBX-Min preferred/admitted/notRecommended/obsolete)",
        )
    return status


@dataclass
class _RawConcept:
    """What one ``termEntry`` said, before ids are assigned."""

    node: _Node
    concept: Concept
    lang_notes: list[str]
    lang_definitions: list[tuple[str, str]]


def _read_term_group(group: _Node, lang: str, path: str | Path) -> Term | None:
    children = _flatten(group)
    terms = [c for c in children if c.tag == "term" and not c.namespaced]
    if not terms:
        raise ParseError(path, group.line, f"<{group.tag}> without a <term>")
    if len(terms) > 1:
        raise ParseError(path, terms[1].line, f"more than one <term> in <{group.tag}>")
    term_node = terms[0]
    text = _clean_term(term_node.text())
    if not text:
        return None  # an empty <term/> is how some tools write "no translation yet"
    term = Term(text, location=Location(str(path), term_node.line))
    notes: list[str] = []
    forbidden = False
    for child in children:
        cat = child.category
        value = _clean_note(child.text())
        if child is term_node or not value:
            continue
        if cat in _STATUS_CATEGORIES:
            term.status = _status(value, path, child.line)
        elif cat == "partOfSpeech":
            term.pos = _POS_VALUES.get(value.lower().replace(" ", ""), "other")
        elif cat == "grammaticalGender":
            term.gender = _GENDER_VALUES.get(value.lower().replace(" ", ""), "other")
        elif cat in ("note", "Usage note", "usageNote"):
            marker = _parse_marker(value, _TERM_MARKERS) if cat == "note" else None
            if marker is None:
                notes.append(value)
                continue
            forbidden = forbidden or "forbidden" in marker
            term.case_sensitive = term.case_sensitive or "case-sensitive" in marker
            if "translit" in marker:
                term.translit = marker["translit"]
    if forbidden:
        term.status = "forbidden"
    term.note = _join(notes)
    return term


def _read_concept(node: _Node, path: str | Path) -> _RawConcept:
    concept = Concept(id="", location=Location(str(path), node.line))
    notes: list[str] = []
    subjects: list[str] = []
    definitions: list[str] = []
    lang_notes: list[str] = []
    lang_definitions: list[tuple[str, str]] = []
    translation_needed: str | None = None
    kind_marker: str | None = None

    def common(child: _Node, lang: str | None) -> None:
        nonlocal translation_needed, kind_marker
        cat = child.category
        value = _clean_note(child.text())
        if not value:
            return
        if cat == "subjectField":
            subjects.append(value)
        elif cat == "definition":
            if lang is None:
                definitions.append(value)
            else:
                lang_definitions.append((lang, value))
        elif cat == "Translation needed":
            translation_needed = value.lower()
        elif cat in ("note", "Usage note", "usageNote"):
            marker = _parse_marker(value, _CONCEPT_MARKERS) if lang is None and cat == "note" \
                else None
            if marker is not None and marker.get("kind") in ("term", "name", "dnt"):
                kind_marker = marker["kind"]
            elif lang is None:
                notes.append(value)
            else:
                lang_notes.append(f"[{lang}] {value}")

    for child in _flatten(node):
        if child.tag in _LANG_TAGS and not child.namespaced:
            raw_lang = child.attrs.get(_XML_LANG) or child.attrs.get("lang")
            if not raw_lang or not raw_lang.strip():
                raise ParseError(path, child.line, f"<{child.tag}> without xml:lang")
            lang = _lang_tag(raw_lang)
            for sub in _flatten(child):
                if sub.tag in _TERM_GROUP_TAGS and not sub.namespaced:
                    term = _read_term_group(sub, lang, path)
                    if term is not None:
                        concept.add_term(lang, term)
                elif sub.tag == "term" and not sub.namespaced:
                    raise ParseError(path, sub.line, f"<term> directly in <{child.tag}> "
                                     "(expected inside <tig> or <termSec>)")
                else:
                    common(sub, lang)
        else:
            common(child, None)

    concept.subject = _join(subjects, "; ")
    concept.definition = _join(definitions)
    concept.note = _join(notes)
    if translation_needed == "no":
        concept.kind = "dnt"
    if kind_marker is not None:
        concept.kind = kind_marker
    return _RawConcept(node, concept, lang_notes, lang_definitions)


def _iter_concept_nodes(node: _Node) -> list[_Node]:
    found: list[_Node] = []
    for child in node.children:
        if child.namespaced:
            continue
        if child.tag in _CONCEPT_TAGS:
            found.append(child)
        else:
            found.extend(_iter_concept_nodes(child))
    return found


def read_tbx(data: bytes, path: str | Path) -> Glossary:
    """Parse TBX 2008 or TBX v3 *data* (read from *path*, used in messages) into a Glossary.

    Concept ids come from the ``id`` attribute (made to fit our id pattern, lower case
    ASCII); entries without one get an id made from their first term.  Language tags are
    normalized (``en-us`` → ``en-US``) when valid and kept as written otherwise.  Bad input
    raises :class:`~tilmash.errors.ParseError` with the file and line.
    """
    root = _parse_xml(data, path)
    if root.tag not in ("martif", "tbx", "TBX") or root.namespaced:
        raise ParseError(path, root.line,
                         f"not a TBX file: the root element is <{root.tag}>, "
                         "expected <martif> (TBX 2008) or <tbx> (TBX v3)")
    raw_root_lang = root.attrs.get(_XML_LANG)
    root_lang = _lang_tag(raw_root_lang) if raw_root_lang else None

    raws = [_read_concept(node, path) for node in _iter_concept_nodes(root)]
    for raw in raws:
        concept = raw.concept
        if concept.definition is None and raw.lang_definitions:
            preferred = [d for lang, d in raw.lang_definitions if lang == root_lang]
            concept.definition = preferred[0] if preferred else raw.lang_definitions[0][1]
        if raw.lang_notes:
            concept.note = _join([concept.note or "", *raw.lang_notes])

    glossary = Glossary()
    explicit: dict[str, int] = {}
    for raw in raws:
        raw_id = (raw.node.attrs.get("id") or "").strip()
        if not raw_id:
            continue
        if raw_id in explicit:
            raise ParseError(path, raw.node.line,
                             f"duplicate concept id {raw_id!r} (first at line {explicit[raw_id]})")
        explicit[raw_id] = raw.node.line
    taken = {i for i in explicit if ID_PATTERN.match(i)}
    for raw in raws:
        raw_id = (raw.node.attrs.get("id") or "").strip()
        if raw_id and ID_PATTERN.match(raw_id):
            concept_id = raw_id
        else:
            base = slugify(raw_id) if raw_id else ""
            if not base or base == "concept":
                probe = Glossary({i: Concept(i) for i in taken})
                concept_id = new_concept_id(probe, raw.concept.terms) if raw.concept.terms \
                    else unique_id("concept", taken)
            else:
                concept_id = unique_id(base, taken)
        taken.add(concept_id)
        raw.concept.id = concept_id
        glossary.add(raw.concept)
    return glossary




# --------------------------------------------------------------------------- writing


def _check_text(text: str, what: str) -> str:
    bad = _INVALID_XML_CHARS.search(text)
    if bad:
        raise TilmashError(
            f"cannot write TBX: {what} contains the character U+{ord(bad.group()):04X}, "
            "which XML 1.0 does not allow"
        )
    return text


def _sub(parent: ET.Element, tag: str, text: str | None = None, what: str = "",
         **attrs: str) -> ET.Element:
    elem = ET.SubElement(parent, tag, attrs)
    if text is not None:
        elem.text = _check_text(text, what)
    return elem


def _term_marker(term: Term, concept_id: str) -> str | None:
    items: list[str] = []
    if term.status == "forbidden":
        items.append("forbidden")
    if term.case_sensitive:
        items.append("case-sensitive")
    if term.translit:
        scheme = term.translit.strip()
        if not scheme or ";" in scheme or scheme != term.translit:
            raise TilmashError(f"cannot write TBX: concept {concept_id!r}: transliteration "
                               f"scheme {term.translit!r} cannot be stored")
        items.append(f"translit={scheme}")
    return f"{MARKER_PREFIX} " + "; ".join(items) if items else None


def _language_order(glossary: Glossary, source_lang: str | None) -> dict[str, int]:
    langs = glossary.languages()
    if source_lang is not None:
        langs = [source_lang] + [lang for lang in langs if lang != source_lang]
    return {lang: i for i, lang in enumerate(langs)}


def write_tbx(glossary: Glossary, *, source_lang: str | None = None) -> bytes:
    """Serialize *glossary* as TBX-Basic (TBX 2008 ``martif``), UTF-8, pretty-printed.

    The output is deterministic: the same glossary gives the same bytes.  ``source_lang``
    becomes the document language (``martif xml:lang``) and the first ``langSet`` of
    every entry; without it the glossary's first language is used.
    """
    order = _language_order(glossary, source_lang)
    doc_lang = source_lang or next(iter(order), "en")
    root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: doc_lang})
    header = _sub(root, "martifHeader")
    file_desc = _sub(header, "fileDesc")
    source_desc = _sub(file_desc, "sourceDesc")
    _sub(source_desc, "p", "tilmash glossary export")
    encoding_desc = _sub(header, "encodingDesc")
    _sub(encoding_desc, "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, "text"), "body")

    for concept in glossary:
        cid = concept.id
        entry = _sub(body, "termEntry", id=_check_text(cid, f"concept id {cid!r}"))
        if concept.subject:
            _sub(entry, "descrip", concept.subject, f"concept {cid!r}", type="subjectField")
        if concept.definition:
            _sub(entry, "descrip", concept.definition, f"concept {cid!r}", type="definition")
        if concept.kind == "dnt":
            _sub(entry, "descrip", "No", type="Translation needed")
        if concept.note:
            _sub(entry, "note", concept.note, f"concept {cid!r}")
        if concept.kind == "name":
            _sub(entry, "note", f"{MARKER_PREFIX} kind=name")
        elif concept.kind not in ("term", "dnt"):
            raise TilmashError(
                f"cannot write TBX: concept {cid!r} has unknown kind {concept.kind!r}")
        for lang in sorted(concept.terms, key=lambda lg: (order.get(lg, len(order)), lg)):
            terms = concept.terms[lang]
            if not terms:
                continue
            lang_set = _sub(entry, "langSet", **{_XML_LANG: _check_text(lang, "language tag")})
            for term in terms:
                what = f"concept {cid!r}, {lang} term {term.text!r}"
                tig = _sub(lang_set, "tig")
                _sub(tig, "term", term.text, what)
                if term.translit:
                    _sub(tig, "termNote", "variant", type="termType")
                try:
                    status = _STATUS_OUT[term.status]
                except KeyError:
                    raise TilmashError(f"cannot write TBX: {what} has unknown status "
                                       f"{term.status!r}") from None
                _sub(tig, "termNote", status, type="administrativeStatus")
                if term.pos:
                    _sub(tig, "termNote", term.pos, what, type="partOfSpeech")
                if term.gender:
                    _sub(tig, "termNote", term.gender, what, type="grammaticalGender")
                if term.note:
                    _sub(tig, "note", term.note, what)
                marker = _term_marker(term, cid)
                if marker:
                    _sub(tig, "note", marker)

    ET.indent(root, space="  ")
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )
    return text.encode("utf-8")
