"""The review trail and the case file on one real PostgreSQL server shared by several app processes (issue 25's
"a real shared database"): two processes editing the same verdict both succeed, the last write wins and both are
in the history; what one process corrects, another sees. The processes are real (``python -c`` with this checkout
on PYTHONPATH, tests/processes.py) and the server is real (tests/postgres.py)."""

from __future__ import annotations

import subprocess
import sys
import time

from core.casefile import PartyLink
from core.parties import Party
from core.review import ItemKey
from index.casefile_store import CaseFileStore
from index.review_store import ReviewStore
from tests.processes import REPO, python_env

KEY = ItemKey("Budget 2024", "verdict", "doc1", "t1")

EDIT = """
import sys, time
from core.review import Identity, ItemKey
from index.review_store import ReviewStore
url, who, value, times, start = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
store = ReviewStore(url)
store.decision(ItemKey("Budget 2024", "verdict", "doc1", "t1"))  # opened (and connected) before the start
time.sleep(max(0.0, start - time.time()))
for i in range(times):
    store.decide(Identity(who), ItemKey("Budget 2024", "verdict", "doc1", "t1"), value, why=f"{who} {i}")
"""


def _edit(url: str, who: str, value: str, times: int = 1, start: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", EDIT, url, who, value, str(times), str(start)], cwd=REPO,
                            env=python_env(HOERING_REVIEW_DB_URL=url), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _finished(*children: subprocess.Popen) -> None:
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0] * len(children), "\n".join(outputs)


def test_two_processes_editing_one_verdict_the_last_write_wins_and_both_are_in_the_history(postgres_url):
    store = ReviewStore(postgres_url)
    store.record_machine([(KEY, "uncertain")], source="model", model="judge@1")
    _finished(_edit(postgres_url, "Anne", "mentions"))
    _finished(_edit(postgres_url, "Bo", "not_mentioned"))
    last = store.decision(KEY)
    assert (last.value, last.decided_by, last.source, last.machine_value) == ("not_mentioned", "Bo", "person",
                                                                              "uncertain")
    assert [(e.who, e.old_value, e.new_value) for e in store.history("Budget 2024", doc_id="doc1")] == [
        ("Anne", "uncertain", "mentions"), ("Bo", "mentions", "not_mentioned")]


def test_two_processes_editing_one_verdict_at_once_both_succeed_and_the_history_is_one_chain(postgres_url):
    store = ReviewStore(postgres_url)
    store.record_machine([(KEY, "uncertain")])
    start = time.time() + 4  # both have imported and connected by then
    _finished(_edit(postgres_url, "Anne", "mentions", 15, start), _edit(postgres_url, "Bo", "not_mentioned", 15, start))
    trail = store.history("Budget 2024", doc_id="doc1")
    assert sorted(e.why for e in trail) == sorted([f"Anne {i}" for i in range(15)] + [f"Bo {i}" for i in range(15)])
    assert trail[0].old_value == "uncertain"
    for before, after in zip(trail, trail[1:]):  # each write saw the one before it: nothing lost in between
        assert after.old_value == before.new_value, (before, after)
    last = store.decision(KEY)
    assert (last.value, last.decided_by) == (trail[-1].new_value, trail[-1].who)  # the last write wins


def test_a_case_file_correction_by_one_process_is_seen_by_another(postgres_url):
    store = CaseFileStore(postgres_url)
    store.set_parties("Budget 2024", [Party("Norddjurs Kommune", 2), Party("HMU", 3)])
    correct = ("from index.casefile_store import CaseFileStore; from core.casefile import PartyLink; "
               "from core.settings import get_settings\n"
               "CaseFileStore.for_settings(get_settings()).set_link('Budget 2024', PartyLink('doc1', 'HMU'))\n")
    subprocess.run([sys.executable, "-c", correct], cwd=REPO, env=python_env(HOERING_REVIEW_DB_URL=postgres_url),
                   check=True, timeout=120)
    assert store.hearing("Budget 2024").links == (PartyLink("doc1", "HMU", "person"),)
    store.set_link("Budget 2024", PartyLink("doc1", None))  # and back: the other process reads this one's
    read = ("from index.casefile_store import CaseFileStore; from core.settings import get_settings\n"
            "links = CaseFileStore.for_settings(get_settings()).hearing('Budget 2024').links\n"
            "print([(x.doc_id, x.party) for x in links])")
    seen = subprocess.run([sys.executable, "-c", read], cwd=REPO, env=python_env(HOERING_REVIEW_DB_URL=postgres_url),
                          check=True, timeout=120, capture_output=True, text=True)
    assert seen.stdout.strip() == "[('doc1', None)]"


def test_a_persons_decision_survives_a_new_process_recording_the_machines_answer_again(postgres_url):
    _finished(_edit(postgres_url, "Anne", "mentions"))
    record = ("import sys; from core.review import ItemKey; from index.review_store import ReviewStore\n"
              "print(ReviewStore(sys.argv[1]).record_machine([(ItemKey('Budget 2024', 'verdict', 'doc1', 't1'), "
              "'not_mentioned')]))\n")
    flagged = subprocess.run([sys.executable, "-c", record, postgres_url], cwd=REPO, env=python_env(), check=True,
                             timeout=120, capture_output=True, text=True)
    assert flagged.stdout.strip() == "1"
    item = ReviewStore(postgres_url).decision(KEY)
    assert (item.value, item.machine_value, item.state, item.machine_changed) == ("mentions", "not_mentioned",
                                                                                  "flagged", True)
