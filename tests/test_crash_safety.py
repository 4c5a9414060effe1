"""Crash safety of ingest (docs/decisions/0002): a real ``hoering ingest`` process killed with SIGKILL partway.

The child commits every few documents (a wrapper lowers the writer's commit_every_docs; nothing else differs from
``python -m hoering ingest``) and is killed just after a commit, while it writes the next document to
Chroma. The committed index it leaves must be whole; re-running the same ingest must finish the job with
no document lost, none duplicated, no orphan rows; and a file being replaced must be visible wholly in
its old or wholly in its new version, never a mix.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from index.index import Index
from index.manifest_store import UNCOMMITTED_MARKER
from ingest.pipeline import ingest
from index.snapshot import load_snapshot
from tests.conftest import settings_for
from tests.factories import letter
from tests.index_checks import assert_consistent
from tests.processes import python_env, stop

LETTERS = 30
COMMIT_EVERY = 5
# Small chunks: every letter is several chunks, so a half-written document would show.
CHUNKING = {"chunk_size": 200, "chunk_overlap": 20}
CHILD = """
import sys
import index.writer
index.writer.DEFAULT_TUNING = index.writer.WriterTuning(commit_every_docs=int(sys.argv.pop(1)))  # commit often, so the kill lands between commits
from hoering.cli import main
main()
"""
TOWNS = ["Grenaa", "Ebeltoft", "Rønde", "Hornslet", "Ryomgård", "Kolind", "Auning", "Ørsted", "Allingåbro", "Glesborg"]


def write_letters(folder: Path, version: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(LETTERS):
        town = TOWNS[n % len(TOWNS)]
        body = (
            f"Borgerforeningen i {town} (svar nummer {n}, udgave {version}) har læst planen for de sociale tilbud. "
            f"I udgave {version} af vores svar ønsker vi, at tilbuddet i {town} bevares, og at ventetiden bliver kortere. "
            f"Vi foreslår desuden flere pladser til aflastning og bedre kørsel for de ældre i {town}, udgave {version}."
        )
        (folder / f"svar_{n:02d}.txt").write_text(letter(f"Borgerforeningen i {town}", body), encoding="utf-8")
    return folder


def start_ingest(folder: Path, index: Path, tmp_path: Path) -> subprocess.Popen:
    env = python_env(HOERING_CHUNK_SIZE=str(CHUNKING["chunk_size"]), HOERING_CHUNK_OVERLAP=str(CHUNKING["chunk_overlap"]))
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(COMMIT_EVERY), "ingest", str(folder), "--index", str(index), "--json"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def kill_after_a_commit(process: subprocess.Popen, index: Index, version: int, timeout: float = 180) -> None:
    """SIGKILL the child once it has committed ``version`` and begun writing the next document."""
    try:
        deadline = time.monotonic() + timeout
        while index.version() < version:
            assert process.poll() is None, f"the ingest ended before its commit {version}: {process.stderr.read()[-2000:]}"
            assert time.monotonic() < deadline, "no commit in time"
            time.sleep(0.02)
        manifest, marker = index.root / "manifest.json", index.root / UNCOMMITTED_MARKER
        while not (marker.exists() and marker.stat().st_mtime_ns > manifest.stat().st_mtime_ns):  # next write begun
            assert process.poll() is None, "the ingest finished before it could be killed partway"
            assert time.monotonic() < deadline, "no write after the commit in time"
            time.sleep(0.01)
        time.sleep(0.1)  # into the Chroma writes of that uncommitted document
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        stop(process)


def visible(settings) -> dict[str, tuple[str, dict[str, str]]]:
    """What a reader sees, per file: its document id and that document's chunks {chunk id: text}."""
    snapshot = load_snapshot(Index(settings))
    assert len(snapshot.ids) == sum(d.chunks for d in snapshot.manifest.documents.values())  # whole
    chunks: dict[str, dict[str, str]] = {}
    for chunk_id, text, record in zip(snapshot.ids, snapshot.texts, snapshot.records):
        chunks.setdefault(record.doc_id, {})[chunk_id] = text
    seen = {}
    for source, record in snapshot.manifest.files.items():
        [doc_id] = record.doc_ids
        assert len(chunks[doc_id]) == snapshot.manifest.documents[doc_id].chunks
        seen[Path(source).name] = (doc_id, chunks[doc_id])
    return seen


def assert_complete(settings, folder: Path) -> None:
    """Every letter present exactly once (one document per file, no document twice), the index consistent."""
    manifest = Index(settings).manifest()
    assert sorted(Path(s).name for s in manifest.files) == sorted(p.name for p in folder.iterdir())
    doc_ids = [d for record in manifest.files.values() for d in record.doc_ids]
    assert len(doc_ids) == len(set(doc_ids)) == len(manifest.documents) == LETTERS
    assert all(len(record.sources) == 1 for record in manifest.documents.values())
    assert_consistent(settings)  # chunk rows == manifest counts, no duplicates, no orphans, BM25 in step


def test_an_ingest_killed_partway_is_finished_by_a_rerun_without_loss_or_duplicates(tmp_path, embedder):
    folder = write_letters(tmp_path / "svar", version=1)
    settings = settings_for(tmp_path / "index", **CHUNKING)
    child = start_ingest(folder, settings.index, tmp_path)
    kill_after_a_commit(child, Index(settings), version=1)

    committed = Index(settings).manifest()
    assert 0 < len(committed.files) < LETTERS, "killed partway: some letters committed, more work left"
    before = visible(settings)  # the committed part is whole and readable
    orphans = Index(settings).store.orphan_doc_ids(set(committed.documents))
    print(f"\nkilled after {len(committed.files)} of {LETTERS} letters; {len(orphans)} uncommitted document(s) in Chroma")

    report = ingest([folder], settings, embedder=embedder)
    data = report.to_json()
    assert (data["ingested"], data["unchanged"], data["failed"]) == (LETTERS - len(committed.files), len(committed.files), [])
    assert_complete(settings, folder)
    after = visible(settings)
    assert all(after[name] == seen for name, seen in before.items())  # the committed letters were not touched


def test_a_reingest_killed_partway_shows_every_file_wholly_old_or_wholly_new(tmp_path, embedder):
    folder = write_letters(tmp_path / "svar", version=1)
    settings = settings_for(tmp_path / "index", **CHUNKING)
    assert not ingest([folder], settings, embedder=embedder).failed
    old = visible(settings)
    v1 = Index(settings).version()

    write_letters(folder, version=2)  # every file changes
    child = start_ingest(folder, settings.index, tmp_path)
    kill_after_a_commit(child, Index(settings), version=v1 + 1)
    middle = visible(settings)

    report = ingest([folder], settings, embedder=embedder)
    assert not report.failed
    new = visible(settings)
    assert_complete(settings, folder)
    assert all(new[name][0] != old[name][0] and "udgave 2" in " ".join(new[name][1].values()) for name in new)

    replaced = [name for name, seen in middle.items() if seen == new[name]]
    kept = [name for name, seen in middle.items() if seen == old[name]]
    assert sorted(replaced + kept) == sorted(old), "a file was visible half replaced (neither its old nor its new version)"
    assert 0 < len(replaced) < LETTERS, "killed partway: some files replaced, more work left"
    print(f"\nkilled after replacing {len(replaced)} of {LETTERS} letters")
