"""BCP 47 language tags, validated against Babel's CLDR data.

A tag is ``language[-Script][-REGION]`` (``kk``, ``kk-Latn``, ``ru``, ``en-GB``,
``sr-Latn-RS``).  :func:`normalize_tag` returns the canonical spelling (``KK-latn`` →
``kk-Latn``) or raises :class:`ValueError` with a readable message; Babel supplies the list
of known languages, scripts and territories, so ``xx`` or ``kk-Latx`` are rejected.
"""

from __future__ import annotations

import functools
import re

__all__ = ["normalize_tag", "is_valid_tag", "base_language", "script_of"]

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


@functools.cache
def _cldr() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    from babel.core import Locale

    en = Locale("en")
    return frozenset(en.languages), frozenset(en.scripts), frozenset(en.territories)


@functools.lru_cache(maxsize=1024)
def normalize_tag(tag: str) -> str:
    """Return the canonical form of *tag*; raise ValueError when it is not a valid tag."""
    m = _TAG.match(tag.strip())
    if not m:
        raise ValueError(f"invalid language tag {tag!r} (expected e.g. kk, kk-Latn, ru, en-GB)")
    lang, script, region = m.group(1).lower(), m.group(2), m.group(3)
    languages, scripts, territories = _cldr()
    if lang not in languages:
        raise ValueError(f"unknown language {lang!r} in tag {tag!r}")
    parts = [lang]
    if script:
        script = script.title()
        if script not in scripts:
            raise ValueError(f"unknown script {script!r} in tag {tag!r}")
        parts.append(script)
    if region:
        region = region.upper()
        if region not in territories:
            raise ValueError(f"unknown region {region!r} in tag {tag!r}")
        parts.append(region)
    return "-".join(parts)


def is_valid_tag(tag: str) -> bool:
    try:
        normalize_tag(tag)
    except ValueError:
        return False
    return True


def base_language(tag: str) -> str:
    """``kk-Latn`` → ``kk``."""
    return tag.split("-", 1)[0].lower()


def script_of(tag: str) -> str | None:
    """The explicit script subtag of *tag* (``kk-Latn`` → ``Latn``), or None."""
    for part in tag.split("-")[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    return None
