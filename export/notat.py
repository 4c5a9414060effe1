"""The høringsnotat: a response table (Dato modtaget, Afsender, Udtaler sig som, Resumé, Vurdering) and a section
per theme with its respondents, their quotes and page references. DOCX (python-docx) and XLSX (openpyxl)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from answering.chat_model import ChatModel
from core.phrases import message
from core.senders import SENDER_TYPES
from export.safe import clean_text, literal_cell
from index.llm_cache import LLMCache
from index.records import Filters
from retrieval.search import Searcher
from answering.themes import Theme, build_themes

LANGUAGE = "da"  # the høringsnotat is written in Danish
COLUMNS = [message(f"notat.column.{c}", LANGUAGE) for c in ("date", "sender", "role", "summary", "assessment")]
THEME_COLUMNS = [message(f"notat.column.{c}", LANGUAGE)
                 for c in ("theme", "sender", "role", "statements", "quote", "source", "page")]
SUMMARY_SENTENCES = 2
SUMMARY_CHARS = 450


def role_name(sender_type: str) -> str:
    """A sender type as the role a respondent speaks in ("Kommune"); an unknown value as itself."""
    return message(f"role.{sender_type}", LANGUAGE) if sender_type in SENDER_TYPES else sender_type


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


def extractive_summary(searcher: Searcher, doc_id: str) -> str:
    """The document's most representative sentences (closest to its mean sentence vector), in document order."""
    snap = searcher.snapshot()
    rows = np.flatnonzero(snap.columns["doc_id"] == doc_id)
    picks: list[tuple[int, int, str, np.ndarray]] = []
    for row in rows:
        spans, vectors = snap.sentences_of(int(row))
        for (a, b), v in zip(spans, vectors):
            if b - a >= 40:
                picks.append((snap.records[row].start + int(a), int(row), snap.texts[row][a:b], v))
    if not picks:
        return ""
    unique = {p[0]: p for p in picks}.values()  # overlapping chunks repeat sentences
    picks = sorted(unique, key=lambda p: p[0])
    centroid = np.mean([p[3] for p in picks], axis=0)
    best = sorted(sorted(picks, key=lambda p: -float(p[3] @ centroid))[:SUMMARY_SENTENCES], key=lambda p: p[0])
    text = " … ".join(" ".join(p[2].split()) for p in best)
    return text if len(text) <= SUMMARY_CHARS else text[: text.rfind(" ", 0, SUMMARY_CHARS)] + " …"


def build_notat(searcher: Searcher, filters: Filters | None = None, llm: ChatModel | None = None, on_progress=None) -> Notat:
    """Résumés are extractive, or written by the LLM when one is given (falling back per respondent)."""
    filters = filters or Filters()
    snap = searcher.snapshot()
    in_scope = set(snap.doc_ids_in_scope(filters))
    records = [d for d in snap.manifest.documents.values() if d.doc_id in in_scope]
    records.sort(key=lambda d: (d.date or "9999", d.sender))
    summaries = [extractive_summary(searcher, d.doc_id) for d in records]
    if llm is not None:
        from answering.llm_tasks import written_summaries

        texts = [(d.sender, searcher.index.store.document_text(d.doc_id) or "") for d in records]
        written = written_summaries(llm, texts, LLMCache.in_index(searcher.index.root), on_progress)
        summaries = [w or s for w, s in zip(written, summaries)]
    respondents = [
        Respondent(doc_id=d.doc_id, date=d.date or "", sender=d.sender or d.source, role=role_name(d.sender_type),
                   summary=summary, source=d.source)
        for d, summary in zip(records, summaries)
    ]
    hearings = sorted({d.hearing for d in records if d.hearing})
    title = message("notat.title_hearing", LANGUAGE, hearing=hearings[0]) if len(hearings) == 1 else message("notat.title", LANGUAGE)
    return Notat(title=title, filters=filters, respondents=respondents, themes=build_themes(searcher, filters, llm=llm))


def to_docx(notat: Notat) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    text = clean_text  # every string from a letter or its metadata: no control character reaches the XML
    document.add_heading(text(notat.title), level=1)
    document.add_paragraph(message("notat.intro", LANGUAGE, n=len(notat.respondents)))
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
    for r in notat.respondents:
        cells = table.add_row().cells
        for cell, value in zip(cells, [r.date, r.sender, r.role, r.summary, ""]):
            cell.text = text(value)
    table.autofit = False
    widths = (2.3, 4.5, 2.7, 10.0, 3.3)  # fits a landscape A4/Letter page
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)  # the table grid (LibreOffice reads this)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)  # the cells (Word reads this)
    document.add_heading(message("notat.themes", LANGUAGE), level=1)
    for theme in notat.themes:
        document.add_heading(text(message("notat.theme_heading", LANGUAGE, label=theme.label, n=len(theme.senders))), level=2)
        for s in theme.senders:
            par = document.add_paragraph(style="List Bullet")
            par.add_run(text(s.sender)).bold = True
            par.add_run(text(message("notat.theme_sender", LANGUAGE, role=role_name(s.sender_type), count=s.count)))
            par.add_run(text(f"»{s.quote.quote}«")).italic = True
            par.add_run(text(message("notat.quote_place", LANGUAGE, source=s.quote.source.split("/")[-1], page=s.quote.page)))
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


def to_xlsx(notat: Notat) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = message("notat.responses_sheet", LANGUAGE)
    sheet.append(COLUMNS)
    for r in notat.respondents:
        _append(sheet, [r.date, r.sender, r.role, r.summary, ""])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (14, 40, 16, 90, 30)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    themes = workbook.create_sheet(message("notat.themes", LANGUAGE))
    themes.append(THEME_COLUMNS)
    for cell in themes[1]:
        cell.font = Font(bold=True)
    for theme in notat.themes:
        for s in theme.senders:
            _append(themes, [theme.label, s.sender, role_name(s.sender_type), s.count, s.quote.quote,
                             s.quote.source, s.quote.page])
    for column, width in zip("ABCDEFG", (40, 40, 16, 12, 90, 40, 8)):
        themes.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
