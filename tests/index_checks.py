"""Checks of a whole index shared by the tests: manifest, Chroma (every collection) and BM25 agree.

``assert_consistent(settings)`` is the one definition of a consistent index: every document the manifest
lists has exactly its chunk count of rows in Chroma, no row or document belongs to a document the manifest
does not list (no orphans), no chunk is stored twice, and BM25 belongs to the committed manifest version.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from index.index import Index


def chroma_chunks(settings, doc_id: str | None = None) -> dict:
    """Chunk records in Chroma (ids, documents, metadatas), of one document or all."""
    store = Index(settings).store
    kwargs = {"where": {"doc_id": doc_id}} if doc_id else {}
    return store.chunks.get(include=["documents", "metadatas"], **kwargs)


def chroma_doc_ids(settings) -> set[str]:
    return Index(settings).store.stored_doc_ids()


def index_bytes(root: Path) -> bytes:
    """Every byte stored under an index directory (to prove something was never written anywhere)."""
    return b"".join(p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file())


def assert_consistent(settings) -> None:
    """Manifest, Chroma (every collection) and BM25 describe exactly the same documents and chunks."""
    index = Index(settings)
    manifest = index.manifest()
    got = chroma_chunks(settings)
    rows = [(meta["doc_id"], meta["index"]) for meta in got["metadatas"]]
    assert len(set(got["ids"])) == len(got["ids"]), "a chunk id is stored twice"
    assert not [row for row, n in Counter(rows).items() if n > 1], "a (doc_id, index) row is stored twice"
    per_doc = Counter(doc_id for doc_id, _ in rows)
    assert per_doc == {d: r.chunks for d, r in manifest.documents.items() if r.chunks}
    assert chroma_doc_ids(settings) == set(manifest.documents)
    assert manifest.referenced_doc_ids() == set(manifest.documents)
    sentences = getattr(index.store, "sentences", None)  # per-sentence vectors, when the store keeps them
    if sentences is not None:
        assert {m["doc_id"] for m in sentences.get(include=["metadatas"])["metadatas"]} <= set(manifest.documents)
    bm25 = index.load_bm25(manifest.version)
    assert bm25 is not None, "BM25 must belong to the committed manifest version"
    assert sorted(bm25.chunk_ids) == sorted(got["ids"])
