"""index/review_store.py: the review trail's behaviour on the embedded default (SQLite in the index folder) and on a
real PostgreSQL server (tests/postgres.py) — the same tests on both."""

from __future__ import annotations

import time

import pytest

from core.review import Identity, ItemKey
from index.review_store import MACHINE, ReviewNotAllowed, ReviewStore
from tests.conftest import settings_for

ANNE = Identity("Anne Sagsbehandler")
BO = Identity("Bo Sagsbehandler")
READER = Identity("Lis Læser", role="reader")


def verdict(doc: str, theme: str = "t1", hearing: str = "Budget 2024") -> ItemKey:
    return ItemKey(hearing, "verdict", doc, theme)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> ReviewStore:
    if request.param == "sqlite":
        return ReviewStore.for_settings(settings_for(tmp_path / "index"))
    return ReviewStore(request.getfixturevalue("postgres_url"))


def test_the_machines_answers_are_recorded_unreviewed_and_replaced_while_no_person_decided(store):
    assert store.record_machine([(verdict("a"), "mentions"), (verdict("b"), "uncertain")], source="model",
                                model="judge@1") == 0
    first = store.decision(verdict("a"))
    assert (first.value, first.machine_value, first.source, first.model, first.state) == (
        "mentions", "mentions", "model", "judge@1", "unreviewed")
    assert first.decided_by is None and not first.machine_changed
    assert store.record_machine([(verdict("a"), "not_mentioned")], source="model", model="judge@2") == 0
    again = store.decision(verdict("a"))
    assert (again.value, again.machine_value, again.model, again.state) == ("not_mentioned", "not_mentioned",
                                                                            "judge@2", "unreviewed")
    assert store.history() == []  # the machine's own answers replace each other without a trail
    assert [d.key for d in store.decisions("Budget 2024")] == [verdict("a"), verdict("b")]
    assert store.decisions("Budget 2024", state="unreviewed", doc_id="b")[0].value == "uncertain"


def test_the_same_item_twice_in_one_call_keeps_the_last_answer(store):
    store.record_machine([(verdict("a"), "mentions"), (verdict("a"), "uncertain")])
    assert store.decision(verdict("a")).value == "uncertain"
    store.record_machine([(verdict("a"), "mentions"), (verdict("a"), "not_mentioned")])
    assert store.decision(verdict("a")).value == "not_mentioned"


def test_a_persons_decision_wins_and_a_changed_machine_answer_flags_it(store):
    store.record_machine([(verdict("a"), "uncertain"), (verdict("b"), "mentions")])
    decided = store.decide(ANNE, verdict("a"), "mentions", why="nævner ventelister")
    assert (decided.value, decided.machine_value, decided.source, decided.decided_by, decided.state) == (
        "mentions", "uncertain", "person", ANNE.name, "reviewed")
    assert store.record_machine([(verdict("a"), "uncertain"), (verdict("b"), "mentions")]) == 0  # unchanged
    assert store.decision(verdict("a")).state == "reviewed"
    assert store.record_machine([(verdict("a"), "not_mentioned"), (verdict("b"), "mentions")]) == 1
    flagged = store.decision(verdict("a"))
    assert (flagged.value, flagged.machine_value, flagged.source, flagged.state, flagged.machine_changed) == (
        "mentions", "not_mentioned", "person", "flagged", True)
    trail = store.history("Budget 2024", doc_id="a")
    assert [(e.who, e.old_value, e.new_value, e.old_state, e.new_state, e.why) for e in trail] == [
        (ANNE.name, "uncertain", "mentions", "unreviewed", "reviewed", "nævner ventelister"),
        (MACHINE, "uncertain", "not_mentioned", "reviewed", "flagged", "machine_changed"),
    ]


def test_a_reviewed_machine_answer_that_changes_is_unreviewed_again_and_in_the_history(store):
    store.record_machine([(verdict("a"), "mentions")])
    accepted = store.set_state(ANNE, verdict("a"), "reviewed", why="ok")
    assert (accepted.value, accepted.source, accepted.decided_by, accepted.state) == ("mentions", "rule", ANNE.name,
                                                                                      "reviewed")
    store.record_machine([(verdict("a"), "uncertain")])
    item = store.decision(verdict("a"))
    assert (item.value, item.source, item.state) == ("uncertain", "rule", "unreviewed")
    assert [(e.who, e.old_value, e.new_value, e.new_state) for e in store.history()] == [
        (ANNE.name, "mentions", "mentions", "reviewed"), (MACHINE, "mentions", "uncertain", "unreviewed")]


def test_set_state_of_an_unknown_item_is_a_key_error(store):
    with pytest.raises(KeyError):
        store.set_state(ANNE, verdict("nowhere"), "flagged")


def test_the_history_is_append_only_and_the_last_write_wins(store):
    store.record_machine([(verdict("a"), "uncertain")])
    store.decide(ANNE, verdict("a"), "mentions", why="1")
    before = store.history()
    store.decide(BO, verdict("a"), "not_mentioned", why="2")
    store.set_state(ANNE, verdict("a"), "flagged", why="3")
    after = store.history()
    assert after[:len(before)] == before  # earlier rows never change
    assert [e.id for e in after] == sorted(e.id for e in after) and len({e.id for e in after}) == 3
    assert [(e.who, e.old_value, e.new_value, e.why) for e in after] == [
        (ANNE.name, "uncertain", "mentions", "1"), (BO.name, "mentions", "not_mentioned", "2"),
        (ANNE.name, "not_mentioned", "not_mentioned", "3")]
    last = store.decision(verdict("a"))
    assert (last.value, last.decided_by, last.state) == ("not_mentioned", ANNE.name, "flagged")


def test_a_reader_cannot_write_and_nothing_is_written(store):
    store.record_machine([(verdict("a"), "uncertain")])
    with pytest.raises(ReviewNotAllowed) as refused:
        store.decide(READER, verdict("a"), "mentions")
    assert isinstance(refused.value, PermissionError)
    with pytest.raises(ReviewNotAllowed):
        store.set_state(READER, verdict("a"), "reviewed")
    with pytest.raises(ReviewNotAllowed):
        store.decide(READER, verdict("new"), "mentions")
    assert store.decision(verdict("a")).state == "unreviewed" and store.decision(verdict("new")) is None
    assert store.history() == []


def test_a_removed_letter_keeps_its_history_unless_erased(store):
    store.record_machine([(verdict("a"), "uncertain"), (verdict("b"), "uncertain"), (verdict("c"), "uncertain")])
    for doc in "abc":
        store.decide(ANNE, verdict(doc), "mentions")
    store.forget_document(["a"])
    assert store.decision(verdict("a")) is None
    assert [e.key.doc_id for e in store.history()] == ["a", "b", "c"]  # kept: codes and names only
    store.forget_document(["b"], erase=True)
    assert store.decision(verdict("b")) is None
    assert [e.key.doc_id for e in store.history()] == ["a", "c"]
    assert store.decision(verdict("c")).value == "mentions"
    store.forget_document([])  # nothing to do


def test_reading_a_review_trail_that_does_not_exist_creates_nothing(tmp_path):
    store = ReviewStore.for_settings(settings_for(tmp_path / "index"))
    assert store.decision(verdict("a")) is None and store.decisions() == [] and store.history() == []
    assert store.record_machine([]) == 0
    assert not (tmp_path / "index").exists()


def test_record_machine_of_2000_items_reads_once_and_is_fast(store, capsys):
    """200 letters × 10 themes recorded new (a tenth already decided by a person, and the machine's first answer
    differs from hers: flagged), then again with every answer changed (that tenth flagged again), then again
    unchanged: each call one SELECT, each well under a second."""
    from sqlalchemy import event

    from index.casefile_store import ready_engine

    keys = [verdict(f"doc{d:03}", f"t{t}") for d in range(200) for t in range(10)]
    for key in keys[::10]:
        store.decide(ANNE, key, "mentions")  # a person decided before the machine: recorded as hers
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    engine = ready_engine(store.url)
    event.listen(engine, "before_cursor_execute", seen)
    timings = {}
    try:
        for label, value, flagged in (("new", "uncertain", 200), ("changed", "not_mentioned", 200),
                                      ("unchanged", "not_mentioned", 0)):
            statements.clear()
            started = time.perf_counter()
            assert store.record_machine([(key, value) for key in keys], source="model", model="judge@1") == flagged
            timings[label] = time.perf_counter() - started
            assert statements.count("SELECT") == 1, statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(store.decisions("Budget 2024", state="flagged")) == 200
    assert len(store.decisions("Budget 2024", state="unreviewed")) == 1800
    assert {d.value for d in store.decisions("Budget 2024", state="unreviewed")} == {"not_mentioned"}
    with capsys.disabled():
        print(f"\nrecord_machine 2000 items on {engine.dialect.name}: "
              + ", ".join(f"{label} {seconds * 1000:.0f} ms" for label, seconds in timings.items()))
    assert max(timings.values()) < 2.0, timings


def test_the_machines_first_answer_equal_to_a_persons_decision_flags_nothing(store):
    """A person decided before the machine answered (a corrected sender); the machine then reads her value: no
    change under her decision, nothing to look at again, and her history row keeps its old → new."""
    key = verdict("doc9", "t9")
    store.decide(ANNE, key, "mentions")
    assert store.record_machine([(key, "mentions")], source="model", model="judge@1") == 0
    item = store.decision(key)
    assert (item.value, item.machine_value, item.state, item.machine_changed) == ("mentions", "mentions", "reviewed", False)
