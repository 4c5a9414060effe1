"""Where a hearing's case file is kept: the invited parties, the letters an official tied to a party, the hearing's
dates and the themes she confirmed (core/casefile.py's records), in one SQL database through SQLAlchemy.

By default the database is SQLite in the index folder (``<index>/casefile.sqlite``), so the case file travels
with the index; ``HOERING_REVIEW_DB_URL`` names another one (PostgreSQL for a team whose app processes or
machines share one case file; index/review_store.py keeps the review trail in the same database). Every write is
one transaction; a read of a database that does not exist yet reads an empty case file and creates nothing (a
read-only index stays untouched).

The schema is versioned with Alembic (index/migrations): the first use of a database by a store (a write, or a read
of one that exists) upgrades it to the newest revision, under a lock so that two processes opening it at once do not
race; a database at the newest revision is only read. One engine per URL is shared by every store of the process.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from sqlalchemy import Column, Engine, MetaData, String, Integer, Table, Text, create_engine, delete, event, insert, select

from core.casefile import ConfirmedTheme, HearingRecord, PartyLink, hearing_key
from core.parties import Party
from core.settings import Settings
from index import migrations

FILE_NAME = "casefile.sqlite"

metadata = MetaData()
hearings = Table(
    "hearings", metadata,
    Column("name", String(500), primary_key=True),
    Column("sent", String(10)),
    Column("deadline", String(10)),
    Column("updated", String(32), nullable=False),
)
parties = Table(
    "hearing_parties", metadata,
    Column("hearing", String(500), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("row", Integer, nullable=False),
    Column("extra", Text, nullable=False, default="{}"),
)
links = Table(
    "party_links", metadata,
    Column("hearing", String(500), primary_key=True),
    Column("doc_id", String(64), primary_key=True),
    Column("party", String(300)),  # NULL: the letter answers for no listed party
    Column("source", String(16), nullable=False),
    Column("updated", String(32), nullable=False),
)
themes = Table(
    "confirmed_themes", metadata,
    Column("hearing", String(500), primary_key=True),
    Column("theme_id", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("label", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def database_url(settings: Settings) -> str:
    """The case file's database: ``HOERING_REVIEW_DB_URL``, else SQLite in the index folder."""
    if settings.review_db_url:
        return settings.review_db_url
    return f"sqlite:///{(Path(settings.index) / FILE_NAME).resolve()}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _engine(url: str) -> Engine:
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                engine = create_engine(url, connect_args={"timeout": 30})

                @event.listens_for(engine, "connect")
                def _pragmas(connection, _record) -> None:  # one writer at a time, readers never blocked
                    cursor = connection.cursor()
                    cursor.execute("PRAGMA journal_mode=WAL")
                    cursor.execute("PRAGMA synchronous=NORMAL")
                    cursor.close()
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _engines[url] = engine
        return engine


def close_engine(url: str) -> None:
    """Close the shared engine of ``url`` and its pooled connections (a later use opens a new one)."""
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def _sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None: another database, or SQLite in memory)."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def ready_engine(url: str, *, create: bool = True) -> Engine | None:
    """The shared engine of ``url`` with its schema at the newest revision (migrated here when it is not), or None
    when ``create`` is false and the database is a SQLite file that does not exist (nothing is created then)."""
    path = _sqlite_path(url)
    if path is not None and not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(url)
    migrations.upgrade(engine)
    return engine


class CaseFileStore:
    """The case files of one index (or of one shared database)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._created = False

    @classmethod
    def for_settings(cls, settings: Settings) -> "CaseFileStore":
        return cls(database_url(settings))

    def _writable(self) -> Engine:
        if not self._created:
            ready_engine(self.url)
            self._created = True
        return _engine(self.url)

    def _readable(self) -> Engine | None:
        """The engine, or None when the database does not exist yet (an empty case file)."""
        if self._created:
            return _engine(self.url)
        engine = ready_engine(self.url, create=False)
        self._created = engine is not None
        return engine

    # reading

    def hearing(self, name: str | None) -> HearingRecord:
        """The stored case file of hearing ``name`` (an empty one when nothing is stored)."""
        key = hearing_key(name)
        engine = self._readable()
        if engine is None:
            return HearingRecord(name=key)
        with engine.connect() as c:
            head = c.execute(select(hearings).where(hearings.c.name == key)).first()
            listed = c.execute(select(parties).where(parties.c.hearing == key).order_by(parties.c.position)).all()
            linked = c.execute(select(links).where(links.c.hearing == key).order_by(links.c.doc_id)).all()
            confirmed = c.execute(select(themes).where(themes.c.hearing == key).order_by(themes.c.position)).all()
        return HearingRecord(
            name=key, sent=head.sent if head else None, deadline=head.deadline if head else None,
            parties=tuple(Party(p.name, p.row, json.loads(p.extra or "{}")) for p in listed),
            links=tuple(PartyLink(x.doc_id, x.party, x.source) for x in linked),
            themes=tuple(ConfirmedTheme(t.theme_id, t.label, t.description or "") for t in confirmed),
        )

    def hearing_names(self) -> list[str]:
        """The hearings something is stored about."""
        engine = self._readable()
        if engine is None:
            return []
        with engine.connect() as c:
            return [r.name for r in c.execute(select(hearings.c.name).order_by(hearings.c.name))]

    # writing: each call one transaction

    def _touch(self, c, key: str, **values) -> None:
        row = c.execute(select(hearings).where(hearings.c.name == key)).first()
        if row is None:
            c.execute(insert(hearings).values(name=key, updated=_now(), **values))
        else:
            c.execute(hearings.update().where(hearings.c.name == key).values(updated=_now(), **values))

    def set_dates(self, name: str, *, sent: str | None = None, deadline: str | None = None) -> None:
        key = hearing_key(name)
        with self._writable().begin() as c:
            self._touch(c, key, sent=sent, deadline=deadline)

    def set_parties(self, name: str, listed: Sequence[Party]) -> None:
        """Replace the hearing's list of invited parties (links to parties no longer listed are dropped)."""
        key = hearing_key(name)
        names = {p.name for p in listed}
        with self._writable().begin() as c:
            self._touch(c, key)
            c.execute(delete(parties).where(parties.c.hearing == key))
            if listed:
                c.execute(insert(parties), [dict(hearing=key, position=i, name=p.name, row=p.row,
                                                 extra=json.dumps(p.extra, ensure_ascii=False)) for i, p in enumerate(listed)])
            for link in c.execute(select(links).where(links.c.hearing == key)).all():
                if link.party is not None and link.party not in names:
                    c.execute(delete(links).where(links.c.hearing == key, links.c.doc_id == link.doc_id))

    def set_link(self, name: str, link: PartyLink) -> None:
        """Tie a letter to a listed party (or to none): the official's decision, kept over the matching rules."""
        key = hearing_key(name)
        with self._writable().begin() as c:
            self._touch(c, key)
            c.execute(delete(links).where(links.c.hearing == key, links.c.doc_id == link.doc_id))
            c.execute(insert(links).values(hearing=key, doc_id=link.doc_id, party=link.party, source=link.source,
                                           updated=_now()))

    def clear_link(self, name: str, doc_id: str) -> None:
        """Forget the official's decision for a letter: the matching rules decide again."""
        key = hearing_key(name)
        with self._writable().begin() as c:
            c.execute(delete(links).where(links.c.hearing == key, links.c.doc_id == doc_id))

    def set_themes(self, name: str, confirmed: Sequence[ConfirmedTheme]) -> None:
        """Replace the hearing's confirmed themes, in this order."""
        key = hearing_key(name)
        with self._writable().begin() as c:
            self._touch(c, key)
            c.execute(delete(themes).where(themes.c.hearing == key))
            if confirmed:
                c.execute(insert(themes), [dict(hearing=key, theme_id=t.theme_id, position=i, label=t.label,
                                                description=t.description) for i, t in enumerate(confirmed)])
