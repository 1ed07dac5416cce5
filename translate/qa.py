"""Translation quality checks: glossary terms, numbers and inline markup.

:func:`check_pair` checks one translated segment (a catalogue's msgid and msgstr, both
Markdown) and :func:`check_source` checks a source text on its own.  Each problem is a
:class:`Finding` with a stable ``code``:

``term-missing`` (warning)
    A glossary concept is in the source but none of its preferred or admitted target terms
    is in the translation.  Matching is inflection-aware (:class:`translate.terms.TermMatcher`:
    Russian lemmas, Kazakh endings, English plurals), so ``Бессмертного полка`` counts for
    ``Бессмертный полк``.  The source is searched in its own language and, for names and
    do-not-translate concepts, in the other glossary languages written in the same script
    (an English article quoting *Batyrlarğa tağzym* in Kazakh Latin).  A ``dnt`` concept
    without a target term expects its source form.  A concept whose target side has a
    deprecated or forbidden term in the translation is reported as ``term-forbidden`` only.
``term-forbidden`` (error)
    A deprecated or forbidden target term of any concept is in the translation.
``term-spelling`` (warning, source side)
    A word or phrase of the source is close to a glossary term without being it: a deprecated
    variant listed in the glossary (``Batyrlarǵa taǵzym``, 2018 alphabet), a non-standard
    spelling that folds to the same skeleton (:func:`glossary.search.fold`: the same letters
    up to diacritics and transliteration conventions) or a likely typo within the fuzzy
    search's edit distance (:func:`glossary.search.fuzzy_threshold`: 1 edit for 5–7
    letters, 2 from 8; shorter terms are not compared).  Candidates are the n-grams of the
    text with as many words as the term, compared after folding through a deletion index
    (SymSpell), so the cost does not grow with glossary size.  Terms of the text's language
    and of the other glossary languages in its script are used; a capitalized term is only
    compared with capitalized words; exact and inflected forms accepted by the term matcher
    are never reported.
``number-mismatch`` (error)
    The numbers of source and translation differ as multisets.  Numbers are compared by
    value whatever the locale spelling: ``178,000`` = ``178 000`` (NBSP, NNBSP, thin space) =
    ``178000``; ``11.2%`` = ``11,2 %``; ``1.2 million`` = ``1,2 млн`` = ``1 200 000`` (scale
    words of en, ru, kk); leading zeros do not count (``May 08, 2025`` ↔ ``8 мая 2025 г.``
    compares 8 and 2025).  A spelling that reads two ways (``1,234``: grouped in English,
    decimal in Russian) matches either value.  Numbers inside URLs, link targets, code spans
    and HTML tags are ignored; so are digits glued after letters (``v1.2``).
``placeholder-mismatch`` (error)
    Inline markup differs: link targets, images, emphasis, strong emphasis, strikethrough,
    code spans, inline HTML tags, hard line breaks and bare URLs are counted in the parsed
    Markdown (markdown-it-py, CommonMark + strikethrough) of both sides.  Markup that no
    longer parses (``** bold**``) counts as missing.  For plain-text documents only URLs are
    compared.

Building the term matchers is the expensive part: pass one :class:`Matchers` to every call.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from glossary.langtags import base_language, normalize_tag, script_of
from glossary.model import STATUSES, Concept, Term
from glossary.search import casefold, edit_distance, fold, fold_many, fuzzy_threshold
from translate.terms import TermMatch, TermMatcher

__all__ = [
    "CODES",
    "SEVERITIES",
    "Finding",
    "Matchers",
    "check_pair",
    "check_source",
    "extract_numbers",
    "find_source_terms",
    "markup_counts",
]

#: every finding code with its severity
CODES: dict[str, str] = {
    "term-missing": "warning",
    "term-forbidden": "error",
    "term-spelling": "warning",
    "number-mismatch": "error",
    "placeholder-mismatch": "error",
}
SEVERITIES = ("error", "warning")

#: shortest folded term compared fuzzily (shorter ones give too many false alarms)
_MIN_FUZZY = 5


@dataclass(frozen=True)
class Finding:
    """One QA problem.  ``str()`` gives ``file:line: code: message``.

    ``file`` and ``line`` locate it (None when unknown); ``msgid`` is the source segment of
    a pair finding.
    """

    code: str
    message: str
    severity: str = "warning"
    file: str | None = None
    line: int | None = None
    msgid: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        elif self.line is not None:
            where = f"{self.line}: "
        return f"{where}{self.code}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        """``{file, line, code, severity, message, msgid}``."""
        return {
            "file": self.file,
            "line": self.line,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "msgid": self.msgid,
        }


def _finding(code: str, message: str, **where: Any) -> Finding:
    return Finding(code, message, CODES[code], **where)


# --------------------------------------------------------------------------- languages


@functools.lru_cache(maxsize=256)
def _script(tag: str) -> str:
    """The script a language tag is written in (explicit subtag, else CLDR likely subtags)."""
    explicit = script_of(tag)
    if explicit is not None:
        return explicit
    from babel.core import get_global

    likely = get_global("likely_subtags").get(base_language(tag))
    if likely:
        for part in likely.split("_")[1:]:
            if len(part) == 4:
                return part.title()
    return "Latn"


def _is_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    cyr = sum(1 for c in letters if "\u0400" <= c <= "\u052f")
    return bool(letters) and cyr * 2 >= len(letters)


# --------------------------------------------------------------------------- matchers


@dataclass
class _SpellTerm:
    concept: Concept
    term: Term
    lang: str
    folded: str
    words: int
    capital: bool
    cyrillic: bool


class Matchers:
    """The term matchers and spelling index of one glossary, built on first use, reused.

    :meth:`lang` maps a language tag to the glossary's own key for it (``ru-RU`` → ``ru``
    when the glossary has ``ru`` terms).
    """

    def __init__(self, glossary: Iterable[Concept]) -> None:
        self.concepts: list[Concept] = list(glossary)
        langs: dict[str, None] = {}
        for concept in self.concepts:
            for key in concept.terms:
                langs.setdefault(key)
        self.languages: list[str] = list(langs)
        self._matchers: dict[tuple[str, tuple[str, ...]], TermMatcher] = {}
        self._spell: dict[str, _SpellIndex] = {}
        self._lang_cache: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.concepts)

    def lang(self, tag: str) -> str:
        """The glossary language key for *tag*: itself, or a shorter prefix the glossary has."""
        got = self._lang_cache.get(tag)
        if got is not None:
            return got
        try:
            norm = normalize_tag(tag)
        except ValueError:
            norm = tag
        lower = {key.lower(): key for key in self.languages}
        result = norm
        parts = norm.split("-")
        while parts:
            key = "-".join(parts).lower()
            if key in lower:
                result = lower[key]
                break
            parts.pop()
        self._lang_cache[tag] = result
        return result

    def matcher(self, lang: str, statuses: Sequence[str] = STATUSES) -> TermMatcher:
        """A :class:`TermMatcher` of the whole glossary for *lang* (cached)."""
        key = (self.lang(lang), tuple(statuses))
        found = self._matchers.get(key)
        if found is None:
            found = TermMatcher(self.concepts, key[0], statuses=statuses)
            self._matchers[key] = found
        return found

    def same_script(self, lang: str) -> list[str]:
        """The other glossary languages written in *lang*'s script."""
        own = self.lang(lang)
        script = _script(own)
        return [key for key in self.languages if key != own and _script(key) == script]

    def spelling_index(self, lang: str) -> _SpellIndex:
        """Terms of *lang* and its same-script languages, with their deletion neighbourhoods."""
        own = self.lang(lang)
        got = self._spell.get(own)
        if got is not None:
            return got
        terms: list[_SpellTerm] = []
        stems: set[str] = set()
        for key in [own, *self.same_script(own)]:
            for concept in self.concepts:
                for term in concept.terms.get(key, ()):
                    text = unicodedata.normalize("NFC", term.text.strip())
                    folded = " ".join(fold(text).split())
                    if len(folded) >= 4:
                        stems.add(folded)
                    if len(folded) < _MIN_FUZZY:
                        continue
                    first = next((c for c in text if c.isalpha()), "")
                    terms.append(
                        _SpellTerm(
                            concept=concept,
                            term=term,
                            lang=key,
                            folded=folded,
                            words=len(_WORD.findall(text)),
                            capital=first.isupper(),
                            cyrillic=_is_cyrillic(text),
                        )
                    )
        index: dict[str, list[int]] = {}
        for number, spell in enumerate(terms):
            for variant in _deletions(spell.folded, fuzzy_threshold(len(spell.folded))):
                index.setdefault(variant, []).append(number)
        result = _SpellIndex(terms, index, frozenset(stems))
        self._spell[own] = result
        return result


@dataclass(frozen=True)
class _SpellIndex:
    #: terms long enough to compare fuzzily
    terms: list[_SpellTerm]
    #: deletion variant -> indexes into terms
    index: dict[str, list[int]]
    #: every folded term: a word that extends one (Kazakhstani, Russian) is a derived form
    stems: frozenset[str]


def _deletions(text: str, depth: int) -> set[str]:
    """*text* with up to *depth* characters deleted (every combination)."""
    found = {text}
    layer = {text}
    for _ in range(depth):
        nxt: set[str] = set()
        for item in layer:
            for i in range(len(item)):
                nxt.add(item[:i] + item[i + 1 :])
        found |= nxt
        layer = nxt
    return found


def _resources(glossary: Iterable[Concept], matchers: Matchers | None) -> Matchers:
    return matchers if matchers is not None else Matchers(glossary)


# --------------------------------------------------------------------------- masking


_MASKED = re.compile(
    r"""
      \]\([^)\s]*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)   # link destination ](url "title")
    | \]\[[^\]]*\]                                             # reference ][label]
    | <[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>                  # autolink
    | <[^<>@\s]+@[^<>\s]+>                                     # e-mail autolink
    | (?:https?|ftp)://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'"’”»]  # bare URL
    | www\.[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'"’”»]
    | (`+)(?:(?!\1).)+?\1                                      # code span
    | </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>                 # HTML tag
    | <!--.*?-->
    """,
    re.VERBOSE | re.DOTALL,
)


def _mask(text: str) -> str:
    """*text* with URLs, link targets, code spans and HTML tags blanked (offsets kept)."""

    def blank(m: re.Match[str]) -> str:
        return "".join("\n" if c == "\n" else " " for c in m.group(0))

    return _MASKED.sub(blank, text)


# --------------------------------------------------------------------------- markup


@functools.lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["strikethrough"])


_URL = re.compile(r"(?:https?|ftp)://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"’”»]|www\.[^\s<>()\[\]]+")
_REFERENCE = re.compile(r"\]\[([^\]]*)\]")
_KIND_NAMES = {
    "link": "link",
    "image": "image",
    "em": "emphasis",
    "strong": "strong emphasis",
    "s": "strikethrough",
    "code": "code span",
    "html": "inline HTML",
    "hardbreak": "hard line break",
    "url": "URL",
    "ref": "reference link",
}


def markup_counts(text: str, markup: str = "markdown") -> Counter[tuple[str, str]]:
    """The inline markup of *text* as a multiset of ``(kind, detail)``.

    Kinds: ``link`` (detail: target), ``image`` (source), ``em``/``strong``/``s`` (the
    delimiter), ``code`` (the code), ``html`` (the tag), ``hardbreak``, ``url`` (a bare URL
    in the text), ``ref`` (a reference label).  *markup* ``text`` counts URLs only.
    """
    counts: Counter[tuple[str, str]] = Counter()
    if markup != "markdown":
        for url in _URL.findall(text):
            counts[("url", url)] += 1
        return counts
    for label in _REFERENCE.findall(text):
        counts[("ref", " ".join(label.split()).lower())] += 1
    tokens = _markdown().parseInline(text)
    autolink = 0
    for block in tokens:
        for tok in block.children or ():
            kind = tok.type
            if kind == "link_open":
                counts[("link", str(tok.attrs.get("href", "")))] += 1
                if tok.markup == "autolink":
                    autolink += 1
            elif kind == "link_close":
                if tok.markup == "autolink":
                    autolink -= 1
            elif kind == "image":
                counts[("image", str(tok.attrs.get("src", "")))] += 1
            elif kind in ("em_open", "strong_open", "s_open"):
                counts[(kind[:-5], tok.markup)] += 1
            elif kind == "code_inline":
                counts[("code", tok.content)] += 1
            elif kind == "html_inline":
                counts[("html", _html_key(tok.content))] += 1
            elif kind == "hardbreak":
                counts[("hardbreak", "")] += 1
            elif kind == "text" and not autolink:
                for url in _URL.findall(tok.content):
                    counts[("url", url)] += 1
    return counts


def _html_key(tag: str) -> str:
    return " ".join(tag.split()).lower()


def _describe(kind: str, detail: str) -> str:
    name = _KIND_NAMES.get(kind, kind)
    if kind in ("em", "strong", "s"):
        return f"{name} ({detail}…{detail})"
    if kind == "code":
        return f"{name} `{detail}`"
    if kind == "hardbreak":
        return name
    return f"{name} {detail}" if kind in ("html", "url") else f"{name} ({detail})"


def _markup_findings(
    source: str, translation: str, markup: str, where: dict[str, Any]
) -> list[Finding]:
    a = markup_counts(source, markup)
    b = markup_counts(translation, markup)
    # emphasis written with the other delimiter (** vs __) is the same markup
    for kind in ("em", "strong", "s"):
        for counts in (a, b):
            total = sum(n for (k, _), n in counts.items() if k == kind)
            for key in [key for key in counts if key[0] == kind]:
                del counts[key]
            if total:
                counts[(kind, {"em": "*", "strong": "**", "s": "~~"}[kind])] = total
    findings: list[Finding] = []
    for key in sorted(set(a) | set(b), key=lambda k: (list(_KIND_NAMES).index(k[0]), k[1])):
        if a[key] != b[key]:
            findings.append(
                _finding(
                    "placeholder-mismatch",
                    f"{_describe(*key)}: {a[key]} in source, {b[key]} in translation",
                    **where,
                )
            )
    return findings


# --------------------------------------------------------------------------- numbers


_SEPARATORS = ".,\u00a0\u202f\u2009 '’"
_NUMBER = re.compile(r"(?<![^\W\d_])(?<![\d.,])\d+(?:[" + _SEPARATORS + r"]\d+)*")
_SCALES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(r"[ \u00a0\u202f\u2009]?(?:" + words + r")(?![^\W\d_])", re.IGNORECASE), power)
    for words, power in (
        (r"thousands?|тыс\.|тыс|тысяч[а-я]*|мың[а-яәғқңөұүһі]*|myñ\w*|myń\w*", 3),
        (r"millions?|mln\.?|mn|млн\.?|миллион[а-я]*|million\w*", 6),
        (r"billions?|bn|млрд\.?|миллиард[а-я]*|milliard\w*|mlrd\.?", 9),
        (r"trillions?|трлн\.?|триллион[а-я]*|trillion\w*", 12),
    )
)


@dataclass(frozen=True)
class _Number:
    text: str
    values: frozenset[Decimal]
    start: int


def _grouped(groups: list[str], seps: list[str]) -> bool:
    return len(set(seps)) == 1 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _readings(token: str) -> list[frozenset[Decimal]]:
    """The values *token* can stand for; several when it is a run of separate numbers."""
    parts = re.split("([" + _SEPARATORS + "])", token)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return [frozenset({Decimal(groups[0])})]
    values: set[Decimal] = set()
    if _grouped(groups, seps):
        values.add(Decimal("".join(groups)))
    last = seps[-1]
    if last in ".,":
        head, head_seps = groups[:-1], seps[:-1]
        if not head_seps or (last not in head_seps and _grouped(head, head_seps)):
            try:
                values.add(Decimal("".join(head) + "." + groups[-1]))
            except InvalidOperation:  # pragma: no cover - digits only
                pass
    if values:
        return [frozenset(values)]
    # a date (08.05.2025), a list (1, 2), a version: each run of digits on its own
    return [frozenset({Decimal(g)}) for g in groups]


def extract_numbers(text: str) -> list[tuple[str, frozenset[Decimal]]]:
    """The numbers of *text*: ``(as written, possible values)``, in text order.

    URLs, link targets, code spans and HTML tags are skipped; a scale word after a number
    multiplies it (``1.2 million`` → 1200000).
    """
    return [(n.text, n.values) for n in _numbers(_mask(text))]


def _numbers(masked: str) -> list[_Number]:
    found: list[_Number] = []
    for m in _NUMBER.finditer(masked):
        token = m.group(0)
        readings = _readings(token)
        if len(readings) > 1:
            pos = m.start()
            for piece, values in zip(
                re.split("[" + _SEPARATORS + "]", token), readings, strict=True
            ):
                found.append(_Number(piece, values, pos))
                pos += len(piece) + 1
            continue
        values = readings[0]
        written = token
        for pattern, power in _SCALES:
            scale = pattern.match(masked, m.end())
            if scale is not None:
                values = frozenset(v.scaleb(power) for v in values)
                written = token + scale.group(0)
                break
        found.append(_Number(written.strip(), values, m.start()))
    return found


def _match_numbers(a: list[_Number], b: list[_Number]) -> tuple[list[_Number], list[_Number]]:
    """Maximum matching of equal values; returns the unmatched of each side."""
    owner: dict[int, int] = {}  # index in b -> index in a

    def augment(i: int, seen: set[int]) -> bool:
        for j, num in enumerate(b):
            if j in seen or not (a[i].values & num.values):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(a)):
        augment(i, set())
    matched_a = set(owner.values())
    return (
        [n for i, n in enumerate(a) if i not in matched_a],
        [n for j, n in enumerate(b) if j not in owner],
    )


def _number_findings(source: str, translation: str, where: dict[str, Any]) -> list[Finding]:
    missing, extra = _match_numbers(_numbers(_mask(source)), _numbers(_mask(translation)))
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append("source has " + ", ".join(n.text for n in missing))
    if extra:
        parts.append("translation has " + ", ".join(n.text for n in extra))
    what = " not in the translation" if missing and not extra else ""
    what = " not in the source" if extra and not missing else what
    return [_finding("number-mismatch", "; ".join(parts) + what, **where)]


# --------------------------------------------------------------------------- terms


def _usable_terms(concept: Concept, lang: str) -> list[Term]:
    return [t for t in concept.terms.get(lang, ()) if t.usable]


def _source_concepts(source: str, lang: str, res: Matchers) -> dict[str, TermMatch]:
    """Concepts found in *source*: all of its language's, plus same-script names and dnt."""
    found: dict[str, TermMatch] = {}
    taken: list[tuple[int, int]] = []
    for m in res.matcher(lang).match(source):
        found.setdefault(m.concept.id, m)
        taken.append((m.start, m.end))
    for other in res.same_script(lang):
        for m in res.matcher(other).match(source):
            if m.concept.kind not in ("name", "dnt"):
                continue
            if any(m.start < end and start < m.end for start, end in taken):
                continue
            found.setdefault(m.concept.id, m)
            taken.append((m.start, m.end))
    return found


def _closest_usable(concept: Concept, lang: str, surface: str) -> Term | None:
    """The preferred or admitted *lang* term of *concept* spelled most like *surface*
    (``Batyrlarğa tağzym`` for ``Batyrlarǵa taǵzym``, not the gloss ``Tribute to Heroes``);
    ties go to the better status, then to glossary order."""
    usable = _usable_terms(concept, lang)
    if not usable:
        return None
    key = " ".join(fold(surface).split())

    def score(item: tuple[int, Term]) -> tuple[int, int, int]:
        order, term = item
        distance = edit_distance(key, " ".join(fold(term.text).split()))
        return (distance, STATUSES.index(term.status), order)

    return min(enumerate(usable), key=score)[1]


def _note(term: Term) -> str:
    return f" (note: {' '.join(term.note.split())})" if term.note else ""


def _term_findings(
    source: str,
    translation: str,
    source_lang: str,
    target_lang: str,
    res: Matchers,
    where: dict[str, Any],
) -> list[Finding]:
    if not res.concepts:
        return []
    target = res.lang(target_lang)
    findings: list[Finding] = []
    hits = res.matcher(target).match(translation)
    present = {m.concept.id for m in hits if m.term.usable}
    flagged: set[str] = set()
    for m in hits:
        if m.term.usable:
            continue
        flagged.add(m.concept.id)
        better = _closest_usable(m.concept, target, m.surface)
        hint = f"; use {better.text!r}" if better is not None else ""
        findings.append(
            _finding(
                "term-forbidden",
                f"{m.term.status} {target} term {m.surface!r} ({m.concept.id}){hint}"
                f"{_note(m.term)}",
                **where,
            )
        )
    for cid, m in _source_concepts(source, source_lang, res).items():
        if cid in present or cid in flagged:
            continue
        concept = m.concept
        usable = _usable_terms(concept, target)
        if not usable:
            if concept.kind != "dnt":
                continue  # no target form to expect
            view = Concept(cid, kind="dnt", terms={target: [Term(m.term.text)]})
            if TermMatcher([view], target).match(translation) or m.surface in translation:
                continue
            findings.append(
                _finding(
                    "term-missing",
                    f"do-not-translate {m.surface!r} ({cid}) missing in translation",
                    **where,
                )
            )
            continue
        forms = " / ".join(repr(t.text) for t in usable[:3])
        kind = {"name": "name", "dnt": "do-not-translate term"}.get(concept.kind, "term")
        findings.append(
            _finding(
                "term-missing",
                f"glossary {kind} {m.surface!r} → {target} {forms} ({cid}) missing in translation",
                **where,
            )
        )
    return findings


# --------------------------------------------------------------------------- spelling


_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+(?:['’ʼ](?:[^\W_]|[\u0300-\u036f])+)*")
_JOINER = re.compile(
    r"[ \t\u00a0\u202f\u2009\-\u2010\u2011]*\n?[ \t\u00a0\u202f\u2009\-\u2010\u2011]*"
)
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$", re.IGNORECASE)


@dataclass(frozen=True)
class _Spelling:
    start: int
    end: int
    words: int
    distance: int
    rank: int
    message: str


def _known_spans(
    text: str, lang: str, res: Matchers
) -> tuple[list[tuple[int, int]], list[_Spelling]]:
    """Spans the term matchers accept, and the deprecated/forbidden variants among them."""
    spans: list[tuple[int, int]] = []
    bad: dict[tuple[int, int], TermMatch] = {}
    good: list[tuple[int, int]] = []
    for key in [res.lang(lang), *res.same_script(lang)]:
        for m in res.matcher(key).match(text):
            spans.append((m.start, m.end))
            if m.term.usable:
                good.append((m.start, m.end))
            else:
                bad.setdefault((m.start, m.end), m)
    variants: list[_Spelling] = []
    for (start, end), m in sorted(bad.items()):
        if any(start < e and s < end for s, e in good):
            continue
        better = _closest_usable(m.concept, m.lang, m.surface)
        hint = f"; use {better.text!r}" if better is not None else ""
        variants.append(
            _Spelling(
                start,
                end,
                0,
                0,
                0,
                f"{m.surface!r} is a {m.term.status} {m.lang} variant ({m.concept.id}){hint}"
                f"{_note(m.term)}",
            )
        )
    return spans, variants


#: letters a language writes its own spellings of foreign names with: a folded-equal spelling
#: in these letters is that language's convention (``Tokayev`` for ``Toqaev``), not an error
_NATIVE = {
    "en": re.compile(r"[A-Za-z'’ʼ]+"),
    "ru": re.compile(r"[А-Яа-яЁё'’ʼ]+"),
}


def _native(surface: str, lang: str) -> bool:
    pattern = _NATIVE.get(base_language(lang))
    if pattern is None:
        return False
    return all(pattern.fullmatch(word) for word in _WORD.findall(surface))


def _spelling(text: str, lang: str, res: Matchers) -> list[_Spelling]:
    masked = _mask(text)
    spans, found = _known_spans(masked, lang, res)
    spell_index = res.spelling_index(lang)
    terms, index, stems = spell_index.terms, spell_index.index, spell_index.stems
    if not terms:
        return found
    own = res.lang(lang)
    # per word count: the longest folded term, and whether every term is capitalized
    longest: dict[int, int] = {}
    capital_only: dict[int, bool] = {}
    for spell in terms:
        longest[spell.words] = max(longest.get(spell.words, 0), len(spell.folded))
        capital_only[spell.words] = capital_only.get(spell.words, True) and spell.capital
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(masked)]
    folded = fold_many([masked[a:b] for a, b in tokens])
    known = [any(a < e and s < b for s, e in spans) for a, b in tokens]
    english = base_language(own) == "en"
    candidates: list[_Spelling] = []
    memo: dict[tuple[str, str, bool], tuple[_SpellTerm, int] | None] = {}
    for count in sorted(longest):
        for i in range(len(tokens) - count + 1):
            j = i + count - 1
            if any(known[i : j + 1]):
                continue
            start, end = tokens[i][0], tokens[j][1]
            capital = masked[start].isupper()
            if capital_only[count] and not capital:
                continue
            words = [w for w in folded[i : j + 1] if w]
            if len(words) != count:
                continue
            query = " ".join(" ".join(words).split())
            if len(query) < _MIN_FUZZY - 1 or len(query) > longest[count] + 2:
                continue
            if any(
                not _JOINER.fullmatch(masked[tokens[k][1] : tokens[k + 1][0]]) for k in range(i, j)
            ):
                continue
            if any(query[:k] in stems for k in range(4, len(query))):
                continue  # a derived or inflected form: Kazakhstani, Russian, Tokayevs
            surface = masked[start:end]
            queries = [query]
            if english and _POSSESSIVE.search(surface):
                queries.append(" ".join(fold(_POSSESSIVE.sub("", surface)).split()))
            for q in queries:
                memo_key = (q, surface, capital)
                if memo_key not in memo:
                    memo[memo_key] = _closest(q, surface, own, capital, terms, index)
                hit = memo[memo_key]
                if hit is not None:
                    spell, distance = hit
                    candidates.append(_spelling_hit(start, end, count, distance, spell, surface))
                    break
    # longest phrases first, then the closest: one report per stretch of text
    candidates.sort(key=lambda c: (-c.words, c.distance, c.rank, c.start))
    taken = [(f.start, f.end) for f in found]
    for cand in candidates:
        if any(cand.start < e and s < cand.end for s, e in taken):
            continue
        taken.append((cand.start, cand.end))
        found.append(cand)
    found.sort(key=lambda f: f.start)
    return found


def _closest(
    query: str,
    surface: str,
    own: str,
    capital: bool,
    terms: list[_SpellTerm],
    index: dict[str, list[int]],
) -> tuple[_SpellTerm, int] | None:
    """The glossary term *query* (a folded n-gram) most likely misspells, and the distance."""
    depth = min(2, fuzzy_threshold(len(query) + 2))
    cyrillic = _is_cyrillic(surface)
    seen: set[int] = set()
    best: tuple[tuple[int, int, int], _SpellTerm, int] | None = None
    for variant in _deletions(query, depth):
        for number in index.get(variant, ()):
            if number in seen:
                continue
            seen.add(number)
            spell = terms[number]
            if spell.cyrillic != cyrillic or (spell.capital and not capital):
                continue
            limit = fuzzy_threshold(len(spell.folded))
            distance = edit_distance(query, spell.folded, limit)
            if distance > limit:
                continue
            if distance == 0:
                if casefold(surface) == casefold(spell.term.text):
                    continue  # the term itself (case-sensitive term in another case)
                if spell.lang != own and _native(surface, own):
                    continue  # the text language's own spelling of a foreign name
            rank = STATUSES.index(spell.term.status) if spell.term.status in STATUSES else 9
            key = (distance, rank, number)
            if best is None or key < best[0]:
                best = (key, spell, distance)
    return None if best is None else (best[1], best[2])


def _spelling_hit(
    start: int, end: int, words: int, distance: int, spell: _SpellTerm, surface: str
) -> _Spelling:
    concept = spell.concept
    better = _closest_usable(concept, spell.lang, spell.term.text)
    target = spell.term if spell.term.usable or better is None else better
    rank = STATUSES.index(spell.term.status) if spell.term.status in STATUSES else 9
    surface = " ".join(surface.split())
    if distance == 0:
        if spell.term.usable:
            text = f"{surface!r} is a non-standard spelling of {spell.lang} {target.text!r}"
        else:
            text = (
                f"{surface!r} is a non-standard spelling of the {spell.term.status} "
                f"{spell.lang} variant {spell.term.text!r}; use {target.text!r}"
            )
    elif spell.term.usable:
        text = f"{surface!r} looks like a misspelling of {spell.lang} {target.text!r}"
    else:
        text = (
            f"{surface!r} looks like a misspelling of the {spell.term.status} {spell.lang} "
            f"variant {spell.term.text!r}; use {target.text!r}"
        )
    return _Spelling(start, end, words, distance, rank, f"{text} ({concept.id})")


# --------------------------------------------------------------------------- public API


def check_pair(
    source: str,
    translation: str,
    source_lang: str,
    target_lang: str,
    glossary: Iterable[Concept],
    *,
    matchers: Matchers | None = None,
    markup: str = "markdown",
    file: str | None = None,
    line: int | None = None,
) -> list[Finding]:
    """Check one translated segment: terms, numbers, markup.

    *source* and *translation* are the exact segment texts (a catalogue's msgid and
    msgstr); *markup* is ``markdown`` or ``text`` (the source document's format).  Every
    finding gets *file*, *line* and ``msgid=source``.  Pass *matchers* built once for
    *glossary* when checking many pairs.
    """
    res = _resources(glossary, matchers)
    source = unicodedata.normalize("NFC", source)
    translation = unicodedata.normalize("NFC", translation)
    where = {"file": file, "line": line, "msgid": source}
    findings = _term_findings(
        _mask(source), _mask(translation), source_lang, target_lang, res, where
    )
    findings += _number_findings(source, translation, where)
    findings += _markup_findings(source, translation, markup, where)
    return findings


def find_source_terms(
    text: str, lang: str, glossary: Iterable[Concept], *, matchers: Matchers | None = None
) -> list[TermMatch]:
    """The glossary concepts of a source text, one match each, in text order: terms of
    *lang*, plus names and do-not-translate terms of same-script languages (what
    ``term-missing`` expects in a translation)."""
    res = _resources(glossary, matchers)
    found = _source_concepts(_mask(unicodedata.normalize("NFC", text)), lang, res)
    return sorted(found.values(), key=lambda m: m.start)


def check_source(
    text: str,
    lang: str,
    glossary: Iterable[Concept],
    *,
    matchers: Matchers | None = None,
    file: str | None = None,
    line: int = 1,
) -> list[Finding]:
    """Check a source text (a segment, or a whole document) against the glossary spellings.

    Returns ``term-spelling`` findings in text order; a finding's line is *line* (the line
    where *text* starts) plus the line breaks before it in *text*.
    """
    res = _resources(glossary, matchers)
    text = unicodedata.normalize("NFC", text)
    return [
        _finding("term-spelling", f.message, file=file, line=line + text.count("\n", 0, f.start))
        for f in _spelling(text, lang, res)
    ]
