"""Letters placed on the themes an official confirmed (issue 24, item 6): every letter in scope on every confirmed
theme, by the relevance judge of who-says-what (retrieval/coverage.py, retrieval/relevance.py, ADR 0013).

Each theme is asked as its own question, once: read with ``Searcher.read`` over one snapshot, its judge built
once with ``Searcher.judge``, and each letter's verdict is that of its best statement sentence under the band of
retrieval/verdict.py (*nævner* / *nævner ikke* / *usikker*), exactly as ``document_verdicts`` decides it. The
deciding sentence is the placement's quote (a citation of the letter), and its stance (retrieval/stance.py) is
read from that sentence, else from the sentences of its passage when the sentence itself carries no marker.

What the judge is asked is the theme's label inside the Danish question frame the judge was calibrated on:
"Hvem nævner rekruttering af personale?" (``DEFAULT_FORM``). Measured by eval/placement_eval.py on two labelled
sets (12 themes × the 5 sample letters, 8 themes × 10 agenda items of Aarhus Byråd's minutes), against the label
as written and "Hvad siger høringssvarene om …?": it decides the most verdicts (.70 / .94 against .60 / .88 for the
bare label) with the same decided accuracy (.976 / .987). The official's description is NOT asked by default:
added to the question it halved the "nævner" found (forced recall .56 → .28 on the letters, .55 → .18 on the
minutes), because the judge reads a longer question as asking for more of its words in one sentence.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel

from answering.citations import make_citation
from answering.schema import Citation
from core.casefile import ConfirmedTheme
from core.phrases import message
from index.records import Filters
from index.snapshot import Snapshot
from retrieval.coverage import lexical_rows
from retrieval.no_remarks import split_sentences
from retrieval.question import Query
from retrieval.schema import VerdictState
from retrieval.search import Searcher
from retrieval.stance import LetterStance, stance_of_sentences
from retrieval.verdict import band_for, decide

QuestionForm = Literal["label", "frame", "who"]
# How a theme is put to the judge: its label as written, or inside a Danish question frame (measured: see module doc)
QUESTION_FORMS: tuple[str, ...] = ("label", "frame", "who")
DEFAULT_FORM: QuestionForm = "who"
_FRAMES = {"frame": "theme.question_frame", "who": "theme.question_who"}  # phrase keys (core/phrasebook/answers.py)


class Placement(BaseModel):
    """One letter on one confirmed theme: the judge's verdict and probability, the deciding sentence as a quote
    (None when the letter does not mention the theme) and the stance read from it."""

    theme_id: str
    doc_id: str
    verdict: VerdictState
    probability: float
    quote: Citation | None = None
    stance: LetterStance = "uklar"
    stance_sentence: str | None = None

    @property
    def mentions(self) -> bool:
        return self.verdict == "mentions"


def question_of(theme: ConfirmedTheme, form: QuestionForm = DEFAULT_FORM, *, description: bool = False,
                language: str = "da") -> str:
    """What the judge is asked about ``theme``: its label (with the official's description when ``description``),
    as written (``label``) or inside a question frame in ``language`` ("Hvem nævner …?", "Hvad siger
    høringssvarene om …?")."""
    text = f"{theme.label}. {theme.description}" if description and theme.description else theme.label
    if form in _FRAMES:
        # "Rekruttering af …" reads "om rekruttering af …"; an acronym ("MED-udvalg", "FN") keeps its capitals
        lowered = text[:1].lower() + text[1:] if text[1:2].islower() else text
        return message(_FRAMES[form], language, topic=lowered.rstrip(". "))
    return text


def place_letters(searcher: Searcher, themes: Sequence[ConfirmedTheme], filters: Filters, *,
                  snap: Snapshot | None = None, exclude: Collection[str] = (), form: QuestionForm = DEFAULT_FORM,
                  description: bool = False, language: str | None = None) -> list[Placement]:
    """Every letter in scope (``filters``) but those of ``exclude`` (e.g. letters with "ingen bemærkninger") placed
    on every theme of ``themes``, over one snapshot (``snap``, else the current one); theme by theme in the given
    order, letters in the snapshot's order. ``form`` and ``description``: how each theme is asked (``question_of``;
    the defaults are the measured best). ``language``: the language the themes are asked in (None: the index's
    language for the question frame, and each question's language detected)."""
    snap = snap or searcher.snapshot()
    rows = np.flatnonzero(snap.mask(filters))
    if exclude:
        rows = rows[~np.isin(snap.doc_ids_of(rows).astype(str), list(exclude))]
    if rows.size == 0 or not themes:
        return []
    per_doc = snap.rows_by_document(rows)
    placements: list[Placement] = []
    for theme in themes:
        question = question_of(theme, form, description=description, language=language or searcher.settings.language)
        query = searcher.read(question, filters, infer=False, language=language, snap=snap)
        placements.extend(_place_theme(searcher, snap, theme, query, per_doc))
    return placements


def _place_theme(searcher: Searcher, snap: Snapshot, theme: ConfirmedTheme, query: Query,
                 per_doc: dict[str, np.ndarray]) -> list[Placement]:
    """The placements of one theme: each letter's best statement sentence by the theme's judge, decided by the band
    of the question's language (as retrieval/coverage.py ``document_verdicts`` decides it)."""
    judge = searcher.judge(snap, query)
    band = band_for(searcher.embedder.name, query.language)
    bm25 = snap.bm25.scores(list(dict.fromkeys(query.terms)))
    out = []
    for doc_id, mine in per_doc.items():
        evidence = judge.best(mine, lexical_rows(mine, bm25))
        if evidence is None:  # no statement sentence: nothing to place
            out.append(Placement(theme_id=theme.theme_id, doc_id=doc_id, verdict="not_mentioned", probability=0.0))
            continue
        verdict = decide(evidence.probability, band)
        placement = Placement(theme_id=theme.theme_id, doc_id=doc_id, verdict=verdict,
                              probability=evidence.probability)
        if verdict != "not_mentioned":
            passage = snap.passage(evidence.row, evidence.probability, float(bm25[evidence.row]),
                                   float(snap.vectors[evidence.row] @ judge.q), 1)
            sentence = _strip_bullet(passage.text[evidence.start : evidence.end].strip())
            placement.quote = make_citation(0, passage, sentence)
            placement.stance, placement.stance_sentence = _stance(sentence, passage.text)
        out.append(placement)
    return out


def _stance(sentence: str, passage: str) -> tuple[LetterStance, str | None]:
    """The stance of the deciding sentence, else (no marker in it) of the sentences of its passage; with the
    sentence that decided it (None: no marker, "uklar")."""
    own = stance_of_sentences([sentence])
    read = own if own.marked else stance_of_sentences(split_sentences(passage))
    if read.stance == "uklar" and not read.deciding:
        return "uklar", None
    return read.stance, (read.deciding or (None,))[0]


def _strip_bullet(sentence: str) -> str:
    for marker in ("- ", "• ", "– ", "* "):
        if sentence.startswith(marker):
            return sentence[len(marker) :].strip()
    return sentence
