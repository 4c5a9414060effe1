"""Check the hand-labelled coverage data (eval/coverage.jsonl, eval/coverage_corpus.jsonl).

Checks: every line is valid JSON, ids are unique, every document of the set is labelled
true/false, the keys of `phrase` are exactly the documents marked true, every phrase is
3-10 words, lies within one line of the raw file and occurs verbatim (case-insensitive,
after joining line-break hyphenation and collapsing whitespace) in its document.

    python eval/check_coverage_data.py
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
CORPORA = {"nytaarstaler": ROOT.parent / "shared" / "corpus" / "nytaarstaler"}


def norm(text):
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).lower()


def load_docs(corpus):
    if corpus is None:
        return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))}
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPORA[corpus].glob("*.txt"))}


def check(path):
    errors, ids = [], set()
    lines = path.read_text(encoding="utf-8").splitlines()
    stats = {"topics": 0, "true": 0, "false": 0, "absent": 0}
    cache = {}
    for n, line in enumerate(lines, 1):
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{path.name}:{n}: bad JSON: {e}")
            continue
        corpus = d.get("corpus")
        if corpus is not None and not CORPORA[corpus].is_dir():
            stats["skipped"] = f"{CORPORA[corpus]} absent"
            break
        if corpus not in cache:
            docs = load_docs(corpus)
            cache[corpus] = (docs, {k: norm(v) for k, v in docs.items()})
        docs, normed = cache[corpus]
        i = d.get("id")
        if i in ids:
            errors.append(f"{path.name}:{n}: duplicate id {i}")
        ids.add(i)
        for key in ("question_da", "question_en", "topic", "mentions", "phrase"):
            if not d.get(key) and key != "phrase":
                errors.append(f"{i}: missing {key}")
        m, ph = d["mentions"], d["phrase"]
        if set(m) != set(docs):
            errors.append(f"{i}: labelled {sorted(set(m) ^ set(docs))} wrongly (must be all {len(docs)})")
        if any(not isinstance(v, bool) for v in m.values()):
            errors.append(f"{i}: non-boolean label")
        trues = {k for k, v in m.items() if v is True}
        if set(ph) != trues:
            errors.append(f"{i}: phrase keys {sorted(ph)} != true docs {sorted(trues)}")
        for k, p in ph.items():
            if k not in docs:
                continue
            if not 3 <= len(p.split()) <= 10:
                errors.append(f"{i}/{k}: phrase has {len(p.split())} words: {p!r}")
            if norm(p) not in normed[k]:
                errors.append(f"{i}/{k}: phrase not found: {p!r}")
            elif not any(norm(p) in norm(raw) for raw in docs[k].splitlines()):
                errors.append(f"{i}/{k}: phrase spans a line break: {p!r}")
        stats["topics"] += 1
        stats["true"] += len(trues)
        stats["false"] += len(m) - len(trues)
        stats["absent"] += not trues
    return errors, stats


def main():
    files = [Path(a) for a in sys.argv[1:]] or [ROOT / "eval" / "coverage.jsonl", ROOT / "eval" / "coverage_corpus.jsonl"]
    bad = False
    for f in files:
        if not f.exists():
            print(f"{f.name}: missing")
            continue
        errors, s = check(f)
        if "skipped" in s:
            print(f"{f.name}: skipped, {s['skipped']}")
            continue
        share = s["true"] / max(1, s["true"] + s["false"])
        print(f"{f.name}: {s['topics']} topics, {s['true']} true / {s['false']} false pairs "
              f"({share:.0%} true), {s['absent']} topics with no document")
        for e in errors:
            print("  ", e)
        bad |= bool(errors)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
