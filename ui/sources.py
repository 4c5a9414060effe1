"""The source panel under an answer: each citation with its metadata and the passage, quote highlighted.

Everything that belongs to the answer (headers, the metadata line) is in the answer's language; the controls
(show the whole document, download the original, technical details) in the interface's language. Identifiers
(doc_id, chunk_id, the stored path) appear only in the "Tekniske detaljer" expander.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import streamlit as st

from answering.schema import Answer, Citation
from core.phrases import readable_date
from core.senders import sender_type_label
from export.labels import file_label, first_words, page_label
from index.records import Passage
from index.statements import is_statement
from ui import resources
from ui.safe import document_html, escape_label, escape_markdown, highlighted_html
from ui.texts import t


def source_key(key: str, n: int) -> str:
    """The widget key of citation ``n``'s expander; also its CSS class (st-key-…) that ``[n]`` links open."""
    return f"cite-{key}-{n}"


def source_header(c: Citation, language: str, repeated: bool = False) -> str:
    """"[1] Hedensted Kommune · side 3" — and, when another citation comes from the same letter, the quote's
    first words, so the two headers differ. Document text is escaped: never a link, image or other markup."""
    parts = [c.label or c.sender, page_label(c.page, language)]
    if repeated:
        parts.append(f"»{first_words(c.quote)}«")
    return f"[{c.n}] " + escape_label(" · ".join(p for p in parts if p))


def metadata_line(c: Citation | Passage, language: str) -> str:
    """"Afsendertype: kommune · Dato: 11.09.2023 · Høring: … · Fil: brev.pdf" (Markdown, escaped); the date as
    everywhere in the interface (``core.phrases.readable_date``)."""
    parts = [f"{t(language, 'source_type')}: {sender_type_label(c.sender_type, language)}"]
    if c.date:
        parts.append(f"{t(language, 'source_date')}: {readable_date(c.date, language)}")
    if c.hearing:
        parts.append(f"{t(language, 'source_hearing')}: {c.hearing}")
    name = file_label(c.source)
    if name:
        parts.append(f"{t(language, 'source_file')}: {name}")
    if c.ocr:
        parts.append(t(language, "ocr"))  # OCR text can be wrong: say so next to the page
    return escape_markdown(" · ".join(parts))


def render_sources(answer: Answer, lang: str, key: str) -> None:
    """The verified citations of ``answer``, each in an expander that its ``[n]`` opens (``lang``: the UI's)."""
    citations = [c for c in answer.citations if c.verified]
    if not citations:
        return
    alang = answer.language
    passages = {p.chunk_id: p for p in answer.passages}
    per_doc: dict[str, int] = {}
    for c in citations:
        per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
    st.markdown(f"**{t(alang, 'sources')}**")
    for c in citations:
        with st.expander(source_header(c, alang, per_doc[c.doc_id] > 1), key=source_key(key, c.n), on_change="rerun"):
            st.caption(metadata_line(c, alang))
            passage = passages.get(c.chunk_id)
            if passage is not None:
                start = c.start - passage.start if c.start is not None else None
                end = c.end - passage.start if c.end is not None else None
                st.html(highlighted_html(passage.text, start, end))
            else:
                st.html(highlighted_html(c.quote, 0, len(c.quote)))
            col1, col2 = st.columns(2)
            if col1.toggle(t(lang, "open_document"), key=f"{key}_doc_{c.n}"):
                text = resources.searcher().document_text(c.doc_id)
                # Opens scrolled to the highlighted quote (our own script; the letter's text is escaped).
                st.html(document_html(text, c.start, c.end, f"doc-{key}-{c.n}"), unsafe_allow_javascript=True)
            original = c.source.split("#", 1)[0]
            if os.path.isfile(original):
                col2.download_button(
                    t(lang, "download_original"), data=Path(original).read_bytes(),
                    file_name=file_label(original) or Path(original).name, key=f"{key}_orig_{c.n}",
                )


_NEAREST_QUOTE = re.compile(r"»(.+?)«")


def nearest_passages(answer: Answer) -> list[tuple[Passage, str]]:
    """The nearest passages of a no-evidence answer that its text lists, with the quote shown there: a passage
    whose quote the text left out (a letterhead or contact line) is not shown either."""
    quotes = [q.removesuffix(" …").strip() for q in _NEAREST_QUOTE.findall(answer.text)]
    shown = []
    for p in answer.passages:
        flat = " ".join(p.text.split())
        quote = next((q for q in quotes if q and q in flat), None)
        if quote is not None and is_statement(quote):
            shown.append((p, quote))
    return shown


def render_nearest(answer: Answer, lang: str, key: str) -> None:
    """A no-evidence answer's nearest passages, each under its source header (sender · page), never as a
    citation: they are shown for orientation, not as an answer."""
    shown = nearest_passages(answer)
    if not shown:
        return
    alang = answer.language
    st.markdown(f"**{t(alang, 'nearest')}**")
    for i, (p, quote) in enumerate(shown):
        header = escape_label(" · ".join(x for x in (p.sender, page_label(p.page, alang), f"»{first_words(quote)}«") if x))
        with st.expander(header, key=f"{key}_near_{i}"):
            st.caption(metadata_line(p, alang))
            start, end = _span_of(p.text, quote)
            st.html(highlighted_html(p.text, start, end))
    st.caption(t(lang, "nearest_note"))


def _span_of(text: str, quote: str) -> tuple[int | None, int | None]:
    """The span of ``quote`` in ``text``, whitespace-insensitively; (None, None) when it is not there."""
    words = quote.split()
    if not words:
        return None, None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else (None, None)


def render_technical(answer: Answer, lang: str, key: str) -> None:
    """Identifiers for whoever asks for them: each citation's doc_id, chunk_id and stored path."""
    rows = [c for c in answer.citations if c.verified] or []
    if not rows and not answer.passages:
        return
    with st.expander(t(lang, "tech_details"), key=f"{key}_tech"):
        lines = [f"[{c.n}] doc_id {c.doc_id} · chunk_id {c.chunk_id} · {c.source}" for c in rows]
        if not rows:
            lines = [f"doc_id {p.doc_id} · chunk_id {p.chunk_id} · {p.source}" for p in answer.passages]
        st.code("\n".join(lines), language=None)
