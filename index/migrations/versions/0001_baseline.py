"""Baseline: the case file's four tables (issue 24) and the review trail's two (issue 25).

A database made before migrations by the stores' ``metadata.create_all`` has some or all of these tables and no
``alembic_version``: only the missing ones are created, so its rows stay (the database is adopted at this revision).

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[tuple[str, list, list[tuple[str, str]]]]:
    """(table, columns, indexes as (name, column)) in the order they are created."""
    return [
        ("hearings", [
            sa.Column("name", sa.String(500), primary_key=True),
            sa.Column("sent", sa.String(10)),
            sa.Column("deadline", sa.String(10)),
            sa.Column("updated", sa.String(32), nullable=False),
        ], []),
        ("hearing_parties", [
            sa.Column("hearing", sa.String(500), primary_key=True),
            sa.Column("position", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(300), nullable=False),
            sa.Column("row", sa.Integer, nullable=False),
            sa.Column("extra", sa.Text, nullable=False),
        ], []),
        ("party_links", [
            sa.Column("hearing", sa.String(500), primary_key=True),
            sa.Column("doc_id", sa.String(64), primary_key=True),
            sa.Column("party", sa.String(300)),
            sa.Column("source", sa.String(16), nullable=False),
            sa.Column("updated", sa.String(32), nullable=False),
        ], []),
        ("confirmed_themes", [
            sa.Column("hearing", sa.String(500), primary_key=True),
            sa.Column("theme_id", sa.String(32), primary_key=True),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("label", sa.String(300), nullable=False),
            sa.Column("description", sa.Text, nullable=False),
        ], []),
        ("review_decisions", [
            sa.Column("hearing", sa.String(500), primary_key=True),
            sa.Column("kind", sa.String(16), primary_key=True),
            sa.Column("doc_id", sa.String(64), primary_key=True),
            sa.Column("subject", sa.String(64), primary_key=True),
            sa.Column("value", sa.Text),
            sa.Column("machine_value", sa.Text),
            sa.Column("source", sa.String(16), nullable=False),
            sa.Column("model", sa.String(120)),
            sa.Column("decided_by", sa.String(200)),
            sa.Column("decided_at", sa.String(32), nullable=False),
            sa.Column("state", sa.String(16), nullable=False),
            sa.Column("machine_changed", sa.Boolean, nullable=False),
        ], []),
        ("review_history", [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("hearing", sa.String(500), nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("doc_id", sa.String(64), nullable=False),
            sa.Column("subject", sa.String(64), nullable=False),
            sa.Column("who", sa.String(200), nullable=False),
            sa.Column("at", sa.String(32), nullable=False),
            sa.Column("old_value", sa.Text),
            sa.Column("new_value", sa.Text),
            sa.Column("old_state", sa.String(16)),
            sa.Column("new_state", sa.String(16)),
            sa.Column("why", sa.Text, nullable=False),
        ], [("ix_review_history_hearing", "hearing"), ("ix_review_history_doc_id", "doc_id")]),
    ]


def upgrade() -> None:
    existing = set() if op.get_context().as_sql else set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns, indexes in _tables():
        if name in existing:  # made by create_all before migrations: kept as it is
            continue
        op.create_table(name, *columns)
        for index, column in indexes:
            op.create_index(index, name, [column])


def downgrade() -> None:
    for name, _columns, _indexes in reversed(_tables()):
        op.drop_table(name)
