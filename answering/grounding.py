"""Grounding: do the retrieved passages really address the question? One calibrated decision per passage.

A passage is relevant when its best statement sentence clears the ``answer`` threshold of the relevance judge
(retrieval/relevance.py; calibrated on xquad-dev in both languages and the sample letters, see
docs/decisions/0010-calibrated-relevance.md). The answer is grounded when any passage is relevant; otherwise the
user gets a plain "not mentioned" with the nearest passages, labelled as such.
"""

from __future__ import annotations

import numpy as np

from retrieval.relevance import Evidence, Judge
from retrieval.schema import Passage


def judge_passages(judge: Judge, passages: list[Passage]) -> dict[str, Evidence | None]:
    """chunk id → the passage's evidence sentence (None: no statement sentence in it)."""
    row_of = judge.snap.row_of
    return {p.chunk_id: judge.best(np.array([row_of[p.chunk_id]])) if p.chunk_id in row_of else None for p in passages}


def relevant_passages(judge: Judge, passages: list[Passage]) -> list[Passage]:
    """The passages whose evidence clears the answer threshold, in their ranked order."""
    evidence = judge_passages(judge, passages)
    return [p for p in passages if judge.answers(evidence[p.chunk_id])]
