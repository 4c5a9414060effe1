"""App start benchmark: seconds from `make run` to a usable page (the chat input enabled) in headless Chromium.

    python bench/app_start_bench.py [--runs 3] [--state fresh --state setup] [--out bench/reports]

The README's `make run` is `bash scripts/run.sh` (set up, then start the app; the sample letters are ingested
in the background when the index is empty). Each run starts it in a copy of this repository (its tracked files,
as they are in the working tree) on a free loopback port, with no HOERING_* variables of the machine:

* ``setup``: a set-up machine: the virtual environment is there (the one running this benchmark, linked into
  the copy with its setup stamp, so scripts/setup.sh has nothing to install) and the index of the sample exists
  (built once before the timed runs by the first fresh start);
* ``fresh``: the same, but with an empty index (data/index removed before each run): the page is usable at once
  with the sample being ingested, and becomes askable when the first letters are committed.

Chromium (Debian's /usr/bin/chromium, driven by Playwright) is started before the clock starts, as a user's
browser is already open. From the start of `bash scripts/run.sh` the benchmark records: the server answering
its health check, the chat input visible, the chat input enabled (the headline: "usable"), and for ``fresh``
the sample fully ingested (every letter committed). Min / median / max per state.
Timings are wall-clock on whatever else the machine runs: the report notes the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
GOAL_SECONDS = 5.0  # set-up machine: `make run` to a usable page (issue 16)
TIMEOUT = 180.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_copy(target: Path) -> Path:
    """The repository's tracked files (working-tree versions) in ``target``, with the running virtual environment
    linked in as ``.venv`` and its setup stamp matching the copy (scripts/setup.sh then installs nothing)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    venv = Path(sys.prefix)
    link = target / ".venv"
    link.mkdir()
    for item in ("bin", "lib", "lib64", "include", "share"):
        if (venv / item).exists():
            (link / item).symlink_to(venv / item)
    shutil.copy2(venv / "pyvenv.cfg", link / "pyvenv.cfg")
    wanted = hashlib.sha256(b"".join((target / f).read_bytes() for f in ("requirements.txt", "requirements-dev.txt", "pyproject.toml")))
    (link / ".setup-stamp").write_text(wanted.hexdigest() + "\n")
    return target


def stop_group(process: subprocess.Popen) -> None:
    """Stop the process group this benchmark started (run.sh, streamlit and its children), by its id."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=15)


def committed(manifest: Path) -> int:
    """Documents in a committed manifest.json (0 while there is none)."""
    import json

    try:
        return len(json.loads(manifest.read_text(encoding="utf-8")).get("documents", {}))
    except (OSError, ValueError):
        return 0


def one_run(copy: Path, browser, fresh: bool, log: Path) -> dict[str, float]:
    """Start `bash scripts/run.sh` in ``copy`` and time the page; returns named seconds since the start."""
    if fresh:
        shutil.rmtree(copy / "data" / "index", ignore_errors=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    env.update(HOERING_PORT=str(port), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    url = f"http://127.0.0.1:{port}"
    times: dict[str, float] = {}
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    with log.open("ab") as out:
        started = time.perf_counter()
        process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=copy, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            while True:  # the server
                if process.poll() is not None:
                    raise RuntimeError(f"run.sh exited with {process.returncode}: see {log}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if time.perf_counter() - started > TIMEOUT:
                    raise RuntimeError(f"no server after {TIMEOUT} s: see {log}")
                time.sleep(0.05)
            times["server up"] = time.perf_counter() - started
            page.goto(url, wait_until="domcontentloaded")
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(state="visible", timeout=TIMEOUT * 1000)
            times["chat input visible"] = time.perf_counter() - started
            while box.is_disabled():
                if time.perf_counter() - started > TIMEOUT:
                    raise RuntimeError("the chat input stayed disabled")
                time.sleep(0.05)
            times["usable (chat input enabled)"] = time.perf_counter() - started
            if fresh:  # every sample letter committed (the index's manifest lists them all)
                letters = len([f for f in (copy / "data" / "sample").iterdir() if f.is_file()])
                while committed(copy / "data" / "index" / "manifest.json") < letters:
                    if time.perf_counter() - started > TIMEOUT:
                        raise RuntimeError("the sample was not ingested in time")
                    time.sleep(0.2)
                times["sample ingested (all committed)"] = time.perf_counter() - started
        finally:
            page.close()
            stop_group(process)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--state", action="append", choices=("fresh", "setup"), help="default: both")
    parser.add_argument("--out", default=str(ROOT / "bench" / "reports"))
    parser.add_argument("--keep", action="store_true", help="keep the copy (its path is printed)")
    args = parser.parse_args(argv)
    states = args.state or ["setup", "fresh"]
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="app-start-bench-"))
    copy = make_copy(work / "repo")
    log = work / "run.log"
    results: dict[str, list[dict[str, float]]] = {}
    load = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                if "setup" in states:
                    print("» building the index of the sample once (a fresh start)", file=sys.stderr)
                    one_run(copy, browser, True, log)
                for state in states:
                    for i in range(args.runs):
                        load.append(os.getloadavg()[0])
                        times = one_run(copy, browser, state == "fresh", log)
                        print(f"» {state} #{i + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()), file=sys.stderr)
                        results.setdefault(state, []).append(times)
            finally:
                browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"» kept {work}", file=sys.stderr)
    lines = [f"# App start benchmark {datetime.now().isoformat(timespec='seconds')}", "",
             f"`bash scripts/run.sh` in a copy of the repository, headless Chromium; {args.runs} runs per state; "
             f"nproc {os.cpu_count()}, load average at the runs' starts {min(load):.1f}–{max(load):.1f}.", "",
             "| state | moment | min s | median s | max s |", "|---|---|---|---|---|"]
    for state, runs in results.items():
        for name in runs[0]:
            values = [r[name] for r in runs]
            lines.append(f"| {state} | {name} | {min(values):.2f} | {statistics.median(values):.2f} | {max(values):.2f} |")
    if "setup" in results:
        median = statistics.median(r["usable (chat input enabled)"] for r in results["setup"])
        lines += ["", f"Set-up machine, usable page: median {median:.2f} s (goal ≤ {GOAL_SECONDS:.0f} s)."]
    text = "\n".join(lines) + "\n"
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"app-start-{datetime.now().strftime('%Y%m%d-%H%M%S')}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
