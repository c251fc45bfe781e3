"""Assembling a day's problem from the stored records."""

from __future__ import annotations

import datetime as dt

from fieldroute.model.load import problem_from_dict
from fieldroute.store.database import make_engine, make_sessionmaker
from fieldroute.store.days import day_problem
from tests.service_fixtures import DAY, TIMEZONE, Service


def _problem(service: Service) -> dict[str, object]:
    engine = make_engine(service.database)
    with make_sessionmaker(engine)() as session:
        document = day_problem(session, dt.date.fromisoformat(DAY), "UTC").document
    engine.dispose()
    return document


def test_the_day_problem_holds_all_technicians_and_open_jobs(service: Service) -> None:
    """Done and cancelled jobs are left out; the day's settings are used."""
    service.load_day()
    service.post("/jobs/J4/status", json={"status": "cancelled"})
    service.post("/jobs/J5/status", json={"status": "done"})
    document = _problem(service)
    problem = problem_from_dict(document)
    assert problem.timezone == TIMEZONE
    assert problem.options.seed == 1
    assert [t.id for t in problem.technicians] == ["T1", "T2"]
    assert [j.id for j in problem.jobs] == ["J1", "J2", "J3"]


def test_a_job_already_under_way_is_pinned_to_its_technician(
    service: Service,
) -> None:
    """A new solve cannot take an en-route job away from who is driving to it."""
    service.load_day()
    service.solve_and_publish()
    holder = service.get("/jobs/J1").json()["assigned_technician_id"]
    service.post("/jobs/J1/status", json={"status": "en_route"})
    jobs = {j.id: j for j in problem_from_dict(_problem(service)).jobs}
    assert jobs["J1"].pinned_technician == holder
    assert jobs["J2"].pinned_technician is None
