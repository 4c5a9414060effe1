"""Theme overview on the real sample index: recruitment is one theme; labels are phrases of the letters, never a
name; quotes are statements, never administrative lines; computed once per index version; edits persist."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from retrieval.search import Searcher
from answering.themes import build_themes, edit_themes
from index.statements import is_administrative
from index.statements import is_statement

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


def test_labels_are_phrases_of_the_letters_never_names(searcher):
    themes = build_themes(searcher, apply_edits=False)
    snap = searcher.snapshot()
    names = {w.lower() for d in snap.manifest.documents.values() for w in re.findall(r"\w+", d.sender or "")
             if w[:1].isupper()} - {"kommune"}
    letters = " ".join(" ".join(re.findall(r"\w+", snap.texts[i])) for i in range(len(snap.texts))).lower()
    for theme in themes:
        words = re.findall(r"\w+", theme.label)
        assert 2 <= len(words) <= 8 and "·" not in theme.label, theme.label  # a phrase, not a keyword list
        assert " ".join(words).lower() in letters, theme.label  # drawn from the letters themselves
        assert not {w.lower() for w in words} & names, theme.label
        assert not is_administrative(theme.label)
    assert len({t.label for t in themes}) == len(themes)


def test_quotes_are_statements_never_administrative(searcher):
    for theme in build_themes(searcher, apply_edits=False):
        for s in theme.senders:
            assert is_statement(s.quote.quote) and not is_administrative(s.quote.quote), s.quote.quote
            assert not s.quote.quote.startswith("- ")
    assert is_administrative("Høringssvaret er fremlagt for Udvalget for Social Omsorg den 2. oktober 2023.")
    assert is_administrative("Formandsskabet i Hoved-MEDudvalget for Socialområdet har drøftet forslag til budget 2024.")
    assert not is_administrative("Vi oplever store kapacitetsudfordringer, som kommer til syne, ved at der er lange ventelister.")


def test_waiting_lists_are_quoted_in_some_theme(searcher):
    """Hedensted's main point (eval/themes.jsonl) is in the overview."""
    quotes = [s.quote.quote for t in build_themes(searcher, apply_edits=False) for s in t.senders]
    assert any("ventelister" in q for q in quotes), quotes


def test_computed_once_per_index_version(searcher):
    first = build_themes(searcher, apply_edits=False)
    started = time.perf_counter()
    again = build_themes(searcher, apply_edits=False)
    assert time.perf_counter() - started < 0.1
    assert [t.model_dump() for t in again] == [t.model_dump() for t in first]
    again[0].label = "changed by a caller"
    assert build_themes(searcher, apply_edits=False)[0].label == first[0].label  # callers get their own copies


def test_themes_page_scopes_with_its_own_heading_and_reruns_for_free(sample_index, tmp_path, monkeypatch):
    """The Streamlit page (AppTest, real index): filters headed for this page (no question is asked here), each theme
    with its count of responses, quotes with sender and page; a rerun does not compute the themes again."""
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import answering.themes as themes_module
    from core.settings import get_settings
    from tests.conftest import REPO

    for name in list(os.environ):
        if name.startswith("HOERING_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOERING_INDEX", str(sample_index.index))
    monkeypatch.setenv("HOERING_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("HOERING_FEEDBACK", str(tmp_path / "feedback.jsonl"))
    calls = []
    compute = themes_module._compute_themes
    monkeypatch.setattr(themes_module, "_compute_themes", lambda *a, **k: calls.append(1) or compute(*a, **k))
    themes_module._cache.clear()
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
        page = [h for h, info in at._registered_pages.items() if info.get("url_pathname") == "temaer"]
        at._page_hash = page[0]
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        headings = [h.value for h in at.sidebar.subheader]
        assert "Afgræns temaer og høringsnotat" in headings
        assert not any("spørgsmål" in h for h in headings), headings
        labels = [e.label for e in at.main.expander]
        assert labels and all(re.search(r" — \d+ høringssvar$", label) for label in labels), labels
        shown = " ".join(h.proto.body for h in at.get("html"))
        assert "side 1" in shown
        assert len(calls) == 1
        at.run()  # any click reruns the page
        assert not at.exception and len(calls) == 1
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()
        st.cache_data.clear()


def test_the_same_letters_in_another_folder_give_the_same_themes(searcher, sample_index, tmp_path, embedder):
    """A doc_id hashes the letter's file path (issue 21 #3), so the same letters ingested from another folder get
    other ids; the snapshot's rows follow the letters' texts, not their ids, so the themes are the same (they were
    not, and a checkout in another folder failed the theme tests)."""
    from ingest.pipeline import ingest
    from tests.conftest import SAMPLE_DIR, settings_for

    elsewhere = tmp_path / "et" / "andet" / "sted"
    shutil.copytree(SAMPLE_DIR, elsewhere)
    settings = settings_for(tmp_path / "index", embedding_cache=sample_index.index / "embeddings.sqlite")
    assert ingest([str(elsewhere)], settings, embedder=embedder).to_json()["ingested"] == 5
    other = Searcher(settings, embedder=embedder)
    assert set(other.snapshot().ids).isdisjoint(searcher.snapshot().ids)  # other ids …

    def seen(themes):
        return [(t.label, sorted(_prefix(s.quote.source) for s in t.senders)) for t in themes]

    assert seen(build_themes(other, apply_edits=False)) == seen(build_themes(searcher, apply_edits=False))  # … same themes


def test_clustering_is_deterministic_and_needs_no_random_seeds():
    """Themes start from the centres of a Ward tree, not from random seeds: the same sentences group the same way."""
    import numpy as np

    from answering.themes import _cluster

    rng = np.random.default_rng(7)
    features = rng.normal(size=(120, 16))
    features /= np.linalg.norm(features, axis=1, keepdims=True)
    first, again = _cluster(features), _cluster(features.copy())
    assert (first == again).all()
    assert len(set(first.tolist())) == round(1.6 * np.sqrt(120))


def test_labels_are_noun_phrases_of_two_to_six_words(searcher):
    from answering.labels import fragment_reason

    labels = [t.label for t in build_themes(searcher, apply_edits=False)]
    assert all(fragment_reason(label) is None for label in labels), [(l, fragment_reason(l)) for l in labels]
    assert all(2 <= len(label.split()) <= 6 for label in labels if " · " not in label), labels
