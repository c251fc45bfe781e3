"""Engines trade an optional job against the same price the evaluator uses."""

from __future__ import annotations

import pytest

from fieldroute.engines import SolveParams, get_engine
from fieldroute.evaluate import RouteInput
from fieldroute.model import compile_problem
from fieldroute.solve import solve_instance
from tests.factories import job, problem, static_matrix, technician

# Doing the job costs 20 minutes of driving (10 there, 10 back) at the default
# 60 per drive hour: 20 value units. Work time is free (cost_per_hour 0).
DETOUR_COST = 20.0


@pytest.mark.parametrize("engine", ["pyvrp", "ortools", "vroom"])
@pytest.mark.parametrize(
    ("value", "priority", "done"),
    [
        # Worth more than its detour: done, whatever its priority.
        (DETOUR_COST + 6, 1, True),
        # Worth less: left out, however high its priority.
        (DETOUR_COST - 6, 5, False),
    ],
)
def test_optional_job_is_done_exactly_when_its_value_pays_for_the_detour(
    engine: str, value: float, priority: int, done: bool
) -> None:
    prob = problem(
        [technician("T1")],
        [job("J1", optional=True, value=value, priority=priority)],
    )
    instance = compile_problem(prob)
    matrix = static_matrix(instance, {("T1:start", "J1"): 600})
    outcome = solve_instance(
        instance,
        matrix,
        engine=get_engine(engine),
        params=SolveParams(time_limit_s=0.3),
    )
    assert (outcome.evaluation.kpis.jobs_done == 1) is done
    # The evaluator prices the two choices the same way: the engine's is cheaper.
    with_job = outcome.evaluator.plan([RouteInput(0, (0,))]).kpis.cost
    without_job = outcome.evaluator.plan([]).kpis.cost
    assert with_job == pytest.approx(without_job + DETOUR_COST - value)
