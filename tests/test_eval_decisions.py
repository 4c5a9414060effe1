"""The quick decision evaluation (eval/decisions.py --quick) on the sample letters: its floors hold.

Grounding (answered when answerable, refused when not) on eval/questions.jsonl and eval/holdout.jsonl, who-says-
what verdicts on eval/coverage.jsonl, per language; the design card's question answered in both languages."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def test_quick_decisions_meet_the_floors(sample_index, embedder, monkeypatch, capsys, tmp_path):
    from eval.decisions import main

    for var in ("HOERING_LLM", "HOERING_EMBEDDING", "HOERING_CHROMA_HOST", "HOERING_LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("index.embedding.create_embedder", lambda *args, **kwargs: embedder)
    assert main(["--quick", "--work", str(tmp_path), "--sample-index", str(sample_index.index)]) == 0
    out = capsys.readouterr().out
    assert "BELOW THE FLOORS" not in out
    for line in out.splitlines():
        if line.startswith("design card:"):
            assert "grounded=True" in line and "'001'" in line  # Hedensted's waiting-list passage, in both languages
