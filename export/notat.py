"""The høringsnotat: a response table (Dato modtaget, Afsender, Udtaler sig som, Resumé, Vurdering) and a section
per theme with its respondents, their quotes and page references. DOCX (python-docx) and XLSX (openpyxl)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from answering.chat_model import ChatModel
from export.safe import clean_text, literal_cell
from index.llm_cache import LLMCache
from index.records import Filters
from retrieval.search import Searcher
from answering.themes import Theme, build_themes

ROLE_NAMES = {"kommune": "Kommune", "region": "Region", "med_udvalg": "MED-udvalg", "organisation": "Organisation",
              "virksomhed": "Virksomhed", "borger": "Borger", "ukendt": "Ukendt"}
COLUMNS = ["Dato modtaget", "Afsender", "Udtaler sig som", "Resumé", "Vurdering"]
SUMMARY_SENTENCES = 2
SUMMARY_CHARS = 450


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
        Respondent(doc_id=d.doc_id, date=d.date or "", sender=d.sender or d.source, role=ROLE_NAMES.get(d.sender_type, d.sender_type),
                   summary=summary, source=d.source)
        for d, summary in zip(records, summaries)
    ]
    hearings = sorted({d.hearing for d in records if d.hearing})
    title = "Høringsnotat" + (f": {hearings[0]}" if len(hearings) == 1 else "")
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
    document.add_paragraph(f"{len(notat.respondents)} høringssvar. Resuméer er uddrag af svarene; Vurdering udfyldes af sagsbehandleren.")
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
    document.add_heading("Temaer", level=1)
    for theme in notat.themes:
        document.add_heading(text(f"{theme.label} ({len(theme.senders)} afsendere)"), level=2)
        for s in theme.senders:
            par = document.add_paragraph(style="List Bullet")
            par.add_run(text(s.sender)).bold = True
            par.add_run(text(f" ({ROLE_NAMES.get(s.sender_type, s.sender_type)}, {s.count} udsagn): "))
            par.add_run(text(f"»{s.quote.quote}«")).italic = True
            par.add_run(text(f" ({s.quote.source.split('/')[-1]}, side {s.quote.page})"))
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
    sheet.title = "Høringssvar"
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
    themes = workbook.create_sheet("Temaer")
    themes.append(["Tema", "Afsender", "Udtaler sig som", "Antal udsagn", "Citat", "Kilde", "Side"])
    for cell in themes[1]:
        cell.font = Font(bold=True)
    for theme in notat.themes:
        for s in theme.senders:
            _append(themes, [theme.label, s.sender, ROLE_NAMES.get(s.sender_type, s.sender_type), s.count, s.quote.quote,
                             s.quote.source, s.quote.page])
    for column, width in zip("ABCDEFG", (40, 40, 16, 12, 90, 40, 8)):
        themes.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
