"""Høringsassistent in the browser: `make run` (or `streamlit run app.py`). A thin shell over ui/ and the API."""

from __future__ import annotations

import streamlit as st

from ui import chat_page, library_page, themes_page, widget_texts
from ui.resources import language
from ui.texts import t

# Offline: the page icon is an emoji (an inline data: URL; a Material *page* icon is fetched from
# fonts.gstatic.com). The navigation icons are Material Symbols, drawn from the font Streamlit serves itself
# (emoji would need an emoji font, which many machines lack: they showed as empty boxes).
st.set_page_config(page_title="Høringsassistent", page_icon="📨", layout="wide")
lang = language()
widget_texts.install(lang)  # Streamlit's own widget texts in the user's language
pages = [
    st.Page(chat_page.render, title=t(lang, "chat_page"), icon=":material/forum:", url_path="chat", default=True),
    st.Page(themes_page.render, title=t(lang, "themes_page"), icon=":material/topic:", url_path="temaer"),
    st.Page(library_page.render, title=t(lang, "library_page"), icon=":material/description:", url_path="dokumenter"),
]
st.navigation(pages).run()
