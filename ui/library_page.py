"""The document library: every document with metadata and chunk counts; correct metadata; remove a document."""

from __future__ import annotations

import streamlit as st

from export.safe import literal_cell
from index.records import EDITABLE_FIELDS
from ingest.corrections import CorrectionError, set_metadata
from ingest.pipeline import remove
from core.senders import SENDER_TYPES
from retrieval.library import list_documents
from ui import resources, sidebar
from ui.safe import escape_markdown
from ui.texts import t

COLUMNS = ["doc_id", *EDITABLE_FIELDS, "pages", "chunks", "source"]


def _literal(value):
    return literal_cell(value) if isinstance(value, str) else value


def render() -> None:
    lang = sidebar.render_language()
    sidebar.render_status(lang)
    sidebar.render_upload(lang)
    st.title(t(lang, "library_page"))
    st.caption(t(lang, "library_intro"))
    s = resources.settings()
    documents = list_documents(s, resources.searcher().index)
    if not documents:
        st.info(t(lang, "empty_index"))
        return
    query = st.text_input(t(lang, "search_docs"), key="lib_filter").strip().lower()
    # The table offers a CSV download and copy-paste into a spreadsheet: its text is shown as literal cells
    # (a sender "=cmd|…" as "'=cmd|…"), so neither can carry a formula out of a letter.
    rows = [{c: _literal(getattr(d, c)) for c in COLUMNS} for d in documents]
    if query:
        rows = [r for r in rows if any(query in str(v).lower() for v in r.values())]
    edited = st.data_editor(
        rows,
        key="lib_editor",
        hide_index=True,
        width="stretch",
        disabled=[c for c in COLUMNS if c not in EDITABLE_FIELDS],
        column_config={
            "sender_type": st.column_config.SelectboxColumn(t(lang, "sender_type"), options=list(SENDER_TYPES)),
            "sender": st.column_config.TextColumn(t(lang, "sender")),
            "municipality": st.column_config.TextColumn(t(lang, "municipality")),
            "hearing": st.column_config.TextColumn(t(lang, "hearing")),
            "date": st.column_config.TextColumn(t(lang, "date")),
        },
    )
    if st.button(t(lang, "save_changes"), key="lib_save"):
        changed = 0
        by_id = {r["doc_id"]: r for r in rows}
        for row in edited:
            before = by_id.get(row["doc_id"], {})
            fields = {k: (row.get(k) or None) for k in EDITABLE_FIELDS if (row.get(k) or None) != (before.get(k) or None)}
            if fields:
                try:
                    set_metadata(resources.searcher().index, row["doc_id"], fields)
                    changed += 1
                except CorrectionError as exc:
                    st.error(escape_markdown(f"{row['doc_id']}: {exc.render(lang)}"))
        st.success(t(lang, "saved", n=changed))
    st.divider()
    labels = {d.doc_id: f"{d.sender} – {d.source} ({d.doc_id})" for d in documents}
    pick = st.selectbox(t(lang, "remove_pick"), list(labels), format_func=labels.get, key="lib_remove_pick")
    if st.button(t(lang, "remove"), key="lib_remove"):
        remove([pick], s, index=resources.searcher().index)
        st.success(t(lang, "removed", doc=escape_markdown(labels[pick])))
        st.rerun()
