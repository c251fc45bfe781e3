"""Every job left out gets the reason a dispatcher can act on."""

from __future__ import annotations

from fieldroute.solve import solve
from tests.factories import job, problem, technician


def reasons(**fields: object) -> dict[str, tuple[str, str]]:
    plan = solve(problem(**fields), time_limit_s=0.3)  # type: ignore[arg-type]
    assert plan.violations == []
    return {u.job_id: (u.code, u.reason) for u in plan.unassigned}


def test_no_technician_with_the_skill() -> None:
    found = reasons(
        technicians=[technician(skills=["hvac"])],
        jobs=[job("J1", required_skills=["gas"])],
        skills=["hvac", "gas"],
    )
    assert found["J1"] == ("no_skill", "no technician has skill gas")


def test_pinned_technician_cannot_take_it() -> None:
    found = reasons(
        technicians=[
            technician("T1", skills=["hvac"]),
            technician("T2", skills=["elec"]),
        ],
        jobs=[job("J1", required_skills=["hvac"], pinned_technician="T2")],
    )
    code, text = found["J1"]
    assert code == "pin_impossible" and "pinned technician T2 cannot take it" in text
    assert "lacks skill hvac" in text


def test_no_technician_meets_every_rule_at_once() -> None:
    found = reasons(
        technicians=[
            technician("T1", skills=["hvac"], territory="north"),
            technician("T2", skills=["elec"], territory="south"),
        ],
        jobs=[job("J1", required_skills=["hvac"], territory="south")],
    )
    code, text = found["J1"]
    assert code == "no_eligible_technician"
    assert "T1 works territory north" in text and "T2 lacks skill hvac" in text


def test_window_nobody_can_reach_within_a_shift() -> None:
    found = reasons(
        technicians=[technician(shift={"start": "09:00", "end": "17:00"})],
        jobs=[job("J1", time_windows=[{"start": "07:00", "end": "08:00"}])],
    )
    code, text = found["J1"]
    assert code == "out_of_time"
    assert text.startswith("no technician can reach its window within a shift")


def test_capacity_used_up_by_higher_priority_jobs() -> None:
    found = reasons(
        technicians=[technician(max_jobs=2)],
        jobs=[
            job("J1", priority=5),
            job("J2", priority=4),
            job("J3", priority=1),
        ],
    )
    assert set(found) == {"J3"}
    code, text = found["J3"]
    assert code == "no_capacity"
    assert "capacity or time used up by jobs of higher value/priority" in text
    assert "T1 is at its cap of 2 jobs" in text


def test_optional_job_not_worth_the_detour() -> None:
    far = {"lat": 60.40, "lon": 25.40}  # about 35 km away
    found = reasons(
        technicians=[technician()],
        jobs=[job("J1"), job("P1", location=far, optional=True, value=5)],
    )
    code, text = found["P1"]
    assert code == "not_worth_it"
    assert "more than its value 5" in text


def test_valuable_optional_job_is_done() -> None:
    far = {"lat": 60.40, "lon": 25.40}
    found = reasons(
        technicians=[technician()],
        jobs=[job("J1"), job("P1", location=far, optional=True, value=500)],
    )
    assert found == {}
