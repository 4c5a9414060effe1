"""Follow-up questions (answering/conversation.py, answer.prepare) on the real sample index."""

from __future__ import annotations

import pytest

from answering.ask import answer_question
from answering.conversation import is_follow_up, read_question
from answering.schema import Turn
from answering.schema import Answer
from index.records import Filters
from retrieval.query import query_terms
from tests.fakes import ScriptedChatModel

WAITING_DA = "Hvad siger kommunerne om ventelister?"
SENDERS = [
    "Hedensted Kommune (Voksenhandicap)",
    "Hoved-MEDudvalget for Socialområdet",
    "LMU Specialområde Hjernesgade (SOH)",
    "Norddjurs Kommune",
    "OMU Social, Roskilde Kommune",
]


class RecordingChatModel(ScriptedChatModel):
    """Fake chat model: the reply is a function of the prompt; every prompt is recorded."""

    @property
    def prompts(self) -> list[str]:
        return ["\n\n".join(m.content for m in call) for call in self.calls]


def turn_of(answer: Answer) -> Turn:
    return Turn(question=answer.question, standalone=answer.standalone_question or answer.question, filters=answer.filters)


@pytest.fixture(scope="module")
def first(searcher) -> Answer:
    answer = answer_question(WAITING_DA, searcher)
    assert answer.grounded and answer.filters.sender_type == "kommune"
    return answer


# --- pure rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, expected",
    [
        ("og hvad siger Norddjurs?", True),
        ("Hvad med MED-udvalgene?", True),
        ("And what about Roskilde?", True),
        ("og hvorfor?", True),
        ("Norddjurs?", True),
        ("Hvem nævner lighed i sundhed blandt borgerne?", False),
        ("What do the municipalities say about cooperation with the region?", False),
    ],
)
def test_is_follow_up(question, expected):
    assert is_follow_up(question) is expected


def _carried(question: str, history: list[Turn]) -> tuple[str, Filters]:
    """(the question as searched, the filters searched) of ``question`` read in its conversation."""
    query = read_question(question, SENDERS, None, history)
    return query.text, query.filters


def test_a_follow_up_carries_the_topic_and_replaces_the_inferred_scope():
    previous = Turn(WAITING_DA, WAITING_DA, Filters(sender_type="kommune", inferred=["sender_type"]))
    standalone, filters = _carried("og hvad siger Norddjurs?", [previous])
    assert "ventelister" in standalone and "Norddjurs" in standalone
    assert "kommunerne" not in standalone  # the old scope word does not come back as a topic word
    assert filters.active() == {"municipality": "Norddjurs"}
    assert filters.inferred == ["municipality"]


def test_a_follow_up_keeps_user_filters_and_the_old_scope_when_no_new_one():
    previous = Turn(WAITING_DA, WAITING_DA, Filters(sender_type="kommune", date_from="2023-09-01", inferred=["sender_type"]))
    standalone, filters = _carried("og hvad siger Norddjurs?", [previous])
    assert filters.active() == {"municipality": "Norddjurs", "date_from": "2023-09-01"}  # user filter kept
    assert filters.inferred == ["municipality"]

    standalone, filters = _carried("og hvorfor?", [previous])
    assert "ventelister" in standalone
    assert filters == previous.filters


def test_a_new_full_question_is_not_rewritten():
    previous = Turn(WAITING_DA, WAITING_DA, Filters(sender_type="kommune", inferred=["sender_type"]))
    question = "Hvem nævner lighed i sundhed blandt borgerne?"
    for asked, history in ((question, [previous]), ("og Norddjurs?", [])):
        query = read_question(asked, SENDERS, None, history)
        assert query.text == asked and not query.follow_up


# --- the question read once, in its conversation (read_question) -------------------------------------

KOMMUNE = Filters(sender_type="kommune", inferred=["sender_type"])
TOPIC = "Hvad siger om ventelister?"


@pytest.mark.parametrize("topic", [TOPIC, None])  # carried by the turn, or read again from its standalone question
def test_a_follow_up_naming_only_a_scope_keeps_the_topic_and_changes_the_scope(topic):
    previous = Turn(WAITING_DA, WAITING_DA, KOMMUNE, topic=topic)
    query = read_question("og hvad siger Norddjurs?", SENDERS, history=[previous])
    assert query.follow_up and query.scope_only and query.language == "da"
    assert query.topic == TOPIC and query.terms == query_terms(TOPIC) == ["ventelist"]
    assert query.dense_text == TOPIC  # the new question adds no topic words to what is embedded
    assert query.filters.active() == {"municipality": "Norddjurs"} and query.filters.inferred == ["municipality"]
    assert query.question == "og hvad siger Norddjurs?" and query.text == f"{TOPIC} (og hvad siger Norddjurs?)"


def test_an_english_follow_up_keeps_the_english_topic():
    question = "What do the municipalities say about waiting lists?"
    previous = Turn(question, question, KOMMUNE, topic="What do the say about waiting lists?")
    query = read_question("And Roskilde?", SENDERS, history=[previous])
    assert query.language == "en" and query.follow_up
    assert query.topic == "What do the say about waiting lists?" and query.terms == query_terms("waiting lists")
    assert query.filters.active() == {"municipality": "Roskilde"}


def test_a_follow_up_of_a_follow_up_keeps_the_first_topic():
    second = Turn("og hvad siger Norddjurs?", f"{TOPIC} (og hvad siger Norddjurs?)",
                  Filters(municipality="Norddjurs", inferred=["municipality"]), topic=TOPIC)
    query = read_question("og Roskilde?", SENDERS, history=[second])
    assert query.topic == TOPIC and query.text == f"{TOPIC} (og Roskilde?)"
    assert query.filters.active() == {"municipality": "Roskilde"}


def test_a_follow_up_with_words_of_its_own_adds_them_to_the_topic():
    query = read_question("Hvad med borgerne?", SENDERS, history=[Turn(WAITING_DA, WAITING_DA, KOMMUNE, topic=TOPIC)])
    assert query.follow_up and not query.scope_only
    assert query.topic == f"{TOPIC} (Hvad med borgerne?)" and query.terms == query_terms(query.topic)
    assert query.filters == KOMMUNE  # no new scope: the previous one stays


def test_an_elliptic_follow_up_keeps_topic_and_scope():
    query = read_question("og hvorfor?", SENDERS, history=[Turn(WAITING_DA, WAITING_DA, KOMMUNE, topic=TOPIC)])
    assert query.follow_up and query.topic == TOPIC and query.filters == KOMMUNE


def test_a_new_question_in_a_conversation_is_read_as_it_stands():
    question = "Hvem nævner lighed i sundhed?"
    query = read_question(question, SENDERS, history=[Turn(WAITING_DA, WAITING_DA, KOMMUNE, topic=TOPIC)])
    assert not query.follow_up and query.text == query.topic == question and query.filters.is_empty()


def test_the_users_filters_win_on_a_follow_up():
    query = read_question("og hvad siger Norddjurs?", SENDERS, Filters(municipality="Hedensted"),
                          history=[Turn(WAITING_DA, WAITING_DA, KOMMUNE, topic=TOPIC)])
    assert query.filters.municipality == "Hedensted" and "municipality" not in query.filters.inferred


# --- end to end without an LLM ------------------------------------------------------------------------


def test_a_turn_carries_its_topic_from_the_answers_trace(searcher, first):
    turn = Turn.of(first)
    assert turn == Turn(WAITING_DA, WAITING_DA, first.filters, topic=TOPIC)
    follow_up = answer_question("og hvad siger Norddjurs?", searcher, history=[turn])
    assert follow_up.trace.query.topic == TOPIC and follow_up.trace.query.follow_up
    assert Turn.of(follow_up).topic == TOPIC  # and so on down the conversation
    third = answer_question("og Roskilde?", searcher, history=[turn, Turn.of(follow_up)])
    assert third.standalone_question == f"{TOPIC} (og Roskilde?)" and third.filters.municipality == "Roskilde"



def test_follow_up_carries_the_topic_and_sets_the_municipality(searcher, first):
    answer = answer_question("og hvad siger Norddjurs?", searcher, history=[turn_of(first)])
    assert "ventelister" in answer.standalone_question
    assert "Norddjurs" in answer.standalone_question
    assert answer.filters.municipality == "Norddjurs"
    assert answer.filters.inferred == ["municipality"]
    assert answer.filters.sender_type is None  # "kommunerne" of the first question no longer applies
    assert answer.passages and {p.sender for p in answer.passages} == {"Norddjurs Kommune"}
    # Norddjurs does not write about waiting lists: the honest answer is a refusal within that scope
    assert answer.grounded is False and answer.citations == []
    assert answer.text.startswith("Det eneste høringssvar fra Norddjurs nævner ikke ventelister.\n")
    assert "kommune = Norddjurs (udledt af spørgsmålet – kan fjernes)" in answer.text


def test_follow_up_to_another_sender_group(searcher, first):
    answer = answer_question("Hvad med MED-udvalgene?", searcher, history=[turn_of(first)])
    assert "ventelister" in answer.standalone_question
    assert answer.filters.active() == {"sender_type": "med_udvalg"}
    assert answer.passages and all(p.sender_type == "med_udvalg" for p in answer.passages)


def test_elliptic_follow_up_keeps_topic_and_scope(searcher, first):
    answer = answer_question("og hvorfor?", searcher, history=[turn_of(first)])
    assert answer.filters.sender_type == "kommune"
    assert answer.grounded
    assert answer.citations[0].sender == "Hedensted Kommune (Voksenhandicap)"
    assert "lange ventelister" in answer.citations[0].quote


def test_user_filters_on_a_follow_up_win(searcher, first):
    answer = answer_question("og hvad siger Norddjurs?", searcher, Filters(municipality="Hedensted"), history=[turn_of(first)])
    assert answer.filters.municipality == "Hedensted"
    assert "municipality" not in answer.filters.inferred
    assert answer.grounded and answer.citations[0].sender == "Hedensted Kommune (Voksenhandicap)"


def test_a_new_question_in_a_conversation_stands_alone(searcher, first):
    answer = answer_question("Hvem nævner lighed i sundhed?", searcher, history=[turn_of(first)])
    assert answer.standalone_question == "Hvem nævner lighed i sundhed?"
    assert answer.filters.is_empty()
    assert answer.grounded


# --- with an LLM: condense_question -------------------------------------------------------------------


def test_with_an_llm_the_follow_up_is_condensed_by_the_model(searcher, first):
    def respond(prompt: str) -> str:
        if "Omskriv opfølgningsspørgsmålet" in prompt:
            return "Hvad siger Norddjurs om ventelister?"
        return "Norddjurs skriver ikke om ventelister."

    llm = RecordingChatModel(respond=respond)
    answer = answer_question("og hvad siger Norddjurs?", searcher, history=[turn_of(first)], llm=llm)
    condense_prompt = llm.prompts[0]
    assert "Omskriv opfølgningsspørgsmålet" in condense_prompt
    assert f"- {WAITING_DA}" in condense_prompt  # the history is in the prompt
    assert "Opfølgningsspørgsmål: og hvad siger Norddjurs?" in condense_prompt
    assert answer.standalone_question == "Hvad siger Norddjurs om ventelister?"
    # the condensed question is understood like any question: the municipality is inferred from it
    assert answer.filters.municipality == "Norddjurs" and answer.filters.inferred == ["municipality"]
    assert answer.passages and {p.sender for p in answer.passages} == {"Norddjurs Kommune"}
    assert answer.question == "og hvad siger Norddjurs?"
    assert all(c.verified for c in answer.citations)


def test_with_an_llm_a_failing_condense_falls_back_to_the_question(searcher, first):
    def respond(prompt: str) -> str:
        raise TimeoutError("model server down")

    llm = RecordingChatModel(respond=respond)
    answer = answer_question("og hvad siger Norddjurs?", searcher, history=[turn_of(first)], llm=llm)
    assert answer.standalone_question == "og hvad siger Norddjurs?"
    assert answer.filters.municipality == "Norddjurs"
