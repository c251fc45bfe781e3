"""Engines and sessions for one database, SQLite or PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

#: Seconds a SQLite writer waits for another writer (the solve worker writes
#: progress while the server writes requests) before giving up.
SQLITE_BUSY_TIMEOUT_S = 10


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """Where the data lives; picklable, so a solve worker can open it too.

    `schema` (PostgreSQL only) puts every table in that schema, which tests use
    to isolate runs in one database.
    """

    url: str
    schema: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while a solve worker writes its progress.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(config: DatabaseConfig) -> Engine:
    """A new engine for `config` (SQLite pragmas or PostgreSQL search path set)."""
    connect_args: dict[str, Any] = {}
    if config.is_sqlite:
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
    elif config.schema:
        connect_args = {"options": f"-csearch_path={config.schema}"}
    engine = create_engine(config.url, connect_args=connect_args)
    if config.is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded rows readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
