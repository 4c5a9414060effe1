"""export.feedback: one JSONL record per thumbs up/down, appended; concurrent writers never lose or mix lines."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from export.feedback import record_feedback
from answering.schema import Answer, Citation
from index.records import Filters


def _answer(question: str = "Hvad siger kommunerne om ventelister?") -> Answer:
    return Answer(
        question=question,
        standalone_question=question,
        text="Det skriver høringssvarene:\n\n- Hedensted Kommune skriver: »Vi har lange ventelister.« [1]",
        filters=Filters(sender_type="kommune", inferred=["sender_type"]),
        grounded=True,
        citations=[
            Citation(n=1, doc_id="d1", chunk_id="d1:0000", source="/breve/a.txt", sender="Hedensted Kommune",
                     sender_type="kommune", page=2, quote="Vi har lange ventelister.", verified=True, start=10, end=35),
            Citation(n=2, doc_id="d2", chunk_id="d2:0000", source="/breve/b.txt", sender="Opdigtet",
                     page=1, quote="Findes ikke.", verified=False),
        ],
    )


def _records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_record_is_appended_with_question_score_and_verified_citations(tmp_path):
    path = tmp_path / "sub" / "feedback.jsonl"  # the folder is created
    returned = record_feedback(path, _answer(), 1, "  Godt svar  ")
    record_feedback(path, _answer("og hvad siger Norddjurs?"), 0)
    records = _records(path)
    assert len(records) == 2
    first = records[0]
    assert first == returned
    assert first["question"] == "Hvad siger kommunerne om ventelister?" and first["score"] == 1
    assert first["comment"] == "Godt svar"
    assert first["grounded"] is True and first["method"] == "extractive"
    assert first["filters"] == {"sender_type": "kommune", "inferred": ["sender_type"]}
    assert first["answer"].startswith("Det skriver høringssvarene")
    assert [c["sender"] for c in first["citations"]] == ["Hedensted Kommune"]  # the unverified one is left out
    assert first["citations"][0]["quote"] == "Vi har lange ventelister." and first["citations"][0]["page"] == 2
    assert datetime.fromisoformat(first["time"]).tzinfo is not None
    assert records[1]["question"] == "og hvad siger Norddjurs?" and records[1]["score"] == 0
    assert records[1]["comment"] == ""
    assert "ø" in path.read_text(encoding="utf-8")  # UTF-8 as is, not \u escapes


def test_concurrent_appends_from_threads_all_land(tmp_path):
    path = tmp_path / "feedback.jsonl"
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)
    long_comment = "lang kommentar " * 400  # ~6 KB lines: torn writes would show as broken JSON

    def write(worker: int) -> None:
        start.wait()
        for i in range(per_thread):
            record_feedback(path, _answer(f"spørgsmål {worker}-{i}"), i % 2, f"{long_comment}{worker}-{i}")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, range(threads)))

    records = _records(path)  # every line parses
    assert len(records) == threads * per_thread
    assert sorted(r["question"] for r in records) == sorted(
        f"spørgsmål {w}-{i}" for w in range(threads) for i in range(per_thread)
    )
    assert all(r["comment"].endswith(r["question"].split()[-1]) for r in records)
