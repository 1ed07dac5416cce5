"""``tilmash translit``: transliterate Kazakh and Russian text (see :mod:`glossary.translit`).

``tilmash translit TEXT`` prints TEXT transliterated; without TEXT (or with ``-``) every line
of standard input is transliterated and written as soon as it is read, one output line per
input line (empty lines kept).  Input and output are UTF-8; a BOM on the first line is
dropped.  ``--list`` prints the schemes (``--json`` as a JSON list of ``{name,
description}``).  An unknown scheme is a one-line error with exit code 2.
"""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

import click

from tilmash.errors import ParseError, TilmashError

__all__ = ["translit"]

DEFAULT_SCHEME = "kk-latn-2021"


def _write(out: BinaryIO, line: str) -> None:
    out.write(line.encode("utf-8") + b"\n")
    out.flush()


def _decode_line(raw: bytes, lineno: int) -> str:
    if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            "<stdin>", lineno, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        ) from None
    return text.rstrip("\n").removesuffix("\r")


def _list(as_json: bool) -> None:
    from glossary.translit import list_schemes

    rows = list_schemes()
    if as_json:
        data = [{"name": name, "description": desc} for name, desc in rows]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    width = max(len(name) for name, _ in rows)
    for name, desc in rows:
        click.echo(f"{name:<{width}}  {desc}")


@click.command("translit")
@click.argument("text", required=False)
@click.option(
    "--scheme", "-s", default=DEFAULT_SCHEME, show_default=True, metavar="NAME",
    help="Transliteration scheme (see --list).",
)
@click.option("--list", "list_", is_flag=True, help="List the schemes and exit.")
@click.option("--json", "as_json", is_flag=True, help="With --list: print JSON.")
def translit(text: str | None, scheme: str, list_: bool, as_json: bool) -> None:
    """Transliterate TEXT, or each line of standard input (TEXT absent or '-').

    Kazakh: kk-latn-2021 (default), kk-latn-2018, kk-ascii, and kk-cyrl (Latin back to
    Cyrillic).  Russian: any iuliia schema, e.g. wikipedia, bgn_pcgn, icao_doc_9303.
    """
    try:
        _run(text, scheme, list_, as_json)
    except TilmashError as exc:
        click.echo(str(exc), err=True)
        click.get_current_context().exit(exc.exit_code)


def _run(text: str | None, scheme: str, list_: bool, as_json: bool) -> None:
    if as_json and not list_:
        raise TilmashError("--json applies only to --list")
    if list_:
        _list(as_json)
        return
    from glossary.translit import transliterate

    transliterate("", scheme)  # an unknown scheme fails before any input is read
    out = sys.stdout.buffer
    if text is not None and text != "-":
        _write(out, transliterate(text, scheme))
        return
    for lineno, raw in enumerate(sys.stdin.buffer, start=1):
        _write(out, transliterate(_decode_line(raw, lineno), scheme))
