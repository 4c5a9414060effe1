"""Officials' LLM work with fake chat models on the real sample index: the coverage map step (stance and
one-line position, quote verified), theme position titles, written résumés — validated, cached, with fallbacks."""

from __future__ import annotations

import io
import json
import shutil

import docx
import pytest

from answering.ask import answer_question
from answering.llm_tasks import run_prompts, valid_title
from export.notat import build_notat, to_docx
from index.llm_cache import LLMCache
from retrieval.search import Searcher
from answering.themes import build_themes
from tests.fakes import ScriptedChatModel

PHRASE = "lange ventelister og en meget lang matchningsproces"
QUESTION = "Hvad siger kommunerne om ventelister?"


@pytest.fixture
def searcher(sample_index, make_settings, embedder):
    """A copy of the sample index per test, so the LLM cache starts empty."""
    settings = make_settings("llm-tasks")
    shutil.copytree(sample_index.index, settings.index)
    return Searcher(settings, embedder=embedder)


def position(prompt: str) -> str:
    if "Hedensted" in prompt:
        return json.dumps({"stance": "bekymret", "summary": "Oplever lange ventelister, som planen ikke adresserer.",
                           "quote": PHRASE}, ensure_ascii=False)
    return json.dumps({"stance": "neutral", "summary": "Nævner ikke emnet.", "quote": "findes ikke i teksten"})


def test_map_step_gives_stance_and_position_with_a_verified_quote(searcher):
    llm = ScriptedChatModel(respond=position)
    progress = []
    answer = answer_question(QUESTION, searcher, llm=llm, on_progress=lambda done, total: progress.append((done, total)), mode="coverage")
    hedensted = next(e for e in answer.coverage if e.sender.startswith("Hedensted"))
    norddjurs = next(e for e in answer.coverage if e.sender == "Norddjurs Kommune")
    assert hedensted.mentions and hedensted.stance == "bekymret" and "ventelister" in hedensted.summary
    assert not norddjurs.mentions and norddjurs.stance is None  # only respondents that mention it are mapped
    cited = next(c for c in answer.citations if c.n == hedensted.citations[0])
    assert cited.verified and cited.quote == PHRASE  # the model's own quote, verified in its passage
    assert "Hedensted Kommune (Voksenhandicap) (bekymret): Oplever lange ventelister" in answer.text
    assert progress[-1] == (1, 1)
    assert answer.counts == {"in_scope": 2, "mentions": 1, "uncertain": 0} and answer.method == "coverage"


@pytest.mark.parametrize("reply", ["ikke json", '{"stance": "jubler", "summary": "x"}', '{"stance": "støtter"}'])
def test_invalid_map_output_falls_back_to_the_extractive_verdict(searcher, reply):
    answer = answer_question(QUESTION, searcher, llm=ScriptedChatModel(respond=lambda p: reply), mode="coverage")
    hedensted = next(e for e in answer.coverage if e.sender.startswith("Hedensted"))
    assert hedensted.mentions and hedensted.stance is None and hedensted.summary is None
    assert answer.citations and all(c.verified for c in answer.citations)


def test_a_misquote_from_the_model_is_never_cited(searcher):
    reply = json.dumps({"stance": "bekymret", "summary": "Korte ventelister.", "quote": "der er korte ventelister"})
    answer = answer_question(QUESTION, searcher, llm=ScriptedChatModel(respond=lambda p: reply), mode="coverage")
    assert all(c.verified and "korte ventelister" not in c.quote for c in answer.citations)


def test_per_document_work_is_cached(searcher):
    llm = ScriptedChatModel(respond=position)
    answer_question(QUESTION, searcher, llm=llm, mode="coverage")
    calls = len(llm.calls)
    again = answer_question(QUESTION, searcher, llm=llm, mode="coverage")
    assert len(llm.calls) == calls  # nothing asked twice
    assert next(e for e in again.coverage if e.sender.startswith("Hedensted")).stance == "bekymret"


def test_a_reply_the_task_cannot_use_is_asked_again_not_cached(tmp_path):
    cache = LLMCache(tmp_path / "c.sqlite")
    assert run_prompts(ScriptedChatModel(respond=lambda p: "ikke json"), "t", ["a"], cache, valid=lambda t: t.startswith("{")) == ["ikke json"]
    good = ScriptedChatModel(respond=lambda p: '{"ok": 1}')
    assert run_prompts(good, "t", ["a"], cache, valid=lambda t: t.startswith("{")) == ['{"ok": 1}'] and len(good.calls) == 1
    again = ScriptedChatModel(respond=lambda p: "never asked")
    assert run_prompts(again, "t", ["a"], cache) == ['{"ok": 1}'] and again.calls == []  # the usable reply is kept


def test_run_prompts_survives_a_failing_call(tmp_path):
    def flaky(prompt: str) -> str:
        if "2" in prompt:
            raise RuntimeError("server gone")
        return "ok " + prompt

    out = run_prompts(ScriptedChatModel(respond=flaky), "t", ["a1", "a2", "a3"], LLMCache(tmp_path / "c.sqlite"))
    assert out == ["ok a1", None, "ok a3"]


def test_theme_titles_in_case_officer_style_with_keyword_fallback(searcher):
    def title(prompt: str) -> str:
        if "rekrutt" in prompt.lower() or "fasthold" in prompt.lower():
            return "Bekymring for rekruttering og fastholdelse af faguddannet personale"
        return "Et helt andet og alt for langt svar som ikke følger formen"

    keyword_labels = {t.theme_id: t.label for t in build_themes(searcher, apply_edits=False)}
    themes = build_themes(searcher, llm=ScriptedChatModel(respond=title))
    titled = [t for t in themes if t.label.startswith("Bekymring for")]
    assert titled and all(len(t.label.split()) <= 12 for t in titled)
    for t in themes:
        if not t.label.startswith("Bekymring for"):
            assert t.label == keyword_labels[t.theme_id]  # invalid titles keep the keyword label


@pytest.mark.parametrize(
    ("text", "ok"),
    [("Støtte til planens vision", True), ("»Forslag om bostedslæger«", True), ("Planen er god", False),
     ("Ønske om " + "meget " * 12 + "mere", False), ("", False)],
)
def test_valid_title(text, ok):
    assert (valid_title(text) is not None) == ok


def test_notat_resume_written_by_the_llm_with_extractive_fallback(searcher):
    def summary(prompt: str) -> str:
        return "Norddjurs støtter planen og ønsker fokus på økonomi." if "Norddjurs" in prompt else ""

    notat = build_notat(searcher, llm=ScriptedChatModel(respond=lambda p: summary(p) if "resumé" in p.lower() else "x"))
    by_sender = {r.sender: r for r in notat.respondents}
    assert by_sender["Norddjurs Kommune"].summary == "Norddjurs støtter planen og ønsker fokus på økonomi."
    assert by_sender["OMU Social, Roskilde Kommune"].summary  # empty LLM output: the extractive résumé
    table = docx.Document(io.BytesIO(to_docx(notat))).tables[0]
    assert any("Norddjurs støtter planen" in row.cells[3].text for row in table.rows)
