"""The solve pipeline: matrix -> impossible jobs -> engine -> repair -> evaluate.

Every plan returned has been computed by the evaluator; every job is either
in a route or unassigned with a reason.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from fieldroute.engines import Engine, SolveParams, get_engine
from fieldroute.engines.base import CancelCheck, EngineResult, ProgressCallback
from fieldroute.evaluate.schedule import Evaluation, Evaluator, RouteInput
from fieldroute.model.instance import Instance, compile_problem
from fieldroute.model.plan import Plan, PlanMeta
from fieldroute.model.problem import Problem
from fieldroute.solve.reasons import Reason, explain_unassigned, impossible_jobs
from fieldroute.solve.repair import make_feasible
from fieldroute.solve.report import to_plan
from fieldroute.solve.td_search import (
    improve_routes,
    is_time_dependent,
    linearised_solve,
)
from fieldroute.travel.matrix import MatrixProvider, TravelMatrix
from fieldroute.travel.providers import provider_for


@dataclass(frozen=True)
class SolveOutcome:
    """Everything a solve produced, before it is turned into a `Plan`."""

    instance: Instance
    matrix: TravelMatrix
    evaluator: Evaluator
    evaluation: Evaluation
    reasons: dict[int, Reason]
    engine_result: EngineResult
    routes: tuple[RouteInput, ...]
    solve_s: float


def build_matrix(instance: Instance, provider: MatrixProvider) -> TravelMatrix:
    """The travel matrix of every point, leaving at the earliest shift start."""
    first = min(t.shift_start_s for t in instance.technicians)
    return provider.matrix(instance.points, departure=instance.clock.datetime(first))


def solve_instance(
    instance: Instance,
    matrix: TravelMatrix,
    *,
    engine: Engine,
    params: SolveParams,
    repair: bool = True,
) -> SolveOutcome:
    """Solve a compiled instance on a given matrix (the core of `solve`)."""
    started = time.perf_counter()
    evaluator = Evaluator(instance, matrix)
    impossible = impossible_jobs(evaluator)
    candidates: Sequence[int] = [
        j for j in range(instance.num_jobs) if j not in impossible
    ]
    # A time-dependent matrix: the engine plans in linearised rounds (half
    # the time limit), then the routes are re-sequenced with exact leg times
    # (td_search; 40 %, and 10 % after repair): the same time in all.
    time_dependent = is_time_dependent(matrix)
    if time_dependent:
        limit = params.time_limit_s
        result = linearised_solve(
            evaluator, engine, candidates, replace(params, time_limit_s=limit / 2)
        )
        routes = improve_routes(
            evaluator, list(result.routes), time_limit_s=0.4 * limit
        )
    else:
        result = engine.solve(instance, matrix, candidates, params)
        routes = list(result.routes)
    if repair:
        routes = make_feasible(evaluator, routes, candidates)
        if time_dependent:
            routes = improve_routes(
                evaluator, routes, time_limit_s=0.1 * params.time_limit_s
            )
            # Re-sequenced routes may now have room for jobs repair left out.
            routes = make_feasible(evaluator, routes, candidates)
    evaluation = evaluator.plan(routes)
    reasons = dict(impossible)
    for j in evaluation.unassigned:
        if j not in reasons:
            reasons[j] = explain_unassigned(evaluator, evaluation, j)
    return SolveOutcome(
        instance=instance,
        matrix=matrix,
        evaluator=evaluator,
        evaluation=evaluation,
        reasons=reasons,
        engine_result=result,
        routes=tuple(routes),
        solve_s=time.perf_counter() - started,
    )


def solve(
    problem: Problem,
    *,
    engine: str | Engine = "pyvrp",
    provider: MatrixProvider | None = None,
    time_limit_s: float | None = None,
    seed: int | None = None,
    stall_iterations: int | Literal["auto"] | None = "auto",
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> Plan:
    """Plan the day: one route per technician, unassigned jobs with reasons.

    Defaults come from ``problem.options`` (time limit, seed, early stop when
    the search stalls, travel).
    """
    started = time.perf_counter()
    instance = compile_problem(problem)
    provider = provider or provider_for(problem.options.travel)
    chosen = get_engine(engine) if isinstance(engine, str) else engine
    params = SolveParams(
        time_limit_s=time_limit_s or problem.options.time_limit_s,
        seed=problem.options.seed if seed is None else seed,
        stall_iterations=problem.options.stall_iterations
        if stall_iterations == "auto"
        else stall_iterations,
        progress=progress,
        cancel=cancel,
    )
    matrix = build_matrix(instance, provider)
    outcome = solve_instance(instance, matrix, engine=chosen, params=params)
    meta = PlanMeta(
        engine=chosen.name,
        travel=provider.name,
        time_limit_s=params.time_limit_s,
        seed=params.seed,
        solve_s=round(time.perf_counter() - started, 3),
        unsupported=list(outcome.engine_result.unsupported),
    )
    return to_plan(instance, outcome.evaluation, outcome.reasons, meta)
