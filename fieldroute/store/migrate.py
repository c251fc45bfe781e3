"""Run the Alembic migrations shipped inside the package, from code.

`fieldroute serve` and `fieldroute db upgrade` call `upgrade`; no
``alembic.ini`` is needed, the script location is this package's
``migrations`` folder.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from fieldroute.store.database import DatabaseConfig, make_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(database: DatabaseConfig, *, engine: Engine | None = None) -> None:
    """Bring the database to the newest schema (creating the schema if named)."""
    own = engine is None
    engine = engine or make_engine(database)
    try:
        with engine.begin() as connection:
            if database.schema and not database.is_sqlite:
                connection.execute(
                    text(f'CREATE SCHEMA IF NOT EXISTS "{database.schema}"')
                )
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if own:
            engine.dispose()
