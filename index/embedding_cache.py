"""An on-disk embedding cache keyed by (model, SHA-256 of the text): no text is ever embedded twice.

When a document leaves the index (removed, or its file replaced) the writer deletes the entries of its texts
that no remaining document contains (``forget_unused``): the hash of a removed letter's text and its vectors do
not stay behind. A cache shared between indexes (``HOERING_EMBEDDING_CACHE``) loses them too; another index
that holds the same text embeds it again when it next needs it (a cache miss, never a wrong vector).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

from index.embedding import Embedder


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=60)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA secure_delete = ON")  # a deleted entry's bytes are overwritten, not left in free pages
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"
        )
        self._conn.commit()
        self._lock = threading.Lock()

    def get_many(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows = self._conn.execute(
                    f"SELECT key, vector FROM embeddings WHERE model = ? AND key IN ({marks})", [model, *batch]
                ).fetchall()
                found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model, key, vector) VALUES (?, ?, ?)",
                [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )
            self._conn.commit()

    def forget(self, keys: set[str]) -> int:
        """Delete the entries of these text keys (of every model), and their bytes from the file and its log;
        returns how many rows went."""
        if not keys:
            return 0
        ordered = sorted(keys)
        deleted = 0
        with self._lock:
            for start in range(0, len(ordered), 500):
                batch = ordered[start : start + 500]
                cursor = self._conn.execute(f"DELETE FROM embeddings WHERE key IN ({','.join('?' * len(batch))})", batch)
                deleted += cursor.rowcount
            self._conn.commit()
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the log still holds the pages as they were
        return deleted

    def forget_unused(self, gone: list[str], remaining: list[str]) -> int:
        """Delete the entries of texts that left the index (``gone``: a removed document's chunk and sentence
        texts) unless a remaining text (``remaining``: every chunk text still listed) contains them: a chunk or
        sentence shared with another letter ("Med venlig hilsen") keeps its vector."""
        if not gone:
            return 0
        kept = "\x00".join(remaining)
        return self.forget({text_key(t) for t in set(gone) if t not in kept})

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class CachedEmbedder:
    """Wraps an Embedder: passages come from the cache when seen before, else are embedded and stored."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache) -> None:
        self.inner = embedder
        self.cache = cache
        self.name = embedder.name
        self.dim = embedder.dim
        self.hits = 0
        self.misses = 0

    @property
    def call_chars(self) -> int | None:
        """The size of call the wrapped embedder asks for, if it asks (index/batching.py)."""
        return getattr(self.inner, "call_chars", None)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        found = self.cache.get_many(self.name, list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            by_key = {k: t for k, t in zip(keys, texts)}
            vectors = self.inner.embed_passages([by_key[k] for k in missing])
            fresh = dict(zip(missing, vectors))
            self.cache.put_many(self.name, fresh)
            found.update(fresh)
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)
