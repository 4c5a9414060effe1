"""One way to ask (answering/ask.py) on the real sample index: the answer or who-says-what by mode, one index
snapshot per answer, text pieces then exactly one Answer, and a failing language model never costs the answer."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from answering.answer import QuestionTooLongError, answer_stream
from answering.ask import MODES, answer_question, ask, final_answer, text_pieces
from answering.conversation import read_question
from retrieval.question import read_query
from retrieval.relevance import FEATURES
from answering.coverage_answer import coverage_answer
from answering.schema import Answer, Turn
from retrieval.search import Searcher
from tests.fakes import BrokenChatModel, ScriptedChatModel

WAITING_DA = "Hvad siger kommunerne om ventelister?"
PHRASE = "lange ventelister og en meget lang matchningsproces"
GOOD = f"Hedensted Kommune skriver, at der er »{PHRASE}« [1]."


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def snapshot_loads(searcher, monkeypatch):
    """Counts the searcher's snapshot reads (each one may load a newer index)."""
    calls = []
    load = searcher.snapshot

    def counted():
        calls.append(1)
        return load()

    monkeypatch.setattr(searcher, "snapshot", counted)
    return calls


@pytest.fixture
def calls(searcher, monkeypatch):
    """Counts the calls of the functions that read a question (wherever a module imported them by name) and of
    the judge's construction: ``calls["strip_scope_words"]`` …"""
    import retrieval.query as query

    counted: dict[str, int] = {}

    def wrap(name, function):
        def counting(*args, **kwargs):
            counted[name] = counted.get(name, 0) + 1
            return function(*args, **kwargs)

        return counting

    for name in ("strip_scope_words", "detect_language", "infer_filters"):
        original = getattr(query, name)
        counting = wrap(name, original)
        for module in list(sys.modules.values()):
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, counting)
    monkeypatch.setattr(searcher, "judge", wrap("judge", searcher.judge))
    return counted


def test_modes_are_those_of_the_cli():
    assert MODES == ("answer", "coverage")


def test_a_danish_question_gets_an_extractive_answer_with_verified_citations(searcher, chunk_texts):
    items = list(ask(WAITING_DA, searcher))
    assert len(items) == 1 and isinstance(items[0], Answer)  # no LLM: no text pieces, one Answer
    answer = items[0]
    assert answer.method == "extractive" and answer.grounded and answer.error is None
    assert answer.text.startswith("Det skriver høringssvarene:")
    assert answer.citations and answer.citations[0].sender == "Hedensted Kommune (Voksenhandicap)"
    assert "lange ventelister" in answer.citations[0].quote
    for c in answer.citations:
        assert c.verified and _norm(c.quote) in _norm(chunk_texts[c.chunk_id])
    assert set(answer.to_json()) == {"question", "answer", "filters", "grounded", "citations"}
    assert answer.counts is None and not answer.coverage


def test_ask_gives_what_the_answer_over_the_question_read_once_gives(searcher):
    asked = final_answer(ask(WAITING_DA, searcher))
    snap = searcher.snapshot()
    direct = final_answer(answer_stream(read_question(WAITING_DA, snap.senders), searcher, snap))
    assert asked.to_json() == direct.to_json()
    assert asked.model_dump(exclude={"timings"}) == direct.model_dump(exclude={"timings"})


def test_a_group_question_in_coverage_mode_is_who_says_what(searcher):
    answer = final_answer(ask(WAITING_DA, searcher, mode="coverage"))
    assert answer.method == "coverage"
    assert answer.counts == {"in_scope": 2, "mentions": 1, "uncertain": 0}
    assert answer.text.splitlines()[0].startswith("1 af 2 kommuner nævner ventelister")
    norddjurs = next(e for e in answer.coverage if e.sender == "Norddjurs Kommune")
    assert f"{norddjurs.label} nævner det ikke." in answer.text  # marked "(afsender ikke bekræftet)" when unconfirmed
    data = answer.to_json()
    assert set(data) == {"question", "answer", "filters", "grounded", "citations", "coverage", "counts"}
    assert data["counts"] == {"in_scope": 2, "mentions": 1, "uncertain": 0} and len(data["coverage"]) == 2
    snap = searcher.snapshot()  # who-says-what over the question read once: the same answer
    direct = coverage_answer(read_query(WAITING_DA, snap.senders), searcher, snap)
    assert json.dumps(data, ensure_ascii=False) == json.dumps(direct.to_json(), ensure_ascii=False)


def test_coverage_takes_the_question_as_asked_without_history(searcher):
    history = [Turn(question="Hvad siger høringssvarene om rekruttering?", standalone="Hvad siger høringssvarene om rekruttering?",
                    filters=answer_question("Hvad siger høringssvarene om rekruttering?", searcher).filters)]
    with_history = final_answer(ask(WAITING_DA, searcher, mode="coverage", history=history))
    assert with_history.to_json() == final_answer(ask(WAITING_DA, searcher, mode="coverage")).to_json()


def test_a_failing_chat_model_sets_error_and_the_cited_extractive_answer_stands(searcher):
    llm = BrokenChatModel(GOOD, pieces=4)
    items = list(ask(WAITING_DA, searcher, llm=llm))
    pieces, answer = items[:-1], items[-1]
    assert isinstance(answer, Answer) and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == "".join(list(ScriptedChatModel(lambda p: GOOD).stream([]))[:4])  # written before it failed
    assert answer.error == "llm_failed"
    assert answer.grounded and answer.method == "extractive"
    assert answer.text.startswith("Det skriver høringssvarene:")
    assert answer.citations and all(c.verified for c in answer.citations)
    assert "lange ventelister" in answer.citations[0].quote
    assert "error" not in answer.to_json()  # the public JSON is unchanged


def test_a_working_chat_model_streams_then_gives_the_verified_llm_answer(searcher):
    llm = ScriptedChatModel(respond=lambda prompt: GOOD)
    final: list[Answer] = []
    pieces = list(text_pieces(ask(WAITING_DA, searcher, llm=llm), final))
    assert "".join(pieces) == GOOD and len(pieces) > 5
    assert len(final) == 1 and final[0].method == "llm" and final[0].error is None
    assert [c.quote for c in final[0].citations] == [PHRASE]


def test_on_text_gets_every_piece_before_the_answer(searcher):
    seen: list[str] = []
    answer = final_answer(ask(WAITING_DA, searcher, llm=ScriptedChatModel(respond=lambda p: GOOD)), seen.append)
    assert "".join(seen) == GOOD and answer.method == "llm"


@pytest.mark.parametrize("mode", ["answer", "coverage"])
def test_one_snapshot_read_per_answer(searcher, snapshot_loads, mode):
    final_answer(ask(WAITING_DA, searcher, mode=mode))
    assert len(snapshot_loads) == 1


def test_one_snapshot_read_for_a_follow_up_and_with_a_chat_model(searcher, snapshot_loads):
    first = final_answer(ask(WAITING_DA, searcher))
    snapshot_loads.clear()
    history = [Turn(question=first.question, standalone=first.standalone_question or first.question, filters=first.filters)]
    follow_up = final_answer(ask("og hvad siger Norddjurs?", searcher, history=history))
    assert follow_up.filters.municipality == "Norddjurs" and len(snapshot_loads) == 1
    snapshot_loads.clear()
    final_answer(ask(WAITING_DA, searcher, llm=ScriptedChatModel(respond=lambda p: GOOD)))
    assert len(snapshot_loads) == 1


def test_one_snapshot_read_for_who_says_what_with_a_chat_model(sample_index, make_settings, embedder, monkeypatch):
    settings = make_settings("ask-coverage-llm")  # a copy: the map step writes the LLM cache into the index folder
    shutil.copytree(sample_index.index, settings.index)
    searcher = Searcher(settings, embedder=embedder)
    loads = []
    load = searcher.snapshot
    monkeypatch.setattr(searcher, "snapshot", lambda: loads.append(1) or load())
    progress: list[tuple[int, int]] = []
    answer = final_answer(ask(WAITING_DA, searcher, mode="coverage", llm=ScriptedChatModel(respond=lambda p: "ikke json"),
                              on_progress=lambda done, total: progress.append((done, total))))
    assert answer.method == "coverage" and answer.counts == {"in_scope": 2, "mentions": 1, "uncertain": 0}
    assert progress[-1] == (1, 1) and len(loads) == 1


# --- a question is read once -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["answer", "coverage"])
@pytest.mark.parametrize("question", [WAITING_DA, "What does Roskilde say about recruitment?"])
def test_a_question_is_read_once(searcher, calls, mode, question):
    final_answer(ask(question, searcher, mode=mode))
    assert calls.get("strip_scope_words") == 1 and calls.get("detect_language") == 1, calls
    assert calls.get("infer_filters") == 1, calls
    assert calls.get("judge", 0) == (1 if mode == "coverage" else 0), calls  # built once, for verdicts and quotes


def test_a_follow_up_is_read_once(searcher, calls):
    first = final_answer(ask(WAITING_DA, searcher))
    calls.clear()
    answer = final_answer(ask("og hvad siger Norddjurs?", searcher, history=[Turn.of(first)]))
    assert answer.filters.municipality == "Norddjurs" and answer.trace.query.topic == first.trace.query.topic
    assert calls.get("strip_scope_words") == 1 and calls.get("detect_language") == 1, calls


def test_the_judge_is_built_once_for_who_says_what_with_a_chat_model(searcher, calls):
    final_answer(ask(WAITING_DA, searcher, mode="coverage", llm=ScriptedChatModel(respond=lambda p: "ikke json")))
    assert calls.get("judge") == 1, calls


# --- the trace of an answer --------------------------------------------------------------------------------


def test_the_trace_of_an_answered_question(searcher):
    answer = final_answer(ask(WAITING_DA, searcher))
    trace = answer.trace
    assert trace.query.language == "da" and trace.query.scope_inferred and trace.query.filters == answer.filters
    assert trace.query.topic == "Hvad siger om ventelister?" and trace.query.terms == ["ventelist"]
    grounding = trace.grounding
    assert grounding.grounded is answer.grounded is True and grounding.reason == "answered"
    assert grounding.letters_in_scope == 2 and grounding.bar["dense"] > 0
    assert grounding.margin is not None and grounding.margin >= 0
    assert grounding.margin == max(p.margin for p in grounding.passages)
    assert [p.chunk_id for p in grounding.passages if p.margin >= 0] == [p.chunk_id for p in answer.passages]
    top = grounding.passages[0]
    assert top.sender == "Hedensted Kommune (Voksenhandicap)" and set(top.signals) == {"dense", "coverage"}
    assert trace.coverage is None
    assert "trace" not in answer.to_json()  # the public JSON is unchanged
    assert answer.to_json(trace=True)["trace"]["grounding"]["reason"] == "answered"  # an explicit opt-in


def test_the_trace_of_a_refused_question(searcher):
    answer = final_answer(ask("Hvad siger høringssvarene om cykelstier langs landevejene?", searcher))
    grounding = answer.trace.grounding
    assert answer.grounded is grounding.grounded is False
    assert grounding.reason == "no_passage_clears_the_bar" and grounding.letters_in_scope == 5
    assert grounding.margin < 0 and all(p.margin < 0 for p in grounding.passages)
    assert not answer.trace.query.scope_inferred and "cykelsti" in answer.trace.query.terms


def test_the_trace_of_a_scope_without_letters(searcher):
    from index.records import Filters

    answer = final_answer(ask(WAITING_DA, searcher, filters=Filters(sender_type="region")))
    grounding = answer.trace.grounding
    assert grounding.reason == "no_letters_in_scope" and grounding.letters_in_scope == 0 and not grounding.passages
    assert grounding.margin is None and answer.trace.query.filters.sender_type == "region"
    coverage = final_answer(ask(WAITING_DA, searcher, mode="coverage", filters=Filters(sender_type="region")))
    assert coverage.trace.coverage.reason == "no_letters_in_scope" and coverage.trace.coverage.verdicts == []


def test_the_trace_of_who_says_what(searcher):
    answer = final_answer(ask(WAITING_DA, searcher, mode="coverage"))
    trace = answer.trace
    assert trace.grounding is None and trace.query.filters.sender_type == "kommune"
    coverage = trace.coverage
    assert coverage.reason == "decided" and 0 < coverage.threshold < 1
    assert [v.doc_id for v in coverage.verdicts] == [e.doc_id for e in answer.coverage]
    for verdict, entry in zip(coverage.verdicts, answer.coverage, strict=True):
        assert verdict.state == ("mentions" if entry.mentions else "not_mentioned")
        assert set(verdict.signals) == set(FEATURES)  # the judge's signals of the deciding sentence
        assert (verdict.probability >= coverage.threshold) is (verdict.state == "mentions")
    assert [v.state for v in coverage.verdicts] == ["mentions", "not_mentioned"]
    assert "trace" not in answer.to_json()


def test_a_question_over_the_limit_is_refused_in_either_mode(searcher):
    too_long = "ventelister " * (searcher.settings.max_question_chars // 5)
    for mode in MODES:
        with pytest.raises(QuestionTooLongError):
            final_answer(ask(too_long, searcher, mode=mode))


def test_an_unknown_mode_is_refused(searcher):
    with pytest.raises(ValueError):
        final_answer(ask(WAITING_DA, searcher, mode="auto"))  # type: ignore[arg-type]


# --- the chat page asks through ask() too ---------------------------------------------------------------


@pytest.fixture
def chat_app(sample_index, tmp_path, monkeypatch):
    """The app on the sample index (as tests/test_app.py starts it), already run once."""
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from core.settings import get_settings
    from tests.conftest import REPO

    for name in list(os.environ):
        if name.startswith("HOERING_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOERING_INDEX", str(sample_index.index))
    monkeypatch.setenv("HOERING_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("HOERING_FEEDBACK", str(tmp_path / "feedback.jsonl"))
    get_settings.cache_clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not at.exception
    yield at
    get_settings.cache_clear()
    st.cache_resource.clear()


def _assistant_answers(at) -> list[Answer]:
    return [m["answer"] for m in at.session_state["messages"] if m["role"] == "assistant"]


def test_the_chat_page_in_who_says_what_mode(chat_app):
    at = chat_app
    at.segmented_control(key="mode").set_value("coverage").run()
    at.chat_input[0].set_value(WAITING_DA).run()
    assert not at.exception, [e.value for e in at.exception]
    [answer] = _assistant_answers(at)
    assert answer.method == "coverage" and answer.counts == {"in_scope": 2, "mentions": 1, "uncertain": 0}
    assert answer.question == WAITING_DA
    assistant = [m for m in at.chat_message if m.name == "assistant"][-1]
    rendered = " ".join(md.value for md in assistant.markdown)
    assert rendered.startswith("1 af 2 kommuner nævner ventelister")  # the lead with the counts
    table = assistant.dataframe[0].value  # the verdicts as a table (export/coverage_table.py)
    verdicts = dict(zip(table["Afsender"], table["Nævner emnet?"]))
    # each letter named as the answer names it: "(afsender ikke bekræftet)" while its sender is unconfirmed
    assert verdicts == {e.label: ("ja" if e.mentions else "nej") for e in answer.coverage}
    assert {k.split(" (afsender ikke bekræftet)")[0]: v for k, v in verdicts.items()} == {
        "Hedensted Kommune (Voksenhandicap)": "ja", "Norddjurs Kommune": "nej"}


def test_the_chat_page_streams_a_chat_models_answer(chat_app, monkeypatch):
    llm = ScriptedChatModel(respond=lambda prompt: GOOD)
    monkeypatch.setattr("ui.resources.chat_model", lambda: llm)
    at = chat_app
    at.chat_input[0].set_value(WAITING_DA).run()
    assert not at.exception, [e.value for e in at.exception]
    [answer] = _assistant_answers(at)
    assert answer.method == "llm" and [c.quote for c in answer.citations] == [PHRASE]
    assert len(llm.calls) == 1
