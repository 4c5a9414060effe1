"""Which sentences can be evidence (index/statements.py): statements, never letterheads or contact lines."""

from __future__ import annotations

import pytest

from index.statements import is_keyword_list, is_statement


@pytest.mark.parametrize(
    "line",
    [
        "Høringssvar fra Skive Kommune 12. oktober 2023",
        "Et socialområde i bevægelse Side 5 Rekruttering/ Fastholdelse",
        "Fagligt stærke specialområder Side 13 Rekruttering/ Arbejds miljø/ Arbejdsvilkår Styrkelse af socialområdets "
        "omdømme, rekruttering professionelt, sikring af fleksible arbejdsvilkår og sundt arbejdsmiljø.",
        "Side 2 af 7",
        "Kontakt: Jens Hansen, tlf. 87 65 43 21, jh@skive.dk",
        "visionsogudviklingsplan@social.rm.dk",
        "Læs mere på https://www.rm.dk/socialomraadet",
        "Henvisning\tEmner\tVision\tSpørgsmål/bemærkninger",
        "- ”Medansvar til borgere og pårørende”",
        "Med venlig hilsen",
    ],
)
def test_headings_letterheads_and_contact_lines_are_not_statements(line):
    assert not is_statement(line)


@pytest.mark.parametrize(
    "line",
    [
        "Vi er bekymrede for de lange ventelister til botilbud i hele regionen.",
        "Vi oplever store kapacitetsudfordringer, som kommer til syne, ved at der er lange ventelister og en meget lang matchningsproces.",
        "- Vi ser en stigning i flere samtidige udfordringer hos borgerne, samt en tendens til videre udredning",
        "We are concerned about the long waiting lists for residential care.",
        "Som det fremgår af side 13 i planen, skal rekrutteringen styrkes i de kommende år.",
    ],
)
def test_sentences_that_say_something_are_statements(line):
    assert is_statement(line)


@pytest.mark.parametrize(
    "line",
    [
        # red-team attack on issue 21 #8: one function word ("til") no longer lets a keyword list through
        "Nøgleord: ventelister, venteliste, botilbud, handicap, psykiatri, ventelister til botilbud, Hedensted, Norddjurs, Roskilde.",
        "ventelister, venteliste, botilbud, handicap, psykiatri, ventelister til botilbud, Hedensted, Norddjurs, Roskilde.",
        "Keywords: waiting lists, residential care, capacity, waiting list, care homes, Hedensted, Norddjurs.",
    ],
)
def test_keyword_lists_are_not_statements(line):
    assert is_keyword_list(line) and not is_statement(line)


@pytest.mark.parametrize(
    "line",
    [
        "Kommunen mangler sygeplejersker, pædagoger, social- og sundhedsassistenter, psykologer, ergoterapeuter og fysioterapeuter.",
        "Vi ønsker bedre busser, cykelstier, fortove, parker og belysning i hele kommunen.",
        "Det drejer sig om rekruttering, fastholdelse, kompetenceudvikling, arbejdsmiljø, sygefravær og ledelse i hele sektoren.",
    ],
)
def test_enumerations_in_sentences_are_statements(line):
    assert not is_keyword_list(line) and is_statement(line)
