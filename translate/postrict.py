"""Strict reading and canonical writing of gettext PO files.

polib 1.2 and Babel 2.18 silently accept broken catalogues (``msgstr "b`` with no closing
quote becomes an empty translation; ``msgstr[0]`` without ``msgid_plural`` is kept; two
entries with the same msgid are both kept) and mangle valid ones (polib leaves ``\\x41`` and
octal escapes undecoded, splits strings holding U+2028 or NEL when it parses text, drops
``#~|`` lines, reads only one digit of ``msgstr[10]``).  This module therefore parses PO
text itself, with the grammar GNU ``msgfmt`` uses, reports every problem as
``path:line: message``, and builds the :class:`polib.POFile` / :class:`polib.POEntry`
objects the rest of tilmash works with.  :func:`format_po` writes them back.

Decisions:

* Lines end with ``\\n``; a ``\\r`` before it (CRLF files) is whitespace, as for msgfmt.  A
  UTF-8 BOM is dropped.  We always write LF.
* Escapes are GNU's: ``\\n \\t \\r \\b \\f \\v \\a \\\\ \\"``, octal ``\\NNN`` and hex
  ``\\xHH`` (bytes, decoded as UTF-8).  Anything else is an error.
* Two entries with the same msgctxt and msgid are an error; obsolete entries live in the
  same namespace, because msgfmt rejects an obsolete entry that duplicates a live one.
* Only UTF-8 catalogues are read (the ``charset`` in the header must be UTF-8, ASCII or
  the template placeholder ``CHARSET``).
* The header ``msgstr`` is kept verbatim (:attr:`Catalog.raw_header`) and written back
  unchanged as long as :attr:`polib.POFile.metadata` still says the same, so a rewrite
  never reorders or respaces a user's header.
* The writer wraps strings at 79 columns after spaces and after ``\\n`` (like msgcat),
  never wraps comments (so ``#.`` comments read back identical), writes no ``#:`` lines
  for obsolete entries but keeps their ``#.`` comments (machine provenance survives
  obsoletion and revival), puts obsolete entries last, and quotes file names holding
  spaces in references with U+2068/U+2069 as gettext 0.22 does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from tilmash.errors import ParseError
from tilmash.fileio import read_text

__all__ = [
    "Catalog",
    "check_po_syntax",
    "parse_po",
    "read_catalog",
    "format_po",
    "parse_metadata",
    "header_msgstr",
    "WRAP_WIDTH",
]

#: width of the lines :func:`format_po` writes (msgcat's default)
WRAP_WIDTH = 79

_WS = " \t\r\f\v"
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_KEYWORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDEX = re.compile(r"[ \t\r\f\v]*\[[ \t\r\f\v]*([0-9]+)[ \t\r\f\v]*\]")
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))')
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "b": "\b",
    "r": "\r",
    "f": "\f",
    "v": "\v",
    "a": "\a",
    "\\": "\\",
    '"': '"',
}
_KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")
_OK_CHARSETS = {"utf-8", "utf8", "charset", "ascii", "us-ascii"}
_ISOLATE_OPEN = "\u2068"
_ISOLATE_CLOSE = "\u2069"
_REFERENCE = re.compile(r"\u2068([^\u2069]*)\u2069(?::([0-9]+))?|(\S+)")


class Catalog(polib.POFile):
    """A :class:`polib.POFile` that remembers its header text as read.

    :attr:`raw_header` is the header entry's ``msgstr`` exactly as in the file (``None``
    when the file had no header entry); :func:`format_po` and the ``.mo`` compiler use it
    while :attr:`metadata` still equals :func:`parse_metadata` of it.
    """

    raw_header: str | None

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("wrapwidth", WRAP_WIDTH)
        super().__init__(*args, **kwargs)
        self.raw_header = None


# --------------------------------------------------------------------------- reading


@dataclass
class _Builder:
    """One entry being assembled."""

    start: int
    tcomment: list[str] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    obsolete: bool | None = None
    msgid_line: int = 0
    #: where continuation strings go: ("msgid", None), ("msgstr_plural", 2), ("previous", "msgid")
    current: tuple[str, object] | None = None
    #: comments | ctxt | id | plural | str | strn
    stage: str = "comments"
    last_index: int = -1
    prev_obsolete: bool | None = None

    def has_content(self) -> bool:
        return bool(
            self.tcomment or self.comment or self.occurrences or self.flags or self.previous
        )


class _Parser:
    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.entries: list[polib.POEntry] = []
        self.seen: dict[tuple[str | None, str], int] = {}
        self.cur = _Builder(start=1)
        self.header: _Builder | None = None

    # ---- helpers

    def fail(self, line: int, message: str) -> ParseError:
        return ParseError(self.path, line, message)

    def _finish(self) -> None:
        b = self.cur
        if b.msgid is None:
            return
        strings = [b.msgid, b.msgstr, b.msgctxt, b.msgid_plural, *b.msgstr_plural.values()]
        if any(s is not None and "\x00" in s for s in strings):
            raise self.fail(b.msgid_line, "a string contains a NUL character (\\0)")
        key = (b.msgctxt, b.msgid)
        if key in self.seen:
            first = self.seen[key]
            what = "msgid" if b.msgctxt is None else "msgctxt and msgid"
            raise self.fail(
                b.msgid_line, f"duplicate entry: same {what} as the entry at line {first}"
            )
        self.seen[key] = b.msgid_line
        if b.msgid == "" and b.msgctxt is None and not b.obsolete and self.header is None:
            if b.msgid_plural is not None:
                raise self.fail(b.msgid_line, "the header entry (msgid \"\") cannot be plural")
            self.header = b
            return
        entry = polib.POEntry(
            msgid=b.msgid,
            msgstr=b.msgstr if b.msgstr is not None else "",
            msgid_plural=b.msgid_plural if b.msgid_plural is not None else "",
            msgstr_plural=dict(b.msgstr_plural),
            msgctxt=b.msgctxt,
            obsolete=bool(b.obsolete),
            encoding="utf-8",
            comment="\n".join(b.comment),
            tcomment="\n".join(b.tcomment),
            occurrences=list(b.occurrences),
            flags=list(b.flags),
            previous_msgctxt=b.previous.get("msgctxt"),
            previous_msgid=b.previous.get("msgid"),
            previous_msgid_plural=b.previous.get("msgid_plural"),
            linenum=b.start,
        )
        self.entries.append(entry)

    def _new_entry_if_done(self, line: int) -> None:
        """Comments and keywords after a complete entry start the next one."""
        if self.cur.stage in ("str", "strn"):
            self._finish()
            self.cur = _Builder(start=line)

    def _comment(self, line: int, what: str) -> _Builder:
        self._new_entry_if_done(line)
        b = self.cur
        if b.stage != "comments":
            raise self.fail(
                line,
                f"{what} inside an entry: the msgid at line {b.msgid_line or b.start} "
                "has no msgstr yet",
            )
        if not b.has_content() and b.msgid is None:
            b.start = line
        return b

    # ---- line handling

    def feed(self, lineno: int, line: str) -> None:
        stripped = line.lstrip(_WS)
        if not stripped.strip(_WS):
            return
        if stripped[0] != "#":
            self._tokens(lineno, stripped, obsolete=False, previous=False)
            return
        if stripped.startswith("#~|"):
            self._tokens(lineno, stripped[3:], obsolete=True, previous=True)
        elif stripped.startswith("#~"):
            rest = stripped[2:]
            if rest.strip(_WS):
                self._tokens(lineno, rest, obsolete=True, previous=False)
        elif stripped.startswith("#|"):
            self._tokens(lineno, stripped[2:], obsolete=False, previous=True)
        elif stripped.startswith("#,"):
            b = self._comment(lineno, "a flags line")
            for flag in stripped[2:].split(","):
                flag = flag.strip(_WS)
                if flag:
                    b.flags.append(flag)
        elif stripped.startswith("#."):
            b = self._comment(lineno, "an extracted comment")
            text = stripped[2:].rstrip("\r")
            b.comment.append(text[1:] if text.startswith(" ") else text)
        elif stripped.startswith("#:"):
            b = self._comment(lineno, "a reference line")
            b.occurrences.extend(_parse_references(stripped[2:]))
        else:
            b = self._comment(lineno, "a comment")
            text = stripped[1:].rstrip("\r")
            b.tcomment.append(text[1:] if text.startswith(" ") else text)

    def _tokens(self, lineno: int, text: str, *, obsolete: bool, previous: bool) -> None:
        pos, end = 0, len(text)
        expect_string: str | None = None
        while True:
            while pos < end and text[pos] in _WS:
                pos += 1
            if pos >= end:
                break
            ch = text[pos]
            if ch == '"':
                m = _STRING.match(text, pos)
                if m is None:
                    raise self.fail(lineno, "unterminated string (no closing quote)")
                value = _unescape(m.group(1), self, lineno)
                self._string(lineno, value, obsolete, previous)
                expect_string = None
                pos = m.end()
                continue
            if expect_string is not None:
                raise self.fail(lineno, f"keyword {expect_string!r} without a string")
            m = _KEYWORD.match(text, pos)
            if m is None:
                raise self.fail(lineno, f"unexpected character {ch!r}")
            word = m.group(0)
            pos = m.end()
            index = None
            if word == "msgstr":
                mi = _INDEX.match(text, pos)
                if mi is not None:
                    index = int(mi.group(1))
                    pos = mi.end()
            if word not in _KEYWORDS:
                raise self.fail(lineno, f"unknown keyword {word!r}")
            name = word if index is None else f"msgstr[{index}]"
            if previous:
                self._previous_keyword(lineno, word, index, obsolete)
            else:
                self._keyword(lineno, word, index, obsolete)
            expect_string = name
        if expect_string is not None:
            raise self.fail(lineno, f"keyword {expect_string!r} without a string")

    def _check_obsolete(self, b: _Builder, lineno: int, obsolete: bool) -> None:
        if b.obsolete is None:
            b.obsolete = obsolete
        elif b.obsolete != obsolete:
            raise self.fail(lineno, "inconsistent use of #~ within one entry")

    def _previous_keyword(self, lineno: int, word: str, index: int | None, obsolete: bool) -> None:
        b = self._comment(lineno, "a #| previous-text line")
        if word == "msgstr":
            raise self.fail(lineno, "#| lines may hold msgctxt, msgid or msgid_plural, not msgstr")
        if word in b.previous:
            raise self.fail(lineno, f"second #| {word} in one entry")
        if b.prev_obsolete is None:
            b.prev_obsolete = obsolete
        elif b.prev_obsolete != obsolete:
            raise self.fail(lineno, "inconsistent use of #~| and #| within one entry")
        b.previous[word] = ""
        b.current = ("previous", word)

    def _keyword(self, lineno: int, word: str, index: int | None, obsolete: bool) -> None:
        if word in ("msgctxt", "msgid"):
            self._new_entry_if_done(lineno)
        b = self.cur
        stage = b.stage
        if word == "msgctxt":
            if stage != "comments":
                raise self.fail(lineno, f"msgctxt after msgid (the msgid at line {b.msgid_line} "
                                        "has no msgstr)")
            self._check_obsolete(b, lineno, obsolete)
            if b.prev_obsolete is not None and b.prev_obsolete != obsolete:
                raise self.fail(lineno, "inconsistent use of #~| and #| within one entry")
            b.msgctxt = ""
            b.current = ("msgctxt", None)
            b.stage = "ctxt"
            if not b.has_content():
                b.start = lineno
        elif word == "msgid":
            if stage not in ("comments", "ctxt"):
                raise self.fail(lineno, f"msgid after msgid (the msgid at line {b.msgid_line} "
                                        "has no msgstr)")
            self._check_obsolete(b, lineno, obsolete)
            if b.prev_obsolete is not None and b.prev_obsolete != obsolete:
                raise self.fail(lineno, "inconsistent use of #~| and #| within one entry")
            b.msgid = ""
            b.msgid_line = lineno
            b.current = ("msgid", None)
            b.stage = "id"
            if stage == "comments" and not b.has_content():
                b.start = lineno
        elif word == "msgid_plural":
            if stage != "id":
                raise self.fail(lineno, "msgid_plural without a msgid before it")
            self._check_obsolete(b, lineno, obsolete)
            b.msgid_plural = ""
            b.current = ("msgid_plural", None)
            b.stage = "plural"
        elif index is None:  # msgstr
            if stage == "plural":
                raise self.fail(lineno, "an entry with msgid_plural needs msgstr[0], msgstr[1], "
                                        "… instead of msgstr")
            if stage != "id":
                raise self.fail(lineno, "msgstr without a msgid before it")
            self._check_obsolete(b, lineno, obsolete)
            b.msgstr = ""
            b.current = ("msgstr", None)
            b.stage = "str"
        else:  # msgstr[N]
            if stage == "id":
                raise self.fail(lineno, f"msgstr[{index}] without msgid_plural")
            if stage not in ("plural", "strn"):
                raise self.fail(lineno, f"msgstr[{index}] without a msgid before it")
            self._check_obsolete(b, lineno, obsolete)
            if index != b.last_index + 1:
                expected = b.last_index + 1
                raise self.fail(lineno, f"plural form msgstr[{index}] out of order "
                                        f"(expected msgstr[{expected}])")
            b.last_index = index
            b.msgstr_plural[index] = ""
            b.current = ("msgstr_plural", index)
            b.stage = "strn"

    def _string(self, lineno: int, value: str, obsolete: bool, previous: bool) -> None:
        b = self.cur
        if b.current is None or (previous != (b.current[0] == "previous")):
            raise self.fail(lineno, "string without a keyword before it")
        part, arg = b.current
        if part == "previous":
            if b.prev_obsolete != obsolete:
                raise self.fail(lineno, "inconsistent use of #~| and #| within one entry")
            b.previous[str(arg)] += value
            return
        if b.obsolete != obsolete:
            raise self.fail(lineno, "inconsistent use of #~ within one entry")
        if part == "msgstr_plural":
            assert isinstance(arg, int)
            b.msgstr_plural[arg] += value
        else:
            setattr(b, part, getattr(b, part) + value)

    def close(self) -> None:
        b = self.cur
        if b.stage in ("ctxt", "id", "plural"):
            line = b.msgid_line or b.start
            raise self.fail(line, "entry has no msgstr")
        self._finish()


def _parse_references(text: str) -> list[tuple[str, str]]:
    refs: list[tuple[str, str]] = []
    for m in _REFERENCE.finditer(text):
        if m.group(3) is not None:
            token = m.group(3)
            name, sep, num = token.rpartition(":")
            if sep and num.isdigit() and name:
                refs.append((name, num))
            else:
                refs.append((token, ""))
        else:
            refs.append((m.group(1), m.group(2) or ""))
    return refs


def _unescape(body: str, parser: _Parser, lineno: int) -> str:
    if "\\" not in body:
        return body
    needs_bytes = False

    def simple(m: re.Match[str]) -> str:
        nonlocal needs_bytes
        if m.group(1) is not None:
            return _SIMPLE_ESCAPES[m.group(1)]
        if m.group(4) is not None:
            raise parser.fail(lineno, f"invalid escape sequence '\\{m.group(4)}' in a string")
        needs_bytes = True
        return m.group(0)

    text = _ESCAPE.sub(simple, body)
    if not needs_bytes:
        return text
    # Octal/hex escapes give bytes: rebuild the string as bytes, then decode it.
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(body):
        out += body[pos : m.start()].encode("utf-8")
        if m.group(1) is not None:
            out += _SIMPLE_ESCAPES[m.group(1)].encode("utf-8")
        else:
            value = int(m.group(2), 8) if m.group(2) is not None else int(m.group(3), 16)
            if value > 0xFF:
                raise parser.fail(lineno, f"escape sequence {m.group(0)!r} is out of range")
            out.append(value)
        pos = m.end()
    out += body[pos:].encode("utf-8")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise parser.fail(lineno, "escape sequences in a string do not form valid UTF-8") from None


def parse_metadata(text: str) -> dict[str, str]:
    """Header ``msgstr`` → ``{field: value}`` with polib's rules (values stripped)."""
    metadata: dict[str, str] = {}
    key: str | None = None
    for line in text.split("\n"):
        if not line:
            continue
        name, sep, value = line.partition(":")
        if sep:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def parse_po(text: str, path: str | Path) -> Catalog:
    """Parse PO *text* strictly; every problem raises ``ParseError(path, line, message)``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise parser.fail(number, "NUL character in a PO file")
        parser.feed(number, line)
    parser.close()

    po = Catalog(fpath=str(path))
    header = parser.header
    if header is not None:
        po.header = "\n".join(header.tcomment)
        po.metadata_is_fuzzy = "fuzzy" in header.flags
        raw = header.msgstr or ""
        po.raw_header = raw
        po.metadata = parse_metadata(raw)
        _check_charset(po.metadata, path, header.msgid_line)
    for entry in parser.entries:
        po.append(entry)
    return po


def _check_charset(metadata: dict[str, str], path: str | Path, line: int) -> None:
    content_type = metadata.get("Content-Type", "")
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.IGNORECASE)
    if m and m.group(1).lower() not in _OK_CHARSETS:
        raise ParseError(
            path,
            line,
            f"catalogue declares charset {m.group(1)}; tilmash reads UTF-8 only "
            "(convert it with: msgconv --to-code=UTF-8)",
        )


def check_po_syntax(text: str, path: str | Path) -> None:
    """Raise ``ParseError(path, line, message)`` for anything msgfmt would reject.

    Unterminated strings, bad escapes, keywords without a string, strings without a
    keyword, ``msgstr[n]`` without ``msgid_plural`` (and plural forms out of order),
    comments or a second msgid inside an entry, an entry without msgstr, inconsistent
    ``#~``, duplicate entries (same msgctxt and msgid, obsolete ones included), unknown
    keywords and other garbage lines, NUL characters, non-UTF-8 charsets.
    """
    parse_po(text, path)


def read_catalog(path: str | Path) -> Catalog:
    """Read a ``.po``/``.pot`` file strictly (UTF-8, BOM dropped, CRLF accepted)."""
    return parse_po(read_text(path), path)


# --------------------------------------------------------------------------- writing


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\a", "\\a")
        .replace("\b", "\\b")
        .replace("\f", "\\f")
        .replace("\v", "\\v")
    )


_WORD = re.compile(r"[^ ]* *")


def _wrap(escaped: str, width: int) -> list[str]:
    """Break an escaped string after spaces so each piece is at most *width* long."""
    lines: list[str] = []
    current = ""
    for word in _WORD.findall(escaped):
        if not word:
            continue
        if current and len(current) + len(word.rstrip(" ")) > width:
            lines.append(current)
            current = word
        else:
            current += word
    if current or not lines:
        lines.append(current)
    return lines


def _string_lines(prefix: str, keyword: str, value: str, *, multiline: bool = False) -> list[str]:
    first = f"{prefix}{keyword} "
    escaped = _escape(value)
    if not multiline and "\n" not in value[:-1] and len(first) + len(escaped) + 2 <= WRAP_WIDTH:
        return [f'{first}"{escaped}"']
    pieces = value.split("\n")
    chunks = [p + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        chunks.append(pieces[-1])
    out = [f'{first}""']
    width = WRAP_WIDTH - len(prefix) - 2
    for chunk in chunks:
        for piece in _wrap(_escape(chunk), width):
            out.append(f'{prefix}"{piece}"')
    return out


def _reference_lines(occurrences: list[tuple[str, str]]) -> list[str]:
    refs = []
    for name, line in occurrences:
        if any(c in name for c in " \t\n"):
            name = f"{_ISOLATE_OPEN}{name}{_ISOLATE_CLOSE}"
        refs.append(f"{name}:{line}" if line else name)
    out: list[str] = []
    current = "#:"
    for ref in refs:
        if current != "#:" and len(current) + 1 + len(ref) > WRAP_WIDTH:
            out.append(current)
            current = "#:"
        current += " " + ref
    if current != "#:":
        out.append(current)
    return out


def _comment_lines(marker: str, text: str) -> list[str]:
    if not text:
        return []
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def _nplurals(po: polib.POFile) -> int:
    m = re.search(r"nplurals\s*=\s*([0-9]+)", po.metadata.get("Plural-Forms", ""))
    return int(m.group(1)) if m else 2


def _header_msgstr(po: polib.POFile, metadata: dict[str, str]) -> str:
    raw = getattr(po, "raw_header", None)
    if raw is not None and parse_metadata(raw) == metadata:
        return raw
    return "".join(f"{key}: {value}\n" for key, value in metadata.items())


def header_msgstr(po: polib.POFile) -> str:
    """The header entry's ``msgstr`` as :func:`format_po` writes it."""
    return _header_msgstr(po, po.metadata)


def _entry_lines(entry: polib.POEntry, nplurals: int) -> list[str]:
    out: list[str] = []
    out += _comment_lines("#", entry.tcomment)
    out += _comment_lines("#.", entry.comment)
    if not entry.obsolete:
        out += _reference_lines(entry.occurrences)
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    prev = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt is not None:
        out += _string_lines(prev, "msgctxt", entry.previous_msgctxt)
    if entry.previous_msgid is not None:
        out += _string_lines(prev, "msgid", entry.previous_msgid)
    if entry.previous_msgid_plural is not None:
        out += _string_lines(prev, "msgid_plural", entry.previous_msgid_plural)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        out += _string_lines(prefix, "msgctxt", entry.msgctxt)
    out += _string_lines(prefix, "msgid", entry.msgid)
    if entry.msgid_plural:
        out += _string_lines(prefix, "msgid_plural", entry.msgid_plural)
        forms = dict(entry.msgstr_plural)
        count = max([nplurals, *(int(k) + 1 for k in forms)])
        for index in range(count):
            out += _string_lines(prefix, f"msgstr[{index}]", forms.get(index, ""))
    else:
        if entry.msgstr_plural:
            raise ValueError(f"entry {entry.msgid!r} has msgstr[n] but no msgid_plural")
        out += _string_lines(prefix, "msgstr", entry.msgstr)
    return out


def format_po(po: polib.POFile, *, metadata: dict[str, str] | None = None) -> str:
    """Serialize *po* as PO text (LF line ends); *metadata* overrides ``po.metadata``."""
    meta = po.metadata if metadata is None else metadata
    blocks: list[list[str]] = []
    raw = getattr(po, "raw_header", None)
    if meta or raw is not None or po.metadata_is_fuzzy or po.header:
        lines = _comment_lines("#", po.header)
        if po.metadata_is_fuzzy:
            lines.append("#, fuzzy")
        lines += _string_lines("", "msgid", "")
        lines += _string_lines("", "msgstr", _header_msgstr(po, meta), multiline=True)
        blocks.append(lines)
    nplurals = _nplurals(po)
    for entry in po:
        if not entry.obsolete:
            blocks.append(_entry_lines(entry, nplurals))
    for entry in po:
        if entry.obsolete:
            blocks.append(_entry_lines(entry, nplurals))
    return "\n".join("\n".join(block) + "\n" for block in blocks)
