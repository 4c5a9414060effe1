"""What the parts of the page "Høringen" share (ui/casefile_page.py, ui/casefile_parties.py, ui/casefile_themes.py;
the review page reads the same report): the session keys bound to a hearing and a letter, the hearing's case file
and report computed once per (index, version, hearing, what the official stored), the line an action leaves for
the run after it, and how a letter's sender and a table cell are shown."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

import streamlit as st

from answering.casefile import CaseFile, LetterEntry, case_file
from answering.hearing_report import HearingReport, hearing_report
from core.casefile import OUTCOMES, HearingRecord
from export.safe import literal_cell
from index.snapshot import Snapshot
from ui import resources, sidebar
from ui.library_page import file_name
from ui.texts import t

P = sidebar.CASEFILE_PREFIX  # every session key of this page begins so: dropped on a change of hearing
SAID = f"{P}said"  # what the last action did, shown after the rerun that follows it: (hearing, kind, text)
NOTAT = f"{P}notat"
WITH_CONTENT, NO_REMARKS = OUTCOMES  # a letter's outcome: it says something, or only that it has no remarks


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
def case_of(index: str, version: int, hearing: str, stored: str, _record: HearingRecord, _snap: Snapshot) -> CaseFile:
    """The case file of ``hearing`` over ``_snap`` (of index version ``version``; the other arguments are the key)."""
    return case_file(_snap, _record)


@st.cache_data(show_spinner=False, max_entries=16)
def report_of(index: str, version: int, hearing: str, stored: str, llm_name: str | None,
              _record: HearingRecord, _snap: Snapshot) -> HearingReport:
    """The report of ``hearing`` over ``_snap``, without résumés: the pages show none (the notat writes them), and
    the report without them is a second faster."""
    return hearing_report(resources.searcher(), _record, llm=resources.chat_model(), snap=_snap, summaries=False)


# --- what an action says, after the rerun that follows it -------------------------------------------------------


def said(hearing: str, kind: str, text: str) -> None:
    """Remember what an action did (``kind``: "<where>:<st function>", e.g. "match:success") for the next run."""
    st.session_state[SAID] = (hearing, kind, text)


def show_said(hearing: str, where: str) -> None:
    """Show, once, what the last action on ``hearing`` at ``where`` said."""
    last = st.session_state.get(SAID)
    if last and last[0] == hearing and last[1].startswith(where):
        st.session_state.pop(SAID)
        getattr(st, last[1].split(":", 1)[1])(last[2])


# --- the head of a page of one hearing -------------------------------------------------------------------------


def page_head(title: str, intro: str) -> tuple[str, str | None]:
    """The language, the hearing chosen in the sidebar (None when the index has none: said so here), the status,
    the page's title and its introduction (phrase keys ``title``, ``intro``)."""
    lang = sidebar.render_language()
    hearing = sidebar.render_hearing(lang, required=True)
    sidebar.render_status(lang)
    st.title(t(lang, title))
    st.caption(t(lang, intro))
    if hearing is None:
        st.info(t(lang, "cf.no_hearings"))
    return lang, hearing


# --- how letters and cells are shown -------------------------------------------------------------------------------


def table_cell(value: object) -> object:
    """A table cell: text as a literal (never a formula in a download), nothing as empty."""
    if value is None:
        return ""
    return literal_cell(value) if isinstance(value, str) else value


def sender_name(letter: LetterEntry) -> str:
    """A letter's sender as the page names it: the sender, else its file's name."""
    return letter.sender or file_name(letter.source)
