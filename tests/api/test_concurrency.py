"""No lost edits: optimistic concurrency on jobs and technicians."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.service_fixtures import Service


def test_the_second_of_two_edits_from_the_same_version_gets_409(
    service: Service,
) -> None:
    """Two dispatchers read J1 at version 1; the first edit wins, the second
    gets 409 with the current job (so it can redo its edit on top)."""
    service.load_day()
    read = service.get("/jobs/J1").json()
    first = service.patch(
        "/jobs/J1", json={"version": read["version"], "duration_minutes": 60}
    )
    assert first.status_code == 200
    assert first.json()["version"] == read["version"] + 1
    second = service.patch("/jobs/J1", json={"version": read["version"], "priority": 5})
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "version_conflict"
    assert body["detail"]["duration_minutes"] == 60
    assert body["detail"]["version"] == read["version"] + 1
    assert service.get("/jobs/J1").json()["priority"] == 3  # the loser changed nothing


def test_of_simultaneous_edits_from_one_version_exactly_one_wins(
    service: Service,
) -> None:
    """Eight threads edit J2 from the same version at once: one 200, seven 409."""
    service.load_day()
    version = service.get("/jobs/J2").json()["version"]

    def edit(minutes: int) -> int:
        r = service.patch(
            "/jobs/J2", json={"version": version, "duration_minutes": minutes}
        )
        return int(r.status_code)

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(edit, range(10, 18)))
    assert sorted(codes) == [200] + [409] * 7
    assert service.get("/jobs/J2").json()["version"] == version + 1


def test_a_stale_technician_edit_gets_409_with_the_current_record(
    service: Service,
) -> None:
    """The same rule holds for technicians."""
    service.load_day()
    ok = service.patch("/technicians/T1", json={"version": 1, "max_jobs": 4})
    assert ok.status_code == 200
    stale = service.patch("/technicians/T1", json={"version": 1, "name": "X"})
    assert stale.status_code == 409
    assert stale.json()["detail"]["max_jobs"] == 4
