"""The ``tilmash`` command line.

Subcommands live in :mod:`tilmash.commands` and are imported only when invoked, so
``tilmash --help`` and the glossary commands never load argostranslate or torch.  Every
:class:`~tilmash.errors.TilmashError` becomes one line on stderr and its exit code (2).
"""

from __future__ import annotations

import importlib
import sys

import click

from tilmash import __version__
from tilmash.errors import TilmashError

__all__ = ["ReportingGroup", "cli", "main"]

#: name -> (module, attribute, one-line help shown by ``tilmash --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "glossary": ("tilmash.commands.glossary", "glossary", "Edit, search, lint, import and export glossaries."),
    "translit": ("tilmash.commands.translit", "translit", "Transliterate Kazakh and Russian text."),
    "translate": ("tilmash.commands.translate", "translate", "Write localized versions of articles."),
    "models": ("tilmash.commands.models", "models", "List, install and remove Argos models (from files)."),
    "catalog": ("tilmash.commands.catalog", "catalog", "Catalogue statistics, .mo compilation and updates."),
    "check": ("tilmash.commands.check", "check", "Check translations and sources: glossary terms, numbers, markup."),
    "review": ("tilmash.commands.review", "review", "Review machine translations and suggestions interactively."),
}


class ReportingGroup(click.Group):
    """Reports a TilmashError as one line on stderr and its exit code (also when invoked alone)."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TilmashError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)


class LazyGroup(ReportingGroup):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, attr, _ = COMMANDS[name]
            return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tilmash")
def cli() -> None:
    """tilmash (тілмаш, "interpreter"): offline translation and glossaries for kk, ru and en.

    Settings come from the nearest tilmash.toml (this folder or a parent); options override them.
    """


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    try:
        cli.main(args=argv, prog_name="tilmash")
    except BrokenPipeError:  # e.g. `tilmash glossary list | head`
        sys.stderr.close()
        sys.exit(0)
