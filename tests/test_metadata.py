"""ingest.metadata: who wrote each letter, when, and to which hearing (seeds and small letters)."""

from __future__ import annotations

import pytest

from ingest.clean import clean_pages
from ingest.metadata import canonical_hearing, extract_metadata
from core.senders import SENDER_TYPES
from ingest.schema import LoadedDocument, Page
from tests.conftest import SAMPLE_FILES

SEEDS = {
    # file: (sender contains, sender_type, municipality, date)
    "000_9e96320e20098c47.txt": ("Hoved-MEDudvalget for Socialområdet", "med_udvalg", None, None),
    "001_569e1742befe58b9.txt": ("Hedensted Kommune (Voksenhandicap)", "kommune", "Hedensted", "2023-09-19"),
    "002_eb13e6cc94d726ef.txt": ("Norddjurs Kommune", "kommune", "Norddjurs", "2023-09-11"),
    "003_be0da06586603f9f.txt": ("LMU Specialområde Hjernesgade", "med_udvalg", None, None),
    "004_706f00e2ad085e7e.txt": ("OMU Social, Roskilde Kommune", "med_udvalg", "Roskilde", None),
}


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_seed_metadata(name, sample_docs):
    sender, sender_type, municipality, date = SEEDS[name]
    record = sample_docs[name]
    assert sender in record.sender
    assert record.sender_type == sender_type
    assert record.municipality == municipality
    assert record.date == date
    assert record.pages == 1 and record.chunks >= 1


def test_seed_hearings(sample_docs):
    hearings = {name: record.hearing for name, record in sample_docs.items()}
    shared = hearings["001_569e1742befe58b9.txt"]
    assert shared and "Visions- og udviklingsplan" in shared
    # Three letters name the same hearing in different words; they end up under one label.
    assert hearings["002_eb13e6cc94d726ef.txt"] == shared
    assert hearings["003_be0da06586603f9f.txt"] == shared
    assert hearings["000_9e96320e20098c47.txt"] == "Budget 2024"
    assert hearings["004_706f00e2ad085e7e.txt"] == "Budget 2024-2027"
    assert len(set(hearings.values())) == 3


def meta(text: str, **hints):
    doc = LoadedDocument(source="brev.txt", pages=[Page(number=1, text=text)], **hints)
    cleaned, _ = clean_pages(doc.pages)
    return extract_metadata(doc, cleaned)


def test_municipality_from_the_opening_sentence():
    m = meta("11. september 2023\n\nHøringssvar til Budget 2025\n\nFaxe Kommune takker for muligheden for at afgive høringssvar.")
    assert (m.sender, m.sender_type, m.municipality, m.date) == ("Faxe Kommune", "kommune", "Faxe", "2023-09-11")
    assert m.hearing == "Budget 2025"
    assert m.title == "Høringssvar til Budget 2025"


def test_municipality_and_department_from_the_signature_email_domain():
    m = meta(
        "Høringssvar til Budget 2025\n\nVi har ingen bemærkninger.\n\nMed venlig hilsen\n\n"
        "Karin Holm\nSocialafdelingen\nRådhuset\n8700 Horsens\nkaho@horsens.dk"
    )
    assert m.sender_type == "kommune" and m.municipality == "Horsens"
    assert m.sender.startswith("Horsens Kommune")


def test_region_from_the_signature():
    m = meta(
        "Høringssvar til Budget 2025\n\nRegionen har ingen bemærkninger.\n\nMed venlig hilsen\n\n"
        "Jens Jensen\nRegion Midtjylland\njens.jensen@rm.dk"
    )
    assert (m.sender, m.sender_type, m.municipality) == ("Region Midtjylland", "region", None)


def test_a_region_named_in_a_hoeringssvar_fra_line_is_the_region():  # issue 21 #5: it was a citizen
    for line in ("Høringssvar fra Region Midtjylland", "Høringssvar fra Region Midtjylland til Budget 2025",
                 "Høringssvar fra Region Midt vedr. Budget 2025"):
        m = meta(f"{line}\n\nRegionen støtter forslaget om flere pladser i aflastningen.")
        assert (m.sender, m.sender_type, m.municipality, m.needs_review) == ("Region Midtjylland", "region", None, False), line


def test_a_region_letterhead_is_the_region_but_not_under_an_addressee_line():  # issue 21 #5: it was 'ukendt'
    m = meta("Region Nordjylland\nNiels Bohrs Vej 30\n9220 Aalborg Øst\n\nHøringssvar til Budget 2025\n\n"
             "Regionen støtter planen fuldt ud.")
    assert (m.sender, m.sender_type, m.municipality) == ("Region Nordjylland", "region", None)
    for addressee in ("Regionsrådet", "Til:"):
        m = meta(f"{addressee}\nRegion Nordjylland\n\nHøringssvar til Budget 2025\n\nJeg er imod lukningen af bostedet.")
        assert m.sender_type != "region", addressee


def test_a_mail_from_a_private_address_naming_a_public_sender_is_marked_for_review():  # issue 21 #4
    body = "Vi støtter fuldt ud, at ventelisterne forlænges."
    for address in ("norddjurs.kommune@gmail.com", "post@norddjurs.dk.co", "post@norddjurs-kommune.dk.example.com"):
        m = meta(body, sender_hint="Norddjurs Kommune", sender_email=address)
        assert (m.sender, m.sender_type, m.municipality, m.needs_review) == ("Norddjurs Kommune", "kommune", "Norddjurs", True), address
    genuine = meta(body, sender_hint="Norddjurs Kommune", sender_email="post@norddjurs.dk")
    assert (genuine.sender, genuine.sender_type, genuine.needs_review) == ("Norddjurs Kommune", "kommune", False)
    for hint in ("Region Midtjylland", "MED-udvalget, Norddjurs Kommune", "Sundhedsstyrelsen"):
        assert meta(body, sender_hint=hint, sender_email="x@gmail.com").needs_review, hint
    # The letter's own text names the public sender, the address is a private one: a name only in the text.
    signed = meta(f"{body}\n\nMed venlig hilsen\n\nNorddjurs Kommune\nTorvet 3, 8500 Grenaa", sender_email="x@gmail.com")
    assert (signed.sender, signed.sender_type, signed.needs_review) == ("Norddjurs Kommune", "kommune", True)
    letterhead = meta(f"Norddjurs Kommune\nTorvet 3\n\n{body}", sender_email="x@gmail.com")
    assert (letterhead.sender, letterhead.sender_type, letterhead.needs_review) == ("Norddjurs Kommune", "kommune", True)


def test_a_look_alike_name_is_kept_as_written_and_marked_for_review():  # issue 21 #4
    lookalike = "Norddjurs K\u043emmune"  # a Cyrillic о
    m = meta("Vi støtter fuldt ud, at ventelisterne forlænges.", sender_hint=lookalike, sender_email="x@gmail.com")
    assert (m.sender, m.sender_type, m.municipality, m.needs_review) == (lookalike, "kommune", "Norddjurs", True)
    m = meta("Vi støtter planen.", sender_hint=lookalike, sender_email="post@norddjurs.dk")  # the address proves it,
    assert (m.sender, m.needs_review) == ("Norddjurs Kommune", True)  # the name is still suspect
    letter = meta(f"{lookalike}\nTorvet 3\n\nHøringssvar til Budget 2025\n\nVi støtter planen.")
    assert (letter.sender, letter.sender_type, letter.needs_review) == (lookalike, "kommune", True)


def test_a_letter_signed_for_a_municipality_with_a_private_address_is_marked_for_review():  # issue 21 #4
    m = meta("Høringssvar til Budget 2025\n\nVi støtter planen.\n\nMed venlig hilsen\n\nNorddjurs Kommune\n"
             "Torvet 3, 8500 Grenaa\nnorddjurs.kommune@gmail.com")
    assert (m.sender, m.sender_type, m.needs_review) == ("Norddjurs Kommune", "kommune", True)
    m = meta("Høringssvar til Budget 2025\n\nVi støtter planen.\n\nMed venlig hilsen\n\nNorddjurs Kommune\n"
             "Torvet 3, 8500 Grenaa\npost@norddjurs.dk")
    assert (m.sender, m.needs_review) == ("Norddjurs Kommune", False)


def test_med_committee_in_the_letterhead_with_its_municipality():
    m = meta(
        "LokalMED Ældreområdet\n\nHøringssvar til Budget 2025\n\n"
        "Udvalget er bekymret for besparelserne på plejecentrene i Vejle Kommune og i Vejle by."
    )
    assert m.sender_type == "med_udvalg"
    assert m.sender.startswith("LokalMED Ældreområdet")
    assert m.municipality == "Vejle"


def test_organisation_letter():
    m = meta(
        "Danske Handicaporganisationer Hedensted\n\n12. oktober 2023\n\nHøringssvar til Budget 2025\n\n"
        "Vi er bekymrede for besparelserne.\n\nMed venlig hilsen\n\nAnne Jensen\nFormand"
    )
    assert (m.sender, m.sender_type, m.date, m.hearing) == (
        "Danske Handicaporganisationer Hedensted",
        "organisation",
        "2023-10-12",
        "Budget 2025",
    )
    assert m.title == "Høringssvar til Budget 2025"


def test_company_letter():
    m = meta("Byggefirma Hansen & Søn A/S\n\nBemærkninger til lokalplan 123\n\nVi ønsker højere byggeri.\n\nMvh\n\nPeter Hansen\nDirektør")
    assert (m.sender, m.sender_type) == ("Byggefirma Hansen & Søn A/S", "virksomhed")
    assert m.hearing == "Lokalplan 123"


def test_citizen_letter_signed_with_name_and_address():
    m = meta(
        "Høringssvar vedr. skolestruktur\n\nJeg er mor til to børn på Vestergade Skole og er imod lukningen.\n\n"
        "Med venlig hilsen\n\nMette Frederiksen Hansen\nVestergade 12\n8700 Horsens"
    )
    assert (m.sender, m.sender_type, m.municipality) == ("Mette Frederiksen Hansen", "borger", None)
    assert m.hearing == "Skolestruktur"


def test_email_hints_fill_in_sender_and_date():
    m = meta("Hej\n\nHer er mit svar om busruten.", sender_hint="Ole Olsen", sender_email="ole@gmail.com", date_hint="2023-09-14", title="Svar")
    assert (m.sender, m.sender_type, m.date, m.title) == ("Ole Olsen", "borger", "2023-09-14", "Svar")


def test_the_letter_date_wins_over_the_email_date():
    m = meta("Aarhus, 2. oktober 2023\n\nVi støtter planen.", date_hint="2023-10-05")
    assert m.date == "2023-10-02"


def test_unknown_sender():
    m = meta("Vi støtter planen, men ønsker flere cykelstier.")
    assert (m.sender, m.sender_type, m.municipality, m.date) == ("", "ukendt", None, None)
    assert m.sender_type in SENDER_TYPES


def test_canonical_hearing_reuses_a_known_label_but_never_across_years():
    known = ["Visions- og udviklingsplan for Socialområdet i Region Midtjylland", "Budget 2024-2027"]
    assert canonical_hearing("Visions- og Udviklingsplanen for Socialområdet i Region Midtjylland", known) == known[0]
    assert canonical_hearing("Budget 2024", known) == "Budget 2024"
    assert canonical_hearing("Budget 2024-2027", ["Budget 2024"]) == "Budget 2024-2027"
    assert canonical_hearing("Lokalplan 123 for Aarhus Ø", known) == "Lokalplan 123 for Aarhus Ø"
    assert canonical_hearing(None, known) is None


# --- issue 17 #3: the order of the evidence; quoted text is never the sender; guesses marked for review ----


def test_a_citizens_mail_opening_with_a_municipality_is_the_citizens():
    m = meta(
        "Norddjurs Kommune har besluttet at lukke bostedet i Allingåbro.\n\nJeg synes, det er en dårlig idé.",
        sender_hint="Jens Hansen", sender_email="jens.hansen1961@gmail.com",
    )
    assert (m.sender, m.sender_type, m.municipality) == ("Jens Hansen", "borger", None)
    assert m.needs_review  # the letter names a municipality where the From header names a person


def test_hoeringssvar_fra_wins_over_a_municipality_quoted_in_the_first_lines():
    m = meta(
        "Høringssvar fra Jens Hansen\n\nNorddjurs Kommune skriver i forslaget, at pladserne skal flyttes.\n\n"
        "Norddjurs Kommune har ikke talt med de pårørende."
    )
    assert (m.sender, m.sender_type, m.municipality) == ("Jens Hansen", "borger", None)
    assert not m.needs_review


def test_a_quoted_reply_is_never_the_sender():
    m = meta(
        "Jeg er stadig imod.\n\nHilsen\n\nKaren Holm\n\nDen 3. oktober 2023 skrev Norddjurs Kommune:\n"
        "Norddjurs Kommune takker for dit høringssvar.\n\n> Norddjurs Kommune\n> Torvet 3",
    )
    assert m.sender_type != "kommune" and "Norddjurs" not in m.sender
    m = meta("> Norddjurs Kommune takker for høringssvaret.\n\nTak for svaret, men jeg er uenig.")
    assert (m.sender, m.sender_type) == ("", "ukendt") and m.needs_review


def test_a_mail_from_a_municipal_address_is_the_municipality():
    m = meta("Vi har ingen bemærkninger til planen.", sender_hint="Karin Holm", sender_email="kaho@horsens.dk")
    assert (m.sender, m.sender_type, m.municipality, m.needs_review) == ("Horsens Kommune", "kommune", "Horsens", False)


def test_a_person_signing_for_an_association_from_a_private_address():
    m = meta(
        "Høringssvar til Budget 2025\n\nVi ønsker kortere ventelister.\n\nMed venlig hilsen\n\nAnne Jensen\n"
        "Formand, Foreningen for kortere ventelister",
        sender_hint="Anne Jensen", sender_email="anne.j@hotmail.com",
    )
    assert (m.sender, m.sender_type, m.needs_review) == ("Foreningen for kortere ventelister", "organisation", False)


def test_an_attachment_is_described_by_its_own_letterhead_before_the_mail_it_came_with():
    doc = LoadedDocument(
        source="mail.eml#svar.pdf", parent_source="mail.eml", sender_hint="Jens Hansen", sender_email="jens@gmail.com",
        pages=[Page(number=1, text="Danske Handicaporganisationer Norddjurs\n\nHøringssvar til Budget 2025\n\n"
                                    "Norddjurs Kommune bør bevare aflastningen.")],
    )
    text, _ = clean_pages(doc.pages)
    m = extract_metadata(doc, text)
    assert (m.sender, m.sender_type, m.needs_review) == ("Danske Handicaporganisationer Norddjurs", "organisation", False)


def test_a_sender_read_from_the_opening_sentence_is_marked_for_review():
    guessed = meta("Høringssvar til Budget 2025\n\nFaxe Kommune takker for muligheden for at afgive høringssvar.")
    assert (guessed.sender, guessed.needs_review) == ("Faxe Kommune", True)
    signed = meta(
        "Høringssvar til Budget 2025\n\nFaxe Kommune takker for muligheden for at afgive høringssvar.\n\n"
        "Med venlig hilsen\n\nFaxe Kommune\nTorvegade 15, 4640 Faxe"
    )
    assert (signed.sender, signed.needs_review) == ("Faxe Kommune", False)


# --- issue 17 #11/#13: control characters and terminal escapes never reach a stored field --------------------


def test_control_characters_and_escape_sequences_from_mail_headers_are_not_stored():
    m = meta(
        "Hej\n\nHer er mit svar om busruten.",
        sender_hint="Ole\x1b[1A\x1b[2K Ol\x07sen\x00", sender_email="ole@gmail.com",
        title="Svar\x0b om\x1b]0;titel\x07 busruten\u202e\x08",
    )
    for value in (m.sender, m.title):
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch == "\u202e" for ch in value), repr(value)
    assert m.sender == "Ole Ol sen" and m.title == "Svar om busruten"


def test_a_display_name_that_names_an_organisation_is_not_a_person():
    m = meta("Hermed vores høringssvar.", sender_hint="Ældre Sagen Hedensted", sender_email="hedensted@aeldresagen.dk")
    assert (m.sender, m.sender_type, m.needs_review) == ("Ældre Sagen Hedensted", "organisation", False)


def test_a_mail_from_a_bare_private_address_is_not_the_municipality_its_first_sentence_names():
    m = meta("Norddjurs Kommune har besluttet at lukke bostedet.\n\nDet er en dårlig idé.", sender_email="jh1961@gmail.com")
    assert (m.sender, m.sender_type, m.municipality, m.needs_review) == ("jh1961@gmail.com", "ukendt", None, True)
