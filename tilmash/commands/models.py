"""``tilmash models``: list, install and remove Argos Translate models (``.argosmodel``).

Models go where argostranslate keeps them (``ARGOS_PACKAGES_DIR``, else
``~/.local/share/argos-translate/packages``), so ``argospm`` and LibreTranslate see them too.
Data goes to stdout, messages to stderr; a bad package is one line and exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from tilmash.cli import ReportingGroup

__all__ = ["models"]


@click.group(cls=ReportingGroup, context_settings={"help_option_names": ["-h", "--help"]})
def models() -> None:
    """List, install and remove Argos Translate models (offline .argosmodel files)."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_command(as_json: bool) -> None:
    """Installed models, one per line: pair, version, name, folder."""
    from translate.models import list_models, packages_dir

    found = list_models()
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(f"no Argos models installed in {packages_dir()}", err=True)
        return
    width = max(len(m.pair) for m in found)
    vwidth = max(len(m.package_version) for m in found)
    nwidth = max(len(m.name) for m in found)
    for m in found:
        click.echo(f"{m.pair:<{width}}  {m.package_version:<{vwidth}}  {m.name:<{nwidth}}  {m.path}")


@models.command("install")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def install_command(files: tuple[Path, ...]) -> None:
    """Install FILE.argosmodel (several in order; an older model for the pair is replaced)."""
    from translate.models import check_package, install_model, list_models

    for file in files:
        check_package(file)  # a bad file changes nothing, not even argostranslate's folders
        before = list_models()
        info = install_model(file)
        old = [m.package_version for m in before
               if (m.from_code, m.to_code) == (info.from_code, info.to_code)]
        note = f", replacing {', '.join(old)}" if old else ""
        click.echo(f"installed {info.pair} {info.package_version} ({info.name}{note})", err=True)


@models.command("remove")
@click.argument("from_code")
@click.argument("to_code")
def remove_command(from_code: str, to_code: str) -> None:
    """Remove the model for FROM → TO (e.g. ``tilmash models remove en ru``)."""
    from translate.models import remove_model

    for info in remove_model(from_code, to_code):
        click.echo(f"removed {info.pair} {info.package_version} ({info.name})", err=True)
