"""The schema of the case file's and the review trail's one database (index/casefile_store.py: hearings,
hearing_parties, party_links, confirmed_themes; index/review_store.py: review_decisions, review_history), versioned
with Alembic. The migrations travel with the package (``index/migrations/env.py`` and ``versions/``) and are
configured in code: no ``alembic.ini`` at run time.

``upgrade(engine)`` brings a database to the newest revision (head). It reads the database's revision first and
writes nothing when it is at head already (a read-only index stays untouched). Otherwise it takes the database's
write lock before it looks again and migrates, so that two processes opening a new database at once do not race:
SQLite ``BEGIN IMMEDIATE`` (the second waits, then finds head), PostgreSQL a transaction-scoped advisory lock (DDL is
transactional there: the lock is released with the commit). A database made by the stores' earlier
``metadata.create_all`` (the tables, no ``alembic_version``) is adopted at the baseline: the baseline creates only
the tables that are missing, so its rows stay.

A new revision: ``alembic.command.revision(config(url=<a database at head>), message="…", autogenerate=True)``
writes ``versions/<id>_….py`` from the difference between that database and the stores' tables (review it: give it
a short id and adopt-if-present logic where a table may already exist); SQLite's changes of a table go through batch
mode (``render_as_batch``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

FOLDER = Path(__file__).resolve().parent
BASELINE = "0001"
HEAD = "0001"  # the newest revision in versions/ (tests/test_migrations.py checks): a database at head is known
# without importing Alembic (about 0.1 s), which is imported only to migrate
LOCK_KEY = 0x686F6572696E67  # PostgreSQL advisory lock of the schema's migrations ("hoering")


def config(connection: Connection | None = None, *, url: str | None = None, output: IO[str] | None = None) -> Config:
    """Alembic's configuration of these migrations: ``connection`` the one ``env.py`` migrates on; ``url`` a
    database for Alembic's own commands (``command.upgrade(config(url=…, output=…), "head", sql=True)`` writes the
    SQL to ``output`` for a DBA, touching no database)."""
    from alembic.config import Config

    cfg = Config(output_buffer=output, stdout=sys.stdout)  # the stdout of now (Alembic's default: of its import)
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("script_location", str(FOLDER))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision."""
    return HEAD


def script_head() -> str | None:
    """The newest revision as Alembic reads it from versions/ (``HEAD`` must be it)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config()).get_current_head()


def current(connection: Connection) -> str | None:
    """The database's revision (None: not under Alembic yet — empty, or made by ``create_all``)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> bool:
    """Bring the database to head; returns whether anything was migrated (False: it was at head already)."""
    with engine.connect() as c:
        if current(c) == head():
            return False
    if engine.dialect.name == "sqlite":
        # pysqlite begins no transaction before DDL: take SQLite's write lock ourselves, on a connection where
        # we say when a transaction begins and ends.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                migrated = _migrate(c)
            except BaseException:
                c.exec_driver_sql("ROLLBACK")
                raise
            c.exec_driver_sql("COMMIT")
            return migrated
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        return _migrate(c)


def _migrate(c: Connection) -> bool:
    """Under the lock: look again (another process may have migrated meanwhile), then upgrade to head."""
    if current(c) == head():
        return False
    from alembic import command

    command.upgrade(config(c), "head")
    return True
