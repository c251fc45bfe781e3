"""Roles: a technician token sees its own route and reports its own jobs only."""

from __future__ import annotations

import pytest

from tests.service_fixtures import DAY, Service


@pytest.fixture
def published(service: Service) -> Service:
    service.load_day()
    service.solve_and_publish()
    return service


def _own_job(service: Service, technician_id: str) -> str:
    route = service.get(f"/technicians/{technician_id}/route?date={DAY}").json()
    return str(route["route"]["stops"][0]["job_id"])


def test_a_technician_reads_its_own_published_route(published: Service) -> None:
    """T1's token reads T1's route."""
    r = published.client.get(
        f"/technicians/T1/route?date={DAY}", headers=published.token_for("T1")
    )
    assert r.status_code == 200
    assert r.json()["technician_id"] == "T1"


def test_a_technician_reading_another_technicians_route_gets_403(
    published: Service,
) -> None:
    """T1's token on T2's route (and on a technician that does not exist): 403,
    and the text is the same so nothing is revealed."""
    t1 = published.token_for("T1")
    other = published.client.get(f"/technicians/T2/route?date={DAY}", headers=t1)
    ghost = published.client.get(f"/technicians/NOPE/route?date={DAY}", headers=t1)
    assert other.status_code == ghost.status_code == 403
    assert other.json() == ghost.json()
    assert "T2" not in other.text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/technicians"),  # list people
        ("get", "/technicians/T1"),  # even its own record
        ("get", "/jobs"),
        ("post", f"/days/{DAY}/solve"),
        ("get", f"/days/{DAY}/plans"),
        ("post", "/tokens"),
    ],
)
def test_a_technician_token_may_not_use_dispatcher_routes(
    published: Service, method: str, url: str
) -> None:
    """Everything but its route and its job statuses is 403 for a technician."""
    r = getattr(published.client, method)(url, headers=published.token_for("T1"))
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"


def test_a_technician_reports_status_of_its_own_jobs_only(published: Service) -> None:
    """Own job: 200. Another's job or an unknown job: the same 403."""
    t1 = published.token_for("T1")
    mine = _own_job(published, "T1")
    theirs = _own_job(published, "T2")
    r = published.client.post(
        f"/jobs/{mine}/status", json={"status": "en_route"}, headers=t1
    )
    assert r.status_code == 200
    assert r.json()["status"] == "en_route"
    other = published.client.post(
        f"/jobs/{theirs}/status", json={"status": "done"}, headers=t1
    )
    ghost = published.client.post(
        "/jobs/NOPE/status", json={"status": "done"}, headers=t1
    )
    assert other.status_code == ghost.status_code == 403
    assert other.json() == ghost.json()


def test_a_technician_may_not_cancel_a_job(published: Service) -> None:
    """Only field statuses (en_route, arrived, done) are a technician's to set."""
    mine = _own_job(published, "T1")
    r = published.client.post(
        f"/jobs/{mine}/status",
        json={"status": "cancelled"},
        headers=published.token_for("T1"),
    )
    assert r.status_code == 403


def test_no_token_or_an_unknown_token_is_401(service: Service) -> None:
    """Without a valid token nothing is answered but 401."""
    assert service.client.get("/technicians").status_code == 401
    r = service.client.get("/technicians", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


def test_a_dispatcher_creates_a_technician_token_that_works(
    published: Service,
) -> None:
    """POST /tokens gives a secret once; it works as a technician's token."""
    r = published.post("/tokens", json={"role": "technician", "technician_id": "T2"})
    assert r.status_code == 201
    token = r.json()["token"]
    route = published.client.get(
        f"/technicians/T2/route?date={DAY}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert route.status_code == 200
