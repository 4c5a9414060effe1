"""Choosing the sentence of a passage that best answers a question (for quotes), from stored sentence vectors."""

from __future__ import annotations

import numpy as np

from retrieval.query import query_terms
from index.records import Passage
from retrieval.relevance import Judge
from retrieval.search import Searcher
from index.statements import is_administrative, is_keyword_list, is_meta_discourse, is_reported, statement_flags
from index.snapshot import Snapshot

MIN_QUOTE = 60
MAX_QUOTE = 420
LEXICAL_BONUS = 0.05


class QuoteFinder:
    """Picks verbatim quotes for one question; no embedding happens here (vectors come from the index).

    With the question's relevance judge (who-says-what, retrieval/relevance.py) the quote is the statement
    sentence the verdict rests on, so what decided "mentions" is what the user reads; without one the statement
    sentence closest to the question (any sentence only in a chunk without statements)."""

    def __init__(self, searcher: Searcher, question: str, judge: Judge | None = None, snapshot: Snapshot | None = None) -> None:
        self.snapshot = snapshot or (judge.snap if judge is not None else searcher.snapshot())
        self.query_vector = searcher.embed_query(question)
        self.terms = set(query_terms(question))
        self.judge = judge
        self._scores: dict[str, float] = {}

    def score(self, chunk_id: str) -> float:
        """How well the last quote chosen from chunk ``chunk_id`` answers the question (its cosine, with the
        lexical bonus; -inf before one was chosen or when the chunk has no sentences)."""
        return self._scores.get(chunk_id, float("-inf"))

    def __call__(self, passage: Passage) -> str:
        row = self.snapshot.row_of.get(passage.chunk_id)
        spans, vectors = self.snapshot.sentences_of(row) if row is not None else (np.zeros((0, 2), int), None)
        text = passage.text
        if not len(spans):
            return _trim(text.strip())
        evidence = self.judge.best(np.array([row])) if self.judge is not None else None
        if evidence is not None:
            return _trim(_strip_bullet(text[evidence.start : evidence.end]))
        sentences = [text[a:b] for a, b in spans]
        lexical = np.array([len(self.terms & set(query_terms(s))) for s in sentences], dtype=np.float32)
        scores = vectors @ self.query_vector + LEXICAL_BONUS * lexical
        statements = np.array(statement_flags(text, spans.tolist()), dtype=bool)  # never another party's words
        # A letterhead, contact line or heading is never the quote when the chunk says more; nor is a line about the
        # letter itself ("Høringssvaret er fremlagt for …") when the chunk has another statement.
        matter = statements & ~np.array([is_administrative(s) for s in sentences])
        if matter.any():
            statements = matter
        if not statements.any():  # no statement: any sentence but another party's words, a keyword list or a line
            # about the letter itself (the answer leaves out a passage whose quote is no statement, extractive.py)
            statements = np.array([not is_reported(s) and not is_keyword_list(s) and not is_meta_discourse(s)
                                   for s in sentences], dtype=bool)
        if statements.any():
            scores = np.where(statements, scores, -np.inf)
        best = int(np.argmax(scores))
        self._scores[passage.chunk_id] = float(scores[best])
        start, end = (int(x) for x in spans[best])
        if end - start < MIN_QUOTE and best + 1 < len(spans) and not is_meta_discourse(sentences[best + 1]):
            end = int(spans[best + 1][1])  # a short sentence with the next, unless that one is about the letter
        return _trim(_strip_bullet(text[start:end]))


def _strip_bullet(quote: str) -> str:
    for marker in ("- ", "• ", "– ", "* "):
        if quote.startswith(marker):
            return quote[len(marker) :]
    return quote


def _trim(quote: str) -> str:
    if len(quote) <= MAX_QUOTE:
        return quote
    cut = quote.rfind(" ", 0, MAX_QUOTE)
    return quote[: cut if cut > 0 else MAX_QUOTE]
