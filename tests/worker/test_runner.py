"""The process-pool runner: a worker that dies fails its solve, keeps the
published plan, and the pool recovers for the next solve."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from fieldroute.api import create_app
from fieldroute.store.database import DatabaseConfig
from fieldroute.worker.runner import ProcessSolveRunner
from tests.service_fixtures import DAY, Service, settings_for


@pytest.fixture
def own_runner() -> Iterator[ProcessSolveRunner]:
    """A pool of its own: this test kills its worker."""
    pool = ProcessSolveRunner(workers=1)
    pool.start()
    yield pool
    pool.shutdown()


def test_a_killed_worker_fails_its_solve_and_the_next_solve_runs(
    database: DatabaseConfig, own_runner: ProcessSolveRunner
) -> None:
    """SIGKILL the worker mid-solve: status failed (worker_lost), the live plan
    unchanged; a new solve then succeeds on a rebuilt pool."""
    with TestClient(create_app(settings_for(database), runner=own_runner)) as client:
        service = Service(client, database)
        service.load_day()
        live = service.solve_and_publish()
        day = service.get(f"/days/{DAY}").json()
        service.put(
            f"/days/{DAY}",
            json={
                "timezone": day["timezone"],
                "options": {**day["options"], "stall_iterations": None},
                "version": day["version"],
            },
        )
        solve_id = service.post(f"/days/{DAY}/solve", json={"time_limit_s": 60}).json()[
            "id"
        ]
        deadline = time.monotonic() + 30
        while service.get(f"/solves/{solve_id}").json()["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        workers = own_runner.worker_pids()
        assert workers
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        done = service.wait_solve(solve_id)
        assert done["status"] == "failed"
        assert done["error"]["code"] == "worker_lost"
        assert service.get(f"/days/{DAY}").json()["published_plan_id"] == live

        service.put(
            f"/days/{DAY}",
            json={"timezone": day["timezone"], "version": day["version"] + 1},
        )
        again = service.post(f"/days/{DAY}/solve", json={"time_limit_s": 0.3}).json()
        assert service.wait_solve(again["id"])["status"] == "succeeded"
