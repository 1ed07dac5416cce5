"""Strict PO reading and canonical writing (translate.postrict).

Differential tests run GNU gettext (msgfmt/msgunfmt) and skip cleanly without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilmash.errors import ParseError, TilmashError
from translate.postrict import (
    check_po_syntax,
    format_po,
    parse_metadata,
    parse_po,
    read_catalog,
)
from tests.conftest import REPO

DATA = REPO / "tests" / "data" / "po"
TESTDATA = REPO.parent / "shared" / "testdata" / "po"
REAL_PO = sorted(TESTDATA.glob("*/*.po")) if TESTDATA.is_dir() else []

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def need_gettext() -> None:
    if shutil.which("msgfmt") is None or shutil.which("msgunfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")


def real_catalogues() -> list[Path]:
    if not REAL_PO:
        pytest.skip(f"shared test data not available: {TESTDATA}")
    return REAL_PO


def msgfmt(*args: str | Path, check: bool = False) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(["msgfmt", *map(str, args)], capture_output=True, env=env, check=check)


def msgfmt_check(path: Path) -> None:
    """msgfmt -c must accept *path* (fails the test with msgfmt's message otherwise)."""
    result = msgfmt("-c", "-o", os.devnull, path)
    assert result.returncode == 0, result.stderr.decode()


def parse(body: str, header: bool = True):  # type: ignore[no-untyped-def]
    return parse_po((HEADER if header else "") + body, "t.po")


def error_of(body: str, header: bool = True) -> str:
    with pytest.raises(ParseError) as info:
        parse(body, header)
    return str(info.value)


# --------------------------------------------------------------------------- errors

FIXTURE_ERRORS = [
    ("unterminated.po", 7, "unterminated string"),
    ("duplicate.po", 10, "duplicate entry: same msgid as the entry at line 6"),
    ("plural-without-msgid-plural.po", 7, "msgstr[0] without msgid_plural"),
    ("duplicate-obsolete.po", 11, "duplicate entry"),
]


@pytest.mark.parametrize(("name", "line", "message"), FIXTURE_ERRORS)
def test_malformed_fixture_is_a_file_line_error(name: str, line: int, message: str) -> None:
    path = DATA / name
    with pytest.raises(ParseError) as info:
        read_catalog(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)


@pytest.mark.parametrize(("name", "line", "message"), FIXTURE_ERRORS)
def test_msgfmt_rejects_the_malformed_fixtures_too(name: str, line: int, message: str) -> None:
    need_gettext()
    assert msgfmt("-o", os.devnull, DATA / name).returncode != 0


def test_polib_silently_accepts_what_we_reject() -> None:
    # The reason this module exists: polib reads `msgstr "Астана` (no closing quote)
    # as a truncated translation, without a word.
    po = polib.pofile((DATA / "unterminated.po").read_text(encoding="utf-8"))
    assert [e.msgstr for e in po if e.msgid == "Astana"] == ["Астан"]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('msgid "a"\nmsgstr "b\\q"\n', 6, "invalid escape sequence '\\q'"),
        ('msgid "a"\nmsgstr "\\x"\n', 6, "invalid escape sequence '\\x'"),
        ('msgid "a"\nmsgstr "\\xd0"\n', 6, "do not form valid UTF-8"),
        ('msgid "a"\nmsgstr\n', 6, "keyword 'msgstr' without a string"),
        ('msgid "a"\nmsgstr[1] "b"\n', 6, "msgstr[1] without msgid_plural"),
        ('# c\n"x"\nmsgid "a"\nmsgstr "b"\n', 6, "string without a keyword"),
        ('msgid "a"\nmsgstr "b"\ngarbage\n', 7, "unknown keyword 'garbage'"),
        ('msgid "a"\nmsgstr "b"\n+ "c"\n', 7, "unexpected character '+'"),
        ('msgid "a"\n#. note\nmsgstr "b"\n', 6, "an extracted comment inside an entry"),
        ('msgid "a"\n', 5, "entry has no msgstr"),
        ('msgid "a"\nmsgid "b"\nmsgstr "c"\n', 6, "msgid after msgid"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 7, "needs msgstr[0]"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', 7, "out of order"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[0] "c"\n', 8, "out of order"),
        ('#~ msgid "a"\nmsgstr "b"\n', 6, "inconsistent use of #~"),
        ('#~ msgctxt "x"\nmsgid "a"\nmsgstr "b"\n', 6, "inconsistent use of #~"),
        ('msgctxt "c"\nmsgstr "b"\n', 6, "msgstr without a msgid"),
        ('msgstr "b"\n', 5, "msgstr without a msgid"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 8, "duplicate entry"),
        (
            'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "c"\n',
            10,
            "same msgctxt and msgid as the entry at line 6",
        ),
        ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 8, "duplicate entry"),
        ('#| msgstr "x"\nmsgid "a"\nmsgstr "b"\n', 5, "not msgstr"),
        ('#| msgid "x"\n#| msgid "y"\nmsgid "a"\nmsgstr "b"\n', 6, "second #| msgid"),
        ('#~| msgid "x"\nmsgid "a"\nmsgstr "b"\n', 6, "inconsistent use of #~| and #|"),
        ('msgid "a"\nmsgstr "b\\0c"\n', 5, "NUL"),
    ],
)
def test_syntax_errors_name_the_line(body: str, line: int, message: str) -> None:
    text = error_of(body)
    assert text.startswith(f"t.po:{line}: "), text
    assert message in text


def test_check_po_syntax_passes_valid_text_and_raises_on_errors() -> None:
    check_po_syntax(HEADER + 'msgid "a"\nmsgstr "b"\n', "ok.po")
    with pytest.raises(ParseError, match=r"^bad\.po:2: "):
        check_po_syntax('msgid "a"\nmsgstr "b\n', "bad.po")


def test_read_catalog_reports_bad_utf8_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "kk.po"
    path.write_bytes((HEADER + 'msgid "a"\nmsgstr "').encode() + b"\xff\xfe" + b'"\n')
    with pytest.raises(ParseError, match=r"kk\.po:6: not valid UTF-8"):
        read_catalog(path)


def test_read_catalog_of_a_missing_file_is_not_a_syntax_error(tmp_path: Path) -> None:
    with pytest.raises(TilmashError, match="no such file") as info:
        read_catalog(tmp_path / "missing.po")
    assert not isinstance(info.value, ParseError)


def test_non_utf8_charset_is_refused_with_advice() -> None:
    text = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
    with pytest.raises(ParseError, match=r"t\.po:1: .*charset ISO-8859-1.*msgconv"):
        parse_po(text, "t.po")


# --------------------------------------------------------------------------- accepted input


def test_bom_crlf_obsolete_context_and_previous_fields_are_read() -> None:
    po = read_catalog(DATA / "bom-crlf-obsolete.po")
    assert po.metadata_is_fuzzy
    assert po.header.startswith("BOM, CRLF")
    assert po.metadata["Language"] == "ru"
    entries = {(e.msgctxt, e.msgid): e for e in po}
    fuzzy = entries[(None, "The capital of Kazakhstan")]
    assert fuzzy.fuzzy and fuzzy.previous_msgid == "The capital"
    assert fuzzy.occurrences == [("article.md", "3")]
    assert entries[("city", "Astana")].msgstr == "Астана"
    assert entries[(None, "%d day")].msgstr_plural == {0: "%d день", 1: "%d дня", 2: "%d дней"}
    yesil = entries[("river", "Yesil")]
    assert yesil.obsolete and yesil.fuzzy
    assert (yesil.previous_msgctxt, yesil.previous_msgid) == ("river", "Ishim")
    assert entries[(None, "Old")].obsolete
    assert entries[(None, "Old")].msgstr == "Старый текст"
    assert "\r" not in format_po(po)


def test_our_rewrite_of_the_bom_crlf_fixture_means_what_msgfmt_reads(tmp_path: Path) -> None:
    need_gettext()
    original = DATA / "bom-crlf-obsolete.po"
    # msgfmt 0.21 itself refuses the BOM; compare with the BOM-less original.
    plain = tmp_path / "plain.po"
    plain.write_bytes(original.read_bytes()[3:])
    rewrite = tmp_path / "rewrite.po"
    rewrite.write_text(format_po(read_catalog(original)), encoding="utf-8")
    msgfmt_check(rewrite)
    a = msgfmt("--statistics", "-o", tmp_path / "a.mo", plain, check=True)
    b = msgfmt("--statistics", "-o", tmp_path / "b.mo", rewrite, check=True)
    assert a.stderr.splitlines()[-1] == b.stderr.splitlines()[-1]
    assert (tmp_path / "a.mo").read_bytes() == (tmp_path / "b.mo").read_bytes()


def test_gnu_escapes_are_decoded_like_msgfmt() -> None:
    po = parse('msgid "a\\x41\\101\\320\\220"\nmsgstr "\\t\\a\\\\\\"q\\""\n')
    assert po[0].msgid == "aAAА"
    assert po[0].msgstr == '\t\a\\"q"'


def test_several_strings_and_keywords_on_one_line_are_accepted() -> None:
    po = parse('msgid "a" "b" msgstr "c"\n"d"\n')
    assert (po[0].msgid, po[0].msgstr) == ("ab", "cd")


def test_line_separator_inside_a_string_is_not_a_line_break() -> None:
    # polib.pofile(text) splits on U+2028/NEL/\x0c and reports a syntax error.
    po = parse('msgid "a\u2028b\x85c\x0cd"\nmsgstr "x"\n')
    assert po[0].msgid == "a\u2028b\x85c\x0cd"
    assert parse_po(format_po(po), "t.po")[0].msgid == po[0].msgid


def test_plural_index_above_nine_is_read() -> None:
    # polib reads only one digit of msgstr[10].
    forms = "".join(f'msgstr[{i}] "f{i}"\n' for i in range(12))
    po = parse('msgid "a"\nmsgid_plural "as"\n' + forms)
    assert po[0].msgstr_plural[10] == "f10"
    assert po[0].msgstr_plural[11] == "f11"


def test_lone_obsolete_marker_and_odd_comments_are_accepted() -> None:
    po = parse('#~\n#!odd comment\nmsgid "a"\nmsgstr "b"\n')
    assert po[0].tcomment == "!odd comment"


def test_blank_lines_inside_an_entry_are_allowed_like_msgfmt() -> None:
    po = parse('msgid "a"\n\nmsgstr "b"\n')
    assert po[0].msgstr == "b"


def test_header_without_entries_and_empty_file() -> None:
    assert len(parse_po("", "e.po")) == 0
    po = parse("")
    assert po.metadata == {"Content-Type": "text/plain; charset=UTF-8"}


def test_references_with_spaces_use_unicode_isolates() -> None:
    po = parse('#: plain.md:3 \u2068my article.md\u2069:12 noline.md\nmsgid "a"\nmsgstr ""\n')
    assert po[0].occurrences == [("plain.md", "3"), ("my article.md", "12"), ("noline.md", "")]
    again = parse_po(format_po(po), "t.po")
    assert again[0].occurrences == po[0].occurrences


# --------------------------------------------------------------------------- writing


def test_header_is_written_back_verbatim_while_metadata_is_unchanged() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language:   kk\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Project-Id-Version: x\\n"\n'
    )
    po = parse_po(text, "t.po")
    assert format_po(po) == text
    po.metadata["Language"] = "ru"
    assert '"Language: ru\\n"\n"Content-Type' in format_po(po)


def test_metadata_parsing_matches_polib() -> None:
    raw = "A: 1\nB:  two words \nC: x\ncontinued\n"
    quoted = "".join(f'"{line}\\n"\n' for line in raw.split("\n")[:-1])
    ref = polib.pofile('msgid ""\nmsgstr ""\n' + quoted)
    assert parse_metadata(raw) == ref.metadata


NEWS = (
    "ASTANA — Kazakhstan's parliament on Wednesday approved amendments to the budget code "
    "that will redirect 1.2 trillion tenge from the National Fund to regional infrastructure "
    'projects, the ministry of finance said in a statement, adding that the "transfer" would '
    "be spread over three years and audited by the Supreme Audit Chamber.\n"
    "Officials said the first tranche\tis due in March."
)


def test_long_paragraph_with_previous_msgid_passes_msgfmt_and_reads_back(tmp_path: Path) -> None:
    need_gettext()
    po = parse("")
    entry = polib.POEntry(
        msgid=NEWS,
        msgstr="АСТАНА — " + NEWS[9:],
        flags=["fuzzy"],
        previous_msgid=NEWS.replace("1.2", "1.1"),
        previous_msgctxt="news",
        comment="memory: 99% match",
        occurrences=[("news/2025-03-04.md", "12")],
    )
    po.append(entry)
    obsolete = polib.POEntry(
        msgid=NEWS + " (old)", msgstr="old", obsolete=True, flags=["fuzzy"],
        previous_msgid=NEWS, comment="machine: x",
    )
    po.append(obsolete)
    text = format_po(po)
    assert all(len(line) <= 79 for line in text.split("\n") if " " in line[:79])
    path = tmp_path / "news.po"
    path.write_text(text, encoding="utf-8")
    msgfmt_check(path)
    back = read_catalog(path)
    for field in ("msgid", "msgstr", "previous_msgid", "previous_msgctxt", "comment", "flags"):
        assert getattr(back[0], field) == getattr(entry, field), field
    assert back[1].previous_msgid == NEWS and back[1].obsolete
    # polib reads our #| lines back too (Babel's long #| lines were the trap).
    assert polib.pofile(text)[0].previous_msgid == entry.previous_msgid


def test_plural_entry_without_forms_is_written_with_nplurals_empty_forms(tmp_path: Path) -> None:
    need_gettext()
    po = parse_po(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
        'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n',
        "t.po",
    )
    po.append(polib.POEntry(msgid="%d day", msgid_plural="%d days"))
    text = format_po(po)
    assert 'msgstr[2] ""' in text
    path = tmp_path / "p.po"
    path.write_text(text, encoding="utf-8")
    msgfmt_check(path)


def test_msgstr_plural_without_msgid_plural_is_refused_when_writing() -> None:
    po = parse("")
    po.append(polib.POEntry(msgid="a", msgstr_plural={0: "x"}))
    with pytest.raises(ValueError, match="no msgid_plural"):
        format_po(po)


_text = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs"], blacklist_characters="\x00"
    ) | st.sampled_from(list('\n\t\r\\" \u2028әіңғүұқөһ')),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(
    msgid=_text.filter(bool),
    msgstr=_text,
    ctxt=st.none() | _text,
    prev=st.none() | _text,
    comment=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]),
                    max_size=60),
    obsolete=st.booleans(),
    fuzzy=st.booleans(),
)
def test_format_then_parse_round_trips_any_entry(
    msgid: str, msgstr: str, ctxt: str | None, prev: str | None, comment: str,
    obsolete: bool, fuzzy: bool,
) -> None:
    po = parse("")
    entry = polib.POEntry(
        msgid=msgid, msgstr=msgstr, msgctxt=ctxt, previous_msgid=prev, obsolete=obsolete,
        flags=["fuzzy"] if fuzzy else [], comment=comment, tcomment=comment,
    )
    po.append(entry)
    text = format_po(po)
    back = parse_po(text, "t.po")[0]
    for field in ("msgid", "msgstr", "msgctxt", "previous_msgid", "obsolete", "flags",
                  "comment", "tcomment"):
        assert getattr(back, field) == getattr(entry, field), field
    assert format_po(parse_po(text, "t.po")) == text


def test_msgfmt_accepts_tricky_strings_we_write(tmp_path: Path) -> None:
    need_gettext()
    po = parse("")
    tricky = ['say "hi"\\', "tab\there", "a\nb\n", "\u2028line sep", "bell\a", "x" * 200,
              "word " * 40, "ends with space ", "  leading", "әңғүұқөһі Ә"]
    for i, text in enumerate(tricky):
        po.append(polib.POEntry(msgid=f"{i}: {text}", msgstr=f"{i}: {text}",
                                previous_msgid=text, flags=["fuzzy"]))
        po.append(polib.POEntry(msgid=f"old {i}: {text}", msgstr=text, obsolete=True))
    path = tmp_path / "tricky.po"
    path.write_text(format_po(po), encoding="utf-8")
    msgfmt_check(path)
    unfmt = subprocess.run(
        ["msgfmt", "--use-fuzzy", "-o", "-", str(path)], capture_output=True, check=True
    ).stdout
    for text in tricky:
        assert text.encode() in unfmt


# --------------------------------------------------------------------------- real catalogues


@pytest.fixture(params=[p.relative_to(TESTDATA).as_posix() for p in REAL_PO] or ["none"])
def real_po(request: pytest.FixtureRequest) -> Path:
    real_catalogues()
    return TESTDATA / request.param


def test_real_catalogue_reads_like_polib(real_po: Path) -> None:
    ours = read_catalog(real_po)
    theirs = polib.pofile(str(real_po))

    def key(e: polib.POEntry) -> tuple[object, ...]:
        return (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.msgstr_plural, bool(e.obsolete),
                e.flags, e.occurrences, e.tcomment, e.previous_msgid)

    assert [key(e) for e in ours] == [key(e) for e in theirs]
    assert ours.metadata == theirs.metadata
    assert bool(ours.metadata_is_fuzzy) == bool(theirs.metadata_is_fuzzy)
    # polib drops empty "#." lines; we keep them, otherwise comments agree
    assert [e.comment.replace("\n\n", "\n").strip("\n") for e in ours] == [
        e.comment.replace("\n\n", "\n").strip("\n") for e in theirs
    ]


def test_real_catalogue_rewrite_keeps_its_meaning(real_po: Path, tmp_path: Path) -> None:
    need_gettext()
    text = format_po(read_catalog(real_po))
    assert format_po(parse_po(text, "again.po")) == text  # idempotent
    rewrite = tmp_path / "rewrite.po"
    rewrite.write_text(text, encoding="utf-8")
    msgfmt_check(rewrite)
    a = msgfmt("--statistics", "-o", tmp_path / "a.mo", real_po, check=True)
    b = msgfmt("--statistics", "-o", tmp_path / "b.mo", rewrite, check=True)
    assert a.stderr == b.stderr.replace(str(rewrite).encode(), str(real_po).encode())
    assert (tmp_path / "a.mo").read_bytes() == (tmp_path / "b.mo").read_bytes()
