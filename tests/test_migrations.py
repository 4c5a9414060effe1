"""index/migrations: the case file's and review trail's one database under Alembic — upgraded to head from empty
and from a database the stores' earlier ``create_all`` made (adopted, its rows kept), on SQLite and on a real
PostgreSQL; several processes opening a new database at once do not race; the SQL can be written for a DBA."""

from __future__ import annotations

import io
import subprocess
import sys
import time

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, insert, select, text

from core.review import ItemKey
from index import migrations
from index.casefile_store import CaseFileStore, hearings, links, metadata, ready_engine
from index.review_store import ReviewStore, decisions, history
from tests.processes import REPO, python_env

TABLES = {"hearings", "hearing_parties", "party_links", "confirmed_themes", "review_decisions", "review_history"}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index' / 'casefile.sqlite'}"
    return request.getfixturevalue("postgres_url")


def _schema_is_head(engine) -> None:
    with engine.connect() as c:
        assert migrations.current(c) == migrations.head()
        assert set(inspect(c).get_table_names()) == TABLES | {"alembic_version"}
        assert compare_metadata(MigrationContext.configure(c), metadata) == []  # the stores' tables, exactly
        assert c.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_an_empty_database_is_upgraded_to_head_once(url):
    engine = ready_engine(url)
    _schema_is_head(engine)
    assert migrations.head() == migrations.BASELINE == migrations.script_head()
    assert migrations.upgrade(engine) is False  # at head: only read


def test_downgrade_to_nothing_and_up_again(url):
    engine = ready_engine(url)
    with engine.begin() as c:
        command.downgrade(migrations.config(c), "base")
    with engine.connect() as c:
        assert set(inspect(c).get_table_names()) <= {"alembic_version"} and migrations.current(c) is None
    assert migrations.upgrade(engine) is True
    _schema_is_head(engine)


def _made_by_create_all(url: str, tables=None) -> None:
    """A database as the stores made it before migrations: ``metadata.create_all``, no alembic_version, rows in it."""
    engine = create_engine(url)
    metadata.create_all(engine, tables=tables)
    with engine.begin() as c:
        c.execute(insert(hearings).values(name="H", sent="2025-01-02", updated="2025-01-03T00:00:00+00:00"))
        c.execute(insert(links).values(hearing="H", doc_id="d1", party="HMU", source="person",
                                       updated="2025-01-03T00:00:00+00:00"))
        if tables is None:
            c.execute(insert(decisions).values(hearing="H", kind="verdict", doc_id="d1", subject="t1",
                                               value="mentions", machine_value="uncertain", source="person",
                                               decided_by="Anne",
                                               decided_at="2025-01-03T00:00:00+00:00", state="reviewed",
                                               machine_changed=False))
            c.execute(insert(history).values(hearing="H", kind="verdict", doc_id="d1", subject="t1", who="Anne",
                                             at="2025-01-03T00:00:00+00:00", old_value="uncertain",
                                             new_value="mentions", old_state="unreviewed", new_state="reviewed",
                                             why=""))
    engine.dispose()


def test_a_database_made_by_create_all_is_adopted_at_the_baseline_with_its_rows(url, tmp_path):
    if url.startswith("sqlite"):
        (tmp_path / "index").mkdir()
    _made_by_create_all(url)
    store = CaseFileStore(url)
    record = store.hearing("H")  # the first read of an existing database brings it to head
    assert (record.sent, [(x.doc_id, x.party) for x in record.links]) == ("2025-01-02", [("d1", "HMU")])
    reviews = ReviewStore(url)
    kept = reviews.decision(ItemKey("H", "verdict", "d1", "t1"))
    assert (kept.value, kept.decided_by, kept.state) == ("mentions", "Anne", "reviewed")
    assert [(e.who, e.new_value) for e in reviews.history("H")] == [("Anne", "mentions")]
    _schema_is_head(ready_engine(url))
    with ready_engine(url).connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == migrations.BASELINE


def test_a_case_file_made_before_the_review_trail_gains_the_review_tables(url, tmp_path):
    if url.startswith("sqlite"):
        (tmp_path / "index").mkdir()
    _made_by_create_all(url, tables=[metadata.tables[name] for name in ("hearings", "hearing_parties", "party_links",
                                                                         "confirmed_themes")])
    reviews = ReviewStore(url)
    assert reviews.record_machine([(ItemKey("H", "verdict", "d1", "t1"), "uncertain")]) == 0
    assert reviews.decision(ItemKey("H", "verdict", "d1", "t1")).value == "uncertain"
    assert CaseFileStore(url).hearing("H").sent == "2025-01-02"
    _schema_is_head(ready_engine(url))


FIRST_OPEN = """
import sys, time
from core.review import ItemKey
from index.casefile_store import CaseFileStore
from index.review_store import ReviewStore
url, me, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
time.sleep(max(0.0, start - time.time()))
ReviewStore(url).record_machine([(ItemKey("H", "verdict", me, "t1"), "mentions")])
CaseFileStore(url).set_dates("H " + me, sent="2025-01-01")
"""


def test_processes_opening_a_new_database_at_once_do_not_race(url):
    processes = 4
    start = time.time() + 4  # every child has imported its modules by then
    children = [subprocess.Popen([sys.executable, "-c", FIRST_OPEN, url, f"p{i}", str(start)], cwd=REPO,
                                 env=python_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for i in range(processes)]
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0] * processes, "\n".join(outputs)
    engine = ready_engine(url)
    _schema_is_head(engine)
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(decisions)).scalar() == processes
        assert c.execute(select(func.count()).select_from(hearings)).scalar() == processes


def test_the_sql_of_the_migrations_for_a_dba():
    out = io.StringIO()
    command.upgrade(migrations.config(url="postgresql+psycopg://hoering@db.example/hoering", output=out), "head",
                    sql=True)
    sql = out.getvalue()
    for table in TABLES:
        assert f"CREATE TABLE {table} (" in sql
    assert "CREATE INDEX ix_review_history_doc_id" in sql
    assert f"INSERT INTO alembic_version (version_num) VALUES ('{migrations.BASELINE}')" in sql


def test_alembic_finds_nothing_to_migrate_at_head(url, capsys):
    """Alembic's own check (env.py on a URL, as a developer runs it before writing a revision): the stores' tables
    and the migrations agree."""
    ready_engine(url)
    command.check(migrations.config(url=url))
    assert "No new upgrade operations detected" in capsys.readouterr().out
