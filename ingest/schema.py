"""Typed data produced by the ingest stages."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field

SenderType = Literal["kommune", "region", "med_udvalg", "organisation", "virksomhed", "borger", "ukendt"]
SENDER_TYPES: tuple[str, ...] = ("kommune", "region", "med_udvalg", "organisation", "virksomhed", "borger", "ukendt")


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


class DocumentMetadata(BaseModel):
    sender: str = ""
    sender_type: SenderType = "ukendt"
    municipality: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    hearing: str | None = None
    title: str | None = None
    # The sender was guessed from weak evidence (an opening sentence, a letterhead contradicting the e-mail
    # sender, nothing at all): an official should check it (``hoering docs set`` clears the flag).
    needs_review: bool = False


class Document(DocumentMetadata):
    """A cleaned document: the unit of identity (doc_id derives from its cleaned text)."""

    doc_id: str
    source: str
    content_hash: str
    pages: int
    text: str = Field(repr=False)
    page_spans: list[tuple[int, int]] = Field(default_factory=list, description="char span of each page in text")
    parent_source: str | None = None
    ocr_pages: list[int] = Field(default_factory=list, description="pages whose text was read by OCR")

    def page_of(self, start: int, end: int) -> list[int]:
        """Pages (1-based) that the character span [start, end) touches."""
        hits = [i + 1 for i, (a, b) in enumerate(self.page_spans) if start < b and end > a]
        return hits or [1]


class Chunk(BaseModel):
    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    pages: list[int]
    page_breaks: list[int] = Field(default_factory=list, description="offsets in text where pages[1:] begin")

    @property
    def page(self) -> int:
        return self.pages[0]


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
