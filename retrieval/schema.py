"""Typed data of the read side: Filters, Passage, Citation, Answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

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


class Citation(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    source: str
    sender: str
    sender_type: str = ""
    date: str | None = None
    hearing: str | None = None
    page: int
    quote: str
    verified: bool = False
    start: int | None = None  # the quote's character span in the cleaned document text
    end: int | None = None
    ocr: bool = False  # the passage's text was (partly) read by OCR; not part of the public JSON

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "source": self.source,
            "sender": self.sender,
            "page": self.page,
            "quote": self.quote,
        }


class Verdict(BaseModel):
    """Whether one document in scope addresses the topic (who-says-what mode)."""

    doc_id: str
    source: str
    sender: str
    sender_type: str
    mentions: bool
    stance: str | None = None
    summary: str | None = None


class CoverageEntry(Verdict):
    """A verdict in an answer, with its citation numbers (public JSON shape, see README)."""

    citations: list[int] = Field(default_factory=list)


class Answer(BaseModel):
    question: str
    text: str
    language: Literal["da", "en"] = "da"
    filters: Filters = Field(default_factory=Filters)
    grounded: bool = False
    citations: list[Citation] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list, description="retrieved passages (nearest when ungrounded)")
    standalone_question: str | None = None
    method: Literal["extractive", "llm"] = "extractive"
    dropped_citations: int = 0
    timings: dict[str, float] = Field(default_factory=dict)
    coverage: list[CoverageEntry] = Field(default_factory=list, description="who-says-what: every document in scope")
    counts: dict[str, int] | None = None

    def to_json(self) -> dict:
        """The public ``hoering ask --json`` shape (see README)."""
        return {
            "question": self.question,
            "answer": self.text,
            "filters": self.filters.to_json(),
            "grounded": self.grounded,
            "citations": [c.to_json() for c in self.citations if c.verified],
            **(
                {"coverage": [e.model_dump() for e in self.coverage], "counts": dict(self.counts)}
                if self.counts is not None
                else {}
            ),
        }
