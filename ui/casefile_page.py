"""The page "Høringen": the case file of the hearing chosen in the sidebar (issue 24), a thin shell over
answering/casefile.py, answering/hearing_report.py, export/hearing_notat.py and index/casefile_store.py. It reads
one snapshot per run and composes, in the order a user reads them:

counts → the høringsliste, the listed parties and the letters with their party controls (ui/casefile_parties.py) →
"ingen bemærkninger" → campaigns → the themes' editor and, once confirmed, letters × themes
(ui/casefile_themes.py) and themes × sender type → the hearing's notat (DOCX, XLSX). What the parts share (keys,
the cached case file and report, the line an action leaves) is in ui/casefile_shared.py.

What is written is bound to what the user acted on: every control's key holds the hearing (a digest) and the
letter's doc_id, a confirm button writes its own letter's link and nothing else, and a change of hearing drops
every unsaved choice (ui/sidebar.py: keys that begin with "cf_"). Everything that comes from a letter or a list is
escaped (ui/safe.py) or shown as a literal table cell (export.safe.literal_cell)."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from answering.casefile import CaseFile
from answering.hearing_report import HearingReport
from core.casefile import HearingRecord
from core.phrases import message, readable_date
from core.senders import SENDER_TYPES, sender_type_label
from export.hearing_notat import build_hearing_notat, crosstab, to_docx, to_xlsx
from ui import resources
from ui.casefile_parties import render_letters, render_list, render_parties
from ui.casefile_shared import (NO_REMARKS, NOTAT, P, case_of, fingerprint, hearing_tag, page_head, report_of,
                                sender_name, table_cell)
from ui.casefile_themes import render_matrix, render_themes
from ui.safe import escape_markdown
from ui.texts import t

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _slug(hearing: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", hearing.replace("ø", "oe").replace("æ", "ae").replace("å", "aa"))
    ascii_ = ascii_.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60] or "hoering"


# --- the page --------------------------------------------------------------------------------------------------


def render() -> None:
    lang, hearing = page_head("casefile_page", "casefile_intro")
    if hearing is None:
        return
    store = resources.casefile_store()
    record = store.hearing(hearing)
    searcher = resources.searcher()
    snap = searcher.snapshot()
    index, stored = str(searcher.paths.root), fingerprint(record)
    case = case_of(index, snap.version, hearing, stored, record, snap)
    st.header(escape_markdown(hearing or message("casefile.no_hearing", lang)))
    _render_counts(case, lang)
    render_list(hearing, record, lang)
    render_parties(case, lang)
    render_letters(case, hearing, record, lang)
    _render_no_remarks(case, lang)
    _render_campaigns(case, lang)
    llm = resources.chat_model()
    with st.spinner(t(lang, "cf.themes_working")):
        report = report_of(index, snap.version, hearing, stored, llm.name if llm is not None else None, record, snap)
    render_themes(report, hearing, lang)
    if report.confirmed and report.themes:
        render_matrix(report, lang)
        _render_crosstab(report, lang)
    _render_notat(hearing, record, stored, snap.version, lang)


def _render_counts(case: CaseFile, lang: str) -> None:
    counts = case.counts
    cells = [("cf.received", counts.received), ("cf.with_content", counts.with_content),
             ("cf.no_remarks", counts.no_remarks), ("cf.campaigns", counts.campaigns)]
    if case.has_list:
        cells += [("cf.invited", counts.invited), ("cf.answered", counts.invited_answered),
                  ("cf.not_answered", counts.not_answered), ("cf.uninvited", counts.uninvited)]
        if counts.uncertain_matches:
            cells.append(("cf.uncertain", counts.uncertain_matches))
    for row in (cells[:4], cells[4:]):
        if row:
            for column, (key, value) in zip(st.columns(len(row)), row):
                column.metric(t(lang, key), value)
    lines = []
    if case.sent or case.deadline:
        lines.append(message("hnotat.period", lang, sent=readable_date(case.sent, lang) or "–",
                             deadline=readable_date(case.deadline, lang) or "–"))
    if case.first_received:
        lines.append(message("hnotat.received_span", lang, first=readable_date(case.first_received, lang),
                             last=readable_date(case.last_received, lang)))
    lines.append(message("hnotat.counts", lang, received=counts.received, with_content=counts.with_content,
                         no_remarks=counts.no_remarks))
    if case.has_list:
        lines.append(message("hnotat.counts_list", lang, invited=counts.invited, answered=counts.invited_answered,
                             invited_no_remarks=counts.invited_no_remarks, not_answered=counts.not_answered,
                             uninvited=counts.uninvited))
        if counts.uncertain_matches:
            lines.append(message("hnotat.counts_uncertain", lang, n=counts.uncertain_matches))
    else:
        lines.append(message("hnotat.no_list", lang))
    if counts.campaigns:
        lines.append(message("hnotat.counts_campaigns", lang, letters=counts.campaign_letters,
                             campaigns=counts.campaigns, distinct=counts.distinct))
    st.markdown("  \n".join(escape_markdown(line) for line in lines))


def _render_no_remarks(case: CaseFile, lang: str) -> None:
    st.subheader(message("hnotat.section.no_remarks", lang))
    lines = [t(lang, "cf.no_remarks_line", sender=escape_markdown(sender_name(x)),
               date=escape_markdown(readable_date(x.date, lang) or "–"),
               sentence=escape_markdown(x.no_remarks_sentence or ""))
             for x in case.letters if x.outcome == NO_REMARKS]
    st.markdown("\n".join(f"- {line}" for line in lines) if lines else escape_markdown(message("hnotat.none", lang)))
    if case.has_list:
        st.subheader(message("hnotat.section.not_received", lang))
        missing = [p.name for p in case.parties if p.status == "not_received"]
        st.markdown("\n".join(f"- {escape_markdown(name)}" for name in missing) if missing
                    else escape_markdown(message("hnotat.none", lang)))


def _render_campaigns(case: CaseFile, lang: str) -> None:
    st.subheader(message("hnotat.section.campaigns", lang))
    if not case.campaigns:
        st.caption(t(lang, "cf.no_campaigns"))
        return
    for campaign in case.campaigns:
        representative = case.letter(campaign.representative)
        st.markdown(escape_markdown(message(
            "hnotat.campaign", lang, size=campaign.size, template=campaign.template_id,
            added=len(campaign.with_additions), sender=sender_name(representative) if representative else "–")))
        for member in campaign.with_additions:
            letter = case.letter(member)
            for passage in (letter.added if letter else []):
                st.markdown("- " + t(lang, "cf.campaign_member", sender=escape_markdown(sender_name(letter)),
                                     text=escape_markdown(passage)))


def _render_crosstab(report: HearingReport, lang: str) -> None:
    """Themes × sender type: the numbers of export.hearing_notat.crosstab, the headers in the user's language."""
    st.subheader(message("hnotat.section.crosstab", lang))
    types = [x for x in SENDER_TYPES if any(th.by_sender_type.get(x) for th in report.themes)]
    header = [message("notat.column.theme", lang), *(sender_type_label(x, lang, "role") for x in types), message("hnotat.column.total", lang)]
    _, rows = crosstab(report)
    st.dataframe([dict(zip(header, [table_cell(row[0]), *row[1:]])) for row in rows], hide_index=True, width="stretch")


# --- the notat -------------------------------------------------------------------------------------------------


def _render_notat(hearing: str, record: HearingRecord, stored: str, version: int, lang: str) -> None:
    st.subheader(t(lang, "cf.notat_heading"))
    st.caption(t(lang, "cf.notat_intro"))
    tag = hearing_tag(hearing)
    if st.button(t(lang, "notat_prepare"), key=f"{P}notat_go_{tag}"):
        with st.spinner(t(lang, "cf.notat_working")):
            report = build_hearing_notat(resources.searcher(), record, llm=resources.chat_model())
            st.session_state[NOTAT] = {"hearing": hearing, "stored": stored, "version": version,
                                       "docx": to_docx(report), "xlsx": to_xlsx(report)}
    notat = st.session_state.get(NOTAT)
    if not notat or (notat["hearing"], notat["stored"], notat["version"]) != (hearing, stored, version):
        return  # none yet, or made before the case file or the letters changed: made again on request
    name = f"hoeringsnotat-{_slug(hearing)}"
    left, right = st.columns(2)
    left.download_button(t(lang, "notat_docx"), notat["docx"], file_name=f"{name}.docx", mime=DOCX,
                         key=f"{P}notat_docx_{tag}")
    right.download_button(t(lang, "notat_xlsx"), notat["xlsx"], file_name=f"{name}.xlsx", mime=XLSX,
                          key=f"{P}notat_xlsx_{tag}")
