"""Precision and recall of the model-free stance and "ingen bemærkninger" rules on the labelled sets.

eval/stance.jsonl: sentences labelled with the kind of position they state (support, opposition, concern,
request, no_remarks, none) and letters (``"unit": "letter"``) labelled for / imod / uklar; eval/no_remarks.jsonl:
letters and mails labelled true when they only say they have no remarks. Labels by reading; rows are from
data/sample, ../shared/corpus (real lines) and written in the style of Danish authorities (``source`` says which).
The sets were built by the same person who wrote the rules, so the figures are optimistic.

    .venv/bin/python -m eval.stance_eval [--json] [--errors]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from retrieval.no_remarks import no_remarks
from retrieval.stance import KINDS, STATES, sentence_markers, stance

HERE = Path(__file__).resolve().parent
STANCE_SET = HERE / "stance.jsonl"
NO_REMARKS_SET = HERE / "no_remarks.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def per_class(pairs: list[tuple[str, str]], classes) -> dict[str, dict[str, float | int]]:
    """Precision, recall and support per class from (gold, predicted) pairs."""
    out = {}
    for c in classes:
        tp = sum(g == c and p == c for g, p in pairs)
        predicted = sum(p == c for _, p in pairs)
        gold = sum(g == c for g, _ in pairs)
        out[c] = {"precision": round(tp / predicted, 3) if predicted else None,
                  "recall": round(tp / gold, 3) if gold else None, "n": gold, "predicted": predicted}
    return out


def evaluate() -> dict:
    rows = load(STANCE_SET)
    sentences = [r for r in rows if r.get("unit", "sentence") == "sentence"]
    letters = [r for r in rows if r.get("unit") == "letter"]
    s_pairs = [(r["label"], sentence_markers(r["text"]).kind or "none") for r in sentences]
    l_pairs = [(r["label"], stance(r["text"]).stance) for r in letters]
    nr_rows = load(NO_REMARKS_SET)
    nr_pairs = [(str(r["label"]), str(no_remarks(r["text"]).found)) for r in nr_rows]
    errors = [{"set": "sentence", "gold": g, "predicted": p, "text": r["text"][:160], "source": r["source"]}
              for r, (g, p) in zip(sentences, s_pairs) if g != p]
    errors += [{"set": "letter", "gold": g, "predicted": p, "text": r["text"][:80], "source": r["source"]}
               for r, (g, p) in zip(letters, l_pairs) if g != p]
    errors += [{"set": "no_remarks", "gold": g, "predicted": p, "text": r["text"][:120], "source": r["source"]}
               for r, (g, p) in zip(nr_rows, nr_pairs) if g != p]
    return {
        "sentences": {"n": len(s_pairs), "accuracy": round(sum(g == p for g, p in s_pairs) / len(s_pairs), 3),
                      "per_class": per_class(s_pairs, (*KINDS, "none")),
                      "sources": dict(Counter(r["source"].split(" (")[0] for r in sentences))},
        "letters": {"n": len(l_pairs), "accuracy": round(sum(g == p for g, p in l_pairs) / len(l_pairs), 3),
                    "per_class": per_class(l_pairs, STATES)},
        "no_remarks": {"n": len(nr_pairs), "per_class": per_class(nr_pairs, ("True",))},
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list the rows the rules get wrong")
    args = parser.parse_args(argv)
    result = evaluate()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for part in ("sentences", "letters", "no_remarks"):
        block = result[part]
        print(f"{part}: n={block['n']}" + (f" accuracy={block['accuracy']}" if "accuracy" in block else ""))
        for c, m in block["per_class"].items():
            print(f"  {c:<11} P={m['precision']} R={m['recall']} (gold {m['n']}, predicted {m['predicted']})")
    if args.errors:
        for e in result["errors"]:
            print(f"  [{e['set']}] gold={e['gold']} predicted={e['predicted']}: {e['text']!r} ({e['source']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
