"""The index manifest: which documents are live. Its atomic replacement is the commit point of an ingest.

Chunks written to Chroma become visible only when the manifest that lists their document is committed;
a changed file's new document and the removal of its old one land in the same commit, so no reader ever
sees both versions or neither. See docs/decisions/0002-manifest-commit.md.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, Field

from index.records import DocumentMetadata


class DocRecord(DocumentMetadata):
    doc_id: str
    source: str
    sources: list[str] = Field(default_factory=list)
    content_hash: str
    pages: int
    chunks: int
    parent_source: str | None = None


class FileRecord(BaseModel):
    file_hash: str
    size: int
    doc_ids: list[str]
    # The own sources of documents a person removed from this file (a zip member "bundle.zip#svar/brev.txt"):
    # a new version of the file does not bring them back.
    removed: list[str] = Field(default_factory=list)


class Manifest(BaseModel):
    format: int = 1
    version: int = 0
    embedding_model: str | None = None
    dim: int | None = None
    files: dict[str, FileRecord] = Field(default_factory=dict)
    documents: dict[str, DocRecord] = Field(default_factory=dict)
    # Officials' corrections: by doc_id, and by source so they survive a changed file.
    corrections: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    source_corrections: dict[str, dict[str, str | None]] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        if not path.exists():
            return cls()
        return cls.model_validate_json(path.read_text(encoding="utf-8"))

    def save(self, path: Path) -> None:
        """Atomic: write a temporary file, fsync, rename over the old one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.version += 1
        fd, tmp = tempfile.mkstemp(prefix=".manifest.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.model_dump_json())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def referenced_doc_ids(self) -> set[str]:
        return {d for f in self.files.values() for d in f.doc_ids}

    def drop_unreferenced(self) -> list[str]:
        """Forget documents no file points to any more; returns their ids."""
        live = self.referenced_doc_ids()
        gone = [d for d in self.documents if d not in live]
        for doc_id in gone:
            del self.documents[doc_id]
        return gone


def read_version(path: Path) -> int:
    """The committed version, cheaply (for readers deciding whether to reload)."""
    try:
        return int(json.loads(path.read_text(encoding="utf-8")).get("version", 0))
    except (OSError, ValueError):
        return 0
