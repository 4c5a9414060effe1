"""The document library: every document with metadata and chunk counts; correct metadata; remove a document.

What a user reads here is words in the interface's language: column headers from the phrasebook, sender types
as words ("kommune", "MED-udvalg"), dates as "11.09.2023", empty cells empty, files by their own name, and a
"Tjek afsender" mark where the sender is a guess (``needs_review``). Identifiers (doc_id, the full path) are
shown only under "Tekniske detaljer". Removing a document asks for confirmation first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

import streamlit as st

from core.senders import SENDER_TYPES
from export.safe import literal_cell
from index.records import EDITABLE_FIELDS
from ingest.corrections import CorrectionError, set_metadata
from ingest.pipeline import PlannedRemoval, RemovalPlan, preview_removal, remove_planned
from retrieval.library import DocumentSummary, list_documents
from ui import resources, sidebar
from ui.safe import escape_markdown
from ui.texts import t
from ui.waiting import waiting_shown

SHOWN = ["sender", "check", "sender_type", "municipality", "date", "hearing", "title", "pages", "chunks", "file"]
"""The table's columns, in order; ``doc_id`` is in every row too, but not shown."""

TEXT_FIELDS = [f for f in EDITABLE_FIELDS if f != "sender_type"]

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def file_name(source: str) -> str:
    """A document's file by its own name: "brev.pdf", or "borger.pdf (bundle.zip)" for a file in a zip."""
    outer, _, inner = source.partition("#")
    name = PurePosixPath(outer.replace("\\", "/")).name
    return f"{PurePosixPath(inner).name} ({name})" if inner else name


def readable_date(iso: str | None, lang: str) -> str:
    """An ISO date as people write it: "11.09.2023" (da), "11 Sep 2023" (en); "" when there is none; a value
    that is not an ISO date as itself."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day:%d.%m.%Y}" if lang == "da" else f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _cell(value: object) -> object:
    """A table cell: text as a literal (a sender "=cmd|…" shows as "'=cmd|…", so neither the CSV download nor
    copy-paste into a spreadsheet can carry a formula out of a letter); nothing as an empty cell, never "None"."""
    if value is None:
        return ""
    return literal_cell(value) if isinstance(value, str) else value


def rows_of(documents: list[DocumentSummary], lang: str) -> list[dict]:
    """The table's rows: what a user reads, plus the (hidden) doc_id that ties a row to its document."""
    return [
        {
            "doc_id": d.doc_id,
            "sender": _cell(d.sender),
            "check": t(lang, "check_sender") if d.needs_review else "",
            "sender_type": d.sender_type,
            "municipality": _cell(d.municipality),
            "date": readable_date(d.date, lang),
            "hearing": _cell(d.hearing),
            "title": _cell(d.title),
            "pages": d.pages,
            "chunks": d.chunks,
            "file": _cell(file_name(d.source)),
        }
        for d in documents
    ]


def _column_config(lang: str) -> dict:
    text = st.column_config.TextColumn
    return {
        "doc_id": None,  # hidden: identifiers only under "Tekniske detaljer"
        "sender": text(t(lang, "col.sender")),
        "check": text(t(lang, "col.check"), help=t(lang, "check_sender_help"), disabled=True),
        "sender_type": st.column_config.SelectboxColumn(
            t(lang, "col.sender_type"), options=list(SENDER_TYPES), format_func=lambda v: sidebar.type_name(v, lang),
            required=True,
        ),
        "municipality": text(t(lang, "col.municipality")),
        "date": text(t(lang, "col.date")),
        "hearing": text(t(lang, "col.hearing")),
        "title": text(t(lang, "col.title")),
        "pages": st.column_config.NumberColumn(t(lang, "col.pages"), disabled=True),
        "chunks": st.column_config.NumberColumn(t(lang, "col.chunks"), disabled=True),
        "file": text(t(lang, "col.file"), disabled=True),
    }


def _changes(before: dict, after: dict) -> dict[str, str | None]:
    """The corrected fields of one row (empty cells as None); the date as written (validated when stored)."""
    fields = {}
    for field in EDITABLE_FIELDS:
        old, new = before.get(field) or None, after.get(field) or None
        if new != old:
            fields[field] = new.strip() if isinstance(new, str) else new
    return fields


def _label(d: DocumentSummary) -> str:
    """A document as the remove picker names it: sender and file name."""
    return f"{d.sender} – {file_name(d.source)}"


def render() -> None:
    lang = sidebar.render_language()
    sidebar.render_status(lang)
    sidebar.render_upload(lang)
    st.title(t(lang, "library_page"))
    st.caption(t(lang, "library_intro"))
    s = resources.settings()
    documents = list_documents(s, resources.searcher().index)
    done = st.session_state.pop("lib_removed", None)
    if done:
        st.success(t(lang, "removed", doc=escape_markdown(done)))
    if not documents:
        st.info(t(lang, "empty_index"))
        return
    query = st.text_input(t(lang, "search_docs"), key="lib_filter").strip().lower()
    rows = rows_of(documents, lang)
    if query:
        shown = lambda r: [v for k, v in r.items() if k != "doc_id"] + [sidebar.type_name(r["sender_type"], lang)]  # noqa: E731
        rows = [r for r in rows if any(query in str(v).lower() for v in shown(r))]
    review = sum(1 for d in documents if d.needs_review)
    if review:
        st.warning(t(lang, "check_sender_count", n=review))
    edited = st.data_editor(
        rows,
        key="lib_editor",
        hide_index=True,
        width="stretch",
        column_order=SHOWN,
        disabled=["doc_id", "check", "pages", "chunks", "file"],
        column_config=_column_config(lang),
    )
    if st.button(t(lang, "save_changes"), key="lib_save"):
        changed = 0
        by_id = {r["doc_id"]: r for r in rows}
        with waiting_shown(lang):  # behind another writer (an ingest): said at once, saved when it is free
            for row in edited:
                fields = _changes(by_id.get(row["doc_id"], {}), row)
                if fields:
                    try:
                        set_metadata(resources.searcher().index, row["doc_id"], fields)
                        changed += 1
                    except CorrectionError as exc:
                        st.error(escape_markdown(f"{row['sender']}: {exc.render(lang)}"))
        st.success(t(lang, "saved", n=changed))
    _render_technical(documents, lang)
    st.divider()
    _render_remove(documents, lang)


def _render_technical(documents: list[DocumentSummary], lang: str) -> None:
    """Identifiers for whoever needs them (the CLI takes a doc_id or a path): only on request."""
    with st.expander(t(lang, "technical")):
        st.dataframe(
            [{"sender": _cell(d.sender), "doc_id": d.doc_id, "path": _cell(" | ".join(d.sources or [d.source]))}
             for d in documents],
            hide_index=True,
            width="stretch",
            column_config={
                "sender": st.column_config.TextColumn(t(lang, "col.sender")),
                "doc_id": st.column_config.TextColumn(t(lang, "col.doc_id")),
                "path": st.column_config.TextColumn(t(lang, "col.path")),
            },
        )


def _render_remove(documents: list[DocumentSummary], lang: str) -> None:
    """Pick a document, click "Fjern dokument", then confirm (or cancel): nothing is removed by one click. The
    confirmation lists exactly the documents that will go (``preview_removal``: the plan ``remove`` carries out),
    each with its sender and file, and says it cannot be undone."""
    labels = {d.doc_id: _label(d) for d in documents}
    pick = st.selectbox(t(lang, "remove_pick"), list(labels), format_func=labels.get, key="lib_remove_pick",
                        index=None, placeholder=t(lang, "choose"))
    pending = st.session_state.get("lib_confirm")
    if pending not in labels or pending != pick:
        st.session_state.pop("lib_confirm", None)
        pending = None
    if pending is None:
        if st.button(t(lang, "remove"), key="lib_remove", disabled=pick is None):
            st.session_state.lib_confirm = pick
            st.rerun()
        return
    plan = preview_removal([pending], resources.settings(), index=resources.searcher().index)
    st.warning(removal_question(plan, lang))
    yes, no = st.columns(2)
    if yes.button(t(lang, "remove_yes"), key="lib_remove_yes", type="primary"):
        with waiting_shown(lang):
            done = remove_planned([pending], resources.settings(), index=resources.searcher().index)
        st.session_state.pop("lib_confirm", None)
        st.session_state.lib_removed = "; ".join(_planned_label(d) for d in done.documents)
        st.session_state.pop("lib_remove_pick", None)
        st.rerun()
    if no.button(t(lang, "remove_cancel"), key="lib_remove_no"):
        st.session_state.pop("lib_confirm", None)
        st.rerun()


def _planned_label(document: PlannedRemoval) -> str:
    """A document a removal takes, named as the picker names documents: sender and file name."""
    return f"{document.sender} – {file_name(document.source)}"


def removal_question(plan: RemovalPlan, lang: str) -> str:
    """The confirmation's text (Markdown, document text escaped): the one document, or the list of those that go,
    each with its sender and file; and that it cannot be undone."""
    labels = [escape_markdown(_planned_label(d)) for d in plan.documents]
    if len(labels) == 1:
        return t(lang, "remove_confirm", doc=labels[0])
    return t(lang, "remove_confirm_many", n=len(labels)) + "\n\n" + "\n".join(f"- {label}" for label in labels)
