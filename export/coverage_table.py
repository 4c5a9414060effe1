"""Who says what as a table: one row per document in scope — afsender | type | nævner emnet? | citat | side —
in the answer's language, and the same table as XLSX and CSV for the official.

"Nævner emnet?" is the verdict's state: ja / nej / usikker. An uncertain row shows its best sentence in the quote
column (the letter's own words, verified), so a person decides it in seconds; rows are listed mentions first,
then the uncertain ones, then the letters that do not mention the topic.

Every cell written to a file goes through export.safe.literal_cell (no spreadsheet takes a sender or a quote as
a formula); XLSX cells are stored as strings, the page as a number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from answering.coverage_answer import stance_word
from answering.schema import Answer
from core.phrases import message
from core.senders import sender_type_label
from export.safe import literal_cell
from retrieval.verdict import ORDER


@dataclass(frozen=True)
class Column:
    """One column of the table, named by its key (a ``CoverageRow`` field; its heading is the phrase
    ``coverage_table.<key>``): its width in a spreadsheet (characters) and its least width on the chat page
    (pixels), and whether its text wraps in the spreadsheet."""

    key: str
    chars: int
    pixels: int
    wrap: bool = False

    def heading(self, language: str) -> str:
        return message(f"coverage_table.{self.key}", language)


# In the order of the files (CSV, XLSX, Markdown, Word); the chat page orders them its own way (ui/chat_page.py).
# On the page: 860 px in all with the row marker.
COLUMNS: tuple[Column, ...] = (
    Column("sender", chars=34, pixels=170),
    Column("type", chars=16, pixels=100),
    Column("mentions", chars=14, pixels=110),
    Column("quote", chars=80, pixels=290, wrap=True),
    Column("page", chars=7, pixels=50),
    Column("source", chars=7, pixels=50),
)
_CELL = {"mentions": "coverage_table.yes", "not_mentioned": "coverage_table.no", "uncertain": "coverage_table.uncertain"}


@dataclass(frozen=True)
class CoverageRow:
    """One document's verdict as a person reads it; ``n`` is the citation number behind the quote (or None);
    ``verdict`` the state (``mentions`` | ``not_mentioned`` | ``uncertain``), ``mentioned`` its forced boolean."""

    sender: str
    type: str
    mentions: str
    quote: str
    page: int | None
    source: str
    n: int | None
    mentioned: bool
    verdict: str = "not_mentioned"

    def cells(self) -> tuple:
        """The row's values in the order of ``COLUMNS``."""
        return tuple(getattr(self, column.key) for column in COLUMNS)


def headers(language: str) -> tuple[str, ...]:
    """The column headers: "Afsender", "Type", "Nævner emnet?", "Citat", "Side", "Kilde" (or English)."""
    return tuple(column.heading(language) for column in COLUMNS)


def state_word(verdict: str, language: str) -> str:
    """A verdict's state as the table's cell says it: "ja", "nej", "usikker" (or English)."""
    return message(_CELL[verdict], language)


def coverage_rows(answer: Answer) -> list[CoverageRow]:
    """The verdicts of a who-says-what answer: mentions, uncertain, not mentioned, each in the answer's order (the
    answer's citations give quote and page)."""
    lang = answer.language
    by_n = {c.n: c for c in answer.citations if c.verified}
    rows = []
    for entry in sorted(answer.coverage, key=lambda e: ORDER[e.verdict]):
        cited = [by_n[n] for n in entry.citations if n in by_n]
        first = cited[0] if cited else None
        quote = first.quote if first else ""
        if first and entry.summary:  # an LLM's one-line position, the verified quote beside it
            stance = stance_word(entry.stance, lang)
            quote = f"{stance + ': ' if stance else ''}{entry.summary} »{first.quote}«"
        rows.append(CoverageRow(
            sender=entry.label or entry.sender,  # two letters of one sender name are two rows, told apart
            type=sender_type_label(entry.sender_type, lang),
            mentions=state_word(entry.verdict, lang),
            quote=quote,
            page=first.page if first else None,
            source=f"[{first.n}]" if first else "",
            n=first.n if first else None,
            mentioned=bool(entry.mentions),
            verdict=entry.verdict,
        ))
    return rows


def to_csv(answer: Answer) -> bytes:
    """The table as CSV (UTF-8 with BOM, so Excel reads æøå; ";"-separated as Danish Excel expects)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([literal_cell(h) for h in headers(answer.language)])
    for row in coverage_rows(answer):
        writer.writerow([literal_cell(v) if not isinstance(v, int) else v for v in row.cells()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(answer: Answer) -> bytes:
    """The table as one worksheet with a bold header row, sensible column widths and wrapped quotes."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = message("coverage_table.sheet", answer.language)[:31]
    sheet.append([literal_cell(h) for h in headers(answer.language)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, row in enumerate(coverage_rows(answer), start=2):
        for j, (column, value) in enumerate(zip(COLUMNS, row.cells()), start=1):
            cell = sheet.cell(row=i, column=j)
            if value is None or value == "":
                pass  # an empty cell stays empty
            elif isinstance(value, int):
                cell.value = value
            else:
                cell.value = literal_cell(value)
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
            cell.alignment = Alignment(wrap_text=column.wrap, vertical="top")
    for j, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = column.chars
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
