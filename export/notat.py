"""The høringsnotat: a response table (Dato modtaget, Afsender, Udtaler sig som, Resumé, Vurdering) and a section
per theme with its respondents, their quotes and page references. DOCX (python-docx) and XLSX (openpyxl)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date

from answering.chat_model import ChatModel
from core.phrases import message
from core.senders import sender_type_label
from export.safe import clean_text, literal_cell
from index.records import Filters
from retrieval.search import Searcher
from answering.summary import letter_summary
from answering.themes import Theme, build_themes

LANGUAGE = "da"  # the høringsnotat is written in Danish
COLUMNS = [message(f"notat.column.{c}", LANGUAGE) for c in ("date", "sender", "role", "summary", "assessment")]
THEME_COLUMNS = [message(f"notat.column.{c}", LANGUAGE)
                 for c in ("theme", "sender", "role", "statements", "quote", "source", "page")]


@dataclass
class Respondent:
    doc_id: str
    date: str
    sender: str
    role: str
    summary: str
    source: str


@dataclass
class Notat:
    title: str
    filters: Filters
    respondents: list[Respondent]
    themes: list[Theme]


def display_date(iso: str | None, language: str = LANGUAGE) -> str:
    """A date as an official writes it in a table ("19.09.2023"); "ikke angivet" when the letter gives none."""
    if not iso:
        return message("notat.no_date", language)
    try:
        return date.fromisoformat(iso).strftime("%d.%m.%Y")
    except ValueError:
        return iso


def build_notat(searcher: Searcher, filters: Filters | None = None, llm: ChatModel | None = None, on_progress=None) -> Notat:
    """The notat of the letters in scope, from one snapshot. Résumés are extractive (answering/summary.py), or
    written by the LLM when one is given (falling back per respondent)."""
    filters = filters or Filters()
    snap = searcher.snapshot()
    in_scope = set(snap.doc_ids_in_scope(filters))
    records = [d for d in snap.manifest.documents.values() if d.doc_id in in_scope]
    records.sort(key=lambda d: (d.date or "9999", d.sender))
    summaries = [letter_summary(snap, d.doc_id) for d in records]
    if llm is not None:
        from answering.llm_tasks import written_summaries

        texts = [(d.sender, searcher.document_text(d.doc_id)) for d in records]  # as stored: the résumés cached before
        written = written_summaries(llm, texts, searcher.paths.llm_cache(), on_progress)
        summaries = [w or s for w, s in zip(written, summaries)]
    respondents = [
        Respondent(doc_id=d.doc_id, date=d.date or "", sender=d.sender or d.source,
                   role=sender_type_label(d.sender_type, LANGUAGE, "role"), summary=summary, source=d.source)
        for d, summary in zip(records, summaries)
    ]
    hearings = sorted({d.hearing for d in records if d.hearing})
    title = message("notat.title_hearing", LANGUAGE, hearing=hearings[0]) if len(hearings) == 1 else message("notat.title", LANGUAGE)
    return Notat(title=title, filters=filters, respondents=respondents,
                 themes=build_themes(searcher, filters, llm=llm, snap=snap))


# Column widths of the response table (cm): a landscape A4 page with 2.54 cm margins has 24.6 cm. The narrow
# columns fit their longest header word in bold 10 pt ("modtaget", "Udtaler") and a date ("19.09.2023").
WIDTHS_CM = (2.7, 4.6, 3.2, 10.3, 3.8)
FONT_PT = 10


def _cell_text(cell, value: str, *, bold: bool = False) -> None:
    from docx.shared import Pt

    cell.text = ""
    run = cell.paragraphs[0].add_run(clean_text(value))  # no control character from a letter reaches the XML
    run.bold = bold
    run.font.size = Pt(FONT_PT)


def _fix_table_layout(table, widths_cm) -> None:
    """Fixed layout with explicit widths (Word and LibreOffice keep them), the header row repeated on every page, no
    row split across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)  # the table grid (LibreOffice reads this)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)  # the cells (Word reads this)
    for i, row in enumerate(table.rows):
        row_properties = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if i == 0 else ("w:cantSplit",):
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            row_properties.append(element)


def to_docx(notat: Notat) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4 landscape
    section.left_margin = section.right_margin = Cm(2.54)
    text = clean_text  # every string from a letter or its metadata: no control character reaches the XML
    document.add_heading(text(notat.title), level=1)
    document.add_paragraph(message("notat.intro", LANGUAGE, n=len(notat.respondents)))
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS):
        _cell_text(cell, name, bold=True)
    for r in notat.respondents:
        cells = table.add_row().cells
        for cell, value in zip(cells, [display_date(r.date), r.sender, r.role, r.summary, ""]):
            _cell_text(cell, value)
    _fix_table_layout(table, WIDTHS_CM)
    document.add_heading(message("notat.themes", LANGUAGE), level=1)
    for theme in notat.themes:
        document.add_heading(text(message("notat.theme_heading", LANGUAGE, label=theme.label, n=len(theme.senders))), level=2)
        for s in theme.senders:
            par = document.add_paragraph(style="List Bullet")
            par.add_run(text(s.sender)).bold = True
            role = sender_type_label(s.sender_type, LANGUAGE, "role")
            par.add_run(text(message("notat.theme_sender", LANGUAGE, role=role, count=s.count)))
            par.add_run(text(f"»{s.quote.quote}«")).italic = True
            par.add_run(text(message("notat.quote_place", LANGUAGE, page=s.quote.page)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _literal_row(values: list) -> list:
    """Strings as literal text (see export.safe); numbers stay numbers."""
    return [v if isinstance(v, (int, float)) and not isinstance(v, bool) else literal_cell(v) for v in values]


def _append(sheet, values: list) -> None:
    """One row; every text cell typed as a string, so not even a missed formula start can become a formula."""
    sheet.append(_literal_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


RESPONSE_WIDTHS = (15, 40, 17, 90, 30)  # characters
THEME_WIDTHS = (40, 40, 17, 14, 90, 30, 8)
LINE_POINTS = 15


def _fit_rows(sheet, widths) -> None:
    """Row heights for the wrapped text (LibreOffice and some viewers do not grow a row by themselves)."""
    for row in sheet.iter_rows(min_row=2):
        lines = max((math.ceil(len(str(c.value)) / max(1, widths[c.column - 1] * 1.1)) for c in row if c.value is not None),
                    default=1)
        sheet.row_dimensions[row[0].row].height = LINE_POINTS * max(1, lines) + 2


def to_xlsx(notat: Notat) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = message("notat.responses_sheet", LANGUAGE)
    sheet.append(COLUMNS)
    for r in notat.respondents:
        _append(sheet, ["", r.sender, r.role, r.summary, ""])
        when = sheet.cell(row=sheet.max_row, column=1)
        try:  # a real date (sorts and filters as one), shown as 19.09.2023
            when.value = date.fromisoformat(r.date or "")
            when.number_format = "DD.MM.YYYY"
        except ValueError:  # "ikke angivet" when the letter gives no date
            when.value = literal_cell(display_date(r.date))
            when.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    for column, width in zip("ABCDE", RESPONSE_WIDTHS):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    sheet.freeze_panes = "A2"
    themes = workbook.create_sheet(message("notat.themes", LANGUAGE))
    themes.append(THEME_COLUMNS)
    for cell in themes[1]:
        cell.font = Font(bold=True)
    for theme in notat.themes:
        for s in theme.senders:
            _append(themes, [theme.label, s.sender, sender_type_label(s.sender_type, LANGUAGE, "role"), s.count,
                             s.quote.quote, s.quote.source.replace("\\", "/").rsplit("/", 1)[-1], s.quote.page])
    for column, width in zip("ABCDEFG", THEME_WIDTHS):
        themes.column_dimensions[column].width = width
    for row in themes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    themes.freeze_panes = "A2"
    for page, widths in ((sheet, RESPONSE_WIDTHS), (themes, THEME_WIDTHS)):
        _fit_rows(page, widths)
    for page in (sheet, themes):  # printed: landscape, as wide as one page
        page.page_setup.orientation = "landscape"
        page.page_setup.paperSize = page.PAPERSIZE_A4
        page.sheet_properties.pageSetUpPr.fitToPage = True
        page.page_setup.fitToWidth, page.page_setup.fitToHeight = 1, 0
        page.print_title_rows = "1:1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
