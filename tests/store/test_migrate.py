"""The packaged migrations build exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from fieldroute.store.database import DatabaseConfig, make_engine
from fieldroute.store.migrate import MIGRATIONS_DIR, upgrade
from fieldroute.store.tables import Base


def test_migrations_match_the_models(database: DatabaseConfig) -> None:
    """Autogenerate finds nothing to add after `upgrade` (SQLite and PostgreSQL)."""
    engine = make_engine(database)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_upgrade_twice_is_harmless(database: DatabaseConfig) -> None:
    """`fieldroute db upgrade` on an up-to-date database changes nothing."""
    upgrade(database)
    engine = make_engine(database)
    tables = set(inspect(engine).get_table_names(schema=database.schema))
    engine.dispose()
    assert {"technicians", "jobs", "plans", "solves", "alembic_version"} <= tables


def test_migrations_ship_inside_the_package() -> None:
    """The migrations are package files (installed with the wheel)."""
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert any((MIGRATIONS_DIR / "versions").glob("0001_*.py"))
