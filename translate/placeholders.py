"""Placeholder notation for inline markup inside segments, and its repair.

A segment's engine-facing text keeps the words and replaces markup by short XML-like
tags, as XLIFF's ``<g>``/``<x/>`` do:

* ``<g1>`` … ``</g1>`` — a *pair*: markup that wraps translatable text (``**bold**``,
  ``[link text](url)``, ``~~gone~~``, ``<b>…</b>``).  The opening and closing markup are
  separate placeholders so the engine can move the words inside;
* ``<x2/>`` — a *single*: markup with nothing translatable inside (a code span, an
  image, an autolink or bare URL, an HTML tag on its own, a hard line break).

Numbers are per segment, in order of appearance, shared between the two kinds
(``<g1>…</g1> and <x2/>``).  Neural MT models trained on web text copy such tags
through reliably (Argos/OPUS models keep them, at worst with spaces inserted or the case
changed, which :func:`split_placeholders` tolerates: ``< x2 / >``, ``<X2/>``, ``</ g1>``).

Source text that *looks like* a placeholder (a document about XLIFF, say, contains
``<x1/>`` as literal text) is protected by the document layer: every match of
:data:`LOOSE_RE` in translatable text becomes a single placeholder whose markup is the
literal text, so a tag in the engine text is always ours.

:func:`repair_placeholders` checks the engine's output against the expected tags and
repairs it: unknown tags are dropped, duplicates removed, reversed pairs swapped, missing
ones re-inserted (pairs wrap the whole text, singles go to the end) and crossed pairs
re-nested, each repair reported as one message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "LOOSE_RE",
    "PLACEHOLDER_RE",
    "Piece",
    "is_close",
    "is_open",
    "is_single",
    "pair_tokens",
    "partner",
    "repair_placeholders",
    "single_token",
    "split_placeholders",
]

#: the canonical notation, exactly as :func:`pair_tokens`/:func:`single_token` write it
PLACEHOLDER_RE = re.compile(r"</?g[1-9][0-9]*>|<x[1-9][0-9]*/>")
#: what an engine may turn a placeholder into (spaces, upper case); also used to protect
#: placeholder-like source text
LOOSE_RE = re.compile(r"<\s*(/?)\s*([gGxX])\s*([0-9]+)\s*(/?)\s*>")

#: a piece of restored text: ``(True, token)`` for a placeholder, ``(False, text)`` for text
Piece = tuple[bool, str]


def pair_tokens(n: int) -> tuple[str, str]:
    """The opening and closing placeholder of pair number *n*: ``<gN>``, ``</gN>``."""
    return f"<g{n}>", f"</g{n}>"


def single_token(n: int) -> str:
    """The single placeholder number *n*: ``<xN/>``."""
    return f"<x{n}/>"


def is_open(token: str) -> bool:
    return token.startswith("<g")


def is_close(token: str) -> bool:
    return token.startswith("</g")


def is_single(token: str) -> bool:
    return token.startswith("<x")


def partner(token: str) -> str:
    """``<g1>`` ↔ ``</g1>``; a single is its own partner."""
    if token.startswith("</g"):
        return "<" + token[2:]
    if token.startswith("<g"):
        return "</" + token[1:]
    return token


def _canonical(m: re.Match[str]) -> str | None:
    lead, kind, number, trail = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
    if number.startswith("0"):
        return None
    if kind == "x":
        return single_token(int(number))
    if lead and not trail:
        return f"</g{number}>"
    if not lead and not trail:
        return f"<g{number}>"
    return None


def split_placeholders(text: str) -> list[tuple[bool, str, str]]:
    """Split *text* into ``(is_placeholder, canonical_or_text, original)`` items."""
    items: list[tuple[bool, str, str]] = []
    pos = 0
    for m in LOOSE_RE.finditer(text):
        canon = _canonical(m)
        if canon is None:
            continue
        if m.start() > pos:
            items.append((False, text[pos : m.start()], text[pos : m.start()]))
        items.append((True, canon, m.group(0)))
        pos = m.end()
    if pos < len(text):
        items.append((False, text[pos:], text[pos:]))
    return items


def repair_placeholders(translated: str, expected: Sequence[str]) -> tuple[list[Piece], list[str]]:
    """Check the placeholders of *translated* against *expected* (source order) and repair.

    Returns the pieces of the repaired text and a message per repair.  After repair every
    expected placeholder occurs exactly once, every closing tag follows its opening tag,
    and the pairs are well nested.
    """
    known = set(expected)
    messages: list[str] = []
    pieces: list[Piece] = []
    seen: set[str] = set()
    for is_ph, value, original in split_placeholders(translated):
        if not is_ph:
            if pieces and not pieces[-1][0]:
                pieces[-1] = (False, pieces[-1][1] + value)
            else:
                pieces.append((False, value))
            continue
        if value not in known:
            messages.append(f"dropped unknown placeholder {original!r}")
            continue
        if value in seen:
            messages.append(f"removed duplicate {value!r}")
            continue
        seen.add(value)
        pieces.append((True, value))

    # reversed pairs: </g1> … <g1>
    position = {value: i for i, (is_ph, value) in enumerate(pieces) if is_ph}
    for token in expected:
        if is_open(token):
            close = partner(token)
            if token in position and close in position and position[close] < position[token]:
                i, j = position[close], position[token]
                pieces[i], pieces[j] = (True, token), (True, close)
                position[token], position[close] = i, j
                messages.append(f"swapped reversed {token!r} and {close!r}")

    # pairs lost with both halves: several of them (sibling links, say) each get their own
    # share of the words, in source order, rather than all wrapping the whole text (links
    # inside links are not Markdown)
    groups = _lost_groups(expected, seen)
    if len(groups) > 1:
        spread = _spread(pieces, groups)
        if spread is not None:
            pieces = spread
            for group in groups:
                seen.update(group)
                messages.append(f"re-inserted missing {group[0]!r}…{partner(group[0])!r} "
                                "around part of the text")

    # missing placeholders
    order = {token: i for i, token in enumerate(expected)}
    prefix: list[Piece] = []
    suffix: list[Piece] = []
    singles: list[Piece] = []
    for token in expected:
        if token in seen:
            continue
        if is_single(token):
            singles.append((True, token))
            messages.append(f"re-inserted missing {token!r} at the end")
        elif is_open(token):
            close = partner(token)
            prefix.append((True, token))
            if close in seen:
                messages.append(f"re-inserted missing {token!r} at the start")
            else:
                messages.append(f"wrapped the text in missing {token!r}…{close!r}")
        else:
            opening = partner(token)
            suffix.append((True, token))
            if opening in seen:
                messages.append(f"re-inserted missing {token!r} at the end")
    # closing tags at the end close the innermost (latest-opened) pair first
    suffix.sort(key=lambda piece: -order.get(partner(piece[1]), 0))
    pieces = prefix + pieces + suffix + singles

    return _nest(pieces, messages), messages


def _lost_groups(expected: Sequence[str], seen: set[str]) -> list[list[str]]:
    """Top-level pairs (with the pairs nested in them) whose tags are all missing."""
    groups: list[list[str]] = []
    depth = 0
    current: list[str] = []
    for token in expected:
        if is_single(token):
            continue
        if is_open(token):
            if depth == 0:
                current = []
            depth += 1
            current.append(token)
        else:
            depth -= 1
            current.append(token)
            if depth == 0:
                if not any(t in seen for t in current):
                    groups.append(current)
                current = []
    return groups


_WORD = re.compile(r"\S+")


def _spread(pieces: list[Piece], groups: list[list[str]]) -> list[Piece] | None:
    """Wrap consecutive shares of the words of the text pieces in each group's tags."""
    words = [(i, m.start(), m.end()) for i, (is_ph, value) in enumerate(pieces) if not is_ph
             for m in _WORD.finditer(value)]
    if len(words) < len(groups):
        return None
    bounds = [len(words) * k // len(groups) for k in range(len(groups) + 1)]
    inserts: dict[tuple[int, int], list[str]] = {}  # (piece, offset) -> tags to insert there
    for k, group in enumerate(groups):
        first, last = words[bounds[k]], words[bounds[k + 1] - 1]
        opens = [t for t in group if is_open(t)]
        inserts.setdefault((first[0], first[1]), []).extend(opens)
        inserts.setdefault((last[0], last[2]), []).extend(partner(t) for t in reversed(opens))
    out: list[Piece] = []
    for i, (is_ph, value) in enumerate(pieces):
        if is_ph:
            out.append((is_ph, value))
            continue
        cuts = sorted({off for (pi, off) in inserts if pi == i})
        pos = 0
        for off in cuts:
            if value[pos:off]:
                out.append((False, value[pos:off]))
            # closing tags (ends of a share) come before opening ones (starts of the next)
            tags = inserts[(i, off)]
            out.extend((True, t) for t in tags if not is_open(t))
            out.extend((True, t) for t in tags if is_open(t))
            pos = off
        if value[pos:]:
            out.append((False, value[pos:]))
    return out


def _nest(pieces: list[Piece], messages: list[str]) -> list[Piece]:
    """Re-nest crossed pairs by moving a closing tag after the closing tags inside it."""
    out: list[Piece] = []
    stack: list[str] = []
    deferred: set[str] = set()
    for is_ph, value in pieces:
        if not is_ph or is_single(value):
            out.append((is_ph, value))
            continue
        if is_open(value):
            stack.append(value)
            out.append((True, value))
            continue
        opening = partner(value)
        if stack and stack[-1] == opening:
            stack.pop()
            out.append((True, value))
            while stack and stack[-1] in deferred:
                done = stack.pop()
                deferred.discard(done)
                out.append((True, partner(done)))
            continue
        if opening in stack:
            deferred.add(opening)
            inner = stack[stack.index(opening) + 1]
            messages.append(f"moved {value!r} after {partner(inner)!r} (crossed pairs)")
            continue
        out.append((True, value))  # cannot happen after the repairs above
    while stack:
        out.append((True, partner(stack.pop())))
    return out
