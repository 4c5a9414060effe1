"""Themes page: the theme overview (rename, merge, delete) and the høringsnotat download (DOCX, XLSX)."""

from __future__ import annotations

import streamlit as st

from export.notat import build_notat, to_docx, to_xlsx
from index.records import Filters
from answering.themes import build_themes, edit_themes
from ui import resources, sidebar
from ui.safe import escape_label, escape_markdown, highlighted_html
from ui.texts import t


def render() -> None:
    lang = sidebar.render_language()
    filters = sidebar.render_filters(lang)
    sidebar.render_status(lang)
    searcher = resources.searcher()
    st.title(t(lang, "themes_page"))
    st.caption(t(lang, "themes_intro"))
    scope = Filters(**filters.active())
    with st.spinner(t(lang, "themes_working")):
        themes = build_themes(searcher, scope, llm=resources.chat_model())
    if not themes:
        st.info(t(lang, "empty_index"))
        return
    col1, col2 = st.columns(2)
    if col1.button(t(lang, "notat_prepare"), key="notat_prepare"):
        notat = build_notat(searcher, scope, llm=resources.chat_model())
        st.session_state.notat = (to_docx(notat), to_xlsx(notat))
    if "notat" in st.session_state:
        docx_bytes, xlsx_bytes = st.session_state.notat
        col1.download_button(t(lang, "notat_docx"), docx_bytes, file_name="hoeringsnotat.docx", key="notat_docx",
                             mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        col2.download_button(t(lang, "notat_xlsx"), xlsx_bytes, file_name="hoeringsnotat.xlsx", key="notat_xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    labels = {th.theme_id: th.label for th in themes}
    for theme in themes:
        with st.expander(f"{escape_label(theme.label)} — {len(theme.senders)} {t(lang, 'senders')}", expanded=False):
            for s in theme.senders:
                st.markdown(f"**{escape_markdown(s.sender)}** ({escape_markdown(s.sender_type)}, {s.count})")
                st.html(highlighted_html(s.quote.quote) + f"<small>{t(lang, 'page')} {s.quote.page}</small>")
            new_label = st.text_input(t(lang, "theme_rename"), value=theme.label, key=f"rename_{theme.theme_id}")
            c1, c2 = st.columns(2)
            if c1.button(t(lang, "theme_save"), key=f"save_{theme.theme_id}") and new_label.strip():
                edit_themes(searcher, rename=(theme.theme_id, new_label.strip()))
                st.session_state.pop("notat", None)
                st.rerun()
            if c2.button(t(lang, "theme_delete"), key=f"delete_{theme.theme_id}"):
                edit_themes(searcher, delete=theme.theme_id)
                st.session_state.pop("notat", None)
                st.rerun()
    picked = st.multiselect(t(lang, "theme_merge_pick"), list(labels), format_func=labels.get, key="merge_pick")
    if st.button(t(lang, "theme_merge"), key="merge_go") and len(picked) >= 2:
        edit_themes(searcher, merge=picked)
        st.session_state.pop("notat", None)
        st.rerun()
