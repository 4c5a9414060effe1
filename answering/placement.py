"""TEMPORARY stand-in (the lead's integration branch): helper h24-placement delivers the real module."""
from __future__ import annotations

from typing import Collection, Sequence

from pydantic import BaseModel

from answering.citations import make_citation
from answering.schema import Citation
from core.casefile import ConfirmedTheme
from index.records import Filters
from index.snapshot import Snapshot
from retrieval.coverage import document_verdicts
from retrieval.schema import VerdictState
from retrieval.search import Searcher
from retrieval.stance import stance_of_sentences


class Placement(BaseModel):
    theme_id: str
    doc_id: str
    verdict: VerdictState
    probability: float
    quote: Citation | None = None
    stance: str = "uklar"
    stance_sentence: str | None = None


def place_letters(searcher: Searcher, themes: Sequence[ConfirmedTheme], filters: Filters, *, snap: Snapshot | None = None,
                  exclude: Collection[str] = ()) -> list[Placement]:
    snap = snap or searcher.snapshot()
    out = []
    for theme in themes:
        result = document_verdicts(searcher, theme.query, filters, infer=False, language="da", snap=snap)
        for v in result.verdicts:
            if v.doc_id in exclude:
                continue
            quote = None
            if v.verdict != "not_mentioned" and v.passages:
                p = v.passages[0]
                quote = make_citation(0, p, p.text[:200])
            position = stance_of_sentences([quote.quote]) if quote else None
            out.append(Placement(theme_id=theme.theme_id, doc_id=v.doc_id, verdict=v.verdict, probability=v.probability,
                                 quote=quote, stance=position.stance if position else "uklar",
                                 stance_sentence=(position.deciding[0] if position and position.deciding else None)))
    return out
