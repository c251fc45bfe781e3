"""Background solves: progress while running, cancellation, and what a
cancelled solve leaves behind (nothing: the published plan stays)."""

from __future__ import annotations

import time
from typing import Any

from tests.service_fixtures import DAY, Service


def _search_until_stopped(service: Service) -> None:
    """Make the day's solves use their whole time limit (no early stop)."""
    day = service.get(f"/days/{DAY}").json()
    r = service.put(
        f"/days/{DAY}",
        json={
            "timezone": day["timezone"],
            "options": {**day["options"], "stall_iterations": None},
            "version": day["version"],
        },
    )
    assert r.status_code == 200, r.text


def _wait_running(service: Service, solve_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body: dict[str, Any] = service.get(f"/solves/{solve_id}").json()
        if body["status"] == "running" and body["best_cost"] is not None:
            return body
        time.sleep(0.05)
    raise AssertionError("the solve did not report progress")


def test_cancelling_a_solve_leaves_the_published_plan_as_it_was(
    service: Service,
) -> None:
    """Publish plan A, start a long solve, cancel it: it ends 'cancelled'
    within seconds, stores no plan, and plan A is still the live one."""
    service.load_day()
    live = service.solve_and_publish()
    route_before = service.get(f"/technicians/T1/route?date={DAY}").json()
    _search_until_stopped(service)

    started = service.post(f"/days/{DAY}/solve", json={"time_limit_s": 60})
    solve_id = started.json()["id"]
    running = _wait_running(service, solve_id)
    assert running["elapsed_s"] > 0

    asked = time.monotonic()
    r = service.post(f"/solves/{solve_id}/cancel")
    assert r.status_code == 202
    assert r.json()["cancel_requested"] is True
    done = service.wait_solve(solve_id)
    assert done["status"] == "cancelled"
    assert done["plan_id"] is None
    assert time.monotonic() - asked < 10

    assert service.get(f"/days/{DAY}").json()["published_plan_id"] == live
    assert service.get(f"/days/{DAY}/plans").json()["count"] == 1
    assert service.get(f"/technicians/T1/route?date={DAY}").json() == route_before


def test_progress_reports_the_best_objective_and_elapsed_time(
    service: Service,
) -> None:
    """While running, GET /solves/{id} shows a best objective and growing time."""
    service.load_day()
    _search_until_stopped(service)
    solve_id = service.post(f"/days/{DAY}/solve", json={"time_limit_s": 30}).json()[
        "id"
    ]
    first = _wait_running(service, solve_id)
    time.sleep(0.5)
    later = service.get(f"/solves/{solve_id}").json()
    assert later["elapsed_s"] > first["elapsed_s"]
    assert isinstance(later["best_cost"], float)
    service.post(f"/solves/{solve_id}/cancel")
    assert service.wait_solve(solve_id)["status"] == "cancelled"


def test_a_finished_solve_cannot_be_cancelled(service: Service) -> None:
    """Cancelling a finished solve is a 409 invalid_state, the plan is kept."""
    service.load_day()
    service.solve_and_publish()
    solve = service.get(f"/days/{DAY}/solves").json()[0]
    r = service.post(f"/solves/{solve['id']}/cancel")
    assert r.status_code == 409
    assert r.json()["code"] == "invalid_state"


def test_a_request_is_answered_while_a_solve_runs(service: Service) -> None:
    """The solve runs in a worker process: reads answer promptly meanwhile."""
    service.load_day()
    service.solve_and_publish()
    _search_until_stopped(service)
    solve_id = service.post(f"/days/{DAY}/solve", json={"time_limit_s": 30}).json()[
        "id"
    ]
    _wait_running(service, solve_id)
    started = time.perf_counter()
    for _ in range(20):
        assert service.get(f"/technicians/T1/route?date={DAY}").status_code == 200
    assert (time.perf_counter() - started) / 20 < 0.25
    service.post(f"/solves/{solve_id}/cancel")
    service.wait_solve(solve_id)


def test_unknown_solve_is_404(service: Service) -> None:
    """A solve id that does not exist."""
    r = service.get("/solves/nope")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
