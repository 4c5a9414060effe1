"""Theme overview on the real sample index: recruitment is one theme; edits persist."""

from __future__ import annotations

import shutil

import pytest

from retrieval.search import Searcher
from answering.themes import build_themes, edit_themes

RECRUITMENT_SENDERS = {"000", "002", "003", "004"}  # eval/coverage.jsonl cov-02


def _prefix(source: str) -> str:
    return source.rsplit("/", 1)[-1][:3]


def test_recruitment_is_one_theme_with_all_its_senders(searcher):
    themes = build_themes(searcher, apply_edits=False)
    assert len(themes) >= 3
    recruitment = [t for t in themes if any(k.startswith(("rekrutt", "fasthold", "faguddann")) for k in t.keywords)]
    assert recruitment, [t.label for t in themes]
    senders = {_prefix(s.quote.source) for s in recruitment[0].senders}
    assert RECRUITMENT_SENDERS <= senders


def test_every_theme_quote_is_verified(searcher):
    for theme in build_themes(searcher, apply_edits=False):
        assert theme.label and theme.senders
        for s in theme.senders:
            assert s.quote.verified and s.count >= 1


@pytest.fixture
def own_index(sample_index, make_settings, embedder):
    settings = make_settings("themes")
    shutil.copytree(sample_index.index, settings.index)
    return Searcher(settings, embedder=embedder)


def test_rename_merge_delete_persist(own_index):
    themes = build_themes(own_index)
    first, second, third = themes[0], themes[1], themes[2]
    edit_themes(own_index, rename=(first.theme_id, "Støtte til planens vision"))
    edit_themes(own_index, merge=[second.theme_id, third.theme_id])
    again = build_themes(own_index)
    labels = {t.theme_id: t.label for t in again}
    assert labels[first.theme_id] == "Støtte til planens vision"
    assert third.theme_id not in labels and second.theme_id in labels
    merged = next(t for t in again if t.theme_id == second.theme_id)
    assert {s.doc_id for s in merged.senders} == {s.doc_id for s in second.senders} | {s.doc_id for s in third.senders}
    edit_themes(own_index, delete=first.theme_id)
    assert first.theme_id not in {t.theme_id for t in build_themes(own_index)}
    # a new process (a new Searcher) sees the same edits
    fresh = Searcher(own_index.settings, embedder=own_index.embedder)
    assert first.theme_id not in {t.theme_id for t in build_themes(fresh)}
