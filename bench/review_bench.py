"""The review page of a 200-letter hearing with 10 confirmed themes: how long it takes to open (issue 25's target:
≤ 2 s), and the review queue alone.

    python bench/review_bench.py [--index /tmp/casefile-bench] [--runs 5]

The hearing is bench/casefile_bench.py's (tests/data/hearing/synthetic200.json.gz ingested into ``--index`` once,
with a høringsliste and 10 confirmed themes: its ``build``). The review trail is written to a copy of the index's
case file database (HOERING_REVIEW_DB_URL), so each run starts with nothing reviewed. Then, in this process:

- the page opened with streamlit.testing AppTest (the model warmed first, as in a running app): the first open with
  nothing cached (the hearing's report computed and its machine decisions recorded: once per index version and
  case file state), a rerun of the same session, a second session (a new browser tab: the process's caches warm),
  an accept (one click: the item leaves the queue), and the usual way there: the page "Høringen" first (its report
  is the review page's), then "Gennemgang";
- the queue alone: the decisions read and the queue built (what every rerun does), and recording the report's
  decisions again (what the cache saves on every rerun).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.casefile_bench import HEARING, build  # noqa: E402

GOAL_SECONDS = 2.0
TIMEOUT = 300


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _open(at, url_path: str = "gennemgang") -> None:
    pages = [h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path]
    at._page_hash = pages[0]
    at.run(timeout=TIMEOUT)
    assert not at.exception, [e.value for e in at.exception]


def _session():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["hearing_choice"] = HEARING
    at.run()  # the default page (the chat): its own cost, not counted
    assert not at.exception, [e.value for e in at.exception]
    return at


def app_timings(runs: int) -> dict[str, float]:
    from core.settings import get_settings
    from ui import casefile_shared, resources, review_page
    from ui.review_page import P

    get_settings.cache_clear()
    times: dict[str, float] = {}
    at = _session()
    times["model warm-up (the app's start, not the page)"] = _timed(lambda: resources.searcher().embed_query("x"))
    from retrieval.search import _token_set
    from retrieval.stance import sentence_markers

    sentence_markers.cache_clear()  # (the build above read the letters' stance: cold means nothing remembered)
    _token_set.cache_clear()
    reports = resources.searcher().paths.reports
    shutil.rmtree(reports, ignore_errors=True)  # cold: no report of this index version and case file kept anywhere
    times["page, first open, nothing cached (cold: once per index version and case file)"] = _timed(lambda: _open(at))
    assert at.get("progress"), "no progress bar"
    reruns = [_timed(lambda: at.run(timeout=TIMEOUT)) for _ in range(runs)]
    times["page, rerun (median)"] = statistics.median(reruns)
    second = _session()
    times["page, second session (first open)"] = _timed(lambda: _open(second))
    accept = next(b for b in second.button if b.key.startswith(f"{P}accept_"))
    times["accept one item (click → page)"] = _timed(lambda: accept.click().run(timeout=TIMEOUT))
    print(f"  progress: {second.get('progress')[0].proto.text}; "
          f"items on the page: {sum(b.key.startswith(f'{P}accept_') for b in second.button)}")
    # a new process (no cache in memory) after the report was made once: read back from the index folder
    casefile_shared.report_of.clear()
    review_page._recorded_report.clear()
    fresh = _session()
    times["page, first open in a new process (report kept by an earlier one)"] = _timed(lambda: _open(fresh))
    # the usual way there: the page "Høringen" (themes confirmed, the matrix shown), then "Gennemgang"
    casefile_shared.report_of.clear()
    review_page._recorded_report.clear()
    third = _session()
    times["page Høringen first (not counted)"] = _timed(lambda: _open(third, "hoering"))
    times["page, first open after Høringen"] = _timed(lambda: _open(third))
    return times


def queue_timings(index: Path, db_url: str, runs: int) -> dict[str, float]:
    from answering.hearing_report import hearing_report
    from answering.review import record
    from core.settings import Settings
    from index.casefile_store import CaseFileStore
    from index.review_store import ReviewStore
    from retrieval.search import Searcher
    from ui.review_page import entries

    settings = Settings(_env_file=None, index=index, review_db_url=db_url)
    searcher = Searcher(settings)
    report = hearing_report(searcher, CaseFileStore.for_settings(settings).hearing(HEARING), snap=searcher.snapshot(),
                            summaries=False)
    store = ReviewStore(db_url)
    times = {"record the report's decisions again (cached away)": min(
        _timed(lambda: record(store, report, settings.embedding)) for _ in range(runs))}
    found = {}

    def queue() -> None:
        found["q"] = entries(report, store.decisions(HEARING))

    times["queue: decisions read + queue built"] = min(_timed(queue) for _ in range(runs))
    q = found["q"]
    reasons: dict[str, int] = {}
    for item in q.items:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    print(f"  queue: {len(q.items)} items of {q.total} decisions ({q.reviewed} reviewed); {reasons}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path("/tmp/casefile-bench"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    build(args.index)
    work = Path(tempfile.mkdtemp(prefix="review-bench-"))
    shutil.copy(args.index / "casefile.sqlite", work / "casefile.sqlite")  # the case file; a fresh review trail
    db_url = f"sqlite:///{work / 'casefile.sqlite'}"
    for name in [n for n in os.environ if n.startswith("HOERING_")]:
        del os.environ[name]
    os.environ.update(HOERING_INDEX=str(args.index), HOERING_REVIEW_DB_URL=db_url)
    os.chdir(work)  # no .env of the repo
    print(f"200 letters × 10 confirmed themes ({HEARING}); goal: page open ≤ {GOAL_SECONDS:.0f} s")
    for name, seconds in app_timings(args.runs).items():
        verdict = "ok" if seconds <= GOAL_SECONDS else "OVER"
        verdict = verdict if name.startswith("page,") else ""
        print(f"  {name:<44} {seconds:6.2f} s  {verdict}")
    for name, seconds in queue_timings(args.index, db_url, args.runs).items():
        print(f"  {name:<44} {seconds * 1000:6.0f} ms")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
