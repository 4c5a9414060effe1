"""Read a hearing's list of invited parties (a høringsliste): an XLSX or CSV file with a name column, or pasted
lines, one party a line. Pure functions from bytes or text to a typed ``HearingList``: the parties in list order,
deduplicated, and what could not be read as data (``ListProblem``), never an exception for a bad row. Text from a
file never executes: a formula cell is reported, not evaluated, and a text that starts like a formula ("=", "+",
"@") loses that prefix, so a name written back to a spreadsheet cannot become one."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.parties import Party

__all__ = ["HearingList", "ListProblem", "Party", "read_csv", "read_hearing_list", "read_lines", "read_xlsx"]

MAX_ROWS = 20_000
MAX_NAME = 300

# Headers that name the party column, as words of the header ("Høringspart", "Modtagers navn", "Name").
NAME_HEADERS = frozenset({
    "navn", "navne", "name", "names", "part", "parter", "høringspart", "høringsparter", "høringsparten",
    "modtager", "modtagere", "modtagers", "recipient", "recipients", "party", "parties", "organisation",
    "organisationer", "organization", "myndighed", "myndigheder", "institution", "virksomhed", "interessent",
})
_FORMULA_PREFIX = re.compile(r"^[=+@\t\r]+|^-(?=[=+@-]|\s*$)")
_BULLET = re.compile(r"^\s*(?:[-*•·–—▪►◦‣>]+\s*|\(?\d{1,3}[.):]\s+|\(?[a-zæøå]\)\s+)", re.IGNORECASE)
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


@dataclass(frozen=True)
class ListProblem:
    """A row (or the whole input, row 0) that gave no party: ``code`` one of "unreadable" (the file),
    "no_name_column", "empty", "formula", "too_long", "duplicate" (``detail``: the row it repeats), "too_many"."""

    row: int
    code: str
    detail: str = ""


@dataclass(frozen=True)
class HearingList:
    """The parties read, in list order, and the problems met; ``column``: the header of the name column used
    (None for pasted lines or a list without a recognised header)."""

    parties: tuple[Party, ...]
    problems: tuple[ListProblem, ...] = ()
    column: str | None = None


def read_hearing_list(path: str | Path) -> HearingList:
    """A list from a file, read by its suffix: .xlsx/.xlsm as a workbook, anything else as delimited text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return HearingList((), (ListProblem(0, "unreadable", type(exc).__name__),))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(data)
    return read_csv(data)


def read_xlsx(data: bytes) -> HearingList:
    """The first sheet of a workbook: the header row found, the name column by its header, else the first column
    with text. Formula cells are reported (code "formula"), never evaluated."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        return HearingList((), (ListProblem(0, "unreadable", type(exc).__name__),))
    try:
        sheet = book.worksheets[0]
        rows: list[tuple[int, list[object]]] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                return _table(rows, ListProblem(number, "too_many"), formulas=True)
            rows.append((number, list(row)))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, OSError, zipfile.BadZipFile) as exc:
        # a damaged sheet: a reading error is data for the caller, not a crash
        return HearingList((), (ListProblem(0, "unreadable", type(exc).__name__),))
    finally:
        book.close()
    return _table(rows, formulas=True)


def read_csv(data: bytes) -> HearingList:
    """Delimited text in UTF-8 (with or without BOM), cp1252 or Latin-1, separated by ";", ",", tab or "|"."""
    text = _decode(data)
    lines = text.splitlines()
    sample = "\n".join(lines[:50])
    delimiter = _delimiter(sample)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter) if delimiter else ([line] for line in lines)
    rows: list[tuple[int, list[object]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                return _table(rows, extra_problem=ListProblem(number, "too_many"))
            rows.append((number, list(row)))
    except csv.Error as exc:
        return _table(rows, extra_problem=ListProblem(len(rows) + 1, "unreadable", str(exc)[:100]))
    return _table(rows)


def read_lines(text: str) -> HearingList:
    """Pasted lines, one party a line: blank lines skipped, bullets and numbering ("•", "-", "1.", "a)") removed.
    Lines with tabs (cells copied from a spreadsheet) are read as a table."""
    if "\t" in text:
        return read_csv(text.encode("utf-8"))
    seen: dict[str, int] = {}
    parties: list[Party] = []
    problems: list[ListProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_ROWS:
            problems.append(ListProblem(number, "too_many"))
            break
        name = _clean(_BULLET.sub("", line, count=1))
        if name:
            _add(name, number, {}, parties, problems, seen)
    return HearingList(tuple(parties), tuple(problems))


def party_key(name: str) -> str:
    """The form two names of one party share in a list: case, punctuation and spacing left out."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def _table(rows: list[tuple[int, list[object]]], extra_problem: ListProblem | None = None,
           formulas: bool = False) -> HearingList:
    problems: list[ListProblem] = []
    rows = [(n, cells) for n, cells in rows if any(_text(c) for c in cells)]
    if not rows:
        return HearingList((), ((extra_problem,) if extra_problem else ()))
    first_number, first = rows[0]
    headers = [_clean(_text(c)) for c in first]
    column = _name_column(headers)
    header_row = column is not None
    if column is None:
        column = _first_text_column(rows)
        if column is None:
            return HearingList((), (ListProblem(first_number, "no_name_column"),))
    body = rows[1:] if header_row else rows
    seen: dict[str, int] = {}
    parties: list[Party] = []
    for number, cells in body:
        cell = cells[column] if column < len(cells) else None
        if formulas and _is_formula(cell):
            problems.append(ListProblem(number, "formula"))
            continue
        name = _clean(_text(cell))
        if not name:
            problems.append(ListProblem(number, "empty"))
            continue
        extra = {}
        if header_row:
            for i, value in enumerate(cells):
                if i != column and i < len(headers) and headers[i] and not (formulas and _is_formula(value)) and _clean(_text(value)):
                    extra[headers[i]] = _clean(_text(value))
        _add(name, number, extra, parties, problems, seen)
    if extra_problem:
        problems.append(extra_problem)
    return HearingList(tuple(parties), tuple(problems), headers[column] if header_row else None)


def _add(name: str, number: int, extra: dict[str, str], parties: list[Party], problems: list[ListProblem],
         seen: dict[str, int]) -> None:
    if len(name) > MAX_NAME:
        problems.append(ListProblem(number, "too_long"))
        return
    key = party_key(name)
    if key in seen:
        problems.append(ListProblem(number, "duplicate", str(seen[key])))
        return
    seen[key] = number
    parties.append(Party(name, number, extra))


def _name_column(headers: list[str]) -> int | None:
    for i, header in enumerate(headers):
        words = set(re.findall(r"\w+", header.casefold()))
        if words & NAME_HEADERS:
            return i
    return None


def _first_text_column(rows: list[tuple[int, list[object]]]) -> int | None:
    """The first column in which most rows hold text that is not a number or a mail address."""
    width = max(len(cells) for _, cells in rows)
    for i in range(width):
        values = [_text(cells[i]) for _, cells in rows if i < len(cells)]
        texty = [v for v in values if re.search(r"[^\W\d_]", v) and "@" not in v]
        if len(texty) * 2 > len(rows):
            return i
    return None


def _is_formula(value: object) -> bool:
    """A workbook cell openpyxl reads as a formula (its text starts with "=")."""
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _clean(value: str) -> str:
    """One line of printable text, a formula-looking prefix removed, spaces collapsed."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    value = " ".join(value.split())
    previous = None
    while previous != value:
        previous = value
        value = _FORMULA_PREFIX.sub("", value).strip()
    return value


def _decode(data: bytes) -> str:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _delimiter(sample: str) -> str | None:
    """The separator, which the first line (a header or a row) must hold: a one-column list of names with commas
    ("OMU Social, Roskilde") is not split."""
    first = next((line for line in sample.splitlines() if line.strip()), "")
    if not any(d in first for d in ";,\t|"):
        return None
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";\t|,"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] and best in first else None
