"""Usage counts per day or month: (period, event, key) -> n; no personal data (core/usage.py).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute("""
        CREATE TABLE usage_counts (
            period text NOT NULL,
            event text NOT NULL,
            key text NOT NULL,
            n bigint NOT NULL,
            PRIMARY KEY (period, event, key)
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS usage_counts")
