"""The page "Høringen", its list of parties and their letters (ui/casefile_page.py composes the page): import the
høringsliste (from XLSX/CSV or pasted lines, its problems as data), the listed parties with their letters, the
letters table, and a control per letter to confirm or adjust which listed party sent it (or none), with the review
trail of each choice. A control writes its own letter's link and nothing else, re-checked against what is stored
now; a reader sees every control disabled, and a write forced anyway is refused (ui/auth.py)."""

from __future__ import annotations

import streamlit as st

from answering.casefile import CaseFile, LetterEntry, case_file
from core.casefile import HearingRecord, PartyLink, hearing_key
from core.phrases import PHRASES, message, readable_date
from ingest.hearing_list import HearingList, read_csv, read_lines, read_xlsx
from ui import auth, resources
from ui.casefile_shared import (P, WITH_CONTENT, hearing_tag, match_key, said, sender_name, show_said,
                                table_cell)
from ui.safe import escape_label, escape_markdown
from ui.texts import t

NO_PARTY = "\x00none"  # the option "ingen part" of a match control (no listed party's name)


def _phrase(key: str, lang: str, fallback: str) -> str:
    return message(key, lang) if key in PHRASES else fallback


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


def render_list(hearing: str, record: HearingRecord, lang: str) -> None:
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


def render_parties(case: CaseFile, lang: str) -> None:
    if not case.has_list:
        return
    st.subheader(t(lang, "cf.parties_heading"))
    rows = []
    for p in case.parties:
        senders = [sender_name(x) for x in (case.letter(d) for d in [*p.doc_ids, *p.uncertain]) if x is not None]
        rows.append({t(lang, "cf.col.party"): table_cell(p.name), message("hnotat.column.status", lang):
                     message(f"casefile.party.{p.status}", lang), t(lang, "cf.col.letters"): table_cell(", ".join(senders))})
    st.dataframe(rows, hide_index=True, width="stretch")


def letter_rows(case: CaseFile, lang: str) -> list[dict]:
    """The letters table as a user reads it: sender, date, outcome, stance, party, match, campaign."""
    rows = []
    for x in case.letters:
        row = {
            t(lang, "col.sender"): table_cell(sender_name(x)),
            t(lang, "col.date"): readable_date(x.date, lang),
            message("hnotat.column.outcome", lang): message(f"casefile.outcome.{x.outcome}", lang),
            message("hnotat.column.stance", lang): message(f"casefile.stance.{x.stance}", lang) if x.outcome == WITH_CONTENT else "",
        }
        if case.has_list:
            row[message("hnotat.column.party", lang)] = table_cell(x.party)
            row[message("hnotat.column.match", lang)] = message(f"casefile.match.{x.match}", lang) if x.match else ""
        if case.campaigns:
            row[message("hnotat.column.campaign", lang)] = x.campaign or ""
        rows.append(row)
    return rows


def render_letters(case: CaseFile, hearing: str, record: HearingRecord, lang: str) -> None:
    st.subheader(t(lang, "cf.letters_heading"))
    show_said(hearing, "match")
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
            st.markdown(t(lang, "cf.uncertain_line", sender=escape_markdown(sender_name(letter)),
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
    name = sender_name(letter)
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
        said(hearing, "match:success", t(lang, "cf.unlinked", sender=escape_markdown(name)))
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
    said(hearing, "match:success", t(lang, "cf.linked", sender=escape_markdown(sender),
                                     party=escape_markdown(party or t(lang, "cf.no_party"))))
    st.rerun()


def _trail_party(hearing: str, doc_id: str, party: str | None, *, cleared: bool = False) -> None:
    """The review trail of a party choice (issue 25): a person's decision with its history; a link cleared puts the
    rules' answer back, to be reviewed."""
    from answering.review import party_decided
    from index.review_store import ReviewStore

    settings = resources.settings()
    if cleared:
        letter = case_file(resources.searcher().snapshot(), resources.casefile_store().hearing(hearing)).letter(doc_id)
        party = letter.party if letter else None
    party_decided(ReviewStore.for_settings(settings), auth.require_writer(), hearing, doc_id, party,
                  state="unreviewed" if cleared else "reviewed")
