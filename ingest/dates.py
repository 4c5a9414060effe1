"""Danish date parsing: "11. september 2023", "19.9.2023", "19-09-2023", "2023-09-19" → ISO."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WORD_DATE = re.compile(
    r"\b(\d{1,2})\.?\s*(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})\b", re.I
)
# Same separator twice, and not part of a longer token such as a case number ("K04-2-23").
_NUMERIC_DATE = re.compile(r"(?<![\w./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|\.\d)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def find_dates(text: str) -> list[tuple[int, str]]:
    """All dates in the text as (position, ISO string), in order of appearance."""
    found: list[tuple[int, str]] = []
    for m in _WORD_DATE.finditer(text):
        iso = _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if iso:
            found.append((m.start(), iso))
    for m in _NUMERIC_DATE.finditer(text):
        year = int(m.group(4))
        year = year + 2000 if year < 100 else year
        iso = _iso(year, int(m.group(3)), int(m.group(1)))
        if iso:
            found.append((m.start(), iso))
    for m in _ISO_DATE.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), iso))
    return sorted(found)


def parse_date(text: str) -> str | None:
    dates = find_dates(text)
    return dates[0][1] if dates else None


def _iso(year: int, month: int, day: int) -> str | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
