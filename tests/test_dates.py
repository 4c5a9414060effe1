"""ingest.dates: Danish date formats to ISO, and no dates out of case numbers or versions."""

from __future__ import annotations

import pytest

from ingest.dates import find_dates, parse_date


@pytest.mark.parametrize(
    "text, iso",
    [
        ("11. september 2023", "2023-09-11"),
        ("Aarhus, den 3. Marts 2024", "2024-03-03"),
        ("d. 1. sept. 2023", "2023-09-01"),
        ("5 maj 2024", "2024-05-05"),
        ("24. dec 2022", "2022-12-24"),
        ("19.9.2023", "2023-09-19"),
        ("19-09-2023", "2023-09-19"),
        ("19/9/23", "2023-09-19"),
        ("2023-09-19", "2023-09-19"),
        ("29.02.2024", "2024-02-29"),
    ],
)
def test_danish_date_formats(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "Sagsnr. 27.00.00-K04-2-23",  # a case number is not a date
        "version 1.2.2023.4",
        "31.02.2023",  # no such day
        "29.02.2023",
        "1. januar 1850",  # outside the plausible range
        "19.9-2023",  # mixed separators
        "tlf. 86 12 34 56",
        "",
    ],
)
def test_not_dates(text):
    assert parse_date(text) is None
    assert find_dates(text) == []


def test_find_dates_in_order_of_appearance_with_positions():
    text = "Modtaget 7.12.2022, besvaret 2023-01-02 med henvisning til brev af 1. januar 2021."
    assert find_dates(text) == [(9, "2022-12-07"), (29, "2023-01-02"), (67, "2021-01-01")]
    assert parse_date(text) == "2022-12-07"
