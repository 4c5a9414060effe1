"""retrieval/parties.py: letters' senders matched to the parties on a høringsliste."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.parties import Party
from ingest.clean import clean_pages
from ingest.hearing_list import read_hearing_list
from ingest.formats.table import load_bytes
from ingest.metadata import extract_metadata
from retrieval.parties import match_parties, name_form, score_names

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "tests" / "data" / "hearing"
# Each sample letter and the party the list names it by (written differently from the letter).
EXPECTED = {
    "000_9e96320e20098c47.txt": "HMU, Socialområdet",
    "001_569e1742befe58b9.txt": "Hedensted kommune",
    "002_eb13e6cc94d726ef.txt": "Norddjurs Kommune",
    "003_be0da06586603f9f.txt": "Lokal-MED-udvalget, Specialområde Hjernesgade",
    "004_706f00e2ad085e7e.txt": "OMU Social, Roskilde",
    "favrskov_ingen_bemaerkninger.eml": "Favrskov Kommune",  # tests/data/hearing/letters: "ingen bemærkninger"
    "skanderborg_ingen_bemaerkninger.docx": "Skanderborg Kommune",
}
SILENT = ["Syddjurs Kommune", "Danske Handicaporganisationer"]


@pytest.fixture(scope="module")
def sample_senders() -> dict[str, str]:
    """The sender each sample letter's metadata records, read by the project's pipeline (no model needed)."""
    senders = {}
    for path in [*sorted((ROOT / "data" / "sample").glob("*.txt")), *sorted((LIST / "letters").iterdir())]:
        (doc,) = load_bytes(path.read_bytes(), path.name, str(path))
        text, _ = clean_pages(doc.pages)
        senders[path.name] = extract_metadata(doc, text).sender
    return senders


@pytest.fixture(scope="module", params=["hoeringsliste.xlsx", "hoeringsliste.csv"])
def parties(request) -> tuple[Party, ...]:
    return read_hearing_list(LIST / request.param).parties


def test_every_sample_sender_is_matched_for_sure_to_its_listed_party(sample_senders, parties):
    result = match_parties(list(sample_senders.values()), parties)
    for (name, sender), match in zip(sample_senders.items(), result.matches, strict=True):
        assert match.sender == sender
        assert match.party is not None and match.party.name == EXPECTED[name], (sender, match)
        assert match.status == "sure" and match.score >= 88, match
    assert result.uninvited == ()


def test_parties_that_sent_nothing_are_reported_as_not_answered(sample_senders, parties):
    result = match_parties(list(sample_senders.values()), parties)
    assert [p.name for p in result.not_answered] == SILENT
    answered = {a.party.name: a.senders for a in result.parties if a.answered}
    assert set(answered) == set(EXPECTED.values())
    assert all(len(senders) == 1 for senders in answered.values())


def test_a_sender_on_no_list_answered_uninvited(sample_senders, parties):
    result = match_parties([*sample_senders.values(), "Ældre Sagen", "Jens Hansen"], parties)
    assert result.uninvited == ("Ældre Sagen", "Jens Hansen")
    assert all(m.party is None and m.reason == "not_listed" for m in result.matches[-2:])


def test_an_ambiguous_sender_is_flagged_usikker_never_guessed(parties):
    bare = match_parties(["MED-udvalget"], parties).matches[0]
    assert bare.status == "uncertain" and bare.party is not None and bare.party.name in EXPECTED.values()
    two = (*parties, Party("HMU, Psykiatri og Social", 9))
    match = match_parties(["Hoved-MEDudvalget"], two).matches[0]
    assert match.status == "uncertain" and match.reason in ("ambiguous", "only_kind")
    answers = {a.party.name: a for a in match_parties(["Hoved-MEDudvalget"], two).parties}
    assert not answers["HMU, Socialområdet"].answered  # an uncertain match is not an answer until confirmed
    assert answers[match.party.name].uncertain == ("Hoved-MEDudvalget",)


def test_a_neighbouring_municipality_or_another_committee_kind_is_never_a_match(parties):
    result = match_parties(["Syddjurs Kommunes", "LMU Socialområdet", "Roskilde Kommune"], parties)
    syd, lmu, roskilde = result.matches
    assert syd.party is not None and syd.party.name == "Syddjurs Kommune" and syd.status == "sure"
    assert lmu.status == "uncertain" and lmu.reason == "only_kind"  # an LMU, but of another place: ask
    assert roskilde.status != "sure"  # the municipality is not its OMU
    assert score_names(name_form("Norddjurs Kommune"), name_form("Syddjurs Kommune"))[1] == "place_differs"
    assert score_names(name_form("HMU Socialområdet"), name_form("LMU Socialområdet"))[1] == "kind_differs"


def test_the_committee_forms_and_parenthesised_acronyms_read_as_one_name():
    for a, b in [("Hoved-MEDudvalget for Socialområdet", "HMU Socialområdet"),
                 ("OmrådeMedarbejderUdvalget (OMU) på Voksensocialområdet", "OMU, Voksensocialområdet"),
                 ("Lokal-MED-udvalget Specialområde Hjernesgade", "LMU Specialområde Hjernesgade (SOH)"),
                 ("Region Midtjyllands", "Region Midtjylland"), ("Norddjurs kommunes", "NORDDJURS KOMMUNE")]:
        assert score_names(name_form(a), name_form(b))[0] == 100, (a, b)
    value, reason = score_names(name_form("LMU (SOH)"), name_form("Lokal-MEDudvalget, Hjernesgade (SOH)"))
    assert value >= 95 and reason == "acronym"
    assert score_names(name_form("SOH"), name_form("LMU Specialområde Hjernesgade (SOH)")) == (87.0, "type_differs")


def test_one_to_one_unless_the_same_sender_wrote_twice(parties):
    result = match_parties(["Norddjurs Kommune", "Norddjurs kommune", "Hoved-MEDudvalget for Socialområdet",
                            "HMU"], parties)
    first, again, hmu, bare = result.matches
    assert first.status == again.status == "sure" and first.party == again.party  # one body, two letters
    assert hmu.status == "sure" and hmu.party is not None and hmu.party.name == "HMU, Socialområdet"
    assert bare.status == "uncertain" and bare.reason == "contested"  # never a second sure match for the party
    answers = {a.party.name: a for a in result.parties}
    assert answers["Norddjurs Kommune"].senders == ("Norddjurs Kommune", "Norddjurs kommune")
    assert answers["HMU, Socialområdet"].senders == ("Hoved-MEDudvalget for Socialområdet",)
    assert answers["HMU, Socialområdet"].uncertain == ("HMU",)


def test_no_parties_or_no_senders():
    assert match_parties([], []).matches == () and match_parties(["Norddjurs Kommune"], []).uninvited == (
        "Norddjurs Kommune",)
    unknown = match_parties([None, ""], [Party("Norddjurs Kommune", 1)])
    assert [m.status for m in unknown.matches] == ["unlisted", "unlisted"]
    assert match_parties([], [Party("Norddjurs Kommune", 1)]).not_answered == (Party("Norddjurs Kommune", 1),)
