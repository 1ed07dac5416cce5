"""Transliteration of Kazakh and Russian text between Cyrillic and Latin script.

Public API: :func:`transliterate`, :func:`list_schemes`, :func:`default_scheme` and the
:class:`UnknownScheme` error.  The module imports only the standard library at import time;
:mod:`iuliia` is imported the first time a Russian scheme is used or listed.

Schemes
=======

``kk-latn-2021`` (the default for ``kk``)
    The Kazakh Latin alphabet of 2021: 31 letters ``A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S
    Ş T U Ū Ü V Y Z``.  І→I/ı, И and Й→İ/i, Ы→Y, У→U, Ұ→Ū, Ү→Ü, Ғ→Ğ, Қ→Q, Ң→Ñ, Ш→Ş, Ж→J,
    Ә→Ä, Ө→Ö, Х and Һ→H, В→V.  The nine Cyrillic letters outside the alphabet follow the
    replacement rules published with it (Ё→"ЙО / Ө", Ю→"ЙУ / Ү", Я→"ЙА / Ә", Ц→"ТС / С",
    Ч→"ТШ / Ш", Щ→"ШШ", Э→"Е", examples ``актёр``→``aktör``, ``аю``→``aiu``,
    ``сюрреализм``→``sürrealizm``, ``қоян``→``qoian``, ``заряд``→``zaräd``, ``цех``→``seh``,
    ``чек``→``şek``, ``ащы``→``aşşy``, ``электр``→``elektr``).  Where the rules offer two
    spellings we pick one mechanically:

    * Ё, Ю, Я are iotated (``io``/``iu``/``ia`` with the dotted İ/i of Й) at the start of a
      word, after a vowel and after Ъ/Ь; after a consonant they become Ö, Ü, Ä.
    * Ц→S, Ч→Ş (the one-letter options), Щ→ŞŞ, Э→E; Ъ and Ь are dropped.

    Casing is Turkic and done by hand: ``i``↔``İ`` and ``ı``↔``I`` (Python's ``str.upper`` and
    ``str.lower`` are not used on these letters).  A multi-letter replacement of a capital
    letter is all capitals inside an ALL-CAPS word and Title-cased otherwise
    (``ЮРТА``→``İURTA``, ``Юрта``→``İurta``).

``kk-latn-2018``
    The acute-accent alphabet of February 2018 (amendment of Decree No. 569 of 26 October
    2017; the amending decree is cited as No. 637 of 19 February 2018): Ә→Á, Ғ→Ǵ, Ң→Ń, Ө→Ó,
    Ү→Ú, У→Ý, Ұ→U, Ы→Y, І→I/i, И and Й→I/ı, Ш→Sh, Ч→Ch.  For letters outside the alphabet:
    Ё→Ó after a consonant (``актёр``→``aktór``), Э→E, Щ→Sh (ShSh in ащы, тұщы, кеще), Ъ and
    Ь dropped (the published draft spelling rules, reproduced by kipk.edu.kz); iotated Ё
    (word start, after a vowel or Ъ/Ь) is Io; Ц→Ts, Я→Ia, Ю→Iý as in the Latin edition of
    Kazinform (qz.inform.kz: ``Konstıtýtsııa``), where the draft rules would write Ц as S.
    The draft rule that a soft sign fronts the vowel of its syllable (``асфальт``→``asfált``)
    is orthography, not transliteration, and is not applied.

``kk-ascii``
    Plain-ASCII romanization of Kazakh as English-language media and Wikipedia write Kazakh
    names (BGN/PCGN style without diacritics): Ж→zh, Ш→sh, Ч→ch, Щ→shch, Х→kh, Ц→ts, Ю→yu,
    Я→ya, Ё→yo, Ұ Ү У→u, Қ→k, Ғ→g, Ң→n, Ө→o, Ә→a, І И→i, Ы→y, Һ→h.  Е is ``ye`` at the start
    of a word and after a vowel other than У (which is a glide in Kazakh), giving the
    conventional ``-ayev``/``-iyev`` surnames: Тоқаев→Tokayev, Назарбаев→Nazarbayev,
    Әлиев→Aliyev, but Тәуелсіздік→Tauelsizdik.  Й is ``y`` at the start of a word and ``i``
    elsewhere (Қайрат→Kairat, Сүлейменов→Suleimenov, as in ICAO Doc 9303 passports).
    Personal spellings chosen by their owners (``Kassym-Jomart``) are not derivable by rule:
    supply them as *exceptions*.

``kk-cyrl``
    Kazakh Latin (2021) back to Cyrillic, best effort.  Ambiguities, resolved as follows:
    ``i`` is Й after a vowel (or ``i``) other than ``u`` and И elsewhere; ``ia``/``iu``/``io`` are
    Я/Ю/Ё at the start of a word or after a vowel (so ``dialog``, ``radio`` keep И);
    H is always Х (never Һ); S, Ş, E are never Ц, Ч/Щ, Э; Ä, Ö, Ü are never Я, Ё, Ю.  Letters
    outside the 2021 alphabet (C, W, X, accented letters) pass through unchanged.  Known
    word forms given as *exceptions* win over the rules.

    Round trip: Cyrillic → ``kk-latn-2021`` → ``kk-cyrl`` gives the word back when it is made
    of the native letters (not Һ, Ё, Ц, Ч, Щ, Ъ, Ь, Э, Ю, Я) and avoids the two ambiguous
    patterns of И and Й (both İ/i).  Counting И and Й themselves as vowels: Й must follow a
    vowel other than У and must not precede А, О, У; И must not follow a vowel other than У,
    and may precede А, О, У only right after a consonant.  Otherwise ``шаһар``→``шахар``,
    ``айа``→``ая``, ``аии``→``айй``, ``ащы``→``ашшы``, ``цирк``→``сирк``.

Russian schemes (through :mod:`iuliia`)
    Every schema :mod:`iuliia` ships, under its own name (``wikipedia``, ``bgn_pcgn``,
    ``icao_doc_9303``, ``gost_779``, ``gost_779_alt``, ``mvd_782``, ``scientific``,
    ``ala_lc``, ...), plus the aliases in its schema files (``iso_9_1995`` for ``gost_779``).
    Names are matched without regard to case or to ``-`` versus ``_``, and may carry a
    ``ru-`` prefix (``ru-wikipedia``).  One change to iuliia's output: a word written in
    capitals is returned in capitals (iuliia gives ``YuLIYa`` for ``ЮЛИЯ``).

Input is NFC-normalized and output is NFC (precomposed Ğ Ş Ñ Ū Ü Ö Ä İ).  Characters a
scheme has no rule for (digits, punctuation, other scripts) pass through unchanged.

Sources
=======

* Decree of the President of Kazakhstan No. 569 of 26 October 2017 "On the transition of the
  Kazakh alphabet from Cyrillic to the Latin script" (text on inform.kz / akorda.kz), and its
  February 2018 amendment introducing the acute-accent alphabet (Anadolu Agency, 20 February
  2018; Czech Wikibooks "Kazaština/Přechod na latinku" letter tables).
* The improved alphabet presented by the National Commission on 28 January 2021 (Government
  of Kazakhstan press release, reported by fergana.news and vestikavkaza.ru), and its rules
  for Ё Ю Я Ц Ч Щ Э as reproduced in the sports.ru blog post "Şahter, Şötkin и Aqtöbe" (2021).
* Wikipedia, "Kazakh alphabets": the 1902 text in modern Cyrillic with its 2021 Latin
  transliteration (used as a test).
* Kazinform's Latin edition (qz.inform.kz), 2022 referendum article, for 2018 practice (used
  as a test); kipk.edu.kz "Жаңа әліпбидің ережелерін үйренейік" for the 2018 draft rules.
* iuliia (github.com/nalgeon/iuliia, MIT) for every Russian schema and its samples.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tilmash.errors import TilmashError

__all__ = ["UnknownScheme", "default_scheme", "list_schemes", "transliterate"]


class UnknownScheme(TilmashError):
    """A scheme name that is neither one of ours nor an iuliia schema (or alias)."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown transliteration scheme {name!r}{hint} "
            "('tilmash translit --list' shows all schemes)"
        )


# ---------------------------------------------------------------------------------------
# Turkic casing and helpers

_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SEPARATOR = re.compile(r"([-'’])")


def _turkic_upper(text: str) -> str:
    return text.replace("i", "İ").upper()


def _turkic_lower(text: str) -> str:
    """Turkic lower case that keeps the length (so indexes line up with *text*)."""
    return _lower_keep_len(text.replace("İ", "i").replace("I", "ı"))


def _lower_keep_len(text: str) -> str:
    """``str.lower`` per character, leaving alone the few letters that lower to two."""
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_caps(word: str) -> bool:
    """True for a word of two or more cased letters, all capitals (``ЮРТА``, not ``Я``)."""
    cased = [c for c in word if c.isupper() or c.islower()]
    return len(cased) >= 2 and all(c.isupper() for c in cased)


# ---------------------------------------------------------------------------------------
# Cyrillic -> Latin Kazakh schemes

_CYR_VOWELS = frozenset("аәеёиоөуұүыіэюя")
_CYR_SIGNS = frozenset("ъь")

#: Letters every Cyrillic Kazakh scheme maps one-to-one (lowercase).
_KK_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "j", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "ф": "f", "х": "h", "һ": "h", "ы": "y", "э": "e", "е": "e", "ъ": "", "ь": "",
}

_KK_2021 = _KK_COMMON | {
    "ә": "ä", "ғ": "ğ", "и": "i", "й": "i", "қ": "q", "ң": "ñ", "ө": "ö", "у": "u",
    "ұ": "ū", "ү": "ü", "і": "ı", "ц": "s", "ч": "ş", "ш": "ş", "щ": "şş",
}
#: Ё Ю Я: (iotated, after a consonant)
_KK_2021_IOTATED = {"ё": ("io", "ö"), "ю": ("iu", "ü"), "я": ("ia", "ä")}

_KK_2018 = _KK_COMMON | {
    "ә": "á", "ғ": "ǵ", "и": "ı", "й": "ı", "қ": "q", "ң": "ń", "ө": "ó", "у": "ý",
    "ұ": "u", "ү": "ú", "і": "i", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ю": "ıý", "я": "ıa",
}
_KK_2018_IOTATED = {"ё": ("ıo", "ó")}
#: The three native words spelled with Щ, written with a doubled sh (2018 draft rules).
_SHSH_STEMS = ("ащ", "тұщ", "кещ")

_KK_ASCII = _KK_COMMON | {
    "ә": "a", "ғ": "g", "и": "i", "қ": "k", "ң": "n", "ө": "o", "у": "u", "ұ": "u",
    "ү": "u", "і": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ё": "yo", "ж": "zh", "ю": "yu", "я": "ya",
}
#: Vowels after which Е is "ye" in kk-ascii (У is a glide in Kazakh: тәуелсіз -> tauelsiz).
_ASCII_YE_AFTER = _CYR_VOWELS - {"у"}


def _iotated(lower: str, i: int) -> bool:
    """Ё/Ю/Я at *i* stand for Й + vowel: word start, after a vowel or after Ъ/Ь."""
    return i == 0 or lower[i - 1] in _CYR_VOWELS or lower[i - 1] in _CYR_SIGNS


def _letter_2021(lower: str, i: int) -> str | None:
    c = lower[i]
    pair = _KK_2021_IOTATED.get(c)
    if pair is not None:
        return pair[0] if _iotated(lower, i) else pair[1]
    return _KK_2021.get(c)


def _letter_2018(lower: str, i: int) -> str | None:
    c = lower[i]
    pair = _KK_2018_IOTATED.get(c)
    if pair is not None:
        return pair[0] if _iotated(lower, i) else pair[1]
    if c == "щ" and lower.startswith(_SHSH_STEMS) and i == len(lower.split("щ", 1)[0]):
        return "shsh"
    return _KK_2018.get(c)


def _letter_ascii(lower: str, i: int) -> str | None:
    c = lower[i]
    if c == "е":
        if i == 0 or lower[i - 1] in _ASCII_YE_AFTER or lower[i - 1] in _CYR_SIGNS:
            return "ye"
        return "e"
    if c == "й":
        return "y" if i == 0 else "i"
    return _KK_ASCII.get(c)


def _cyr_to_latin_word(
    word: str, letter: Callable[[str, int], str | None], upper: Callable[[str], str]
) -> str:
    lower = _lower_keep_len(word)
    caps = _is_caps(word)
    out: list[str] = []
    for i, ch in enumerate(word):
        rep = letter(lower, i)
        if rep is None:
            out.append(ch)
        elif ch == lower[i] or not rep:
            out.append(rep)
        elif caps or len(rep) == 1:
            out.append(upper(rep))
        else:
            out.append(upper(rep[0]) + rep[1:])
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Latin (2021) -> Cyrillic

_LAT_2021 = {
    "a": "а", "ä": "ә", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "ğ": "ғ",
    "h": "х", "ı": "і", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "ñ": "ң",
    "o": "о", "ö": "ө", "p": "п", "q": "қ", "r": "р", "s": "с", "ş": "ш", "t": "т",
    "u": "у", "ū": "ұ", "ü": "ү", "v": "в", "y": "ы", "z": "з",
}
_LAT_IOTATED = {"a": "я", "u": "ю", "o": "ё"}
#: Vowels after which i is Й (not U: Ясауи -> İasaui -> Ясауи).
_LAT_VOWELS_FOR_J = frozenset("aäeıioöūüy")
#: Vowels after which ia/iu/io are Я/Ю/Ё (U included: суюн -> suiun -> суюн).
_LAT_VOWELS = _LAT_VOWELS_FOR_J | {"u"}


def _latin_to_cyr_word(word: str) -> str:
    lower = _turkic_lower(word)
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        c = lower[i]
        rep: str | None
        step = 1
        if c == "i":
            prev = lower[i - 1] if i else ""
            nxt = lower[i + 1] if i + 1 < n else ""
            if nxt in _LAT_IOTATED and (i == 0 or prev in _LAT_VOWELS):
                rep, step = _LAT_IOTATED[nxt], 2
            elif prev in _LAT_VOWELS_FOR_J:
                rep = "й"
            else:
                rep = "и"
        else:
            rep = _LAT_2021.get(c)
        if rep is None:
            out.append(word[i])
        elif word[i] != lower[i]:
            out.append(rep.upper())
        else:
            out.append(rep)
        i += step
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Scheme objects


@dataclass(frozen=True)
class _Scheme:
    name: str
    description: str
    convert: Callable[[str], str]
    #: folds a source word for exception look-up
    fold: Callable[[str], str]
    #: upper-cases target text (Turkic for kk-latn-2021)
    upper: Callable[[str], str]


def _word_scheme(word_fn: Callable[[str], str]) -> Callable[[str], str]:
    def convert(text: str) -> str:
        return _WORD.sub(lambda m: word_fn(m.group()), text)

    return convert


def _kk_scheme(
    name: str, description: str, letter: Callable[[str, int], str | None],
    upper: Callable[[str], str],
) -> _Scheme:
    return _Scheme(
        name, description,
        _word_scheme(lambda w: _cyr_to_latin_word(w, letter, upper)),
        str.lower, upper,
    )


_KAZAKH: dict[str, _Scheme] = {
    s.name: s
    for s in (
        _kk_scheme(
            "kk-latn-2021",
            "Kazakh Cyrillic → Latin, 2021 alphabet of 31 letters (Ä Ğ Ñ Ş Ū Ü İ/ı); "
            "National Commission, 28 January 2021",
            _letter_2021, _turkic_upper,
        ),
        _kk_scheme(
            "kk-latn-2018",
            "Kazakh Cyrillic → Latin, acute-accent alphabet (Á Ǵ Ń Ó Ú Ý, Sh, Ch); "
            "February 2018 amendment of Decree No. 569",
            _letter_2018, str.upper,
        ),
        _kk_scheme(
            "kk-ascii",
            "Kazakh Cyrillic → ASCII as in English-language media and Wikipedia "
            "(Tokayev, Momyshuly; BGN/PCGN style, no diacritics)",
            _letter_ascii, str.upper,
        ),
        _Scheme(
            "kk-cyrl",
            "Kazakh Latin (2021 alphabet) → Cyrillic, best effort (И/Й, Х/Һ, "
            "Ё Ю Я Ц Ч Щ Э are ambiguous; pass exceptions for known words)",
            _word_scheme(_latin_to_cyr_word), _turkic_lower, str.upper,
        ),
    )
}

#: Friendly extra names for our schemes (normalized form -> canonical name).
_KAZAKH_ALIASES = {"kk-latn": "kk-latn-2021"}


def _norm(name: str) -> str:
    return name.strip().lower().replace("_", "-")


@functools.cache
def _iuliia_catalogue() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """iuliia schema name -> (description, url, aliases), read from its schema files."""
    import json

    import iuliia

    out: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for name, schema in iuliia.schemas.items():
        path = getattr(schema, "path", None)
        data: dict[str, Any] = {}
        if path is not None:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        description = str(data.get("description") or schema.description or name)
        aliases = tuple(str(a) for a in data.get("aliases") or ())
        out[name] = (description, str(data.get("url") or ""), aliases)
    return out


def _iuliia_names() -> dict[str, str]:
    """Normalized name or alias -> iuliia schema name."""
    names: dict[str, str] = {}
    for name, (_, _, aliases) in _iuliia_catalogue().items():
        for n in (name, *aliases):
            names[_norm(n)] = name
    return names


@functools.cache
def _iuliia_scheme(name: str) -> _Scheme:
    import iuliia

    schema = iuliia.schemas.get(name)

    def word(w: str) -> str:
        out = str(schema.translate(w))
        return out.upper() if _is_caps(w) else out

    return _Scheme(name, _iuliia_description(name), _word_scheme(word), str.lower, str.upper)


def _iuliia_description(name: str) -> str:
    description, url, aliases = _iuliia_catalogue()[name]
    description = description.rstrip(". ")
    text = f"{description} (iuliia{', ' + url if url else ''})"
    if name == "uz":
        text = "Uzbek Cyrillic → Latin: " + text
    else:
        text = "Russian Cyrillic → Latin: " + text
    variant = name.rsplit("_", 1)[-1]
    if variant in {"alt", "fr"}:
        text += f"; variant {variant!r}"
    if aliases:
        text += f"; alias {', '.join(aliases)}"
    return text


def _resolve(scheme: str) -> _Scheme:
    key = _norm(scheme)
    key = _KAZAKH_ALIASES.get(key, key)
    if key in _KAZAKH:
        return _KAZAKH[key]
    names = _iuliia_names()
    for candidate in (key, key[3:] if key.startswith("ru-") else None):
        if candidate and candidate in names:
            return _iuliia_scheme(names[candidate])
    import difflib

    spellings = {_norm(n): n for n in _KAZAKH}
    for name, (_, _, aliases) in _iuliia_catalogue().items():
        spellings.update({_norm(n): n for n in (name, *aliases)})
    probe = key[3:] if key.startswith("ru-") and len(key) > 3 else key
    close = difflib.get_close_matches(probe, list(spellings), n=3, cutoff=0.6)
    raise UnknownScheme(scheme, [spellings[c] for c in close])


# ---------------------------------------------------------------------------------------
# Public API


def list_schemes() -> list[tuple[str, str]]:
    """Every scheme as ``(name, one-line description with its source)``: Kazakh ones first."""
    rows = [(s.name, s.description) for s in _KAZAKH.values()]
    rows += [(name, _iuliia_description(name)) for name in sorted(_iuliia_catalogue())]
    return rows


def default_scheme(lang: str) -> str | None:
    """The default romanization for text in language *lang* (a BCP 47 tag), or None.

    Only the language subtag counts: ``kk``/``kk-KZ``/``kk-Cyrl`` → ``kk-latn-2021``,
    ``ru`` → ``wikipedia`` (iuliia's Wikipedia schema, closest to English-language media).
    """
    base = lang.strip().replace("_", "-").split("-", 1)[0].lower()
    return {"kk": "kk-latn-2021", "ru": "wikipedia"}.get(base)


def transliterate(
    text: str, scheme: str, *, exceptions: Mapping[str, str] | None = None
) -> str:
    """Transliterate *text* with *scheme* (see :func:`list_schemes`).

    *exceptions* maps known source words (or hyphenated compounds) to their target form and
    wins over the rules.  Keys match whole words: exactly, or else ignoring case (Turkic
    casing for Latin keys); then the value takes the word's case pattern (a Title-case word
    gets a capital first letter, an ALL-CAPS word gets capitals).  Raises
    :class:`UnknownScheme` for an unknown scheme name.
    """
    sch = _resolve(scheme)
    text = _nfc(text)
    if not exceptions:
        return _nfc(sch.convert(text))
    exact, folded = _prepare_exceptions(exceptions, sch)
    pieces: list[str] = []
    pending: list[str] = []
    pos = 0

    def flush() -> None:
        if pending:
            pieces.append(sch.convert("".join(pending)))
            pending.clear()

    for m in _TOKEN.finditer(text):
        pending.append(text[pos:m.start()])
        pos = m.end()
        token = m.group()
        hit = _lookup(token, exact, folded, sch)
        if hit is not None:
            flush()
            pieces.append(hit)
            continue
        if not _SEPARATOR.search(token):
            pending.append(token)
            continue
        for part in _SEPARATOR.split(token):
            hit = _lookup(part, exact, folded, sch) if part and part[0].isalpha() else None
            if hit is None:
                pending.append(part)
            else:
                flush()
                pieces.append(hit)
    pending.append(text[pos:])
    flush()
    return _nfc("".join(pieces))


def _prepare_exceptions(
    exceptions: Mapping[str, str], sch: _Scheme
) -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for key, value in exceptions.items():
        k, v = _nfc(str(key)).strip(), _nfc(str(value))
        if not k:
            continue
        exact[k] = v
        fk = sch.fold(k)
        if k == fk or fk not in folded:  # a key given in folded form wins
            folded[fk] = v
    return exact, folded


def _lookup(token: str, exact: dict[str, str], folded: dict[str, str], sch: _Scheme) -> str | None:
    value = exact.get(token)
    if value is not None:
        return value
    value = folded.get(sch.fold(token))
    if value is None or not value:
        return value
    if _is_caps(token):
        return sch.upper(value)
    if token[0].isupper():
        return sch.upper(value[0]) + value[1:]
    return value
