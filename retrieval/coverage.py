"""Who says what: a verdict for EVERY document in scope (not top-k), with its best passages.

Without an LLM the verdict comes from the calibrated relevance judge (retrieval/relevance.py,
docs/decisions/0010-calibrated-relevance.md): a document's probability is its best statement sentence's, and
the band of retrieval/verdict.py makes it *mentions*, *not mentioned* or *uncertain*. Sentences are scored with
one matrix product per document, so 500 documents cost well under a second.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from retrieval.question import Query
from retrieval.relevance import FEATURES, Judge
from index.records import Filters, Passage
from retrieval.schema import Verdict
from retrieval.search import Searcher
from retrieval.verdict import ORDER, Band, band_for, decide
from index.snapshot import Snapshot

PASSAGES_PER_DOC = 2


class DocumentVerdict(Verdict):
    """A verdict with what it rests on: the best dense score and the document's best passages."""

    municipality: str | None = None
    date: str | None = None
    score: float
    signals: dict[str, float] = Field(default_factory=dict)  # the judge's signals of the deciding sentence (trace)
    passages: list[Passage] = Field(default_factory=list)
    llm_quote: str | None = None  # the map step's quote, once verified


class CoverageResult(BaseModel):
    question: str
    language: str
    filters: Filters
    verdicts: list[DocumentVerdict]
    band: Band | None = None  # the band the verdicts were decided with (None: nothing in scope)

    @property
    def mentioning(self) -> list[DocumentVerdict]:
        return [v for v in self.verdicts if v.mentions]

    @property
    def uncertain(self) -> list[DocumentVerdict]:
        return [v for v in self.verdicts if v.verdict == "uncertain"]


LEXICAL_ROWS = 3


def lexical_rows(rows: np.ndarray, bm25: np.ndarray) -> np.ndarray:
    """The (at most LEXICAL_ROWS) chunks among ``rows`` with the best BM25 scores for the topic: their sentences
    are always judged, so a letter that names the topic in words the dense model ranks low is still read."""
    if not rows.size:
        return rows
    scores = bm25[rows]
    best = np.argsort(-scores, kind="stable")[:LEXICAL_ROWS]
    return rows[best[scores[best] > 0]]


def document_verdicts(searcher: Searcher, question: str | Query, filters: Filters | None = None, *, infer: bool = True,
                      language: str | None = None, snap: Snapshot | None = None, judge: Judge | None = None) -> CoverageResult:
    """A verdict for every document in scope, from the judge's calibrated probability for its best statement
    sentence (that sentence is cited first) and the band of this embedder and language (retrieval/verdict.py): at
    or above the band, the document mentions the topic; below it, it does not; inside it, the verdict is
    uncertain. A document without a statement sentence does not mention it. Listed: mentions, uncertain, not
    mentioned; within each, by probability. ``question``: a question read once (a string is read here with
    ``filters``, ``infer`` and ``language``); ``judge``: the question's judge when the caller has built it
    (``Searcher.judge``), else built here."""
    snap = snap or searcher.snapshot()
    query = searcher.read(question, filters, infer=infer, language=language, snap=snap)
    filters, language = query.filters, query.language
    rows = np.flatnonzero(snap.mask(filters))
    result = CoverageResult(question=query.text, language=language, filters=filters, verdicts=[])
    if rows.size == 0:
        return result
    judge = judge or searcher.judge(snap, query)
    result.band = band = band_for(searcher.embedder.name, language)
    bm25 = snap.bm25.scores(list(dict.fromkeys(query.terms)))
    for doc_id, mine in snap.rows_by_document(rows).items():
        evidence = judge.best(mine, lexical_rows(mine, bm25))
        passages = _passages(snap, judge, mine, evidence, bm25)
        record = snap.manifest.documents.get(doc_id)
        probability = evidence.probability if evidence else 0.0
        result.verdicts.append(
            DocumentVerdict(
                doc_id=doc_id, source=passages[0].source, sender=passages[0].sender,
                sender_type=passages[0].sender_type, municipality=passages[0].municipality,
                date=record.date if record else None,
                verdict=decide(probability, band) if evidence else "not_mentioned", probability=probability,
                score=probability, passages=passages,
                signals=dict(zip(FEATURES, evidence.features, strict=True)) if evidence else {},
            )
        )
    result.verdicts.sort(key=lambda v: (ORDER[v.verdict], -v.score))
    return result


def _passages(snap: Snapshot, judge: Judge, rows: np.ndarray, evidence, bm25: np.ndarray) -> list[Passage]:
    """The document's best passages: the evidence's chunk first, then its next best chunk by dense score."""
    dense = snap.vectors[rows] @ judge.q
    order = [int(r) for r in rows[np.argsort(-dense, kind="stable")]]
    if evidence is not None:
        order.remove(evidence.row)
        order.insert(0, evidence.row)
    chosen = order[:PASSAGES_PER_DOC]
    passages = []
    for rank, row in enumerate(chosen, 1):
        score = evidence.probability if evidence is not None and row == evidence.row else 0.0
        passage = snap.passage(row, score, float(bm25[row]), float(snap.vectors[row] @ judge.q), rank)
        passage.coverage = judge.coverage_of(passage.text)
        passages.append(passage)
    return passages
