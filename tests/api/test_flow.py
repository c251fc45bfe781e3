"""The whole dispatcher flow, on SQLite and on PostgreSQL."""

from __future__ import annotations

from tests.service_fixtures import DAY, Service


def test_solve_poll_publish_and_read_a_route(service: Service) -> None:
    """Load a day, solve in the background, publish, read one technician's route."""
    service.load_day()
    started = service.post(f"/days/{DAY}/solve", json={"time_limit_s": 0.5})
    assert started.status_code == 202
    assert started.json()["status"] in ("queued", "running")
    assert started.headers["Location"] == f"/solves/{started.json()['id']}"

    done = service.wait_solve(started.json()["id"])
    assert done["status"] == "succeeded"
    assert done["elapsed_s"] > 0
    assert done["best_cost"] is not None

    plans = service.get(f"/days/{DAY}/plans").json()
    assert plans["count"] == 1
    assert plans["data"][0]["id"] == done["plan_id"]
    assert plans["data"][0]["published"] is False

    published = service.post(f"/plans/{done['plan_id']}/publish").json()
    assert published == {
        **published,
        "plan_id": done["plan_id"],
        "stale": False,
        "changed_jobs": [],
    }
    plan = service.get(f"/plans/{done['plan_id']}").json()
    assert plan["published"] is True
    routed = {s["job_id"] for r in plan["plan"]["routes"] for s in r["stops"]}
    assert routed == {"J1", "J2", "J3", "J4", "J5"}

    route = service.get(f"/technicians/T1/route?date={DAY}").json()
    assert route["plan_id"] == done["plan_id"]
    stops = [s["job_id"] for s in route["route"]["stops"]]
    assert {"J1", "J2"} <= set(stops)
    assert {"J3", "J4"}.isdisjoint(stops)  # electric jobs go to T2

    jobs = service.get(f"/jobs?date={DAY}").json()["data"]
    assert {j["id"]: j["assigned_technician_id"] for j in jobs}["J1"] == "T1"
    assert {j["status"] for j in jobs} == {"planned"}


def test_a_day_with_an_invalid_record_is_refused_before_solving(
    service: Service,
) -> None:
    """A job asking for a skill nobody has: 422 naming the job and field."""
    service.load_day()
    job = {
        "id": "J9",
        "date": DAY,
        "location": {"lat": 60.1, "lon": 24.9},
        "duration_minutes": 10,
        "required_skills": ["plumbing"],
    }
    assert service.post("/jobs", json=job).status_code == 201
    r = service.post(f"/days/{DAY}/solve")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_input"
    assert any(p["where"].startswith("job J9") for p in body["problems"]), body
    assert service.get(f"/days/{DAY}/solves").json() == []
