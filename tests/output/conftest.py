"""One small problem solved once, shared by every output test."""

from __future__ import annotations

import pytest

from fieldroute.model import Problem, problem_from_dict
from fieldroute.model.plan import Plan
from fieldroute.solve import solve

PROBLEM = {
    "name": "Helsinki <east> & west",
    "date": "2026-11-23",
    "timezone": "Europe/Helsinki",
    "technicians": [
        {
            "id": "T1",
            "name": "Aino <lead>",
            "start": [60.17, 24.94],
            "skills": ["hvac"],
            "break": {
                "earliest_start": "11:30",
                "latest_end": "13:30",
                "duration_minutes": 30,
            },
        },
        {
            "id": "T2",
            "start": [60.20, 24.90],
            "end": [60.23, 24.85],
            "skills": ["elec"],
        },
    ],
    "jobs": [
        {
            "id": "J1",
            "name": "Boiler <check> & co",
            "location": [60.18, 24.95],
            "duration_minutes": 60,
            "required_skills": ["hvac"],
        },
        {"id": "J2", "location": [60.19, 24.90], "duration_minutes": 90},
        {
            "id": "J3",
            "location": [60.16, 24.99],
            "duration_minutes": 120,
            "time_windows": [{"start": "13:00", "end": "14:00"}],
        },
        {"id": "J4", "location": [60.22, 24.87], "duration_minutes": 45},
        {
            "id": "J5",
            "location": [60.21, 24.99],
            "duration_minutes": 60,
            "required_skills": ["elec", "hvac"],
        },
    ],
}


@pytest.fixture(scope="session")
def problem() -> Problem:
    return problem_from_dict(PROBLEM)


@pytest.fixture(scope="session")
def plan(problem: Problem) -> Plan:
    solved = solve(problem, time_limit_s=0.3)
    # The tests need every kind of row: two routes, a break, an unassigned job.
    assert len(solved.routes) == 2
    assert any(r.break_ is not None for r in solved.routes)
    assert [u.job_id for u in solved.unassigned] == ["J5"]
    return solved
