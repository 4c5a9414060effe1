"""The trace of an answer: how its question was read and why each decision fell as it did (issue 22 #5).

Typed and small, for the UI, feedback and tests; never part of the public ``ask --json`` (``Answer.to_json``
adds it only when asked to). Grounding: the signals of each top passage, the bar they are read against, and
why the answer was refused. Who-says-what: each document's signals, probability and state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from answering.grounding import COVERAGE_THRESHOLD, DENSE_THRESHOLD, LEXICAL_DENSE_FLOOR, is_grounded, relevance
from retrieval.question import Query

if TYPE_CHECKING:  # the records are read, never built, here: Answer's schema stays light to import
    from index.snapshot import Snapshot
    from retrieval.coverage import CoverageResult
    from retrieval.relevance import Judge
    from retrieval.search import SearchResult

GroundingReason = Literal["answered", "answered_by_verdicts", "empty_index", "no_letters_in_scope",
                          "no_passage_clears_the_bar", "only_uncertain_letters"]
VerdictState = Literal["mentions", "not_mentioned", "uncertain"]


class PassageSignals(BaseModel):
    """One of the top passages as grounding read it."""

    rank: int
    chunk_id: str
    doc_id: str
    sender: str
    signals: dict[str, float] = Field(description="dense: its similarity to the topic; coverage: the share of the "
                                                  "topic's terms it holds")
    margin: float = Field(description="how far it clears the bar (>= 0: it answers)")
    probability: float | None = Field(None, description="the judge's probability, where grounding asks the judge")


class GroundingTrace(BaseModel):
    """Answer or refuse: the decision of the answer mode."""

    grounded: bool
    reason: GroundingReason
    letters_in_scope: int
    bar: dict[str, float] = Field(description="the thresholds the signals are read against, in this language")
    margin: float | None = Field(None, description="the best passage's margin (None: no passage)")
    passages: list[PassageSignals] = Field(default_factory=list)


class VerdictTrace(BaseModel):
    """One document's verdict in who-says-what."""

    doc_id: str
    sender: str
    signals: dict[str, float] = Field(description="the judge's signals of the deciding sentence (margin, context, "
                                                  "coverage); empty when the letter has no statement sentence")
    probability: float
    state: VerdictState


class CoverageTrace(BaseModel):
    """Who says what: the verdict of every document in scope."""

    reason: Literal["decided", "empty_index", "no_letters_in_scope"]
    threshold: float = Field(description="the probability at which a document mentions the topic")
    band: tuple[float, float] | None = Field(None, description="the undecided band (lower, upper), where there is one")
    verdicts: list[VerdictTrace] = Field(default_factory=list)


class Trace(BaseModel):
    query: Query
    grounding: GroundingTrace | None = None
    coverage: CoverageTrace | None = None


def grounding_bar(language: str) -> dict[str, float]:
    bar = {"dense": DENSE_THRESHOLD.get(language, DENSE_THRESHOLD["en"])}
    if language == "da":
        bar |= {"coverage": COVERAGE_THRESHOLD, "lexical_dense_floor": LEXICAL_DENSE_FLOOR}
    return bar


def grounding_trace(query: Query, result: SearchResult, snap: Snapshot, verdicts: CoverageResult | None = None,
                    leaning: int = 0) -> Trace:
    """The trace of an answer (answer mode) over ``result``, searched in ``snap``; ``verdicts``: the letters'
    verdicts where the passages cleared no bar and the judge read every letter in scope; ``leaning``: how many
    uncertain letters the judge leans towards (named in the refusal as letters that may say it)."""
    language = result.language
    passages = [
        PassageSignals(rank=p.rank, chunk_id=p.chunk_id, doc_id=p.doc_id, sender=p.sender,
                       signals={"dense": p.dense if p.topic_dense is None else p.topic_dense, "coverage": p.coverage},
                       margin=relevance(p, language))
        for p in result.passages
    ]
    if not snap.ids:
        reason: GroundingReason = "empty_index"
    elif not result.scope_doc_ids:
        reason = "no_letters_in_scope"
    elif not is_grounded(result.passages, language):
        states = {v.verdict for v in verdicts.verdicts} if verdicts is not None else set()
        reason = ("answered_by_verdicts" if "mentions" in states else "only_uncertain_letters" if leaning
                  else "no_passage_clears_the_bar")
    else:
        reason = "answered"
    grounding = GroundingTrace(grounded=reason in ("answered", "answered_by_verdicts"), reason=reason, letters_in_scope=len(result.scope_doc_ids),
                               bar=grounding_bar(language), margin=max((p.margin for p in passages), default=None),
                               passages=passages)
    return Trace(query=query, grounding=grounding)


def coverage_trace(query: Query, result: CoverageResult, judge: Judge, states: dict[str, str]) -> Trace:
    """The trace of a who-says-what answer: ``states`` is each document's verdict as the answer states it."""
    verdicts = [
        VerdictTrace(doc_id=v.doc_id, sender=v.sender, signals=dict(v.signals), probability=v.probability,
                     state=states.get(v.doc_id, v.verdict))
        for v in result.verdicts
    ]
    reason = "decided" if verdicts else ("empty_index" if not judge.snap.ids else "no_letters_in_scope")
    band = (result.band.lower, result.band.upper) if result.band is not None else None
    return Trace(query=query, coverage=CoverageTrace(reason=reason, threshold=judge.calibration.threshold, band=band,
                                                     verdicts=verdicts))
