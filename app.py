"""Høringsassistent in the browser: `make run` (or `streamlit run app.py`). A thin shell over ui/ and the API."""

from __future__ import annotations

import streamlit as st

from ui import chat_page, library_page, themes_page
from ui.resources import language
from ui.texts import t

# Emoji icons only: a Material page icon makes the browser fetch the favicon from fonts.gstatic.com (a request to
# Google from every user's browser, and a broken icon offline); an emoji favicon is an inline data: URL.
st.set_page_config(page_title="Høringsassistent", page_icon="📨", layout="wide")
lang = language()
pages = [
    st.Page(chat_page.render, title=t(lang, "chat_page"), icon="💬", url_path="chat", default=True),
    st.Page(themes_page.render, title=t(lang, "themes_page"), icon="🗂️", url_path="temaer"),
    st.Page(library_page.render, title=t(lang, "library_page"), icon="📄", url_path="dokumenter"),
]
st.navigation(pages).run()
