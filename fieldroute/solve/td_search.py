"""Time-dependent local search: re-sequence routes with exact arrival times.

Engines plan on one static matrix; with time-dependent travel the order that
is best at free flow can hit the rush hour. After the engine, `improve_routes`
moves jobs with the evaluator as the judge, so every move is scored with each
leg's travel time at its actual departure time:

* within a route: 2-opt (reverse a segment) and or-opt (move a segment of 1-3
  jobs elsewhere in the route);
* between routes: relocate a segment of 1-3 jobs, swap two jobs, exchange
  the tails of two routes (2-opt*).

A move is kept only if the plan gets better in this order: fewer violations,
less violation amount (e.g. seconds late), lower cost (drive time, distance,
work, value). The set of planned jobs never changes. First improvement,
until a full pass finds nothing or the time limit is reached.

Before that, `linearised_solve` lets the static engine see the day's
traffic: it plans on free flow, then re-plans on the time-dependent matrix
linearised around its last plan (each leg at the time that plan leaves its
origin), a few damped rounds, keeping the round the evaluator likes best.

`planning_matrix` gives a static matrix of durations averaged over the
working day, for callers that want one static view of a time-dependent day.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from fieldroute.engines.base import Engine, EngineResult, SolveParams
from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.model.instance import Instance
from fieldroute.travel.matrix import UNREACHABLE, TravelMatrix
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
    seed: int = 0,
    patience: int = 200,
) -> list[RouteInput]:
    """Re-sequence `routes` (see module doc); returns one route per technician
    that had one, plus any technician a job moved to.

    Local moves run to a local optimum; then ruin-and-recreate rounds
    (seeded by `seed`) run until `time_limit_s` or `patience` rounds in a row
    without a better plan.
    """
    deadline = time.perf_counter() + time_limit_s
    inst = evaluator.instance
    plan: dict[int, list[int]] = {t: [] for t in range(inst.num_techs)}
    for route in routes:
        plan[route.tech] = list(route.jobs)
    score = _Scorer(evaluator)
    current = {t: score(t, jobs) for t, jobs in plan.items()}

    def out_of_time() -> bool:
        return time.perf_counter() > deadline

    near = _Near(evaluator)
    _descend(plan, current, score, near, out_of_time)
    # Local optimum: ruin and recreate while time is left.
    rng = random.Random(seed)
    free_s = evaluator.matrix.duration_s
    stall = 0
    while not out_of_time() and stall < patience:
        if sum(len(jobs) for jobs in plan.values()) < 2:
            break
        trial = {t: list(jobs) for t, jobs in plan.items()}
        trial_scores = dict(current)
        _ruin_and_recreate(trial, trial_scores, score, inst, free_s, rng)
        # Only the routes it touched are polished: keeps rounds cheap.
        for tech in trial:
            if trial[tech] != plan[tech]:
                _intra(trial, trial_scores, score, tech, near, out_of_time)
        stall += 1
        if _better(_total(trial_scores), _total(current)):
            plan, current, stall = trial, trial_scores, 0
            _descend(plan, current, score, near, out_of_time)
    return [RouteInput(t, tuple(jobs)) for t, jobs in plan.items() if jobs]


def _total(scores: dict[int, Score]) -> Score:
    total: Score = (0, 0, 0.0)
    for value in scores.values():
        total = _add(total, value)
    return total


def _descend(
    plan: dict[int, list[int]],
    current: dict[int, Score],
    score: _Scorer,
    near: _Near,
    out_of_time: Callable[[], bool],
) -> None:
    improved = True
    while improved and not out_of_time():
        improved = False
        for tech in plan:
            if _intra(plan, current, score, tech, near, out_of_time):
                improved = True
        if _inter(plan, current, score, near, out_of_time):
            improved = True


def _ruin_and_recreate(
    plan: dict[int, list[int]],
    current: dict[int, Score],
    score: _Scorer,
    inst: Instance,
    free_s: npt.NDArray[np.int64],
    rng: random.Random,
) -> None:
    """Take out a job and its nearest neighbours (3-8 jobs), then put each
    back where the plan's score grows least: moves a whole neighbourhood to
    another time of day, which single moves cannot."""
    planned = [j for jobs in plan.values() for j in jobs]
    seed_job = rng.choice(planned)
    point = inst.job_point(seed_job)
    near = sorted(planned, key=lambda j: free_s[point, inst.job_point(j)])
    removed = near[: rng.randint(min(3, len(near)), min(8, len(near)))]
    gone = set(removed)
    for tech, jobs in plan.items():
        if gone.intersection(jobs):
            plan[tech] = [j for j in jobs if j not in gone]
            current[tech] = score(tech, plan[tech])
    rng.shuffle(removed)
    for job in removed:
        best: tuple[Score, int, list[int], Score] | None = None
        for tech, jobs in plan.items():
            for p in range(len(jobs) + 1):
                trial = [*jobs[:p], job, *jobs[p:]]
                new = score(tech, trial)
                delta = (
                    new[0] - current[tech][0],
                    new[1] - current[tech][1],
                    new[2] - current[tech][2],
                )
                if best is None or _better(delta, best[0]):
                    best = (delta, tech, trial, new)
        assert best is not None
        _, tech, trial, new = best
        plan[tech] = trial
        current[tech] = new


class _Near:
    """Granular neighbourhoods: a move is tried only if it puts a job next to
    one of its `k` nearest jobs (at free flow) or next to a route's start or
    end; this cuts the moves scored about tenfold at little loss."""

    def __init__(self, evaluator: Evaluator, k: int = 10) -> None:
        inst = evaluator.instance
        points = [inst.job_point(j) for j in range(inst.num_jobs)]
        free = evaluator.matrix.duration_s[np.ix_(points, points)]
        both = np.minimum(free, free.T).astype(np.float64)
        np.fill_diagonal(both, np.inf)
        order = np.argsort(both, axis=1)[:, :k]
        self.sets = [{int(x) for x in row} for row in order]

    def __call__(self, a: int | None, b: int | None) -> bool:
        return a is None or b is None or b in self.sets[a] or a in self.sets[b]


def _at(jobs: list[int], i: int) -> int | None:
    return jobs[i] if 0 <= i < len(jobs) else None


def _intra(
    plan: dict[int, list[int]],
    current: dict[int, Score],
    score: _Scorer,
    tech: int,
    near: _Near,
    out_of_time: Callable[[], bool],
) -> bool:
    """2-opt and or-opt inside one route; True if anything improved."""
    changed = False
    again = True
    while again and not out_of_time():
        again = False
        jobs = plan[tech]
        for trial in _route_moves(jobs, near):
            new = score(tech, trial)
            if _better(new, current[tech]):
                plan[tech] = trial
                current[tech] = new
                changed = again = True
                break
            if out_of_time():
                break
    return changed


def _route_moves(jobs: list[int], near: _Near) -> Iterator[list[int]]:
    n = len(jobs)
    for i in range(n - 1):
        for j in range(i + 1, n):
            if near(_at(jobs, i - 1), jobs[j]) or near(jobs[i], _at(jobs, j + 1)):
                yield jobs[:i] + jobs[i : j + 1][::-1] + jobs[j + 1 :]
    for length in (1, 2, 3):
        for i in range(n - length + 1):
            segment = jobs[i : i + length]
            rest = jobs[:i] + jobs[i + length :]
            for p in range(len(rest) + 1):
                if p != i and (
                    near(_at(rest, p - 1), segment[0])
                    or near(segment[-1], _at(rest, p))
                ):
                    yield rest[:p] + segment + rest[p:]


def _inter(
    plan: dict[int, list[int]],
    current: dict[int, Score],
    score: _Scorer,
    near: _Near,
    out_of_time: Callable[[], bool],
) -> bool:
    """Between two routes: relocate a segment of 1-3 jobs, swap two jobs,
    exchange route tails (2-opt*); True if anything improved."""
    techs = list(plan)
    for a in techs:
        for b in techs:
            if a == b or out_of_time():
                continue
            for trial_a, trial_b in _pair_moves(plan[a], plan[b], near):
                new_a, new_b = score(a, trial_a), score(b, trial_b)
                if _better(_add(new_a, new_b), _add(current[a], current[b])):
                    plan[a], plan[b] = trial_a, trial_b
                    current[a], current[b] = new_a, new_b
                    return True
    return False


def _pair_moves(
    route_a: list[int], route_b: list[int], near: _Near
) -> Iterator[tuple[list[int], list[int]]]:
    """Candidate (new a, new b) pairs, cheapest kinds first."""
    for length in (1, 2, 3):
        for i in range(len(route_a) - length + 1):
            segment = route_a[i : i + length]
            rest = route_a[:i] + route_a[i + length :]
            for p in range(len(route_b) + 1):
                if near(_at(route_b, p - 1), segment[0]) or near(
                    segment[-1], _at(route_b, p)
                ):
                    yield rest, [*route_b[:p], *segment, *route_b[p:]]
    for i, job in enumerate(route_a):
        for k, other in enumerate(route_b):
            if (
                near(_at(route_a, i - 1), other)
                or near(other, _at(route_a, i + 1))
                or near(_at(route_b, k - 1), job)
                or near(job, _at(route_b, k + 1))
            ):
                yield (
                    [*route_a[:i], other, *route_a[i + 1 :]],
                    [*route_b[:k], job, *route_b[k + 1 :]],
                )
    for i in range(1, len(route_a) + 1):
        for k in range(len(route_b) + 1):
            if i == len(route_a) and k == len(route_b):
                continue
            if near(route_a[i - 1], _at(route_b, k)) or near(
                _at(route_b, k - 1), _at(route_a, i)
            ):
                yield route_a[:i] + route_b[k:], route_b[:k] + route_a[i:]


def linearised_solve(
    evaluator: Evaluator,
    engine: Engine,
    candidates: Sequence[int],
    params: SolveParams,
    *,
    rounds: int = 6,
) -> EngineResult:
    """Let a static engine plan for time-dependent travel, round by round.

    Round 0 plans on free-flow durations. Each next round linearises the
    time-dependent matrix around the last plan (`departure_matrix`: each leg
    at the time the plan leaves its origin), damped by averaging with the
    previous round's matrix (undamped rounds oscillate: a plan that avoids
    the rush makes the rush look free, and the next plan drives into it),
    and plans again. The evaluator with exact times picks the best round.
    The engine's time limit is shared between the rounds.
    """
    inst = evaluator.instance
    matrix = evaluator.matrix
    share = replace(params, time_limit_s=params.time_limit_s / (rounds + 1))
    guess = matrix.duration_s.astype(np.float64)
    best: tuple[Score, EngineResult] | None = None
    for _ in range(rounds + 1):
        static = TravelMatrix(
            duration_s=np.rint(guess).astype(np.int64), distance_m=matrix.distance_m
        )
        result = engine.solve(inst, static, candidates, share)
        routes = list(result.routes)
        evaluation = evaluator.plan(routes)
        score: Score = (
            len(evaluation.violations),
            sum(v.amount for v in evaluation.violations),
            evaluation.kpis.cost,
        )
        if best is None or _better(score, best[0]):
            best = (score, result)
        if params.cancel is not None and params.cancel():
            break
        linear = departure_matrix(evaluator, routes).duration_s
        guess = 0.5 * guess + 0.5 * np.minimum(linear, UNREACHABLE)
    assert best is not None
    return best[1]


def departure_matrix(
    evaluator: Evaluator, routes: Sequence[RouteInput]
) -> TravelMatrix:
    """A static matrix of each leg's duration when leaving its origin at the
    time `routes` leave it (the middle of the working day for places the
    routes do not visit): the time-dependent matrix linearised around a
    plan, for an engine to re-plan on."""
    inst = evaluator.instance
    matrix = evaluator.matrix
    start = min(t.shift_start_s for t in inst.technicians)
    end = max(t.shift_end_s for t in inst.technicians)
    leave = [(start + end) // 2] * matrix.size
    evaluation = evaluator.plan(routes)
    for schedule in evaluation.routes:
        leave[inst.start_point(schedule.tech)] = schedule.departure_s
        for stop in schedule.stops:
            leave[inst.job_point(stop.job)] = stop.end_s
    for job in inst.jobs:  # unplanned: leave in the middle of its windows
        point = inst.job_point(job.index)
        if job.index in evaluation.unassigned and job.windows:
            leave[point] = (job.windows[0][0] + job.windows[-1][1]) // 2
    if isinstance(matrix, TimeDependentMatrix):
        duration = matrix.durations_from(leave)
    else:  # any other time-dependent matrix: leg by leg
        n = matrix.size
        duration = np.asarray(
            [[matrix.travel_s(i, j, leave[i]) for j in range(n)] for i in range(n)],
            dtype=np.int64,
        )
    return TravelMatrix(duration_s=duration, distance_m=matrix.distance_m)
