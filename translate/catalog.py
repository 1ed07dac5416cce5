"""gettext catalogues: tilmash's translation memory and review record.

Every segment of a source document lives in ``locales/<lang>/LC_MESSAGES/<stem>.po`` (plus
the template ``locales/templates/<stem>.pot``).  The states of an entry are the only ones
PO has, read as follows:

* **reviewed** — translated and not ``#, fuzzy``: final; never overwritten, never lost;
* **machine** — ``#, fuzzy`` with an extracted comment ``#. machine: <provenance>``;
* **suggestion** — ``#, fuzzy`` carrying ``#| msgid "<old source>"``: a translation memory
  match offered by :func:`sync_catalog` (``#. memory: 92% …`` says where from);
* untranslated — empty ``msgstr``.

A reviewer accepts a translation by removing ``#, fuzzy`` (Poedit: toggle "Needs work").

:func:`sync_catalog` is tilmash's ``msgmerge``: one entry per distinct segment text in
document order, references and comments refreshed, changed segments get a fuzzy
suggestion from the catalogue (obsolete entries included) and the
:class:`TranslationMemory`, removed segments become obsolete (``#~``) and come back with
their translation and state when the text returns.

:func:`catalog_stats` counts like ``msgfmt --statistics`` (only ``msgstr[0]`` decides
whether a plural entry is translated; a fuzzy entry with an empty msgstr is untranslated);
:func:`compile_catalog` writes the ``.mo`` file msgfmt writes, hash table included
(byte-identical except for C ``<PRIxxx>`` system-dependent strings, which we store as
plain strings like Python's ``msgfmt.py`` and Babel do).
"""

from __future__ import annotations

import difflib
import os
import struct
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Literal

import polib

from glossary.langtags import normalize_tag, script_of
from tilmash import __version__
from tilmash.errors import TilmashError
from tilmash.fileio import decode_text, update_text, write_if_changed
from translate.postrict import Catalog, format_po, header_msgstr, parse_po, read_catalog

__all__ = [
    "match_newlines",
    "SegmentRef",
    "SyncResult",
    "Translation",
    "TranslationMemory",
    "Catalog",
    "read_catalog",
    "format_po",
    "write_catalog",
    "update_catalog",
    "new_catalog",
    "template_catalog",
    "sync_catalog",
    "lookup",
    "set_machine",
    "entry_state",
    "catalog_stats",
    "compile_catalog",
    "gettext_language",
    "catalog_path",
    "template_path",
    "memory_for",
    "MACHINE_PREFIX",
    "MEMORY_PREFIX",
    "State",
]

#: extracted-comment prefix of machine translations (``#. machine: argos en→ru …``)
MACHINE_PREFIX = "machine: "
#: extracted-comment prefix of translation-memory suggestions (``#. memory: 92% …``)
MEMORY_PREFIX = "memory: "
_PROVENANCE = (MACHINE_PREFIX, MEMORY_PREFIX)
_GLOSSARY_PREFIX = "glossary: "
_SCRIPT_MODIFIERS = {"Latn": "latin", "Cyrl": "cyrillic", "Arab": "arabic"}

State = Literal["reviewed", "machine", "suggestion"]


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class SegmentRef:
    """One segment of a source document, as the pipeline hands it to :func:`sync_catalog`."""

    #: the exact Markdown source text of the segment (the msgid)
    source: str
    #: 1-based line in the document
    line: int
    #: the document's path as written in references, e.g. ``examples/article.md``
    document: str
    #: a note for translators, e.g. the heading the segment is under
    context: str | None = None
    #: glossary terms found in the segment (listed in a ``#. glossary:`` comment)
    terms: Sequence[str] = ()


@dataclass
class SyncResult:
    """The synchronized catalogue and what happened to its entries."""

    catalog: polib.POFile
    kept: int = 0
    fuzzy_matched: int = 0
    new: int = 0
    obsoleted: int = 0
    revived: int = 0


@dataclass(frozen=True)
class Translation:
    """A catalogue's translation of one segment."""

    text: str
    state: State
    #: ``reviewed``, the machine provenance (``argos en→ru …``) or the memory note
    provenance: str


# --------------------------------------------------------------------------- layout


def gettext_language(tag: str) -> str:
    """BCP 47 tag → gettext locale name: ``kk`` → ``kk``, ``pt-BR`` → ``pt_BR``,
    ``kk-Latn`` → ``kk@latin``, ``sr-Latn-RS`` → ``sr_RS@latin``."""
    try:
        norm = normalize_tag(tag)
    except ValueError as exc:
        raise TilmashError(str(exc)) from None
    parts = norm.split("-")
    lang, region, script = parts[0], None, script_of(norm)
    for part in parts[1:]:
        if len(part) in (2, 3) and part != script:
            region = part
    name = lang if region is None else f"{lang}_{region}"
    if script is not None:
        name += "@" + _SCRIPT_MODIFIERS.get(script, script.lower())
    return name


def _stem(document: str | Path) -> str:
    stem = PurePosixPath(str(document).replace("\\", "/")).stem
    if not stem or stem in (".", ".."):
        raise TilmashError(f"{document}: cannot name a catalogue after this document")
    return stem


def catalog_path(locales: str | Path, lang: str, document: str | Path) -> Path:
    """``locales/<gettext lang>/LC_MESSAGES/<document stem>.po``."""
    return Path(locales) / gettext_language(lang) / "LC_MESSAGES" / f"{_stem(document)}.po"


def template_path(locales: str | Path, document: str | Path) -> Path:
    """``locales/templates/<document stem>.pot``."""
    return Path(locales) / "templates" / f"{_stem(document)}.pot"


# --------------------------------------------------------------------------- headers


def _now(now: datetime | None = None) -> datetime:
    if now is not None:
        return now if now.tzinfo is not None else now.astimezone()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now().astimezone()


def _date(now: datetime | None = None) -> str:
    return _now(now).strftime("%Y-%m-%d %H:%M%z")


def new_catalog(
    lang: str,
    document: str,
    *,
    template: bool = False,
    now: datetime | None = None,
) -> Catalog:
    """An empty catalogue (or template) with a full header.

    ``Language`` is gettext-style, ``Plural-Forms`` comes from Babel's CLDR data, dates are
    *now* (``SOURCE_DATE_EPOCH`` is honoured when *now* is not given).
    """
    from babel.core import Locale, UnknownLocaleError
    from babel.messages.plurals import get_plural

    po = Catalog()
    stamp = _date(now)
    language = "" if template else gettext_language(lang)
    team = ""
    if language:
        base = language.split("@")[0].split("_")[0]
        try:
            team = Locale.parse(base).english_name or base
        except (ValueError, UnknownLocaleError):
            team = base
    meta: dict[str, str] = {
        "Project-Id-Version": document,
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "",
        "Language-Team": team,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language:
        meta["Plural-Forms"] = str(get_plural(language.split("@")[0]))
    meta["X-Generator"] = f"tilmash {__version__}"
    po.metadata = meta
    po.header = (
        f"Translation template of {document}."
        if template
        else f"{team} translation of {document}."
    )
    return po


# --------------------------------------------------------------------------- writing


def _date_fields(path: Path) -> tuple[str, ...]:
    """The header dates a write stamps: the template's creation date, a catalogue's revision."""
    if path.suffix == ".pot":
        return ("POT-Creation-Date", "PO-Revision-Date")
    return ("PO-Revision-Date",)


_DATES = ("POT-Creation-Date", "PO-Revision-Date")


def _same_content(old: polib.POFile, new: polib.POFile) -> bool:
    """Equal once serialized, ignoring the two date headers."""
    a = {k: v for k, v in old.metadata.items() if k not in _DATES}
    b = {k: v for k, v in new.metadata.items() if k not in _DATES}
    return format_po(old, metadata=a) == format_po(new, metadata=b)


def _render(
    path: Path, old_text: str | None, po: polib.POFile, now: datetime | None
) -> str:
    """The text to store for *po*, keeping the old file (and its date) when nothing changed."""
    text = format_po(po)
    if old_text is None or old_text == text:
        return text
    old = parse_po(old_text, path)  # a broken file is reported, never overwritten
    if _same_content(old, po):
        return old_text
    stamp = _date(now)
    for name in _date_fields(path):
        po.metadata[name] = stamp
    return format_po(po)


def write_catalog(path: str | Path, po: polib.POFile, *, now: datetime | None = None) -> bool:
    """Write *po* to *path* atomically; returns whether the file was written.

    Nothing is written when the file already says the same thing (entries, comments and
    header other than the two dates): a file formatted by Poedit stays as it is, dates
    included.  Otherwise ``PO-Revision-Date`` (and ``POT-Creation-Date`` for a ``.pot``)
    is set to *now* (``SOURCE_DATE_EPOCH`` if set, else the clock) in *po* and in the
    file.  An existing file that does not parse is reported, never overwritten.
    """
    path = Path(path)
    try:
        old_text: str | None = decode_text(path.read_bytes(), path)
    except FileNotFoundError:
        old_text = None
    text = _render(path, old_text, po, now)
    if text == old_text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_if_changed(path, text)


def update_catalog(
    path: str | Path,
    change: Callable[[Catalog | None], polib.POFile],
    *,
    now: datetime | None = None,
    timeout: float | None = None,
) -> bool:
    """Locked read-modify-write: *change* gets the parsed catalogue (None when the file
    does not exist) and returns the new one; written like :func:`write_catalog`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def edit(text: str | None) -> str:
        old = None if text is None else parse_po(text, path)
        return _render(path, text, change(old), now)

    return update_text(path, edit, timeout=timeout)


# --------------------------------------------------------------------------- states


def _is_reviewed(entry: polib.POEntry) -> bool:
    return not entry.fuzzy and bool(entry.msgstr) and not entry.msgid_plural


def _provenance(entry: polib.POEntry, prefix: str) -> str | None:
    for line in entry.comment.split("\n"):
        if line.startswith(prefix):
            return line[len(prefix) :]
    return None


def entry_state(entry: polib.POEntry) -> State | None:
    """The state of one entry (None: untranslated or plural)."""
    if entry.msgid_plural or not entry.msgstr:
        return None
    if not entry.fuzzy:
        return "reviewed"
    if _provenance(entry, MACHINE_PREFIX) is not None:
        return "machine"
    return "suggestion"


def _translation(entry: polib.POEntry) -> Translation | None:
    state = entry_state(entry)
    if state is None:
        return None
    if state == "reviewed":
        provenance = "reviewed"
    elif state == "machine":
        provenance = _provenance(entry, MACHINE_PREFIX) or ""
    else:
        memory = _provenance(entry, MEMORY_PREFIX)
        provenance = "memory: " + memory if memory is not None else "fuzzy"
    return Translation(entry.msgstr, state, provenance)


_INDEX_ATTR = "_tilmash_index"


def _index(po: polib.POFile) -> dict[str, list[polib.POEntry]]:
    """msgid → live entries, cached on *po* and rebuilt when its length changes."""
    cached = getattr(po, _INDEX_ATTR, None)
    if cached is not None and cached[0] == len(po):
        return cached[1]
    index: dict[str, list[polib.POEntry]] = {}
    for entry in po:
        if not entry.obsolete:
            index.setdefault(entry.msgid, []).append(entry)
    setattr(po, _INDEX_ATTR, (len(po), index))
    return index


def _live_entries(po: polib.POFile, source: str) -> list[polib.POEntry]:
    def live() -> list[polib.POEntry]:
        return [e for e in _index(po).get(source, []) if e.msgid == source and not e.obsolete]

    found = live()
    if not found:  # maybe an entry was edited in place since the index was built
        setattr(po, _INDEX_ATTR, None)
        found = live()
    return found


def _pick(
    entries: list[polib.POEntry], document: str | None, line: int | None
) -> polib.POEntry | None:
    if not entries:
        return None
    if len(entries) == 1 or line is None:
        return next((e for e in entries if e.msgctxt is None), entries[0])
    for entry in entries:
        for ref_doc, ref_line in entry.occurrences:
            if ref_line == str(line) and (document is None or ref_doc == document):
                return entry
    return next((e for e in entries if e.msgctxt is None), entries[0])


def lookup(
    po: polib.POFile, source: str, *, document: str | None = None, line: int | None = None
) -> Translation | None:
    """The catalogue's translation of *source* (None: not there or untranslated).

    When a reviewer split an entry with ``msgctxt``, *line* (and *document*) pick the
    variant whose ``#:`` reference names that line.
    """
    entry = _pick(_live_entries(po, source), document, line)
    return None if entry is None else _translation(entry)


def match_newlines(source: str, text: str) -> str:
    """msgfmt -c wants msgid and msgstr to agree on a leading and a trailing newline."""
    body = text.strip("\n")
    if not body:
        return text
    if source.startswith("\n"):
        body = "\n" + body
    if source.endswith("\n"):
        body += "\n"
    return body


def set_machine(
    po: polib.POFile,
    source: str,
    text: str,
    provenance: str,
    *,
    document: str | None = None,
    line: int | None = None,
) -> bool:
    """Store a machine translation of *source*, fuzzy, with ``#. machine: <provenance>``.

    Fills only untranslated entries: reviewed translations, earlier machine output and
    memory suggestions are left alone.  Returns whether an entry was filled.  Raises
    KeyError when *source* has no live entry (sync the catalogue first).
    """
    import unicodedata

    entries = _live_entries(po, source)
    if not entries:
        raise KeyError(source)
    if line is not None and len(entries) > 1:
        picked = _pick(entries, document, line)
        entries = [picked] if picked is not None else []
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return False
    filled = False
    for entry in entries:
        if entry.msgid_plural or entry.msgstr:
            continue
        entry.msgstr = match_newlines(source, text)
        entry.fuzzy = True
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        lines = [ln for ln in entry.comment.split("\n") if ln and not ln.startswith(_PROVENANCE)]
        lines.append(MACHINE_PREFIX + provenance.replace("\n", " "))
        entry.comment = "\n".join(lines)
        filled = True
    return filled


# --------------------------------------------------------------------------- memory


def _grams(text: str) -> set[str]:
    padded = f"\x02{text.lower()}\x03"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass
class _Unit:
    entry: polib.POEntry
    origin: str
    reviewed: bool


class TranslationMemory:
    """Translated entries of some catalogues, searchable by fuzzy source similarity.

    Similarity is :class:`difflib.SequenceMatcher` ratio on characters (``autojunk`` off,
    so long paragraphs compare fairly).  A character-trigram index and a length window
    pick at most *candidates* entries to score, so a memory of thousands of entries
    answers in milliseconds.  At equal similarity a reviewed translation wins over a
    fuzzy one.  Plural and untranslated entries are not indexed.
    """

    def __init__(self, catalogs: Iterable[polib.POFile] = (), *, candidates: int = 40) -> None:
        self.candidates = candidates
        self._units: list[_Unit] = []
        self._exact: dict[str, list[int]] = {}
        self._postings: dict[str, list[int]] = {}
        for po in catalogs:
            origin = Path(po.fpath).name if getattr(po, "fpath", None) else ""
            for entry in po:
                self.add(entry, origin)

    def __len__(self) -> int:
        return len(self._units)

    def add(self, entry: polib.POEntry, origin: str = "") -> None:
        """Index one entry (ignored unless it has a singular, non-empty translation)."""
        if entry.msgid_plural or not entry.msgstr or not entry.msgid:
            return
        uid = len(self._units)
        self._units.append(_Unit(entry, origin, _is_reviewed(entry)))
        self._exact.setdefault(entry.msgid, []).append(uid)
        for gram in _grams(entry.msgid):
            self._postings.setdefault(gram, []).append(uid)

    def _better(self, uid: int, ratio: float, best: tuple[int, float] | None) -> bool:
        if best is None:
            return True
        if ratio != best[1]:
            return ratio > best[1]
        return self._units[uid].reviewed and not self._units[best[0]].reviewed

    def _match(self, source: str, threshold: float) -> tuple[_Unit, float] | None:
        """The best unit with similarity ≥ *threshold*, with its ratio."""
        best: tuple[int, float] | None = None
        for uid in self._exact.get(source, []):
            if self._better(uid, 1.0, best):
                best = (uid, 1.0)
        if best is not None:
            return self._units[best[0]], 1.0
        if not self._units or not source:
            return None
        threshold = min(max(threshold, 0.0), 1.0)
        length = len(source)
        # ratio = 2M/(a+b) <= 2*min(a,b)/(a+b): outside this window no match can reach it
        low = length * threshold / (2 - threshold)
        high = length * (2 - threshold) / threshold if threshold > 0 else float("inf")
        counts: Counter[int] = Counter()
        for gram in _grams(source):
            postings = self._postings.get(gram)
            if postings:
                counts.update(postings)
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(source)
        scored = 0
        for uid, _shared in counts.most_common():
            msgid = self._units[uid].entry.msgid
            if not low <= len(msgid) <= high:
                continue
            scored += 1
            if scored > self.candidates:
                break
            matcher.set_seq1(msgid)
            floor = max(threshold, best[1] if best else 0.0)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold and self._better(uid, ratio, best):
                best = (uid, ratio)
        if best is None:
            return None
        return self._units[best[0]], best[1]

    def best(self, source: str, threshold: float = 0.75) -> tuple[polib.POEntry, float] | None:
        """The most similar translated entry (ratio ≥ *threshold*) and its ratio."""
        found = self._match(source, threshold)
        return None if found is None else (found[0].entry, found[1])


def memory_for(
    locales: str | Path, lang: str, *, exclude: Iterable[str | Path] = ()
) -> TranslationMemory:
    """A :class:`TranslationMemory` of every catalogue of *lang* under *locales*."""
    folder = Path(locales) / gettext_language(lang) / "LC_MESSAGES"
    skip = {Path(p).resolve() for p in exclude}
    catalogs = [
        read_catalog(p)
        for p in sorted(folder.glob("*.po"))
        if p.is_file() and p.resolve() not in skip
    ]
    return TranslationMemory(catalogs)


# --------------------------------------------------------------------------- sync


def _copy_entry(entry: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
        msgctxt=entry.msgctxt,
        obsolete=bool(entry.obsolete),
        encoding="utf-8",
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=list(entry.occurrences),
        flags=list(entry.flags),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        linenum=entry.linenum,
    )


def _provenance_lines(entry: polib.POEntry) -> list[str]:
    return [ln for ln in entry.comment.split("\n") if ln.startswith(_PROVENANCE)]


def _segment_comment(refs: list[SegmentRef], keep: list[str]) -> str:
    lines: list[str] = []
    for ref in refs:
        context = " ".join((ref.context or "").split())
        if context and context not in lines:
            lines.append(context)
    terms: list[str] = []
    for ref in refs:
        for term in ref.terms:
            term = " ".join(term.split())
            if term and term not in terms:
                terms.append(term)
    if terms:
        lines.append(_GLOSSARY_PREFIX + ", ".join(terms))
    return "\n".join(lines + keep)


_Placed = list[tuple[int, SegmentRef]]


def _assign(variants: list[polib.POEntry], refs: _Placed) -> dict[int, _Placed]:
    """Which variant (index into *variants*) each occurrence of one text belongs to.

    Live variants are preferred to obsolete ones; among several (a reviewer split the
    entry with msgctxt), an occurrence goes to the variant whose ``#:`` reference names
    its line, else to the one with the nearest reference line, else to the variant
    without msgctxt.
    """
    live = [i for i, e in enumerate(variants) if not e.obsolete]
    pool = live or list(range(len(variants)))
    default = next((i for i in pool if variants[i].msgctxt is None), pool[0])
    result: dict[int, _Placed] = {}
    for position, ref in refs:
        chosen = default
        if len(pool) > 1:
            where = (ref.document, str(ref.line))
            exact = [i for i in pool if where in variants[i].occurrences]
            if exact:
                chosen = exact[0]
            else:
                nearest: tuple[int, int] | None = None
                for i in pool:
                    for doc, num in variants[i].occurrences:
                        if doc == ref.document and num.isdigit():
                            distance = abs(int(num) - ref.line)
                            if nearest is None or distance < nearest[0]:
                                nearest = (distance, i)
                if nearest is not None:
                    chosen = nearest[1]
        result.setdefault(chosen, []).append((position, ref))
    return result


def _place(entry: polib.POEntry, refs: _Placed) -> None:
    only = [ref for _, ref in refs]
    entry.occurrences = [(ref.document, str(ref.line)) for ref in only]
    entry.comment = _segment_comment(only, _provenance_lines(entry))


def sync_catalog(
    po: polib.POFile | None,
    segments: Sequence[SegmentRef],
    lang: str,
    *,
    memory: TranslationMemory | None = None,
    threshold: float = 0.75,
    document: str | None = None,
) -> SyncResult:
    """Bring a catalogue in line with a document's segments, like ``msgmerge``.

    Returns a new catalogue (*po* is not modified): live entries in document order, then
    obsolete ones.  Exact entries keep their translation and state; a revived obsolete
    entry gets its translation and state back; a new text gets the most similar
    translation (≥ *threshold*) from this catalogue (obsolete entries included) or from
    *memory* as a fuzzy suggestion with ``#| msgid`` = the matched text; a text no
    longer in the document becomes obsolete.  Reviewed translations are never dropped.
    *document* names the catalogue when *po* is None (default: the first segment's).
    """
    if po is None:
        out = new_catalog(lang, document or (segments[0].document if segments else ""))
    else:
        out = Catalog(fpath=getattr(po, "fpath", None))
        out.header = po.header
        out.metadata = dict(po.metadata)
        out.metadata_is_fuzzy = po.metadata_is_fuzzy
        out.raw_header = getattr(po, "raw_header", None)
    result = SyncResult(catalog=out)

    old_entries = [_copy_entry(e) for e in po] if po is not None else []
    by_msgid: dict[str, list[polib.POEntry]] = {}
    for entry in old_entries:
        by_msgid.setdefault(entry.msgid, []).append(entry)

    groups: dict[str, _Placed] = {}
    for position, seg in enumerate(segments):
        groups.setdefault(seg.source, []).append((position, seg))

    local = TranslationMemory()
    origin = Path(po.fpath).name if po is not None and getattr(po, "fpath", None) else ""
    for entry in old_entries:
        local.add(entry, origin)

    placed: list[tuple[int, polib.POEntry]] = []
    used: set[int] = set()
    for source, refs in groups.items():
        variants = by_msgid.get(source)
        if not variants:
            entry = _suggest(source, local, memory, threshold)
            if entry.msgstr:
                result.fuzzy_matched += 1
            else:
                result.new += 1
            _place(entry, refs)
            placed.append((refs[0][0], entry))
            continue
        for index, assigned in _assign(variants, refs).items():
            entry = variants[index]
            used.add(id(entry))
            if entry.obsolete:
                entry.obsolete = False
                result.revived += 1
            else:
                result.kept += 1
            if not entry.fuzzy:  # a reviewed entry needs no "previous source" any more
                entry.previous_msgctxt = entry.previous_msgid = None
                entry.previous_msgid_plural = None
            _place(entry, assigned)
            placed.append((assigned[0][0], entry))

    placed.sort(key=lambda item: item[0])
    for _, entry in placed:
        out.append(entry)
    for entry in old_entries:
        if id(entry) in used:
            continue
        if not entry.obsolete:
            entry.obsolete = True
            entry.occurrences = []
            entry.comment = "\n".join(_provenance_lines(entry))
            result.obsoleted += 1
        out.append(entry)
    return result


def _suggest(
    source: str,
    local: TranslationMemory,
    memory: TranslationMemory | None,
    threshold: float,
) -> polib.POEntry:
    """A new entry for *source*: untranslated, or a fuzzy memory suggestion."""
    entry = polib.POEntry(msgid=source, msgstr="", encoding="utf-8")
    best = local._match(source, threshold)
    if memory is not None:
        other = memory._match(source, threshold)
        if other is not None and (best is None or other[1] > best[1]):
            best = other
    if best is None:
        return entry
    unit, ratio = best
    entry.msgstr = match_newlines(source, unit.entry.msgstr)
    entry.flags = ["fuzzy"]
    entry.previous_msgid = unit.entry.msgid
    if unit.entry.msgctxt is not None:
        entry.previous_msgctxt = unit.entry.msgctxt
    state = "reviewed" if unit.reviewed else "unreviewed"
    where = f" in {unit.origin}" if unit.origin else ""
    entry.comment = f"{MEMORY_PREFIX}{int(ratio * 100)}% match, {state}{where}"
    return entry


def template_catalog(
    segments: Sequence[SegmentRef], document: str, *, now: datetime | None = None
) -> Catalog:
    """The ``.pot`` template of a document: every distinct segment text, untranslated."""
    pot = new_catalog("en", document, template=True, now=now)
    out = sync_catalog(pot, segments, "en").catalog
    assert isinstance(out, Catalog)
    return out


# --------------------------------------------------------------------------- stats


def _first_msgstr(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "")
    return entry.msgstr


def catalog_stats(po: polib.POFile) -> dict[str, int]:
    """``translated``, ``fuzzy``, ``untranslated`` as ``msgfmt --statistics`` counts them,
    plus ``obsolete`` (which msgfmt ignores).

    The header is not counted; only ``msgstr[0]`` decides for plural entries; a fuzzy
    entry with an empty translation counts as untranslated.
    """
    stats = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0}
    for entry in po:
        if entry.obsolete:
            stats["obsolete"] += 1
        elif not _first_msgstr(entry):
            stats["untranslated"] += 1
        elif entry.fuzzy:
            stats["fuzzy"] += 1
        else:
            stats["translated"] += 1
    if getattr(po, "raw_header", None) == "" and not po.metadata:
        stats["untranslated"] += 1  # msgfmt counts an empty header entry
    return stats


# --------------------------------------------------------------------------- compile


def _hash_string(data: bytes) -> int:
    """gettext's hashpjw (P. J. Weinberger), 32 bits."""
    hval = 0
    for byte in data:
        if byte == 0:
            break
        hval = ((hval << 4) + byte) & 0xFFFFFFFF
        g = hval & 0xF0000000
        if g:
            hval ^= g >> 24
            hval ^= g
    return hval


def _is_prime(candidate: int) -> bool:
    # gettext's is_prime, quirks included (it is only ever called on odd numbers).
    divn = 3
    sq = divn * divn
    while sq < candidate and candidate % divn != 0:
        divn += 1
        sq += 4 * divn
        divn += 1
    return candidate % divn != 0


def _next_prime(seed: int) -> int:
    seed |= 1
    while not _is_prime(seed):
        seed += 2
    return seed


def _without_pot_date(header: str) -> str:
    """msgfmt (gettext ≥ 0.20) leaves the POT-Creation-Date line out of ``.mo`` files."""
    lines = header.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("POT-Creation-Date:"):
            del lines[i]
            break
    return "\n".join(lines)


def compile_catalog(po: polib.POFile, *, use_fuzzy: bool = False) -> bytes:
    """The ``.mo`` file ``msgfmt`` makes from *po* (``msgfmt --use-fuzzy`` with *use_fuzzy*).

    Untranslated entries (empty ``msgstr[0]``) and obsolete ones are left out, fuzzy ones
    too unless *use_fuzzy*; the header is kept even when fuzzy.  Strings are sorted and
    hashed exactly as msgfmt does, so the bytes are msgfmt's.
    """
    messages: list[tuple[bytes, bytes]] = []
    header = header_msgstr(po) if (po.metadata or getattr(po, "raw_header", None)) else ""
    if header:
        messages.append((b"", _without_pot_date(header).encode("utf-8")))
    for entry in po:
        if entry.obsolete or not _first_msgstr(entry):
            continue
        if entry.fuzzy and not use_fuzzy:
            continue
        key = entry.msgid
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        if entry.msgid_plural:
            key += "\x00" + entry.msgid_plural
            forms = entry.msgstr_plural
            value = "\x00".join(forms.get(i, "") for i in range(max(forms) + 1))
        else:
            value = entry.msgstr
        messages.append((key.encode("utf-8"), value.encode("utf-8")))
    messages.sort(key=lambda m: m[0].split(b"\x00", 1)[0])

    count = len(messages)
    hash_size = _next_prime((count * 4) // 3)
    if hash_size <= 2:
        hash_size = 3
    orig_offset = 28
    trans_offset = orig_offset + 8 * count
    hash_offset = trans_offset + 8 * count
    data_offset = hash_offset + 4 * hash_size

    table = [0] * hash_size
    for number, (key, _) in enumerate(messages):
        hval = _hash_string(key)
        idx = hval % hash_size
        incr = 1 + (hval % (hash_size - 2))
        while table[idx] != 0:
            idx = idx - hash_size + incr if idx >= hash_size - incr else idx + incr
        table[idx] = number + 1

    ids = bytearray()
    strs = bytearray()
    orig: list[int] = []
    trans: list[int] = []
    id_base = data_offset
    for key, _ in messages:
        orig += [len(key), id_base + len(ids)]
        ids += key + b"\x00"
    str_base = data_offset + len(ids)
    for _, value in messages:
        trans += [len(value), str_base + len(strs)]
        strs += value + b"\x00"
    out = bytearray(
        struct.pack("<7I", 0x950412DE, 0, count, orig_offset, trans_offset, hash_size, hash_offset)
    )
    out += struct.pack(f"<{2 * count}I", *orig)
    out += struct.pack(f"<{2 * count}I", *trans)
    out += struct.pack(f"<{hash_size}I", *table)
    out += ids
    out += strs
    return bytes(out)

