"""The one place the write sequence of the index lives: lock, manifest, marker, Chroma, commit, clean-up.

Every change to the index — an ingest, a removal, an official's correction — goes through an ``IndexWriter``::

    with IndexWriter(index, embedder, on_progress=notify) as writer:
        writer.add(document, chunks, sentences)      # queued for embedding, written to Chroma in batches
        writer.record_file(key, file_hash, size, doc_ids)
        writer.commit_when_due()
        writer.give_way()                              # between files: another writer waiting goes first
    # on a normal exit: the last commit, then the clean-up; on an exception: nothing more

The durable order (docs/decisions/0002-manifest-commit.md and its addendum): the uncommitted marker is
recorded before the first change to Chroma or a commit that leaves Chroma work to do; the manifest commit
makes a change visible; after it the rows no manifest lists are deleted (and, after a removal, erased from
the store's files), BM25 is brought in step, and only then is the marker cleared. A writer killed anywhere in
between leaves the marker, and the next writer (or reader) finishes the job (``Index.repair``). An exception
inside the ``with`` leaves the last committed version as it is: the lock is released and nothing else runs.
A long ingest gives the lock up between files while another writer waits (``give_way``): it commits and finishes
first, so the lock always changes hands over a whole index (docs/decisions/0008-embedded-multi-process.md).

The texts of the documents added are embedded together across documents by an ``EmbeddingBatcher``
(index/batching.py); batch sizes and the commit rhythm are a ``WriterTuning`` (the product's by default).
"""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from index.batching import EMBED_CHARS, EmbeddingBatcher
from index.embedding import Embedder
from index.embedding_cache import CachedEmbedder
from index.index import Index
from index.manifest import DocRecord, FileRecord, Manifest
from index.records import EDITABLE_FIELDS, Chunk, Document
from index.snapshot import refresh_read_cache
from index.store import PendingDocument
from index.waiting import waiting_notice

Progress = Callable[[str, dict], None]  # ("chunks", {"n", "source"}) per embedded document, ("commit", {"version"})
Timing = Callable[[str, float], None]  # (step, seconds) after each "flush" and "finish"
TURN_SECONDS = 1.0  # an ingest holds the lock at least this long before it gives way to a waiting writer
RECORD_FIELDS = (*EDITABLE_FIELDS, "needs_review")


@dataclass(frozen=True)
class WriterTuning:
    """How a writer batches and commits, with the product's values; a benchmark or an evaluation passes its own
    (``IndexWriter(..., tuning=)``, ``ingest(..., tuning=)``) rather than patching the writer.

    ``batcher`` makes the embedding queue (index/batching.py; eval/engine_variants.py's late chunking is another);
    ``on_timing`` is told how long each ``flush`` and ``finish`` took (bench/ingest_bench.py)."""

    embed_chars: int = EMBED_CHARS  # characters per embedding call, unless the embedder asks for another size
    write_every_rows: int = 4000  # Chroma rows (chunks + sentences) buffered before one batched write
    commit_every_docs: int = 25  # changes per commit (or 2 % of the index, when that is more)
    commit_every_seconds: float = 15.0  # at least this often while there are changes
    batcher: Callable[[Embedder, int], EmbeddingBatcher] = EmbeddingBatcher
    on_timing: Timing | None = None


DEFAULT_TUNING = WriterTuning()  # a writer given no tuning takes this one (looked up when it is made)


def forget_source(record: DocRecord, path: str) -> bool:
    """Drop a file (and attachments inside it) from a document's sources; True when its primary source
    had to move to one of the remaining names (the same content under another file name)."""
    record.sources = [s for s in record.sources if s != path and not s.startswith(path + "#")]
    if record.sources and record.source not in record.sources:
        record.source = record.sources[0]
        return True
    return False


def forget_files(manifest: Manifest, paths: list[str]) -> list[str]:
    """Forget files; returns the ids of documents that stay (under another name) but changed their source."""
    moved = []
    for path in paths:
        del manifest.files[path]
        moved += [doc_id for doc_id, record in manifest.documents.items() if forget_source(record, path)]
    return sorted(set(moved))


def forget_documents(manifest: Manifest, doc_ids: list[str]) -> None:
    """Take single documents out of the files that list them; a file keeps its record (and its byte hash, so an
    unchanged re-ingest neither brings the documents back nor drops the others) while any of its documents
    remain, and is forgotten with its last one. The file remembers the removed documents' own sources, so that a
    new version of it (a bundle downloaded again) does not bring them back either."""
    wanted = set(doc_ids)
    for key, record in list(manifest.files.items()):
        if wanted.isdisjoint(record.doc_ids):
            continue
        gone = [manifest.documents[d] for d in record.doc_ids if d in wanted and d in manifest.documents]
        record.removed = list(dict.fromkeys([*record.removed, *(s for r in gone for s in r.sources
                                                                if s == key or s.startswith(key + "#"))]))
        record.doc_ids = [d for d in record.doc_ids if d not in wanted]
        if not record.doc_ids:
            del manifest.files[key]


class IndexWriter:
    """One writer of the index at a time (the writer lock, held from ``__enter__`` to ``__exit__``; an ingest
    gives it up between files while another writer waits: ``give_way``).

    ``embedder``: given for an ingest — the index's embedding model is checked and recorded, and documents
    whose rows Chroma lost (``missing``) are found so that they are written again when met; the documents added
    are embedded by an ``EmbeddingBatcher`` (index/batching.py) through the index's embedding cache. A removal or
    a correction needs none. ``tuning``: batch sizes, commit rhythm and hooks (``WriterTuning``; the product's
    by default).
    """

    def __init__(self, index: Index, embedder: Embedder | None = None, *, on_progress: Progress | None = None,
                 tuning: WriterTuning | None = None) -> None:
        self.index = index
        self.notify: Progress = on_progress or (lambda kind, info: None)
        self.tuning = tuning or DEFAULT_TUNING
        self._model = embedder
        self.batcher: EmbeddingBatcher | None = None  # made on entry, for an ingest
        self.manifest = Manifest()
        self.leftovers = False  # rows no commit lists may still be in Chroma (never once the lock repaired them)
        self.missing: set[str] = set()  # listed documents whose rows Chroma lost: written again when met
        self.changed = False  # a file or document was added, replaced or forgotten
        self.corrected = False  # a correction was made (complete on its own: nothing left for the exit)
        self.pending = 0  # changes since the last commit (files recorded, documents removed)
        self.chunks_written = 0
        self.removed: list[str] = []  # documents removed with ``forget``
        self.last_commit = time.monotonic()
        self._before: set[str] = set()
        self._unwritten: list[PendingDocument] = []  # embedded, not yet in Chroma (written before any commit)
        self._unwritten_rows = 0
        self._stack = ExitStack()
        self.held_since = time.monotonic()  # when this writer last took the lock
        self.turns = 0  # how often it gave way to another writer (``give_way``)

    # --- the lock ------------------------------------------------------------------------------------------------

    def __enter__(self) -> IndexWriter:
        self._take_lock()
        self._entered_version = self.manifest.version
        if self._model is not None:
            cached = CachedEmbedder(self._model, self.index.embedding_cache)
            self.batcher = self.tuning.batcher(cached, self.tuning.embed_chars)
        return self

    def _take_lock(self) -> None:
        """Take the lock, and the committed manifest as it is now (on entry, and again after giving way)."""
        with ExitStack() as stack:  # the lock is released again when anything below fails
            self.leftovers = stack.enter_context(self.index.writer_lock())
            self.manifest = self.index.manifest()
            self._before = set(self.manifest.documents)
            self.held_since = time.monotonic()
            if self._model is not None:
                self.index.check_model(self.manifest, self._model)
                self.manifest.embedding_model, self.manifest.dim = self._model.name, self._model.dim
                missing = self.index.missing_documents(self.manifest)  # e.g. chroma.sqlite3 deleted
                self.missing.clear()  # (the same set: an ingest's file readers look it up)
                self.missing.update(missing)
                if self.missing:
                    self.index.store.drop_orphan_segments()  # the lost database's vector folders
            self._stack = stack.pop_all()

    def give_way(self) -> bool:
        """Between two files of an ingest: when another writer waits for the lock (a ``docs set``, a ``remove``, an
        upload) and this one has held it for TURN_SECONDS, let it go first. What is done is committed and finished
        (BM25 in step, the marker cleared: the index is whole, as after a complete ingest), the lock is released,
        and taken back once the waiting writers have had their turn; the manifest is then read again, with what
        they changed. Returns whether it gave way (the caller's own reading of the manifest is then stale).
        Killed anywhere in between, the index is as a killed ingest leaves it: whole, and a rerun finishes."""
        if time.monotonic() - self.held_since < TURN_SECONDS:
            return False
        waiting = self.index.writers_waiting()
        if not waiting:
            return False
        if self.pending:
            self.commit()
        self.finish()
        self.removed = []
        self._stack.close()  # the lock is free
        self.index.let_waiting_writers_in(waiting)
        with waiting_notice(None):  # taking it back after its own turn: nothing to tell the user
            self._take_lock()
        self.turns += 1
        return True

    def __exit__(self, exc_type, exc, tb) -> bool:
        """Normal exit: the last commit and the clean-up. An exception: only the lock is released; what was
        written to Chroma since the last commit stays invisible, and the marker makes the next writer delete it."""
        with self._stack:
            if exc_type is None and (self.changed or not self.corrected):
                if self.pending:
                    self.commit()
                self.finish()
            if exc_type is None and self.manifest.version != self._entered_version:  # committed: readers' cache
                refresh_read_cache(self.index)
        return False

    # --- adding documents ----------------------------------------------------------------------------------------

    def listed(self, doc_id: str) -> DocRecord | None:
        """The manifest's record of a document whose rows are in Chroma (None: new, or its rows were lost)."""
        return None if doc_id in self.missing else self.manifest.documents.get(doc_id)

    def sources_of(self, document: Document) -> list[str]:
        """The names a new document is stored under: its own, and, when its lost rows are being rebuilt, the
        other file names the manifest lists for it."""
        lost = self.manifest.documents.get(document.doc_id) if document.doc_id in self.missing else None
        return list(dict.fromkeys([*lost.sources, document.source])) if lost else [document.source]

    def add(
        self,
        document: Document,
        chunks: list[Chunk],
        sentences: list[list[tuple[int, int]]] | None = None,
        sources: list[str] | None = None,
    ) -> int:
        """Queue a document's chunks (and ``sentences``: each chunk's sentence spans, None for no sentence rows)
        for embedding — together with the next documents' texts (``EmbeddingBatcher``), and at the latest before
        its rows are written — and list it in the manifest (visible at the next commit, which writes its rows
        first). Returns its chunk count."""
        if self.batcher is None:
            raise RuntimeError("IndexWriter.add needs an embedder")
        self.missing.discard(document.doc_id)
        self._stage(self.batcher.add(document, chunks, sentences))
        self.manifest.documents[document.doc_id] = DocRecord(
            doc_id=document.doc_id,
            source=document.source,
            sources=sources or [document.source],
            content_hash=document.content_hash,
            pages=document.pages,
            chunks=len(chunks),
            parent_source=document.parent_source,
            **{k: getattr(document, k) for k in RECORD_FIELDS},
        )
        self.changed = True
        self.chunks_written += len(chunks)
        return len(chunks)

    def _stage(self, embedded: list[PendingDocument]) -> None:
        """Documents with their chunk and sentence vectors, buffered for the next write to Chroma."""
        for pending in embedded:
            self._unwritten.append(pending)
            self._unwritten_rows += len(pending.chunks) + len(pending.sentences.ids if pending.sentences else [])
            self.notify("chunks", {"n": len(pending.chunks), "source": pending.doc.source})

    def record_file(self, key: str, file_hash: str, size: int, doc_ids: list[str]) -> None:
        """A file (its name in the index) now holds these documents (added, or listed already). Its old documents
        lose the name (Chroma's copy of a moved primary source follows at once: the marker covers it); one no
        file points to any more leaves the manifest and its rows are deleted after the commit."""
        if self._unwritten_rows >= self.tuning.write_every_rows:
            self.flush()
        record = self.manifest.files.get(key)
        old_ids = set(record.doc_ids if record else []) - set(doc_ids)
        for old in old_ids:
            rec = self.manifest.documents.get(old)
            if rec and forget_source(rec, key):
                self.index.manifests.mark_uncommitted()  # Chroma changes before the commit: a crash is repaired
                self.index.store.update_metadata(old, {"source": rec.source})
        self.manifest.files[key] = FileRecord(file_hash=file_hash, size=size, doc_ids=list(dict.fromkeys(doc_ids)),
                                              removed=record.removed if record else [])
        if old_ids:  # only a changed file can leave documents nobody points to
            self.manifest.drop_unreferenced()
        self.changed = True
        self.pending += 1

    def flush(self) -> None:
        """Embed what waits, and write the buffered documents to Chroma in batches (per-document upserts cost
        ~14 % of an ingest)."""
        with self._timed("flush"):
            if self.batcher is not None:
                self._stage(self.batcher.drain())
            if self._unwritten:
                self.index.manifests.mark_uncommitted()
                self.index.store.write_documents(self._unwritten)
                self._unwritten, self._unwritten_rows = [], 0

    @contextmanager
    def _timed(self, step: str) -> Iterator[None]:
        """Tell ``tuning.on_timing`` how long ``step`` took (also when it failed)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            if self.tuning.on_timing is not None:
                self.tuning.on_timing(step, time.perf_counter() - started)

    # --- removing documents --------------------------------------------------------------------------------------

    def forget(self, paths: list[str], doc_ids: list[str] | None = None) -> list[str]:
        """Forget files (names in the index) and single documents (``doc_ids``: their files keep the others);
        returns the ids of the documents that went (their rows are deleted and erased from the store's files
        after the commit). A document of a forgotten file that stays under another name gets that name as its
        source, in Chroma too."""
        self.flush()  # what was added before comes first
        moved = forget_files(self.manifest, paths)
        forget_documents(self.manifest, doc_ids or [])
        removed = self.manifest.drop_unreferenced()
        if paths or removed:
            self.index.manifests.mark_uncommitted()  # intent first: a crash before the clean-up is repaired
            self.changed = True
        for doc_id in moved:
            if doc_id in self.manifest.documents:
                self.index.store.update_metadata(doc_id, {"source": self.manifest.documents[doc_id].source})
        self.removed += removed
        self.pending += len(paths) + len(removed)  # a forgotten file is a change to commit, also when its document stays
        return removed

    def _forget_vectors(self, gone: list[str]) -> None:
        """The embedding cache's entries of texts that left the index with their documents, unless a remaining
        document still holds them (index/embedding_cache.py)."""
        remaining = self.index.store.read_chunks(sorted(self.manifest.documents), with_embeddings=False).texts
        self.index.embedding_cache.forget_unused(gone, remaining)

    # --- correcting metadata -------------------------------------------------------------------------------------

    def set_metadata(self, doc_id: str, fields: dict[str, str | None]) -> DocRecord:
        """An official's correction of a listed document (``doc_id`` exact, ``fields`` validated): kept in the
        manifest for every later ingest, committed, then Chroma's copy. The manifest is the commit point of a
        correction too: intent recorded, commit, then Chroma. A process killed in between leaves the marker; the
        next writer (or reader) makes Chroma agree, and readers take metadata from the manifest meanwhile
        (index/snapshot.py). Complete when it returns (BM25 carried over, the marker cleared)."""
        index, manifest = self.index, self.manifest
        self.flush()
        record = manifest.documents[doc_id]
        manifest.corrections.setdefault(doc_id, {}).update(fields)
        for source in record.sources:
            manifest.source_corrections.setdefault(source, {}).update(fields)
        checked = {"needs_review": False} if {"sender", "sender_type"} & set(fields) else {}
        manifest.documents[doc_id] = record.model_copy(update={**fields, **checked})
        # Texts do not change: the saved BM25 carries over to the commit (unless this writer changed texts too).
        bm25 = None if self.changed else index.load_bm25(manifest.version)
        index.manifests.mark_uncommitted()
        index.commit(manifest)
        self.pending, self.last_commit = 0, time.monotonic()
        index.store.update_metadata(doc_id, fields)
        if bm25 is not None:
            bm25.version = manifest.version
            bm25.save(index.bm25_path)
        else:
            index.rebuild_bm25(manifest)
        if not self.changed:
            index.manifests.clear_uncommitted()
        self.corrected = True
        return manifest.documents[doc_id]

    # --- committing ----------------------------------------------------------------------------------------------

    def commit_when_due(self) -> None:
        """Commit when it is time: the first change at once (the first letter of a long ingest can be searched
        within seconds), then every 25 changes, or every 2 % of the index when that is more (a commit writes the
        whole manifest), and at least every 15 s while there are changes."""
        every = max(self.tuning.commit_every_docs, len(self.manifest.documents) // 50)
        first = self.manifest.version == self._entered_version
        due = first or self.pending >= every or time.monotonic() - self.last_commit > self.tuning.commit_every_seconds
        if self.pending and due:
            self.commit()

    def commit(self) -> None:
        """Make the manifest as it is now the committed one (the buffered documents are written first: a manifest
        may only list documents that are in Chroma)."""
        self.flush()
        self.index.commit(self.manifest)
        self.pending = 0
        self.last_commit = time.monotonic()
        self.notify("commit", {"version": self.manifest.version})

    def finish(self) -> None:
        """After the last commit: delete what no manifest lists any more, erase it from the store's files (after a
        removal), bring BM25 in step, delete the embedding cache's entries of texts no listed document holds any
        more (those of the documents this writer dropped), and only then clear the marker — a writer killed anywhere before that leaves
        the marker, and the next writer (or reader) finishes the job (``Index.repair``).

        The documents this writer took out of the manifest are deleted exactly, when no dead writer's rows can be
        left over (the writer lock says so). Otherwise the orphan scan reads every stored row (a writer that
        changed nothing skips it — unless an earlier one died between writing to Chroma and committing: its
        marker is still there)."""
        with self._timed("finish"):
            index, manifest = self.index, self.manifest
            dirty = self.changed or index.manifests.has_uncommitted()
            scrubbed = True
            gone_texts: list[str] = []
            if dirty:
                dropped = sorted(self._before - set(manifest.documents))
                gone_texts = index.store.texts_of(dropped) if dropped else []  # read before their rows go
                orphans = index.store.orphan_doc_ids(set(manifest.documents)) if self.leftovers else dropped
                if orphans:
                    index.store.delete_documents(orphans)
                if self.removed:
                    scrubbed = index.store.scrub(set(manifest.documents))  # False: locked by a reader, retried later
            if index.load_bm25(manifest.version) is None:
                index.rebuild_bm25(manifest)
            if gone_texts:
                self._forget_vectors(gone_texts)
            if dirty and scrubbed:
                index.manifests.clear_uncommitted()
