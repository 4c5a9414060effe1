"""The document library: what the index holds, read from the committed manifest."""

from __future__ import annotations

from pydantic import BaseModel

from core.senders import SenderType
from core.settings import Settings
from index.index import Index
from index.manifest import DocRecord
from index.records import EDITABLE_FIELDS


class DocumentSummary(BaseModel):
    doc_id: str
    source: str
    sources: list[str]
    sender: str
    sender_type: SenderType
    municipality: str | None
    date: str | None
    hearing: str | None
    title: str | None
    pages: int
    chunks: int
    needs_review: bool = False  # the sender is a guess from weak evidence: an official should check it

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
