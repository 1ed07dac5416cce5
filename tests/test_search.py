"""Tests for :mod:`glossary.search`: folding, edit distance, ranking, filtering.

Glossaries are built in code.  Kazakh Latin spellings come from the real transliterator
(:mod:`glossary.translit`); Russian romanizations from the samples shipped in iuliia's schema
files (../shared/testdata/translit/iuliia, MIT).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.model import Concept, Glossary, Location, Term
from glossary.search import (
    MATCH_KINDS,
    Hit,
    SearchIndex,
    casefold,
    edit_distance,
    fold,
    fold_many,
    fuzzy_threshold,
    search_glossary,
)
from glossary.translit import transliterate
from tests.conftest import TESTDATA

# -- folding -------------------------------------------------------------------------------

SAME_SKELETON = [
    # the President: Kazakh Cyrillic, Russian, Kazakh Latin 2021, his own English spelling,
    # Russian Wikipedia/BGN romanization
    ("kasim jomart tokaev", ["Қасым-Жомарт Тоқаев", "Касым-Жомарт Токаев", "Qasym-Jomart Toqaev",
                             "Kassym-Jomart Tokayev", "Kasym-Zhomart Tokayev",
                             "Kasym Jomart Tokaev"]),
    # plain г for ғ, no diacritics, capitals, the 2018 acute alphabet
    ("batirlarga tagzim", ["Батырларға тағзым", "Батырларга тагзым", "batyrlarga tagzym",
                           "BATYRLARĞA TAĞZYM", "Batyrlarğa tağzym", "Batyrlarǵa taǵzym"]),
    ("bauirjan momishuli", ["Бауыржан Момышұлы", "Bauyrzhan Momyshuly", "Bauyrjan Momyşūly",
                            "Baýyrjan Momyshuly"]),
    ("mangistau", ["Маңғыстау", "Mañğystau", "Mańǵystaý", "Mangystau", "MANGYSTAU"]),
    # Ж: J in 2021, zh in ASCII; Дж in Russian
    ("jambil", ["Жамбыл", "Jambyl", "Zhambyl", "Джамбыл", "Dzhambyl"]),
    # the Russian iotation of Е
    ("erjan", ["Ержан", "Erjan", "Yerzhan"]),
    ("nazarbaev", ["Назарбаев", "Nazarbayev", "Nazarbaev"]),
    # Щ; ISO 9 ŝ and č
    ("shuchinsk", ["Щучинск", "Shchuchinsk", "Ŝučinsk"]),
    # soft sign before a vowel, as English-language media romanize it; dropped elsewhere
    ("ilin", ["Ильин", "Ilyin"]),
    ("vasilieva", ["Васильева", "Vasilyeva"]),
    ("igor", ["Игорь", "Igor'", "Igor’"]),
    # doubled consonants
    ("almati", ["Almaty", "Almatty", "Алматы"]),
    # Turkic dotted and dotless i
    ("istanbul", ["İSTANBUL", "İstanbul", "Istanbul", "ıstanbul"]),
    # punctuation separates words, however it is spelled
    ("nur sultan", ["Nur-Sultan", "Nur Sultan", "NUR–SULTAN", " nur  sultan ", "Нұр-Сұлтан"]),
    # ISO 9 / BGN signs are dropped (sʺezd, s”yezd)
    ("siezd", ["съезд", "s”yezd"]),
    ("sezd", ["sʺezd", "s'ezd"]),
]


@pytest.mark.parametrize(
    ("skeleton", "spellings"), SAME_SKELETON, ids=[s for s, _ in SAME_SKELETON]
)
def test_spellings_of_one_name_fold_to_one_skeleton(skeleton: str, spellings: list[str]) -> None:
    assert [fold(s) for s in spellings] == [skeleton] * len(spellings)


NATIVE_KAZAKH = [
    "Батырларға тағзым", "Қасым-Жомарт Тоқаев", "Бауыржан Момышұлы", "Маңғыстау",
    "Оңтүстік Қазақстан", "Жамбыл", "Ерлан", "Әйел", "Нұрсұлтан Назарбаев", "Өскемен",
    "Шымкент", "Қызылорда", "Ақтөбе", "Түркістан", "Ащысай", "Қарағанды", "Семей", "Атырау",
    "Көкшетау", "Талдықорған", "Жезқазған", "Байқоңыр", "Ұлытау", "Үржар", "Хоргос",
    "Ілияс Есенберлин", "Әбілқайыр хан", "Мұхтар Әуезов", "Шоқан Уәлиханов",
    "Ахмет Байтұрсынұлы", "Тәуелсіздік күні", "Юрта", "Ясауи",
]


@pytest.mark.parametrize("kazakh", NATIVE_KAZAKH)
@pytest.mark.parametrize("scheme", ["kk-latn-2021", "kk-latn-2018", "kk-ascii"])
def test_every_kazakh_alphabet_folds_like_the_cyrillic(kazakh: str, scheme: str) -> None:
    latin = transliterate(kazakh, scheme)
    assert fold(latin) == fold(kazakh), latin


@pytest.mark.parametrize(
    ("kazakh", "scheme", "distance"),
    [
        # the 2021 alphabet writes Ч as Ş, Ц as S, Я after a consonant as Ä: a fuzzy match
        ("Челябинск", "kk-latn-2021", 2),  # Şeläbinsk
        ("Щучинск", "kk-latn-2021", 1),  # Şşuşinsk
        ("Цесна", "kk-latn-2021", 1),  # Sesna
    ],
)
def test_loan_letters_fold_within_fuzzy_reach(kazakh: str, scheme: str, distance: int) -> None:
    latin = transliterate(kazakh, scheme)
    d = edit_distance(fold(latin), fold(kazakh))
    assert d == distance
    assert d <= fuzzy_threshold(len(fold(latin)))


def test_fold_details() -> None:
    assert fold("100 000") == "100 000"  # digits are not collapsed
    assert fold("Kazakhstan's") == "kazahstans"
    assert fold("«Астана Опера»") == "astana opera"
    assert fold("Astana\tOpera\r\nHouse") == "astana opera house"
    assert fold("Ελλάδα 中文") == "ελλαδα 中文"  # other scripts are kept, marks dropped
    assert fold("a\u200bb\u00adc") == "abc"  # invisible characters vanish
    assert fold("a\x7f12\x7fb") == "a 12 b"  # DEL is not taken for the internal escape
    assert fold("™ ﬁ") == "tm fi"  # compatibility characters
    assert fold("й") == fold("и\u0306") == "i"  # composed or not
    assert fold("") == "" and fold(" - ") == ""


def test_fold_many_handles_newlines_inside_items() -> None:
    assert fold_many(["Astana\nOpera", "Ye", ""]) == ["astana opera", "e", ""]
    assert fold_many([]) == []


_TEXT = st.text(
    alphabet=st.sampled_from(
        list("aeiouybcdhjkqswzAIYİıŞşÇçŽžýÝğñ'’ -\n\t") + list("аәеиійыъьюяжшщчцқғңөұүһ")
        + ["\u0301", "\u0306", "\u0327", "\u00a0", "\x7f", "中", "λ", "Ё", "ﬁ"]
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=6))
def test_fold_many_equals_fold_of_each(texts: list[str]) -> None:
    assert fold_many(texts) == [fold(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_fold_output_is_one_line_without_edge_spaces(text: str) -> None:
    folded = fold(text)
    assert "\n" not in folded and "  " not in folded and folded == folded.strip()
    assert folded == folded.lower() or not folded.isascii()


def test_casefold_is_turkic_aware_and_ignores_spacing_only() -> None:
    assert casefold("İSTANBUL") == casefold("Istanbul") == "istanbul"
    assert casefold("  Astana \t Opera ") == "astana opera"
    assert casefold("Сүлеи\u0306менов") == "сүлейменов"
    assert casefold("Almaty") != casefold("Алматы")  # no script folding


# -- edit distance -------------------------------------------------------------------------


def _reference_osa(a: str, b: str) -> int:
    """Restricted Damerau–Levenshtein, straight from the textbook recurrence."""
    d = {(i, -1): i + 1 for i in range(-1, len(a))}
    d.update({(-1, j): j + 1 for j in range(-1, len(b))})
    for i in range(len(a)):
        for j in range(len(b)):
            cost = 0 if a[i] == b[j] else 1
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + cost)
            if i and j and a[i] == b[j - 1] and a[i - 1] == b[j]:
                d[i, j] = min(d[i, j], d[i - 2, j - 2] + 1)
    return d[len(a) - 1, len(b) - 1]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("kitten", "sitting", 3), ("abcd", "acbd", 1), ("ca", "abc", 3), ("", "abc", 3),
     ("tokaev", "tokaev", 0), ("tokaev", "tokeav", 1), ("almaty", "almati", 1)],
)
def test_edit_distance_known_values(a: str, b: str, expected: int) -> None:
    assert edit_distance(a, b) == expected
    assert edit_distance(a, b, 1) == min(expected, 2)


@settings(max_examples=500, deadline=None)
@given(st.text("abc", max_size=7), st.text("abc", max_size=7), st.integers(0, 4))
def test_edit_distance_matches_reference(a: str, b: str, limit: int) -> None:
    expected = _reference_osa(a, b)
    assert edit_distance(a, b) == expected
    assert edit_distance(a, b, limit) == min(expected, limit + 1)


def test_fuzzy_threshold_grows_with_length() -> None:
    assert [fuzzy_threshold(n) for n in (1, 3, 4, 7, 8, 20)] == [0, 0, 1, 1, 2, 2]


# -- searching -----------------------------------------------------------------------------


def _concept(
    cid: str, line: int, kind: str = "term", **terms: list[str | tuple[str, str]]
) -> Concept:
    """A concept at *line*, its terms on the following lines (``kk_Latn`` stands for kk-Latn)."""
    concept = Concept(cid, kind=kind, location=Location("g.yaml", line))
    n = line
    for lang, items in terms.items():
        for item in items:
            text, status = (item, "preferred") if isinstance(item, str) else item
            n += 1
            location = Location("g.yaml", n)
            concept.add_term(lang.replace("_", "-"), Term(text, status, location=location))
    return concept


def _glossary() -> Glossary:
    g = Glossary()
    for concept in [
        _concept("tribute-to-heroes", 1, "name", kk=["Батырларға тағзым"],
                 kk_Latn=["Batyrlarğa tağzym"], en=["Tribute to Heroes"]),
        _concept("tokayev", 10, "name", kk=["Қасым-Жомарт Тоқаев"],
                 kk_Latn=["Qasym-Jomart Toqaev"], ru=["Касым-Жомарт Токаев"],
                 en=["Kassym-Jomart Tokayev"]),
        _concept("astana", 20, "name", kk=["Астана"], kk_Latn=["Astana"], ru=["Астана"],
                 en=["Astana", ("Akmola", "deprecated"), ("Nur-Sultan", "deprecated")]),
        _concept("akmola-region", 30, "name", en=["Akmola Region", ("Akmola", "admitted")],
                 kk=["Ақмола облысы"]),
        _concept("astana-opera", 40, "name", en=["Astana Opera"], kk=["Астана Опера"]),
        _concept("nur-astana-mosque", 50, "name", en=["Nur-Astana Mosque"],
                 kk=["Нұр-Астана мешіті"]),
        _concept("astara", 60, "name", en=["Astara"]),
        _concept("karaganda", 70, "name", kk=["Қарағанды"], kk_Latn=["Qarağandy"],
                 ru=["Караганда"], en=["Karaganda"]),
        _concept("turkistan-city", 80, "name", en=["Turkistan"], kk=["Түркістан"]),
        _concept("turkistan-region", 90, "name", en=["Turkistan"], kk=["Түркістан облысы"]),
        _concept("victory-day", 100, en=["Victory Day"], ru=["День Победы"], kk=["Жеңіс күні"]),
    ]:
        g.add(concept)
    return g


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(_glossary())


def _found(hits: list[Hit]) -> list[tuple[str, str]]:
    return [(h.concept.id, h.match) for h in hits]


@pytest.mark.parametrize(
    ("query", "match", "lang"),
    [
        ("Batyrlarğa tağzym", "exact", "kk-Latn"),
        ("BATYRLARĞA TAĞZYM", "exact", "kk-Latn"),  # case only: Turkic-aware
        ("батырларға тағзым", "exact", "kk"),
        ("batyrlarga tagzym", "folded", "kk"),  # no diacritics
        ("Батырларга тагзым", "folded", "kk"),  # plain г for ғ
        ("Batyrlarǵa taǵzym", "folded", "kk"),  # the 2018 alphabet
        ("Batyrlarga tagzim", "folded", "kk"),  # y and i fold together
        ("Batyrlarga tagzum", "fuzzy", "kk"),  # one wrong letter
        ("Batirlarha tagzum", "fuzzy", "kk"),  # two, in 17 letters
        ("Batyrlarga", "prefix", "kk"),
        ("tagzym", "substring", "kk"),
    ],
)
def test_every_query_form_finds_the_concept(
    index: SearchIndex, query: str, match: str, lang: str
) -> None:
    hit = index.search(query)[0]
    assert (hit.concept.id, hit.match, hit.lang) == ("tribute-to-heroes", match, lang)


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("Kassym-Jomart Tokayev", "exact"),
        ("Касым-Жомарт Токаев", "exact"),
        ("Қасым-Жомарт Тоқаев", "exact"),
        ("Qasym-Jomart Toqaev", "exact"),
        ("Kasym-Zhomart Tokayev", "folded"),  # kk-ascii and Russian Wikipedia
        ("kasym jomart tokaev", "folded"),
        ("Tokayev", "substring"),  # one word of the name
        ("Toqaev", "substring"),
        ("Tokayev Kassym-Jomart", "substring"),  # every word, another order
        ("Kasym Tokaev", "substring"),  # some words, in order
        ("Tokaiv", "fuzzy"),  # a typo in one word
        ("Kasym Tokaiv", "fuzzy"),  # every word, one with a typo
    ],
)
def test_the_president_by_any_spelling(index: SearchIndex, query: str, match: str) -> None:
    assert _found(index.search(query))[:1] == [("tokayev", match)]


def test_spellings_from_every_kazakh_scheme_find_the_concept(index: SearchIndex) -> None:
    for kazakh, cid in [("Батырларға тағзым", "tribute-to-heroes"), ("Қарағанды", "karaganda"),
                        ("Қасым-Жомарт Тоқаев", "tokayev"), ("Жеңіс күні", "victory-day")]:
        for scheme in ("kk-latn-2021", "kk-latn-2018", "kk-ascii"):
            hit = index.search(transliterate(kazakh, scheme))[0]
            assert (hit.concept.id, hit.match) in ((cid, "exact"), (cid, "folded")), scheme


def test_ranking_exact_prefix_substring_fuzzy(index: SearchIndex) -> None:
    hits = index.search("Astana")
    assert _found(hits) == [
        ("astana", "exact"),
        ("astana-opera", "prefix"),
        ("nur-astana-mosque", "substring"),
        ("astara", "fuzzy"),
    ]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4
    # one hit per concept: its best term, the first exact one in the concept's order
    assert (hits[0].lang, hits[0].term.text) == ("kk-Latn", "Astana")


def test_match_kinds_are_the_documented_ones(index: SearchIndex) -> None:
    kinds = {h.match for q in ("Astana", "stana", "Tokaiv", "Akmola") for h in index.search(q)}
    assert kinds <= set(MATCH_KINDS) and len(kinds) >= 4


def test_substring_inside_a_word_ranks_below_a_word_start(index: SearchIndex) -> None:
    hits = index.search("stana")
    assert {h.match for h in hits} == {"substring"}
    assert hits[0].score < index.search("Astana")[2].score  # nur-astana-mosque at a word start


def test_ties_go_to_the_better_status(index: SearchIndex) -> None:
    # "Akmola" is admitted in akmola-region and deprecated in astana (which comes first)
    hits = index.search("Akmola")
    assert [(h.concept.id, h.match, h.term.status) for h in hits] == [
        ("akmola-region", "exact", "admitted"),
        ("astana", "exact", "deprecated"),
    ]


def test_then_to_glossary_order(index: SearchIndex) -> None:
    # both concepts have the preferred en term "Turkistan"
    assert _found(index.search("turkistan")) == [
        ("turkistan-city", "exact"), ("turkistan-region", "exact")
    ]
    assert _found(index.search("Түркістан")) == [
        ("turkistan-city", "exact"), ("turkistan-region", "folded")
    ]
    assert _found(index.search("Turkestan")) == [
        ("turkistan-city", "fuzzy"), ("turkistan-region", "fuzzy")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Astona", [("astana", "fuzzy"), ("astana-opera", "fuzzy"),
                    ("nur-astana-mosque", "fuzzy")]),
        ("Astonu", []),  # two edits in six letters: too many
        ("Karaganta", [("karaganda", "fuzzy")]),  # one edit in nine letters
        ("Kuraganta", [("karaganda", "fuzzy")]),  # two edits in nine letters
        ("Kurogante", []),  # four
        ("Tok", [("tokayev", "substring")]),  # three letters: the start of a word
        ("Tik", []),  # three letters: no fuzzy match
        ("st", []),  # two letters: only word starts
        ("Kremlin", []),
        ("Moscow", []),
    ],
)
def test_fuzzy_thresholds(index: SearchIndex, query: str, expected: list[tuple[str, str]]) -> None:
    assert _found(index.search(query)) == expected


def test_fuzzy_whole_term_ranks_above_fuzzy_word(index: SearchIndex) -> None:
    hits = index.search("Astona")
    assert hits[0].score > hits[1].score == hits[2].score


def test_lang_filter(index: SearchIndex) -> None:
    hit = index.search("Astana", lang="ru")[0]
    assert (hit.concept.id, hit.lang, hit.match) == ("astana", "ru", "folded")
    assert [h.lang for h in index.search("Astana", lang="ru")] == ["ru"]  # only concepts with ru
    # "kk" selects kk and kk-Latn; a script subtag selects only itself; case does not matter
    assert [(h.lang, h.match) for h in index.search("Qasym-Jomart Toqaev", lang="kk")] == [
        ("kk-Latn", "exact")
    ]
    assert [(h.lang, h.match) for h in index.search("Қасым-Жомарт Тоқаев", lang="KK-latn")] == [
        ("kk-Latn", "folded")
    ]
    assert index.search("Батырларға тағзым", lang="en") == []
    assert index.search("Astana", lang="de") == []


def test_hit_carries_the_glossary_objects() -> None:
    g = _glossary()
    hit = search_glossary(g, "Kassym-Jomart Tokayev")[0]
    assert hit.concept is g.get("tokayev")
    assert hit.term is g.get("tokayev").terms["en"][0]
    assert (hit.lang, hit.score) == ("en", 1.0)


def test_limit_and_empty_queries(index: SearchIndex) -> None:
    assert len(index.search("a", limit=2)) == 2
    assert {h.match for h in index.search("a")} <= {"prefix", "substring"}
    assert index.search("Astana", limit=0) == []
    assert index.search("") == [] and index.search("  ") == [] and index.search("--") == []
    assert SearchIndex(Glossary()).search("Astana") == []


def test_index_matches_one_shot_search(index: SearchIndex) -> None:
    g = _glossary()
    assert len(index) == sum(len(ts) for c in g for ts in c.terms.values())
    for query in ("Astana", "Tokaiv", "Батырларга", "Akmola", "a"):
        expected = search_glossary(g, query)
        got = index.search(query)
        assert [(h.concept.id, h.lang, h.term.text, h.score, h.match) for h in got] == [
            (h.concept.id, h.lang, h.term.text, h.score, h.match) for h in expected
        ]


def test_a_smaller_limit_gives_the_start_of_the_same_list(index: SearchIndex) -> None:
    # fuzzy matching is skipped when better matches fill the page: it must not change results
    for query in ("a", "Astana", "Astona", "Akmola", "Tokaiv", "Kasym Tokaiv", "turkistan"):
        everything = index.search(query, limit=100)
        for limit in range(1, len(everything) + 1):
            assert index.search(query, limit=limit) == everything[:limit], (query, limit)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fuzzy_search_misses_nothing_within_the_threshold(data: st.DataObject) -> None:
    """The candidate filters never drop a term within the edit threshold of the query."""
    word = data.draw(st.text("abdefgmnoprtuv", min_size=4, max_size=12), label="word")
    query = list(word)
    for _ in range(data.draw(st.integers(1, 2), label="edits")):
        i = data.draw(st.integers(0, len(query) - 1))
        op = data.draw(st.sampled_from(["sub", "ins", "del", "swap"]))
        letter = data.draw(st.sampled_from("abdefgmnoprtuv"))
        if op == "sub":
            query[i] = letter
        elif op == "ins":
            query.insert(i, letter)
        elif op == "del" and len(query) > 1:
            del query[i]
        elif op == "swap" and i + 1 < len(query):
            query[i], query[i + 1] = query[i + 1], query[i]
    q = "".join(query)
    g = Glossary()
    g.add(Concept("c", terms={"en": [Term(word)], "ru": [Term(f"xx {word} yy")]}))
    hits = SearchIndex(g).search(q)
    d = edit_distance(fold(q), fold(word))
    if d <= fuzzy_threshold(len(fold(q))):
        assert hits and hits[0].concept.id == "c"


# -- real data: Russian romanization samples -----------------------------------------------


def _iuliia_samples() -> list[tuple[str, str, str]]:
    folder = TESTDATA / "translit" / "iuliia"
    if not folder.exists():
        pytest.skip(f"shared test data not available: {folder}")
    samples = []
    for path in sorted(folder.glob("*.json")):
        if path.stem in ("gost_779", "gost_779_alt", "scientific"):
            continue  # ISO 9 style: x for Х and j for Й, which are Kazakh 2021's H and Ж
        for cyrillic, latin in json.loads(path.read_text(encoding="utf-8")).get("samples", []):
            samples.append((path.stem, cyrillic, latin))
    return samples


def test_russian_romanizations_find_the_cyrillic_term() -> None:
    samples = _iuliia_samples()
    cyrillic = list(dict.fromkeys(c for _, c, _ in samples))
    g = Glossary()
    for n, text in enumerate(cyrillic):
        g.add(Concept(f"c{n}", terms={"ru": [Term(text)]}))
    index = SearchIndex(g)
    missed = []
    for schema, text, latin in samples:
        hits = index.search(latin)
        if not hits or hits[0].concept.id != f"c{cyrillic.index(text)}":
            missed.append((schema, latin))
    # including BGN/PCGN's middle dot (Ty·ay·a, Tash·chishma) and its ” for Ъ (ob”yezd)
    assert missed == []
    assert len(samples) >= 50


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fuzzy_candidates_equal_brute_force(data: st.DataObject) -> None:
    """The positional piece filter keeps exactly the vocabulary a scan of every word keeps."""
    letters = "abdeikmnost"
    words = data.draw(st.lists(st.text(letters, min_size=1, max_size=12), min_size=1, max_size=30))
    g = Glossary()
    for n, w in enumerate(words):
        g.add(Concept(f"c{n}", terms={"en": [Term(w)]}))
    index = SearchIndex(g)
    base = data.draw(st.sampled_from(words))
    query = list(base)
    for _ in range(data.draw(st.integers(0, 3))):
        i = data.draw(st.integers(0, max(0, len(query) - 1)))
        op = data.draw(st.sampled_from(["sub", "ins", "del", "swap"]))
        letter = data.draw(st.sampled_from(letters))
        if op == "sub" and query:
            query[i] = letter
        elif op == "ins":
            query.insert(i, letter)
        elif op == "del" and len(query) > 1:
            del query[i]
        elif op == "swap" and i + 1 < len(query):
            query[i], query[i + 1] = query[i + 1], query[i]
    q = fold("".join(query))
    k = fuzzy_threshold(len(q))
    vocabulary = {fold(w) for w in words} | {t for w in words for t in fold(w).split()}
    expected = sorted(
        (t, d) for t in vocabulary if t and 0 < (d := _reference_osa(q, t)) <= k
    )
    assert sorted(index._fuzzy_tokens(q)) == expected
