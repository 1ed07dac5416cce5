"""Translation engines behind one small interface: a batch of segments in, a batch out.

An engine translates plain segment texts (inline markup already replaced by placeholders)
from one language to another.  Engines: ``pseudo`` (pseudo-localization, ``⟦text⟧``),
``none`` (translates nothing) and ``argos`` (Argos Translate models on CTranslate2, in
:mod:`translate.engines.argos`, imported only when used).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

__all__ = ["Engine", "PseudoEngine", "NoneEngine", "Progress", "PSEUDO_OPEN", "PSEUDO_CLOSE"]

#: ``progress(done, total)``: *done* of the *total* segments of a ``translate_batch`` call are
#: translated (called as work completes, never decreasing; engines may call it only at the end)
Progress = Callable[[int, int], None]

PSEUDO_OPEN = "⟦"
PSEUDO_CLOSE = "⟧"


class Engine(Protocol):
    """What every engine provides."""

    #: short name used on the command line and in provenance comments
    name: str

    def describe(self, source: str, target: str) -> str:
        """Provenance for catalogue comments, e.g. ``argos en→ru translate-en_ru-1.9``."""
        ...

    def translate_batch(self, segments: list[str], source: str, target: str, *,
                        progress: Progress | None = None) -> list[str | None]:
        """Translate every segment; None means "no translation" (the segment stays untranslated)."""
        ...


class PseudoEngine:
    """Pseudo-localization: each segment comes back as ``⟦`` + segment + ``⟧``."""

    name = "pseudo"

    def describe(self, source: str, target: str) -> str:
        return f"pseudo {source}→{target}"

    def translate_batch(self, segments: list[str], source: str, target: str, *,
                        progress: Progress | None = None) -> list[str | None]:
        out: list[str | None] = [f"{PSEUDO_OPEN}{s}{PSEUDO_CLOSE}" for s in segments]
        if progress is not None:
            progress(len(segments), len(segments))
        return out


class NoneEngine:
    """Translates nothing; reviewed translations and the glossary still apply."""

    name = "none"

    def describe(self, source: str, target: str) -> str:
        return "none"

    def translate_batch(self, segments: list[str], source: str, target: str, *,
                        progress: Progress | None = None) -> list[str | None]:
        if progress is not None:
            progress(len(segments), len(segments))
        return [None for _ in segments]
