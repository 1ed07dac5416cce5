"""The ``tilmash glossary`` commands, in-process, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, snapshot


def _concepts(run_cli, *extra: str) -> dict:
    result = run_cli("glossary", "list", "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return {c["id"]: c for c in json.loads(result.stdout)}


def test_newcomer_creates_glossary_from_cli(workspace, run_cli):
    result = run_cli("glossary", "add", "Батырларға тағзым", "--lang", "kk",
                     "-t", "en=Tribute to Heroes", "--name", "--fill-scripts",
                     "--note", "March replacing the Immortal Regiment in Kazakhstan")
    assert result.exit_code == 0, result.stderr
    cid = result.stdout.strip()
    assert cid == "tribute-to-heroes"
    text = (workspace / "glossary.yaml").read_text(encoding="utf-8")
    assert "Батырларға тағзым" in text and "Batyrlarğa tağzym" in text
    concept = _concepts(run_cli)[cid]
    assert concept["kind"] == "name"
    assert concept["terms"]["kk-Latn"][0] == {
        "term": "Batyrlarğa tağzym", "status": "preferred", "pos": None, "gender": None,
        "note": None, "case_sensitive": False, "translit": "kk-latn-2021",
    }
    assert concept["terms"]["en"][0]["term"] == "Tribute to Heroes"


def test_hand_edits_survive_cli_edits_byte_for_byte(workspace, run_cli):
    assert run_cli("glossary", "add", "Астана", "--lang", "kk", "-t", "en=Astana",
                   "-t", "ru=Астана", "--name").exit_code == 0
    path = workspace / "glossary.yaml"
    # An editor reformats the entry by hand and adds comments.
    hand = path.read_text(encoding="utf-8").replace(
        "  astana:\n", "  # the capital since 1997; Nur-Sultan 2019–2022\n  astana:   # keep\n"
    )
    hand += "  # TODO: add Almaty\n"
    path.write_text(hand, encoding="utf-8")
    assert run_cli("glossary", "add", "Victory Day", "--lang", "en",
                   "-t", "ru=День Победы").exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert after.startswith(hand.rstrip("\n").rsplit("\n", 1)[0])  # everything before the new entry
    assert "# the capital since 1997; Nur-Sultan 2019–2022\n  astana:   # keep\n" in after
    assert "День Победы" in after
    # editing one concept leaves the hand-formatted one untouched
    before_edit = path.read_text(encoding="utf-8")
    assert run_cli("glossary", "edit", "victory-day", "--note", "9 May").exit_code == 0
    edited = path.read_text(encoding="utf-8")
    start = before_edit.index("  victory-day:")
    assert edited[:start] == before_edit[:start]
    assert "note: 9 May" in edited


def test_add_to_existing_concept_and_edit_term(workspace, run_cli):
    run_cli("glossary", "add", "Immortal Regiment", "--lang", "en", "-t", "ru=Бессмертный полк")
    r = run_cli("glossary", "add", "Бессмертный полк", "--lang", "kk", "--id", "immortal-regiment",
                "--status", "admitted")
    assert r.exit_code == 0 and r.stdout.strip() == "immortal-regiment"
    r = run_cli("glossary", "edit", "immortal-regiment", "--lang", "en", "--term",
                "Eternal Regiment", "--status", "forbidden", "--term-note", "mistranslation")
    assert r.exit_code == 0, r.stderr
    terms = _concepts(run_cli)["immortal-regiment"]["terms"]
    assert [t["term"] for t in terms["en"]] == ["Immortal Regiment", "Eternal Regiment"]
    assert terms["en"][1]["status"] == "forbidden" and terms["en"][1]["note"] == "mistranslation"
    assert terms["kk"][0]["status"] == "admitted"
    r = run_cli("glossary", "edit", "immortal-regiment", "--lang", "en", "--term",
                "Eternal Regiment", "--remove")
    assert r.exit_code == 0
    assert len(_concepts(run_cli)["immortal-regiment"]["terms"]["en"]) == 1
    r = run_cli("glossary", "edit", "immortal-regiment", "--rename", "immortal-regiment-march")
    assert r.exit_code == 0
    assert "immortal-regiment-march" in _concepts(run_cli)


def test_rm_and_show(workspace, run_cli):
    run_cli("glossary", "add", "Almaty", "--lang", "en", "--name")
    run_cli("glossary", "add", "Semey", "--lang", "en", "--name")
    r = run_cli("glossary", "show", "semey")
    assert r.exit_code == 0 and "Semey" in r.stdout and "glossary.yaml:" in r.stdout
    r = run_cli("glossary", "show", "semey", "--json")
    assert json.loads(r.stdout)["terms"]["en"][0]["term"] == "Semey"
    assert run_cli("glossary", "rm", "almaty").exit_code == 0
    assert set(_concepts(run_cli)) == {"semey"}
    before = snapshot(workspace)
    r = run_cli("glossary", "rm", "nope")
    assert r.exit_code == 2 and "nope" in r.stderr
    assert snapshot(workspace) == before


@pytest.mark.parametrize("query", ["batyrlarga tagzym", "Батырларга тагзым", "BATYRLARĞA TAĞZYM",
                                   "Batyrlarğa tağzim"])
def test_search_is_case_diacritic_script_insensitive_and_fuzzy(workspace, run_cli, query):
    run_cli("glossary", "add", "Батырларға тағзым", "--lang", "kk", "--fill-scripts", "--name",
            "--id", "batyrlarga-tagzym")
    run_cli("glossary", "add", "Victory Day", "--lang", "en")
    r = run_cli("glossary", "search", query, "--json")
    assert r.exit_code == 0, r.stderr
    hits = json.loads(r.stdout)
    assert hits[0]["id"] == "batyrlarga-tagzym"


def test_search_without_hit_exits_1(workspace, run_cli):
    run_cli("glossary", "add", "Victory Day", "--lang", "en")
    r = run_cli("glossary", "search", "Kremlin")
    assert r.exit_code == 1 and r.stdout == ""


def test_lint_reports_and_exits_1(workspace, run_cli):
    run_cli("glossary", "add", "Астана", "--lang", "kk", "-t", "kk-Latn=Astana", "--name")
    # a Latin "a" inside a Cyrillic word
    run_cli("glossary", "add", "Aлматы", "--lang", "kk", "--name")
    r = run_cli("glossary", "lint", "--json")
    assert r.exit_code == 1
    codes = {f["code"] for f in json.loads(r.stdout)}
    assert "mixed-script" in codes
    clean = workspace / "clean.yaml"
    r = run_cli("glossary", "add", "Астана", "--lang", "kk", "--fill-scripts", "--name",
                "--file", str(clean))
    assert r.exit_code == 0
    # names need a form in every language of the workspace (source and targets)
    r = run_cli("glossary", "lint", "--file", str(clean))
    assert r.exit_code == 1 and "name-missing-form" in r.stdout and "no ru form" in r.stdout
    run_cli("glossary", "add", "Астана", "--lang", "ru", "-t", "en=Astana", "--id", "astana",
            "--file", str(clean))
    r = run_cli("glossary", "lint", "--file", str(clean))
    assert r.exit_code == 0, r.stdout
    r = run_cli("glossary", "lint", "--file", str(clean), "--lang", "de")
    assert r.exit_code == 1 and "no de form" in r.stdout


def test_bad_glossary_file_is_one_line_error_and_nothing_changes(workspace, run_cli):
    path = workspace / "glossary.yaml"
    path.write_text("concepts:\n  astana:\n    terms:\n      kk: [Астана\n", encoding="utf-8")
    before = snapshot(workspace)
    for args in (("glossary", "list"), ("glossary", "add", "Almaty", "--lang", "en"),
                 ("glossary", "rm", "astana"), ("glossary", "lint")):
        r = run_cli(*args)
        assert r.exit_code == 2, args
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{path}:"), r.stderr
        assert "Traceback" not in r.stderr
        assert snapshot(workspace) == before


def test_invalid_language_tag_is_a_usage_error(workspace, run_cli):
    r = run_cli("glossary", "add", "x", "--lang", "xx-Foo")
    assert r.exit_code == 2
    assert not (workspace / "glossary.yaml").exists()


def test_no_glossary_configured(tmp_path, monkeypatch, run_cli):
    monkeypatch.chdir(tmp_path)
    r = run_cli("glossary", "list")
    assert r.exit_code == 2 and "no glossary file" in r.stderr


def test_layered_files(workspace, run_cli):
    base = workspace / "base.yaml"
    local = workspace / "local.yaml"
    run_cli("glossary", "add", "Astana", "--lang", "en", "--name", "--file", str(base))
    run_cli("glossary", "add", "Almaty", "--lang", "en", "--name", "--file", str(base))
    run_cli("glossary", "add", "Астана", "--lang", "ru", "--id", "astana", "--file", str(local))
    merged = _concepts(run_cli, "--file", str(base), "--file", str(local))
    assert set(merged) == {"astana", "almaty"}
    assert set(merged["astana"]["terms"]) == {"en", "ru"}
    assert merged["astana"]["file"] == str(local)


def test_tbx_and_csv_export_import_round_trip(workspace, run_cli):
    run_cli("glossary", "add", "Батырларға тағзым", "--lang", "kk", "--fill-scripts", "--name",
            "-t", "en=Tribute to Heroes", "-t", "ru=Батырларға тағзым", "--note", "a march")
    run_cli("glossary", "add", "Immortal Regiment", "--lang", "en", "-t", "ru=Бессмертный полк")
    run_cli("glossary", "edit", "immortal-regiment", "--lang", "ru", "--term", "Вечный полк",
            "--status", "forbidden")
    original = _concepts(run_cli)
    assert run_cli("glossary", "export", "out.tbx").exit_code == 0
    r = run_cli("glossary", "import", "out.tbx", "--file", "copy.yaml")
    assert r.exit_code == 0, r.stderr
    copy = _concepts(run_cli, "--file", "copy.yaml")
    strip = lambda cs: {k: {**v, "file": None, "line": None} for k, v in cs.items()}  # noqa: E731
    assert strip(copy) == strip(original)

    assert run_cli("glossary", "export", "out.csv", "--source-lang", "en",
                   "--target-lang", "ru").exit_code == 0
    r = run_cli("glossary", "import", "out.csv", "--source-lang", "en", "--target-lang", "ru",
                "--file", "fromcsv.yaml")
    assert r.exit_code == 0, r.stderr
    fromcsv = _concepts(run_cli, "--file", "fromcsv.yaml")
    pairs = {(c["terms"]["en"][0]["term"], t["term"]) for c in fromcsv.values()
             for t in c["terms"].get("ru", [])}
    assert ("Immortal Regiment", "Бессмертный полк") in pairs


def test_export_to_stdout(workspace, run_cli):
    run_cli("glossary", "add", "Astana", "--lang", "en", "--name")
    r = run_cli("glossary", "export", "-", "--format", "tbx")
    assert r.exit_code == 0 and "<martif" in r.stdout and "Astana" in r.stdout


def test_glossary_commands_do_not_import_argostranslate(workspace):
    (workspace / "glossary.yaml").write_text(
        "concepts:\n  astana:\n    kind: name\n    terms:\n      en: Astana\n", encoding="utf-8")
    code = textwrap.dedent("""
        import sys
        from tilmash.cli import main
        try:
            main(["glossary", "list"])
        except SystemExit:
            pass
        heavy = [m for m in ("argostranslate.translate", "torch", "stanza", "ctranslate2") if m in sys.modules]
        print("HEAVY", heavy, file=sys.stderr)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=workspace, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert "astana" in proc.stdout
    assert "HEAVY []" in proc.stderr, proc.stderr


def test_eight_concurrent_adds_all_land(workspace):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tilmash", "glossary", "add", f"Term number {i}", "--lang", "en"],
            cwd=workspace, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(8)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    ids = {o[0].strip() for o in outs}
    from glossary.yamlformat import load_glossary

    gl = load_glossary(workspace / "glossary.yaml")
    assert ids == {c.id for c in gl} and len(gl) == 8
    assert not [p for p in Path(workspace).iterdir() if p.name.startswith(".glossary.yaml")]
