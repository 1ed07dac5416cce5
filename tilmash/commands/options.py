"""Options several commands share, defined once so their names, types and help agree."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["glossary_option", "locales_option"]

#: ``--glossary PATH`` (repeatable) → the ``glossaries`` tuple
glossary_option = click.option(
    "--glossary",
    "glossaries",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Glossary file (repeat to layer several); overrides tilmash.toml.",
)

#: ``--locales DIR`` → ``locales``
locales_option = click.option(
    "--locales",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalogue folder (default: 'locales' in tilmash.toml).",
)
