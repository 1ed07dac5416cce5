"""Locale formatting of segment texts: numbers, dates and quotation marks.

:func:`localize_text` rewrites what a segment still writes in the *source* locale's
conventions (``178,000``, ``11.2%``, ``May 08, 2025``, ``“…”``) the way the *target*
locale writes it (ru: ``178 000``, ``11,2 %``, ``8 мая 2025 г.``, ``«…»``).  The source
locale decides how text is *parsed*, the target locale how it is *written*; both come
from Babel's CLDR data (``babel.numbers``, ``babel.dates``), except quotation marks, which
Babel does not ship: :data:`QUOTES` holds the CLDR ``<delimiters>`` of the locales we
support.

Conventions (all straight from CLDR as Babel 2.18 carries it, nothing hand-made):

* group separator: ``Locale.number_symbols['latn']['group']`` — U+00A0 NO-BREAK SPACE for
  ru and kk (``178 000``), ``,`` for en; grouping sizes from the locale's decimal pattern;
* decimal separator: ``,`` for ru/kk (``1,2``);
* percent: the locale's percent pattern — ru ``#,##0 %`` with U+00A0 before ``%``
  (``11,2 %``), kk and en ``#,##0%`` (``11,2%``, ``11.2%``);
* dates: day+month+year → the ``long`` date format (ru ``8 мая 2025 г.``, kk
  ``2025 ж. 8 мамыр``, en-GB ``8 May 2025``); day+month → skeleton ``MMMMd`` (ru
  ``9 мая``, kk ``9 мамыр``); month+year → skeleton ``yMMMM`` (ru ``май 2025 г.``).
  CLDR puts U+202F NARROW NO-BREAK SPACE between the year and ``г.``/``ж.``; we keep it;
* quotes: ru ``«…»`` with ``„…“`` inside, kk ``«…»`` with ``“…”`` inside, en ``“…”`` with
  ``‘…’`` inside.  A locale missing from :data:`QUOTES` keeps its quotes unchanged.

What is deliberately left alone: integers written without separators (years ``2025``,
``in 2012``, IDs, phone numbers), ordinals (``80th``), ranges of plain years
(``1941–1945``), times (``10:30``), version-like chains (``1.2.3``, ``v1.2``,
``version 1.2``), numbers glued to letters (``1.2bn``, ``COVID-19``), weekday names,
apostrophes (``Kazakhstan’s``, ``it's``), and everything inside protected spans:
placeholders for inline markup, URLs, e-mail addresses, tags, inline code, ``{name}``
(:data:`DEFAULT_SKIP`) and any spans the caller passes.  Words are the engine's business:
``1.2 million`` becomes ``1,2 million`` in an untranslated segment.

Quotes are classified by *direction*, not by pairing, because a quotation may span
several segments: an opening quote follows the start, a space, a bracket or a dash; a
closing quote precedes the end, a space or punctuation.  Source double quotes become the
target's primary quotes and source single quotes its alternate ones (a double quote nested
in a double quote also becomes alternate).  A ``’``/``'`` closes a single quote only when
one is open in the same segment; otherwise it is an apostrophe (``authorities’ decision``).

Identity: when source and target are the same locale after CLDR likely-subtag expansion
(``en`` ≡ ``en-US``, ``kk`` ≡ ``kk-Cyrl-KZ``) nothing is changed at all.  ``en`` → ``en-GB``
is *not* identity (dates become ``8 May 2025``; straight quotes become curly).

``kk-Latn`` has no CLDR locale: the pipeline localizes as ``kk`` and transliterates the
finished Cyrillic text, so asking for ``kk-Latn`` here is an error.

Known limits: the conversion is not idempotent in every case (``1.234`` → ru ``1,234``
parses again as an English grouped number; en → kk alternate quotes ``“…”`` look like
English primary quotes), so apply it once per segment; an engine output that already wrote
``1,234`` as a Russian decimal is taken for an English grouped number.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel import Locale, localedata
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.core import UnknownLocaleError, get_global

from glossary.langtags import normalize_tag
from tilmash.errors import TilmashError

__all__ = [
    "DEFAULT_SKIP",
    "KINDS",
    "QUOTES",
    "Change",
    "Localizer",
    "QuoteStyle",
    "babel_locale",
    "format_date",
    "format_number",
    "get_localizer",
    "localize_text",
    "quote_style",
]

#: every kind of change :func:`localize_text` makes (also the values of ``Change.kind``)
KINDS: frozenset[str] = frozenset({"number", "percent", "date", "quote"})


@dataclass(frozen=True)
class Change:
    """One rewrite: *before* at offset *start* of the input text became *after*."""

    kind: str
    before: str
    after: str
    start: int


@dataclass(frozen=True)
class QuoteStyle:
    """A locale's quotation marks (CLDR ``<delimiters>``)."""

    start: str
    end: str
    alt_start: str
    alt_end: str


#: CLDR ``<delimiters>`` (common/main/*.xml); Babel does not import them.  Keys are Babel
#: locale identifiers; a language key covers its regional variants only for the languages
#: in :data:`_REGION_INVARIANT_QUOTES` (de-CH, for one, uses « » ‹ ›).
QUOTES: dict[str, QuoteStyle] = {
    "en": QuoteStyle("“", "”", "‘", "’"),
    "ru": QuoteStyle("«", "»", "„", "“"),
    "kk": QuoteStyle("«", "»", "“", "”"),
    "de": QuoteStyle("„", "“", "‚", "‘"),
    "de_DE": QuoteStyle("„", "“", "‚", "‘"),
    "de_AT": QuoteStyle("„", "“", "‚", "‘"),
}
_REGION_INVARIANT_QUOTES = frozenset({"en", "ru", "kk"})

#: spans never touched, whatever the caller passes: URLs, e-mail addresses, XML/HTML-like
#: tags and inline placeholders (``<x1/>``, ``<g1>…</g1>``), inline code, ``{name}``
DEFAULT_SKIP: re.Pattern[str] = re.compile(
    r"""
      [A-Za-z][A-Za-z0-9+.\-]*://\S+
    | \bwww\.\S+
    | [\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+
    | </?[A-Za-z_][^<>\n]{0,200}>
    | `[^`\n]*`
    | \{\{?[^{}\n]{0,100}\}\}?
    """,
    re.VERBOSE,
)

_SPACE_CLASS = "[ \u00a0\u202f\u2009]"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# a preceding word that makes ``1.2`` a version or section number (source en only)
_EN_LABELS = """
    version versions v ver rev revision chapter chapters section sections article articles
    clause paragraph para figure fig appendix annex no ios android python windows macos linux
    http tls ssl bluetooth usb firmware
"""
_LABEL_WORDS = {"en": frozenset(_EN_LABELS.split())}
_EN_ORDINAL = "(?:st|nd|rd|th)?"
_AMPM = re.compile(r"\s?[ap]\.?m\.?(?!\w)", re.IGNORECASE)
_DECADE = re.compile(r"\d0s(?!\w)")
_NON_DIGITS = re.compile(r"\D")
_PREV_WORD = re.compile(r"([^\W\d_][\w]*)[\s.]*$")


# --------------------------------------------------------------------------- locales


def _split(tag: str) -> tuple[str, str | None, str | None]:
    parts = tag.split("-")
    lang, script, region = parts[0], None, None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            script = part
        else:
            region = part
    return lang, script, region


@functools.lru_cache(maxsize=256)
def babel_locale(tag: str) -> Locale:
    """The Babel locale for a BCP 47 tag (``en-GB`` → ``en_GB``, ``sr-Latn`` → ``sr_Latn``).

    An unknown region falls back to the language (``en-KZ`` → ``en``); an unknown
    language or script, and ``kk-Latn`` (no CLDR locale), raise :class:`TilmashError`.
    """
    try:
        norm = normalize_tag(tag)
    except ValueError as exc:
        raise TilmashError(f"cannot localize for {tag!r}: {exc}") from None
    lang, script, region = _split(norm)
    if lang == "kk" and script == "Latn":
        raise TilmashError(
            "kk-Latn has no CLDR locale: localize as 'kk', then transliterate the result"
        )
    candidates = ["_".join(p for p in (lang, script, region) if p)]
    if region:
        candidates.append("_".join(p for p in (lang, script) if p))
    for identifier in candidates:
        # Babel silently maps unknown scripts to the default one (kk_Latn → kk_Cyrl):
        # require the identifier itself to exist in CLDR.
        if localedata.exists(identifier):
            try:
                return Locale.parse(identifier)
            except (UnknownLocaleError, ValueError):  # pragma: no cover - exists() said yes
                break
    raise TilmashError(f"cannot localize for {tag!r}: no CLDR locale {candidates[0]!r}")


def quote_style(tag: str) -> QuoteStyle | None:
    """The quotation marks of *tag*'s locale, or None when :data:`QUOTES` lacks them."""
    locale = babel_locale(tag)
    identifier = str(locale)
    if identifier in QUOTES:
        return QUOTES[identifier]
    if locale.language in _REGION_INVARIANT_QUOTES and not (
        locale.script and locale.script != _likely(locale.language)[1]
    ):
        return QUOTES[locale.language]
    return None


def _likely(language: str) -> tuple[str, str | None, str | None]:
    likely = get_global("likely_subtags").get(language, language)
    parts = likely.split("_")
    script = next((p for p in parts[1:] if len(p) == 4), None)
    region = next((p for p in parts[1:] if len(p) != 4), None)
    return parts[0], script, region


def _maximized(locale: Locale) -> tuple[str, str | None, str | None]:
    _lang, script, region = _likely(locale.language)
    return locale.language, locale.script or script, locale.territory or region


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class _NumberFormat:
    decimal: str
    group: str
    primary: int
    secondary: int
    pct_prefix: str
    pct_suffix: str


@functools.lru_cache(maxsize=64)
def _number_format(locale: Locale) -> _NumberFormat:
    decimal = babel_numbers.get_decimal_symbol(locale)
    group = babel_numbers.get_group_symbol(locale)
    primary, secondary = locale.decimal_formats[None].grouping
    pct = locale.percent_formats[None]
    sign = locale.number_symbols["latn"]["percentSign"]
    return _NumberFormat(
        decimal,
        group,
        primary,
        secondary,
        pct.prefix[0].replace("%", sign),
        pct.suffix[0].replace("%", sign),
    )


def _group_digits(digits: str, fmt: _NumberFormat) -> str:
    digits = digits.lstrip("0") or "0"
    if len(digits) <= fmt.primary:
        return digits
    parts = [digits[-fmt.primary :]]
    rest = digits[: -fmt.primary]
    while rest:
        parts.append(rest[-fmt.secondary :])
        rest = rest[: -fmt.secondary]
    return fmt.group.join(reversed(parts))


def _render(int_digits: str, frac_digits: str | None, percent: bool, fmt: _NumberFormat) -> str:
    body = _group_digits(int_digits, fmt)
    if frac_digits:
        body = f"{body}{fmt.decimal}{frac_digits}"
    if percent:
        body = f"{fmt.pct_prefix}{body}{fmt.pct_suffix}"
    return body


def format_number(value: float | Decimal | str, target: str, *, percent: bool = False) -> str:
    """*value* written the *target* way, with all its digits (``1234.50`` → ru ``1 234,50``).

    With ``percent=True`` the value is a percentage (``11.2`` → ru ``11,2 %``).  Signs are
    written with a hyphen-minus; the digits stay Latin.
    """
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise TilmashError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise TilmashError(f"not a finite number: {value!r}")
    sign = "-" if number.is_signed() and number != 0 else ""
    text = format(abs(number), "f")
    int_digits, _, frac_digits = text.partition(".")
    fmt = _number_format(babel_locale(target))
    return sign + _render(int_digits, frac_digits or None, percent, fmt)


def _number_regex(fmt: _NumberFormat) -> re.Pattern[str]:
    d = re.escape(fmt.decimal)
    # a space-like group symbol (ru, kk, fr) is also accepted as a plain or thin space
    g = _SPACE_CLASS if fmt.group.isspace() else re.escape(fmt.group)
    before = re.escape(".,:/\\#@&=_'’" + fmt.decimal + fmt.group)
    return re.compile(
        rf"""
        (?<![\w{before}])(?<![^\W\d_][{_DASHES}])
        (?:
            (?P<grp>\d{{1,3}}(?:{g}\d{{3}})+)(?:{d}(?P<gfrac>\d+))?
          | (?P<int>\d+){d}(?P<frac>\d+)
          | (?P<plain>\d+)(?={_SPACE_CLASS}?%)
        )
        (?P<pct>{_SPACE_CLASS}?%)?
        (?!\w)(?!(?:{d}|{g})\d)
        """,
        re.VERBOSE,
    )


# --------------------------------------------------------------------------- dates


def _month_names(locale: Locale) -> dict[str, int]:
    """Every written form of a month name → its number (wide/abbreviated, both contexts)."""
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                stem = name.rstrip(".")
                for form in (stem, stem[:1].upper() + stem[1:]):
                    names.setdefault(form, number)
    if locale.language == "en":
        names.setdefault("Sept", 9)
    return names


def _date_patterns(locale: Locale) -> list[str]:
    """CLDR patterns (long, medium, day-month, month-year) a source date may be written in."""
    locales = [locale]
    if locale.language == "en" and str(locale) != "en_GB":
        # English news mixes US (May 8, 2025) and British (8 May 2025) order
        locales.append(Locale.parse("en_GB" if str(locale) == "en" else "en"))
    patterns: list[str] = []
    for loc in locales:
        for length in ("long", "medium"):
            patterns.append(loc.date_formats[length].pattern)
        for skeleton in ("MMMMd", "MMMd", "yMMMM", "yMMM"):
            key = babel_dates.match_skeleton(skeleton, loc.datetime_skeletons)
            if key:
                patterns.append(loc.datetime_skeletons[key].pattern)
    return patterns


def _pattern_regex(pattern: str, index: int, month_re: str, ordinal: str) -> str | None:
    """A CLDR date pattern as a regex with groups d<i>, m<i>, y<i>; None if unusable."""
    out: list[str] = []
    seen: set[str] = set()
    for kind, value in babel_dates.tokenize_pattern(pattern):
        if kind == "chars":
            assert isinstance(value, str)
            for ch in value:
                if ch.isspace():
                    if not out or out[-1] != f"{_SPACE_CLASS}+":
                        out.append(f"{_SPACE_CLASS}+")
                elif ch == ",":
                    out.append(",?")
                else:
                    out.append(re.escape(ch))
            continue
        assert isinstance(value, tuple)
        char, count = value
        if char == "d":
            out.append(rf"(?P<d{index}>\d{{1,2}}){ordinal}(?!\d)")
        elif char in "ML" and count >= 3:
            out.append(rf"(?P<m{index}>{month_re})")
        elif char == "y":
            out.append(rf"(?P<y{index}>\d{{4}})(?!\d)")
        else:  # numeric months, weekdays, eras: not a written-out date we parse
            return None
        seen.add(char)
    if not ({"M", "L"} & seen) or not ({"d", "y"} & seen):
        return None
    return "".join(out)


@functools.lru_cache(maxsize=64)
def _date_regex(locale: Locale) -> tuple[re.Pattern[str], dict[str, int]]:
    names = _month_names(locale)
    alternatives = sorted(names, key=lambda n: (-len(n), n))
    month_re = "(?:" + "|".join(re.escape(n) + r"\.?" for n in alternatives) + r")(?!\w)"
    ordinal = _EN_ORDINAL if locale.language == "en" else ""
    regexes: list[tuple[int, str]] = []
    seen: set[str] = set()
    for pattern in _date_patterns(locale):
        probe = _pattern_regex(pattern, 0, "M", ordinal)
        if probe is None or probe in seen:
            continue
        seen.add(probe)
        rank = probe.count("(?P<")
        regexes.append((rank, pattern))
    regexes.sort(key=lambda item: -item[0])  # day+month+year before two-field forms
    parts = []
    for index, (_rank, pattern) in enumerate(regexes):
        body = _pattern_regex(pattern, index, month_re, ordinal)
        assert body is not None
        parts.append(f"(?:{body})")
    combined = (
        rf"(?<!\w)(?<!\d[{_DASHES}])(?<!\d{_SPACE_CLASS})(?:{'|'.join(parts)})"
        rf"(?!\w)(?![.,]\d)(?!{_SPACE_CLASS}?[{_DASHES}]{_SPACE_CLASS}?\d)"
        # a year we could not take with the rest (8 мая 2025 года): leave it all alone
        rf"(?!,?{_SPACE_CLASS}+\d{{4}}(?!\d))"
    )
    return re.compile(combined), names


def format_date(date: datetime.date, target: str, *, with_year: bool = True) -> str:
    """*date* written the *target* way: CLDR ``long`` format, or skeleton ``MMMMd``."""
    locale = babel_locale(target)
    if with_year:
        return babel_dates.format_date(date, "long", locale=locale)
    return babel_dates.format_skeleton("MMMMd", date, locale=locale)


def _format_month_year(year: int, month: int, locale: Locale) -> str:
    return babel_dates.format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale)


# --------------------------------------------------------------------------- spans


class _Spans:
    """Sorted, merged, disjoint [start, end) spans with fast overlap tests."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(s for s in spans if s[1] > s[0]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def overlaps(self, start: int, end: int) -> bool:
        if not self.starts:
            return False
        i = bisect.bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start

    def contains(self, pos: int) -> bool:
        return self.overlaps(pos, pos + 1)


# --------------------------------------------------------------------------- quotes

_OPEN_BEFORE = frozenset("([{¡¿/" + _DASHES)
_CLOSE_AFTER = frozenset(".,;:!?)]}…/" + _DASHES)
_PRIMARY, _ALTERNATE = 0, 1
_OPEN, _CLOSE = 1, 2


@dataclass
class _Open:
    src_level: int
    out_level: int
    target_form: bool


class _QuoteRules:
    """Per (source, target) quote tables."""

    def __init__(self, source: QuoteStyle, target: QuoteStyle) -> None:
        self.target = target
        self.src_level: dict[str, int] = {'"': _PRIMARY, "'": _ALTERNATE}
        self.src_identity: dict[str, int] = {}
        for ch, level, direction in (
            (source.start, _PRIMARY, _OPEN),
            (source.end, _PRIMARY, _CLOSE),
            (source.alt_start, _ALTERNATE, _OPEN),
            (source.alt_end, _ALTERNATE, _CLOSE),
        ):
            self.src_level.setdefault(ch, level)
            self.src_identity.setdefault(ch, direction)
        self.tgt: dict[str, tuple[int, int]] = {}
        for ch, level, direction in (
            (target.start, _PRIMARY, _OPEN),
            (target.end, _PRIMARY, _CLOSE),
            (target.alt_start, _ALTERNATE, _OPEN),
            (target.alt_end, _ALTERNATE, _CLOSE),
        ):
            self.tgt.setdefault(ch, (level, direction))
        self.apostrophes = frozenset(
            ch for ch in ("'", "’") if self.src_level.get(ch) == _ALTERNATE
        )
        self.chars = frozenset(self.src_level) | frozenset(self.tgt)
        self.regex = re.compile("[" + re.escape("".join(sorted(self.chars))) + "]")

    def out_char(self, level: int, direction: int) -> str:
        t = self.target
        if level == _PRIMARY:
            return t.start if direction == _OPEN else t.end
        return t.alt_start if direction == _OPEN else t.alt_end


def _localize_quotes(
    text: str, rules: _QuoteRules, blocked: _Spans, edits: list[tuple[int, int, str, str]]
) -> None:
    chars = rules.chars
    positions = [m.start() for m in rules.regex.finditer(text)]
    if blocked:
        positions = [i for i in positions if not blocked.contains(i)]
    if not positions:
        return

    def neighbour(i: int, step: int) -> str:
        """The first non-quote character from *i* in direction *step*; '' at a boundary."""
        while 0 <= i < len(text):
            if blocked and blocked.contains(i):
                return ""
            if text[i] not in chars:
                return text[i]
            i += step
        return ""

    contexts: list[tuple[int, str, bool, bool, bool]] = []
    last_straight_closer = -1
    for i in positions:
        prev, nxt = neighbour(i - 1, -1), neighbour(i + 1, 1)
        is_open = prev == "" or prev.isspace() or prev in _OPEN_BEFORE
        is_close = nxt == "" or nxt.isspace() or nxt in _CLOSE_AFTER
        in_word = prev.isalnum() and nxt.isalnum()
        contexts.append((i, text[i], is_open, is_close, in_word))
        if text[i] == "'" and is_close and not is_open:
            last_straight_closer = i

    stack: list[_Open] = []

    def prev_is_digit(i: int) -> bool:
        return i > 0 and text[i - 1].isdigit()

    def pending(level: int) -> bool:
        return any(not o.target_form and o.src_level == level for o in stack)

    def close(level: int, target_form: bool) -> _Open | None:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k].src_level == level and stack[k].target_form == target_form:
                found = stack[k]
                del stack[k:]
                return found
        return None

    for i, ch, is_open, is_close, in_word in contexts:
        in_source = ch in rules.src_level
        # 1. the direction the context gives
        direction: int | None
        if in_word:
            direction = None
        elif is_open and not is_close:
            direction = _OPEN
        elif is_close and not is_open:
            direction = _CLOSE
        elif is_open and is_close:  # isolated: trust a curly character, not a straight one
            direction = rules.src_identity.get(ch) if in_source else rules.tgt[ch][1]
            if ch in "\"'":
                direction = None
        else:  # glued to punctuation on one side, e.g. `said,"Hello` / `."`
            if ch in "\"'":
                level = rules.src_level[ch]
                direction = _CLOSE if pending(level) else _OPEN
            elif in_source:
                direction = rules.src_identity[ch]
            else:
                direction = rules.tgt[ch][1]
        if direction is None:
            continue

        # 2. characters already written the target way (engine output, earlier passes)
        if ch in rules.tgt:
            t_level, t_dir = rules.tgt[ch]
            top = stack[-1] if stack else None
            already = not in_source or (
                direction == _CLOSE
                and t_dir == _CLOSE
                and top is not None
                and top.target_form
                and top.src_level == t_level
            )
            if already:
                if direction == _OPEN and t_dir == _OPEN:
                    stack.append(_Open(t_level, t_level, True))
                elif direction == _CLOSE and t_dir == _CLOSE:
                    close(t_level, True)
                continue

        # 3. source quotes and apostrophes
        level = rules.src_level[ch]
        if ch in rules.apostrophes or ch == "'":
            if direction == _CLOSE and not pending(_ALTERNATE):
                continue  # possessive or elision: authorities’, Russians'
            if direction == _OPEN and ch == "’":
                continue  # ’90s, ’n’
            if direction == _OPEN and ch == "'" and last_straight_closer <= i:
                continue  # no closing ' later in the segment: an apostrophe ('til)
        if level == _ALTERNATE and direction == _OPEN and _DECADE.match(text, i + 1):
            continue  # '90s, ‘90s: an elided century
        if ch == '"' and direction == _CLOSE and prev_is_digit(i) and not pending(_PRIMARY):
            continue  # an inch mark: 10" screen
        if direction == _OPEN:
            out_level = level
            if level == _PRIMARY and any(o.out_level == _PRIMARY for o in stack):
                out_level = _ALTERNATE
            stack.append(_Open(level, out_level, False))
        else:
            opened = close(level, False)
            out_level = opened.out_level if opened else level
        out = rules.out_char(out_level, direction)
        if out != ch:
            edits.append((i, i + 1, out, "quote"))


# --------------------------------------------------------------------------- localizer


class Localizer:
    """Everything :func:`localize_text` needs for one (source, target) pair, built once."""

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target
        self.source_locale = babel_locale(source)
        self.target_locale = babel_locale(target)
        self.identity = _maximized(self.source_locale) == _maximized(self.target_locale)
        self._src_fmt = _number_format(self.source_locale)
        self._tgt_fmt = _number_format(self.target_locale)
        self._number_re = _number_regex(self._src_fmt)
        self._date_re, self._months = _date_regex(self.source_locale)
        self._labels = _LABEL_WORDS.get(self.source_locale.language, frozenset())
        src_quotes = quote_style(source) or QUOTES["en"]
        tgt_quotes = quote_style(target)
        self._quotes = _QuoteRules(src_quotes, tgt_quotes) if tgt_quotes else None
        self._date_cache: dict[tuple[int | None, int, int | None], str] = {}

    # -- public ---------------------------------------------------------------------

    def localize(
        self,
        text: str,
        *,
        protected: Iterable[tuple[int, int]] = (),
        skip: re.Pattern[str] | None = None,
        kinds: Collection[str] | None = None,
    ) -> tuple[str, list[Change]]:
        """See :func:`localize_text`."""
        if self.identity or not text:
            return text, []
        wanted = KINDS if kinds is None else frozenset(kinds)
        unknown = set(wanted) - KINDS
        if unknown:
            raise TilmashError(f"unknown localization kind(s): {', '.join(sorted(unknown))}")
        spans = list(protected)
        spans.extend(m.span() for m in DEFAULT_SKIP.finditer(text))
        if skip is not None:
            spans.extend(m.span() for m in skip.finditer(text))
        blocked = _Spans(spans)

        edits: list[tuple[int, int, str, str]] = []
        date_spans: list[tuple[int, int]] = []
        if "date" in wanted:
            self._dates(text, blocked, edits, date_spans)
        if "number" in wanted or "percent" in wanted:
            self._numbers(text, blocked, _Spans(date_spans), wanted, edits)
        if "quote" in wanted and self._quotes is not None:
            _localize_quotes(text, self._quotes, blocked, edits)
        if not edits:
            return text, []
        edits.sort()
        out: list[str] = []
        changes: list[Change] = []
        pos = 0
        for start, end, replacement, kind in edits:
            out.append(text[pos:start])
            out.append(replacement)
            changes.append(Change(kind, text[start:end], replacement, start))
            pos = end
        out.append(text[pos:])
        return "".join(out), changes

    # -- parts ----------------------------------------------------------------------

    def _dates(
        self,
        text: str,
        blocked: _Spans,
        edits: list[tuple[int, int, str, str]],
        date_spans: list[tuple[int, int]],
    ) -> None:
        for m in self._date_re.finditer(text):
            start, end = m.span()
            if blocked.overlaps(start, end):
                continue
            groups = {k[0]: v for k, v in m.groupdict().items() if v is not None}
            month = self._months.get(groups["m"].rstrip("."))
            if month is None:  # pragma: no cover - the regex only matches known names
                continue
            day = int(groups["d"]) if "d" in groups else None
            year = int(groups["y"]) if "y" in groups else None
            try:
                datetime.date(2000 if year is None else year, month, 1 if day is None else day)
            except ValueError:
                continue  # February 30
            after = self._format_date(year, month, day)
            if after.endswith(".") and text.startswith(".", end):
                end += 1  # "… 2025 г." + the sentence's full stop: one full stop
            date_spans.append((start, end))
            if after != text[start:end]:
                edits.append((start, end, after, "date"))

    def _format_date(self, year: int | None, month: int, day: int | None) -> str:
        key = (year, month, day)
        cached = self._date_cache.get(key)
        if cached is None:
            loc = self.target_locale
            if day is None:
                assert year is not None
                cached = _format_month_year(year, month, loc)
            elif year is None:
                cached = babel_dates.format_skeleton(
                    "MMMMd", datetime.date(2000, month, day), locale=loc
                )
            else:
                cached = babel_dates.format_date(
                    datetime.date(year, month, day), "long", locale=loc
                )
            self._date_cache[key] = cached
        return cached

    def _numbers(
        self,
        text: str,
        blocked: _Spans,
        dates: _Spans,
        wanted: frozenset[str] | Collection[str],
        edits: list[tuple[int, int, str, str]],
    ) -> None:
        tgt = self._tgt_fmt
        for m in self._number_re.finditer(text):
            start, end = m.span()
            if blocked.overlaps(start, end) or dates.overlaps(start, end):
                continue
            percent = m.group("pct") is not None
            if percent and "percent" not in wanted:
                # localize the number only, keep its percent sign as written
                if "number" not in wanted or m.group("plain") is not None:
                    continue
                end, percent = m.start("pct"), False
            elif not percent and "number" not in wanted:
                continue
            kind = "percent" if percent else "number"
            if m.group("grp") is not None:
                int_digits = _NON_DIGITS.sub("", m.group("grp"))
                frac = m.group("gfrac")
            elif m.group("int") is not None:
                int_digits, frac = m.group("int"), m.group("frac")
                if self._is_label(text, start) or _AMPM.match(text, end):
                    continue  # version 1.2, section 3.2, 10.30 a.m.
            else:
                int_digits, frac = m.group("plain"), None
            after = _render(int_digits, frac, percent, tgt)
            if after != text[start:end]:
                edits.append((start, end, after, kind))

    def _is_label(self, text: str, start: int) -> bool:
        if not self._labels:
            return False
        m = _PREV_WORD.search(text, max(0, start - 24), start)
        return bool(m and m.group(1).lower() in self._labels)


@functools.lru_cache(maxsize=64)
def get_localizer(source: str, target: str) -> Localizer:
    """The (cached) :class:`Localizer` for *source* → *target*; raises TilmashError."""
    return Localizer(source, target)


def localize_text(
    text: str,
    source: str,
    target: str,
    *,
    protected: Iterable[tuple[int, int]] = (),
    skip: re.Pattern[str] | None = None,
    kinds: Collection[str] | None = None,
) -> tuple[str, list[Change]]:
    """Rewrite numbers, dates and quotes of *text* from *source* to *target* conventions.

    *protected* are ``(start, end)`` offsets of *text* never touched (placeholders for
    inline markup); *skip* is an extra regex of spans to leave alone, on top of
    :data:`DEFAULT_SKIP`.  *kinds* limits the rewrites to a subset of :data:`KINDS`.
    Returns the new text and the changes, ``Change.start`` being an offset in *text*.
    Identity (same locale after likely-subtag expansion) returns *text* unchanged.
    """
    return get_localizer(source, target).localize(text, protected=protected, skip=skip, kinds=kinds)
