"""The sidebar: language, the hearing the official works on, filters for the next question, index and LLM status,
upload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from ingest.pipeline import ingest
from core.formats import SUPPORTED_SUFFIXES
from core.senders import SENDER_TYPES, sender_type_label
from ingest.schema import Status
from ingest.uploads import UploadError, discard as discard_uploads, save_upload
from answering.casefile import HearingSummary, hearings_in
from core.casefile import hearing_key
from core.phrases import message
from core.settings import Settings
from index.records import Filters
from index.waiting import waiting_notice
from ui import auth, resources
from ui.safe import escape_markdown
from ui.texts import t


def render_language() -> str:
    current = resources.language()
    choice = st.sidebar.segmented_control(
        t(current, "language"), ["da", "en"], default=current, key="language_choice", required=True,
        format_func=lambda c: {"da": "Dansk", "en": "English"}[c],
    )
    if choice and choice != current:
        st.session_state.language = choice
        st.rerun()
    return current


def render_filters(lang: str, heading: str = "filters") -> Filters:
    """The scope filters; ``heading``: the interface key of their heading (the chat page's says they apply to
    the next question)."""
    snap = resources.searcher().snapshot()
    docs = list(snap.manifest.documents.values())
    all_ = t(lang, "all")
    hearing = render_hearing(lang)  # first: the hearing the official works on, the same on every page
    st.sidebar.subheader(t(lang, heading))
    sender_type = st.sidebar.selectbox(
        t(lang, "sender_type"), [all_, *SENDER_TYPES], key="f_sender_type",
        # "(alle)" as itself, also the other language's one kept in the widget's state after a change of language
        format_func=lambda v: sender_type_label(v, lang) if v in SENDER_TYPES else v,
    )
    sender = st.sidebar.selectbox(t(lang, "sender"), [all_, *sorted({d.sender for d in docs if d.sender})], key="f_sender")
    municipality = st.sidebar.selectbox(
        t(lang, "municipality"), [all_, *sorted({d.municipality for d in docs if d.municipality})], key="f_municipality"
    )
    # Day first, as Danes and the English of the EU write dates; the empty fields read "dd.mm.åååå" in Danish
    # (ui/widget_texts.py: Streamlit's date field is always "yyyy").
    dates = st.sidebar.date_input(t(lang, "date_range"), value=(), key="f_dates", format="DD.MM.YYYY")
    date_from = date_to = None
    if isinstance(dates, (tuple, list)) and len(dates) == 2:
        date_from, date_to = (d.isoformat() for d in dates)
    elif isinstance(dates, dt.date):
        date_from = dates.isoformat()
    pick = lambda v: None if v == all_ else v  # noqa: E731
    # The hearing filter finds every hearing whose name contains it ("Budget 2024" also finds "Budget 2024-2027"):
    # the chosen hearing's letters, exactly, are the scope; the hearing's name stays for the answer's scope line.
    documents = None if hearing is None else tuple(d.doc_id for d in docs if hearing_key(d.hearing) == hearing)
    return Filters(
        sender_type=pick(sender_type), sender=pick(sender), municipality=pick(municipality), hearing=hearing or None,
        date_from=date_from, date_to=date_to, blocked=list(st.session_state.get("blocked", [])), documents=documents,
    )


# --- the hearing chooser: one choice for every page ------------------------------------------------------------
#
# The choice lives in a plain session key (HEARING), not in the widget's own state: Streamlit forgets a widget's
# value on a page that does not draw it, and the case file page offers no "alle høringer". The widget (key
# HEARING_WIDGET, the same on every page) is set from HEARING before it is drawn and writes back only when the
# user changes it; a change of hearing also drops every unsaved choice made on the case file page (keys that
# begin with CASEFILE_PREFIX), so nothing chosen for one hearing's letters is ever shown or saved for another's.

HEARING = "hearing_choice"
HEARING_WIDGET = "f_hearing"
CASEFILE_PREFIX = "cf_"
ALL = "\x00all"  # the option "alle høringer" (no hearing's key: keys are names with their white space folded)


def hearing_options() -> list[HearingSummary]:
    """The hearings to choose from, most letters first: those of the index and those only stored (a list imported
    before its letters); "alle høringer" comes first where a page can look across hearings (``required`` False)."""
    snap = resources.searcher().snapshot()
    return hearings_in(snap, resources.casefile_store().hearing_names())


def _hearing_changed() -> None:
    st.session_state[HEARING] = st.session_state.get(HEARING_WIDGET)
    st.session_state.pop("notat", None)  # the themes page's notat was made for the hearing chosen before
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(CASEFILE_PREFIX)]:
        del st.session_state[key]


def render_hearing(lang: str, required: bool = False) -> str | None:
    """The chooser of the hearing the official works on; returns its key ("" for letters that name none), or
    None for "alle høringer" (offered only where ``required`` is False) or when the index has no hearing."""
    found = hearing_options()
    counts = {h.hearing: h.letters for h in found}
    options = ([] if required else [ALL]) + list(counts)
    if not options:
        return None
    chosen = st.session_state.get(HEARING, ALL)
    st.session_state[HEARING_WIDGET] = chosen if chosen in options else options[0]

    def shown(key: str | None) -> str:
        if key == ALL:
            return message("casefile.all_hearings", lang)
        return t(lang, "hearing_option", hearing=key or message("casefile.no_hearing", lang), n=counts[key])

    value = st.sidebar.selectbox(t(lang, "hearing"), options, key=HEARING_WIDGET, format_func=shown,
                                 on_change=_hearing_changed)
    return None if value == ALL else value


def chosen_hearing() -> str | None:
    """The hearing chosen in the sidebar on this run ("" for the letters that name none), None for all hearings."""
    value = st.session_state.get(HEARING_WIDGET, st.session_state.get(HEARING, ALL))
    return None if value in (ALL, None) else value


def render_status(lang: str) -> None:
    snap = resources.searcher().snapshot()
    s = resources.settings()
    st.sidebar.subheader(t(lang, "index_status"))
    st.sidebar.caption(f"{len(snap.manifest.documents)} {t(lang, 'documents')} · {len(snap.ids)} {t(lang, 'chunks')}")
    st.sidebar.caption(t(lang, "llm_on", llm=escape_markdown(s.llm)) if s.llm else t(lang, "llm_off"))
    # What only an administrator needs: which embedding model built the index, and where it lives.
    with st.sidebar.expander(t(lang, "technical")):
        st.caption(t(lang, "embedding_model", model=escape_markdown(snap.manifest.embedding_model or "–")))
        st.caption(t(lang, "index_path", path=escape_markdown(str(s.index))))


def render_upload(lang: str) -> None:
    """Upload and ingest (a write: not shown to a reader, and refused for one however the click came)."""
    if not auth.may_write():
        return
    s = resources.settings()
    st.sidebar.subheader(t(lang, "upload"))
    files = st.sidebar.file_uploader(
        t(lang, "upload_help", mb=s.max_upload_mb), accept_multiple_files=True,
        type=[suffix.lstrip(".") for suffix in SUPPORTED_SUFFIXES], key=f"uploader_{st.session_state.get('upload_round', 0)}",
    )
    if not files or not st.sidebar.button(t(lang, "upload_button"), key="upload_go"):
        _render_last_upload()
        return
    auth.require_writer()
    paths, problems = _saved_uploads(files, s, lang)
    searcher = resources.searcher()
    lines: list[str] = []
    with st.sidebar.status(t(lang, "ingesting", n=len(paths)), expanded=True) as status:
        bar = st.progress(0.0)
        done = {"n": 0}

        def on_progress(kind: str, info: dict) -> None:
            if kind == "start":  # the lock is taken (after waiting, if another writer held it)
                status.update(label=t(lang, "ingesting", n=len(paths)))
            elif kind == "file":
                done["n"] += 1
                bar.progress(min(1.0, done["n"] / max(1, len(paths))))

        try:
            with waiting_notice(lambda: status.update(label=t(lang, "waiting_for_writer"))):
                report = ingest([str(p) for p in paths], s, embedder=searcher.embedder, on_progress=on_progress) if paths else None
        finally:  # an upload the index does not list (its ingest failed) is not kept: its name may hold a CPR number
            discard_uploads(paths, s.uploads, resources.index().manifest().files if paths else {})
        outcomes = report.outcomes if report else []
        for o in outcomes:
            label = t(lang, f"outcome_{o.status.value}") if o.status != Status.removed else o.status.value
            lines.append(f"{o.source.split('/')[-1]}: {label}" + (f" – {o.detail}" if o.detail else ""))
        lines += problems
        summary = dict(
            ingested=report.count(Status.ingested) if report else 0,
            unchanged=report.count(Status.unchanged) if report else 0,
            failed=(len(report.failed) if report else 0) + len(problems),
        )
        state = "error" if summary["failed"] else "complete"
        status.update(label=t(lang, "ingest_done", **summary), state=state)
    st.session_state.last_ingest = [(o.source, o.status.value, o.detail) for o in outcomes] + [(p, "failed", "") for p in problems]
    # Show the outcome after a rerun, so the index status and the filter choices above include the new letters,
    # and start a new uploader (an empty one): the same files are not offered for ingest again.
    st.session_state.last_upload = {"label": t(lang, "ingest_done", **summary), "state": state, "lines": lines}
    st.session_state.upload_round = st.session_state.get("upload_round", 0) + 1
    st.rerun()


def _saved_uploads(files, s: Settings, lang: str) -> tuple[list[Path], list[str]]:
    """The uploaded files saved in the uploads folder (ingest/uploads.py), and a line for each that was not."""
    paths, problems = [], []
    limit = s.max_upload_mb * 1024 * 1024
    for f in files:
        # Streamlit lets files up to its own cap through (.streamlit/config.toml), so that one over this limit
        # gets its line in the outcome list like any other failure, not Streamlit's English refusal.
        if f.size > limit:
            problems.append(t(lang, "too_big", name=f.name, mb=s.max_upload_mb))
            continue
        try:
            paths.append(save_upload(f.name, f.getvalue(), s.uploads, limit))
        except UploadError as exc:
            problems.append(exc.render(lang))
    return paths, problems


def _render_last_upload() -> None:
    last = st.session_state.get("last_upload")
    if last:
        with st.sidebar.status(last["label"], state=last["state"], expanded=True):
            for line in last["lines"]:
                st.write(escape_markdown(line))
