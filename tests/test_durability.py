"""Durability of ``remove`` and ``docs set``, and recovery from a lost Chroma database (issue 17, defects 8-10).

Real ``hoering`` processes are stopped at a kill point (a wrapper makes one method print a line and wait; the
test then SIGKILLs the process there, so the kill lands exactly between two steps) and a later reader or
writer must leave the index whole: a removed letter gone from every file of the index folder, the manifest and
Chroma agreeing on every document's metadata, and after ``chroma.sqlite3`` is deleted a clear error naming the
command that rebuilds it, and that command rebuilding it.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index.index import Index, IndexDamagedError
from index.manifest_store import UNCOMMITTED_MARKER
from ingest.pipeline import ingest
from index.records import Filters
from retrieval.search import Searcher
from index.snapshot import load_snapshot
from tests.conftest import settings_for
from tests.factories import letter
from tests.index_checks import assert_consistent
from tests.processes import hoering_command, python_env, stop

CHUNKING = {"chunk_size": 200, "chunk_overlap": 20}  # several chunks per letter: a half-removed letter would show
SECRET = "Den fortrolige sætning om pelikanerne ved Kolind Sø må ikke findes efter sletningen."
LETTERS = {
    "svar_a.txt": ("Borgerforeningen i Grenaa", "Vi ønsker, at tilbuddet i Grenaa bevares, og at ventetiden bliver kortere for de ældre."),
    "svar_b.txt": ("Ældrerådet i Kolind", f"Vi er bekymrede for kørslen til dagcentret. {SECRET} Vi beder om flere aflastningspladser i Kolind."),
    "svar_c.txt": ("Lokalrådet i Auning", "Skolebussen til Auning skal køre hver time, og cykelstien langs landevejen bør bygges færdig."),
}
KILLED = "KILL-POINT"
CHILD = f"""
import importlib, sys, time
target, when = sys.argv.pop(1), sys.argv.pop(1)
module, _, attribute = target.partition(":")
owner_name, _, name = attribute.partition(".")
owner = getattr(importlib.import_module(module), owner_name)
original = getattr(owner, name)

def kill_point(*args, **kwargs):
    if when == "after":
        original(*args, **kwargs)
    print({KILLED!r}, flush=True)
    time.sleep(600)

setattr(owner, name, kill_point)
from hoering.cli import main
main()
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory, embedder):
    """(folder of three letters, an index of them) built once; each test works on a copy of the index."""
    root = tmp_path_factory.mktemp("durable")
    folder = root / "svar"
    folder.mkdir()
    for name, (sender, body) in LETTERS.items():
        (folder / name).write_text(letter(sender, body), encoding="utf-8")
    settings = settings_for(root / "index", **CHUNKING)
    report = ingest([folder], settings, embedder=embedder)
    assert report.to_json()["ingested"] == len(LETTERS) and not report.failed
    return folder, settings.index


def copy_index(base, tmp_path: Path):
    folder, index = base
    shutil.copytree(index, tmp_path / "index")
    settings = settings_for(tmp_path / "index", **CHUNKING)
    manifest = Index(settings).manifest()  # the manifest file only: Chroma is not opened in this process yet
    doc_of = {Path(source).name: record.doc_ids[0] for source, record in manifest.files.items()}
    return folder, settings, doc_of


def env():
    return python_env(
        HOERING_CHUNK_SIZE=str(CHUNKING["chunk_size"]), HOERING_CHUNK_OVERLAP=str(CHUNKING["chunk_overlap"]), COLUMNS="1000"
    )


def hoering(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([*hoering_command(), *args], cwd=cwd, env=env(), capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


def kill_at(target: str, when: str, args: list[str], cwd: Path) -> None:
    """Run ``hoering *args`` until it reaches ``target`` (``module:Class.method``, ``before`` or ``after`` the call)
    and SIGKILL it there."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, target, when, *args],
        cwd=cwd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.strip()) for line in child.stdout], daemon=True).start()
    try:
        try:
            while lines.get(timeout=240) != KILLED:
                pass
        except queue.Empty:
            raise AssertionError(f"{' '.join(args)} never reached {target}: {child.stderr.read()[-2000:]}") from None
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        stop(child)


HNSW_FILE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def files_holding(root: Path, text: str) -> list[str]:
    """Files under ``root`` that hold ``text`` (UTF-8 bytes), as paths relative to ``root``."""
    needle = text.encode("utf-8")
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())


def outside_vector_segments(paths: list[str]) -> list[str]:
    """Leave out Chroma's HNSW segment files (``chroma/<uuid>/*.bin``): chromadb 1.5.9 persists uninitialised
    memory in them, so they can hold fragments of whatever text the writing process had handled — live letters
    as well as removed ones. That is upstream's to fix (reported in the issue's closing note); every other
    file, chroma.sqlite3 included, must be clean."""
    return [p for p in paths if not HNSW_FILE.match(Path(p).parent.name)]


# --- 8: a killed remove ------------------------------------------------------------------------------------------

REMOVE_KILL_POINTS = [
    # (where the remove dies, who comes next)
    ("index.store:ChromaStore.delete_documents", "before", "search"),  # committed, every row still in Chroma
    ("index.store:ChromaStore.scrub", "before", "docs set"),  # rows deleted, text still in chroma.sqlite3
    ("index.index:Index.rebuild_bm25", "before", "search"),  # BM25 on disk still holds the letter's words
]


@pytest.mark.parametrize(("target", "when", "next_process"), REMOVE_KILL_POINTS)
def test_a_remove_killed_after_its_commit_is_finished_by_the_next_process(base, tmp_path, target, when, next_process):
    folder, settings, doc_of = copy_index(base, tmp_path)
    removed, kept = doc_of["svar_b.txt"], doc_of["svar_a.txt"]
    assert "chroma/chroma.sqlite3" in files_holding(settings.index, SECRET)  # what the remove has to erase

    kill_at(target, when, ["remove", str(folder / "svar_b.txt"), "--index", str(settings.index)], cwd=tmp_path)
    assert removed not in Index(settings).manifest().documents  # the removal was committed
    assert (settings.index / UNCOMMITTED_MARKER).exists(), "the intent was recorded before the commit"

    if next_process == "search":  # a reader finishes the job (no writer may come for a long time)
        found = json.loads(hoering("search", "pelikanerne ved Kolind Sø", "--no-infer", "--json", "--index", str(settings.index), cwd=tmp_path).stdout)
        assert found["passages"] and removed not in {p["doc_id"] for p in found["passages"]}
    else:  # the next writer does
        hoering("docs", "set", kept, "--title", "Svar om ældreområdet", "--index", str(settings.index), cwd=tmp_path)

    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    assert outside_vector_segments(files_holding(settings.index, SECRET)) == []
    assert_consistent(settings)  # no row of the removed letter, BM25 in step
    assert set(Index(settings).manifest().documents) == set(doc_of.values()) - {removed}


def test_a_remove_killed_before_its_commit_removes_nothing_and_leaves_a_whole_index(base, tmp_path):
    folder, settings, doc_of = copy_index(base, tmp_path)
    kill_at("index.index:Index.commit", "before", ["remove", str(folder / "svar_b.txt"), "--index", str(settings.index)], cwd=tmp_path)
    snapshot = load_snapshot(Index(settings))  # the reader repairs: nothing to delete, the marker goes
    assert set(snapshot.manifest.documents) == set(doc_of.values())
    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    assert_consistent(settings)


def test_a_completed_remove_leaves_no_trace_of_the_letter(base, tmp_path, embedder):
    folder, settings, doc_of = copy_index(base, tmp_path)
    removed = json.loads(hoering("remove", str(folder / "svar_b.txt"), "--json", "--index", str(settings.index), cwd=tmp_path).stdout)
    assert removed == {"removed": [doc_of["svar_b.txt"]]}
    assert outside_vector_segments(files_holding(settings.index, SECRET)) == []
    assert outside_vector_segments(files_holding(settings.index, "Ældrerådet i Kolind")) == []  # its sender too
    # Chroma's log (its text erased) still replays in a fresh process: every vector readable, search works.
    found = json.loads(hoering("search", "ventetiden i Grenaa", "--no-infer", "--json", "--index", str(settings.index), cwd=tmp_path).stdout)
    assert found["passages"][0]["doc_id"] == doc_of["svar_a.txt"]
    assert doc_of["svar_b.txt"] not in {p["doc_id"] for p in found["passages"]}
    assert_consistent(settings)
    report = ingest([folder], settings, embedder=embedder)  # the same letter can come back under its old ids
    assert (report.to_json()["ingested"], report.to_json()["unchanged"]) == (1, 2)
    assert_consistent(settings)
    assert load_snapshot(Index(settings)).manifest.documents[doc_of["svar_b.txt"]].sender == "Ældrerådet i Kolind"


# --- 9: a killed docs set ----------------------------------------------------------------------------------------

DOCS_SET_KILL_POINTS = [
    ("index.index:Index.commit", "before", "Ældrerådet i Kolind"),  # nothing committed: the old sender everywhere
    ("index.store:ChromaStore.update_metadata", "before", "Kolind Seniorråd"),  # committed, Chroma not yet told
    ("index.store:ChromaStore.update_metadata", "after", "Kolind Seniorråd"),  # both, the marker not yet cleared
]


@pytest.mark.parametrize(("target", "when", "expected"), DOCS_SET_KILL_POINTS)
def test_a_killed_docs_set_leaves_docs_search_and_sender_filter_agreeing(base, tmp_path, embedder, target, when, expected):
    folder, settings, doc_of = copy_index(base, tmp_path)
    doc_id = doc_of["svar_b.txt"]
    args = ["docs", "set", doc_id, "--sender", "Kolind Seniorråd", "--sender-type", "organisation", "--index", str(settings.index)]
    kill_at(target, when, args, cwd=tmp_path)

    listed = json.loads(hoering("docs", "--json", "--index", str(settings.index), cwd=tmp_path).stdout)["documents"]
    assert {d["doc_id"]: d["sender"] for d in listed}[doc_id] == expected  # what `docs` shows
    searcher = Searcher(settings, embedder=embedder)
    passages = searcher.search("kørslen til dagcentret og aflastningspladser", Filters(), k=10, infer=False).passages
    assert {p.sender for p in passages if p.doc_id == doc_id} == {expected}  # what search shows
    by_sender = searcher.search("kørslen til dagcentret", Filters(sender=expected), k=10, infer=False).passages
    assert by_sender and {p.doc_id for p in by_sender} == {doc_id}  # what --sender finds
    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    stored = Index(settings).store.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])["metadatas"]
    assert stored and {m["sender"] for m in stored} == {expected}  # Chroma's own rows repaired too
    document = Index(settings).store.documents.get(ids=[doc_id], include=["metadatas"])["metadatas"][0]
    assert document["sender"] == expected
    assert_consistent(settings)


# --- 10: a lost chroma.sqlite3 -----------------------------------------------------------------------------------


def test_a_lost_chroma_database_is_named_by_readers_and_rebuilt_by_the_next_ingest(base, tmp_path, embedder):
    folder, settings, doc_of = copy_index(base, tmp_path)
    hoering("docs", "set", doc_of["svar_c.txt"], "--sender", "Auning Lokalråd", "--index", str(settings.index), cwd=tmp_path)
    (settings.index / "chroma" / "chroma.sqlite3").unlink()

    failed = hoering("search", "ventetiden i Grenaa", "--index", str(settings.index), cwd=tmp_path, check=False)
    told = " ".join(failed.stderr.split()).rsplit("IndexDamagedError:", 1)[-1]  # the message (after any traceback)
    assert failed.returncode != 0
    assert f"hoering ingest {folder} --index {settings.index}" in told  # exactly what to run
    assert "chroma.sqlite3" in told and "changed during every read attempt" not in told
    assert failed.returncode == 2 and "Traceback" not in failed.stderr  # one line, the usage/setup exit code

    one = ingest([folder / "svar_a.txt"], settings, embedder=embedder)  # a part of the index: that part rebuilt
    assert one.to_json()["ingested"] == 1
    with pytest.raises(IndexDamagedError) as damaged:
        load_snapshot(Index(settings))
    assert sorted(damaged.value.doc_ids) == sorted([doc_of["svar_b.txt"], doc_of["svar_c.txt"]])
    assert str(damaged.value).endswith(f"hoering ingest {folder} --index {settings.index}")

    report = ingest([folder], settings, embedder=embedder)  # what the message said to run
    assert (report.to_json()["ingested"], report.to_json()["unchanged"]) == (2, 1)  # not "unchanged" any more
    assert_consistent(settings)
    vector_folders = [p for p in (settings.index / "chroma").iterdir() if p.is_dir()]
    assert len(vector_folders) == 3, "the lost database's vector folders are gone: one per collection is left"
    manifest = Index(settings).manifest()
    assert manifest.documents[doc_of["svar_c.txt"]].sender == "Auning Lokalråd"  # the correction survived
    found = Searcher(settings, embedder=embedder).search("ventetiden i Grenaa", Filters(), k=3, infer=False)
    assert found.passages and found.passages[0].doc_id == doc_of["svar_a.txt"]
    assert ingest([folder], settings, embedder=embedder).to_json()["unchanged"] == len(LETTERS)  # and stays rebuilt
