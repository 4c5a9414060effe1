"""Résumés on a hand-labelled set: does each letter's résumé state its main point?

``eval/summaries.jsonl`` holds, for each of the five sample letters, its main point in a line and the sentences
that state it (substrings, labelled by reading the letters, never by running the product). A résumé *hits* when it
contains (part of) one of those sentences; it is a *table reference* when it points at a table or an attachment
("fremgår af skemaet", "se bilag"). Reported: hit rate, table references, and each letter's résumé.

Usage: ``python eval/summary_eval.py [--old] [--json]``: ``--old`` measures the résumé before answering/summary.py
(the nearest run to the letter's mean vector, kept here for comparison).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.themes_eval import norm, overlaps

LABELS = ROOT / "eval" / "summaries.jsonl"
TABLE_REFERENCE = re.compile(r"fremgår\s+af\s+(?:\w+\s+)?(?:skema|bilag|tabel)|\bse\s+(?:vedlagte|bilag)|"
                             r"(?:nedenfor|ovenfor|nedenstående)\s*[.:]?\s*$", re.IGNORECASE)


def load_labels(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def hits(summary: str, sentences: list[str]) -> bool:
    s = norm(summary)
    return any(overlaps(s, norm(sentence)) for sentence in sentences)


def evaluate(summaries: dict[str, str], letters: list[dict]) -> dict:
    """``summaries``: {file name: résumé}."""
    details = []
    for letter in letters:
        summary = summaries.get(letter["file"], "")
        details.append({"file": letter["file"], "sender": letter["sender"], "hit": hits(summary, letter["sentences"]),
                        "table_reference": bool(TABLE_REFERENCE.search(summary)), "summary": summary})
    n = max(1, len(details))
    return {"letters": len(details), "hit_rate": round(sum(d["hit"] for d in details) / n, 3),
            "table_references": sum(d["table_reference"] for d in details), "details": details}


def old_summary(snap, doc_id: str) -> str:
    """The résumé before: the run nearest the letter's mean vector, no stance, question or table terms."""
    from answering import summary

    saved = summary.STANCE_BONUS, summary.QUESTION_PENALTY, summary.TABLE_PENALTY
    summary.STANCE_BONUS, summary.QUESTION_PENALTY, summary.TABLE_PENALTY = {}, 0.0, 0.0
    try:
        return summary.letter_summary(snap, doc_id)
    finally:
        summary.STANCE_BONUS, summary.QUESTION_PENALTY, summary.TABLE_PENALTY = saved


def sample_summaries(snap, old: bool = False) -> dict[str, str]:
    from answering.summary import letter_summary

    make = old_summary if old else letter_summary
    return {Path(d.source).name: make(snap, d.doc_id) for d in snap.manifest.documents.values()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=None, help="work folder of the eval indexes (eval/.work)")
    parser.add_argument("--old", action="store_true", help="the résumé before answering/summary.py")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from eval import corpora
    from retrieval.search import Searcher

    settings = corpora.build("sample", **({"work": args.work} if args.work else {}))
    report = evaluate(sample_summaries(Searcher(settings).snapshot(), args.old), load_labels())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"résumés stating the main point: {report['hit_rate']:.0%} of {report['letters']}; "
          f"table references: {report['table_references']}")
    for d in report["details"]:
        print(f"  {'HIT ' if d['hit'] else 'miss'} {d['sender'][:30]:<30} {d['summary'][:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
