"""Server mode against a real ``chroma run`` server: ingest, search and ask through it behave exactly as with
the embedded store; the manifest lives in the server, so a second process with its own local directory sees
every commit; BM25 is rebuilt from the server's chunks when a process has no matching local copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.index import Index
from index.manifest_store import ChromaManifestStore, ConcurrentCommitError
from ingest.pipeline import ingest
from retrieval.search import Searcher
from tests.conftest import REPO, SAMPLE_DIR, settings_for
from tests.factories import CYCLING_LETTER
from tests.processes import start_chroma_server, stop

pytestmark = pytest.mark.server

QUESTIONS = [
    "Hvad siger kommunerne om ventelister?",
    "What do the employee committees say about recruitment?",
    "Hvad mener Roskilde om besparelserne?",
    "Hvem nævner rekruttering og fastholdelse af personale?",
]
def _chroma_binary() -> str:
    path = Path(sys.executable).parent / "chroma"
    if not path.exists():
        pytest.skip("the chroma command is not installed in this environment")
    return str(path)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real Chroma server on a free loopback port, stopped by its process id afterwards."""
    process, port = start_chroma_server(_chroma_binary(), tmp_path_factory.mktemp("chroma-server"))
    yield {"host": "127.0.0.1", "port": port, "process": process}
    stop(process)
    assert process.poll() is not None


@pytest.fixture(scope="module")
def server_index(chroma_server, sample_index, tmp_path_factory, embedder):
    """The sample corpus ingested through the server (local dir: only caches and the writer lock). It shares
    the embedded sample index's embedding cache, so no text is embedded a second time."""
    settings = settings_for(
        tmp_path_factory.mktemp("server-local") / "index",
        chroma_host=chroma_server["host"], chroma_port=chroma_server["port"], chroma_prefix="sample",
        embedding_cache=sample_index.index / "embeddings.sqlite",
    )
    report = ingest([str(SAMPLE_DIR)], settings, embedder=embedder)
    assert not report.failed and report.to_json()["ingested"] == 5
    return settings


def test_ingest_through_the_server_equals_the_embedded_index(server_index, sample_index, embedder):
    server, embedded = Index(server_index), Index(sample_index)
    assert not (server_index.index / "manifest.json").exists()  # the manifest is in the server
    assert isinstance(server.manifests, ChromaManifestStore)
    a, b = server.manifest(), embedded.manifest()
    assert a.documents == b.documents and a.files == b.files and a.embedding_model == b.embedding_model
    for kind in ("chunks", "sentences", "documents"):
        assert getattr(server.store, kind).count() == getattr(embedded.store, kind).count()
    mine = server.store.read_chunks(sorted(a.documents))
    theirs = embedded.store.read_chunks(sorted(b.documents))
    assert sorted(zip(mine.ids, mine.texts)) == sorted(zip(theirs.ids, theirs.texts))


def test_search_and_answers_are_identical(server_index, sample_index, embedder):
    server = Searcher(server_index, embedder=embedder)
    embedded = Searcher(sample_index, embedder=embedder)
    for question in QUESTIONS:
        got, want = server.search(question, k=5), embedded.search(question, k=5)
        assert [p.chunk_id for p in got.passages] == [p.chunk_id for p in want.passages], question
        assert [p.score for p in got.passages] == pytest.approx([p.score for p in want.passages], abs=1e-5)
        assert got.filters == want.filters


def test_cli_ask_through_the_server_matches_the_embedded_answer(server_index, sample_index):
    def ask(settings) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
        env.update(HOERING_INDEX=str(settings.index), HOERING_CHROMA_PREFIX=settings.chroma_prefix)
        if settings.chroma_host:
            env.update(HOERING_CHROMA_HOST=settings.chroma_host, HOERING_CHROMA_PORT=str(settings.chroma_port))
        done = subprocess.run(
            [sys.executable, "-m", "hoering", "ask", QUESTIONS[0], "--json"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert ask(server_index) == ask(sample_index)


def test_a_second_process_sees_every_commit_and_rebuilds_bm25_from_the_server(
    server_index, chroma_server, embedder, tmp_path
):
    # Another app process on another machine: its own empty local directory, the same server.
    reader_settings = settings_for(
        tmp_path / "reader", chroma_host=chroma_server["host"], chroma_port=chroma_server["port"], chroma_prefix="sample"
    )
    reader = Searcher(reader_settings, embedder=embedder)
    before = reader.snapshot()
    assert len(before.ids) == sum(d.chunks for d in before.manifest.documents.values()) > 0
    assert not (reader_settings.index / "bm25").exists()  # built in memory from the server's chunks

    writer_settings = server_index.model_copy()
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "cykler.txt").write_text(CYCLING_LETTER, encoding="utf-8")
    assert ingest([str(folder)], writer_settings, embedder=embedder).to_json()["ingested"] == 1
    try:
        time.sleep(ChromaManifestStore.STAMP_SECONDS + 0.1)
        after = reader.snapshot()
        assert after.version == before.version + 1
        assert len(after.ids) == sum(d.chunks for d in after.manifest.documents.values())
        hit = reader.search("overdækkede cykelparkeringspladser", k=1).passages[0]
        assert hit.sender == "Cykelforeningen Østjylland"
    finally:
        from ingest.removal import remove

        remove([str(folder / "cykler.txt")], writer_settings)


def test_a_commit_from_a_stale_manifest_is_refused(server_index):
    index = Index(server_index)
    stale = index.manifest()
    fresh = index.manifest()
    index.commit(fresh)  # someone else committed meanwhile
    with pytest.raises(ConcurrentCommitError):
        index.commit(stale)
    assert index.manifest().documents == fresh.documents


def test_reingest_through_the_server_is_a_no_op_and_leaves_no_orphans(server_index, embedder):
    data = ingest([str(SAMPLE_DIR)], server_index, embedder=embedder).to_json()
    assert (data["ingested"], data["unchanged"], data["chunks"]) == (0, 5, 0)
    index = Index(server_index)
    assert not index.manifests.has_uncommitted()
    assert index.store.orphan_doc_ids(set(index.manifest().documents)) == []


def test_leftovers_of_a_dead_writer_are_cleaned_through_the_server(chroma_server, embedder, tmp_path):
    settings = settings_for(
        tmp_path / "local", chroma_host=chroma_server["host"], chroma_port=chroma_server["port"], chroma_prefix="dead"
    )
    folder = tmp_path / "svar"
    folder.mkdir()
    shutil.copy(SAMPLE_DIR / "000_9e96320e20098c47.txt", folder)
    ingest([str(folder)], settings, embedder=embedder)
    index = Index(settings)
    # What a writer leaves when it dies between its Chroma writes and its commit:
    index.store.chunks.upsert(ids=["dead:0"], documents=["x"], metadatas=[{"doc_id": "dead"}], embeddings=[[0.1] * 384])
    index.manifests.mark_uncommitted()
    ingest([str(folder)], settings, embedder=embedder)  # nothing to do, but the marker says: clean up
    assert index.store.chunks.get(ids=["dead:0"])["ids"] == []
    assert not index.manifests.has_uncommitted()


def test_the_app_answers_through_the_server(server_index, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, TIMEOUT, _ask, _last_answer, _no_exception, _reset_caches

    for name in list(os.environ):
        if name.startswith("HOERING_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "app-local"  # this app process's own local directory: nothing of the index is in it
    for name, value in {
        "INDEX": local, "UPLOADS": tmp_path / "uploads", "FEEDBACK": tmp_path / "feedback.jsonl",
        "CHROMA_HOST": server_index.chroma_host, "CHROMA_PORT": server_index.chroma_port,
        "CHROMA_PREFIX": server_index.chroma_prefix, "EMBEDDING_CACHE": server_index.embedding_cache,
    }.items():
        monkeypatch.setenv(f"HOERING_{name}", str(value))
    _reset_caches()
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        _no_exception(at)
        answer = _last_answer(_ask(at, QUESTIONS[0]))
        assert answer.grounded and answer.citations and all(c.verified for c in answer.citations)
        assert any(c.sender.startswith("Hedensted Kommune") for c in answer.citations)
        assert not (local / "manifest.json").exists()
    finally:
        _reset_caches()
