"""Danish BM25 over the chunks (bm25s + PyStemmer's Danish Snowball stemmer + Danish stopwords).

Built at the end of every ingest that changed anything, saved next to the manifest with the manifest
version it belongs to; readers rebuild it in memory when the saved one is stale.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("danish")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DANISH

    return frozenset(STOPWORDS_DANISH)


def content_words(text: str) -> list[str]:
    """Lower-case word tokens of two or more characters, Danish stopwords removed (not stemmed)."""
    return [w for w in _TOKEN.findall(text.lower()) if w not in stopwords()]


def stem_words(words: list[str]) -> list[str]:
    """Danish Snowball stems of ``words``, in order."""
    return _stemmer().stemWords(words)


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, Danish stopwords removed, Snowball-stemmed."""
    return stem_words(content_words(text))


@dataclass
class BM25Index:
    chunk_ids: list[str]
    version: int
    _model: object

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str], version: int) -> "BM25Index":
        import bm25s

        model = bm25s.BM25()
        corpus = [tokenize(t) or ["\u2205"] for t in texts]
        if corpus:
            model.index(corpus, show_progress=False)
        return cls(chunk_ids=list(chunk_ids), version=version, _model=model)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk (aligned with ``chunk_ids``)."""
        if not self.chunk_ids or not query_tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        known = [t for t in query_tokens if t in self._model.vocab_dict]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._model.get_scores(known), dtype=np.float32)

    def idf(self, tokens: list[str]) -> dict[str, float]:
        """Inverse document frequency of each token over the chunks (BM25's own formula; unknown → highest)."""
        n = max(1, len(self.chunk_ids))
        vocab = getattr(self._model, "vocab_dict", {}) or {}
        indptr = self._model.scores["indptr"] if self.chunk_ids else None
        out = {}
        for token in tokens:
            column = vocab.get(token)
            df = int(indptr[column + 1] - indptr[column]) if column is not None and indptr is not None else 0
            out[token] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return out

    def save(self, directory: Path) -> None:
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.chunk_ids:
            self._model.save(str(tmp / "model"))
        (tmp / "meta.json").write_text(json.dumps({"version": self.version, "chunk_ids": self.chunk_ids}))
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "BM25Index | None":
        import bm25s

        try:
            meta = json.loads((directory / "meta.json").read_text())
            model = bm25s.BM25.load(str(directory / "model")) if meta["chunk_ids"] else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return None
        return cls(chunk_ids=meta["chunk_ids"], version=int(meta["version"]), _model=model)
