"""Service settings, read from ``FIELDROUTE_*`` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from fieldroute.store.database import DatabaseConfig

DEFAULT_DATABASE_URL = "sqlite:///./fieldroute.sqlite"


class Settings(BaseSettings):
    """Everything the service can be told; each field is ``FIELDROUTE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="FIELDROUTE_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: a SQLite file (default) or "
        "postgresql+psycopg://user@host/db.",
    )
    database_schema: str | None = Field(
        default=None, description="PostgreSQL schema to keep the tables in."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    solve_workers: int = Field(
        default=1, ge=1, le=64, description="Solver processes (CPU-bound each)."
    )
    default_timezone: str = Field(
        default="UTC", description="Time zone of a day whose settings were not set."
    )
    max_time_limit_s: float = Field(
        default=600.0, gt=0, description="Longest solve the API accepts."
    )
    migrate_on_start: bool = True
    access_log: bool = Field(
        default=True, description="Log each request (costs time under load)."
    )

    @property
    def database(self) -> DatabaseConfig:
        """Where the data lives."""
        return DatabaseConfig(url=self.database_url, schema=self.database_schema)
