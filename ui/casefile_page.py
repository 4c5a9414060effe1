"""The page "Høringen": the case file of the hearing chosen in the sidebar (issue 24), a thin shell over
answering/casefile.py, answering/hearing_report.py, export/hearing_notat.py and index/casefile_store.py:

counts → the høringsliste (import from XLSX/CSV or pasted lines, its problems as data) → the listed parties and
the letters, with a confirm/adjust control per uncertain match → "ingen bemærkninger" → campaigns → the themes
(confirm the suggestions, or edit them) and, once confirmed, letters × themes and themes × sender type → the
hearing's notat (DOCX, XLSX).

What is written is bound to what the user acted on: every control's key holds the hearing (a digest) and the
letter's doc_id, a confirm button writes its own letter's link and nothing else, and a change of hearing drops
every unsaved choice (ui/sidebar.py: keys that begin with "cf_"). Everything that comes from a letter or a list is
escaped (ui/safe.py) or shown as a literal table cell (export.safe.literal_cell)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import asdict

import pandas as pd
import streamlit as st

from answering.casefile import (
    CaseFile,
    HearingError,
    LetterEntry,
    case_file,
    confirmed_themes,
)
from answering.hearing_report import HearingReport, hearing_report
from core.casefile import OUTCOMES, HearingRecord, PartyLink, hearing_key
from core.phrases import PHRASES, message, readable_date
from core.senders import SENDER_TYPES, sender_type_label
from export.hearing_notat import build_hearing_notat, crosstab, to_docx, to_xlsx
from export.safe import literal_cell
from ingest.hearing_list import HearingList, read_csv, read_lines, read_xlsx
from ui import auth, resources, sidebar
from ui.library_page import file_name
from ui.safe import escape_label, escape_markdown
from ui.texts import t

P = sidebar.CASEFILE_PREFIX  # every session key of this page begins so: dropped on a change of hearing
NO_PARTY = "\x00none"  # the option "ingen part" of a match control (no listed party's name)
SAID = f"{P}said"  # what the last action did, shown after the rerun that follows it: (hearing, kind, text)
NOTAT = f"{P}notat"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WITH_CONTENT, NO_REMARKS = OUTCOMES  # a letter's outcome: it says something, or only that it has no remarks
MARKS = {"mentions": "✓", "uncertain": "?", "not_mentioned": "–"}


# --- keys and cached computations ------------------------------------------------------------------------------


def hearing_tag(hearing: str) -> str:
    """A short digest of the hearing's key, for widget keys (a hearing's name may hold any character)."""
    return hashlib.sha1(hearing.encode("utf-8")).hexdigest()[:10]


def match_key(hearing: str, doc_id: str) -> str:
    """The key of a letter's party control: its hearing and its letter, nothing shared with another letter."""
    return f"{P}match_{hearing_tag(hearing)}_{doc_id}"


def fingerprint(record: HearingRecord) -> str:
    """What the official stored about the hearing, as a digest: a cache key that changes with every write."""
    return hashlib.sha1(json.dumps(asdict(record), sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=32)
def _case(index: str, version: int, hearing: str, stored: str, _record: HearingRecord) -> CaseFile:
    return case_file(resources.searcher().snapshot(), _record)


@st.cache_data(show_spinner=False, max_entries=16)
def _report(index: str, version: int, hearing: str, stored: str, llm_name: str | None,
            _record: HearingRecord) -> HearingReport:
    searcher = resources.searcher()
    # the pages show no résumé (the notat writes them): the report without them is a second faster
    return hearing_report(searcher, _record, llm=resources.chat_model(), snap=searcher.snapshot(), summaries=False)


# --- small helpers ---------------------------------------------------------------------------------------------


def _cell(value: object) -> object:
    """A table cell: text as a literal (never a formula in a download), nothing as empty."""
    if value is None:
        return ""
    return literal_cell(value) if isinstance(value, str) else value


def _sender(letter: LetterEntry) -> str:
    return letter.sender or file_name(letter.source)


def _phrase(key: str, lang: str, fallback: str) -> str:
    return message(key, lang) if key in PHRASES else fallback


def _said(hearing: str, kind: str, text: str) -> None:
    st.session_state[SAID] = (hearing, kind, text)


def _show_said(hearing: str, where: str) -> None:
    said = st.session_state.get(SAID)
    if said and said[0] == hearing and said[1].startswith(where):
        st.session_state.pop(SAID)
        getattr(st, said[1].split(":", 1)[1])(said[2])


def _slug(hearing: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", hearing.replace("ø", "oe").replace("æ", "ae").replace("å", "aa"))
    ascii_ = ascii_.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60] or "hoering"


# --- the page --------------------------------------------------------------------------------------------------


def render() -> None:
    lang = sidebar.render_language()
    hearing = sidebar.render_hearing(lang, required=True)
    sidebar.render_status(lang)
    st.title(t(lang, "casefile_page"))
    st.caption(t(lang, "casefile_intro"))
    if hearing is None:
        st.info(t(lang, "cf.no_hearings"))
        return
    store = resources.casefile_store()
    record = store.hearing(hearing)
    searcher = resources.searcher()
    snap = searcher.snapshot()
    index, stored = str(searcher.index.root), fingerprint(record)
    case = _case(index, snap.version, hearing, stored, record)
    st.header(escape_markdown(hearing or message("casefile.no_hearing", lang)))
    _render_counts(case, lang)
    _render_list(hearing, record, lang)
    _render_parties(case, lang)
    _render_letters(case, hearing, record, lang)
    _render_no_remarks(case, lang)
    _render_campaigns(case, lang)
    llm = resources.chat_model()
    with st.spinner(t(lang, "cf.themes_working")):
        report = _report(index, snap.version, hearing, stored, llm.name if llm is not None else None, record)
    _render_themes(report, hearing, lang)
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


# --- the høringsliste --------------------------------------------------------------------------------------------


def read_list(name: str | None, data: bytes | None, text: str) -> HearingList | None:
    """The list from an uploaded file (by its suffix: .xlsx/.xlsm a workbook, else delimited text) or, without
    one, from pasted lines; None when neither was given."""
    if data is not None and name:
        return read_xlsx(data) if name.lower().endswith((".xlsx", ".xlsm")) else read_csv(data)
    if text.strip():
        return read_lines(text)
    return None


def _problems_table(found: HearingList, lang: str) -> list[dict]:
    return [{t(lang, "cf.col.row"): p.row or "",
             t(lang, "cf.col.problem"): message(f"casefile.problem.{p.code}", lang, detail=p.detail)
             if f"casefile.problem.{p.code}" in PHRASES else p.code}
            for p in found.problems]


def _render_list(hearing: str, record: HearingRecord, lang: str) -> None:
    tag = hearing_tag(hearing)
    st.subheader(t(lang, "cf.list_heading"))
    result = st.session_state.get(f"{P}list_result")
    if result and result["hearing"] == hearing:  # what the last import did (problems as data)
        getattr(st, result["kind"])(result["text"])
        if result["problems"]:
            st.caption(t(lang, "cf.list_problems"))
            st.dataframe(result["problems"], hide_index=True)
    with st.expander(t(lang, "cf.list_import"), expanded=not record.has_list):
        st.caption(t(lang, "cf.list_help"))
        round_ = st.session_state.get(f"{P}list_round", 0)
        writer = auth.may_write()  # a reader sees the list; importing one is disabled (and refused if forced)
        upload = st.file_uploader(t(lang, "cf.list_file"), type=["xlsx", "xlsm", "csv", "txt"],
                                  key=f"{P}list_file_{tag}_{round_}", disabled=not writer)
        pasted = st.text_area(t(lang, "cf.list_text"), key=f"{P}list_text_{tag}_{round_}", height=120,
                              disabled=not writer)
        if not st.button(t(lang, "cf.list_go"), key=f"{P}list_go_{tag}", disabled=not writer):
            return
        auth.require_writer()
        found = read_list(upload.name if upload else None, upload.getvalue() if upload else None, pasted)
        if found is None:
            st.warning(t(lang, "cf.list_nothing"))
            return
        if found.parties:
            resources.casefile_store().set_parties(hearing, found.parties)
            kind, text = "success", t(lang, "cf.list_done", n=len(found.parties))
        else:
            kind, text = "error", t(lang, "cf.list_failed")
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{P}match_{tag}_")]:
            del st.session_state[key]  # a choice among the old list's parties is no choice among the new one's
        st.session_state[f"{P}list_result"] = {"hearing": hearing, "kind": kind, "text": text,
                                               "problems": _problems_table(found, lang)}
        st.session_state[f"{P}list_round"] = round_ + 1  # a fresh uploader and text box: nothing imported twice
        st.rerun()


# --- parties and letters ---------------------------------------------------------------------------------------


def _render_parties(case: CaseFile, lang: str) -> None:
    if not case.has_list:
        return
    st.subheader(t(lang, "cf.parties_heading"))
    rows = []
    for p in case.parties:
        senders = [_sender(x) for x in (case.letter(d) for d in [*p.doc_ids, *p.uncertain]) if x is not None]
        rows.append({t(lang, "cf.col.party"): _cell(p.name), message("hnotat.column.status", lang):
                     message(f"casefile.party.{p.status}", lang), t(lang, "cf.col.letters"): _cell(", ".join(senders))})
    st.dataframe(rows, hide_index=True, width="stretch")


def letter_rows(case: CaseFile, lang: str) -> list[dict]:
    """The letters table as a user reads it: sender, date, outcome, stance, party, match, campaign."""
    rows = []
    for x in case.letters:
        row = {
            t(lang, "col.sender"): _cell(_sender(x)),
            t(lang, "col.date"): readable_date(x.date, lang),
            message("hnotat.column.outcome", lang): message(f"casefile.outcome.{x.outcome}", lang),
            message("hnotat.column.stance", lang): message(f"casefile.stance.{x.stance}", lang) if x.outcome == WITH_CONTENT else "",
        }
        if case.has_list:
            row[message("hnotat.column.party", lang)] = _cell(x.party)
            row[message("hnotat.column.match", lang)] = message(f"casefile.match.{x.match}", lang) if x.match else ""
        if case.campaigns:
            row[message("hnotat.column.campaign", lang)] = x.campaign or ""
        rows.append(row)
    return rows


def _render_letters(case: CaseFile, hearing: str, record: HearingRecord, lang: str) -> None:
    st.subheader(t(lang, "cf.letters_heading"))
    _show_said(hearing, "match")
    st.dataframe(letter_rows(case, lang), hide_index=True, width="stretch")
    if not case.has_list:
        return
    parties = [p.name for p in record.parties]
    uncertain = [x for x in case.letters if x.match == "uncertain"]
    if uncertain:
        st.subheader(t(lang, "cf.uncertain_heading"))
        st.caption(t(lang, "cf.uncertain_intro"))
        for letter in uncertain:
            reason = _phrase(f"casefile.reason.{letter.match_reason}", lang, letter.match_reason or "")
            st.markdown(t(lang, "cf.uncertain_line", sender=escape_markdown(_sender(letter)),
                          party=escape_markdown(letter.party or "–"), reason=escape_markdown(reason),
                          score=round(letter.match_score)))
            _party_control(hearing, letter, parties, lang)
    others = [x for x in case.letters if x.match != "uncertain"]
    if others:
        with st.expander(t(lang, "cf.adjust_heading")):
            for letter in others:
                _party_control(hearing, letter, parties, lang)


def _party_control(hearing: str, letter: LetterEntry, parties: list[str], lang: str) -> None:
    """A letter's party: a choice among the listed parties (or none) and a button that stores it for this letter
    only; for a link the official made, a button that lets the rules decide again."""
    options = [*parties, NO_PARTY]
    current = letter.party if letter.party in parties else NO_PARTY
    key = match_key(hearing, letter.doc_id)
    name = _sender(letter)
    writer = auth.may_write()
    left, middle, right = st.columns([6, 2, 2], vertical_alignment="bottom")
    left.selectbox(t(lang, "cf.match_pick", sender=escape_label(name)), options, index=options.index(current), key=key,
                   format_func=lambda v: t(lang, "cf.no_party") if v == NO_PARTY else v, disabled=not writer)
    if middle.button(t(lang, "cf.confirm"), key=f"{P}link_{hearing_tag(hearing)}_{letter.doc_id}", disabled=not writer):
        _link(hearing, letter.doc_id, name, st.session_state.get(key), lang)
    if letter.match_source == "person" and right.button(t(lang, "cf.reset"), disabled=not writer,
                                                         key=f"{P}unlink_{hearing_tag(hearing)}_{letter.doc_id}"):
        auth.require_writer()
        resources.casefile_store().clear_link(hearing, letter.doc_id)
        _trail_party(hearing, letter.doc_id, None, cleared=True)
        st.session_state.pop(key, None)
        _said(hearing, "match:success", t(lang, "cf.unlinked", sender=escape_markdown(name)))
        st.rerun()


def _link(hearing: str, doc_id: str, sender: str, choice: object, lang: str) -> None:
    """Store the official's choice for letter ``doc_id`` of ``hearing``: re-checked against what is stored now
    (the letter still in the hearing, the party still on its list), then one link written. A reader: refused."""
    auth.require_writer()
    store = resources.casefile_store()
    record = store.hearing(hearing)
    listed = {p.name for p in record.parties}
    snap = resources.searcher().snapshot()
    doc = snap.manifest.documents.get(doc_id)
    if doc is None or hearing_key(doc.hearing) != hearing or not (choice == NO_PARTY or choice in listed):
        st.session_state.pop(match_key(hearing, doc_id), None)
        st.rerun()
    party = None if choice == NO_PARTY else str(choice)
    store.set_link(hearing, PartyLink(doc_id, party, "person"))
    _trail_party(hearing, doc_id, party)
    _said(hearing, "match:success", t(lang, "cf.linked", sender=escape_markdown(sender),
                                      party=escape_markdown(party or t(lang, "cf.no_party"))))
    st.rerun()


def _trail_party(hearing: str, doc_id: str, party: str | None, *, cleared: bool = False) -> None:
    """The review trail of a party choice (issue 25): a person's decision with its history; a link cleared puts the
    rules' answer back, to be reviewed."""
    from answering.review import party_decided
    from index.review_store import ReviewStore
    from ui import auth

    settings = resources.settings()
    if cleared:
        letter = case_file(resources.searcher().snapshot(), resources.casefile_store().hearing(hearing)).letter(doc_id)
        party = letter.party if letter else None
    party_decided(ReviewStore.for_settings(settings), auth.require_writer(), hearing, doc_id, party,
                  state="unreviewed" if cleared else "reviewed")


def _render_no_remarks(case: CaseFile, lang: str) -> None:
    st.subheader(message("hnotat.section.no_remarks", lang))
    lines = [t(lang, "cf.no_remarks_line", sender=escape_markdown(_sender(x)),
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
            added=len(campaign.with_additions), sender=_sender(representative) if representative else "–")))
        for member in campaign.with_additions:
            letter = case.letter(member)
            for passage in (letter.added if letter else []):
                st.markdown("- " + t(lang, "cf.campaign_member", sender=escape_markdown(_sender(letter)),
                                     text=escape_markdown(passage)))


# --- themes ----------------------------------------------------------------------------------------------------


def theme_rows(report: HearingReport) -> list[dict]:
    """The editor's rows: the confirmed themes (with their descriptions), else the suggestions, in order."""
    if report.confirmed:
        return [{"position": i, "label": th.label, "description": th.description}
                for i, th in enumerate(report.case.themes, start=1)]
    return [{"position": i, "label": th.label, "description": ""} for i, th in enumerate(report.themes, start=1)]


def edited_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, description) pairs from the editor's rows, ordered by "Nr." (rows without one last, as written);
    rows with no label are skipped."""
    rows = []
    for i, row in enumerate(frame.to_dict("records")):
        label = row.get("label")
        label = "" if label is None or (isinstance(label, float) and pd.isna(label)) else str(label).strip()
        if not label:
            continue
        description = row.get("description")
        description = "" if description is None or (isinstance(description, float) and pd.isna(description)) else str(description)
        position = row.get("position")
        try:
            order = float(position)
        except (TypeError, ValueError):
            order = float("inf")
        if math.isnan(order):
            order = float("inf")  # no number: last
        rows.append((order, i, label, description))
    return [(label, description) for _, _, label, description in sorted(rows)]


def _save_themes(hearing: str, pairs: list[tuple[str, str]], lang: str) -> None:
    auth.require_writer()
    if not pairs:
        _said(hearing, "themes:warning", t(lang, "cf.themes_empty"))
        st.rerun()
    try:
        themes = confirmed_themes(pairs)
    except HearingError as exc:
        _said(hearing, "themes:error", escape_markdown(exc.render(lang)))
        st.rerun()
    resources.casefile_store().set_themes(hearing, themes)
    st.session_state.pop(NOTAT, None)
    _said(hearing, "themes:success", t(lang, "cf.themes_saved", n=len(themes)))
    st.rerun()


def _render_themes(report: HearingReport, hearing: str, lang: str) -> None:
    tag = hearing_tag(hearing)
    st.subheader(t(lang, "cf.themes_heading"))
    _show_said(hearing, "themes")
    rows = theme_rows(report)
    writer = auth.may_write()  # a reader sees the themes; confirming or editing them is disabled (refused if forced)
    if report.confirmed:
        st.caption(t(lang, "cf.themes_confirmed"))
    elif rows:
        st.caption(t(lang, "cf.themes_suggested"))
        if st.button(t(lang, "cf.themes_confirm_as_is"), key=f"{P}themes_as_is_{tag}", type="primary",
                     disabled=not writer):
            _save_themes(hearing, [(r["label"], "") for r in rows], lang)
    else:
        st.caption(t(lang, "cf.themes_none"))
    st.caption(t(lang, "cf.themes_editor_help"))
    digest = hashlib.sha1(json.dumps([lang, rows], ensure_ascii=False).encode()).hexdigest()[:10]
    frame = pd.DataFrame(rows, columns=["position", "label", "description"])
    edited = st.data_editor(
        frame, key=f"{P}themes_{tag}_{digest}", num_rows="dynamic" if writer else "fixed", hide_index=True,
        width="stretch", disabled=not writer,
        column_config={
            "position": st.column_config.NumberColumn(t(lang, "cf.col.position"), min_value=1, step=1, width="small"),
            "label": st.column_config.TextColumn(t(lang, "cf.col.label"), max_chars=120, width="medium"),
            "description": st.column_config.TextColumn(t(lang, "cf.col.description"), width="large"),
        },
    )
    if st.button(t(lang, "cf.themes_save"), key=f"{P}themes_save_{tag}", disabled=not writer):
        _save_themes(hearing, edited_pairs(edited), lang)
    if report.confirmed and report.themes:
        _render_matrix(report, lang)
        _render_crosstab(report, lang)


def matrix_rows(report: HearingReport, lang: str) -> tuple[list[dict], dict[str, str]]:
    """Letters × themes: one row per letter with content, one column per theme ("t0", "t1" …, labelled by the
    second value: column → theme label), each cell the verdict's mark and the stance."""
    columns = {f"t{i}": th.label for i, th in enumerate(report.themes)}
    ids = {th.theme_id: f"t{i}" for i, th in enumerate(report.themes)}
    rows = []
    for letter in (x for x in report.case.letters if x.outcome == WITH_CONTENT):
        row: dict = {"sender": _cell(_sender(letter))}
        for column in columns:
            row[column] = ""
        for cell in (c for c in report.cells if c.doc_id == letter.doc_id and c.theme_id in ids):
            mark = MARKS.get(cell.verdict, "")
            row[ids[cell.theme_id]] = mark if cell.verdict == "not_mentioned" else \
                f"{mark} {message(f'casefile.stance.{cell.stance}', lang)}"
        rows.append(row)
    return rows, columns


def _render_matrix(report: HearingReport, lang: str) -> None:
    st.subheader(t(lang, "cf.matrix_heading"))
    st.caption(t(lang, "cf.matrix_legend"))
    rows, columns = matrix_rows(report, lang)
    config = {"sender": st.column_config.TextColumn(t(lang, "col.sender"))}
    config.update({column: st.column_config.TextColumn(label) for column, label in columns.items()})
    st.dataframe(rows, hide_index=True, width="stretch", column_config=config)
    for theme in report.themes:
        cells = [c for c in report.cells if c.theme_id == theme.theme_id and c.verdict != "not_mentioned" and c.quote]
        with st.expander(escape_label(t(lang, "cf.quotes", label=theme.label, n=len(cells)))):
            for cell in cells:
                letter = report.case.letter(cell.doc_id)
                line = t(lang, "cf.quote_line", sender=escape_markdown(_sender(letter) if letter else cell.doc_id),
                         verdict=message(f"casefile.verdict.{cell.verdict}", lang).lower(),
                         stance=message(f"casefile.stance.{cell.stance}", lang).lower(),
                         quote=escape_markdown(cell.quote or ""))
                if cell.page:
                    line += f" ({t(lang, 'cf.quote_page', page=cell.page)})"
                st.markdown(line)


def _render_crosstab(report: HearingReport, lang: str) -> None:
    """Themes × sender type: the numbers of export.hearing_notat.crosstab, the headers in the user's language."""
    st.subheader(message("hnotat.section.crosstab", lang))
    types = [x for x in SENDER_TYPES if any(th.by_sender_type.get(x) for th in report.themes)]
    header = [message("notat.column.theme", lang), *(sender_type_label(x, lang, "role") for x in types), message("hnotat.column.total", lang)]
    _, rows = crosstab(report)
    st.dataframe([dict(zip(header, [_cell(row[0]), *row[1:]])) for row in rows], hide_index=True, width="stretch")


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
