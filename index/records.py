"""Typed records of the index layer: the fields a document is known by (``DocumentFields``, declared once: the
document's metadata, a found passage and the library's summary derive from it), documents, chunks, the metadata
every chunk carries, the scope of a read (Filters) and a chunk as read back (Passage). Every layer above reads and
writes these, never dicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from core.senders import SenderType


class DocumentFields(BaseModel):
    """What a document is known by, in this order: who sent it (its name and sender type), the municipality it
    speaks for, its date (ISO), the hearing it answers, its title. (Its ``source`` is declared by each record
    that has one, where that record's field order wants it.)"""

    sender: str = ""
    sender_type: SenderType = "ukendt"
    municipality: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    hearing: str | None = None
    title: str | None = None


class DocumentMetadata(DocumentFields):
    """A document's fields as ingest reads them and an official corrects them, and whether she should check the
    sender. (Document and the manifest's DocRecord derive from it, with a ``source``.)"""

    # The sender was guessed from weak evidence (an opening sentence, a letterhead contradicting the e-mail
    # sender, nothing at all): an official should check it (``hoering docs set`` clears the flag).
    needs_review: bool = False


EDITABLE_FIELDS: tuple[str, ...] = tuple(DocumentFields.model_fields)
"""A document's metadata that an official may correct (``hoering docs set``, the library page): sender,
sender_type, municipality, date, hearing, title."""

METADATA_FIELDS: tuple[str, ...] = (*EDITABLE_FIELDS, "source")
"""The document metadata that every chunk row and document row in Chroma carries ("" for None)."""

SCOPE_FIELDS: tuple[str, ...] = ("sender", "sender_type", "municipality", "hearing", "date")
"""The stored fields a search scope (Filters) tests; ``date`` by ``date_from``/``date_to``."""


def date_int(date: str | None) -> int:
    """A date as Chroma rows store it for range filters: 20230911 for "2023-09-11", 0 for none."""
    return int(date.replace("-", "")) if date else 0


def stored_fields(doc: DocumentMetadata) -> dict[str, str]:
    """The metadata of ``doc`` (a Document, or its manifest DocRecord: a DocumentMetadata with a ``source``) as
    every Chroma row stores it: METADATA_FIELDS in order, "" for None."""
    return {field: (getattr(doc, field) or "") for field in METADATA_FIELDS}


def committed_fields(doc: DocumentMetadata) -> dict[str, Any]:
    """The metadata every chunk row of a document carries, as the manifest (the commit point) has it: the
    stored fields and ``date_int``."""
    return {**stored_fields(doc), "date_int": date_int(doc.date)}


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


def _ints(value: object) -> tuple[int, ...]:
    """"2,3" → (2, 3); "" → ()."""
    return tuple(map(int, filter(None, str(value).split(","))))


def _joined(values: tuple[int, ...]) -> str:
    return ",".join(str(v) for v in values)


@dataclass(frozen=True, slots=True)
class ChunkRecord:
    """One chunk's stored metadata: where it lies in its document and the document's metadata.

    ``to_chroma`` gives the row's Chroma metadata exactly as it has always been written (same keys in the same
    order, pages and page breaks comma-joined, None as "", ``date_int`` for date ranges, ``ocr`` only when
    true), and ``from_chroma`` reads it back: the two are inverses. Optional fields hold None, never "".
    A row missing keys (an older or damaged store) reads with the defaults below. The document's fields are
    DocumentFields' own, with its defaults (a plain slotted dataclass: the snapshot holds one per chunk;
    tests/test_records.py keeps the two in step)."""

    doc_id: str
    index: int = 0
    start: int = 0
    end: int = 0
    page: int = 1
    pages: tuple[int, ...] = (1,)
    page_breaks: tuple[int, ...] = ()  # offsets in the chunk's text where pages[1:] begin
    ocr: bool = False  # some of the text was read by OCR
    source: str = ""
    sender: str = ""
    sender_type: SenderType = "ukendt"
    municipality: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    hearing: str | None = None
    title: str | None = None

    @classmethod
    def of(cls, doc: DocumentMetadata, chunk: Chunk) -> "ChunkRecord":
        """The record of a chunk of ``doc`` (a Document, or its manifest record)."""
        ocr_pages = getattr(doc, "ocr_pages", None) or ()
        return cls(
            doc_id=chunk.doc_id, index=chunk.index, start=chunk.start, end=chunk.end, page=chunk.pages[0],
            pages=tuple(chunk.pages), page_breaks=tuple(chunk.page_breaks), ocr=bool(set(chunk.pages) & set(ocr_pages)),
            source=doc.source, sender=doc.sender, sender_type=doc.sender_type, municipality=doc.municipality or None,
            date=doc.date or None, hearing=doc.hearing or None, title=doc.title or None,
        )

    def to_chroma(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            **stored_fields(self),
            "doc_id": self.doc_id,
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "pages": _joined(self.pages),
            "page_breaks": _joined(self.page_breaks),
            "date_int": date_int(self.date),
        }
        if self.ocr:
            meta["ocr"] = True
        return meta

    @classmethod
    def from_chroma(cls, meta: dict[str, Any]) -> "ChunkRecord":
        get = meta.get
        return cls(
            doc_id=meta["doc_id"],
            index=int(get("index", 0)),
            start=int(get("start", 0)),
            end=int(get("end", 0)),
            page=int(get("page", 1)),
            pages=_ints(get("pages", "1")) or (1,),
            page_breaks=_ints(get("page_breaks", "")),
            ocr=bool(get("ocr", False)),
            source=get("source") or "",
            sender=get("sender") or "",
            sender_type=get("sender_type") or "ukendt",
            municipality=get("municipality") or None,
            date=get("date") or None,
            hearing=get("hearing") or None,
            title=get("title") or None,
        )


FILTER_FIELDS = ("sender", "sender_type", "municipality", "hearing", "date_from", "date_to")


class Filters(BaseModel):
    """Scope of a search. ``inferred`` names the fields read from the question rather than set by the user."""

    sender: str | None = None
    sender_type: SenderType | None = None
    municipality: str | None = None
    hearing: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    inferred: list[str] = Field(default_factory=list)
    blocked: list[str] = Field(default_factory=list, description="fields the user removed: never inferred")
    # A scope of exactly these documents (a hearing's letters, as its case file or the app's hearing chooser has
    # them; the hearing filter above finds every hearing whose name contains it): set by the case file or the
    # chooser, never from a question; not one of FILTER_FIELDS, so not in the answer's JSON. Kept by merged_with
    # and without.
    documents: tuple[str, ...] | None = None

    def active(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FILTER_FIELDS if getattr(self, f)}

    def is_empty(self) -> bool:
        return not self.active()

    def merged_with(self, inferred: "Filters") -> "Filters":
        """User-set fields win; inferred fields fill the gaps and are marked as inferred."""
        values = self.active()
        marks = list(self.inferred)
        for field, value in inferred.active().items():
            if field not in values and field not in self.blocked:
                values[field] = value
                marks.append(field)
        return Filters(**values, inferred=marks, blocked=list(self.blocked), documents=self.documents)

    def without(self, field: str) -> "Filters":
        """This filter removed; if it was inferred, it will not be inferred again."""
        values = self.active()
        values.pop(field, None)
        blocked = list(self.blocked) + ([field] if field in self.inferred and field not in self.blocked else [])
        return Filters(**values, inferred=[f for f in self.inferred if f != field], blocked=blocked, documents=self.documents)

    def to_json(self) -> dict:
        data = {**self.active(), "inferred": list(self.inferred)}
        if self.blocked:
            data["blocked"] = list(self.blocked)
        return data


class Passage(DocumentFields):
    """A chunk found for a question, with its document's fields, its scores and rank."""

    chunk_id: str
    doc_id: str
    source: str
    page: int
    pages: list[int]
    page_breaks: list[int] = Field(default_factory=list, description="offsets in text where pages[1:] begin")
    start: int
    end: int
    text: str
    score: float = 0.0
    bm25: float = 0.0
    dense: float = 0.0
    topic_dense: float | None = None  # dense score of the topic alone, when group words set the scope (grounding)
    coverage: float = 0.0  # IDF-weighted share of the question's topical terms that the passage contains
    rank: int = 0
    ocr: bool = False  # some of the text was read by OCR (can be wrong); not part of the public JSON

    def to_json(self) -> dict:
        """The public ``hoering search --json`` passage shape (see README)."""
        return {
            "rank": self.rank,
            "doc_id": self.doc_id,
            "source": self.source,
            "sender": self.sender,
            "sender_type": self.sender_type,
            "page": self.page,
            "text": self.text,
            "score": round(self.score, 4),
        }
