"""The review trail's audit export (issue 25): every change of the history (index/review_store.py) as one row —
number, hearing, kind, document, subject, who, when, old → new value, old → new review state, why — as CSV (UTF-8
with BOM, ";"-separated as Danish Excel expects) or XLSX. Every text cell goes through export.safe: no cell
becomes a formula, whatever a name or a reason starts with."""

from __future__ import annotations

import csv
import io

from core.phrases import message
from core.review import HistoryEntry
from export.safe import literal_cell

COLUMNS = ("id", "hearing", "kind", "doc_id", "subject", "who", "at", "old_value", "new_value", "old_state",
           "new_state", "why")


def headers(language: str = "da") -> list[str]:
    return [message(f"review.column.{c}", language) for c in COLUMNS]


def entry_json(entry: HistoryEntry) -> dict:
    """One history entry as ``hoering review history --json`` gives it."""
    return {"id": entry.id, "hearing": entry.key.hearing, "kind": entry.key.kind, "doc_id": entry.key.doc_id,
            "subject": entry.key.subject, "who": entry.who, "at": entry.at, "old_value": entry.old_value,
            "new_value": entry.new_value, "old_state": entry.old_state, "new_state": entry.new_state, "why": entry.why}


def _row(entry: HistoryEntry) -> list:
    data = entry_json(entry)
    return [data["id"], *(literal_cell(data[c]) if data[c] is not None else "" for c in COLUMNS[1:])]


def to_csv(entries: list[HistoryEntry], language: str = "da") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([literal_cell(h) for h in headers(language)])
    for entry in entries:
        writer.writerow(_row(entry))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(entries: list[HistoryEntry], language: str = "da") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = message("review.sheet.history", language)[:31]
    sheet.append(headers(language))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        sheet.append(_row(entry))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula
    for letter, width in zip("ABCDEFGHIJKL", (6, 36, 10, 18, 18, 20, 22, 28, 28, 16, 16, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
