"""Thumbs up/down with an optional comment per answer, appended to a local JSONL file (raw material for evaluation)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock

from answering.schema import Answer


def record_feedback(path: Path, answer: Answer, score: int, comment: str = "") -> dict:
    """Append one record; ``score`` is 1 (thumbs up) or 0 (thumbs down). Safe across processes."""
    record = {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "score": int(score),
        "comment": comment.strip(),
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "answer": answer.text,
        "grounded": answer.grounded,
        "method": answer.method,
        "filters": answer.filters.to_json(),
        "citations": [c.model_dump() for c in answer.citations if c.verified],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record
