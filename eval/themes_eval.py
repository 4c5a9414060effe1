"""Theme quality on a hand-labelled set: are a theme's quotes on its theme, are the letters' main points in some
theme, are the labels free of boilerplate and names?

``eval/themes.jsonl`` holds, for each of the five sample letters, its main points (2–5, labelled by reading the
letters, never by running the product): a topic shared across letters (``rekruttering``, ``okonomi`` …), a short
description and the sentences that state it; ``minor`` points are labelled sentences that are not main points.

* **quotes on theme**: a theme's majority topic is the topic most of its quotes belong to; a quote is on theme when
  it belongs to a labelled point of that topic. A quote that belongs to no labelled sentence (a letterhead, a
  greeting, an aside) is off theme. Reported as the share over all quotes shown.
* **main points found**: a letter's main point is found when some theme quotes that letter with a sentence of
  that point.
* **boilerplate/name labels**: labels that contain a sender's or a place's name (a word of a sender name, a
  municipality or a region) or administrative wording (who received the letter, greetings, headings).

Usage: ``python eval/themes_eval.py [--corpus nytaarstaler] [--json]``. The sample index is built (incrementally,
in eval/.work) through eval/corpora.py. A second corpus is unlabelled: only its labels are printed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LABELS = ROOT / "eval" / "themes.jsonl"
WINDOW = 50
ADMINISTRATIVE = re.compile(
    r"høringssvar|udtale-?\s?svar|fremlagt|med venlig hilsen|venlig hilsen|takker for|invitationen|"
    r"kontaktoplysning|kontaktperson|sagsnr|sagsbehandler|@|\btlf\b|telefon|dato\b", re.I)


def norm(text: str) -> str:
    """Letters and digits only, lower case: line breaks, hyphenation and spacing of extraction do not matter."""
    return re.sub(r"[^0-9a-zæøåéü]", "", text.lower())


def overlaps(a: str, b: str) -> bool:
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short in long:
        return True
    return len(short) >= WINDOW and any(short[i:i + WINDOW] in long for i in range(0, len(short) - WINDOW + 1, 10))


def load_labels(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def point_of(letter: dict, quote: str) -> list[dict]:
    """The labelled points (main and minor) of ``letter`` that ``quote`` belongs to."""
    q = norm(quote)
    return [p for p in letter["points"] + letter.get("minor", []) if any(overlaps(q, norm(s)) for s in p["sentences"])]


def name_words(senders: list[str]) -> set[str]:
    """Distinctive words of sender names and every municipality and region: a label must name none of them."""
    from core.gazetteer import gazetteer

    words = {w.lower() for s in senders for w in re.findall(r"[A-ZÆØÅ][\wæøå-]+|[A-ZÆØÅ]{2,}", s)}
    words -= {"kommune", "region", "hoved", "specialområde", "social", "socialområdet", "voksenhandicap"}
    places = gazetteer()
    words |= {w.lower() for m in places.municipalities for w in m.name.split()}
    words |= {r.split()[-1].lower() for r in places.regions} | {"danmark"}
    return words


def bad_label(label: str, names: set[str]) -> str | None:
    """Why a label is boilerplate or a name, or None."""
    words = {w.lower().strip("-") for w in re.findall(r"[\wæøåÆØÅ-]+", label)}
    named = sorted(words & names)
    if named:
        return "name: " + ", ".join(named)
    if ADMINISTRATIVE.search(label):
        return "administrative"
    return None


def evaluate(themes, letters: list[dict], senders: list[str]) -> dict:
    by_file = {letter["file"]: letter for letter in letters}
    names = name_words(senders)
    quotes = on_theme = 0
    found: set[tuple[str, str]] = set()
    found_on_theme: set[tuple[str, str]] = set()
    details = []
    for theme in themes:
        rows = []
        for s in theme.senders:
            letter = by_file.get(Path(s.quote.source).name)
            points = point_of(letter, s.quote.quote) if letter else []
            rows.append((s, letter, points))
        votes = Counter(t for _, _, points in rows for t in {p["topic"] for p in points})
        majority = votes.most_common(1)[0][0] if votes else None
        for s, letter, points in rows:
            quotes += 1
            ok = majority is not None and any(p["topic"] == majority for p in points)
            on_theme += ok
            for p in points:
                if letter and p in letter["points"]:
                    found.add((letter["file"], p["point"]))
                    if p["topic"] == majority:
                        found_on_theme.add((letter["file"], p["point"]))
        details.append({"label": theme.label, "majority": majority, "bad_label": bad_label(theme.label, names),
                        "quotes": [{"sender": s.sender, "topics": [p["topic"] for p in points],
                                    "quote": s.quote.quote[:120]} for s, _, points in rows]})
    main_points = [(l["file"], p["point"]) for l in letters for p in l["points"]]
    missed = [pt for pt in main_points if pt not in found]
    bad = [d for d in details if d["bad_label"]]
    return {
        "themes": len(themes),
        "quotes": quotes,
        "quotes_on_theme": round(on_theme / max(1, quotes), 3),
        "main_points": len(main_points),
        "main_points_found": round(len(found) / max(1, len(main_points)), 3),
        "main_points_found_on_theme": round(len(found_on_theme) / max(1, len(main_points)), 3),
        "labels_bad": round(len(bad) / max(1, len(themes)), 3),
        "missed_points": missed,
        "details": details,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="sample", help="sample (labelled) or nytaarstaler (labels printed only)")
    parser.add_argument("--work", type=Path, default=None, help="work folder of the eval indexes (eval/.work)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)

    from eval import corpora
    from answering.themes import build_themes
    from retrieval.search import Searcher

    settings = corpora.build(args.corpus, **({"work": args.work} if args.work else {}))
    searcher = Searcher(settings)
    started = time.perf_counter()
    themes = build_themes(searcher, apply_edits=False)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    build_themes(searcher, apply_edits=False)
    again = time.perf_counter() - started
    if args.corpus != "sample":
        report = {"corpus": args.corpus, "themes": len(themes), "seconds": round(seconds, 2), "again_seconds": round(again, 4),
                  "labels": [{"label": t.label, "senders": len(t.senders), "size": t.size} for t in themes]}
    else:
        senders = sorted({d.sender for d in searcher.snapshot().manifest.documents.values() if d.sender})
        report = {"corpus": "sample", "seconds": round(seconds, 2), "again_seconds": round(again, 4),
                  **evaluate(themes, load_labels(), senders)}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    if args.corpus != "sample":
        print(f"{args.corpus}: {report['themes']} themes in {report['seconds']} s (again {report['again_seconds']} s)")
        for t in report["labels"]:
            print(f"  {t['label']}  ({t['senders']} senders, {t['size']} sentences)")
        return 0
    print(f"themes {report['themes']}, quotes {report['quotes']}: on theme {report['quotes_on_theme']:.0%}; "
          f"main points found {report['main_points_found']:.0%} of {report['main_points']} "
          f"({report['main_points_found_on_theme']:.0%} in a theme of their topic); "
          f"boilerplate/name labels {report['labels_bad']:.0%}; {report['seconds']} s (again {report['again_seconds']} s)")
    for d in report["details"]:
        print(f"  [{d['majority']}] {d['label']}" + (f"   ← {d['bad_label']}" if d["bad_label"] else ""))
        if args.verbose:
            for q in d["quotes"]:
                print(f"      {','.join(q['topics']) or '-':<24} {q['sender'][:28]:<28} {q['quote']}")
    print("  missed:", "; ".join(f"{f[:3]} {p}" for f, p in report["missed_points"]) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
