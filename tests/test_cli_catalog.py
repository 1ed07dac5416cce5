"""``tilmash catalog stats`` and ``tilmash catalog compile``.

Statistics are compared with ``msgfmt --statistics`` and ``.mo`` files with ``msgfmt -o`` on
the real third-party catalogues under ../shared/testdata (skipped when absent).
"""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from tilmash.cli import COMMANDS, cli
from translate.catalog import catalog_path, new_catalog, write_catalog
from tests.conftest import REPO

TESTDATA = REPO.parent / "shared" / "testdata" / "po"
REAL_PO = sorted(TESTDATA.glob("*/*.po")) if TESTDATA.is_dir() else []
BAD_PO = REPO / "tests" / "data" / "po" / "unterminated.po"
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=5)))


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        COMMANDS, "catalog", ("tilmash.commands.catalog", "catalog", "Catalogue stats and .mo.")
    )


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def need_msgfmt() -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")


def msgfmt(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(["msgfmt", *map(str, args)], capture_output=True, env=env, check=False)


def entry(
    msgid: str, msgstr: str = "", *, fuzzy: bool = False, obsolete: bool = False
) -> polib.POEntry:
    e = polib.POEntry(msgid=msgid, msgstr=msgstr, obsolete=obsolete, encoding="utf-8")
    if fuzzy:
        e.flags = ["fuzzy"]
    if not obsolete:
        e.occurrences = [("article.md", "1")]
    return e


def make_catalog(path: Path, lang: str = "ru") -> Path:
    """2 translated, 1 fuzzy, 1 untranslated, 1 obsolete."""
    po = new_catalog(lang, "article.md", now=T0)
    po.append(entry("Astana", "Астана"))
    po.append(entry("Almaty", "Алматы"))
    po.append(entry("Semey", "Семей", fuzzy=True))
    po.append(entry("Oral"))
    po.append(entry("Nur-Sultan", "Нур-Султан", obsolete=True))
    write_catalog(path, po, now=T0)
    return path


def statistics(path: Path) -> dict[str, int]:
    """``msgfmt --statistics`` numbers."""
    result = msgfmt("--statistics", "-o", os.devnull, path)
    assert result.returncode == 0, result.stderr.decode()
    text = result.stderr.decode()
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, what in re.findall(r"(\d+) (translated|fuzzy|untranslated)", text):
        counts[what] = int(number)
    return counts


# -- stats ------------------------------------------------------------------------------------


def test_stats_text_line(tmp_path: Path) -> None:
    po = make_catalog(tmp_path / "a.po")
    result = run("catalog", "stats", po)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{po}: 2 translated, 1 fuzzy, 1 untranslated, 1 obsolete\n"


def test_stats_json(tmp_path: Path) -> None:
    a = make_catalog(tmp_path / "a.po")
    b = tmp_path / "b.po"
    write_catalog(b, new_catalog("kk", "b.md", now=T0), now=T0)
    result = run("catalog", "stats", "--json", a, b)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == [
        {"file": str(a), "translated": 2, "fuzzy": 1, "untranslated": 1, "obsolete": 1},
        {"file": str(b), "translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0},
    ]


def test_stats_without_arguments_reads_configured_locales(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tilmash.toml").write_text('locales = "l10n"\n', encoding="utf-8")
    make_catalog(catalog_path(tmp_path / "l10n", "ru", "article.md"))
    make_catalog(catalog_path(tmp_path / "l10n", "kk-Latn", "article.md"), "kk-Latn")
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)  # the config is found in a parent folder
    result = run("catalog", "stats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    root = tmp_path.resolve() / "l10n"  # outside the current folder: shown in full
    assert [line.split(": ")[0] for line in lines] == [
        str(root / "kk@latin" / "LC_MESSAGES" / "article.po"),
        str(root / "ru" / "LC_MESSAGES" / "article.po"),
    ]


def test_stats_paths_relative_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tilmash.toml").write_text("", encoding="utf-8")
    make_catalog(catalog_path(tmp_path / "locales", "ru", "a.md"))
    monkeypatch.chdir(tmp_path)
    result = run("catalog", "stats")
    assert result.stdout == (
        "locales/ru/LC_MESSAGES/a.po: 2 translated, 1 fuzzy, 1 untranslated, 1 obsolete\n"
    )


def test_stats_with_no_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tilmash.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("catalog", "stats", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "no catalogues under locales" in result.stderr


def test_stats_equal_msgfmt_on_written_catalogue(tmp_path: Path) -> None:
    need_msgfmt()
    po = make_catalog(tmp_path / "a.po")
    data = json.loads(run("catalog", "stats", "--json", po).stdout)[0]
    assert {k: data[k] for k in ("translated", "fuzzy", "untranslated")} == statistics(po)


@pytest.mark.parametrize("name", [p.relative_to(TESTDATA).as_posix() for p in REAL_PO] or ["none"])
def test_stats_equal_msgfmt_statistics_on_real_catalogues(name: str) -> None:
    if not REAL_PO:
        pytest.skip(f"shared test data not available: {TESTDATA}")
    need_msgfmt()
    path = TESTDATA / name
    result = run("catalog", "stats", "--json", path)
    assert result.exit_code == 0, result.stderr
    (data,) = json.loads(result.stdout)
    assert data["file"] == str(path)
    assert {k: data[k] for k in ("translated", "fuzzy", "untranslated")} == statistics(path)
    assert data["obsolete"] == len(re.findall(r"^#~ msgid ", path.read_text("utf-8"), re.MULTILINE))


def test_stats_bad_catalogue_exit_2_nothing_printed(tmp_path: Path) -> None:
    good = make_catalog(tmp_path / "good.po")
    bad = tmp_path / "bad.po"
    shutil.copy(BAD_PO, bad)
    result = run("catalog", "stats", good, bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.match(rf"{re.escape(str(bad))}:\d+: ", result.stderr)


def test_stats_missing_file_is_usage_error(tmp_path: Path) -> None:
    result = run("catalog", "stats", tmp_path / "nope.po")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# -- compile ----------------------------------------------------------------------------------


def translations(mo: Path) -> gettext.GNUTranslations:
    with mo.open("rb") as fh:
        return gettext.GNUTranslations(fh)


def test_compile_writes_mo_beside_po(tmp_path: Path) -> None:
    po = make_catalog(tmp_path / "a.po")
    result = run("catalog", "compile", po)
    assert result.exit_code == 0, result.stderr
    mo = tmp_path / "a.mo"
    assert result.stderr == f"updated {mo}\n"
    assert result.stdout == ""
    t = translations(mo)
    assert t.gettext("Astana") == "Астана"
    assert t.gettext("Semey") == "Semey"  # fuzzy: left out
    assert t.gettext("Oral") == "Oral"
    assert t.gettext("Nur-Sultan") == "Nur-Sultan"  # obsolete
    assert t.info()["language"] == "ru"


def test_compile_use_fuzzy(tmp_path: Path) -> None:
    po = make_catalog(tmp_path / "a.po")
    assert run("catalog", "compile", "--use-fuzzy", po).exit_code == 0
    assert translations(tmp_path / "a.mo").gettext("Semey") == "Семей"


def test_compile_only_writes_when_bytes_change(tmp_path: Path) -> None:
    po = make_catalog(tmp_path / "a.po")
    run("catalog", "compile", po)
    mo = tmp_path / "a.mo"
    before = mo.stat()
    os.utime(mo, ns=(before.st_atime_ns, before.st_mtime_ns - 10_000_000_000))
    stamp = mo.stat().st_mtime_ns
    result = run("catalog", "compile", po)
    assert result.stderr == f"unchanged {mo}\n"
    assert mo.stat().st_mtime_ns == stamp and mo.stat().st_ino == before.st_ino
    result = run("catalog", "compile", "--use-fuzzy", po)
    assert result.stderr == f"updated {mo}\n"


def test_compile_equals_msgfmt(tmp_path: Path) -> None:
    need_msgfmt()
    po = make_catalog(tmp_path / "a.po")
    for flags in ([], ["--use-fuzzy"]):
        run("catalog", "compile", *flags, po)
        reference = tmp_path / "ref.mo"
        done = msgfmt(*flags, "-o", reference, po)
        assert done.returncode == 0, done.stderr.decode()
        assert (tmp_path / "a.mo").read_bytes() == reference.read_bytes()


@pytest.mark.parametrize(
    "name", [p.relative_to(TESTDATA).as_posix() for p in REAL_PO[:3]] or ["none"]
)
def test_compile_equals_msgfmt_on_real_catalogues(tmp_path: Path, name: str) -> None:
    if not REAL_PO:
        pytest.skip(f"shared test data not available: {TESTDATA}")
    need_msgfmt()
    po = tmp_path / "real.po"
    shutil.copy(TESTDATA / name, po)
    result = run("catalog", "compile", po)
    assert result.exit_code == 0, result.stderr
    reference = tmp_path / "ref.mo"
    assert msgfmt("-o", reference, po).returncode == 0
    assert (tmp_path / "real.mo").read_bytes() == reference.read_bytes()


def test_compile_all_configured_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tilmash.toml").write_text("", encoding="utf-8")
    ru = make_catalog(catalog_path(tmp_path / "locales", "ru", "a.md"))
    kk = make_catalog(catalog_path(tmp_path / "locales", "kk", "a.md"), "kk")
    monkeypatch.chdir(tmp_path)
    result = run("catalog", "compile")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "updated locales/kk/LC_MESSAGES/a.mo",
        "updated locales/ru/LC_MESSAGES/a.mo",
    ]
    assert ru.with_suffix(".mo").is_file() and kk.with_suffix(".mo").is_file()


def test_compile_bad_catalogue_writes_nothing(tmp_path: Path) -> None:
    good = make_catalog(tmp_path / "good.po")
    bad = tmp_path / "bad.po"
    shutil.copy(BAD_PO, bad)
    result = run("catalog", "compile", good, bad)
    assert result.exit_code == 2
    assert re.match(rf"{re.escape(str(bad))}:\d+: ", result.stderr)
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.po", "good.po"]
