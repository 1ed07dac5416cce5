"""Sentence segmentation for English, Russian and Kazakh news text.

:func:`split_sentences` returns character spans ``(start, end)`` of the sentences of a
text; the whitespace between sentences (and around the text) stays outside the spans.

The rules are those a careful human applies to news copy, written as a small rule set
rather than a trained model:

* a sentence ends at ``.``, ``!``, ``?``, ``…`` or ``...`` (any run of them, e.g. ``?!``),
  optionally followed by closing quotes or brackets (``… peace.” He`` splits after ``”``),
  then whitespace, then something that can start a sentence: an upper-case letter, a
  digit, an opening quote or bracket, a dash (Russian dialogue) or an inline object
  (``\\ufffc``, which the document layer uses for code spans and the like).  A lower-case
  word after the punctuation never starts a sentence (``Oyan, Qazaqstan! civil rights``);
* no break after an abbreviation that introduces what follows (``Mr.``, ``Dr.``, ``St.``,
  ``e.g.``, ``т.е.``, ``им.``, ``ул.``, ``проф.``, …), after an initial (``A. Moldagulova``,
  ``К. Тоқаев``), after a dotted abbreviation (``U.S.``, ``б.з.д.``), or after ``No.``,
  ``p.``, ``ст.``, ``№`` … when a number follows;
* abbreviations that can close a sentence (``etc.``, ``т.д.``, ``т.п.``, ``т.б.``,
  ``т.с.с.``, ``Inc.``) break when an upper-case word follows; year/century markers
  (``г.``, ``гг.``, ``ж.``, ``в.``, ``ғ.``) break only after a number (``в 2012 г. Затем``,
  but ``г. Алматы`` stays whole);
* decimal numbers (``1.2``), thousands (``178,000``), ``U.S.-funded`` and other
  punctuation without following whitespace never break;
* a "sentence" without a single letter (``1.``, ``—``) is joined to the next one.

When in doubt the splitter keeps text together: an over-long segment still translates
well, a sentence cut in two does not.
"""

from __future__ import annotations

import functools
import re

__all__ = ["ABBREVIATIONS", "split_sentences"]

# --- abbreviation lists (lower case, inner dots kept, final dot dropped) -------------


def _words(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


#: never end a sentence: they introduce a name, a number or an example
_EN_NO_BREAK = _words(
    "adm amb approx assn atty brig bros ca capt cf cmdr col cpl dept dr e.g est fr ft gen"
    " gov hon i.e lt maj messrs mmes mr mrs ms msgr mssrs mt pres prof pvt rep rev sen sgt"
    " st supt univ v viz vs"
)
#: may end a sentence (break when an upper-case word follows)
_EN_CAN_END = _words("a.m al co corp etc inc jr llc ltd p.m plc sr")
#: no break when a number follows (``No. 5``, ``Jan. 5``, ``p. 12``)
_EN_BEFORE_NUMBER = _words(
    "approx apr art aug ch dec ed feb fig figs jan jul jun mar no nos nov nr oct p ph pp"
    " sec sep sept tel vol vols"
)

#: Russian
_RU_NO_BREAK = _words(
    "акад англ бул г-жа г-н ген гл гр д дер доц зам изд им каз кв кит лат мин наб напр"
    " нем обл ок п пер пл подп полк пос пп пр пред прим просп проф р р-н разд ред рис рус"
    " с св см ср ст стр т т.е т.к т.н т.о т.ч табл тов тур ул фр франц ч ш"
)
_RU_CAN_END = _words("долл др коп млн млрд н.э пр руб т.д т.п трлн тыс")
_RU_BEFORE_NUMBER = _words("гл д кв п пп рис с ст стр т табл ч №")
#: year/century markers and units: break only after a number (or a Roman numeral)
_RU_AFTER_NUMBER = _words("в вв г гг кг км л м мин сек т ч")
#: Kazakh (Cyrillic and Latin)
_KK_NO_BREAK = _words(
    "aud b.z.d kosh obl t.b t.s.s акад ат ауд ағыл б.з б.з.д ген даңғ доц ж.с.с ж.т.б им"
    " к кесте көш мыс обл орыс проф сур т.б т.с.с ш ш.а қ қаз"
)
_KK_CAN_END = _words("mln mlrd t.b t.s.s млн млрд мың т.б т.с.с трлн")
_KK_BEFORE_NUMBER = _words("б бап бет кесте ст сур т №")
_KK_AFTER_NUMBER = _words("j jj ǵ ǵǵ ж жж кг км м т ғ ғғ")

#: the abbreviation lists per base language (exported for documentation and tests)
ABBREVIATIONS: dict[str, dict[str, frozenset[str]]] = {
    "en": {
        "no_break": _EN_NO_BREAK,
        "can_end": _EN_CAN_END,
        "before_number": _EN_BEFORE_NUMBER,
        "after_number": frozenset(),
    },
    "ru": {
        "no_break": _RU_NO_BREAK,
        "can_end": _RU_CAN_END,
        "before_number": _RU_BEFORE_NUMBER,
        "after_number": _RU_AFTER_NUMBER,
    },
    "kk": {
        "no_break": _KK_NO_BREAK,
        "can_end": _KK_CAN_END,
        "before_number": _KK_BEFORE_NUMBER,
        "after_number": _KK_AFTER_NUMBER,
    },
}


@functools.cache
def _rules(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Merged abbreviation sets for *lang* (its own lists first, English ones always)."""
    base = lang.replace("_", "-").split("-")[0].lower()
    langs = [base] if base in ABBREVIATIONS else list(ABBREVIATIONS)
    if "en" not in langs:
        langs.append("en")  # English names and abbreviations appear in ru/kk copy too
    no_break: set[str] = set()
    can_end: set[str] = set()
    before: set[str] = set()
    after: set[str] = set()
    for code in langs:
        table = ABBREVIATIONS[code]
        no_break |= table["no_break"]
        can_end |= table["can_end"]
        before |= table["before_number"]
        after |= table["after_number"]
    # a word that can end a sentence must not be swallowed by the no-break list
    no_break -= can_end
    no_break -= after
    return frozenset(no_break), frozenset(can_end), frozenset(before), frozenset(after)


# --- candidate boundaries ---------------------------------------------------------------

_CLOSERS = "\"'”’»)]}›」』\u201d\u2019"
_OPENERS = "\"'“‘«([{‹„‚「『\u201c\u2018"
_DASHES = "—–-‒―"
# terminal punctuation run, optional closing quotes/brackets, whitespace
_CANDIDATE = re.compile(
    r"(?P<term>\.{2,}|…+|[.!?…]+)(?P<close>[" + re.escape(_CLOSERS) + r"]*)(?P<ws>\s+)"
)
_WORD_BEFORE = re.compile(r"(\S+)\Z")
_NUMBER = re.compile(r"^[(\[]?[0-9][0-9.,\u00a0\u202f]*(?:-[^\W\d_]{1,4})?$")
_ROMAN = re.compile(r"^[IVXLCDMІ]+$")
_DOTTED = re.compile(r"^(?:\w{1,4}\.)+\w{1,4}$")
_LETTER = re.compile(r"[^\W\d_]")


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Split *text* into sentences; return ``(start, end)`` spans in order.

    The spans cover every non-whitespace character of *text* exactly once; whitespace
    between sentences and around the text is outside them.  *lang* is a language tag
    (``en``, ``ru``, ``kk``, ``kk-Latn``, …); its abbreviation list is used together with
    the English one, unknown languages use all lists.
    """
    no_break, can_end, before_number, after_number = _rules(lang or "")
    cuts: list[tuple[int, int]] = []  # (end of sentence, start of next)
    for m in _CANDIDATE.finditer(text):
        nxt = m.end()
        if nxt >= len(text):
            continue
        end = m.end("close")
        if _breaks(text, m, nxt, no_break, can_end, before_number, after_number):
            cuts.append((end, nxt))
    spans: list[tuple[int, int]] = []
    pos = 0
    for end, nxt in cuts:
        spans.append((pos, end))
        pos = nxt
    spans.append((pos, len(text)))
    trimmed = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return _join_letterless(text, trimmed)


def _breaks(
    text: str,
    m: re.Match[str],
    nxt: int,
    no_break: frozenset[str],
    can_end: frozenset[str],
    before_number: frozenset[str],
    after_number: frozenset[str],
) -> bool:
    """Decide whether the candidate *m* (punctuation + whitespace) ends a sentence."""
    first = text[nxt]
    upper = first.isupper()
    starts = (
        upper
        or first.isdigit()
        or first in _OPENERS
        or first in _DASHES
        or first == "\ufffc"
        or (not first.isalpha() and not first.isspace() and first not in ",;:)]}")
    )
    if not starts:
        return False
    term = m.group("term")
    if term != ".":
        # !, ?, …, ... and combinations: a sentence ends when a sentence can start
        return True
    if m.group("close"):
        # `… peace.” He`: the quote closes the sentence
        return True
    word_m = _word_before(text, m.start())
    word = word_m.group(1) if word_m else ""
    word = word.lstrip(_OPENERS + "*_")
    if not word:
        return True
    if word[-1] in _CLOSERS:
        return True  # "(Reuters). Next"
    key = word.lower()
    if first.isdigit() and (key in before_number or word == "№"):
        return False
    if key in no_break:
        return False
    if key in after_number:
        prev = _previous_word(text, word_m.start() if word_m else m.start())
        return bool(prev) and (_NUMBER.match(prev) is not None or _ROMAN.match(prev) is not None)
    if key in can_end:
        return upper or first in _OPENERS
    if len(word) == 1 and word.isalpha():
        # an initial (A. Moldagulova) or a one-letter abbreviation: keep together
        return not upper
    if _DOTTED.match(word) and _LETTER.search(word):
        # U.S., e.g., б.з.д., т.е.: dotted abbreviations don't end sentences (when in doubt)
        return False
    return True


def _previous_word(text: str, end: int) -> str:
    """The whitespace-free word that ends before *end* (skipping whitespace)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    m = _word_before(text, end)
    return m.group(1) if m else ""


def _word_before(text: str, end: int) -> re.Match[str] | None:
    """The run of non-whitespace characters that ends at *end* (None when there is none).

    Found by walking back from *end*: a regex search of the whole prefix costs
    O(len(text)) per call, which made a long paragraph quadratic.
    """
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return _WORD_BEFORE.match(text, start, end)


def _join_letterless(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join spans without a letter to the following span (or the previous one at the end)."""
    if len(spans) < 2:
        return spans
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        if carry is not None:
            start = carry
            carry = None
        if not _LETTER.search(text, start, end):
            carry = start
            continue
        out.append((start, end))
    if carry is not None:
        if out:
            out[-1] = (out[-1][0], spans[-1][1])
        else:
            out.append((carry, spans[-1][1]))
    return out
