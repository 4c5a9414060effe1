"""Høringsassistent in the browser: `make run` (or `streamlit run app.py`). A thin shell over ui/ and the API."""

from __future__ import annotations

import streamlit as st

from core.errors import explain
from index.review_store import ReviewNotAllowed
from ui import auth, casefile_page, chat_page, library_page, resources, review_page, themes_page, widget_texts
from ui.resources import language
from ui.safe import escape_markdown
from ui.texts import t

# Offline: the page icon is an emoji (an inline data: URL; a Material *page* icon is fetched from
# fonts.gstatic.com). The navigation icons are Material Symbols, drawn from the font Streamlit serves itself
# (emoji would need an emoji font, which many machines lack: they showed as empty boxes).
st.set_page_config(page_title="Høringsassistent", page_icon="📨", layout="wide")
lang = language()
widget_texts.install(lang)  # Streamlit's own widget texts in the user's language
pages = [
    st.Page(chat_page.render, title=t(lang, "chat_page"), icon=":material/forum:", url_path="chat", default=True),
    st.Page(casefile_page.render, title=t(lang, "casefile_page"), icon=":material/folder_open:", url_path="hoering"),
    st.Page(review_page.render, title=t(lang, "review.page"), icon=":material/fact_check:", url_path="gennemgang"),
    st.Page(themes_page.render, title=t(lang, "themes_page"), icon=":material/topic:", url_path="temaer"),
    st.Page(library_page.render, title=t(lang, "library_page"), icon=":material/description:", url_path="dokumenter"),
]


@st.fragment(run_every=1.0)
def _sample_progress() -> None:
    """The background ingest of the sample letters (make run on an empty index): a status line, and a rerun of the
    page when a first letter is committed (the chat input, disabled until then, opens) and when the last is in (the
    sidebar's counts and filters then show every letter). A fragment never runs while the page does, so neither
    rerun cuts a question short."""
    progress = resources.sample_progress()
    if progress is None:  # finished since the page last ran
        st.rerun()
    if progress.askable and not st.session_state.get("sample_askable"):
        st.session_state.sample_askable = True
        st.rerun()
    line = t(lang, "loading_sample", done=progress.done, total=progress.total)
    st.info(line if progress.askable else f"{line}  \n{t(lang, 'loading_sample_wait')}")


def _run() -> None:
    # Who you are, before any page (HOERING_AUTH): a login form, a proxy's user header or st.login; without one
    # the run ends here with the login or the refusal page.
    identity = auth.gate(lang)
    auth.render_identity(identity, lang)
    progress = resources.sample_progress()  # (starts it when the index is empty and HOERING_SAMPLE is set)
    if progress is not None:
        st.session_state.sample_askable = progress.askable
        _sample_progress()
    st.navigation(pages).run()


try:
    _run()
except ReviewNotAllowed as exc:  # a reader's write, refused on the server (ui/auth.py require_writer)
    st.error(escape_markdown(exc.render(lang)))
except Exception as exc:  # a failure of the machine or the setup (a Chroma server down at start or later …):
    line = explain(exc, resources.settings(), lang)  # the CLI's one line, in the user's language
    if line is None:
        raise  # a bug: Streamlit shows it
    st.error(escape_markdown(line))
