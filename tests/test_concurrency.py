"""Concurrent readers while an ingest commits into the same (embedded) index: several app sessions sharing one
Searcher in threads, and two separate processes searching and answering. No reader ever fails, sees a
half-written document or an older version after a newer one, and every reader sees the new letters after."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from answering.ask import answer_question
from ingest.pipeline import ingest
from retrieval.search import Searcher
from tests.factories import CYCLING_LETTER, letter
from tests.processes import python_env, stop

QUESTIONS = [
    "Hvad siger kommunerne om ventelister?",
    "Hvem nævner rekruttering og fastholdelse af personale?",
    "What do the municipalities say about waiting lists?",
    "Hvad mener Roskilde om besparelserne?",
]
def test_answers_from_many_threads_while_an_upload_is_ingested(sample_index, make_settings, embedder, tmp_path):
    settings = make_settings("shared")
    shutil.copytree(sample_index.index, settings.index)
    searcher = Searcher(settings, embedder=embedder)  # what st.cache_resource shares between sessions
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "cykler.txt").write_text(CYCLING_LETTER, encoding="utf-8")
    errors: list[BaseException] = []
    answers = []
    lock = threading.Lock()

    def session(offset: int) -> None:
        try:
            for i in range(6):
                answer = answer_question(QUESTIONS[(offset + i) % len(QUESTIONS)], searcher)
                with lock:
                    answers.append(answer)
                passages = {p.chunk_id: p.text for p in answer.passages}
                for c in answer.citations:  # every citation verified against the passage it was read from
                    assert c.verified and " ".join(c.quote.split()) in " ".join(passages[c.chunk_id].split())
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised in the main thread
            errors.append(exc)

    def upload() -> None:
        try:
            report = ingest([str(uploads)], settings, embedder=embedder)
            assert report.to_json()["ingested"] == 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(4)] + [threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert len(answers) == 24 and all(a.grounded for a in answers if a.question == QUESTIONS[0])
    # Every snapshot a reader saw was whole: the manifest's chunk counts match what was read.
    snap = searcher.snapshot()
    assert len(snap.ids) == sum(d.chunks for d in snap.manifest.documents.values())
    new = searcher.search("overdækkede cykelparkeringspladser", k=3)
    assert new.passages and new.passages[0].sender == "Cykelforeningen Østjylland"


# A reader process: loops search and answer on the index, writing one JSON line per look at it.
READER = """
import json, sys, time
from collections import Counter
from pathlib import Path
from answering.ask import answer_question
from retrieval.search import Searcher
from tests.conftest import settings_for

index, out, stop, question, probe = sys.argv[1:6]
searcher = Searcher(settings_for(Path(index)))
with open(out, "a", encoding="utf-8") as log:
    n = 0
    while not Path(stop).exists():
        seen = {"n": n}
        try:
            snap = searcher.snapshot()
            per_doc = Counter(snap.doc_id_of(row) for row in range(len(snap.ids)))
            seen.update(version=snap.version, ids=len(snap.ids), manifest=sum(d.chunks for d in snap.manifest.documents.values()),
                        whole=per_doc == {d: r.chunks for d, r in snap.manifest.documents.items() if r.chunks})
            if n % 2:
                answer = answer_question(question, searcher)
                seen.update(answered=bool(answer.text), cited=[c.sender for c in answer.citations])
            else:
                result = searcher.search(probe, k=1)
                seen.update(searched=result.snapshot_version, top=result.passages[0].sender if result.passages else None)
        except Exception as exc:
            seen["error"] = f"{type(exc).__name__}: {exc}"
        log.write(json.dumps(seen, ensure_ascii=False) + "\\n")
        log.flush()
        n += 1
        time.sleep(0.05)
"""
NEW_SENDERS = ["Ældrerådet i Syddjurs", "Handicaprådet i Favrskov", "Pårørendeforeningen Østjylland"]
PROBE = "pladser til aflastning i weekenden for pårørende"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_two_reader_processes_while_letters_are_ingested(sample_index, make_settings, embedder, tmp_path):
    settings = make_settings("shared")
    shutil.copytree(sample_index.index, settings.index)
    script = tmp_path / "reader.py"
    script.write_text(READER, encoding="utf-8")
    stop_file, outs = tmp_path / "stop", [tmp_path / "reader0.jsonl", tmp_path / "reader1.jsonl"]
    readers = [
        subprocess.Popen([sys.executable, str(script), str(settings.index), str(out), str(stop_file), QUESTIONS[0], PROBE],
                         cwd=tmp_path, env=python_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for out in outs
    ]
    try:
        deadline = time.monotonic() + 60
        while not all(_records(out) for out in outs):  # both processes have read the index once
            assert all(r.poll() is None for r in readers), [r.stderr.read()[-2000:] for r in readers]
            assert time.monotonic() < deadline, "the readers did not start"
            time.sleep(0.1)
        start_version = max(r["version"] for out in outs for r in _records(out) if "version" in r)
        for n, sender in enumerate(NEW_SENDERS):  # three ingests, three commits, while both processes read
            folder = tmp_path / f"upload{n}"
            folder.mkdir()
            body = f"{sender} ønsker flere pladser til aflastning i weekenden for pårørende til voksne med handicap."
            (folder / "svar.txt").write_text(letter(sender, body), encoding="utf-8")
            assert ingest([folder], settings, embedder=embedder).to_json()["ingested"] == 1
        final = Searcher(settings, embedder=embedder).snapshot().version
        assert final == start_version + len(NEW_SENDERS)
        while not all(any(r.get("version") == final and r.get("top") in NEW_SENDERS for r in _records(out)) for out in outs):
            assert all(r.poll() is None for r in readers), [r.stderr.read()[-2000:] for r in readers]
            assert time.monotonic() < deadline + 60, "the readers did not see the new letters"
            time.sleep(0.1)
    finally:
        stop_file.touch()
        for reader in readers:
            try:
                reader.wait(timeout=15)
            finally:
                stop(reader)
    for out in outs:
        records = _records(out)
        assert not [r for r in records if "error" in r], [r for r in records if "error" in r][:3]
        assert all(r["whole"] and r["ids"] == r["manifest"] for r in records)  # never a partial document
        versions = [r["version"] for r in records]
        assert versions == sorted(versions) and versions[-1] == final  # never backwards; the last commit seen
        assert len(set(versions)) >= 2  # it saw commits happen while it read
        assert all(r["searched"] >= r["version"] for r in records if "searched" in r)
        assert any(r.get("answered") for r in records)
