"""Alembic's environment: migrations run on the connection `migrate.upgrade` hands over."""

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes["connection"]
assert isinstance(connection, Connection)
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
