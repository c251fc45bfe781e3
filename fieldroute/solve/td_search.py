"""Time-dependent local search: re-sequence routes with exact arrival times.

Engines plan on one static matrix; with time-dependent travel the order that
is best at free flow can hit the rush hour. After the engine, `improve_routes`
moves jobs with the evaluator as the judge, so every move is scored with each
leg's travel time at its actual departure time:

* within a route: 2-opt (reverse a segment) and or-opt (move a segment of 1-3
  jobs elsewhere in the route);
* between routes: relocate one job, swap two jobs.

A move is kept only if the plan gets better in this order: fewer violations,
less violation amount (e.g. seconds late), lower cost (drive time, distance,
work, value). The set of planned jobs never changes. First improvement,
until a full pass finds nothing or the time limit is reached.

`planning_matrix` gives engines a static matrix of durations averaged over
the working day, a better guess than free flow for a congested day.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.model.instance import Instance
from fieldroute.travel.matrix import TravelMatrix
from fieldroute.travel.traffic import TimeDependentMatrix

Score = tuple[int, int, float]
_EPS = 1e-9


def is_time_dependent(matrix: TravelMatrix) -> bool:
    """True when the matrix's durations depend on the departure time."""
    return type(matrix).travel_s is not TravelMatrix.travel_s


def planning_matrix(instance: Instance, matrix: TravelMatrix) -> TravelMatrix:
    """What a static engine should plan on: `matrix` itself, or for a
    time-dependent one its durations averaged over the technicians' shifts."""
    if not isinstance(matrix, TimeDependentMatrix):
        return matrix
    start = min(t.shift_start_s for t in instance.technicians)
    end = max(t.shift_end_s for t in instance.technicians)
    return matrix.averaged(start, end)


class _Scorer:
    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self._memo: dict[tuple[int, tuple[int, ...]], Score] = {}

    def __call__(self, tech: int, jobs: Sequence[int]) -> Score:
        key = (tech, tuple(jobs))
        score = self._memo.get(key)
        if score is None:
            schedule = self.evaluator.route(tech, key[1])
            score = (
                len(schedule.violations),
                sum(v.amount for v in schedule.violations),
                self.evaluator.route_cost(schedule) if schedule.is_used else 0.0,
            )
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[key] = score
        return score


def _better(new: Score, old: Score) -> bool:
    if new[0] != old[0]:
        return new[0] < old[0]
    if new[1] != old[1]:
        return new[1] < old[1]
    return new[2] < old[2] - _EPS


def _add(a: Score, b: Score) -> Score:
    return a[0] + b[0], a[1] + b[1], a[2] + b[2]


def improve_routes(
    evaluator: Evaluator,
    routes: Sequence[RouteInput],
    *,
    time_limit_s: float = 5.0,
) -> list[RouteInput]:
    """Re-sequence `routes` (see module doc); returns one route per technician
    that had one, plus any technician a job moved to."""
    deadline = time.perf_counter() + time_limit_s
    inst = evaluator.instance
    plan: dict[int, list[int]] = {t: [] for t in range(inst.num_techs)}
    for route in routes:
        plan[route.tech] = list(route.jobs)
    score = _Scorer(evaluator)
    current = {t: score(t, jobs) for t, jobs in plan.items()}

    def out_of_time() -> bool:
        return time.perf_counter() > deadline

    improved = True
    while improved and not out_of_time():
        improved = False
        for tech in plan:
            if _intra(plan, current, score, tech, out_of_time):
                improved = True
        if _inter(plan, current, score, out_of_time):
            improved = True
    return [RouteInput(t, tuple(jobs)) for t, jobs in plan.items() if jobs]


def _intra(
    plan: dict[int, list[int]],
    current: dict[int, Score],
    score: _Scorer,
    tech: int,
    out_of_time: Callable[[], bool],
) -> bool:
    """2-opt and or-opt inside one route; True if anything improved."""
    changed = False
    again = True
    while again and not out_of_time():
        again = False
        jobs = plan[tech]
        n = len(jobs)
        candidates: list[list[int]] = []
        for i in range(n - 1):
            for j in range(i + 1, n):
                candidates.append(jobs[:i] + jobs[i : j + 1][::-1] + jobs[j + 1 :])
        for length in (1, 2, 3):
            for i in range(n - length + 1):
                segment = jobs[i : i + length]
                rest = jobs[:i] + jobs[i + length :]
                for p in range(len(rest) + 1):
                    if p != i:
                        candidates.append(rest[:p] + segment + rest[p:])
        for trial in candidates:
            new = score(tech, trial)
            if _better(new, current[tech]):
                plan[tech] = trial
                current[tech] = new
                changed = again = True
                break
            if out_of_time():
                break
    return changed


def _inter(
    plan: dict[int, list[int]],
    current: dict[int, Score],
    score: _Scorer,
    out_of_time: Callable[[], bool],
) -> bool:
    """Relocate and swap between routes; True if anything improved."""
    techs = list(plan)
    for a in techs:
        for i in range(len(plan[a])):
            job = plan[a][i]
            removed = plan[a][:i] + plan[a][i + 1 :]
            without = score(a, removed)
            for b in techs:
                if b == a:
                    continue
                old = _add(current[a], current[b])
                for p in range(len(plan[b]) + 1):
                    inserted = [*plan[b][:p], job, *plan[b][p:]]
                    new_b = score(b, inserted)
                    if _better(_add(without, new_b), old):
                        plan[a], plan[b] = removed, inserted
                        current[a], current[b] = without, new_b
                        return True
                for k, other in enumerate(plan[b]):
                    swapped_a = [*plan[a][:i], other, *plan[a][i + 1:]]
                    swapped_b = [*plan[b][:k], job, *plan[b][k + 1:]]
                    new_a, new_b = score(a, swapped_a), score(b, swapped_b)
                    if _better(_add(new_a, new_b), old):
                        plan[a], plan[b] = swapped_a, swapped_b
                        current[a], current[b] = new_a, new_b
                        return True
                if out_of_time():
                    return False
    return False
