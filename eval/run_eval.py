"""Evaluation over the sample corpus: this system against BM25-only, dense-only and the naive LangChain recipe.

    python eval/run_eval.py            # full comparison table (builds a temporary index of data/sample)
    python eval/run_eval.py --quick    # this system only; exits 1 when quality is below the targets (CI)
    python eval/run_eval.py --index DIR
    python eval/run_eval.py --questions eval/holdout.jsonl   # the held-out set (never tuned on; its own floors)

Metrics: R@1 and R@3 (an expected letter among the top-k passages), MRR (first passage of an expected
letter), phrase-hit@3 (the expected phrase stands in one of the top-3 passages), citation-verbatim (share of
the answer's citations whose quote stands verbatim in its chunk), refusals (off-topic questions answered
with grounded=false), search p50 including query embedding.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.dataset import Question, load_questions, normalise, prefix_of  # noqa: E402
from core.settings import Settings  # noqa: E402

# The targets (reported), and the floors CI enforces (today's measured quality minus a small
# tolerance: a regression guard). See docs/decisions/0004 and 0005 for why the targets are not yet met.
TARGETS = {"da_r1": 1.0, "en_r1": 0.95, "da_phrase3": 0.95, "en_phrase3": 0.95, "verbatim": 1.0, "refusals": 1.0}
FLOORS = {"da_r1": 0.84, "en_r1": 0.87, "da_phrase3": 0.84, "en_phrase3": 0.87, "verbatim": 1.0, "refusals": 1.0, "answered": 0.65}
# The held-out set (eval/holdout.jsonl, written after the system was tuned and never tuned on): its first
# measurement minus one question (1/24) per metric.
HOLDOUT_FLOORS = {"da_r1": 0.87, "en_r1": 0.83, "da_phrase3": 0.87, "en_phrase3": 0.79, "verbatim": 1.0, "refusals": 1.0, "answered": 0.75}
FLOORS_BY_SET = {"questions.jsonl": FLOORS, "holdout.jsonl": HOLDOUT_FLOORS}


def rank_metrics(questions: list[Question], ranked: list[list[tuple[str, str]]]) -> dict:
    """ranked[i] = [(prefix, text), ...] in rank order for questions[i]."""
    r1 = r3 = mrr = phrase = 0.0
    for q, hits in zip(questions, ranked):
        prefixes = [p for p, _ in hits]
        r1 += any(p in q.expected for p in prefixes[:1])
        r3 += any(p in q.expected for p in prefixes[:3])
        first = next((i for i, p in enumerate(prefixes) if p in q.expected), None)
        mrr += 1 / (first + 1) if first is not None else 0
        phrase += any(normalise(q.phrase) in normalise(t) for _, t in hits[:3])
    n = max(1, len(questions))
    return {"R@1": r1 / n, "R@3": r3 / n, "MRR": mrr / n, "phrase@3": phrase / n}


def run_system(settings: Settings, questions: list[Question], mode: str, with_answers: bool):
    from answering.ask import answer_question
    from retrieval.search import Searcher

    searcher = Searcher(settings)
    searcher.search("opvarmning")  # load snapshot, model and language detector once
    ranked, timings, verbatim, refused, answered = [], [], [], [], []
    for q in questions:
        started = time.perf_counter()
        hybrid = mode == "hybrid"
        result = searcher.search(q.question, k=5, mode=mode, infer=hybrid, diversify=hybrid)
        timings.append(time.perf_counter() - started)
        ranked.append([(prefix_of(p.source), p.text) for p in result.passages])
        if with_answers:
            answer = answer_question(q.question, searcher)
            texts = {p.chunk_id: normalise(p.text) for p in answer.passages}
            verbatim += [normalise(c.quote) in texts.get(c.chunk_id, "") for c in answer.citations if c.verified]
            (refused if q.offtopic else answered).append(not answer.grounded)
    return ranked, timings, verbatim, refused, answered


def run_naive(questions: list[Question], settings: Settings):
    """RecursiveCharacterTextSplitter 1000/200 over the raw files + Chroma similarity_search, k=4."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from index.embedding import as_langchain, create_embedder

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    docs = []
    for path in sorted((ROOT / "data" / "sample").glob("*.txt")):
        docs += splitter.create_documents([path.read_text(encoding="utf-8")], metadatas=[{"source": str(path)}])
    store = Chroma(client=chromadb.EphemeralClient(), collection_name="naive", embedding_function=as_langchain(create_embedder(settings.embedding)))
    store.add_documents(docs)
    ranked, timings = [], []
    for q in questions:
        started = time.perf_counter()
        hits = store.similarity_search(q.question, k=4)
        timings.append(time.perf_counter() - started)
        ranked.append([(prefix_of(h.metadata["source"]), h.page_content) for h in hits])
    return ranked, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="this system only; fail below the targets")
    parser.add_argument("--index", type=Path, help="an index of data/sample (default: build a temporary one)")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl", help="the question set (default: eval/questions.jsonl; the held-out one: eval/holdout.jsonl)")
    args = parser.parse_args(argv)

    questions = load_questions(args.questions)
    tmp = None
    if args.index:
        settings = Settings(index=args.index)
    else:
        from ingest.pipeline import ingest

        tmp = tempfile.TemporaryDirectory(prefix="hoering-eval-")
        settings = Settings(index=Path(tmp.name))
        ingest([ROOT / "data" / "sample"], settings)

    ontopic = [q for q in questions if not q.offtopic]
    by_lang = {lang: [q for q in ontopic if q.lang == lang] for lang in ("da", "en")}
    systems = [("hoering (hybrid)", "hybrid")] + ([] if args.quick else [("BM25 only", "bm25"), ("dense only", "dense")])
    rows = []
    summary = {}
    for name, mode in systems:
        full = mode == "hybrid"
        ranked, timings, verbatim, refused, answered = run_system(settings, questions if full else ontopic, mode, full)
        lookup = dict(zip([q.id for q in (questions if full else ontopic)], ranked))
        for lang, qs in by_lang.items():
            m = rank_metrics(qs, [lookup[q.id] for q in qs])
            rows.append((name, lang, m))
            summary[f"{lang}_r1"] = summary.get(f"{lang}_r1", m["R@1"]) if not full else m["R@1"]
            if full:
                summary[f"{lang}_phrase3"] = m["phrase@3"]
        if full:
            summary["verbatim"] = sum(verbatim) / max(1, len(verbatim))
            summary["refusals"] = sum(refused) / max(1, len(refused))
            summary["answered"] = 1 - sum(answered) / max(1, len(answered))
            summary["p50_ms"] = statistics.median(timings) * 1000
            summary["p95_ms"] = sorted(timings)[int(0.95 * (len(timings) - 1))] * 1000
    if not args.quick:
        ranked, timings = run_naive(ontopic, settings)
        lookup = dict(zip([q.id for q in ontopic], ranked))
        for lang, qs in by_lang.items():
            rows.append(("naive LangChain+Chroma (1000/200, k=4)", lang, rank_metrics(qs, [lookup[q.id] for q in qs])))

    print(f"\n{len(by_lang['da'])} Danish + {len(by_lang['en'])} English questions, {sum(q.offtopic for q in questions)} off-topic\n")
    print("| system | lang | R@1 | R@3 | MRR | phrase@3 |\n|---|---|---|---|---|---|")
    for name, lang, m in rows:
        print(f"| {name} | {lang} | {m['R@1']:.2f} | {m['R@3']:.2f} | {m['MRR']:.2f} | {m['phrase@3']:.2f} |")
    print(
        f"\nthis system: citation-verbatim {summary['verbatim']:.2%}, off-topic refused {summary['refusals']:.2%}, "
        f"on-topic answered (grounded) {summary['answered']:.2%}, search p50 {summary['p50_ms']:.1f} ms, p95 {summary['p95_ms']:.1f} ms"
    )
    below_target = [f"{k} {summary[k]:.2f} < {v:.2f}" for k, v in TARGETS.items() if summary.get(k, 0) + 1e-9 < v]
    floors = FLOORS_BY_SET.get(args.questions.name, {})
    regressions = [f"{k} {summary[k]:.2f} < {v:.2f}" for k, v in floors.items() if summary.get(k, 0) + 1e-9 < v]
    if below_target:
        print("below the issue's targets: " + "; ".join(below_target))
    if regressions:
        print("REGRESSION below the floors: " + "; ".join(regressions))
    if tmp:
        tmp.cleanup()
    return 1 if (args.quick and regressions) else 0


if __name__ == "__main__":
    raise SystemExit(main())
