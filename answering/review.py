"""The review trail of one hearing: the machine's decisions in a hearing's report recorded with their source
(``record``), a person's decisions laid over the report (``overlay``: a person's value wins in the matrix, the
notat and the exports), and the review queue (``review_queue``): what needs a person first, each item with the one
sentence that decides it, and the progress "34 af 120 gennemgået".

Items (core/review.py) come from the report:

* ``verdict`` (letter × confirmed theme): the judge's state, model ``judge:<embedder>@<calibration hash>``;
* ``stance`` (letter): the stance rules' for / imod / uklar;
* ``party`` (letter, where the hearing has a list): the listed party's name, "" for none, by the matching rules;
* ``metadata`` (letter, subject ``sender``): the recognised sender, by the metadata rules;
* ``campaign`` (representative letter, subject the template id): the member count, by the campaign rules.

The queue lists, per hearing, the items not yet reviewed that a person must look at: *usikker* verdicts, senders
the rules flagged ("Tjek afsender"), letters whose party match is uncertain or that match no listed party, campaign
groups to confirm, and anything flagged (a person's item whose machine answer changed, or marked for follow-up).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from answering.hearing_report import HearingReport
from core.review import Decision, ItemKey
from index.review_store import ReviewStore

RULES_VERSION = "1"
MODELS = {"stance": f"stance-rules@{RULES_VERSION}", "party": f"party-matching@{RULES_VERSION}",
          "metadata": f"metadata-rules@{RULES_VERSION}", "campaign": f"campaign-minhash@{RULES_VERSION}"}


@lru_cache(maxsize=1)
def judge_version() -> str:
    """The relevance judge's version: a hash of its shipped calibration and head."""
    data = Path(__file__).resolve().parents[1] / "retrieval" / "data"
    digest = hashlib.sha256()
    for name in ("relevance.json", "judge.npz"):
        path = data / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def machine_items(report: HearingReport, embedder: str) -> dict[str, list[tuple[ItemKey, str | None]]]:
    """The machine's decisions of a report, by kind."""
    h = report.case.hearing
    items: dict[str, list[tuple[ItemKey, str | None]]] = {k: [] for k in ("verdict", "stance", "party", "metadata", "campaign")}
    if report.confirmed:
        items["verdict"] = [(ItemKey(h, "verdict", c.doc_id, c.theme_id), c.verdict) for c in report.cells]
    for letter in report.case.letters:
        if letter.outcome == "response":
            items["stance"].append((ItemKey(h, "stance", letter.doc_id), letter.stance))
        if report.case.has_list and letter.match_source != "person":
            items["party"].append((ItemKey(h, "party", letter.doc_id), letter.party or ""))
        items["metadata"].append((ItemKey(h, "metadata", letter.doc_id, "sender"), letter.sender))
    for campaign in report.case.campaigns:
        items["campaign"].append((ItemKey(h, "campaign", campaign.representative, campaign.template_id), str(campaign.size)))
    return items


def record(store: ReviewStore, report: HearingReport, embedder: str) -> int:
    """Record the report's machine decisions (a person's never overwritten); returns the items flagged because the
    machine's answer changed under a person's decision."""
    flagged = 0
    for kind, items in machine_items(report, embedder).items():
        if not items:
            continue
        if kind == "verdict":
            flagged += store.record_machine(items, source="model", model=f"judge:{embedder}@{judge_version()}")
        else:
            flagged += store.record_machine(items, source="rule", model=MODELS[kind])
    return flagged


def overlay(report: HearingReport, decisions: list[Decision]) -> HearingReport:
    """The report with a person's decisions laid over the machine's (verdicts and stance; parties are the case
    file's links). Counts per theme follow."""
    from answering.hearing_report import recount

    mine = {(d.key.kind, d.key.doc_id, d.key.subject): d.value for d in decisions if d.source == "person"}
    if not mine:
        return report
    for cell in report.cells:
        value = mine.get(("verdict", cell.doc_id, cell.theme_id))
        if value in ("mentions", "uncertain", "not_mentioned"):
            cell.verdict = value
    for letter in report.case.letters:
        value = mine.get(("stance", letter.doc_id, ""))
        if value in ("for", "imod", "uklar"):
            letter.stance = value
    return recount(report)


@dataclass(frozen=True)
class QueueItem:
    decision: Decision
    reason: str  # "uncertain_verdict", "check_sender", "uncertain_party", "unlisted", "campaign", "flagged"
    sender: str
    sentence: str | None  # the one sentence that decides it
    label: str | None  # the theme's label (verdicts), the party (party items)


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    reviewed: int
    total: int


def review_queue(report: HearingReport, store: ReviewStore) -> Queue:
    """What needs a person first in this hearing, and how far the review has come."""
    h = report.case.hearing
    all_decisions = store.decisions(h)
    by_key = {d.key: d for d in all_decisions}
    letters = {x.doc_id: x for x in report.case.letters}
    labels = {t.theme_id: t.label for t in report.themes}
    items: list[QueueItem] = []

    def add(key: ItemKey, reason: str, sentence: str | None, label: str | None = None) -> None:
        decision = by_key.get(key)
        if decision is None or decision.state == "reviewed":
            return
        letter = letters.get(key.doc_id)
        items.append(QueueItem(decision, "flagged" if decision.state == "flagged" else reason,
                               letter.sender if letter else key.doc_id, sentence, label))

    for cell in report.cells:
        key = ItemKey(h, "verdict", cell.doc_id, cell.theme_id)
        decision = by_key.get(key)
        if cell.verdict == "uncertain" or (decision is not None and decision.state == "flagged"):
            add(key, "uncertain_verdict", cell.quote, labels.get(cell.theme_id))
    for letter in report.case.letters:
        if letter.needs_review:
            add(ItemKey(h, "metadata", letter.doc_id, "sender"), "check_sender", None, letter.sender)
        if report.case.has_list and letter.match in ("uncertain", "unlisted"):
            add(ItemKey(h, "party", letter.doc_id), "uncertain_party" if letter.match == "uncertain" else "unlisted",
                None, letter.party)
    for campaign in report.case.campaigns:
        add(ItemKey(h, "campaign", campaign.representative, campaign.template_id), "campaign", None,
            campaign.template_id)
    seen = {i.decision.key for i in items}
    for d in all_decisions:  # anything else flagged for follow-up
        if d.state == "flagged" and d.key not in seen:
            letter = letters.get(d.key.doc_id)
            items.append(QueueItem(d, "flagged", letter.sender if letter else d.key.doc_id, None, labels.get(d.key.subject)))
    reviewed = sum(d.state == "reviewed" for d in all_decisions)
    return Queue(items=items, reviewed=reviewed, total=len(all_decisions))
