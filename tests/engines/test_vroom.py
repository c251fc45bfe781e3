"""The VROOM engine: feasible plans on field-service days, and every
constraint it cannot express is reported, not dropped."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldroute.engines import SolveParams, get_engine
from fieldroute.engines.vroom import VroomEngine
from fieldroute.evaluate import Evaluator
from fieldroute.model import compile_problem
from fieldroute.travel import TravelMatrix
from tests.engines.peer_checks import (
    RushHourMatrix,
    day,
    pipeline_is_feasible,
    raw_violations_are_excused,
)
from tests.factories import job, problem, technician

FAST = SolveParams(time_limit_s=0.5)


def flat(points: int, duration_s: int = 300) -> TravelMatrix:
    return TravelMatrix(
        duration_s=np.full((points, points), duration_s, dtype=np.int64),
        distance_m=np.full((points, points), 10 * duration_s, dtype=np.int64),
    )


def test_get_engine_finds_vroom() -> None:
    """`--engine vroom` resolves to this class."""
    assert isinstance(get_engine("vroom"), VroomEngine)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    jobs=st.integers(6, 18), technicians=st.integers(2, 4), seed=st.integers(0, 10_000)
)
def test_routes_break_only_rules_it_reports(
    jobs: int, technicians: int, seed: int
) -> None:
    """On generated days (skills, windows, breaks, caps, stock, optional jobs,
    pins) VROOM's routes break only rules it reported it cannot model."""
    instance, matrix = day(jobs, technicians, seed)
    result = VroomEngine().solve(instance, matrix, range(instance.num_jobs), FAST)
    raw_violations_are_excused(instance, matrix, result)


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    jobs=st.integers(6, 18), technicians=st.integers(2, 4), seed=st.integers(0, 10_000)
)
def test_pipeline_plan_is_feasible(jobs: int, technicians: int, seed: int) -> None:
    """Through the solve pipeline the plan has no violation at all."""
    instance, matrix = day(jobs, technicians, seed)
    pipeline_is_feasible(VroomEngine(), instance, matrix)


def test_integer_skills_keep_territory_pin_and_skill_rules() -> None:
    """Allowed sets become integer skills: each job goes to an allowed tech."""
    instance = compile_problem(
        problem(
            [
                technician("A", skills=["gas"], territory="west"),
                technician("B", skills=["gas"], territory="east"),
                technician("C", skills=[]),
            ],
            [
                job("gas-east", required_skills=["gas"], territory="east"),
                job("pinned-C", pinned_technician="C"),
                job("gas-west", required_skills=["gas"], territory="west"),
            ],
        )
    )
    matrix = flat(9)
    result = VroomEngine().solve(instance, matrix, range(3), FAST)
    by_job = {j: r.tech for r in result.routes for j in r.jobs}
    assert by_job == {0: 1, 1: 2, 2: 0}
    assert Evaluator(instance, matrix).plan(result.routes).violations == ()


def test_optional_job_not_worth_its_detour_is_left_out() -> None:
    """VROOM does every job that fits; the engine drops a prospect whose value
    does not pay for the drive, and keeps one that does."""
    instance = compile_problem(
        problem(
            [technician("A")],
            [
                job("cheap-prospect", optional=True, value=1),
                job("rich-prospect", optional=True, value=10_000),
                job("mandatory"),
            ],
        )
    )
    result = VroomEngine().solve(instance, flat(5, 1800), range(3), FAST)
    (route,) = result.routes
    assert sorted(route.jobs) == [1, 2]
    assert any(note.startswith("optional job value") for note in result.unsupported)


def test_break_is_taken_at_a_stop_and_decoded() -> None:
    """A full day gets its break between stops; the evaluator accepts it."""
    instance = compile_problem(
        problem(
            [
                technician(
                    "A",
                    **{
                        "break": {
                            "earliest_start": "11:00",
                            "latest_end": "13:00",
                            "duration_minutes": 45,
                        }
                    },
                )
            ],
            [job(f"J{i}", 90) for i in range(4)],
        )
    )
    matrix = flat(6, 600)
    result = VroomEngine().solve(instance, matrix, range(4), FAST)
    (route,) = result.routes
    assert route.break_gap is not None
    schedule = Evaluator(instance, matrix).route(
        route.tech, route.jobs, route.break_gap
    )
    assert schedule.violations == ()
    assert any(note.startswith("lunch break") for note in result.unsupported)


def test_constraints_vroom_cannot_express_are_reported() -> None:
    """Max work time, hourly cost and time-dependent travel are named."""
    instance = compile_problem(
        problem(
            [technician("A", max_work_minutes=300, cost_per_hour=40)],
            [job("J1")],
        )
    )
    matrix = flat(3)
    rush = RushHourMatrix(duration_s=matrix.duration_s, distance_m=matrix.distance_m)
    notes = " ".join(VroomEngine().solve(instance, rush, [0], FAST).unsupported)
    assert "max work time" in notes
    assert "work cost per hour" in notes
    assert "time-dependent travel" in notes
    plain = compile_problem(problem([technician("A")], [job("J1")]))
    assert VroomEngine().solve(plain, flat(3), [0], FAST).unsupported == ()
