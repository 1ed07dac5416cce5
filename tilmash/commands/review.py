"""``tilmash review [PO]``: review machine translations and suggestions in the terminal.

For each fuzzy entry (with ``--all``, every translated one) the reviewer sees the source,
the previous source of a memory suggestion as a word diff (``[-removed-]{+added+}``), the
current translation, the glossary terms of the segment with their target forms and the QA
findings (:mod:`translate.qa`), and answers::

    [a]ccept  [e]dit  [i]nline edit  [s]kip  [q]uit

*accept* removes ``#, fuzzy`` and the ``#|`` previous-source lines; *edit* opens
``$VISUAL``/``$EDITOR`` on the translation and *inline edit* asks for it on the prompt (Enter
keeps it); both then mark the entry reviewed.  Every decision is saved at once through the
catalogue's locked read-modify-write, applied to the entry as it is in the file at that
moment: other entries changed meanwhile (another reviewer, ``tilmash translate``) are
kept; if the translation itself changed since it was shown, an *accept* shows the new text
instead of accepting it, and an edit replaces it with a note.

Without PO, every catalogue under the configured locales folder (``--lang``: of those
languages) that has something to review, one after another.  Input may come from a pipe.
The summary (``accepted 2, edited 1, skipped 3``) goes to stderr.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.model import Glossary
from tilmash.commands.options import glossary_option
from tilmash.errors import TilmashError

if TYPE_CHECKING:
    import polib

    from translate.postrict import Catalog
    from translate.qa import Matchers

__all__ = ["review", "word_diff"]

_CHOICES = "[a]ccept  [e]dit  [i]nline edit  [s]kip  [q]uit"
_DIFF_TOKEN = re.compile(r"\s+|\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)*|.", re.DOTALL)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _style(text: str, **kwargs: object) -> str:
    return click.style(text, **kwargs) if _color() else text  # type: ignore[arg-type]


def word_diff(old: str, new: str) -> str:
    """*new* with the differences from *old* marked as ``[-removed-]`` and ``{+added+}``."""
    a = _DIFF_TOKEN.findall(old)
    b = _DIFF_TOKEN.findall(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append(_style("[-" + "".join(a[i1:i2]) + "-]", fg="red"))
        if op in ("insert", "replace"):
            out.append(_style("{+" + "".join(b[j1:j2]) + "+}", fg="green"))
    return "".join(out)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.split("\n"))


def _pending(entry: polib.POEntry, review_all: bool) -> bool:
    if entry.obsolete or entry.msgid_plural or entry.msgid == "":
        return False
    if entry.fuzzy:
        return True
    return review_all and bool(entry.msgstr)


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _find(po: polib.POFile, key: tuple[str | None, str]) -> polib.POEntry | None:
    for entry in po:
        if not entry.obsolete and _key(entry) == key:
            return entry
    return None


def _provenance(entry: polib.POEntry) -> str:
    for line in entry.comment.split("\n"):
        if line.startswith(("machine: ", "memory: ")):
            return line
    return "fuzzy" if entry.fuzzy else "reviewed"


@dataclass
class _Tally:
    accepted: int = 0
    edited: int = 0
    skipped: int = 0
    changed: set[Path] = field(default_factory=set)


class _Quit(Exception):
    """The reviewer chose quit (or input ended)."""


class _Catalogues:
    """Catalogues re-read whenever their file changes on disk."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple[int, int], Catalog]] = {}

    def get(self, path: Path) -> Catalog:
        from translate.postrict import read_catalog

        try:
            st = path.stat()
        except FileNotFoundError:
            raise TilmashError(f"{path}: removed while reviewing") from None
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        po = read_catalog(path)
        self._cache[path] = (stamp, po)
        return po


@dataclass
class _Context:
    source_lang: str
    target_lang: str
    glossary: Glossary
    matchers: Matchers


def _show(entry: polib.POEntry, shown: str, line: int, position: str, ctx: _Context) -> None:
    from tilmash.commands.check import markup_of
    from translate.qa import check_pair, find_source_terms

    echo = click.echo
    echo("")
    echo(_style(f"── {shown}:{line}  [{position}]  {_provenance(entry)}", bold=True))
    echo("source:")
    echo(_indent(entry.msgid))
    if entry.previous_msgid is not None and entry.previous_msgid != entry.msgid:
        echo("previous source (changes to reach the current one):")
        echo(_indent(word_diff(entry.previous_msgid, entry.msgid)))
    echo(f"translation ({ctx.target_lang}):")
    echo(_indent(entry.msgstr) if entry.msgstr else "    (empty)")
    target = ctx.matchers.lang(ctx.target_lang)
    terms = find_source_terms(entry.msgid, ctx.source_lang, ctx.glossary, matchers=ctx.matchers)
    if terms:
        echo("glossary:")
        for m in terms:
            forms = [t for t in m.concept.terms.get(target, ()) if t.usable]
            avoid = [t for t in m.concept.terms.get(target, ()) if not t.usable]
            if forms:
                right = ", ".join(t.text for t in forms)
            elif m.concept.kind == "dnt":
                right = f"{m.surface} (do not translate)"
            else:
                right = f"(no {target} term)"
            extra = f"  (not: {', '.join(t.text for t in avoid)})" if avoid else ""
            echo(f"    {m.surface} → {right}{extra}  [{m.concept.id}]")
    if entry.msgstr:
        findings = check_pair(
            entry.msgid,
            entry.msgstr,
            ctx.source_lang,
            ctx.target_lang,
            ctx.glossary,
            matchers=ctx.matchers,
            markup=markup_of(entry),
        )
        if findings:
            echo("checks:")
            for finding in findings:
                echo("    " + _style(f"{finding.code}: {finding.message}", fg="yellow"))


def _ask() -> str:
    while True:
        try:
            answer = click.prompt(_CHOICES, default="", show_default=False, prompt_suffix=": ")
        except click.Abort:
            raise _Quit from None
        letter = answer.strip().lower()[:1]
        if letter in ("a", "e", "i", "s", "q"):
            return letter
        if not answer.strip():
            continue
        click.echo("please answer a, e, i, s or q")


def _save(
    path: Path, key: tuple[str | None, str], expected: str, new: str | None
) -> tuple[str, bool]:
    """Mark the entry reviewed (with *new* as its translation when given) in the file.

    Returns (outcome, written); outcome is ``saved``, ``overwrote`` (an edit replaced a
    translation changed meanwhile), ``changed`` (accept refused: the translation is no
    longer the one shown) or ``gone`` (the entry left the catalogue).
    """
    from translate.catalog import update_catalog

    outcome = ["gone"]

    def change(po: Catalog | None) -> polib.POFile:
        if po is None:
            raise TilmashError(f"{path}: removed while reviewing")
        entry = _find(po, key)
        if entry is None:
            return po
        if new is None and entry.msgstr != expected:
            outcome[0] = "changed"
            return po
        outcome[0] = "overwrote" if new is not None and entry.msgstr != expected else "saved"
        if new is not None:
            entry.msgstr = new
        entry.fuzzy = False
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        return po

    written = update_catalog(path, change)
    return outcome[0], written


def _review_entry(
    path: Path,
    shown: str,
    key: tuple[str | None, str],
    position: str,
    catalogues: _Catalogues,
    ctx: _Context,
    review_all: bool,
    tally: _Tally,
) -> None:
    from tilmash.commands.catalog import entry_line
    from tilmash.fileio import read_text

    def fresh() -> polib.POEntry | None:
        entry = _find(catalogues.get(path), key)
        return entry if entry is not None and _pending(entry, review_all) else None

    entry = fresh()
    if entry is None:
        return  # reviewed or removed by someone else meanwhile
    line = entry_line(read_text(path).split("\n"), entry)
    _show(entry, shown, line, position, ctx)
    while True:
        choice = _ask()
        if choice == "q":
            raise _Quit
        if choice == "s":
            tally.skipped += 1
            return
        new: str | None = None
        if choice == "a":
            if not entry.msgstr:
                click.echo("nothing to accept: the translation is empty ([e]dit or [i]nline edit)")
                continue
        elif choice == "e":
            try:
                edited = click.edit(entry.msgstr, require_save=False, extension=".txt")
            except click.ClickException as exc:
                click.echo(f"editor failed: {exc.format_message()}", err=True)
                continue
            text = _clean(entry.msgid, edited or "")
            if not text or text == entry.msgstr:
                click.echo("translation unchanged" if text else "empty translation: not saved")
                continue
            new = text
        else:
            try:
                typed = click.prompt(
                    "new translation (Enter keeps the current one)",
                    default=entry.msgstr,
                    show_default=False,
                )
            except click.Abort:
                raise _Quit from None
            text = _clean(entry.msgid, typed)
            if not text:
                click.echo("empty translation: not saved")
                continue
            new = None if text == entry.msgstr else text
        outcome, written = _save(path, key, entry.msgstr, new)
        if written:
            tally.changed.add(path)
        if outcome == "gone":
            click.echo(f"{shown}: the entry is no longer in the catalogue; nothing saved", err=True)
            return
        if outcome == "changed":
            click.echo("the translation was changed in the file meanwhile; here it is now:")
            entry = fresh()
            if entry is None:
                return
            _show(entry, shown, line, position, ctx)
            continue
        if outcome == "overwrote":
            click.echo(
                f"{shown}:{line}: note: the translation had been changed in the file "
                "meanwhile; replaced by yours",
                err=True,
            )
        if new is None:
            tally.accepted += 1
        else:
            tally.edited += 1
        return


def _clean(source: str, text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    if text.endswith("\n") and not source.endswith("\n"):
        text = text.rstrip("\n")  # editors end files with a newline
    from translate.catalog import match_newlines

    return match_newlines(source, text) if text.strip() else ""


@click.command("review")
@click.argument("po", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--all", "review_all", is_flag=True, help="Also review translations that are already reviewed."
)
@click.option(
    "--lang",
    "langs",
    multiple=True,
    metavar="L",
    help="Only catalogues of this language (without PO); the language of a PO "
    "without a Language header.",
)
@glossary_option
def review(
    po: Path | None, review_all: bool, langs: tuple[str, ...], glossaries: tuple[Path, ...]
) -> None:
    """Review fuzzy translations one by one: accept, edit, skip or quit.

    Each decision is saved at once.  Without PO: every catalogue under the locales folder
    that has fuzzy entries.
    """
    from tilmash.commands.catalog import catalog_language, display_path, find_catalogs
    from tilmash.commands.check import lang_options, load_glossary_option
    from tilmash.config import load_config
    from translate.qa import Matchers

    cfg = load_config()
    targets = lang_options(langs)
    catalogues = _Catalogues()
    paths = [po] if po is not None else find_catalogs(cfg.locales)
    work: list[tuple[Path, str, str, list[tuple[str | None, str]]]] = []
    for path in paths:  # read them all first: a broken file stops before any question
        cat = catalogues.get(path)
        lang = catalog_language(cat, path, targets)
        if po is None and targets and lang not in targets:
            continue
        keys = [_key(e) for e in cat if _pending(e, review_all)]
        if keys:
            shown = str(path) if po is not None else display_path(path)
            work.append((path, shown, lang, keys))
    if not work:
        what = "translated" if review_all else "fuzzy"
        where = str(po) if po is not None else display_path(cfg.locales)
        click.echo(f"nothing to review: no {what} entries in {where}", err=True)
        return

    glossary = load_glossary_option(glossaries, cfg.glossary)
    matchers = Matchers(glossary)
    tally = _Tally()
    try:
        for path, shown, lang, keys in work:
            ctx = _Context(cfg.source, lang, glossary, matchers)
            for number, key in enumerate(keys, start=1):
                _review_entry(
                    path, shown, key, f"{number}/{len(keys)}", catalogues, ctx, review_all, tally
                )
    except _Quit:
        pass
    finally:
        for path in sorted(tally.changed):
            click.echo(f"updated {display_path(path)}", err=True)
        click.echo(
            f"accepted {tally.accepted}, edited {tally.edited}, skipped {tally.skipped}", err=True
        )
