"""Time-dependent local search: re-sequencing with exact leg times."""

from __future__ import annotations

import numpy as np

from fieldroute.engines import SolveParams, get_engine
from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.model.instance import Instance, compile_problem
from fieldroute.solve.pipeline import solve_instance
from fieldroute.solve.td_search import (
    improve_routes,
    is_time_dependent,
    planning_matrix,
)
from fieldroute.travel.matrix import TravelMatrix
from fieldroute.travel.traffic import TimeDependentMatrix
from tests.factories import job, problem, static_matrix, technician

H = 3600


def _rush(instance: Instance, legs: dict[tuple[str, str], int]) -> TimeDependentMatrix:
    """Every road at half speed from 08:00 to 09:00."""
    free = static_matrix(instance, legs)
    return TimeDependentMatrix(
        duration_s=free.duration_s,
        distance_m=free.distance_m,
        bucket_starts_s=np.array([0, 8 * H, 9 * H]),
        factors=np.array([[1.0, 0.5, 1.0]]),
    )


def _day() -> Instance:
    """One technician from 07:30; J1 must start by 08:25, J2 any time."""
    return compile_problem(
        problem(
            [technician("T1", shift={"start": "07:30", "end": "17:00"})],
            [
                job("J1", 30, time_windows=[{"start": "07:30", "end": "08:25"}]),
                job("J2", 30),
            ],
        )
    )


def test_an_order_on_time_at_free_flow_but_late_in_the_rush_is_resequenced() -> None:
    """J2 then J1 looks on time with static times (J1 at 08:20) but the leg
    at 08:10 crawls (J1 at 08:30, late); the search puts J1 first."""
    instance = _day()
    timed = _rush(instance, {})
    static = Evaluator(instance, static_matrix(instance, {}))
    assert static.route(0, (1, 0)).feasible
    evaluator = Evaluator(instance, timed)
    assert [v.kind for v in evaluator.route(0, (1, 0)).violations] == ["late"]

    (better,) = improve_routes(evaluator, [RouteInput(0, (1, 0))])
    assert better.jobs == (0, 1)
    assert evaluator.route(0, better.jobs).feasible


def test_jobs_move_to_another_technician_when_that_ends_the_overtime() -> None:
    """Four 150-minute jobs on one 9-hour shift run late; relocating two of them
    to the idle technician removes the overtime."""
    instance = compile_problem(
        problem(
            [technician("T1"), technician("T2")],
            [job(f"J{k}", 150) for k in range(4)],
        )
    )
    evaluator = Evaluator(instance, _rush(instance, {}))
    crowded = [RouteInput(0, (0, 1, 2, 3))]
    assert not evaluator.plan(crowded).feasible
    improved = improve_routes(evaluator, crowded)
    evaluation = evaluator.plan(improved)
    assert evaluation.feasible
    assert evaluation.kpis.jobs_done == 4
    assert {r.tech for r in improved} == {0, 1}


def test_moves_never_make_the_plan_worse() -> None:
    """Already the best order: the search returns it unchanged."""
    instance = _day()
    evaluator = Evaluator(instance, _rush(instance, {}))
    assert improve_routes(evaluator, [RouteInput(0, (0, 1))]) == [RouteInput(0, (0, 1))]


def test_engines_plan_on_durations_averaged_over_the_shift() -> None:
    """A static matrix passes through; a time-dependent one is averaged over
    08:00-17:00 in half-hour steps (2 of 18 departures in the rush)."""
    instance = compile_problem(problem([technician("T1")], [job("J1", 30)]))
    free = static_matrix(instance, {})
    assert planning_matrix(instance, free) is free
    assert not is_time_dependent(free)
    timed = _rush(instance, {})
    assert is_time_dependent(timed)
    averaged = planning_matrix(instance, timed)
    assert type(averaged) is TravelMatrix
    # Leaving 08:00 and 08:30 takes 1,200 s; 16 other departures 600 s.
    assert averaged.duration_s[0, 2] == round((2 * 1200 + 16 * 600) / 18)


def test_the_pipeline_resequences_when_travel_is_time_dependent() -> None:
    """solve_instance with the rush-hour matrix: no late arrival."""
    instance = _day()
    outcome = solve_instance(
        instance,
        _rush(instance, {}),
        engine=get_engine("pyvrp"),
        params=SolveParams(time_limit_s=0.5),
    )
    assert outcome.evaluation.feasible
    assert outcome.evaluation.kpis.jobs_done == 2
