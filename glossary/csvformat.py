"""Weblate glossary CSV import and export.

A glossary CSV holds one language pair: the caller says which languages the ``source`` and
``target`` columns are in.

Reading (:func:`read_csv`):

* With a header row, columns are matched by name, case-insensitively: ``location,
  source, target, ID, fuzzy, context, translator_comments, developer_comments`` (Weblate's
  list) and Translate Toolkit's aliases (``original``, ``translation``, ``notes`` …).
  ``Key,Value`` is read as ``source,target``.
* Without a header, one column is ``source`` and two are ``source,target`` (Weblate's
  "Simple CSV"; OmegaT writes the same).  A headerless file with three or more columns is
  refused: Translate Toolkit would read it as ``location,source,target``, a spreadsheet
  as ``source,target,comment``, and guessing wrong would silently shift every column.
* Rows with the same ``context`` (Weblate's multivalue CSV), or without a context the same
  source text, form one concept: the first target is preferred, the others admitted.
  An empty target gives a concept with only its source term.
* ``translator_comments`` becomes the note of the target term (of the concept when the
  row has no target), ``developer_comments`` the concept's note.  ``location``, ``ID`` and
  ``fuzzy`` are ignored.
* UTF-8 with or without a BOM, LF or CRLF.  Anything else is a ``ParseError`` with the
  line: other encodings are never guessed.

Writing (:func:`write_csv`): ``source,target,translator_comments`` (plus
``developer_comments`` when a concept has a note), one row per pair of the source
language's preferred term and a usable target term, ``\\n`` newlines, minimal quoting.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from glossary.editing import ID_PATTERN, new_concept_id, slugify, unique_id
from glossary.langtags import normalize_tag
from glossary.model import Concept, Glossary, Location, Term
from tilmash.errors import ParseError
from tilmash.fileio import decode_text

__all__ = ["FIELDS", "read_csv", "write_csv"]

#: the columns Weblate recognises in a CSV header, in Translate Toolkit's order
FIELDS = (
    "location",
    "source",
    "target",
    "id",
    "fuzzy",
    "context",
    "translator_comments",
    "developer_comments",
)
_ALIASES = {
    "original": "source",
    "untranslated": "source",
    "translated": "target",
    "translation": "target",
    "value": "target",
    "identified": "id",
    "label": "id",
    "translator comments": "translator_comments",
    "notes": "translator_comments",
    "developer comments": "developer_comments",
    "state": "fuzzy",
}


def _lang_tag(raw: str) -> str:
    try:
        return normalize_tag(raw)
    except ValueError:
        return raw.strip()


def _decode(data: bytes, path: str | Path) -> str:
    """UTF-8 (BOM dropped); other encodings are an error with a conversion hint."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(path, 1, "not valid UTF-8: the file is UTF-16 "
                         "(convert with iconv -f utf-16 -t utf-8)")
    try:
        return decode_text(data, path)
    except ParseError as exc:
        raise ParseError(exc.path, exc.lineno, f"{exc.message} {_encoding_hint(data)}") from None


def _encoding_hint(data: bytes) -> str:
    """A conversion hint for non-UTF-8 bytes: Cyrillic cp1251 or a Western code page.

    Only the message uses this guess; the data is never decoded with it.  Cyrillic words in
    cp1251 are runs of bytes ≥ 0xC0, accented Latin letters are single bytes among ASCII.
    """
    runs = [len(m.group()) for m in re.finditer(rb"[\x80-\xff]+", data)]
    high = sum(runs)
    letters = sum(1 for b in data if b >= 0xC0 or b in (0xA8, 0xB8))
    if runs and high / len(runs) >= 2 and letters >= 0.8 * high:
        return "(cp1251? convert with iconv -f cp1251 -t utf-8)"
    return "(cp1252 or latin-1? convert with iconv -f cp1252 -t utf-8)"


def _clean(text: str) -> str:
    """NFC, CRLF/CR line breaks inside quoted fields as ``\\n``, ends stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


@dataclass
class _Group:
    """The rows that make one concept."""

    key: tuple[str, str]
    context: str
    line: int
    concept: Concept
    dev_notes: list[str] = field(default_factory=list)
    concept_notes: list[str] = field(default_factory=list)


def _header(row: list[str], path: str | Path, line: int) -> list[str] | None:
    """The field names if *row* is a header (every cell a known column name), else None."""
    names = [cell.strip().lower() for cell in row]
    if not names or not all(n in FIELDS or n in _ALIASES or n == "key" for n in names):
        return None
    fields = [n if n in FIELDS else _ALIASES.get(n, n) for n in names]
    if "key" in fields:
        fields = [("source" if "source" not in fields else "id") if f == "key" else f
                  for f in fields]
    for i, name in enumerate(fields):
        if name in fields[:i]:
            raise ParseError(path, line, f"column {name!r} appears twice in the CSV header")
    if "source" not in fields:
        raise ParseError(path, line, "the CSV header has no source column "
                         f"(columns: {', '.join(row)})")
    return fields


def read_csv(data: bytes, path: str | Path, *, source_lang: str, target_lang: str) -> Glossary:
    """Parse a Weblate glossary CSV (*data*, read from *path*) into a Glossary.

    ``source_lang`` and ``target_lang`` are the languages of the source and target
    columns.  Bad input raises :class:`~tilmash.errors.ParseError` with the line.
    """
    text = _decode(data, path)
    src, tgt = _lang_tag(source_lang), _lang_tag(target_lang)
    if src == tgt:
        raise ParseError(path, None, f"source and target language are both {src!r}")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    fields: list[str] | None = None
    groups: dict[tuple[str, str], _Group] = {}
    last_line = 0
    try:
        for row in reader:
            line, last_line = last_line + 1, reader.line_num
            if not row:
                continue
            if fields is None:
                fields = _header(row, path, line)
                if fields is not None:
                    continue
                if len(row) > 2:
                    raise ParseError(
                        path, line,
                        f"no header row and {len(row)} columns: add a header naming the "
                        "columns (e.g. source,target,translator_comments)",
                    )
                fields = ["source", "target"][: len(row)]
            if len(row) != len(fields):
                raise ParseError(path, line,
                                 f"expected {len(fields)} columns, found {len(row)}")
            _add_row(groups, dict(zip(fields, row, strict=True)), src, tgt, path, line)
    except csv.Error as exc:
        raise ParseError(path, reader.line_num, f"CSV syntax error: {exc}") from None
    return _build(groups)


def _add_row(groups: dict[tuple[str, str], _Group], row: dict[str, str], src: str, tgt: str,
             path: str | Path, line: int) -> None:
    source = _clean(row.get("source", ""))
    target = _clean(row.get("target", ""))
    context = _clean(row.get("context", ""))
    comment = _clean(row.get("translator_comments", ""))
    developer = _clean(row.get("developer_comments", ""))
    if not source:
        if target or comment or developer:
            raise ParseError(path, line, "row without a source term")
        return
    key = ("context", context) if context else ("source", source)
    group = groups.get(key)
    where = Location(str(path), line)
    if group is None:
        concept = Concept(id="", location=where)
        concept.add_term(src, Term(source, location=where))
        group = groups[key] = _Group(key, context, line, concept)
    concept = group.concept
    if all(t.text != source for t in concept.terms[src]):
        concept.add_term(src, Term(source, status="admitted", location=where))
    if developer and developer not in group.dev_notes:
        group.dev_notes.append(developer)
    if not target:
        if comment and comment not in group.concept_notes:
            group.concept_notes.append(comment)
        return
    existing = next((t for t in concept.terms.get(tgt, []) if t.text == target), None)
    if existing is not None:
        if comment and comment not in (existing.note or "").split("\n"):
            existing.note = f"{existing.note}\n{comment}" if existing.note else comment
        return
    status = "admitted" if concept.terms.get(tgt) else "preferred"
    concept.add_term(tgt, Term(target, status=status, note=comment or None, location=where))


def _build(groups: dict[tuple[str, str], _Group]) -> Glossary:
    taken = {g.context for g in groups.values() if g.context and ID_PATTERN.match(g.context)}
    glossary = Glossary()
    for group in groups.values():
        concept = group.concept
        notes = group.dev_notes + group.concept_notes
        concept.note = "\n".join(notes) if notes else None
        if group.context and ID_PATTERN.match(group.context):
            concept.id = group.context
        else:
            base = slugify(group.context) if group.context else ""
            if base and base != "concept":
                concept.id = unique_id(base, taken)
            else:
                probe = Glossary({i: Concept(i) for i in taken})
                concept.id = new_concept_id(probe, concept.terms)
        taken.add(concept.id)
        glossary.add(concept)
    return glossary




def write_csv(glossary: Glossary, *, source_lang: str, target_lang: str) -> str:
    """Serialize the *source_lang* → *target_lang* pairs of *glossary* as Weblate CSV.

    One row per (preferred source term, usable target term); deprecated and forbidden
    target terms are left out (CSV cannot mark them).  A concept without a usable target
    gets a row with an empty target, except a do-not-translate concept, whose target is
    its source term.  Concepts without a source-language term are skipped.
    """
    rows: list[list[str]] = []
    with_dev = False
    for concept in glossary:
        source = concept.preferred(source_lang)
        if source is None:
            continue
        targets = [t for t in concept.terms.get(target_lang, []) if t.usable]
        note = concept.note or ""
        with_dev = with_dev or bool(note)
        if not targets:
            target = source.text if concept.kind == "dnt" else ""
            rows.append([source.text, target, "", note])
        for term in targets:
            rows.append([source.text, term.text, term.note or "", note])
    header = ["source", "target", "translator_comments"]
    if with_dev:
        header.append("developer_comments")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row[: len(header)])
    return out.getvalue()
