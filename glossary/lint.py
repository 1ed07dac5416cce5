"""Check a glossary for the mistakes that break term matching and transliteration.

:func:`lint_glossary` returns :class:`Finding` objects sorted by location, then code; each
prints as ``path:line: code: message``.  The checks (``CHECKS`` lists them):

``duplicate-term``
    The same term (equal after NFC, whitespace and Turkic-aware casefold, per language; case
    counts when either term is case-sensitive) in two concepts, or twice in one.  A warning
    when neither occurrence is usable (both deprecated/forbidden).  The comparison is not the
    search skeleton of :func:`glossary.search.fold`, which merges Kazakh words that differ in
    ы/і, а/ә, о/ө, у/ұ/ү.
``conflicting-status``
    The same term usable (preferred/admitted) in one place and deprecated/forbidden in another
    concept, or in the same concept twice.
``missing-preferred``
    A language with terms but no preferred one (a warning when an admitted term stands in,
    an error when all are deprecated or forbidden); a concept with no terms at all.
``invalid-language`` / ``noncanonical-language``
    A language tag :func:`glossary.langtags.normalize_tag` rejects, or one it would spell
    differently (``KK-latn`` → ``kk-Latn``).
``translit-mismatch`` / ``unknown-translit``
    A ``kk-Latn`` preferred term that is not the ``kk-latn-2021`` transliteration of the
    concept's preferred ``kk`` term (exact comparison after NFC); a term with ``translit: S``
    is compared with scheme *S* instead.  When the ``kk`` term itself carries ``translit``
    (it was made from the Latin form), it is the one checked, against the ``kk-Latn`` term.
    ``unknown-translit`` is a term's ``translit`` naming no scheme.  Tags are compared in canonical
    form (``kk`` or ``kk-Cyrl``, ``kk-Latn``); do-not-translate concepts are not checked.
``mixed-script``
    A word mixing Latin and Cyrillic letters (a Latin ``a`` in a Cyrillic word: the homoglyph
    problem), in a term, a note or a definition.  The word's script is the one most of its
    letters are in (on a tie, the script of the term's language); the message names the word
    and the letters of the other script with their code points.
``not-nfc``
    A term, note or definition not in Unicode NFC.
``dnt-differs``
    A do-not-translate concept whose preferred forms differ between languages.
``name-missing-form`` (warning, only when *languages* are given)
    A name without a preferred or admitted term in one of those languages.
``whitespace`` / ``empty-term``
    Leading, trailing or doubled spaces, tabs or line breaks in a term (a warning for
    no-break and other Unicode spaces); a term that is empty or blank.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from glossary.langtags import normalize_tag, script_of
from glossary.model import Concept, Glossary, Location, Term
from glossary.search import casefold
from glossary.translit import UnknownScheme, transliterate

__all__ = ["CHECKS", "SEVERITIES", "Finding", "lint_glossary"]

SEVERITIES = ("error", "warning")

#: Every finding code with a one-line description.
CHECKS: dict[str, str] = {
    "duplicate-term": "the same term twice in a language (in two concepts or in one)",
    "conflicting-status": "a term usable in one place and deprecated/forbidden in another",
    "missing-preferred": "a language without a preferred term, or a concept without terms",
    "invalid-language": "a language tag that is not valid BCP 47 / CLDR",
    "noncanonical-language": "a language tag not in its canonical spelling (kk-Latn)",
    "translit-mismatch": "a Kazakh script form that is not the transliteration of the other",
    "unknown-translit": "a term's translit names no known scheme",
    "mixed-script": "a word mixing Latin and Cyrillic letters (homoglyphs)",
    "not-nfc": "text not in Unicode NFC",
    "dnt-differs": "a do-not-translate concept with different forms across languages",
    "name-missing-form": "a name without a form in a configured language (warning)",
    "whitespace": "leading, trailing or doubled spaces, tabs or line breaks in a term",
    "empty-term": "an empty or blank term",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in a glossary."""

    code: str
    message: str
    concept_id: str | None
    location: Location | None
    severity: str = "error"

    def __str__(self) -> str:
        if self.location is None:
            return f"{self.code}: {self.message}"
        return f"{self.location}: {self.code}: {self.message}"


def lint_glossary(
    glossary: Glossary,
    *,
    languages: Sequence[str] | None = None,
    exceptions: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every finding in *glossary*, sorted by location (path, line), then code.

    *languages* (e.g. the workspace's source and targets) turns on ``name-missing-form``;
    *exceptions* are transliteration exceptions passed to
    :func:`glossary.translit.transliterate` by the ``translit-mismatch`` check.
    """
    findings: list[Finding] = []
    wanted = [_canonical(lang) for lang in languages or ()]
    for concept in glossary:
        findings.extend(_check_concept(concept, wanted, exceptions))
    findings.extend(_check_duplicates(glossary))
    return sorted(findings, key=_sort_key)


def _sort_key(f: Finding) -> tuple[bool, str, int, str, str, str]:
    loc = f.location
    return (
        loc is None,
        loc.path if loc else "",
        loc.line if loc else 0,
        f.code,
        f.concept_id or "",
        f.message,
    )


# -- helpers -------------------------------------------------------------------------------


def _canonical(tag: str) -> str:
    try:
        return normalize_tag(tag)
    except ValueError:
        return tag


def _where(concept: Concept, term: Term | None = None) -> Location | None:
    if term is not None and term.location is not None:
        return term.location
    return concept.location


def _codepoints(text: str) -> str:
    return " ".join(f"U+{ord(ch):04X}" for ch in text)


def _usable(term: Term) -> bool:
    return term.status in ("preferred", "admitted")


# -- per concept ---------------------------------------------------------------------------


def _check_concept(
    concept: Concept, wanted: list[str], exceptions: Mapping[str, str] | None
) -> Iterator[Finding]:
    """Every finding about one concept on its own."""

    def finding(
        code: str, message: str, term: Term | None = None, severity: str = "error"
    ) -> Finding:
        return Finding(code, message, concept.id, _where(concept, term), severity)

    if not any(concept.terms.values()):
        yield finding("missing-preferred", "concept has no terms")
    for field in ("definition", "note"):
        text = getattr(concept, field)
        if text:
            for code, message in _text_problems(text, field, None):
                yield finding(code, message)
    for lang, terms in concept.terms.items():
        if not terms:
            continue
        for code, message, severity in _language_problems(lang, terms):
            yield finding(code, message, terms[0], severity)
        expected = _expected_script(_canonical(lang))
        for term in terms:
            for code, message, severity in _term_problems(term):
                yield finding(code, message, term, severity)
            if term.translit:
                problem = _unknown_scheme(term.translit)
                if problem:
                    yield finding("unknown-translit", problem, term)
            for code, message in _text_problems(term.text, "term", expected, check_nfc=False):
                yield finding(code, message, term)
            if term.note:
                what = f"note of term {term.text!r}"
                for code, message in _text_problems(term.note, what, None):
                    yield finding(code, message, term)
    if concept.kind == "dnt":
        forms = {}
        for lang in concept.terms:
            term = concept.preferred(lang)
            if term is not None:
                forms[lang] = unicodedata.normalize("NFC", term.text)
        if len(set(forms.values())) > 1:
            listed = ", ".join(f"{lang} {text!r}" for lang, text in forms.items())
            yield finding("dnt-differs", f"do-not-translate concept has different forms: {listed}")
    else:
        for code, message, term in _translit_problems(concept, exceptions):
            yield finding(code, message, term)
    if concept.kind == "name" and wanted and any(concept.terms.values()):
        have = {_canonical(lang) for lang, ts in concept.terms.items() if any(map(_usable, ts))}
        for lang in wanted:
            if lang not in have:
                yield finding("name-missing-form", f"name has no {lang} form", severity="warning")


def _language_problems(lang: str, terms: list[Term]) -> Iterator[tuple[str, str, str]]:
    """(code, message, severity) for a language of a concept: its tag, its preferred term."""
    try:
        canonical = normalize_tag(lang)
    except ValueError as exc:
        yield "invalid-language", str(exc), "error"
    else:
        if canonical != lang:
            yield (
                "noncanonical-language",
                f"language tag {lang!r} should be written {canonical!r}",
                "error",
            )
    if not any(t.status == "preferred" for t in terms):
        admitted = next((t for t in terms if t.status == "admitted"), None)
        if admitted is not None:
            message = f"no preferred {lang} term (the admitted {admitted.text!r} stands in)"
            yield "missing-preferred", message, "warning"
        else:
            message = f"no preferred or admitted {lang} term: all are deprecated or forbidden"
            yield "missing-preferred", message, "error"


def _term_problems(term: Term) -> Iterator[tuple[str, str, str]]:
    """(code, message, severity) for the text of one term: emptiness, whitespace, NFC."""
    text = term.text
    if not text.strip():
        yield "empty-term", f"term {text!r} is empty", "error"
        return
    if text[0].isspace():
        yield "whitespace", f"term {text!r} has leading whitespace", "error"
    if text[-1].isspace():
        yield "whitespace", f"term {text!r} has trailing whitespace", "error"
    if "  " in text.strip():
        yield "whitespace", f"term {text!r} has a double space", "error"
    for ch in dict.fromkeys(text):
        if ch.isspace() and ch != " ":
            # a no-break or thin space may be meant; a tab or a line break is not
            severity = "warning" if unicodedata.category(ch) == "Zs" else "error"
            name = unicodedata.name(ch, "control character")
            yield "whitespace", f"term {text!r} contains U+{ord(ch):04X} {name}", severity
    problem = _nfc_problem(text)
    if problem:
        shown = unicodedata.normalize("NFC", text)
        yield "not-nfc", f"term {shown!r} is not NFC: {problem}", "error"


def _nfc_problem(text: str) -> str | None:
    """None when *text* is NFC, else which code points compose (``U+0438 U+0306 → U+0439``)."""
    if unicodedata.is_normalized("NFC", text):
        return None
    nfc = unicodedata.normalize("NFC", text)
    i = 0
    while i < min(len(text), len(nfc)) and text[i] == nfc[i]:
        i += 1
    i = min(i, len(text) - 1)
    while i > 0 and unicodedata.combining(text[i]):  # back to the base letter
        i -= 1
    end = i + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    cluster = text[i:end]
    return f"{_codepoints(cluster)} should be {_codepoints(unicodedata.normalize('NFC', cluster))}"


def _text_problems(
    text: str, what: str, expected: str | None, *, check_nfc: bool = True
) -> Iterator[tuple[str, str]]:
    """``not-nfc`` (unless already checked) and ``mixed-script`` for a piece of text."""
    if check_nfc:
        problem = _nfc_problem(text)
        if problem:
            yield "not-nfc", f"{what} is not NFC: {problem}"
    for message in _mixed_words(unicodedata.normalize("NFC", text), expected):
        yield "mixed-script", message if what == "term" else f"{what}: {message}"


# -- mixed script --------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
_SCRIPT_NAMES = {"LATIN": "Latin", "CYRILLIC": "Cyrillic"}
#: Languages written in Cyrillic when their tag names no script
_CYRILLIC_LANGUAGES = frozenset(
    {"kk", "ru", "uk", "be", "bg", "mk", "sr", "ky", "tg", "mn", "tt", "ba"}
)


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    """``Latin``, ``Cyrillic`` or None for any other character."""
    if ch.isascii():
        return "Latin" if ch.isalpha() else None
    return _SCRIPT_NAMES.get(unicodedata.name(ch, "").split(" ", 1)[0])


def _expected_script(tag: str) -> str | None:
    script = script_of(tag)
    if script == "Latn":
        return "Latin"
    if script == "Cyrl":
        return "Cyrillic"
    if script is not None:
        return None
    return "Cyrillic" if tag.split("-", 1)[0].lower() in _CYRILLIC_LANGUAGES else "Latin"


def _mixed_words(text: str, expected: str | None) -> Iterator[str]:
    """A message for each word of *text* that mixes Latin and Cyrillic letters."""
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        letters: dict[str, list[str]] = {"Latin": [], "Cyrillic": []}
        for ch in word:
            script = _script(ch)
            if script is not None:
                letters[script].append(ch)
        if not (letters["Latin"] and letters["Cyrillic"]):
            continue
        n_latin, n_cyrillic = len(letters["Latin"]), len(letters["Cyrillic"])
        if n_latin != n_cyrillic:
            host = "Latin" if n_latin > n_cyrillic else "Cyrillic"
        else:
            host = expected or "Cyrillic"
        stray = "Cyrillic" if host == "Latin" else "Latin"
        shown = ", ".join(
            f"{ch!r} (U+{ord(ch):04X})" for ch in dict.fromkeys(letters[stray])
        )
        yield f"word {word!r} mixes scripts: {stray} {shown} in a {host} word"


# -- transliteration -----------------------------------------------------------------------


def _translit_problems(
    concept: Concept, exceptions: Mapping[str, str] | None
) -> Iterator[tuple[str, str, Term]]:
    """(code, message, term) for Kazakh script forms that disagree with each other."""
    cyrillic: list[Term] = []
    latin: list[Term] = []
    for lang, terms in concept.terms.items():
        tag = _canonical(lang)
        if tag in ("kk", "kk-Cyrl"):
            cyrillic.extend(terms)
        elif tag == "kk-Latn":
            latin.extend(terms)
    source = _pick_preferred(cyrillic)
    latin_preferred = _pick_preferred(latin)
    if source is None or not latin:
        return

    def check(term: Term, origin: Term, scheme: str, lang: str) -> Iterator[tuple[str, str, Term]]:
        if scheme == ESTABLISHED or _unknown_scheme(scheme):
            return  # reported with the term
        expected = transliterate(origin.text, scheme, exceptions=exceptions)
        if unicodedata.normalize("NFC", term.text) != unicodedata.normalize("NFC", expected):
            yield (
                "translit-mismatch",
                f"{lang} term {term.text!r} is not the {scheme} transliteration of "
                f"{origin.text!r}: expected {expected!r}",
                term,
            )

    if source.translit and latin_preferred is not None:
        # the Cyrillic form was made from the Latin one: check it, not the other way round
        yield from check(source, latin_preferred, source.translit, "kk")
    for term in latin:
        if term.translit:
            yield from check(term, source, term.translit, "kk-Latn")
        elif term is latin_preferred and not source.translit:
            yield from check(term, source, "kk-latn-2021", "kk-Latn")


#: ``translit: none`` marks an established spelling that is not a transliteration (an
#: official Latin name such as *Oyan, Qazaqstan!*): the ``translit-mismatch`` check skips it.
ESTABLISHED = "none"


@functools.lru_cache(maxsize=64)
def _unknown_scheme(scheme: str) -> str | None:
    """The error message when *scheme* names no transliteration scheme, else None."""
    if scheme == ESTABLISHED:
        return None
    try:
        transliterate("", scheme)
    except UnknownScheme as exc:
        return str(exc)
    return None


def _pick_preferred(terms: list[Term]) -> Term | None:
    for status in ("preferred", "admitted"):
        for term in terms:
            if term.status == status:
                return term
    return None


# -- across concepts -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Occurrence:
    concept: Concept
    lang: str
    term: Term


def _check_duplicates(glossary: Glossary) -> Iterator[Finding]:
    groups: dict[tuple[str, str], list[_Occurrence]] = {}
    for concept in glossary:
        for lang, terms in concept.terms.items():
            tag = _canonical(lang)
            for term in terms:
                key = casefold(term.text)
                if key:
                    groups.setdefault((tag, key), []).append(_Occurrence(concept, lang, term))
    for (tag, _), group in groups.items():
        for n, later in enumerate(group[1:], 1):
            earlier = next((e for e in group[:n] if _same_term(e.term, later.term)), None)
            if earlier is not None:
                yield _duplicate_finding(tag, earlier, later)


_WS = re.compile(r"\s+")


def _spelling(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _same_term(a: Term, b: Term) -> bool:
    """Two terms with equal casefold keys are the same unless one is case-sensitive and the
    spellings differ."""
    if not (a.case_sensitive or b.case_sensitive):
        return True
    return _spelling(a.text) == _spelling(b.text)


def _duplicate_finding(tag: str, earlier: _Occurrence, later: _Occurrence) -> Finding:
    a, b = earlier.term, later.term
    same = earlier.concept is later.concept
    where = "" if same else f" of concept {earlier.concept.id!r}"
    loc = _where(earlier.concept, a)
    at = f" ({loc})" if loc is not None and not same else ""
    cid, location = later.concept.id, _where(later.concept, b)
    if _usable(a) != _usable(b):
        if same:
            message = f"{tag} term {b.text!r} is both {a.status} and {b.status} in this concept"
        else:
            message = (
                f"{tag} term {b.text!r} is {b.status} here but {a.status} in concept "
                f"{earlier.concept.id!r}{at}"
            )
        return Finding("conflicting-status", message, cid, location)
    severity = "error" if _usable(a) else "warning"
    if same:
        message = f"{tag} term {b.text!r} is listed twice in this concept"
    else:
        message = f"{tag} term {b.text!r} is also a term{where}{at}"
    return Finding("duplicate-term", message, cid, location, severity)
