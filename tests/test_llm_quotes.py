"""Issue 17 #19: an LLM's quote verifies a claim only when it carries meaning (at least 4 words and 20
characters) and, as far as can be checked, belongs to the claim it is attached to (no other sender named,
a content word shared with a Danish claim). Fake chat models on the real sample index; the extractive
answer (whole sentences) is not held to these rules and keeps its citations.
"""

from __future__ import annotations

import json
import shutil

import pytest

from answering.ask import answer_question
from answering.citations import MIN_QUOTE_CHARS, MIN_QUOTE_WORDS, make_citation, meaningful_quote
from answering.llm import verify_answer
from answering.sentences import QuoteFinder
from retrieval.search import Searcher
from tests.fakes import ScriptedChatModel
from tests.test_llm import GOOD, PHRASE, WAITING_DA, fake


@pytest.fixture(scope="module")
def retrieved(searcher):
    passages = searcher.search(WAITING_DA, k=8).passages
    assert PHRASE in passages[0].text and passages[0].sender.startswith("Hedensted")
    return passages, QuoteFinder(searcher, WAITING_DA)


def _verify(raw: str, retrieved, language: str = "da"):
    passages, quote_for = retrieved
    return verify_answer(raw, passages, quote_for, language)


def test_the_issue_example_a_three_character_quote_verifies_nothing(retrieved):
    passages, _ = retrieved
    word = next(w for w in passages[0].text.split() if len(w) >= 3 and w.isalpha())
    assert make_citation(1, passages[0], word).verified  # it does stand in the passage
    text, citations, dropped = _verify(f"Alle kommuner støtter forslaget fuldt ud: »{word}« [1].", retrieved)
    assert citations == [] and dropped == 1 and f"»{word}« [?]" in text


@pytest.mark.parametrize("words", [1, 2, 3])
def test_a_fragment_of_fewer_than_four_words_is_dropped(retrieved, words):
    quote = " ".join(PHRASE.split()[:words])  # "lange", "lange ventelister", "lange ventelister og"
    text, citations, dropped = _verify(f"Hedensted Kommune skriver »{quote}« [1].", retrieved)
    assert citations == [] and dropped == 1


def test_four_words_and_twenty_characters_are_enough(retrieved):
    quote = " ".join(PHRASE.split()[:5])  # "lange ventelister og en meget"
    assert len(quote.split()) >= MIN_QUOTE_WORDS and len(quote) >= MIN_QUOTE_CHARS
    text, citations, dropped = _verify(f"Hedensted Kommune skriver »{quote}« [1].", retrieved)
    assert [c.quote for c in citations] == [quote] and dropped == 0


@pytest.mark.parametrize("quote, ok", [
    ("Vi er imod forslaget", True),
    ("Ventelisterne er for lange", True),
    ("i hele regionen", False),  # 3 words
    ("Vi er på en", False),  # 4 words, 11 characters
    ("Kommune", False),
])
def test_meaningful_quote(quote, ok):
    assert meaningful_quote(quote) is ok


def test_the_quote_must_share_a_content_word_with_its_claim(retrieved):
    unrelated = f"Alle parter kræver, at busdriften udliciteres straks: »{PHRASE}« [1]."
    text, citations, dropped = _verify(unrelated, retrieved)
    assert citations == [] and dropped == 1 and "[?]" in text
    related = f"Hedensted Kommune peger på ventetiden: »{PHRASE}« [1]."  # ventetid ~ ventelister
    text, citations, dropped = _verify(related, retrieved)
    assert [c.quote for c in citations] == [PHRASE] and dropped == 0


def test_a_quote_credited_to_another_retrieved_sender_is_dropped(retrieved):
    passages, _ = retrieved
    other = next(p.sender for p in passages if "Norddjurs" in p.sender)
    text, citations, dropped = _verify(f"{other} skriver »{PHRASE}« [1].", retrieved)
    assert citations == [] and dropped == 1
    # Naming both senders, each with its own quote, is fine.
    text, citations, dropped = _verify(f"Hedensted og {other} skriver begge om ventelister: »{PHRASE}« [1].", retrieved)
    assert [c.n for c in citations] == [1]


def test_english_claims_are_checked_for_the_sender_only(retrieved):
    raw = f"Hedensted Municipality points to long waiting times: »{PHRASE}« [1]."
    _, citations, dropped = _verify(raw, retrieved, "en")
    assert [c.quote for c in citations] == [PHRASE] and dropped == 0
    _, citations, _ = _verify(f"Hedensted Municipality writes »lange ventelister« [1].", retrieved, "en")
    assert citations == []  # too short in any language


def test_the_usual_answers_keep_verifying(searcher):
    answer = answer_question(WAITING_DA, searcher, llm=fake(GOOD))
    assert answer.method == "llm" and [c.quote for c in answer.citations] == [PHRASE] and answer.dropped_citations == 0
    bullets = (
        "Kommunerne skriver:\n\n"
        f"- Hedensted Kommune (Voksenhandicap) fremhæver ventelisterne: »{PHRASE}« [1]\n"
        f"- Kommunen skriver også »{PHRASE}« [1]"
    )
    answer = answer_question(WAITING_DA, searcher, llm=fake(bullets))
    assert answer.method == "llm" and answer.dropped_citations == 0


def test_when_only_short_quotes_come_back_the_extractive_answer_is_shown(searcher):
    answer = answer_question(WAITING_DA, searcher, llm=fake("Alle kommuner er enige: »Kommune« [1] og »ventelister« [2]."))
    assert answer.method == "extractive" and answer.citations
    assert all(c.verified for c in answer.citations)
    # Whole sentences, not held to the LLM rule; a short whole sentence would still count.
    assert all(len(c.quote.split()) >= 2 for c in answer.citations)


@pytest.fixture
def copy_searcher(sample_index, make_settings, embedder):
    settings = make_settings("llm-quotes")
    shutil.copytree(sample_index.index, settings.index)
    return Searcher(settings, embedder=embedder)


def test_coverage_map_does_not_cite_a_three_word_quote(copy_searcher):
    reply = json.dumps({"stance": "bekymret", "summary": "Kommunen har lange ventelister.", "quote": "lange ventelister og"},
                       ensure_ascii=False)
    answer = answer_question(WAITING_DA, copy_searcher, llm=ScriptedChatModel(respond=lambda p: reply), mode="coverage")
    hedensted = next(e for e in answer.coverage if e.sender.startswith("Hedensted"))
    assert hedensted.mentions and hedensted.citations  # cited with the extractive whole-sentence quote instead
    cited = next(c for c in answer.citations if c.n == hedensted.citations[0])
    assert cited.verified and cited.quote != "lange ventelister og" and len(cited.quote.split()) >= MIN_QUOTE_WORDS


def test_a_sender_named_after_a_topic_does_not_block_claims_about_the_topic(retrieved):
    """Defect 4's trap, here: a sender whose name holds a topic word must not turn that word into a name."""
    passages, quote_for = retrieved
    topical = [p.model_copy(update={"sender": "Foreningen for kortere ventelister"}) for p in passages[1:2]]
    topical += [p.model_copy(update={"sender": "Ventelisteforeningen"}) for p in passages[2:3]]
    mixed = [passages[0], *topical, *passages[3:]]
    text, citations, dropped = verify_answer(f"Ventelisterne er for lange: »{PHRASE}« [1].", mixed, quote_for)
    assert [c.n for c in citations] == [1] and dropped == 0
