"""The review trail (core/review.py's records) in the case file's database (index/casefile_store.py: SQLite in the
index folder, or ``HOERING_REVIEW_DB_URL``): the current decision per item and an append-only history.

* The machine's answers are recorded with ``record_machine`` (many at once, one transaction). A new item is
  *unreviewed*. Where a person has decided, the machine never overwrites her value: when its answer changes, the
  item keeps her value, is marked ``machine_changed`` and *flagged*, and the history says so.
* A person's decision (``decide``) or review state (``set_state``) is written with who, when, old → new and why;
  the last write wins and both writes are in the history. Only an identity that may write (a case officer) can do
  either: ``ReviewNotAllowed`` otherwise — the one gate every shell goes through.
* The history is append-only: rows are never updated. ``forget_document`` applies the removal rule: when a letter
  is removed its decisions go and its history is kept (values are codes and names, never the letter's text);
  with ``erase=True`` (erasure on request) its history rows are deleted too.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

from sqlalchemy import Boolean, Column, Integer, String, Table, Text, and_, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.phrases import PhrasedError
from core.review import Decision, HistoryEntry, Identity, ItemKey, ReviewState
from core.settings import Settings
from index.casefile_store import _engine as _shared_engine, database_url, metadata, ready_engine

MACHINE = "maskine"  # the history's "who" for the machine's changes

decisions = Table(
    "review_decisions", metadata,
    Column("hearing", String(500), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("doc_id", String(64), primary_key=True),
    Column("subject", String(64), primary_key=True),
    Column("value", Text),
    Column("machine_value", Text),
    Column("source", String(16), nullable=False),
    Column("model", String(120)),
    Column("decided_by", String(200)),
    Column("decided_at", String(32), nullable=False),
    Column("state", String(16), nullable=False, default="unreviewed"),
    Column("machine_changed", Boolean, nullable=False, default=False),
)
history = Table(
    "review_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hearing", String(500), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("doc_id", String(64), nullable=False, index=True),
    Column("subject", String(64), nullable=False),
    Column("who", String(200), nullable=False),
    Column("at", String(32), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("old_state", String(16)),
    Column("new_state", String(16)),
    Column("why", Text, nullable=False, default=""),
)


def _update(*names: str, machine_only: bool = False):
    """UPDATE of stored decisions by key, setting only ``names`` (bound as ``b_<name>``, executed for many rows at
    once); ``machine_only``: a row a person has decided meanwhile (another process) is left as she left it."""
    where = [column == bindparam(f"b_{column.name}") for column in decisions.primary_key.columns]
    if machine_only:
        where.append(decisions.c.source != "person")
    return update(decisions).where(*where).values({name: bindparam(f"b_{name}") for name in names})


_FLAG = _update("machine_value", "machine_changed", "state", "model")  # a person's value kept, the item flagged
_REPLACE = _update("value", "machine_value", "source", "model", "decided_at", "state", machine_only=True)


def _insert_new(dialect: str):
    """INSERT of new decisions that leaves a row another process stored meanwhile as it is."""
    if dialect == "postgresql":
        return postgresql_insert(decisions).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite_insert(decisions).on_conflict_do_nothing()
    return insert(decisions)


def _logged(key: ItemKey, at: str, old_value, new_value, old_state, new_state) -> dict:
    """A history row of the machine's change."""
    return dict(hearing=key.hearing, kind=key.kind, doc_id=key.doc_id, subject=key.subject, who=MACHINE, at=at,
                old_value=old_value, new_value=new_value, old_state=old_state, new_state=new_state,
                why="machine_changed")


class ReviewNotAllowed(PhrasedError, PermissionError):
    """A write by an identity that may only read."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _where(key: ItemKey):
    return and_(decisions.c.hearing == key.hearing, decisions.c.kind == key.kind, decisions.c.doc_id == key.doc_id,
                decisions.c.subject == key.subject)


def _decision(row) -> Decision:
    return Decision(ItemKey(row.hearing, row.kind, row.doc_id, row.subject), row.value, row.machine_value, row.source,
                    row.model, row.decided_by, row.decided_at, row.state, bool(row.machine_changed))


def _entry(row) -> HistoryEntry:
    return HistoryEntry(row.id, ItemKey(row.hearing, row.kind, row.doc_id, row.subject), row.who, row.at,
                        row.old_value, row.new_value, row.old_state, row.new_state, row.why or "")


class ReviewStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self._ready = False

    @classmethod
    def for_settings(cls, settings: Settings) -> "ReviewStore":
        return cls(database_url(settings))

    def _engine(self, create: bool = True):
        """The shared engine, its schema at the newest revision; None when ``create`` is false and the database is
        a SQLite file that does not exist (a read creates nothing)."""
        if self._ready:
            return _shared_engine(self.url)
        engine = ready_engine(self.url, create=create)
        self._ready = engine is not None
        return engine

    @staticmethod
    def _check(identity: Identity) -> None:
        if not identity.may_write:
            raise ReviewNotAllowed("review_not_allowed", name=identity.name)

    # the machine

    def record_machine(self, items: Iterable[tuple[ItemKey, str | None]], *, source: str = "rule",
                       model: str | None = None) -> int:
        """Record the machine's answers; returns how many items were flagged because the machine's answer
        changed under a person's decision. One transaction: one SELECT of the items' hearings' stored decisions of
        these kinds, then the new rows, the changed rows and the history each written in one batch."""
        items = list(items)
        if not items:
            return 0
        flagged = 0
        now = _now()
        with self._engine().begin() as c:
            query = select(decisions).where(decisions.c.hearing.in_({k.hearing for k, _ in items}),
                                            decisions.c.kind.in_({k.kind for k, _ in items}))
            stored = {ItemKey(r.hearing, r.kind, r.doc_id, r.subject): r._asdict() for r in c.execute(query)}
            added: dict[ItemKey, dict] = {}
            changed: dict[ItemKey, dict] = {}
            logged: list[dict] = []
            for key, value in items:
                row = added.get(key) or changed.get(key)
                if row is None and key in stored:
                    row = stored[key]
                if row is None:
                    added[key] = dict(hearing=key.hearing, kind=key.kind, doc_id=key.doc_id, subject=key.subject,
                                      value=value, machine_value=value, source=source, model=model, decided_by=None,
                                      decided_at=now, state="unreviewed", machine_changed=False)
                    continue
                if row["machine_value"] == value:
                    continue
                if key not in added and key not in changed:
                    row = changed[key] = dict(row)
                if row["source"] == "person" and row["machine_value"] is None and row["value"] == value:
                    # the machine's first answer, after a person decided, is hers: nothing to look at again
                    row.update(machine_value=value, model=model)
                elif row["source"] == "person":  # a person decided: keep her value, flag the item
                    flagged += 1
                    logged.append(_logged(key, now, row["machine_value"], value, row["state"], "flagged"))
                    row.update(machine_value=value, machine_changed=True, state="flagged", model=model)
                else:  # the machine's own earlier answer: replaced, and unreviewed again if it was reviewed
                    state = "unreviewed" if row["state"] == "reviewed" else row["state"]
                    if row["state"] == "reviewed":
                        logged.append(_logged(key, now, row["value"], value, row["state"], state))
                    row.update(value=value, machine_value=value, source=source, model=model, decided_at=now,
                               state=state)
            if added:
                c.execute(_insert_new(c.dialect.name), list(added.values()))
            for statement, rows in ((_FLAG, [r for r in changed.values() if r["source"] == "person"]),
                                    (_REPLACE, [r for r in changed.values() if r["source"] != "person"])):
                if rows:
                    c.execute(statement, [{f"b_{k}": v for k, v in row.items()} for row in rows])
            if logged:
                c.execute(insert(history), logged)
        return flagged

    # a person

    def decide(self, identity: Identity, key: ItemKey, value: str | None, *, why: str = "",
               state: ReviewState = "reviewed") -> Decision:
        """A person's value for an item (and its review state): it wins over the machine's from now on."""
        self._check(identity)
        now = _now()
        with self._engine().begin() as c:
            # PostgreSQL: the row locked, a concurrent write waits and then reads this one's value as its "old"
            row = c.execute(select(decisions).where(_where(key)).with_for_update()).first()
            if row is None:
                c.execute(insert(decisions).values(
                    hearing=key.hearing, kind=key.kind, doc_id=key.doc_id, subject=key.subject, value=value,
                    machine_value=None, source="person", model=None, decided_by=identity.name, decided_at=now,
                    state=state, machine_changed=False))
            else:
                c.execute(update(decisions).where(_where(key)).values(
                    value=value, source="person", decided_by=identity.name, decided_at=now, state=state,
                    machine_changed=False))
            c.execute(insert(history).values(
                hearing=key.hearing, kind=key.kind, doc_id=key.doc_id, subject=key.subject, who=identity.name, at=now,
                old_value=row.value if row else None, new_value=value, old_state=row.state if row else None,
                new_state=state, why=why))
            return _decision(c.execute(select(decisions).where(_where(key))).first())

    def set_state(self, identity: Identity, key: ItemKey, state: ReviewState, *, why: str = "") -> Decision:
        """Mark an item reviewed, flagged or unreviewed, its value unchanged (accepting the machine's answer keeps
        its source)."""
        self._check(identity)
        now = _now()
        with self._engine().begin() as c:
            row = c.execute(select(decisions).where(_where(key)).with_for_update()).first()
            if row is None:
                raise KeyError(key)
            c.execute(update(decisions).where(_where(key)).values(state=state, machine_changed=False,
                                                                  decided_by=identity.name, decided_at=now))
            c.execute(insert(history).values(
                hearing=key.hearing, kind=key.kind, doc_id=key.doc_id, subject=key.subject, who=identity.name, at=now,
                old_value=row.value, new_value=row.value, old_state=row.state, new_state=state, why=why))
            return _decision(c.execute(select(decisions).where(_where(key))).first())

    # reading

    def decision(self, key: ItemKey) -> Decision | None:
        engine = self._engine(create=False)
        if engine is None:
            return None
        with engine.connect() as c:
            row = c.execute(select(decisions).where(_where(key))).first()
        return _decision(row) if row else None

    def decisions(self, hearing: str | None = None, *, kind: str | None = None, state: str | None = None,
                  doc_id: str | None = None) -> list[Decision]:
        engine = self._engine(create=False)
        if engine is None:
            return []
        query = select(decisions)
        for column, value in ((decisions.c.hearing, hearing), (decisions.c.kind, kind), (decisions.c.state, state),
                              (decisions.c.doc_id, doc_id)):
            if value is not None:
                query = query.where(column == value)
        with engine.connect() as c:
            rows = c.execute(query.order_by(decisions.c.kind, decisions.c.doc_id, decisions.c.subject)).all()
        return [_decision(r) for r in rows]

    def history(self, hearing: str | None = None, *, doc_id: str | None = None, kind: str | None = None) -> list[HistoryEntry]:
        engine = self._engine(create=False)
        if engine is None:
            return []
        query = select(history)
        for column, value in ((history.c.hearing, hearing), (history.c.doc_id, doc_id), (history.c.kind, kind)):
            if value is not None:
                query = query.where(column == value)
        with engine.connect() as c:
            return [_entry(r) for r in c.execute(query.order_by(history.c.id)).all()]

    def forget_document(self, doc_ids: Sequence[str], *, erase: bool = False) -> None:
        """A letter removed: its decisions go; its history stays (codes and names only), or goes too when
        ``erase`` (erasure on request)."""
        if not doc_ids:
            return
        with self._engine().begin() as c:
            c.execute(delete(decisions).where(decisions.c.doc_id.in_(list(doc_ids))))
            if erase:
                c.execute(delete(history).where(history.c.doc_id.in_(list(doc_ids))))
