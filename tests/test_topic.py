"""The topic of a question as it words it (answering/topic.py): who-says-what reads it for its lead sentence, the
answer for a refusal that names it."""

from __future__ import annotations

import pytest

from answering.topic import asked_topic, topic_of


@pytest.mark.parametrize("question, language, topic", [
    ("Hvad siger kommunerne om ventelister?", "da", "ventelister"),
    ("Who mentions temporary staff?", "en", "temporary staff"),
    ("Hvem nævner vikarer?", "da", "vikarer"),
    ("Which municipalities mention a new football stadium?", "en", "a new football stadium"),
])
def test_topic_of_reads_who_says_what_questions(question, language, topic):
    assert topic_of(question, language) == topic


def test_topic_of_is_still_importable_from_coverage_answer():
    from answering import coverage_answer

    assert coverage_answer.topic_of is topic_of


@pytest.mark.parametrize("question, language, topic", [
    ("Hvad mener høringssvarene om den nye letbane?", "da", "den nye letbane"),
    ("Hvad siger Aarhus Kommune om et nyt fodboldstadion?", "da", "et nyt fodboldstadion"),
    ("What does Aarhus Kommune say about a new football stadium?", "en", "a new football stadium"),
    ("Which municipalities mention a new football stadium?", "en", "a new football stadium"),
    ("Do any of the responses mention a new football stadium?", "en", "a new football stadium"),
    ("Do any responses talk about waiting lists?", "en", "waiting lists"),
    ("Står der noget om ventelister?", "da", "ventelister"),
    ("Hvad er holdningen til ventelister?", "da", "ventelister"),
    ("What are the views on the new light rail?", "en", "the new light rail"),
    ("Hvad skriver de om »ventelister«?", "da", "ventelister"),
    ("What do the municipalities say about the effect of cuts on staff?", "en", "the effect of cuts on staff"),
    ("Hvad siger om ventelister? (og hvad siger Norddjurs?)", "da", "ventelister"),  # a follow-up made standalone
])
def test_asked_topic_reads_the_topic_after_a_verb_of_saying_or_mentioning(question, language, topic):
    assert asked_topic(question, language) == topic


@pytest.mark.parametrize("question, language", [
    ("What is the impact of cuts on staff?", "en"),  # "on staff" is no topic of the question
    ("Hvor mange penge spares der på botilbud?", "da"),
    ("Nævner nogen høringssvar et nyt fodboldstadion?", "da"),  # the subject follows the verb: not read
])
def test_asked_topic_reads_nothing_when_the_form_does_not_say(question, language):
    assert asked_topic(question, language) is None
