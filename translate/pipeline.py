"""The translation run: documents → catalogues → engine → glossary → locale → outputs.

:func:`translate_documents` is what ``tilmash translate`` does.  It works in three phases
so that bad input changes nothing:

1. **load**: parse every document, read every catalogue (strictly) and pick the engine for
   each language pair (a missing Argos pair is an error before anything is written);
2. **translate**: for each target language, sync each document's catalogue with its
   segments (like ``msgmerge``); segments with a reviewed translation (or a machine or
   memory one, unless ``reviewed_only``) are reused; all the others of *all* documents go
   to the engine in one batch.  Names and do-not-translate terms are masked before the
   engine and restored in their target form; other glossary terms are checked (and
   forbidden variants replaced) after it; numbers, dates and quotes are localized;
3. **write**: catalogues (locked read-modify-write that only fills untranslated entries,
   so a reviewer's concurrent edits win), templates and localized outputs, atomically and
   only when their bytes change.

``kk-Latn`` is never translated on its own: it is the ``kk`` result transliterated with the
2021 alphabet, glossary ``kk-Latn`` forms taking precedence over the mechanical spelling.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossary.langtags import base_language, script_of
from glossary.model import Glossary
from tilmash.errors import TilmashError

__all__ = [
    "LATIN_KAZAKH",
    "Report",
    "RunOptions",
    "derived_from",
    "make_engine",
    "translate_documents",
    "transliterate_kazakh",
    "update_catalogs",
]

#: the target that is derived from ``kk`` by transliteration, never translated separately
LATIN_KAZAKH = "kk-Latn"


def derived_from(target: str) -> str | None:
    """The language a target is derived from (``kk-Latn`` → ``kk``), or None."""
    if base_language(target) == "kk" and script_of(target) == "Latn":
        return "kk"
    return None


@dataclass
class RunOptions:
    """Everything a run needs besides the documents."""

    source: str
    targets: list[str]
    glossary: Glossary
    locales: Path
    output_for: Callable[[Path, str], Path]
    engine: str | None = None  # argos | pseudo | none | None (auto)
    beam: int | None = None
    #: argos: batches of any length (faster, may differ from argostranslate on near-ties);
    #: the beam is 1 unless *beam* is given
    draft: bool = False
    reviewed_only: bool = False
    root: Path | None = None  # for catalogue references (paths relative to it)
    write_catalogs: bool = True
    notice: Callable[[str], None] = lambda message: None
    #: ``progress(language, done, total)`` in segments, as the engine finishes batches
    progress: Callable[[str, int, int], None] | None = None


@dataclass
class Report:
    """The summary of one document in one language."""

    document: str
    language: str
    output: str
    segments: int = 0
    reviewed: int = 0
    memory: int = 0
    machine: int = 0
    untranslated: int = 0
    engine_segments: int = 0
    terms_enforced: int = 0
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    engine: str = "none"
    written: bool = False
    catalog: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "language": self.language,
            "output": self.output,
            "segments": self.segments,
            "reviewed": self.reviewed,
            "memory": self.memory,
            "machine": self.machine,
            "untranslated": self.untranslated,
            "engine_segments": self.engine_segments,
            "terms_enforced": self.terms_enforced,
            "repairs": list(self.repairs),
            "warnings": list(self.warnings),
            "engine": self.engine,
            "catalog": self.catalog,
            "written": self.written,
        }


# -- engines -----------------------------------------------------------------------------


def make_engine(name: str, *, beam: int | None = None, draft: bool = False) -> Any:
    """An engine by name; ``argos`` imports its heavy modules only when it translates.

    *draft* (argos): greedy decoding unless *beam* is given, and batches of any length.
    """
    from translate.engines import NoneEngine, PseudoEngine

    if name == "pseudo":
        return PseudoEngine()
    if name == "none":
        return NoneEngine()
    if name == "argos":
        from translate.engines.argos import ArgosEngine

        if draft:
            return ArgosEngine(beam_size=beam if beam is not None else 1, exact=False)
        return ArgosEngine(beam_size=beam)
    raise TilmashError(f"unknown engine {name!r} (choose argos, pseudo or none)")


def _argos_available(source: str, target: str) -> bool:
    from translate.models import find_route

    try:
        find_route(base_language(source), base_language(target))
    except TilmashError:
        return False
    return True


def _choose_engines(opts: RunOptions, languages: Sequence[str],
                    missing_model: set[str]) -> dict[str, Any]:
    """The engine for each translated language (one instance per kind, shared).

    Languages that fall back to ``none`` for want of a model are added to *missing_model*.
    """
    made: dict[str, Any] = {}
    chosen: dict[str, Any] = {}
    for lang in languages:
        if opts.engine is not None and (opts.engine != "argos" or not _same_language(opts.source, lang)):
            name = opts.engine
            if name == "argos":
                from translate.models import find_route

                find_route(base_language(opts.source), base_language(lang))  # one-line error
        elif _same_language(opts.source, lang):
            name = "none"
        elif _argos_available(opts.source, lang):
            name = "argos"
        else:
            name = "none"
            missing_model.add(lang)
        if name not in made:
            made[name] = make_engine(name, beam=opts.beam, draft=opts.draft)
        chosen[lang] = made[name]
    return chosen


def _same_language(a: str, b: str) -> bool:
    return a.lower() == b.lower()


# -- kk-Latn -----------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def transliterate_kazakh(text: str, matcher: Any | None) -> str:
    """Kazakh Cyrillic → Latin (2021), glossary ``kk-Latn`` forms winning over the rules.

    *matcher* is a :class:`translate.terms.TermMatcher` over ``kk`` terms.  Where the
    mechanical transliteration of a matched term is not one of its concept's ``kk-Latn``
    terms (an established spelling such as *Oyan, Qazaqstan!*), the glossary's form is
    written instead — the one aligned with the matched ``kk`` term (``Тоқаев`` →
    ``Toqaev``, not the full name) — with the text's capitalization and its case/plural
    suffix transliterated.
    """
    from glossary.translit import transliterate
    from translate.terms import inflect_like

    if not _CYRILLIC.search(text):
        return text
    out: list[str] = []
    pos = 0
    for m in matcher.match(text) if matcher is not None else []:
        mechanical_term = transliterate(m.term.text, "kk-latn-2021")
        latin = [t for t in m.concept.terms.get(LATIN_KAZAKH, []) if t.usable]
        form = _aligned_latin(m, latin) if latin else None
        if form is None or form.casefold() == mechanical_term.casefold():
            continue  # the rules already give the glossary's spelling
        surface = text[m.start : m.end]
        inflected = inflect_like(m, form)
        if inflected is None:
            inflected = form + transliterate(m.suffix, "kk-latn-2021")
        out.append(transliterate(text[pos : m.start], "kk-latn-2021"))
        out.append(_match_case(inflected, surface, transliterate(surface, "kk-latn-2021")))
        pos = m.end
    out.append(transliterate(text[pos:], "kk-latn-2021"))
    return "".join(out)


def _aligned_latin(m: Any, latin: list[Any]) -> str | None:
    """The ``kk-Latn`` term that corresponds to the matched ``kk`` term."""
    cyrillic = [t for t in m.concept.terms.get("kk", []) if t.usable]
    if m.term is m.concept.preferred("kk"):
        preferred = m.concept.preferred(LATIN_KAZAKH)
        return None if preferred is None else str(preferred.text)
    for i, term in enumerate(cyrillic):
        if term is m.term and i < len(latin):
            return str(latin[i].text)
    return None


def _match_case(form: str, stem: str, mechanical: str) -> str:
    """Carry the text's capitalization (ALL CAPS, or a capital first letter) onto *form*."""
    if len(stem) > 1 and stem.isupper():
        return mechanical  # a headline in capitals: the rules already give İ/I right
    if stem[:1].isupper() and form[:1].islower():
        first = "İ" if form[0] == "i" else ("I" if form[0] == "ı" else form[0].upper())
        return first + form[1:]
    return form


# -- the run -----------------------------------------------------------------------------


@dataclass
class _Doc:
    path: Path
    ref: str  # the path used in catalogue references
    document: Any  # translate.document.Document
    matches: dict[int, list[Any]] = field(default_factory=dict)


@dataclass
class _Job:
    """One document in one translated language."""

    doc: _Doc
    lang: str
    catalog_path: Path
    catalog: Any
    texts: dict[int, str] = field(default_factory=dict)  # segment id → Markdown
    origins: dict[int, str] = field(default_factory=dict)
    machine: dict[str, str] = field(default_factory=dict)  # source → Markdown (new)
    report: Report | None = None
    provenance: str | None = None
    memory: Any = None


def _display(path: Path) -> str:
    """*path* relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _relative(path: Path, root: Path | None) -> str:
    try:
        return os.path.relpath(path.resolve(), (root or Path.cwd()).resolve())
    except ValueError:
        return str(path)


def _load_documents(paths: Sequence[Path], opts: RunOptions) -> list[_Doc]:
    """Parse every document and match the glossary in its segments (before any write)."""
    from translate.document import load_document

    stems: dict[str, Path] = {}
    docs: list[_Doc] = []
    for path in paths:
        document = load_document(path, lang=base_language(opts.source))
        stem = path.stem
        if stem in stems and stems[stem].resolve() != path.resolve():
            raise TilmashError(
                f"{path}: same name as {stems[stem]}; their catalogues would collide "
                f"(locales/<lang>/LC_MESSAGES/{stem}.po): rename one"
            )
        stems[stem] = path
        docs.append(_Doc(path, _relative(path, opts.root), document))
    source_matcher = _matcher(opts.glossary, opts.source)
    for d in docs:
        for seg in d.document.segments:
            d.matches[seg.id] = source_matcher.match(seg.text) if source_matcher else []
    return docs


def _translated_languages(targets: Sequence[str]) -> list[str]:
    """The languages actually translated, in order: kk-Latn needs kk."""
    languages: list[str] = []
    for target in targets:
        lang = derived_from(target) or target
        if lang not in languages:
            languages.append(lang)
    return languages


def translate_documents(paths: Sequence[Path], opts: RunOptions) -> list[Report]:
    """Translate *paths* into every target language; returns one report per pair."""
    from translate.catalog import catalog_path, read_catalog

    if not opts.targets:
        raise TilmashError("no target language: pass --to LANGS or set 'targets' in tilmash.toml")
    docs = _load_documents(paths, opts)
    translated = _translated_languages(opts.targets)
    missing_model: set[str] = set()
    engines = _choose_engines(opts, translated, missing_model)

    for d in docs:
        for target in opts.targets:
            out = opts.output_for(d.path, target)
            if out.resolve() == d.path.resolve():
                raise TilmashError(f"{out}: the {target} output would overwrite the source document")

    # phase 1: read every catalogue before changing anything
    jobs: dict[str, list[_Job]] = {}
    for lang in translated:
        for d in docs:
            cpath = catalog_path(opts.locales, lang, d.path)
            catalog = read_catalog(cpath) if cpath.exists() else None
            jobs.setdefault(lang, []).append(_Job(d, lang, cpath, catalog))

    # phase 2: translate
    for lang in translated:
        _translate_language(jobs[lang], lang, engines[lang], opts)
        if lang in missing_model and any(j.report and j.report.untranslated for j in jobs[lang]):
            opts.notice(
                f"notice: no Argos model for {base_language(opts.source)}→{base_language(lang)}; "
                "segments without a reviewed translation stay in the source language. Install a "
                "model with 'tilmash models install FILE.argosmodel' (see README: Models)."
            )

    # phase 3: write
    reports: list[Report] = []
    kk_matcher = _matcher(opts.glossary, "kk") if any(map(derived_from, opts.targets)) else None
    for target in opts.targets:
        base = derived_from(target) or target
        for job in jobs[base]:
            reports.append(_write_output(job, target, opts, kk_matcher))
    if opts.write_catalogs:
        _write_catalogs(docs, jobs, opts)
    return reports


def _matcher(glossary: Glossary, lang: str) -> Any | None:
    if not len(glossary):
        return None
    from translate.terms import TermMatcher

    matcher = TermMatcher(glossary, lang)
    return matcher if len(matcher) else None


def _segment_refs(d: _Doc) -> list[Any]:
    from translate.catalog import SegmentRef

    refs = []
    heading: str | None = None
    for seg in d.document.segments:
        terms = []
        for m in d.matches.get(seg.id, []):
            if m.term.text not in terms:
                terms.append(m.term.text)
        context = seg.context
        if seg.context == "heading":
            heading = seg.source
        elif heading is not None and context:
            context = f"{context} under heading: {_shorten(heading)}"
        refs.append(SegmentRef(seg.source, seg.line, d.ref, context, tuple(terms)))
    return refs


def _shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _translate_language(jobs: list[_Job], lang: str, engine: Any, opts: RunOptions) -> None:
    from translate.catalog import lookup, memory_for, sync_catalog
    from translate.document import restore_placeholders
    from translate.terms import check_target, mask, unmask

    same = _same_language(opts.source, lang)
    exclude = [job.catalog_path for job in jobs]
    memory = None if same else memory_for(opts.locales, lang, exclude=exclude)
    pending: dict[str, list[tuple[_Job, Any, Any]]] = {}  # engine text → uses
    for job in jobs:
        d = job.doc
        report = Report(document=str(d.path), language=lang, output="", engine=engine.name,
                        segments=len(d.document.segments))
        job.report = report
        job.memory = memory
        if not same:
            result = sync_catalog(job.catalog, _segment_refs(d), lang, memory=memory,
                                  document=d.ref)
            job.catalog = result.catalog
        for seg in d.document.segments:
            found = None if same else lookup(job.catalog, seg.source, line=seg.line)
            if found is not None and found.state == "reviewed":
                job.texts[seg.id] = found.text
                job.origins[seg.id] = "reviewed"
                report.reviewed += 1
                _check_reviewed(job, seg, found.text, lang, report)
                continue
            if found is not None and not opts.reviewed_only:
                job.texts[seg.id] = found.text
                origin = "machine" if found.state == "machine" else "memory"
                job.origins[seg.id] = origin
                setattr(report, origin, getattr(report, origin) + 1)
                continue
            if found is not None and found.state == "machine":
                # reviewed-only: an existing machine translation is not used, but the
                # engine is not asked again either
                job.origins[seg.id] = "untranslated"
                report.untranslated += 1
                continue
            if engine.name == "none":
                job.origins[seg.id] = "untranslated"
                report.untranslated += 1
                continue
            names = [] if same else [m for m in d.matches.get(seg.id, [])
                                     if m.concept.kind in ("name", "dnt")]
            masked = mask(seg.text, names, lang, segment_id=seg.id)
            pending.setdefault(masked.text, []).append((job, seg, masked))

    if not pending:
        return
    texts = list(pending)
    progress = opts.progress
    if progress is not None:
        progress(lang, 0, len(texts))
    # one call: the engine batches the whole run at once and reports as batches finish
    outputs = engine.translate_batch(
        texts, opts.source, lang,
        progress=None if progress is None else functools.partial(progress, lang))
    provenance = f"{engine.describe(opts.source, lang)}, tilmash {_version()}"
    for text, out in zip(texts, outputs, strict=True):
        uses = pending[text]
        counted: set[int] = set()
        for job, seg, masked in uses:
            report = job.report
            assert report is not None
            if id(job) not in counted:
                report.engine_segments += 1
                counted.add(id(job))
            if out is None:
                job.origins[seg.id] = "untranslated"
                report.untranslated += 1
                continue
            translated, warnings = unmask(out, masked)
            report.warnings += warnings
            terms = [] if same else [m for m in job.doc.matches.get(seg.id, [])
                                     if m.concept.kind not in ("name", "dnt")]
            translated = _replace_untranslated_terms(translated, terms, lang, report)
            if terms:
                enforced = check_target(terms, translated, lang, segment_id=seg.id)
                translated = enforced.text
                report.terms_enforced += enforced.terms_enforced
                report.repairs += [str(r) for r in enforced.repairs]
                report.warnings += enforced.warnings
            report.terms_enforced += len({s.concept_id for s in masked.slots if s.concept_id})
            if not same:
                translated = _localize(translated, opts.source, lang)
            markdown, repairs = restore_placeholders(seg, translated)
            report.repairs += [f"segment {seg.id}: {r}" for r in repairs]
            job.texts[seg.id] = markdown
            job.origins[seg.id] = "machine"
            report.machine += 1
            if not same:
                job.machine.setdefault(seg.source, markdown)
    for job in jobs:
        job.provenance = provenance


def _replace_untranslated_terms(text: str, matches: list[Any], lang: str, report: Report) -> str:
    """An engine that left a glossary term in the source language gets the target term.

    Happens with rare terms (and always with the pseudo engine): the source surface is
    still in the output verbatim, so it is replaced by the target's preferred form.
    """
    for m in matches:
        preferred = m.concept.preferred(lang)
        if preferred is None or m.surface == preferred.text or m.surface not in text:
            continue
        if m.concept.preferred(lang) and preferred.text in text:
            continue
        text = text.replace(m.surface, preferred.text, 1)
        report.repairs.append(
            f"glossary term {m.surface!r} ({m.concept.id}) was left untranslated; "
            f"replaced by {preferred.text!r}"
        )
    return text


def _check_reviewed(job: _Job, seg: Any, text: str, lang: str, report: Report) -> None:
    """Reviewed translations are final: glossary problems are reported, never fixed."""
    from translate.terms import check_target

    terms = [m for m in job.doc.matches.get(seg.id, []) if m.concept.preferred(lang) is not None]
    if not terms:
        return
    result = check_target(terms, text, lang, segment_id=seg.id)
    report.terms_enforced += result.terms_enforced
    for repair in result.repairs:
        report.warnings.append(f"segment {seg.id} (reviewed): {repair} — not changed; fix the catalogue")
    report.warnings += [w for w in result.warnings]


def _localize(text: str, source: str, target: str) -> str:
    from translate.localize import localize_text

    try:
        localized, _ = localize_text(text, source, target)
    except TilmashError:
        return text  # no CLDR locale for this target: leave the text as it is
    return localized


def _version() -> str:
    from tilmash import __version__

    return __version__


def _splice(document: Any, texts: dict[int, str]) -> str:
    """The document with each segment's source replaced by its Markdown translation."""
    out: list[str] = []
    pos = 0
    for seg in document.segments:
        out.append(document.text[pos : seg.start])
        out.append(texts.get(seg.id, seg.source))
        pos = seg.end
    out.append(document.text[pos:])
    return "".join(out)


def _write_output(job: _Job, target: str, opts: RunOptions, kk_matcher: Any | None) -> Report:
    from tilmash.fileio import write_if_changed

    base = job.report
    assert base is not None
    report = Report(**{**base.__dict__, "repairs": list(base.repairs),
                       "warnings": list(base.warnings)})
    report.language = target
    texts = job.texts
    if derived_from(target):
        texts = {sid: transliterate_kazakh(t, kk_matcher) for sid, t in texts.items()}
    rendered = _splice(job.doc.document, texts)
    out = opts.output_for(job.doc.path, target)
    report.output = _display(out)
    report.catalog = None if _same_language(opts.source, job.lang) else _display(job.catalog_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    report.written = write_if_changed(out, rendered)
    return report


def _write_catalogs(docs: list[_Doc], jobs: dict[str, list[_Job]], opts: RunOptions) -> None:
    from translate.catalog import template_catalog, template_path, write_catalog

    for d in docs:
        write_catalog(template_path(opts.locales, d.path), template_catalog(_segment_refs(d), d.ref))
    for lang, lang_jobs in jobs.items():
        if _same_language(opts.source, lang):
            continue
        for job in lang_jobs:
            _save_catalog(job, lang, opts)


def _save_catalog(job: _Job, lang: str, opts: RunOptions) -> None:
    """Locked read-modify-write: re-sync the file as it is now, then fill only untranslated
    entries with this run's machine translations (a reviewer's concurrent edit wins)."""
    from translate.catalog import set_machine, sync_catalog, update_catalog

    refs = _segment_refs(job.doc)

    def change(current: Any) -> Any:
        po = sync_catalog(current, refs, lang, memory=job.memory, document=job.doc.ref).catalog
        for source, text in job.machine.items():
            try:
                set_machine(po, source, text, job.provenance or "unknown engine",
                            document=job.doc.ref)
            except KeyError:
                continue
        return po

    job.catalog_path.parent.mkdir(parents=True, exist_ok=True)
    update_catalog(job.catalog_path, change)


def update_catalogs(paths: Sequence[Path], opts: RunOptions) -> list[tuple[Path, Any]]:
    """``tilmash catalog update``: re-sync catalogues with changed documents, no translation."""
    from translate.catalog import (
        catalog_path,
        memory_for,
        read_catalog,
        sync_catalog,
        template_catalog,
        template_path,
        update_catalog,
        write_catalog,
    )

    docs = _load_documents(paths, opts)
    languages = [lang for lang in _translated_languages(opts.targets)
                 if not _same_language(opts.source, lang)]
    # validate every existing catalogue first
    for lang in languages:
        for d in docs:
            cpath = catalog_path(opts.locales, lang, d.path)
            if cpath.exists():
                read_catalog(cpath)
    results = []
    for d in docs:
        write_catalog(template_path(opts.locales, d.path), template_catalog(_segment_refs(d), d.ref))
        for lang in languages:
            cpath = catalog_path(opts.locales, lang, d.path)
            memory = memory_for(opts.locales, lang, exclude=[cpath])
            holder: dict[str, Any] = {}

            def change(current: Any, d: _Doc = d, lang: str = lang, memory: Any = memory,
                       holder: dict[str, Any] = holder) -> Any:
                result = sync_catalog(current, _segment_refs(d), lang, memory=memory, document=d.ref)
                holder["result"] = result
                return result.catalog

            cpath.parent.mkdir(parents=True, exist_ok=True)
            changed = update_catalog(cpath, change)
            results.append((cpath, holder.get("result"), changed))
    return results
