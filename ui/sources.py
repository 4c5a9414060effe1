"""The source panel under an answer: each citation with its metadata and the passage, quote highlighted."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from answering.schema import Answer, Citation
from ui import resources
from ui.safe import escape_label, highlighted_html
from ui.texts import t


def _header(c: Citation, lang: str) -> str:
    """The expander label: a sender (a mail's From name), date, hearing or file name is document text and must
    never become a link, an image (fetched by the browser) or other markup. Only our "[n] " stays unescaped."""
    parts = [c.sender, c.sender_type]
    if c.date:
        parts.append(c.date)
    if c.hearing:
        parts.append(c.hearing)
    parts.append(f"{Path(c.source.split('#')[0]).name}{'#' + c.source.split('#', 1)[1] if '#' in c.source else ''}, "
                 f"{t(lang, 'page')} {c.page}")
    if c.ocr:
        parts.append(t(lang, "ocr"))  # OCR text can be wrong: say so next to the page
    return f"[{c.n}] " + escape_label(" · ".join(parts))


def render_sources(answer: Answer, lang: str, key: str) -> None:
    citations = [c for c in answer.citations if c.verified]
    if not citations:
        return
    passages = {p.chunk_id: p for p in answer.passages}
    st.markdown(f"**{t(lang, 'sources')}**")
    for c in citations:
        with st.expander(_header(c, lang)):
            passage = passages.get(c.chunk_id)
            if passage is not None:
                start = c.start - passage.start if c.start is not None else None
                end = c.end - passage.start if c.end is not None else None
                st.html(highlighted_html(passage.text, start, end))
            else:
                st.html(highlighted_html(c.quote, 0, len(c.quote)))
            col1, col2 = st.columns(2)
            if col1.toggle(t(lang, "open_document"), key=f"{key}_doc_{c.n}"):
                text = resources.searcher().index.store.document_text(c.doc_id) or ""
                st.html(highlighted_html(text, c.start, c.end, scroll=True))
            original = c.source.split("#", 1)[0]
            if os.path.isfile(original):
                col2.download_button(
                    t(lang, "download_original"), data=Path(original).read_bytes(), file_name=Path(original).name,
                    key=f"{key}_orig_{c.n}",
                )
