"""Typed results of the answering layer: citations, who-says-what entries and the answer itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from answering.trace import Trace
from core.senders import SenderType
from index.records import Filters, Passage
from retrieval.schema import Verdict


class Citation(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    source: str
    sender: str
    sender_type: SenderType = "ukendt"
    date: str | None = None
    hearing: str | None = None
    page: int
    quote: str
    verified: bool = False
    start: int | None = None  # the quote's character span in the cleaned document text
    end: int | None = None
    ocr: bool = False  # the passage's text was (partly) read by OCR; not part of the public JSON
    label: str | None = None  # how the answer names the sender (answering.texts.sender_labels); not in the JSON

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "source": self.source,
            "sender": self.sender,
            "page": self.page,
            "quote": self.quote,
        }


class CoverageEntry(Verdict):
    """A verdict in an answer, with its citation numbers (public JSON shape, see README): ``mentions`` (the forced
    boolean), ``verdict`` (``mentions`` | ``not_mentioned`` | ``uncertain``) and ``probability`` (3 decimals).
    A mentioning or uncertain entry cites its best passage."""

    citations: list[int] = Field(default_factory=list)
    # the sender as the answer names this document (told apart from a letter of the same sender name, marked
    # when not confirmed); not part of the public JSON, whose ``sender`` stays the stored name
    label: str | None = None


class Answer(BaseModel):
    question: str
    text: str
    language: Literal["da", "en"] = "da"
    filters: Filters = Field(default_factory=Filters)
    grounded: bool = False
    citations: list[Citation] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list, description="retrieved passages (nearest when ungrounded)")
    standalone_question: str | None = None
    method: Literal["extractive", "llm", "coverage"] = Field(
        "extractive", description="quotes chosen by us, words written by the LLM, or who-says-what (coverage)"
    )
    dropped_citations: int = 0
    error: str | None = Field(None, description='what went wrong on the way, e.g. "llm_failed" (the answer stands)')
    timings: dict[str, float] = Field(default_factory=dict)
    coverage: list[CoverageEntry] = Field(default_factory=list, description="who-says-what: every document in scope")
    counts: dict[str, int] | None = Field(None, description="who-says-what: in_scope, mentions and uncertain")
    trace: Trace | None = Field(None, description="how the question was read and why each decision fell as it did "
                                                  "(answering/trace.py); not in the public JSON unless asked for")

    def to_json(self, *, trace: bool = False) -> dict:
        """The public ``hoering ask --json`` shape (see README); ``trace``: with the answer's trace added under
        ``"trace"`` (an opt-in, never the default)."""
        data = {
            "question": self.question,
            "answer": self.text,
            "filters": self.filters.to_json(),
            "grounded": self.grounded,
            "citations": [c.to_json() for c in self.citations if c.verified],
            **(
                {"coverage": [e.model_dump(exclude={"label"}) for e in self.coverage], "counts": dict(self.counts or {})}
                if self.method == "coverage"
                else {}
            ),
        }
        if trace and self.trace is not None:
            data["trace"] = self.trace.model_dump(mode="json")
        return data


@dataclass
class Turn:
    question: str  # as asked
    standalone: str  # as searched
    filters: Filters
    topic: str | None = None  # what the turn was about (its Query's topic); read from ``standalone`` when None

    @classmethod
    def of(cls, answer: Answer) -> Turn:
        """The turn an answer makes in a conversation (its topic from the answer's trace)."""
        topic = answer.trace.query.topic if answer.trace is not None else None
        return cls(answer.question, answer.standalone_question or answer.question, answer.filters, topic)
