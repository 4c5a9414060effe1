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


# --- lines about the letter itself (meta-discourse): never evidence, never a quote --------------------------------

LINES_ABOUT_THE_LETTER = [
    # the five sample letters (data/sample): every line the rule takes from them
    "Høringssvaret er fremlagt for Udvalget for Social Omsorg den 2. oktober 2023.",
    "Norddjurs Kommune takker for invitationen til at indgive høringssvar til Visions- og udviklingsplanen for "
    "Socialområdet i Region Midtjylland.",
    "Vores Spørgsmål og bemærkninger til konkrete målsætninger fremlagt i planen fremgår af skemaet indsat nedenfor.",
    "Vi vil ligeledes give følgende opmærksomhedspunkter videre:",
    "Formandsskabet i Hoved-MEDudvalget for Socialområdet har drøftet forslag til budget 2024.",
    "Vi henviser til udtale-svar fra LMUér og personalemøder med MED-status på socialområdet.",
    # the same acts in other words
    "Tak for muligheden for at afgive høringssvar.",
    "Mange tak for muligheden for at afgive høringssvar til forslaget om ændring af lov om social service.",
    "KL takker for muligheden for at kommentere udkastet.",
    "Vi har modtaget høringsmaterialet vedrørende forslag til lov om ændring af serviceloven.",
    "Høringssvaret er godkendt af Børne- og Ungeudvalget den 3. marts 2024.",
    "Dette høringssvar er udarbejdet i samarbejde med Handicaprådet.",
    "Udvalget har godkendt høringssvaret på sit møde den 4. april.",
    "Hermed fremsendes Aarhus Kommunes høringssvar, som er godkendt af byrådet.",
    "Vedlagt er vores kommentarer til udkastet.",
    "Se bilag 2 for vores samlede bemærkninger.",
    "Vi har følgende bemærkninger til forslaget:",
    "Spørgsmål til høringssvaret kan rettes til undertegnede.",
    "Vi står gerne til rådighed for en uddybning af vores bemærkninger.",
    "Med venlig hilsen Jens Jensen, direktør",
    "- Høringssvaret er fremlagt for direktionen den 2. oktober 2023.",
    "Thank you for the opportunity to comment on the draft plan.",
    "We have received the consultation on the new regional plan.",
    "Please find attached our response to the consultation.",
    "Our comments on the proposed targets are set out in the table below.",
    "This response has been approved by the Health Committee on 3 March.",
    "Kind regards, Jane Smith",
]

SAYING_SOMETHING_NEAR_THE_LETTER = [
    "Tak for muligheden for at afgive høringssvar, men vi er meget bekymrede for ventelisterne.",
    "Vi takker for muligheden og vil gerne understrege, at ventelisterne er for lange.",
    "Hermed fremsendes vores høringssvar, hvor vi særligt peger på de lange ventelister.",
    "Vi har modtaget mange klager over lange ventelister på botilbud.",
    "Det fremgår af bilaget, at ventelisterne er steget med 20 procent.",
    "Ventelisterne er steget med 20 %, som det ses i tabellen nedenfor.",
    "Vi henviser til, at ventelisterne er vokset markant siden 2020.",
    "Dette høringssvar omhandler især ventelister og rekruttering.",
    "Vi har i SOH læst høringsudkastet til visions- og udviklingsplanen for socialområdet i Region Midtjylland med begejstring.",
    "Vi hilser velkomment, at der i høj grad er fokus på tidlig indsats samt forebyggende indsats på socialområdet.",
    "Vi har drøftet ventelisterne med de pårørende og finder dem uacceptable.",
    "Som nævnt ovenfor er ventelisterne alt for lange i hele regionen.",
    "Thanks to the new law, waiting lists fell by half in two years.",
    "Dette ser vi ikke adresseret i Visions- og udviklingsplanen.",
]


@pytest.mark.parametrize("line", LINES_ABOUT_THE_LETTER)
def test_a_line_about_the_letter_itself_is_no_statement(line):
    from index.statements import is_administrative, is_meta_discourse, says_something

    assert is_meta_discourse(line) and not says_something(line) and not is_statement(line)
    assert is_administrative(line)  # and never a theme's quote or label either


@pytest.mark.parametrize("line", SAYING_SOMETHING_NEAR_THE_LETTER)
def test_a_sentence_that_says_something_beside_the_act_stays_a_statement(line):
    from index.statements import is_meta_discourse

    assert not is_meta_discourse(line) and is_statement(line)


def test_the_rule_takes_only_lines_about_the_letter_from_the_sample_letters(searcher):
    """Every sentence of the five sample letters that the rule takes is one of the six lines above (listed in the
    report of issue 22): no sentence that says something about the matter is lost."""
    from index.statements import is_meta_discourse

    snap = searcher.snapshot()
    taken = set()
    for row, (a, b) in zip(snap.sentence_rows.tolist(), snap.sentence_spans.tolist()):
        text = " ".join(snap.texts[row][a:b].split())
        if is_meta_discourse(text) and text != "Med venlig hilsen":
            taken.add(text)
    assert taken == set(LINES_ABOUT_THE_LETTER[:6])
