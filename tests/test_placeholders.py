"""Placeholder repair when an engine loses paired markup."""

from __future__ import annotations

from translate.placeholders import repair_placeholders


def _text(pieces):
    return "".join(value for _, value in pieces)


def test_several_lost_sibling_pairs_share_the_words_instead_of_nesting():
    pieces, messages = repair_placeholders("один два три четыре", ["<g1>", "</g1>", "<g2>", "</g2>"])
    assert _text(pieces) == "<g1>один два</g1> <g2>три четыре</g2>"
    assert len(messages) == 2


def test_a_lost_nested_group_stays_nested():
    pieces, _ = repair_placeholders("один два", ["<g1>", "<g2>", "</g2>", "</g1>", "<g3>", "</g3>"])
    assert _text(pieces) == "<g1><g2>один</g2></g1> <g3>два</g3>"


def test_a_single_lost_pair_wraps_the_text():
    pieces, messages = repair_placeholders("один два", ["<g1>", "</g1>"])
    assert _text(pieces) == "<g1>один два</g1>"
    assert messages == ["wrapped the text in missing '<g1>'…'</g1>'"]


def test_too_few_words_fall_back_to_wrapping():
    pieces, _ = repair_placeholders("один", ["<g1>", "</g1>", "<g2>", "</g2>"])
    text = _text(pieces)
    assert text.count("<g1>") == text.count("</g2>") == 1 and "один" in text
