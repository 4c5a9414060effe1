"""Themes page: the theme overview (rename, merge, delete) and the høringsnotat download (DOCX, XLSX).

Themes are computed once per (index, index version, scope, language model): st.cache_data here and the in-process
cache of answering.themes, so a rerun of the page (any click) costs nothing; officials' edits are applied on top
on every run, so a rename shows at once."""

from __future__ import annotations

import html

import streamlit as st

from answering.casefile import case_file
from answering.chat_model import ChatModel
from answering.themes import Theme, ThemeEdits, apply_theme_edits, build_themes, edit_themes
from core.senders import sender_type_label
from export.hearing_notat import build_hearing_notat, to_docx as hearing_docx, to_xlsx as hearing_xlsx
from export.notat import build_notat, to_docx, to_xlsx
from index.records import Filters
from index.snapshot import Snapshot
from retrieval.search import Searcher
from ui import auth, resources, sidebar
from ui.safe import escape_label, escape_markdown, highlighted_html
from ui.texts import t


@st.cache_data(show_spinner=False, max_entries=32)
def _themes(index: str, version: int, scope: tuple[tuple[str, str], ...], llm_name: str | None,
            documents: tuple[str, ...] | None = None) -> list[Theme]:
    """The themes of one scope of one index version, before officials' edits (the arguments are the cache key);
    ``documents``: for one hearing, its letters with content (a letter with no remarks is never in a theme)."""
    return build_themes(resources.searcher(), Filters(**dict(scope), documents=documents), apply_edits=False,
                        llm=resources.chat_model())


def _hearing_letters(snap: Snapshot, hearing: str) -> tuple[str, ...]:
    """The letters of ``hearing`` that say something, as its case file has them (answering/casefile.py)."""
    return tuple(case_file(snap, resources.casefile_store().hearing(hearing)).with_content)


def render() -> None:
    lang = sidebar.render_language()
    filters = sidebar.render_filters(lang, heading="filters_scope")
    sidebar.render_status(lang)
    searcher = resources.searcher()
    st.title(t(lang, "themes_page"))
    st.caption(t(lang, "themes_intro"))
    scope = Filters(**filters.active())
    hearing = sidebar.chosen_hearing() if filters.documents is not None else None
    llm = resources.chat_model()
    with st.spinner(t(lang, "themes_working")):
        snap = searcher.snapshot()
        documents = _hearing_letters(snap, hearing) if hearing is not None else None
        base = _themes(str(searcher.paths.root), snap.version, tuple(sorted(scope.active().items())),
                       llm.name if llm is not None else None, documents)
        themes = apply_theme_edits(base, ThemeEdits.load(searcher.paths.themes))
    if not themes:
        st.info(t(lang, "empty_index"))
        return
    _render_notat(searcher, scope, hearing, llm, lang)
    writer = auth.may_write()  # a reader sees the themes; every edit control is disabled (and refused if forced)
    for theme in themes:
        _render_theme(searcher, theme, writer, lang)
    labels = {th.theme_id: th.label for th in themes}
    picked = st.multiselect(t(lang, "theme_merge_pick"), list(labels), format_func=labels.get, key="merge_pick",
                            disabled=not writer)
    if st.button(t(lang, "theme_merge"), key="merge_go", disabled=not writer) and len(picked) >= 2:
        _edited(searcher, merge=picked)


def _render_notat(searcher: Searcher, scope: Filters, hearing: str | None, llm: ChatModel | None, lang: str) -> None:
    """The notat's button and, once made, its downloads: the chosen hearing's notat (its case file, list and
    themes), else the notat of the letters in scope."""
    col1, col2 = st.columns(2)
    if col1.button(t(lang, "notat_prepare"), key="notat_prepare"):
        if hearing is not None:  # one hearing chosen: its notat (its case file, list and themes)
            report = build_hearing_notat(searcher, resources.casefile_store().hearing(hearing), llm=llm)
            st.session_state.notat = (hearing_docx(report), hearing_xlsx(report))
        else:
            notat = build_notat(searcher, scope, llm=llm)
            st.session_state.notat = (to_docx(notat), to_xlsx(notat))
    if "notat" in st.session_state:
        docx_bytes, xlsx_bytes = st.session_state.notat
        col1.download_button(t(lang, "notat_docx"), docx_bytes, file_name="hoeringsnotat.docx", key="notat_docx",
                             mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        col2.download_button(t(lang, "notat_xlsx"), xlsx_bytes, file_name="hoeringsnotat.xlsx", key="notat_xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _render_theme(searcher: Searcher, theme: Theme, writer: bool, lang: str) -> None:
    """One theme in an expander: each sender with its quote, then rename and delete (disabled for a reader)."""
    title = f"{escape_label(theme.label)} — {t(lang, 'theme_letters', n=len(theme.senders))}"
    with st.expander(title, expanded=False):
        for s in theme.senders:
            st.markdown(f"**{escape_markdown(s.sender)}**  \n"
                        f"{escape_markdown(t(lang, 'theme_sender_line', role=sender_type_label(s.sender_type, lang, 'role'), n=s.count))}")
            st.html(f"<blockquote>{highlighted_html(s.quote.quote)}<br>"
                    f"<small>{html.escape(s.sender)} · {t(lang, 'theme_quote_place', page=s.quote.page)}</small></blockquote>")
        new_label = st.text_input(t(lang, "theme_rename"), value=theme.label, key=f"rename_{theme.theme_id}",
                                  disabled=not writer)
        c1, c2 = st.columns(2)
        if c1.button(t(lang, "theme_save"), key=f"save_{theme.theme_id}", disabled=not writer) and new_label.strip():
            _edited(searcher, rename=(theme.theme_id, new_label.strip()))
        if c2.button(t(lang, "theme_delete"), key=f"delete_{theme.theme_id}", disabled=not writer):
            _edited(searcher, delete=theme.theme_id)


def _edited(searcher: Searcher, **edit) -> None:
    """Store one edit of the themes (a reader's is refused), drop the notat made before it, and show the result."""
    auth.require_writer()
    edit_themes(searcher, **edit)
    st.session_state.pop("notat", None)
    st.rerun()
