"""Translation QA (translate.qa): terms, source spellings, numbers and inline markup."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from glossary.model import Concept, Glossary, Term
from translate.qa import (
    CODES,
    Finding,
    Matchers,
    check_pair,
    check_source,
    extract_numbers,
    find_source_terms,
    markup_counts,
)

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_94c7650f3b1ed2f3.txt"


def T(text: str, status: str = "preferred", **kw: object) -> Term:
    return Term(text, status=status, **kw)  # type: ignore[arg-type]


def concept(cid: str, kind: str = "term", **langs: list[Term | str]) -> Concept:
    c = Concept(cid, kind=kind)
    for key, terms in langs.items():
        for t in terms:
            c.add_term(key.replace("_", "-"), t if isinstance(t, Term) else Term(t))
    return c


def glossary(*, listed_2018: bool = False) -> Glossary:
    g = Glossary()
    kk_latn: list[Term | str] = ["Batyrlarğa tağzym"]
    if listed_2018:
        kk_latn.append(T("Batyrlarǵa taǵzym", "deprecated", translit="kk-latn-2018"))
    for c in (
        concept(
            "batyrlarga-tagzym",
            "name",
            kk_Latn=kk_latn,
            kk=["Батырларға тағзым"],
            ru=["Батырларға тағзым"],
            en=["Tribute to Heroes"],
        ),
        concept(
            "immortal-regiment",
            en=["Immortal Regiment"],
            ru=["Бессмертный полк", T("Вечный полк", "forbidden")],
            kk=["Өлмес полк"],
        ),
        concept(
            "astana",
            "name",
            en=["Astana", T("Nur-Sultan", "deprecated")],
            ru=["Астана", T("Нур-Султан", "forbidden")],
            kk=["Астана"],
            kk_Latn=["Astana"],
        ),
        concept(
            "almaty",
            "name",
            en=["Almaty"],
            ru=["Алматы", T("Алма-Ата", "deprecated")],
            kk=["Алматы"],
            kk_Latn=["Almaty"],
        ),
        concept(
            "kazakhstan",
            "name",
            en=["Kazakhstan"],
            ru=["Казахстан"],
            kk=["Қазақстан"],
            kk_Latn=["Qazaqstan"],
        ),
        concept(
            "tokayev",
            "name",
            en=["Kassym-Jomart Tokayev", T("Tokayev", "admitted")],
            ru=["Касым-Жомарт Токаев", T("Токаев", "admitted")],
            kk_Latn=["Qasym-Jomart Toqaev", T("Toqaev", "admitted")],
        ),
        concept(
            "st-george-ribbon",
            en=["St. George ribbon"],
            ru=["георгиевская лента", T("георгиевская ленточка", "deprecated")],
        ),
        concept("telegram", "dnt", en=["Telegram"]),
    ):
        g.add(c)
    return g


G = glossary()
M = Matchers(G)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def pair(source: str, translation: str, target: str = "ru", **kw: object) -> list[Finding]:
    return check_pair(source, translation, "en", target, G, matchers=M, **kw)  # type: ignore[arg-type]


# -- Finding ----------------------------------------------------------------------------------


def test_finding_prints_file_line_code_message_and_json() -> None:
    f = Finding("term-missing", "gone", "warning", "a.po", 12, "Hello")
    assert str(f) == "a.po:12: term-missing: gone"
    assert str(Finding("number-mismatch", "x", "error", "a.po")) == "a.po: number-mismatch: x"
    assert str(Finding("number-mismatch", "x")) == "number-mismatch: x"
    data = f.to_json()
    assert data == {
        "file": "a.po",
        "line": 12,
        "code": "term-missing",
        "severity": "warning",
        "message": "gone",
        "msgid": "Hello",
    }
    json.dumps(data)


def test_pair_findings_carry_location_msgid_and_severity() -> None:
    found = pair("Astana has 3 parks.", "В Астане 4 парка.", file="ru.po", line=7)
    assert len(found) == 1
    (f,) = found
    assert (f.code, f.file, f.line, f.msgid, f.severity) == (
        "number-mismatch",
        "ru.po",
        7,
        "Astana has 3 parks.",
        CODES["number-mismatch"],
    )


# -- term-missing -------------------------------------------------------------------------------


def test_term_missing_when_target_term_absent() -> None:
    found = pair("The Immortal Regiment marched.", "Шествие прошло.")
    assert codes(found) == ["term-missing"]
    assert "Бессмертный полк" in found[0].message and "immortal-regiment" in found[0].message


@pytest.mark.parametrize(
    "translation",
    [
        "Бессмертный полк прошёл.",
        "Акция Бессмертного полка прошла.",  # genitive
        "Все говорили о Бессмертном полку.",  # locative
        "В Бессмертном полку шли внуки.",
    ],
)
def test_inflected_russian_term_counts_as_present(translation: str) -> None:
    assert pair("The Immortal Regiment marched.", translation) == []


def test_kazakh_inflected_name_counts_as_present() -> None:
    assert pair("A parade in Astana.", "Астанада шеру өтті.", "kk") == []
    assert codes(pair("A parade in Astana.", "Шеру өтті.", "kk")) == ["term-missing"]


def test_name_quoted_in_kazakh_latin_in_english_source_is_expected_in_translation() -> None:
    src = "The *Batyrlarğa tağzym* march will take place."
    assert codes(pair(src, "Пройдёт марш *Батырларға тағзым*.")) == []
    found = pair(src, "Пройдёт марш *Дань героям*.")
    assert codes(found) == ["term-missing"] and "Батырларға тағзым" in found[0].message


def test_dnt_without_target_term_expects_the_source_form() -> None:
    assert pair("She wrote on Telegram.", "Она написала в Telegram.") == []
    found = pair("She wrote on Telegram.", "Она написала в Телеграме.")
    assert codes(found) == ["term-missing"] and "Telegram" in found[0].message


def test_term_check_uses_glossary_language_for_regional_tags() -> None:
    assert M.lang("ru-RU") == "ru"
    assert M.lang("kk-Latn-KZ") == "kk-Latn"
    assert pair("The Immortal Regiment marched.", "Бессмертный полк прошёл.", "ru-RU") == []
    assert codes(pair("The Immortal Regiment marched.", "Шествие.", "ru-RU")) == ["term-missing"]


def test_no_glossary_no_term_findings() -> None:
    assert check_pair("The Immortal Regiment.", "Шествие.", "en", "ru", Glossary()) == []


# -- term-forbidden -------------------------------------------------------------------------------


def test_forbidden_term_of_source_concept_reported_once() -> None:
    found = pair("The Immortal Regiment marched.", "Вечный полк прошёл.")
    assert codes(found) == ["term-forbidden"]  # not also term-missing
    assert "'Вечный полк'" in found[0].message and "Бессмертный полк" in found[0].message
    assert found[0].severity == "error"


def test_forbidden_term_of_any_concept_is_reported() -> None:
    found = pair("The capital hosted a parade.", "В Нур-Султане прошёл парад.")
    assert codes(found) == ["term-forbidden"] and "Астана" in found[0].message


def test_deprecated_inflected_term_is_reported() -> None:
    found = pair("Tokayev spoke in the city.", "Токаев выступил в Алма-Ате.")
    assert codes(found) == ["term-forbidden"] and "deprecated" in found[0].message


def test_usable_terms_are_not_forbidden() -> None:
    assert pair("Almaty and Astana.", "Алматы и Астана.") == []


# -- term-spelling ------------------------------------------------------------------------------


def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed article not available: {SEED}")
    return SEED.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def spelling(text: str, g: Glossary) -> dict[str, tuple[int | None, str]]:
    out = {}
    for f in check_source(text, "en", g, file="seed.txt"):
        assert f.code == "term-spelling" and f.file == "seed.txt"
        surface = f.message.split("'")[1]
        out[surface] = (f.line, f.message)
    return out


def test_seed_article_misspelling_found_on_its_line() -> None:
    text = seed_text()
    found = spelling(text, G)
    assert "Batylarğa tağzym" in found
    line, message = found["Batylarğa tağzym"]
    assert line == line_of(text, "Batylarğa tağzym")
    assert "misspelling" in message and "'Batyrlarğa tağzym'" in message
    # the standard spelling and names the matchers know are never reported
    assert "Batyrlarğa tağzym" not in found
    assert not {"Almaty", "Astana", "Kazakhstan", "Tokayev", "Kassym-Jomart Tokayev"} & set(found)


def test_seed_article_2018_spelling_is_non_standard_when_not_listed() -> None:
    text = seed_text()
    found = spelling(text, G)
    line, message = found["Batyrlarǵa taǵzym"]
    assert line == line_of(text, "Batyrlarǵa taǵzym")
    assert "non-standard spelling" in message and "'Batyrlarğa tağzym'" in message


def test_seed_article_2018_spelling_is_deprecated_when_listed() -> None:
    text = seed_text()
    found = spelling(text, glossary(listed_2018=True))
    line, message = found["Batyrlarǵa taǵzym"]
    assert line == line_of(text, "Batyrlarǵa taǵzym")
    assert "deprecated kk-Latn variant" in message and "'Batyrlarğa tağzym'" in message
    assert "Batylarğa tağzym" in found  # the typo is still a typo


@pytest.mark.parametrize(
    "text",
    [
        "The Batyrlarğa tağzym march.",
        "BATYRLARĞA TAĞZYM",  # case only
        "Batyrlarğa tağzymnyñ qatysuşylary",  # Kazakh ending accepted by the matcher
        "Kazakhstani soldiers, Kazakhstan's capital, Tokayev's aides.",  # derived forms
        "Kassym-Jomart Tokayev met Qasym-Jomart Toqaev.",
        "Russian propaganda, striped ribbons and the Kremlin.",
    ],
)
def test_standard_and_inflected_forms_not_reported(text: str) -> None:
    assert check_source(text, "en", G, matchers=M) == []


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("They met in Asatna.", "Asatna", "misspelling"),
        ("They met in Astanna.", "Astanna", "non-standard spelling"),  # folds like Astana
        ("The Immortal Regimnet marched.", "Immortal Regimnet", "misspelling"),
        ("Tokaev spoke.", "Tokaev", "non-standard spelling"),
        ("He lived in Nur-Sultan.", "Nur-Sultan", "deprecated en variant"),
    ],
)
def test_close_spellings_reported(text: str, surface: str, kind: str) -> None:
    found = check_source(text, "en", G, matchers=M)
    assert len(found) == 1, found
    assert f"'{surface}'" in found[0].message and kind in found[0].message


def test_foreign_spelling_in_native_letters_is_not_flagged() -> None:
    # ASCII spellings of kk-Latn names are English conventions, not errors; letters of
    # another Kazakh alphabet are a non-standard spelling
    g = Glossary()
    g.add(concept("mangystau", "name", kk_Latn=["Mañğystau"]))
    g.add(concept("semey", "name", kk_Latn=["Semei"]))
    g.add(concept("batyrlarga-tagzym", "name", kk_Latn=["Batyrlarğa tağzym"]))
    for text in ("Mangystau and Semey.", "The Batyrlarga tagzym march."):
        assert check_source(text, "en", g) == []
    found = check_source("In Mańǵystaý region.", "en", g)
    assert codes(found) == ["term-spelling"] and "non-standard spelling" in found[0].message


def test_russian_source_spellings() -> None:
    assert check_source("Власти в Алмате и Астане.", "ru", G, matchers=M) == []
    found = check_source("Он переехал в Алма-Ату.", "ru", G, matchers=M)
    assert codes(found) == ["term-spelling"] and "Алматы" in found[0].message
    found = check_source("Казахтсан и Россия.", "ru", G, matchers=M)
    assert codes(found) == ["term-spelling"] and "misspelling" in found[0].message


def test_source_lines_count_from_given_line() -> None:
    found = check_source(
        "First line.\nSecond line in Astanna.", "en", G, matchers=M, file="a.md", line=10
    )
    assert [(f.file, f.line) for f in found] == [("a.md", 11)]


def test_urls_and_code_are_not_spell_checked() -> None:
    text = "See [the page](https://example.com/Astanna) and `Astanna` <https://astanna.kz>."
    assert check_source(text, "en", G, matchers=M) == []


def test_find_source_terms_lists_concepts_in_text_order() -> None:
    found = find_source_terms(
        "In Astana the *Batyrlarğa tağzym* and the Immortal Regiment.", "en", G, matchers=M
    )
    assert [m.concept.id for m in found] == ["astana", "batyrlarga-tagzym", "immortal-regiment"]


# -- number-mismatch --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "translation", "target"),
    [
        ("Around 178,000 natives.", "Около 178 000 уроженцев.", "ru"),  # NBSP
        ("Around 178,000 natives.", "Около 178\u202f000 уроженцев.", "ru"),  # NNBSP
        ("Around 178,000 natives.", "Около 178000 уроженцев.", "ru"),
        ("Around 178,000 natives.", "Шамамен 178 000 адам.", "kk"),
        ("That is 11.2% of them.", "Это 11,2 % из них.", "ru"),
        ("That is 11.2% of them.", "Бұл 11,2% адам.", "kk"),
        ("An additional 1.2 million.", "Ещё 1,2 млн.", "ru"),
        ("An additional 1.2 million.", "Ещё 1,2 миллиона.", "ru"),
        ("An additional 1.2 million.", "Ещё 1 200 000.", "ru"),
        ("An additional 1.2 million.", "Тағы 1,2 миллион.", "kk"),
        ("Some 600 thousand people.", "Около 600 тыс. человек.", "ru"),
        ("May 08, 2025", "8 мая 2025 г.", "ru"),
        ("May 08, 2025", "2025 ж. 8 мамыр", "kk"),
        ("It was first held in 2012.", "Впервые прошло в 2012 году.", "ru"),
        ("On 08.05.2025 at 10:30.", "8.5.2025 в 10:30.", "ru"),
        ("The 80th anniversary.", "80-летие.", "ru"),
        ("In 1941–1945 and 2014.", "В 2014 и 1941-1945 годах.", "ru"),
        (
            "See [link](https://x.com/2025/05/08) now.",
            "См. [ссылку](https://x.com/2025/05/08).",
            "ru",
        ),
        ("No numbers at all.", "Без чисел.", "ru"),
    ],
)
def test_numbers_equal_across_locale_formats(source: str, translation: str, target: str) -> None:
    assert [f for f in pair(source, translation, target) if f.code == "number-mismatch"] == []


@pytest.mark.parametrize(
    ("source", "translation", "missing", "extra"),
    [
        ("Around 178,000 natives.", "Около 170 000 уроженцев.", "178,000", "170 000"),
        ("That is 11.2% of them.", "Это 11,3 % из них.", "11.2", "11,3"),
        ("An additional 1.2 million.", "Ещё 1,2 млрд.", "1.2 million", "1,2 млрд"),
        ("May 08, 2025", "9 мая 2025 г.", "08", "9"),
        ("It was held in 2012.", "Прошло в году.", "2012", None),
        ("It was held.", "Прошло в 2012 году.", None, "2012"),
        ("Four of them: 4.", "Четверо: 4, 4.", None, "4"),
    ],
)
def test_numbers_that_differ_are_reported(
    source: str, translation: str, missing: str | None, extra: str | None
) -> None:
    found = [f for f in pair(source, translation) if f.code == "number-mismatch"]
    assert len(found) == 1
    message = found[0].message
    if missing:
        assert f"source has {missing}" in message
    else:
        assert "source has" not in message
    if extra:
        assert f"translation has {extra}" in message
    else:
        assert "translation has" not in message


def test_numbers_in_urls_are_ignored() -> None:
    assert (
        pair(
            "Read https://example.com/2025/05/08/a89008 today.",
            "Читайте https://example.com/2025/05/08/a89008 сегодня.",
        )
        == []
    )
    assert extract_numbers("https://example.com/a89008 and [x](/p/12) `7` <b id='3'>") == []


def test_extract_numbers_values() -> None:
    got = dict(extract_numbers("178,000 and 1.2 million and 11,2 % and 08"))
    assert got["178,000"] >= {Decimal(178000)}
    assert got["1.2 million"] == {Decimal(1200000)}
    assert got["11,2"] == {Decimal("11.2")}
    assert got["08"] == {Decimal(8)}


# -- placeholder-mismatch ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "translation", "needle"),
    [
        ("Tokayev [said](#) Wednesday.", "Токаев сказал в среду.", "link (#): 1 in source, 0"),
        ("Tokayev [said](#a) Wednesday.", "Токаев [сказал](#b) в среду.", "link (#a)"),
        ("**Andrei Gryaznov / TASS**", "Андрей Грязнов / ТАСС", "strong emphasis"),
        ("**Andrei Gryaznov / TASS**", "** Андрей Грязнов / ТАСС**", "strong emphasis"),
        ("The *Oyan* movement.", "Движение Oyan.", "emphasis (*…*): 1 in source, 0"),
        ("Run `tilmash check` now.", "Запустите `tilmash проверка`.", "code span `tilmash check`"),
        ("A <b>bold</b> move.", "Смелый ход.", "inline HTML <b>"),
        ("Line one  \nline two", "Строка один строка два", "hard line break"),
        ("Visit https://a.kz now.", "Посетите сайт.", "URL https://a.kz"),
        ("An ![map](map.png) here.", "Карта здесь.", "image (map.png)"),
        ("Gone ~~soon~~ now.", "Скоро уйдёт.", "strikethrough"),
    ],
)
def test_markup_differences_reported(source: str, translation: str, needle: str) -> None:
    found = [f for f in pair(source, translation) if f.code == "placeholder-mismatch"]
    assert found and any(needle in f.message for f in found), found


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Tokayev [said](#) it, [Putin's call](#).", "[Звонок Путина](#), как [сказал](#) Токаев."),
        ("**Bold** and *em*.", "__Жирный__ и _курсив_."),
        ("Run `x` and <br/> go.", "Запустите `x` и <br/> идите."),
        ("[‘Hey, Russians’](#)", "[«Эй, русские»](#)"),
    ],
)
def test_same_markup_in_another_order_is_fine(source: str, translation: str) -> None:
    assert [f for f in pair(source, translation) if f.code == "placeholder-mismatch"] == []


def test_plain_text_markup_compares_urls_only() -> None:
    source, translation = "A *star* at https://a.kz", "Звезда на https://a.kz"
    assert [
        f for f in pair(source, translation, markup="text") if f.code == "placeholder-mismatch"
    ] == []
    assert markup_counts("see https://a.kz.", "text") == {("url", "https://a.kz"): 1}
    found = pair("A star at https://a.kz", "Звезда", markup="text")
    assert codes(found) == ["placeholder-mismatch"]


def test_clean_pair_from_seed_style_markdown() -> None:
    source = (
        "“In our country, the *Batyrlarğa tağzym* march will take place,” President "
        "Kassym-Jomart Tokayev [said](#) on May 8, 2025."
    )
    translation = (
        "«В нашей стране пройдёт марш *Батырларға тағзым*», — [заявил](#) "
        "президент Касым-Жомарт Токаев 8 мая 2025 года."
    )
    assert pair(source, translation) == []
