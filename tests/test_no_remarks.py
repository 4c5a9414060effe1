"""retrieval/no_remarks.py: a letter that only says it has no remarks, in the forms Danish authorities use."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.no_remarks import no_remarks, no_remarks_rule, split_sentences

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.mark.parametrize("text", [
    "Kommunen har ingen bemærkninger til høringen.",
    "Skive Kommune har ikke bemærkninger.",
    "Region Midtjylland har hermed ingen yderligere kommentarer.",
    "Forslaget giver ikke anledning til bemærkninger fra Favrskov Kommune.",
    "Materialet giver ingen anledning til bemærkninger.",
    "Ingen kommentarer.",
    "Ingen bemærkninger",
    "Vi har ingen indsigelser.",
    "Teknik og Miljø tager orienteringen til efterretning.",
    "Udvalget kan tiltræde forslaget uden bemærkninger.",
    "Kommunen har intet at bemærke.",
    "Handicaprådet ønsker ikke at afgive høringssvar.",
    "Der er ingen bemærkninger fra Borgmesterens Afdeling.",
    "We have no comments.",
    "No remarks.",
    "The proposal does not give rise to any comments.",
])
def test_the_set_forms_of_no_remarks_are_recognised(text):
    result = no_remarks(text)
    assert result.found and result.sentence and result.reason == "only_no_remarks", result


@pytest.mark.parametrize("sentence", [
    "Vi har ingen bemærkninger til kapitel 2, men vi er imod den nye takstmodel.",
    "Kommunen har ingen bemærkninger ud over følgende:",
    "Har kommunen ingen bemærkninger?",
    "Vi tager til efterretning, at regionen vil lukke afdelingen, og vi protesterer mod beslutningen.",
    "Kommunen støtter forslaget.",
])
def test_a_sentence_that_goes_on_or_asks_is_not_a_no_remarks_sentence(sentence):
    assert no_remarks_rule(sentence) is None


def test_a_one_line_mail_with_greeting_signature_and_contact_block_is_no_remarks():
    mail = ("Emne: Høring vedr. lokalplan 123\n\nHej\n\nSkive Kommune har ikke bemærkninger til udkastet.\n\n"
            "Venlig hilsen\n\nJens Hansen\nTeamleder, Plan og Byg\nSkive Kommune\nTorvegade 10, 7800 Skive\n"
            "Tlf. 99 15 55 00\njens.hansen@skive.dk\n")
    result = no_remarks(mail)
    assert result.found and result.sentence == "Skive Kommune har ikke bemærkninger til udkastet."


def test_procedure_thanks_and_dates_around_the_no_remarks_sentence_are_not_content():
    letter = ("12. oktober 2023\n\nHøringssvar vedr. regional udviklingsstrategi\n\nHermed svar fra Favrskov Kommune.\n\n"
              "Tak for muligheden for at afgive høringssvar. Favrskov Kommune har gennemgået høringsmaterialet, og "
              "materialet giver ikke anledning til bemærkninger.\n\nMed venlig hilsen\nAnne Jensen\nSagsbehandler")
    assert no_remarks(letter).found


def test_no_remarks_to_one_part_followed_by_real_content_is_not_no_remarks():
    letter = ("Vi har ingen bemærkninger til kapitel 2.\n\nTil kapitel 3 vil vi gerne påpege, at ventelisterne til "
              "bostederne er blevet længere, og at der mangler uddannet personale.\n\nVenlig hilsen\nLMU")
    result = no_remarks(letter)
    assert not result.found and result.reason == "has_content"
    assert result.sentence == "Vi har ingen bemærkninger til kapitel 2." and "ventelisterne" in result.content


def test_a_mail_that_only_points_to_an_attachment_is_not_no_remarks():
    result = no_remarks("Hej\n\nVedhæftet er vores høringssvar.\n\nVenlig hilsen\nSocialudvalget")
    assert not result.found and result.reason == "no_marker"


def test_empty_text_is_not_no_remarks():
    assert no_remarks("").reason == "empty" and not no_remarks("  \n ").found


@pytest.mark.parametrize("path", sorted(SAMPLE.glob("*.txt")), ids=lambda p: p.name)
def test_none_of_the_five_sample_letters_is_no_remarks(path):
    assert not no_remarks(path.read_text(encoding="utf-8")).found


def test_wrapped_lines_are_joined_and_mail_lines_kept_apart():
    text = "Kommunen har ingen bemærk-\nninger til forslaget og er\nglad for det. Næste sætning.\n\nVenlig hilsen\nJens"
    assert split_sentences(text) == ["Kommunen har ingen bemærkninger til forslaget og er glad for det.",
                                     "Næste sætning.", "Venlig hilsen", "Jens"]


def test_without_remarks_counts_only_after_an_approving_verb():
    assert no_remarks_rule("Udvalget kan tiltræde forslaget uden bemærkninger.") == "without"
    assert no_remarks_rule("Påtegningen er afgivet uden forbehold og uden bemærkninger.") is None
