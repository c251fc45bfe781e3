"""PyVRP engine (default): compile -> solve -> decode.

Compilation
-----------
* Locations are the instance's points; every technician gets a start and an
  end depot and its own vehicle type (shift window, latest departure, max work
  time as ``shift_duration``, per-second work cost).
* Loads: dimension 0 counts jobs (capacity ``max_jobs``), one dimension per
  stock item (capacity = stock carried).
* A job with several time windows becomes one client per window, joined in a
  mutually exclusive group; a job without windows is one client.
* Every job is droppable with a prize (`fieldroute.engines.costs`): mandatory
  jobs get a prize larger than any detour, optional ones their value.
* Skills, territories, pins and stock limits become routing profiles in which
  edges into a forbidden job are missing (a bounded large cost, see the brief's
  note on PyVRP hanging with unbounded missing values). Technicians with the
  same allowed set share a profile, so the number of matrices is the number
  of distinct allowed sets, not of technicians. Matrices are built as numpy
  arrays directly (``Model.add_edge`` is slow at scale).

Lunch breaks
------------
PyVRP has no break. This engine reserves the break's duration at the end of
the shift (the latest return is ``shift end - break``), so every route it
returns has the time for a break somewhere. The evaluator then places the
break in the best gap of the route (`fieldroute.evaluate.schedule`); if a
route's appointment windows leave no gap that works, the route is re-solved
alone with the break as a visit (a client group of "break at the site of job
j", exact timing), and the solve pipeline's repair step moves any job that
still does not fit (`fieldroute.solve.repair`). The evaluator is the judge.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime

from fieldroute.engines.base import EngineResult, SolveParams
from fieldroute.engines.costs import (
    arc_cost,
    job_prize,
    mandatory_prize,
    work_cost_per_s,
)
from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.model.instance import Instance
from fieldroute.travel.matrix import UNREACHABLE, IntMatrix, TravelMatrix

#: Cost and duration of a forbidden or missing edge: larger than any real
#: route, small enough that PyVRP's penalty arithmetic cannot overflow.
FORBIDDEN = 10**8


def _run(data: pyvrp.ProblemData, stop: object, seed: int) -> pyvrp.Result:
    # Tight days make PyVRP's penalties hit their bound; every job is
    # droppable, so that is expected and the evaluator judges the answer.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        return pyvrp.solve(data, stop=stop, seed=seed, collect_stats=False, display=False)


class _Stop:
    """Stops PyVRP at the time limit or when the caller cancels; reports."""

    def __init__(self, params: SolveParams) -> None:
        self._runtime = MaxRuntime(params.time_limit_s)
        self._params = params
        self._t0 = time.perf_counter()
        self._last = 0.0
        self._best: float | None = None
        self._since_best = 0

    def __call__(self, best_cost: float) -> bool:
        now = time.perf_counter()
        if self._best is None or best_cost < self._best:
            self._best, self._since_best = best_cost, 0
        else:
            self._since_best += 1
        stall = self._params.stall_iterations
        if stall is not None and self._since_best >= stall:
            return True
        if self._params.progress is not None and now - self._last > 0.25:
            self._last = now
            self._params.progress(now - self._t0, float(best_cost))
        if self._params.cancel is not None and self._params.cancel():
            return True
        return bool(self._runtime(best_cost))


@dataclass(frozen=True)
class Compiled:
    """PyVRP data plus the maps back to fieldroute indices."""

    data: pyvrp.ProblemData
    client_job: tuple[int, ...]  # PyVRP client index -> job index
    vehicle_tech: tuple[int, ...]  # PyVRP vehicle type -> technician index


def _profiles(
    instance: Instance, jobs: Sequence[int]
) -> tuple[list[int], list[frozenset[int]]]:
    """Profile index per technician and the allowed job set per profile."""
    allowed_sets: list[frozenset[int]] = []
    of_tech: list[int] = []
    for tech in range(instance.num_techs):
        allowed = frozenset(j for j in jobs if instance.eligible[tech, j])
        if allowed not in allowed_sets:
            allowed_sets.append(allowed)
        of_tech.append(allowed_sets.index(allowed))
    return of_tech, allowed_sets


def _masked(base: IntMatrix, instance: Instance, forbidden: Sequence[int]) -> IntMatrix:
    out = base.copy()
    if forbidden:
        points = [instance.job_point(j) for j in forbidden]
        out[points, :] = FORBIDDEN
        out[:, points] = FORBIDDEN
        out[points, points] = 0
    return out


def compile_pyvrp(
    instance: Instance,
    matrix: TravelMatrix,
    jobs: Sequence[int],
    *,
    techs: Sequence[int] | None = None,
) -> Compiled:
    """Build PyVRP `ProblemData` for `jobs` over `techs` (default: all)."""
    techs = list(range(instance.num_techs)) if techs is None else list(techs)
    cost = arc_cost(instance, matrix)
    duration = matrix.duration_s.astype(np.int64, copy=True)
    cost[cost >= UNREACHABLE] = FORBIDDEN
    duration[duration >= UNREACHABLE] = FORBIDDEN
    mandatory = mandatory_prize(instance, cost)
    items = instance.items

    locations = [
        pyvrp.Location(x=float(lon), y=float(lat)) for lat, lon in instance.points
    ]
    depots = [pyvrp.Depot(location=p) for p in range(2 * instance.num_techs)]

    clients: list[pyvrp.Client] = []
    groups: list[pyvrp.ClientGroup] = []
    client_job: list[int] = []
    for j in jobs:
        job = instance.jobs[j]
        delivery = [1, *(job.demand.get(item, 0) for item in items)]
        prize = job_prize(instance, job, mandatory)
        windows = job.windows or ((0, 2**62),)
        group = None
        if len(windows) > 1:
            group = len(groups)
            groups.append(pyvrp.ClientGroup(required=False))
        for early, late in windows:
            if group is not None:
                groups[group].add_client(len(clients))
            clients.append(
                pyvrp.Client(
                    location=instance.job_point(j),
                    delivery=delivery,
                    service_duration=job.service_s,
                    tw_early=early,
                    tw_late=late,
                    prize=prize,
                    required=False,
                    group=group,
                    name=job.id,
                )
            )
            client_job.append(j)

    profile_of, allowed_sets = _profiles(instance, jobs)
    used_profiles = sorted({profile_of[t] for t in techs})
    profile_index = {p: i for i, p in enumerate(used_profiles)}
    job_set = list(jobs)
    cost_matrices = []
    duration_matrices = []
    for p in used_profiles:
        forbidden = [j for j in job_set if j not in allowed_sets[p]]
        cost_matrices.append(_masked(cost, instance, forbidden))
        duration_matrices.append(_masked(duration, instance, forbidden))

    vehicle_types = []
    for t in techs:
        info = instance.technicians[t]
        reserve = info.break_rule.duration_s if info.break_rule is not None else 0
        capacity = [
            len(job_set) if info.max_jobs is None else info.max_jobs,
            *(info.capacity.get(item, 0) for item in items),
        ]
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=1,
                capacity=capacity,
                start_depot=instance.start_point(t),
                end_depot=instance.end_point(t),
                tw_early=info.shift_start_s,
                start_late=max(info.shift_start_s, info.shift_end_s - reserve),
                tw_late=max(info.shift_start_s, info.shift_end_s - reserve),
                shift_duration=info.max_work_s
                if info.max_work_s is not None
                else 2**40,
                unit_distance_cost=1,
                unit_duration_cost=round(work_cost_per_s(instance, t)),
                profile=profile_index[profile_of[t]],
                name=info.id,
            )
        )
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=vehicle_types,
        distance_matrices=cost_matrices,
        duration_matrices=duration_matrices,
        groups=groups,
    )
    return Compiled(data, tuple(client_job), tuple(techs))


def decode(compiled: Compiled, solution: pyvrp.Solution) -> list[RouteInput]:
    """PyVRP routes back to fieldroute routes (technician, ordered jobs)."""
    routes = []
    for route in solution.routes():
        jobs = tuple(
            compiled.client_job[activity.idx]
            for activity in route.schedule()
            if activity.is_client()
        )
        if jobs:
            routes.append(RouteInput(compiled.vehicle_tech[route.vehicle_type()], jobs))
    return routes


def _break_fix(
    instance: Instance,
    matrix: TravelMatrix,
    route: RouteInput,
    params: SolveParams,
) -> RouteInput | None:
    """Re-solve one technician's route with its break as an exact visit.

    The break becomes a required group of clients "break at the site of job j"
    (and at the start and end places), each with the break as service time and
    the break window as its time window, so PyVRP sequences jobs and break
    together. Returns the new route, or None if no better one was found.
    """
    info = instance.technicians[route.tech]
    rule = info.break_rule
    if rule is None:
        return None
    base = compile_pyvrp(instance, matrix, route.jobs, techs=[route.tech])
    data = base.data
    clients = list(data.clients())
    groups = list(data.groups())
    group = pyvrp.ClientGroup(required=True)
    sites = sorted({instance.job_point(j) for j in route.jobs})
    sites += [instance.start_point(route.tech), instance.end_point(route.tech)]
    first_break = len(clients)
    for site in sites:
        group.add_client(len(clients))
        clients.append(
            pyvrp.Client(
                location=site,
                delivery=[0] * data.num_load_dimensions,
                service_duration=rule.duration_s,
                tw_early=rule.earliest_s,
                tw_late=rule.latest_start_s,
                required=False,
                group=len(groups),
                name="break",
            )
        )
    groups.append(group)
    vehicle = data.vehicle_type(0).replace(tw_late=info.shift_end_s)
    data = data.replace(clients=clients, groups=groups, vehicle_types=[vehicle])
    result = _run(data, MaxRuntime(min(1.0, max(0.1, params.time_limit_s / 10))), params.seed)
    if not result.best.is_feasible():
        return None
    jobs: list[int] = []
    gap: int | None = None
    for activity in result.best.routes()[0].schedule() if result.best.routes() else ():
        if not activity.is_client():
            continue
        if activity.idx >= first_break:
            gap = len(jobs)
        else:
            jobs.append(base.client_job[activity.idx])
    return RouteInput(route.tech, tuple(jobs), gap)


class PyVRPEngine:
    """The default engine: PyVRP's iterated local search."""

    name = "pyvrp"

    def solve(
        self,
        instance: Instance,
        matrix: TravelMatrix,
        jobs: Sequence[int],
        params: SolveParams,
    ) -> EngineResult:
        """Plan `jobs` over all technicians within `params.time_limit_s`."""
        started = time.perf_counter()
        if not jobs:
            return EngineResult(routes=())
        compiled = compile_pyvrp(instance, matrix, jobs)
        result = _run(compiled.data, _Stop(params), params.seed)
        routes = decode(compiled, result.best)
        evaluator = Evaluator(instance, matrix)
        fixed = []
        for route in routes:
            schedule = evaluator.route(route.tech, route.jobs)
            if schedule.feasible or instance.technicians[route.tech].break_rule is None:
                fixed.append(route)
                continue
            better = _break_fix(instance, matrix, route, params)
            if (
                better is not None
                and evaluator.route(better.tech, better.jobs, better.break_gap).feasible
            ):
                fixed.append(better)
            else:
                fixed.append(route)
        return EngineResult(
            routes=tuple(fixed),
            stats={
                "iterations": float(result.num_iterations),
                "engine_s": time.perf_counter() - started,
                "feasible": float(result.best.is_feasible()),
            },
        )
