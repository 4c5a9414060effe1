"""Chroma as the system of record for chunks and documents (embedded PersistentClient or a Chroma server).

Three collections in cosine space, always with our own embeddings (names start with ``HOERING_CHROMA_PREFIX``,
default ``hoering``): ``hoering_chunks`` (one record per chunk, with the document's metadata),
``hoering_sentences`` (one vector per sentence of a chunk, for sentence-level matching and quote selection;
see docs/decisions/0005) and ``hoering_documents`` (one record per document: its cleaned full text and
metadata, embedded as the mean of its chunks).
Visibility is decided by the manifest.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import uuid
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.phrases import PhrasedError
from core.settings import Settings
from index.manifest import DocRecord
from index.records import Chunk, ChunkRecord, Document, committed_fields, date_int, stored_fields


DATABASE = "chroma.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreDamagedError(PhrasedError, RuntimeError):
    """The embedded store's ``chroma.sqlite3`` is damaged (not lost): SQLite's own check fails, or Chroma met
    the damage. Carries the phrase ``chroma_damaged`` naming ``hoering repair``, which moves it aside and
    rebuilds the index from the files the manifest lists."""


def store_damaged(settings: Settings, detail: str) -> StoreDamagedError:
    path = Path(settings.index) / "chroma" / DATABASE
    return StoreDamagedError("chroma_damaged", language=settings.language, path=path, index=Path(settings.index),
                             detail=detail)


def header_damage(path: Path) -> str | None:
    """What the first 100 bytes of an SQLite file say is wrong with it, in O(1): not SQLite at all, or shorter
    than the page count its header gives (truncated). None when they look whole (a page damaged in the middle
    needs ``check_database``); a file that is not there is not this function's business (None)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return None
    if size == 0:
        return None  # created, not written yet (Chroma creates the file)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return "not an SQLite database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the header's page count is kept only when these agree
    if valid and pages and size < pages * page_size:
        return f"truncated: {size} of {pages * page_size} bytes"
    return None


_checked: dict[str, tuple[int, int]] = {}  # database → (size, mtime) last found whole by this process


def check_database(settings: Settings) -> None:
    """Raise ``StoreDamagedError`` when the embedded ``chroma.sqlite3`` is damaged, before Chroma opens it:
    Chroma's native core meets a damaged page with "database disk image is malformed", an unrelated error
    ("Failed to pull logs from the log store") or a Rust panic that prints a backtrace from native code and
    may abort the process — none of which can be turned into one line afterwards. SQLite's
    ``PRAGMA quick_check`` (every page, every b-tree: O(size), see the README's figures) on a read-only
    connection; once per process and state of the file. A missing file is not damage (Chroma creates it; the
    manifest then names the documents to rebuild), nor a file locked by a writer for the whole timeout."""
    path = Path(settings.index) / "chroma" / DATABASE
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    state = (st.st_size, st.st_mtime_ns)
    if _checked.get(str(path)) == state:
        return
    damage = header_damage(path)
    if damage:
        raise store_damaged(settings, damage)
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)) as con:
            con.text_factory = bytes  # a damaged page can hold anything: not decoded as text here
            rows = con.execute("PRAGMA quick_check(1)").fetchall()
            if rows == [(b"ok",)]:
                _decode_small_tables(con)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return  # a writer holds it: not damage (the writer checked it)
        raise store_damaged(settings, str(exc)) from exc
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # (SQLite's message itself may not decode)
        raise store_damaged(settings, str(exc)) from exc
    if rows != [(b"ok",)]:
        first = b" ".join(r[0] for r in rows).decode("utf-8", "replace").replace("*** in database main ***", "")
        raise store_damaged(settings, " ".join(first.split())[:120])
    _checked[str(path)] = state


SMALL_TABLES = ("migrations", "tenants", "databases", "collections", "collection_metadata", "segments",
                "segment_metadata")  # what Chroma's native core reads, as text, when it opens the file


def _decode_small_tables(con: sqlite3.Connection) -> None:
    """Every text of the schema and of the small tables Chroma reads at open must be UTF-8 (a flipped byte
    there passes quick_check, and Chroma's core panics on it): sqlite3 raises OperationalError otherwise."""
    con.text_factory = str
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in SMALL_TABLES:
        if table in tables:
            con.execute(f'SELECT * FROM "{table}"').fetchall()


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


def _is_uuid(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False


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
            self._scrub(live)
        except sqlite3.OperationalError:  # "database is locked": a reader held it for the whole timeout
            return False
        return True

    def _scrub(self, live: set[str]) -> None:
        with closing(sqlite3.connect(Path(self._path) / "chroma.sqlite3", timeout=60, isolation_level=None)) as con:
            con.execute("PRAGMA secure_delete = ON")
            rows = con.execute("SELECT seq_id, id FROM embeddings_queue WHERE metadata IS NOT NULL").fetchall()
            # Row ids: "<doc_id>" (document), "<doc_id>:NNNN" (chunk), "<doc_id>:NNNN:sNNN" (sentence).
            seqs = [seq for seq, row_id in rows if row_id.split(":", 1)[0] not in live]
            for start in range(0, len(seqs), 500):
                part = seqs[start : start + 500]
                con.execute(f"UPDATE embeddings_queue SET metadata = NULL WHERE seq_id IN ({','.join('?' * len(part))})", part)
            try:  # drop deleted entries from the full-text index's segments
                con.execute("INSERT INTO embedding_fulltext_search(embedding_fulltext_search) VALUES ('optimize')")
            except sqlite3.DatabaseError:
                pass  # no such table in this Chroma version, or a tokenizer this SQLite lacks: VACUUM still runs
            con.execute("VACUUM")

    def drop_orphan_segments(self) -> list[str]:
        """Delete vector-index folders (``chroma/<segment uuid>/``) that no segment of ``chroma.sqlite3`` names: left
        when that database was lost and recreated; they hold the old vectors (and whatever memory Chroma wrote
        with them). Embedded store only; returns the folder names deleted."""
        if self._path is None:
            return []
        root = Path(self._path)
        with closing(sqlite3.connect(root / "chroma.sqlite3", timeout=60)) as con:
            live = {row[0] for row in con.execute("SELECT id FROM segments")}
        gone = [p for p in root.iterdir() if p.is_dir() and _is_uuid(p.name) and p.name not in live]
        for folder in gone:
            shutil.rmtree(folder, ignore_errors=True)
        return sorted(p.name for p in gone)

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
