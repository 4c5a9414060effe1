"""Snapshots: a reload after a commit reads only the documents it does not hold yet, and equals a full load."""

from __future__ import annotations

import shutil

import numpy as np

from ingest.corrections import set_metadata
from index.index import Index
from ingest.pipeline import ingest
from ingest.removal import remove
from index.snapshot import load_snapshot
from tests.factories import CYCLING_LETTER


def _same(a, b) -> None:
    assert a.version == b.version and a.ids == b.ids and a.texts == b.texts and a.records == b.records
    assert np.allclose(a.vectors, b.vectors)
    order_a = np.lexsort((a.sentence_spans[:, 0], a.sentence_rows))
    order_b = np.lexsort((b.sentence_spans[:, 0], b.sentence_rows))
    assert np.array_equal(a.sentence_rows[order_a], b.sentence_rows[order_b])
    assert np.array_equal(a.sentence_spans[order_a], b.sentence_spans[order_b])
    assert np.allclose(a.sentence_vectors[order_a], b.sentence_vectors[order_b])
    assert a.bm25.chunk_ids == b.bm25.chunk_ids and a.sentences_are_chunks == b.sentences_are_chunks


def test_a_reload_reads_only_new_or_changed_documents_and_equals_a_full_load(sample_index, make_settings, embedder, tmp_path, monkeypatch):
    settings = make_settings("copy")
    shutil.copytree(sample_index.index, settings.index)
    index = Index(settings)
    before = load_snapshot(index)

    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "cykler.txt").write_text(CYCLING_LETTER, encoding="utf-8")
    ingest([str(folder)], settings, embedder=embedder)  # one new document
    manifest = index.manifest()
    gone, corrected = sorted(d for d in manifest.documents if d in before.manifest.documents)[:2]
    remove([gone], settings)  # one removed
    set_metadata(index, corrected, {"sender": "Rettet afsender"})  # one corrected (its chunks' metadata changed)

    asked: list[str] = []
    read_chunks = index.store.read_chunks
    monkeypatch.setattr(index.store, "read_chunks", lambda doc_ids=None, **kw: (asked.extend(doc_ids or []), read_chunks(doc_ids, **kw))[1])
    reloaded = load_snapshot(index, previous=before, cached=False)  # from Chroma: only what `before` lacks
    new_id = next(d for d in index.manifest().documents if d not in before.manifest.documents)
    assert sorted(asked) == sorted([new_id, corrected])
    asked.clear()
    from_cache = load_snapshot(index, previous=before)  # the read cache the writer left: nothing from Chroma
    assert asked == [] and type(from_cache.records).__name__ == "CachedRecords"
    monkeypatch.undo()
    _same(reloaded, load_snapshot(index, cached=False))
    _same(from_cache, reloaded)
    assert {r.sender for r in reloaded.records if r.doc_id == corrected} == {"Rettet afsender"}
    assert gone not in set(reloaded.doc_ids_of(np.arange(len(reloaded.ids))))


def test_a_scope_is_computed_once_and_cannot_be_changed_by_a_caller(sample_index):
    from index.records import Filters

    snap = load_snapshot(Index(sample_index))
    first = snap.mask(Filters(sender_type="kommune"))
    assert snap.mask(Filters(sender_type="kommune", inferred=["sender_type"])) is first  # same scope, same rows
    assert not first.flags.writeable
    expected = np.array([t == "kommune" for t in snap._columns["sender_type"]])
    assert np.array_equal(first, expected)
    docs = snap.doc_ids_in_scope(Filters(sender_type="kommune"))
    docs.append("mutated by a caller")
    assert snap.doc_ids_in_scope(Filters(sender_type="kommune")) == list(dict.fromkeys(snap.doc_ids_of(expected)))


def test_readers_ask_by_document_and_agree_with_the_rows(sample_index):
    """doc_id_of, doc_ids_of, rows_by_document and rows_of: what readers outside index/ use instead of the columns."""
    for snap in (load_snapshot(Index(sample_index)), load_snapshot(Index(sample_index), cached=False)):
        rows = np.arange(len(snap.ids))
        docs = [snap.passage(r).doc_id for r in rows]
        assert [snap.doc_id_of(r) for r in rows] == docs and list(snap.doc_ids_of(rows)) == docs
        some = rows[::-2]  # any rows, in any order: grouped in order of their first row, each in the given order
        grouped = snap.rows_by_document(some)
        assert list(grouped) == list(dict.fromkeys(docs[r] for r in some))
        assert all(list(mine) == [r for r in some if docs[r] == doc] for doc, mine in grouped.items())
        for doc in snap.manifest.documents:
            assert sorted(snap.rows_of(doc).tolist()) == [r for r in rows if docs[r] == doc]
