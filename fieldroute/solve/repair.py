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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


def best_insertion(
    evaluator: Evaluator,
    schedules: dict[int, RouteSchedule],
    job: int,
    *,
    techs: Iterable[int] | None = None,
) -> Insertion | None:
    """Cheapest feasible place for `job` over `techs`' current routes."""
    instance = evaluator.instance
    best: Insertion | None = None
    candidates = range(instance.num_techs) if techs is None else techs
    for tech in candidates:
        if not instance.eligible[tech, job]:
            continue
        current = schedules[tech]
        info = instance.technicians[tech]
        if info.max_jobs is not None and len(current.stops) >= info.max_jobs:
            continue
        base_cost = evaluator.route_cost(current) if current.is_used else 0.0
        jobs = current.jobs
        for position in range(len(jobs) + 1):
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


def make_feasible(
    evaluator: Evaluator, routes: Sequence[RouteInput], candidates: Sequence[int]
) -> list[RouteInput]:
    """Routes with zero violations that keep as much of `routes` as possible."""
    instance = evaluator.instance
    schedules: dict[int, RouteSchedule] = {
        t: evaluator.route(t, ()) for t in range(instance.num_techs)
    }
    breaks: dict[int, int | None] = {}
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
        breaks[route.tech] = schedule.break_.gap if schedule.break_ else None
        placed.update(jobs)

    pool = removed + sorted(
        (j for j in candidates if j not in placed and j not in removed),
        key=lambda j: _job_rank(evaluator, j),
    )
    for job in pool:
        insertion = best_insertion(evaluator, schedules, job)
        if insertion is None:
            continue
        info = instance.jobs[job]
        gain = info.value * instance.problem.objective.value_weight
        if info.optional and insertion.added_cost - gain >= 0:
            continue
        schedules[insertion.tech] = insertion.schedule
        placed.add(job)

    return [
        RouteInput(t, s.jobs, s.break_.gap if s.break_ else None)
        for t, s in sorted(schedules.items())
        if s.is_used
    ]
