"""Tests for :mod:`translate.localize`: numbers, dates and quotes in the target's conventions.

Expected strings are written out with the exact space characters: ``NBSP`` (U+00A0, CLDR's
group separator for ru/kk and ru's space before ``%``) and ``NNBSP`` (U+202F, CLDR's space
before ``г.``/``ж.`` in dates).  The figures come from the seed article
(../shared/seed/000_94c7650f3b1ed2f3.txt, The Moscow Times, 2025-05-08).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from tilmash.errors import TilmashError
from translate.localize import (
    DEFAULT_SKIP,
    KINDS,
    QUOTES,
    Change,
    babel_locale,
    format_date,
    format_number,
    get_localizer,
    localize_text,
    quote_style,
)

NBSP = "\u00a0"
NNBSP = "\u202f"


def loc(text: str, target: str, source: str = "en", **kwargs: object) -> str:
    return localize_text(text, source, target, **kwargs)[0]  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# the seed article's figures, for ru, kk and en-GB

SEED_CASES = [
    # (source, ru, kk, en-GB)
    (
        "Around 178,000 natives",
        f"Around 178{NBSP}000 natives",
        f"Around 178{NBSP}000 natives",
        "Around 178,000 natives",
    ),
    (
        "with an additional 1.2 million drafted",
        "with an additional 1,2 million drafted",
        "with an additional 1,2 million drafted",
        "with an additional 1.2 million drafted",
    ),
    (
        "More than 600,000 drafties — or 11.2% of Kazakhstan’s population",
        f"More than 600{NBSP}000 drafties — or 11,2{NBSP}% of Kazakhstan’s population",
        f"More than 600{NBSP}000 drafties — or 11,2% of Kazakhstan’s population",
        "More than 600,000 drafties — or 11.2% of Kazakhstan’s population",
    ),
    ("May 08, 2025", f"8 мая 2025{NNBSP}г.", f"2025{NNBSP}ж. 8 мамыр", "8 May 2025"),
    (
        "Kazakhstan officially marks Victory Day on May 9.",
        "Kazakhstan officially marks Victory Day on 9 мая.",
        "Kazakhstan officially marks Victory Day on 9 мамыр.",
        "Kazakhstan officially marks Victory Day on 9 May.",
    ),
    (
        "regularly since 2022, just",
        "regularly since 2022, just",
        "regularly since 2022, just",
        "regularly since 2022, just",
    ),
    ("in Tomsk in 2012.", "in Tomsk in 2012.", "in Tomsk in 2012.", "in Tomsk in 2012."),
    (
        "marking the 80th anniversary",
        "marking the 80th anniversary",
        "marking the 80th anniversary",
        "marking the 80th anniversary",
    ),
    (
        "“The Great Patriotic War was an extremely difficult challenge,” President Tokayev said",
        "«The Great Patriotic War was an extremely difficult challenge,» President Tokayev said",
        "«The Great Patriotic War was an extremely difficult challenge,» President Tokayev said",
        "“The Great Patriotic War was an extremely difficult challenge,” President Tokayev said",
    ),
    (
        '"Tokayev has been attending Victory Day celebrations since 2022," said Temur Umarov',
        "«Tokayev has been attending Victory Day celebrations since 2022,» said Temur Umarov",
        "«Tokayev has been attending Victory Day celebrations since 2022,» said Temur Umarov",
        "“Tokayev has been attending Victory Day celebrations since 2022,” said Temur Umarov",
    ),
    (
        "the *Batyrlarǵa taǵzym* [‘Tribute to Heroes’ in Kazakh] march",
        "the *Batyrlarǵa taǵzym* [„Tribute to Heroes“ in Kazakh] march",
        "the *Batyrlarǵa taǵzym* [“Tribute to Heroes” in Kazakh] march",
        "the *Batyrlarǵa taǵzym* [‘Tribute to Heroes’ in Kazakh] march",
    ),
    (
        (
            "“Most still see the 'Great Patriotic War' and the war in Ukraine as different. "
            "For many, it’s not obvious"
        ),
        (
            "«Most still see the „Great Patriotic War“ and the war in Ukraine as different. "
            "For many, it’s not obvious"
        ),
        (
            "«Most still see the “Great Patriotic War” and the war in Ukraine as different. "
            "For many, it’s not obvious"
        ),
        (
            "“Most still see the ‘Great Patriotic War’ and the war in Ukraine as different. "
            "For many, it’s not obvious"
        ),
    ),
    (
        "Authorities in Almaty, Kazakhstan’s largest city, approved it. It's just one example.",
        "Authorities in Almaty, Kazakhstan’s largest city, approved it. It's just one example.",
        "Authorities in Almaty, Kazakhstan’s largest city, approved it. It's just one example.",
        "Authorities in Almaty, Kazakhstan’s largest city, approved it. It's just one example.",
    ),
]


@pytest.mark.parametrize("target,column", [("ru", 1), ("kk", 2), ("en-GB", 3)])
@pytest.mark.parametrize("case", SEED_CASES, ids=lambda c: c[0][:30])
def test_seed_figures(case: tuple[str, str, str, str], target: str, column: int) -> None:
    assert loc(case[0], target) == case[column]


def test_changes_name_what_changed_and_where() -> None:
    text = "More than 600,000 drafties — or 11.2% of the population, on May 9 “said”"
    out, changes = localize_text(text, "en", "ru")
    assert changes == [
        Change("number", "600,000", f"600{NBSP}000", 10),
        Change("percent", "11.2%", f"11,2{NBSP}%", 32),
        Change("date", "May 9", "9 мая", 60),
        Change("quote", "“", "«", 66),
        Change("quote", "”", "»", 71),
    ]
    assert {c.kind for c in changes} <= KINDS
    assert out == (
        f"More than 600{NBSP}000 drafties — or 11,2{NBSP}% of the population, on 9 мая «said»"
    )


# ---------------------------------------------------------------------------------------
# identity


@pytest.mark.parametrize(
    "source,target", [("en", "en"), ("en", "en-US"), ("kk", "kk-KZ"), ("ru", "ru")]
)
def test_same_locale_is_identity(source: str, target: str) -> None:
    text = 'On May 08, 2025, "178,000" or 11.2% ‘x’ “y” 8 мая 2025 г. «z»'
    assert localize_text(text, source, target) == (text, [])
    assert get_localizer(source, target).identity


def test_same_language_other_region_is_not_identity() -> None:
    assert not get_localizer("en", "en-GB").identity
    assert loc("May 08, 2025", "en-GB") == "8 May 2025"
    assert loc("8 May 2025", "en-US", source="en-GB") == "May 8, 2025"


def test_seed_article_identity_for_en() -> None:
    text = shared_path("seed", "000_94c7650f3b1ed2f3.txt").read_text(encoding="utf-8")
    assert localize_text(text, "en", "en") == (text, [])


# ---------------------------------------------------------------------------------------
# the whole seed article


def _apply(text: str, changes: list[Change]) -> str:
    out, pos = [], 0
    for c in changes:
        assert text[c.start : c.start + len(c.before)] == c.before
        out.append(text[pos : c.start])
        out.append(c.after)
        pos = c.start + len(c.before)
    out.append(text[pos:])
    return "".join(out)


@pytest.mark.parametrize("target", ["ru", "kk", "en-GB"])
def test_seed_article(target: str) -> None:
    text = shared_path("seed", "000_94c7650f3b1ed2f3.txt").read_text(encoding="utf-8")
    out, changes = localize_text(text, "en", target)
    assert _apply(text, changes) == out
    # apostrophes and the URL are untouched
    apostrophes = re.findall(r"\w[’']\w", text)
    assert re.findall(r"\w[’']\w", out) == apostrophes
    assert out.endswith(
        "<https://www.themoscowtimes.com/2025/05/08/in-kazakhstan-russia-looms-large-over-"
        "world-war-ii-commemorations-a89008>"
    )
    assert "authorities’ eventual decision" in out
    assert "in 2012." in out and "in 2014" in out and "80th anniversary" in out
    counts = {k: sum(c.kind == k for c in changes) for k in KINDS}
    straight_quotes = text.count('"') + len(re.findall(r"(?<!\w)'|'(?!\w)", text))
    if target == "en-GB":
        assert counts == {"date": 7, "number": 0, "percent": 0, "quote": straight_quotes}
        assert "By [Leyla Latypova](#)\n\n8 May 2025\n" in out
        assert "\u201cTokayev has been attending" in out
        return
    curly_quotes = sum(text.count(q) for q in "“”‘") + text.count("’ ")
    assert counts == {
        "date": 7,
        "number": 3,
        "percent": 1,
        "quote": straight_quotes + curly_quotes - text.count("authorities’ "),
    }
    assert '"' not in out and "‘" not in out
    if target == "ru":
        assert "”" not in out and out.count("„") == out.count("“") > 0
        assert "[„Hey, Russians“:" in out
        assert f"By [Leyla Latypova](#)\n\n8 мая 2025{NNBSP}г.\n" in out
    else:
        assert "„" not in out and out.count("“") == out.count("”") > 0
        assert "[“Hey, Russians”:" in out
        assert f"By [Leyla Latypova](#)\n\n2025{NNBSP}ж. 8 мамыр\n" in out


def test_seed_article_ru_is_idempotent() -> None:
    text = shared_path("seed", "000_94c7650f3b1ed2f3.txt").read_text(encoding="utf-8")
    once, _ = localize_text(text, "en", "ru")
    assert localize_text(once, "en", "ru") == (once, [])


def test_one_megabyte_localizes() -> None:
    """Correctness on a large input (timing is measured by hand, not asserted)."""
    text = shared_path("seed", "000_94c7650f3b1ed2f3.txt").read_text(encoding="utf-8")
    big = (text + "\n\n") * 130
    out, changes = localize_text(big, "en", "ru")
    single_out, single = localize_text(text + "\n\n", "en", "ru")
    assert len(changes) == 130 * len(single)
    assert out == single_out * 130


# ---------------------------------------------------------------------------------------
# numbers


@pytest.mark.parametrize(
    "text",
    [
        "in 2025 and in 1941–1945",
        "version 1.2, v1.2, Python 3.11, section 3.2, Article 2.1, No. 4.5",
        "1.2.3 and 192.168.0.1 and 1,234,56",
        "at 10:30 and 10.30 a.m.",
        "call +7 727 123 4567 or +1.202.555.0143",
        "COVID-19, 1.2bn, 3.5mm, A320",
        "the 80th anniversary, the 1st and 22nd",
        "#1.5 @2.5 ISO-3.1",
    ],
)
def test_numbers_left_alone(text: str) -> None:
    assert localize_text(text, "en", "ru") == (text, [])


@pytest.mark.parametrize(
    "text,ru",
    [
        ("1,234,567.89 tenge", f"1{NBSP}234{NBSP}567,89 tenge"),
        ("0.5 and 12.50", "0,5 and 12,50"),
        ("(1.5–2.5 million)", "(1,5–2,5 million)"),
        ("-3.75 and $1.2 million", "-3,75 and $1,2 million"),
        ("80% and 80 % and 0.5%", f"80{NBSP}% and 80{NBSP}% and 0,5{NBSP}%"),
        ("2,000-year-old", f"2{NBSP}000-year-old"),
        ("to release 1.5 million tenge", "to release 1,5 million tenge"),
        ("1,000.", f"1{NBSP}000."),
    ],
)
def test_numbers_ru(text: str, ru: str) -> None:
    assert loc(text, "ru") == ru


def test_percent_follows_each_locale_pattern() -> None:
    assert loc("11.2% and 80%", "kk") == "11,2% and 80%"
    assert loc("11.2% and 80%", "de") == f"11,2{NBSP}% and 80{NBSP}%"
    assert loc("11.2%", "tr") == "%11,2"


@pytest.mark.parametrize("target", ["ru", "kk", "en", "en-GB", "de", "fr", "hi", "tr", "es"])
@pytest.mark.parametrize("value", [0, 7, 999, 1000, 12345, 178000, 1234567, 9876543210])
def test_format_number_matches_babel(target: str, value: int) -> None:
    locale = babel_locale(target)
    assert format_number(value, target) == babel_numbers.format_decimal(value, locale=locale)
    assert format_number(value, target, percent=True) == babel_numbers.format_percent(
        Decimal(value) / 100, locale=locale
    )


def test_format_number_keeps_every_digit() -> None:
    assert format_number("1234.50", "ru") == f"1{NBSP}234,50"
    assert format_number(Decimal("-0.125"), "kk") == "-0,125"
    assert format_number(11.2, "ru", percent=True) == f"11,2{NBSP}%"
    with pytest.raises(TilmashError, match="not a number"):
        format_number("12a", "ru")


# ---------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize(
    "text,ru",
    [
        ("May 8, 2025", f"8 мая 2025{NNBSP}г."),
        ("8 May 2025", f"8 мая 2025{NNBSP}г."),
        ("Sept. 8, 2025", f"8 сентября 2025{NNBSP}г."),
        ("Sep 8 2025", f"8 сентября 2025{NNBSP}г."),
        ("on March 8th", "on 8 марта"),
        ("in March 2024.", f"in март 2024{NNBSP}г."),  # one full stop, not two
        ("on May 08, 2025. Then", f"on 8 мая 2025{NNBSP}г. Then"),
        ("Wednesday, May 7, 2025", f"Wednesday, 7 мая 2025{NNBSP}г."),
        ("Dec. 31, 1999 and Jan 1", f"31 декабря 1999{NNBSP}г. and 1 января"),
    ],
)
def test_dates_ru(text: str, ru: str) -> None:
    assert loc(text, "ru") == ru


def test_dates_kk_and_en_gb() -> None:
    assert loc("Sept. 8, 2025 and May 9 and March 2024", "kk") == (
        f"2025{NNBSP}ж. 8 қыркүйек and 9 мамыр and 2024{NNBSP}ж. наурыз"
    )
    assert loc("Sept. 8, 2025 and May 9 and March 2024", "en-GB") == (
        "8 September 2025 and 9 May and March 2024"
    )


@pytest.mark.parametrize(
    "text",
    [
        "May 8–9, 2025",  # day ranges are left for the reviewer
        "8–9 May 2025",
        "Feb 30, 2025",
        "May 0 and May 00, 2025 and May 1, 0000",
        "they may 9 times",
        "Mayor 9",
        "8 мая 2025 года",
        "Wednesday",
    ],
)
def test_dates_left_alone(text: str) -> None:
    assert localize_text(text, "en", "ru") == (text, [])


def test_number_after_month_is_not_a_day() -> None:
    assert loc("May 9,000 people", "ru") == f"May 9{NBSP}000 people"


def test_format_date_uses_cldr_long_and_skeleton() -> None:
    d = datetime.date(2025, 5, 8)
    assert format_date(d, "ru") == f"8 мая 2025{NNBSP}г."
    assert format_date(d, "kk") == f"2025{NNBSP}ж. 8 мамыр"
    assert format_date(d, "en-GB") == "8 May 2025"
    assert format_date(d, "ru", with_year=False) == "8 мая"
    assert format_date(d, "kk", with_year=False) == "8 мамыр"
    for tag, babel in (("ru", "ru"), ("kk", "kk"), ("en-GB", "en_GB")):
        assert format_date(d, tag) == babel_dates.format_date(d, "long", locale=babel)


def test_other_source_locales_parse_with_their_own_conventions() -> None:
    de = "Am 8. Mai 2025 kamen 1.234,5 Menschen „zu Besuch“, 12,5 % mehr; am 9. Mai"
    assert loc(de, "ru", source="de") == (
        f"Am 8 мая 2025{NNBSP}г. kamen 1{NBSP}234,5 Menschen «zu Besuch», 12,5{NBSP}% mehr; "
        "am 9 мая"
    )
    ru = "8 мая 2025 г. пришли 1 234,5 человека «в гости „к нам“», 12,5 % больше; 9 мая"
    assert loc(ru, "en-GB", source="ru") == (
        "8 May 2025 пришли 1,234.5 человека “в гости ‘к нам’”, 12.5% больше; 9 May"
    )


# ---------------------------------------------------------------------------------------
# quotes


@pytest.mark.parametrize(
    "text,ru",
    [
        # a quotation spanning segments: only its opening or only its closing mark here
        (
            "“The Great Patriotic War was an extremely difficult",
            ("«The Great Patriotic War was an extremely difficult"),
        ),
        (
            "is an invaluable treasure,” President said",
            ("is an invaluable treasure,» President said"),
        ),
        ('"Tokayev has been attending', "«Tokayev has been attending"),
        (
            'of utmost importance [to him]," said Temur',
            ("of utmost importance [to him],» said Temur"),
        ),
        (
            "she said. “That would be more than enough.”",
            ("she said. «That would be more than enough.»"),
        ),
        # apostrophes are not quotes
        ("the authorities’ eventual decision", "the authorities’ eventual decision"),
        (
            "Russians' role, the ’90s, the '80s, rock ’n’ roll",
            ("Russians' role, the ’90s, the '80s, rock ’n’ roll"),
        ),
        ("I didn’t invite anyone", "I didn’t invite anyone"),
        ('a 10" screen', 'a 10" screen'),
        # headline single quotes become alternate quotes
        (
            "[‘Hey, Russians’: In Kazakhstan, a Satirist Battles ‘Russophobia’ Charges](#)",
            "[„Hey, Russians“: In Kazakhstan, a Satirist Battles „Russophobia“ Charges](#)",
        ),
        # nested double quotes become alternate
        ('"He said "no" twice"', "«He said „no“ twice»"),
        # already Russian: left alone
        ("«Он сказал „да“» и «нет»", "«Он сказал „да“» и «нет»"),
        ("«inner “English” quote»", "«inner „English“ quote»"),
    ],
)
def test_quotes_ru(text: str, ru: str) -> None:
    assert loc(text, "ru") == ru


def test_quote_styles_from_cldr() -> None:
    assert QUOTES["ru"] == quote_style("ru") and quote_style("ru-KZ") == QUOTES["ru"]
    assert (quote_style("kk").start, quote_style("kk").alt_start) == ("«", "“")  # type: ignore[union-attr]
    assert quote_style("de-CH") is None  # « » ‹ › in CLDR, not in our table
    assert loc("“x” and ‘y’", "de") == "„x“ and ‚y‘"
    # a target without a quote table keeps its quotes but still gets numbers and dates
    assert loc("“1.5” on May 9", "sr-Latn") == "“1,5” on 9. maj"


# ---------------------------------------------------------------------------------------
# protected spans, placeholders, kinds


def test_protected_spans_are_untouched() -> None:
    text = "<x1/>1.5<x2/> and “<g1>May 9</g1>” and 2.5 kept"
    out, changes = localize_text(text, "en", "ru", protected=[(36, 47)])
    assert out == "<x1/>1,5<x2/> and «<g1>9 мая</g1>» and 2.5 kept"
    assert all(not 36 <= c.start < 47 for c in changes)


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.com/wiki/(1.5)_“x” now",
        "mail 1.5@example.com",
        "run `python3.11 -c 'print(1.5)'` here",
        "{count} {1.5} {{1,000}}",
        '<a href="x" title="May 9, 2025 “1.5”">',
    ],
)
def test_default_skip(text: str) -> None:
    assert DEFAULT_SKIP.search(text)
    out = loc(text, "ru")
    assert out == text


def test_extra_skip_pattern() -> None:
    text = "⟦1.5⟧ and 2.5"
    assert loc(text, "ru", skip=re.compile("⟦[^⟧]*⟧")) == "⟦1.5⟧ and 2,5"


def test_kinds_subset() -> None:
    text = "“11.2%” of 1.5 on May 9"
    assert loc(text, "ru", kinds={"quote"}) == "«11.2%» of 1.5 on May 9"
    assert loc(text, "ru", kinds={"number"}) == "“11,2%” of 1,5 on May 9"
    assert loc(text, "ru", kinds={"percent", "number", "date"}) == (
        f"“11,2{NBSP}%” of 1,5 on 9 мая"
    )
    with pytest.raises(TilmashError, match="unknown localization kind"):
        localize_text(text, "en", "ru", kinds={"currency"})


# ---------------------------------------------------------------------------------------
# locales


def test_babel_locale_for_tags() -> None:
    assert str(babel_locale("kk")) == "kk"
    assert str(babel_locale("en-GB")) == "en_GB"
    assert str(babel_locale("sr-Latn")) == "sr_Latn"
    assert str(babel_locale("en-KZ")) == "en"  # no such CLDR locale: the language's


@pytest.mark.parametrize("tag", ["kk-Latn", "xx", "en-Xxxx", "12"])
def test_unknown_locales_are_one_line_errors(tag: str) -> None:
    with pytest.raises(TilmashError) as info:
        localize_text("1.5", "en", tag)
    assert "\n" not in str(info.value) and tag in str(info.value)
    with pytest.raises(TilmashError):
        localize_text("1.5", tag, "ru")


def test_kk_latn_error_tells_what_to_do() -> None:
    with pytest.raises(TilmashError, match="localize as 'kk'.*transliterate"):
        localize_text("1.5", "en", "kk-Latn")


# ---------------------------------------------------------------------------------------
# properties

_ALPHABET = st.sampled_from(
    list("0123456789 ,.%-–'’‘“”\"«»„:abcMy") + ["May ", "Sept. ", "<x1/>", "\u00a0", "2025"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.sampled_from(["ru", "kk", "en-GB"]))
def test_changes_rebuild_the_output(text: str, target: str) -> None:
    out, changes = localize_text(text, "en", target)
    assert _apply(text, changes) == out
    assert [c.start for c in changes] == sorted(c.start for c in changes)
    assert all(c.before != c.after for c in changes)
    assert localize_text(text, "en", "en") == (text, [])
