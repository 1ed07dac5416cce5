"""The glossary data model: pure dataclasses, no I/O.

A :class:`Glossary` is an ordered set of :class:`Concept` objects (TBX ``termEntry`` /
``conceptEntry``).  A concept has per-language lists of :class:`Term` objects (TBX
``tig`` / ``termSec``); the first preferred term of a language is that language's form.

A concept's ``kind`` says how translation treats it:

* ``term`` — an ordinary term: translated, then checked against the glossary;
* ``name`` — a proper name (person, place, organisation, named event): its form in each
  language is fixed and is substituted, not translated;
* ``dnt`` — do-not-translate: the same form in every language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "STATUSES",
    "KINDS",
    "PARTS_OF_SPEECH",
    "GENDERS",
    "Location",
    "Term",
    "Concept",
    "Glossary",
]

#: Term statuses, best first.  ``deprecated`` and ``forbidden`` terms must not be used.
STATUSES = ("preferred", "admitted", "deprecated", "forbidden")
KINDS = ("term", "name", "dnt")
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "properNoun", "other")
GENDERS = ("masculine", "feminine", "neuter", "other")


@dataclass(frozen=True)
class Location:
    """Where something was read from: a file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Term:
    """One term of a concept in one language."""

    text: str
    status: str = "preferred"
    pos: str | None = None
    gender: str | None = None
    note: str | None = None
    case_sensitive: bool = False
    #: the transliteration scheme that produced this term (e.g. ``kk-latn-2021``), if any
    translit: str | None = None
    location: Location | None = field(default=None, compare=False, repr=False)

    @property
    def usable(self) -> bool:
        """True for preferred and admitted terms."""
        return self.status in ("preferred", "admitted")


@dataclass
class Concept:
    """A concept: one meaning, with its terms in every language."""

    id: str
    kind: str = "term"
    subject: str | None = None
    definition: str | None = None
    note: str | None = None
    terms: dict[str, list[Term]] = field(default_factory=dict)
    location: Location | None = field(default=None, compare=False, repr=False)

    @property
    def is_name(self) -> bool:
        return self.kind == "name"

    @property
    def is_dnt(self) -> bool:
        return self.kind == "dnt"

    def languages(self) -> list[str]:
        return list(self.terms)

    def preferred(self, lang: str) -> Term | None:
        """The language's preferred term (else its first admitted one), or None."""
        terms = self.terms.get(lang, [])
        for status in ("preferred", "admitted"):
            for term in terms:
                if term.status == status:
                    return term
        return None

    def all_terms(self) -> list[tuple[str, Term]]:
        return [(lang, t) for lang, ts in self.terms.items() for t in ts]

    def add_term(self, lang: str, term: Term) -> None:
        self.terms.setdefault(lang, []).append(term)


@dataclass
class Glossary:
    """An ordered collection of concepts keyed by id."""

    concepts: dict[str, Concept] = field(default_factory=dict)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.concepts.values())

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self.concepts

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def add(self, concept: Concept) -> None:
        self.concepts[concept.id] = concept

    def languages(self) -> list[str]:
        seen: dict[str, None] = {}
        for concept in self:
            for lang in concept.terms:
                seen.setdefault(lang)
        return list(seen)
