"""Typed chunk records (index/records.py): ``ChunkRecord.to_chroma`` and ``from_chroma`` are exact inverses, and
the Chroma encoding is the one every existing index was written with (same keys, comma-joined pages, "" for
None, ``date_int``, ``ocr`` only when true)."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

from core.senders import SENDER_TYPES, SenderType
from index.index import Index
from index.manifest import DocRecord
from index.records import (
    EDITABLE_FIELDS, METADATA_FIELDS, Chunk, ChunkRecord, Document, DocumentFields, DocumentMetadata, Passage,
    committed_fields,
)
from index.snapshot import load_snapshot
from index.store import ChromaStore, PendingDocument
from tests.conftest import settings_for

PLAIN = ChunkRecord(doc_id="0123456789abcdef", index=0, start=0, end=812, page=1, pages=(1,), source="a.pdf",
                    sender="Hedensted Kommune", sender_type="kommune")
FULL = ChunkRecord(doc_id="0123456789abcdef", index=7, start=4100, end=4950, page=2, pages=(2, 3), page_breaks=(377,),
                   ocr=True, source="mappe/b.pdf", sender="OMU Social, Roskilde Kommune", sender_type="med_udvalg",
                   municipality="Roskilde", date="2023-09-11", hearing="Budget 2025", title="Høringssvar")


@pytest.mark.parametrize("record", [
    PLAIN,
    FULL,
    ChunkRecord(doc_id="x"),  # every default
    ChunkRecord(doc_id="x", pages=(4, 5, 6), page=4, page_breaks=(100, 250)),  # a chunk over three pages
    ChunkRecord(doc_id="x", ocr=True, date="2024-01-02"),
    ChunkRecord(doc_id="x", sender="", sender_type="ukendt", hearing="Høring", title=None),
], ids=["plain", "full", "defaults", "three-pages", "ocr", "some-optional"])
def test_from_chroma_inverts_to_chroma(record):
    assert ChunkRecord.from_chroma(record.to_chroma()) == record
    meta = record.to_chroma()
    assert ChunkRecord.from_chroma(meta).to_chroma() == meta


def test_the_chroma_encoding_is_the_one_existing_indexes_hold():
    assert FULL.to_chroma() == {
        "sender": "OMU Social, Roskilde Kommune", "sender_type": "med_udvalg", "municipality": "Roskilde",
        "date": "2023-09-11", "hearing": "Budget 2025", "title": "Høringssvar", "source": "mappe/b.pdf",
        "doc_id": "0123456789abcdef", "index": 7, "start": 4100, "end": 4950, "page": 2, "pages": "2,3",
        "page_breaks": "377", "date_int": 20230911, "ocr": True,
    }
    plain = PLAIN.to_chroma()
    assert plain == {
        "sender": "Hedensted Kommune", "sender_type": "kommune", "municipality": "", "date": "", "hearing": "",
        "title": "", "source": "a.pdf", "doc_id": "0123456789abcdef", "index": 0, "start": 0, "end": 812, "page": 1,
        "pages": "1", "page_breaks": "", "date_int": 0,
    }
    assert "ocr" not in plain  # written only when true
    assert list(FULL.to_chroma()) == [*METADATA_FIELDS, "doc_id", "index", "start", "end", "page", "pages",
                                      "page_breaks", "date_int", "ocr"]  # the key order of every existing row


def test_a_row_missing_keys_reads_with_the_defaults_readers_always_used():
    record = ChunkRecord.from_chroma({"doc_id": "deadbeef", "index": 0, "start": 0, "end": 13, "page": 1, "pages": "1"})
    assert record == ChunkRecord(doc_id="deadbeef", end=13)
    assert (record.sender, record.sender_type, record.municipality, record.ocr) == ("", "ukendt", None, False)


def test_the_committed_fields_are_what_every_chunk_row_of_the_document_carries():
    record = DocRecord(doc_id="d", source="f.txt", content_hash="h", pages=1, chunks=1, sender="Faxe Kommune",
                       sender_type="kommune", date="2023-09-14")
    fields = committed_fields(record)
    row = ChunkRecord(doc_id="d", source="f.txt", sender="Faxe Kommune", sender_type="kommune", date="2023-09-14").to_chroma()
    assert fields == {k: row[k] for k in fields}
    assert list(fields) == [*METADATA_FIELDS, "date_int"]
    assert fields["date_int"] == 20230914 and fields["municipality"] == "" and fields["title"] == ""


def test_one_field_list_and_one_sender_type_vocabulary():
    assert EDITABLE_FIELDS == ("sender", "sender_type", "municipality", "date", "hearing", "title")
    assert METADATA_FIELDS == (*EDITABLE_FIELDS, "source")
    assert SENDER_TYPES == get_args(SenderType)
    for model in (DocumentMetadata, Passage):
        assert model.model_fields["sender_type"].annotation == SenderType


def test_the_documents_fields_are_declared_once():
    """DocumentFields is the one declaration: the records that carry a document's fields derive from it, the
    editable fields are its fields, and the chunk row (a plain dataclass) holds the same fields with its defaults;
    the records of the read side type the sender type as the vocabulary, never a plain string."""
    from answering.casefile import LetterEntry
    from answering.schema import Citation
    from answering.themes import ThemeSender
    from retrieval.library import DocumentSummary
    from retrieval.schema import Verdict

    assert EDITABLE_FIELDS == tuple(DocumentFields.model_fields)
    for model in (DocumentMetadata, Document, DocRecord, Passage, DocumentSummary):
        assert issubclass(model, DocumentFields), model
    defaults = {name: field.default for name, field in DocumentFields.model_fields.items()}
    assert {name: getattr(ChunkRecord("x"), name) for name in defaults} == defaults
    for model in (Verdict, Citation, LetterEntry, ThemeSender):
        assert model.model_fields["sender_type"].annotation == SenderType, model


def _document() -> tuple[Document, list[Chunk]]:
    text = "Første side om ventelister.\nAnden side, læst med OCR.\nTredje side."
    spans = [(0, 28), (28, 54), (54, len(text))]
    doc = Document(doc_id="feedfacefeedface", source="scan.pdf", content_hash="h", pages=3, text=text, page_spans=spans,
                   ocr_pages=[2], sender="Ældrerådet i Syddjurs", sender_type="organisation", municipality="Syddjurs",
                   date="2023-09-12", hearing=None, title="Svar")
    chunks = [
        Chunk(chunk_id="feedfacefeedface:0000", doc_id=doc.doc_id, index=0, text=text[:28], start=0, end=28, pages=[1]),
        Chunk(chunk_id="feedfacefeedface:0001", doc_id=doc.doc_id, index=1, text=text[10:], start=10, end=len(text),
              pages=[1, 2, 3], page_breaks=[18, 44]),
    ]
    return doc, chunks


def test_a_row_written_by_the_store_reads_back_as_the_same_record(tmp_path):
    doc, chunks = _document()
    store = ChromaStore(settings_for(tmp_path / "index"))
    vectors = np.random.default_rng(0).normal(size=(len(chunks), 8)).astype(np.float32)
    store.write_documents([PendingDocument(doc, chunks, vectors)])
    stored = store.read_chunks([doc.doc_id], with_embeddings=False)
    read = dict(zip(stored.ids, stored.metadatas))
    for chunk in chunks:
        expected = ChunkRecord.of(doc, chunk)
        assert ChunkRecord.from_chroma(read[chunk.chunk_id]) == expected
        assert read[chunk.chunk_id] == expected.to_chroma()  # nothing added, dropped or re-typed by Chroma
    first, second = (ChunkRecord.from_chroma(read[c.chunk_id]) for c in chunks)
    assert (first.pages, first.ocr, first.hearing) == ((1,), False, None)  # page 1 was text, not OCR
    assert (second.pages, second.page_breaks, second.ocr) == ((1, 2, 3), (18, 44), True)


def test_every_row_of_the_sample_index_round_trips_and_the_snapshot_holds_its_records(sample_index):
    index = Index(sample_index)
    stored = index.store.read_chunks(with_embeddings=False)
    assert stored.ids
    for meta in stored.metadatas:
        assert ChunkRecord.from_chroma(meta).to_chroma() == meta
    snap = load_snapshot(index)
    by_id = dict(zip(stored.ids, stored.metadatas))
    for row, chunk_id in enumerate(snap.ids):
        record = snap.records[row]
        assert record == ChunkRecord.from_chroma(by_id[chunk_id])  # Chroma agrees with the manifest here
        passage = snap.passage(row, score=0.5, rank=3)
        assert (passage.chunk_id, passage.doc_id, passage.sender, passage.sender_type, passage.page, passage.pages,
                passage.start, passage.end, passage.ocr) == (
            chunk_id, record.doc_id, record.sender, record.sender_type, record.page, list(record.pages),
            record.start, record.end, record.ocr)
        assert passage.text == snap.texts[row] and (passage.score, passage.rank, passage.bm25) == (0.5, 3, 0.0)
        assert snap._columns["municipality"][row] == (record.municipality or "")  # the snapshot's own column
