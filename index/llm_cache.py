"""An on-disk cache of language-model outputs keyed by (model, task, SHA-256 of the prompt): per-document LLM work
(positions, theme titles, résumés) is never asked for twice. Lives in the index folder beside the embeddings."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

FILE_NAME = "llm_cache.sqlite"


class LLMCache:
    """A small on-disk key/value cache of LLM outputs (thread-safe)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=60)
        self._conn.execute("CREATE TABLE IF NOT EXISTS llm (key TEXT PRIMARY KEY, value TEXT)")
        self._lock = threading.Lock()

    @classmethod
    def in_index(cls, root: Path) -> "LLMCache":
        """The cache of the index in folder ``root``."""
        return cls(Path(root) / FILE_NAME)

    @staticmethod
    def key(model: str, task: str, payload: str) -> str:
        return hashlib.sha256(f"{model}\x00{task}\x00{payload}".encode()).hexdigest()

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM llm WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO llm (key, value) VALUES (?, ?)", (key, value))
            self._conn.commit()
