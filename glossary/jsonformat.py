"""JSON view of the model, for ``--json`` output and scripts.

A concept becomes ``{"id", "kind", "subject", "definition", "note", "terms", "file", "line"}``
where ``terms`` maps a language tag to a list of ``{"term", "status", "pos", "gender",
"note", "case_sensitive", "translit"}`` objects.
"""

from __future__ import annotations

from typing import Any

from glossary.model import Concept, Glossary, Term

__all__ = ["term_to_json", "concept_to_json", "glossary_to_json"]


def term_to_json(term: Term) -> dict[str, Any]:
    return {
        "term": term.text,
        "status": term.status,
        "pos": term.pos,
        "gender": term.gender,
        "note": term.note,
        "case_sensitive": term.case_sensitive,
        "translit": term.translit,
    }


def concept_to_json(concept: Concept) -> dict[str, Any]:
    loc = concept.location
    return {
        "id": concept.id,
        "kind": concept.kind,
        "subject": concept.subject,
        "definition": concept.definition,
        "note": concept.note,
        "terms": {lang: [term_to_json(t) for t in terms] for lang, terms in concept.terms.items()},
        "file": None if loc is None else loc.path,
        "line": None if loc is None else loc.line,
    }


def glossary_to_json(glossary: Glossary) -> list[dict[str, Any]]:
    return [concept_to_json(c) for c in glossary]
