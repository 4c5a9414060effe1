"""Typed records of the index layer: documents, chunks, the metadata every chunk carries, the scope of a
read (Filters) and a chunk as read back (Passage). Every layer above reads and writes these, never dicts."""

from __future__ import annotations

from pydantic import BaseModel, Field

from core.senders import SenderType


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


FILTER_FIELDS = ("sender", "sender_type", "municipality", "hearing", "date_from", "date_to")


class Filters(BaseModel):
    """Scope of a search. ``inferred`` names the fields read from the question rather than set by the user."""

    sender: str | None = None
    sender_type: str | None = None
    municipality: str | None = None
    hearing: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    inferred: list[str] = Field(default_factory=list)
    blocked: list[str] = Field(default_factory=list, description="fields the user removed: never inferred")

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
        return Filters(**values, inferred=marks, blocked=list(self.blocked))

    def without(self, field: str) -> "Filters":
        """This filter removed; if it was inferred, it will not be inferred again."""
        values = self.active()
        values.pop(field, None)
        blocked = list(self.blocked) + ([field] if field in self.inferred and field not in self.blocked else [])
        return Filters(**values, inferred=[f for f in self.inferred if f != field], blocked=blocked)

    def to_json(self) -> dict:
        data = {**self.active(), "inferred": list(self.inferred)}
        if self.blocked:
            data["blocked"] = list(self.blocked)
        return data


class Passage(BaseModel):
    """A chunk found for a question, with its scores and rank."""

    chunk_id: str
    doc_id: str
    source: str
    sender: str
    sender_type: str
    municipality: str | None = None
    date: str | None = None
    hearing: str | None = None
    title: str | None = None
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
