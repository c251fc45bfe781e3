"""Run every engine on the same instances with the same time limit, and score.

Each (instance, engine) goes through the whole pipeline users run
(`fieldroute.solve.solve`: matrix, impossible jobs set aside, engine, repair,
evaluation); the plan is then turned back into routes and re-evaluated with
the `Evaluator`, so every number in the tables is the evaluator's. The
hand-made dispatcher plan (`fieldroute.solve.baseline.handmade_routes`) is
evaluated on each instance too, for the drive-time saving.

Scores
------
* Solomon: cost = total distance (``drive_s / 10``, DIMACS convention); gap to
  the best-known solution.
* Generated days: cost = the plan's objective plus the value of every
  optional job (so it is >= 0: drive cost + value left on the table); gap to
  the best plan found in the run. Plans are ranked by (mandatory jobs left
  out, violations, cost): a plan that leaves out a mandatory job is never
  "best" however cheap.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

from fieldroute.bench.generate import generate_day
from fieldroute.bench.solomon import SCALE, read_solomon, solomon_paths
from fieldroute.engines import SolveParams, get_engine
from fieldroute.evaluate.schedule import Evaluation, Evaluator, RouteInput
from fieldroute.model.instance import Instance, compile_problem
from fieldroute.model.plan import Plan
from fieldroute.model.problem import Problem
from fieldroute.solve import build_matrix, handmade_routes, impossible_jobs, solve
from fieldroute.travel.matrix import MatrixProvider
from fieldroute.travel.providers import provider_for


def _solomon_distance(evaluation: Evaluation) -> float:
    """Total distance in Solomon units (DIMACS: drive seconds / 10)."""
    return evaluation.kpis.drive_s / SCALE


@dataclass(frozen=True)
class BenchCase:
    """One instance to solve with every engine."""

    name: str
    group: str  # class for averages: C1, R2, ... or a size band
    problem: Problem
    provider: MatrixProvider
    #: Best-known cost in the table's unit (Solomon), None for generated days.
    best_known: float | None = None
    #: Cost in the table's unit from an evaluation.
    score: Callable[[Evaluation], float] = field(repr=False, default=_solomon_distance)


@dataclass
class BenchRow:
    """One engine's result on one instance (all numbers from the evaluator)."""

    instance: str
    group: str
    engine: str
    jobs: int
    technicians: int
    time_limit_s: float
    cost: float | None
    reference: float | None = None
    gap_pct: float | None = None
    routes: int = 0
    unassigned: int = 0
    mandatory_unassigned: int = 0
    violations: int = 0
    drive_s: int = 0
    wall_s: float = 0.0
    baseline_drive_s: int = 0
    baseline_violations: int = 0
    baseline_mandatory_unassigned: int = 0
    drive_saving_pct: float | None = None
    best: bool = False
    unsupported: str = ""
    error: str = ""

    @property
    def complete(self) -> bool:
        """Every mandatory job planned and no broken rule."""
        return (
            not self.error and self.mandatory_unassigned == 0 and self.violations == 0
        )

    def rank(self) -> tuple[int, int, float]:
        if self.error or self.cost is None:
            return (10**9, 10**9, float("inf"))
        return (self.mandatory_unassigned, self.violations, self.cost)


# -- cases ------------------------------------------------------------------


def solomon_cases(
    directory: str | Path, names: Sequence[str] | None = None
) -> list[BenchCase]:
    """Solomon instances of `directory` (all, or only `names`)."""
    cases = []
    for path in solomon_paths(directory, list(names) if names else None):
        case = read_solomon(path)
        cases.append(
            BenchCase(
                name=case.name,
                group=case.instance_class,
                problem=case.problem,
                provider=case.provider,
                best_known=None if case.bks_cost is None else case.bks_cost / SCALE,
                score=_solomon_distance,
            )
        )
    return cases


def technicians_for(jobs: int) -> int:
    """Team size of a generated day: ~10 jobs each, 4 to 50 technicians."""
    return min(50, max(4, round(jobs / 10)))


def generated_cases(sizes: Sequence[int], seeds: Sequence[int]) -> list[BenchCase]:
    """One generated day per (size, seed), `technicians_for(size)` technicians."""
    cases = []
    for jobs in sizes:
        for seed in seeds:
            techs = technicians_for(jobs)
            problem = generate_day(jobs, techs, seed=seed)
            offered = sum(j.value for j in problem.jobs if j.optional)
            weight = problem.objective.value_weight
            cases.append(
                BenchCase(
                    name=f"G{jobs}-{techs}-s{seed}",
                    group=_size_band(jobs),
                    problem=problem,
                    provider=provider_for(problem.options.travel),
                    score=partial(_cost_plus_offered_value, offered * weight),
                )
            )
    return cases


def _cost_plus_offered_value(offered: float, evaluation: Evaluation) -> float:
    return evaluation.kpis.cost + offered


def _size_band(jobs: int) -> str:
    if jobs <= 100:
        return "50-100 jobs"
    if jobs <= 300:
        return "101-300 jobs"
    return "301-1000 jobs"


# -- running ----------------------------------------------------------------

#: Called after each solve with (case name, engine name, row).
Progress = Callable[[str, str, BenchRow | None], None]


def plan_routes(instance: Instance, plan: Plan) -> list[RouteInput]:
    """A plan document turned back into routes (with the break's gap)."""
    routes = []
    for route in plan.routes:
        jobs = tuple(instance.job_index[s.job_id] for s in route.stops)
        gap = None
        if route.break_ is not None:
            before = route.break_.before_job_id
            ids = [s.job_id for s in route.stops]
            gap = ids.index(before) if before in ids else len(ids)
        routes.append(RouteInput(instance.tech_index[route.technician_id], jobs, gap))
    return routes


def run_case(
    case: BenchCase,
    engines: Sequence[str],
    *,
    time_limit_s: float,
    seed: int = 0,
    wall_limit_s: float | None = None,
    engine_only: bool = False,
    on_start: Callable[[str, str], None] | None = None,
) -> list[BenchRow]:
    """Solve `case` with each engine in turn; rows scored by the evaluator.

    With `engine_only`, the engine's own routes are evaluated as they are
    (jobs no technician can do are still set aside first) and the pipeline's
    repair is skipped: this separates the engine from the repair step.

    With `wall_limit_s`, each whole solve (engine + repair + evaluation) runs
    in a child process that is stopped after that many seconds; the row then
    carries a `SolveTimeout` error instead of a plan.
    """
    instance = compile_problem(case.problem)
    evaluator = Evaluator(instance, build_matrix(instance, case.provider))
    baseline = evaluator.plan(handmade_routes(evaluator))
    rows = []
    for engine in engines:
        if on_start is not None:
            on_start(case.name, engine)
        row = BenchRow(
            instance=case.name,
            group=case.group,
            engine=engine,
            jobs=instance.num_jobs,
            technicians=instance.num_techs,
            time_limit_s=time_limit_s,
            cost=None,
            reference=case.best_known,
            baseline_drive_s=baseline.kpis.drive_s,
            baseline_violations=len(baseline.violations),
            baseline_mandatory_unassigned=baseline.kpis.mandatory_unassigned,
        )
        started = time.perf_counter()
        if engine_only:
            _engine_only(row, evaluator, engine, time_limit_s, seed, case, baseline)
            rows.append(row)
            continue
        try:
            plan = _solve(case, engine, time_limit_s, seed, wall_limit_s)
        except Exception as error:  # one failing engine must not end the run
            row.error = f"{type(error).__name__}: {error}".splitlines()[0][:200]
            row.wall_s = time.perf_counter() - started
            rows.append(row)
            continue
        # The solve's own clock: leaves out starting a child process.
        row.wall_s = plan.meta.solve_s if plan.meta else time.perf_counter() - started
        _fill(row, case, evaluator.plan(plan_routes(instance, plan)), baseline)
        row.unsupported = " | ".join(plan.meta.unsupported) if plan.meta else ""
        rows.append(row)
    _score_against_reference(rows)
    return rows


def _engine_only(
    row: BenchRow,
    evaluator: Evaluator,
    engine: str,
    time_limit_s: float,
    seed: int,
    case: BenchCase,
    baseline: Evaluation,
) -> None:
    """Fill `row` from the engine's raw routes, without the repair step."""
    started = time.perf_counter()
    try:
        impossible = impossible_jobs(evaluator)
        candidates = [
            j for j in range(evaluator.instance.num_jobs) if j not in impossible
        ]
        result = get_engine(engine).solve(
            evaluator.instance,
            evaluator.matrix,
            candidates,
            SolveParams(time_limit_s=time_limit_s, seed=seed),
        )
    except Exception as error:
        row.error = f"{type(error).__name__}: {error}".splitlines()[0][:200]
        row.wall_s = time.perf_counter() - started
        return
    row.wall_s = time.perf_counter() - started
    _fill(row, case, evaluator.plan(result.routes), baseline)
    row.unsupported = " | ".join(result.unsupported)


def _fill(
    row: BenchRow, case: BenchCase, evaluation: Evaluation, baseline: Evaluation
) -> None:
    kpis = evaluation.kpis
    row.cost = case.score(evaluation)
    row.routes = kpis.technicians_used
    row.unassigned = kpis.jobs_unassigned
    row.mandatory_unassigned = kpis.mandatory_unassigned
    row.violations = len(evaluation.violations)
    row.drive_s = kpis.drive_s
    if baseline.kpis.drive_s:
        row.drive_saving_pct = 100 * (1 - kpis.drive_s / baseline.kpis.drive_s)


class SolveTimeout(Exception):
    """The whole solve pipeline ran past the benchmark's wall limit."""


def _solve_in_child(
    case: BenchCase, engine: str, time_limit_s: float, seed: int, out: Connection
) -> None:
    try:
        out.send(_solve(case, engine, time_limit_s, seed, None))
    except Exception as error:
        out.send(error)


def _solve(
    case: BenchCase,
    engine: str,
    time_limit_s: float,
    seed: int,
    wall_limit_s: float | None,
) -> Plan:
    """`fieldroute.solve.solve`, in a child process when there is a wall limit."""
    if wall_limit_s is None:
        return solve(
            case.problem,
            engine=engine,
            provider=case.provider,
            time_limit_s=time_limit_s,
            seed=seed,
            # Equal time for every engine: no early stop when PyVRP stalls.
            stall_iterations=None,
        )
    # spawn, not fork: the parent runs a progress-display thread.
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_solve_in_child, args=(case, engine, time_limit_s, seed, send)
    )
    child.start()
    try:
        if not receive.poll(wall_limit_s):
            msg = f"the solve pipeline took longer than {wall_limit_s:g} s"
            raise SolveTimeout(msg)
        answer = receive.recv()
    finally:
        child.kill()
        child.join()
    if isinstance(answer, Exception):
        raise answer
    if not isinstance(answer, Plan):
        raise TypeError(f"unexpected answer from the solve process: {answer!r}")
    return answer


def _score_against_reference(rows: list[BenchRow]) -> None:
    """Gap to the best-known cost, or to the best plan of the run; mark bests."""
    ranked = [r for r in rows if r.cost is not None and not r.error]
    if not ranked:
        return
    top = min(r.rank() for r in ranked)
    for row in ranked:
        row.best = row.rank()[:2] == top[:2] and row.cost == top[2]
    for row in ranked:
        if row.reference is None:
            row.reference = top[2] if row.rank()[:2] == top[:2] else None
        if row.reference and row.cost is not None and row.complete:
            row.gap_pct = 100 * (row.cost - row.reference) / row.reference


def run_bench(
    cases: Sequence[BenchCase],
    engines: Sequence[str],
    *,
    time_limit_s: float,
    seed: int = 0,
    wall_limit_s: float | None = None,
    engine_only: bool = False,
    on_start: Callable[[str, str], None] | None = None,
    on_case: Callable[[list[BenchRow]], None] | None = None,
) -> list[BenchRow]:
    """Every case with every engine, one after another."""
    rows: list[BenchRow] = []
    for case in cases:
        case_rows = run_case(
            case,
            engines,
            time_limit_s=time_limit_s,
            seed=seed,
            wall_limit_s=wall_limit_s,
            engine_only=engine_only,
            on_start=on_start,
        )
        rows.extend(case_rows)
        if on_case is not None:
            on_case(case_rows)
    return rows
