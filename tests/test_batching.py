"""index.batching: the writer's embedding queue, with a counting stand-in for the model (no Chroma, no model).

Documents wait until about ``call_chars()`` characters of their texts (chunks and sentences) are queued, then the
whole queue is embedded together, each distinct text once, in calls of about that size; every document gets back
its own chunks' and sentences' vectors, in the order the documents were added.
"""

from __future__ import annotations

import hashlib

import numpy as np

from index.batching import EMBED_CHARS, EmbeddingBatcher, QueuedDocument
from index.records import Chunk, Document

DIM = 8


class Counting:
    """An embedder whose vector of a text depends on that text alone; it records the texts of each call."""

    name, dim = "counting", DIM

    def __init__(self, call_chars: int | None = None) -> None:
        self.calls: list[list[str]] = []
        if call_chars is not None:
            self.call_chars = call_chars

    @staticmethod
    def vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "little")
        return np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([self.vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIM)


def letter(name: str, sentences: list[str]) -> tuple[Document, list[Chunk], list[list[tuple[int, int]]]]:
    """A document of one chunk per two sentences, with each chunk's sentence spans."""
    text = " ".join(sentences)
    doc = Document(doc_id=name, source=f"/svar/{name}.txt", content_hash=name, pages=1, text=text,
                   page_spans=[(0, len(text))])
    chunks, spans, start = [], [], 0
    for i in range(0, len(sentences), 2):
        part = " ".join(sentences[i:i + 2])
        chunks.append(Chunk(chunk_id=f"{name}:{i // 2:04d}", doc_id=name, index=i // 2, text=part, start=start,
                            end=start + len(part), pages=[1]))
        first = len(sentences[i])
        spans.append([(0, first)] + ([(first + 1, len(part))] if i + 1 < len(sentences) else []))
        start += len(part) + 1
    return doc, chunks, spans


LETTERS = [
    letter("a", ["Vi ønsker flere busser.", "Ventetiden er for lang.", "Med venlig hilsen."]),
    letter("b", ["Skolen skal blive.", "Med venlig hilsen."]),
    letter("c", ["Cykelstien bør bygges færdig.", "Belysningen er dårlig.", "Vi håber på svar.", "Tak."]),
]


def chars(doc, chunks, spans) -> int:
    return sum(len(t) for t in QueuedDocument.of(doc, chunks, spans).texts())


def test_documents_wait_until_enough_characters_are_queued_then_go_together_in_order():
    embedder = Counting()
    first, second = chars(*LETTERS[0]), chars(*LETTERS[1])
    batcher = EmbeddingBatcher(embedder, embed_chars=first + second)
    assert batcher.add(*LETTERS[0]) == [] and embedder.calls == []
    staged = batcher.add(*LETTERS[1])  # enough characters wait now: the whole queue
    assert [p.doc.doc_id for p in staged] == ["a", "b"]
    assert len(embedder.calls) == 1
    assert batcher.drain() == []  # nothing left
    assert batcher.add(*LETTERS[2]) == []
    assert [p.doc.doc_id for p in batcher.drain()] == ["c"]


def test_each_text_is_embedded_once_and_every_row_gets_its_own_texts_vector():
    embedder = Counting()
    batcher = EmbeddingBatcher(embedder)
    for doc, chunks, spans in LETTERS:
        assert batcher.add(doc, chunks, spans) == []
    staged = batcher.drain()
    sent = [t for call in embedder.calls for t in call]
    assert len(sent) == len(set(sent))  # "Med venlig hilsen." of two letters: embedded once
    for pending, (doc, chunks, spans) in zip(staged, LETTERS):
        assert pending.chunks == chunks
        for chunk, vector in zip(chunks, pending.vectors):
            np.testing.assert_array_equal(vector, Counting.vector(chunk.text))
        rows = pending.sentences
        expected = [(c.chunk_id, j, span) for c, found in zip(chunks, spans) for j, span in enumerate(found)]
        assert rows.ids == [f"{cid}:s{j:03d}" for cid, j, _ in expected]
        assert rows.chunk_ids == [cid for cid, _, _ in expected] and rows.spans == [s for _, _, s in expected]
        texts = {c.chunk_id: c.text for c in chunks}
        for (cid, (a, b)), vector in zip(zip(rows.chunk_ids, rows.spans), rows.embeddings):
            np.testing.assert_array_equal(vector, Counting.vector(texts[cid][a:b]))


def test_calls_hold_about_call_chars_characters_and_the_embedder_may_ask_for_another_size():
    assert EmbeddingBatcher(Counting()).call_chars() == EMBED_CHARS
    assert EmbeddingBatcher(Counting(call_chars=64_000)).call_chars() == 64_000
    embedder = Counting(call_chars=60)
    batcher = EmbeddingBatcher(embedder)
    staged = [p for doc, chunks, spans in LETTERS for p in batcher.add(doc, chunks, spans)] + batcher.drain()
    assert [p.doc.doc_id for p in staged] == ["a", "b", "c"]
    assert len(embedder.calls) >= 3
    for call in embedder.calls:
        assert len(call) == 1 or sum(map(len, call)) <= 60  # a single longer text goes alone


def test_a_document_without_sentence_rows_gets_its_chunk_vectors_only():
    doc, chunks, _ = LETTERS[1]
    batcher = EmbeddingBatcher(Counting())
    batcher.add(doc, chunks, None)
    (pending,) = batcher.drain()
    assert pending.sentences.ids == [] and pending.sentences.embeddings.shape == (0, DIM)
    assert pending.vectors.shape == (len(chunks), DIM)
