"""``tilmash glossary``: add, edit, rm, show, list, search, lint, import, export.

Reading commands use every configured glossary file, layered (``--file`` replaces the list);
editing commands write one file (``--file``, else the last configured one) through a locked,
atomic read-modify-write that changes only the lines of the concepts they touch.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import click

from glossary.langtags import normalize_tag
from glossary.model import GENDERS, KINDS, PARTS_OF_SPEECH, STATUSES, Concept, Glossary, Term
from tilmash.errors import TilmashError

__all__ = ["glossary"]

FILE_OPTION_HELP = "Glossary file (repeat to layer several); overrides tilmash.toml."


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _tag(value: str) -> str:
    try:
        return normalize_tag(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _lang_term(value: str) -> tuple[str, str]:
    lang, sep, term = value.partition("=")
    if not sep or not term.strip():
        raise click.BadParameter(f"expected LANG=TERM, got {value!r}")
    return _tag(lang), _nfc(term)


def _read_files(files: tuple[Path, ...]) -> list[Path]:
    if files:
        return list(files)
    from tilmash.config import load_config

    cfg = load_config()
    if not cfg.glossary:
        raise TilmashError(
            "no glossary file: pass --file PATH or list files under 'glossary' in tilmash.toml"
        )
    return cfg.glossary


def _write_file(file: Path | None) -> Path:
    if file is not None:
        return file
    return _read_files(())[-1]


def _load(files: tuple[Path, ...]) -> Glossary:
    from glossary.yamlformat import load_layers

    return load_layers(_read_files(files))


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _say(message: str) -> None:
    click.echo(message, err=True)


def _done(path: Path, changed: bool) -> None:
    _say(f"{'updated' if changed else 'unchanged'} {path}")


file_read_option = click.option(
    "--file", "files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
    help=FILE_OPTION_HELP,
)
file_write_option = click.option(
    "--file", "file", type=click.Path(dir_okay=False, path_type=Path),
    help="Glossary file to edit; default: the last file in tilmash.toml.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")


@click.group()
def glossary() -> None:
    """Edit, search, lint, import and export glossaries.

    Glossaries are YAML files (see README: "Glossary files"); hand edits and comments are
    kept byte for byte by every command here.
    """


@glossary.command()
@click.argument("term")
@click.option("--lang", "lang", required=True, help="Language of TERM (kk, kk-Latn, ru, en, ...).")
@click.option("-t", "--term", "others", multiple=True, metavar="LANG=TERM",
              help="A term in another language (repeatable).")
@click.option("--status", type=click.Choice(STATUSES), default="preferred", show_default=True,
              help="Status of TERM.")
@click.option("--name", "is_name", is_flag=True, help="A proper name: its form in each language is fixed.")
@click.option("--dnt", is_flag=True, help="Do not translate: the same form in every language.")
@click.option("--note", help="Note for translators (on the concept).")
@click.option("--subject", help="Subject field.")
@click.option("--definition", help="Definition.")
@click.option("--pos", type=click.Choice(PARTS_OF_SPEECH), help="Part of speech of TERM.")
@click.option("--gender", type=click.Choice(GENDERS), help="Grammatical gender of TERM.")
@click.option("--case-sensitive", is_flag=True, help="Match TERM case-sensitively.")
@click.option("--id", "concept_id", help="Add to this concept (created when it does not exist).")
@click.option("--fill-scripts", is_flag=True,
              help="Fill the missing Kazakh script form (kk ↔ kk-Latn) by transliteration.")
@file_write_option
@json_option
def add(term: str, lang: str, others: tuple[str, ...], status: str, is_name: bool, dnt: bool,
        note: str | None, subject: str | None, definition: str | None, pos: str | None,
        gender: str | None, case_sensitive: bool, concept_id: str | None, fill_scripts: bool,
        file: Path | None, as_json: bool) -> None:
    """Add a concept with TERM (or add terms to concept --id) and print its id."""
    from glossary.editing import ID_PATTERN, fill_script_forms, find_term, new_concept_id
    from glossary.jsonformat import concept_to_json
    from glossary.yamlformat import GlossaryFile, edit_glossary

    if is_name and dnt:
        raise click.UsageError("--name and --dnt exclude each other")
    if concept_id is not None and not ID_PATTERN.match(concept_id):
        raise click.BadParameter(
            f"{concept_id!r}: ids are lower-case ASCII letters, digits, '.', '_' and '-'",
            param_hint="--id")
    lang = _tag(lang)
    text = _nfc(term)
    if not text:
        raise click.BadParameter("the term is empty", param_hint="TERM")
    new_terms: list[tuple[str, Term]] = [
        (lang, Term(text, status=status, pos=pos, gender=gender, case_sensitive=case_sensitive))
    ]
    new_terms += [(lg, Term(t)) for lg, t in map(_lang_term, others)]
    path = _write_file(file)
    result: dict[str, Any] = {}

    def change(gf: GlossaryFile) -> None:
        concept = gf.glossary.get(concept_id) if concept_id else None
        created = concept is None
        if concept is None:
            terms: dict[str, list[Term]] = {}
            for lg, t in new_terms:
                terms.setdefault(lg, []).append(t)
            cid = concept_id or new_concept_id(gf.glossary, terms)
            concept = Concept(cid, terms={})
        for lg, t in new_terms:
            if find_term(concept, lg, t.text) is None:
                concept.add_term(lg, t)
            elif not created:
                _say(f"note: {concept.id} already has {lg} term {t.text!r}")
        if is_name:
            concept.kind = "name"
        elif dnt:
            concept.kind = "dnt"
        for attr, value in (("note", note), ("subject", subject), ("definition", definition)):
            if value is not None:
                setattr(concept, attr, _nfc(value))
        if fill_scripts:
            for lg, t in fill_script_forms(concept):
                _say(f"filled {lg}: {t.text} ({t.translit})")
        _warn_duplicates(gf.glossary, concept, new_terms)
        gf.set_concept(concept)
        result["concept"] = concept
        result["created"] = created

    changed = edit_glossary(path, change, create=True)
    concept = result["concept"]
    if as_json:
        _echo_json(concept_to_json(concept))
    else:
        click.echo(concept.id)
    _say(f"{'added' if result['created'] else 'extended'} {concept.id} in {path}"
         + ("" if changed else " (nothing changed)"))


def _warn_duplicates(gl: Glossary, concept: Concept, new_terms: list[tuple[str, Term]]) -> None:
    for lang, term in new_terms:
        for other in gl:
            if other.id == concept.id:
                continue
            for t in other.terms.get(lang, []):
                if t.text.casefold() == term.text.casefold():
                    _say(f"warning: {lang} term {term.text!r} is also in concept {other.id}")


@glossary.command()
@click.argument("concept_id")
@click.option("--kind", type=click.Choice(KINDS), help="term, name (proper name) or dnt.")
@click.option("--subject", help="Set the subject field ('' clears it).")
@click.option("--definition", help="Set the definition ('' clears it).")
@click.option("--note", help="Set the concept note ('' clears it).")
@click.option("--rename", "new_id", help="Change the concept id.")
@click.option("--lang", help="Language of --term.")
@click.option("--term", "term_text", help="The term to change, add (when absent) or remove.")
@click.option("--status", type=click.Choice(STATUSES), help="Set the term's status.")
@click.option("--term-note", help="Set the term's note ('' clears it).")
@click.option("--pos", type=click.Choice(PARTS_OF_SPEECH), help="Set the term's part of speech.")
@click.option("--gender", type=click.Choice(GENDERS), help="Set the term's grammatical gender.")
@click.option("--case-sensitive/--case-insensitive", default=None, help="Set the term's case rule.")
@click.option("--remove", is_flag=True, help="Remove --term from the concept.")
@file_write_option
def edit(concept_id: str, kind: str | None, subject: str | None, definition: str | None,
         note: str | None, new_id: str | None, lang: str | None, term_text: str | None,
         status: str | None, term_note: str | None, pos: str | None, gender: str | None,
         case_sensitive: bool | None, remove: bool, file: Path | None) -> None:
    """Change concept CONCEPT_ID; with no options, open it in $EDITOR as YAML.

    \b
    Examples:
      tilmash glossary edit victory-day --note "9 May"
      tilmash glossary edit immortal-regiment --lang ru --term "Бессмертный полк" --status preferred
      tilmash glossary edit immortal-regiment --lang en --term "Eternal Regiment" --remove
    """
    from glossary.editing import ID_PATTERN, find_term
    from glossary.yamlformat import GlossaryFile, edit_glossary

    concept_opts = (kind, subject, definition, note, new_id)
    term_opts = (status, term_note, pos, gender, case_sensitive)
    if (lang is None) != (term_text is None):
        raise click.UsageError("--lang and --term go together")
    if term_text is None and (any(o is not None for o in term_opts) or remove):
        raise click.UsageError("--status, --term-note, --pos, --gender, --case-sensitive and "
                               "--remove need --lang and --term")
    if new_id is not None and not ID_PATTERN.match(new_id):
        raise click.BadParameter(f"{new_id!r} is not a valid id", param_hint="--rename")
    interactive = term_text is None and all(o is None for o in concept_opts)
    path = _write_file(file)

    def change(gf: GlossaryFile) -> None:
        concept = gf.glossary.get(concept_id)
        if concept is None:
            raise TilmashError(f"{path}: no concept {concept_id!r}")
        if interactive:
            concept = _edit_in_editor(concept, path)
        if kind is not None:
            concept.kind = kind
        for attr, value in (("subject", subject), ("definition", definition), ("note", note)):
            if value is not None:
                setattr(concept, attr, _nfc(value) or None)
        if term_text is not None and lang is not None:
            lg, text = _tag(lang), _nfc(term_text)
            term = find_term(concept, lg, text)
            if remove:
                if term is None:
                    raise TilmashError(f"{path}: concept {concept_id} has no {lg} term {text!r}")
                concept.terms[lg].remove(term)
                if not concept.terms[lg]:
                    del concept.terms[lg]
            else:
                if term is None:
                    term = Term(text)
                    concept.add_term(lg, term)
                if status is not None:
                    term.status = status
                if term_note is not None:
                    term.note = _nfc(term_note) or None
                if pos is not None:
                    term.pos = pos
                if gender is not None:
                    term.gender = gender
                if case_sensitive is not None:
                    term.case_sensitive = case_sensitive
        if new_id is not None and new_id != concept.id:
            if new_id in gf.glossary:
                raise TilmashError(f"{path}: a concept {new_id!r} already exists")
            gf.remove_concept(concept.id)
            concept.id = new_id
        if interactive and concept.id != concept_id:
            if concept.id in gf.glossary:
                raise TilmashError(f"{path}: a concept {concept.id!r} already exists")
            gf.remove_concept(concept_id)
        gf.set_concept(concept)

    _done(path, edit_glossary(path, change))


def _edit_in_editor(concept: Concept, path: Path) -> Concept:
    from glossary.yamlformat import dump_concept, parse_glossary

    original = dump_concept(concept)
    header = (f"# Editing concept {concept.id} of {path}. Save and quit to apply;\n"
              "# leave the file unchanged (or empty it) to cancel.\nconcepts:\n")
    edited = click.edit(header + original, extension=".yaml", require_save=True)
    if edited is None or edited.strip() == (header + original).strip() or not edited.strip():
        raise TilmashError(f"{path}: edit of {concept.id} cancelled; nothing changed")
    parsed = parse_glossary(edited, f"{path} (edit of {concept.id})").glossary
    if len(parsed) != 1:
        raise TilmashError(f"{path}: the edited text must hold exactly one concept, found {len(parsed)}")
    return next(iter(parsed))


@glossary.command()
@click.argument("concept_ids", nargs=-1, required=True)
@file_write_option
def rm(concept_ids: tuple[str, ...], file: Path | None) -> None:
    """Remove concepts (their lines and the comment lines attached above them)."""
    from glossary.yamlformat import GlossaryFile, edit_glossary

    path = _write_file(file)

    def change(gf: GlossaryFile) -> None:
        missing = [c for c in concept_ids if c not in gf.glossary]
        if missing:
            raise TilmashError(f"{path}: no concept {missing[0]!r}; nothing removed")
        for cid in dict.fromkeys(concept_ids):
            gf.remove_concept(cid)

    changed = edit_glossary(path, change)
    _say(f"removed {', '.join(concept_ids)} from {path}")
    if not changed:
        _done(path, changed)


@glossary.command()
@click.argument("concept_id")
@file_read_option
@json_option
def show(concept_id: str, files: tuple[Path, ...], as_json: bool) -> None:
    """Show one concept (as YAML, or --json)."""
    from glossary.jsonformat import concept_to_json
    from glossary.yamlformat import dump_concept

    gl = _load(files)
    concept = gl.get(concept_id)
    if concept is None:
        from glossary.search import search_glossary

        hint = ""
        hits = search_glossary(gl, concept_id.replace("-", " "), limit=1)
        if hits:
            hint = f" (did you mean {hits[0].concept.id}?)"
        raise TilmashError(f"no concept {concept_id!r}{hint}")
    if as_json:
        _echo_json(concept_to_json(concept))
        return
    if concept.location is not None:
        where = Path(concept.location.path)
        try:
            where = where.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            pass
        click.echo(f"# {where}:{concept.location.line}")
    click.echo(dump_concept(concept, indent=0).rstrip("\n"))


def _summary(concept: Concept, langs: list[str]) -> str:
    parts = []
    for lang in langs or list(concept.terms):
        term = concept.preferred(lang)
        if term is not None:
            parts.append(f"{lang}: {term.text}")
    return "; ".join(parts)


@glossary.command("list")
@click.option("--lang", "langs", multiple=True, help="Show only these languages (repeatable).")
@click.option("--kind", type=click.Choice(KINDS), help="Only concepts of this kind.")
@file_read_option
@json_option
def list_(langs: tuple[str, ...], kind: str | None, files: tuple[Path, ...], as_json: bool) -> None:
    """List concepts with their preferred terms."""
    from glossary.jsonformat import concept_to_json

    gl = _load(files)
    wanted = [_tag(lg) for lg in langs]
    concepts = [c for c in gl if kind is None or c.kind == kind]
    if as_json:
        out = []
        for c in concepts:
            data = concept_to_json(c)
            if wanted:
                data["terms"] = {lg: ts for lg, ts in data["terms"].items() if lg in wanted}
            out.append(data)
        _echo_json(out)
        return
    width = max((len(c.id) for c in concepts), default=0)
    for c in concepts:
        mark = {"term": " ", "name": "N", "dnt": "D"}[c.kind]
        click.echo(f"{c.id:<{width}}  {mark}  {_summary(c, wanted)}")
    _say(f"{len(concepts)} concepts")


@glossary.command()
@click.argument("query")
@click.option("--lang", help="Search only terms of this language.")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@file_read_option
@json_option
def search(query: str, lang: str | None, limit: int, files: tuple[Path, ...], as_json: bool) -> None:
    """Find concepts by any term: case-, diacritic-, script-insensitive and fuzzy."""
    from glossary.jsonformat import concept_to_json
    from glossary.search import search_glossary

    gl = _load(files)
    hits = search_glossary(gl, query, lang=_tag(lang) if lang else None, limit=limit)
    if as_json:
        _echo_json([
            {"id": h.concept.id, "lang": h.lang, "term": h.term.text, "match": h.match,
             "score": round(h.score, 4), "concept": concept_to_json(h.concept)}
            for h in hits
        ])
    else:
        for h in hits:
            click.echo(f"{h.concept.id}\t{h.lang}\t{h.term.text}\t{h.match}")
    if not hits:
        _say(f"no concept matches {query!r}")
        sys.exit(1)


@glossary.command()
@click.option("--lang", "langs", multiple=True,
              help="Languages every name must have (default: source and targets of tilmash.toml).")
@file_read_option
@json_option
def lint(langs: tuple[str, ...], files: tuple[Path, ...], as_json: bool) -> None:
    """Check the glossary; exit 1 when something is found."""
    from glossary.lint import lint_glossary
    from tilmash.config import load_config

    gl = _load(files)
    if langs:
        languages = [_tag(lg) for lg in langs]
    else:
        cfg = load_config()
        languages = [cfg.source, *cfg.targets] if cfg.path is not None else []
    findings = lint_glossary(gl, languages=languages or None)
    if as_json:
        _echo_json([
            {"code": f.code, "severity": f.severity, "message": f.message, "concept": f.concept_id,
             "file": f.location.path if f.location else None,
             "line": f.location.line if f.location else None}
            for f in findings
        ])
    else:
        for f in findings:
            click.echo(str(f))
    _say(f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {len(gl)} concepts")
    if findings:
        sys.exit(1)


_FORMATS = ("yaml", "tbx", "csv")


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    ext = path.suffix.lower().lstrip(".")
    if ext in ("yml", "yaml"):
        return "yaml"
    if ext in ("tbx", "xml"):
        return "tbx"
    if ext in ("csv",):
        return "csv"
    raise click.UsageError(f"{path}: cannot tell the format from the extension; pass --format")


def _csv_langs(source_lang: str | None, target_lang: str | None) -> tuple[str, str]:
    if source_lang and target_lang:
        return _tag(source_lang), _tag(target_lang)
    from tilmash.config import load_config

    cfg = load_config()
    src = _tag(source_lang) if source_lang else cfg.source
    tgt = _tag(target_lang) if target_lang else (cfg.targets[0] if cfg.targets else None)
    if tgt is None:
        raise click.UsageError("CSV needs --target-lang (or 'targets' in tilmash.toml)")
    return src, tgt


@glossary.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_FORMATS), help="Default: from the extension.")
@click.option("--source-lang", help="CSV: language of the source column (default: tilmash.toml source).")
@click.option("--target-lang", help="CSV: language of the target column (default: first target).")
@click.option("--on-conflict", type=click.Choice(["skip", "merge", "replace"]), default="merge",
              show_default=True, help="What to do with a concept whose id already exists.")
@file_write_option
@json_option
def import_(source: Path, fmt: str | None, source_lang: str | None, target_lang: str | None,
            on_conflict: str, file: Path | None, as_json: bool) -> None:
    """Import concepts from a TBX, CSV or YAML glossary into the glossary file."""
    from glossary.editing import merge_concepts
    from glossary.yamlformat import GlossaryFile, edit_glossary

    incoming = _read_foreign(source, _format_of(source, fmt), source_lang, target_lang)
    path = _write_file(file)
    counts = {"added": 0, "merged": 0, "replaced": 0, "skipped": 0}

    def change(gf: GlossaryFile) -> None:
        for concept in incoming:
            existing = gf.glossary.get(concept.id)
            if existing is None:
                gf.set_concept(concept)
                counts["added"] += 1
            elif on_conflict == "skip":
                counts["skipped"] += 1
            elif on_conflict == "replace":
                gf.set_concept(concept)
                counts["replaced"] += 1
            else:
                if merge_concepts(existing, concept):
                    gf.set_concept(existing)
                counts["merged"] += 1

    changed = edit_glossary(path, change, create=True)
    if as_json:
        _echo_json({"file": str(path), "source": str(source), **counts})
    _say(f"imported {len(incoming)} concepts from {source} into {path}: "
         + ", ".join(f"{v} {k}" for k, v in counts.items() if v))
    if not changed:
        _done(path, changed)


def _read_foreign(source: Path, fmt: str, source_lang: str | None, target_lang: str | None) -> Glossary:
    if fmt == "yaml":
        from glossary.yamlformat import load_glossary

        return load_glossary(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise TilmashError(f"{source}: cannot read: {exc.strerror}") from None
    if fmt == "tbx":
        from glossary.tbx import read_tbx

        return read_tbx(data, source)
    from glossary.csvformat import read_csv

    src, tgt = _csv_langs(source_lang, target_lang)
    return read_csv(data, source, source_lang=src, target_lang=tgt)


@glossary.command()
@click.argument("dest", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_FORMATS), help="Default: from the extension.")
@click.option("--source-lang", help="CSV/TBX: the source language.")
@click.option("--target-lang", help="CSV: the target language.")
@file_read_option
def export(dest: Path, fmt: str | None, source_lang: str | None, target_lang: str | None,
           files: tuple[Path, ...]) -> None:
    """Export the (layered) glossary to TBX-Basic, Weblate CSV or YAML (DEST '-' = stdout)."""
    gl = _load(files)
    to_stdout = str(dest) == "-"
    if to_stdout and not fmt:
        raise click.UsageError("exporting to stdout needs --format")
    kind = _format_of(dest, fmt)
    data: str | bytes
    if kind == "yaml":
        from glossary.yamlformat import dump_glossary

        data = dump_glossary(gl)
    elif kind == "tbx":
        from glossary.tbx import write_tbx

        data = write_tbx(gl, source_lang=_tag(source_lang) if source_lang else None)
    else:
        from glossary.csvformat import write_csv

        src, tgt = _csv_langs(source_lang, target_lang)
        data = write_csv(gl, source_lang=src, target_lang=tgt)
    if to_stdout:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    from tilmash.fileio import write_if_changed

    _done(dest, write_if_changed(dest, data))
