"""Chroma as the system of record for chunks and documents (embedded PersistentClient or a Chroma server).

Three collections in cosine space, always with our own embeddings (names start with ``HOERING_CHROMA_PREFIX``,
default ``hoering``): ``hoering_chunks`` (one record per chunk, with the document's metadata),
``hoering_sentences`` (one vector per sentence of a chunk, for sentence-level matching and quote selection;
see docs/decisions/0005) and ``hoering_documents`` (one record per document: its cleaned full text and
metadata, embedded as the mean of its chunks).
Visibility is decided by the manifest. The embedded store's database file itself (its damage check, the
scrub, leftover vector folders) is index/chroma_files.py's.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.settings import Settings
from index.chroma_files import DATABASE, check_database, delete_orphan_segments, scrub_database
from index.manifest import DocRecord
from index.records import Chunk, ChunkRecord, Document, committed_fields, date_int, stored_fields


def create_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host,
            port=settings.chroma_port,
            ssl=settings.chroma_ssl,
            headers=auth_headers(settings),
            settings=chroma_settings,
            tenant=settings.chroma_tenant,
            database=settings.chroma_database,
        )
    path = Path(settings.index) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def auth_headers(settings: Settings) -> dict[str, str] | None:
    """The token header for a Chroma server behind token auth, or Chroma Cloud (``X-Chroma-Token``)."""
    if not settings.chroma_token:
        return None
    if settings.chroma_token_header == "Authorization":
        return {"Authorization": f"Bearer {settings.chroma_token}"}
    return {settings.chroma_token_header: settings.chroma_token}


def collection_name(settings: Settings, kind: str) -> str:
    return f"{settings.chroma_prefix}_{kind}"


@dataclass
class StoredChunks:
    """Chunk rows as Chroma holds them (``metadatas``: their raw metadata, decoded by ``ChunkRecord.from_chroma``)."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict]
    embeddings: np.ndarray


@dataclass
class SentenceBatch:
    """Sentences of a document's chunks: ids, owning chunk ids, spans inside the chunk, vectors."""

    ids: list[str]
    chunk_ids: list[str]
    spans: list[tuple[int, int]]
    embeddings: np.ndarray


@dataclass
class PendingDocument:
    """A document with its chunks and vectors, embedded and waiting to be written to Chroma."""

    doc: Document
    chunks: list[Chunk]
    vectors: np.ndarray
    sentences: SentenceBatch | None = None

    def document_row(self) -> tuple:
        """(id, metadata, vector, text) of the document record; its vector is the mean of its chunks'."""
        vectors = self.vectors
        mean = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1] or 1, dtype=np.float32)
        norm = float(np.linalg.norm(mean)) or 1.0
        meta = {
            **stored_fields(self.doc),
            "pages": self.doc.pages,
            "chunks": len(self.chunks),
            "page_spans": ";".join(f"{a}-{b}" for a, b in self.doc.page_spans),
        }
        return self.doc.doc_id, meta, (mean / norm).astype(np.float32), self.doc.text


@dataclass
class _Handle:
    """An open Chroma client and its three collections, with the committed version it is known to reflect."""

    client: object
    chunks: object
    documents: object
    sentences: object
    batch: int
    synced: int | None = None


def _open(settings: Settings) -> _Handle:
    if not settings.chroma_host:
        check_database(settings)
    client = create_client(settings)
    config = {"hnsw": {"space": "cosine"}}

    def collection(kind: str):
        return client.get_or_create_collection(collection_name(settings, kind), configuration=config, embedding_function=None)

    batch = max(1, min(1000, client.get_max_batch_size()))
    return _Handle(client, collection("chunks"), collection("documents"), collection("sentences"), batch)


# Embedded Chroma keeps each collection's vector index in the memory of the process that opened it and does not
# see another process's writes to it (reads of those vectors fail: "Error finding id"); metadata and documents
# are read from SQLite and stay current. One handle per index folder per process, reopened when the index was
# changed by another process (docs/decisions/0008-embedded-multi-process.md).
_embedded: dict[str, _Handle] = {}
_embedded_lock = threading.Lock()


def _forget_shared_system(path: str) -> None:
    """Drop chromadb's per-process cache entry for ``path`` so the next client opens the folder afresh (clients
    still in use by other threads keep working on the old one until they are released)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)


def close_embedded() -> None:
    """Forget this process's embedded Chroma clients: the next store opens its folder cold (benchmarks, tools
    that delete an index folder)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    with _embedded_lock:
        _embedded.clear()
        SharedSystemClient.clear_system_cache()


class ChromaStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._path = None if settings.chroma_host else str(Path(settings.index) / "chroma")
        self._own = _open(settings) if self._path is None else None
        if self._path is not None:
            with _embedded_lock:
                if self._path not in _embedded:
                    _embedded[self._path] = _open(settings)

    @property
    def _handle(self) -> _Handle:
        return self._own or _embedded[self._path]

    @property
    def client(self):
        return self._handle.client

    @property
    def chunks(self):
        return self._handle.chunks

    @property
    def documents(self):
        return self._handle.documents

    @property
    def sentences(self):
        return self._handle.sentences

    @property
    def _batch(self) -> int:
        return self._handle.batch

    def sync(self, version: int, foreign_writes: bool = False) -> bool:
        """Make this process's embedded client reflect the index at committed ``version``: reopen it unless it
        is known to (it has read or written that version, and no other process wrote since). A Chroma server
        needs nothing. Returns whether it reopened."""
        if self._path is None:
            return False
        with _embedded_lock:
            handle = _embedded[self._path]
            if handle.synced == version and not foreign_writes:
                return False
            _forget_shared_system(self._path)
            fresh = _open(self.settings)
            fresh.synced = version
            _embedded[self._path] = fresh
            return True

    def committed(self, version: int) -> None:
        """This process committed ``version`` through its own client (under the writer lock): still in step."""
        if self._path is not None:
            with _embedded_lock:
                handle = _embedded[self._path]
                if handle.synced == version - 1:
                    handle.synced = version

    def write_documents(self, pending: list["PendingDocument"]) -> None:
        """Upsert the documents' sentences, then their chunks, then their document records, in batches across
        documents (all idempotent by id; invisible to readers until a manifest lists them)."""
        sentence_rows = [
            (sid, {"doc_id": p.doc.doc_id, "chunk_id": cid, "start": a, "end": b}, vector)
            for p in pending if p.sentences is not None
            for sid, cid, (a, b), vector in zip(p.sentences.ids, p.sentences.chunk_ids, p.sentences.spans, p.sentences.embeddings)
        ]
        self._upsert(self.sentences, sentence_rows)
        chunk_rows = [
            (c.chunk_id, ChunkRecord.of(p.doc, c).to_chroma(), vector, c.text)
            for p in pending for c, vector in zip(p.chunks, p.vectors)
        ]
        self._upsert(self.chunks, chunk_rows)
        self._upsert(self.documents, [p.document_row() for p in pending])

    def _upsert(self, collection, rows: list[tuple]) -> None:
        for start in range(0, len(rows), self._batch):
            part = rows[start : start + self._batch]
            kwargs = dict(
                ids=[r[0] for r in part],
                metadatas=[r[1] for r in part],
                embeddings=np.asarray([r[2] for r in part], dtype=np.float32),
            )
            if len(part[0]) > 3:
                kwargs["documents"] = [r[3] for r in part]
            collection.upsert(**kwargs)

    def _pages(self, collection, include: list[str]):
        """Every record of a collection, a page at a time (one get of 50k rows exceeds SQLite's variable limit)."""
        step = self._batch * 5
        for offset in range(0, collection.count(), step):
            yield collection.get(include=include, limit=step, offset=offset)

    def stored_doc_ids(self) -> set[str]:
        return {i for page in self._pages(self.documents, []) for i in page["ids"]}

    def delete_documents(self, doc_ids: list[str]) -> None:
        for start in range(0, len(doc_ids), self._batch):
            part = doc_ids[start : start + self._batch]
            self.sentences.delete(where={"doc_id": {"$in": part}})
            self.chunks.delete(where={"doc_id": {"$in": part}})
            self.documents.delete(ids=part)

    def chunk_counts(self) -> Counter:
        """Stored chunk rows per document (one paged read of every chunk's metadata)."""
        return Counter(m["doc_id"] for page in self._pages(self.chunks, ["metadatas"]) for m in page["metadatas"])

    def reconcile_metadata(self, records: dict[str, DocRecord]) -> list[str]:
        """Make the metadata of every stored row agree with the committed manifest (after a writer died between
        committing a correction and applying it to Chroma, or the other way round). Returns the ids of the
        documents whose rows were rewritten."""
        fixed: set[str] = set()
        for collection, with_date_int in ((self.chunks, True), (self.documents, False)):
            ids: list[str] = []
            metas: list[dict] = []
            for page in self._pages(collection, ["metadatas"]):
                for row_id, meta in zip(page["ids"], page["metadatas"]):
                    doc_id = meta.get("doc_id", row_id)  # document records are keyed by their doc_id
                    record = records.get(doc_id)
                    if record is None:
                        continue
                    want = committed_fields(record) if with_date_int else stored_fields(record)
                    if any(meta.get(k) != v for k, v in want.items()):
                        ids.append(row_id)
                        metas.append({**meta, **want})
                        fixed.add(doc_id)
            for start in range(0, len(ids), self._batch):
                collection.update(ids=ids[start : start + self._batch], metadatas=metas[start : start + self._batch])
        return sorted(fixed)

    def scrub(self, live: set[str]) -> bool:
        """Erase what deleted documents leave behind in an embedded store's ``chroma.sqlite3`` (under the writer
        lock; ``live``: the documents the committed manifest lists). Chroma's write-ahead log keeps every upsert
        (full text and metadata) until the vector index is next persisted, and SQLite keeps deleted rows' bytes
        in free pages. Log rows of every other document lose their text and metadata (their vectors stay, so
        the log still replays: each upsert is followed by its delete), the full-text index is merged and the
        file vacuumed. A Chroma server keeps its own storage: nothing to do here. Returns False when the file
        stayed locked by another process (the caller keeps its marker: a later writer or reader tries again)."""
        if self._path is None:
            return True
        try:
            scrub_database(Path(self._path) / DATABASE, live)
        except sqlite3.OperationalError:  # "database is locked": a reader held it for the whole timeout
            return False
        return True

    def drop_orphan_segments(self) -> list[str]:
        """Delete the vector-index folders no segment of ``chroma.sqlite3`` names (left when that database was lost
        and recreated: index/chroma_files.py). Embedded store only; returns the folder names deleted."""
        return [] if self._path is None else delete_orphan_segments(Path(self._path))

    def orphan_doc_ids(self, live: set[str]) -> list[str]:
        """Documents in Chroma that no committed manifest lists (left by a crash or a replacement)."""
        in_docs = self.stored_doc_ids()
        in_chunks = set(self.chunk_counts())
        in_sentences = {m["doc_id"] for page in self._pages(self.sentences, ["metadatas"]) for m in page["metadatas"]}
        return sorted((in_docs | in_chunks | in_sentences) - live)

    def read_sentences(self, doc_ids: list[str]) -> SentenceBatch:
        ids: list[str] = []
        chunk_ids: list[str] = []
        spans: list[tuple[int, int]] = []
        vectors: list[np.ndarray] = []
        for s in range(0, len(doc_ids), 500):
            got = self.sentences.get(where={"doc_id": {"$in": doc_ids[s : s + 500]}}, include=["metadatas", "embeddings"])
            ids += got["ids"]
            chunk_ids += [m["chunk_id"] for m in got["metadatas"]]
            spans += [(int(m["start"]), int(m["end"])) for m in got["metadatas"]]
            if len(got["ids"]):
                vectors.append(np.asarray(got["embeddings"], dtype=np.float32))
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
        return SentenceBatch(ids=ids, chunk_ids=chunk_ids, spans=spans, embeddings=matrix)

    def texts_of(self, doc_ids: list[str]) -> list[str]:
        """Every text embedded for these documents: their chunks' texts and their sentences' (spans of them)."""
        chunks = self.read_chunks(doc_ids, with_embeddings=False)
        by_id = dict(zip(chunks.ids, chunks.texts))
        sentences = [
            by_id[m["chunk_id"]][int(m["start"]) : int(m["end"])]
            for s in range(0, len(doc_ids), 500)
            for m in self.sentences.get(where={"doc_id": {"$in": doc_ids[s : s + 500]}}, include=["metadatas"])["metadatas"]
            if m.get("chunk_id") in by_id
        ]
        return [*chunks.texts, *sentences]

    def read_chunks(self, doc_ids: list[str] | None = None, with_embeddings: bool = True) -> StoredChunks:
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict] = []
        vectors: list[np.ndarray] = []
        if doc_ids is None:
            pages = self._pages(self.chunks, include)
        else:
            pages = (
                self.chunks.get(include=include, where={"doc_id": {"$in": doc_ids[s : s + 500]}})
                for s in range(0, len(doc_ids), 500)
            )
        for got in pages:
            ids += got["ids"]
            texts += got["documents"]
            metas += got["metadatas"]
            if with_embeddings and len(got["ids"]):
                vectors.append(np.asarray(got["embeddings"], dtype=np.float32))
        dim = vectors[0].shape[1] if vectors else 0
        matrix = np.vstack(vectors) if vectors else np.zeros((0, dim), dtype=np.float32)
        return StoredChunks(ids=ids, texts=texts, metadatas=metas, embeddings=matrix)

    def document_text(self, doc_id: str) -> str | None:
        got = self.documents.get(ids=[doc_id], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def update_metadata(self, doc_id: str, fields: dict[str, str | None]) -> None:
        """Apply corrected metadata to a document and all its chunks (no re-embedding)."""
        values = {k: (v or "") for k, v in fields.items()}
        if "date" in fields:
            values["date_int"] = date_int(fields["date"])
        got = self.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])
        if got["ids"]:
            self.chunks.update(ids=got["ids"], metadatas=[{**m, **values} for m in got["metadatas"]])
        doc = self.documents.get(ids=[doc_id], include=["metadatas"])
        if doc["ids"]:
            doc_values = {k: v for k, v in values.items() if k != "date_int"}
            self.documents.update(ids=doc["ids"], metadatas=[{**doc["metadatas"][0], **doc_values}])
