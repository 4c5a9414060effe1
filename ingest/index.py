"""The index as one object: manifest (commit point), Chroma store, BM25, embedding cache and writer lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from filelock import FileLock

from hoering.i18n import message
from hoering.settings import Settings
from ingest.bm25_index import BM25Index
from ingest.embedding import Embedder
from ingest.embedding_cache import EmbeddingCache
from ingest.manifest import Manifest
from ingest.manifest_store import ChromaManifestStore, FileManifestStore
from ingest.store import ChromaStore, collection_name


class ModelMismatchError(RuntimeError):
    pass


class Index:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = Path(settings.index)
        self.root.mkdir(parents=True, exist_ok=True)
        self.manifest_path = self.root / "manifest.json"
        self.bm25_path = self.root / "bm25"

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
        """Held for the whole of an ingest or a metadata edit: one writer at a time. On entry the Chroma client
        is brought in step with what other processes wrote (their commits, or a dead writer's leftovers); yields
        whether such leftovers (rows written but never committed) may be in Chroma."""
        with FileLock(str(self.root / ".writer.lock"), timeout=timeout):
            leftovers = self.manifests.has_uncommitted()
            self.store.sync(self.version(), foreign_writes=leftovers)
            yield leftovers

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
            raise ModelMismatchError(
                message(
                    "model_mismatch",
                    self.settings.language,
                    index=self.root,
                    stored=manifest.embedding_model,
                    configured=embedder.name,
                )
            )

    def rebuild_bm25(self, manifest: Manifest) -> BM25Index:
        stored = self.store.read_chunks(sorted(manifest.documents), with_embeddings=False)
        order = sorted(range(len(stored.ids)), key=stored.ids.__getitem__)  # the snapshot's row order
        bm25 = BM25Index.build([stored.ids[i] for i in order], [stored.texts[i] for i in order], manifest.version)
        bm25.save(self.bm25_path)
        return bm25

    def load_bm25(self, version: int) -> BM25Index | None:
        bm25 = BM25Index.load(self.bm25_path)
        return bm25 if bm25 is not None and bm25.version == version else None
