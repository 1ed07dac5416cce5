"""Model management (``translate.models``, ``tilmash models``) on real, tiny .argosmodel files.

Everything runs against a temporary ``ARGOS_PACKAGES_DIR`` (and XDG folders) set per test;
argostranslate.settings reads them at import, ``translate.models.argos_settings`` re-reads
them when they change.  No torch here: only argostranslate.settings/package are loaded.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.tinymodel import TinyModel, cached_package
from tilmash.commands.models import models
from tilmash.errors import TilmashError
from translate.models import (
    find_route,
    install_model,
    list_models,
    packages_dir,
)

XX_YY = TinyModel()


@pytest.fixture
def argos_home(tmp_path, monkeypatch):
    """Point argostranslate's folders at *tmp_path*; returns the packages folder."""
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    return tmp_path / "packages"


@pytest.fixture
def xx_yy(tmp_path_factory) -> Path:
    return cached_package(XX_YY, tmp_path_factory)


def run(*args: str):
    """``tilmash models ARGS`` in-process."""
    return CliRunner().invoke(models, list(args), catch_exceptions=False)


def entries(folder: Path) -> list[str]:
    """Everything in *folder*, hidden entries included (staging folders, lock files)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_install_list_remove_through_the_cli(argos_home, xx_yy):
    result = run("install", str(xx_yy))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "installed xx→yy 1.0 (translate-xx_yy)\n"
    assert entries(argos_home) == ["translate-xx_yy-1_0"]
    installed = argos_home / "translate-xx_yy-1_0"
    assert (installed / "model" / "model.bin").is_file()
    assert (installed / "sentencepiece.model").is_file()

    result = run("list")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.split() == ["xx→yy", "1.0", "translate-xx_yy", str(installed)]

    result = run("list", "--json")
    assert json.loads(result.stdout) == [{
        "from_code": "xx", "to_code": "yy", "package_version": "1.0",
        "name": "translate-xx_yy", "path": str(installed),
        "from_name": "Language xx", "to_name": "Language yy",
    }]

    result = run("remove", "xx", "yy")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "removed xx→yy 1.0 (translate-xx_yy)\n"
    assert entries(argos_home) == []
    result = run("list")
    assert result.stdout == "" and result.stderr == f"no Argos models installed in {argos_home}\n"
    assert json.loads(run("list", "--json").stdout) == []


def test_remove_of_a_missing_pair_is_one_line_and_exit_2(argos_home):
    result = run("remove", "kk", "ru")
    assert result.exit_code == 2
    assert result.stderr == "no Argos model for kk→ru is installed\n"


def test_a_newer_version_replaces_the_installed_one(argos_home, xx_yy, tmp_path_factory):
    newer = cached_package(TinyModel(package_version="1.1"), tmp_path_factory)
    assert run("install", str(xx_yy)).exit_code == 0
    result = run("install", str(newer))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "installed xx→yy 1.1 (translate-xx_yy, replacing 1.0)\n"
    assert entries(argos_home) == ["translate-xx_yy-1_1"]
    assert [m.package_version for m in list_models()] == ["1.1"]
    # reinstalling the same file replaces it in place
    assert run("install", str(newer)).exit_code == 0
    assert entries(argos_home) == ["translate-xx_yy-1_1"]


def test_packages_dir_follows_argos_settings_when_the_environment_changes(
        argos_home, xx_yy, tmp_path, monkeypatch):
    assert packages_dir() == argos_home
    install_model(xx_yy)
    assert [m.pair for m in list_models()] == ["xx→yy"]
    other = tmp_path / "elsewhere"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(other))
    assert packages_dir() == other
    assert list_models() == []
    # without ARGOS_PACKAGES_DIR argostranslate uses $XDG_DATA_HOME/argos-translate/packages
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    assert packages_dir() == tmp_path / "xdg_data_home" / "argos-translate" / "packages"


def test_packages_dir_agrees_with_a_fresh_argostranslate(argos_home, tmp_path):
    code = "import argostranslate.settings as s; print(s.package_data_dir)"
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert Path(fresh) == packages_dir() == argos_home


def test_find_route_direct_pivot_and_missing(argos_home, tmp_path_factory):
    for spec in (TinyModel("kk", "en"), TinyModel("en", "ru"), TinyModel("en", "kk")):
        install_model(cached_package(spec, tmp_path_factory))
    assert [m.name for m in find_route("en", "ru")] == ["translate-en_ru"]
    assert [m.name for m in find_route("kk", "ru")] == ["translate-kk_en", "translate-en_ru"]
    assert find_route("ru", "ru") == []
    with pytest.raises(TilmashError) as exc:
        find_route("ru", "kk")
    assert str(exc.value) == (
        "no Argos model for ru→kk: install one with 'tilmash models install FILE.argosmodel' "
        "(needs ru→kk, or ru→en and en→kk)")
    with pytest.raises(TilmashError) as exc:
        find_route("en", "de")
    assert str(exc.value).endswith("(needs en→de)")


def test_translate_models_imports_no_argostranslate_until_used():
    code = ("import sys, translate.models, tilmash.commands.models; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('argostranslate', 'torch', 'ctranslate2', 'stanza')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_listing_loads_no_torch(argos_home, xx_yy):
    code = ("import sys; from translate.models import install_model, list_models; "
            f"install_model({str(xx_yy)!r}); list_models(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('torch', 'ctranslate2', 'stanza') or m == 'argostranslate.translate'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


# -- bad packages -----------------------------------------------------------------------------

def _members(source: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _declare_size(path: Path, size: int) -> Path:
    """Rewrite every central-directory entry to declare *size* uncompressed bytes."""
    data = bytearray(path.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        struct.pack_into("<I", data, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    return path


def _damage(path: Path, member: str) -> Path:
    """Flip bytes inside *member*'s compressed data (the directory stays valid)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + info.compress_size // 3, start + info.compress_size // 3 + 64):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _bad_not_zip(tmp: Path, good: Path) -> Path:
    path = tmp / "model.argosmodel"
    path.write_bytes(b"this is not a zip archive\n" * 10)
    return path


def _bad_no_metadata(tmp: Path, good: Path) -> Path:
    members = {k: v for k, v in _members(good).items() if not k.endswith("metadata.json")}
    return _zip(tmp / "nometa.argosmodel", members)


def _bad_dotdot(tmp: Path, good: Path) -> Path:
    members = _members(good) | {"translate-xx_yy-1_0/../../escaped.txt": b"gotcha"}
    return _zip(tmp / "dotdot.argosmodel", members)


def _bad_absolute(tmp: Path, good: Path) -> Path:
    members = _members(good) | {str(tmp / "absolute.txt"): b"gotcha"}
    return _zip(tmp / "absolute.argosmodel", members)


def _bad_two_folders(tmp: Path, good: Path) -> Path:
    members = _members(good) | {"other/readme.txt": b"hello"}
    return _zip(tmp / "two.argosmodel", members)


def _bad_metadata_json(tmp: Path, good: Path) -> Path:
    members = _members(good) | {"translate-xx_yy-1_0/metadata.json": b"{not json"}
    return _zip(tmp / "badjson.argosmodel", members)


def _bad_metadata_codes(tmp: Path, good: Path) -> Path:
    meta = json.dumps({"package_version": "1.0", "from_code": "../x", "to_code": "yy"})
    members = _members(good) | {"translate-xx_yy-1_0/metadata.json": meta.encode()}
    return _zip(tmp / "badcode.argosmodel", members)


def _bad_no_model(tmp: Path, good: Path) -> Path:
    members = {k: v for k, v in _members(good).items() if "model.bin" not in k}
    return _zip(tmp / "nomodel.argosmodel", members)


def _bad_tokenizer(tmp: Path, good: Path) -> Path:
    members = _members(good) | {"translate-xx_yy-1_0/sentencepiece.model": b"garbage" * 100}
    return _zip(tmp / "badsp.argosmodel", members)


def _bad_bomb(tmp: Path, good: Path) -> Path:
    members = _members(good) | {"translate-xx_yy-1_0/zeros.bin": bytes(64 * 1024**2)}
    return _zip(tmp / "bomb.argosmodel", members)


def _bad_declared_size(tmp: Path, good: Path) -> Path:
    path = _zip(tmp / "huge.argosmodel", _members(good))
    return _declare_size(path, 3 * 1024**3)


def _bad_damaged(tmp: Path, good: Path) -> Path:
    path = _zip(tmp / "damaged.argosmodel", _members(good))
    return _damage(path, "translate-xx_yy-1_0/model/model.bin")


BAD = {
    "not a zip": (_bad_not_zip, "not an Argos model (not a zip archive)"),
    "no metadata": (_bad_no_metadata, "no translate-xx_yy-1_0/metadata.json; not an Argos model"),
    "dotdot member": (_bad_dotdot, "unsafe member 'translate-xx_yy-1_0/../../escaped.txt' ('..')"),
    "absolute member": (_bad_absolute, "(an absolute path); nothing installed"),
    "two top folders": (_bad_two_folders, "an Argos model holds one top-level folder, found 2"),
    "metadata not json": (_bad_metadata_json, "translate-xx_yy-1_0/metadata.json is not valid JSON"),
    "metadata bad code": (_bad_metadata_codes, "'from_code' must be a language code, got '../x'"),
    "no model.bin": (_bad_no_model, "no translate-xx_yy-1_0/model/model.bin"),
    "bad tokenizer": (_bad_tokenizer, "sentencepiece.model does not load"),
    "zip bomb": (_bad_bomb, "a zip bomb?; nothing installed"),
    "huge declared size": (_bad_declared_size, "a zip bomb?; nothing installed"),
    "damaged data": (_bad_damaged, "damaged zip archive"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_package_is_rejected_in_one_line_leaving_nothing(
        case, argos_home, xx_yy, tmp_path, tmp_path_factory):
    # an already installed model must survive a failed install untouched
    keep = cached_package(TinyModel("en", "yy"), tmp_path_factory)
    install_model(keep)
    before = entries(argos_home)
    make, message = BAD[case]
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = make(bad_dir, xx_yy)

    result = run("install", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{bad}: ")
    assert message in result.stderr
    assert entries(argos_home) == before == ["translate-en_yy-1_0"]
    assert entries(argos_home.parent) == sorted(
        ["bad", "packages", "xdg_cache_home", "xdg_config_home", "xdg_data_home"])
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "absolute.txt").exists()
    assert [m.pair for m in list_models()] == ["en→yy"]


def test_total_size_limit(argos_home, xx_yy):
    with pytest.raises(TilmashError) as exc:
        install_model(xx_yy, max_bytes=1000)
    assert str(exc.value).startswith(f"{xx_yy}: expands to 0.")
    assert str(exc.value).endswith("(limit 0.0 MB); nothing installed")
    assert entries(argos_home) == []


def test_members_are_what_argostranslate_needs(xx_yy):
    with zipfile.ZipFile(xx_yy) as zf:
        names = set(zf.namelist())
        meta = json.load(io.BytesIO(zf.read("translate-xx_yy-1_0/metadata.json")))
    assert {"translate-xx_yy-1_0/model/model.bin", "translate-xx_yy-1_0/model/config.json",
            "translate-xx_yy-1_0/model/shared_vocabulary.json",
            "translate-xx_yy-1_0/sentencepiece.model",
            "translate-xx_yy-1_0/minisbd/xx.onnx"} <= names
    assert meta["from_code"] == "xx" and meta["to_code"] == "yy" and meta["type"] == "translate"


def test_tiny_package_build_is_deterministic(tmp_path, xx_yy):
    from tests.tinymodel import build_package

    again = build_package(XX_YY, tmp_path)
    assert again.read_bytes() == xx_yy.read_bytes()


def test_unusable_packages_folder_is_one_line(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(blocker / "packages"))
    result = run("list")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("cannot set up argostranslate's folders: ")
    assert str(blocker / "packages") in result.stderr
    # a usable folder works again afterwards
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    assert run("list").exit_code == 0
