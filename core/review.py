"""The vocabulary of the review trail (issue 25): every decision the machine makes about a hearing's letters, who
made it, whether a person has checked it, and what changed — shared by its store (index/review_store.py) and the
layers that fill and show it. Pure data.

An item is one decision: its kind and what it is about (``ItemKey``). Kinds:

* ``metadata``: a document's field (``subject`` = the field: sender, sender_type, municipality, date, hearing, title);
* ``party``: the listed party a letter answers for (``subject`` "");
* ``verdict``: a letter on a confirmed theme (``subject`` = the theme id): mentions / uncertain / not_mentioned;
* ``stance``: a letter's stance (``subject`` "" for the letter, or a theme id);
* ``summary``: a letter's résumé (``subject`` "");
* ``campaign``: a campaign group (``doc_id`` = its representative, ``subject`` = its template id).

Values are short codes or names (a verdict state, a stance, a party's name, a field's value), never a letter's
text: the history may outlive a letter (see ``index/review_store.py`` for what is erased with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

DecisionKind = Literal["metadata", "party", "verdict", "stance", "summary", "campaign"]
DECISION_KINDS: tuple[str, ...] = get_args(DecisionKind)

ReviewState = Literal["unreviewed", "reviewed", "flagged"]  # ikke gennemgået / gennemgået / markeret til opfølgning
REVIEW_STATES: tuple[str, ...] = get_args(ReviewState)

Source = Literal["rule", "model", "person"]  # a rule of form, a model (with its name and version), an official
SOURCES: tuple[str, ...] = get_args(Source)

Role = Literal["reader", "case_officer"]  # læser: asks and reads; sagsbehandler: may correct and review
ROLES: tuple[str, ...] = get_args(Role)
ROLE_NAMES: dict[str, Role] = {
    "reader": "reader", "læser": "reader", "laeser": "reader",
    "case_officer": "case_officer", "case-officer": "case_officer", "sagsbehandler": "case_officer",
}
"""Every way a role may be written (settings, the users file, a proxy's header, the CLI's --role)."""


def role_of(value: object) -> Role | None:
    """A role from any of its spellings ("læser", "Sagsbehandler", "case_officer"); None when it is none."""
    if not isinstance(value, str):
        return None
    return ROLE_NAMES.get(value.strip().lower())


@dataclass(frozen=True)
class Identity:
    """Who is acting: a name as the review trail records it, and what they may do."""

    name: str
    role: Role = "case_officer"

    @property
    def may_write(self) -> bool:
        return self.role == "case_officer"


@dataclass(frozen=True)
class ItemKey:
    hearing: str
    kind: DecisionKind
    doc_id: str
    subject: str = ""


@dataclass(frozen=True)
class Decision:
    """An item's current decision. ``value`` is what counts (a person's where one decided, else the machine's);
    ``machine_value`` the machine's latest answer; ``machine_changed``: the machine's answer changed after a person
    decided (the item is flagged, never silently replaced)."""

    key: ItemKey
    value: str | None
    machine_value: str | None
    source: Source
    model: str | None  # the machine's name and version ("relevance-judge@<hash>", "rules@1")
    decided_by: str | None  # who decided (None: the machine)
    decided_at: str
    state: ReviewState = "unreviewed"
    machine_changed: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    """One change, appended, never edited: who, when, old → new (value and state), why."""

    id: int
    key: ItemKey
    who: str
    at: str
    old_value: str | None
    new_value: str | None
    old_state: ReviewState | None
    new_state: ReviewState | None
    why: str = ""
