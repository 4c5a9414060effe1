"""ingest.clean: PDF-extraction artefacts undone, structure kept, CPR numbers masked."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.clean import CPR_MASK, clean_pages, mask_cpr, normalize, reflow, remove_repeated_lines
from ingest.schema import Page
from tests.conftest import SAMPLE_DIR


def clean(*texts: str) -> str:
    return clean_pages([Page(number=i + 1, text=t) for i, t in enumerate(texts)])[0]


# A double-spaced PDF extraction: a blank line after every wrapped line (as in the Norddjurs letter).
DOUBLE_SPACED = (
    "Norddjurs Kommune finder, at de udvalgte strategispor og pejlemærker er yderst relevante i for-\n\n"
    "hold til de udfordringer, der er på det (højt) specialiserede socialområde nu og på mellemlangt \n\n"
    "sigt. Vi bifalder i særdeleshed, at der i visions- og udviklingsplanen skabes yderligere fokus på \n\n"
    "borgerperspektivet, borgers oplevelse af medansvar og den generelle inddragelseskultur på soci-\n\n"
    "alområdet. \n\n"
    " \n\n"
    "Overordnede bemærkninger \n\n"
    "Vi ser frem til det videre samarbejde om planen og takker for muligheden for at give et svar.\n"
)


def test_double_spaced_text_is_reflowed_and_dehyphenated():
    text = clean(DOUBLE_SPACED)
    assert "i forhold til de udfordringer" in text
    assert "på socialområdet." in text
    assert "for-" not in text and "soci-" not in text
    # wrapped lines are one paragraph again; the real paragraph break and the heading stay
    first, *rest = text.split("\n\n")
    assert first.startswith("Norddjurs Kommune finder") and first.endswith("på socialområdet.")
    assert "\n" not in first
    assert "Overordnede bemærkninger" in rest[0]
    assert text.endswith("give et svar.")


def test_hyphen_before_a_conjunction_is_kept():
    wrapped = (
        "Høringssvar til Visions-\n"
        "og udviklingsplan for Socialområdet i Region Midtjylland, som vi har læst med stor interesse og\n"
        "stor glæde, og som vi gerne vil bidrage til i de kommende år sammen med de andre kommuner.\n"
    )
    text = clean(wrapped)
    assert "Visions- og udviklingsplan" in text
    assert "Visionsog" not in text
    assert clean("Social-\neller sundhedsområdet skal prioriteres") == "Social- eller sundhedsområdet skal prioriteres"


def test_hyphenated_word_inside_a_single_spaced_paragraph():
    text = clean(
        "Vi ønsker, at regionen fortsat prioriterer det tværsektori-\n"
        "elle samarbejde med kommunerne, og at der afsættes tilstrækkelige midler til området.\n"
    )
    assert "det tværsektorielle samarbejde" in text


def test_seed_letter_is_cleaned_like_the_letter_reads():
    raw = (SAMPLE_DIR / "002_eb13e6cc94d726ef.txt").read_text(encoding="utf-8")
    assert "i for-\n\nhold til" in raw  # the artefact is really in the seed
    text = clean(raw)
    assert "i forhold til de udfordringer" in text
    assert "Visions- og Udviklingsplanen for Socialområdet i Region Midtjylland" in text
    assert "\n\n\n" not in text and "  " not in text


def test_bullets_and_numbered_items_stay_on_their_own_lines():
    text = clean(
        "Vi har følgende bemærkninger til planen, som vi håber at regionen vil tage med i det videre arbejde:\n"
        "- bedre koordinering mellem sektorerne\n"
        "• flere uddannelsespladser på området\n"
        "1. en styrket indsats for de unge\n"
        "2) fokus på rekruttering\n"
        "\n"
        "Vi ser frem til samarbejdet."
    )
    lines = text.split("\n")
    assert "- bedre koordinering mellem sektorerne" in lines
    assert "• flere uddannelsespladser på området" in lines
    assert "1. en styrket indsats for de unge" in lines
    assert "2) fokus på rekruttering" in lines
    assert lines[-1] == "Vi ser frem til samarbejdet."


def test_a_wrapped_bullet_item_is_joined_but_the_next_item_is_not():
    text = clean(
        "Regionen bør i den kommende planperiode især have fokus på følgende forhold på området:\n"
        "- en bedre koordinering mellem sektorerne, så borgerne oplever et sammenhængende\n"
        "forløb på tværs af kommune og region\n"
        "- flere uddannelsespladser"
    )
    assert text.split("\n")[1:] == [
        "- en bedre koordinering mellem sektorerne, så borgerne oplever et sammenhængende forløb på tværs af kommune og region",
        "- flere uddannelsespladser",
    ]


def test_table_rows_stay_rows():
    assert clean("Område\tBeløb\nÆldre\t1,2 mio. kr.\nBørn\t0,8 mio. kr.") == "Område\tBeløb\nÆldre\t1,2 mio. kr.\nBørn\t0,8 mio. kr."


def test_repeated_headers_footers_and_page_numbers_are_dropped():
    bodies = [
        "Første side handler om ældreområdet og de lange ventelister.",
        "Anden side handler om børneområdet og dagtilbuddene.",
        "Tredje side handler om kollektiv trafik i yderområderne.",
    ]
    pages = [
        Page(number=i + 1, text=f"Region Midtjylland · Høringssvar 2023\nSagsnr. 1-23-4-56\n\n{body}\n\nSide {i + 1} af 3\n- {i + 1} -")
        for i, body in enumerate(bodies)
    ]
    text, spans = clean_pages(pages)
    for gone in ("Region Midtjylland · Høringssvar", "Sagsnr.", "Side 1 af 3", "Side 3 af 3", "- 2 -"):
        assert gone not in text
    assert text == "\n\n".join(bodies)
    assert [text[a:b] for a, b in spans] == bodies


def test_identical_pages_are_text_not_headers_and_real_headers_still_go():
    letter = "Grundejerforeningen Søhøjlandet\nVi ønsker at støjvolden bliver forlænget.\nMed venlig hilsen\nAnna Hansen"
    # the same page three times (page numbers aside): nothing is a running header
    assert remove_repeated_lines([f"{letter}\nSide {i} af 3" for i in (1, 2, 3)]) == [letter] * 3
    # a header over pages that differ still goes, also on a page printed twice
    bodies = ["Første side om ventelister.", "Anden side om botilbud.", "Anden side om botilbud."]
    pages = [f"Region Midtjylland · Høringssvar 2023\n{body}" for body in bodies]
    assert remove_repeated_lines(pages) == bodies


def test_a_line_on_one_page_only_is_not_a_header():
    pages = ["Aarhus Kommune\nFørste side tekst.", "Ingen overskrift her\nAnden side tekst.", "Tredje side\nslut."]
    assert remove_repeated_lines(pages)[0].startswith("Aarhus Kommune")


def test_bare_page_numbers_are_dropped_even_in_a_one_page_letter():
    assert clean("Vi støtter planen.\n\n1") == "Vi støtter planen."
    assert clean("Side 1 af 1\n\nVi støtter planen.") == "Vi støtter planen."


def test_page_spans_point_at_each_page_text():
    text, spans = clean_pages([Page(number=1, text="Side et tekst."), Page(number=2, text=""), Page(number=3, text="Side tre tekst.")])
    assert [text[a:b] for a, b in spans] == ["Side et tekst.", "", "Side tre tekst."]


def test_nfc_soft_hyphens_spaces_and_ligatures():
    decomposed = "A\u030arhus og Ko\u0308ge"  # Å and ö as base letter + combining mark
    assert unicodedata.normalize("NFC", decomposed) != decomposed
    text = normalize(f"{decomposed}  med\u00a0hårde\u2009mellemrum, blød\u00adbindestreg, \ufb01nde og \ufb02ertal\u200b.")
    assert text == "Århus og Köge med hårde mellemrum, blødbindestreg, finde og flertal."
    assert unicodedata.is_normalized("NFC", text)


def test_markdown_residue_is_removed():
    text = clean("## Høringssvar\n\nSkriv til [hoering@rm.dk](mailto:hoering@rm.dk) eller se **planen**.")
    assert text == "Høringssvar\n\nSkriv til hoering@rm.dk eller se planen."


def test_windows_line_endings_and_form_feeds():
    assert clean("Første linje.\r\n\r\nAndet afsnit.\fTredje afsnit.") == "Første linje.\n\nAndet afsnit.\nTredje afsnit."


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234", "311299-4321", "290200-1111"])
def test_cpr_numbers_with_a_valid_date_are_masked(cpr):
    assert mask_cpr(f"Borgerens CPR-nr. {cpr} fremgår af sagen.") == f"Borgerens CPR-nr. {CPR_MASK} fremgår af sagen."


@pytest.mark.parametrize(
    "text",
    [
        "320190-1234",  # day 32
        "011390-1234",  # month 13
        "290201-1234",  # 29 February in a non-leap year (1901 and 2001)
        "tlf. 86 12 34 56",
        "konto 12345678901",  # 11 digits: not a CPR number
        "+4501019012345",
        "sagsnr. 27.00.00-K04-2-23",
    ],
)
def test_other_numbers_are_not_masked(text):
    assert mask_cpr(text) == text


def test_cpr_is_masked_in_cleaned_text_across_a_line_break():
    text = clean("Ansøger: Jens Hansen\nCPR 010190-1234\nog hans datter 0101101234 bor i kommunen.")
    assert "010190-1234" not in text and "0101101234" not in text
    assert text.count(CPR_MASK) == 2


def test_reflow_of_empty_text():
    assert reflow("") == "" and clean("", "  \n ") == "\n\n"


# --- issue 17 #5: CPR numbers in the forms people and PDF extractors write them --------------------------


@pytest.mark.parametrize(
    "cpr",
    [
        "150275 4321",  # a space
        "150275–4322",  # an en dash (also em dash, minus sign, non-breaking hyphen)
        "150275—4323",
        "150275\u22124324",
        "150275\u20114325",
        "010190\u2060-1234",  # word joiner
        "010190\u200b-1234",  # zero-width space, non-joiner, joiner
        "0101\u200c90-1234",
        "010190-\u200d1234",
        "010190\u00a01234",  # non-breaking space
        "010190\u00a0-\u00a01234",
        "010190 - 1234",
        "010190-\n1234",  # split across a line break
        "010190\n1234",
        "\uff10\uff11\uff10\uff11\uff19\uff10-1234",  # full-width digits
    ],
)
def test_cpr_numbers_in_every_written_form_are_masked(cpr):
    assert mask_cpr(f"CPR-nr. {cpr} fremgår.") == f"CPR-nr. {CPR_MASK} fremgår."


def test_cpr_split_across_a_page_break_is_masked_and_page_spans_follow():
    text, spans = clean_pages([Page(number=1, text="Ansøger: Jens, cpr 150275-"), Page(number=2, text="4321. Han bor i Vejle 020290–1234.")])
    assert "150275" not in text and "4321" not in text and "020290" not in text
    assert text.count(CPR_MASK) == 2
    assert spans[0][0] == 0 and spans[-1][1] == len(text) and spans[0][1] <= spans[1][0]


def test_clean_field_strips_escapes_and_control_characters_and_masks_cpr():
    from ingest.clean import clean_field

    assert clean_field("Karen\x1b[1A\x1b[2K Hansen\x07\r\n010190\u2060-1234\u202e") == f"Karen Hansen {CPR_MASK}"
    assert clean_field(None) == "" and clean_field("\x00\x1b[0m") == ""


def test_cpr_in_a_file_name_is_masked_with_a_tag_that_keeps_files_apart():
    from ingest.clean import mask_cpr_in_name

    one, two = mask_cpr_in_name("svar/Jens 150275-4321.txt"), mask_cpr_in_name("svar/Jens 150275-4322.txt")
    assert "150275" not in one + two and "4321" not in one and one != two
    assert one.startswith("svar/Jens [CPR-") and one.endswith("].txt")
    assert mask_cpr_in_name("svar/faxe.txt") == "svar/faxe.txt"


# --- issue 21 #6: the forms people, PDF extractors and OCR write CPR numbers in; ordinary numbers stay ----------


@pytest.mark.parametrize(
    "cpr",
    [
        "15.02.75-4321",  # dots in the date
        "150275/4322",  # a slash
        "15/02/75-4323",
        "15-02-75-4324",  # dashes everywhere
        "15 02 75-4325",
        "15 02 75 4327",  # spaces everywhere (a whole number on its own)
        "1 5 0 2 7 5 - 4 3 2 3",  # letter-spaced (PDF text layers, OCR)
        "1 5 0 2 7 5 4 3 2 6",
        "15.02.75\u2013\n4328",  # wrapped after an en dash
        "1\u200b5.02.75-4329",  # an invisible character inside
        "150275\\4365",  # a backslash (red-team attack)
        "150275_4366",  # an underscore
    ],
)
def test_cpr_numbers_in_more_written_forms_are_masked(cpr):
    assert mask_cpr(f"Min nabo {cpr} er enig.") == f"Min nabo {CPR_MASK} er enig."


@pytest.mark.parametrize(
    "cue, cpr",
    [
        ("CPR-nummer er ", "1 5 0 2 7 5 - 4 3 2 3"),
        ("CPR-nummer er ", "1 5 0 2 7 5 4 3 2 3"),
        ("cpr.nr.: ", "15.02.75 4321"),  # a date and a count without the cue word
        ("Personnummer (CPR): ", "1502 75 4321"),
        ("C P R - n u m m e r :  ", "1 5 0 2 7 5  4 3 2 3"),  # a letter-spaced line of OCR
        ("CPR-nummer:\n", "15 02 75 4327"),
        # red-team attack on issue 21 #6: a four-digit year, the serial in two groups, odd separators
        ("CPR: ", "15 02 1975 4337"),
        ("cpr ", "15.02.1975-4338"),
        ("personnr. ", "15-02-1975-4356"),
        ("CPR ", "150275 43 62"),
        ("CPR-nr. ", "15 02 75 43 63"),
        ("CPR ", "1502-754364"),
    ],
)
def test_after_a_cue_word_looser_forms_are_masked(cue, cpr):
    assert mask_cpr(f"{cue}{cpr}.") == f"{cue}{CPR_MASK}."


@pytest.mark.parametrize(
    "text",
    [
        "Ring på tlf. 86 12 34 56 eller 20 12 34 56.",  # phone numbers
        "tlf. 86 12 34 56 8700 Horsens",
        "Mødet er den 15.02.2023 kl. 10.15.",  # dates
        "Perioden 15.02.2023-15.02.2024 og 15.02.23-15.02.24.",
        "pr. 31.12.22 1234 borgere",  # a date and a count
        "Budgettet er 6,2 mio. kr. (6.200.000 kr.).",  # amounts
        "Sagsnr. 1-30-72-1-23 og j.nr. 2023-012345, ref. 27.00.00-K04-2-23.",  # case and journal numbers
        "Vestergade 12, 8700 Horsens; Postboks 150, 2750 Ballerup.",  # postcodes and house numbers
        "Række 3 12 10 15 1200 i tabellen",  # the end of a row of numbers
        "EAN 5798 0001 2345 6, CVR 12345678, tlf. 2102 7543",
        "CPR-nr.: 15.02.2023 12",  # after a cue, still a date (four-digit year)
        "Svar 1 5 0 2 7 5 4 3 2 3 4",  # eleven letter-spaced digits
    ],
)
def test_ordinary_numbers_are_not_masked(text):
    assert mask_cpr(text) == text


def test_masking_a_long_hostile_run_of_digits_is_quick():
    import time

    started = time.perf_counter()
    for text in ("1 " * 200_000, "11 11 11 1111 " * 50_000, "0" * 1_000_000):
        mask_cpr(text)
    assert time.perf_counter() - started < 10
