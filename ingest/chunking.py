"""Structure- and sentence-aware chunking with LangChain's recursive splitter; each chunk knows its span and pages."""

from __future__ import annotations

import re

from langchain_text_splitters import RecursiveCharacterTextSplitter

from index.records import Chunk, Document

# Paragraphs first, then lines (bullets, table rows), then sentences, then clauses, then words.
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ": ", ", ", " ", ""]


def make_splitter(chunk_size: int = 800, chunk_overlap: int = 100) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        add_start_index=True,
        strip_whitespace=True,
    )


def chunk_document(doc: Document, splitter: RecursiveCharacterTextSplitter) -> list[Chunk]:
    """Split one document; chunk text is always an exact slice ``doc.text[start:end]``."""
    chunks: list[Chunk] = []
    cursor = 0
    for piece in splitter.create_documents([doc.text]):
        text = piece.page_content
        start = piece.metadata.get("start_index", -1)
        if start < 0 or doc.text[start : start + len(text)] != text:
            start = doc.text.find(text, cursor)
            if start < 0:  # cannot happen with a splitter that only slices, but never store a false span
                continue
        end = start + len(text)
        cursor = start + 1
        index = len(chunks)
        pages = doc.page_of(start, end)
        breaks = [max(0, doc.page_spans[p - 1][0] - start) for p in pages[1:]] if doc.page_spans else []
        chunks.append(
            Chunk(
                chunk_id=f"{doc.doc_id}:{index:04d}",
                doc_id=doc.doc_id,
                index=index,
                text=text,
                start=start,
                end=end,
                pages=pages,
                page_breaks=breaks,
            )
        )
    return chunks


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"»”“(]?[A-ZÆØÅ0-9-])|\n+")
MIN_SENTENCE = 12


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (and line/bullet/table-row) spans inside a chunk; each is an exact slice of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in list(_SENTENCE_BREAK.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        a, b = start + lead, start + len(piece.rstrip())
        if b - a >= MIN_SENTENCE:
            spans.append((a, b))
        start = match.end() if match else len(text)
    return spans
