"""core.senders: the one sender classifier (issue 21 #5) and what proves a public sender (issue 21 #4).

Ingest (ingest/metadata.py) and the query side (retrieval/query.py) both read a sender's name with
``classify_name``; the last tests check that both sides say the same of the same names."""

from __future__ import annotations

import pytest

from core.gazetteer import gazetteer
from core.senders import (
    SENDER_TYPES, classify_name, institution_line, looks_alike, proven_by, sender_of_address, sender_type_label, skeleton,
)
from ingest.clean import clean_pages
from ingest.metadata import extract_metadata
from ingest.schema import LoadedDocument, Page
from retrieval.query import infer_filters

REGIONS = ("Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland", "Region Nordjylland")


# --- what a name says ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_by_its_name_in_the_genitive_and_with_an_address(region):
    for written in (region, region + "s", f"{region}, Regionshuset", f"{region} – Socialområdet"):
        found = classify_name(written)
        assert (found.name, found.type, found.region, found.municipality) == (region, "region", region, None), written
        assert found.public and not found.lookalike


@pytest.mark.parametrize("alias, region", [
    ("Region Midt", "Region Midtjylland"), ("Region Nord", "Region Nordjylland"), ("Region Syd", "Region Syddanmark"),
    ("Region H", "Region Hovedstaden"), ("Hovedstadsregionen", "Region Hovedstaden"), ("Region Sjaelland", "Region Sjælland"),
])
def test_a_region_by_another_name(alias, region):
    assert (classify_name(alias).name, classify_name(alias).type) == (region, "region")


@pytest.mark.parametrize("name, official, municipality", [
    ("Norddjurs Kommune", "Norddjurs Kommune", "Norddjurs"),
    ("Norddjurs Kommune, Torvet 3, 8500 Grenaa", "Norddjurs Kommune", "Norddjurs"),
    ("Københavns Kommune", "Københavns Kommune", "København"),
    ("Bornholms Regionskommune", "Bornholms Regionskommune", "Bornholm"),
    ("Århus Kommune", "Aarhus Kommune", "Aarhus"),
    ("Hedensted Kommune (Voksenhandicap)", "Hedensted Kommune (Voksenhandicap)", "Hedensted"),
])
def test_municipalities(name, official, municipality):
    found = classify_name(name)
    assert (found.name, found.type, found.municipality) == (official, "kommune", municipality)
    assert found.region == gazetteer().municipality(municipality).region and found.public


def test_a_name_like_a_municipality_that_is_none_is_not_one():
    assert classify_name("Nordjurs Kommune") is None or classify_name("Nordjurs Kommune").type != "kommune"
    assert classify_name("Kommunen") is None


@pytest.mark.parametrize("name, municipality, region", [
    ("Hoved-MEDudvalget for Socialområdet", None, None),
    ("Hoved-MED-udvalget", None, None),
    ("HovedMED Social og Sundhed", None, None),
    ("LMU Specialområde Hjernesgade (SOH)", None, None),
    ("LokalMED Ældreområdet", None, None),
    ("Område-MED-udvalget for Voksenhandicap", None, None),
    ("OmrådeMedarbejderUdvalget", None, None),
    ("MED-udvalget", None, None),
    ("MEDudvalget", None, None),
    ("OMU Social, Roskilde Kommune", "Roskilde", None),
    ("HMU, Norddjurs Kommune", "Norddjurs", None),
    ("MED-udvalget i Region Midtjylland", None, "Region Midtjylland"),
])
def test_med_committees_in_their_written_forms(name, municipality, region):
    found = classify_name(name)
    assert (found.name, found.type, found.municipality, found.region) == (name, "med_udvalg", municipality, region)
    assert found.public


@pytest.mark.parametrize("name, authority", [
    ("Foreningen for kortere ventelister", False),
    ("Danske Handicaporganisationer Hedensted", False),
    ("Ældre Sagen Hedensted", False),
    ("FOA", False),
    ("Ældrerådet i Faxe", False),
    ("Sundhedsstyrelsen", True),
    ("Social- og Boligstyrelsen", True),
    ("Social-, Bolig- og Ældreministeriet", True),
    ("Styrelsen for Patientsikkerhed", True),
    ("Arbejdstilsynet", True),
])
def test_organisations_and_state_authorities(name, authority):
    found = classify_name(name)
    listed = gazetteer().authority(name)  # a listed authority by its current name
    assert (found.name, found.type, found.authority, found.public) == (listed.name if listed else name, "organisation", authority, authority)


def test_companies_citizens_and_nothing():
    assert classify_name("Byggefirma Hansen & Søn A/S").type == "virksomhed"
    for person in ("Jens Hansen", "Mette Frederiksen Hansen"):
        assert (classify_name(person).name, classify_name(person).type, classify_name(person).public) == (person, "borger", False)
    for nothing in ("", "Vi støtter planen fuldt ud", "GenAI i Erhvervsstyrelsen"):
        assert classify_name(nothing) is None or not classify_name(nothing).public


def test_a_line_of_its_own_is_a_public_body_not_a_sentence():
    assert institution_line("Region Nordjylland").type == "region"
    assert institution_line("Norddjurs Kommune, Torvet 3").name == "Norddjurs Kommune"
    for line in ("Høringssvar til planen for Region Midtjylland", "Norddjurs Kommune takker for høringen",
                 "Jens Hansen", "Foreningen for kortere ventelister"):
        assert institution_line(line) is None, line


# --- look-alike names (issue 21 #4) -------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "Norddjurs K\u043emmune",  # a Cyrillic о
    "N\u03bfrddjurs \u039aommune",  # a Greek ο and Κ
    "\uff2eorddjurs Kommune",  # a fullwidth N
])
def test_a_look_alike_name_is_read_as_the_name_it_imitates_and_kept_as_written(written):
    assert skeleton(written) == "Norddjurs Kommune" and looks_alike(written)
    found = classify_name(written)
    assert (found.type, found.municipality, found.lookalike) == ("kommune", "Norddjurs", True)
    assert found.name == written  # never silently corrected into the real sender's name
    assert institution_line(written).lookalike and institution_line(written).name == written


def test_a_name_wholly_in_another_script_or_with_danish_letters_is_no_look_alike():
    for name in ("Иван Петров", "Ærø Kommune", "Søren Østergård", "Region Syddanmark, Damhaven 12", "Lyngby-Taarbæk Kommune"):
        assert not looks_alike(name), name
        assert classify_name(name) is None or not classify_name(name).lookalike, name


# --- what proves a public sender ----------------------------------------------------------------------------


def test_every_municipality_and_region_is_proven_by_each_of_its_domains_from_the_gazetteer():
    gaz = gazetteer()
    assert len(gaz.municipalities) == 98 and len(gaz.regions) == 5
    for mun in gaz.municipalities:
        claimed = classify_name(mun.official)
        assert claimed and claimed.municipality == mun.name, mun.official
        for domain in mun.domains:
            assert proven_by(claimed, f"post@{domain}") and proven_by(claimed, f"a.b@sub.{domain}")
            assert not proven_by(claimed, f"post@{domain}.example.com") and not proven_by(claimed, f"post@{domain}.co")
    for region in gaz.regions:
        for domain in gaz.region_domains[region]:
            assert proven_by(classify_name(region), f"post@{domain}")
            assert sender_of_address(f"x@{domain}").region == region


@pytest.mark.parametrize("address", [
    "norddjurs.kommune@gmail.com", "post@norddjurs.dk.co", "post@norddjurs-kommune.dk.example.com",
    "post@norddjurs-kommune.dk", "post@norddjursdk.com", "post@syddjurs.dk", "post@rm.dk", None, "",
])
def test_a_municipality_is_not_proven_by_another_address(address):
    assert not proven_by(classify_name("Norddjurs Kommune"), address)


def test_committees_regions_and_authorities_need_their_own_domain():
    committee = classify_name("HMU, Norddjurs Kommune")
    assert proven_by(committee, "hmu@norddjurs.dk") and not proven_by(committee, "hmu@syddjurs.dk")
    unplaced = classify_name("LMU Specialområde Hjernesgade (SOH)")
    assert proven_by(unplaced, "lmu@rm.dk") and proven_by(unplaced, "lmu@aarhus.dk") and not proven_by(unplaced, "lmu@gmail.com")
    region = classify_name("Region Midtjylland")
    assert proven_by(region, "x@rm.dk") and proven_by(region, "x@regionmidtjylland.dk") and not proven_by(region, "x@rn.dk")
    assert proven_by(classify_name("Sundhedsstyrelsen"), "x@sst.dk") and not proven_by(classify_name("Sundhedsstyrelsen"), "x@sst.dk.example.org")
    assert proven_by(classify_name("Erhvervsstyrelsen"), "x@erhvervsstyrelsen.dk")
    assert not proven_by(classify_name("Sundhedsstyrelsen"), "x@ast.dk")  # another authority's domain
    # A sender that is not public needs no proof.
    assert proven_by(classify_name("Jens Hansen"), "jens@gmail.com") and proven_by(classify_name("FOA"), None)


# --- one classifier: ingest and the query side say the same ---------------------------------------------------


NAMES = [  # (name, its type, the word a question names it by)
    ("Region Midtjylland", "region", "Midtjylland"), ("Region Nordjylland", "region", "Nordjylland"),
    ("Norddjurs Kommune", "kommune", "Norddjurs"), ("OMU Social, Roskilde Kommune", "med_udvalg", "OMU"),
    ("LMU Specialområde Hjernesgade (SOH)", "med_udvalg", "Hjernesgade"),
    ("Foreningen for kortere ventelister", "organisation", "Foreningen"), ("Sundhedsstyrelsen", "organisation", "Sundhedsstyrelsen"),
    ("Byggefirma Hansen & Søn A/S", "virksomhed", "Byggefirma"), ("Jens Hansen", "borger", "Hansen"),
]


def _ingested_type(text: str) -> str:
    doc = LoadedDocument(source="brev.txt", pages=[Page(number=1, text=text)])
    cleaned, _ = clean_pages(doc.pages)
    return extract_metadata(doc, cleaned).sender_type


@pytest.mark.parametrize("name, sender_type, word", NAMES)
def test_ingest_and_the_query_side_read_a_name_alike(name, sender_type, word):
    assert classify_name(name).type == sender_type
    assert _ingested_type(f"Høringssvar fra {name}\n\nVi har læst forslaget og støtter det.") == sender_type
    assert _ingested_type(f"Høringssvar fra {name} til Budget 2025\n\nVi har læst forslaget og støtter det.") == sender_type
    # The query side: a named sender narrows its own group, so "regionerne" + a region's name keeps the name.
    group = {"region": "regionerne", "kommune": "kommunerne", "med_udvalg": "MED-udvalgene",
             "organisation": "organisationerne", "virksomhed": "virksomhederne"}.get(sender_type)
    filters = infer_filters(f"Hvad siger {group or 'de'} og {word} om ventelister?", [name, "Hedensted Kommune (Voksenhandicap)"])
    if sender_type == "kommune":  # a municipality's name is a municipality filter
        assert filters.municipality == word
    elif group:
        assert filters.sender == name, filters


# --- the one labeller of sender types ---------------------------------------------------------------------------


def test_a_sender_type_as_a_word_for_one_sender():
    """The who-says-what table, the source panel, the answer's exports, the filters."""
    assert sender_type_label("med_udvalg", "da") == "MED-udvalg" and sender_type_label("kommune", "en") == "municipality"
    assert sender_type_label("noget_andet", "da") == "ukendt" and sender_type_label(None, "en") == "unknown"


def test_a_sender_type_as_a_role_and_as_a_group():
    """The role a respondent speaks in (the høringsnotat, the themes and case-file pages) and a group of senders
    (the scope line, a filter chip, "1 af 2 kommuner"). In English an employee committee's role is shorter than its
    word."""
    assert sender_type_label("kommune", "da", "role") == "Kommune" and sender_type_label("borger", "en", "role") == "Citizen"
    assert sender_type_label("med_udvalg", "en", "role") == "MED committee"
    assert sender_type_label("med_udvalg", "en") == "employee (MED) committee"
    assert sender_type_label("kommune", "da", "group") == "kommuner"
    assert sender_type_label("med_udvalg", "en", "group") == "employee (MED) committees"
    assert sender_type_label("ukendt", "da", "group") == "ukendte afsendere"
    for kind in SENDER_TYPES:  # every type has every form in both languages
        for form in ("word", "role", "group"):
            assert sender_type_label(kind, "da", form) and sender_type_label(kind, "en", form)
