"""Schemathesis against the OpenAPI schema: no 5xx, no answer that breaks
the schema. Bounded (a few examples per operation) to stay fast."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fieldroute.api import create_app
from fieldroute.store.database import DatabaseConfig
from fieldroute.store.migrate import upgrade
from fieldroute.store.tables import Role
from fieldroute.worker.runner import ProcessSolveRunner
from tests.service_fixtures import bearer, issue_token, settings_for

#: Examples per operation: enough to hit each route's edges, still fast.
#: The suite's run is derandomized (the same examples every time, so CI is
#: stable); FUZZ_EXAMPLES=200 FUZZ_RANDOM=1 runs a deeper, random search.
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "12"))
DERANDOMIZE = not os.environ.get("FUZZ_RANDOM")
#: What is checked: no 5xx, every answer in its documented status, content
#: type and schema. Not checked, on purpose: whether schema-violating input is
#: refused (pydantic's lax mode accepts 0 for a date and false for 0.0, by
#: design), whether schema-valid input is accepted (cross-field rules such
#: as "a dispatcher token names no technician" are not in the schema), and
#: Starlette's `Allow` header on 405, which lists one route's methods only.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class _SessionRunner:
    """Forwards solves to the test session's worker pool once it exists
    (the schema is loaded at import, before fixtures run)."""

    target: ProcessSolveRunner | None = None

    def submit(self, database: DatabaseConfig, solve_id: str) -> None:
        assert self.target is not None
        self.target.submit(database, solve_id)

    def shutdown(self) -> None:
        """The session pool is shut down by its own fixture."""


FOLDER = Path(tempfile.mkdtemp(prefix="fieldroute-fuzz-"))
DATABASE = DatabaseConfig(f"sqlite:///{FOLDER}/fieldroute.sqlite")
RUNNER = _SessionRunner()
APP = create_app(
    settings_for(DATABASE).model_copy(update={"max_time_limit_s": 1.0}), runner=RUNNER
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def dispatcher(runner: ProcessSolveRunner) -> Iterator[dict[str, str]]:
    """The app started (lifespan) on a fresh SQLite file, and a dispatcher token."""
    RUNNER.target = runner
    upgrade(DATABASE)
    try:
        with TestClient(APP):
            yield bearer(issue_token(DATABASE, Role.DISPATCHER))
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_answer_off_schema(
    case: schemathesis.Case, dispatcher: dict[str, str]
) -> None:
    """Every generated request is answered in its documented shape, never 5xx."""
    case.call_and_validate(headers=dispatcher, checks=CHECKS)
