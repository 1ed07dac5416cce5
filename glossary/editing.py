"""Services behind the glossary editing commands: ids, script forms, imports.

Pure functions over the model; the CLI layer only parses options and calls these.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable

from glossary.langtags import base_language, script_of
from glossary.model import Concept, Glossary, Term

__all__ = [
    "slugify",
    "new_concept_id",
    "unique_id",
    "fill_script_forms",
    "find_term",
    "merge_concepts",
    "ID_PATTERN",
]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def slugify(text: str) -> str:
    """A concept id from a term: ASCII, lower case, words joined by ``-``.

    Cyrillic is romanized with the ``kk-ascii`` scheme (it covers Russian letters too), so
    ``Қасым-Жомарт Тоқаев`` gives ``kasym-zhomart-tokayev``.
    """
    if _CYRILLIC.search(text):
        from glossary.translit import transliterate

        text = transliterate(text, "kk-ascii")
    text = text.replace("ı", "i").replace("İ", "I")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:60].rstrip("-") or "concept"


def new_concept_id(glossary: Glossary, terms: dict[str, list[Term]]) -> str:
    """A fresh id for a concept with *terms*: from the English term, else a Latin one, else any."""
    order = sorted(
        terms,
        key=lambda lang: (
            base_language(lang) != "en",
            not (script_of(lang) == "Latn" or not _CYRILLIC.search(terms[lang][0].text)),
        ),
    )
    base = "concept"
    for lang in order:
        usable = [t for t in terms[lang] if t.usable] or terms[lang]
        if usable:
            base = slugify(usable[0].text)
            break
    return unique_id(base, glossary.concepts)


def unique_id(base: str, taken: Container[str]) -> str:
    """*base*, or *base*-2, -3, … : the first that is not taken."""
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def fill_script_forms(concept: Concept) -> list[tuple[str, Term]]:
    """Add the missing Kazakh script form of *concept* from the other one.

    ``kk`` (Cyrillic) → ``kk-Latn`` with the 2021 alphabet, or ``kk-Latn`` → ``kk`` with the
    ``kk-cyrl`` scheme when only the Latin form exists.  The new terms are preferred, marked
    with the scheme that made them, and returned.
    """
    from glossary.translit import transliterate

    added: list[tuple[str, Term]] = []

    kk = concept.preferred("kk")
    latn = concept.preferred("kk-Latn")
    if kk is not None and latn is None:
        term = Term(transliterate(kk.text, "kk-latn-2021"), translit="kk-latn-2021",
                    case_sensitive=kk.case_sensitive)
        _insert_after(concept, "kk", "kk-Latn", term)
        added.append(("kk-Latn", term))
    elif latn is not None and kk is None:
        term = Term(transliterate(latn.text, "kk-cyrl"), translit="kk-cyrl",
                    case_sensitive=latn.case_sensitive)
        _insert_after(concept, "kk-Latn", "kk", term, before=True)
        added.append(("kk", term))
    return added


def _insert_after(concept: Concept, anchor: str, lang: str, term: Term, *, before: bool = False) -> None:
    """Add *lang* next to *anchor* in the concept's language order (kk before kk-Latn)."""
    terms: dict[str, list[Term]] = {}
    for key, value in concept.terms.items():
        if key == anchor and before:
            terms[lang] = [term]
        terms[key] = value
        if key == anchor and not before:
            terms[lang] = [term]
    concept.terms = terms


def find_term(concept: Concept, lang: str, text: str) -> Term | None:
    for term in concept.terms.get(lang, []):
        if term.text == text:
            return term
    return None


def merge_concepts(target: Concept, incoming: Concept) -> int:
    """Add *incoming*'s terms that *target* lacks; fill empty fields. Returns terms added."""
    added = 0
    for field in ("subject", "definition", "note"):
        if getattr(target, field) is None and getattr(incoming, field) is not None:
            setattr(target, field, getattr(incoming, field))
    for lang, terms in incoming.terms.items():
        for term in terms:
            if find_term(target, lang, term.text) is None:
                target.add_term(lang, term)
                added += 1
    return added


def iter_term_texts(glossary: Glossary, lang: str) -> Iterable[tuple[Concept, Term]]:
    for concept in glossary:
        for term in concept.terms.get(lang, []):
            yield concept, term
