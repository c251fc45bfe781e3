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
  jobs get a prize larger than any detour (twice that when only one
  technician may do the job), optional ones their value.
* Skills, territories, pins and stock limits become routing profiles in which
  edges into a forbidden job are missing (a bounded large cost, see the brief's
  note on PyVRP hanging with unbounded missing values). Technicians with the
  same allowed set share a profile, so the number of matrices is the number
  of distinct allowed sets, not of technicians. Matrices are built as numpy
  arrays directly (``Model.add_edge`` is slow at scale).

Lunch breaks
------------
PyVRP has no break. Each technician plans on the clock of their day with the
break taken out: the break starts at the first free moment from its earliest
start (on the road, while waiting for a window, or as a service ends), so a
service that starts on that clock after the break's earliest start runs the
break's length later in real time. A job's windows are mapped onto that clock
(`_windows_without_break`): unchanged before the break, shifted earlier by
its length after it, and a long service that would push the break past its
latest start may not start just before it (a job can get two windows, joined
in a mutually exclusive group). The shift ends the break's length earlier on
that clock. PyVRP's own time-window search then places the break exactly,
waiting absorbed included; technicians with different break rules get their
own copies of the jobs, kept apart by a load dimension.

The evaluator re-checks every route with the break in the gap this implies
(`decode`). A route it still finds broken is re-solved with the break as a
visit (a required group of "break at the site of job j" clients, a load
dimension per technician), alone or with its two nearest routes; the solve
pipeline's repair moves any job that still does not fit.

Which clock: the break at the first free moment from its earliest start,
or from an hour later (waiting after noon is then absorbed, and a window in
the first half hour of lunch stays reachable). Neither wins on every day;
days of up to `TWO_CLOCKS_MAX_JOBS` jobs search both, a third of the time
each (`_break_clocks`), then the last third goes on from the better plan
with each technician on the clock their route takes lunch on
(`_mixed_clock`); the best plan by the evaluator is kept.

Neighbours
----------
PyVRP's local search moves a client only next to its granular neighbours,
the clients nearest to it. A job that only one or two technicians may do
(a pin, a rare skill, a territory) gets the jobs nearest those technicians'
starts as extra neighbours (`_neighbour_hints`); otherwise a job pinned to
a technician who works elsewhere is never tried in that technician's day.
Measured on generated days: 100-300 jobs up to 7 % cheaper, a 400-job day
plans every mandatory job (one was left out before).

Mandatory jobs left out
-----------------------
When making room for a mandatory job takes several moves at once (a pinned
job in a technician's full day: other jobs must first go to neighbours), the
main search may leave it out. Each such job then gets a small search of its
own over the routes around it, with the job required (`_rescue`); its answer
is kept only when every route stays feasible and no other mandatory job is
left out. When none was left out, that time goes to the main search.

Two things keep such jobs in on large days, where PyVRP has time for few
iterations (about 1,500 on a 750-job day): days above
`RANDOM_START_MAX_JOBS` jobs start from their pinned jobs alone, each in
its technician's route (`_anchored`), instead of a random plan; and a
mandatory job only one technician may do is worth twice the mandatory
prize, so when one must be left out it is one that others may do, for
which the rescue finds a place far more often.

Measured (generated days, equal time; `docs/quality.md`): the clock without
the break beats holding the break back at the shift end, which cost 2-4 % of
drive time on 100-200-job days and left late windows unreachable.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.IteratedLocalSearch import IteratedLocalSearch
from pyvrp.PenaltyManager import PenaltyManager
from pyvrp.search import LocalSearch, PerturbationManager, compute_neighbours
from pyvrp.stop import MaxRuntime, StoppingCriterion

from fieldroute.engines.base import EngineResult, SolveParams
from fieldroute.engines.costs import (
    arc_cost,
    job_prize,
    mandatory_prize,
    work_cost_per_s,
)
from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.model.instance import BreakRule, Instance
from fieldroute.solve.repair import nearest_techs
from fieldroute.travel.matrix import UNREACHABLE, IntMatrix, TravelMatrix

#: Cost and duration of a forbidden or missing edge: larger than any real
#: route, small enough that PyVRP's penalty arithmetic cannot overflow.
FORBIDDEN = 10**8
#: Shares of the time limit: the main search, then all break fixes together.
#: (Measured: a second full stage with exact breaks, warm-started, did worse
#: at equal time than giving the main search the time: 4 of 4 generated days.)
MAIN_SHARE = 0.82
#: Share for small searches that bring back mandatory jobs the main search
#: left out (`_rescue`; measured: 0.1 s rarely finds room, 0.5 s does), or
#: when none was left out, for more of the main search.
RESCUE_SHARE = 0.12
RESCUE_S = 0.5
FIX_SHARE = 0.03
#: Days up to this many jobs search two break clocks (`_break_clocks`).
TWO_CLOCKS_MAX_JOBS = 100
LATER_BREAK_S = 3600
#: Larger days start from their pinned jobs alone (`_anchored`), smaller ones
#: from a random plan. (Measured on generated days, one run each: anchored
#: was better on all 7 days above 300 jobs, worse on 4 of 5 at 150-300.)
RANDOM_START_MAX_JOBS = 300
#: Jobs at most this many technicians may do get extra neighbours.
RESTRICTED_TECHS = 2
HINTS_PER_TECH = 10


def _run(
    data: pyvrp.ProblemData,
    stop: StoppingCriterion,
    seed: int,
    initial: pyvrp.Solution | None = None,
    hints: Mapping[int, Sequence[int]] | None = None,
    anchors: Sequence[tuple[Sequence[int], int]] | None = None,
) -> pyvrp.Result:
    """`pyvrp.solve`, with extra neighbours for some clients (`hints`:
    client -> clients; see `_neighbour_hints`). Without `initial`, the start
    is random, or with `anchors` (jobs only one vehicle type may take: their
    clients, that vehicle type) those jobs alone, in place (`_anchored`)."""
    params = pyvrp.SolveParams()
    rng = pyvrp.RandomNumberGenerator(seed=seed)
    neighbours = compute_neighbours(data, params.neighbourhood)
    if hints:
        by_client = {a.idx: a for a in neighbours}
        for client, extra in hints.items():
            own = neighbours[by_client[client]]
            known = {a.idx for a in own}
            own.extend(by_client[c] for c in extra if c not in known and c != client)
    local_search = LocalSearch(
        data, rng, neighbours, PerturbationManager(params.perturbation)
    )
    for operator in params.operators:
        if operator.supports(data):
            local_search.add_operator(operator(data))
    penalties = PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    # Tight days make PyVRP's penalties hit their bound; every job is
    # droppable, so that is expected and the evaluator judges the answer.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        if initial is None:
            # As `pyvrp.solve`: a start, improved once.
            start = (
                pyvrp.Solution.make_random(data, rng)
                if anchors is None
                else _anchored(data, anchors)
            )
            initial = local_search(
                start,
                penalties.max_cost_evaluator(),
                exhaustive=True,
            )
        search = IteratedLocalSearch(data, penalties, local_search, initial, params.ils)
        return search.run(stop, collect_stats=False, display=False)


def _clients_by_job(client_job: Sequence[int]) -> dict[int, list[int]]:
    """Job -> its PyVRP clients (one per window and break clock)."""
    by_job: dict[int, list[int]] = {}
    for c, j in enumerate(client_job):
        by_job.setdefault(j, []).append(c)
    return by_job


def _neighbour_hints(
    instance: Instance,
    matrix: TravelMatrix,
    client_job: Sequence[int],
    techs: Sequence[int],
) -> dict[int, list[int]]:
    """Extra neighbours for clients that few of `techs` may serve.

    PyVRP's local search moves a client only next to its neighbours: the
    clients nearest to it. A job pinned to a technician who works elsewhere
    has none of that technician's jobs among them, so it is never moved
    into that route and stays left out. Its extra neighbours are the jobs
    nearest to each such technician's start that the technician may do.
    """
    hints: dict[int, list[int]] = {}
    by_job = _clients_by_job(client_job)
    jobs = list(by_job)
    for j, clients in by_job.items():
        few = [t for t in techs if instance.eligible[t, j]]
        if len(few) > RESTRICTED_TECHS or len(few) == len(techs):
            continue
        extra: list[int] = []
        for t in few:
            start = instance.start_point(t)
            allowed = [k for k in jobs if k != j and instance.eligible[t, k]]
            allowed.sort(
                key=lambda k: int(matrix.duration_s[start, instance.job_point(k)])
            )
            extra += [c for k in allowed[:HINTS_PER_TECH] for c in by_job[k]]
        for c in clients:
            hints[c] = extra
    return hints


def _anchored(
    data: pyvrp.ProblemData, anchors: Sequence[tuple[Sequence[int], int]]
) -> pyvrp.Solution:
    """A start holding only the jobs of `anchors` (their clients, the one
    vehicle type that may take them), each in its vehicle's route at the
    client and place that keep that route least late.

    On a large day PyVRP has time for few iterations (about 1,500 on 750
    jobs), and a random start leaves jobs pinned to a technician in the wrong
    routes: making room for them later takes several moves at once, which
    the search rarely finds. Built around them instead, the day keeps them.
    """
    routes: dict[int, list[int]] = {}
    for clients, vehicle in anchors:
        visits = routes.get(vehicle, [])
        options = [
            [*visits[:k], c, *visits[k:]]
            for c in clients
            for k in range(len(visits) + 1)
        ]
        routes[vehicle] = min(options, key=lambda v: _lateness(data, v, vehicle))
    return pyvrp.Solution(
        data, [pyvrp.Route(data, v, k) for k, v in sorted(routes.items())]
    )


def _pinned(
    instance: Instance, client_job: Sequence[int], techs: Sequence[int]
) -> tuple[tuple[tuple[int, ...], int], ...]:
    """Jobs only one of `techs` may do: (their clients, that vehicle type)."""
    by_job = _clients_by_job(client_job)
    out = []
    for j, clients in by_job.items():
        able = [k for k, t in enumerate(techs) if instance.eligible[t, j]]
        if len(able) == 1 and len(techs) > 1:
            out.append((tuple(clients), able[0]))
    return tuple(out)


class _Stop:
    """Stops PyVRP at the time limit, on a stall, or when the caller cancels."""

    def __init__(self, params: SolveParams, limit_s: float | None = None) -> None:
        self._runtime = MaxRuntime(params.time_limit_s if limit_s is None else limit_s)
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
        return bool(self._runtime(int(best_cost)))


@dataclass(frozen=True)
class Compiled:
    """PyVRP data plus the maps back to fieldroute indices."""

    data: pyvrp.ProblemData
    client_job: tuple[int, ...]  # PyVRP client index -> job index
    vehicle_tech: tuple[int, ...]  # PyVRP vehicle type -> technician index
    # PyVRP vehicle type -> the break rule on its clock (None: no break)
    vehicle_rule: tuple[BreakRule | None, ...]
    hints: dict[int, list[int]]  # client -> extra neighbours
    # jobs only one vehicle type may take: (their clients, that vehicle type)
    pinned: tuple[tuple[tuple[int, ...], int], ...]
    location: dict[int, int]  # instance point -> PyVRP location


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


def _masked(base: IntMatrix, points: Sequence[int]) -> IntMatrix:
    """`base` with every edge into or out of `points` forbidden."""
    out = base.copy()
    if points:
        out[points, :] = FORBIDDEN
        out[:, points] = FORBIDDEN
        out[points, points] = 0
    return out


_LAST_COST: list[tuple[Instance, TravelMatrix, IntMatrix]] = []


def _arc_cost(instance: Instance, matrix: TravelMatrix) -> IntMatrix:
    """`arc_cost`, computed once per (instance, matrix): break fixes compile
    many small sub-problems of the same day. (Shared: do not write to it.)"""
    if _LAST_COST and _LAST_COST[0][0] is instance and _LAST_COST[0][1] is matrix:
        return _LAST_COST[0][2]
    cost = arc_cost(instance, matrix)
    _LAST_COST[:] = [(instance, matrix, cost)]
    return cost


def compile_pyvrp(
    instance: Instance,
    matrix: TravelMatrix,
    jobs: Sequence[int],
    *,
    techs: Sequence[int] | None = None,
    break_clock: bool = True,
    required_jobs: Collection[int] = (),
    break_from: Mapping[int, int] | None = None,
) -> Compiled:
    """Build PyVRP `ProblemData` for `jobs` over `techs` (default: all).

    With `break_clock`, technicians plan on the clock without their break
    (module doc); without it, the break is only held back at the shift end.
    `required_jobs` must be visited (the others may be dropped for a prize).
    `break_from` moves a technician's break on that clock to the first free
    moment from a later time (see `_clock_rule`).
    """
    techs = list(range(instance.num_techs)) if techs is None else list(techs)
    # PyVRP's locations: the technicians' start and end places, then the
    # jobs', so that a sub-problem (a rescue, a break fix) of a large day
    # copies small matrices, not the whole day's.
    points = [
        *(instance.start_point(t) for t in techs),
        *(instance.end_point(t) for t in techs),
        *(instance.job_point(j) for j in jobs),
    ]
    location = {p: i for i, p in enumerate(points)}
    index = np.ix_(points, points)
    cost = _arc_cost(instance, matrix)[index]
    duration = matrix.duration_s[index].astype(np.int64)
    cost[cost >= UNREACHABLE] = FORBIDDEN
    duration[duration >= UNREACHABLE] = FORBIDDEN
    mandatory = mandatory_prize(instance, cost)
    items = instance.items

    locations = [
        pyvrp.Location(x=float(lon), y=float(lat))
        for lat, lon in instance.points[points]
    ]
    depots = [pyvrp.Depot(location=p) for p in range(2 * len(techs))]

    # Technicians plan on the clock without their break (module doc); when
    # they have several distinct break rules, a job whose windows differ
    # between their clocks gets one set of clients per rule, kept to the
    # technicians with that rule by a load dimension.
    tech_rule = {t: _clock_rule(instance, t, break_from) for t in techs}
    rules = _distinct([tech_rule[t] for t in techs]) if break_clock else [None]
    extra = len(rules) if len(rules) > 1 else 0
    clients: list[pyvrp.Client] = []
    groups: list[pyvrp.ClientGroup] = []
    client_job: list[int] = []
    for j in jobs:
        job = instance.jobs[j]
        delivery = [1, *(job.demand.get(item, 0) for item in items)]
        prize = job_prize(instance, job, mandatory)
        if not job.optional and int(instance.eligible[:, j].sum()) == 1:
            # When a mandatory job must go, let it be one that others may
            # do: the rescue finds it a place far more often than one that
            # only this technician may do (measured: 16 runs of the
            # 400-1,000-job generated days left 2 mandatory jobs out, 14
            # without this).
            prize += mandatory
        windows = job.windows or ((0, 2**40),)
        variants: list[tuple[int, int, list[int]]] = []
        required = j in required_jobs
        on_clock = [
            _windows_without_break(windows, job.service_s, rule) for rule in rules
        ]
        if all(w == on_clock[0] for w in on_clock):
            # The same on every clock (e.g. no window): one set of clients
            # any technician may take.
            for early, late in on_clock[0]:
                variants.append((early, late, [*delivery, *([0] * extra)]))
        else:
            for dim, clock_windows in enumerate(on_clock):
                own = [1 if d == dim else 0 for d in range(extra)]
                for early, late in clock_windows:
                    variants.append((early, late, [*delivery, *own]))
        group = None
        if len(variants) > 1:
            group = len(groups)
            groups.append(pyvrp.ClientGroup(required=required))
        for early, late, load in variants:
            if group is not None:
                groups[group].add_client(len(clients))
            clients.append(
                pyvrp.Client(
                    location=location[instance.job_point(j)],
                    delivery=load,
                    service_duration=job.service_s,
                    tw_early=early,
                    tw_late=late,
                    prize=prize,
                    required=required and group is None,
                    group=group,
                    name=job.id,
                )
            )
            client_job.append(j)

    profile_of, allowed_sets = _profiles(instance, jobs)
    used_profiles = sorted({profile_of[t] for t in techs})
    profile_index = {p: i for i, p in enumerate(used_profiles)}
    job_set = list(jobs)
    cost_matrices: list[Any] = []
    duration_matrices: list[Any] = []
    for p in used_profiles:
        forbidden = [
            location[instance.job_point(j)] for j in job_set if j not in allowed_sets[p]
        ]
        cost_matrices.append(_masked(cost, forbidden))
        duration_matrices.append(_masked(duration, forbidden))

    vehicle_types = []
    for k, t in enumerate(techs):
        info = instance.technicians[t]
        rule = tech_rule[t]
        # The clock without the break ends the break's length before the
        # shift does (and then the break must come out somewhere in the day).
        reserve = rule.duration_s if rule is not None else 0
        capacity = [
            len(job_set) if info.max_jobs is None else info.max_jobs,
            *(info.capacity.get(item, 0) for item in items),
            *(len(job_set) if rule == r else 0 for r in rules[:extra]),
        ]
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=1,
                capacity=capacity,
                start_depot=k,
                end_depot=len(techs) + k,
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
    return Compiled(
        data,
        tuple(client_job),
        tuple(techs),
        tuple(tech_rule[t] for t in techs),
        _neighbour_hints(instance, matrix, client_job, techs),
        _pinned(instance, client_job, techs),
        location,
    )


def decode(
    instance: Instance, compiled: Compiled, solution: pyvrp.Solution
) -> list[RouteInput]:
    """PyVRP routes back to fieldroute routes: technician, ordered jobs, and
    the break's gap on the clock without the break (the stops that start
    before the break's earliest start come before it)."""
    routes = []
    for route in solution.routes():
        tech = compiled.vehicle_tech[route.vehicle_type()]
        rule = compiled.vehicle_rule[route.vehicle_type()]
        jobs: list[int] = []
        gap = 0
        for visit in route.schedule():
            if not visit.is_client():
                continue
            jobs.append(compiled.client_job[visit.idx])
            if rule is not None and visit.start_time < rule.earliest_s:
                gap = len(jobs)
        if jobs:
            routes.append(
                RouteInput(tech, tuple(jobs), gap if rule is not None else None)
            )
    return routes


def _clock_rule(
    instance: Instance, tech: int, break_from: Mapping[int, int] | None
) -> BreakRule | None:
    """`tech`'s break rule on the clock without the break: the break starts at
    the first free moment from its earliest start, or from `break_from[tech]`
    (kept inside the break's window)."""
    rule = instance.technicians[tech].break_rule
    if rule is None or break_from is None or tech not in break_from:
        return rule
    start_s = min(max(break_from[tech], rule.earliest_s), rule.latest_start_s)
    return replace(rule, earliest_s=start_s)


def _distinct(rules: Sequence[BreakRule | None]) -> list[BreakRule | None]:
    """The distinct rules in first-seen order."""
    out: list[BreakRule | None] = []
    for rule in rules:
        if rule not in out:
            out.append(rule)
    return out


def _windows_without_break(
    windows: Sequence[tuple[int, int]], service_s: int, rule: BreakRule | None
) -> list[tuple[int, int]]:
    """A job's windows on its technician's clock without the break.

    On that clock the break starts at the first free moment from its earliest
    start: a service starting before then is on real time (and must end by
    the break's latest start, or the break would start too late); one
    starting after runs the break's length later in real time.
    """
    if rule is None:
        return list(windows)
    pieces = []
    for early, late in windows:
        before_late = min(late, rule.earliest_s - 1, rule.latest_start_s - service_s)
        if early <= before_late:
            pieces.append((early, before_late))
        after_early = max(early - rule.duration_s, rule.earliest_s)
        if after_early <= late - rule.duration_s:
            pieces.append((after_early, late - rule.duration_s))
    merged: list[tuple[int, int]] = []
    for early, late in sorted(pieces):
        if merged and early <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], late))
        else:
            merged.append((early, late))
    return merged


def _warm_start(
    data: pyvrp.ProblemData,
    client_job: Sequence[int],
    routes: Sequence[RouteInput],
    break_sites: Mapping[int, Mapping[int, int]] | None = None,
) -> pyvrp.Solution:
    """`routes` as a PyVRP solution of `data`.

    A job with several clients (one per window) gets the one that keeps the
    route on time, chosen stop by stop (a job with none is left out); with
    `break_sites` (technician -> PyVRP location -> break client) the break
    goes where the route is most on time.
    A warm start that is late where the plan was not sends the search off
    from a worse place than the plan it was given.
    """
    clients_of = _clients_by_job(client_job)
    out = []
    for k, r in enumerate(routes):
        if not r.jobs:
            continue
        visits: list[int] = []
        for j in r.jobs:
            # No client: the job has no window on this clock; it stays out.
            options = [[*visits, c] for c in clients_of.get(j, ())]
            if options:
                visits = min(options, key=lambda v: _lateness(data, v, k))
        sites = (break_sites or {}).get(r.tech)
        if sites:
            vehicle = data.vehicle_type(k)
            # The break before stop `gap`: where the previous stop (or home)
            # is, or on arrival where that stop is (or at the end place).
            places = [
                data.depot(vehicle.start_depot).location,
                *(data.client(v).location for v in visits),
                data.depot(vehicle.end_depot).location,
            ]
            options = [
                [*visits[:gap], sites[place], *visits[gap:]]
                for gap in range(len(visits) + 1)
                for place in {places[gap], places[gap + 1]}
                if place in sites
            ]
            if options:
                visits = min(options, key=lambda v: _lateness(data, v, k))
        if visits:
            out.append(pyvrp.Route(data, visits, k))
    return pyvrp.Solution(data, out)


def _lateness(
    data: pyvrp.ProblemData, visits: list[int], vehicle: int
) -> tuple[int, int]:
    """How late `visits` run on `vehicle` (PyVRP's time warp), then how long."""
    route = pyvrp.Route(data, visits, vehicle)
    return route.time_warp(), route.duration()


def _exact_breaks(
    instance: Instance,
    matrix: TravelMatrix,
    routes: Sequence[RouteInput],
    params: SolveParams,
    limit_s: float,
    *,
    stall_iterations: int | None = 1000,
) -> list[RouteInput] | None:
    """Re-solve a few technicians' routes together with exact breaks.

    Each technician's break becomes a required group of clients "break at the
    site of job j" (and at its start and end places), each with the break as
    service time and the break window as its time window, so PyVRP sequences
    jobs and breaks together; the clients of one technician's break carry a
    unit of load in a dimension only that technician has room for. Jobs may
    move between these routes or be dropped (the pipeline's repair offers them
    elsewhere). Warm-started from `routes`. Returns None if nothing feasible
    was found.
    """
    techs = [r.tech for r in routes]
    jobs = sorted({j for r in routes for j in r.jobs})
    base = compile_pyvrp(instance, matrix, jobs, techs=techs, break_clock=False)
    data = base.data
    with_break = [t for t in techs if instance.technicians[t].break_rule is not None]
    extra = len(with_break)
    clients = [
        pyvrp.Client(
            location=c.location,
            delivery=[*c.delivery, *([0] * extra)],
            service_duration=c.service_duration,
            tw_early=c.tw_early,
            tw_late=c.tw_late,
            prize=c.prize,
            required=False,
            group=c.group,
            name=c.name,
        )
        for c in data.clients()
    ]
    first_break = len(clients)
    groups = list(data.groups())
    break_of_client: dict[int, int] = {}
    for dim, tech in enumerate(with_break):
        rule = instance.technicians[tech].break_rule
        assert rule is not None
        candidates: Sequence[int] = jobs
        sites = {
            instance.job_point(j) for j in candidates if instance.eligible[tech, j]
        }
        sites |= {instance.start_point(tech), instance.end_point(tech)}
        group = pyvrp.ClientGroup(required=True)
        delivery = [0] * (data.num_load_dimensions + extra)
        delivery[data.num_load_dimensions + dim] = 1
        for site in sorted(sites):
            group.add_client(len(clients))
            break_of_client[len(clients)] = tech
            clients.append(
                pyvrp.Client(
                    location=base.location[site],
                    delivery=delivery,
                    service_duration=rule.duration_s,
                    tw_early=rule.earliest_s,
                    tw_late=rule.latest_start_s,
                    required=False,
                    group=len(groups),
                    name=f"break {instance.technicians[tech].id}",
                )
            )
        groups.append(group)
    vehicles = []
    for k, tech in enumerate(techs):
        vt = data.vehicle_type(k)
        own = [1 if t == tech else 0 for t in with_break]
        info = instance.technicians[tech]
        rule = info.break_rule
        vehicles.append(
            vt.replace(
                capacity=[*vt.capacity, *own],
                tw_late=info.shift_end_s,
                # The break is a visit here, so part of the route's duration.
                shift_duration=vt.shift_duration
                + (rule.duration_s if rule is not None and info.max_work_s else 0),
            )
        )
    data = data.replace(clients=clients, groups=groups, vehicle_types=vehicles)
    break_sites: dict[int, dict[int, int]] = {}
    for client, tech in break_of_client.items():
        break_sites.setdefault(tech, {})[clients[client].location] = client
    warm = _warm_start(data, base.client_job, routes, break_sites)
    quick = SolveParams(
        time_limit_s=limit_s,
        seed=params.seed,
        stall_iterations=stall_iterations,
        cancel=params.cancel,
        progress=params.progress,
    )
    result = _run(data, _Stop(quick), params.seed, warm)
    if not result.best.is_feasible():
        return None
    out = []
    for route in result.best.routes():
        tech = techs[route.vehicle_type()]
        visits: list[int] = []
        gap: int | None = None
        for activity in route.schedule():
            if not activity.is_client():
                continue
            if activity.idx >= first_break:
                gap = len(visits)
            else:
                visits.append(base.client_job[activity.idx])
        out.append(RouteInput(tech, tuple(visits), gap if visits else None))
    return out


def _rescue(
    instance: Instance,
    matrix: TravelMatrix,
    routes: Sequence[RouteInput],
    job: int,
    params: SolveParams,
    limit_s: float,
    keep: Collection[int] = (),
) -> list[RouteInput] | None:
    """Re-plan `routes` together with mandatory `job`, which must be visited
    (and so must the jobs in `keep`).

    The main search leaves a mandatory job out when making room for it takes
    several moves at once (a pinned job in a full day: other jobs must go to
    neighbours first); a small search on the routes around it finds those.
    """
    techs = [r.tech for r in routes]
    jobs = sorted({j for r in routes for j in r.jobs} | {job})
    compiled = compile_pyvrp(
        instance, matrix, jobs, techs=techs, required_jobs={job, *keep}
    )
    data = compiled.data
    quick = SolveParams(time_limit_s=limit_s, seed=params.seed, cancel=params.cancel)
    warm = _warm_start(data, compiled.client_job, routes)
    result = _run(data, _Stop(quick), params.seed, warm, compiled.hints)
    if not result.best.is_feasible():
        return None
    return decode(instance, compiled, result.best)


def _rescue_group(
    evaluator: Evaluator, by_tech: dict[int, RouteInput], job: int
) -> list[RouteInput]:
    """The routes re-planned to make room for `job`: the two eligible
    technicians whose days pass nearest to it, and the three routes nearest to
    the first of them (where its other jobs can go)."""
    instance = evaluator.instance
    group = [
        by_tech.get(t, RouteInput(t, ()))
        for t in nearest_techs(evaluator, by_tech, job, 2)
    ]
    if group and group[0].jobs:
        for near in _nearest_routes(instance, list(by_tech.values()), group[0], 3):
            if all(near.tech != r.tech for r in group):
                group.append(near)
    return group


def _loss(
    evaluator: Evaluator, before: Sequence[RouteInput], after: Sequence[RouteInput]
) -> tuple[float, float, float]:
    """(mandatory jobs dropped, optional value dropped, cost) of a fix."""
    instance = evaluator.instance
    kept = {j for r in after for j in r.jobs}
    dropped = [j for r in before for j in r.jobs if j not in kept]
    mandatory = sum(1 for j in dropped if not instance.jobs[j].optional)
    value = sum(instance.jobs[j].value for j in dropped if instance.jobs[j].optional)
    cost = sum(
        evaluator.route_cost(evaluator.route(r.tech, r.jobs, r.break_gap))
        for r in after
    )
    return float(mandatory), value, cost


def _nearest_routes(
    instance: Instance, routes: Sequence[RouteInput], of: RouteInput, count: int
) -> list[RouteInput]:
    """The `count` routes whose jobs' centre is nearest to `of`'s."""

    def centre(route: RouteInput) -> np.ndarray:
        points = [instance.job_point(j) for j in route.jobs]
        return np.asarray(instance.points[points].mean(axis=0))

    mine = centre(of)
    others = [r for r in routes if r.tech != of.tech and r.jobs]
    others.sort(key=lambda r: float(np.sum((centre(r) - mine) ** 2)))
    return others[:count]


def _break_clocks(
    instance: Instance, jobs: Sequence[int]
) -> list[Mapping[int, int] | None]:
    """The break clocks the main search tries (`compile_pyvrp`'s `break_from`).

    Taking the break at the first free moment from its earliest start is one
    choice; from an hour later (within its window) suits days whose waiting
    comes after noon. Neither wins on every day (measured on generated days:
    each was best on about half), so on days small enough for PyVRP to settle
    in half the time both are searched and the better kept.
    """
    if len(jobs) > TWO_CLOCKS_MAX_JOBS:
        return [None]
    later = {
        t.index: t.break_rule.earliest_s + LATER_BREAK_S
        for t in instance.technicians
        if t.break_rule is not None
    }
    return [None, later] if later else [None]


def _mixed_clock(evaluator: Evaluator, routes: Sequence[RouteInput]) -> dict[int, int]:
    """`compile_pyvrp`'s `break_from` that puts each technician of `routes`
    on the later clock when the evaluator takes their route's break at least
    `LATER_BREAK_S` after its earliest start, else on the first.

    One clock for all fits some routes and not others (a plan that needs
    lunch at 11:00 for one technician and at 12:30 for another is on
    neither); searching on each technician's own clock from the better plan
    reaches such plans. Measured on the 6 generated days of 50-100 jobs, 3
    seeds each: lower cost on average on every day, best of the three
    engines in 13 of 18 runs against 11 without this phase.
    """
    out: dict[int, int] = {}
    for r in routes:
        rule = evaluator.instance.technicians[r.tech].break_rule
        if rule is None:
            continue
        schedule = evaluator.route(r.tech, r.jobs)
        if schedule.break_ is not None and (
            schedule.break_.start_s >= rule.earliest_s + LATER_BREAK_S
        ):
            out[r.tech] = rule.earliest_s + LATER_BREAK_S
    return out


def _warm_start_all(compiled: Compiled, routes: Sequence[RouteInput]) -> pyvrp.Solution:
    """`_warm_start` of `routes` on a compile over every technician."""
    by_tech = {r.tech: r for r in routes}
    return _warm_start(
        compiled.data,
        compiled.client_job,
        [by_tech.get(t, RouteInput(t, ())) for t in compiled.vehicle_tech],
    )


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
        evaluator = Evaluator(instance, matrix)
        # The main search gets most of the time; the rest is for break fixes
        # and the pipeline's repair and evaluation, so the whole solve keeps
        # to the caller's limit.
        main_end = started + MAIN_SHARE * params.time_limit_s
        clocks = _break_clocks(instance, jobs)
        # With two clocks, a third phase puts each technician on the clock
        # that suits their route in the better plan (`_mixed_clock`).
        phases = len(clocks) + (1 if len(clocks) > 1 else 0)
        chosen: tuple[tuple[int, int, float], Compiled, pyvrp.Result] | None = None
        for done in range(phases):
            warm: list[RouteInput] | None = None
            if done < len(clocks):
                break_from = clocks[done]
            else:
                assert chosen is not None
                warm = decode(instance, chosen[1], chosen[2].best)
                break_from = _mixed_clock(evaluator, warm)
            compiled = compile_pyvrp(instance, matrix, jobs, break_from=break_from)
            until = main_end - (main_end - time.perf_counter()) * (
                1 - 1 / (phases - done)
            )
            result = _run(
                compiled.data,
                _Stop(params, _left(until)),
                params.seed,
                None if warm is None else _warm_start_all(compiled, warm),
                hints=compiled.hints,
                anchors=None if len(jobs) <= RANDOM_START_MAX_JOBS else compiled.pinned,
            )
            rank = (0, 0, 0.0)
            if phases > 1:  # a 1,000-job evaluation takes 0.5 s
                evaluation = evaluator.plan(decode(instance, compiled, result.best))
                rank = (
                    evaluation.kpis.mandatory_unassigned,
                    len(evaluation.violations),
                    evaluation.kpis.cost,
                )
            if chosen is None or rank < chosen[0]:
                chosen = (rank, compiled, result)
        assert chosen is not None
        _, compiled, result = chosen
        rescue_end = started + (MAIN_SHARE + RESCUE_SHARE) * params.time_limit_s
        routes = decode(instance, compiled, result.best)
        if not _dropped_mandatory(instance, routes, jobs):
            # Nothing to bring back: the rescue's time goes to the search.
            result = _run(
                compiled.data,
                _Stop(params, _left(rescue_end)),
                params.seed,
                result.best,
                compiled.hints,
            )
            routes = decode(instance, compiled, result.best)
        by_tech = {r.tech: r for r in routes}
        self._rescue_dropped(evaluator, by_tech, jobs, params, until=rescue_end)
        routes = list(by_tech.values())
        broken = [
            r.tech
            for r in routes
            if instance.technicians[r.tech].break_rule is not None
            and not evaluator.route(r.tech, r.jobs, r.break_gap).feasible
            and not evaluator.route(r.tech, r.jobs).feasible
        ]
        budget_s = params.time_limit_s * FIX_SHARE
        # Past this point a broken route is left to the pipeline's repair.
        fixes_end = started + params.time_limit_s * (
            MAIN_SHARE + RESCUE_SHARE + FIX_SHARE
        )
        for tech in broken:
            if time.perf_counter() > fixes_end:
                break
            route = by_tech[tech]
            if evaluator.route(tech, route.jobs, route.break_gap).feasible:
                continue  # fixed along with a neighbour
            limit_s = max(0.05, min(1.0, budget_s / len(broken)))
            # First the route alone; if that drops a job, let two neighbouring
            # routes share the work, and keep whichever loses least.
            best: tuple[tuple[float, ...], list[RouteInput], list[RouteInput]] | None
            best = None
            for neighbours in (0, 2):
                group = [
                    route,
                    *_nearest_routes(
                        instance, list(by_tech.values()), route, neighbours
                    ),
                ]
                better = _exact_breaks(instance, matrix, group, params, limit_s / 2)
                if better is None or not all(
                    evaluator.route(r.tech, r.jobs, r.break_gap).feasible
                    for r in better
                ):
                    continue
                score = _loss(evaluator, group, better)
                if best is None or score < best[0]:
                    best = (score, group, better)
                if score[0] == 0 and score[1] == 0:
                    break
            if best is not None:
                for r in best[1]:
                    by_tech.pop(r.tech)
                by_tech.update({r.tech: r for r in best[2] if r.jobs})
        fixed = sorted(by_tech.values(), key=lambda r: r.tech)
        return EngineResult(
            routes=tuple(fixed),
            stats={
                "iterations": float(result.num_iterations),
                "engine_s": time.perf_counter() - started,
                "feasible": float(result.best.is_feasible()),
            },
        )

    @staticmethod
    def _rescue_dropped(
        evaluator: Evaluator,
        by_tech: dict[int, RouteInput],
        jobs: Sequence[int],
        params: SolveParams,
        *,
        until: float,
    ) -> None:
        """Give each mandatory job the main search left out a small search
        of its own (`_rescue`); keep the result only when every route stays
        feasible and no other mandatory job is dropped."""
        instance = evaluator.instance
        planned = {j for r in by_tech.values() for j in r.jobs}
        dropped = [
            j for j in jobs if j not in planned and not instance.jobs[j].optional
        ]
        for done, job in enumerate(dropped):
            left = until - time.perf_counter()
            if left < 0.05:
                break
            group = _rescue_group(evaluator, by_tech, job)
            if not group:
                continue
            limit_s = min(RESCUE_S, max(0.05, left / (len(dropped) - done)))
            checked = _rescued(evaluator, group, job, params, limit_s)
            if checked is None:
                continue
            kept = {j for r in checked for j in r.jobs}
            lost = [j for r in group for j in r.jobs if j not in kept]
            if lost and until - time.perf_counter() > limit_s:
                # Room was made by leaving optional jobs out: look once more
                # for room that keeps them (their value is part of the cost).
                keeping = _rescued(evaluator, group, job, params, limit_s, lost)
                # Route costs count the value of optional jobs done.
                if (
                    keeping is not None
                    and _loss(evaluator, group, keeping)[2]
                    < _loss(evaluator, group, checked)[2]
                ):
                    checked = keeping
            for r in group:
                by_tech.pop(r.tech, None)
            by_tech.update({r.tech: r for r in checked if r.jobs})


def _rescued(
    evaluator: Evaluator,
    group: Sequence[RouteInput],
    job: int,
    params: SolveParams,
    limit_s: float,
    keep: Collection[int] = (),
) -> list[RouteInput] | None:
    """`_rescue`'s routes if they plan `job`, are all feasible by the
    evaluator and leave no other mandatory job out; else None."""
    better = _rescue(
        evaluator.instance, evaluator.matrix, group, job, params, limit_s, keep
    )
    if better is None or all(job not in r.jobs for r in better):
        return None
    if _loss(evaluator, group, better)[0] > 0:
        return None  # made room by leaving out another mandatory job
    checked = [_feasible(evaluator, r) for r in better]
    routes = [r for r in checked if r is not None]
    return routes if len(routes) == len(checked) else None


def _left(until: float) -> float:
    """Seconds to `until`, never negative (compiling can eat a share)."""
    return max(0.0, until - time.perf_counter())


def _dropped_mandatory(
    instance: Instance, routes: Iterable[RouteInput], jobs: Sequence[int]
) -> list[int]:
    """Mandatory jobs among `jobs` that no route visits."""
    planned = {j for r in routes for j in r.jobs}
    return [j for j in jobs if j not in planned and not instance.jobs[j].optional]


def _feasible(evaluator: Evaluator, route: RouteInput) -> RouteInput | None:
    """`route` if the evaluator finds it feasible (with its break gap, or
    with the break placed anew), else None."""
    if evaluator.route(route.tech, route.jobs, route.break_gap).feasible:
        return route
    if evaluator.route(route.tech, route.jobs).feasible:
        return RouteInput(route.tech, route.jobs)
    return None
