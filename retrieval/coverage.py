"""Who says what: a verdict for EVERY document in scope (not top-k), with its best passages.

Without an LLM the verdict comes from per-document relevance of the hybrid scores, calibrated on
eval/coverage.jsonl (docs/decisions/0006-coverage-verdicts.md). All chunks in scope are scored at once
(one matrix product), so 500 documents in scope cost about as much as one search.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from retrieval.query import query_terms, strip_scope_words
from retrieval.schema import Filters, Passage, Verdict
from retrieval.search import Searcher, term_coverage

# (dense threshold, coverage threshold or None, z threshold) per question language.
VERDICT = {"da": (0.8525, 0.3, 0.5), "en": (0.74, None, 1.5)}
PASSAGES_PER_DOC = 2


class DocumentVerdict(Verdict):
    """A verdict with what it rests on: the best dense score and the document's best passages."""

    municipality: str | None = None
    date: str | None = None
    score: float
    passages: list[Passage] = Field(default_factory=list)
    llm_quote: str | None = None  # the map step's quote, once verified


class CoverageResult(BaseModel):
    question: str
    language: str
    filters: Filters
    verdicts: list[DocumentVerdict]

    @property
    def mentioning(self) -> list[DocumentVerdict]:
        return [v for v in self.verdicts if v.mentions]


def document_verdicts(searcher: Searcher, question: str, filters: Filters | None = None, *, infer: bool = True,
                      language: str | None = None) -> CoverageResult:
    from retrieval.query import detect_language

    snap = searcher.snapshot()
    language = language or detect_language(question, searcher.settings.language)
    filters = searcher.resolve_filters(question, filters, infer)
    rows = np.flatnonzero(snap.mask(filters))
    result = CoverageResult(question=question, language=language, filters=filters, verdicts=[])
    if rows.size == 0:
        return result
    everything = np.arange(len(snap.ids))
    dense_all = searcher.dense_scores(snap, everything, question)
    mean, std = float(dense_all.mean()), float(dense_all.std()) or 1.0
    dense = dense_all[rows]
    topic = strip_scope_words(question, filters) or question
    terms = list(dict.fromkeys(query_terms(topic)))
    bm25 = snap.bm25.scores(terms)[rows]
    coverage_of = term_coverage(snap, terms)
    t_dense, t_cov, t_z = VERDICT.get(language, VERDICT["en"])
    docs = snap.columns["doc_id"][rows]
    for doc_id in dict.fromkeys(docs):
        mine = np.flatnonzero(docs == doc_id)
        order = mine[np.argsort(-dense[mine])][: max(PASSAGES_PER_DOC * 3, 6)]
        coverage = {int(i): coverage_of(snap.texts[rows[i]]) for i in order}
        best_dense = float(dense[mine].max())
        best_cov = max(coverage.values()) if coverage else 0.0
        z = (best_dense - mean) / std
        lexical = t_cov is not None and best_cov >= t_cov
        mentions = (best_dense >= t_dense or lexical) and z >= t_z
        ranked = sorted(order, key=lambda i: -(dense[i] + 0.1 * coverage.get(int(i), 0.0)))[:PASSAGES_PER_DOC]
        passages = [
            searcher._passage(snap, int(rows[i]), float(dense[i]), float(bm25[i]), float(dense[i]), r + 1)
            for r, i in enumerate(ranked)
        ]
        for p, i in zip(passages, ranked):
            p.coverage = coverage.get(int(i), 0.0)
        record = snap.manifest.documents.get(str(doc_id))
        result.verdicts.append(
            DocumentVerdict(
                doc_id=str(doc_id), source=passages[0].source, sender=passages[0].sender,
                sender_type=passages[0].sender_type, municipality=passages[0].municipality,
                date=record.date if record else None, mentions=bool(mentions), score=best_dense, passages=passages,
            )
        )
    result.verdicts.sort(key=lambda v: (not v.mentions, -v.score))
    return result
