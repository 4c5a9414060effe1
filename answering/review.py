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
groups to confirm, and anything flagged (a person's item whose machine answer changed, or marked for follow-up),
flagged first (``PRIORITY``). Its progress, like the notat's count, is over the items the report shows now
(``current``).

Every report a person sees or signs goes through ``reviewed_report`` (record, overlay, and ``report.review``: each
decision's source and state, and how many are reviewed): ``hoering themes matrix``, the notat and its XLSX, ``hoering
review list --queue``. A person's writes go through one gate (``check_writer`` / the store's ``ReviewNotAllowed``)
with the identity the shell resolves (``default_identity`` until core/identity.py's resolver replaces it):
``set_item`` (accept / value / flag / unreviewed), ``party_decided`` (the case file's match), and
ingest/corrections.py's ``set_metadata`` (a history entry per changed field).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from answering.hearing_report import HearingReport, judge_files, ReviewMark, ReviewSummary
from core.phrases import PhrasedError
from core.review import Decision, Identity, ItemKey, ReviewState
from core.settings import Settings
from index.review_store import ReviewNotAllowed, ReviewStore
from ingest.corrections import METADATA_MODEL, fallback_identity

RULES_VERSION = "1"
MODELS = {"stance": f"stance-rules@{RULES_VERSION}", "party": f"party-matching@{RULES_VERSION}",
          "metadata": METADATA_MODEL, "campaign": f"campaign-minhash@{RULES_VERSION}"}


@lru_cache(maxsize=1)
def judge_version() -> str:
    """The relevance judge's version: a hash of its shipped calibration and head."""
    return judge_files()[:10]


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


def record(store: ReviewStore, report: HearingReport, embedder: str, known: list[Decision] | None = None) -> int:
    """Record the report's machine decisions (a person's never overwritten); returns the items flagged because the
    machine's answer changed under a person's decision. Only what is new or changed is written (``known``: the
    hearing's decisions, read once), so recording an unchanged report is one read.

    A document field a person corrected (kind ``metadata``) is not the machine's answer any more: the manifest
    carries her value into every report, so it is never recorded over her decision (it would look changed)."""
    known = store.decisions(report.case.hearing) if known is None else known
    by_key = {d.key: d for d in known}
    flagged = 0
    for kind, items in machine_items(report, embedder).items():
        fresh = []
        for key, value in items:
            decision = by_key.get(key)
            if decision is None:
                fresh.append((key, value))
            elif decision.machine_value == value or (kind == "metadata" and decision.source == "person"):
                continue
            elif decision.source == "person" and decision.machine_value is None and decision.value == value:
                continue  # she decided before the machine had answered, and it agrees: nothing changed
            else:
                fresh.append((key, value))
        if not fresh:
            continue
        if kind == "verdict":
            flagged += store.record_machine(fresh, source="model", model=f"judge:{embedder}@{judge_version()}")
        else:
            flagged += store.record_machine(fresh, source="rule", model=MODELS[kind])
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


# The queue's order: what a person changed and the machine now answers otherwise (or she marked) first, then the
# verdicts the judge could not decide, the senders, the parties, the campaigns.
PRIORITY = ("flagged", "uncertain_verdict", "check_sender", "uncertain_party", "unlisted", "campaign")


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


def review_queue(report: HearingReport, all_decisions: list[Decision], *, include_reviewed: bool = False) -> Queue:
    """What needs a person first in this hearing (``all_decisions``: the hearing's, ``ReviewStore.decisions``), and
    how far the review has come; with ``include_reviewed`` also the items a person has reviewed that the same rules
    name (the review page's "vis alle")."""
    h = report.case.hearing
    by_key = {d.key: d for d in all_decisions}
    letters = {x.doc_id: x for x in report.case.letters}
    labels = {t.theme_id: t.label for t in report.themes}
    items: list[QueueItem] = []

    def add(key: ItemKey, reason: str, sentence: str | None, label: str | None = None) -> None:
        decision = by_key.get(key)
        if decision is None or (decision.state == "reviewed" and not include_reviewed):
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
    for d in current(report, all_decisions):  # anything else flagged for follow-up
        if d.state == "flagged" and d.key not in seen:
            letter = letters.get(d.key.doc_id)
            items.append(QueueItem(d, "flagged", letter.sender if letter else d.key.doc_id, None, labels.get(d.key.subject)))
    items.sort(key=lambda i: PRIORITY.index(i.reason))  # stable: the report's order within a reason
    mine = current(report, all_decisions)
    return Queue(items=items, reviewed=sum(d.state == "reviewed" for d in mine), total=len(mine))


# --- the report laid over the trail ------------------------------------------------------------------------------


def current(report: HearingReport, decisions: list[Decision]) -> list[Decision]:
    """The decisions about what the report shows now: its letters' items, and verdicts only on its (letter,
    confirmed theme) cells — a theme renamed away or a letter moved to another hearing leaves its old items out of
    the count (they stay in the store and its history)."""
    letters = {x.doc_id for x in report.case.letters}
    cells = {(c.doc_id, c.theme_id) for c in report.cells} if report.confirmed else set()
    return [d for d in decisions if d.key.doc_id in letters
            and (d.key.kind != "verdict" or (d.key.doc_id, d.key.subject) in cells)]


def summary(report: HearingReport, decisions: list[Decision]) -> ReviewSummary:
    """How many of the report's decisions a person has reviewed, and each one's source and state."""
    mine = current(report, decisions)
    return ReviewSummary(
        reviewed=sum(d.state == "reviewed" for d in mine), total=len(mine),
        marks=[ReviewMark(kind=d.key.kind, doc_id=d.key.doc_id, subject=d.key.subject, source=d.source, model=d.model,
                          decided_by=d.decided_by, state=d.state, machine_changed=d.machine_changed) for d in mine])


def reviewed_report(report: HearingReport, store: ReviewStore, embedder: str) -> HearingReport:
    """The report as the notat, the matrix and the exports show it: its machine decisions recorded (``record``), a
    person's laid over them (``overlay``), and its review marks and count (``report.review``). A re-computation
    never overwrites a person's decision; where the machine's answer changed under one, the item is flagged."""
    record(store, report, embedder)
    decisions = store.decisions(report.case.hearing)
    report = overlay(report, decisions)
    report.review = summary(report, decisions)
    return report


def reviewed_for(report: HearingReport, settings: Settings) -> HearingReport:
    """``reviewed_report`` on the index's review trail (``settings``)."""
    return reviewed_report(report, ReviewStore.for_settings(settings), settings.embedding)


# --- who acts, and a person's decisions ----------------------------------------------------------------------------

def default_identity(settings: Settings) -> Identity:
    """Who acts where nothing else says: the configured user (``settings.user``, where there is such a setting),
    else "sagsbehandler", as a case officer (ingest/corrections.py's ``fallback_identity``)."""
    return fallback_identity(settings)


def check_writer(identity: Identity) -> None:
    """``ReviewNotAllowed`` for an identity that may only read: checked before anything is written."""
    if not identity.may_write:
        raise ReviewNotAllowed("review_not_allowed", name=identity.name)


def party_decided(store: ReviewStore, identity: Identity, hearing: str, doc_id: str, party: str | None, *,
                  state: ReviewState = "reviewed", why: str = "") -> Decision:
    """A person's party for a letter (``hoering hearing match``, the case file page's match control): "" for no
    listed party. ``state="unreviewed"`` with the rules' answer when she lets the rules decide again."""
    return store.decide(identity, ItemKey(hearing, "party", doc_id), party or "", why=why, state=state)


ACTIONS = ("accept", "value", "flag", "unreviewed")
VALUES = {"verdict": ("mentions", "uncertain", "not_mentioned"), "stance": ("for", "imod", "uklar")}


class ReviewValueError(PhrasedError, ValueError):
    """A value an item of that kind cannot take."""


def set_item(store: ReviewStore, identity: Identity, key: ItemKey, action: str, value: str | None = None, *,
             why: str = "") -> Decision:
    """One person's review of one item: ``accept`` (reviewed, the value as it is), ``value`` (her value, reviewed),
    ``flag`` (for follow-up) or ``unreviewed``. Verdicts and stances take only their codes; a party or a document
    field is written by its own shell (the case file's link, the metadata correction) besides this record."""
    check_writer(identity)
    if action == "value":
        allowed = VALUES.get(key.kind)
        if key.kind in ("campaign", "summary"):
            raise ReviewValueError("review_no_value", kind=key.kind)
        if allowed is not None and value not in allowed:
            raise ReviewValueError("review_bad_value", kind=key.kind, allowed=", ".join(allowed))
        return store.decide(identity, key, value, why=why)
    state = {"accept": "reviewed", "flag": "flagged", "unreviewed": "unreviewed"}[action]
    return store.set_state(identity, key, state, why=why)


def decision_json(decision: Decision) -> dict:
    """One decision as ``hoering review list|set --json`` give it."""
    k = decision.key
    return {"hearing": k.hearing, "kind": k.kind, "doc_id": k.doc_id, "subject": k.subject, "value": decision.value,
            "machine_value": decision.machine_value, "source": decision.source, "model": decision.model,
            "decided_by": decision.decided_by, "decided_at": decision.decided_at, "state": decision.state,
            "machine_changed": decision.machine_changed}


def queue_json(queue: Queue) -> dict:
    """The review queue as ``hoering review list --queue --json`` gives it."""
    return {"reviewed": queue.reviewed, "total": queue.total,
            "items": [{**decision_json(i.decision), "reason": i.reason, "sender": i.sender, "sentence": i.sentence,
                       "label": i.label} for i in queue.items]}
