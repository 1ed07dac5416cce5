"""Find concepts by any of their terms: case-, diacritic-, script-insensitive and fuzzy.

The heart of it is :func:`fold`, which maps text in any of our scripts (Kazakh and Russian
Cyrillic, the Kazakh Latin alphabets of 2018 and 2021, the ASCII spellings of passports and
English-language news, the Russian romanizations of iuliia) to one ASCII *skeleton*:
``Қасым-Жомарт Тоқаев``, ``Касым-Жомарт Токаев``, ``Qasym-Jomart Toqaev``, ``Kassym-Jomart
Tokayev`` and ``Kasym-Zhomart Tokayev`` all fold to ``kasim jomart tokaev``.  The rules, in
the order they run:

1. NFC, ``casefold``, NFKD.  Casing is Turkic-aware by construction: ``İ`` casefolds to
   ``i`` + a dot that step 3 drops, ``I`` to ``i``, and step 3 maps ``ı`` to ``i``.
2. Letters whose diacritic changes the sound are spelled out: ``ş ș š ŝ`` → ``sh``, ``ç č``
   → ``ch``, ``ž`` → ``zh``, and ``ý`` → ``u`` (the 2018 alphabet writes У as Ý).
3. Every other combining mark goes (``ğ ǵ`` g, ``ñ ń`` n, ``ä á`` a, ``ö ó`` o, ``ü ú ū`` u,
   й → и, ё → е) and one table maps each letter: Cyrillic ``ә`` a, ``ғ`` g, ``қ`` k, ``ң`` n,
   ``ө`` o, ``у ұ ү`` u, ``х һ`` h, ``и і й ы`` i, ``ж`` j, ``ш щ`` sh, ``ч`` ch, ``ц`` ts,
   ``ю`` iu, ``я`` ia, ``э`` e; Latin ``q`` k, ``w`` u, ``y`` i.  Kazakh writes ы, і, и, й
   as y, ı, i, İ, ý… depending on the alphabet, so the skeleton has one *i* for all of them
   (``Mangystau`` = ``Mañğystau`` = ``Маңғыстау`` = ``mangistau``).  The price: Kazakh words
   told apart only by ы/і, а/ә, о/ө or у/ұ/ү fold together, so an exact (case-only) match
   ranks above a folded one.  Ч stays ``ch`` although the 2021 alphabet writes Ş, and Ц stays
   ``ts`` (2021: S); those loan letters are left to the fuzzy match.
4. Ъ and Ь become ``i`` before a vowel, as English-language media romanize them
   (``Vasilyeva``, ``Ilyin``, ``Usolye``), and nothing elsewhere (``Igor``).
5. Apostrophes and romanization signs (``' ’ ʼ ʻ ʹ ʺ ” “ „``, BGN/PCGN's ``·``) and invisible
   characters (soft hyphen, zero-width space) are dropped; any other run of punctuation or
   spacing is one space (``Nur-Sultan`` = ``Nur Sultan``).
6. Digraphs of ASCII and Russian spellings: ``shch`` and ``shsh`` → ``sh`` (Щ), ``zh`` → ``j``
   (2021 writes J for Ж where ASCII writes zh: ``Zhambyl`` = ``Jambyl``), ``dj`` → ``j``
   (Russian Дж: ``Dzhambyl`` = ``Джамбыл``), ``kh`` → ``h`` (``Mukhtar`` = ``Mūhtar``).
7. The Russian iotation goes: ``ie`` (from ``ye``, ``йе``) at the start of a word or after a
   vowel is ``e`` (``Tokayev`` = ``Toqaev``, ``Yerzhan`` = ``Erjan``).
8. A run of one repeated letter is one letter (``Kassym`` = ``Qasym``; digits stay as they
   are).

Letters of other scripts (Greek, Arabic, CJK…) are kept, lower-cased and without marks.
Every rule runs on both sides, the glossary and the query, so strings equal before a rule
stay equal after it; the rules only merge spelling conventions, at the cost of some
collisions between unrelated words, which ranking sorts out.  Known misses: ISO 9 / GOST
7.79 spellings (``x`` for Х, ``j`` for Й), and Ё as ``yo`` after a consonant.

:class:`SearchIndex` folds every term once.  A query matches a term, best first:

``exact``
    equal after NFC, whitespace and Turkic-aware casefold (:func:`casefold`);
``folded``
    equal skeletons;
``prefix``
    the query's skeleton starts the term's (for a one- or two-letter query: only these and
    word starts);
``substring``
    the query inside the term, better at the start of a word; or every query word a word of
    the term, in any order (``Kasym Tokaev``);
``fuzzy``
    Damerau–Levenshtein distance on skeletons within :func:`fuzzy_threshold` of the query
    (no edit up to 3 letters, 1 up to 7, 2 from 8): the whole term first, then one of its
    words, then every query word near a word of the term; fewer edits first.

Ties go to the better status (preferred, admitted, deprecated, forbidden), then to glossary
order.  Each concept appears once, with its best term.
"""

from __future__ import annotations

import bisect
import codecs
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add, attrgetter

from glossary.model import STATUSES, Concept, Glossary, Term

__all__ = [
    "MATCH_KINDS",
    "Hit",
    "SearchIndex",
    "search_glossary",
    "fold",
    "fold_many",
    "casefold",
    "fuzzy_threshold",
    "edit_distance",
]

#: Match kinds, best first.
MATCH_KINDS = ("exact", "folded", "prefix", "substring", "fuzzy")

# Scores: one band per kind; within "substring" and "fuzzy" the finer grades below.
_SCORE_EXACT = 1.0
_SCORE_FOLDED = 0.9
_SCORE_PREFIX = 0.8
_SCORE_WORD_START = 0.7  # the query starts at a word of the term
_SCORE_INNER = 0.6  # the query inside a word
_SCORE_ALL_WORDS = 0.55  # every query word is a word of the term, in any order
_SCORE_FUZZY_WHOLE = 0.5  # minus 0.1 per edit
_SCORE_FUZZY_WORD = 0.25  # minus 0.05 per edit

# -- folding -------------------------------------------------------------------------------
#
# The folding runs on bytes: after casefold and NFKD, every character we expect (ASCII,
# Cyrillic, the combining marks of our alphabets, common punctuation) is encoded to one byte
# by a charmap codec, and the rules are bytes.translate / bytes.replace calls, which run at C
# speed on a whole glossary joined by newlines.  Any other character goes through
# _fold_unexpected: letters and digits (Greek, Arabic, CJK…) are kept, as an escape decoded at
# the end; other marks are dropped; anything else is a space.

_SEP = "\n"  # separates the items of fold_many(); nothing in a folded item is a newline

#: One character -> its skeleton ("" drops it, " " separates words).  Runs after casefold
#: and NFKD, so only lower case, and no precomposed letters (й is и + U+0306).
_FOLDING = {
    # Kazakh and Russian Cyrillic
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ж": "j",
    "з": "z", "и": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
    "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ы": "i", "э": "e", "ю": "iu", "я": "ia", "є": "e", "ґ": "g", "ӏ": "i", "ј": "j",
    # Latin letters without a decomposition
    "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th",
    # apostrophes (Kazakhstan's, the 2017 alphabet's a', Uzbek o‘), the signs of the Russian
    # romanizations (BGN/PCGN s”yesh’ and Tash·chishma, ISO 9 sʺešʹ), invisible characters
    "'": "", "`": "", "’": "", "‘": "", "ʼ": "", "ʻ": "", "ʹ": "", "ʺ": "", "”": "", "“": "",
    "„": "", "·": "", "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    # Latin letters that stand for a different sound than their base
    "q": "k", "w": "u", "y": "i",
}
_FOLDING.update({chr(c): "" for c in (*range(0x300, 0x30D), 0x30F, 0x311, *range(0x323, 0x329),
                                      0x32D, 0x32E, 0x331)})
_FOLDING.update(dict.fromkeys("«»‐‑‒–—―‚‹›′″•°×§©®¶…\u00a0\u2009\u202f", " "))
#: Ъ and Ь: "i" before a vowel, as the Russian romanizations of English-language media write
#: them (Vasilyeva, Ilyin, Usolye = Васильева, Ильин, Усолье), otherwise nothing (Igor).
_SIGNS = ("ъ", "ь")
#: Letter + combining mark pairs (after NFKD) spelled out before the marks go: ş ș š ŝ ç č ž
#: and ý, which is У in the 2018 alphabet (Baýyrjan = Bauyrjan).
_PAIRS = (("s\u0327", "sh"), ("s\u0326", "sh"), ("s\u030c", "sh"), ("s\u0302", "sh"),
          ("c\u0327", "ch"), ("c\u030c", "ch"), ("z\u030c", "zh"), ("y\u0301", "u"))
_DIGRAPHS = ((b"shch", b"sh"), (b"shsh", b"sh"), (b"zh", b"j"), (b"dj", b"j"), (b"kh", b"h"))
#: Letters outside the table travel as MARK + decimal code point + MARK, MARK being a lone
#: surrogate (never in decoded text) encoded as byte 0x7F.
_MARK = "\udfff"
_ESCAPE = 0x7F


_Codec = tuple[object, bytes, bytes, dict[bytes, bytes], list[tuple[bytes, bytes, bytes]], bytes]


def _build_codec() -> _Codec:
    """The charmap encoding, byte table, deleted bytes, multi-letter expansions, letter+mark
    pairs and the sign byte that :func:`_fold_block` works with."""
    decoding = [chr(i) for i in range(128)] + [""] * 128
    decoding[_ESCAPE] = _MARK  # so that an actual DEL character is not taken for a mark
    out = bytearray(range(256))
    expand: dict[bytes, bytes] = {}
    pairs: list[tuple[bytes, bytes, bytes]] = []
    slots = [*range(1, 9), *range(14, 32)]  # control bytes, free for multi-letter skeletons
    high = iter(range(128, 256))
    sign = slots.pop(0)
    for ch in _SIGNS:
        code = next(high)
        decoding[code] = ch
        out[code] = sign
    for ch, skeleton in _FOLDING.items():
        code = ord(ch)
        if code >= 128:
            if len(skeleton) > 1:
                code = slots.pop(0)
            else:
                code = next(high)
            decoding[code] = ch
        if len(skeleton) > 1:
            expand[bytes([code])] = skeleton.encode()
        else:
            out[code] = ord(skeleton) if skeleton else 0
    for pair, skeleton in _PAIRS:
        raw = bytes([decoding.index(pair[0]), decoding.index(pair[1])])
        pairs.append((raw[1:], raw, skeleton.encode()))
    for code in range(128):  # ASCII punctuation and control characters separate words
        char = chr(code)
        if decoding[code] == char and not char.isalnum() and char not in _FOLDING:
            out[code] = 0x20
    out[ord(_SEP)] = ord(_SEP)
    out[_ESCAPE] = _ESCAPE
    for code in range(ord("A"), ord("Z") + 1):  # NFKD can make capitals (™ -> TM)
        out[code] = code + 32
    for code in range(128, 256):
        if not decoding[code]:
            out[code] = 0x20
    delete = bytes(c for c in range(256) if out[c] == 0 and bytes([c]) not in expand)
    table = bytes(out)
    encoding = codecs.charmap_build("".join(d or "\ufffe" for d in decoding))
    return encoding, table, delete, expand, pairs, bytes([sign])


_ENCODING, _BYTE_TABLE, _DELETE, _EXPAND, _PAIR_BYTES, _SIGN = _build_codec()


def _fold_unexpected(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: escape letters and digits, drop marks, space anything else."""
    if not isinstance(error, UnicodeEncodeError):  # pragma: no cover - only used to encode
        raise error
    parts = []
    for char in error.object[error.start : error.end]:
        category = unicodedata.category(char)
        if category[0] in "LN":
            parts.append(f"{_MARK}{ord(char)}{_MARK}")
        elif category[0] != "M":
            parts.append(" ")
    return "".join(parts), error.end


codecs.register_error("tilmash.glossary.fold", _fold_unexpected)
_UNESCAPE = re.compile("\x7f([0-9]+)\x7f")
#: Runs of one repeated ASCII letter (Kassym = Qasym)
_REPEATS = re.compile(rb"(?<=([a-z]))\1+")


def _fold_block(text: str) -> str:
    """Fold *text*, keeping its newlines as item separators."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).casefold())
    data: bytes = codecs.charmap_encode(text, "tilmash.glossary.fold", _ENCODING)[0]
    for mark, raw, skeleton in _PAIR_BYTES:
        if mark in data and raw in data:
            data = data.replace(raw, skeleton)
    data = data.translate(_BYTE_TABLE, _DELETE)
    for code, skeleton in _EXPAND.items():
        if code in data:
            data = data.replace(code, skeleton)
    if _SIGN in data:
        for vowel in (b"a", b"e", b"i", b"o", b"u"):
            data = data.replace(_SIGN + vowel, b"i" + vowel)
        data = data.replace(_SIGN, b"")
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    data = data.replace(b" \n", b"\n").replace(b"\n ", b"\n").strip(b" ")
    for digraph, skeleton in _DIGRAPHS:
        data = data.replace(digraph, skeleton)
    # the Russian iotation: ye/йе at a word start or after a vowel
    while b"ii" in data:
        data = data.replace(b"ii", b"i")
    for before in (b"a", b"e", b"o", b"u", b" ", b"\n"):
        data = data.replace(before + b"ie", before + b"e")
    if data.startswith(b"ie"):
        data = b"e" + data[2:]
    result = _REPEATS.sub(b"", data).decode("ascii")
    if "\x7f" in result:
        result = _UNESCAPE.sub(lambda m: chr(int(m.group(1))), result).replace("\x7f", "")
    return result


def fold(text: str) -> str:
    """The comparable ASCII skeleton of *text* (see the module docstring for the rules).

    >>> fold("Қасым-Жомарт Тоқаев") == fold("Kassym-Jomart Tokayev") == "kasim jomart tokaev"
    True
    """
    return _fold_block(text.replace(_SEP, " "))


def fold_many(texts: Sequence[str]) -> list[str]:
    """``[fold(t) for t in texts]``, folded as one block (much faster for many texts)."""
    if not texts:
        return []
    block = _SEP.join(texts)
    if block.count(_SEP) != len(texts) - 1:  # an item has a newline of its own
        block = _SEP.join(t.replace(_SEP, " ") for t in texts)
    return _fold_block(block).split(_SEP)


_TURKIC_I = str.maketrans({"İ": "i", "I": "i", "ı": "i"})
_WS = re.compile(r"\s+")


def casefold(text: str) -> str:
    """NFC, whitespace runs → one space, stripped, Turkic-aware casefold (``İ I ı`` → ``i``).

    This is the key of an ``exact`` search match and of the linter's duplicate check: it
    ignores case and spacing only, never diacritics or script.
    """
    text = unicodedata.normalize("NFC", text).translate(_TURKIC_I).casefold()
    return _WS.sub(" ", text).strip()


# -- edit distance -------------------------------------------------------------------------


def fuzzy_threshold(length: int) -> int:
    """The most edits a fuzzy match may need for a folded query of *length* characters."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    return 2


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap
    two adjacent characters).  With *limit*, any distance above it is returned as ``limit + 1``;
    small limits (fuzzy search uses 1 and 2) take a bounded search that is much faster."""
    if limit is not None and limit <= 3:
        return _bounded(a, b, limit)
    d = _osa(a, b)
    return d if limit is None else min(d, limit + 1)


def _osa(a: str, b: str) -> int:
    """The full dynamic programme (optimal string alignment distance)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d = min(d, prev2[j - 2] + 1)
            cur[j] = d
        prev2, prev = prev, cur
    return prev[len(b)]


def _bounded(a: str, b: str, k: int) -> int:
    """:func:`edit_distance` capped at ``k + 1``, by a search that branches at most 4**k ways."""
    if a == b:
        return 0
    # Matching equal first (or last) characters is always optimal, so strip them.
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    j = 0
    while j < n - i and a[-1 - j] == b[-1 - j]:
        j += 1
    a, b = a[i : len(a) - j], b[i : len(b) - j]
    if not a or not b:
        return min(len(a) + len(b), k + 1)
    if k <= 0 or abs(len(a) - len(b)) > k:
        return k + 1
    best = _bounded(a[1:], b[1:], k - 1)  # substitute a[0] by b[0]
    if best:
        best = min(best, _bounded(a[1:], b, k - 1), _bounded(a, b[1:], k - 1))
        if best and len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0]:
            best = min(best, _bounded(a[2:], b[2:], k - 1))  # swap a[0] and a[1]
    return min(best + 1, k + 1)


def _pieces(query: str, k: int) -> list[tuple[str, int]]:
    """``(substring, position)`` pieces of *query*: any string within *k* edits contains one of
    them at most *k* characters from its position in *query*.

    ``k + 1`` pieces separated by one-character gaps: an edit (a swap included) can break at
    most one piece, so *k* edits leave one whole, shifted by at most *k* (the insertions and
    deletions before it).  Four letters with one edit are split into two halves without a
    gap, plus the one string a swap across the middle gives.
    """
    if k == 1 and len(query) == 4:
        return [(query[:2], 0), (query[2:], 2), (query[0] + query[2] + query[1] + query[3], 0)]
    size, extra = divmod(len(query) - k, k + 1)
    pieces, pos = [], 0
    for n in range(k + 1):
        length = size + (1 if n < extra else 0)
        pieces.append((query[pos : pos + length], pos))
        pos += length + 1
    return pieces


def _candidates(query: str, k: int) -> re.Pattern[str]:
    """A pattern whose ``match`` accepts every string within *k* edits of *query* (and some
    others): one of :func:`_pieces` at its position, give or take *k*."""
    return re.compile(
        "|".join(
            f"(?s:.{{{max(0, pos - k)},{pos + k}}}){re.escape(piece)}"
            for piece, pos in _pieces(query, k)
        )
    )


# -- search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A concept found by one of its terms.

    ``lang`` and ``term`` are the matching term; ``score`` is in (0, 1], higher is better;
    ``match`` is one of :data:`MATCH_KINDS`.
    """

    concept: Concept
    lang: str
    term: Term
    score: float
    match: str


_Offer = Callable[[int, float, str], None]


def _want(lang: str | None) -> str | None:
    return None if lang is None else lang.strip().replace("_", "-").lower()


def _selects(want: str | None, lang: str) -> bool:
    """BCP 47 basic filtering: ``kk`` selects ``kk`` and ``kk-Latn``, ``kk-Latn`` only itself."""
    if want is None:
        return True
    key = lang.replace("_", "-").lower()
    return key == want or key.startswith(want + "-")


_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_EDGE = frozenset((" ", _SEP))  # what may stand on either side of a word in the blob


def _starts(items: list[str]) -> list[int]:
    """Where each item begins in ``SEP + SEP.join(items) + SEP``."""
    starts = list(accumulate(map(add, map(len, items), repeat(1)), initial=1))
    starts.pop()
    return starts


class SearchIndex:
    """Every term of a glossary, folded once, ready for :meth:`search`.

    The skeletons of all terms are kept in one newline-separated string that queries scan with
    ``str.find``, so building is cheap (one :func:`fold_many` call); the vocabulary for fuzzy
    matching (every skeleton and every word of one, sorted by length) is built on the first
    fuzzy lookup.  The index does not follow later changes to the glossary.
    """

    def __init__(self, glossary: Glossary) -> None:
        self._concepts: list[Concept] = list(glossary)
        #: every term, in glossary order; term i belongs to the concept at position p where
        #: ``self._firsts[p] <= i < self._firsts[p + 1]``
        self._terms: list[Term] = [
            term for concept in self._concepts for terms in concept.terms.values() for term in terms
        ]
        self._firsts = list(
            accumulate(
                (sum(map(len, concept.terms.values())) for concept in self._concepts), initial=0
            )
        )
        self._folded = fold_many(list(map(attrgetter("text"), self._terms)))
        self._blob = _SEP + _SEP.join(self._folded) + _SEP
        self._blob_starts = _starts(self._folded)
        self._vocab: list[str] | None = None
        self._vocab_lengths: list[int] = []

    def __len__(self) -> int:
        return len(self._terms)

    def _entry(self, i: int) -> tuple[int, str, Term]:
        """(concept position, language, term) of term *i*."""
        pos = bisect.bisect_right(self._firsts, i) - 1
        n = self._firsts[pos]
        for lang, terms in self._concepts[pos].terms.items():
            if i < n + len(terms):
                return pos, lang, terms[i - n]
            n += len(terms)
        raise IndexError(i)  # pragma: no cover

    # -- lookups ---------------------------------------------------------------------------

    def _whole(self, text: str, blob: str, starts: list[int]) -> list[int]:
        """Entries whose whole item in *blob* is *text*."""
        needle = _SEP + text + _SEP
        out = []
        pos = blob.find(needle)
        while pos != -1:
            out.append(bisect.bisect_right(starts, pos + 1) - 1)
            pos = blob.find(needle, pos + len(needle) - 1)
        return out

    def _token(self, token: str) -> Iterator[tuple[int, bool]]:
        """``(entry, whole)`` for each term having *token* as a word (whole: the entire term)."""
        blob, starts, n = self._blob, self._blob_starts, len(token)
        pos = blob.find(token)
        while pos != -1:
            before, after = blob[pos - 1], blob[pos + n]
            if before in _EDGE and after in _EDGE:
                yield bisect.bisect_right(starts, pos) - 1, before == after == _SEP
            pos = blob.find(token, pos + 1)

    def _fuzzy_tokens(self, query: str) -> list[tuple[str, int]]:
        """``(token, distance)`` for vocabulary tokens 1..threshold edits from *query*."""
        k = fuzzy_threshold(len(query))
        if k == 0:
            return []
        if self._vocab is None:
            tokens = set(self._folded)
            tokens.update(self._blob.split())
            tokens.discard("")
            self._vocab = sorted(tokens, key=len)  # order within a length does not matter
            self._vocab_lengths = list(map(len, self._vocab))
        lo = bisect.bisect_left(self._vocab_lengths, len(query) - k)
        hi = bisect.bisect_right(self._vocab_lengths, len(query) + k)
        pattern = _candidates(query, k)
        out = []
        for token in filter(pattern.match, self._vocab[lo:hi]):
            d = _bounded(query, token, k)
            if 0 < d <= k:
                out.append((token, d))
        return out

    # -- searching -------------------------------------------------------------------------

    def search(self, query: str, *, lang: str | None = None, limit: int = 20) -> list[Hit]:
        """Concepts matching *query*, best first, at most *limit* (one hit per concept: its
        best term).  *lang* restricts the terms searched (``kk`` includes ``kk-Latn``)."""
        key, folded = casefold(query), fold(query)
        if limit <= 0 or not folded or not self._terms:
            return []
        found: dict[int, tuple[float, str]] = {}  # term -> its best (score, kind) so far

        def offer(i: int, score: float, kind: str) -> None:
            if score > found.get(i, (0.0, ""))[0]:
                found[i] = (score, kind)

        # casefold-equal terms are fold-equal too, so exact matches are among these
        for i in self._whole(folded, self._blob, self._blob_starts):
            exact = casefold(self._terms[i].text) == key
            offer(i, _SCORE_EXACT if exact else _SCORE_FOLDED, "exact" if exact else "folded")
        self._scan(folded, offer)
        words = list(dict.fromkeys(folded.split(" ")))
        if len(words) > 1:
            self._all_words(words, offer, fuzzy=False)
        # Fuzzy hits score below all others: skip them when the others fill the page.
        if self._concept_count(found, lang) < limit:
            for token, d in self._fuzzy_tokens(folded):
                for i, whole in self._token(token):
                    if whole:
                        offer(i, round(_SCORE_FUZZY_WHOLE - 0.1 * d, 4), "fuzzy")
                    else:
                        offer(i, round(_SCORE_FUZZY_WORD - 0.05 * d, 4), "fuzzy")
            if len(words) > 1:
                self._all_words(words, offer, fuzzy=True)
        return self._rank(found, lang, limit)

    def _scan(self, folded: str, offer: _Offer) -> None:
        """Prefix and substring matches (for one or two letters: prefixes of words only)."""
        blob, starts, n = self._blob, self._blob_starts, len(folded)
        needles = [_SEP + folded, " " + folded] if n <= 2 else [folded]
        for needle in needles:
            skip = len(needle) - n
            pos = blob.find(needle)
            while pos != -1:
                pos += skip
                before = blob[pos - 1]
                i = bisect.bisect_right(starts, pos) - 1
                if before == _SEP:
                    if blob[pos + n] != _SEP:
                        offer(i, _SCORE_PREFIX, "prefix")
                else:
                    offer(i, _SCORE_WORD_START if before == " " else _SCORE_INNER, "substring")
                pos = blob.find(needle, pos + 1)

    def _all_words(self, words: list[str], offer: _Offer, *, fuzzy: bool) -> None:
        """Terms having every one of *words* as a word: exactly (a ``substring`` match) or,
        with *fuzzy*, some within their threshold (``fuzzy``, by the total of edits)."""
        total: dict[int, int] | None = None
        for word in words:
            best = {i: 0 for i, _ in self._token(word)}
            if fuzzy:
                for token, d in self._fuzzy_tokens(word):
                    if " " not in token:
                        for i, _ in self._token(token):
                            best[i] = min(best.get(i, d), d)
            if total is not None:
                best = {i: total[i] + d for i, d in best.items() if i in total}
            if not best:
                return
            total = best
        for i, d in (total or {}).items():
            if d == 0:
                offer(i, _SCORE_ALL_WORDS, "substring")
            else:
                offer(i, max(round(_SCORE_FUZZY_WORD - 0.05 * d, 4), 0.01), "fuzzy")

    def _concept_count(self, found: dict[int, tuple[float, str]], lang: str | None) -> int:
        """How many concepts the hits so far cover (in *lang*)."""
        want, firsts = _want(lang), self._firsts
        if want is None:
            return len({bisect.bisect_right(firsts, i) for i in found})
        entries = map(self._entry, found)
        return len({pos for pos, term_lang, _ in entries if _selects(want, term_lang)})

    def _rank(
        self, found: dict[int, tuple[float, str]], lang: str | None, limit: int
    ) -> list[Hit]:
        """One hit per concept (its best term), best first."""
        want = _want(lang)
        best: dict[int, tuple[float, int, int, str]] = {}  # concept -> (-score, rank, entry, kind)
        firsts, terms = self._firsts, self._terms
        for i, (score, kind) in found.items():
            if want is not None and not _selects(want, self._entry(i)[1]):
                continue
            pos = bisect.bisect_right(firsts, i) - 1
            candidate = (-score, _STATUS_RANK.get(terms[i].status, len(STATUSES)), i, kind)
            current = best.get(pos)
            if current is None or candidate < current:
                best[pos] = candidate
        ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1], item[0]))
        hits = []
        for pos, (neg, _, i, kind) in ranked[:limit]:
            _, term_lang, term = self._entry(i)
            hits.append(Hit(self._concepts[pos], term_lang, term, -neg, kind))
        return hits


def search_glossary(
    glossary: Glossary, query: str, *, lang: str | None = None, limit: int = 20
) -> list[Hit]:
    """Search *glossary* once (build a :class:`SearchIndex` to search it many times)."""
    return SearchIndex(glossary).search(query, lang=lang, limit=limit)
