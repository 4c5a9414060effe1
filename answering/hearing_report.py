"""Everything a høringsnotat for one hearing says, as data, from one snapshot: the case file (answering/casefile.py),
a résumé per letter, and the hearing's themes — the official's confirmed themes with every letter placed by the
relevance judge (answering/placement.py), or, before she has confirmed any, the suggested themes
(answering/themes.py) — as one cell per (letter, theme) with its verdict, stance and quote, and the counts per
theme (letters, and letters with each campaign counted once) and per sender type. export/ renders it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import Counter, defaultdict
from pathlib import Path

from pydantic import BaseModel, Field, PrivateAttr

from answering.casefile import CaseFile, case_file
from answering.chat_model import ChatModel
from answering.placement import place_letters
from answering.summary import letter_summary
from answering.themes import build_themes
from core.casefile import HearingRecord, hearing_key
from index.records import Filters
from index.snapshot import Snapshot
from retrieval.schema import VerdictState
from retrieval.search import Searcher
from retrieval.stance import stance_of_sentences


class ThemeCell(BaseModel):
    """One letter on one theme."""

    theme_id: str
    doc_id: str
    verdict: VerdictState
    probability: float | None = None  # None for a suggested theme (its members are not judged)
    stance: str = "uklar"
    quote: str | None = None
    page: int | None = None


class ThemeCount(BaseModel):
    theme_id: str
    label: str
    mentions: int = 0
    uncertain: int = 0
    not_mentioned: int = 0
    mentions_distinct: int = 0  # letters that mention it, a campaign counted once
    stance: dict[str, int] = Field(default_factory=dict)  # of the letters that mention it
    by_sender_type: dict[str, int] = Field(default_factory=dict)  # letters that mention it, per sender type


class ReviewMark(BaseModel):
    """Where one decision of the report came from and whether a person has checked it (issue 25; filled by
    answering/review.py's ``reviewed_report``)."""

    kind: str  # verdict / stance / party / metadata / campaign (core/review.py)
    doc_id: str
    subject: str = ""
    source: str  # rule / model / person
    model: str | None = None  # the machine's name and version
    decided_by: str | None = None  # the person who decided or reviewed it
    state: str = "unreviewed"  # unreviewed / reviewed / flagged
    machine_changed: bool = False


class ReviewSummary(BaseModel):
    """The review trail of a report: how many of its decisions a person has reviewed, and each one's mark."""

    reviewed: int = 0
    total: int = 0
    marks: list[ReviewMark] = Field(default_factory=list)

    _by_key: dict | None = PrivateAttr(default=None)

    def mark(self, kind: str, doc_id: str, subject: str = "") -> ReviewMark | None:
        if self._by_key is None:
            self._by_key = {(m.kind, m.doc_id, m.subject): m for m in self.marks}
        return self._by_key.get((kind, doc_id, subject))


class HearingReport(BaseModel):
    case: CaseFile
    confirmed: bool  # the themes are the official's (placed by the judge), not suggestions
    summaries: dict[str, str]
    themes: list[ThemeCount]
    cells: list[ThemeCell]
    review: ReviewSummary | None = None  # None: not laid over the review trail

    def cell(self, theme_id: str, doc_id: str) -> ThemeCell | None:
        return next((c for c in self.cells if c.theme_id == theme_id and c.doc_id == doc_id), None)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")


def scope_of(case: CaseFile) -> Filters:
    """The letters of the hearing that say something: what themes are found in and placed on."""
    return Filters(documents=tuple(case.with_content))


def _confirmed_cells(searcher: Searcher, snap: Snapshot, case: CaseFile) -> list[ThemeCell]:
    placements = place_letters(searcher, case.themes, scope_of(case), snap=snap, exclude=case.no_remarks)
    return [ThemeCell(theme_id=p.theme_id, doc_id=p.doc_id, verdict=p.verdict, probability=round(p.probability, 3),
                      stance=p.stance, quote=p.quote.quote if p.quote else None, page=p.quote.page if p.quote else None)
            for p in placements]


def _suggested(searcher: Searcher, snap: Snapshot, case: CaseFile,
               llm: ChatModel | None) -> tuple[list[tuple[str, str]], list[ThemeCell]]:
    if not case.with_content:
        return [], []
    themes = build_themes(searcher, scope_of(case), llm=llm, snap=snap)
    cells = []
    for theme in themes:
        members = {s.doc_id: s for s in theme.senders}
        for doc_id in case.with_content:
            s = members.get(doc_id)
            if s is None:
                cells.append(ThemeCell(theme_id=theme.theme_id, doc_id=doc_id, verdict="not_mentioned"))
            else:
                cells.append(ThemeCell(theme_id=theme.theme_id, doc_id=doc_id, verdict="mentions",
                                       stance=stance_of_sentences([s.quote.quote]).stance, quote=s.quote.quote,
                                       page=s.quote.page))
    return [(t.theme_id, t.label) for t in themes], cells


def _counts(themes: list[tuple[str, str]], cells: list[ThemeCell], case: CaseFile) -> list[ThemeCount]:
    by_theme: dict[str, list[ThemeCell]] = defaultdict(list)
    for c in cells:
        by_theme[c.theme_id].append(c)
    out = []
    for theme_id, label in themes:
        mine = by_theme.get(theme_id, [])
        mentioning = [c for c in mine if c.verdict == "mentions"]
        letters = [case.letter(c.doc_id) for c in mentioning]
        campaigns = {x.campaign for x in letters if x is not None and x.campaign}
        out.append(ThemeCount(
            theme_id=theme_id, label=label, mentions=len(mentioning),
            uncertain=sum(c.verdict == "uncertain" for c in mine),
            not_mentioned=sum(c.verdict == "not_mentioned" for c in mine),
            mentions_distinct=sum(1 for x in letters if x is None or not x.campaign) + len(campaigns),
            stance=dict(Counter(c.stance for c in mentioning)),
            by_sender_type=dict(Counter(x.sender_type for x in letters if x is not None)),
        ))
    return out


KEPT_REPORTS = 16  # reports kept for the next process (in the index folder: ``IndexPaths.reports``)


def judge_files() -> str:
    """A hash of the shipped judge (calibration and head): a report placed by another judge is not reused."""
    data = Path(__file__).resolve().parents[1] / "retrieval" / "data"
    digest = hashlib.sha256()
    for name in ("relevance.json", "judge.npz"):
        if (data / name).exists():
            digest.update((data / name).read_bytes())
    return digest.hexdigest()


def _kept_path(searcher: Searcher, snap: Snapshot, record: HearingRecord, llm: ChatModel | None,
               summaries: bool) -> Path:
    """Where the report of exactly these inputs is kept: the index version, the hearing's letters as the manifest
    has them, what the official stored (list, links, themes), her theme edits, the model and the judge."""
    letters = sorted((d.doc_id, d.sender, d.sender_type, d.date, d.hearing, d.needs_review)
                     for d in snap.manifest.documents.values() if hearing_key(d.hearing) == record.name)
    edits = searcher.paths.themes
    key = json.dumps([snap.version, len(snap.ids), letters, dataclasses.asdict(record),
                      edits.read_text(encoding="utf-8") if edits.exists() else "", llm.name if llm else None, summaries,
                      searcher.embedder.name, judge_files()], default=str, ensure_ascii=False)
    return searcher.paths.reports / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def _keep(path: Path, report: "HearingReport") -> None:
    """Write the report for the next process (atomically; the oldest beyond KEPT_REPORTS go). A read-only or full
    index folder only costs the next process the computation."""
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(report.model_dump_json(), encoding="utf-8")
        tmp.replace(path)
        kept = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEPT_REPORTS:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def hearing_report(searcher: Searcher, record: HearingRecord, *, llm: ChatModel | None = None,
                   summaries: bool = True, snap: Snapshot | None = None) -> HearingReport:
    """The report of hearing ``record.name`` from one snapshot, with a résumé per letter when ``summaries``
    (answering/summary.py; a letter with no remarks is summed up by its no-remarks sentence). A report of the same
    inputs made by any process before is read back (``<index>/reports``): placing 200 letters on 10 themes is done
    once per index version and case file, not once per process."""
    snap = snap or searcher.snapshot()
    path = _kept_path(searcher, snap, record, llm, summaries)
    for kept in (path, *([] if summaries else [_kept_path(searcher, snap, record, llm, True)])):
        try:  # (a report with résumés serves one asked for without them)
            return HearingReport.model_validate_json(kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    report = _compute(searcher, record, llm, summaries, snap)
    _keep(path, report)
    return report


def _compute(searcher: Searcher, record: HearingRecord, llm: ChatModel | None, summaries: bool,
             snap: Snapshot) -> HearingReport:
    case = case_file(snap, record)
    if case.themes:
        themes = [(t.theme_id, t.label) for t in case.themes]
        cells = _confirmed_cells(searcher, snap, case)
    else:
        themes, cells = _suggested(searcher, snap, case, llm)
    texts = {}
    for letter in case.letters:
        if letter.outcome == "no_remarks":
            texts[letter.doc_id] = letter.no_remarks_sentence or ""
        elif summaries:
            texts[letter.doc_id] = letter_summary(snap, letter.doc_id)
    return HearingReport(case=case, confirmed=bool(case.themes), summaries=texts,
                         themes=_counts(themes, cells, case), cells=cells)


def recount(report: HearingReport) -> HearingReport:
    """The report's counts per theme again, after its cells changed (a person's verdicts laid over the judge's)."""
    report.themes = _counts([(t.theme_id, t.label) for t in report.themes], report.cells, report.case)
    report.case.counts.stance = dict(Counter(x.stance for x in report.case.letters if x.outcome == "response"))
    return report
