"""Make any engine's routes feasible, then fill them, judged by the evaluator.

1. While a route breaks a rule, remove the job whose removal helps most
   (fewest violations left, then least prize lost).
2. Offer every job not in a route (removed ones first, then by priority and
   value) to its cheapest feasible position over all routes; a mandatory job
   is inserted wherever it fits, an optional one only when its value pays for
   the added cost.

Each step asks the evaluator, so the result has zero violations by the same
rules every plan is checked with.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from fieldroute.evaluate.schedule import Evaluator, RouteInput, RouteSchedule


@dataclass(frozen=True, slots=True)
class Insertion:
    """The best place found for a job, and what it costs."""

    tech: int
    position: int
    added_cost: float
    schedule: RouteSchedule


def _score(schedule: RouteSchedule) -> tuple[int, int]:
    return len(schedule.violations), sum(v.amount for v in schedule.violations)


def _job_rank(evaluator: Evaluator, job: int) -> tuple[bool, int, float]:
    info = evaluator.instance.jobs[job]
    return (info.optional, -info.priority, -info.value)


class _HasJobs(Protocol):
    @property
    def jobs(self) -> tuple[int, ...]: ...


def nearest_techs(
    evaluator: Evaluator, routes: Mapping[int, _HasJobs], job: int, count: int
) -> list[int]:
    """The `count` eligible technicians whose day passes nearest to `job`
    (`routes`: each technician's route or schedule; missing ones are empty)."""
    instance = evaluator.instance
    to_job = evaluator.matrix.duration_s[:, instance.job_point(job)]
    reach = []
    for tech in range(instance.num_techs):
        if not instance.eligible[tech, job]:
            continue
        route = routes.get(tech)
        places = [instance.start_point(tech)]
        places += [instance.job_point(j) for j in (route.jobs if route else ())]
        reach.append((int(to_job[places].min()), tech))
    reach.sort()
    return [tech for _, tech in reach[:count]]


#: Routes tried per insertion: the nearest ones hold nearly every best place,
#: and trying all of them is quadratic on large days.
NEAREST_ROUTES = 8


def best_insertion(
    evaluator: Evaluator,
    schedules: dict[int, RouteSchedule],
    job: int,
    *,
    techs: Iterable[int] | None = None,
    positions: int | None = None,
) -> Insertion | None:
    """Cheapest feasible place for `job` over `techs`' current routes
    (default: the `NEAREST_ROUTES` routes passing nearest to it); with
    `positions`, only that many places of least detour in each route."""
    instance = evaluator.instance
    best: Insertion | None = None
    candidates = (
        nearest_techs(evaluator, schedules, job, NEAREST_ROUTES)
        if techs is None
        else techs
    )
    for tech in candidates:
        if not instance.eligible[tech, job]:
            continue
        current = schedules[tech]
        info = instance.technicians[tech]
        if info.max_jobs is not None and len(current.stops) >= info.max_jobs:
            continue
        base_cost = evaluator.route_cost(current) if current.is_used else 0.0
        jobs = current.jobs
        places = positions_by_detour(evaluator, tech, jobs, job)
        for position in places[:positions] if positions is not None else places:
            order = (*jobs[:position], job, *jobs[position:])
            if evaluator.is_surely_infeasible(tech, order):
                continue
            trial = evaluator.route(tech, order)
            if trial.violations:
                continue
            added = evaluator.route_cost(trial) - base_cost
            # Value is part of the cost; compare detours on equal terms.
            added += instance.jobs[job].value * instance.problem.objective.value_weight
            if best is None or added < best.added_cost:
                best = Insertion(tech, position, added, trial)
    return best


def cheapest_position(
    evaluator: Evaluator, tech: int, jobs: Sequence[int], job: int
) -> int:
    """Where in `jobs` inserting `job` adds the least driving (no schedule)."""
    return positions_by_detour(evaluator, tech, jobs, job)[0]


def positions_by_detour(
    evaluator: Evaluator, tech: int, jobs: Sequence[int], job: int
) -> list[int]:
    """Every place to insert `job` in `jobs`, least added driving first."""
    inst = evaluator.instance
    dur = evaluator.matrix.duration_s
    places = [
        inst.start_point(tech),
        *(inst.job_point(j) for j in jobs),
        inst.end_point(tech),
    ]
    point = inst.job_point(job)
    detours = [
        int(dur[places[k], point])
        + int(dur[point, places[k + 1]])
        - int(dur[places[k], places[k + 1]])
        for k in range(len(places) - 1)
    ]
    return sorted(range(len(detours)), key=detours.__getitem__)


def _place_by_eviction(
    evaluator: Evaluator, schedules: dict[int, RouteSchedule], job: int
) -> bool:
    """Put mandatory `job` in a nearby route in place of one of its jobs.

    Only ever trades up: the evicted job moves to another feasible place, or
    it is optional, or it has a lower priority than `job`.
    """
    instance = evaluator.instance
    info = instance.jobs[job]
    for tech in nearest_techs(evaluator, schedules, job, NEAREST_ROUTES):
        jobs = schedules[tech].jobs
        for k, other in enumerate(jobs):
            rest = jobs[:k] + jobs[k + 1 :]
            position = cheapest_position(evaluator, tech, rest, job)
            order = (*rest[:position], job, *rest[position:])
            if evaluator.is_surely_infeasible(tech, order):
                continue
            trial = evaluator.route(tech, order)
            if trial.violations:
                continue
            after = {**schedules, tech: trial}
            moved = best_insertion(evaluator, after, other)
            evicted = instance.jobs[other]
            if moved is None and not (
                evicted.optional or evicted.priority < info.priority
            ):
                continue
            schedules[tech] = trial
            if moved is not None:
                schedules[moved.tech] = moved.schedule
            return True
    return False


def make_feasible(
    evaluator: Evaluator,
    routes: Sequence[RouteInput],
    candidates: Sequence[int],
    *,
    deadline: float | None = None,
) -> list[RouteInput]:
    """Routes with zero violations that keep as much of `routes` as possible.

    Filling stops at `deadline` (a `time.perf_counter()` value); removing
    violating jobs never does, so the result is always feasible.
    """
    instance = evaluator.instance
    schedules: dict[int, RouteSchedule] = {
        t: evaluator.route(t, ()) for t in range(instance.num_techs)
    }
    placed: set[int] = set()
    removed: list[int] = []
    for route in routes:
        jobs = [j for j in route.jobs if j not in placed]
        schedule = evaluator.route(route.tech, jobs, route.break_gap)
        if schedule.violations and route.break_gap is not None:
            schedule = evaluator.route(route.tech, jobs)
        while schedule.violations and jobs:
            trials = []
            for k in range(len(jobs)):
                rest = jobs[:k] + jobs[k + 1 :]
                trial = evaluator.route(route.tech, rest)
                info = instance.jobs[jobs[k]]
                # Fewest violations left first; among equals the least valuable
                # job goes: optional before mandatory, low priority, low value.
                keep = (not info.optional, info.priority, info.value)
                trials.append((_score(trial), keep, k, trial))
            trials.sort(key=lambda item: (item[0], item[1], item[2]))
            _, _, k, schedule = trials[0]
            removed.append(jobs.pop(k))
        schedules[route.tech] = schedule
        placed.update(jobs)

    pool = removed + sorted(
        (j for j in candidates if j not in placed and j not in removed),
        key=lambda j: _job_rank(evaluator, j),
    )
    for job in pool:
        if deadline is not None and time.perf_counter() > deadline:
            break
        insertion = best_insertion(evaluator, schedules, job)
        if insertion is None:
            continue
        info = instance.jobs[job]
        gain = info.value * instance.problem.objective.value_weight
        if info.optional and insertion.added_cost - gain >= 0:
            continue
        schedules[insertion.tech] = insertion.schedule
        placed.add(job)

    # Mandatory jobs that found no free place: make room by moving or
    # dropping a less important job (pinned jobs need this most: only one
    # technician may take them).
    for job in pool:
        if deadline is not None and time.perf_counter() > deadline:
            break
        if (
            job not in placed
            and not instance.jobs[job].optional
            and _place_by_eviction(evaluator, schedules, job)
        ):
            placed.add(job)

    return [
        RouteInput(t, s.jobs, s.break_.gap if s.break_ else None)
        for t, s in sorted(schedules.items())
        if s.is_used
    ]
