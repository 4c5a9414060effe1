"""The calibrated relevance judge behind who-says-what: does this document raise the question's topic?

Each letter's verdict (the notat's "k af n") rests on its best statement sentence. A sentence is judged by
signals that carry over between languages and index sizes:

* ``margin``: its cosine to the question minus the question's own baseline over a fixed Danish background
  (retrieval/background.py), so an English question, which sits lower on every Danish sentence, is read
  against its own zero point;
* ``context``: the same for the chunk around it;
* ``coverage``: the IDF-weighted share of the question's topical terms (Danish stems) that it contains;
* ``head``: a head trained from the bundled encoder's vectors on squad-da (a reweighted cosine, ``Head``), read
  against its own mean over the same background.

A logistic model per question language, over the signals its language was fitted with, turns them into a
calibrated probability, and a band around it leaves undecided (*usikker*) what the judge cannot decide 97 % right
(retrieval/verdict.py). Weights, calibration and band are fitted on labelled topics and the head is trained by
``eval/train_judge.py`` (``make train-judge``); they ship as ``retrieval/data/relevance.json`` and
``retrieval/data/judge.npz``. Only statement sentences count as evidence (index/statements.py), and the sentence
that carries the verdict is the one quoted. The same judge was measured for grounding and not adopted: the dense
rule of answering/grounding.py serves the letters better (docs/decisions/0010, 0013).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from index.snapshot import Snapshot

CALIBRATION = Path(__file__).resolve().parent / "data" / "relevance.json"
# Sentences of a unit (a passage, or a whole document) whose coverage is computed: the best by margin, plus
# every sentence of the unit's lexically best chunks. Bounds the Python work per document on large scopes.
LEXICAL_CANDIDATES = 12
HEAD_FILE = Path(__file__).resolve().parent / "data" / "judge.npz"
# margin: the sentence's cosine minus the question's background baseline; context: the same for the sentence's
# chunk (what surrounds the sentence); coverage: the share of the question's topical terms in the sentence; head: the
# learned head's score of (question, sentence) minus its mean over the background, / HEAD_SCALE (0 without a head).
FEATURES = ("margin", "context", "coverage", "head")
HEAD_SCALE = 10.0


@dataclass(frozen=True)
class Calibration:
    """A logistic model over FEATURES, its calibration (Platt: a·z + b, fitted on held-out topics) and the
    decisions on the calibrated probability: ``threshold`` forces a yes/no, [lower, upper) is *usikker*."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    platt: tuple[float, float] = (1.0, 0.0)
    lower: float | None = None
    upper: float | None = None
    features: tuple[str, ...] = FEATURES[:3]  # the FEATURES this language's model reads, in its weights' order

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probability per row of ``features`` (n × len(FEATURES))."""
        x = np.asarray(features, dtype=np.float64)[:, [FEATURES.index(f) for f in self.features]]
        z = x @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-(self.platt[0] * z + self.platt[1])))


@dataclass(frozen=True)
class Head:
    """The learned head over the encoder's unit vectors (eval/train_judge.py): scale · q·(D + U Vᵀ)·x + bias."""

    diag: np.ndarray
    u: np.ndarray
    v: np.ndarray
    scale: float
    bias: float
    embedder: str  # the embedder whose vectors it was trained on

    def scores(self, q: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The head's logit of question vector ``q`` (d,) against each row of ``x`` (n × d)."""
        x = np.asarray(x, dtype=np.float32)
        return self.scale * (x @ (q * self.diag) + (x @ self.v) @ (q @ self.u)) + self.bias


@lru_cache(maxsize=2)
def load_head(path: Path = HEAD_FILE) -> Head | None:
    """The shipped head (None where the file is missing: the judge then runs on the cheap signals alone)."""
    if not path.exists():
        return None
    data = np.load(path)
    return Head(data["diag"], data["u"], data["v"], float(data["scale"]), float(data["bias"]), str(data["embedder"]))


def head_for(embedder_name: str) -> Head | None:
    """The shipped head where it was trained on this embedder's vectors."""
    head = load_head()
    return head if head is not None and head.embedder == embedder_name else None


@dataclass(frozen=True)
class Evidence:
    """The sentence of a unit that best addresses the question, and how well."""

    row: int  # chunk row in the snapshot
    start: int  # the sentence's span inside the chunk text
    end: int
    features: tuple[float, ...]
    probability: float


@lru_cache(maxsize=4)
def load_calibrations(path: Path = CALIBRATION) -> dict[str, dict[str, Calibration]]:
    """{embedder name: {language: Calibration}} from the shipped calibration file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Calibration]] = {}
    for model, languages in data["models"].items():
        out[model] = {lang: Calibration(tuple(c["weights"]), c["bias"], c["threshold"], tuple(c.get("platt", (1.0, 0.0))),
                                        c.get("lower"), c.get("upper"), tuple(c.get("features", FEATURES[:3])))
                      for lang, c in languages.items()}
    return out


def calibration_for(embedder_name: str, language: str) -> Calibration:
    """The calibration of this embedder and question language (English's for other languages). An embedder
    without its own calibration uses the default embedder's, which is only approximate: run eval/train_judge.py."""
    models = load_calibrations()
    languages = models.get(embedder_name) or models[next(iter(models))]
    return languages.get(language) or languages["en"]


class Judge:
    """Scores sentences of a snapshot for one question (query vector, baseline, topical terms)."""

    def __init__(self, snap: Snapshot, query_vector: np.ndarray, baseline: float, coverage_of: Callable[[str], float],
                 calibration: Calibration, head: Head | None = None, background: np.ndarray | None = None) -> None:
        self.snap = snap
        self.q = query_vector / (np.linalg.norm(query_vector) or 1.0)
        self.baseline = baseline
        self.coverage_of = coverage_of
        self.calibration = calibration
        self.head = head if background is not None else None
        # the head's zero point for this question: its mean score over the fixed background sentences
        self.head_baseline = float(head.scores(self.q, background).mean()) if self.head is not None else 0.0

    def candidates(self, rows: np.ndarray, lexical: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(sentence indices, features) of the statement sentences of chunk ``rows`` worth judging: the best by
        margin, plus every sentence of the chunks ``lexical`` (the unit's lexically best chunks)."""
        snap = self.snap
        sentences = snap.sentences_in(rows)
        if sentences.size == 0:
            return sentences, np.zeros((0, len(FEATURES)))
        margins = snap.sentence_vectors[sentences] @ self.q - self.baseline
        take = np.argsort(-margins, kind="stable")[:LEXICAL_CANDIDATES]
        if lexical is not None and len(lexical):
            extra = np.flatnonzero(np.isin(snap.sentence_rows[sentences], lexical))
            take = np.concatenate([take, extra[~np.isin(extra, take)]])
        chosen = sentences[take]
        context = snap.vectors[snap.sentence_rows[chosen]] @ self.q - self.baseline
        coverage = [self.coverage_of(self._text(int(s))) for s in chosen]
        head = np.zeros(chosen.size)
        if self.head is not None:
            head = (self.head.scores(self.q, snap.sentence_vectors[chosen]) - self.head_baseline) / HEAD_SCALE
        return chosen, np.column_stack([margins[take], context, coverage, head]).astype(np.float64)

    def best(self, rows: np.ndarray, lexical: np.ndarray | None = None) -> Evidence | None:
        """The statement sentence among those of chunk ``rows`` that best addresses the question, with its
        probability (None: no statement sentence)."""
        chosen, features = self.candidates(rows, lexical)
        if chosen.size == 0:
            return None
        p = self.calibration.probability(features)
        i = int(np.argmax(p))
        s = int(chosen[i])
        a, b = (int(x) for x in self.snap.sentence_spans[s])
        return Evidence(int(self.snap.sentence_rows[s]), a, b, tuple(float(x) for x in features[i]), float(p[i]))

    def _text(self, sentence: int) -> str:
        a, b = self.snap.sentence_spans[sentence]
        return self.snap.texts[int(self.snap.sentence_rows[sentence])][int(a) : int(b)]

    def mentions(self, evidence: Evidence | None) -> bool:
        return evidence is not None and evidence.probability >= self.calibration.threshold
