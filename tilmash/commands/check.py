"""``tilmash check [DOC|PO ...]``: translation QA of documents and catalogues.

* A document (``.md``, ``.txt``): its segments are checked on the source side (spellings
  close to glossary terms), then the translated entries of its catalogues
  (``locales/<lang>/LC_MESSAGES/<stem>.po`` for each ``--lang``, default the configured
  targets, that exists).
* A catalogue (``.po``): its translated entries — reviewed and machine ones; memory
  suggestions and untranslated entries are not translations yet — are checked as pairs
  (source language from tilmash.toml, target from the ``Language`` header).
* Nothing: every catalogue under the configured locales folder (``--lang`` selects).

Findings go to stdout as ``file:line: code: message`` (``--json``: a list of objects with
``file line code severity message msgid``); a catalogue finding names the line of the
entry's ``msgid`` in the ``.po``, a source finding the line in the document.  A summary
goes to stderr.  Exit status: 1 when there are findings, 0 when clean, 2 on bad input
(nothing is printed on stdout then).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.model import Glossary
from tilmash.commands.options import glossary_option
from tilmash.errors import TilmashError

if TYPE_CHECKING:
    from translate.document import Document
    from translate.postrict import Catalog

__all__ = ["check", "lang_options", "load_glossary_option", "markup_of"]


def load_glossary_option(files: tuple[Path, ...], configured: list[Path]) -> Glossary:
    """The layered glossary of *files* (else the configured ones); empty when there are none."""
    from glossary.yamlformat import load_layers

    paths = list(files) or configured
    if not paths:
        click.echo(
            "no glossary (tilmash.toml 'glossary' or --glossary): term checks skipped", err=True
        )
        return Glossary()
    return load_layers(paths)


def markup_of(entry: object) -> str:
    """``text`` when every reference of a catalogue entry names a plain-text document."""
    from translate.document import format_for_path

    refs = [ref for ref, _ in getattr(entry, "occurrences", [])]
    if refs and all(format_for_path(ref) == "text" for ref in refs):
        return "text"
    return "markdown"


@dataclass
class _Job:
    kind: str  # "po" or "doc"
    path: Path
    shown: str
    lang: str | None = None  # the target language of a catalogue, when known
    catalogs: list[tuple[Path, str]] = field(default_factory=list)  # a document's (po, lang)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def lang_options(values: tuple[str, ...]) -> list[str]:
    """``--lang`` values as normalized BCP 47 tags (a bad one is a usage error)."""
    from glossary.langtags import normalize_tag

    out = []
    for value in values:
        try:
            out.append(normalize_tag(value))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--lang") from None
    return out


@click.command("check")
@click.argument(
    "paths",
    nargs=-1,
    metavar="[DOC|PO]...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
@glossary_option
@click.option(
    "--lang",
    "langs",
    multiple=True,
    metavar="L",
    help="Target language(s) whose catalogues to check (default: tilmash.toml targets).",
)
def check(
    paths: tuple[Path, ...], as_json: bool, glossaries: tuple[Path, ...], langs: tuple[str, ...]
) -> None:
    """Check translations (glossary terms, numbers, markup) and source spellings.

    DOC is a .md or .txt document (its source and its catalogues), PO a catalogue.
    Without arguments: every catalogue under the locales folder.  Exit status 1 when
    something is found.
    """
    from tilmash.commands.catalog import (
        catalog_language,
        display_path,
        entry_line,
        find_catalogs,
    )
    from tilmash.config import load_config
    from tilmash.fileio import read_text
    from translate.catalog import catalog_path, entry_state
    from translate.document import format_for_path, load_document
    from translate.postrict import parse_po
    from translate.qa import Finding, Matchers, check_pair, check_source

    cfg = load_config()
    targets = lang_options(langs)

    jobs: list[_Job] = []
    if not paths:
        for po in find_catalogs(cfg.locales):
            jobs.append(_Job("po", po, display_path(po)))
        if not jobs:
            click.echo(
                f"nothing to check: no catalogues under {display_path(cfg.locales)}", err=True
            )
    for path in paths:
        if path.suffix.lower() == ".po":
            jobs.append(_Job("po", path, str(path)))
        elif format_for_path(path) is not None:
            job = _Job("doc", path, str(path))
            for lang in targets or cfg.targets:
                po = catalog_path(cfg.locales, lang, path)
                if po.is_file():
                    job.catalogs.append((po, lang))
                elif targets:  # asked for explicitly
                    click.echo(f"{path}: no {lang} catalogue ({display_path(po)})", err=True)
            jobs.append(job)
        else:
            raise TilmashError(
                f"{path}: not a document (.md, .txt) or a catalogue (.po); nothing checked"
            )

    # Read everything first: bad input stops the run before any output.
    documents: dict[Path, Document] = {}
    catalogues: dict[Path, tuple[Catalog, list[str], str, str]] = {}

    def add_catalogue(po_path: Path, shown: str, lang: str | None) -> None:
        key = po_path.resolve()
        if key in catalogues:
            return
        text = read_text(po_path)
        po = parse_po(text, po_path)
        target = lang or catalog_language(po, po_path, targets)
        catalogues[key] = (po, text.split("\n"), target, shown)

    for job in jobs:
        if job.kind == "doc":
            documents[job.path] = load_document(job.path, lang=cfg.source)
            for po_path, lang in job.catalogs:
                add_catalogue(po_path, display_path(po_path), lang)
        else:
            add_catalogue(job.path, job.shown, None)
    if not paths and targets:
        wanted = set(targets)
        catalogues = {k: v for k, v in catalogues.items() if v[2] in wanted}

    glossary = load_glossary_option(glossaries, cfg.glossary)
    matchers = Matchers(glossary)
    findings: list[Finding] = []

    segments = 0
    for job in jobs:
        if job.kind != "doc":
            continue
        doc = documents[job.path]
        for seg in doc.segments:
            segments += 1
            findings += check_source(
                seg.source, cfg.source, glossary, matchers=matchers, file=job.shown, line=seg.line
            )

    pairs = 0
    for po, lines, target, shown in catalogues.values():
        for entry in po:
            if entry.obsolete or entry_state(entry) not in ("reviewed", "machine"):
                continue
            pairs += 1
            findings += check_pair(
                entry.msgid,
                entry.msgstr,
                cfg.source,
                target,
                glossary,
                matchers=matchers,
                markup=markup_of(entry),
                file=shown,
                line=entry_line(lines, entry),
            )

    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
    summary = f"checked {_count(pairs, 'translation')} in {_count(len(catalogues), 'catalogue')}"
    if documents:
        summary += (
            f" and {_count(segments, 'source segment')} in {_count(len(documents), 'document')}"
        )
    click.echo(
        f"{summary}: {_count(len(findings), 'finding') if findings else 'no findings'}", err=True
    )
    if findings:
        click.get_current_context().exit(1)
