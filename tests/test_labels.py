"""Label form (answering/labels.py): noun phrases of 2–6 words pass, sentence fragments do not."""

from __future__ import annotations

import pytest

from answering.labels import fragment_reason, noun_phrases, tag

NOUN_PHRASES = ["Rekruttering af fagpersonale", "Ventelister i psykiatrien", "Besparelser på budgettet",
                "Samarbejde med kommunerne", "Rekruttering og fastholdelse af faguddannet personale",
                "Inddragelse af pårørende og frivillige", "Den borgerrettede indsats", "Kommunernes økonomi"]
FRAGMENTS = ["Ligeledes vigtigt", "Har stor betydning for kommunernes", "Visions- og udviklingsplanen skabes yderligere",
             "Millioner kroner om året resulterende",
             "Oplæringen af vikarer skal foregå", "Internt jobskifte velkomment", "Samarbejde med", "Personale",
             "Vi oplever store kapacitetsudfordringer"]


@pytest.mark.parametrize("label", NOUN_PHRASES)
def test_a_noun_phrase_is_a_label(label):
    assert fragment_reason(label) is None


@pytest.mark.parametrize("label", FRAGMENTS)
def test_a_fragment_is_not(label):
    assert fragment_reason(label) is not None


def test_phrases_are_found_inside_a_clause():
    words = ["Vi", "oplever", "store", "kapacitetsudfordringer", "og", "lange", "ventelister", "i", "psykiatrien"]
    found = {" ".join(words[i:j]) for i, j in noun_phrases(tag(words))}
    assert "store kapacitetsudfordringer og lange ventelister" in found
    assert "lange ventelister i psykiatrien" not in found  # a coordination is not cut in two
    assert not any(p.startswith(("oplever", "Vi")) for p in found)
