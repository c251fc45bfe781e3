"""Technicians, jobs and days: CRUD, bulk all-or-nothing, field-path errors."""

from __future__ import annotations

import pytest

from tests.service_fixtures import DAY, Service, jobs, technicians


def test_create_read_update_delete_a_job(service: Service) -> None:
    """The life of one job through the API."""
    service.post("/technicians/bulk", json={"data": technicians()})
    created = service.post("/jobs", json=jobs()[0])
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "unplanned"
    assert body["version"] == 1
    assert body["date"] == DAY
    assert service.get("/jobs/J1").json() == body
    moved = service.patch("/jobs/J1", json={"version": 1, "date": "2026-11-24"})
    assert moved.json()["date"] == "2026-11-24"
    assert service.get(f"/jobs?date={DAY}").json()["count"] == 0
    assert service.delete("/jobs/J1").status_code == 204
    assert service.get("/jobs/J1").status_code == 404


def test_bulk_create_is_all_or_nothing(service: Service) -> None:
    """One existing id in a bulk create refuses the whole batch (409)."""
    service.post("/technicians/bulk", json={"data": technicians()})
    service.post("/jobs", json=jobs()[0])
    r = service.post("/jobs/bulk", json={"data": jobs()})
    assert r.status_code == 409
    assert r.json()["code"] == "already_exists"
    assert r.json()["detail"] == ["J1"]
    assert service.get("/jobs").json()["count"] == 1


def test_listing_filters_by_date_and_status_and_pages(service: Service) -> None:
    """JobsPublic(data, count): count is of all matches, data one page."""
    service.load_day()
    page = service.get(f"/jobs?date={DAY}&limit=2&skip=1").json()
    assert page["count"] == 5
    assert [j["id"] for j in page["data"]] == ["J2", "J3"]
    assert service.get("/jobs?status=done").json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "where"),
    [
        # latitude out of range: the nested path is named
        ({"location": {"lat": 100, "lon": 24.9}}, "body.location.lat"),
        # a field the model does not know
        ({"colour": "red"}, "body.colour"),
        # a time window with a bad clock time
        ({"time_windows": [{"start": "25:99", "end": "10:00"}]}, "body.time_windows"),
    ],
)
def test_an_invalid_job_names_the_field_path(
    service: Service, body: dict[str, object], where: str
) -> None:
    """422 with code invalid_input and the path of the bad field."""
    r = service.post("/jobs", json={**jobs()[0], **body})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input"
    assert any(p["where"].startswith(where) for p in r.json()["problems"]), r.json()


def test_an_invalid_edit_names_the_field_and_changes_nothing(
    service: Service,
) -> None:
    """A PATCH making a job invalid is refused; the stored job is unchanged."""
    service.load_day()
    r = service.patch("/jobs/J1", json={"version": 1, "duration_minutes": -5})
    assert r.status_code == 422
    assert r.json()["problems"][0]["where"] == "body.duration_minutes"
    assert service.get("/jobs/J1").json()["version"] == 1


def test_technician_crud_and_break_alias(service: Service) -> None:
    """Technicians keep their `break` (an alias) through store and API."""
    tech = {
        **technicians()[0],
        "break": {
            "earliest_start": "11:00",
            "latest_end": "13:00",
            "duration_minutes": 30,
        },
    }
    assert service.post("/technicians", json=tech).status_code == 201
    got = service.get("/technicians/T1").json()
    assert got["break"]["duration_minutes"] == 30
    edited = service.patch("/technicians/T1", json={"version": 1, "break": None})
    assert edited.json()["break"] is None
    assert service.get("/technicians").json()["count"] == 1
    assert service.delete("/technicians/T1").status_code == 204
    assert service.get("/technicians/T1").status_code == 404


def test_day_settings_default_then_stored_then_versioned(service: Service) -> None:
    """A day has defaults until set; replacing needs the read version."""
    assert service.get(f"/days/{DAY}").json()["version"] is None
    first = service.put(f"/days/{DAY}", json={"timezone": "Europe/Helsinki"})
    assert first.json()["version"] == 1
    stale = service.put(
        f"/days/{DAY}", json={"timezone": "Europe/Stockholm", "version": 7}
    )
    assert stale.status_code == 409
    bad = service.put(f"/days/{DAY}", json={"timezone": "Mars/Base"})
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["where"] == "body.timezone"


TECHNICIANS_CSV = """id,name,start_lat,start_lon,shift_start,shift_end,skills
T1,Aino,60.17,24.94,08:00,16:00,hvac
T2,Bertil,60.20,24.90,08:00,16:00,electric
"""
JOBS_CSV = """id,name,lat,lon,duration_minutes,time_windows,required_skills
J1,customer 1,60.18,24.95,45,08:00-15:00,hvac
J2,customer 2,60.21,24.88,30,,electric
"""


def test_csv_upload_loads_a_day_with_the_core_loader(service: Service) -> None:
    """technicians.csv + jobs.csv -> stored records; repeating the same
    technicians is fine, then the day solves."""
    files = {
        "technicians_csv": ("technicians.csv", TECHNICIANS_CSV, "text/csv"),
        "jobs_csv": ("jobs.csv", JOBS_CSV, "text/csv"),
    }
    r = service.post(f"/days/{DAY}/csv", files=files)
    assert r.status_code == 201, r.text
    assert r.json()["technicians_created"] == ["T1", "T2"]
    assert r.json()["jobs"]["count"] == 2
    more = JOBS_CSV.replace("J1,", "J3,").replace("J2,", "J4,")
    files["jobs_csv"] = ("jobs.csv", more, "text/csv")
    again = service.post(f"/days/{DAY}/csv", files=files).json()
    assert again["technicians_unchanged"] == ["T1", "T2"]
    assert service.get(f"/jobs?date={DAY}").json()["count"] == 4


def test_csv_errors_name_file_line_and_column(service: Service) -> None:
    """A bad latitude on line 3 of jobs.csv is reported there."""
    bad = JOBS_CSV.replace("60.21", "160.21")
    files = {
        "technicians_csv": ("technicians.csv", TECHNICIANS_CSV, "text/csv"),
        "jobs_csv": ("jobs.csv", bad, "text/csv"),
    }
    r = service.post(f"/days/{DAY}/csv", files=files)
    assert r.status_code == 422
    assert r.json()["problems"][0]["where"] == "jobs.csv line 3, column lat"
    assert service.get("/technicians").json()["count"] == 0
