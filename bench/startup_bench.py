"""Whole-process cost of the CLI on the sample corpus: wall time, CPU time and peak RSS per call, over several runs.

    .venv/bin/python bench/startup_bench.py [--runs 5] [--index DIR] [--out bench/reports]

Each command runs as a fresh process (`python -m hoering …`, as a script or a user calling `hoering` pays it), on
an index of `data/sample` (built once in a temporary folder when ``--index`` is not given; the embedding cache
is not reused between the commands measured). Reports min / median / max of each figure, and the issue's
targets beside them (issue 16: search and ask ≤ 1.0 s wall, ``--help`` ≤ 0.3 s). Never part of the test suite:
timings are meaningful only on a quiet machine; ``others' cores`` says how quiet it was.
"""

from __future__ import annotations

import argparse
import os
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


def run_once(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """One call as a fresh process; its own rusage (os.wait4), so CPU and peak RSS are this process's alone."""
    busy0, t0 = _busy()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "hoering", *args], cwd=REPO, env=env, stdout=out, stderr=err)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--index", help="an index of data/sample (default: built in a temporary folder)")
    parser.add_argument("--out", default=str(REPO / "bench" / "reports"))
    opts = parser.parse_args(argv)
    from ingest_bench import machine

    tmp = tempfile.TemporaryDirectory(prefix="startup-bench-")
    index = opts.index or str(Path(tmp.name) / "index")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    env.update(HOERING_INDEX=index, PYTHONPATH=str(REPO))
    if not opts.index:
        subprocess.run([sys.executable, "-m", "hoering", "ingest", "data/sample"], cwd=REPO, env=env, check=True,
                       capture_output=True)
    run_once(["search", "opvarmning", "--json"], env)  # the OS file cache warm, as for any user's second call
    lines = [f"# CLI startup, {datetime.now():%Y-%m-%d %H:%M}", "", "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine().items()] + [""]
    lines += [f"{opts.runs} runs each; min / median / max", "",
              "| command | wall s | CPU s | peak RSS MB | target wall | others' cores |", "|---|---|---|---|---|---|"]
    for name, (args, target) in COMMANDS.items():
        runs = [run_once(args, env) for _ in range(opts.runs)]

        def fig(key: str, fmt: str = "{:.2f}") -> str:
            values = [r[key] for r in runs]
            return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))

        lines.append(f"| `{name}` | {fig('wall')} | {fig('cpu')} | {fig('rss_mb', '{:.0f}')} | ≤ {target} | "
                     f"{statistics.median(r['others'] for r in runs):.2f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"startup-{datetime.now():%Y%m%d-%H%M%S}.md").write_text(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
