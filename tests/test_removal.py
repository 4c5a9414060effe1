"""ingest.removal end to end: letters removed by a doc id prefix or by their file's path, from real files in a real
index (Chroma, BM25, manifest); a copy of a removed letter in another file stays. (Resolving targets:
tests/test_cli_hardening.py; the removal plan and a bundle's members: tests/test_identity.py.)"""

from __future__ import annotations

from index.index import Index
from ingest.pipeline import ingest
from ingest.removal import remove
from tests.index_checks import assert_consistent, chroma_chunks
from tests.test_pipeline import LETTERS, write_letters


def test_remove_by_doc_id_prefix_and_by_path(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar")
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    manifest = Index(settings).manifest()
    faxe_id = manifest.files[str(folder / "faxe.txt")].doc_ids[0]
    vejle_id = manifest.files[str(folder / "vejle.txt")].doc_ids[0]
    assert remove([faxe_id[:8]], settings) == [faxe_id]
    assert remove([str(folder / "vejle.txt")], settings) == [vejle_id]
    assert remove(["ingen-sådan"], settings) == []
    manifest = Index(settings).manifest()
    assert set(manifest.documents) == set(manifest.referenced_doc_ids()) and len(manifest.documents) == 1
    assert chroma_chunks(settings, faxe_id)["ids"] == [] and chroma_chunks(settings, vejle_id)["ids"] == []
    assert_consistent(settings)
    # a removed file comes back on the next ingest
    assert ingest([folder], settings, embedder=embedder).to_json()["ingested"] == 2


def test_removing_one_of_two_files_with_the_same_text_keeps_the_other(embedder, make_settings, tmp_path):
    folder = write_letters(tmp_path / "svar", {"a.txt": LETTERS["faxe.txt"], "b.txt": LETTERS["faxe.txt"]})
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    manifest = Index(settings).manifest()
    [a_id], [b_id] = manifest.files[str(folder / "a.txt")].doc_ids, manifest.files[str(folder / "b.txt")].doc_ids
    assert remove([str(folder / "a.txt")], settings) == [a_id]
    kept = Index(settings).manifest().documents[b_id]
    assert kept.sources == [str(folder / "b.txt")] and kept.source == str(folder / "b.txt")
    assert {m["source"] for m in chroma_chunks(settings, b_id)["metadatas"]} == {kept.source}
    assert_consistent(settings)
