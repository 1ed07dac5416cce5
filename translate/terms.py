"""Glossary enforcement in translation: find terms, mask names, check and repair translations.

Three steps, used around an engine call for every segment:

1. **Match** — :class:`TermMatcher` (built once per glossary and language) finds the glossary
   terms of a text: leftmost-longest, non-overlapping, on word boundaries (Unicode letters and
   digits; an apostrophe inside a word belongs to it).  Terms match case-insensitively unless the
   glossary marks them ``case_sensitive``; Kazakh Latin (``kk-Latn``) folds case the Turkic way
   (``İ``→``i``, ``I``→``ı``).  Inflected forms match too:

   * **Russian**: every word of a term matches any word sharing a lemma with it — pymorphy3
     lemmas of *every* parse, plus the word itself, ``ё`` read as ``е`` — so ``Бессмертный полк``
     finds ``Бессмертного полка`` and ``в Бессмертном полку``.  For a *name* concept, a
     capitalized word of the term only takes the lemmas of its proper-noun parses and only
     matches a capitalized word (``Семей`` the city is not ``семей``, "of families");
   * **Kazakh** (Cyrillic, and the Latin alphabets of 2021 and 2018): the last word of a term
     may carry a valid chain of endings — plural, possessive, case, the relative ``-дағы`` —
     e.g. ``Астанада``, ``Алматыдағы``, ``Тоқаевтың``, ``Almatyğa``, ``Toqaevtyñ``.  Vowel
     harmony and consonant assimilation are not checked (both variants are accepted), but the
     ending must parse as a whole, so ``Астанаевка`` is not ``Астана``; final ``к қ п`` may
     voice before a vowel (``тарақ`` → ``тарағы``).  A multi-word term whose last word ends
     in its own third-person possessive (``Жеңіс күні``, ``Ұлы Отан соғысы``, ``Георгий
     лентасы``; also a patronymic, ``Момышұлы``) takes the pronominal case endings after it
     (``күнін``, ``күнінде``, ``күніндегі``, ``соғысына``) and a plural or another possessive
     in place of its own (``ленталары``, ``күндерінде``, ``Одақтары``); a stem ending in
     ``-ск`` takes the buffer vowel of written Kazakh before a consonant (``Томскіде``,
     ``Tomskıde``);
   * **English**: the last word may take ``-s``/``-es`` (``-ies`` for ``-y``), ``'s``
     (``ribbons``, ``Tokayev's``, ``Tokayev’s``); a word-final apostrophe (``Tokayevs'``) is
     left out of the match, since it may be a closing quote.

2. **Mask** — :func:`mask` replaces every *name* and *do-not-translate* match with a placeholder
   (:data:`TOKEN_FORMAT`, ``<t1/>``) and records the form to put back: the target language's
   preferred term (for ``dnt``: the target term if the glossary has one, else the source term
   unchanged).  When the source form is inflected and its case is known (a Russian or Kazakh
   source, an English possessive), the target form of a Russian or Kazakh target is inflected
   to the same case (pymorphy3 for Russian, suffix rules for Kazakh); an English source gives
   no case, so the name stays in the nominative (a known limitation: ``<t1/>`` cannot agree with
   the engine's sentence).  Source text that already looks like such a placeholder is masked
   too (restored as written), so a placeholder in the engine's output is always ours.
   :func:`unmask` puts the forms back and repairs what the engine did
   to the placeholders: a dropped placeholder's form is inserted at the end of the sentence
   (before its final punctuation) with a warning, a duplicated one is kept once with a
   warning, an unknown one is removed with a warning; reordering is normal in translation and
   is handled by restoring by number.

3. **Check** — :func:`check_target` runs after translation for the concepts found in the source:
   a deprecated or forbidden target term of such a concept is replaced by the preferred term
   *in the same grammatical form* (Russian: case and number from the found form's head noun,
   adjectives agreeing with the new head; Kazakh: the ending regenerated with the new word's
   vowel harmony; English: plural and possessive), and a concept whose usable target term is
   missing is reported, never ignored.  :func:`find_terms` and :func:`concept_in_text` give QA
   the same inflection-aware search.

Input text is expected in NFC (the document readers normalize it); offsets are offsets in the
string given.

Known limits: Russian matching is by shared lemma, so homonyms match (a term ``сталь`` finds
``стали``, "they became"), and the case of a found form is read from the phrase alone, not
the sentence (``полк`` is taken for a nominative even where it is an accusative; the forms are
the same).  Kazakh endings are recognised loosely (no harmony check) and regenerated only for
plural, case, third-person possessive and the relative ``-дағы``; other endings are copied
after the replacement with a warning.  Whether a term's last word ends in a possessive is
guessed from its shape (consonant + ``ы``/``і``, vowel + ``сы``/``сі``, not ``-шы``/``-ші``):
a multi-word term ending in a plain word of that shape (``Оңтүстік Алматы``) also accepts
pronominal endings and is regenerated with them, and for a word ending in vowel + ``сы`` the
stem a plural goes on is a guess (``соғыс-тар-ы`` but ``лента-лар-ы``).  A single word is
never read as possessive-final (``Алматына`` is not ``Алматы``).  Latin ``i`` ends a
possessive only in a term spelled in the 2018 alphabet (one with ``á ǵ ń ó ú ý``).  A
word-level ending glued with a hyphen (``COVID-тың``) is not recognised.

Cost: terms are kept in a word trie keyed by folded word, so a text word only meets the terms
that can continue there, whatever the glossary's size; building it only tokenizes the terms
(about 0.25 s for 40,000 terms).  Everything else is done when a text first reaches a term:
its pymorphy3 analysis (cached per process per word form; Russian words step through the trie
by lemma, indexed per node on first use), and the grammatical form of what was found (cached
per matcher per term and words).  A matcher memoizes the first two steps of the trie per word
and word pair as written, so a long text, which repeats them, gets cheaper as it goes: 1 MB
of Russian against 100,000 terms takes about 0.7 s the first time (1.1 s in a new process,
whose pymorphy3 has not seen the words yet), 0.2 s the second; Kazakh 0.4 s and 0.2 s.  The
trie is stored in flat tables of plain values, which the cyclic garbage collector does not
walk (:class:`TermMatcher`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, TypeVar

from glossary.langtags import base_language, normalize_tag
from glossary.model import STATUSES, Concept, Term

__all__ = [
    "TOKEN_FORMAT",
    "TOKEN_PATTERN",
    "EnforceResult",
    "MaskSlot",
    "Masked",
    "Repair",
    "TermMatch",
    "TermMatcher",
    "clear_caches",
    "check_target",
    "concept_in_text",
    "find_terms",
    "inflect_like",
    "mask",
    "unmask",
]

#: How a masked name is written into the text sent to the engine (``n`` counts from 1 in each
#: segment).  The notation is that of the inline-markup placeholders of
#: :mod:`translate.placeholders` (XML-like empty elements, which MT models copy through) with a
#: letter of its own, so the two numberings are independent.
TOKEN_FORMAT = "<t{n}/>"
#: What :func:`unmask` accepts back as a placeholder: engines may add spaces, change the case,
#: drop the slash or write a Cyrillic ``т``.
TOKEN_PATTERN = re.compile(r"<\s*[tTтТ]\s*([0-9]+)\s*/?\s*>")

# -- tokens and folding ----------------------------------------------------------------------

_WORDCHAR = r"(?:[^\W_]|[\u0300-\u036f])"
_TOKEN = re.compile(rf"{_WORDCHAR}+(?:['’ʼ]{_WORDCHAR}+)*")
#: splits a text into [text before the first word, word, gap, word, …, word, text after]
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
#: _TOKEN and _TOKEN_SPLIT for a text without combining marks (most): twice as fast
_MARKS = re.compile(r"[\u0300-\u036f]")
_PLAIN_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_PLAIN_TOKEN_SPLIT = re.compile(f"({_PLAIN_TOKEN.pattern})")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ALL_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_FOLD_TABLE = str.maketrans({"’": "'", "ʼ": "'", "\u0300": None, "\u0301": None})
_GAP_TABLE = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "’": "'"}
)
_SPACES = re.compile(r"\s+")
_TURKIC = frozenset({"kk", "tr", "az", "crh"})
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_PERSON = frozenset({"Name", "Surn", "Patr"})


def _fold(word: str, turkic: bool) -> str:
    """Case-insensitive key of a word: apostrophes unified, stress marks and ``ё`` dropped."""
    word = word.translate(_FOLD_TABLE)
    if turkic:
        word = word.replace("İ", "i").replace("I", "ı")
    return word.lower().replace("ё", "е")


def _exact(word: str) -> str:
    """Case-sensitive key of a word."""
    return word.translate(_FOLD_TABLE).replace("ё", "е").replace("Ё", "Е")


def _norm_gap(gap: str) -> str:
    return _SPACES.sub(" ", gap.translate(_GAP_TABLE))


def _split(text: str) -> tuple[list[tuple[int, int]], str, list[str], str]:
    """Word spans of *text*, the text before the first word, the gaps, the text after the last."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    if not spans:
        return [], text, [], ""
    gaps = [text[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
    return spans, text[: spans[0][0]], gaps, text[spans[-1][1] :]


def _shape(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    if letters and letters[0].isupper():
        return "title"
    return "lower"


def _apply_shape(word: str, shape: str, turkic: bool = False) -> str:
    if shape == "upper":
        return _upper(word, turkic)
    if shape == "title" and word:
        return _upper(word[0], turkic) + word[1:]
    return word


def _restore_case(new: str, original: str) -> str:
    """Give the lowercase inflected *new* the letter case of *original* (``МакДональда``)."""
    if _shape(original) == "upper":
        return new.upper()
    out = []
    for i, c in enumerate(new):
        o = original[i] if i < len(original) else ""
        out.append(o if o and o.lower() == c else c)
    return "".join(out)


def _upper(text: str, turkic: bool) -> str:
    if turkic:
        text = text.replace("i", "İ").replace("ı", "I")
    return text.upper()


def _tag_key(lang: str) -> str:
    try:
        return normalize_tag(lang)
    except ValueError:
        return lang


def _terms_for(concept: Concept, lang: str) -> list[Term]:
    terms = concept.terms.get(lang)
    if terms is not None:
        return terms
    low = lang.lower()
    for key, value in concept.terms.items():
        if key.lower() == low:
            return value
    return []


def _preferred(concept: Concept, lang: str) -> Term | None:
    terms = _terms_for(concept, lang)
    for status in ("preferred", "admitted"):
        for term in terms:
            if term.status == status:
                return term
    return None


# -- Russian morphology (pymorphy3) ------------------------------------------------------------


@functools.cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_LEMMAS: dict[str, frozenset[str]] = {}
_PARSES: dict[str, tuple[Any, ...]] = {}
_PROPER_LEMMAS: dict[str, frozenset[str]] = {}
#: a parse as _ru_found_form reads it: (POS, case, number, gender, lemma, score)
_Digest = tuple[str | None, str | None, str | None, str | None, str, float]
_DIGESTS: dict[str, tuple[_Digest, ...]] = {}
_CACHE_LIMIT = 500_000
_T = TypeVar("_T")


def clear_caches() -> None:
    """Forget every word analysis cached in this process (pymorphy3's dictionaries stay
    loaded): for benchmarks that time a cold start, and tests that results do not depend on
    what was cached before."""
    for cache in (_LEMMAS, _PARSES, _PROPER_LEMMAS, _DIGESTS):
        cache.clear()
    for value in list(globals().values()):
        if value is not _morph and callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def _add_children(index: dict[str, Any], lemmas: Iterable[str], into: list[int]) -> None:
    """Append to *into* the trie children a Russian node's lemma *index* gives for any of
    *lemmas* (a value is one node number, or a tuple of them)."""
    for lemma in lemmas:
        got = index.get(lemma)
        if got is None:
            continue
        if got.__class__ is int:
            into.append(got)
        else:
            into += got


def _punctuated(p: _Pattern, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The words *start*–*end* of a match of *p* widened by the term's own leading and
    trailing punctuation (``p.lead``, ``p.trail``), or None when the text lacks it."""
    if p.lead:
        if start < len(p.lead) or not text.startswith(p.lead, start - len(p.lead)):
            return None
        start -= len(p.lead)
    if p.trail:
        if not text.startswith(p.trail, end):
            return None
        end += len(p.trail)
    return start, end


def _cached(cache: dict[str, _T], word: str, compute: Callable[[str], _T]) -> _T:
    """``cache[word]``, computed on first use; a full cache (:data:`_CACHE_LIMIT`) starts
    again, so memory stays bounded however much text a process matches."""
    got = cache.get(word)
    if got is None:
        got = compute(word)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[word] = got
    return got


def _ru_parses(word: str) -> tuple[Any, ...]:
    """pymorphy3's parses of a folded word (cached)."""
    got = _PARSES.get(word)  # the hottest lookup: inlined fast path
    return got if got is not None else _cached(_PARSES, word, lambda w: tuple(_morph().parse(w)))


def _ru_lemmas(word: str) -> frozenset[str]:
    """Every lemma of a folded word (all parses) plus the word itself (cached)."""

    def compute(w: str) -> frozenset[str]:
        if not _CYRILLIC.search(w):
            return frozenset((w,))
        return frozenset({p.normal_form.replace("ё", "е") for p in _ru_parses(w)} | {w})

    return _cached(_LEMMAS, word, compute)


def _plain(grammeme: str | None) -> str | None:
    return None if grammeme is None else str(grammeme)


def _ru_digest(word: str) -> tuple[_Digest, ...]:
    """(POS, case, number, gender, lemma with ``ё`` as ``е``, score) of each parse of a folded
    word, as plain strings (cached).

    pymorphy3 works a tag's attributes out anew at each read (and checks every comparison
    with them), which made reading the form of found words a large part of a first match.
    """

    def compute(w: str) -> tuple[_Digest, ...]:
        return tuple(
            (
                _plain(p.tag.POS),
                _plain(p.tag.case),
                _plain(p.tag.number),
                _plain(p.tag.gender),
                _yo(p.normal_form),
                p.score,
            )
            for p in _ru_parses(w)
        )

    return _cached(_DIGESTS, word, compute)


def _ru_proper_lemmas(word: str) -> frozenset[str]:
    """The lemmas of a folded word's proper-noun parses plus the word itself (cached)."""

    def compute(w: str) -> frozenset[str]:
        return frozenset({p.normal_form.replace("ё", "е") for p in _ru_parses(w)
                          if _PROPER & p.tag.grammemes} | {w})

    return _cached(_PROPER_LEMMAS, word, compute)


def _ru_term_lemmas(folded: str, raw: str, proper: bool) -> frozenset[str]:
    """The lemmas a Russian term word matches by: a capitalized Cyrillic word of a name only
    its proper-noun lemmas (``Семей`` the city, not ``семья``), any other word all of them."""
    if not (proper and raw[:1].isupper() and _CYRILLIC.search(folded)):
        return _ru_lemmas(folded)
    return _ru_proper_lemmas(folded)


def _yo(word: str) -> str:
    return word.replace("ё", "е")


@functools.lru_cache(maxsize=65536)
def _ru_nominative(word: str, proper: bool, gender: str | None) -> Any:
    """The best nominative parse of a lowercase word, or None.

    A surname the dictionary does not know in the nominative (``токаев`` parses only as the
    genitive plural of ``токай``) is found through a probe form (``токаева``) whose lemma is
    the word.
    """
    if not _ALL_CYRILLIC.fullmatch(word):
        return None
    morph = _morph()
    key = _yo(word)
    # a word already in folded form has its parses in the shared cache
    candidates = _ru_parses(word) if _fold(word, False) == word else morph.parse(word)
    parses = [p for p in candidates if "nomn" in p.tag and _yo(p.word) == key]
    if proper and not any(_PROPER & p.tag.grammemes for p in parses if p.tag.POS == "NOUN"):
        for ending in ("а", "у", "ом", "ым"):
            for probe in morph.parse(word + ending):
                if probe.tag.POS == "NOUN" and _yo(probe.normal_form) == key:
                    nom = probe.inflect({"nomn", "sing"})
                    if nom is not None and _yo(nom.word) == key:
                        parses.append(nom)
            if any(_PROPER & p.tag.grammemes for p in parses):
                break
    if not parses:
        return None
    want_gender = {"masculine": "masc", "feminine": "femn", "neuter": "neut"}.get(gender or "")

    def rank(p: Any) -> tuple[int, int, int, int, float]:
        noun = p.tag.POS == "NOUN"
        return (
            int(noun or p.tag.POS in ("ADJF", "PRTF")),
            int(want_gender is not None and p.tag.gender == want_gender),
            int(p.tag.number == "sing"),
            int(bool(proper and noun and _PERSON & p.tag.grammemes))
            + int(bool(proper and noun and _PROPER & p.tag.grammemes)),
            p.score,
        )

    return max(parses, key=rank)


@dataclass(frozen=True)
class _RuPhrase:
    """A Russian term analysed for inflection: which word is the head, which agree with it."""

    head: int | None
    agree: tuple[int, ...]  # adjectives and participles before the head
    appos: tuple[int, ...]  # person-name parts after the head (``Касым-Жомарт Токаев``)
    parses: tuple[Any, ...]  # nominative parse of each word, or None
    fixed: frozenset[int]  # parts of a hyphenated group that do not inflect


@functools.lru_cache(maxsize=4096)
def _ru_phrase(
    words: tuple[str, ...], gaps: tuple[str, ...], proper: bool, gender: str | None
) -> _RuPhrase:
    parses = tuple(_ru_nominative(w.lower(), proper, gender) for w in words)
    fixed = frozenset(i for i, g in enumerate(gaps) if g == "-")  # word i is joined to i+1
    head = None
    for i, p in enumerate(parses):
        if p is not None and p.tag.POS == "NOUN":
            head = i
            break
    if head is None:
        return _RuPhrase(None, (), (), parses, fixed)
    while head in fixed and parses[head + 1] is not None and parses[head + 1].tag.POS == "NOUN":
        head += 1
    agree = tuple(
        i
        for i in range(head)
        if i not in fixed and parses[i] is not None and parses[i].tag.POS in ("ADJF", "PRTF")
    )
    appos: list[int] = []
    hp = parses[head]
    if _PERSON & hp.tag.grammemes:
        for i in range(head + 1, len(words)):
            p = parses[i]
            if p is None or p.tag.POS != "NOUN" or not (_PERSON & p.tag.grammemes):
                break
            if p.tag.number != hp.tag.number:
                break
            if i not in fixed:
                appos.append(i)
    return _RuPhrase(head, agree, tuple(appos), parses, fixed)


_CASE_NORM = {
    "loc2": "loct",
    "gen2": "gent",
    "acc2": "accs",
    "gen1": "gent",
    "loc1": "loct",
    "voct": "nomn",
}
_RU_TO_LABEL = {
    "nomn": "nom",
    "gent": "gen",
    "datv": "dat",
    "accs": "acc",
    "ablt": "ins",
    "loct": "loc",
}
_LABEL_TO_RU = {
    "nom": "nomn",
    "gen": "gent",
    "dat": "datv",
    "acc": "accs",
    "ins": "ablt",
    "loc": "loct",
    "abl": "gent",
}


def _ru_found_form(
    words: Sequence[str], lemma_sets: Sequence[frozenset[str]], phrase: _RuPhrase
) -> tuple[str, str] | None:
    """(case, number) of a found Russian phrase whose term analysis is *phrase*, or None.

    Every parse of the head word with the term head's lemma is an option; adjectives and
    name parts that agree with the head narrow the options down; parses of the term head's
    gender win, then (for names) the singular, then the nominative (``полк`` is taken for a
    nominative, not an accusative: the context is not analysed), then pymorphy3's score.
    """
    if phrase.head is None:
        return None
    hp = phrase.parses[phrase.head]
    proper = bool(_PROPER & hp.tag.grammemes)
    hp_gender = _plain(hp.tag.gender)
    lemmas = lemma_sets[phrase.head]
    head_options: dict[tuple[str, str], tuple[int, int, int, float]] = {}
    for pos, case, number, gender, lemma, score in _ru_digest(words[phrase.head]):
        if pos != "NOUN" or not (case and number):
            continue
        if lemma in lemmas:
            key = (case, number)
            rank = (
                int(gender == hp_gender or gender is None),
                int(proper and number == "sing"),
                int(case == "nomn"),  # a form that is also the nominative: nominative
                score,
            )
            head_options[key] = max(head_options.get(key, rank), rank)
    if not head_options:
        return None
    allowed: set[tuple[str | None, str | None]] | None = None
    for i in phrase.agree + phrase.appos:
        wanted = ("ADJF", "PRTF") if i in phrase.agree else ("NOUN",)
        options = {
            (_CASE_NORM.get(case, case), number)  # type: ignore[arg-type]
            for pos, case, number, _, lemma, _ in _ru_digest(words[i])
            if pos in wanted and lemma in lemma_sets[i]
        }
        allowed = options if allowed is None else allowed & options
    best = [
        (rank, key)
        for key, rank in head_options.items()
        if allowed is None or (_CASE_NORM.get(key[0], key[0]), key[1]) in allowed
    ]
    if not best:
        best = [(rank, key) for key, rank in head_options.items()]
    return max(best)[1]


def _ru_inflect(
    text: str, case: str, number: str | None, *, proper: bool = False, gender: str | None = None
) -> str | None:
    """*text* (a Russian term in the nominative) in *case*/*number*; None when it can't be done."""
    spans, lead, gaps, trail = _split(text)
    if not spans:
        return None
    words = [text[a:b] for a, b in spans]
    phrase = _ru_phrase(tuple(words), tuple(_norm_gap(g) for g in gaps), proper, gender)
    if phrase.head is None:
        return None
    hp = phrase.parses[phrase.head]
    out = list(words)

    def inflect_noun(p: Any) -> Any:
        tries = [{case, number} if number else {case}, {case}]
        norm = _CASE_NORM.get(case)
        if norm:
            tries += [{norm, number} if number else {norm}, {norm}]
        for grammemes in tries:
            got = p.inflect(grammemes)
            if got is not None:
                return got
        return None

    new_head = inflect_noun(hp)
    if new_head is None:
        return None
    out[phrase.head] = new_head.word
    for i in phrase.appos:
        got = inflect_noun(phrase.parses[i])
        if got is None:
            return None
        out[i] = got.word
    adj_case = _CASE_NORM.get(new_head.tag.case, new_head.tag.case)
    adj_number = new_head.tag.number or "sing"
    for i in phrase.agree:
        grammemes = {adj_case, adj_number}
        if adj_number == "sing" and new_head.tag.gender in ("masc", "femn", "neut"):
            grammemes.add(new_head.tag.gender)
        tries = [grammemes]
        if adj_case == "accs" and new_head.tag.animacy:
            tries.insert(0, grammemes | {new_head.tag.animacy})
        got = None
        for g in tries:
            got = phrase.parses[i].inflect(g)
            if got is not None:
                break
        if got is None:
            return None
        out[i] = got.word
    parts = [lead]
    for i, word in enumerate(out):
        if out[i] is not words[i]:
            word = _restore_case(word, words[i])
        parts.append(word)
        if i < len(gaps):
            parts.append(gaps[i])
    parts.append(trail)
    return "".join(parts)


# -- Kazakh endings -----------------------------------------------------------------------------

_KK_PL = ("лар", "лер", "дар", "дер", "тар", "тер")
_KK_POSS3 = ("ы", "і", "сы", "сі")
_KK_POSS12 = ("ым", "ім", "м", "ың", "ің", "ң")
_KK_POSSPL = ("ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз")
_KK_CASES0 = {
    "gen": ("ның", "нің", "дың", "дің", "тың", "тің"),
    "dat": ("ға", "ге", "қа", "ке"),
    "acc": ("ны", "ні", "ды", "ді", "ты", "ті"),
    "loc": ("да", "де", "та", "те"),
    "abl": ("дан", "ден", "тан", "тен", "нан", "нен"),
    "ins": ("мен", "бен", "пен"),
    "equ": ("ша", "ше", "дай", "дей", "тай", "тей"),
}
_KK_CASES3 = {
    "gen": ("ның", "нің"),
    "dat": ("на", "не"),
    "acc": ("н",),
    "loc": ("нда", "нде"),
    "abl": ("нан", "нен"),
    "ins": ("мен",),
    "equ": ("ша", "ше", "ндай", "ндей"),
}
_KK_CASES12 = {
    "gen": ("ның", "нің"),
    "dat": ("а", "е"),
    "acc": ("ды", "ді"),
    "loc": ("да", "де"),
    "abl": ("нан", "нен"),
    "ins": ("мен",),
    "equ": ("ша", "ше", "дай", "дей"),
}
_KK_REL = ("ғы", "гі")

_LATN_FRAG = {"і": "[ıi]", "ы": "y", "ғ": "[ğǵ]", "қ": "q", "ң": "[ñń]", "ш": "(?:ş|sh)"}
_LATN_PLAIN = dict(zip("аеолрдтнмбпсгкз", "aeolrdtnmbpsgkz", strict=True))
_KK_VOWELS = frozenset("аәеоөұүыіиуэюяёaäeoöuūüyıiáóúý")
_KK_VOICING = {"к": ("г",), "қ": ("ғ",), "п": ("б",), "k": ("g",), "q": ("ğ", "ǵ"), "p": ("b",)}


def _cyr(morph: str) -> str:
    return re.escape(morph)


def _latn(morph: str) -> str:
    return "".join(_LATN_FRAG.get(c) or re.escape(_LATN_PLAIN.get(c, c)) for c in morph)


def _kk_chain(conv: Any, *, after_poss3: bool = False) -> re.Pattern[str]:
    def alt(morphs: Iterable[str]) -> str:
        return "(?:" + "|".join(sorted({conv(m) for m in morphs}, key=len, reverse=True)) + ")"

    def cases(table: dict[str, tuple[str, ...]], tag: str) -> str:
        branches = []
        for case, morphs in table.items():
            body = f"(?P<c{tag}_{case}>{alt(morphs)})"
            if case == "loc":
                tail = "|".join(f"(?P<r{tag}_{c}>{alt(m)})" for c, m in _KK_CASES0.items())
                body += f"(?:(?P<rel{tag}>{alt(_KK_REL)})(?P<plr{tag}>{alt(_KK_PL)})?(?:{tail})?)?"
            branches.append(body)
        return "(?:" + "|".join(branches) + ")"

    if after_poss3:
        # the endings that follow a third-person possessive (the term's own: Жеңіс күні-нде)
        return re.compile(cases(_KK_CASES3, "3"))
    pattern = (
        "'?"
        f"(?P<pl>{alt(_KK_PL)})?"
        "(?:"
        f"(?P<poss3>{alt(_KK_POSS3)}){cases(_KK_CASES3, '3')}?"
        f"|(?P<poss12>{alt(_KK_POSS12)}){cases(_KK_CASES12, '12')}?"
        f"|(?P<posspl>{alt(_KK_POSSPL)}){cases(_KK_CASES0, 'p')}?"
        f"|{cases(_KK_CASES0, '0')}"
        ")?"
    )
    return re.compile(pattern)


_KK_CHAIN_CYRL = _kk_chain(_cyr)
_KK_CHAIN_LATN = _kk_chain(_latn)
_KK_AFTER3_CYRL = _kk_chain(_cyr, after_poss3=True)
_KK_AFTER3_LATN = _kk_chain(_latn, after_poss3=True)


@dataclass(frozen=True)
class _KkForm:
    plural: bool
    poss: str | None  # "3", "12", "pl"
    case: str | None
    rel: bool


@functools.lru_cache(maxsize=65536)
def _kk_parse(rem: str, latin: bool, after_poss3: bool = False) -> _KkForm | None:
    """The analysis of a (folded) Kazakh ending chain, or None if it is not one.

    *after_poss3*: *rem* follows a third-person possessive that is part of the term (only the
    pronominal case endings ``-н -на -нда -нан -ның`` and the relative ``-ндағы`` may follow);
    the form then has no possessive of its own.
    """
    if after_poss3:
        m = (_KK_AFTER3_LATN if latin else _KK_AFTER3_CYRL).fullmatch(rem)
    else:
        m = (_KK_CHAIN_LATN if latin else _KK_CHAIN_CYRL).fullmatch(rem)
    if m is None:
        return None
    found = {k for k, v in m.groupdict().items() if v is not None}
    case = None
    rel = False
    for name in found:
        if name.startswith("rel"):
            rel = True
    for name in found:
        if name.startswith("r") and "_" in name and not name.startswith("rel"):
            case = name.split("_", 1)[1]
    if case is None and not rel:
        for name in found:
            if name.startswith("c") and "_" in name:
                case = name.split("_", 1)[1]
    poss = (
        "3"
        if "poss3" in found
        else "12"
        if "poss12" in found
        else "pl"
        if "posspl" in found
        else None
    )
    plural = "pl" in found or any(n.startswith("plr") for n in found)
    return _KkForm(plural, poss, case, rel)


_KK_ALPHABETS: dict[str, dict[str, str]] = {
    # letter classes: v vowel, n nasal, l the letter л, s other sonorant, z ж/з, anything else voiceless
    "cyrl": {
        **dict.fromkeys("аәеоөұүыіэюяё", "v"),
        **dict.fromkeys("мнң", "n"),
        "л": "l",
        **dict.fromkeys("рйуи", "s"),
        **dict.fromkeys("жз", "z"),
    },
    "2021": {
        **dict.fromkeys("aäeoöūüyı", "v"),
        **dict.fromkeys("mnñ", "n"),
        "l": "l",
        **dict.fromkeys("riu", "s"),
        **dict.fromkeys("jz", "z"),
    },
    "2018": {
        **dict.fromkeys("aáeoóuúyi", "v"),
        **dict.fromkeys("mnń", "n"),
        "l": "l",
        **dict.fromkeys("rıý", "s"),
        **dict.fromkeys("jz", "z"),
    },
}
_KK_HARMONY = {
    "cyrl": (frozenset("аоұыяё"), frozenset("әеөүіэ")),
    "2021": (frozenset("aoūy"), frozenset("äeöüı")),
    "2018": (frozenset("aouy"), frozenset("áeóúi")),
}
_KK_RULES: dict[str, dict[str, tuple[str, str]]] = {
    # ending after a vowel / nasal / л / other sonorant / ж з / voiceless: (back, front)
    "pl": {
        "v": ("лар", "лер"),
        "n": ("дар", "дер"),
        "l": ("дар", "дер"),
        "s": ("лар", "лер"),
        "z": ("дар", "дер"),
        "x": ("тар", "тер"),
    },
    "gen": {
        "v": ("ның", "нің"),
        "n": ("ның", "нің"),
        "l": ("дың", "дің"),
        "s": ("дың", "дің"),
        "z": ("дың", "дің"),
        "x": ("тың", "тің"),
    },
    "dat": {
        "v": ("ға", "ге"),
        "n": ("ға", "ге"),
        "l": ("ға", "ге"),
        "s": ("ға", "ге"),
        "z": ("ға", "ге"),
        "x": ("қа", "ке"),
    },
    "acc": {
        "v": ("ны", "ні"),
        "n": ("ды", "ді"),
        "l": ("ды", "ді"),
        "s": ("ды", "ді"),
        "z": ("ды", "ді"),
        "x": ("ты", "ті"),
    },
    "loc": {
        "v": ("да", "де"),
        "n": ("да", "де"),
        "l": ("да", "де"),
        "s": ("да", "де"),
        "z": ("да", "де"),
        "x": ("та", "те"),
    },
    "abl": {
        "v": ("дан", "ден"),
        "n": ("нан", "нен"),
        "l": ("дан", "ден"),
        "s": ("дан", "ден"),
        "z": ("дан", "ден"),
        "x": ("тан", "тен"),
    },
    "ins": {
        "v": ("мен", "мен"),
        "n": ("мен", "мен"),
        "l": ("мен", "мен"),
        "s": ("мен", "мен"),
        "z": ("бен", "бен"),
        "x": ("пен", "пен"),
    },
    "poss3": {
        "v": ("сы", "сі"),
        "n": ("ы", "і"),
        "l": ("ы", "і"),
        "s": ("ы", "і"),
        "z": ("ы", "і"),
        "x": ("ы", "і"),
    },
}
_KK_CASES_AFTER_POSS3 = {
    "gen": ("ның", "нің"),
    "dat": ("на", "не"),
    "acc": ("н", "н"),
    "loc": ("нда", "нде"),
    "abl": ("нан", "нен"),
    "ins": ("мен", "мен"),
}
_KK_TO_LATN = {
    "2021": str.maketrans(
        {
            "ы": "y",
            "і": "ı",
            "ғ": "ğ",
            "қ": "q",
            "ң": "ñ",
            "а": "a",
            "е": "e",
            "л": "l",
            "р": "r",
            "д": "d",
            "т": "t",
            "н": "n",
            "м": "m",
            "б": "b",
            "п": "p",
            "с": "s",
            "г": "g",
            "к": "k",
        }
    ),
    "2018": str.maketrans(
        {
            "ы": "y",
            "і": "i",
            "ғ": "ǵ",
            "қ": "q",
            "ң": "ń",
            "а": "a",
            "е": "e",
            "л": "l",
            "р": "r",
            "д": "d",
            "т": "t",
            "н": "n",
            "м": "m",
            "б": "b",
            "п": "p",
            "с": "s",
            "г": "g",
            "к": "k",
        }
    ),
}


def _kk_alphabet(word: str) -> str:
    if _CYRILLIC.search(word):
        return "cyrl"
    if any(c in "ǵńáóúýǴŃÁÓÚÝ" for c in word):
        return "2018"
    return "2021"


_KK_POSS_VOWELS = {"cyrl": "ыі", "2021": "yı", "2018": "yi"}
_KK_PATRONYMIC = ("ұлы", "қызы", "ūly", "uly", "qyzy")
#: agent nouns (пайдаланушы, қорғаушы, әнші) end like a possessive but are not one
_KK_AGENT = ("шы", "ші", "şy", "şı", "shy", "shi")
_KK_DEVOICING = {"ғ": "қ", "ğ": "q", "ǵ": "q"}
#: final clusters of loanwords that take a buffer vowel before a consonant: Томск-і-де
_KK_BUFFERED = ("ск", "цк", "sk")
_KK_BUFFER_VOWELS = {"cyrl": ("і", "ы"), "latn": ("ı", "i", "y")}


def _kk_poss_stems(word: str, alphabet: str) -> list[str]:
    """The stems of a folded word read as ending in a third-person possessive, likeliest first.

    ``лентасы`` → ``лента`` (vowel + ``-сы``) or ``лентас`` (consonant + ``-ы``); ``соғысы`` →
    ``соғыс``, ``соғы``; ``күні`` → ``күн``.  Both readings of ``…Vсы`` are kept (matching
    tries both); the consonant reading comes first when the vowel before ``с`` is ``ы``/``і``
    (the deverbal ``-ыс``/``-іс`` nouns: ``соғыс``, ``жеңіс``) or the other stem would have a
    single vowel (``тас``, ``бас``).  Empty when the word cannot end in a possessive.
    """
    classes = _KK_ALPHABETS[alphabet]
    poss = _KK_POSS_VOWELS[alphabet]
    if len(word) < 3 or word[-1] not in poss:
        return []
    vowel_stem = consonant_stem = None
    if word[-2] in "сs" and len(word) >= 4 and classes.get(word[-3]) == "v":
        vowel_stem = word[:-2]
    if word[-2].isalpha() and word[-2] not in "ьъ" and classes.get(word[-2]) != "v":
        consonant_stem = word[:-1]
    if vowel_stem and consonant_stem:
        vowels = sum(1 for c in vowel_stem if classes.get(c) == "v")
        if word[-3] in poss or vowels < 2:
            return [consonant_stem, vowel_stem]
        return [vowel_stem, consonant_stem]
    return [s for s in (vowel_stem, consonant_stem) if s]


def _kk_poss_final(word: str, multiword: bool) -> list[str]:
    """The stems of a term's folded last word if it ends in the term's own possessive.

    Only the last word of a multi-word term (the izafet compounds ``Жеңіс күні``, ``Ұлы Отан
    соғысы``, ``Георгий лентасы``) and patronymics (``Момышұлы``) are read so: a single word
    ending in ``-ы``/``-і`` is usually not a possessive (``Алматы``), nor is an agent noun
    in ``-шы``/``-ші`` (``пайдаланушы``).
    """
    if not (multiword or (word.endswith(_KK_PATRONYMIC) and len(word) > 4)):
        return []
    if word.endswith(_KK_AGENT):
        return []
    return _kk_poss_stems(word, _kk_alphabet(word))


@functools.lru_cache(maxsize=65536)
def _kk_stems(word: str, multiword: bool) -> tuple[tuple[str, str | None], ...]:
    """(stem, constraint) pairs a text word may start with to be an inflected form of *word*.

    *word* is the folded last word of a Kazakh term.  The constraint says which endings may
    follow the stem (see :func:`_kk_analyse`): the word itself takes any ending chain; a term
    ending in its own possessive takes, after the word, the pronominal endings (``күні-нде``)
    and, after the possessive stripped, a chain with a possessive (``лента-лар-ы``,
    ``күн-дер-і-нде``); a final ``к қ п`` voices before a vowel (``тарағы``); ``-ск`` takes a
    buffer vowel before a consonant (``Томскіде``).
    """
    possessed = _kk_poss_final(word, multiword)
    if possessed:
        stems: list[tuple[str, str | None]] = [(word, None), (word, "after3")]
        for stem in possessed:
            stems.append((stem, "poss"))
            for devoiced in _KK_DEVOICING.get(stem[-1:], ()):
                stems.append((stem[:-1] + devoiced, "posspl"))  # Одағы → Одақтары
        return tuple(stems)
    stems = [(word, None)]
    for voiced in _KK_VOICING.get(word[-1:], ()):
        stems.append((word[:-1] + voiced, "vowel"))
    if word.endswith(_KK_BUFFERED):
        vowels = _KK_BUFFER_VOWELS["cyrl" if _CYRILLIC.search(word) else "latn"]
        stems.extend((word + v, "buffer") for v in vowels)
    return tuple(stems)


_KK_NOMINATIVE = _KkForm(False, None, None, False)


@functools.lru_cache(maxsize=65536)
def _kk_analyse(rem: str, constraint: str | None, latin: bool) -> _KkForm | None:
    """The form of the ending *rem* after a stem with *constraint*, or None if not allowed.

    Constraints: None — any chain; ``vowel`` — a chain starting with a vowel (after a voiced
    stem); ``buffer`` — a chain of case/plural endings starting with a consonant (after a
    buffer vowel); ``after3`` — the pronominal endings after the term's own
    possessive; ``poss`` — a chain with a possessive (after the possessive stripped);
    ``posspl`` — the same with a plural (after a devoiced stem).  The term's own possessive is
    not part of the returned form.
    """
    if constraint == "after3":
        return _kk_parse(rem, latin, True) if rem else None
    if constraint in ("vowel", "buffer") and (
        not rem or (rem[0] in _KK_VOWELS) != (constraint == "vowel")
    ):
        return None
    form = _kk_parse(rem, latin) if rem else _KK_NOMINATIVE
    if form is None:
        return None
    if constraint == "buffer":
        return form if form.poss is None else None
    if constraint in ("poss", "posspl"):
        if form.poss is None or (constraint == "posspl" and not form.plural):
            return None
        return _KkForm(form.plural, None, form.case, form.rel) if form.poss == "3" else form
    return form


def _kk_word_form(word: str, multiword: bool, token: str) -> tuple[int, _KkForm] | None:
    """How the folded *token* inflects the folded last word *word* of a Kazakh term.

    Returns (length of the suffix, form): the suffix is the part of *token* after *word* when
    *token* starts with it (``нде`` of ``күнінде``, ``іде`` of ``Томскіде``), else the part
    after the stem (``лары`` of ``ленталары``, ``ы`` of ``Ақжайығы``).
    """
    latin = not _CYRILLIC.search(word)
    for stem, constraint in _kk_stems(word, multiword):
        if token.startswith(stem):
            form = _kk_analyse(token[len(stem) :], constraint, latin)
            if form is not None:
                n = len(token) - len(word) if token.startswith(word) else len(token) - len(stem)
                return n, form
    return None


def _kk_inflect_word(word: str, form: _KkForm, *, possessed: bool = False) -> str | None:
    """*word* with the endings of *form*, in its alphabet and vowel harmony; None if unsupported.

    *possessed*: the word ends in the term's own third-person possessive (``күні``,
    ``лентасы``): case endings take their pronominal forms after it (``күнінде``,
    ``лентасын``) and a plural goes before it (``ленталары``).
    """
    if form.poss not in (None, "3"):
        return None
    alphabet = _kk_alphabet(word)
    turkic = alphabet != "cyrl"
    low = _fold(word, turkic)
    classes = _KK_ALPHABETS[alphabet]
    back, front = _KK_HARMONY[alphabet]
    current = low
    keep = len(word)  # how much of *word* is kept as written (less when a plural goes inside)

    def add(rule: dict[str, tuple[str, str]] | None, fixed: tuple[str, str] | None = None) -> None:
        nonlocal current
        is_front = False
        for k in range(len(current) - 1, -1, -1):
            c = current[k]
            if c in "еe" and k and current[k - 1] in _KK_VOWELS:
                continue  # iotated е of a Russian-style surname: Тоқаев → Тоқаевтың
            if c in back:
                break
            if c in front:
                is_front = True
                break
        if fixed is None:
            assert rule is not None
            fixed = rule[classes.get(current[-1:], "x")]
            if current.endswith(_KK_BUFFERED) and fixed[0][0] not in _KK_VOWELS:
                # a loanword's final cluster takes a buffer vowel: Томск → Томскіде
                current += "і" if alphabet == "cyrl" else "ı" if alphabet == "2021" else "i"
                is_front = True
                fixed = rule["v"]
        ending = fixed[1] if is_front else fixed[0]
        if alphabet != "cyrl":
            ending = ending.translate(_KK_TO_LATN[alphabet])
        current += ending

    if possessed and form.plural:
        stems = _kk_poss_stems(low, alphabet)
        if not stems or len(low) != len(word):
            return None
        stem = stems[0]
        current = stem[:-1] + _KK_DEVOICING.get(stem[-1], stem[-1])  # Одағы → Одақтары
        keep = len(current) if current == stem else len(stem) - 1
        add(_KK_RULES["pl"])
        add(_KK_RULES["poss3"])
    elif form.plural and not form.rel:
        add(_KK_RULES["pl"])
    if possessed or form.poss == "3":
        if not possessed:
            add(_KK_RULES["poss3"])
        if form.rel:
            add(None, _KK_CASES_AFTER_POSS3["loc"])
            add(None, ("ғы", "гі"))
            if form.case is not None:
                if form.case not in _KK_RULES:
                    return None
                add(_KK_RULES[form.case])
        elif form.case in _KK_CASES_AFTER_POSS3:
            add(None, _KK_CASES_AFTER_POSS3[form.case])
        elif form.case is not None:
            return None
    elif form.rel:
        add(_KK_RULES["loc"])
        add(None, ("ғы", "гі"))
        if form.plural:
            add(_KK_RULES["pl"])
        if form.case is not None:
            if form.case not in _KK_RULES:
                return None
            add(_KK_RULES[form.case])
    elif form.case is not None:
        if form.case not in _KK_RULES:
            return None
        add(_KK_RULES[form.case])
    suffix = current[keep + len(low) - len(word) :]
    if _shape(word) == "upper":
        suffix = _upper(suffix, turkic)
    return word[:keep] + suffix


def _kk_possessed(text: str) -> bool:
    """True when the Kazakh term *text* ends in its own third-person possessive (``Жеңіс күні``)."""
    words = _TOKEN.findall(text)
    if not words:
        return False
    return bool(_kk_poss_final(_fold(words[-1], True), len(words) > 1))


def _kk_inflect(text: str, form: _KkForm) -> str | None:
    """A Kazakh term with *form*'s endings on its last word."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    if not spans:
        return None
    a, b = spans[-1]
    got = _kk_inflect_word(text[a:b], form, possessed=_kk_possessed(text))
    return None if got is None else text[:a] + got + text[b:]


def _kk_found_form(m: TermMatch) -> _KkForm | None:
    """The form (plural, case…) of a Kazakh match, the term's own possessive left out."""
    words = _TOKEN.findall(m.term.text)
    found = _TOKEN.findall(m.surface)
    if not words or not found:
        return None
    got = _kk_word_form(_fold(words[-1], True), len(words) > 1, _fold(found[-1], True))
    return None if got is None else got[1]


# -- English endings ----------------------------------------------------------------------------

_EN_SUFFIX = re.compile(r"(?:(?P<pl>e?s)(?P<gp>')?|(?P<g>'s?))?")
_EN_IES = re.compile(r"(?P<pl>ies)(?P<gp>')?")


def _en_pluralize(word: str) -> str:
    low = word.lower()
    if len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
        return word[:-1] + ("IES" if word.isupper() else "ies")
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + ("ES" if word.isupper() else "es")
    return word + ("S" if word.isupper() else "s")


def _en_inflect(text: str, suffix: str) -> str:
    spans = [m.span() for m in _TOKEN.finditer(text)]
    if not spans or not suffix:
        return text
    a, b = spans[-1]
    word = text[a:b]
    norm = suffix.replace("’", "'")
    apostrophe = "’" if "’" in suffix else "'"
    m = _EN_SUFFIX.fullmatch(norm) or _EN_IES.fullmatch(norm)
    if m is None:
        return text
    groups = m.groupdict()
    if groups.get("pl"):
        word = _en_pluralize(word)
        if groups.get("gp"):
            word += apostrophe
    elif groups.get("g"):
        word += apostrophe + "s" if norm == "'s" else apostrophe
    return text[:a] + word + text[b:]


# -- matching -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TermMatch:
    """A glossary term found in a text: ``text[start:end] == surface``.

    ``suffix`` is the inflectional ending beyond the glossary form on the last word (Kazakh and
    English terms; ``""`` otherwise): ``нде`` of ``Жеңіс күнінде``, ``іде`` of ``Томскіде``.
    Where the ending goes inside the glossary form it is the part beyond the stem (``лары`` of
    ``Георгий ленталары`` for ``Георгий лентасы``, ``ы`` of ``Ақжайығы``), so the glossary
    form plus ``suffix`` is not always the surface: :func:`inflect_like` reproduces a form.
    ``case`` is the grammatical case when it is known (``nom gen dat acc loc abl ins``; Kazakh
    from the ending, Russian from pymorphy3, English ``gen`` for a possessive) and ``plural``
    the number.
    """

    start: int
    end: int
    concept: Concept
    term: Term
    lang: str
    surface: str
    suffix: str = ""
    case: str | None = None
    plural: bool = False

    def __repr__(self) -> str:
        return (
            f"TermMatch({self.start}, {self.end}, {self.concept.id!r}, {self.term.text!r}, "
            f"{self.lang!r}, {self.surface!r})"
        )


_NEW = object.__new__
_SET = object.__setattr__


def _new_match(
    start: int,
    end: int,
    concept: Concept,
    term: Term,
    lang: str,
    surface: str,
    suffix: str,
    case: str | None,
    plural: bool,
) -> TermMatch:
    """``TermMatch(start, end, …)``, made faster: the frozen dataclass's own ``__init__``
    sets its nine fields one ``object.__setattr__`` call at a time, a tenth of the time of
    matching a long text; this sets the instance's attribute dictionary at once."""
    match = _NEW(TermMatch)
    _SET(
        match,
        "__dict__",
        {
            "start": start,
            "end": end,
            "concept": concept,
            "term": term,
            "lang": lang,
            "surface": surface,
            "suffix": suffix,
            "case": case,
            "plural": plural,
        },
    )
    return match


class _Pattern:
    """A glossary term prepared for matching and for reading the form of its matches.

    Patterns are made on demand (:meth:`TermMatcher._pattern`): the trie only needs a term's
    words, and with 100,000 terms over a long text only a few thousand are ever reached.  The
    Russian lemma sets and letter-shape tests (:attr:`lemmas`, :attr:`shapes`), exact forms
    (:attr:`exact`) and the Russian phrase analysis (:meth:`phrase`) are computed on first use.
    """

    __slots__ = (
        "concept", "term", "order", "rank", "cs", "skey", "proper", "ru", "lead", "trail",
        "gaps", "raw", "folded", "infl", "stems", "_exact", "_lemmas", "_shapes", "_phrase",
    )

    def __init__(
        self,
        concept: Concept,
        term: Term,
        order: int,
        words: _Words,
        ru: bool,
    ) -> None:
        self.concept = concept
        self.term = term
        self.order = order
        self.rank = _STATUS_RANK.get(term.status, len(STATUSES))
        self.cs = bool(term.case_sensitive)
        #: the fixed part of the preference between terms found at the same place
        self.skey = (int(self.cs), -self.rank, -order)
        self.proper = concept.kind == "name" or term.pos == "properNoun"
        self.ru = ru
        self.raw, self.folded, self.gaps, self.lead, self.trail = words
        self.infl: str | None = None  # "kk-cyrl", "kk-latn", "en": how the last word inflects
        self.stems: tuple[tuple[str, str | None], ...] = ()  # (stem, constraint), last word
        self._exact: tuple[str, ...] | None = None
        self._lemmas: tuple[frozenset[str], ...] | None = None
        self._shapes: tuple[str | None, ...] | None = None
        self._phrase: _RuPhrase | None = None

    @property
    def exact(self) -> tuple[str, ...]:
        """The case-sensitive key of each word (see :func:`_exact`)."""
        if self._exact is None:
            self._exact = tuple(_exact(w) for w in self.raw)
        return self._exact

    @property
    def lemmas(self) -> tuple[frozenset[str], ...] | None:
        """Russian: the lemma set each word matches by (:func:`_ru_term_lemmas`); else None."""
        if not self.ru:
            return None
        if self._lemmas is None:
            self._lemmas = tuple(
                _ru_term_lemmas(f, r, self.proper) for f, r in zip(self.folded, self.raw)
            )
        return self._lemmas

    @property
    def shapes(self) -> tuple[str | None, ...] | None:
        """Russian: the letter shape each found word must have (see :func:`_shape_test`)."""
        if not self.ru:
            return None
        if self._shapes is None:
            self._shapes = tuple(_shape_test(r, self.proper, self.cs) for r in self.raw)
        return self._shapes

    def phrase(self) -> _RuPhrase:
        """The Russian term's analysis for inflection (head, agreeing words), computed once."""
        if self._phrase is None:
            self._phrase = _ru_phrase(self.raw, self.gaps, self.proper, self.term.gender)
        return self._phrase


#: a term's words: (as written, folded, normalized gaps, leading and trailing punctuation)
_Words = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str, str]


def _shape_test(raw: str, proper: bool, case_sensitive: bool) -> str | None:
    """The letter shape a text word must have to match the Russian term word *raw*.

    A case-sensitive term's words keep their shape; a capitalized Cyrillic word of a name
    (``Семей`` the city) must be found capitalized (``"cap"``: title or upper case); else None.
    """
    if case_sensitive:
        return _shape(raw)
    if proper and raw[:1].isupper() and _CYRILLIC.search(raw):
        return "cap"
    return None


_MODES = {"ru": "ru", "kk": "kk", "en": "en"}
#: the gaps of a term whose words are separated by single spaces, by number of gaps
_SPACE_GAPS = tuple((" ",) * k for k in range(8))


#: a candidate last word: (gap before it, term number, ending — None when the term is
#: case-sensitive and the ending must be checked against the word as written)
_Last = tuple[str, int, str | None]
#: a term's preference key among terms found at the same place: (case-sensitive, -status
#: rank, -term number); a larger key wins
_SKey = tuple[int, int, int]
#: how a candidate ranks against others ending at the same place: (no ending, _SKey)
_Rank = tuple[bool, _SKey]
#: the best one-word term at a text word that needs nothing else from the text: (rank, term
#: number, ending, length of the ending in the text, case, plural) — plain values only, so
#: that the garbage collector stops tracking the memo entries (see TermMatcher)
_One = tuple[_Rank, int, str, int, str | None, bool]
#: what a first text word (as written) leads to: its _One, the one-word terms that must be
#: checked against the text (punctuation before them: term number, ending), the nodes with
#: more words after it
_RootEntry = tuple[_One | None, tuple[tuple[int, str], ...], tuple[int, ...]]
#: what a second word leads to after a first one: nodes, candidate last words
_PairEntry = tuple[tuple[int, ...], tuple[_Last, ...]]
#: the form read from a match: (length of the Kazakh ending or None, case, plural)
_Form = tuple[int | None, str | None, bool]
_NO_ROOT: _RootEntry = (None, (), ())
_NO_FORM: _Form = (None, None, False)
_NO_PAIR: _PairEntry = ((), ())
#: a candidate match: ((end, rank), term number, start, end, index of its last word, ending);
#: the longest wins, then by rank
_Candidate = tuple[tuple[int, _Rank], int, int, int, int, str]
#: a single inflectable word in the stem index: (term number, inflection, constraint)
_Stem = tuple[int, str, str | None]
#: bound on each per-matcher cache keyed by text words (past it the cache starts again)
_MEMO_LIMIT = 200_000


class TermMatcher:
    """Finds the glossary terms of one language in texts (build once, match many times).

    Building indexes every term by its words alone (tokenized and folded) in a word trie;
    the rest of a term's analysis happens when a text first reaches it.  The trie is kept in
    flat tables of plain values — node numbers, strings, tuples — rather than an object per
    node: such tables are invisible to the cyclic garbage collector, which otherwise walked
    every node of a 100,000-term glossary again each time it ran.  A matcher caches what it
    learns about the words of the texts it sees (bounded), so matching more text gets cheaper.
    """

    def __init__(
        self, glossary: Iterable[Concept], lang: str, *, statuses: Sequence[str] = STATUSES
    ) -> None:
        self.lang = _tag_key(lang)
        self.mode = _MODES.get(base_language(self.lang), "exact")
        self.turkic = base_language(self.lang) in _TURKIC
        # the terms tried, by number (glossary order); compiled to patterns when reached
        self._concepts: list[Concept] = []
        self._terms: list[Term] = []
        self._compiled: dict[int, _Pattern | None] = {}
        self._count = 0
        # The word trie, node 0 the root.  The step into a node tests a text word: the gap
        # before it (None for a first word), its folded form, for Russian whether only the
        # proper-noun lemmas count (a capitalized word of a name), and a check: for Russian
        # the letter shape the text word must have (see _shape_test), for a case-sensitive
        # term in another language its exact form.  Steps for the same folded word with
        # different tests hang off the first one (_alt).
        self._node_word: list[str] = [""]
        self._node_gap: list[str | None] = [None]
        self._node_restricted: list[bool] = [False]
        self._node_check: list[str | None] = [None]
        # the next steps by folded word; for Russian by lemma too, built when a text first
        # reaches the node, which is when the words of the terms through it are analysed
        self._node_children: list[dict[str, int] | None] = [None]
        self._node_index: list[dict[str, int | tuple[int, ...]] | None] = [None]
        self._alt: dict[int, tuple[int, ...]] = {}
        # the terms ending at a node: the one that wins among those without punctuation
        # around them (the preference between them is fixed, so it is settled as terms are
        # added; -1: none), and those with punctuation (checked against each text)
        self._node_plain: list[int] = [-1]
        self._special: dict[int, tuple[int, ...]] = {}
        # terms whose inflectable last word (Kazakh, English) follows a node: the node's
        # shortest and longest such stem, and the terms by (node, stem) with the gap
        self._last: dict[int, tuple[int, int]] = {}
        self._lasts: dict[tuple[int, str], tuple[tuple[str, int], ...]] = {}
        # (folded last word, more than one word) → (distinct stems, shortest, longest)
        self._last_info: dict[tuple[str, bool], tuple[tuple[str, ...], int, int]] = {}
        # single inflectable words (Kazakh, English) by stem
        self._stems: dict[str, tuple[_Stem, ...]] = {}
        self._stem_lengths: tuple[int, int] = (1, 0)
        # caches of text words (bounded; "word" is as written, "folded" as _fold gives it):
        # word → folded, word → shape, folded → lemmas (Russian);
        # gap → normalized gap; word → root entry; first word → second word → pair entry;
        # (node, folded) → last words; folded → single inflectable words (term number,
        # ending); (term number, word or words) → form
        self._folds: dict[str, str] = {}
        self._shapes: dict[str, str] = {}
        self._lemmas: dict[str, tuple[str, ...]] = {}
        self._gaps: dict[str, str] = {}
        self._root_memo: dict[str, _RootEntry] = {}
        self._pair_memo: dict[str, dict[str, _PairEntry]] = {}
        self._pair_count = 0
        self._last_memo: dict[tuple[int, str], tuple[_Last, ...]] = {}
        self._stem_cache: dict[str, tuple[tuple[int, str], ...]] = {}
        self._forms: dict[tuple[int, Any], _Form] = {}
        allowed = set(statuses)
        lang = self.lang
        low = lang.lower()
        spellings: dict[str, bool] = {}  # language key of a concept → is it *lang*
        for concept in glossary:
            by_lang = concept.terms
            terms = by_lang.get(lang)
            if terms is None:  # as _terms_for: the tag spelled in another case, or none
                terms = ()
                for key in by_lang:
                    same = spellings.get(key)
                    if same is None:
                        same = spellings[key] = key.lower() == low
                    if same:
                        terms = by_lang[key]
                        break
            for term in terms:
                if term.status in allowed:
                    self._add(concept, term)
        if self._stems:
            lengths = [len(s) for s in self._stems]
            self._stem_lengths = (min(lengths), max(lengths))

    def __len__(self) -> int:
        return self._count

    # -- building --

    def _folded(self, raw: str) -> str:
        """The folded form of a word (cached)."""
        got = self._folds.get(raw)
        if got is None:
            if len(self._folds) >= _MEMO_LIMIT:
                self._folds.clear()
            got = self._folds[raw] = _fold(raw, self.turkic)
        return got

    def _tokenize(self, text: str) -> _Words | None:
        """A term's words, or None when it has none."""
        text = unicodedata.normalize("NFC", text.strip())
        raw = (_TOKEN if _MARKS.search(text) else _PLAIN_TOKEN).findall(text)
        if not raw:
            return None
        if len(raw) <= len(_SPACE_GAPS) and " ".join(raw) == text:
            lead = trail = ""  # the usual term: words and single spaces
            gaps = _SPACE_GAPS[len(raw) - 1]
        else:
            _, lead, between, trail = _split(text)
            lead, trail = lead.strip(), trail.strip()
            gaps = tuple(_norm_gap(g) for g in between)
        folded = list(map(self._folds.get, raw))
        if None in folded:
            folded = [self._folded(w) for w in raw]
        return tuple(raw), tuple(folded), gaps, lead, trail

    def _last_stems(self, last: str, multiword: bool) -> tuple[tuple[str, str | None], ...]:
        """(stem, constraint) pairs of a Kazakh or English term's folded last word."""
        if self.mode == "kk":
            return _kk_stems(last, multiword)
        if len(last) > 2 and last.endswith("y") and last[-2] not in "aeiou":
            return ((last, None), (last[:-1], "ies"))
        return ((last, None),)

    def _infl(self, last: str) -> str:
        if self.mode == "en":
            return "en"
        return "kk-cyrl" if _CYRILLIC.search(last) else "kk-latn"

    def _compile(self, concept: Concept, term: Term, order: int) -> _Pattern | None:
        words = self._tokenize(term.text)
        if words is None:
            return None
        pattern = _Pattern(concept, term, order, words, self.mode == "ru")
        if self.mode in ("kk", "en") and not pattern.trail:
            last = pattern.folded[-1]
            pattern.infl = self._infl(last)
            pattern.stems = self._last_stems(last, len(pattern.raw) > 1)
        return pattern

    def _pattern(self, order: int) -> _Pattern:
        """The pattern of term number *order* (compiled on first use)."""
        got = self._compiled.get(order)
        if got is None:
            got = self._compiled[order] = self._compile(
                self._concepts[order], self._terms[order], order
            )
        assert got is not None
        return got

    def _skey(self, order: int) -> _SKey:
        """:attr:`_Pattern.skey` of term number *order*, without compiling it."""
        term = self._terms[order]
        return (
            int(bool(term.case_sensitive)),
            -_STATUS_RANK.get(term.status, len(STATUSES)),
            -order,
        )

    def _new_node(self, word: str, gap: str | None, restricted: bool, check: str | None) -> int:
        self._node_word.append(word)
        self._node_gap.append(gap)
        self._node_restricted.append(restricted)
        self._node_check.append(check)
        self._node_children.append(None)
        self._node_index.append(None)
        self._node_plain.append(-1)
        return len(self._node_word) - 1

    def _add(self, concept: Concept, term: Term) -> None:
        """Number *term* and put it in the word trie (a single inflectable word: the stem index)."""
        order = len(self._terms)
        self._concepts.append(concept)
        self._terms.append(term)
        words = self._tokenize(term.text)
        if words is None:
            return
        self._count += 1
        raw, folded, gaps, lead, trail = words
        count = len(raw)
        inflects = self.mode in ("kk", "en") and not trail
        if inflects and count == 1:
            infl = self._infl(folded[0])
            for stem, constraint in self._last_stems(folded[0], False):
                self._stems[stem] = self._stems.get(stem, ()) + ((order, infl, constraint),)
            return
        ru = self.mode == "ru"
        cs = bool(term.case_sensitive)
        proper = ru and (concept.kind == "name" or term.pos == "properNoun")
        node_children = self._node_children
        node_gap = self._node_gap
        node_restricted = self._node_restricted
        node_check = self._node_check
        node = 0
        for j in range(count - 1 if inflects else count):
            gap = gaps[j - 1] if j else None
            word = folded[j]
            restricted = False
            check = None
            if ru:
                # as _shape_test: a capitalized Cyrillic word of a name is restricted
                restricted = proper and raw[j][:1].isupper() and bool(_CYRILLIC.search(raw[j]))
                check = _shape(raw[j]) if cs else "cap" if restricted else None
            elif cs:
                check = _exact(raw[j])
            children = node_children[node]
            if children is None:
                children = node_children[node] = {}
            child = children.get(word)
            if child is None:
                child = children[word] = self._new_node(word, gap, restricted, check)
            elif not (  # as _same_test
                node_gap[child] == gap
                and node_restricted[child] == restricted
                and node_check[child] == check
            ):
                variants = self._alt.get(child, ())
                for other in variants:
                    if self._same_test(other, gap, restricted, check):
                        child = other
                        break
                else:
                    other = self._new_node(word, gap, restricted, check)
                    self._alt[child] = (*variants, other)
                    child = other
            node = child
        if inflects:
            info_key = (folded[-1], count > 1)
            info = self._last_info.get(info_key)
            if info is None:
                stems = tuple(dict.fromkeys(stem for stem, _ in self._last_stems(*info_key)))
                lengths = [len(stem) for stem in stems]
                info = self._last_info[info_key] = (stems, min(lengths), max(lengths))
            stems, lo, hi = info
            entry = (gaps[-1], order)
            for stem in stems:
                key = (node, stem)
                self._lasts[key] = (*self._lasts.get(key, ()), entry)
            held = self._last.get(node)
            self._last[node] = (lo, hi) if held is None else (min(lo, held[0]), max(hi, held[1]))
        elif lead or trail:
            self._special[node] = (*self._special.get(node, ()), order)
        else:
            held_order = self._node_plain[node]
            # terms arrive in glossary order: an earlier term keeps a tie
            if held_order < 0 or self._skey(order)[:2] > self._skey(held_order)[:2]:
                self._node_plain[node] = order

    def _same_test(self, node: int, gap: str | None, restricted: bool, check: str | None) -> bool:
        return (
            self._node_gap[node] == gap
            and self._node_restricted[node] == restricted
            and self._node_check[node] == check
        )

    # -- suffix checks --

    @staticmethod
    def _suffix_ok(infl: str, rem: str, constraint: str | None) -> bool:
        if infl == "en":
            if constraint == "ies":
                return _EN_IES.fullmatch(rem) is not None
            return _EN_SUFFIX.fullmatch(rem) is not None
        return _kk_analyse(rem, constraint, infl == "kk-latn") is not None

    @staticmethod
    def _case_ok(p: _Pattern, tok_raw: str, stem_length: int) -> bool:
        """For a case-sensitive term: *tok* keeps the letter case of the stem it matched."""
        if not p.cs:
            return True
        head = p.exact[-1][: max(1, min(stem_length, len(p.exact[-1])) - 1)]
        return _exact(tok_raw).startswith(head)

    def _last_word(self, p: _Pattern, tok_folded: str, tok_raw: str) -> str | None:
        """The ending of *tok* beyond the stem it matched, or None when it does not match."""
        for stem, constraint in p.stems:
            if tok_folded.startswith(stem):
                rem = tok_folded[len(stem) :]
                if (
                    p.infl
                    and self._suffix_ok(p.infl, rem, constraint)
                    and self._case_ok(p, tok_raw, len(stem))
                ):
                    return rem
        return None

    def _stem_candidates(self, tok: str) -> tuple[tuple[int, str], ...]:
        """(term number, ending) of the single inflectable words *tok* is a form of, longest
        stem first (memoized; the terms are compiled)."""
        got = self._stem_cache.get(tok)
        if got is not None:
            return got
        found: list[tuple[int, str]] = []
        lo, hi = self._stem_lengths
        for k in range(min(hi, len(tok)), lo - 1, -1):
            entries = self._stems.get(tok[:k])
            if entries is not None:
                rem = tok[k:]
                for order, infl, constraint in entries:
                    if self._suffix_ok(infl, rem, constraint):
                        self._pattern(order)
                        found.append((order, rem))
        result = tuple(found)
        if len(self._stem_cache) >= _MEMO_LIMIT:
            self._stem_cache.clear()
        self._stem_cache[tok] = result
        return result

    # -- trie steps --

    def _fits(self, node: int, raw: str) -> bool:
        """Whether the text word *raw* passes *node*'s letter-shape or exact-form check."""
        want = self._node_check[node]
        if want is None:
            return True
        if self.mode != "ru":
            return _exact(raw) == want
        shape = self._shapes.get(raw)
        if shape is None:
            if len(self._shapes) >= _MEMO_LIMIT:
                self._shapes.clear()
            shape = self._shapes[raw] = _shape(raw)
        return shape != "lower" if want == "cap" else shape == want

    def _ru_index(self, node: int) -> dict[str, int | tuple[int, ...]]:
        """*node*'s children by lemma, built on first use.

        This is where the words of terms get their pymorphy3 analysis (cached per process
        per word form): only the words that follow a node some text reaches are analysed.
        """
        index: dict[str, int | tuple[int, ...]] = {}
        children = self._node_children[node]
        assert children is not None
        node_word = self._node_word
        node_restricted = self._node_restricted
        alt = self._alt
        for first in children.values():
            variants = alt.get(first)
            for child in (first,) if variants is None else (first, *variants):
                word = node_word[child]
                if node_restricted[child]:
                    lemmas = _ru_proper_lemmas(word)
                else:
                    lemmas = _LEMMAS.get(word) or _ru_lemmas(word)
                for lemma in lemmas:
                    # one child (as most lemmas have) is kept bare: no tuple to allocate
                    got = index.get(lemma)
                    if got is None:
                        index[lemma] = child
                    elif got.__class__ is int:
                        index[lemma] = (got, child)  # type: ignore[assignment]
                    else:
                        index[lemma] = (*got, child)  # type: ignore[misc]
        self._node_index[node] = index
        return index

    def _steps(self, node: int, tok: str) -> tuple[int, ...]:
        """The children of *node* a folded text word may step to (before gap and checks)."""
        if self.mode == "ru":
            index = self._node_index[node] or self._ru_index(node)
            found: list[int] = []
            _add_children(index, self._lemma_keys(tok), found)
            return tuple(dict.fromkeys(found)) if len(found) > 1 else tuple(found)
        children = self._node_children[node]
        assert children is not None
        first = children.get(tok)
        if first is None:
            return ()
        return (first, *self._alt.get(first, ()))

    def _lemma_keys(self, tok: str) -> tuple[str, ...]:
        """The lemmas of a folded Russian text word, as a tuple (cached per matcher)."""
        got = self._lemmas.get(tok)
        if got is None:
            if len(self._lemmas) >= _MEMO_LIMIT:
                self._lemmas.clear()
            got = self._lemmas[tok] = tuple(_LEMMAS.get(tok) or _ru_lemmas(tok))
        return got

    def _root_entry(self, raw: str) -> _RootEntry:
        """What the text word *raw* leads to as a first word (memoized).

        One-word candidates are ranked here once for all the occurrences of *raw*: they all
        end where the word ends, so only their rank decides, and that depends on the word
        alone — except for a term with punctuation before it, checked at each occurrence.
        Candidates are considered in the order :meth:`match` gives them (single inflectable
        words, longest stem first, then trie terms); of equal ranks the first is kept.
        """
        tok = self._folded(raw)
        best: tuple[_Rank, int, str] | None = None
        special: list[tuple[int, str]] = []
        deeper: list[int] = []
        if self._stems:
            for order, rem in self._stem_candidates(tok):
                p = self._pattern(order)
                if p.cs and not self._case_ok(p, raw, len(tok) - len(rem)):
                    continue
                if p.lead:
                    special.append((order, rem))
                    continue
                rank = (not rem, p.skey)
                if best is None or rank > best[0]:
                    best = (rank, order, rem)
        node_children = self._node_children
        if node_children[0] is not None:
            node_check = self._node_check
            node_plain = self._node_plain
            specials = self._special
            last = self._last
            for node in self._steps(0, tok):
                if node_check[node] is not None and not self._fits(node, raw):
                    continue
                plain = node_plain[node]
                if plain >= 0:
                    rank = (True, self._skey(plain))
                    if best is None or rank > best[0]:
                        best = (rank, plain, "")
                if node in specials:
                    for order in specials[node]:
                        self._pattern(order)
                        special.append((order, ""))
                if node_children[node] is not None or node in last:
                    deeper.append(node)
        one: _One | None = None
        if best is not None:
            rank, order, suffix = best
            p = self._pattern(order)
            length, case, plural = self._form(p, suffix, [raw], 0, 0)
            ending = len(suffix) if length is None else length
            one = (rank, order, suffix, ending, case, plural)
        entry = (one, tuple(special), tuple(deeper)) if one or special or deeper else _NO_ROOT
        if len(self._root_memo) >= _MEMO_LIMIT:
            self._root_memo.clear()
        self._root_memo[raw] = entry
        return entry

    def _pair_entry(self, first: str, second: str, deeper: tuple[int, ...]) -> _PairEntry:
        """What the text word *second* leads to after the text word *first*, whose nodes are
        *deeper* (memoized: a text repeats its word pairs)."""
        tok = self._folded(second)
        nodes: list[int] = []
        lasts: list[_Last] = []
        if self.mode == "ru":  # as _steps, for all the nodes at once (all have children)
            lemmas = self._lemmas.get(tok) or self._lemma_keys(tok)
            node_index = self._node_index
            for node in deeper:
                _add_children(node_index[node] or self._ru_index(node), lemmas, nodes)
            if len(lemmas) > 1 and len(nodes) > 1:
                nodes = list(dict.fromkeys(nodes))  # a child reached by two lemmas: once
        else:
            node_children = self._node_children
            for node in deeper:
                if node_children[node] is not None:
                    nodes.extend(self._steps(node, tok))
                if node in self._last:
                    lasts.extend(self._last_candidates(node, tok))
        entry = (tuple(nodes), tuple(lasts)) if nodes or lasts else _NO_PAIR
        self._pair_count += 1
        if self._pair_count > _MEMO_LIMIT:
            self._pair_memo.clear()
            self._pair_count = 1
        memo = self._pair_memo.get(first)
        if memo is None:
            memo = self._pair_memo[first] = {}
        memo[second] = entry
        return entry

    def _last_candidates(self, node: int, tok: str) -> tuple[_Last, ...]:
        """The terms whose last word follows *node* and fits the folded text word *tok*
        (compiled)."""
        lo, hi = self._last[node]
        lasts = self._lasts
        seen: set[int] = set()
        found: list[_Last] = []
        for length in range(min(hi, len(tok)), lo - 1, -1):
            for want_gap, order in lasts.get((node, tok[:length]), ()):
                if order in seen:
                    continue
                seen.add(order)
                p = self._pattern(order)
                if p.cs:
                    found.append((want_gap, order, None))
                else:
                    suffix = self._last_word(p, tok, tok)
                    if suffix is not None:
                        found.append((want_gap, order, suffix))
        return tuple(found)

    def _last_step(self, node: int, tok: str) -> tuple[_Last, ...]:
        """:meth:`_last_candidates`, memoized."""
        key = (node, tok)
        got = self._last_memo.get(key)
        if got is None:
            if len(self._last_memo) >= _MEMO_LIMIT:
                self._last_memo.clear()
            got = self._last_memo[key] = self._last_candidates(node, tok)
        return got

    # -- matching --

    def match(self, text: str) -> list[TermMatch]:
        """Every glossary term in *text*, leftmost-longest and non-overlapping, in text order.

        At each word the candidates are found by walking the word trie from that word on:
        the first two steps are memoized per word and word pair as written (a text repeats
        them), the rest walked.  Of the terms found at a word the longest wins, then one
        without an ending, a case-sensitive one, the better status, glossary order.
        """
        if not self._count:
            return []
        split = _TOKEN_SPLIT if _MARKS.search(text) else _PLAIN_TOKEN_SPLIT
        parts = split.split(text)  # [before, word, gap, word, …, word, after]
        n = len(parts) >> 1
        if not n:
            return []
        raws = parts[1::2]
        # word k is text[offsets[2k]:offsets[2k + 1]]; the gap before it is parts[2k]
        offsets = list(accumulate(map(len, parts)))
        known = self._folds.get
        compiled = self._compiled
        root_memo = self._root_memo
        pair_memo = self._pair_memo
        node_plain = self._node_plain
        node_gap = self._node_gap
        node_check = self._node_check
        node_children = self._node_children
        special = self._special
        last = self._last
        gaps = self._gaps
        fits = self._fits
        lang = self.lang
        concepts = self._concepts
        terms = self._terms
        results: list[TermMatch] = []

        def offer(order: int, first: int, k: int, suffix: str) -> _Candidate | None:
            """Term *order* found from word *first* to *k* (None if its punctuation is missing)."""
            p = compiled[order]
            assert p is not None
            start, end = offsets[2 * first], offsets[2 * k + 1]
            if p.lead or p.trail:
                span = _punctuated(p, text, start, end)
                if span is None:
                    return None
                start, end = span
            return (end, (not suffix, p.skey)), order, start, end, k, suffix

        def gap_before(k: int) -> str:
            gap = parts[2 * k]
            if gap == " ":
                return gap
            normal = gaps.get(gap)
            if normal is None:
                if len(gaps) >= _MEMO_LIMIT:
                    gaps.clear()
                normal = gaps[gap] = _norm_gap(gap)
            return normal

        i = 0
        pos = 0  # text offset before which nothing may start (end of the previous match)
        while i < n:
            start = offsets[2 * i]
            if start < pos:
                i += 1
                continue
            raw = raws[i]
            entry = root_memo.get(raw)
            if entry is None:
                entry = self._root_entry(raw)
            one, specials, deeper = entry
            pair: _PairEntry | None = _NO_PAIR
            if deeper and i + 1 < n:
                pairs = pair_memo.get(raw)
                pair = None if pairs is None else pairs.get(raws[i + 1])
                if pair is None:
                    pair = self._pair_entry(raw, raws[i + 1], deeper)
            if specials or pair is not _NO_PAIR:  # candidates beyond the one-word term
                best: _Candidate | None = None
                got: _Candidate | None
                if one is not None:
                    end = offsets[2 * i + 1]
                    best = (end, one[0]), one[1], start, end, i, one[2]
                for order, suffix in specials:
                    got = offer(order, i, i, suffix)
                    if got is not None and (best is None or got[0] > best[0]):
                        best = got
                if pair is not _NO_PAIR:
                    k = i + 1
                    nodes, lasts = pair  # type: ignore[misc]
                    stack: list[tuple[int, int]] = []
                    gap = gap_before(k)
                    for node in nodes:
                        if node_gap[node] == gap and (
                            node_check[node] is None or fits(node, raws[k])
                        ):
                            stack.append((node, k + 1))
                    for want_gap, order, suffix in lasts:
                        if want_gap != gap:
                            continue
                        if suffix is None:
                            p = compiled[order]
                            assert p is not None
                            tok = known(raws[k]) or self._folded(raws[k])
                            suffix = self._last_word(p, tok, raws[k])
                            if suffix is None:
                                continue
                        got = offer(order, i, k, suffix)
                        if got is not None and (best is None or got[0] > best[0]):
                            best = got
                    while stack:  # third and later words: walk the trie
                        node, k = stack.pop()
                        order = node_plain[node]
                        if order >= 0:
                            end = offsets[2 * k - 1]
                            key = (end, (True, self._skey(order)))
                            if best is None or key > best[0]:
                                self._pattern(order)
                                best = key, order, start, end, k - 1, ""
                        for order in special.get(node, ()):
                            self._pattern(order)
                            got = offer(order, i, k - 1, "")
                            if got is not None and (best is None or got[0] > best[0]):
                                best = got
                        has_children = node_children[node] is not None
                        if k >= n or not (has_children or node in last):
                            continue
                        gap = gap_before(k)
                        tok = known(raws[k]) or self._folded(raws[k])
                        if has_children:
                            for child in self._steps(node, tok):
                                if node_gap[child] == gap and (
                                    node_check[child] is None or fits(child, raws[k])
                                ):
                                    stack.append((child, k + 1))
                        if node in last:
                            for want_gap, order, suffix in self._last_step(node, tok):
                                if want_gap != gap:
                                    continue
                                if suffix is None:
                                    p = compiled[order]
                                    assert p is not None
                                    suffix = self._last_word(p, tok, raws[k])
                                    if suffix is None:
                                        continue
                                got = offer(order, i, k, suffix)
                                if got is not None and (best is None or got[0] > best[0]):
                                    best = got
                if best is None:
                    i += 1
                    continue
                if one is None or best[1] != one[1]:
                    _, order, start, end, k, suffix = best
                    p = compiled[order]
                    assert p is not None
                    results.append(self._make(p, text, start, end, suffix, raws, i, k))
                    pos = end
                    i = k + 1
                    continue
            elif one is None:
                i += 1
                continue
            # the one-word term wins: its form is in the root entry
            _, order, _, ending, case, plural = one
            end = offsets[2 * i + 1]
            results.append(
                _new_match(
                    start,
                    end,
                    concepts[order],
                    terms[order],
                    lang,
                    text[start:end],
                    text[end - ending : end] if ending else "",
                    case,
                    plural,
                )
            )
            pos = end
            i += 1
        return results

    def _reference_match(self, text: str) -> list[TermMatch]:
        """:meth:`match` by brute force (every term tried at every word), for tests."""
        if not self._count:
            return []
        patterns = [self._pattern(order) for order in range(len(self._terms))
                    if self._tokenize(self._terms[order].text) is not None]
        spans = [m.span() for m in _TOKEN.finditer(text)]
        raws = [text[a:b] for a, b in spans]
        folded = [_fold(w, self.turkic) for w in raws]
        results: list[TermMatch] = []
        n = len(spans)
        i = 0
        pos = 0
        while i < n:
            if spans[i][0] < pos:
                i += 1
                continue
            tok = folded[i]
            candidates: list[tuple[_Pattern, str | None]] = []
            single: list[tuple[int, int, _Pattern, str]] = []
            for p in patterns:
                if p.infl and len(p.raw) == 1:
                    assert p.infl is not None
                    for stem, constraint in p.stems:
                        rem = tok[len(stem) :]
                        if tok.startswith(stem) and self._suffix_ok(p.infl, rem, constraint):
                            single.append((-len(stem), len(single), p, rem))
                else:
                    candidates.append((p, None))
            candidates.extend((p, rem) for _, _, p, rem in sorted(single, key=lambda s: s[:2]))
            best: tuple[tuple[int, int, int, int, int], _Pattern, int, int, int, str] | None = None
            for p, rem in candidates:
                got = self._verify(p, text, spans, raws, folded, i, rem)
                if got is None:
                    continue
                start, end, last, suffix = got
                key = (end, int(not suffix), int(p.term.case_sensitive), -p.rank, -p.order)
                if best is None or key > best[0]:
                    best = (key, p, start, end, last, suffix)
            if best is None:
                i += 1
                continue
            _, p, start, end, last, suffix = best
            results.append(self._make(p, text, start, end, suffix, raws, i, last))
            pos = end
            i = last + 1
        return results

    def _verify(
        self,
        p: _Pattern,
        text: str,
        spans: list[tuple[int, int]],
        raws: list[str],
        folded: list[str],
        i: int,
        rem: str | None,
    ) -> tuple[int, int, int, str] | None:
        count = len(p.raw)
        last = i + count - 1
        if last >= len(spans):
            return None
        suffix = ""
        for j in range(count):
            k = i + j
            if j and _norm_gap(text[spans[k - 1][1] : spans[k][0]]) != p.gaps[j - 1]:
                return None
            if p.lemmas is not None:
                if not (_ru_lemmas(folded[k]) & p.lemmas[j]):
                    return None
                assert p.shapes is not None
                want = p.shapes[j]
                if want is not None:
                    have = _shape(raws[k])
                    if want == "cap" and have == "lower":
                        return None
                    if want != "cap" and have != want:
                        return None
            elif j == count - 1 and p.infl:
                if rem is not None and count == 1:
                    if not self._case_ok(p, raws[k], len(folded[k]) - len(rem)):
                        return None
                    suffix = rem
                else:
                    got = self._last_word(p, folded[k], raws[k])
                    if got is None:
                        return None
                    suffix = got
            elif p.term.case_sensitive:
                if _exact(raws[k]) != p.exact[j]:
                    return None
            elif folded[k] != p.folded[j]:
                return None
        span = _punctuated(p, text, spans[i][0], spans[last][1])
        if span is None:
            return None
        return span[0], span[1], last, suffix

    def _form(self, p: _Pattern, suffix: str, raws: list[str], first: int, last: int) -> _Form:
        """(length of the Kazakh ending in the text or None, case, plural) of *p* found as the
        text words *first* to *last* of *raws*, with the ending *suffix*.

        The form depends only on the term and the words, so it is worked out once per
        matcher for each (term, words found) and kept (bounded).
        """
        infl = p.infl
        if infl == "kk-cyrl" or infl == "kk-latn":
            key: tuple[int, Any] = (p.order, raws[last])
            got = self._forms.get(key)
            if got is None:
                kk = _kk_word_form(p.folded[-1], len(p.raw) > 1, self._folded(raws[last]))
                if kk is None:
                    got = _NO_FORM
                else:
                    length, form = kk
                    got = (length, form.case if length else "nom", form.plural)
                self._remember_form(key, got)
            return got
        if infl == "en":
            if suffix:
                m = _EN_SUFFIX.fullmatch(suffix) or _EN_IES.fullmatch(suffix)
                if m is not None:
                    groups = m.groupdict()
                    case = "gen" if groups.get("g") or groups.get("gp") else None
                    return (None, case, bool(groups.get("pl")))
            return _NO_FORM
        if p.ru:
            key = (p.order, raws[first] if first == last else tuple(raws[first : last + 1]))
            got = self._forms.get(key)
            if got is None:
                assert p.lemmas is not None
                words = tuple(self._folded(w) for w in raws[first : last + 1])
                ru = _ru_found_form(words, p.lemmas, p.phrase())
                if ru is None:
                    got = _NO_FORM
                else:
                    label = _RU_TO_LABEL.get(_CASE_NORM.get(ru[0], ru[0]))
                    got = (None, label, ru[1] == "plur")
                self._remember_form(key, got)
            return got
        return _NO_FORM

    def _make(
        self,
        p: _Pattern,
        text: str,
        start: int,
        end: int,
        suffix: str,
        raws: list[str],
        first: int,
        last: int,
    ) -> TermMatch:
        """The match of *p* at ``text[start:end]``, text words *first* to *last* of *raws*."""
        length, case, plural = self._form(p, suffix, raws, first, last)
        ending = len(suffix) if length is None else length
        return _new_match(
            start,
            end,
            p.concept,
            p.term,
            self.lang,
            text[start:end],
            text[end - ending : end] if ending else "",
            case,
            plural,
        )

    def _remember_form(self, key: tuple[int, Any], form: _Form) -> None:
        if len(self._forms) >= _MEMO_LIMIT:
            self._forms.clear()
        self._forms[key] = form


def inflect_like(match: TermMatch, text: str) -> str | None:
    """*text*, another term of *match*'s concept, in the grammatical form of *match*.

    For a Kazakh match the endings are regenerated on *text*'s last word in *text*'s own
    alphabet and vowel harmony, so a ``kk`` match gives its ``kk-Latn`` form too
    (``Георгий ленталары`` with ``Georgii lentasy`` → ``Georgii lentalary``; ``Жеңіс
    күнінде`` with ``Jeñıs künı`` → ``Jeñıs künınde``); an English match gives its plural
    and possessive; a Russian one its case and number (pymorphy3).  *text* is returned
    unchanged for an uninflected match, None when the form can't be reproduced.  Letter case
    is left to the caller.
    """
    base = base_language(match.lang)
    if base == "kk":
        if not match.suffix:
            return text
        kk_form = _kk_found_form(match)
        return None if kk_form is None else _kk_inflect(text, kk_form)
    if base == "en":
        return _en_inflect(text, match.suffix) if match.suffix else text
    same = _fold(match.surface, False) == _fold(match.term.text.strip(), False)
    if base == "ru":
        form = _ru_match_form(match)
        if form is None:
            return text if same else None
        got = _ru_inflect(text, form[0], form[1], proper=match.concept.kind == "name")
        return text if got is None and form == ("nomn", "sing") else got
    return text if same else None


def find_terms(
    text: str, lang: str, glossary: Iterable[Concept], *, statuses: Sequence[str] = STATUSES
) -> list[TermMatch]:
    """The glossary terms of language *lang* in *text* (inflection-aware).

    Builds a :class:`TermMatcher` each call; keep a matcher for repeated searches.
    """
    return TermMatcher(glossary, lang, statuses=statuses).match(text)


def concept_in_text(concept: Concept, text: str, lang: str, *, usable_only: bool = True) -> bool:
    """True when one of *concept*'s *lang* terms (preferred or admitted, by default) is in *text*."""
    statuses = ("preferred", "admitted") if usable_only else STATUSES
    return bool(TermMatcher([concept], lang, statuses=statuses).match(text))


# -- masking names and do-not-translate terms -------------------------------------------------


@dataclass(frozen=True)
class MaskSlot:
    """One masked span: the placeholder sent to the engine and the form that replaces it.

    ``concept_id`` is None for source text that merely looked like a placeholder.
    """

    number: int
    token: str
    concept_id: str | None
    source: str
    form: str


@dataclass
class Masked:
    """A segment with its names and do-not-translate terms replaced by placeholders."""

    text: str
    slots: list[MaskSlot]
    target: str
    segment_id: str | int | None = None
    warnings: list[str] = field(default_factory=list)


def _prefix(segment_id: str | int | None) -> str:
    return "" if segment_id is None else f"segment {segment_id}: "


_KIND_WORDS = {"term": "term", "name": "name", "dnt": "do-not-translate term"}


def _target_form(m: TermMatch, target: str) -> tuple[str | None, str | None]:
    """(form to restore, warning) for a name or dnt match; form None means "don't mask"."""
    concept = m.concept
    preferred = _preferred(concept, target)
    if concept.kind == "dnt":
        return (preferred.text if preferred is not None else m.term.text), None
    if preferred is None:
        return None, None
    if m.term is not _preferred(concept, m.lang):
        # a short or variant form in the source (``Tokayev``): take the target's usable term
        # with as many words (``Токаев``) rather than the full preferred form
        words = len(_TOKEN.findall(m.term.text))
        same = [
            t
            for status in ("preferred", "admitted")
            for t in _terms_for(concept, target)
            if t.status == status and len(_TOKEN.findall(t.text)) == words
        ]
        if same:
            preferred = same[0]
    form = preferred.text
    base = base_language(target)
    if base == "kk" and base_language(m.lang) == "kk" and m.suffix:
        # Kazakh to Kazakh (another alphabet): every ending carries over (Одағындағы)
        same_language = inflect_like(m, form)
        if same_language is not None:
            return same_language, None
    if m.case in (None, "nom", "equ") and not m.plural:
        return form, None
    got: str | None = form
    if base == "ru":
        case = _LABEL_TO_RU.get(m.case or "nom", "nomn")
        got = _ru_inflect(
            form, case, "plur" if m.plural else "sing", proper=True, gender=preferred.gender
        )
    elif base == "kk":
        kk_case = m.case if m.case in _KK_RULES else None
        got = _kk_inflect(form, _KkForm(m.plural, None, kk_case, False))
    if got is None:
        return form, (
            f"could not inflect {target} {form!r} ({concept.id}) like {m.surface!r}; "
            "the glossary form is used"
        )
    return got, None


def mask(
    text: str, matches: Iterable[TermMatch], target: str, *, segment_id: str | int | None = None
) -> Masked:
    """Replace the name and do-not-translate matches of *text* with placeholders.

    Each placeholder records the form :func:`unmask` puts back: the *target* language's
    preferred term (or, when the source has a variant such as a bare surname, the target's
    usable term with as many words), inflected like the source when the source's case is known
    and the target is Russian or Kazakh; for a dnt concept the target term if any, else the source term as
    written in the glossary.  A name without a *target* term is left to the engine
    (:func:`check_target` reports it).  Term matches of kind ``term`` are ignored.
    """
    target = _tag_key(target)
    spans: list[tuple[int, int, TermMatch | None]] = []
    for match in matches:
        if match.concept.kind in ("name", "dnt"):
            spans.append((match.start, match.end, match))
    for lit in TOKEN_PATTERN.finditer(text):
        if not any(a < lit.end() and lit.start() < b for a, b, _ in spans):
            spans.append((lit.start(), lit.end(), None))
    parts: list[str] = []
    slots: list[MaskSlot] = []
    warnings: list[str] = []
    pos = 0
    for start, end, m in sorted(spans, key=lambda x: x[0]):
        if start < pos:
            continue
        concept_id: str | None = None
        form: str | None = text[start:end]
        if m is not None:
            form, warning = _target_form(m, target)
            if warning:
                warnings.append(_prefix(segment_id) + warning)
            concept_id = m.concept.id
        if form is None:
            continue
        number = len(slots) + 1
        token = TOKEN_FORMAT.format(n=number)
        parts.append(text[pos:start])
        parts.append(token)
        pos = end
        slots.append(MaskSlot(number, token, concept_id, text[start:end], form))
    parts.append(text[pos:])
    return Masked("".join(parts), slots, target, segment_id, warnings)


_REMOVED = "\x00"
_REMOVED_RUN = re.compile(r"([ \t]*)\x00([ \t]*)")
_CLOSING = set(".,;:!?)]}»”…")
_TAIL = re.compile(r"[\s.!?…:;,]*$")  # sentence-final punctuation (after any closing quote)


def _tidy(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        after = text[m.end() : m.end() + 1]
        if m.start() == 0 or not after or after in _CLOSING or after == _REMOVED:
            return ""
        return " " if (m.group(1) or m.group(2)) else ""

    return _REMOVED_RUN.sub(fix, text)


def unmask(translated: str, masked: Masked) -> tuple[str, list[str]]:
    """Put the masked forms back into the engine's output; returns (text, warnings).

    Placeholders are restored by number, so an engine that reorders them (as target word
    order requires) needs no repair.  A placeholder the engine duplicated is restored once
    (the first occurrence) and the copies removed; an unknown one is removed; a dropped one
    has its form inserted at the end of the sentence, before the final punctuation.  Each
    repair adds a warning.
    """
    prefix = _prefix(masked.segment_id)
    slots = {s.number: s for s in masked.slots}
    warnings: list[str] = []
    seen: set[int] = set()

    def restore(m: re.Match[str]) -> str:
        number = int(m.group(1))
        slot = slots.get(number)
        if slot is None:
            warnings.append(
                f"{prefix}unknown placeholder {m.group(0)!r} in the translation removed"
            )
            return _REMOVED
        if number in seen:
            warnings.append(
                f"{prefix}placeholder {slot.token} ({slot.concept_id or 'literal'}, {slot.form!r}) "
                "duplicated by the engine; the copy was removed"
            )
            return _REMOVED
        seen.add(number)
        return slot.form

    text = TOKEN_PATTERN.sub(restore, translated)
    if _REMOVED in text:
        text = _tidy(text)
    dropped = [s for s in masked.slots if s.number not in seen]
    if dropped:
        at = _TAIL.search(text)
        index = at.start() if at else len(text)
        insert = " ".join(s.form for s in dropped)
        if index > 0 and not text[index - 1].isspace():
            insert = " " + insert
        text = text[:index] + insert + text[index:]
        for s in dropped:
            warnings.append(
                f"{prefix}placeholder {s.token} ({s.concept_id or 'literal'}, {s.form!r}) dropped "
                "by the engine; inserted at the end of the sentence"
            )
    return text, warnings


# -- checking and repairing the target --------------------------------------------------------


@dataclass(frozen=True)
class Repair:
    """A deprecated or forbidden target term replaced by the preferred one."""

    concept_id: str
    status: str
    found: str
    replacement: str
    start: int  # span of *found* in the text given to check_target
    end: int
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class EnforceResult:
    """What :func:`check_target` did to one translated segment."""

    text: str
    terms_enforced: int = 0
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _ru_match_form(m: TermMatch) -> tuple[str, str] | None:
    """(case, number) of a Russian match, as pymorphy3 tags, or None."""
    spans, _, gaps, _ = _split(m.term.text.strip())
    raw = tuple(m.term.text.strip()[a:b] for a, b in spans)
    proper = m.concept.kind == "name" or m.term.pos == "properNoun"
    lemmas = [_ru_term_lemmas(_fold(w, False), w, proper) for w in raw]
    phrase = _ru_phrase(raw, tuple(_norm_gap(g) for g in gaps), proper, m.term.gender)
    words = [_fold(w, False) for w in _TOKEN.findall(m.surface)]
    return _ru_found_form(words, lemmas, phrase) if len(words) == len(raw) else None


def _reinflect(m: TermMatch, preferred: Term, concept: Concept, lang: str) -> tuple[str, bool]:
    """The preferred term in the grammatical form of the found *m*; (text, inflected ok)."""
    base = base_language(lang)
    text = preferred.text
    turkic = base in _TURKIC
    same_as_term = _fold(m.surface, turkic) == _fold(m.term.text.strip(), turkic)
    ok = True
    if base == "ru":
        form = _ru_match_form(m)
        if form is not None:
            got = _ru_inflect(
                text, form[0], form[1], proper=concept.kind == "name", gender=preferred.gender
            )
            if got is not None:
                text = got
            else:
                ok = form == ("nomn", "sing")
        else:
            ok = same_as_term
    elif base == "kk":
        if m.suffix:
            got = inflect_like(m, text)
            if got is None:
                text, ok = text + m.suffix, False
            else:
                text = got
    elif base == "en":
        text = _en_inflect(text, m.suffix)
    else:
        ok = same_as_term
    shape = _shape(m.surface)
    if shape == "upper":
        text = _upper(text, turkic)
    elif shape == "title" and text[:1].islower():
        text = _upper(text[0], turkic) + text[1:]
    return text, ok


def check_target(
    source_matches: Iterable[TermMatch],
    target_text: str,
    target_lang: str,
    *,
    segment_id: str | int | None = None,
    matcher: TermMatcher | None = None,
) -> EnforceResult:
    """Check a translation against the glossary concepts found in its source.

    A deprecated or forbidden *target_lang* term of one of those concepts is replaced by the
    preferred term in the same grammatical form (where that can't be done, by the term as
    written, with a warning); a concept whose preferred or admitted term is then absent from
    the translation (inflected forms count) is reported in ``warnings``.  *matcher*, a
    :class:`TermMatcher` of the whole glossary for *target_lang*, adds warnings for forbidden
    terms of concepts that are not in the source (those are reported, not replaced).
    """
    target = _tag_key(target_lang)
    prefix = _prefix(segment_id)
    concepts: dict[str, tuple[Concept, TermMatch]] = {}
    for m in source_matches:
        concepts.setdefault(m.concept.id, (m.concept, m))
    views: list[Concept] = []
    for cid, (concept, m) in concepts.items():
        terms = list(_terms_for(concept, target))
        if not terms and concept.kind == "dnt":
            terms = [Term(m.term.text, case_sensitive=m.term.case_sensitive)]
        views.append(Concept(id=cid, kind=concept.kind, terms={target: terms}))
    local = TermMatcher(views, target)
    result = EnforceResult(target_text)

    replacements: list[tuple[int, int, str]] = []
    for found in local.match(target_text):
        if found.term.status not in ("deprecated", "forbidden"):
            continue
        concept = concepts[found.concept.id][0]
        preferred = _preferred(concept, target)
        if preferred is None:
            result.warnings.append(
                f"{prefix}{found.term.status} {target} term {found.surface!r} ({concept.id}) "
                "has no preferred term to replace it"
            )
            continue
        replacement, ok = _reinflect(found, preferred, concept, target)
        if not ok:
            result.warnings.append(
                f"{prefix}could not inflect {target} {preferred.text!r} like {found.surface!r} "
                f"({concept.id}); replaced with {replacement!r}"
            )
        replacements.append((found.start, found.end, replacement))
        result.repairs.append(
            Repair(
                concept.id,
                found.term.status,
                found.surface,
                replacement,
                found.start,
                found.end,
                f"{prefix}{found.term.status} {target} term {found.surface!r} replaced by "
                f"{replacement!r} ({concept.id})",
            )
        )
    text = target_text
    for start, end, replacement in reversed(replacements):
        text = text[:start] + replacement + text[end:]
    result.text = text

    if matcher is not None:
        for found in matcher.match(text):
            if found.concept.id not in concepts and found.term.status in (
                "deprecated",
                "forbidden",
            ):
                preferred = _preferred(found.concept, target)
                hint = f"; use {preferred.text!r}" if preferred is not None else ""
                result.warnings.append(
                    f"{prefix}{found.term.status} {target} term {found.surface!r} "
                    f"({found.concept.id}) in translation{hint}"
                )

    present = {m.concept.id for m in local.match(text) if m.term.usable}
    for view in views:
        concept, m = concepts[view.id]
        kind = _KIND_WORDS.get(concept.kind, concept.kind)
        usable = [t for t in view.terms[target] if t.usable]
        if not usable:
            result.warnings.append(
                f"{prefix}glossary {kind} {m.term.text!r} ({concept.id}) has no {target} term; "
                "not checked"
            )
        elif view.id in present:
            result.terms_enforced += 1
        else:
            result.warnings.append(
                f"{prefix}glossary {kind} {m.term.text!r} → {target} {usable[0].text!r} "
                f"({concept.id}) missing in translation"
            )
    return result
