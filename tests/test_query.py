"""Understanding a question (retrieval/query.py): language, inferred filters, topic words, BM25 terms.

Pure functions over the real gazetteer and the real lingua detector; the sender names are those of the
bundled sample corpus (read from the sample index where that matters).
"""

from __future__ import annotations

import pytest

from retrieval.query import detect_language, infer_filters, query_terms, strip_scope_words
from index.records import Filters

SAMPLE_SENDERS = [
    "Hedensted Kommune (Voksenhandicap)",
    "Hoved-MEDudvalget for Socialområdet",
    "LMU Specialområde Hjernesgade (SOH)",
    "Norddjurs Kommune",
    "OMU Social, Roskilde Kommune",
]


# --- language --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Hvad siger kommunerne om ventelister?",
        "Hvem nævner vikarer?",
        "Hvad med Roskilde?",
        "Og Norddjurs?",
        "Hvilke kommuner nævner ventelister?",
        "Fortæl om ventelister",
        "ventelister",
        "Hvad siger HMU om besparelser?",
    ],
)
def test_danish_questions_are_detected_as_danish(question):
    assert detect_language(question) == "da"


@pytest.mark.parametrize(
    "question",
    [
        "What about Roskilde?",
        "And Norddjurs?",
        "what do municipalities say about waiting lists?",
        "Who mentions temporary staff?",
        "What does HMU say about savings?",
        "Tell me about waiting lists",
        "waiting lists",
        "Which municipality has good experiences with councils for residents?",
    ],
)
def test_english_questions_are_detected_as_english(question):
    assert detect_language(question) == "en"


def test_language_does_not_follow_the_default_for_clear_questions():
    # the configured default language only breaks ties; it never overrides a clear question
    assert detect_language("What about Roskilde?", default="da") == "en"
    assert detect_language("Hvad med Roskilde?", default="en") == "da"


# --- inferred filters ---------------------------------------------------------------------------------


def test_kommunerne_infers_sender_type_kommune():
    f = infer_filters("Hvad siger kommunerne om ventelister?", SAMPLE_SENDERS)
    assert f.active() == {"sender_type": "kommune"}
    assert f.inferred == ["sender_type"]


def test_english_municipalities_infers_sender_type_kommune():
    f = infer_filters("what do municipalities say about waiting lists?", SAMPLE_SENDERS)
    assert f.active() == {"sender_type": "kommune"}
    assert f.inferred == ["sender_type"]


@pytest.mark.parametrize(
    "question",
    [
        "Hvad mener MED-udvalgene om vikarer?",
        "Hvad siger medarbejderudvalgene om sygefravær?",
        "What do the employee committees say about temporary staff?",
        "What do staff committees think about savings?",
    ],
)
def test_committee_words_infer_med_udvalg(question):
    f = infer_filters(question, SAMPLE_SENDERS)
    assert f.active() == {"sender_type": "med_udvalg"}
    assert f.inferred == ["sender_type"]


@pytest.mark.parametrize(
    "question, municipality",
    [
        ("Hvad siger Norddjurs om prisen på de regionale tilbud?", "Norddjurs"),
        ("Hvad savner Norddjurs Kommune i planens konkrete mål?", "Norddjurs"),
        ("Hvad mener Roskildes OMU om budgettet?", "Roskilde"),
        ("What about Roskilde?", "Roskilde"),
        ("Hvad mener Hedensted om de årlige dialogmøder?", "Hedensted"),
    ],
)
def test_a_named_municipality_becomes_the_municipality_filter(question, municipality):
    f = infer_filters(question, SAMPLE_SENDERS)
    assert f.municipality == municipality
    assert "municipality" in f.inferred
    assert f.sender_type is None  # a named municipality is not the group "kommuner"


def test_two_named_municipalities_do_not_narrow_to_either():
    f = infer_filters("Hvad siger Norddjurs og Hedensted om ventelister?", SAMPLE_SENDERS)
    assert f.municipality is None
    assert f.is_empty()


def test_a_distinctive_sender_word_infers_the_sender():
    f = infer_filters("Hvad skriver Hjernesgade om vikarer?", SAMPLE_SENDERS)
    assert f.sender == "LMU Specialområde Hjernesgade (SOH)"
    assert f.inferred == ["sender"]


def test_a_sender_abbreviation_infers_the_sender():
    f = infer_filters("Hvad siger OMU om besparelser?", SAMPLE_SENDERS)
    assert f.sender == "OMU Social, Roskilde Kommune"


def test_generic_words_of_sender_names_do_not_infer_a_sender():
    # "Socialområdet" and "Kommune" occur in several sender names: no single sender is meant
    f = infer_filters("Hvad siger høringssvarene om socialområdet?", SAMPLE_SENDERS)
    assert f.sender is None
    assert f.is_empty()


def test_sender_inference_against_the_real_index(sample_index):
    """The senders the searcher offers to inference are those of the index; Hjernesgade maps to letter 003."""
    from retrieval.search import Searcher

    searcher = Searcher(sample_index)
    f = searcher.resolve_filters("Hvad skriver Hjernesgade om vikarer?", None, infer=True)
    assert f.sender == "LMU Specialområde Hjernesgade (SOH)"
    assert f.inferred == ["sender"]


def test_a_plain_topic_question_infers_nothing():
    f = infer_filters("Hvem nævner vikarer?", SAMPLE_SENDERS)
    assert f.is_empty()
    assert f.inferred == []


# --- strip_scope_words and terms ---------------------------------------------------------------------


def test_strip_scope_words_removes_the_group_word():
    q = "Hvad siger kommunerne om ventelister?"
    topic = strip_scope_words(q, infer_filters(q, SAMPLE_SENDERS))
    assert "kommunerne" not in topic.lower()
    assert "ventelister" in topic
    assert topic == "Hvad siger om ventelister?"


def test_strip_scope_words_removes_the_english_group_word():
    q = "what do municipalities say about waiting lists?"
    topic = strip_scope_words(q, infer_filters(q, SAMPLE_SENDERS))
    assert "municipalities" not in topic
    assert "waiting lists" in topic


def test_strip_scope_words_removes_municipality_with_genitive_and_kommune():
    q = "Hvad savner Norddjurs Kommune i planens konkrete mål?"
    topic = strip_scope_words(q, infer_filters(q, SAMPLE_SENDERS))
    assert "Norddjurs" not in topic and "Kommune" not in topic
    assert "planens konkrete mål" in topic

    q = "Hvad mener Roskildes OMU om budgettet?"
    topic = strip_scope_words(q, infer_filters(q, SAMPLE_SENDERS))
    assert "Roskilde" not in topic
    assert "OMU om budgettet" in topic


def test_strip_scope_words_keeps_words_that_were_set_by_the_user():
    # the user set the filter: nothing was inferred, so the question is searched as asked
    q = "Hvad siger kommunerne om ventelister?"
    assert strip_scope_words(q, Filters(sender_type="kommune")) == q


def test_query_terms_keep_the_topic_and_drop_the_frame():
    assert query_terms("Hvad siger kommunerne om ventelister?") == ["ventelist"]
    terms = query_terms("What does HMU say about savings?")
    assert "what" not in terms and "does" not in terms and "about" not in terms
    assert any(t.startswith("hmu") for t in terms)


# --- issue 17 #4: one letter must not take over other users' questions --------------------------------------

WITH_ASSOCIATION = SAMPLE_SENDERS + ["Foreningen for kortere ventelister"]


def test_a_topic_word_in_a_senders_name_does_not_become_a_sender_filter():
    f = infer_filters("Hvad siger kommunerne om ventelister?", WITH_ASSOCIATION)
    assert (f.sender_type, f.sender, f.inferred) == ("kommune", None, ["sender_type"])
    assert strip_scope_words("Hvad siger kommunerne om ventelister?", f) == "Hvad siger om ventelister?"
    assert infer_filters("Hvem nævner kortere ventelister?", WITH_ASSOCIATION).is_empty()
    assert infer_filters("ventelister", WITH_ASSOCIATION).is_empty()


def test_an_explicit_group_word_wins_over_a_named_sender_of_another_group():
    f = infer_filters("Hvad siger kommunerne om Foreningen for kortere ventelisters forslag?", WITH_ASSOCIATION)
    assert (f.sender_type, f.sender) == ("kommune", None)
    # A sender named within its own group narrows it; the group word is then the topic.
    q = "Hvad siger OMU Social om at inddrage medarbejderne i budgettet?"
    f = infer_filters(q, WITH_ASSOCIATION)
    assert (f.sender_type, f.sender) == (None, "OMU Social, Roskilde Kommune")
    assert "medarbejderne" in strip_scope_words(q, f)


def test_a_sender_named_as_a_name_is_inferred_and_its_name_alone_is_stripped():
    q = "Hvad siger Foreningen for kortere ventelister om ventelister på botilbud?"
    f = infer_filters(q, WITH_ASSOCIATION)
    assert (f.sender, f.inferred) == ("Foreningen for kortere ventelister", ["sender"])
    assert strip_scope_words(q, f) == "Hvad siger om ventelister på botilbud?"
