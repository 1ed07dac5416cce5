"""The human-first YAML glossary files: read with positions, edit surgically, write canonically.

A glossary file is edited by people in a text editor *and* by ``tilmash glossary add/edit/rm``.
Every CLI edit keeps comments, blank lines, key order and the formatting of everything it did
not change byte for byte; the file is never re-serialized as a whole:

* changing a concept rewrites only the lines of the fields and languages that changed (a
  whole concept only when it is written as a flow mapping ``{...}``); comments on untouched
  lines, including the one on the id line, stay;
* removing a concept removes its lines, the comment lines directly above it at its
  indentation (no blank line in between) and the comment lines indented deeper after it;
  comments at the concepts' indentation that are separated by a blank line stay;
* a new concept goes at the end of ``concepts:`` (after the last concept, before any
  comment that follows it at the concepts' indentation), with the file's indentation and,
  if the file separates concepts by blank lines, a blank line;
* an empty (``concepts:``, ``concepts: {}``) or missing ``concepts`` becomes a block
  mapping; so does a flow mapping ``concepts: {a: ...}`` (the one case where existing
  concepts are written anew).

Each edit re-reads the lines it wrote and checks they read back as the concept it was
given; :func:`edit_glossary` also re-reads the whole result before writing it.

The format::

    # Kazakhstan beat glossary — comments are kept by every CLI edit
    version: 1                     # optional; must be 1
    concepts:
      batyrlarga-tagzym:           # the concept id
        kind: name                 # term (default) | name | dnt
        subject: commemorations    # optional
        definition: A march ...    # optional
        note: Replaces the Immortal Regiment in Kazakhstan since 2022.   # optional
        terms:
          kk: Батырларға тағзым            # a plain string = one preferred term
          kk-Latn:
            - Batyrlarğa tağzym            # list items: a string (a preferred term) ...
            - term: Batyrlarǵa taǵzym      # ... or a mapping with attributes
              status: deprecated
              translit: kk-latn-2018
              note: 2018 alphabet
          en:
            - {term: Tribute to Heroes, note: gloss used in brackets}
            - {term: March of Heroes, status: forbidden}

* Top level: ``version`` (optional, must be ``1``) and ``concepts``.  An empty file,
  ``concepts:`` with no value and ``concepts: {}`` are all an empty glossary.
* Concept ids: ``[a-z0-9][a-z0-9._-]*`` (ASCII, at most 200 characters) that YAML reads as
  a string: ``2024``, ``1.5``, ``yes``, ``null`` or ``2024-05-09`` are rejected, because
  other YAML tools would read them as numbers, booleans, nothing or dates.
* Concept keys: ``kind`` (``term`` — the default —, ``name``: a proper name with a fixed
  form per language, ``dnt``: the same form everywhere), ``subject``, ``definition``,
  ``note``, ``terms``.
* ``terms`` maps a language key to its terms.  Language keys are not validated here (``tilmash
  glossary lint`` does that) but must be text: a plain key YAML reads as a boolean, number or
  nothing (``no:``, ``1:``, ``~:``) is rejected; quote it (``"no":``).  The value is one term
  (a string), a list of terms, or a single term mapping.
* A term is a string (a preferred term) or a mapping with ``term`` (required), ``status``
  (``preferred`` | ``admitted`` | ``deprecated`` | ``forbidden``), ``pos`` (``noun``,
  ``verb``, ``adjective``, ``adverb``, ``properNoun``, ``other``), ``gender``
  (``masculine``, ``feminine``, ``neuter``, ``other``), ``note``, ``case-sensitive``
  (``true``/``false``) and ``translit`` (the transliteration scheme that produced it).
* Text values are taken as written: ``note: 2018`` is the text ``2018`` and ``en: no`` the
  text ``no`` (the writer quotes such values so other YAML tools agree); ``~``, ``null`` or
  nothing means "not set".  Text is NFC-normalized when read; a BOM is dropped.
* Not allowed: several ``---`` documents, anchors and aliases (``&a``/``*a``, which also
  stops "billion laughs" alias bombs before anything expands), tags (``!!python/object``),
  duplicate keys, unknown keys, empty term text, duplicate concept ids.  Every error is
  reported as ``file:line: message``.

Canonical output (:func:`dump_concept`, :func:`dump_glossary`, and every entry the CLI
writes) is deterministic: concept keys in the order kind (omitted when ``term``), subject,
definition, note, terms; languages in the concept's order; a language with one bare
preferred term is a plain string, otherwise a block list of strings (bare preferred terms)
and ``{term: ..., status: ...}`` flow mappings (block mappings when longer than 100
characters); term keys in the order term, status, pos, gender, note, case-sensitive,
translit, defaults omitted.  Scalars are plain when YAML reads them back as the same string
(checked by a round trip), otherwise double-quoted; Unicode is written as is, only
non-printable characters are escaped; text always stays on one line.

Layering (:func:`load_layers`): later files add concepts or override earlier ones.  For a
concept id defined in several files, the later file's concept fields that are set win, and
for each language the later file's term list replaces the earlier one;
``concept.location`` (and :func:`defining_file`) names the last file that defined it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from yaml.resolver import Resolver

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
from tilmash.errors import ParseError, TilmashError
from tilmash.fileio import decode_text, read_text, update_text

__all__ = [
    "CONCEPT_KEYS",
    "ID_PATTERN",
    "TERM_KEYS",
    "GlossaryFile",
    "check_concept_id",
    "defining_file",
    "dump_concept",
    "dump_glossary",
    "edit_glossary",
    "load_glossary",
    "load_layers",
    "new_glossary_text",
    "parse_glossary",
]

#: A concept id (it must also be read by YAML as a string; see :func:`check_concept_id`).
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")
_MAX_ID = 200
_MAX_KEY = 1000  # libyaml refuses implicit keys longer than 1024 characters
_TOP_KEYS = ("version", "concepts")
CONCEPT_KEYS = ("kind", "subject", "definition", "note", "terms")
TERM_KEYS = ("term", "status", "pos", "gender", "note", "case-sensitive", "translit")
_FLOW_LIMIT = 100
_MAX_DEPTH = 32

_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"))
_FALSE = frozenset(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"))
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "nothing (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}
_RESOLVER = Resolver()
_BOM = "\ufeff"


# --------------------------------------------------------------------------------------
# A small node tree built from libyaml events (positions kept, nothing resolved).
#
# Scalars are libyaml's ScalarEvent objects themselves (value, style, start_mark, end_mark:
# building one object per scalar would double the time to load a big file); mappings and
# sequences are _Map/_Seq with the same start_mark/end_mark attributes.  Marks are 0-based
# (line, column, character index).

_Scalar: TypeAlias = yaml.ScalarEvent
_Mark: TypeAlias = Any  # yaml.Mark, or libyaml's own Mark type


class _BlockScalar(yaml.ScalarEvent):
    """A ``|``/``>`` scalar, whose end mark lies after its trailing blank lines."""

    last: int


class _Map:
    __slots__ = ("end_mark", "flow", "items", "last", "pending", "start_mark")

    def __init__(self, flow: bool, start_mark: _Mark) -> None:
        self.items: list[tuple[_Node, _Node]] = []
        self.pending: _Node | None = None
        self.flow = flow
        self.start_mark = start_mark
        self.end_mark: _Mark = start_mark
        self.last = start_mark.line


class _Seq:
    __slots__ = ("end_mark", "flow", "items", "last", "start_mark")

    def __init__(self, flow: bool, start_mark: _Mark) -> None:
        self.items: list[_Node] = []
        self.flow = flow
        self.start_mark = start_mark
        self.end_mark: _Mark = start_mark
        self.last = start_mark.line


_Node: TypeAlias = "yaml.ScalarEvent | _Map | _Seq"


def _last(node: _Node) -> int:
    """The 0-based line of the last character of *node*'s content."""
    if node.__class__ is _Scalar:
        return node.end_mark.line  # type: ignore[union-attr,no-any-return]
    return node.last  # type: ignore[union-attr]


def _line(node: _Node) -> int:
    """The 0-based line where *node* starts."""
    return node.start_mark.line  # type: ignore[union-attr,no-any-return]


def _col(node: _Node) -> int:
    """The 0-based column where *node* starts."""
    return node.start_mark.column  # type: ignore[union-attr,no-any-return]


def _index(node: _Node) -> int:
    """The character offset where *node* starts."""
    return node.start_mark.index  # type: ignore[union-attr,no-any-return]


def _end_index(node: _Node) -> int:
    """The character offset just after *node*."""
    return node.end_mark.index  # type: ignore[union-attr,no-any-return]


def _yaml_error(exc: yaml.YAMLError, text: str, path: str | Path, offset: int) -> ParseError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        context = ""
        if exc.context and exc.problem:
            context = f" ({exc.context}"
            start, at = exc.context_mark, exc.problem_mark
            if start is not None and at is not None and start.line != at.line:
                context += f" started at line {start.line + 1 + offset}"
            context += ")"
        line = None if mark is None else mark.line + 1 + offset
        return ParseError(path, line, f"invalid YAML: {problem}{context}")
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1 + offset
        if isinstance(exc.character, int):
            what = f"character U+{exc.character:04X}"
        else:
            what = "character"
        return ParseError(path, line, f"invalid YAML: {what} not allowed ({exc.reason})")
    return ParseError(path, None, f"invalid YAML: {exc}")


def _compose(text: str, path: str | Path, offset: int = 0) -> _Node | None:
    """Build the node tree of *text*; reject anchors, aliases, tags and extra documents."""
    loader = yaml.CSafeLoader(text)
    get_event = loader.get_event
    lines: list[str] | None = None
    stack: list[_Map | _Seq] = []
    top: _Map | _Seq | None = None  # stack[-1]
    root: _Node | None = None
    documents = 0
    scalar_cls, map_cls, seq_cls = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def fail(mark: _Mark, message: str) -> ParseError:
        return ParseError(path, mark.line + 1 + offset, message)

    try:
        while True:
            try:
                event: Any = get_event()
            except yaml.YAMLError as exc:
                raise _yaml_error(exc, text, path, offset) from None
            cls = event.__class__
            node: _Node
            if cls is scalar_cls or cls is map_cls or cls is seq_cls:
                if event.anchor is not None:
                    raise fail(
                        event.start_mark,
                        f"YAML anchors (&{event.anchor}) are not allowed in glossary files",
                    )
                if event.tag is not None:
                    tag = event.tag
                    if tag.startswith("tag:yaml.org,2002:"):
                        tag = "!!" + tag[len("tag:yaml.org,2002:") :]
                    raise fail(
                        event.start_mark, f"YAML tags ({tag}) are not allowed in glossary files"
                    )
                if cls is scalar_cls:
                    node = event
                    if event.style == "|" or event.style == ">":
                        node = _BlockScalar(
                            None,
                            None,
                            event.implicit,
                            event.value,
                            event.start_mark,
                            event.end_mark,
                            event.style,
                        )
                        em = event.end_mark
                        first = _line(event)
                        last = em.line - 1 if em.column == 0 and em.line > first else em.line
                        if lines is None:
                            lines = text.splitlines()
                        header = lines[first][_col(event) :].split("#", 1)[0]
                        if "+" not in header:  # "|+" keeps its trailing blank lines as content
                            while last > first and (last >= len(lines) or not lines[last].strip()):
                                last -= 1
                        node.last = min(last, max(len(lines) - 1, first))
                elif cls is map_cls:
                    node = _Map(bool(event.flow_style), event.start_mark)
                else:
                    node = _Seq(bool(event.flow_style), event.start_mark)
                if top is None:
                    root = node
                elif top.__class__ is _Map:
                    if top.pending is None:  # type: ignore[union-attr]
                        top.pending = node  # type: ignore[union-attr]
                    else:
                        top.items.append((top.pending, node))  # type: ignore[union-attr,arg-type]
                        top.pending = None  # type: ignore[union-attr]
                else:
                    top.items.append(node)  # type: ignore[arg-type]
                if cls is not scalar_cls:
                    stack.append(node)  # type: ignore[arg-type]
                    top = node  # type: ignore[assignment]
                    if len(stack) > _MAX_DEPTH:
                        raise fail(event.start_mark, "structure nested too deeply for a glossary")
            elif cls is map_end or cls is seq_end:
                done = stack.pop()
                top = stack[-1] if stack else None
                done.end_mark = event.end_mark
                if done.flow:
                    done.last = event.end_mark.line
                elif done.items:
                    tail = done.items[-1]
                    done.last = _last(tail[1] if cls is map_end else tail)  # type: ignore[index,arg-type]
            elif cls is yaml.AliasEvent:
                raise fail(
                    event.start_mark,
                    f"YAML aliases (*{event.anchor}) are not allowed in glossary files",
                )
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail(
                        event.start_mark,
                        "a second YAML document (---): a glossary file holds one document",
                    )
            elif cls is yaml.StreamEndEvent:
                break
    finally:
        loader.dispose()
    return root


# --------------------------------------------------------------------------------------
# From nodes to the model


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _is_null(node: _Node) -> bool:
    return isinstance(node, yaml.ScalarEvent) and not node.style and node.value in _NULLS


def _what(node: _Node) -> str:
    if isinstance(node, _Map):
        return "a mapping"
    if isinstance(node, _Seq):
        return "a list"
    assert isinstance(node, yaml.ScalarEvent)
    if _is_null(node):
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"the text {value!r}"


# First characters of the plain scalars YAML 1.1 may resolve to something else than a
# string (bool, int, float, null, timestamp, merge "<<", value "=").
_RESOLVABLE_START = frozenset("yYnNtTfFoO-+0123456789.<~=")


def _yaml_type(value: str) -> str | None:
    """What YAML makes of the plain scalar *value* when it is not a string (else None)."""
    if value and value[0] not in _RESOLVABLE_START:
        return None
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return None
    return _TAG_NAMES.get(tag, "not a string")


def check_concept_id(concept_id: object) -> str | None:
    """Why *concept_id* is not a valid concept id, or None when it is."""
    if not isinstance(concept_id, str):
        return "a concept id must be text"
    if not ID_PATTERN.fullmatch(concept_id):
        return (
            f"invalid concept id {concept_id!r}: ids are lower-case ASCII letters, digits, "
            "'.', '_' and '-', starting with a letter or a digit"
        )
    if len(concept_id) > _MAX_ID:
        return f"concept id too long ({len(concept_id)} characters; at most {_MAX_ID})"
    kind = _yaml_type(concept_id)
    if kind is not None:
        return f"invalid concept id {concept_id!r}: YAML reads it as {kind}; choose another id"
    return None


def _in(cid: str, lang: str | None = None) -> str:
    """'concept 'x'' or 'concept 'x', language 'kk'' for messages."""
    return f"concept {cid!r}" if lang is None else f"concept {cid!r}, language {lang!r}"


class _Reader:
    """Turns nodes into model objects; errors name the file and the absolute line.

    This is the hot path of loading a big glossary: messages are formatted only on errors.
    """

    def __init__(self, path: str, offset: int = 0) -> None:
        self.path = path
        self.offset = offset

    def fail(self, node: _Node, message: str) -> ParseError:
        return ParseError(self.path, _line(node) + 1 + self.offset, message)

    def loc(self, node: _Node) -> Location:
        return Location(self.path, _line(node) + 1 + self.offset)

    def items(
        self, node: _Map, where: str, allowed: tuple[str, ...] | None, what: str = "key"
    ) -> list[tuple[str, _Scalar, _Node]]:
        seen: dict[str, _Scalar] = {}
        out: list[tuple[str, _Scalar, _Node]] = []
        for key, value in node.items:
            if key.__class__ is not _Scalar and not isinstance(key, yaml.ScalarEvent):
                raise self.fail(key, f"{where}: a key must be text, not {_what(key)}")
            name = key.value  # type: ignore[union-attr]
            if allowed is not None and name not in allowed:
                raise self.fail(
                    key, f"unknown key {name!r} in {where}; allowed keys: {', '.join(allowed)}"
                )
            if name in seen:
                first = _line(seen[name]) + 1 + self.offset
                raise self.fail(
                    key, f"duplicate {what} {name!r} in {where} (first at line {first})"
                )
            seen[name] = key  # type: ignore[assignment]
            out.append((name, key, value))  # type: ignore[arg-type]
        return out

    def opt_text(self, node: _Node, where: str) -> str | None:
        if not isinstance(node, yaml.ScalarEvent):
            raise self.fail(node, f"{where} must be text, not {_what(node)}")
        if not node.style and node.value in _NULLS:
            return None
        return _nfc(node.value)

    def choice(self, node: _Node, where: str, allowed: tuple[str, ...]) -> str | None:
        if not isinstance(node, yaml.ScalarEvent):
            raise self.fail(node, f"{where} must be one of {', '.join(allowed)}, not {_what(node)}")
        if node.value in allowed:
            return node.value
        if not node.style and node.value in _NULLS:
            return None
        raise self.fail(node, f"invalid {where} {node.value!r} (allowed: {', '.join(allowed)})")

    def flag(self, node: _Node, where: str) -> bool | None:
        if isinstance(node, yaml.ScalarEvent) and not node.style:
            if node.value in _TRUE:
                return True
            if node.value in _FALSE:
                return False
            if node.value in _NULLS:
                return None
        raise self.fail(node, f"{where} must be true or false, not {_what(node)}")

    def term(self, node: _Scalar, cid: str, lang: str) -> Term:
        """A term written as a bare string."""
        text = node.value
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        if not text.strip() or (not node.style and text in _NULLS):
            raise self.fail(node, f"empty term text in {_in(cid, lang)}")
        return Term(text, location=Location(self.path, _line(node) + 1 + self.offset))

    def term_map(self, node: _Map, cid: str, lang: str) -> Term:
        where = f"a term of {_in(cid, lang)}"
        fields = {name: value for name, _key, value in self.items(node, where, TERM_KEYS)}
        if "term" not in fields:
            raise self.fail(node, f"{where} has no 'term' key")
        text_node = fields["term"]
        if not isinstance(text_node, yaml.ScalarEvent):
            raise self.fail(
                text_node, f"'term' in {_in(cid, lang)} must be text, not {_what(text_node)}"
            )
        term = self.term(text_node, cid, lang)
        term.location = self.loc(node)
        for name, value in fields.items():
            if name == "status":
                term.status = self.choice(value, "status", STATUSES) or "preferred"
            elif name == "pos":
                term.pos = self.choice(value, "pos", PARTS_OF_SPEECH)
            elif name == "gender":
                term.gender = self.choice(value, "gender", GENDERS)
            elif name == "note":
                term.note = self.opt_text(value, f"'note' of {where}")
            elif name == "case-sensitive":
                term.case_sensitive = bool(self.flag(value, "case-sensitive"))
            elif name == "translit":
                term.translit = self.opt_text(value, f"'translit' of {where}")
        return term

    def terms(self, node: _Node, cid: str, lang: str) -> list[Term]:
        if isinstance(node, yaml.ScalarEvent):
            if not node.style and node.value in _NULLS:
                raise self.fail(
                    node, f"no terms for {_in(cid, lang)}: write a term or remove the line"
                )
            return [self.term(node, cid, lang)]
        if isinstance(node, _Map):
            return [self.term_map(node, cid, lang)]
        if not node.items:
            raise self.fail(node, f"no terms for {_in(cid, lang)}: write a term or remove the line")
        out = []
        for item in node.items:
            if isinstance(item, yaml.ScalarEvent):
                out.append(self.term(item, cid, lang))
            elif isinstance(item, _Map):
                out.append(self.term_map(item, cid, lang))
            else:
                raise self.fail(
                    item,
                    f"a term of {_in(cid, lang)} must be text or a mapping with 'term', not a list",
                )
        return out

    def concept(self, key: _Scalar, node: _Node) -> tuple[Concept, frozenset[str]]:
        cid = _nfc(key.value)
        problem = check_concept_id(cid)
        if problem is not None:
            raise self.fail(key, problem)
        concept = Concept(cid, location=self.loc(key))
        if isinstance(node, yaml.ScalarEvent) and not node.style and node.value in _NULLS:
            raise self.fail(
                node, f"{_in(cid)} is empty: give it at least terms (or write {{}} for none yet)"
            )
        if not isinstance(node, _Map):
            raise self.fail(
                node,
                f"{_in(cid)} must be a mapping with the keys {', '.join(CONCEPT_KEYS)}, "
                f"not {_what(node)}",
            )
        explicit = set()
        for name, _k, value in self.items(node, _in(cid), CONCEPT_KEYS):
            if name == "terms":
                if _is_null(value):
                    continue
                if not isinstance(value, _Map):
                    raise self.fail(
                        value,
                        f"'terms' of {_in(cid)} must be a mapping of languages to terms, "
                        f"not {_what(value)}",
                    )
                terms = concept.terms
                langs: dict[str, _Scalar] = {}
                for lang_raw, lkey, lvalue in self.items(value, f"'terms' of {_in(cid)}", None):
                    lang = _nfc(lang_raw)
                    if not lang.strip():
                        raise self.fail(lkey, f"empty language key in {_in(cid)}")
                    if not lkey.style:
                        kind_of = _yaml_type(lang_raw)
                        if kind_of is not None:
                            raise self.fail(
                                lkey,
                                f"language key {lang_raw!r} in {_in(cid)} is read by YAML as "
                                f'{kind_of}; quote it: "{lang_raw}"',
                            )
                    if lang in langs:
                        first = _line(langs[lang]) + 1 + self.offset
                        raise self.fail(
                            lkey,
                            f"duplicate language {lang!r} in {_in(cid)} (first at line {first})",
                        )
                    langs[lang] = lkey
                    terms[lang] = self.terms(lvalue, cid, lang)
                explicit.add(name)
            elif name == "kind":
                kind = self.choice(value, "kind", KINDS)
                if kind is not None:
                    concept.kind = kind
                    explicit.add(name)
            else:
                text = self.opt_text(value, f"'{name}' of {_in(cid)}")
                if text is not None:
                    setattr(concept, name, text)
                    explicit.add(name)
        return concept, frozenset(explicit)


@dataclass
class _Entry:
    """Where a concept sits in a block ``concepts:`` mapping (0-based lines)."""

    key_line: int
    col: int
    content_end: int


@dataclass
class _Parsed:
    glossary: Glossary
    explicit: dict[str, frozenset[str]]
    #: the concepts in file order with their positions, when ``concepts:`` is a block mapping
    entries: dict[str, _Entry] | None
    concepts_line: int | None
    style: _Style


@dataclass(frozen=True)
class _Style:
    col: int = 2  # column of the concept ids
    step: int = 2  # indentation step inside a concept
    seq: int = 2  # offset of a term list's "-" from its language key


def _find_concepts(root: _Node | None, reader: _Reader) -> tuple[_Scalar | None, _Node | None]:
    """The ``concepts`` key and value of the top-level mapping (validating the top level)."""
    if root is None or _is_null(root):
        return None, None
    if not isinstance(root, _Map):
        raise reader.fail(
            root,
            f"a glossary file is a mapping with the keys version and concepts, not {_what(root)}",
        )
    ckey: _Scalar | None = None
    cvalue: _Node | None = None
    for name, key, value in reader.items(root, "the top level", _TOP_KEYS):
        if name == "version":
            if not (isinstance(value, yaml.ScalarEvent) and not value.style and value.value == "1"):
                raise reader.fail(value, f"version must be 1, not {_what(value)}")
        else:
            ckey, cvalue = key, value
    if cvalue is not None and not _is_null(cvalue) and not isinstance(cvalue, _Map):
        raise reader.fail(
            cvalue, f"concepts must be a mapping of concept ids to concepts, not {_what(cvalue)}"
        )
    return ckey, cvalue


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a big file's tree has hundreds of thousands of
    objects and no cycles, and repeated full collections would triple the load time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, path: str | Path) -> _Parsed:
    with _gc_paused():
        return _parse_text(text, path)


def _parse_text(text: str, path: str | Path) -> _Parsed:
    if text.startswith(_BOM):
        text = text[1:]
    reader = _Reader(str(path))
    root = _compose(text, path)
    ckey, cvalue = _find_concepts(root, reader)
    glossary = Glossary()
    explicit: dict[str, frozenset[str]] = {}
    entries: dict[str, _Entry] | None = None
    style = _Style()
    if isinstance(cvalue, _Map):
        block = not cvalue.flow and bool(cvalue.items)
        entries = {} if block else None
        seen: dict[str, int] = {}
        step = seq = None
        col = _col(cvalue)
        for _raw, key, value in reader.items(cvalue, "concepts", None, "concept id"):
            concept, fields = reader.concept(key, value)
            if concept.id in seen:
                raise reader.fail(
                    key, f"duplicate concept id {concept.id!r} (first at line {seen[concept.id]})"
                )
            seen[concept.id] = _line(key) + 1
            glossary.concepts[concept.id] = concept
            explicit[concept.id] = fields
            if entries is not None:
                entries[concept.id] = _Entry(_line(key), col, max(_last(key), _last(value)))
                if (
                    step is None
                    and isinstance(value, _Map)
                    and not value.flow
                    and _line(value) > _line(key)
                ):
                    step = _col(value.items[0][0]) - col
                if seq is None and isinstance(value, _Map):
                    seq = _seq_offset(value)
        if block:
            step = step if step and step > 0 else (col or 2)
            style = _Style(col, step, step if seq is None else seq)
    return _Parsed(
        glossary,
        explicit,
        entries,
        None if ckey is None else _line(ckey),
        style,
    )


def _block_seq_offset(key: _Node, value: _Node) -> int | None:
    """How far a block list's "-" sits right of its key (None: not a block list)."""
    if isinstance(value, _Seq) and not value.flow and _line(value) > _line(key):
        return _col(value) - _col(key)
    return None


def _seq_offset_in(terms_node: _Map) -> int | None:
    """The list offset used by the first block term list of a ``terms`` mapping."""
    for lkey, lvalue in terms_node.items:
        offset = _block_seq_offset(lkey, lvalue)
        if offset is not None:
            return offset
    return None


def _seq_offset(concept_node: _Map) -> int | None:
    """The list offset used by a concept's term lists, if it has a block list."""
    for key, value in concept_node.items:
        if isinstance(key, yaml.ScalarEvent) and key.value == "terms" and isinstance(value, _Map):
            return _seq_offset_in(value)
    return None


# --------------------------------------------------------------------------------------
# From the model to canonical text


_PLAIN_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = re.compile(r"[,?\[\]{}]")


def _events_plain(doc: str) -> list[tuple[type, str | None, bool]] | None:
    loader = yaml.CSafeLoader(doc)
    out: list[tuple[type, str | None, bool]] = []
    try:
        while True:
            event: Any = loader.get_event()
            cls = event.__class__
            if cls is yaml.StreamEndEvent:
                return out
            if cls is yaml.ScalarEvent:
                out.append((cls, event.value, not event.style and event.tag is None))
            elif cls not in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent):
                out.append((cls, None, False))
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


@functools.lru_cache(maxsize=1 << 16)
def _plain_ok(text: str, flow: bool = False, key: bool = False) -> bool:
    """True when *text* can be written as a plain scalar and YAML reads back the same string.

    *flow*: inside ``{...}``; *key*: as a mapping key.  Cheap tests first, then a round trip.
    """
    if (
        not text
        or (key and len(text) > _MAX_KEY)
        or not text.isprintable()
        or text[0] in _PLAIN_BAD_START
        or text[0] == " "
        or text[-1] in " :"
        or ": " in text
        or " #" in text
        or (flow and (_FLOW_CHARS.search(text) is not None or ":" in text))
        or _yaml_type(text) is not None
    ):
        return False
    s, m, e = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
    qs, qe = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    if flow:
        got = _events_plain(f"- {{k: {text}}}\n")
        want = [
            (qs, None, False),
            (m, None, False),
            (s, "k", True),
            (s, text, True),
            (e, None, False),
            (qe, None, False),
        ]
    elif key:
        got = _events_plain(f"{text}: v\n")
        want = [(m, None, False), (s, text, True), (s, "v", True), (e, None, False)]
    else:
        got = _events_plain(f"- {text}\n- k: {text}\n")
        want = [
            (qs, None, False),
            (s, text, True),
            (m, None, False),
            (s, "k", True),
            (s, text, True),
            (e, None, False),
            (qe, None, False),
        ]
    return got == want


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}


def _quote(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            if code < 0x100:
                out.append(f"\\x{code:02X}")
            elif code < 0x10000:
                out.append(f"\\u{code:04X}")
            else:
                out.append(f"\\U{code:08X}")
    out.append('"')
    return "".join(out)


def _scalar(text: str, flow: bool = False, key: bool = False) -> str:
    return text if _plain_ok(text, flow, key) else _quote(text)


def _bare(term: Term) -> bool:
    return (
        term.status == "preferred"
        and term.pos is None
        and term.gender is None
        and term.note is None
        and not term.case_sensitive
        and term.translit is None
    )


def _term_pairs(term: Term, flow: bool) -> list[tuple[str, str]]:
    pairs = [("term", _scalar(term.text, flow))]
    if term.status != "preferred":
        pairs.append(("status", term.status))
    if term.pos is not None:
        pairs.append(("pos", term.pos))
    if term.gender is not None:
        pairs.append(("gender", term.gender))
    if term.note is not None:
        pairs.append(("note", _scalar(term.note, flow)))
    if term.case_sensitive:
        pairs.append(("case-sensitive", "true"))
    if term.translit is not None:
        pairs.append(("translit", _scalar(term.translit, flow)))
    return pairs


def _lang_lines(lang: str, terms: list[Term], col: int, style: _Style) -> list[str]:
    pad = " " * col
    key = _scalar(lang, key=True)
    if len(terms) == 1 and _bare(terms[0]):
        return [f"{pad}{key}: {_scalar(terms[0].text)}"]
    lines = [f"{pad}{key}:"]
    dash = " " * (col + style.seq)
    for term in terms:
        if _bare(term):
            lines.append(f"{dash}- {_scalar(term.text)}")
            continue
        flow = "{" + ", ".join(f"{k}: {v}" for k, v in _term_pairs(term, True)) + "}"
        if len(flow) <= _FLOW_LIMIT:
            lines.append(f"{dash}- {flow}")
        else:
            pairs = _term_pairs(term, False)
            lines.append(f"{dash}- {pairs[0][0]}: {pairs[0][1]}")
            lines.extend(f"{dash}  {k}: {v}" for k, v in pairs[1:])
    return lines


def _field_blocks(concept: Concept, col: int, style: _Style) -> dict[str, list[str]]:
    """The lines of each non-default concept field, keyed by field, in canonical order."""
    pad = " " * col
    out: dict[str, list[str]] = {}
    if concept.kind != "term":
        out["kind"] = [f"{pad}kind: {concept.kind}"]
    for name in ("subject", "definition", "note"):
        value = getattr(concept, name)
        if value is not None:
            out[name] = [f"{pad}{name}: {_scalar(value)}"]
    langs = [(lang, terms) for lang, terms in concept.terms.items() if terms]
    if langs:
        lines = [f"{pad}terms:"]
        for lang, terms in langs:
            lines.extend(_lang_lines(lang, terms, col + style.step, style))
        out["terms"] = lines
    return out


def _concept_lines(concept: Concept, style: _Style) -> list[str]:
    blocks = _field_blocks(concept, style.col + style.step, style)
    pad = " " * style.col
    if not blocks:
        return [f"{pad}{concept.id}: {{}}"]
    lines = [f"{pad}{concept.id}:"]
    for block in blocks.values():
        lines.extend(block)
    return lines


def _normalized(concept: Concept, where: str) -> Concept:
    """An NFC copy of *concept* without empty languages, checked for writing."""

    def fail(message: str) -> TilmashError:
        return TilmashError(f"{where}cannot write concept {concept.id!r}: {message}")

    problem = check_concept_id(concept.id)
    if problem is not None:
        raise TilmashError(f"{where}{problem}")
    if concept.kind not in KINDS:
        raise fail(f"invalid kind {concept.kind!r} (allowed: {', '.join(KINDS)})")
    for name in ("subject", "definition", "note"):
        value = getattr(concept, name)
        if value is not None and not isinstance(value, str):
            raise fail(f"{name} must be text")
    terms: dict[str, list[Term]] = {}
    for lang, items in concept.terms.items():
        if not isinstance(lang, str) or not lang.strip():
            raise fail(f"invalid language key {lang!r}")
        if len(lang) > _MAX_KEY or any(ch in lang for ch in "\r\n\x85\u2028\u2029"):
            raise fail(f"invalid language key {lang!r}")
        copies = []
        for term in items:
            if not isinstance(term.text, str) or not term.text.strip():
                raise fail(f"empty term text in language {lang!r}")
            if term.status not in STATUSES:
                raise fail(f"invalid status {term.status!r} (allowed: {', '.join(STATUSES)})")
            if term.pos is not None and term.pos not in PARTS_OF_SPEECH:
                raise fail(f"invalid pos {term.pos!r} (allowed: {', '.join(PARTS_OF_SPEECH)})")
            if term.gender is not None and term.gender not in GENDERS:
                raise fail(f"invalid gender {term.gender!r} (allowed: {', '.join(GENDERS)})")
            for name in ("note", "translit"):
                if getattr(term, name) is not None and not isinstance(getattr(term, name), str):
                    raise fail(f"a term's {name} must be text")
            copies.append(
                Term(
                    _nfc(term.text),
                    term.status,
                    term.pos,
                    term.gender,
                    None if term.note is None else _nfc(term.note),
                    bool(term.case_sensitive),
                    None if term.translit is None else _nfc(term.translit),
                    location=term.location,
                )
            )
        if copies:
            key = _nfc(lang)
            if key in terms:
                raise fail(f"language {key!r} appears twice")
            terms[key] = copies
    return Concept(
        concept.id,
        concept.kind,
        None if concept.subject is None else _nfc(concept.subject),
        None if concept.definition is None else _nfc(concept.definition),
        None if concept.note is None else _nfc(concept.note),
        terms,
        location=concept.location,
    )


def dump_concept(concept: Concept, indent: int = 2) -> str:
    """The canonical YAML of one entry of ``concepts:``, its id at column *indent*.

    Nested levels are indented by *indent* spaces (2 when *indent* is 0), so the default
    fits under a ``concepts:`` line and ``indent=0`` gives a stand-alone mapping.
    """
    c = _normalized(concept, "")
    step = indent or 2
    return "\n".join(_concept_lines(c, _Style(indent, step, step))) + "\n"


def dump_glossary(glossary: Glossary, header: str | None = None) -> str:
    """A whole glossary file in canonical form (each *header* line becomes a comment line)."""
    lines: list[str] = []
    if header:
        lines.extend(f"# {line}".rstrip() for line in header.splitlines())
    lines.append("version: 1")
    lines.append("concepts:")
    style = _Style()
    for i, concept in enumerate(glossary):
        if i:
            lines.append("")
        lines.extend(_concept_lines(_normalized(concept, ""), style))
    return "\n".join(lines) + "\n"


def new_glossary_text() -> str:
    """The text of a new, empty glossary file."""
    return dump_glossary(
        Glossary(),
        header=(
            "tilmash glossary: concepts and their terms in each language.\n"
            "Edit by hand or with `tilmash glossary add/edit/rm`; comments are kept."
        ),
    )


# --------------------------------------------------------------------------------------
# Surgical editing


def _is_blank(line: str) -> bool:
    return not line.strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _is_comment(line: str) -> bool:
    return line.lstrip(" \t").startswith("#")


def _lead(lines: Sequence[str], key_line: int, col: int, stop: int = 0) -> int:
    """First line of the comment lines directly above *key_line* at the key's column."""
    start = key_line
    while start > stop and _is_comment(lines[start - 1]) and _indent(lines[start - 1]) == col:
        start -= 1
    return start


def _trail(lines: Sequence[str], content_end: int, col: int) -> int:
    """Last line owned by an entry: its content and the deeper-indented comments after it."""
    end = content_end
    i = content_end + 1
    while i < len(lines):
        line = lines[i]
        if _is_blank(line):
            i += 1
            continue
        if _is_comment(line) and _indent(line) > col:
            end = i
            i += 1
            continue
        break
    return end


_Edit = tuple[int, int, list[str]]


def _apply(lines: Sequence[str], edits: Iterable[_Edit], nl: str) -> list[str] | None:
    """Replace line ranges ``[start, end)`` with new lines (given without line endings)."""
    out: list[str] = []
    pos = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            return None
        out.extend(lines[pos:start])
        if new and out and not out[-1].endswith(("\n", "\r")):
            out[-1] += nl
        out.extend(line + nl for line in new)
        pos = end
    rest = lines[pos:]
    if rest and out and not out[-1].endswith(("\n", "\r")):
        out[-1] += nl
    out.extend(rest)
    return out


def _same_concept(a: Concept, b: Concept) -> bool:
    return a == b and list(a.terms) == list(b.terms)


def _same_glossary(a: Glossary, b: Glossary) -> bool:
    if list(a.concepts) != list(b.concepts):
        return False
    return all(_same_concept(a.concepts[k], b.concepts[k]) for k in a.concepts)


def _first_diff(a: Glossary, b: Glossary) -> str:
    for cid in dict.fromkeys([*a.concepts, *b.concepts]):
        x, y = a.concepts.get(cid), b.concepts.get(cid)
        if x is None or y is None or not _same_concept(x, y):
            return cid
    return "(order)"


class GlossaryFile:
    """A glossary file's text and model, edited in place with :meth:`set_concept` and
    :meth:`remove_concept`; :meth:`render` gives the text to write."""

    def __init__(self, path: str | Path, text: str) -> None:
        if text.startswith(_BOM):
            text = text[1:]
        self.path = Path(path)
        self._label = str(path)
        self._glossary = Glossary()
        self._adopt(text, _parse(text, path))

    # -- state ---------------------------------------------------------------------------

    def _adopt(self, text: str, parsed: _Parsed) -> None:
        self._lines: list[str] = text.splitlines(keepends=True)
        self._text: str | None = text
        self._entries = parsed.entries
        self._concepts_line = parsed.concepts_line
        self._style = parsed.style
        first = self._lines[0] if self._lines else ""
        self._nl = "\r\n" if first.endswith("\r\n") else "\n"
        # the same Glossary object all along: callers may hold on to gf.glossary
        self._glossary.concepts.clear()
        self._glossary.concepts.update(parsed.glossary.concepts)

    @property
    def glossary(self) -> Glossary:
        """The concepts of the file as they are now (keep using :meth:`set_concept` to change them)."""
        return self._glossary

    @property
    def text(self) -> str:
        """The current text of the file."""
        if self._text is None:
            self._text = "".join(self._lines)
        return self._text

    def render(self) -> str:
        """The current text of the file."""
        return self.text

    def _where(self) -> str:
        return f"{self._label}: "

    # -- public edits --------------------------------------------------------------------

    def set_concept(self, concept: Concept) -> None:
        """Replace the concept with *concept*'s id (only its changed lines), or append it."""
        new = _normalized(concept, self._where())
        if self._entries is not None:
            entry = self._entries.get(new.id)
            if entry is not None and self._replace_in_place(entry, new):
                return
            if entry is None and self._append(new):
                return
        self._set_by_reparse(new)

    def remove_concept(self, concept_id: str) -> None:
        """Remove a concept's lines and the comment lines directly above it."""
        if concept_id not in self._glossary.concepts:
            raise TilmashError(f"{self._label}: no concept {concept_id!r}")
        if self._entries is None:
            expected = Glossary(
                {k: c for k, c in self._glossary.concepts.items() if k != concept_id}
            )
            self._rewrite_concepts(expected)
            return
        ids = list(self._entries)
        index = ids.index(concept_id)
        entry = self._entries[concept_id]
        lines = self._lines
        stop = self._concepts_line + 1 if self._concepts_line is not None else 0
        start = _lead(lines, entry.key_line, entry.col, stop)
        end = _trail(lines, entry.content_end, entry.col) + 1
        if (
            end < len(lines)
            and _is_blank(lines[end])
            and (index == 0 or (start > 0 and _is_blank(lines[start - 1])))
        ):
            end += 1
        self._splice(start, end, [], index + 1)
        del self._entries[concept_id]
        del self._glossary.concepts[concept_id]
        if not self._entries:
            self._entries = None  # "concepts:" is now empty: later edits take the slow path

    # -- fast paths: edit the lines, re-parse only the concept's lines -------------------

    def _splice(self, start: int, end: int, new_lines: list[str], first_after: int) -> None:
        """Replace lines ``[start, end)`` (new lines with endings); shift later concepts."""
        delta = len(new_lines) - (end - start)
        self._lines[start:end] = new_lines
        self._text = None
        if delta and self._entries is not None:
            concepts = self._glossary.concepts
            with _gc_paused():
                for cid, entry in itertools.islice(self._entries.items(), first_after, None):
                    entry.key_line += delta
                    entry.content_end += delta
                    _shift_locations(concepts[cid], delta)

    def _check_snippet(
        self, lines: list[str], expected: Concept, offset: int, col: int
    ) -> tuple[Concept, int] | None:
        """Parse one concept entry's lines on their own: the concept and the (relative)
        line of its last content, when it reads back as *expected*.

        The lines must also sit inside the ``concepts:`` mapping, whose keys are at column
        *col*: the key first at *col*, every other non-comment line further right.
        """
        if not _nested_under(lines, col):
            return None
        text = "".join(lines)
        try:
            root = _compose(text, self._label, offset)
            if not isinstance(root, _Map) or root.flow or len(root.items) != 1:
                return None
            key, value = root.items[0]
            if (
                not isinstance(key, yaml.ScalarEvent)
                or _line(key) != 0
                or (col >= 0 and _col(key) != col)
            ):
                return None
            concept, _ = _Reader(self._label, offset).concept(key, value)
        except ParseError:
            return None
        if not _same_concept(concept, expected):
            return None
        return concept, max(_last(key), _last(value))

    def _replace_in_place(self, entry: _Entry, new: Concept) -> bool:
        start, end = entry.key_line, entry.content_end + 1
        old_lines = self._lines[start:end]
        candidates: list[list[str]] = [old_lines]  # unchanged: nothing to write
        patched = self._patch(old_lines, new, entry.key_line)
        if patched is not None:
            candidates.append(patched)
        style = _Style(entry.col, self._style.step, self._style.seq)
        candidates.append([line + self._nl for line in _concept_lines(new, style)])
        for lines in candidates:
            # the old lines are where they belong, whatever their layout
            checked = self._check_snippet(
                lines, new, start, entry.col if lines is not old_lines else -1
            )
            if checked is None:
                continue
            parsed, last = checked
            if lines is not old_lines:
                assert self._entries is not None
                self._splice(start, end, lines, list(self._entries).index(new.id) + 1)
            entry.content_end = start + last
            self._glossary.concepts[new.id] = parsed
            return True
        return False

    def _patch(self, lines: list[str], new: Concept, offset: int) -> list[str] | None:
        """Rewrite only the changed fields / languages of a block-mapping concept."""
        try:
            root = _compose("".join(lines), self._label, offset)
        except ParseError:
            return None
        if not isinstance(root, _Map) or len(root.items) != 1:
            return None
        key, value = root.items[0]
        if not isinstance(key, yaml.ScalarEvent) or not isinstance(value, _Map):
            return None
        if value.flow or not value.items or _line(value) <= _line(key):
            return None
        try:
            old, _ = _Reader(self._label, offset).concept(key, value)
        except ParseError:
            return None
        fcol = _col(value.items[0][0])
        seq = _seq_offset(value)
        style = _Style(
            _col(key),
            fcol - _col(key),
            self._style.seq if seq is None else seq,
        )
        blocks = _field_blocks(new, fcol, style)
        fields = {k.value: (k, v) for k, v in value.items if isinstance(k, yaml.ScalarEvent)}
        edits: list[_Edit] = []
        for name in CONCEPT_KEYS:
            if name == "terms":
                if _same_terms(old.terms, new.terms):
                    continue
            elif getattr(old, name) == getattr(new, name):
                continue
            if name in fields:
                k, v = fields[name]
                content_end = max(_last(k), _last(v))
                if name == "terms" and name in blocks:
                    sub = _patch_terms(lines, k, v, old.terms, new.terms, style)
                    if sub is not None:
                        edits.extend(sub)
                        continue
                if name in blocks:
                    edits.append((_line(k), content_end + 1, blocks[name]))
                else:
                    start = _lead(lines, _line(k), fcol, _line(key) + 1)
                    edits.append((start, _trail(lines, content_end, fcol) + 1, []))
            elif name in blocks:
                before = [f for f in CONCEPT_KEYS[: CONCEPT_KEYS.index(name)] if f in fields]
                if before:
                    k, v = fields[before[-1]]
                    pos = _trail(lines, max(_last(k), _last(v)), fcol) + 1
                else:
                    pos = _lead(lines, _line(value.items[0][0]), fcol, _line(key) + 1)
                edits.append((pos, pos, blocks[name]))
        return _apply(lines, edits, self._nl)

    def _append(self, new: Concept) -> bool:
        assert self._entries is not None
        entries = list(self._entries.values())
        lines = self._lines
        last = entries[-1]
        pos = _trail(lines, last.content_end, last.col) + 1
        separate = True
        if len(entries) >= 2:
            prev = entries[-2]
            gap_from = _trail(lines, prev.content_end, prev.col) + 1
            separate = any(_is_blank(lines[i]) for i in range(gap_from, last.key_line))
        style = _Style(last.col, self._style.step, self._style.seq)
        block = [line + self._nl for line in _concept_lines(new, style)]
        key_line = pos + (1 if separate else 0)
        checked = self._check_snippet(block, new, key_line, last.col)
        if checked is None:
            return False
        parsed, content_end = checked
        insert = ([self._nl] if separate else []) + block
        if pos > 0 and not lines[pos - 1].endswith(("\n", "\r")):
            lines[pos - 1] += self._nl
        self._splice(pos, pos, insert, len(entries))
        self._entries[new.id] = _Entry(key_line, last.col, key_line + content_end)
        self._glossary.concepts[new.id] = parsed
        return True

    # -- slow paths: rewrite around the whole tree, re-parse the whole file --------------

    def _set_by_reparse(self, new: Concept) -> None:
        concepts = dict(self._glossary.concepts)
        concepts[new.id] = new
        expected = Glossary(concepts)
        text = self.text
        reader = _Reader(self._label)
        root = _compose(text, self._label)
        ckey, cvalue = _find_concepts(root, reader)
        lines = self._lines
        new_lines: list[str] | None = None
        if isinstance(cvalue, _Map) and not cvalue.flow and cvalue.items:
            col = _col(cvalue)
            style = _Style(col, self._style.step, self._style.seq)
            block = _concept_lines(new, style)
            for k, v in cvalue.items:
                if isinstance(k, yaml.ScalarEvent) and _nfc(k.value) == new.id:
                    new_lines = _apply(
                        lines, [(_line(k), max(_last(k), _last(v)) + 1, block)], self._nl
                    )
                    break
            else:
                k, v = cvalue.items[-1]
                pos = _trail(lines, max(_last(k), _last(v)), col) + 1
                new_lines = _apply(lines, [(pos, pos, ["", *block])], self._nl)
        if new_lines is None:
            self._rewrite_concepts(expected, root=root, ckey=ckey, cvalue=cvalue)
            return
        self._adopt_checked("".join(new_lines), expected)

    def _rewrite_concepts(
        self,
        expected: Glossary,
        *,
        root: _Node | None = None,
        ckey: _Scalar | None = None,
        cvalue: _Node | None = None,
    ) -> None:
        """Write ``concepts:`` as a block mapping holding *expected* (when it was empty,
        missing or a flow mapping ``{...}``); the rest of the file is kept."""
        text = self.text
        if root is None:
            root = _compose(text, self._label)
            ckey, cvalue = _find_concepts(root, _Reader(self._label))
        nl = self._nl
        block: list[str] = []
        if ckey is not None:
            style = _Style(_col(ckey) + 2, 2, 2)
        elif isinstance(root, _Map) and root.items:
            style = _Style(_col(root.items[0][0]) + 2, 2, 2)
        else:
            style = _Style()
        for i, concept in enumerate(expected):
            if i:
                block.append("")
            block.extend(_concept_lines(concept, style))
        body = "".join(line + nl for line in block)
        if ckey is not None and cvalue is not None:
            # drop the old value ("", "~", "{}", "{a: ...}"), keep a comment after it
            head, tail = text[: _index(cvalue)], text[_end_index(cvalue) :]
            eol = next((i for i, ch in enumerate(tail) if ch in "\r\n"), len(tail))
            line_rest, after = tail[:eol], tail[eol:]
            newline = after[:2] if after.startswith("\r\n") else after[:1]
            after = after[len(newline) :]
            value = " {}" if not block else ""
            new_text = head.rstrip(" \t") + value + line_rest + (newline or nl) + body + after
        else:
            text_nl = text if not text or text.endswith(("\n", "\r")) else text + nl
            pad = " " * (style.col - 2)
            new_text = text_nl + f"{pad}concepts:" + (nl + body if block else " {}" + nl)
        self._adopt_checked(new_text, expected)

    def _adopt_checked(self, new_text: str, expected: Glossary) -> None:
        try:
            parsed = _parse(new_text, self._label)
        except ParseError as exc:
            raise TilmashError(
                f"{self._label}: cannot edit this file safely ({exc}); change it by hand"
            ) from None
        if not _same_glossary(parsed.glossary, expected):
            raise TilmashError(
                f"{self._label}: cannot edit this file safely (concept "
                f"{_first_diff(parsed.glossary, expected)!r} would not read back as written); "
                "change it by hand"
            )
        self._adopt(new_text, parsed)


def _nested_under(lines: list[str], col: int) -> bool:
    """True when *lines* start at column *col* and every later content line is indented
    further (so they stay one entry of a block mapping at *col*); col -1: no check."""
    if col < 0:
        return True
    if not lines or _indent(lines[0]) != col or _is_comment(lines[0]):
        return False
    return all(_is_blank(line) or _is_comment(line) or _indent(line) > col for line in lines[1:])


def _same_terms(a: dict[str, list[Term]], b: dict[str, list[Term]]) -> bool:
    return a == b and list(a) == list(b)


def _patch_terms(
    lines: list[str],
    tkey: _Scalar,
    tvalue: _Node,
    old: dict[str, list[Term]],
    new: dict[str, list[Term]],
    style: _Style,
) -> list[_Edit] | None:
    if (
        not isinstance(tvalue, _Map)
        or tvalue.flow
        or not tvalue.items
        or _line(tvalue) <= _line(tkey)
    ):
        return None
    lcol = _col(tvalue.items[0][0])
    seq = _seq_offset_in(tvalue)
    lstyle = _Style(style.col, lcol - _col(tkey), style.seq if seq is None else seq)
    present: dict[str, tuple[_Node, _Node]] = {}
    for k, v in tvalue.items:
        if not isinstance(k, yaml.ScalarEvent):
            return None
        present[_nfc(k.value)] = (k, v)
    if not any(lang in present for lang in new):
        return None

    def owned(lang: str) -> tuple[int, int, int]:
        k, v = present[lang]
        end = max(_last(k), _last(v))
        return (
            _lead(lines, _line(k), lcol, _line(tkey) + 1),
            end,
            _trail(lines, end, lcol),
        )

    edits: list[_Edit] = []
    for lang, (k, v) in present.items():
        if lang in new:
            if old.get(lang) != new[lang]:
                own = _block_seq_offset(k, v)
                lang_style = lstyle if own is None else _Style(lstyle.col, lstyle.step, own)
                block = _lang_lines(lang, new[lang], lcol, lang_style)
                edits.append((_line(k), owned(lang)[1] + 1, block))
        else:
            lead, _end, trail = owned(lang)
            edits.append((lead, trail + 1, []))
    order = list(new)
    for i, lang in enumerate(order):
        if lang in present:
            continue
        block = _lang_lines(lang, new[lang], lcol, lstyle)
        before = [other for other in order[:i] if other in present]
        if before:
            pos = owned(before[-1])[2] + 1
        else:
            after = next(other for other in order[i:] if other in present)
            pos = owned(after)[0]
        edits.append((pos, pos, block))
    return edits


def _shift_locations(concept: Concept, delta: int) -> None:
    """Move a concept's locations (and its terms') *delta* lines down."""
    loc = concept.location
    if loc is not None:
        concept.location = Location(loc.path, loc.line + delta)
    for terms in concept.terms.values():
        for term in terms:
            loc = term.location
            if loc is not None:
                term.location = Location(loc.path, loc.line + delta)


# --------------------------------------------------------------------------------------
# Public functions


def parse_glossary(text: str, path: str | Path) -> GlossaryFile:
    """Parse a glossary file's *text* (*path* names it in errors and locations)."""
    return GlossaryFile(path, text)


def load_glossary(path: str | Path) -> Glossary:
    """Read and parse a glossary file; a missing file is a :class:`TilmashError`."""
    return _parse(read_text(path), path).glossary


def load_layers(paths: Sequence[str | Path]) -> Glossary:
    """Load several glossary files, later ones adding concepts or overriding earlier ones.

    For an id defined in several files the later file's concept fields that are set win
    and, per language, its term list replaces the earlier one; ``concept.location`` names
    the last file that defined the concept (see :func:`defining_file`).
    """
    result = Glossary()
    for path in paths:
        parsed = _parse(read_text(path), path)
        for concept in parsed.glossary:
            base = result.get(concept.id)
            if base is None:
                result.add(concept)
                continue
            fields = parsed.explicit.get(concept.id, frozenset())
            if "kind" in fields:
                base.kind = concept.kind
            for name in ("subject", "definition", "note"):
                if name in fields:
                    setattr(base, name, getattr(concept, name))
            for lang, terms in concept.terms.items():
                base.terms[lang] = terms
            base.location = concept.location
    return result


def defining_file(glossary: Glossary, concept_id: str) -> Path:
    """The file that (last) defined *concept_id* in a glossary from :func:`load_layers`."""
    concept = glossary.get(concept_id)
    if concept is None:
        raise TilmashError(f"no concept {concept_id!r}")
    if concept.location is None:
        raise TilmashError(f"concept {concept_id!r} was not read from a file")
    return Path(concept.location.path)


def edit_glossary(
    path: str | Path,
    change: Callable[[GlossaryFile], None],
    *,
    create: bool = False,
) -> bool:
    """Locked, atomic read-modify-write of a glossary file; True when the file changed.

    *change* gets the parsed :class:`GlossaryFile` and edits it.  A broken file raises its
    :class:`ParseError` and nothing is written; so does any exception from *change*.  The
    result is parsed again and must read back as the edited glossary.  With *create*, a
    missing file starts as :func:`new_glossary_text`.
    """
    path = Path(path)
    if path.is_dir():
        raise TilmashError(f"{path}: is a directory")
    if not create and not path.exists():
        raise TilmashError(f"{path}: no such file")

    def apply(text: str | None) -> str:
        if text is None:
            if not create:
                raise TilmashError(f"{path}: no such file")
            text = new_glossary_text()
        gf = GlossaryFile(path, text)
        change(gf)
        result = gf.render()
        if result == text:
            return _original(path, text)
        check = _parse(result, path)
        if not _same_glossary(check.glossary, gf.glossary):
            raise TilmashError(
                f"{path}: the edit does not read back (concept "
                f"{_first_diff(check.glossary, gf.glossary)!r} differs; was it changed "
                "without set_concept?); nothing written"
            )
        return result

    return update_text(path, apply)


def _original(path: Path, text: str) -> str:
    """*text* as it is on disk (with its BOM, if any), so an edit that changes nothing writes nothing."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return text
    if data.startswith(b"\xef\xbb\xbf") and decode_text(data, path) == text:
        return _BOM + text
    return text
