"""ingest.chunking: chunks are exact slices of the cleaned text, respect structure, and know their pages."""

from __future__ import annotations

import re

from ingest.chunking import chunk_document, make_splitter
from ingest.clean import clean_pages
from index.records import Document
from ingest.schema import Page


def document(pages: list[str], doc_id: str = "d0c1d2e3f4a5b6c7") -> Document:
    text, spans = clean_pages([Page(number=i + 1, text=t) for i, t in enumerate(pages)])
    return Document(doc_id=doc_id, source="brev.txt", content_hash="x" * 64, pages=len(pages), text=text, page_spans=spans)


SENTENCE = "Kommunen ønsker flere midler til ældreområdet i de kommende år."


def test_chunks_are_exact_slices_with_ids_in_order():
    doc = document(["\n\n".join(f"Afsnit {i}. " + " ".join([SENTENCE] * 4) for i in range(12))])
    chunks = chunk_document(doc, make_splitter(800, 100))
    assert len(chunks) > 3
    for i, chunk in enumerate(chunks):
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip() and chunk.text
        assert chunk.index == i and chunk.chunk_id == f"{doc.doc_id}:{i:04d}" and chunk.doc_id == doc.doc_id
        assert len(chunk.text) <= 800
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    # Nothing is lost: every non-blank character is inside some chunk.
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(doc.text) if not ch.isspace())


def test_paragraphs_are_not_split_when_they_fit():
    paragraphs = [f"Afsnit nummer {i} handler om et emne. " + " ".join([SENTENCE] * 3) for i in range(10)]
    doc = document(["\n\n".join(paragraphs)])
    chunks = chunk_document(doc, make_splitter(800, 100))
    starts = {m.start() for m in re.finditer(r"Afsnit nummer", doc.text)}
    ends = {doc.text.index(p) + len(p) for p in paragraphs}
    for c in chunks:
        assert c.start in starts, c.text[:40]
        assert c.end in ends, c.text[-40:]


def test_a_long_paragraph_is_split_at_sentence_ends_with_overlap():
    doc = document([" ".join(f"Sætning {i} er kort." for i in range(120))])
    chunks = chunk_document(doc, make_splitter(300, 60))
    assert len(chunks) >= 5
    for c in chunks:
        assert c.text.startswith("Sætning") and c.text.endswith("er kort."), c.text
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "consecutive chunks of one paragraph overlap"
        assert a.end - b.start <= 60


def test_chunk_pages_follow_the_text():
    page = " ".join([SENTENCE] * 20)  # ~1,300 characters per page
    doc = document([f"Side et. {page}", f"Side to. {page}", f"Side tre. {page}"])
    chunks = chunk_document(doc, make_splitter(800, 100))
    for c in chunks:
        expected = [i + 1 for i, (a, b) in enumerate(doc.page_spans) if c.start < b and c.end > a]
        assert c.pages == expected
        assert c.page == expected[0]
    assert chunks[0].pages == [1] and chunks[-1].pages == [3]
    assert [c for c in chunks if "Side to." in c.text][0].page == 2
    assert {p for c in chunks for p in c.pages} == {1, 2, 3}


def test_page_of_a_span_on_a_page_boundary():
    doc = document(["Første side.", "Anden side."])
    a0, a1 = doc.page_spans[0]
    b0, b1 = doc.page_spans[1]
    assert doc.page_of(a0, a1) == [1]
    assert doc.page_of(b0, b1) == [2]
    assert doc.page_of(a0, b1) == [1, 2]
    assert doc.page_of(a1, b0) == [1]  # only the separator: falls back to the first page


def test_chunk_size_setting_is_respected():
    doc = document(["\n\n".join([" ".join([SENTENCE] * 3)] * 20)])
    small = chunk_document(doc, make_splitter(200, 0))
    large = chunk_document(doc, make_splitter(1500, 100))
    assert all(len(c.text) <= 200 for c in small)
    assert all(len(c.text) <= 1500 for c in large)
    assert len(small) > len(large)


def test_empty_document_has_no_chunks():
    doc = Document(doc_id="e", source="x", content_hash="y", pages=1, text="", page_spans=[(0, 0)])
    assert chunk_document(doc, make_splitter()) == []
