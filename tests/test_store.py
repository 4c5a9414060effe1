"""The Chroma client and collection names chosen from settings (embedded, a server, Chroma Cloud)."""

from __future__ import annotations

from index.store import auth_headers, collection_name, create_client
from tests.conftest import settings_for


def test_token_headers_for_a_server_behind_token_auth_and_for_chroma_cloud(tmp_path):
    assert auth_headers(settings_for(tmp_path)) is None
    bearer = settings_for(tmp_path, chroma_host="chroma.internal", chroma_token="s3cret")
    assert auth_headers(bearer) == {"Authorization": "Bearer s3cret"}
    cloud = settings_for(
        tmp_path, chroma_host="europe-west1.gcp.trychroma.com", chroma_port=443, chroma_ssl=True,
        chroma_token="ck-1", chroma_token_header="X-Chroma-Token",
    )
    assert auth_headers(cloud) == {"X-Chroma-Token": "ck-1"}


def test_collection_names_carry_the_prefix(tmp_path):
    assert collection_name(settings_for(tmp_path), "chunks") == "hoering_chunks"
    assert collection_name(settings_for(tmp_path, chroma_prefix="region_2026"), "manifest") == "region_2026_manifest"


def test_embedded_client_lives_in_the_index_directory(tmp_path):
    create_client(settings_for(tmp_path / "idx"))
    assert (tmp_path / "idx" / "chroma").is_dir()


def test_an_embedded_index_written_by_another_process_is_reopened_before_its_vectors_are_read(tmp_path, embedder):
    """Chroma's embedded client does not see vectors another process wrote after it opened the folder
    (docs/decisions/0008): the store reopens on a foreign commit, and only then."""
    import subprocess

    from index.index import Index
    from ingest.pipeline import ingest
    from index.snapshot import load_snapshot
    from tests.factories import letter
    from tests.processes import hoering_command, python_env

    settings = settings_for(tmp_path / "index")
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text(letter("Ældrerådet i Syddjurs", "Vi ønsker flere pladser til aflastning."), encoding="utf-8")
    ingest([first], settings, embedder=embedder)
    index = Index(settings)
    snapshot = load_snapshot(index)
    assert not index.store.sync(index.version())  # our own commits kept the client in step: no reopen

    second = tmp_path / "second"
    second.mkdir()
    (second / "b.txt").write_text(letter("Handicaprådet i Favrskov", "Vi ønsker bedre kørsel til dagtilbud."), encoding="utf-8")
    done = subprocess.run([*hoering_command(), "ingest", str(second), "--index", str(settings.index), "--json"],
                          env=python_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]

    stale = index.store.chunks.get(include=[])["ids"]  # metadata (SQLite) is current even before a reopen
    assert len(stale) == len(snapshot.ids) + 1
    from_cache = load_snapshot(index, previous=snapshot)  # the other process's writer left the read cache
    assert len(from_cache.ids) == len(snapshot.ids) + 1
    fresh = load_snapshot(index, previous=snapshot, cached=False)  # reads the new document's vectors: reopens first
    assert len(fresh.ids) == len(snapshot.ids) + 1 and fresh.vectors.shape[0] == len(fresh.ids)
    assert not index.store.sync(index.version())  # in step again


def test_whole_collections_are_read_a_page_at_a_time(sample_index, monkeypatch):
    """A single get of every row fails beyond SQLite's variable limit (seen at 50k chunks): scans page."""
    from index.index import Index

    store = Index(sample_index).store
    manifest = Index(sample_index).manifest()
    whole = (store.stored_doc_ids(), store.orphan_doc_ids(set(manifest.documents)))
    monkeypatch.setattr(store._handle, "batch", 1)  # pages of 5 rows
    calls = []
    original = store.chunks.get
    monkeypatch.setattr(store._handle.chunks, "get", lambda **kw: calls.append(kw) or original(**kw))
    assert (store.stored_doc_ids(), store.orphan_doc_ids(set(manifest.documents))) == whole
    assert whole[0] == set(manifest.documents) and whole[1] == []
    assert len(calls) == -(-store.chunks.count() // 5) and all(c["limit"] == 5 for c in calls)


def test_an_index_named_by_a_relative_path_opens(embedder, tmp_path, monkeypatch):
    """`make run` uses the default HOERING_INDEX, data/index: relative. The store's check of its database must
    open it (it once built a file URI of the relative path, and the app stopped at its first question)."""
    from index import chroma_files, store
    from ingest.pipeline import ingest
    from retrieval.search import Searcher
    from tests.factories import letter

    monkeypatch.chdir(tmp_path)
    (tmp_path / "svar.txt").write_text(letter("Faxe Kommune", "Vi ønsker flere busser om aftenen."), encoding="utf-8")
    settings = settings_for(tmp_path.relative_to(tmp_path) / "data" / "index")
    assert not settings.index.is_absolute()
    ingest(["svar.txt"], settings, embedder=embedder)
    chroma_files._checked.clear()  # the check runs once per process and state of the file: make it run here
    store.close_embedded()
    assert Searcher(settings, embedder=embedder).search("busser om aftenen", k=1).passages[0].sender == "Faxe Kommune"
