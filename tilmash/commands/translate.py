"""``tilmash translate``: localized versions of articles, with catalogues and the glossary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tilmash.commands.options import glossary_option, locales_option
from tilmash.errors import TilmashError

__all__ = ["translate", "run_settings"]


def _langs(value: str) -> list[str]:
    from glossary.langtags import normalize_tag

    out: list[str] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            tag = normalize_tag(part)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--to") from None
        if tag not in out:
            out.append(tag)
    return out


def run_settings(to: str | None, source: str | None, glossaries: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    """(config, targets, source language, glossary) from options, falling back to tilmash.toml."""
    from glossary.langtags import normalize_tag
    from glossary.model import Glossary
    from glossary.yamlformat import load_layers
    from tilmash.config import load_config

    cfg = load_config()
    targets = _langs(to) if to else list(cfg.targets)
    if not targets:
        raise click.UsageError("no target language: pass --to LANGS or set 'targets' in tilmash.toml")
    try:
        src = normalize_tag(source) if source else cfg.source
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from") from None
    files = list(glossaries) or cfg.glossary
    return cfg, targets, src, (load_layers(files) if files else Glossary())


@click.command()
@click.argument("documents", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to", metavar="LANGS", help="Target languages, e.g. ru,kk,kk-Latn "
              "(default: 'targets' in tilmash.toml).")
@click.option("--from", "source", metavar="LANG", help="Source language (default: 'source' in "
              "tilmash.toml, else en).")
@click.option("--engine", type=click.Choice(["argos", "pseudo", "none"]),
              help="Default: argos when a model for the pair (or an English pivot) is installed, "
                   "else none.")
@glossary_option
@locales_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Put the output tree (pattern from tilmash.toml, default out/{lang}/{name}) "
                   "under DIR.")
@click.option("--beam", type=click.IntRange(1, 16),
              help="Beam size for argos (default: argostranslate's, 4).")
@click.option("--draft", is_flag=True,
              help="argos, fastest: beam 1 (unless --beam) and batches of any length; a segment "
                   "may differ from argostranslate's output where two words score nearly the same.")
@click.option("--reviewed-only", is_flag=True,
              help="Use reviewed translations only; leave the rest in the source language.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def translate(documents: tuple[Path, ...], to: str | None, source: str | None, engine: str | None,
              glossaries: tuple[Path, ...], locales: Path | None, out_dir: Path | None,
              beam: int | None, draft: bool, reviewed_only: bool, as_json: bool) -> None:
    """Write a localized version of each DOCUMENT for each target language.

    Reviewed translations come from the catalogues (locales/<lang>/LC_MESSAGES/<doc>.po);
    the rest is machine-translated (and stored there as fuzzy for review), with glossary
    names and terms enforced and numbers, dates and quotes localized. kk-Latn is the kk
    result transliterated with the 2021 alphabet.
    """
    from translate.pipeline import RunOptions, translate_documents

    cfg, targets, src, glossary = run_settings(to, source, glossaries)
    if engine is None and (beam is not None or draft):
        engine = "argos"

    tty = sys.stderr.isatty() and not as_json

    def progress(lang: str, done: int, total: int) -> None:
        if not tty:
            if done == 0:
                click.echo(f"{lang}: translating {total} segments ...", err=True)
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        click.echo(f"\r{lang}: [{bar}] {done}/{total} segments", err=True, nl=done >= total)

    opts = RunOptions(
        source=src,
        targets=targets,
        glossary=glossary,
        locales=locales if locales is not None else cfg.locales,
        output_for=lambda doc, lang: cfg.output_path(doc, lang, out_dir),
        engine=engine,
        beam=beam,
        draft=draft,
        reviewed_only=reviewed_only,
        root=cfg.root,
        notice=lambda message: click.echo(message, err=True),
        progress=progress,
    )
    reports = translate_documents(list(documents), opts)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    for r in reports:
        click.echo(
            f"{r.language}: {r.document} → {r.output}{'' if r.written else ' (unchanged)'}: "
            f"{r.segments} segments: {r.reviewed} reviewed, {r.memory} memory, {r.machine} machine, "
            f"{r.untranslated} untranslated; {r.engine_segments} sent to {r.engine}; "
            f"{r.terms_enforced} terms enforced, {len(r.repairs)} repairs, "
            f"{len(r.warnings)} warnings",
            err=True,
        )
        for line in r.repairs:
            click.echo(f"  repair: {line}", err=True)
        for line in r.warnings:
            click.echo(f"  warning: {line}", err=True)
    if not reports:
        raise TilmashError("nothing translated")
