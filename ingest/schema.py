"""Typed data of the parsing stages: pages and loaded documents, and the report of an ingest run."""

from __future__ import annotations

from enum import Enum
from pydantic import BaseModel, Field


class Page(BaseModel):
    """Text of one page as the loader found it (1-based page number)."""

    number: int
    text: str
    ocr: bool = False  # the text was read by OCR from an image of the page (it can be wrong)


class LoadedDocument(BaseModel):
    """What a loader returns for one logical document inside a file (an e-mail yields several)."""

    source: str
    pages: list[Page]
    title: str | None = None
    # Hints a container format knows better than the text (e-mail From/Date, attachment parent).
    sender_hint: str | None = None
    sender_email: str | None = None
    date_hint: str | None = None
    parent_source: str | None = None
    warnings: list[str] = Field(default_factory=list)


class Status(str, Enum):
    ingested = "ingested"
    unchanged = "unchanged"
    failed = "failed"
    removed = "removed"


class FileOutcome(BaseModel):
    source: str
    status: Status
    detail: str = ""
    doc_ids: list[str] = Field(default_factory=list)
    chunks: int = 0


class IngestReport(BaseModel):
    outcomes: list[FileOutcome] = Field(default_factory=list)
    removed: int = 0
    chunks: int = 0
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == Status.failed]

    def to_json(self) -> dict:
        """The public ``hoering ingest --json`` shape (see README)."""
        return {
            "ingested": self.count(Status.ingested),
            "unchanged": self.count(Status.unchanged),
            "removed": self.removed,
            "failed": [{"source": o.source, "error": o.detail} for o in self.failed],
            "chunks": self.chunks,
            "seconds": round(self.seconds, 3),
        }
