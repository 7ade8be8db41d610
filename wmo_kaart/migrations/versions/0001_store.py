"""The PostGIS store: versions, live locations with a point and a spatial index, BW history, staging, mappings.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("""
        CREATE TABLE store_versions (
            number integer PRIMARY KEY,
            published_at text NOT NULL,
            actor text NOT NULL,
            source text NOT NULL,
            source_sha256 text NOT NULL,
            data_sha256 text NOT NULL,
            locations integer NOT NULL,
            note text NOT NULL DEFAULT '',
            base integer,
            data text NOT NULL
        )""")
    op.execute("""
        CREATE TABLE store_locations (
            id text PRIMARY KEY,
            version integer NOT NULL REFERENCES store_versions(number) ON DELETE CASCADE,
            properties jsonb NOT NULL,
            geom geometry(Point, 4326) NOT NULL
        )""")
    op.execute("CREATE INDEX store_locations_geom ON store_locations USING gist (geom)")
    op.execute("""
        CREATE TABLE store_bw_history (
            seq bigserial PRIMARY KEY,
            location_id text NOT NULL,
            capacity integer,
            occupancy integer,
            as_of text,
            version integer NOT NULL,
            actor text NOT NULL,
            at text NOT NULL,
            source text NOT NULL
        )""")
    op.execute("CREATE INDEX store_bw_history_location ON store_bw_history (location_id)")
    op.execute("CREATE TABLE store_staging (token text PRIMARY KEY, payload text NOT NULL, staged_at double precision NOT NULL)")
    op.execute("CREATE TABLE store_column_mappings (header text PRIMARY KEY, field text NOT NULL)")


def downgrade() -> None:
    for table in ("store_column_mappings", "store_staging", "store_bw_history", "store_locations", "store_versions"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
