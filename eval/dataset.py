"""Loading the evaluation sets and mapping seed prefixes ("001") to documents of an index."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass
class Question:
    id: str
    lang: str
    question: str
    expected: list[str]
    phrase: str
    offtopic: bool


def load_questions(path: Path = HERE / "questions.jsonl") -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(**row) for row in rows]


def load_coverage(path: Path = HERE / "coverage.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def prefix_of(source: str) -> str:
    """'data/sample/001_569e….txt' → '001'."""
    name = Path(source.split("#")[0]).name
    return name[:3]


def f1(pred, y) -> tuple[float, float, float]:
    """(F1, precision, recall) of boolean predictions ``pred`` against labels ``y`` (numpy arrays)."""
    tp = int((pred & y).sum())
    fp = int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), precision, recall
