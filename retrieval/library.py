"""The document library: what the index holds, read from the committed manifest."""

from __future__ import annotations

from core.settings import Settings
from index.index import Index
from index.manifest import DocRecord
from index.records import EDITABLE_FIELDS, DocumentMetadata


class DocumentSummary(DocumentMetadata):
    """One document as the library lists it: its metadata (with ``needs_review``: the sender is a guess from weak
    evidence, an official should check it), where it came from, its pages and chunks."""

    doc_id: str
    source: str
    sources: list[str]
    pages: int
    chunks: int

    @classmethod
    def from_record(cls, record: DocRecord) -> "DocumentSummary":
        return cls(**record.model_dump(include=set(cls.model_fields)))

    def to_json(self) -> dict:
        """The public ``hoering docs --json`` shape (see README)."""
        keys = ("doc_id", "source", *EDITABLE_FIELDS, "pages", "chunks", "needs_review")
        return {k: getattr(self, k) for k in keys}


def list_documents(settings: Settings, index: Index | None = None) -> list[DocumentSummary]:
    manifest = (index or Index(settings)).manifest()
    records = sorted(manifest.documents.values(), key=lambda r: (r.source, r.doc_id))
    return [DocumentSummary.from_record(r) for r in records]
