"""An in-memory snapshot of the committed index: chunk texts, typed chunk records, normalised vectors and BM25.

Readers see exactly the documents of one committed manifest; a snapshot is reloaded when the manifest
changes (cheap stat check). Dense search is exact (numpy dot product over the filtered rows): at 50k
chunks × 384 dims it takes a few ms and never misses a neighbour, unlike HNSW with a metadata filter.
"""

from __future__ import annotations

import threading
from operator import attrgetter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, TypeVar

import numpy as np

from index import read_cache
from index.bm25 import BM25Index
from index.index import Index, IndexDamagedError
from index.manifest import Manifest
from index.records import FILTER_FIELDS, METADATA_FIELDS, SCOPE_FIELDS, ChunkRecord, Filters, Passage, committed_fields
from index.statements import reported_flags, says_something
from index.store import StoredChunks

SCOPES_REMEMBERED = 64
COLUMNS = ("doc_id", *METADATA_FIELDS)  # per-row numpy columns of the records ("" for None; index-internal)
CODED = ("doc_id", *SCOPE_FIELDS)  # the columns a scope tests, as codes into their distinct values
T = TypeVar("T")


@dataclass
class Snapshot:
    version: int
    manifest: Manifest
    ids: list[str]
    texts: list[str]
    records: list[ChunkRecord]
    vectors: np.ndarray
    bm25: BM25Index
    sentence_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sentence_spans: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    sentence_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    sentences_are_chunks: bool = False  # no sentence vectors in the index: each chunk is its own "sentence"
    # Given by the read cache: the documents in order of their first row and each row's position among them
    # (the columns are then made per document from the manifest, not per row from the records).
    docs: list[str] | None = None
    doc_codes: np.ndarray | None = None

    def __post_init__(self) -> None:
        # Each filterable column as codes into its distinct values (in order of first row): a filter tests the
        # few hundred distinct values, not every row, and picks the rows by code (docs/decisions/0005). The columns
        # are this module's own: readers ask by document (doc_id_of, doc_ids_of, rows_of, rows_by_document).
        self._columns: dict[str, np.ndarray] = {}
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}
        if self.doc_codes is None:
            for name in COLUMNS:
                self._columns[name] = np.array([getattr(r, name) or "" for r in self.records], dtype=object)
            for name in CODED:
                values: dict[str, int] = {}
                codes = np.fromiter((values.setdefault(v, len(values)) for v in self._columns[name]), dtype=np.int64, count=len(self.ids))
                self._codes[name] = (codes, list(values))
        else:
            self._columns_by_document(self.docs or [], self.doc_codes)
        self.row_of = {cid: i for i, cid in enumerate(self.ids)}
        self._masks: dict[tuple, np.ndarray] = {}  # scope → rows, and → documents: a scope is asked for again and
        self._scope_docs: dict[tuple, list[str]] = {}  # again (each question, coverage, themes), 10+ ms at 50k
        self.senders = sorted({d.sender for d in self.manifest.documents.values() if d.sender})
        if len(self.sentence_rows) > 1 and not bool((self.sentence_rows[1:] >= self.sentence_rows[:-1]).all()):
            order = np.argsort(self.sentence_rows, kind="stable")  # (the cache's are in row order already)
            self.sentence_rows = self.sentence_rows[order]
            self.sentence_spans = self.sentence_spans[order]
            self.sentence_vectors = self.sentence_vectors[order]
        bounds = np.searchsorted(self.sentence_rows, np.arange(len(self.ids) + 1))
        self._sentence_bounds = bounds

    def _columns_by_document(self, docs: list[str], doc_codes: np.ndarray) -> None:
        """The columns and codes of rows whose document metadata is the manifest's (the read cache): made once
        per document and spread to its rows, with the same values and codes as the per-row way above."""
        documents = self.manifest.documents
        fields = attrgetter(*METADATA_FIELDS)
        per_field = list(zip(*(fields(documents[d]) for d in docs))) or [()] * len(METADATA_FIELDS)
        self._columns["doc_id"] = np.array(docs, dtype=object)[doc_codes] if docs else np.zeros(0, dtype=object)
        self._codes["doc_id"] = (doc_codes.astype(np.int64, copy=False), list(docs))
        for name, raw in zip(METADATA_FIELDS, per_field):
            # as a row read from Chroma gives it: "" for none (and a sender type always, "ukendt" when none)
            per_doc = [v or "ukendt" for v in raw] if name == "sender_type" else [v or "" for v in raw]
            self._columns[name] = np.array(per_doc, dtype=object)[doc_codes] if docs else np.zeros(0, dtype=object)
            if name in CODED:
                values: dict[str, int] = {}
                doc_value = np.fromiter((values.setdefault(v, len(values)) for v in per_doc), dtype=np.int64, count=len(per_doc))
                self._codes[name] = (doc_value[doc_codes] if docs else np.zeros(0, dtype=np.int64), list(values))

    def passage(self, row: int, score: float = 0.0, bm25: float = 0.0, dense: float = 0.0, rank: int = 0) -> Passage:
        """Chunk ``row`` as a found passage, with the given scores and rank."""
        r = self.records[row]
        return Passage(
            chunk_id=self.ids[row], doc_id=r.doc_id, source=r.source, sender=r.sender, sender_type=r.sender_type,
            municipality=r.municipality, date=r.date, hearing=r.hearing, title=r.title, page=r.page,
            pages=list(r.pages), page_breaks=list(r.page_breaks), start=r.start, end=r.end, text=self.texts[row],
            score=score, bm25=bm25, dense=dense, rank=rank, ocr=r.ocr,
        )

    def sentences_of(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(spans inside the chunk, vectors) of the sentences of chunk ``row``."""
        a, b = self._sentence_bounds[row], self._sentence_bounds[row + 1]
        return self.sentence_spans[a:b], self.sentence_vectors[a:b]

    @cached_property
    def statements(self) -> np.ndarray:
        """Per sentence: whether it says something (index/statements.py: not a heading, letterhead, contact line,
        table row or keyword list); whose words they are is ``reported``'s question."""
        texts = self.texts
        current: list = [-1, ""]  # sentences come in row order: each chunk's text is read (decoded) once, not per sentence

        def text_of(row: int) -> str:
            if current[0] != row:
                current[0], current[1] = row, texts[row]
            return current[1]

        return np.fromiter(
            (says_something(text_of(r)[a:b]) for r, (a, b) in zip(self.sentence_rows.tolist(), self.sentence_spans.tolist())),
            dtype=bool, count=len(self.sentence_rows),
        )

    @cached_property
    def reported(self) -> np.ndarray:
        """Per sentence: whether it reports another party's words ("X skriver: »…«", index/statements.py), judged
        with its chunk (a quote may run over several sentences): never evidence of what its letter says."""
        flags = np.zeros(len(self.sentence_rows), dtype=bool)
        bounds, spans, texts = self._sentence_bounds, self.sentence_spans.tolist(), self.texts
        for row in np.unique(self.sentence_rows).tolist():  # each chunk's text is read (decoded) once
            a, b = int(bounds[row]), int(bounds[row + 1])
            flags[a:b] = reported_flags(texts[row], spans[a:b])
        return flags

    def sentences_in(self, rows: np.ndarray) -> np.ndarray:
        """Indices of the statement sentences of chunk ``rows`` (into the sentence arrays), in row order: those that
        say something in the letter's own words (never another party's words it reports)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(self.sentence_rows) or not rows.size:
            return np.zeros(0, dtype=np.int64)
        starts = self._sentence_bounds[rows]
        lengths = self._sentence_bounds[rows + 1] - starts
        first = np.cumsum(lengths) - lengths
        gathered = np.arange(int(lengths.sum())) + np.repeat(starts - first, lengths)
        return gathered[self.statements[gathered] & ~self.reported[gathered]]

    def sentence_max(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each chunk row, the best cosine of any of its sentences (the chunk's own when it has none)."""
        best = self.vectors[rows] @ query_vector
        if not len(self.sentence_rows) or not len(rows):
            return best
        starts = self._sentence_bounds[rows]
        lengths = self._sentence_bounds[rows + 1] - starts
        has = lengths > 0
        if not has.any():
            return best
        starts, lengths = starts[has], lengths[has]
        first = np.cumsum(lengths) - lengths  # where each row's sentences begin in the gathered block
        gathered = np.arange(int(lengths.sum())) + np.repeat(starts - first, lengths)
        per_row = np.maximum.reduceat(self.sentence_vectors[gathered] @ query_vector, first)
        best[has] = np.maximum(best[has], per_row)
        return best

    def _where(self, column: str, test) -> np.ndarray:
        """Rows whose value in ``column`` passes ``test`` (called once per distinct value)."""
        codes, values = self._codes[column]
        passing = np.fromiter((bool(test(v)) for v in values), dtype=bool, count=len(values))
        return passing[codes] if len(values) else np.zeros(len(codes), dtype=bool)

    def mask(self, filters: Filters) -> np.ndarray:
        """Rows in scope (read-only, remembered per scope): the same mask serves BM25 and dense search."""
        return _remembered(self._masks, _scope_key(filters), lambda: self._compute_mask(filters))

    def _compute_mask(self, filters: Filters) -> np.ndarray:
        keep = np.ones(len(self.ids), dtype=bool)
        if filters.documents is not None:
            wanted_docs = set(filters.documents)
            keep &= self._where("doc_id", lambda d: d in wanted_docs)
        if filters.sender:
            needle = filters.sender.lower()
            keep &= self._where("sender", lambda s: needle in s.lower())
        if filters.sender_type:
            keep &= self._where("sender_type", lambda t: t == filters.sender_type)
        if filters.municipality:
            wanted = filters.municipality.lower()
            keep &= self._where("municipality", lambda m: m.lower() == wanted)
        if filters.hearing:
            needle = filters.hearing.lower()
            keep &= self._where("hearing", lambda h: needle in h.lower())
        if filters.date_from:
            keep &= self._where("date", lambda d: bool(d) and d >= filters.date_from)
        if filters.date_to:
            keep &= self._where("date", lambda d: bool(d) and d <= filters.date_to)
        keep.flags.writeable = False  # shared by every caller of this scope
        return keep

    @cached_property
    def _rows_by_document(self) -> dict[str, np.ndarray]:
        codes, values = self._codes["doc_id"]
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(values) + 1))
        return {values[c]: order[bounds[c]:bounds[c + 1]] for c in range(len(values))}

    def doc_id_of(self, row: int) -> str:
        """The document of chunk ``row``."""
        return self._columns["doc_id"][row]

    def doc_ids_of(self, rows: np.ndarray) -> np.ndarray:
        """The documents of chunk ``rows``, one per row in their order (an array of doc_ids)."""
        return self._columns["doc_id"][rows]

    def rows_by_document(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Chunk ``rows`` grouped by document: the documents in order of their first row among ``rows``, each with
        its rows in the given order."""
        docs = self._columns["doc_id"][rows]
        return {doc_id: rows[docs == doc_id] for doc_id in dict.fromkeys(docs)}

    def rows_of(self, doc_id: str) -> np.ndarray:
        """The chunk rows of document ``doc_id`` in the order of their text (none for an unknown document)."""
        rows = self._rows_by_document.get(doc_id)
        if rows is None:
            return np.zeros(0, dtype=np.int64)
        return rows[np.argsort([self.records[r].start for r in rows], kind="stable")]

    def document_text(self, doc_id: str) -> str:
        """A document's cleaned text put together from its chunks (overlaps once; the white space between two
        chunks, which the chunker leaves out, as line breaks): the same words in the same order as the stored
        text, read without a call to the store."""
        parts, end = [], 0
        for row in self.rows_of(doc_id):
            record, text = self.records[row], self.texts[row]
            if record.start > end:
                parts.append("\n" * (record.start - end))
            parts.append(text[max(0, end - record.start):])
            end = max(end, record.start + len(text))
        return "".join(parts)

    def doc_ids_in_scope(self, filters: Filters) -> list[str]:
        """Documents with a row in scope, in row order (remembered per scope; the caller gets its own list)."""
        codes, values = self._codes["doc_id"]
        in_scope = _remembered(
            self._scope_docs, _scope_key(filters), lambda: [values[c] for c in np.unique(codes[self.mask(filters)])]
        )  # codes follow first-row order
        return list(in_scope)


def _scope_key(filters: Filters) -> tuple:
    return (*(getattr(filters, f) for f in FILTER_FIELDS), filters.documents)


def _remembered(memo: dict, key: tuple, compute: Callable[[], T]) -> T:
    """``memo[key]``, computed on first use; the memo is emptied when it holds SCOPES_REMEMBERED scopes."""
    value = memo.get(key)
    if value is None:
        if len(memo) >= SCOPES_REMEMBERED:
            memo.clear()
        value = memo[key] = compute()
    return value


def _short_documents(manifest: Manifest, doc_ids: list[str], metas: list[dict]) -> list[str]:
    """Documents with fewer stored chunk rows than the manifest lists."""
    counts: dict[str, int] = {}
    for meta in metas:
        counts[meta["doc_id"]] = counts.get(meta["doc_id"], 0) + 1
    return [d for d in doc_ids if counts.get(d, 0) < manifest.documents[d].chunks]


def _reusable(previous: Snapshot | None, manifest: Manifest) -> set[str]:
    """Documents whose rows a new snapshot can take from the previous one: listed unchanged in both manifests
    (a doc_id is a content hash; a changed record means corrected metadata, which lives on the chunks)."""
    if previous is None or previous.manifest.embedding_model != manifest.embedding_model or not previous.ids:
        return set()
    before = previous.manifest.documents
    return {d for d, record in manifest.documents.items() if before.get(d) == record}


def load_snapshot(
    index: Index, previous: Snapshot | None = None, attempts: int = 5, *, cached: bool = True, repair: bool = True
) -> Snapshot:
    """Read the committed manifest, then its documents' chunks and sentences: from the read cache of exactly
    that commit when there is one (index/read_cache.py: nothing is read from Chroma), else from Chroma — only
    the documents the previous snapshot does not already hold — retrying if a concurrent commit changed them
    meanwhile, and then written to the read cache for the next reader (``cached=False``: Chroma only, no cache).

    A writer killed partway (its marker left) is finished first when no writer runs (``Index.repair_if_idle``;
    ``repair=False`` for the writer itself). Rows missing while the manifest stayed the same are not a
    concurrent commit but a damaged store (e.g. ``chroma.sqlite3`` deleted): ``IndexDamagedError`` names the
    ``hoering ingest`` that rebuilds them. Each row's metadata is the manifest's (a correction committed but
    not yet applied to Chroma is seen)."""
    if repair:
        index.repair_if_idle()
    manifest = index.manifest()
    if cached:
        rows = read_cache.load(index, manifest)
        if rows is not None:
            return _from_cache(index, manifest, rows)
    try:
        snap = _from_store(index, manifest, previous, attempts)
    except IndexDamagedError:
        read_cache.purge(index)  # no cache may hide a damaged store from the next reader
        raise
    if cached:
        read_cache.save(index, snap)
    return snap


def _from_cache(index: Index, manifest: Manifest, rows: read_cache.CachedRows, bm25: BM25Index | None = None) -> Snapshot:
    """A snapshot of the read cache's rows (BM25: the one saved for this version, or built from the texts)."""
    if bm25 is None:
        bm25 = index.load_bm25(manifest.version)
        if bm25 is None or bm25.chunk_ids != rows.ids:
            bm25 = BM25Index.build(rows.ids, rows.texts, manifest.version)
    snap = Snapshot(
        manifest.version, manifest, rows.ids, rows.texts, rows.records, rows.vectors, bm25, rows.sentence_rows,
        rows.sentence_spans, rows.sentence_vectors, sentences_are_chunks=rows.sentences_are_chunks, docs=rows.docs,
        doc_codes=rows.doc_codes,
    )
    snap.__dict__["statements"] = rows.statements  # the cached_property, as computed when the cache was written
    return snap


def refresh_read_cache(index: Index) -> None:
    """After a writer's commits, under its lock: write the read cache of the committed version, reading from
    Chroma only the documents the newest older cache does not hold. Older caches are deleted first (a removed
    letter's text must not stay behind). Best effort: never fails the writer."""
    try:
        manifest = index.manifest()
        if read_cache.load(index, manifest) is not None:
            return
        found = read_cache.latest(index)
        read_cache.purge(index)
        if index.missing_documents(manifest):  # rows Chroma lost (not yet rebuilt): readers must meet the damage
            return
        previous = None
        if found is not None:
            old_manifest, rows = found
            previous = _from_cache(index, old_manifest, rows, bm25=BM25Index([], old_manifest.version, None))
        load_snapshot(index, previous=previous, repair=False)
    except Exception:  # noqa: BLE001 - the cache is an optimisation: the next reader builds it
        return


def _from_store(index: Index, manifest: Manifest, previous: Snapshot | None, attempts: int) -> Snapshot:
    """The snapshot read from Chroma (see ``load_snapshot``); ``manifest``: the committed one, just loaded. Rows
    of documents the previous snapshot holds unchanged are taken from it; only the others are read."""
    manifest, reuse, fresh, stored = _read_fresh(index, manifest, previous, attempts)
    ids, texts, records, vectors, kept = _merged_rows(manifest, previous, reuse, fresh, stored)
    bm25 = index.load_bm25(manifest.version)
    if bm25 is None or bm25.chunk_ids != ids:
        bm25 = BM25Index.build(ids, texts, manifest.version)
    sentences = _merged_sentences(index, previous, kept if reuse else None, fresh, ids)
    if sentences is None:  # an index built without sentence vectors: chunks stand in for them
        spans = np.array([(0, len(t)) for t in texts], dtype=np.int64).reshape(-1, 2)
        return Snapshot(manifest.version, manifest, ids, texts, records, vectors, bm25,
                        np.arange(len(ids), dtype=np.int64), spans, vectors, sentences_are_chunks=True)
    return Snapshot(manifest.version, manifest, ids, texts, records, vectors, bm25, *sentences)


def _read_fresh(index: Index, manifest: Manifest, previous: Snapshot | None,
                attempts: int) -> tuple[Manifest, set[str], list[str], StoredChunks]:
    """The chunks of the documents the previous snapshot does not hold, read from Chroma until they are exactly
    what the committed manifest lists (a commit meanwhile: read again, against the new manifest). Returns that
    manifest, the documents reused, the fresh ones and their stored chunks. Rows missing while the manifest
    stayed the same: ``IndexDamagedError``."""
    for attempt in range(attempts):
        if attempt:
            manifest = index.manifest()
        reuse = _reusable(previous, manifest)
        fresh = sorted(set(manifest.documents) - reuse)
        index.store.sync(manifest.version)  # another process may have written these documents' vectors
        stored = index.store.read_chunks(fresh)
        if len(stored.ids) == sum(manifest.documents[d].chunks for d in fresh):
            return manifest, reuse, fresh, stored
        if index.version() == manifest.version:  # no commit meanwhile: the rows are not there
            short = _short_documents(manifest, fresh, stored.metadatas)
            if short:
                raise index.damaged(manifest, short)
    raise RuntimeError("the index changed during every read attempt; try again")


def _merged_rows(manifest: Manifest, previous: Snapshot | None, reuse: set[str], fresh: list[str],
                 stored: StoredChunks) -> tuple[list[str], list[str], list[ChunkRecord], np.ndarray, np.ndarray]:
    """The new snapshot's rows: the previous one's rows of the ``reuse``d documents (``kept``, returned too) and the
    fresh ones (metadata the manifest's, vectors normalised), ordered by their documents' text (content hash), then
    chunk id: an order that does not depend on where the letters lie on disk (a doc_id hashes the file's path too),
    so themes and ties come out the same for the same letters in any folder."""
    committed = {d: committed_fields(manifest.documents[d]) for d in fresh}
    fresh_records = [ChunkRecord.from_chroma({**meta, **committed[meta["doc_id"]]}) for meta in stored.metadatas]
    dim = manifest.dim or (previous.vectors.shape[1] if previous is not None else 1)
    fresh_vectors = stored.embeddings.reshape(len(stored.ids), -1) if len(stored.ids) else np.zeros((0, dim), np.float32)
    norms = np.linalg.norm(fresh_vectors, axis=1, keepdims=True)
    fresh_vectors = fresh_vectors / np.where(norms == 0, 1, norms)
    kept = np.flatnonzero([d in reuse for d in previous._columns["doc_id"]]) if reuse else np.zeros(0, np.int64)
    all_ids = [previous.ids[r] for r in kept] + stored.ids
    keys = [(manifest.documents[cid.rsplit(":", 1)[0]].content_hash, cid) for cid in all_ids]
    order = np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64) if keys else np.zeros(0, np.int64)
    all_texts = [previous.texts[r] for r in kept] + stored.texts
    all_records = [previous.records[r] for r in kept] + fresh_records
    old_vectors = previous.vectors[kept] if reuse else np.zeros((0, dim), np.float32)
    vectors = np.vstack([old_vectors, fresh_vectors]).astype(np.float32, copy=False)[order]
    return [all_ids[i] for i in order], [all_texts[i] for i in order], [all_records[i] for i in order], vectors, kept


def _merged_sentences(index: Index, previous: Snapshot | None, kept: np.ndarray | None, fresh: list[str],
                      ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The sentences of the new rows ``ids`` as (rows, spans, vectors): the previous snapshot's for its ``kept``
    rows (renumbered; None: nothing reused), the store's for the ``fresh`` documents. None: there are none (an
    index built without sentence vectors)."""
    row_of = {cid: i for i, cid in enumerate(ids)}
    rows, spans, sentence_vectors = [], [], []
    if kept is not None and not previous.sentences_are_chunks:
        new_row = np.full(len(previous.ids), -1, dtype=np.int64)
        new_row[kept] = [row_of[previous.ids[r]] for r in kept]
        mapped = new_row[previous.sentence_rows]
        take = mapped >= 0
        rows.append(mapped[take])
        spans.append(previous.sentence_spans[take])
        sentence_vectors.append(previous.sentence_vectors[take])
    if fresh:
        sentences = index.store.read_sentences(fresh)
        keep = [i for i, cid in enumerate(sentences.chunk_ids) if cid in row_of]
        if keep:
            rows.append(np.array([row_of[sentences.chunk_ids[i]] for i in keep], dtype=np.int64))
            spans.append(np.array([sentences.spans[i] for i in keep], dtype=np.int64).reshape(-1, 2))
            sentence_vectors.append(sentences.embeddings[keep].astype(np.float32, copy=False))
    if sum(len(r) for r in rows) == 0:
        return None
    return np.concatenate(rows), np.vstack(spans), np.vstack(sentence_vectors)


class SnapshotCache:
    """Keeps the current snapshot; reloads only when a new manifest was committed (thread-safe)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._snapshot: Snapshot | None = None

    def get(self) -> Snapshot:
        stamp = self.index.manifests.stamp()
        with self._lock:
            if self._snapshot is None or stamp != self._stamp:
                self._snapshot = load_snapshot(self.index, previous=self._snapshot)
                self._stamp = stamp
            return self._snapshot
