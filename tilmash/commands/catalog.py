"""``tilmash catalog``: statistics and ``.mo`` compilation of gettext catalogues.

``tilmash catalog stats [PO...]`` counts entries as ``msgfmt --statistics`` does (plus
obsolete ones); ``tilmash catalog compile [PO...]`` writes ``<name>.mo`` beside each
``.po``, byte for byte what ``msgfmt`` writes.  Without PO arguments both work on every
catalogue under the configured locales folder.  Every file is read (and compiled) before
anything is printed or written, so a broken catalogue stops the run with
``file:line: message`` (exit 2) and nothing written.

The helpers :func:`find_catalogs`, :func:`display_path` and :func:`catalog_language` are
shared with ``tilmash check`` and ``tilmash review``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import click

from tilmash.commands.options import glossary_option, locales_option
from tilmash.errors import TilmashError

__all__ = [
    "catalog",
    "catalog_language",
    "display_path",
    "entry_line",
    "find_catalogs",
    "tag_from_gettext",
]

_MODIFIER_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab"}
_MSGID = re.compile(r"[ \t]*(?:#~[ \t]*)?msgid[ \t\"]")


def display_path(path: Path) -> str:
    """*path* relative to the current folder when it is under it, else as it is."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_catalogs(locales: Path) -> list[Path]:
    """Every ``.po`` file under *locales* (``<lang>/LC_MESSAGES/<name>.po``), sorted."""
    if not locales.is_dir():
        return []
    return sorted(p for p in locales.rglob("*.po") if p.is_file())


def entry_line(lines: Sequence[str], entry: object) -> int:
    """The 1-based line of *entry*'s ``msgid`` keyword in the catalogue's *lines*
    (``entry.linenum`` is where the entry's comments start)."""
    start = int(getattr(entry, "linenum", 1) or 1)
    for number in range(start - 1, len(lines)):
        if _MSGID.match(lines[number]):
            return number + 1
    return start


def tag_from_gettext(name: str) -> str:
    """gettext locale name → BCP 47: ``kk@latin`` → ``kk-Latn``, ``ru_RU`` → ``ru-RU``.

    Raises ValueError for a name that is not a valid language.
    """
    from glossary.langtags import normalize_tag

    name = name.strip()
    base, _, modifier = name.partition("@")
    base = base.split(".", 1)[0]  # ru_RU.UTF-8
    parts = base.replace("-", "_").split("_")
    tag = parts[0]
    script = _MODIFIER_SCRIPTS.get(modifier.lower())
    if script is not None:
        tag += "-" + script
    for part in parts[1:]:
        tag += "-" + part
    return normalize_tag(tag)


def catalog_language(po: object, path: Path, fallback: Sequence[str] = ()) -> str:
    """The BCP 47 language of a catalogue: its ``Language`` header, else the folder name
    (``locales/<lang>/LC_MESSAGES``), else the only *fallback*; otherwise a one-line error."""
    metadata = getattr(po, "metadata", {}) or {}
    header = str(metadata.get("Language", "")).strip()
    if header:
        try:
            return tag_from_gettext(header)
        except ValueError:
            raise TilmashError(
                f"{path}: Language header {header!r} is not a language tag"
            ) from None
    if path.parent.name == "LC_MESSAGES":
        try:
            return tag_from_gettext(path.parent.parent.name)
        except ValueError:
            pass
    if len(fallback) == 1:
        return fallback[0]
    raise TilmashError(f"{path}: no Language header; pass --lang")


def _inputs(pos: tuple[Path, ...]) -> list[Path]:
    if pos:
        return list(pos)
    from tilmash.config import load_config

    cfg = load_config()
    found = find_catalogs(cfg.locales)
    if not found:
        click.echo(f"no catalogues under {display_path(cfg.locales)}", err=True)
    return found


po_arguments = click.argument(
    "pos", nargs=-1, metavar="[PO]...", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@click.group("catalog")
def catalog() -> None:
    """Statistics and .mo compilation of gettext catalogues.

    Without PO arguments, every catalogue under the locales folder of tilmash.toml.
    """


@catalog.command("stats", short_help="Count entries as msgfmt --statistics does.")
@po_arguments
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list on stdout.")
def stats(pos: tuple[Path, ...], as_json: bool) -> None:
    """Count translated, fuzzy, untranslated and obsolete entries (as msgfmt --statistics)."""
    from translate.catalog import catalog_stats, read_catalog

    rows = []
    for path in _inputs(pos):
        counts = catalog_stats(read_catalog(path))
        rows.append({"file": display_path(path) if not pos else str(path), **counts})
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['file']}: {row['translated']} translated, {row['fuzzy']} fuzzy, "
            f"{row['untranslated']} untranslated, {row['obsolete']} obsolete"
        )


@catalog.command("compile", short_help="Write .mo files beside the .po files.")
@po_arguments
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy (unreviewed) translations.")
def compile_(pos: tuple[Path, ...], use_fuzzy: bool) -> None:
    """Write <name>.mo beside each <name>.po (only when its bytes change)."""
    from tilmash.fileio import write_if_changed
    from translate.catalog import compile_catalog, read_catalog

    paths = _inputs(pos)
    compiled = [
        (path.with_suffix(".mo"), compile_catalog(read_catalog(path), use_fuzzy=use_fuzzy))
        for path in paths
    ]
    for target, data in compiled:
        try:
            changed = write_if_changed(target, data)
        except OSError as exc:
            raise TilmashError(f"{target}: cannot write: {exc.strerror}") from None
        shown = display_path(target) if not pos else str(target)
        click.echo(f"{'updated' if changed else 'unchanged'} {shown}", err=True)


@catalog.command("update", short_help="Re-sync catalogues with changed documents, no translation.")
@click.argument("documents", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to", metavar="LANGS", help="Languages (default: 'targets' in tilmash.toml).")
@click.option("--from", "source", metavar="LANG", help="Source language (default: from tilmash.toml).")
@glossary_option
@locales_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list on stdout.")
def update(documents: tuple[Path, ...], to: str | None, source: str | None,
           glossaries: tuple[Path, ...], locales: Path | None, as_json: bool) -> None:
    """Bring each DOCUMENT's catalogues in line with it, like msgmerge.

    Changed segments get the closest earlier translation as a fuzzy suggestion (with the
    previous source as #| msgid); removed ones become obsolete (#~); nothing is translated.
    """
    import json

    from tilmash.commands.translate import run_settings
    from translate.pipeline import RunOptions, update_catalogs

    cfg, targets, src, glossary = run_settings(to, source, glossaries)
    opts = RunOptions(
        source=src, targets=targets, glossary=glossary,
        locales=locales if locales is not None else cfg.locales,
        output_for=lambda doc, lang: cfg.output_path(doc, lang), root=cfg.root,
    )
    rows = []
    for path, result, changed in update_catalogs(list(documents), opts):
        row = {"file": display_path(path), "changed": changed}
        if result is not None:
            row.update(kept=result.kept, fuzzy_matched=result.fuzzy_matched, new=result.new,
                       obsoleted=result.obsoleted, revived=result.revived)
        rows.append(row)
        click.echo(
            f"{'updated' if changed else 'unchanged'} {row['file']}: "
            + ", ".join(f"{row[k]} {k.replace('_', ' ')}" for k in
                        ("kept", "fuzzy_matched", "new", "obsoleted", "revived") if k in row),
            err=True)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
