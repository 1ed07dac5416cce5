"""Documents → segments → documents: parsing, placeholders, repair and rendering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tilmash.errors import ParseError, TilmashError
from translate.document import (
    Segment,
    load_document,
    parse_document,
    render_document,
    restore_placeholders,
)
from translate.placeholders import repair_placeholders, split_placeholders

DATA = Path(__file__).parent / "data" / "documents"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def segs(text: str, path: str = "doc.md") -> list[Segment]:
    return parse_document(text, path).segments


def render(text: str, translations: dict[int, str], path: str = "doc.md") -> str:
    return render_document(parse_document(text, path), translations)


def html(text: str) -> str:
    return MD.render(text)


# --- golden file ------------------------------------------------------------------------


def _dump(path: Path) -> list[dict[str, object]]:
    doc = load_document(path)
    return [
        {
            "id": s.id,
            "line": s.line,
            "context": s.context,
            "text": s.text,
            "placeholders": s.placeholders,
        }
        for s in doc.segments
    ]


@pytest.mark.parametrize("path", sorted(DATA.glob("*.md")), ids=lambda p: p.name)
def test_golden_segments(path: Path) -> None:
    expected = json.loads((path.parent / (path.name + ".segments.json")).read_text("utf-8"))
    assert _dump(path) == expected


def test_mixed_document_keeps_everything_outside_segments() -> None:
    doc = load_document(DATA / "mixed.md")
    text = doc.text
    assert doc.format == "markdown" and doc.skipped == []
    covered = "".join(text[s.start : s.end] for s in doc.segments)
    for never in (
        "title: Victory Day",
        'print("never translated")',
        "indented code is",
        "HTML blocks stay",
        "https://example.com/ref",
        "parade.jpg",
        "https://akorda.kz/en/speech",
        "Akorda",
    ):
        assert never in text
        assert all(never not in s.text for s in doc.segments), never
    assert "code spans" not in "".join(s.text for s in doc.segments)
    assert covered  # sanity
    # a "translation" that upper-cases the words keeps everything else byte for byte
    upper = {s.id: split_join_upper(s.text) for s in doc.segments}
    out = render_document(doc, upper)
    assert "title: Victory Day in Kazakhstan\nlang: en\n" in out
    assert '```python\nprint("never translated")\n```' in out
    assert '[ref]: https://example.com/ref "Reference title"' in out
    assert "# VICTORY DAY: *A* REPORT #" in out
    assert "| 1945 | VICTORY IN *EUROPE*. PARADE HELD. |" in out
    assert "![A PHOTO OF THE PARADE](parade.jpg)" in out
    assert '[THE SPEECH](https://akorda.kz/en/speech "Akorda") AND `code spans`.' in out
    assert _block_tags(html(out)) == _block_tags(html(text))


def split_join_upper(text: str) -> str:
    return "".join(
        value if is_ph else value.upper() for is_ph, value, _ in split_placeholders(text)
    )


def _block_tags(rendered: str) -> list[str]:
    import re

    return re.findall(r"</?(?:p|h[1-6]|li|ul|ol|blockquote|table|tr|td|th|pre|hr|div)\b", rendered)


# --- parsing ----------------------------------------------------------------------------


def test_segment_fields() -> None:
    text = "# Title\n\nFirst sentence here. Second one with **bold** text.\n"
    s = segs(text)
    assert [x.text for x in s] == [
        "Title",
        "First sentence here.",
        "Second one with <g1>bold</g1> text.",
    ]
    assert [x.id for x in s] == [1, 2, 3]
    assert [x.line for x in s] == [1, 3, 3]
    assert [x.context for x in s] == ["heading", "paragraph", "paragraph"]
    assert s[2].placeholders == {"<g1>": "**", "</g1>": "**"}
    assert s[2].source == "Second one with **bold** text."
    assert text[s[2].start : s[2].end] == s[2].source


def test_contexts() -> None:
    text = "- item text\n\n> quoted text\n\n| head |\n|---|\n| cell text |\n\nSetext\n===\n"
    assert [(x.context, x.text) for x in segs(text)] == [
        ("list item", "item text"),
        ("blockquote", "quoted text"),
        ("table header", "head"),
        ("table cell", "cell text"),
        ("heading", "Setext"),
    ]


def test_front_matter_is_not_translated() -> None:
    text = "---\ntitle: Hello world\ntags: [a, b]\n---\nBody text here.\n"
    s = segs(text)
    assert [x.text for x in s] == ["Body text here."]
    assert s[0].line == 5
    assert render(text, {1: "Текст."}) == "---\ntitle: Hello world\ntags: [a, b]\n---\nТекст.\n"


def test_unclosed_front_matter_is_markdown() -> None:
    assert [x.text for x in segs("---\nSome text\n")] == ["Some text"]


def test_crlf_document_round_trips() -> None:
    text = "# Title\r\n\r\nLine one and\r\nline two.\r\n> quote\r\n"
    doc = parse_document(text, "doc.md")
    assert [s.text for s in doc.segments] == ["Title", "Line one and\nline two.", "quote"]
    assert doc.segments[1].layout.breaks == ("\r\n",)
    marked = render_document(doc, {s.id: f"«{s.text}»" for s in doc.segments})
    assert marked == "# «Title»\r\n\r\n«Line one and\r\nline two.»\r\n> «quote»\r\n"


def test_code_and_html_blocks_and_references_have_no_segments() -> None:
    text = (
        "```\nfenced code\n```\n\n    indented code\n\n<div>\nhtml block\n</div>\n\n"
        '[label]: https://example.com "Title text"\n'
    )
    assert segs(text) == []


def test_inline_placeholders() -> None:
    text = (
        "Run `ls -l` now, see <https://example.com> or www.example.com/page, "
        'a <span class="x">tag</span> and ~~old~~ text.\n'
    )
    (s,) = segs(text)
    assert s.text == ("Run <x1/> now, see <x2/> or <x3/>, a <g4>tag</g4> and <g5>old</g5> text.")
    assert s.placeholders == {
        "<x1/>": "`ls -l`",
        "<x2/>": "<https://example.com>",
        "<x3/>": "www.example.com/page",
        "<g4>": '<span class="x">',
        "</g4>": "</span>",
        "<g5>": "~~",
        "</g5>": "~~",
    }


def test_images_links_and_references() -> None:
    text = (
        "An ![alt text](a.png \"T\") and [link *text*](u 'title') and [full][r] "
        "and [short] and ![](empty.png) here.\n\n[r]: /r\n[short]: /s\n"
    )
    (s,) = segs(text)
    assert s.text == (
        "An <g1>alt text</g1> and <g2>link <g3>text</g3></g2> and <g4>full</g4> "
        "and <x5/> and <x6/> here."
    )
    assert s.placeholders["</g1>"] == '](a.png "T")'
    assert s.placeholders["</g2>"] == "](u 'title')"
    assert s.placeholders["</g4>"] == "][r]"
    assert s.placeholders["<x5/>"] == "[short]"  # its text is the reference label


def test_escapes_and_entities_are_text() -> None:
    text = "Price \\*not\\* emphasis &amp; &copy; 2025, \\[1\\].\n"
    (s,) = segs(text)
    assert s.text == "Price *not* emphasis & © 2025, [1]."
    assert s.placeholders == {}
    # same characters back: same spelling
    assert render(text, {1: "Цена *не* выделение & © 2025, [1]."}) == (
        "Цена \\*не\\* выделение &amp; &copy; 2025, \\[1\\].\n"
    )


def test_placeholder_like_source_text_is_protected() -> None:
    text = "Literal &lt;x1/&gt; and \\<g2> in text.\n"
    (s,) = segs(text)
    assert s.text == "Literal <x1/> and <x2/> in text."
    assert s.placeholders == {"<x1/>": "&lt;x1/&gt;", "<x2/>": "\\<g2>"}
    assert render(text, {1: "Буквально <x1/> и <x2/> в тексте."}) == (
        "Буквально &lt;x1/&gt; и \\<g2> в тексте.\n"
    )


def test_pairs_enclosing_a_sentence_stay_outside() -> None:
    text = "**Whole bold sentence. And another.**\n"
    s = segs(text)
    assert [x.text for x in s] == ["Whole bold sentence.", "And another."]
    assert render(text, {1: "Первое.", 2: "Второе."}) == "**Первое. Второе.**\n"


def test_no_split_inside_a_pair() -> None:
    (s,) = segs("A [link. With two](u) sentences.\n")
    assert s.text == "A <g1>link. With two</g1> sentences."


def test_hard_break_and_soft_break() -> None:
    text = "> Line one  \n> line two\n> and three.\n"
    (s,) = segs(text)
    assert s.text == "Line one<x1/>line two\nand three."
    assert s.placeholders == {"<x1/>": "  \n> "}
    assert s.layout.breaks == ("\n> ",)
    assert render(text, {1: "Строка<x1/>вторая\nи третья."}) == (
        "> Строка  \n> вторая\n> и третья.\n"
    )


def test_plain_text_documents() -> None:
    text = "First *para* line one\n  line two. Next sentence.\n\n\nSecond para https://x.org.\n"
    doc = parse_document(text, "doc.txt")
    assert doc.format == "text"
    assert [(s.text, s.line) for s in doc.segments] == [
        ("First *para* line one\nline two.", 1),
        ("Next sentence.", 2),
        ("Second para <x1/>.", 5),
    ]
    assert doc.segments[0].layout.breaks == ("\n  ",)
    out = render_document(doc, {1: "Первый *абзац*\nдва.", 3: "Второй <x1/>."})
    assert out == "Первый *абзац*\n  два. Next sentence.\n\n\nВторой https://x.org.\n"


# --- rendering: identity, escaping, line structure ------------------------------------


def test_identity_translation_gives_the_source() -> None:
    text = "A *b* `c` [d](e) \\* &amp;\nf  \ng.\n"
    doc = parse_document(text, "doc.md")
    assert render_document(doc, {s.id: s.text for s in doc.segments}) == text
    assert render_document(doc, {}) == text


def test_table_cell_pipes_are_escaped() -> None:
    text = "| a | b |\n|---|---|\n| x | y |\n"
    out = render(text, {3: "один | два", 4: "*звезда* _x_\nновая"})
    assert out == "| a | b |\n|---|---|\n| один \\| два | \\*звезда\\* \\_x\\_ новая |\n"
    assert html(out).count("<td>") == 2


def test_line_starts_that_would_start_blocks_are_escaped() -> None:
    text = "Foo bar baz\nqux quux.\n"
    out = render(text, {1: "Фу бар\n1. баз\n- мин\n===\nлишний"})
    assert out == "Фу бар\n1\\. баз - мин === лишний\n"
    assert _block_tags(html(out)) == ["<p", "</p"]
    out = render(text, {1: "# Фу\n---"})
    assert out == "\\# Фу\n\\---\n"
    assert _block_tags(html(out)) == ["<p", "</p"]


@pytest.mark.parametrize(
    "translation",
    ["# заголовок", "> цитата", "- пункт", "1. пункт", "```", "<div>", "[a]: /b", "***"],
)
def test_block_start_of_a_paragraph_is_escaped(translation: str) -> None:
    out = render("Plain paragraph.\n", {1: translation})
    assert _block_tags(html(out)) == ["<p", "</p"], out


def test_ordered_items_continuation_rules() -> None:
    # inside the item, a "2." line cannot interrupt: no escape needed, none added
    assert render("- item one\n  continues here.\n", {1: "пункт\n2. два"}) == "- пункт\n  2. два\n"
    # a lazy line would start a sibling item: escaped
    assert render("- item one\ncontinues here.\n", {1: "пункт\n2. два"}) == "- пункт\n2\\. два\n"


def test_blockquote_prefixes_and_extra_newlines() -> None:
    out = render("> Foo bar\n> baz.\n", {1: "Фу\n> бар\nбаз\n\n\nконец"})
    assert out == "> Фу\n> \\> бар баз конец\n"


def test_atx_closing_hashes_are_escaped() -> None:
    assert render("# Title\n", {1: "Заголовок C #"}) == "# Заголовок C \\#\n"
    assert render("# Title #\n", {1: "C#"}) == "# C# #\n"


def test_inline_syntax_in_translations_is_escaped() -> None:
    out = render("Plain text.\n", {1: "a*b* _c_ `d` [e](f) <b>g</b> ~~h~~ &amp; \\ snake_case"})
    assert out == (
        "a\\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<b>g\\</b> \\~\\~h\\~\\~ \\&amp; \\\\ snake_case\n"
    )
    assert "<em>" not in html(out) and "<code>" not in html(out) and "<a " not in html(out)


def test_emphasis_keeps_working_around_changed_words() -> None:
    text = "word _emph_ word.\n"
    assert render(text, {1: "слово<g1>эмф</g1>слово."}) == "слово*эмф*слово.\n"
    assert render(text, {1: "слово <g1> эмф </g1> слово."}) == "слово  _эмф_  слово.\n"
    out = render("Say *this* now.\n", {1: "Скажи<g1>«это»</g1>сейчас."})
    assert "<em>«это»</em>" in html(out)


def test_inline_html_moved_to_a_line_start_cannot_open_an_html_block() -> None:
    text = "Text <div>bold</div> end.\n"
    doc = parse_document(text, "doc.md")
    rendered, messages = restore_placeholders(doc.segments[0], "<g1>жирный</g1> текст.")
    assert messages == ["moved '<g1>' off the start of a line"]
    assert rendered == "жирный <div></div> текст."
    assert html(rendered + "\n").startswith("<p>")


# --- placeholder repair -------------------------------------------------------------------


def _seg(text: str) -> Segment:
    (s,) = segs(text)
    return s


def test_restore_dropped_single_is_appended() -> None:
    s = _seg("Use `ls` to list files.\n")
    assert s.text == "Use <x1/> to list files."
    out, messages = restore_placeholders(s, "Используйте для списка файлов.")
    assert out == "Используйте для списка файлов.`ls`"
    assert messages == ["re-inserted missing '<x1/>' at the end"]


def test_restore_duplicates_unknown_and_loose_spelling() -> None:
    s = _seg("Use `ls` to list *files*.\n")
    out, messages = restore_placeholders(s, "< X1 / > и <x1/> для <g2>файлов</ g2> <x7/>.")
    assert out == "`ls` и  для *файлов* ."
    assert messages == ["removed duplicate '<x1/>'", "dropped unknown placeholder '<x7/>'"]


def test_restore_missing_pair_wraps_the_text() -> None:
    s = _seg("A *bold* claim.\n")
    out, messages = restore_placeholders(s, "Смелое заявление.")
    assert out == "*Смелое заявление.*"
    assert messages == ["wrapped the text in missing '<g1>'…'</g1>'"]
    out, messages = restore_placeholders(s, "Смелое <g1>заявление.")
    assert out == "Смелое *заявление.*"
    assert messages == ["re-inserted missing '</g1>' at the end"]


def test_restore_reversed_and_crossed_pairs() -> None:
    s = _seg("A *b [c](u) d* e.\n")
    assert s.text == "A <g1>b <g2>c</g2> d</g1> e."
    out, messages = restore_placeholders(s, "А </g1>б<g1> в.")
    assert messages == [
        "swapped reversed '<g1>' and '</g1>'",
        "wrapped the text in missing '<g2>'…'</g2>'",
    ]
    out, messages = restore_placeholders(s, "А <g1>б <g2>в</g1> г</g2> д.")
    assert messages == ["moved '</g1>' after '</g2>' (crossed pairs)"]
    assert out == "А *б [в г](u)* д."
    assert '<em>б <a href="u">в г</a></em>' in html(out)


def test_restore_empty_emphasis_is_dropped() -> None:
    s = _seg("A *b* c.\n")
    out, messages = restore_placeholders(s, "А <g1> </g1> в.")
    assert out == "А   в."
    assert messages == ["dropped empty '<g1>'…'</g1>'"]


def test_hard_break_at_the_edge_is_dropped() -> None:
    s = _seg("Line one  \nline two.\n")
    out, messages = restore_placeholders(s, "<x1/>Строка один строка два.")
    assert out == "Строка один строка два."
    assert messages == ["dropped line break '<x1/>' at the edge of the segment"]


def test_render_document_reports_repairs() -> None:
    doc = parse_document("Use `ls` here. Plain one.\n", "doc.md")
    reports: list[tuple[int, list[str]]] = []
    out = render_document(
        doc, {1: "Тут.", 2: None}, on_repair=lambda s, m: reports.append((s.id, m))
    )  # type: ignore[dict-item]
    assert out == "Тут.`ls` Plain one.\n"
    assert reports == [(1, ["re-inserted missing '<x1/>' at the end"])]


def test_repair_placeholders_generic() -> None:
    pieces, messages = repair_placeholders(
        "x <g2>y</g1> z", ["<g1>", "<g2>", "</g2>", "</g1>", "<x3/>"]
    )
    assert "".join(v for _, v in pieces) == "<g1>x <g2>y z</g2></g1><x3/>"
    assert messages == [
        "re-inserted missing '<g1>' at the start",
        "re-inserted missing '</g2>' at the end",
        "re-inserted missing '<x3/>' at the end",
        "moved '</g1>' after '</g2>' (crossed pairs)",
    ]


# --- files and errors --------------------------------------------------------------------


def test_load_document_formats(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Hello *world*.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Hello *world*.\n", encoding="utf-8")
    assert load_document(tmp_path / "a.md").segments[0].text == "Hello <g1>world</g1>."
    assert load_document(tmp_path / "a.txt").segments[0].text == "Hello *world*."
    assert load_document(tmp_path / "a.txt", fmt="markdown").format == "markdown"


def test_load_document_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"fine\nbroken \xff byte\n")
    with pytest.raises(ParseError) as err:
        load_document(bad)
    assert str(err.value).startswith(f"{bad}:2: not valid UTF-8")
    (tmp_path / "a.rst").write_text("x", encoding="utf-8")
    with pytest.raises(ParseError, match="unknown document format"):
        load_document(tmp_path / "a.rst")
    with pytest.raises(TilmashError, match="no such file"):
        load_document(tmp_path / "missing.md")
    with pytest.raises(ParseError, match="unknown document format 'rst'"):
        parse_document("x", "a.md", fmt="rst")


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeffHello.\n".encode())
    doc = load_document(path)
    assert doc.text == "Hello.\n" and doc.segments[0].start == 0
