"""Sentence segmentation: English, Russian and Kazakh news copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.segmenter import split_sentences

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_94c7650f3b1ed2f3.txt"


def sentences(text: str, lang: str = "en") -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Mr. Smith met Dr. Jones on St. George St. yesterday. They talked.",
            ["Mr. Smith met Dr. Jones on St. George St. yesterday.", "They talked."],
        ),
        (
            "en",
            "Kurentaev told U.S.-funded broadcaster Current Time. “It was important.”",
            ["Kurentaev told U.S.-funded broadcaster Current Time.", "“It was important.”"],
        ),
        (
            "en",
            "Cities, e.g. Astana and Almaty, i.e. the largest ones, grew. Others did not.",
            ["Cities, e.g. Astana and Almaty, i.e. the largest ones, grew.", "Others did not."],
        ),
        (
            "en",
            "Heroes like A. Moldagulova and M. Mametova. Their stories matter.",
            ["Heroes like A. Moldagulova and M. Mametova.", "Their stories matter."],
        ),
        (
            "en",
            "Around 178,000 natives served, with an additional 1.2 million drafted. "
            "More than 600,000 — or 11.2% of the population — died.",
            [
                "Around 178,000 natives served, with an additional 1.2 million drafted.",
                "More than 600,000 — or 11.2% of the population — died.",
            ],
        ),
        (
            "en",
            "“Those days showed that peace is a treasure.” He paused. (See the note.) Next.",
            [
                "“Those days showed that peace is a treasure.”",
                "He paused.",
                "(See the note.)",
                "Next.",
            ],
        ),
        (
            "en",
            "Wait... What happened? Nothing! Really?! Yes.",
            ["Wait...", "What happened?", "Nothing!", "Really?!", "Yes."],
        ),
        (
            "en",
            "An activist with the Oyan, Qazaqstan! civil rights movement spoke. “Why?” she asked.",
            [
                "An activist with the Oyan, Qazaqstan! civil rights movement spoke.",
                "“Why?” she asked.",
            ],
        ),
        (
            "en",
            "See No. 5 on Jan. 5 at 5 p.m. and so on, etc. The end.",
            ["See No. 5 on Jan. 5 at 5 p.m. and so on, etc.", "The end."],
        ),
        (
            "ru",
            "Это было в 2012 г. Затем всё изменилось. Он живёт в г. Алматы на ул. Абая.",
            ["Это было в 2012 г.", "Затем всё изменилось.", "Он живёт в г. Алматы на ул. Абая."],
        ),
        (
            "ru",
            "Книги, газеты и т.д. Всё это, т.е. печать, важно. Проф. Иванов и А. С. Пушкин.",
            [
                "Книги, газеты и т.д.",
                "Всё это, т.е. печать, важно.",
                "Проф. Иванов и А. С. Пушкин.",
            ],
        ),
        (
            "ru",
            "Улица им. Абая. В 1990-х гг. Город рос. «Мы победили». Потом — тишина.",
            ["Улица им. Абая.", "В 1990-х гг.", "Город рос.", "«Мы победили».", "Потом — тишина."],
        ),
        (
            "kk",
            "Бұл 2012 ж. болды. Алматы, Астана т.б. Қалалар үлкен. Б.з.д. 500 жылы салынған.",
            [
                "Бұл 2012 ж. болды.",
                "Алматы, Астана т.б.",
                "Қалалар үлкен.",
                "Б.з.д. 500 жылы салынған.",
            ],
        ),
        (
            "kk",
            "Президент Қ. Тоқаев сөйледі. Ол «Жеңіс күні» туралы айтты.",
            ["Президент Қ. Тоқаев сөйледі.", "Ол «Жеңіс күні» туралы айтты."],
        ),
        (
            "kk-Latn",
            "Bul 2012 j. boldy. Almaty, Astana t.b. Qalalar ülken.",
            ["Bul 2012 j. boldy.", "Almaty, Astana t.b.", "Qalalar ülken."],
        ),
    ],
)
def test_sentences(lang: str, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_letterless_pieces_join_the_next_sentence() -> None:
    assert sentences("1. First point here. 2. Second point.") == [
        "1. First point here.",
        "2. Second point.",
    ]


def test_spans_leave_whitespace_outside() -> None:
    text = "  One.\n\tTwo?  Three!\n"
    spans = split_sentences(text, "en")
    assert [text[a:b] for a, b in spans] == ["One.", "Two?", "Three!"]


@given(st.text(alphabet=st.sampled_from(list("aA. !?”«»\n\t1,ж.т")), max_size=60))
def test_spans_cover_every_visible_character_once(text: str) -> None:
    spans = split_sentences(text, "ru")
    covered = [False] * len(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        for i in range(a, b):
            covered[i] = True
        last = b
    for i, ch in enumerate(text):
        assert covered[i] or ch.isspace()


def _seed_paragraphs() -> list[str]:
    if not SEED.is_file():
        pytest.skip("shared seed article not available")
    return [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_seed_article_splits_where_a_human_would() -> None:
    paragraphs = _seed_paragraphs()
    by_start = {p[:40]: p for p in paragraphs}

    def para(start: str) -> str:
        return next(p for k, p in by_start.items() if k.startswith(start[:40]))

    assert sentences(para("Around 178,000 natives")) == [
        "Around 178,000 natives of Kazakhstan were serving in the ranks of the Red Army at the "
        "start of World War II, with an additional 1.2 million drafted to fight as the conflict "
        "progressed.",
        "More than 600,000 drafties — or 11.2% of Kazakhstan’s population at the time — died in "
        "the war.",
    ]
    assert sentences(para("“It is possible that the authorities")) == [
        "“It is possible that the authorities decided to hold [the rally] in response to the "
        "actions that preceded it.",
        "And this, I remind you, was [Lavrov's criticism of Tokayev](#) and [Putin's call](#),” "
        "Kurentaev [told](#) U.S.-funded broadcaster Current Time.",
        "“It was important from a diplomatic point of view.”",
    ]
    assert sentences(para("Bota Sharipzhan, an activist")) == [para("Bota Sharipzhan, an activist")]
    assert sentences(para("A separate point of contention")) == [
        para("A separate point of contention")
    ]
    assert sentences(para("“If May 9 is to be observed")) == [
        "“If May 9 is to be observed at all, it should be without parades: modestly laying "
        "flowers at the Eternal Flame, sharing stories about relatives who fought in the war on "
        "social media and talking about how devastating World War II was for us,” she said.",
        "“That would be more than enough.”",
    ]


def test_seed_article_no_sentence_starts_lower_case() -> None:
    for paragraph in _seed_paragraphs():
        for a, b in split_sentences(paragraph, "en"):
            assert not paragraph[a].islower(), paragraph[a:b]
