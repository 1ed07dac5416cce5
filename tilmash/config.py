"""The workspace config file, ``tilmash.toml``.

Found like git finds its repository: in the current folder or the nearest parent.  Paths in
it are relative to the folder that holds it.  Every key is optional::

    source = "en"                          # language of the source articles
    targets = ["ru", "kk", "kk-Latn"]      # default --to
    glossary = ["glossary/base.yaml", "glossary/newsroom.yaml"]   # layered, later wins
    locales = "locales"                    # gettext catalogues
    output = "out/{lang}/{name}"           # localized outputs ({lang}, {name}, {stem}, {ext})

CLI options override these values.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from glossary.langtags import normalize_tag
from tilmash.errors import ParseError
from tilmash.fileio import read_text

__all__ = ["CONFIG_NAME", "Config", "find_config", "load_config"]

CONFIG_NAME = "tilmash.toml"
_KEYS = ("source", "targets", "glossary", "locales", "output")
_OUTPUT_FIELDS = {"lang", "name", "stem", "ext"}


@dataclass
class Config:
    """Resolved workspace settings (absolute paths)."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    source: str = "en"
    targets: list[str] = field(default_factory=list)
    glossary: list[Path] = field(default_factory=list)
    locales: Path = field(default_factory=lambda: Path.cwd() / "locales")
    output: str = "out/{lang}/{name}"

    def output_path(self, document: Path, lang: str, out_dir: Path | None = None) -> Path:
        """Where the *lang* version of *document* goes."""
        rel = self.output.format(
            lang=lang, name=document.name, stem=document.stem, ext=document.suffix
        )
        base = out_dir if out_dir is not None else self.root
        return base / rel


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``tilmash.toml`` in *start* (default: cwd) or a parent folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _key_line(text: str, key: str) -> int | None:
    m = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return None if m is None else text.count("\n", 0, m.start()) + 1


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Load *path*, or the config found from *start*; defaults when there is none."""
    if path is None:
        path = find_config(start)
    if path is None:
        root = (start or Path.cwd()).resolve()
        return Config(root=root, locales=root / "locales")
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) if m else msg
        raise ParseError(path, line, f"invalid TOML: {msg}") from None
    root = path.resolve().parent
    cfg = Config(path=path, root=root, locales=root / "locales")

    def fail(key: str, message: str) -> ParseError:
        return ParseError(path, _key_line(text, key), message)

    for key in data:
        if key not in _KEYS:
            raise fail(key, f"unknown key {key!r} (known: {', '.join(_KEYS)})")
    if "source" in data:
        cfg.source = _tag(data["source"], "source", fail)
    if "targets" in data:
        targets = data["targets"]
        if isinstance(targets, str):
            targets = [t for t in targets.split(",") if t.strip()]
        if not isinstance(targets, list):
            raise fail("targets", "'targets' must be a list of language tags")
        cfg.targets = [_tag(t, "targets", fail) for t in targets]
    if "glossary" in data:
        files = data["glossary"]
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise fail("glossary", "'glossary' must be a path or a list of paths")
        cfg.glossary = [root / f for f in files]
    if "locales" in data:
        if not isinstance(data["locales"], str):
            raise fail("locales", "'locales' must be a path")
        cfg.locales = root / data["locales"]
    if "output" in data:
        out = data["output"]
        if not isinstance(out, str):
            raise fail("output", "'output' must be a path pattern such as 'out/{lang}/{name}'")
        fields = set(re.findall(r"{(\w*)}", out))
        unknown = fields - _OUTPUT_FIELDS
        if unknown:
            raise fail("output", f"unknown field {{{sorted(unknown)[0]}}} in 'output' "
                       f"(known: {', '.join('{' + f + '}' for f in sorted(_OUTPUT_FIELDS))})")
        if "lang" not in fields:
            raise fail("output", "'output' must contain {lang}, or every language overwrites the others")
        cfg.output = out
    return cfg


def _tag(value: object, key: str, fail) -> str:  # type: ignore[no-untyped-def]
    if not isinstance(value, str):
        raise fail(key, f"'{key}' must hold language tags as strings")
    try:
        return normalize_tag(value)
    except ValueError as exc:
        raise fail(key, str(exc)) from None
