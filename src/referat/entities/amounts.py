"""Danish sums of money: read every written form into whole kroner, find them in text, write them.

Danish style: "." groups thousands and "," is the decimal mark ("2.282.000,00 kr"). A scale word
multiplies ("1,4 mio. kr." is 1.400.000 kr.), and "t.kr." / "tkr." count in thousands. Only kroner
(kr., kroner, krs, DKK) are amounts; other currencies are not read.

Everything is computed with :class:`decimal.Decimal` and integers, never float. Values are whole
kroner, rounded half up (away from zero), so "1.234,56 kr." is 1235.

The word lists (scale words, currency words, minus signs) live in the tables below and nowhere
else; the regular expression is built from them.

The pattern runs in linear time: every quantifier that can repeat is bounded, and a number may
only start where no digit, dot or comma stands before it, so no position starts a long scan twice.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "AMOUNT_PATTERN",
    "CURRENCY_WORDS",
    "FORMAT_STYLES",
    "MINUS_SIGNS",
    "SCALE_WORDS",
    "find_amounts",
    "format_amount",
    "parse_amount",
]

# --------------------------------------------------------------------------------------------
# The words, as data. Keys are compared lower-cased.

#: Scale words and the power of ten each stands for. A word ending in "." is written with its
#: period; a word without one must not run on into further letters ("mio" but not "mion").
SCALE_WORDS: dict[str, int] = {
    "tusind": 3,
    "tusinde": 3,
    "tus.": 3,
    "mio.": 6,
    "mio": 6,
    "mill.": 6,
    "mill": 6,
    "million": 6,
    "millioner": 6,
    "mia.": 9,
    "mia": 9,
    "mrd.": 9,
    "mrd": 9,
    "milliard": 9,
    "milliarder": 9,
}

#: The thousands prefix glued to "kr": "t.kr.", "tkr.", "t. kr.".
THOUSANDS_PREFIX = "t"

#: Words that make a number a sum of kroner. Only "kr." keeps a following period in the span;
#: "krs" is the genitive ("7,8 mio krs").
CURRENCY_WORDS: tuple[str, ...] = ("kroners", "kroner", "krone", "krs", "kr.", "kr", "dkk")

#: Currency words that may stand before the number ("kr. 10.000", "DKK 5 mio.").
PREFIX_CURRENCY_WORDS: tuple[str, ...] = ("kr.", "kr", "dkk")

#: Characters read as a minus sign in front of a number. Only "÷" may be followed by a space
#: ("÷ 8,6 mio. kr."); "- 500 kr." at a line's start is a bullet, not a sign.
MINUS_SIGNS: tuple[str, ...] = ("-", "\u2013", "\u2212", "\u00f7")
SPACED_MINUS_SIGNS: tuple[str, ...] = ("\u00f7",)

#: Decimal parts that mean "no øre": "45.000,-", "45.000,--", "45.000,–".
NO_DECIMALS = ("-", "--", "\u2013")

# --------------------------------------------------------------------------------------------
# The pattern, built from the tables.

_LETTER_AFTER = r"(?![^\W\d_])"  # no letter follows
_LETTER_BEFORE = r"(?<![^\W\d_])"  # no letter precedes
_SP = "[ \\t\\u00a0\\u202f]"  # a space inside a line


def _word_alternation(words: tuple[str, ...] | list[str]) -> str:
    """Longest first, so "millioner" wins over "mill" and "kr." over "kr"."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        parts.append(escaped if word.endswith(".") else escaped + _LETTER_AFTER)
    return "(?:" + "|".join(parts) + ")"


_SCALE = _word_alternation(list(SCALE_WORDS))
_CURRENCY = _word_alternation(list(CURRENCY_WORDS))
_PREFIX_CURRENCY = _word_alternation(list(PREFIX_CURRENCY_WORDS))
_MINUS = "[" + "".join(re.escape(s) for s in MINUS_SIGNS) + "]"
_SPACED_MINUS = "[" + "".join(re.escape(s) for s in SPACED_MINUS_SIGNS) + "]"
_ATTACHED_MINUS = "[" + "".join(re.escape(s) for s in MINUS_SIGNS if s not in SPACED_MINUS_SIGNS) + "]"

# One number. Alternatives, tried in order:
#  - dot-grouped thousands, OCR spaces allowed between the digits after the first dot
#    ("585.000", "2.6 0 0.0 0 0");
#  - space-grouped thousands ("1 200 000");
#  - plain digits ("0", "585000");
#  - a halves sign ("½", "1½").
# then an optional decimal part (",5", ",00", ",-").
_INT = (
    r"(?:\d{1,3}(?:\.\d(?:[ ]?\d){2}){1,7}"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,7}"
    r"|\d{1,18})"
)
_DECIMALS = r"(?:,(?:\d{1,12}|--?|\u2013))?"
_HALF = r"(?:\d{1,3})?\u00bd"
_NUM_END = r"(?![\d\u00bd])(?![.,]\d)"
_NUMBER = rf"(?:{_INT}{_DECIMALS}|{_HALF}){_NUM_END}"
# A dot before one or two digits is a decimal point, only when a scale word follows ("1.2 mio kr").
_DOT_DECIMAL = rf"\d{{1,3}}\.\d{{1,2}}{_NUM_END}"

# The gap between number, scale and currency: spaces, and at most one line break.
_GAP = rf"{_SP}{{0,3}}(?:\r?\n{_SP}{{0,3}})?"
_PREFIX_GAP = r"[ \u00a0\u202f]{0,2}"

# Where a number (or its sign) may start: not after a letter, digit, dot, comma, slash or ½, not
# right after a dash ("2-3 mio. kr." is a range), and not after "digit - " (a spaced range).
_NUMBER_START = (
    r"(?<![\w.,/\u00bd])"
    rf"(?<!{_MINUS})"
    rf"(?<!\d{_MINUS}[ ])(?<!\d[ ]{_MINUS}[ ])"
)
# A sign: attached ("-8,6") or "÷" with one space; never after "digit " ("2 - 3").
_SIGN = rf"(?<!\d[ ])(?:{_ATTACHED_MINUS}|{_SPACED_MINUS}[ ]?)"

_SUFFIX_FORM = (
    rf"{_NUMBER_START}"
    rf"(?P<s_sign>{_SIGN})?"
    rf"(?:(?P<s_num>{_NUMBER})|(?P<s_dot>{_DOT_DECIMAL}))"
    rf"(?P<s_gap>{_GAP})"
    rf"(?:(?P<s_scale>{_SCALE}){_GAP}"
    rf"|(?P<s_thousands>{THOUSANDS_PREFIX}\.?[ ]?)(?=kr)"
    rf"|(?(s_dot)(?!x)x))"  # a dot decimal must have a scale word
    rf"(?P<s_cur>{_CURRENCY})"
)
_PREFIX_FORM = (
    rf"{_LETTER_BEFORE}"
    rf"(?P<p_cur>{_PREFIX_CURRENCY})"
    rf"{_PREFIX_GAP}"
    rf"(?P<p_sign>{_SIGN})?"
    rf"(?:(?P<p_num>{_NUMBER})|(?P<p_dot>{_DOT_DECIMAL}))"
    rf"(?:{_PREFIX_GAP}(?P<p_scale>{_SCALE})|(?(p_dot)(?!x)x))"
    r"(?![^\W_]|[-\u2013/][^\W_]|[ ]?%)"  # not "kr. 2024-priser", "kr. 10.000-15.000", "kr. 5 %"
)

#: The compiled pattern of one amount in running text. Use :func:`find_amounts` for the values.
AMOUNT_PATTERN: re.Pattern[str] = re.compile(f"{_SUFFIX_FORM}|{_PREFIX_FORM}", re.IGNORECASE)

_SCALE_BY_WORD = {word.lower(): exp for word, exp in SCALE_WORDS.items()}
_SPACES = re.compile(r"\s+")
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_FOLLOWED_BY_NUMBER = re.compile(rf"{_PREFIX_GAP}(?:{_MINUS})?\d")


# --------------------------------------------------------------------------------------------
# Reading


def _number_value(raw: str, dot_is_decimal: bool) -> Decimal | None:
    """The value of the digits as written, before scale and sign; None if they do not read."""
    raw = _SPACES.sub("", raw)
    if raw.endswith("\u00bd"):
        whole = raw[:-1]
        return (Decimal(whole) if whole else Decimal(0)) + Decimal("0.5")
    if dot_is_decimal:
        return Decimal(raw)
    whole, _, decimals = raw.partition(",")
    if "." in whole:
        if not _DOT_GROUPED.fullmatch(whole):
            return None
        whole = whole.replace(".", "")
    if decimals in NO_DECIMALS or not decimals:
        decimals = "0"
    try:
        return Decimal(f"{whole}.{decimals}")
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None


def _match_value(m: re.Match[str]) -> int | None:
    if m.group("s_cur") is not None:
        sign, num, dot, scale = m.group("s_sign"), m.group("s_num"), m.group("s_dot"), m.group("s_scale")
        exponent = 3 if m.group("s_thousands") is not None else 0
    else:
        sign, num, dot, scale = m.group("p_sign"), m.group("p_num"), m.group("p_dot"), m.group("p_scale")
        exponent = 0
    value = _number_value(dot if dot is not None else num, dot_is_decimal=dot is not None)
    if value is None:
        return None
    if scale is not None:
        exponent = _SCALE_BY_WORD[scale.lower()]
    value = value.scaleb(exponent)
    if sign is not None:
        value = -value
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_amount(text: str) -> int | None:
    """The value in whole kroner of one written sum of money, or None if it cannot be read.

    ``text`` is the amount alone, as an entity span gives it: "585.000 kr.", "1,4 mio. kr.",
    "kr. 45.000,-", "DKK 5 mio.", "1.200 t.kr.", "-8,6 mio. kr.", "½ mio. kr.". Surrounding
    whitespace and a sentence-final period are ignored.

    Returns None, never a guess and never an exception, for: an empty text, a text without a
    number or without a kroner word, another currency, two numbers, a range ("2-3 mio. kr."),
    a percentage, a case number or date, a dot decimal without a scale word ("1.20 kr."), and
    anything else the written forms do not cover.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text:
        return None
    candidates = [text]
    if text.endswith(".") and len(text) > 1:
        candidates.append(text[:-1].rstrip())
    for candidate in candidates:
        m = AMOUNT_PATTERN.fullmatch(candidate)
        if m is not None:
            return _match_value(m)
    return None


def find_amounts(text: str) -> list[tuple[int, int, int]]:
    """Every sum of money in ``text`` as (start, end, value), end exclusive, in text order.

    A span holds the sign, the number, the scale word and the currency word ("kr." with its
    period), and no surrounding spaces or sentence-final period. Numbers without a kroner word,
    percentages, case numbers, dates and phone numbers are not amounts.
    """
    found: list[tuple[int, int, int]] = []
    pos = 0
    while True:
        m = AMOUNT_PATTERN.search(text, pos)
        if m is None:
            return found
        # "2019\nkr. 500": a number at a line's end does not take the next line's "kr." away
        # from the number that follows it.
        if (
            m.group("s_cur") is not None
            and "\n" in text[m.end("s_num" if m.group("s_num") is not None else "s_dot") : m.start("s_cur")]
            and m.group("s_cur").lower() in PREFIX_CURRENCY_WORDS
            and _FOLLOWED_BY_NUMBER.match(text, m.end("s_cur"))
        ):
            pos = m.start("s_cur")
            continue
        value = _match_value(m)
        if value is None:
            pos = m.start() + 1
            continue
        found.append((m.start(), m.end(), value))
        pos = m.end()


# --------------------------------------------------------------------------------------------
# Writing


def _group(digits: str, sep: str = ".") -> str:
    """'1234567' -> '1.234.567'."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def _scaled(value: int, exponent: int) -> str:
    """abs(value) / 10**exponent in Danish style, exact: '1,4', '1.200', '0,000001'."""
    whole, rest = divmod(abs(value), 10**exponent)
    text = _group(str(whole))
    if rest:
        text += "," + str(rest).rjust(exponent, "0").rstrip("0")
    return text


def _ocr(value: int) -> str:
    """'2.6 0 0.0 0 0': the digits after the first dot spaced out, as OCR splits them."""
    grouped = _group(str(abs(value)))
    head, _, tail = grouped.partition(".")
    return head + "." + ".".join(" ".join(g) for g in tail.split("."))


#: Style -> (template, the smallest absolute value the style can write). "{n}" is the number
#: without its sign, "{s}" the sign.
FORMAT_STYLES: dict[str, tuple[str, int]] = {
    "kr": ("{s}{n} kr.", 0),  # 585.000 kr.
    "kr_noperiod": ("{s}{n} kr", 0),  # 585.000 kr
    "kroner": ("{s}{n} kroner", 0),  # 125.000 kroner
    "krs": ("{s}{n} krs", 0),  # 125.000 krs
    "kr_prefix": ("kr. {s}{n}", 0),  # kr. 10.000
    "kr_dash": ("kr. {s}{n},-", 0),  # kr. 45.000,-
    "dkk": ("DKK {s}{n}", 0),  # DKK 1.500
    "decimals": ("{s}{n},00 kr", 0),  # 2.282.000,00 kr
    "space": ("{s}{n} kr.", 0),  # 1 200 000 kr.
    "ocr": ("kr. {s}{n}", 1000),  # kr. 2.6 0 0.0 0 0
    "tkr": ("{s}{n} t.kr.", 0),  # 1.200 t.kr.
    "mio": ("{s}{n} mio. kr.", 0),  # 1,4 mio. kr.
    "mill": ("{s}{n} mill. kr.", 0),  # 3 mill. kr.
    "millioner": ("{s}{n} millioner kroner", 0),  # 4,5 millioner kroner
    "mia": ("{s}{n} mia. kr.", 0),  # 1,132 mia. kr.
    "dkk_mio": ("DKK {s}{n} mio.", 0),  # DKK 1,2 mio.
}
_STYLE_EXPONENT = {"tkr": 3, "mio": 6, "mill": 6, "millioner": 6, "dkk_mio": 6, "mia": 9}


def format_amount(value: int, style: str = "kr", minus: str = "-") -> str:
    """``value`` kroner written in one Danish ``style`` (a key of :data:`FORMAT_STYLES`).

    Every style writes every whole value it admits exactly, so
    ``parse_amount(format_amount(v, style)) == v``; "ocr" needs abs(value) >= 1000. ``minus``
    is the sign written before a negative number ("-", "–", "−" or "÷").

    Raises ValueError for an unknown style, a value the style cannot write, or another minus.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"value must be an int, not {type(value).__name__}")
    if style not in FORMAT_STYLES:
        raise ValueError(f"unknown style {style!r}; styles: {', '.join(FORMAT_STYLES)}")
    if minus not in MINUS_SIGNS:
        raise ValueError(f"unknown minus sign {minus!r}")
    template, smallest = FORMAT_STYLES[style]
    if abs(value) < smallest:
        raise ValueError(f"style {style!r} cannot write {value}")
    if style in _STYLE_EXPONENT:
        number = _scaled(value, _STYLE_EXPONENT[style])
    elif style == "space":
        number = _group(str(abs(value)), " ")
    elif style == "ocr":
        number = _ocr(value)
    else:
        number = _group(str(abs(value)))
    sign = "" if value >= 0 else minus
    return template.format(s=sign, n=number)
