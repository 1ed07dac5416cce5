"""Documents → segments → documents.

:func:`parse_document` turns a Markdown or plain-text document into translatable
:class:`Segment` s; :func:`render_document` puts translations back.  Everything outside
the segments — code blocks, front matter, HTML blocks, link reference definitions, block
markers, URLs, the whitespace between sentences — is copied byte for byte, so rendering
with every segment untranslated (or translated into itself) returns the input unchanged.

**Markdown** is parsed with markdown-it-py (CommonMark plus GFM tables and
strikethrough).  Its block tokens carry line maps; inline positions are recovered by
recording where each inline rule starts and ends while markdown-it-py parses, and by
mapping the inline content (container prefixes and indentation removed, table cells
split) back to the source lines.  A block whose positions cannot be verified is left
untranslated and listed in :attr:`Document.skipped`.

Each text block (paragraph, heading, list-item or blockquote paragraph, table cell) is
split into sentences by :mod:`translate.segmenter`.  A sentence boundary is used only
where no inline pair (emphasis, link, …) spans it; markup that wraps a whole sentence
stays outside the segment.  Inside a segment, inline markup becomes placeholders
(:mod:`translate.placeholders`):

* emphasis, strong, strikethrough, link text, image alt text, paired inline HTML:
  ``<gN>``…``</gN>`` (the words inside stay translatable, the markup and the URL/title
  do not);
* code spans, autolinks, bare URLs, unpaired inline HTML, shortcut reference links
  (their text is the reference label), hard line breaks, placeholder-like source text:
  ``<xN/>``;
* a backslash escape or an entity (``\\[``, ``&amp;``, ``&nbsp;``) is the character it
  stands for; its source spelling comes back when the translation has as many of that
  character as the source, and the renderer escapes what needs escaping otherwise.

**Line breaks.**  A soft line break inside a segment is a plain ``\\n`` in the engine
text; the source spelling of each break (trailing spaces, newline, and the next line's
prefix: ``> ``, list indentation) is kept in :attr:`Layout.breaks` and the *k*-th
newline of a translation gets the *k*-th source break.  Extra newlines become spaces, so
a translation never has more lines than its source and every line gets the right
prefix.  A line of a translation that would start a block there (``# ``, ``- ``, ``1. ``,
``>``, a fence, a setext underline, …) gets its first character escaped.

**Plain text** (``.txt``): paragraphs are separated by blank lines; inside a paragraph
line breaks are handled as above; URLs and placeholder-like text become placeholders;
nothing is escaped.
"""

from __future__ import annotations

import bisect
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tilmash.errors import ParseError
from tilmash.fileio import read_text
from translate.placeholders import (
    LOOSE_RE,
    Piece,
    is_close,
    pair_tokens,
    partner,
    repair_placeholders,
    single_token,
)
from translate.segmenter import split_sentences

try:  # markdown-it-py ≥ 3.0.1
    from markdown_it.common.utils import MD_TRIM_CHARS as _MD_TRIM
except ImportError:  # pragma: no cover - older markdown-it-py
    _MD_TRIM = " \t\n\r\x0b\x0c"

__all__ = [
    "FORMATS",
    "Document",
    "Layout",
    "Segment",
    "format_for_path",
    "load_document",
    "parse_document",
    "render_document",
    "restore_placeholders",
]

#: file suffix → document format
FORMATS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mkdn": "markdown",
    ".txt": "text",
    ".text": "text",
}


@dataclass(frozen=True)
class Layout:
    """How a segment sits in its document: what :func:`restore_placeholders` needs.

    * ``mode``: ``markdown`` (paragraph-like), ``heading`` (ATX heading: one line),
      ``table`` (a table cell: one line, ``|`` escaped) or ``text`` (plain text);
    * ``breaks``: the source spelling of each soft line break inside the segment;
    * ``line_flags``: for each break, what can interrupt the paragraph on the line after
      it: ``""`` the usual constructs (an ordered list only from ``1.``), ``anynum``
      (a lazy line: any ordered item), ``nolist`` (no list item), ``deep`` (nothing: the
      line is indented as code would be);
    * ``forms``: for each ASCII punctuation character and each escaped/entity character of
      the engine text, the source spelling of each occurrence in order (``\\[``,
      ``&amp;``, or the character itself);
    * ``flanking``: opening placeholders of emphasis-like pairs (``*``, ``_``, ``~``),
      whose content must not start or end with whitespace;
    * ``hard_breaks``: single placeholders that are hard line breaks (a line starts
      after them), with the flag of that line;
    * ``line_start``: ``block`` when the segment starts its block's first line,
      ``line`` when it starts a continuation line, ``None`` mid-line;
    * ``ends_block``: nothing of the block follows the segment (ATX closing ``#``);
    * ``ends_line``: nothing but whitespace follows the segment on its last line;
    * ``in_list``: the block is inside a list item;
    * ``outer``: the delimiter characters of emphasis pairs that enclose the segment
      (their markup stays outside it).
    """

    mode: str = "text"
    breaks: tuple[str, ...] = ()
    line_flags: tuple[str, ...] = ()
    forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    flanking: frozenset[str] = frozenset()
    hard_breaks: Mapping[str, str] = field(default_factory=dict)
    line_start: str | None = None
    ends_block: bool = False
    ends_line: bool = False
    in_list: bool = False
    outer: str = ""


@dataclass
class Segment:
    """One translatable sentence of a document.

    ``id`` numbers the segments of a document from 1, in document order; ``text`` is
    what the engine sees (placeholders for markup, ``\\n`` for soft line breaks);
    ``source`` is the exact document substring ``[start, end)`` it replaces;
    ``line`` is 1-based; ``placeholders`` maps each placeholder to its source markup;
    ``context`` names the block: ``heading``, ``paragraph``, ``list item``,
    ``blockquote``, ``table header``, ``table cell``.
    """

    id: int
    text: str
    source: str
    line: int
    placeholders: dict[str, str] = field(default_factory=dict)
    context: str | None = None
    start: int = 0
    end: int = 0
    layout: Layout = field(default_factory=Layout, repr=False, compare=False)


@dataclass
class Document:
    """A parsed document: its text, format and segments (in document order).

    ``skipped`` lists the 1-based lines of text blocks the parser could not map back to
    the source exactly; they are left untranslated (copied as they are).
    """

    path: Path
    text: str
    format: str
    segments: list[Segment]
    skipped: list[int] = field(default_factory=list)


def format_for_path(path: str | Path) -> str | None:
    """``markdown`` / ``text`` from the file suffix, or None when unknown."""
    return FORMATS.get(Path(path).suffix.lower())


def load_document(path: str | Path, *, fmt: str | None = None, lang: str = "en") -> Document:
    """Read and parse a document (UTF-8; undecodable bytes are a ``path:line`` error)."""
    return parse_document(read_text(path), path, fmt=fmt, lang=lang)


def parse_document(
    text: str, path: str | Path, *, fmt: str | None = None, lang: str = "en"
) -> Document:
    """Parse *text* (the content of *path*) into segments.

    *fmt* is ``markdown`` or ``text``; by default it follows the suffix of *path*.
    *lang* is the source language (for sentence splitting).
    """
    path = Path(path)
    if fmt is None:
        fmt = format_for_path(path)
        if fmt is None:
            known = ", ".join(sorted(FORMATS))
            raise ParseError(path, None, f"unknown document format (known suffixes: {known})")
    if fmt not in ("markdown", "text"):
        raise ParseError(path, None, f"unknown document format {fmt!r} (markdown or text)")
    source = _Source(text)
    if fmt == "markdown":
        blocks, skipped = _markdown_blocks(source)
    else:
        blocks, skipped = _text_blocks(source), []
    segments: list[Segment] = []
    for block in blocks:
        for seg in _block_segments(block, source, lang):
            seg.id = len(segments) + 1
            segments.append(seg)
    return Document(path=path, text=text, format=fmt, segments=segments, skipped=skipped)


def restore_placeholders(segment: Segment, translated: str) -> tuple[str, list[str]]:
    """Turn the engine's *translated* text back into document text for *segment*.

    Placeholders become their markup again; placeholders the engine dropped, duplicated,
    reversed or crossed are repaired (see :func:`translate.placeholders.repair_placeholders`)
    and each repair is reported.  Text is escaped where its Markdown context needs it.
    A translation equal to the segment text gives back the exact source.
    """
    if translated == segment.text:
        return segment.source, []
    pieces, messages = repair_placeholders(translated, list(segment.placeholders))
    overrides: dict[str, str] = {}
    if segment.layout.mode != "text":
        pieces = _fix_pairs(pieces, segment, overrides, messages)
        pieces = _fix_line_starts(pieces, segment, messages)
    return _render(pieces, segment, overrides), messages


def render_document(
    doc: Document,
    translations: Mapping[int, str | None],
    *,
    on_repair: Callable[[Segment, list[str]], None] | None = None,
) -> str:
    """The document with each translated segment replaced (others keep their source).

    *translations* maps segment ids to engine-facing translated text.  *on_repair* is
    called with the segment and the messages of each placeholder repair.
    """
    out: list[str] = []
    pos = 0
    for seg in doc.segments:
        out.append(doc.text[pos : seg.start])
        translated = translations.get(seg.id)
        if translated is None:
            out.append(seg.source)
        else:
            rendered, messages = restore_placeholders(seg, translated)
            if messages and on_repair is not None:
                on_repair(seg, messages)
            out.append(rendered)
        pos = seg.end
    out.append(doc.text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------------------
# source text: normalized lines ↔ original offsets

_NEWLINE = re.compile(r"\r\n|\r|\n")


class _Source:
    """The document text with its lines normalized the way markdown-it-py normalizes them.

    Columns are the same in both; only line endings (and NUL → U+FFFD) differ.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        #: the text as markdown-it-py sees it (same length: NUL → U+FFFD)
        self.norm = text.replace("\0", "\ufffd")
        self.lines = _NEWLINE.split(self.norm)

    def offset(self, line: int, col: int) -> int:
        return self.starts[line] + col

    def line_of(self, offset: int) -> int:
        """0-based line of a document offset."""
        return bisect.bisect_right(self.starts, offset) - 1


# --------------------------------------------------------------------------------------
# atoms: the pieces of a text block


class _Atom:
    """A piece of a text block.

    kind: ``T`` text, ``E`` escaped/entity character (``text`` is the character),
    ``X`` single placeholder, ``O``/``C`` pair opening/closing (``pid`` links them),
    ``S`` soft line break, ``H`` hard line break.  ``cs``/``ce`` are positions in the
    block's inline content, ``ds``/``de`` in the document.
    """

    __slots__ = ("ce", "cs", "de", "ds", "info", "kind", "p0", "p1", "pid", "text")

    def __init__(self, kind: str, cs: int, ce: int, text: str = "", info: Any = None) -> None:
        self.kind = kind
        self.cs = cs
        self.ce = ce
        self.ds = 0
        self.de = 0
        self.text = text
        self.pid = -1
        self.info = info
        self.p0 = 0
        self.p1 = 0

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.kind} {self.cs}:{self.ce} d{self.ds}:{self.de} {self.text!r} {self.pid}>"

    def plain(self) -> str:
        k = self.kind
        if k in "TE":
            return self.text
        if k in "SH":
            return "\n"
        if k == "X":
            return "\ufffc"
        return ""


@dataclass
class _Block:
    atoms: list[_Atom]
    mode: str
    context: str
    in_list: bool
    #: 0-based line → what may interrupt the paragraph there (see Layout.line_flags)
    lines: Mapping[int, str] = field(default_factory=dict)


_WS = " \t"
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_PUNCT = frozenset(string.punctuation)
_PUNCT_RE = re.compile("[" + re.escape(string.punctuation) + "]")
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAIL = ".,:;!?'\"*_~"


class _Unmappable(Exception):
    """A block's inline positions could not be verified against the source."""


# --------------------------------------------------------------------------------------
# Markdown: markdown-it-py with position recording


class _Event:
    __slots__ = ("end", "label_end", "lens", "name", "start", "tokens")

    def __init__(
        self,
        name: str,
        start: int,
        end: int,
        tokens: list[Token],
        label_end: int = -1,
        lens: list[int] | None = None,
    ) -> None:
        self.name = name
        self.start = start
        self.end = end
        self.tokens = tokens
        self.label_end = label_end
        self.lens = lens


class _Recorder:
    """A markdown-it-py instance whose inline rules report the source span they consume."""

    def __init__(self) -> None:
        md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        # keep escapes/entities as their own tokens and emphasis delimiters unmerged
        md.core.ruler.disable("text_join")
        md.inline.ruler2.disable("fragments_join")
        self.md = md
        self.events: list[_Event] = []
        self.image_bases: list[int] = []
        self.link_frames: list[list[Any]] = []
        for rule in md.inline.ruler.__rules__:
            if rule.name in ("text", "linkify"):
                continue
            if rule.name == "link":
                rule.fn = self._link_rule(rule.fn)
            elif rule.name == "image":
                rule.fn = self._image_rule(rule.fn)
            else:
                rule.fn = self._rule(rule.name, rule.fn)
        md.inline.ruler.__cache__ = None
        original_tokenize = md.inline.tokenize

        def tokenize(state: Any) -> None:
            if not hasattr(state, "_tm_base"):
                state._tm_base = self.image_bases[-1] if self.image_bases else 0
            elif self.link_frames:
                frame = self.link_frames[-1]
                if frame[0] is state and frame[1] < 0:
                    frame[1] = state.posMax
            original_tokenize(state)

        md.inline.tokenize = tokenize  # type: ignore[method-assign]

        def core_inline(state: Any) -> None:
            for token in state.tokens:
                if token.type == "inline":
                    if token.children is None:
                        token.children = []
                    self.events = []
                    token.meta["tm_events"] = self.events
                    state.md.inline.parse(token.content, state.md, state.env, token.children)

        md.core.ruler.at("inline", core_inline)
        for block_rule in md.block.ruler.__rules__:
            if block_rule.name == "table":
                block_rule.fn = self._table_rule(block_rule.fn)
            elif block_rule.name in ("paragraph", "lheading"):
                block_rule.fn = self._paragraph_rule(block_rule.fn)
        md.block.ruler.__cache__ = None

    @staticmethod
    def _new_tokens(state: Any, n0: int, had_pending: bool) -> list[Token]:
        # push() flushes pending text as a token first: skip it
        if had_pending and len(state.tokens) > n0:
            return list(state.tokens[n0 + 1 :])
        return list(state.tokens[n0:])

    def _rule(self, name: str, fn: Callable[[Any, bool], bool]) -> Callable[[Any, bool], bool]:
        is_newline = name == "newline"
        is_delims = name in ("emphasis", "strikethrough")

        def rule(state: Any, silent: bool) -> bool:
            if silent:
                return fn(state, silent)
            start = state.pos
            had_pending = bool(state.pending)
            n0 = len(state.tokens)
            if not fn(state, silent):
                return False
            base = state._tm_base
            if is_newline:
                tokens = [state.tokens[-1]]
            else:
                tokens = self._new_tokens(state, n0, had_pending)
            lens = [len(t.content) for t in tokens] if is_delims else None
            self.events.append(_Event(name, base + start, base + state.pos, tokens, -1, lens))
            return True

        return rule

    def _link_rule(self, fn: Callable[[Any, bool], bool]) -> Callable[[Any, bool], bool]:
        def rule(state: Any, silent: bool) -> bool:
            if silent:
                return fn(state, silent)
            start = state.pos
            had_pending = bool(state.pending)
            n0 = len(state.tokens)
            frame: list[Any] = [state, -1]
            self.link_frames.append(frame)
            try:
                ok = fn(state, silent)
            finally:
                self.link_frames.pop()
            if not ok:
                return False
            base = state._tm_base
            tokens = self._new_tokens(state, n0, had_pending)
            self.events.append(
                _Event(
                    "link", base + start, base + state.pos, [tokens[0], tokens[-1]], base + frame[1]
                )
            )
            return True

        return rule

    def _image_rule(self, fn: Callable[[Any, bool], bool]) -> Callable[[Any, bool], bool]:
        def rule(state: Any, silent: bool) -> bool:
            if silent:
                return fn(state, silent)
            start = state.pos
            base = state._tm_base
            self.image_bases.append(base + start + 2)
            try:
                ok = fn(state, silent)
            finally:
                self.image_bases.pop()
            if not ok:
                return False
            token = state.tokens[-1]
            label_end = base + start + 2 + len(token.content)
            self.events.append(_Event("image", base + start, base + state.pos, [token], label_end))
            return True

        return rule

    @staticmethod
    def _paragraph_rule(fn: Callable[..., bool]) -> Callable[..., bool]:
        """Record which continuation lines can never interrupt the paragraph."""

        def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
            n0 = len(state.tokens)
            ok = fn(state, start_line, end_line, silent)
            if ok and not silent:
                for token in state.tokens[n0:]:
                    if token.type == "inline" and token.map:
                        flags: dict[int, str] = {}
                        for line in range(token.map[0] + 1, token.map[1]):
                            count = state.sCount[line]
                            if count < 0:
                                flags[line] = "lazy"  # blockquote lazy line: see _line_flags
                            elif count - state.blkIndent > 3:
                                flags[line] = "deep"
                            elif (
                                state.listIndent >= 0
                                and count - state.listIndent >= 4
                                and count < state.blkIndent
                            ):
                                flags[line] = "nolist"
                            elif count < state.blkIndent:
                                flags[line] = "anynum"
                        token.meta["tm_lines"] = flags
            return ok

        return rule

    @staticmethod
    def _table_rule(fn: Callable[..., bool]) -> Callable[..., bool]:
        def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
            n0 = len(state.tokens)
            ok = fn(state, start_line, end_line, silent)
            if ok and not silent and len(state.tokens) > n0:
                table = state.tokens[n0]
                if table.type == "table_open" and table.map:
                    first, last = table.map
                    table.meta["tm_rows"] = {
                        line: state.bMarks[line] + state.tShift[line] for line in range(first, last)
                    }
            return ok

        return rule


def _indent(line: str) -> int:
    """Columns of leading whitespace (tabs to multiples of 4)."""
    col = 0
    for ch in line:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def _front_matter_lines(lines: list[str]) -> int:
    """Number of lines of a YAML front matter block at the very start (0 if none)."""
    if not lines or lines[0].rstrip(" \t") != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip(" \t") in ("---", "..."):
            return i + 1
    return 0


def _markdown_blocks(source: _Source) -> tuple[list[_Block], list[int]]:
    lines = source.lines
    fm = _front_matter_lines(lines)
    md_lines = [""] * fm + lines[fm:]
    md_src = "\n".join(md_lines)
    md_starts = [0]
    for line in md_lines[:-1]:
        md_starts.append(md_starts[-1] + len(line) + 1)
    recorder = _Recorder()
    tokens = recorder.md.parse(md_src)

    blocks: list[_Block] = []
    skipped: list[int] = []
    containers: list[str] = []
    rows: dict[int, int] = {}
    cell = -1
    parent: Token | None = None
    for token in tokens:
        kind = token.type
        if kind == "tr_open":
            cell = -1
        elif kind in ("th_open", "td_open"):
            cell += 1
        if kind in ("bullet_list_open", "ordered_list_open"):
            containers.append("list")
        elif kind == "list_item_open":
            containers.append("list item")
        elif kind == "blockquote_open":
            containers.append("blockquote")
        elif kind == "table_open":
            containers.append("table")
            rows = token.meta.get("tm_rows", {})
        elif kind in (
            "bullet_list_close",
            "ordered_list_close",
            "list_item_close",
            "blockquote_close",
            "table_close",
        ):
            if containers:
                containers.pop()
        elif kind == "inline":
            if not token.content or parent is None or not token.map:
                parent = token
                continue
            in_list = "list item" in containers
            if parent.type == "heading_open":
                context = "heading"
                mode = "heading" if parent.markup.startswith("#") else "markdown"
            elif parent.type in ("th_open", "td_open"):
                context = "table header" if parent.type == "th_open" else "table cell"
                mode = "table"
            else:
                inner = [c for c in containers if c in ("list item", "blockquote")]
                context = inner[-1] if inner else "paragraph"
                mode = "markdown"
            try:
                runs = _content_runs(token, mode, source, md_starts, rows, cell)
                atoms = _inline_atoms(token.content, token.meta.get("tm_events", []), token)
                atoms = _place_atoms(atoms, runs, source)
            except _Unmappable:
                skipped.append(token.map[0] + 1)
            else:
                flags = dict(token.meta.get("tm_lines", {}))
                for ln, flag in flags.items():
                    if flag == "lazy":
                        flags[ln] = "deep" if _indent(source.lines[ln]) >= 4 else "anynum"
                blocks.append(_Block(atoms, mode, context, in_list, flags))
        parent = token
    return blocks, skipped


# --- content → source runs ---------------------------------------------------------------


class _Runs:
    """Maps positions of an inline content string to document offsets.

    Each run says ``content[c : c + n] == document[d : d + n]``.  Content characters
    outside every run are line feeds between lines, or spaces markdown-it-py made up for
    a partly consumed tab; removed characters (the backslash of a table cell's ``\\|``)
    are document characters outside every run.
    """

    def __init__(self, runs: list[tuple[int, int, int]]) -> None:
        self.c = [r[0] for r in runs]
        self.d = [r[1] for r in runs]
        self.n = [r[2] for r in runs]

    def lo(self, pos: int) -> int:
        """Document offset of the boundary before content position *pos* (start side)."""
        i = bisect.bisect_right(self.c, pos) - 1
        if i >= 0 and pos < self.c[i] + self.n[i]:
            return self.d[i] + pos - self.c[i]
        if i + 1 < len(self.c):
            if i >= 0 and pos == self.c[i] + self.n[i] and self.c[i + 1] > pos:
                return self.d[i] + self.n[i]
            return self.d[i + 1]
        if i >= 0:
            return self.d[i] + self.n[i]
        raise _Unmappable

    def hi(self, pos: int) -> int:
        """Document offset of the boundary after content position *pos* - 1 (end side)."""
        i = bisect.bisect_left(self.c, pos) - 1  # runs starting before pos
        if i >= 0 and pos <= self.c[i] + self.n[i]:
            return self.d[i] + pos - self.c[i]
        return self.lo(pos)


def _content_runs(
    token: Token,
    mode: str,
    source: _Source,
    md_starts: list[int],
    rows: dict[int, int],
    cell: int,
) -> _Runs:
    content = token.content
    assert token.map is not None
    first = token.map[0]
    if mode == "table":
        return _cell_runs(token, source, md_starts, rows, cell)
    if mode == "heading":
        line = source.lines[first]
        end = len(line.rstrip(_WS))
        hashes = end
        while hashes > 0 and line[hashes - 1] == "#":
            hashes -= 1
        if hashes < end and hashes > 0 and line[hashes - 1] in _WS:
            end = hashes
        end = len(line[:end].rstrip(_MD_TRIM))
        start = end - len(content)
        if start < 0 or line[start:end] != content:
            raise _Unmappable
        return _Runs([(0, source.offset(first, start), len(content))])
    runs: list[tuple[int, int, int]] = []
    parts = content.split("\n")
    c = 0
    for i, part in enumerate(parts):
        ln = first + i
        if ln >= len(source.lines):
            raise _Unmappable
        line = source.lines[ln]
        if i == len(parts) - 1:
            line = line.rstrip(_MD_TRIM)
        pad = 0
        while not line.endswith(part[pad:]):
            if pad < len(part) and part[pad] == " ":
                pad += 1
            else:
                raise _Unmappable
        n = len(part) - pad
        runs.append((c + pad, source.offset(ln, len(line) - n), n))
        c += len(part) + 1
    return _Runs(runs)


def _cell_runs(
    token: Token, source: _Source, md_starts: list[int], rows: dict[int, int], index: int
) -> _Runs:
    """Runs of a table cell: re-split the row the way markdown-it-py's table rule does."""
    assert token.map is not None
    ln = token.map[0]
    if ln not in rows:
        raise _Unmappable
    line = source.lines[ln]
    col = rows[ln] - md_starts[ln]
    cells = _split_row(line, col)
    if index < 0 or index >= len(cells):
        raise _Unmappable
    pieces = cells[index]
    runs: list[tuple[int, int, int]] = []
    c = 0
    for text, start in pieces:
        if text:
            runs.append((c, source.offset(ln, start), len(text)))
            c += len(text)
    if "".join(t for t, _ in pieces) != token.content:
        raise _Unmappable
    return _Runs(runs)


def _split_row(line: str, col: int) -> list[list[tuple[str, int]]]:
    """Cells of a table row as (text, column) pieces, after trimming like markdown-it-py."""
    end = len(line)
    start = col
    while start < end and line[start] in _MD_TRIM:
        start += 1
    while end > start and line[end - 1] in _MD_TRIM:
        end -= 1
    cells: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    pos = start
    last = start
    escaped = False
    while pos < end:
        ch = line[pos]
        if ch == "|":
            if not escaped:
                current.append((line[last:pos], last))
                cells.append(current)
                current = []
                last = pos + 1
            else:
                current.append((line[last : pos - 1], last))
                last = pos
        escaped = ch == "\\"
        pos += 1
    current.append((line[last:end], last))
    cells.append(current)
    if cells and "".join(t for t, _ in cells[0]) == "":
        cells.pop(0)
    if cells and "".join(t for t, _ in cells[-1]) == "":
        cells.pop()
    return [_trim_pieces(cell) for cell in cells]


def _trim_pieces(pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out = [(t, s) for t, s in pieces if t]
    while out:
        t, s = out[0]
        stripped = t.lstrip(_MD_TRIM)
        if stripped:
            out[0] = (stripped, s + len(t) - len(stripped))
            break
        out.pop(0)
    while out:
        t, s = out[-1]
        stripped = t.rstrip(_MD_TRIM)
        if stripped:
            out[-1] = (stripped, s)
            break
        out.pop()
    return out


# --- inline events → atoms ---------------------------------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TAG_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^>]*)?>\Z", re.DOTALL)
_TAG_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>\Z")


def _inline_atoms(content: str, events: list[_Event], inline: Token) -> list[_Atom]:
    """Classify the inline content into atoms (text gaps filled in later)."""
    specs: list[_Atom] = []
    opens: dict[int, _Atom] = {}
    closes: dict[int, _Atom] = {}
    wholes: list[tuple[int, int]] = []
    delimiter_events: list[_Event] = []
    for ev in events:
        name = ev.name
        if name in ("link", "image"):
            close_markup = content[ev.label_end : ev.end]
            label = content[ev.start + (2 if name == "image" else 1) : ev.label_end]
            if close_markup in ("]", "][]") or not _LETTER.search(label):
                specs.append(_Atom("X", ev.start, ev.end))
                wholes.append((ev.start, ev.end))
                continue
            o = _Atom("O", ev.start, ev.start + (2 if name == "image" else 1), info=False)
            c = _Atom("C", ev.label_end, ev.end, info=False)
            specs += [o, c]
            if name == "image":
                o.pid = c.pid = id(ev.tokens[0])
            else:
                opens[id(ev.tokens[0])] = o
                closes[id(ev.tokens[-1])] = c
        elif name == "newline":
            kind = "H" if ev.tokens[-1].type == "hardbreak" else "S"
            specs.append(_Atom(kind, ev.start, ev.end))
        elif name == "escape":
            tok = ev.tokens[0] if ev.tokens else None
            if tok is None:
                continue
            if tok.type == "hardbreak":
                specs.append(_Atom("H", ev.start, ev.end))
            elif tok.content != tok.markup:
                specs.append(_escaped_atom(ev.start, ev.end, tok.content))
        elif name == "entity":
            if ev.tokens:
                specs.append(_escaped_atom(ev.start, ev.end, ev.tokens[0].content))
        elif name in ("emphasis", "strikethrough"):
            delimiter_events.append(ev)
        elif name == "html_inline":
            specs.append(_Atom("X", ev.start, ev.end, content[ev.start : ev.end], info="html"))
        elif ev.tokens:  # backticks (code span), autolink, anything else that made tokens
            specs.append(_Atom("X", ev.start, ev.end))
            wholes.append((ev.start, ev.end))

    for ev in delimiter_events:
        assert ev.lens is not None
        starts = [ev.start]
        for n in ev.lens:
            starts.append(starts[-1] + n)
        toks = ev.tokens
        for j, tok in enumerate(toks):
            s, e = starts[j], starts[j + 1]
            if tok.type.endswith("_open"):
                if tok.type == "strong_open":
                    if j == 0 or toks[j - 1].content != "" or toks[j - 1].type != "text":
                        raise _Unmappable
                    s = starts[j - 1]
                atom = _Atom("O", s, e, info=True)
                opens[id(tok)] = atom
                specs.append(atom)
            elif tok.type.endswith("_close"):
                if tok.type == "strong_close":
                    if (
                        j + 1 >= len(toks)
                        or toks[j + 1].content != ""
                        or toks[j + 1].type != "text"
                    ):
                        raise _Unmappable
                    e = starts[j + 2]
                atom = _Atom("C", s, e, info=True)
                closes[id(tok)] = atom
                specs.append(atom)

    # pair opening and closing tokens through the (well-nested) token stream
    def walk(tokens: list[Token]) -> None:
        stack: list[Token] = []
        for tok in tokens:
            if tok.nesting == 1:
                stack.append(tok)
            elif tok.nesting == -1 and stack:
                o = stack.pop()
                if id(o) in opens and id(tok) in closes:
                    opens[id(o)].pid = closes[id(tok)].pid = id(o)
            if tok.type == "image" and tok.children:
                walk(tok.children)

    walk(inline.children or [])

    if wholes:
        wholes.sort()
        starts_w = [w[0] for w in wholes]

        def inside(atom: _Atom) -> bool:
            i = bisect.bisect_right(starts_w, atom.cs) - 1
            while i >= 0:
                s, e = wholes[i]
                if s <= atom.cs and atom.ce <= e and (s, e) != (atom.cs, atom.ce):
                    return True
                i -= 1
                if i >= 0 and wholes[i][1] <= atom.cs:
                    break
            return False

        specs = [a for a in specs if not inside(a)]

    for atom in specs:
        if atom.kind in "OC" and atom.pid == -1:
            atom.kind = "X"  # unpaired (cannot happen with well-formed tokens)
    specs.sort(key=lambda a: a.cs)

    # fill the gaps with text
    atoms: list[_Atom] = []
    pos = 0
    for atom in specs:
        if atom.cs < pos:
            raise _Unmappable
        if atom.cs > pos:
            atoms.append(_Atom("T", pos, atom.cs, content[pos : atom.cs]))
        atoms.append(atom)
        pos = atom.ce
    if pos < len(content):
        atoms.append(_Atom("T", pos, len(content), content[pos:]))

    # trailing spaces before a line break belong to the break
    for i, atom in enumerate(atoms):
        if atom.kind in "SH" and i > 0 and atoms[i - 1].kind == "T":
            prev = atoms[i - 1]
            kept = prev.text.rstrip(_WS)
            if len(kept) < len(prev.text):
                atom.cs -= len(prev.text) - len(kept)
                prev.ce = atom.cs
                prev.text = kept
    atoms = [a for a in atoms if a.kind != "T" or a.text]
    _pair_html(atoms)
    return _protect(atoms)


def _escaped_atom(start: int, end: int, char: str) -> _Atom:
    if len(char) != 1 or (char.isspace() and char not in "\u00a0\u202f\u2007"):
        return _Atom("X", start, end)
    return _Atom("E", start, end, char)


def _pair_html(atoms: list[_Atom]) -> None:
    """Pair inline HTML opening/closing tags that enclose the same Markdown context."""
    # innermost enclosing Markdown pair of every atom
    enclosing: list[int] = []
    stack: list[int] = []
    for atom in atoms:
        if atom.kind == "C" and stack:
            stack.pop()
        enclosing.append(stack[-1] if stack else -1)
        if atom.kind == "O":
            stack.append(atom.pid)
    open_tags: list[tuple[str, int]] = []
    for i, atom in enumerate(atoms):
        if atom.kind != "X" or atom.info != "html":
            continue
        markup = atom.text
        m_close = _TAG_CLOSE.match(markup)
        m_open = _TAG_OPEN.match(markup)
        if m_open and not markup.endswith("/>") and m_open.group(1).lower() not in _VOID:
            open_tags.append((m_open.group(1).lower(), i))
        elif m_close:
            name = m_close.group(1).lower()
            for k in range(len(open_tags) - 1, -1, -1):
                if open_tags[k][0] == name:
                    j = open_tags[k][1]
                    del open_tags[k:]
                    if enclosing[j] == enclosing[i]:
                        atoms[j].kind, atoms[i].kind = "O", "C"
                        atoms[j].pid = atoms[i].pid = id(atoms[j])
                        atoms[j].info = atoms[i].info = False
                    break


def _protect(atoms: list[_Atom]) -> list[_Atom]:
    """Bare URLs and placeholder-like text become single placeholders.

    URLs are found in text atoms; placeholder-like text (``<x1/>``, also when spelled
    with entities or escapes) in the engine text of consecutive text/escaped atoms.
    """
    out: list[_Atom] = []
    for atom in atoms:
        if atom.kind != "T" or ("://" not in atom.text and "www." not in atom.text.lower()):
            out.append(atom)
            continue
        spans = []
        for m in _URL.finditer(atom.text):
            end = m.end()
            url = m.group(0)
            while (url and url[-1] in _URL_TRAIL) or (
                url.endswith(")") and url.count("(") < url.count(")")
            ):
                url = url[:-1]
                end -= 1
            if len(url) > 7:
                spans.append((m.start(), end))
        out.extend(_cut(atom, spans))
    return _protect_placeholders(out)


def _cut(atom: _Atom, spans: list[tuple[int, int]]) -> list[_Atom]:
    """Split text atom *atom* so that each span of its text becomes a single placeholder."""
    if not spans:
        return [atom]
    out: list[_Atom] = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        if s > pos:
            out.append(_Atom("T", atom.cs + pos, atom.cs + s, atom.text[pos:s]))
        out.append(_Atom("X", atom.cs + s, atom.cs + e))
        pos = e
    if pos < len(atom.text):
        out.append(_Atom("T", atom.cs + pos, atom.ce, atom.text[pos:]))
    return out


def _protect_placeholders(atoms: list[_Atom]) -> list[_Atom]:
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        if atoms[i].kind not in "TE":
            out.append(atoms[i])
            i += 1
            continue
        j = i
        while j < len(atoms) and atoms[j].kind in "TE":
            j += 1
        run = atoms[i:j]
        joined = "".join(a.text for a in run)
        if "<" not in joined:
            out.extend(run)
            i = j
            continue
        # joined-text offset of each atom
        offsets = []
        o = 0
        for a in run:
            offsets.append(o)
            o += len(a.text)
        pos = 0  # joined offset already emitted
        k = 0  # current atom
        for m in LOOSE_RE.finditer(joined):
            ms, me = m.start(), m.end()
            # emit text before the match
            while k < len(run) and offsets[k] + len(run[k].text) <= ms:
                out.append(_tail(run[k], pos - offsets[k]) if pos > offsets[k] else run[k])
                pos = offsets[k] + len(run[k].text)
                k += 1
            if k < len(run) and ms > pos:
                a = run[k]
                out.append(
                    _Atom("T", a.cs + pos - offsets[k], a.cs + ms - offsets[k], joined[pos:ms])
                )
            # the match itself
            cs = run[k].cs + (ms - offsets[k]) if run[k].kind == "T" else run[k].cs
            while k < len(run) and offsets[k] + len(run[k].text) < me:
                k += 1
            a = run[k]
            ce = a.cs + (me - offsets[k]) if a.kind == "T" else a.ce
            out.append(_Atom("X", cs, ce))
            pos = me
            if offsets[k] + len(a.text) == me:
                k += 1
        while k < len(run):
            out.append(_tail(run[k], pos - offsets[k]) if pos > offsets[k] else run[k])
            k += 1
        i = j
    return out


def _tail(atom: _Atom, skip: int) -> _Atom:
    """The text atom *atom* without its first *skip* characters."""
    return _Atom("T", atom.cs + skip, atom.ce, atom.text[skip:])


def _place_atoms(atoms: list[_Atom], runs: _Runs, source: _Source) -> list[_Atom]:
    """Give every atom its document span; split text atoms at removed characters."""
    doc = source.norm
    out: list[_Atom] = []
    for atom in atoms:
        atom.ds = runs.lo(atom.cs)
        atom.de = runs.hi(atom.ce)
        if atom.kind == "T" and (
            doc[atom.ds : atom.de] != atom.text or runs.hi(atom.cs) != atom.ds
        ):
            out.extend(_split_text_atom(atom, runs, doc))
        else:
            out.append(atom)
    for i in range(1, len(out)):
        if out[i].ds != out[i - 1].de:
            raise _Unmappable
    for atom in out:
        if atom.kind == "T":
            if doc[atom.ds : atom.de] != atom.text:
                raise _Unmappable
            atom.text = source.text[atom.ds : atom.de]  # NUL stays NUL
        if atom.kind == "X" and not atom.text:
            atom.text = doc[atom.ds : atom.de]
    return out


def _split_text_atom(atom: _Atom, runs: _Runs, doc: str) -> list[_Atom]:
    """A text atom over removed characters (``\\|`` in a table cell): text + escaped parts."""
    out: list[_Atom] = []
    pos = atom.cs
    prev_end = runs.hi(atom.cs)
    while pos < atom.ce:
        d = runs.lo(pos)
        if d != prev_end:
            # characters were removed before this one: it is an escaped character
            e = _Atom("E", pos, pos + 1, atom.text[pos - atom.cs])
            e.ds, e.de = prev_end, d + 1
            out.append(e)
            prev_end = d + 1
            pos += 1
            continue
        end = pos + 1
        while end < atom.ce and runs.lo(end) == d + (end - pos):
            end += 1
        t = _Atom("T", pos, end, atom.text[pos - atom.cs : end - atom.cs])
        t.ds, t.de = d, d + (end - pos)
        out.append(t)
        prev_end = t.de
        pos = end
    return out


# --------------------------------------------------------------------------------------
# plain text


def _text_blocks(source: _Source) -> list[_Block]:
    blocks: list[_Block] = []
    lines = source.lines
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        atoms: list[_Atom] = []
        for k in range(i, j):
            line = lines[k]
            start = len(line) - len(line.lstrip())
            end = len(line.rstrip())
            ds, de = source.offset(k, start), source.offset(k, end)
            if atoms:
                brk = _Atom("S", atoms[-1].ce, ds)
                brk.ds, brk.de = atoms[-1].de, ds
                atoms.append(brk)
            t = _Atom("T", ds, de, source.text[ds:de])
            t.ds, t.de = ds, de
            atoms.append(t)
        protected = _protect(atoms)
        for atom in protected:
            if atom.kind == "X":
                atom.ds, atom.de = atom.cs, atom.ce
                atom.text = source.text[atom.ds : atom.de]
            elif atom.kind == "T":
                atom.ds, atom.de = atom.cs, atom.ce
        blocks.append(_Block(protected, "text", "paragraph", False))
        i = j
    return blocks


# --------------------------------------------------------------------------------------
# sentences → segments


def _is_space_atom(atom: _Atom) -> bool:
    if atom.kind in "SH":
        return True
    if atom.kind in "TE":
        return atom.text != "" and atom.text.isspace()
    return False


def _block_segments(block: _Block, source: _Source, lang: str) -> list[Segment]:
    atoms = block.atoms
    if not atoms:
        return []
    # plain text for the sentence splitter
    parts: list[str] = []
    pos = 0
    for atom in atoms:
        p = atom.plain()
        atom.p0 = pos
        pos += len(p)
        atom.p1 = pos
        parts.append(p)
    plain = "".join(parts)
    if not _LETTER.search(plain):
        return []
    spans = split_sentences(plain, lang)
    if not spans:
        return []
    # split text atoms at sentence boundaries so that gaps are made of whole atoms
    cuts = sorted({p for span in spans for p in span})
    atoms = _split_at(atoms, cuts)
    # pairs around the whole block stay outside: sentences are cut inside them
    blo, bhi = _hoist(atoms, 0, len(atoms))
    depth_before: list[int] = []
    depth = 0
    for index, atom in enumerate(atoms):
        if index == blo:
            depth = 0
        depth_before.append(depth)
        if atom.kind == "O":
            depth += 1
        elif atom.kind == "C":
            depth -= 1

    # choose a cut region (whitespace outside every pair) between consecutive sentences
    p0s = [atom.p0 for atom in atoms]
    regions: list[tuple[int, int]] = []
    for k in range(len(spans) - 1):
        b, a = spans[k][1], spans[k + 1][0]
        j = max(bisect.bisect_left(p0s, b), blo)
        while j < bhi and atoms[j].p1 <= a:
            if atoms[j].p1 > atoms[j].p0 and _is_space_atom(atoms[j]) and depth_before[j] == 0:
                r0 = j
                while (
                    j < bhi
                    and atoms[j].p1 <= a
                    and atoms[j].p1 > atoms[j].p0
                    and _is_space_atom(atoms[j])
                ):
                    j += 1
                regions.append((r0, j))
                break
            j += 1
    # segments between regions
    bounds: list[tuple[int, int]] = []
    prev = blo
    for r0, r1 in regions:
        bounds.append((prev, r0))
        prev = r1
    bounds.append((prev, bhi))
    closer_at = {atom.pid: i for i, atom in enumerate(atoms) if atom.kind == "C"}
    # openers before the segment that close after it, kept incrementally (segments come in
    # order): rescanning atoms[:lo] for every segment made long paragraphs quadratic
    openers = [i for i, atom in enumerate(atoms) if atom.kind == "O" and atom.info]
    next_opener = 0
    active: list[int] = []

    segments: list[Segment] = []
    for lo0, hi0 in bounds:
        lo, hi = _hoist(atoms, lo0, hi0)
        if lo >= hi:
            continue
        while next_opener < len(openers) and openers[next_opener] < lo:
            active.append(openers[next_opener])
            next_opener += 1
        active = [i for i in active if closer_at.get(atoms[i].pid, -1) >= hi]
        outer = "".join(source.text[atoms[i].ds] for i in active)
        seg_atoms = atoms[lo:hi]
        if not any(a.kind in "TE" and _LETTER.search(a.text) for a in seg_atoms):
            continue
        if lo == 0:
            line_start: str | None = "block"
        elif atoms[lo - 1].kind in "SH":
            line_start = "line"
        else:
            line_start = None
        after = hi
        while after < len(atoms) and atoms[after].kind in "TE" and _is_space_atom(atoms[after]):
            after += 1
        ends_line = after == len(atoms) or atoms[after].kind in "SH"
        segments.append(
            _make_segment(seg_atoms, block, source, line_start, hi == len(atoms), ends_line, outer)
        )
    return segments


def _split_at(atoms: list[_Atom], cuts: list[int]) -> list[_Atom]:
    out: list[_Atom] = []
    ci = 0
    for atom in atoms:
        if atom.kind != "T":
            out.append(atom)
            continue
        while ci < len(cuts) and cuts[ci] <= atom.p0:
            ci += 1
        # pieces are cut from the atom itself: re-slicing the remainder at every cut made a
        # long paragraph quadratic
        prev = 0
        k = ci
        while k < len(cuts) and cuts[k] < atom.p1:
            cut = cuts[k] - atom.p0
            left = _Atom("T", atom.cs + prev, atom.cs + cut, atom.text[prev:cut])
            left.ds, left.de = atom.ds + prev, atom.ds + cut
            left.p0, left.p1 = atom.p0 + prev, atom.p0 + cut
            out.append(left)
            prev = cut
            k += 1
        if prev == 0:
            out.append(atom)
            continue
        right = _Atom("T", atom.cs + prev, atom.ce, atom.text[prev:])
        right.ds, right.de, right.p0, right.p1 = atom.ds + prev, atom.de, atom.p0 + prev, atom.p1
        out.append(right)
    return out


def _hoist(atoms: list[_Atom], lo: int, hi: int) -> tuple[int, int]:
    """Shrink [lo, hi) past surrounding whitespace and pairs that enclose everything."""
    while lo < hi:
        if _is_space_atom(atoms[lo]):
            lo += 1
        elif _is_space_atom(atoms[hi - 1]):
            hi -= 1
        elif (
            atoms[lo].kind == "O"
            and atoms[hi - 1].kind == "C"
            and atoms[lo].pid == atoms[hi - 1].pid
        ):
            lo += 1
            hi -= 1
        else:
            break
    return lo, hi


def _make_segment(
    atoms: list[_Atom],
    block: _Block,
    source: _Source,
    line_start: str | None,
    ends: bool,
    ends_line: bool,
    outer: str,
) -> Segment:
    doc = source.text
    text: list[str] = []
    placeholders: dict[str, str] = {}
    numbers: dict[int, int] = {}
    breaks: list[str] = []
    line_flags: list[str] = []
    forms: dict[str, list[str]] = {}
    flanking: set[str] = set()
    hard: dict[str, str] = {}
    n = 0
    for atom in atoms:
        kind = atom.kind
        if kind == "T":
            text.append(atom.text)
            for ch in _PUNCT_RE.findall(atom.text):
                forms.setdefault(ch, []).append(ch)
        elif kind == "E":
            text.append(atom.text)
            forms.setdefault(atom.text, []).append(doc[atom.ds : atom.de])
        elif kind == "S":
            text.append("\n")
            breaks.append(doc[atom.ds : atom.de])
            line_flags.append(block.lines.get(source.line_of(atom.de), ""))
        elif kind == "O":
            n += 1
            numbers[atom.pid] = n
            token, _ = pair_tokens(n)
            placeholders[token] = doc[atom.ds : atom.de]
            if atom.info:
                flanking.add(token)
            text.append(token)
        elif kind == "C":
            _, token = pair_tokens(numbers[atom.pid])
            placeholders[token] = doc[atom.ds : atom.de]
            text.append(token)
        else:  # X, H
            n += 1
            token = single_token(n)
            placeholders[token] = doc[atom.ds : atom.de]
            if kind == "H":
                hard[token] = block.lines.get(source.line_of(atom.de), "")
            text.append(token)
    start, end = atoms[0].ds, atoms[-1].de
    layout = Layout(
        mode=block.mode,
        breaks=tuple(breaks),
        line_flags=tuple(line_flags),
        forms={ch: tuple(f) for ch, f in forms.items()},
        flanking=frozenset(flanking),
        hard_breaks=hard,
        line_start=line_start if block.mode in ("markdown", "text") else None,
        ends_block=ends,
        ends_line=ends_line,
        in_list=block.in_list,
        outer=outer,
    )
    return Segment(
        id=0,
        text="".join(text),
        source=doc[start:end],
        line=source.line_of(start) + 1,
        placeholders=placeholders,
        context=block.context,
        start=start,
        end=end,
        layout=layout,
    )


# --------------------------------------------------------------------------------------
# rendering translations


def _fix_pairs(
    pieces: list[Piece], segment: Segment, overrides: dict[str, str], messages: list[str]
) -> list[Piece]:
    """Keep emphasis-like pairs valid: no whitespace just inside them, no empty pairs."""
    flanking = segment.layout.flanking
    if not flanking:
        return pieces
    pieces = list(pieces)
    for token in sorted(flanking):
        close = partner(token)
        try:
            io = pieces.index((True, token))
            ic = pieces.index((True, close))
        except ValueError:
            continue
        # whitespace just inside the pair moves outside
        if io + 1 < ic and not pieces[io + 1][0]:
            inner = pieces[io + 1][1]
            stripped = inner.lstrip()
            if stripped != inner:
                pieces[io + 1] = (False, stripped)
                pieces.insert(io, (False, inner[: len(inner) - len(stripped)]))
                io += 1
                ic += 1
        if ic - 1 > io and not pieces[ic - 1][0]:
            inner = pieces[ic - 1][1]
            stripped = inner.rstrip()
            if stripped != inner:
                pieces[ic - 1] = (False, stripped)
                pieces.insert(ic + 1, (False, inner[len(stripped) :]))
        inside = pieces[io + 1 : ic]
        if all(not is_ph and not value.strip() for is_ph, value in inside):
            del pieces[io : ic + 1]
            pieces.insert(io, (False, "".join(v for _, v in inside)))
            messages.append(f"dropped empty {token!r}…{close!r}")
            continue
        markup = segment.placeholders[token]
        if "_" in markup:
            before = _text_before(pieces, io)
            after = _text_after(pieces, ic)
            if (before and before[-1].isalnum()) or (after and after[0].isalnum()):
                overrides[token] = markup.replace("_", "*")
                overrides[close] = segment.placeholders[close].replace("_", "*")
    pieces = [p for p in pieces if p[0] or p[1]]
    # Delimiters whose neighbours changed class (space, punctuation, other) must still
    # work: an opener followed by punctuation needs space or punctuation before it, a
    # closer after punctuation needs them after it, and an opener inside a pair of the
    # same character must not be able to close that pair.
    source_pieces, _ = repair_placeholders(segment.text, list(segment.placeholders))
    nested: set[str] = set()
    stack: list[str] = []
    for is_ph, value in pieces:
        if is_ph and value in flanking:
            char = overrides.get(value, segment.placeholders[value])[:1]
            if char in segment.layout.outer or any(
                overrides.get(t, segment.placeholders[t])[:1] == char for t in stack
            ):
                nested.add(value)
            stack.append(value)
        elif is_ph and is_close(value) and partner(value) in stack:
            stack.remove(partner(value))
    for token in sorted(flanking):
        close = partner(token)
        if (True, token) not in pieces or (True, close) not in pieces:
            continue
        for mark in (token, close):
            i = pieces.index((True, mark))
            before = _char_near(pieces, i, -1, segment, overrides)
            after = _char_near(pieces, i, 1, segment, overrides)
            j = source_pieces.index((True, mark))
            was = (
                _char_class(_char_near(source_pieces, j, -1, segment, {})),
                _char_class(_char_near(source_pieces, j, 1, segment, {})),
            )
            if (_char_class(before), _char_class(after)) == was:
                continue
            if mark == token:
                in_run = i > 0 and pieces[i - 1][0] and pieces[i - 1][1] in flanking
                right_flanking = _char_class(before) == "other" or (
                    _char_class(before) == "punct" and _char_class(after) != "other"
                )
                if in_run or _char_class(before) == "space":
                    continue
                if (mark in nested and right_flanking) or (
                    _char_class(after) == "punct" and _char_class(before) == "other"
                ):
                    pieces.insert(i, (False, " "))
            elif _char_class(before) == "punct" and _char_class(after) == "other":
                pieces.insert(i + 1, (False, " "))
            elif (
                token in nested
                and _char_class(after) != "space"
                and (_char_class(after) == "other" or _char_class(before) == "punct")
                and not (i + 1 < len(pieces) and pieces[i + 1][0] and is_close(pieces[i + 1][1]))
            ):
                # a closer that could also open, inside a pair of its character: the
                # "multiple of 3" rule may stop it from closing
                pieces.insert(i + 1, (False, " "))
    return pieces


def _char_class(ch: str) -> str:
    """``space`` (or nothing), ``punct`` or ``other``, as delimiter runs see a neighbour."""
    if not ch or ch.isspace():
        return "space"
    return "punct" if _is_punct(ch) else "other"


def _line_start_tokens(pieces: list[Piece], layout: Layout) -> list[tuple[int, str]]:
    """(index, token) of the placeholders that start a line (after whitespace)."""
    found: list[tuple[int, str]] = []
    at_start = bool(layout.line_start)
    for i, (is_ph, value) in enumerate(pieces):
        if is_ph:
            if at_start:
                found.append((i, value))
            at_start = value in layout.hard_breaks
        elif "\n" in value:
            at_start = not value[value.rfind("\n") + 1 :].strip(_WS)
        elif value.strip(_WS):
            at_start = False
    return found


def _fix_line_starts(pieces: list[Piece], segment: Segment, messages: list[str]) -> list[Piece]:
    """No hard break at the edges of a segment; no inline HTML newly at a line start."""
    lay = segment.layout
    pieces = list(pieces)
    for edge in (0, -1):
        while pieces:
            k = 0 if edge == 0 else len(pieces) - 1
            is_ph, value = pieces[k]
            if not is_ph and not value.strip():
                if len(pieces) > 1 and (pieces[k + 1] if edge == 0 else pieces[k - 1])[0]:
                    nxt = pieces[k + 1] if edge == 0 else pieces[k - 1]
                    if nxt[1] in lay.hard_breaks:
                        del pieces[k]
                        continue
                break
            if is_ph and value in lay.hard_breaks:
                del pieces[k]
                messages.append(f"dropped line break {value!r} at the edge of the segment")
                continue
            break
    source_pieces, _ = repair_placeholders(segment.text, list(segment.placeholders))
    before = {token for _, token in _line_start_tokens(source_pieces, lay)}
    fixed: set[str] = set()
    while True:
        offending = [
            (index, token)
            for index, token in _line_start_tokens(pieces, lay)
            if token not in before
            and token not in fixed
            and _HTML_BLOCK_START.match(segment.placeholders[token])
        ]
        if not offending:
            break
        index, token = offending[0]
        fixed.add(token)
        # inline HTML at the start of a line could open an HTML block: put a word first
        for t in range(index + 1, len(pieces)):
            is_ph, value = pieces[t]
            m = None if is_ph else re.match(r"\s*\S+", value)
            if m:
                pieces[t] = (False, value[m.end() :])
                pieces.insert(index, (False, value[: m.end()].lstrip() + " "))
                messages.append(f"moved {token!r} off the start of a line")
                break
    return [p for p in pieces if p[0] or p[1]]


def _is_punct(ch: str) -> bool:
    return bool(ch) and (ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS")


def _char_near(
    pieces: list[Piece], index: int, step: int, segment: Segment, overrides: Mapping[str, str]
) -> str:
    """The character next to piece *index* (``step`` -1: before, 1: after) as rendered.

    Neighbouring emphasis markup of the same character is part of the same delimiter
    run and is looked through.
    """
    own = pieces[index][1]
    char = overrides.get(own, segment.placeholders.get(own, ""))[:1]
    k = index + step
    while 0 <= k < len(pieces):
        is_ph, value = pieces[k]
        if is_ph:
            value = overrides.get(value, segment.placeholders.get(value, ""))
            if value and char and value.strip(char) == "":
                k += step
                continue
        if value:
            return value[-1] if step < 0 else value[0]
        k += step
    return ""


def _text_before(pieces: list[Piece], index: int) -> str:
    for k in range(index - 1, -1, -1):
        if not pieces[k][0] and pieces[k][1]:
            return pieces[k][1]
        if pieces[k][0]:
            return ""
    return ""


def _text_after(pieces: list[Piece], index: int) -> str:
    for k in range(index + 1, len(pieces)):
        if not pieces[k][0] and pieces[k][1]:
            return pieces[k][1]
        if pieces[k][0]:
            return ""
    return ""


#: characters whose source spelling is reused only when none of them changed in number
_STRUCTURAL = "\\*_`[]<>!&~|"
_ENTITY_LIKE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_HTML = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
# a line that would interrupt a paragraph (continuation lines)
_INTERRUPT = re.compile(
    r"(?:#{1,6}(?:[ \t]|$)|>|[-+*][ \t]+\S|`{3,}|~{3,}"
    r"|<(?:script|pre|style|textarea)(?:[ \t>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\["
    r"|</?(?:" + _BLOCK_HTML + r")(?:[ \t>]|/>|$))",
    re.IGNORECASE,
)
# inline HTML that starts an HTML block (kinds 1-6) when it begins a line
_HTML_BLOCK_START = re.compile(
    r"<(?:script|pre|style|textarea)(?:[ \t>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\["
    r"|</?(?:" + _BLOCK_HTML + r")(?:[ \t>]|/>|$)",
    re.IGNORECASE,
)
# a line that would start a block (the first line of a block)
_BLOCK_START = re.compile(
    r"(?:#{1,6}(?:[ \t]|$)|>|[-+*](?:[ \t]|$)|`{3,}|~{3,}|<[A-Za-z/!?]|\[[^\]]*\]:)"
)
_LIST_MARK = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])[ \t]")
_ORDERED = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")
_ORDERED_INTERRUPT = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]+\S)")
_WHOLE_LINE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_HEADING_END = re.compile(r"(?:^|[ \t])(#+)[ \t]*$")


def _escape_line_start(text: str, kind: str, whole_line: bool) -> str:
    """Escape the start of a line of translated text that would start a block there.

    *kind* is ``block`` (the block's first line) or a continuation line's flag: ``line``
    (the usual interruptions), ``anynum``, ``nolist`` or ``deep`` (see :class:`Layout`).
    """
    if not text or kind == "deep":
        return text
    if kind == "block":
        if _BLOCK_START.match(text) or (whole_line and _WHOLE_LINE.match(text)):
            return "\\" + text
        m = _ORDERED.match(text)
        if m:
            return text[: m.end(1)] + "\\" + text[m.end(1) :]
        return text
    if whole_line and (_WHOLE_LINE.match(text) or _SETEXT.match(text)):
        return "\\" + text
    m = _INTERRUPT.match(text)
    if m and not (kind == "nolist" and _LIST_MARK.match(text)):
        return "\\" + text
    m = _ORDERED_INTERRUPT.match(text)
    if m and kind != "nolist" and (kind == "anynum" or m.group(1) == "1"):
        return text[: m.end(1)] + "\\" + text[m.end(1) :]
    return text


def _escape_char(ch: str, text: str, j: int, mode: str) -> bool:
    """Must *ch* (at ``text[j]``, a character the source did not spell) be escaped?"""
    if ch in "\\*`[]<":
        return True
    if ch == "_":
        before = text[j - 1] if j > 0 else " "
        after = text[j + 1] if j + 1 < len(text) else " "
        return not (before.isalnum() and after.isalnum())
    if ch == "~":
        return (j > 0 and text[j - 1] == "~") or (j + 1 < len(text) and text[j + 1] == "~")
    if ch == "&":
        return _ENTITY_LIKE.match(text, j) is not None
    if ch == "|":
        return mode == "table"
    return False


def _render(pieces: list[Piece], segment: Segment, overrides: Mapping[str, str]) -> str:
    lay = segment.layout
    single_line = lay.mode in ("table", "heading")
    # chunks: ("text", s) / ("markup", s) / ("hard", s) / ("break", s)
    chunks: list[list[str]] = []
    for is_ph, value in pieces:
        if is_ph:
            markup = overrides.get(value, segment.placeholders[value])
            if value in lay.hard_breaks:
                chunks.append(["hard", markup, lay.hard_breaks[value]])
            else:
                chunks.append(["markup", markup, ""])
            continue
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        for i, line in enumerate(value.split("\n")):
            if i > 0:
                chunks.append(["text", " ", ""] if single_line else ["break", "", ""])
            if line:
                chunks.append(["text", line, ""])
    # assign the source's line breaks; drop breaks that would leave an empty line (a
    # dropped break is a space: marked with a character the translation does not contain)
    dropped = next(
        ch for ch in "\x00\ue000\ue001\ue002\ue003" if all(ch not in c[1] for c in chunks)
    )
    used = 0
    line_has_content = False
    for chunk in chunks:
        if chunk[0] == "break":
            if line_has_content and used < len(lay.breaks):
                chunk[1] = lay.breaks[used]
                chunk[2] = lay.line_flags[used] if used < len(lay.line_flags) else ""
                used += 1
                line_has_content = False
            else:
                chunk[0], chunk[1] = "text", dropped
        elif chunk[0] == "hard":
            line_has_content = False
        elif chunk[0] == "markup" or chunk[1].strip(_WS):
            line_has_content = True
    # a break at the very end becomes a space (then trimmed)
    for k in range(len(chunks) - 1, -1, -1):
        if chunks[k][0] == "break":
            if any(c[0] != "text" or c[1].strip(_WS) for c in chunks[k + 1 :]):
                break
            chunks[k][0], chunks[k][1] = "text", dropped
    # merge adjacent text chunks (a dropped line break is one space), trim line edges
    merged: list[list[str]] = []
    for chunk in chunks:
        if chunk[0] == "text" and merged and merged[-1][0] == "text":
            merged[-1][1] += chunk[1]
        else:
            merged.append(chunk)
    for k, chunk in enumerate(merged):
        if chunk[0] != "text":
            continue
        if dropped in chunk[1]:
            chunk[1] = re.sub(f"[ \t]*{dropped}[ \t{dropped}]*", " ", chunk[1])
        if k == 0 or merged[k - 1][0] in ("break", "hard"):
            chunk[1] = chunk[1].lstrip(_WS)
        if k == len(merged) - 1 or merged[k + 1][0] == "break":
            chunk[1] = chunk[1].rstrip(_WS)
    merged = [c for c in merged if c[0] != "text" or c[1]]

    # escape text
    texts = [c[1] for c in merged if c[0] == "text"]
    counts = Counter("".join(texts))
    use_forms = {ch: f for ch, f in lay.forms.items() if counts.get(ch, 0) == len(f)}
    if any(counts.get(ch, 0) != len(lay.forms.get(ch, ())) for ch in _STRUCTURAL):
        # the inline syntax characters changed: spell them all the safe way
        for ch in _STRUCTURAL:
            use_forms.pop(ch, None)
    uniform = {
        ch: f[0]
        for ch, f in lay.forms.items()
        if ch not in use_forms and ch not in _ASCII_PUNCT and len(set(f)) == 1
    }
    seen: Counter[str] = Counter()
    markdown = lay.mode != "text"
    out: list[str] = []
    for k, chunk in enumerate(merged):
        kind, value = chunk[0], chunk[1]
        if kind != "text":
            out.append(value)
            continue
        buf: list[str] = []
        for j, ch in enumerate(value):
            if ch in use_forms:
                buf.append(use_forms[ch][seen[ch]])
                seen[ch] += 1
            elif ch in uniform:
                buf.append(uniform[ch])
            elif markdown and _escape_char(ch, value, j, lay.mode):
                buf.append("\\" + ch)
            elif (
                markdown
                and ch == "!"
                and j == len(value) - 1
                and k + 1 < len(merged)
                and merged[k + 1][1].startswith("[")
            ):
                buf.append("\\!")
            else:
                buf.append(ch)
        rendered = "".join(buf)
        if markdown:
            if k == len(merged) - 1:
                whole = lay.ends_line
            else:
                whole = merged[k + 1][0] in ("break", "hard")
            if k == 0 and lay.line_start:
                rendered = _escape_line_start(rendered, lay.line_start, whole)
            elif k > 0 and merged[k - 1][0] in ("break", "hard"):
                rendered = _escape_line_start(rendered, merged[k - 1][2] or "line", whole)
            if lay.mode == "heading" and lay.ends_block and k == len(merged) - 1:
                m = _HEADING_END.search(rendered)
                if m:
                    rendered = rendered[: m.start(1)] + "\\" + rendered[m.start(1) :]
        out.append(rendered)
    return "".join(out)
