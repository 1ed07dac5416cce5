"""Installed Argos Translate models: list, install, remove, and the route for a language pair.

Models live where argostranslate keeps them: :mod:`argostranslate.settings` decides
(``ARGOS_PACKAGES_DIR``, else ``$XDG_DATA_HOME/argos-translate/packages``, snap folders,
``settings.json``).  That module reads the environment once, at import; :func:`argos_settings`
re-imports it when the variables it reads have changed since, so a long-lived process (or a
test) that changes them sees the same folders argostranslate itself would.

Only ``argostranslate.settings`` and ``argostranslate.package`` are imported (lazily): they
load no torch, stanza or CTranslate2.

:func:`install_model` checks a ``.argosmodel`` before anything touches the packages folder:
a zip; one top-level folder holding ``metadata.json``, ``model/model.bin`` and a tokenizer
model; no member escaping that folder (``..``, absolute or drive paths, backslashes); bounded
declared size and compression ratio (zip bombs).  It then extracts into a hidden staging
folder inside the packages folder, loads the result with argostranslate's own
``package.Package``, and renames it into place, so a failure at any point leaves nothing
behind and other processes never see half a package.  (argostranslate's
``package.install_from_path`` extracts straight into the live folder with no checks and
imports ``argostranslate.translate``, i.e. torch; we do the same job safely and clear its
cache the same way when it is loaded.)
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from tilmash.errors import TilmashError
from tilmash.fileio import file_lock

__all__ = [
    "ModelInfo",
    "argos_settings",
    "packages_dir",
    "list_models",
    "check_package",
    "install_model",
    "remove_model",
    "find_route",
    "PIVOT",
    "MAX_PACKAGE_BYTES",
    "MAX_COMPRESSION_RATIO",
]

#: the language every pivot goes through (as argostranslate's models are trained)
PIVOT = "en"
#: largest total uncompressed size accepted for a package (real ones are 100-500 MB)
MAX_PACKAGE_BYTES = 4 * 1024**3
#: members larger than 1 MiB may not expand more than this (weights compress ~1.2:1)
MAX_COMPRESSION_RATIO = 100
_MAX_MEMBERS = 10_000
_MAX_METADATA_BYTES = 1024**2
_STAGING_PREFIX = ".tilmash-"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
_ENV_PREFIXES = ("ARGOS_", "XDG_", "SNAP", "LIBRETRANSLATE_", "OPENAI_")

_settings_env: dict[str, str] | None = None


@dataclass(frozen=True)
class ModelInfo:
    """One installed Argos Translate package."""

    from_code: str
    to_code: str
    package_version: str
    #: argospm's name for the package, e.g. ``translate-en_ru``
    name: str
    path: Path
    from_name: str = ""
    to_name: str = ""

    @property
    def pair(self) -> str:
        """``en→ru``."""
        return f"{self.from_code}→{self.to_code}"

    def describe(self) -> str:
        """``translate-en_ru 1.9``: the provenance of a translation."""
        return f"{self.name} {self.package_version}".rstrip()

    def to_dict(self) -> dict[str, str]:
        """JSON-ready fields."""
        return {
            "from_code": self.from_code,
            "to_code": self.to_code,
            "package_version": self.package_version,
            "name": self.name,
            "path": str(self.path),
            "from_name": self.from_name,
            "to_name": self.to_name,
        }


def _env_snapshot() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES) or k == "HOME"}


def argos_settings() -> ModuleType:
    """:mod:`argostranslate.settings`, re-imported if its environment variables changed."""
    global _settings_env
    now = _env_snapshot()
    try:
        if _settings_env is None:
            # imported by someone else first, maybe under another environment: re-read
            loaded = "argostranslate.settings" in sys.modules
            from argostranslate import settings

            if loaded:
                importlib.reload(settings)
        else:
            from argostranslate import settings

            if now != _settings_env:
                importlib.reload(settings)
    except OSError as exc:  # it creates its folders on import
        raise TilmashError(
            f"cannot set up argostranslate's folders: {exc.strerror or exc}"
            + (f": {exc.filename}" if exc.filename else "")) from None
    _settings_env = now
    return settings


def packages_dir() -> Path:
    """The folder argostranslate installs packages into (``ARGOS_PACKAGES_DIR``)."""
    return Path(argos_settings().package_data_dir)


def _version_key(version: str) -> tuple[int, Any]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _load(folder: Path) -> ModelInfo:
    """Read one package folder with argostranslate's own loader."""
    return _load_typed(folder)[0]


def _load_typed(folder: Path) -> tuple[ModelInfo, str]:
    from argostranslate import package

    meta = folder / "metadata.json"
    try:
        pkg = package.Package(folder)
    except json.JSONDecodeError as exc:
        raise TilmashError(f"{meta}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TilmashError(f"{meta}: cannot read: {exc}") from None
    except AttributeError:  # metadata.json holds a list or a string, not an object
        raise TilmashError(f"{meta}: must hold a JSON object") from None
    info = ModelInfo(
        from_code=str(pkg.from_code or ""),
        to_code=str(pkg.to_code or ""),
        package_version=str(pkg.package_version),
        name=package.argospm_package_name(pkg),
        path=folder,
        from_name=str(pkg.from_name),
        to_name=str(pkg.to_name),
    )
    return info, str(pkg.type)


def list_models() -> list[ModelInfo]:
    """Every installed translation package, sorted by pair and then newest version first."""
    found: list[ModelInfo] = []
    for directory in argos_settings().package_dirs:
        try:
            entries = sorted(Path(directory).iterdir())
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise TilmashError(f"{directory}: cannot list Argos packages: {exc.strerror}") from None
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir():
                continue
            if not (entry / "metadata.json").is_file():
                continue
            info, kind = _load_typed(entry)
            if kind == "translate" and info.from_code and info.to_code:
                found.append(info)
    found.sort(key=lambda m: _version_key(m.package_version), reverse=True)
    found.sort(key=lambda m: (m.from_code, m.to_code))  # stable: newest first within a pair
    return found


def find_route(from_code: str, to_code: str) -> list[ModelInfo]:
    """The packages that translate *from_code* to *to_code*: one, or two through English.

    An empty list means no translation is needed (same language).  A missing pair is a
    :class:`TilmashError` naming what to install.
    """
    if from_code == to_code:
        return []
    best: dict[tuple[str, str], ModelInfo] = {}
    for info in list_models():  # newest version first for each pair
        best.setdefault((info.from_code, info.to_code), info)
    direct = best.get((from_code, to_code))
    if direct is not None:
        return [direct]
    first, second = best.get((from_code, PIVOT)), best.get((PIVOT, to_code))
    if PIVOT not in (from_code, to_code) and first is not None and second is not None:
        return [first, second]
    needs = f"{from_code}→{to_code}"
    if PIVOT not in (from_code, to_code):
        needs += f", or {from_code}→{PIVOT} and {PIVOT}→{to_code}"
    raise TilmashError(
        f"no Argos model for {from_code}→{to_code}: install one with "
        f"'tilmash models install FILE.argosmodel' (needs {needs})"
    )


# -- install --------------------------------------------------------------------------------

def _fmt_bytes(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n / 1024**2:.1f} MB"


def _check_member_name(path: Path, name: str) -> PurePosixPath:
    bad = None
    if "\\" in name:
        bad = "a backslash"
    elif name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        bad = "an absolute path"
    elif ".." in PurePosixPath(name).parts:
        bad = "'..'"
    elif "\x00" in name:
        bad = "a NUL byte"
    if bad is not None:
        raise TilmashError(f"{path}: unsafe member {name!r} ({bad}); nothing installed")
    return PurePosixPath(name)


def _check_archive(path: Path, zf: zipfile.ZipFile, max_bytes: int) -> tuple[str, dict[str, Any]]:
    """Validate the archive; return its top-level folder and parsed metadata."""
    infos = zf.infolist()
    if not infos:
        raise TilmashError(f"{path}: empty zip archive; not an Argos model")
    if len(infos) > _MAX_MEMBERS:
        raise TilmashError(f"{path}: {len(infos)} members (limit {_MAX_MEMBERS}); not an Argos model")
    tops: set[str] = set()
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        parts = _check_member_name(path, info.filename).parts
        if not parts or parts[0] in (".", ""):
            raise TilmashError(f"{path}: unsafe member {info.filename!r}; nothing installed")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise TilmashError(f"{path}: member {info.filename!r} is a symbolic link; nothing installed")
        tops.add(parts[0])
        members["/".join(parts)] = info
        total += info.file_size
        if (info.file_size > 1024**2
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            ratio = info.file_size // max(info.compress_size, 1)
            raise TilmashError(
                f"{path}: member {info.filename!r} expands {ratio}:1 (limit "
                f"{MAX_COMPRESSION_RATIO}:1), a zip bomb?; nothing installed")
    if total > max_bytes:
        raise TilmashError(
            f"{path}: expands to {_fmt_bytes(total)} (limit {_fmt_bytes(max_bytes)}); nothing installed")
    if len(tops) != 1:
        listed = ", ".join(sorted(tops)[:3])
        raise TilmashError(
            f"{path}: an Argos model holds one top-level folder, found {len(tops)} ({listed})")
    top = tops.pop()
    if top.startswith("."):
        raise TilmashError(f"{path}: hidden top-level folder {top!r}; not an Argos model")
    meta_info = members.get(f"{top}/metadata.json")
    if meta_info is None or meta_info.is_dir():
        raise TilmashError(f"{path}: no {top}/metadata.json; not an Argos model")
    if meta_info.file_size > _MAX_METADATA_BYTES:
        raise TilmashError(
            f"{path}: {top}/metadata.json is {_fmt_bytes(meta_info.file_size)}; not an Argos model")
    try:
        meta = json.loads(zf.read(meta_info).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile) as exc:
        raise TilmashError(f"{path}: {top}/metadata.json is not valid JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise TilmashError(f"{path}: {top}/metadata.json must hold a JSON object")
    for key in ("from_code", "to_code"):
        value = meta.get(key)
        if not isinstance(value, str) or not _CODE.match(value):
            raise TilmashError(f"{path}: {top}/metadata.json: '{key}' must be a language code, got {value!r}")
    if meta.get("type", "translate") != "translate":
        raise TilmashError(f"{path}: a {meta.get('type')!r} package, not a translation model")
    if f"{top}/model/model.bin" not in members:
        raise TilmashError(f"{path}: no {top}/model/model.bin (CTranslate2 model); not an Argos model")
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & members.keys():
        raise TilmashError(f"{path}: no {top}/sentencepiece.model or bpe.model; not an Argos model")
    return top, meta


def _extract(path: Path, zf: zipfile.ZipFile, dest: Path, max_bytes: int) -> None:
    """Extract every member under *dest* (names already checked), counting real bytes."""
    written = 0
    for info in zf.infolist():
        target = dest.joinpath(*PurePosixPath(info.filename).parts)
        if not target.resolve().is_relative_to(dest.resolve()):
            raise TilmashError(f"{path}: unsafe member {info.filename!r}; nothing installed")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "xb") as out:
            while chunk := src.read(1024 * 1024):
                written += len(chunk)
                if written > max_bytes:
                    raise TilmashError(
                        f"{path}: expands past {_fmt_bytes(max_bytes)}; nothing installed")
                out.write(chunk)


def _check_tokenizer(path: Path, folder: Path) -> None:
    model = folder / "sentencepiece.model"
    if not model.exists():
        return  # a BPE package; sacremoses reads it on first use
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(model))
    except (RuntimeError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TilmashError(
            f"{path}: sentencepiece.model does not load ({first}); nothing installed") from None


def _clear_argos_cache() -> None:
    """What ``package.install_from_path``/``uninstall`` do, without importing torch."""
    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        translate.get_installed_languages.cache_clear()


@contextlib.contextmanager
def _packages_lock(folder: Path) -> Iterator[None]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TilmashError(f"{folder}: cannot create the Argos packages folder: "
                           f"{exc.strerror or exc}") from None
    with file_lock(folder / "tilmash-models"):
        yield


def install_model(path: str | Path, *, max_bytes: int = MAX_PACKAGE_BYTES) -> ModelInfo:
    """Install the ``.argosmodel`` at *path*; any older package for the same pair is replaced.

    Returns the installed model.  Bad input is a one-line :class:`TilmashError` naming the
    file, and leaves the packages folder exactly as it was.
    """
    path = Path(path)
    check_package(path, max_bytes=max_bytes)  # before argostranslate's settings create folders
    target_dir = packages_dir()
    with _packages_lock(target_dir):
        staging = _mkdtemp(target_dir, "install")
        try:
            try:
                with zipfile.ZipFile(path) as zf:
                    top, _meta = _check_archive(path, zf, max_bytes)
                    _extract(path, zf, staging, max_bytes)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError,
                    NotImplementedError) as exc:
                raise TilmashError(f"{path}: damaged zip archive ({exc}); nothing installed") from None
            except OSError as exc:
                raise TilmashError(
                    f"{path}: cannot install: {exc.strerror or exc}; nothing installed") from None
            staged = _load(staging / top)
            _check_tokenizer(path, staging / top)
            replaced = [m for m in list_models()
                        if (m.from_code, m.to_code) == (staged.from_code, staged.to_code)
                        and m.path.parent == target_dir]
            final = target_dir / top
            aside = staging / ".previous"
            try:
                if final.exists():
                    final.rename(aside)
                (staging / top).rename(final)
            except OSError as exc:
                if aside.exists() and not final.exists():
                    aside.rename(final)
                raise TilmashError(
                    f"{path}: cannot install into {target_dir}: {exc.strerror or exc}") from None
            for old in replaced:
                if old.path != final:
                    with contextlib.suppress(OSError):  # the newest version wins anyway
                        old.path.rename(staging / f".old-{old.path.name}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _clear_argos_cache()
    return _load(final)


def check_package(path: str | Path, *, max_bytes: int = MAX_PACKAGE_BYTES) -> None:
    """Check an ``.argosmodel``'s structure, sizes and CRCs without writing anything (and
    without loading argostranslate); a bad file is a one-line :class:`TilmashError`."""
    path = Path(path)
    if not path.is_file():
        raise TilmashError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    if not zipfile.is_zipfile(path):
        raise TilmashError(f"{path}: not an Argos model (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as zf:
            _check_archive(path, zf, max_bytes)
            bad = zf.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError,
            NotImplementedError) as exc:
        raise TilmashError(f"{path}: damaged zip archive ({exc}); nothing installed") from None
    except OSError as exc:
        raise TilmashError(f"{path}: cannot read: {exc.strerror or exc}; nothing installed") from None
    if bad is not None:
        raise TilmashError(f"{path}: damaged zip archive (bad CRC in {bad}); nothing installed")


def _mkdtemp(folder: Path, purpose: str) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{purpose}-", dir=folder))
    except OSError as exc:
        raise TilmashError(f"{folder}: cannot write: {exc.strerror or exc}") from None


def remove_model(from_code: str, to_code: str) -> list[ModelInfo]:
    """Remove every installed package for *from_code*→*to_code*; return what was removed."""
    target_dir = packages_dir()
    with _packages_lock(target_dir):
        found = [m for m in list_models() if (m.from_code, m.to_code) == (from_code, to_code)]
        if not found:
            raise TilmashError(f"no Argos model for {from_code}→{to_code} is installed")
        elsewhere = [m for m in found if m.path.parent != target_dir]
        if elsewhere:
            raise TilmashError(
                f"{elsewhere[0].path}: outside {target_dir}; remove it with the tool that installed it")
        staging = _mkdtemp(target_dir, "remove")
        try:
            for info in found:
                try:
                    info.path.rename(staging / info.path.name)
                except OSError as exc:
                    raise TilmashError(f"{info.path}: cannot remove: {exc.strerror or exc}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _clear_argos_cache()
    return found
