"""Tests of referat.entities.amounts: parse_amount, find_amounts, format_amount."""

from __future__ import annotations

import ast
import inspect
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referat.entities import amounts
from referat.entities.amounts import (
    AMOUNT_PATTERN,
    FORMAT_STYLES,
    MINUS_SIGNS,
    find_amounts,
    format_amount,
    parse_amount,
)

# --------------------------------------------------------------------------------------------
# parse_amount: every written form

FORMS = [
    ("585.000 kr.", 585_000),
    ("585.000 kr", 585_000),
    ("585000 kr.", 585_000),
    ("1,4 mio. kr.", 1_400_000),
    ("1,132 mia. kr", 1_132_000_000),
    ("2.282.000,00 kr", 2_282_000),
    ("kr. 10.000", 10_000),
    ("Kr. 10.000", 10_000),
    ("kr. 45.000,-", 45_000),
    ("kr. 45.000,--", 45_000),
    ("45.000,- kr.", 45_000),
    ("DKK 5 mio.", 5_000_000),
    ("DKK 1,2 mio.", 1_200_000),
    ("DKK 1.500", 1_500),
    ("dkk 1.500", 1_500),
    ("5 mio. DKK", 5_000_000),
    ("1.200 t.kr.", 1_200_000),
    ("1.200 tkr.", 1_200_000),
    ("1.200 tkr", 1_200_000),
    ("1.200 t. kr.", 1_200_000),
    ("-8,6 mio. kr.", -8_600_000),
    ("\u20138,6 mio. kr.", -8_600_000),  # en dash
    ("\u22128,6 mio. kr.", -8_600_000),  # minus sign
    ("\u00f78,6 mio. kr.", -8_600_000),  # ÷
    ("\u00f7 8,6 mio. kr.", -8_600_000),
    ("kr. -10.000", -10_000),
    ("0 kr.", 0),
    ("0,00 kr.", 0),
    ("1,400 mio. kr.", 1_400_000),
    ("1,4 mio.kr.", 1_400_000),
    ("3 mill. kr.", 3_000_000),
    ("3 mill kr", 3_000_000),
    ("1 million kroner", 1_000_000),
    ("4,5 millioner kr.", 4_500_000),
    ("2 milliarder kroner", 2_000_000_000),
    ("1 milliard kr.", 1_000_000_000),
    ("2 mrd. kr.", 2_000_000_000),
    ("5 mio kr", 5_000_000),
    ("5 mia kr", 5_000_000_000),
    ("5 tusind kr.", 5_000),
    ("125.000 kroner", 125_000),
    ("1 krone", 1),
    ("7,8 mio krs", 7_800_000),
    ("500 krs", 500),
    ("1.2 mio kr", 1_200_000),
    ("1.25 mio. kr.", 1_250_000),
    ("DKK 1.2 mio.", 1_200_000),
    ("1.200 kr.", 1_200),
    ("1.200.000 kr.", 1_200_000),
    ("1.200 mio. kr.", 1_200_000_000),
    ("1 200 000 kr.", 1_200_000),
    ("1\u00a0200\u00a0000 kr.", 1_200_000),
    ("kr. 2.6 0 0.0 0 0", 2_600_000),
    ("2.6 0 0.0 0 0 kr.", 2_600_000),
    ("\u00bd mio. kr.", 500_000),
    ("1\u00bd mio. kr.", 1_500_000),
    ("MIO", None),
    ("1.234,56 kr.", 1_235),
    ("1.234,49 kr.", 1_234),
    ("0,5 kr.", 1),  # half up
    ("-0,5 kr.", -1),  # half away from zero
    ("1,2345678 mio. kr.", 1_234_568),
    ("585.000\nkr.", 585_000),
    ("  585.000 kr.  ", 585_000),
    ("125.000 kroner.", 125_000),  # a sentence-final period is ignored
    ("DKK 1.500.", 1_500),
    ("123.456.789.012 kr.", 123_456_789_012),
]


@pytest.mark.parametrize(("text", "value"), FORMS)
def test_parse_amount_forms(text: str, value: int | None) -> None:
    assert parse_amount(text) == value


NOT_AMOUNTS = [
    "",
    "   ",
    "kr.",
    "mio. kr.",
    "585.000",  # no currency word
    "5 mio.",  # a scale word is not a currency word
    "EUR 5 mio.",
    "5 mio. EUR",
    "USD 1.500",
    "500 euro",
    "500 kr. og 600 kr.",  # two numbers
    "kr. 500 kr. 600",
    "2-3 mio. kr.",  # a range
    "2 - 3 mio. kr.",
    "2\u20133 mio. kr.",
    "kr. 10.000-15.000",
    "35 %",
    "35 % kr.",
    "27.00.00-A00-1-19",
    "Sagsnr. 27.00.00-A00-1-19",
    "24.08.2017",
    "43 23 60 00",
    "1.20 kr.",  # a dot decimal needs a scale word
    "1.2345 kr.",
    "12345.678 kr.",
    "1,200,000 kr.",
    "1..200 kr.",
    "kr. 2024-priser",
    "- 500 kr.",  # a bullet, not a sign
    "fem kroner",
    "500 kroner til projektet",
    "krav 500",
    "tkr. 500",
    "5 miokr",
    "ca. 500 kr.",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_parse_amount_none(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", [None, 585000, b"585.000 kr.", ["1 kr."]])
def test_parse_amount_non_text_is_none(text: object) -> None:
    assert parse_amount(text) is None  # type: ignore[arg-type]


def test_parse_amount_is_int_not_bool() -> None:
    value = parse_amount("1,4 mio. kr.")
    assert type(value) is int


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_parse_amount_never_raises(text: str) -> None:
    value = parse_amount(text)
    assert value is None or type(value) is int


@given(st.text(alphabet="0123456789.,- ½÷–kr.miotDK", max_size=40))
@settings(max_examples=500, deadline=None)
def test_parse_amount_never_raises_on_amount_like_text(text: str) -> None:
    value = parse_amount(text)
    assert value is None or type(value) is int


def test_no_float_in_module() -> None:
    """Values are Decimal or int throughout: no float() call and no float literal."""
    tree = ast.parse(inspect.getsource(amounts))
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Name) and node.id == "float"), "float() used"
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), "float literal"


# --------------------------------------------------------------------------------------------
# find_amounts: spans in running text


def spans(text: str) -> list[tuple[str, int]]:
    return [(text[s:e], v) for s, e, v in find_amounts(text)]


SENTENCES = [
    (
        "Der søges en tillægsbevilling på 1,4 mio. kr. til projektet.",
        [("1,4 mio. kr.", 1_400_000)],
    ),
    (
        "Udgiften udgør 585.000 kr.",  # "kr." keeps its period at the sentence end
        [("585.000 kr.", 585_000)],
    ),
    (
        "Udvalget bevilger 125.000 kroner.",  # the sentence's period is not part of "kroner"
        [("125.000 kroner", 125_000)],
    ),
    (
        "Rammen er på DKK 1.500.",
        [("DKK 1.500", 1_500)],
    ),
    (
        "Tilskuddet er på kr. 10.000, og egenbetalingen er kr. 45.000,-.",
        [("kr. 10.000", 10_000), ("kr. 45.000,-", 45_000)],
    ),
    (
        "Sagsnr. 27.00.00-A00-1-19. Ledigheden faldt med 35 % fra 2016 til 2017.",
        [],
    ),
    (
        "Mødet holdes den 24.08.2017 kl. 16.00, tlf. 43 23 60 00, 12 deltagere.",
        [],
    ),
    (
        "Budgetopfølgningen viser et merforbrug på -8,6 mio. kr. og et mindreforbrug på 2,1 mio. kr.",
        [("-8,6 mio. kr.", -8_600_000), ("2,1 mio. kr.", 2_100_000)],
    ),
    (
        "Resultatet er ÷ 8,6 mio. kr. i 2017.",
        [("÷ 8,6 mio. kr.", -8_600_000)],
    ),
    (
        "Projektet koster mellem 2-3 mio. kr. over tre år.",
        [],
    ),
    (
        "I 2019 afsættes 120.000 kr. og i 2020 2,5 mio. kr. til indsatsen.",
        [("120.000 kr.", 120_000), ("2,5 mio. kr.", 2_500_000)],
    ),
    (
        "Hertil kommer 1.200 t.kr. i 2018, 1.200 tkr. i 2019 og 1.200 t. kr. i 2020.",
        [("1.200 t.kr.", 1_200_000), ("1.200 tkr.", 1_200_000), ("1.200 t. kr.", 1_200_000)],
    ),
    (
        "Regionens andel er 1,132 mia. kr, og kommunens er 2.282.000,00 kr i alt.",
        [("1,132 mia. kr", 1_132_000_000), ("2.282.000,00 kr", 2_282_000)],
    ),
    (
        "Der er en pulje på kr. 2.6 0 0.0 0 0 til formålet.",
        [("kr. 2.6 0 0.0 0 0", 2_600_000)],
    ),
    (
        "Puljen er på DKK 5 mio. Ansøgningsfristen er 1. maj.",
        [("DKK 5 mio.", 5_000_000)],
    ),
    (
        "Der er ca. ½ mio. kr. tilbage, svarende til 7,8 mio krs budget.",
        [("½ mio. kr.", 500_000), ("7,8 mio krs", 7_800_000)],
    ),
    (
        "Prisen er 1 200 000 kr. (0 kr. i egenbetaling).",
        [("1 200 000 kr.", 1_200_000), ("0 kr.", 0)],
    ),
    (
        "Beløbet er 585.000\nkr. som tidligere oplyst.",  # a line break inside the amount
        [("585.000\nkr.", 585_000)],
    ),
    (
        "Budget 2019\nkr. 500.000 til drift.",  # the year does not take the next line's "kr."
        [("kr. 500.000", 500_000)],
    ),
    (
        "Tabellen viser beløb i kr. 2024-priser: 12.500 og -12.500.",
        [],
    ),
    (
        "- 300.000 kr. til løntilskud\n- 200.000 kr. til mentor",  # bullets, not signs
        [("300.000 kr.", 300_000), ("200.000 kr.", 200_000)],
    ),
    (
        "Tilskuddet er 50 euro pr. deltager og 500 kroner pr. forløb.",
        [("500 kroner", 500)],
    ),
    (
        "Opgjort i 1.000 kr. og i procent: 35 %.",
        [("1.000 kr.", 1_000)],
    ),
    (
        "Der er 12 ledige og 1,2 mio. DKK i puljen.",
        [("1,2 mio. DKK", 1_200_000)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_find_amounts_spans(text: str, expected: list[tuple[str, int]]) -> None:
    assert spans(text) == expected


def test_find_amounts_offsets_are_exact() -> None:
    text = "Der søges en tillægsbevilling på 1,4 mio. kr. til projektet."
    [(start, end, value)] = find_amounts(text)
    assert (start, end, value) == (33, 45, 1_400_000)
    assert text[start:end] == "1,4 mio. kr."


def test_find_amounts_spans_have_no_outer_space_and_parse_back() -> None:
    text = " ".join(t for t, _ in SENTENCES)
    for start, end, value in find_amounts(text):
        span = text[start:end]
        assert span == span.strip()
        assert parse_amount(span) == value


def test_find_amounts_empty() -> None:
    assert find_amounts("") == []
    assert find_amounts("Ingen beløb her.") == []


def test_pattern_is_exposed() -> None:
    assert AMOUNT_PATTERN.search("i alt 585.000 kr. til") is not None
    assert AMOUNT_PATTERN.search("Sagsnr. 27.00.00-A00-1-19") is None


# --------------------------------------------------------------------------------------------
# Linear time

LONG_LINES = [
    "1.2." * 50_000,  # 200 kB of digits and dots
    "123.456." * 25_000,
    "1" * 200_000,
    "1" * 199_996 + " kr.",
    "1 " * 100_000,
    "1," * 100_000,
    "1.000 " * 33_000 + "kr.",
    "- " * 100_000,
    "kr. " * 50_000,
    "\u00bd" * 200_000,
    "1 2" * 66_000 + " mio kr",
    "2.6 0 0" * 28_000 + " kr.",
]


@pytest.mark.parametrize("line", LONG_LINES, ids=range(len(LONG_LINES)))
def test_linear_time(line: str) -> None:
    start = time.perf_counter()
    find_amounts(line)
    parse_amount(line)
    assert time.perf_counter() - start < 0.5


def test_time_grows_linearly() -> None:
    def timed(n: int) -> float:
        line = "12.345." * n
        start = time.perf_counter()
        find_amounts(line)
        return time.perf_counter() - start

    small, large = min(timed(3_000) for _ in range(3)), min(timed(30_000) for _ in range(3))
    assert large < 30 * max(small, 1e-4)  # 10x the input, well under 100x the time


# --------------------------------------------------------------------------------------------
# format_amount

EXAMPLES = [
    (585_000, "kr", "585.000 kr."),
    (585_000, "kr_noperiod", "585.000 kr"),
    (125_000, "kroner", "125.000 kroner"),
    (125_000, "krs", "125.000 krs"),
    (10_000, "kr_prefix", "kr. 10.000"),
    (45_000, "kr_dash", "kr. 45.000,-"),
    (1_500, "dkk", "DKK 1.500"),
    (2_282_000, "decimals", "2.282.000,00 kr"),
    (1_200_000, "space", "1 200 000 kr."),
    (2_600_000, "ocr", "kr. 2.6 0 0.0 0 0"),
    (1_200_000, "tkr", "1.200 t.kr."),
    (1_400_000, "mio", "1,4 mio. kr."),
    (1_234_567, "mio", "1,234567 mio. kr."),
    (1_200_000_000, "mio", "1.200 mio. kr."),
    (3_000_000, "mill", "3 mill. kr."),
    (4_500_000, "millioner", "4,5 millioner kroner"),
    (1_132_000_000, "mia", "1,132 mia. kr."),
    (1_200_000, "dkk_mio", "DKK 1,2 mio."),
    (-8_600_000, "mio", "-8,6 mio. kr."),
    (-10_000, "kr_prefix", "kr. -10.000"),
    (0, "kr", "0 kr."),
    (0, "mio", "0 mio. kr."),
    (999, "kr", "999 kr."),
]


@pytest.mark.parametrize(("value", "style", "text"), EXAMPLES)
def test_format_amount_examples(value: int, style: str, text: str) -> None:
    assert format_amount(value, style) == text
    assert parse_amount(text) == value


def test_format_amount_minus_signs() -> None:
    assert format_amount(-8_600_000, "mio", minus="\u00f7") == "\u00f78,6 mio. kr."
    assert format_amount(-8_600_000, "mio", minus="\u2013") == "\u20138,6 mio. kr."


def test_format_amount_errors() -> None:
    with pytest.raises(ValueError):
        format_amount(1, "euro")
    with pytest.raises(ValueError):
        format_amount(999, "ocr")
    with pytest.raises(ValueError):
        format_amount(-1, "kr", minus="~")
    with pytest.raises(TypeError):
        format_amount(1.5, "kr")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_amount(True, "kr")  # type: ignore[arg-type]


VALUES = st.integers(min_value=-(10**15), max_value=10**15)
SMALL_VALUES = st.integers(min_value=-10_000, max_value=10_000)


@pytest.mark.parametrize("style", sorted(FORMAT_STYLES))
@given(value=st.one_of(VALUES, SMALL_VALUES), minus=st.sampled_from(MINUS_SIGNS))
@settings(max_examples=150, deadline=None)
def test_format_then_parse(style: str, value: int, minus: str) -> None:
    if abs(value) < FORMAT_STYLES[style][1]:
        with pytest.raises(ValueError):
            format_amount(value, style, minus)
        return
    text = format_amount(value, style, minus)
    assert parse_amount(text) == value


@pytest.mark.parametrize("style", sorted(FORMAT_STYLES))
@given(value=st.one_of(VALUES, SMALL_VALUES))
@settings(max_examples=80, deadline=None)
def test_format_then_find_in_sentence(style: str, value: int) -> None:
    if abs(value) < FORMAT_STYLES[style][1]:
        return
    written = format_amount(value, style)
    text = f"Udvalget godkender {written} til projektet."
    [(start, end, found)] = find_amounts(text)
    assert found == value
    assert text[start:end] == written
