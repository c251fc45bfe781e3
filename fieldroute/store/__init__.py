"""Persistence: SQLAlchemy tables, Alembic migrations, one module per record kind.

SQLite (a file, the default) and PostgreSQL (``postgresql+psycopg://...``)
run the same code and the same migrations. Records of the domain
(technicians, jobs) are stored as their validated pydantic JSON plus the
columns queries need; plans are immutable once stored.
"""

from fieldroute.store.database import DatabaseConfig, make_engine, make_sessionmaker
from fieldroute.store.migrate import upgrade

__all__ = ["DatabaseConfig", "make_engine", "make_sessionmaker", "upgrade"]
