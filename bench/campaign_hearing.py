"""A synthetic 200-letter hearing with one campaign, for measuring campaign grouping (issue 24, item 4).

    python bench/campaign_hearing.py <folder> [--seed 24] [--speeches ../shared/corpus/folketinget/speeches.jsonl]

Made from Folketinget speeches (``../shared/corpus/folketinget/speeches.jsonl``, see bench/speeches.py), the
same letters for the same seed:

- 150 ordinary letters: letter *i* takes consecutive speeches until it is 1 to 3 pages long (a length drawn from
  the seeded generator), first line ``Høringssvar fra <first speaker> (<party>)`` as in bench/hearing_bench.py;
- a campaign of 40 copies of one template letter (a later run of speeches, about 1.5 pages) with small edits each:
  another sender line and signature, 2 to 5 words changed, two adjacent sentences swapped (in most), 2 to 4 typos;
  3 of the copies get a paragraph of their own (a sentence run from another speech) at a random place;
- 10 short "ingen bemærkninger" letters in different wordings.

The letters are shuffled into ``letter_000.txt`` … ``letter_199.txt``; ``truth.json`` names the campaign's
files, the three with added paragraphs (and the paragraph), and the "ingen bemærkninger" files.

``--compare`` measures ``ingest.campaigns.group_campaigns`` instead (nothing is written): MinHash/LSH against
TF-IDF cosine at several thresholds, on the hearings of ``--seeds`` seeds and on real letters that must not group
(data/sample, the Queen's New Year speeches and the Aarhus council papers of ../shared/corpus): precision and
recall of the campaign's membership (the group holding most campaign letters), the three added paragraphs found,
false groups among the real letters, the best time of 3 runs on the 200 letters, and the margin (lowest
similarity inside the campaign, highest outside it).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from speeches import DEFAULT_SPEECHES, iter_speeches

PAGE = 2400
ORDINARY, CAMPAIGN, WITH_ADDED, NO_REMARKS = 150, 40, 3, 10

FIRST = ["Anne", "Mette", "Lars", "Jens", "Sofie", "Peter", "Hanne", "Karen", "Mikkel", "Ida", "Ole", "Birgitte",
         "Søren", "Camilla", "Niels", "Louise", "Henrik", "Maria", "Thomas", "Lone"]
LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
        "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen"]
BODIES = ["Ældrerådet", "Handicaprådet", "Grundejerforeningen Solbakken", "Lokalrådet i Vester Egede",
          "Skolebestyrelsen ved Østre Skole", "Dansk Sygeplejeråd, Kreds Sjælland", "Erhvervsforum Nord",
          "Naturfredningsforeningen, lokalafdelingen", "Beboerforeningen Engparken", "FOA Roskilde"]
NO_REMARKS_TEXTS = [
    "{body} har ingen bemærkninger til det fremsendte høringsmateriale.",
    "{body} har modtaget høringen og har ingen bemærkninger.",
    "Vi har ingen bemærkninger til forslaget.\n\nMed venlig hilsen\n{body}",
    "{body} skal hermed meddele, at man ikke har bemærkninger til høringen.",
    "Tak for høringen. {body} har ingen kommentarer.",
    "{body} har ikke bemærkninger til udkastet.",
    "Ingen bemærkninger fra {body}.",
    "{body} har gennemgået materialet og har ingen bemærkninger hertil.",
    "Hermed meddeles, at {body} ikke har bemærkninger til høringen.",
    "{body} har ingen bemærkninger til høringen og takker for muligheden for at afgive høringssvar.",
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _run(stream, target: int, min_speech: int = 0) -> tuple[tuple[str, str], str]:
    """Consecutive speeches (each at least ``min_speech`` characters) until ``target`` characters: (speaker, body)."""
    parts, speaker, size = [], None, 0
    for _, record in stream:
        text = (record.get("text") or "").strip()
        if len(text) < min_speech:
            continue
        speaker = speaker or ((record.get("speaker") or "").strip() or "Ukendt taler",
                              (record.get("party") or "").strip())
        parts.append(text)
        size += len(text)
        if size >= target:
            break
    body = "\n\n".join(parts)
    if len(body) > target:  # cut after the last full stop before the target
        cut = body.rfind(". ", 0, target)
        body = body[: cut + 1 if cut > target // 2 else target]
    return speaker or ("Ukendt taler", ""), body


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _edit(template: str, rng: random.Random, vocabulary: list[str]) -> str:
    """The template with small edits: words changed, typos, two adjacent sentences swapped."""
    paragraphs = [p for p in template.split("\n\n") if p.strip()]
    if rng.random() < 0.8:  # swap two adjacent sentences in one paragraph that has several
        candidates = [i for i, p in enumerate(paragraphs) if len(_SENTENCE.split(p)) >= 2]
        if candidates:
            i = rng.choice(candidates)
            sentences = _SENTENCE.split(paragraphs[i])
            j = rng.randrange(len(sentences) - 1)
            sentences[j], sentences[j + 1] = sentences[j + 1], sentences[j]
            paragraphs[i] = " ".join(sentences)
    text = "\n\n".join(paragraphs)
    words = list(re.finditer(r"\w{3,}", text))
    edits = {}
    for match in rng.sample(words, min(len(words), rng.randint(2, 5))):
        edits[match.start()] = (match.end(), rng.choice(vocabulary))
    for match in rng.sample(words, min(len(words), rng.randint(2, 4))):
        edits.setdefault(match.start(), (match.end(), _typo(match.group(), rng)))
    for start in sorted(edits, reverse=True):
        end, word = edits[start]
        text = text[:start] + word + text[end:]
    return text


def make_hearing(speeches: Path = DEFAULT_SPEECHES, seed: int = 24, ordinary: int = ORDINARY,
                 campaign: int = CAMPAIGN) -> tuple[list[tuple[str, str]], dict]:
    """200 letters as (file name, text) and the ground truth (see the module text); ``ordinary`` and ``campaign``
    change the counts (for scaling only: the default hearing is the one the issue asks for)."""
    rng = random.Random(seed)
    stream = iter_speeches(speeches)
    letters: list[tuple[str, str, str]] = []  # (kind, text, added paragraph)
    for _ in range(ordinary):
        (name, party), body = _run(stream, rng.randint(PAGE, 3 * PAGE))
        head = f"Høringssvar fra {name} ({party})" if party else f"Høringssvar fra {name}"
        letters.append(("ordinary", f"{head}\n\n{body}\n", ""))
    _, template = _run(stream, int(1.5 * PAGE), min_speech=600)
    vocabulary = sorted({w for w in re.findall(r"\w{4,}", template)})
    added_at = set(rng.sample(range(campaign), WITH_ADDED))
    for c in range(campaign):
        person = _person(rng)
        body = _edit(template, rng, vocabulary)
        added = ""
        if c in added_at:
            _, extra = _run(stream, rng.randint(300, 700), min_speech=300)
            added = " ".join(extra.split())
            paragraphs = body.split("\n\n")
            paragraphs.insert(rng.randint(1, len(paragraphs)), added)
            body = "\n\n".join(paragraphs)
        letters.append(("campaign", f"Høringssvar fra {person}\n\n{body}\n\nMed venlig hilsen\n{person}\n", added))
    for i, wording in enumerate(NO_REMARKS_TEXTS):
        body = wording.format(body=BODIES[i])
        letters.append(("no_remarks", f"Høringssvar fra {BODIES[i]}\n\n{body}\n", ""))
    rng.shuffle(letters)
    files, truth = [], {"seed": seed, "letters": len(letters), "campaign": [], "added": {}, "ingen_bemaerkninger": []}
    for i, (kind, text, added) in enumerate(letters):
        name = f"letter_{i:03d}.txt"
        files.append((name, text))
        if kind == "campaign":
            truth["campaign"].append(name)
            if added:
                truth["added"][name] = added
        elif kind == "no_remarks":
            truth["ingen_bemaerkninger"].append(name)
    return files, truth


def write_hearing(folder: Path, speeches: Path = DEFAULT_SPEECHES, seed: int = 24) -> dict:
    """The letters as files in ``folder`` and ``folder/truth.json``; returns the truth."""
    files, truth = make_hearing(speeches, seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _real_letters() -> list[tuple[str, str]]:
    corpus = ROOT.parent / "shared" / "corpus"
    paths = sorted((ROOT / "data" / "sample").glob("*.txt")) + sorted((corpus / "nytaarstaler").glob("*.txt"))
    paths += sorted((corpus / "aarhus").glob("*.txt"))
    return [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in paths]


def compare(speeches: Path, seeds: list[int]) -> str:
    import time

    from ingest.campaigns import THRESHOLD, group_campaigns

    real = _real_letters()
    grid = {"minhash": [0.3, 0.4, 0.5, 0.6, 0.7], "tfidf": [0.5, 0.6, 0.7, 0.8]}
    hearings = [make_hearing(speeches, seed) for seed in seeds]
    lines = [f"Hearings of seeds {seeds} (200 letters each), {len(real)} real letters that must not group.", "",
             ("| method | threshold | precision | recall | added found | false groups (hearing) | false groups (real) "
             "| s / 200 letters |"), "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for method, thresholds in grid.items():
        group_campaigns(hearings[0][0][:20], method=method)  # imports out of the timing
        for threshold in thresholds:
            tp = members = added_ok = extra = 0
            times = []
            for files, truth in hearings:
                for _ in range(3):
                    started = time.perf_counter()
                    campaigns = group_campaigns(files, method=method, threshold=threshold)
                    times.append(time.perf_counter() - started)
                camp = set(truth["campaign"])
                best = max(campaigns, key=lambda c: len(camp & set(c.members)), default=None)
                found = set(best.members) if best else set()
                tp += len(found & camp)
                members += len(found)
                extra += len(campaigns) - (1 if best else 0)
                added_ok += sum(1 for name, text in truth["added"].items()
                                if best and " ".join(best.added.get(name, [])) in text and best.added.get(name))
            false_real = len(group_campaigns(real, method=method, threshold=threshold))
            total = sum(len(t["campaign"]) for _, t in hearings)
            lines.append(f"| {method} | {threshold}{' (default)' if threshold == THRESHOLD[method] else ''} | {tp / members if members else 0:.3f} | {tp / total:.3f} | "
                         f"{added_ok}/{sum(len(t['added']) for _, t in hearings)} | {extra} | {false_real} | "
                         f"{min(times):.2f} |")
    files, truth = make_hearing(speeches, seeds[0], ordinary=600, campaign=400)
    lines += ["", (f"Scale: one hearing of {len(files)} letters with a campaign of 400 (seed {seeds[0]}), "
              "each method at its default threshold."), "",
              "| method | campaign letters found | other letters in it | added found | s |", "|---|---:|---:|---:|---:|"]
    for method in ("minhash", "tfidf"):
        started = time.perf_counter()
        campaigns = group_campaigns(files, method=method)
        seconds = time.perf_counter() - started
        camp = set(truth["campaign"])
        best = max(campaigns, key=lambda c: len(camp & set(c.members)), default=None)
        found = set(best.members) if best else set()
        added = sum(1 for name in truth["added"] if best and best.added.get(name))
        wrong = len(set(best.with_additions) - set(truth["added"])) if best else 0
        lines.append(f"| {method} | {len(found & camp)}/{len(camp)} | {len(found - camp)} | "
                     f"{added}/{len(truth['added'])} (+{wrong} wrongly) | {seconds:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="?", help="where the letters go (not with --compare)")
    parser.add_argument("--compare", action="store_true", help="measure the grouping methods instead")
    parser.add_argument("--seeds", type=int, nargs="+", default=[24, 1, 2, 3, 4])
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--speeches", type=Path, default=DEFAULT_SPEECHES)
    args = parser.parse_args(argv)
    if not args.speeches.is_file():
        print(f"» skipping: {args.speeches} not found", file=sys.stderr)
        return 0
    if args.compare:
        print(compare(args.speeches, args.seeds))
        return 0
    if args.folder is None:
        parser.error("a folder is needed (or --compare)")
    truth = write_hearing(args.folder, args.speeches, args.seed)
    print(f"{truth['letters']} letters, campaign of {len(truth['campaign'])} ({len(truth['added'])} with added "
          f"paragraphs), {len(truth['ingen_bemaerkninger'])} 'ingen bemærkninger' → {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
