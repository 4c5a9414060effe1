"""Alembic's environment for index/migrations: migrates on the connection ``index.migrations.upgrade`` passes in
``config.attributes["connection"]`` (inside its lock and transaction); for the ``alembic`` command line, on the URL
given as ``-x url=…`` or ``sqlalchemy.url`` (offline, ``--sql``, prints the SQL for a DBA)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import index.review_store  # noqa: F401  (its tables join the case file's metadata)
from index.casefile_store import metadata

config = context.config


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("index/migrations: no database (pass -x url=… or use index.migrations.upgrade)")
    return url


def _configure(**kwargs) -> None:
    context.configure(target_metadata=metadata, compare_type=True, **kwargs)


connection = config.attributes.get("connection")
if context.is_offline_mode():
    _configure(url=_url(), literal_binds=True, render_as_batch=_url().startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(_url())
    with engine.begin() as own:
        _configure(connection=own, render_as_batch=own.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
