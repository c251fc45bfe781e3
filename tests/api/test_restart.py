"""A restart keeps every stored record: a new app and engine on the same
database sees technicians, jobs, statuses, solves, plans, publications and
tokens as they were."""

from __future__ import annotations

from fastapi.testclient import TestClient

from fieldroute.api import create_app
from fieldroute.worker.runner import ProcessSolveRunner
from tests.service_fixtures import DAY, Service, settings_for


def test_a_new_server_on_the_same_database_keeps_every_record(
    service: Service, runner: ProcessSolveRunner
) -> None:
    """Everything read before the restart reads the same after it."""
    service.load_day()
    plan_id = service.solve_and_publish()
    service.post("/jobs/J1/status", json={"status": "done"})
    t1 = service.token_for("T1")
    urls = [
        "/technicians",
        f"/jobs?date={DAY}",
        f"/days/{DAY}",
        f"/days/{DAY}/plans",
        f"/days/{DAY}/solves",
        f"/plans/{plan_id}",
        f"/technicians/T1/route?date={DAY}",
    ]
    before = {url: service.get(url).json() for url in urls}
    service.client.__exit__(None, None, None)  # stop the first server

    app = create_app(settings_for(service.database), runner=runner)
    with TestClient(app) as client:
        after = {
            url: client.get(url, headers=service.dispatcher).json() for url in urls
        }
        route = client.get(f"/technicians/T1/route?date={DAY}", headers=t1)
    assert after == before
    assert route.status_code == 200
    assert before[f"/days/{DAY}"]["published_plan_id"] == plan_id
