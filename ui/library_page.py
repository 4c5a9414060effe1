"""The document library: every document with metadata and chunk counts; correct metadata; remove a document.

What a user reads here is words in the interface's language: column headers from the phrasebook, sender types
as words ("kommune", "MED-udvalg"), dates as "11.09.2023", empty cells empty, files by their own name, and a
ticked "Tjek afsender" box where the sender is a guess (``needs_review``): untick it and save to confirm the
sender. Identifiers (doc_id, the full path) are shown only under "Tekniske detaljer". Removing a document asks
for confirmation first. A correction is bound to its document, never to a row position (see "edits" below).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import PurePosixPath

import streamlit as st

from core.casefile import hearing_key
from core.senders import SENDER_TYPES, sender_type_label
from core.phrases import readable_date
from export.safe import literal_cell
from index.records import EDITABLE_FIELDS
from ingest.corrections import CorrectionError, set_metadata
from ingest.removal import PlannedRemoval, RemovalPlan, preview_removal, remove_planned
from retrieval.library import DocumentSummary, list_documents
from ui import auth, resources, sidebar
from ui.safe import escape_markdown
from ui.texts import t
from ui.waiting import waiting_shown

SHOWN = ["sender", "check", "sender_type", "municipality", "date", "hearing", "title", "pages", "chunks", "file"]
"""The table's columns, in order; ``doc_id`` is in every row too, but not shown."""

TEXT_FIELDS = [f for f in EDITABLE_FIELDS if f != "sender_type"]

EDITOR = "lib_editor"
"""The editor's key begins so; the rest is a digest of the frame it shows (``editor_key``)."""
FRAME = "lib_frame"
"""Session: the frame the editor showed last, ``{"key": …, "rows": […]}`` (``Frame``)."""
SAVED = "lib_saved"
"""Session: what the last save did, shown after the rerun that follows it."""


def file_name(source: str) -> str:
    """A document's file by its own name: "brev.pdf", or "borger.pdf (bundle.zip)" for a file in a zip."""
    outer, _, inner = source.partition("#")
    name = PurePosixPath(outer.replace("\\", "/")).name
    return f"{PurePosixPath(inner).name} ({name})" if inner else name


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
            "check": d.needs_review,  # ticked: the sender is a guess; untick and save to confirm it
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
        "check": st.column_config.CheckboxColumn(t(lang, "col.check"), help=t(lang, "check_sender_help")),
        "sender_type": st.column_config.SelectboxColumn(
            t(lang, "col.sender_type"), options=list(SENDER_TYPES), format_func=lambda v: sender_type_label(v, lang),
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


# --- edits: bound to the frame the editor showed, and through it to documents --------------------------------
#
# Streamlit keeps a keyed data_editor's edits by row position, and (since 1.4x, for a fixed number of rows) keeps
# them while the data changes under the same key: an edit made to Hedensted's row, filtered to one row, stayed
# on "row 0" when the filter showed Roskilde's row instead, and "Gem ændringer" wrote it there. So the editor's
# key is a digest of exactly the rows it shows (documents, order, every cell, language): any other frame is a new
# editor with no edits, an edit is mapped to its document through the frame it was made in, and edits left in a
# frame that is no longer shown are dropped with a notice, never carried to another row.


def editor_key(rows: list[dict], lang: str) -> str:
    """The editor's widget key for this frame: the same rows in the same order, the same cells, the same language."""
    frame = json.dumps([lang, rows], ensure_ascii=False, sort_keys=True, default=str)
    return f"{EDITOR}-{hashlib.sha256(frame.encode('utf-8')).hexdigest()[:16]}"


@dataclass(frozen=True)
class Edit:
    """What a user changed in one row of a frame: the document it belongs to, the corrected fields, and whether
    the guessed sender was confirmed (the "Tjek afsender" box unticked) or a box ticked that cannot be."""

    doc_id: str
    sender: str  # the row's sender as shown, to name the document in messages
    fields: dict[str, str | None]
    confirm: bool = False
    tick: bool = False  # "Tjek afsender" ticked on a sender that is not a guess: nothing to store

    @property
    def empty(self) -> bool:
        return not (self.fields or self.confirm or self.tick)


def edits_of(rows: list[dict], state: object) -> list[Edit]:
    """The edits in a data editor's ``state`` (its ``edited_rows``, by row position) bound to the documents of
    ``rows``, the exact frame the editor showed. A position outside the frame is dropped; so is a row whose cells
    are as they were (nothing changed, nothing written)."""
    edited = state.get("edited_rows") if hasattr(state, "get") else None
    edits = []
    for position, cells in sorted((int(k), v) for k, v in (edited or {}).items()):
        if not 0 <= position < len(rows) or not isinstance(cells, dict):
            continue
        before = rows[position]
        after = {**before, **{k: v for k, v in cells.items() if k in before and k != "doc_id"}}
        check_before, check_after = bool(before.get("check")), bool(after.get("check"))
        edit = Edit(
            doc_id=before["doc_id"], sender=str(before.get("sender") or ""), fields=_changes(before, after),
            confirm=check_before and not check_after, tick=check_after and not check_before,
        )
        if not edit.empty:
            edits.append(edit)
    return edits


def _pending(frame: dict | None) -> list[Edit]:
    """The unsaved edits of the frame the editor showed last (none when there is none)."""
    if not frame:
        return []
    return edits_of(frame["rows"], st.session_state.get(frame["key"]))


def _save(edits: list[Edit], documents: dict[str, DocumentSummary], lang: str) -> list[tuple[str, str]]:
    """Store each edit on its document: corrected fields, and a confirmed sender as a correction to the same name
    (it clears ``needs_review`` now and on every re-ingest, ingest/corrections.py). Returns the messages to show,
    as (kind, text) with kind "success", "info" or "error": what was stored first, then what was not. A reader's
    save is refused (ui/auth.py), however the click came."""
    identity = auth.require_writer()
    corrected = confirmed = 0
    notes: list[tuple[str, str]] = []
    for edit in edits:
        fields = dict(edit.fields)
        if edit.confirm and "sender" not in fields and "sender_type" not in fields:
            fields["sender"] = documents[edit.doc_id].sender  # the stored name, not the cell (a "'=…" literal)
        if edit.tick:
            notes.append(("info", t(lang, "check_not_guess", sender=escape_markdown(edit.sender))))
        if not fields:
            continue
        try:  # a document removed meanwhile is refused here ("no document"), never another one written
            set_metadata(resources.index(), edit.doc_id, fields, identity=identity)
        except CorrectionError as exc:
            notes.append(("error", escape_markdown(f"{edit.sender}: {exc.render(lang)}")))
            continue
        corrected += bool(edit.fields)
        confirmed += not edit.fields
    stored = [("success", t(lang, "saved", n=corrected))] if corrected else []
    stored += [("success", t(lang, "sender_confirmed", n=confirmed))] if confirmed else []
    return stored + notes or [("info", t(lang, "nothing_to_save"))]


def _show(said: list[tuple[str, str]]) -> None:
    for kind, text in said:
        getattr(st, kind)(text)


def _filtered(rows: list[dict], query: str, lang: str) -> list[dict]:
    """The rows where ``query`` occurs in what a user reads: cells, the sender type as a word, "Tjek afsender"."""
    if not query:
        return rows

    def shown(r: dict) -> list[str]:
        words = [str(v) for k, v in r.items() if k not in ("doc_id", "check")]
        return [*words, sender_type_label(r["sender_type"], lang), t(lang, "check_sender") if r["check"] else ""]

    return [r for r in rows if any(query in w.lower() for w in shown(r))]


def _render_editor(documents: list[DocumentSummary], query: str, lang: str) -> None:
    """The table to correct metadata in (the rows that ``query`` finds), and "Gem ændringer"."""
    rows = _filtered(rows_of(documents, lang), query, lang)
    key = editor_key(rows, lang)
    previous = st.session_state.get(FRAME)
    if previous and previous["key"] != key:
        dropped = _pending(previous)  # edits made in a frame no longer shown: said, never carried over
        if dropped:
            senders = ", ".join(f"»{escape_markdown(e.sender)}«" for e in dropped)
            st.warning(t(lang, "edits_dropped", senders=senders))
    st.session_state[FRAME] = {"key": key, "rows": rows}
    writer = auth.may_write()  # a reader sees the table, every cell read-only, and no save
    st.data_editor(
        rows,
        key=key,
        hide_index=True,
        width="stretch",
        column_order=SHOWN,
        disabled=["doc_id", "pages", "chunks", "file"] if writer else True,
        column_config=_column_config(lang),
    )
    if st.button(t(lang, "save_changes"), key="lib_save", disabled=not writer):
        with waiting_shown(lang):  # behind another writer (an ingest): said at once, saved when it is free
            said = _save(edits_of(rows, st.session_state.get(key)), {d.doc_id: d for d in documents}, lang)
        st.session_state.pop(FRAME, None)  # saved: the next frame is a fresh editor, nothing was dropped
        st.session_state[SAVED] = said
        st.rerun()
    _show(st.session_state.pop(SAVED, []))


def _label(d: DocumentSummary) -> str:
    """A document as the remove picker names it: sender and file name."""
    return f"{d.sender} – {file_name(d.source)}"


def render() -> None:
    lang = sidebar.render_language()
    hearing = sidebar.render_hearing(lang)  # the hearing chosen on any page: its letters only ("alle": all)
    sidebar.render_status(lang)
    sidebar.render_upload(lang)
    st.title(t(lang, "library_page"))
    st.caption(t(lang, "library_intro"))
    s = resources.settings()
    documents = list_documents(s, resources.index())
    if hearing is not None:
        documents = [d for d in documents if hearing_key(d.hearing) == hearing]
    done = st.session_state.pop("lib_removed", None)
    if done:
        st.success(t(lang, "removed", doc=escape_markdown(done)))
    if not documents:
        st.info(t(lang, "empty_index"))
        return
    query = st.text_input(t(lang, "search_docs"), key="lib_filter").strip().lower()
    review = sum(1 for d in documents if d.needs_review)
    if review:
        st.warning(t(lang, "check_sender_count", n=review))
    _render_editor(documents, query, lang)
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
    writer = auth.may_write()
    if pending is None:
        if st.button(t(lang, "remove"), key="lib_remove", disabled=pick is None or not writer):
            st.session_state.lib_confirm = pick
            st.rerun()
        return
    plan = preview_removal([pending], resources.settings(), index=resources.index())
    st.warning(removal_question(plan, lang))
    yes, no = st.columns(2)
    if yes.button(t(lang, "remove_yes"), key="lib_remove_yes", type="primary", disabled=not writer):
        auth.require_writer()
        with waiting_shown(lang):
            done = remove_planned([pending], resources.settings(), index=resources.index())
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
