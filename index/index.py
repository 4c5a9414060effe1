"""The index as one object: manifest (commit point), Chroma store, BM25, embedding cache and writer lock; and
where its readers keep what they write beside it (``IndexPaths``: theme edits, kept reports, the LLM cache)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from filelock import FileLock, Timeout

from core.phrases import PhrasedError
from core.settings import Settings
from index import waiting
from index.bm25 import BM25Index
from index.embedding import Embedder
from index.embedding_cache import EmbeddingCache
from index.llm_cache import LLMCache
from index.manifest import Manifest
from index.manifest_store import ChromaManifestStore, FileManifestStore
from index.store import ChromaStore, collection_name


class ModelMismatchError(PhrasedError, RuntimeError):
    """An index built with another embedding model: the phrase ``model_mismatch`` and its parameters."""


class IndexDamagedError(PhrasedError, RuntimeError):
    """The committed manifest lists documents whose rows are not in Chroma (not a concurrent commit: the
    manifest did not change meanwhile). The next ``hoering ingest`` of their files rebuilds them. Carries the
    phrase ``missing_rows`` and its parameters; ``doc_ids`` names the documents."""

    def __init__(self, code: str = "missing_rows", *, language: str | None = None, doc_ids: list[str] | None = None,
                 **params: object) -> None:
        super().__init__(code, language=language, doc_ids=list(doc_ids or []), **params)
        self.doc_ids: list[str] = self.params["doc_ids"]


@dataclass(frozen=True)
class IndexPaths:
    """What the readers of an index keep in its folder (never the index itself): the officials' theme edits, the
    hearing reports kept for the next process, and the cache of language-model outputs."""

    root: Path

    @property
    def themes(self) -> Path:
        """The officials' edits of the suggested themes (answering/themes.py ``ThemeEdits``)."""
        return self.root / "themes.json"

    @property
    def reports(self) -> Path:
        """The folder of hearing reports kept for the next process (answering/hearing_report.py)."""
        return self.root / "reports"

    def llm_cache(self) -> LLMCache:
        """The cache of language-model outputs beside the index (index/llm_cache.py)."""
        return LLMCache.in_index(self.root)


class Index:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = Path(settings.index)
        self.root.mkdir(parents=True, exist_ok=True)
        self.manifest_path = self.root / "manifest.json"
        self.bm25_path = self.root / "bm25"
        self.paths = IndexPaths(self.root)

    @cached_property
    def store(self) -> ChromaStore:
        return ChromaStore(self.settings)

    @cached_property
    def manifests(self) -> FileManifestStore | ChromaManifestStore:
        """The committed manifest: beside an embedded index, in the server when several processes share it."""
        if self.settings.chroma_host:
            return ChromaManifestStore(self.store.client, collection_name(self.settings, "manifest"))
        return FileManifestStore(self.root)

    @cached_property
    def embedding_cache(self) -> EmbeddingCache:
        return EmbeddingCache(Path(self.settings.embedding_cache or self.root / "embeddings.sqlite"))

    @contextmanager
    def writer_lock(self, timeout: float = -1) -> Iterator[bool]:
        """Held by a removal or a metadata edit from start to end, by an ingest between the turns it gives to other
        writers (``index.writer.IndexWriter`` takes it): one writer at a time. A writer that has to wait says so at
        once and is listed as waiting until it has the lock (index/waiting.py). On entry the Chroma client is brought
        in step with what other processes wrote, and what a dead writer left half done (its marker is still there)
        is finished first (``repair``). Yields whether rows no commit lists may still be in Chroma (False once
        repaired)."""
        lock = FileLock(str(self.root / ".writer.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if timeout == 0:
                raise
            with waiting.waiting(self.root):  # told to the user, seen by the writer that holds the lock
                lock.acquire(timeout=timeout)
        try:
            leftovers = self.manifests.has_uncommitted()
            self.store.sync(self.version(), foreign_writes=leftovers)
            if leftovers:
                self.repair()
            yield False
        finally:
            lock.release()

    def writers_waiting(self) -> set[str]:
        """The writers waiting for the lock now (index/waiting.py)."""
        return waiting.writers_waiting(self.root)

    def let_waiting_writers_in(self, writers: set[str]) -> None:
        """After releasing the lock: wait (a few seconds at most) until these waiting writers have taken it."""
        waiting.let_in(self.root, writers)

    def repair(self) -> list[str]:
        """Finish what a writer killed between its Chroma writes and its ``IndexWriter.finish()`` left (under the
        writer lock; its marker was recorded before its first change): delete the rows of every document the
        committed manifest does not list (a removal's, a replaced file's, an uncommitted ingest's) and erase their text
        from the embedded store's files; make every row's metadata what the manifest says (a correction);
        bring BM25 in step; then clear the marker. Returns the deleted documents' ids."""
        manifest = self.manifest()
        orphans = self.store.orphan_doc_ids(set(manifest.documents))
        if orphans:
            self.store.delete_documents(orphans)
        scrubbed = self.store.scrub(set(manifest.documents))  # also when rows were deleted but not yet erased
        self.store.reconcile_metadata(manifest.documents)
        if self.load_bm25(manifest.version) is None:
            self.rebuild_bm25(manifest)
        if scrubbed:
            self.manifests.clear_uncommitted()
        return orphans

    def repair_if_idle(self) -> bool:
        """For readers of an embedded index: when a writer died leaving its marker and no writer runs now, repair
        (a killed ``remove`` must not leave a removed letter stored until someone ingests again). Never waits
        and never fails a read: another writer, a read-only folder or a Chroma server means nothing is done.
        With a Chroma server the lock does not span hosts, so only writers repair there."""
        if self.settings.chroma_host or not self.manifests.has_uncommitted():
            return False
        try:
            with self.writer_lock(timeout=0):
                return True
        except (Timeout, OSError):
            return False

    def missing_documents(self, manifest: Manifest) -> list[str]:
        """Documents the manifest lists whose rows are not (all) in Chroma, e.g. after ``chroma.sqlite3`` was
        lost. Two counts decide that nothing is missing; only otherwise is every chunk's metadata read."""
        expected = sum(record.chunks for record in manifest.documents.values())
        store = self.store
        if store.chunks.count() == expected and store.documents.count() == len(manifest.documents):
            return []
        counts = store.chunk_counts()
        stored = store.stored_doc_ids()
        return sorted(d for d, r in manifest.documents.items() if counts.get(d, 0) < r.chunks or d not in stored)

    def damaged(self, manifest: Manifest, doc_ids: list[str]) -> IndexDamagedError:
        """The error for a manifest pointing at missing rows, naming exactly what to run."""
        sources = {s.split("#", 1)[0] for d in doc_ids for s in manifest.documents[d].sources}
        folders = sorted({os.path.dirname(s) or "." for s in sources})
        if len(folders) > 3:
            folders = [os.path.commonpath(folders) or os.sep]
        command = " ".join(["hoering", "ingest", *(shlex.quote(f) for f in folders), "--index", shlex.quote(str(self.root))])
        return IndexDamagedError("missing_rows", language=self.settings.language, doc_ids=doc_ids, index=self.root,
                                 missing=len(doc_ids), total=len(manifest.documents), command=command)

    def document_text(self, doc_id: str) -> str:
        """A letter's cleaned text exactly as stored ("" for an id the index does not hold). A document's id
        hashes its text, so this text is the same in every snapshot that holds the id."""
        return self.store.document_text(doc_id) or ""

    def manifest(self) -> Manifest:
        return self.manifests.load()

    def version(self) -> int:
        return self.manifests.version()

    def commit(self, manifest: Manifest) -> None:
        """Make a manifest the committed one (atomic): the commit point of every change to the index."""
        self.manifests.commit(manifest)
        self.store.committed(manifest.version)

    def check_model(self, manifest: Manifest, embedder: Embedder) -> None:
        """Refuse to mix vectors of two embedding models in one index."""
        if manifest.embedding_model and manifest.embedding_model != embedder.name:
            raise ModelMismatchError("model_mismatch", language=self.settings.language, index=self.root,
                                     stored=manifest.embedding_model, configured=embedder.name)

    def rebuild_bm25(self, manifest: Manifest) -> BM25Index:
        stored = self.store.read_chunks(sorted(manifest.documents), with_embeddings=False)
        order = sorted(range(len(stored.ids)), key=stored.ids.__getitem__)  # the snapshot's row order
        bm25 = BM25Index.build([stored.ids[i] for i in order], [stored.texts[i] for i in order], manifest.version)
        bm25.save(self.bm25_path)
        return bm25

    def load_bm25(self, version: int) -> BM25Index | None:
        bm25 = BM25Index.load(self.bm25_path)
        return bm25 if bm25 is not None and bm25.version == version else None
