"""Fixtures of the dispatch service tests: one database of each kind, a
shared solve-worker pool, a client of a fresh app.

Every test that takes `database` runs twice: on a SQLite file and on the
PostgreSQL server at 127.0.0.1:5432 (database ``test``), each run in a
schema of its own that is dropped afterwards. Nothing is mocked. Where no
PostgreSQL answers, those runs are skipped (set FIELDROUTE_TEST_POSTGRES_URL
to use another server).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from fieldroute.api import Settings, create_app
from fieldroute.store.database import DatabaseConfig, make_engine, make_sessionmaker
from fieldroute.store.migrate import upgrade
from fieldroute.store.tables import Role
from fieldroute.store.tokens import create_token
from fieldroute.worker.runner import ProcessSolveRunner

POSTGRES_URL = os.environ.get(
    "FIELDROUTE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DAY = "2026-11-23"
TIMEZONE = "Europe/Helsinki"


def _postgres_reason() -> str | None:
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:
        return f"no PostgreSQL at {POSTGRES_URL}: {type(error).__name__}"
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def postgres_unavailable() -> str | None:
    return _postgres_reason()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path: Any, postgres_unavailable: str | None
) -> Iterator[DatabaseConfig]:
    """An empty, migrated database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        config = DatabaseConfig(f"sqlite:///{tmp_path}/fieldroute.sqlite")
        upgrade(config)
        yield config
        return
    if postgres_unavailable:
        pytest.skip(postgres_unavailable)
    config = DatabaseConfig(POSTGRES_URL, schema=f"fr_test_{uuid.uuid4().hex[:12]}")
    upgrade(config)
    try:
        yield config
    finally:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{config.schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def runner() -> Iterator[ProcessSolveRunner]:
    """One solve-worker process shared by every test (spawning one costs ~1 s)."""
    pool = ProcessSolveRunner(workers=1)
    pool.start()
    yield pool
    pool.shutdown()


def issue_token(
    database: DatabaseConfig, role: Role, technician_id: str | None = None
) -> str:
    """A new API token, written straight to the store (as the CLI does)."""
    engine = make_engine(database)
    try:
        with make_sessionmaker(engine).begin() as session:
            return create_token(session, role=role, technician_id=technician_id).token
    finally:
        engine.dispose()


def settings_for(database: DatabaseConfig) -> Settings:
    return Settings(
        database_url=database.url,
        database_schema=database.schema,
        default_timezone=TIMEZONE,
    )


class Service:
    """A running app (through TestClient) and a dispatcher's headers."""

    def __init__(self, client: TestClient, database: DatabaseConfig) -> None:
        self.client = client
        self.database = database
        self.dispatcher = bearer(issue_token(database, Role.DISPATCHER))

    def token_for(self, technician_id: str) -> dict[str, str]:
        return bearer(issue_token(self.database, Role.TECHNICIAN, technician_id))

    def get(self, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("headers", self.dispatcher)
        return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("headers", self.dispatcher)
        return self.client.post(url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("headers", self.dispatcher)
        return self.client.patch(url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("headers", self.dispatcher)
        return self.client.put(url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("headers", self.dispatcher)
        return self.client.delete(url, **kwargs)

    def wait_solve(self, solve_id: str, *, timeout_s: float = 60.0) -> dict[str, Any]:
        """Poll the solve until it has finished; return its last state."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            body: dict[str, Any] = self.get(f"/solves/{solve_id}").json()
            if body["status"] in ("succeeded", "failed", "cancelled"):
                return body
            time.sleep(0.05)
        raise AssertionError(f"solve {solve_id} did not finish in {timeout_s} s")

    def load_day(self) -> None:
        """Store the small day: its settings, 2 technicians, 5 jobs."""
        assert self.put(f"/days/{DAY}", json=day_settings()).status_code == 200
        r = self.post("/technicians/bulk", json={"data": technicians()})
        assert r.status_code == 201, r.text
        r = self.post("/jobs/bulk", json={"data": jobs()})
        assert r.status_code == 201, r.text

    def solve_and_publish(self, *, time_limit_s: float = 0.3) -> str:
        """Solve the day, publish the plan, return its id."""
        r = self.post(f"/days/{DAY}/solve", json={"time_limit_s": time_limit_s})
        assert r.status_code == 202, r.text
        done = self.wait_solve(r.json()["id"])
        assert done["status"] == "succeeded", done
        r = self.post(f"/plans/{done['plan_id']}/publish")
        assert r.status_code == 200, r.text
        return str(done["plan_id"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def service(database: DatabaseConfig, runner: ProcessSolveRunner) -> Iterator[Service]:
    """A fresh app on `database`, started (lifespan) and stopped around the test."""
    with TestClient(create_app(settings_for(database), runner=runner)) as client:
        yield Service(client, database)


# --- the small day -----------------------------------------------------------


def day_settings() -> dict[str, Any]:
    return {"timezone": TIMEZONE, "name": "small day", "options": {"seed": 1}}


def technicians() -> list[dict[str, Any]]:
    return [
        {
            "id": "T1",
            "name": "Aino",
            "start": {"lat": 60.17, "lon": 24.94},
            "shift": {"start": "08:00", "end": "16:00"},
            "skills": ["hvac"],
        },
        {
            "id": "T2",
            "name": "Bertil",
            "start": {"lat": 60.20, "lon": 24.90},
            "shift": {"start": "08:00", "end": "16:00"},
            "skills": ["electric"],
        },
    ]


def jobs() -> list[dict[str, Any]]:
    spots = [
        (60.18, 24.95),
        (60.16, 24.93),
        (60.21, 24.88),
        (60.19, 24.92),
        (60.17, 24.97),
    ]
    skills = [["hvac"], ["hvac"], ["electric"], ["electric"], []]
    return [
        {
            "id": f"J{i + 1}",
            "date": DAY,
            "name": f"customer {i + 1}",
            "location": {"lat": lat, "lon": lon},
            "duration_minutes": 45,
            "required_skills": skills[i],
            "time_windows": [{"start": "08:00", "end": "15:00"}],
        }
        for i, (lat, lon) in enumerate(spots)
    ]
