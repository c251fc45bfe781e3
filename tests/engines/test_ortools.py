"""The OR-Tools engine: feasible plans on field-service days, every
constraint expressed or reported."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldroute.engines import SolveParams, get_engine
from fieldroute.engines.ortools import OrToolsEngine
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


def test_get_engine_finds_ortools() -> None:
    """`--engine ortools` resolves to this class."""
    assert isinstance(get_engine("ortools"), OrToolsEngine)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    jobs=st.integers(6, 18),
    technicians=st.integers(2, 4),
    seed=st.integers(0, 10_000),
)
def test_routes_break_only_rules_it_reports(
    jobs: int, technicians: int, seed: int
) -> None:
    """On generated days (skills, windows, breaks, caps, stock, optional jobs,
    pins) the engine's own routes break no rule it claims to model."""
    instance, matrix = day(jobs, technicians, seed)
    result = OrToolsEngine().solve(instance, matrix, range(instance.num_jobs), FAST)
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
    pipeline_is_feasible(OrToolsEngine(), instance, matrix)


def test_skill_and_pin_send_jobs_to_the_only_allowed_technician() -> None:
    """A job needing a skill one technician holds, and a pinned job, go to them."""
    instance = compile_problem(
        problem(
            [technician("A", skills=["gas"]), technician("B", skills=[])],
            [
                job("needs-gas", required_skills=["gas"]),
                job("pinned", pinned_technician="B"),
                job("free"),
            ],
        )
    )
    matrix = TravelMatrix(
        duration_s=np.full((7, 7), 300, dtype=np.int64),
        distance_m=np.full((7, 7), 3000, dtype=np.int64),
    )
    result = OrToolsEngine().solve(instance, matrix, range(3), FAST)
    by_tech = {r.tech: r.jobs for r in result.routes}
    assert 0 in by_tech[0]
    assert 1 in by_tech[1]
    assert Evaluator(instance, matrix).plan(result.routes).violations == ()


def test_break_is_decoded_to_a_gap_the_evaluator_accepts() -> None:
    """A full day with a lunch window gets its break in a gap of the route."""
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
    matrix = TravelMatrix(
        duration_s=np.full((6, 6), 600, dtype=np.int64),
        distance_m=np.full((6, 6), 5000, dtype=np.int64),
    )
    result = OrToolsEngine().solve(instance, matrix, range(4), FAST)
    (route,) = result.routes
    assert len(route.jobs) == 4
    assert route.break_gap is not None
    schedule = Evaluator(instance, matrix).route(
        route.tech, route.jobs, route.break_gap
    )
    assert schedule.violations == ()
    assert schedule.break_ is not None


def test_time_dependent_travel_is_reported() -> None:
    """OR-Tools cannot vary travel with the hour: it says so."""
    instance, matrix = day(8, 2, seed=1)
    rush = RushHourMatrix(duration_s=matrix.duration_s, distance_m=matrix.distance_m)
    result = OrToolsEngine().solve(instance, rush, range(instance.num_jobs), FAST)
    assert any("time-dependent travel" in note for note in result.unsupported)
    static = OrToolsEngine().solve(instance, matrix, range(instance.num_jobs), FAST)
    assert not any("time-dependent" in note for note in static.unsupported)


def test_max_work_with_a_break_is_reported_as_approximate() -> None:
    """The span bound counts the break; the engine names the approximation."""
    instance = compile_problem(
        problem(
            [
                technician(
                    "A",
                    max_work_minutes=300,
                    **{
                        "break": {
                            "earliest_start": "11:00",
                            "latest_end": "13:00",
                            "duration_minutes": 30,
                        }
                    },
                )
            ],
            [job("J1")],
        )
    )
    matrix = TravelMatrix(
        duration_s=np.full((3, 3), 600, dtype=np.int64),
        distance_m=np.full((3, 3), 5000, dtype=np.int64),
    )
    result = OrToolsEngine().solve(instance, matrix, [0], FAST)
    assert any(note.startswith("max work time") for note in result.unsupported)
