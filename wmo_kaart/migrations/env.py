"""Alembic environment for the PostGIS store: runs on the connection the store hands over."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, version_table="wmo_kaart_alembic_version")
with context.begin_transaction():
    context.run_migrations()
