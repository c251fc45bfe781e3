"""Plan versions: staleness at publish, checking a dispatcher's edit."""

from __future__ import annotations

from typing import Any

from tests.service_fixtures import DAY, Service


def _solved(service: Service) -> str:
    service.load_day()
    r = service.post(f"/days/{DAY}/solve", json={"time_limit_s": 0.3})
    done = service.wait_solve(r.json()["id"])
    assert done["status"] == "succeeded"
    return str(done["plan_id"])


def _routes(service: Service, plan_id: str) -> dict[str, list[str]]:
    plan = service.get(f"/plans/{plan_id}").json()["plan"]
    return {
        r["technician_id"]: [s["job_id"] for s in r["stops"]] for r in plan["routes"]
    }


def test_publishing_a_plan_whose_job_was_edited_is_refused_unless_forced(
    service: Service,
) -> None:
    """J1 edited after the solve: publish -> 409 stale_plan naming J1;
    force=true -> published, stale: true, changed_jobs: [J1]."""
    plan_id = _solved(service)
    version = service.get("/jobs/J1").json()["version"]
    service.patch("/jobs/J1", json={"version": version, "duration_minutes": 90})

    refused = service.post(f"/plans/{plan_id}/publish")
    assert refused.status_code == 409
    assert refused.json()["code"] == "stale_plan"
    assert refused.json()["detail"] == ["J1"]
    assert service.get(f"/days/{DAY}").json()["published_plan_id"] is None

    forced = service.post(f"/plans/{plan_id}/publish?force=true")
    assert forced.status_code == 200
    assert forced.json()["stale"] is True
    assert forced.json()["changed_jobs"] == ["J1"]


def test_a_deleted_job_makes_the_plan_stale(service: Service) -> None:
    """Deleting a planned job is a change too."""
    plan_id = _solved(service)
    assert service.delete("/jobs/J5").status_code == 204
    r = service.post(f"/plans/{plan_id}/publish")
    assert r.status_code == 409
    assert r.json()["detail"] == ["J5"]


def test_a_status_change_does_not_make_the_plan_stale(service: Service) -> None:
    """Status is the day's progress, not an edit of what was planned."""
    plan_id = _solved(service)
    service.post("/jobs/J5/status", json={"status": "en_route"})
    assert service.post(f"/plans/{plan_id}/publish").status_code == 200


def test_checking_an_edit_returns_the_evaluators_violations(
    service: Service,
) -> None:
    """Moving an electric job to the hvac technician is reported, not solved."""
    plan_id = _solved(service)
    routes = _routes(service, plan_id)
    routes.setdefault("T1", []).append("J3")
    routes["T2"] = [j for j in routes.get("T2", []) if j != "J3"]
    r = service.post(f"/plans/{plan_id}/check", json={"routes": routes})
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    assert body["feasible"] is False
    assert any(v["job_id"] == "J3" for v in body["violations"])
    assert body["saved_plan_id"] is None
    assert service.get(f"/days/{DAY}/plans").json()["count"] == 1


def test_a_checked_reorder_can_be_saved_and_published(service: Service) -> None:
    """A re-ordered route, checked and saved, is a new version to publish."""
    plan_id = _solved(service)
    routes = {t: list(reversed(jobs)) for t, jobs in _routes(service, plan_id).items()}
    r = service.post(
        f"/plans/{plan_id}/check", json={"routes": routes, "save": True}
    ).json()
    assert r["saved_plan_id"]
    assert r["feasible"] is True, r["violations"]
    assert r["changed_jobs"] == []
    versions = service.get(f"/days/{DAY}/plans").json()
    assert versions["count"] == 2
    saved = service.get(f"/plans/{r['saved_plan_id']}").json()
    assert saved["source"] == "edit"
    assert saved["based_on"] == plan_id
    assert service.post(f"/plans/{r['saved_plan_id']}/publish").status_code == 200
    route = service.get(f"/technicians/T1/route?date={DAY}").json()["route"]
    assert [s["job_id"] for s in route["stops"]] == routes["T1"]


def test_a_pin_in_the_edit_is_checked(service: Service) -> None:
    """Pinning J1 to T2 while leaving it with T1 is a violation."""
    plan_id = _solved(service)
    routes = _routes(service, plan_id)
    r = service.post(
        f"/plans/{plan_id}/check", json={"routes": routes, "pins": {"J1": "T2"}}
    ).json()
    assert r["feasible"] is False
    assert any(v["job_id"] == "J1" for v in r["violations"])


def test_a_pin_of_an_unknown_job_names_the_field(service: Service) -> None:
    """pins.J99: 422 with the field path."""
    plan_id = _solved(service)
    r = service.post(
        f"/plans/{plan_id}/check", json={"routes": {}, "pins": {"J99": "T1"}}
    )
    assert r.status_code == 422
    assert r.json()["problems"][0]["where"] == "body.pins.J99"
