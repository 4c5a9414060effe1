"""The hearing's case file (answering/casefile.py) on real letters through a real index: the sample letters and the
sample hearing's two "ingen bemærkninger" answers (a DOCX letter, a one-line mail), its høringsliste (XLSX and
CSV, names written differently from the letters), the official's links, and the 200-letter synthetic hearing of
issue 24 (a 40-copy campaign, 10 "ingen bemærkninger")."""

from __future__ import annotations

import gzip
import json
import time
from types import SimpleNamespace

import pytest

from answering.casefile import HearingError, case_file, case_file_of, confirmed_themes, hearings_in, resolve_hearing
from core.casefile import HearingRecord, PartyLink
from index.casefile_store import CaseFileStore
from ingest.hearing_list import read_hearing_list
from ingest.pipeline import ingest
from retrieval.search import Searcher
from tests.conftest import HEARING_DATA, SAMPLE_DIR

VISIONS = "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"


@pytest.fixture
def hearing_index(hearing_copy):
    """A writable copy of the hearing index (each test its own case file)."""
    return hearing_copy


def _open(settings, embedder):
    searcher = Searcher(settings, embedder=embedder)
    return searcher, searcher.snapshot(), CaseFileStore.for_settings(settings)


def _by_sender(case) -> dict[str, object]:
    return {x.sender: x for x in case.letters}


def test_hearings_are_listed_with_their_letters(hearing_index, embedder):
    _, snap, store = _open(hearing_index, embedder)
    found = {h.hearing: h.letters for h in hearings_in(snap, store.hearing_names())}
    assert found == {VISIONS: 5, "Budget 2024": 1, "Budget 2024-2027": 1}


@pytest.mark.parametrize("listing", ["hoeringsliste.xlsx", "hoeringsliste.csv"])
def test_the_hearing_accounts_for_every_invited_party(hearing_index, embedder, listing):
    _, snap, store = _open(hearing_index, embedder)
    store.set_parties(VISIONS, read_hearing_list(HEARING_DATA / listing).parties)
    case = case_file(snap, store.hearing(VISIONS))
    letters = _by_sender(case)
    assert set(letters) == {"Hedensted Kommune (Voksenhandicap)", "Norddjurs Kommune", "LMU Specialområde Hjernesgade (SOH)",
                            "Skanderborg Kommune", "Favrskov Kommune"}
    assert {s for s, x in letters.items() if x.outcome == "no_remarks"} == {"Skanderborg Kommune", "Favrskov Kommune"}
    assert "ingen bemærkninger" in letters["Favrskov Kommune"].no_remarks_sentence  # the one line of the mail
    assert all(x.match == "sure" for x in case.letters)  # names written differently from the list, all sure
    assert letters["LMU Specialområde Hjernesgade (SOH)"].party == "Lokal-MED-udvalget, Specialområde Hjernesgade"
    status = {p.name: p.status for p in case.parties}
    assert status == {
        "HMU, Socialområdet": "not_received", "Hedensted kommune": "answered", "Norddjurs Kommune": "answered",
        "Lokal-MED-udvalget, Specialområde Hjernesgade": "answered", "OMU Social, Roskilde": "not_received",
        "Syddjurs Kommune": "not_received", "Danske Handicaporganisationer": "not_received",
        "Skanderborg Kommune": "no_remarks", "Favrskov Kommune": "no_remarks",
    }  # HMU and OMU answered other hearings (Budget 2024, Budget 2024-2027)
    counts = case.counts
    assert (counts.received, counts.with_content, counts.no_remarks) == (5, 3, 2)
    assert (counts.invited, counts.invited_answered, counts.invited_no_remarks, counts.not_answered) == (9, 5, 2, 4)
    assert counts.uninvited == 0 and counts.uncertain_matches == 0
    assert case.first_received == "2023-09-11" and case.last_received == "2023-10-04"
    assert all(x.stance in ("for", "imod", "uklar") for x in case.letters)


def test_without_a_list_no_party_is_guessed(hearing_index, embedder):
    _, snap, store = _open(hearing_index, embedder)
    case = case_file(snap, store.hearing(VISIONS))
    assert not case.has_list and case.parties == [] and all(x.match is None for x in case.letters)
    assert case.counts.uninvited == 0


def test_the_officials_link_wins_and_survives_a_new_store_and_a_reingest(hearing_index, embedder):
    _, snap, store = _open(hearing_index, embedder)
    store.set_parties(VISIONS, read_hearing_list(HEARING_DATA / "hoeringsliste.xlsx").parties)
    norddjurs = _by_sender(case_file(snap, store.hearing(VISIONS)))["Norddjurs Kommune"].doc_id
    store.set_link(VISIONS, PartyLink(norddjurs, "Syddjurs Kommune"))
    report = ingest([str(SAMPLE_DIR), str(HEARING_DATA / "letters")], hearing_index, embedder=embedder)
    assert report.to_json()["unchanged"] == 7
    _, snap, store = _open(hearing_index, embedder)  # a new store: what is on disk
    case = case_file(snap, store.hearing(VISIONS))
    letter = case.letter(norddjurs)
    assert (letter.party, letter.match, letter.match_source) == ("Syddjurs Kommune", "sure", "person")
    assert {p.name: p.status for p in case.parties}["Syddjurs Kommune"] == "answered"
    other = _by_sender(case)["Hedensted Kommune (Voksenhandicap)"]
    assert other.party == "Hedensted kommune" and other.match_source == "rule"  # nothing written elsewhere
    store.set_link(VISIONS, PartyLink(norddjurs, None))  # "answered uninvited"
    assert case_file(snap, store.hearing(VISIONS)).letter(norddjurs).match == "unlisted"
    store.clear_link(VISIONS, norddjurs)  # the rules decide again
    assert case_file(snap, store.hearing(VISIONS)).letter(norddjurs).party == "Norddjurs Kommune"


def test_a_new_list_drops_links_to_parties_no_longer_on_it(hearing_index, embedder):
    _, snap, store = _open(hearing_index, embedder)
    parties = read_hearing_list(HEARING_DATA / "hoeringsliste.xlsx").parties
    store.set_parties(VISIONS, parties)
    store.set_link(VISIONS, PartyLink("abc123", "Syddjurs Kommune"))
    store.set_link(VISIONS, PartyLink("def456", None))
    store.set_parties(VISIONS, [p for p in parties if p.name != "Syddjurs Kommune"])
    assert {link.doc_id for link in store.hearing(VISIONS).links} == {"def456"}


def test_resolving_a_hearing_by_name():
    known = [VISIONS, "Budget 2024", "Budget 2024-2027", ""]
    assert resolve_hearing("Budget 2024", known) == "Budget 2024"  # in full: that one, not 2024-2027
    assert resolve_hearing("visions", known) == VISIONS
    assert resolve_hearing("budget 2024-2027", known) == "Budget 2024-2027"
    with pytest.raises(HearingError) as ambiguous:
        resolve_hearing("budget", known)
    assert ambiguous.value.code == "hearing_ambiguous"
    with pytest.raises(HearingError) as unknown:
        resolve_hearing("Letbane", known)
    assert unknown.value.code == "hearing_unknown" and "Uden høring" in str(unknown.value)
    with pytest.raises(HearingError):
        resolve_hearing(None, known)
    assert resolve_hearing(None, [VISIONS]) == VISIONS


def test_confirmed_theme_labels_are_tidied_and_kept_once():
    themes = confirmed_themes([("  Rekruttering af  personale ", ""), ("rekruttering af personale", "x"),
                               ("Ventelister", "lange ventelister")])
    assert [t.label for t in themes] == ["Rekruttering af personale", "Ventelister"]
    assert themes[1].description == "lange ventelister"
    with pytest.raises(HearingError):
        confirmed_themes([("", "")])
    with pytest.raises(HearingError):
        confirmed_themes([("x" * 121, "")])


def _synthetic():
    data = json.loads(gzip.open(HEARING_DATA / "synthetic200.json.gz").read())
    letters = [(SimpleNamespace(doc_id=x["name"], source=x["name"], sender=x["text"].split("\n", 1)[0],
                                sender_type="ukendt", date=None), x["text"]) for x in data["letters"]]
    return letters, data["truth"]


def test_the_200_letter_hearing_campaign_and_no_remarks():
    """Issue 24's targets: the 40 copies in one group and no other letter in it, the 3 with added paragraphs
    shown with their own text; all 10 "ingen bemærkninger" found and none of the others."""
    letters, truth = _synthetic()
    started = time.perf_counter()
    case = case_file_of(letters, HearingRecord(name="Syntetisk høring"))
    seconds = time.perf_counter() - started
    assert len(case.campaigns) == 1
    campaign = case.campaigns[0]
    assert set(campaign.members) == set(truth["campaign"]) and campaign.size == 40
    assert set(campaign.with_additions) == set(truth["added"])
    for name, added in truth["added"].items():  # the paragraph itself (a one-word sentence at its edge may go)
        found = set(" ".join(case.letter(name).added).split())
        assert len(found & set(added.split())) >= 0.9 * len(set(added.split())), name
    assert set(case.no_remarks) == set(truth["ingen_bemaerkninger"])
    assert not any(case.letter(n).campaign for n in truth["ingen_bemaerkninger"])
    counts = case.counts
    assert (counts.received, counts.no_remarks, counts.campaign_letters, counts.distinct) == (200, 10, 40, 161)
    assert seconds < 10, seconds  # about 1 s on 2 cores
