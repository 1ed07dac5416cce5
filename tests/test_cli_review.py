"""``tilmash review``: interactive review of fuzzy entries, saved after every decision."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from tilmash.cli import COMMANDS, cli
from translate.catalog import catalog_path, entry_state, new_catalog, write_catalog
from translate.postrict import read_catalog
from tests.conftest import REPO

BAD_PO = REPO / "tests" / "data" / "po" / "unterminated.po"
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=5)))
SHOWN = "locales/ru/LC_MESSAGES/article.po"

GLOSSARY = """\
version: 1
concepts:
  immortal-regiment:
    terms:
      en: Immortal Regiment
      ru:
        - Бессмертный полк
        - term: Вечный полк
          status: forbidden
  astana:
    kind: name
    terms:
      en: Astana
      ru: Астана
"""

PARADE = "Parade in Astana"
REGIMENT = "The Immortal Regiment marched in 2022."
NATIVES = "Around 178,000 natives served."
TOKAYEV = "Tokayev spoke."


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(COMMANDS, "review", ("tilmash.commands.review", "review", "Review."))


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "tilmash.toml").write_text(
        'source = "en"\ntargets = ["ru", "kk"]\nglossary = ["glossary.yaml"]\n', encoding="utf-8"
    )
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def entry(
    msgid: str,
    msgstr: str,
    line: int,
    *,
    fuzzy: bool = True,
    comment: str = "machine: test",
    previous: str | None = None,
) -> polib.POEntry:
    e = polib.POEntry(
        msgid=msgid,
        msgstr=msgstr,
        occurrences=[("article.md", str(line))],
        comment=comment,
        encoding="utf-8",
    )
    if fuzzy:
        e.flags = ["fuzzy"]
    e.previous_msgid = previous
    return e


def write_ru() -> Path:
    """Three fuzzy entries (two machine, one memory suggestion), one reviewed, one empty."""
    po = new_catalog("ru", "article.md", now=T0)
    po.append(entry(PARADE, "Парад в Астане", 1))
    po.append(entry(REGIMENT, "Вечный полк прошёл в 2022 году.", 3))
    po.append(
        entry(
            NATIVES,
            "Около 170 000 уроженцев служили.",
            5,
            comment="memory: 93% match, reviewed in other.po",
            previous="Around 170,000 natives served.",
        )
    )
    po.append(entry(TOKAYEV, "Токаев выступил.", 7, fuzzy=False, comment=""))
    po.append(entry("Oral", "", 9, fuzzy=False, comment=""))
    path = catalog_path("locales", "ru", "article.md")
    write_catalog(path, po, now=T0)
    return path


def run(*args: str | Path, input: str | None = None, editor: str | None = None) -> Result:
    env = {"VISUAL": None, "EDITOR": editor or "false"}
    return CliRunner().invoke(
        cli, [str(a) for a in args], input=input, env=env, catch_exceptions=False
    )


def editor_command(tmp_path: Path, body: str) -> str:
    """An $EDITOR that runs *body* (Python; ``path`` is the file being edited)."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\npath = pathlib.Path(sys.argv[1])\n" + body + "\n", encoding="utf-8"
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def state(path: Path) -> dict[str, tuple[str, str | None]]:
    """msgid -> (msgstr, state) of the live entries."""
    return {e.msgid: (e.msgstr, entry_state(e)) for e in read_catalog(path) if not e.obsolete}


def assert_msgfmt_clean(path: Path) -> None:
    if shutil.which("msgfmt") is None:
        return
    done = subprocess.run(
        ["msgfmt", "-c", "-o", os.devnull, str(path)],
        capture_output=True,
        env=dict(os.environ, LC_ALL="C"),
        check=False,
    )
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode()


# -- decisions ----------------------------------------------------------------------------------


def test_accept_skip_quit(ws: Path) -> None:
    po = write_ru()
    result = run("review", po, input="a\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert state(po) == {
        PARADE: ("Парад в Астане", "reviewed"),
        REGIMENT: ("Вечный полк прошёл в 2022 году.", "machine"),
        NATIVES: ("Около 170 000 уроженцев служили.", "suggestion"),
        TOKAYEV: ("Токаев выступил.", "reviewed"),
        "Oral": ("", None),
    }
    assert result.stderr.splitlines() == [f"updated {po}", "accepted 1, edited 0, skipped 1"]
    assert "machine: test" in po.read_text(encoding="utf-8")  # provenance kept
    assert_msgfmt_clean(po)


def test_entry_display(ws: Path) -> None:
    po = write_ru()
    out = run("review", po, input="s\ns\ns\n").stdout
    assert f"── {po}:" in out and "[1/3]  machine: test" in out
    assert "source:\n    The Immortal Regiment marched in 2022.\n" in out
    assert "translation (ru):\n    Вечный полк прошёл в 2022 году.\n" in out
    assert "Immortal Regiment → Бессмертный полк  (not: Вечный полк)  [immortal-regiment]" in out
    assert "term-forbidden: forbidden ru term 'Вечный полк'" in out
    # the memory suggestion: previous source as a word diff, and its QA finding
    assert "[3/3]  memory: 93% match, reviewed in other.po" in out
    assert "    Around [-170,000-]{+178,000+} natives served." in out
    assert "number-mismatch: source has 178,000; translation has 170 000" in out
    assert out.count("[a]ccept  [e]dit  [i]nline edit  [s]kip  [q]uit: ") == 3


def test_display_names_msgid_line(ws: Path) -> None:
    po = write_ru()
    out = run("review", po, input="q\n").stdout
    lines = po.read_text(encoding="utf-8").split("\n")
    number = lines.index(f'msgid "{PARADE}"') + 1
    assert f"── {po}:{number}  [1/3]" in out


def test_accepting_a_suggestion_drops_previous_source(ws: Path) -> None:
    po = write_ru()
    result = run("review", po, input="s\ns\na\n")
    assert result.exit_code == 0
    entry = read_catalog(po).find(NATIVES)
    assert entry is not None and not entry.fuzzy
    assert entry.previous_msgid is None
    assert "#|" not in po.read_text(encoding="utf-8")
    assert "accepted 1, edited 0, skipped 2" in result.stderr
    assert_msgfmt_clean(po)


def test_edit_in_editor_marks_reviewed(ws: Path) -> None:
    po = write_ru()
    editor = editor_command(
        ws, 'path.write_text("Бессмертный полк прошёл в 2022 году.\\n", encoding="utf-8")'
    )
    result = run("review", po, input="s\ne\nq\n", editor=editor)
    assert result.exit_code == 0, result.output
    assert state(po)[REGIMENT] == ("Бессмертный полк прошёл в 2022 году.", "reviewed")
    assert state(po)[PARADE][1] == "machine"
    assert "accepted 0, edited 1, skipped 1" in result.stderr
    assert_msgfmt_clean(po)


def test_editor_gets_the_current_translation(ws: Path) -> None:
    po = write_ru()
    seen = ws / "seen.txt"
    editor = editor_command(
        ws,
        f"pathlib.Path({str(seen)!r}).write_bytes(path.read_bytes())\n"
        "path.write_text('Парад в Астане (исправлено)', encoding='utf-8')",
    )
    run("review", po, input="e\nq\n", editor=editor)
    assert seen.read_text(encoding="utf-8") == "Парад в Астане\n"
    assert state(po)[PARADE] == ("Парад в Астане (исправлено)", "reviewed")


def test_unchanged_or_failed_edit_asks_again(ws: Path) -> None:
    po = write_ru()
    before = po.read_bytes()
    result = run("review", po, input="e\ns\nq\n", editor="true")
    assert "translation unchanged" in result.stdout
    assert result.stdout.count("[a]ccept") == 3  # asked again, then the next entry
    result = run("review", po, input="e\nq\n", editor="false")
    assert "editor failed" in result.stderr
    assert po.read_bytes() == before


def test_inline_edit(ws: Path) -> None:
    po = write_ru()
    result = run("review", po, input="i\nПарад в столице\nq\n")
    assert result.exit_code == 0
    assert state(po)[PARADE] == ("Парад в столице", "reviewed")
    assert "accepted 0, edited 1, skipped 0" in result.stderr
    assert_msgfmt_clean(po)


def test_inline_enter_keeps_and_accepts(ws: Path) -> None:
    po = write_ru()
    result = run("review", po, input="i\n\nq\n")
    assert state(po)[PARADE] == ("Парад в Астане", "reviewed")
    assert "accepted 1, edited 0, skipped 0" in result.stderr


def test_end_of_input_quits_cleanly(ws: Path) -> None:
    po = write_ru()
    result = run("review", po, input="a\n")
    assert result.exit_code == 0
    assert state(po)[PARADE][1] == "reviewed" and state(po)[REGIMENT][1] == "machine"
    assert result.stderr.endswith("accepted 1, edited 0, skipped 0\n")


def test_unknown_answer_asks_again(ws: Path) -> None:
    po = write_ru()
    result = run("review", po, input="x\nyes\na\nq\n")
    assert result.stdout.count("please answer a, e, i, s or q") == 2
    assert state(po)[PARADE][1] == "reviewed"


def test_all_reviews_translated_entries_too(ws: Path) -> None:
    po = write_ru()
    out = run("review", "--all", po, input="s\ns\ns\ns\ns\n")
    assert "[4/4]  reviewed" in out.stdout and TOKAYEV in out.stdout
    assert "Oral" not in out.stdout  # untranslated, not fuzzy: nothing to review
    assert "skipped 4" in out.stderr


def test_without_po_reviews_every_catalogue_with_fuzzy_entries(ws: Path) -> None:
    write_ru()
    kk = new_catalog("kk", "article.md", now=T0)
    kk.append(entry(PARADE, "Астанадағы шеру", 1))
    kk_path = catalog_path("locales", "kk", "article.md")
    write_catalog(kk_path, kk, now=T0)
    done = new_catalog("ru", "done.md", now=T0)
    done.append(entry(TOKAYEV, "Токаев выступил.", 1, fuzzy=False))
    write_catalog(catalog_path("locales", "ru", "done.md"), done, now=T0)

    result = run("review", input="a\nq\n")
    assert "── locales/kk/LC_MESSAGES/article.po:" in result.stdout
    assert "done.po" not in result.stdout
    assert state(kk_path)[PARADE][1] == "reviewed"
    assert result.stderr.splitlines() == [
        "updated locales/kk/LC_MESSAGES/article.po",
        "accepted 1, edited 0, skipped 0",
    ]

    result = run("review", "--lang", "ru", input="s\ns\ns\n")
    assert "locales/kk" not in result.stdout
    assert result.stdout.count(f"── {SHOWN}:") == 3


def test_nothing_to_review(ws: Path) -> None:
    po = new_catalog("ru", "article.md", now=T0)
    po.append(entry(TOKAYEV, "Токаев выступил.", 1, fuzzy=False))
    path = catalog_path("locales", "ru", "article.md")
    write_catalog(path, po, now=T0)
    result = run("review", path)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"nothing to review: no fuzzy entries in {path}\n"
    result = run("review")
    assert result.stderr == "nothing to review: no fuzzy entries in locales\n"


def test_bad_po_exit_2_before_any_question(ws: Path) -> None:
    bad = ws / "bad.po"
    shutil.copy(BAD_PO, bad)
    before = bad.read_bytes()
    result = run("review", bad, input="a\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{bad}:")
    assert bad.read_bytes() == before


# -- concurrent changes -------------------------------------------------------------------------


def test_other_changes_to_the_file_are_kept(ws: Path) -> None:
    po = write_ru()
    # while the reviewer edits REGIMENT, someone else changes the NATIVES translation
    editor = editor_command(
        ws,
        (
            f"po = pathlib.Path({str(po.resolve())!r})\n"
            "text = po.read_text(encoding='utf-8')\n"
            "text = text.replace('Около 170 000 уроженцев служили.', 'Около 178 000 уроженцев служили.')\n"
            "po.write_text(text, encoding='utf-8')\n"
            "path.write_text('Бессмертный полк прошёл в 2022 году.', encoding='utf-8')"
        ),
    )
    result = run("review", po, input="s\ne\nq\n", editor=editor)
    assert result.exit_code == 0, result.output
    assert state(po)[REGIMENT] == ("Бессмертный полк прошёл в 2022 году.", "reviewed")
    assert state(po)[NATIVES] == ("Около 178 000 уроженцев служили.", "suggestion")
    assert_msgfmt_clean(po)


def test_accept_after_the_translation_changed_shows_it_again(ws: Path) -> None:
    po = write_ru()
    # the "editor" leaves its file alone but someone changes this very translation meanwhile
    editor = editor_command(
        ws,
        (
            f"po = pathlib.Path({str(po.resolve())!r})\n"
            "text = po.read_text(encoding='utf-8')\n"
            "po.write_text(text.replace('Парад в Астане', 'Парад в Астане!'), encoding='utf-8')"
        ),
    )
    result = run("review", po, input="e\na\na\nq\n", editor=editor)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "translation unchanged" in out
    assert "the translation was changed in the file meanwhile; here it is now:" in out
    assert "    Парад в Астане!\n" in out
    assert state(po)[PARADE] == ("Парад в Астане!", "reviewed")  # accepted what was shown
    assert "accepted 1, edited 0" in result.stderr


def test_entry_reviewed_elsewhere_is_not_shown_again(ws: Path) -> None:
    po = write_ru()
    # while the reviewer edits PARADE, someone else accepts REGIMENT
    editor = editor_command(
        ws,
        (
            f"po = pathlib.Path({str(po.resolve())!r})\n"
            "text = po.read_text(encoding='utf-8')\n"
            "text = text.replace('#, fuzzy\\nmsgid \"The Immortal', 'msgid \"The Immortal')\n"
            "po.write_text(text, encoding='utf-8')\n"
            "path.write_text('Парад в Астане.', encoding='utf-8')"
        ),
    )
    result = run("review", po, input="e\ns\nq\n", editor=editor)
    assert result.exit_code == 0, result.output
    assert REGIMENT not in result.stdout and "[2/3]" not in result.stdout
    assert "[3/3]" in result.stdout  # went straight from 1 to 3
    assert state(po)[REGIMENT][1] == "reviewed"
    assert state(po)[PARADE] == ("Парад в Астане.", "reviewed")
    assert "skipped 1" in result.stderr
