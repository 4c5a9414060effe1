"""The høringsnotat of one hearing, as an official signs it (DOCX) and works on it (XLSX), rendered from
answering/hearing_report.py's data:

title page (the hearing, its period, the counts: received, with and without remarks, invited and answered, not
answered, uninvited, campaigns) → "Modtagne høringssvar" (date, sender, role, stance, résumé, assessment) →
"Ingen bemærkninger" → "Ikke modtaget svar fra" → answers from senders not on the list → campaigns (size, additions,
the representative and each member's own added text) → per theme, who says what with stance and quote, the
uncertain letters and those that do not mention it → themes × sender type. The XLSX has one row per (letter, theme)
besides the responses, the list and the campaigns; each letter row and (letter, theme) row says where its decision
came from (rule / model and version / the person) and its review state, and the title page how many decisions a
person has reviewed (issue 25). Every text from a letter goes through export.safe."""

from __future__ import annotations

import io
from datetime import date

from answering.hearing_report import HearingReport, ReviewMark, ThemeCount
from core.phrases import message
from core.senders import SENDER_TYPES, sender_type_label
from export.notat import LANGUAGE, _append, _cell_text, _fit_rows, _fix_table_layout, display_date
from export.safe import clean_text, literal_cell


def _m(key: str, **params) -> str:
    return message(key, LANGUAGE, **params)


def hearing_name(report: HearingReport) -> str:
    return report.case.hearing or _m("casefile.no_hearing")


def title(report: HearingReport) -> str:
    return _m("notat.title_hearing", hearing=hearing_name(report))


RESPONSE_COLUMNS = [_m(k) for k in ("notat.column.date", "notat.column.sender", "notat.column.role", "hnotat.column.stance",
                                    "notat.column.summary", "notat.column.assessment")]
WIDTHS_CM = (2.5, 4.3, 2.8, 2.7, 8.9, 3.4)  # 24.6 cm: a landscape A4 page within 2.54 cm margins


def intro_lines(report: HearingReport) -> list[str]:
    """The title page's lines: the period, the dates of the answers and the counts."""
    case, counts = report.case, report.case.counts
    lines = []
    if case.sent or case.deadline:
        lines.append(_m("hnotat.period", sent=display_date(case.sent), deadline=display_date(case.deadline)))
    if case.first_received:
        lines.append(_m("hnotat.received_span", first=display_date(case.first_received), last=display_date(case.last_received)))
    lines.append(_m("hnotat.counts", received=counts.received, with_content=counts.with_content, no_remarks=counts.no_remarks))
    if case.has_list:
        lines.append(_m("hnotat.counts_list", invited=counts.invited, answered=counts.invited_answered,
                        invited_no_remarks=counts.invited_no_remarks, not_answered=counts.not_answered,
                        uninvited=counts.uninvited))
        if counts.uncertain_matches:
            lines.append(_m("hnotat.counts_uncertain", n=counts.uncertain_matches))
    else:
        lines.append(_m("hnotat.no_list"))
    if counts.campaigns:
        lines.append(_m("hnotat.counts_campaigns", letters=counts.campaign_letters, campaigns=counts.campaigns,
                        distinct=counts.distinct))
    if report.review is not None and report.review.total:
        lines.append(_m("hnotat.reviewed", reviewed=report.review.reviewed, total=report.review.total))
    return lines


def source_text(mark: ReviewMark | None) -> str:
    """Where a decision came from: the rule or the model with its version, or the person who decided it."""
    if mark is None:
        return ""
    if mark.source == "person":
        return _m("review.source.person", name=mark.decided_by or "")
    return _m(f"review.source.{mark.source}", model=mark.model or "")


def state_text(mark: ReviewMark | None) -> str:
    """Its review state (gennemgået / ikke gennemgået / markeret til opfølgning), and by whom where a person
    reviewed the machine's answer."""
    if mark is None:
        return ""
    text = _m(f"review.state.{mark.state}")
    if mark.state == "reviewed" and mark.source != "person" and mark.decided_by:
        text = _m("review.state.reviewed_by", state=text, name=mark.decided_by)
    return text + (_m("review.machine_changed_note") if mark.machine_changed else "")


def letter_state(report: HearingReport, doc_id: str) -> ReviewMark | None:
    """A letter row's review: the mark of its stance (a letter with remarks) or of its sender, its state the
    least reviewed of the letter's own items (flagged before unreviewed before reviewed)."""
    review = report.review
    if review is None:
        return None
    own = [m for m in (review.mark(k, doc_id, s) for k, s in (("stance", ""), ("party", ""), ("metadata", "sender")))
           if m is not None]
    if not own:
        return None
    rank = {"flagged": 0, "unreviewed": 1, "reviewed": 2}
    worst = min(own, key=lambda m: rank.get(m.state, 1))
    return own[0].model_copy(update={"state": worst.state, "machine_changed": any(m.machine_changed for m in own)})


def _stance(value: str) -> str:
    return _m(f"casefile.stance.{value}")


def _sender(report: HearingReport, doc_id: str) -> str:
    letter = report.case.letter(doc_id)
    return (letter.sender or letter.source) if letter else doc_id


def _bullets(document, items: list[str]) -> None:
    if not items:
        document.add_paragraph(_m("hnotat.none"))
    for item in items:
        document.add_paragraph(clean_text(item), style="List Bullet")


def _theme_section(document, report: HearingReport, theme: ThemeCount) -> None:
    total = report.case.counts.with_content
    document.add_heading(clean_text(_m("hnotat.theme_heading", label=theme.label, mentions=theme.mentions, total=total)), level=2)
    if report.case.counts.campaigns and theme.mentions_distinct != theme.mentions:
        document.add_paragraph(_m("hnotat.theme_distinct", distinct=theme.mentions_distinct))
    cells = [c for c in report.cells if c.theme_id == theme.theme_id]
    for cell in (c for c in cells if c.verdict == "mentions"):
        letter = report.case.letter(cell.doc_id)
        par = document.add_paragraph(style="List Bullet")
        par.add_run(clean_text(_sender(report, cell.doc_id))).bold = True
        role = sender_type_label(letter.sender_type if letter else "ukendt", LANGUAGE, "role")
        par.add_run(clean_text(_m("hnotat.theme_sender", role=role, stance=_stance(cell.stance).lower())))
        if cell.quote:
            par.add_run(clean_text(f"»{cell.quote}«")).italic = True
        if cell.page:
            par.add_run(clean_text(_m("notat.quote_place", page=cell.page)))
    uncertain = [_sender(report, c.doc_id) for c in cells if c.verdict == "uncertain"]
    if uncertain:
        document.add_paragraph(clean_text(_m("hnotat.theme_uncertain", senders=", ".join(uncertain))))
    absent = [_sender(report, c.doc_id) for c in cells if c.verdict == "not_mentioned"]
    if absent:
        document.add_paragraph(clean_text(_m("hnotat.theme_not_mentioned", senders=", ".join(absent))))


def crosstab(report: HearingReport) -> tuple[list[str], list[list]]:
    """Themes × sender type (letters that mention the theme): the header and one row per theme, with a total."""
    types = [t for t in SENDER_TYPES if any(th.by_sender_type.get(t) for th in report.themes)]
    header = [_m("notat.column.theme"), *(sender_type_label(t, LANGUAGE, "role") for t in types), _m("hnotat.column.total")]
    rows = [[th.label, *(th.by_sender_type.get(t, 0) for t in types), th.mentions] for th in report.themes]
    return header, rows


def _received(document, report: HearingReport) -> None:
    """"Modtagne høringssvar": one row per letter with remarks (date, sender, role, stance, résumé, assessment)."""
    document.add_heading(_m("hnotat.section.received"), level=1)
    table = document.add_table(rows=1, cols=len(RESPONSE_COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, RESPONSE_COLUMNS):
        _cell_text(cell, name, bold=True)
    for letter in (x for x in report.case.letters if x.outcome == "response"):
        cells = table.add_row().cells
        values = [display_date(letter.date), letter.sender or letter.source,
                  sender_type_label(letter.sender_type, LANGUAGE, "role"), _stance(letter.stance),
                  report.summaries.get(letter.doc_id, ""), ""]
        for cell, value in zip(cells, values):
            _cell_text(cell, value)
    _fix_table_layout(table, WIDTHS_CM)


def _campaigns(document, report: HearingReport) -> None:
    """Each campaign (size, template, how many added text, its representative) and each member's own added text."""
    case = report.case
    document.add_heading(_m("hnotat.section.campaigns"), level=1)
    for campaign in case.campaigns:
        document.add_paragraph(clean_text(_m("hnotat.campaign", size=campaign.size, template=campaign.template_id,
                                             added=len(campaign.with_additions),
                                             sender=_sender(report, campaign.representative))))
        for member in campaign.with_additions:
            letter = case.letter(member)
            for passage in (letter.added if letter else []):
                par = document.add_paragraph(style="List Bullet")
                par.add_run(clean_text(_m("hnotat.campaign_added", sender=_sender(report, member)))).bold = True
                par.add_run(clean_text(f"»{passage}«")).italic = True


def _crosstab_table(document, report: HearingReport) -> None:
    document.add_heading(_m("hnotat.section.crosstab"), level=1)
    header, rows = crosstab(report)
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, header):
        _cell_text(cell, name, bold=True)
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row):
            _cell_text(cell, str(value))


def to_docx(report: HearingReport) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.54)
    case = report.case
    document.add_heading(clean_text(title(report)), level=0)
    for line in intro_lines(report):
        document.add_paragraph(clean_text(line))
    document.add_page_break()

    _received(document, report)
    document.add_heading(_m("hnotat.section.no_remarks"), level=1)
    _bullets(document, [f"{x.sender or x.source} ({display_date(x.date)}): »{x.no_remarks_sentence or ''}«"
                        for x in case.letters if x.outcome == "no_remarks"])
    if case.has_list:
        document.add_heading(_m("hnotat.section.not_received"), level=1)
        _bullets(document, [p.name for p in case.parties if p.status == "not_received"])
        document.add_heading(_m("hnotat.section.uninvited"), level=1)
        _bullets(document, [x.sender or x.source for x in case.letters if x.match == "unlisted"])
    if case.campaigns:
        _campaigns(document, report)

    document.add_heading(_m("hnotat.section.themes"), level=1)
    document.add_paragraph(_m("hnotat.themes_confirmed" if report.confirmed else "hnotat.themes_suggested"))
    for theme in report.themes:
        _theme_section(document, report, theme)
    if report.themes:
        _crosstab_table(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _sheet(workbook, name: str, header: list[str], rows: list[list], widths: list[int], *, first: bool = False):
    from openpyxl.styles import Alignment, Font

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = name[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, row)
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    _fit_rows(sheet, widths)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    return sheet


def _date_cell(sheet, row: int, column: int, iso: str | None) -> None:
    cell = sheet.cell(row=row, column=column)
    try:
        cell.value = date.fromisoformat(iso or "")
        cell.number_format = "DD.MM.YYYY"
    except ValueError:
        cell.value = literal_cell(display_date(iso))
        cell.data_type = "s"


def to_xlsx(report: HearingReport) -> bytes:
    from openpyxl import Workbook

    case = report.case
    workbook = Workbook()
    header = [*RESPONSE_COLUMNS, _m("hnotat.column.outcome"), _m("hnotat.column.party"), _m("hnotat.column.match"),
              _m("hnotat.column.campaign"), _m("notat.column.source"), _m("review.column.decided_by"),
              _m("review.column.state")]
    rows = [["", x.sender or x.source, sender_type_label(x.sender_type, LANGUAGE, "role"),
             _stance(x.stance) if x.outcome == "response" else "", report.summaries.get(x.doc_id, ""), "",
             _m(f"casefile.outcome.{x.outcome}"), x.party or "", _m(f"casefile.match.{x.match}") if x.match else "",
             x.campaign or "", x.source.replace("\\", "/").rsplit("/", 1)[-1],
             source_text(letter_state(report, x.doc_id)), state_text(letter_state(report, x.doc_id))]
            for x in case.letters]
    sheet = _sheet(workbook, _m("notat.responses_sheet"), header, rows,
                   [13, 36, 15, 12, 80, 28, 18, 36, 20, 11, 30, 28, 24], first=True)
    for i, letter in enumerate(case.letters, start=2):
        _date_cell(sheet, i, 1, letter.date)

    cells = []
    labels = {t.theme_id: t.label for t in report.themes}
    for c in report.cells:
        letter = case.letter(c.doc_id)
        mark = report.review.mark("verdict", c.doc_id, c.theme_id) if report.review is not None else None
        cells.append([labels.get(c.theme_id, c.theme_id), _sender(report, c.doc_id),
                      sender_type_label(letter.sender_type if letter else "ukendt", LANGUAGE, "role"),
                      _m(f"casefile.verdict.{c.verdict}"),
                      c.probability if c.probability is not None else "",
                      _stance(c.stance) if c.verdict != "not_mentioned" else "", c.quote or "",
                      c.page if c.page is not None else "", (letter.campaign or "") if letter else "",
                      source_text(mark), state_text(mark)])
    _sheet(workbook, _m("hnotat.sheet.letter_themes"),
           [_m("notat.column.theme"), _m("notat.column.sender"), _m("notat.column.role"), _m("hnotat.column.verdict"),
            _m("hnotat.column.probability"), _m("hnotat.column.stance"), _m("notat.column.quote"), _m("notat.column.page"),
            _m("hnotat.column.campaign"), _m("review.column.decided_by"), _m("review.column.state")],
           cells, [36, 36, 15, 14, 12, 12, 80, 7, 11, 28, 24])
    header, rows = crosstab(report)
    _sheet(workbook, _m("hnotat.sheet.crosstab"), header, rows, [36] + [14] * (len(header) - 1))
    if case.has_list:
        _sheet(workbook, _m("hnotat.sheet.parties"),
               [_m("hnotat.column.party"), _m("hnotat.column.status"), _m("hnotat.column.letters")],
               [[p.name, _m(f"casefile.party.{p.status}"), ", ".join(_sender(report, d) for d in p.doc_ids + p.uncertain)]
                for p in case.parties], [45, 22, 60])
    if case.campaigns:
        _sheet(workbook, _m("hnotat.sheet.campaigns"),
               [_m("hnotat.column.campaign"), _m("notat.column.sender"), _m("hnotat.column.added")],
               [[c.template_id, _sender(report, m), " / ".join(case.letter(m).added if case.letter(m) else [])]
                for c in case.campaigns for m in c.members], [11, 45, 90])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["RESPONSE_COLUMNS", "WIDTHS_CM", "crosstab", "intro_lines", "title", "to_docx", "to_xlsx"]


def build_hearing_notat(searcher, record, llm=None, on_progress=None) -> HearingReport:
    """The report of one hearing with a résumé per letter: extractive (answering/summary.py), or written by the
    LLM when one is given (falling back per letter); laid over the review trail (answering/review.py): a person's
    verdicts and stances win, and each row says where its decision came from and whether it was reviewed."""
    from answering.hearing_report import hearing_report

    from answering.review import reviewed_for

    snap = searcher.snapshot()
    report = reviewed_for(hearing_report(searcher, record, llm=llm, snap=snap), searcher.settings)
    if llm is not None:
        from answering.llm_tasks import written_summaries

        letters = [x for x in report.case.letters if x.outcome == "response"]
        texts = [(x.sender, snap.document_text(x.doc_id)) for x in letters]
        written = written_summaries(llm, texts, searcher.paths.llm_cache(), on_progress)
        for letter, text in zip(letters, written):
            if text:
                report.summaries[letter.doc_id] = text
    return report
