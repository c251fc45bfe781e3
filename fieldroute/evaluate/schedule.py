"""The evaluator: the one place that computes times, costs and violations.

Given an `Instance`, a `TravelMatrix` and routes (ordered job indices per
technician), `Evaluator` computes each route's schedule and every broken rule.
Engines, the solve pipeline, the API, KPIs and tests all call it; nothing else
computes an arrival time.

Schedule rules
--------------
* A technician leaves the start place no earlier than the shift start. Three
  departures are tried: the shift start, just in time for the first service,
  and the latest one that keeps the day's end (least idle time); the best day
  wins (fewest violations, then earliest return, then least work).
* Each leg's travel time is asked of the matrix with the leg's actual
  departure time (`TravelMatrix.travel_s`), so time-dependent travel is exact.
* Service starts at arrival, or at the opening of the earliest of the job's
  windows that is still open on arrival; arriving after every window closes
  is "late" by the difference to the last window's end.
* The break (if the technician has one and the day overlaps its window) is
  placed in one gap between consecutive places (start, jobs, end). Inside a
  gap the technician may drive, pause and wait in any order, so the break may
  start at any moment between leaving the previous place and starting the
  next service: it starts at ``min(max(arrival, earliest), latest_start)`` and
  never before leaving. If the caller names no gap, every gap is tried and
  the best day is kept (fewest violations, then earliest return).
* Work time is return minus departure minus the break; waiting counts as work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fieldroute.evaluate.violations import Violation
from fieldroute.model.eligibility import ineligibility
from fieldroute.model.instance import Instance, TechnicianData
from fieldroute.travel.matrix import UNREACHABLE, TravelMatrix


@dataclass(frozen=True, slots=True)
class RouteInput:
    """What an engine or a person proposes for one technician."""

    tech: int
    jobs: tuple[int, ...]
    break_gap: int | None = None  # break before stop `break_gap` (len = before return)


@dataclass(frozen=True, slots=True)
class StopSchedule:
    job: int
    travel_s: int  # driving time of the leg into this stop
    distance_m: int
    arrival_s: int
    wait_s: int  # idle time between arrival (and break) and service start
    start_s: int
    end_s: int
    window: int | None  # index of the window used, None if the job has none
    late_s: int


@dataclass(frozen=True, slots=True)
class BreakSchedule:
    start_s: int
    end_s: int
    gap: int  # taken before stop `gap`; len(stops) means before the return
    at_destination: bool  # taken on arrival (True) or on the way / before leaving


@dataclass(frozen=True, slots=True)
class RouteSchedule:
    """One technician's day, to the second."""

    tech: int
    stops: tuple[StopSchedule, ...]
    departure_s: int
    return_s: int
    return_travel_s: int
    return_distance_m: int
    break_: BreakSchedule | None
    drive_s: int
    distance_m: int
    service_s: int
    wait_s: int
    work_s: int
    overtime_s: int
    value: float
    violations: tuple[Violation, ...]

    @property
    def jobs(self) -> tuple[int, ...]:
        return tuple(stop.job for stop in self.stops)

    @property
    def is_used(self) -> bool:
        return bool(self.stops)

    @property
    def feasible(self) -> bool:
        return not self.violations


@dataclass(frozen=True, slots=True)
class Kpis:
    """Totals over a plan, in seconds, metres and value units."""

    technicians_used: int
    jobs_done: int
    jobs_unassigned: int
    mandatory_unassigned: int
    drive_s: int
    distance_m: int
    service_s: int
    wait_s: int
    work_s: int
    overtime_s: int
    late_stops: int
    on_time_rate: float
    value: float
    value_per_field_hour: float
    cost: float
    violations: int


@dataclass(frozen=True)
class Evaluation:
    """Every route's schedule, the jobs left out, every violation, the KPIs."""

    routes: tuple[RouteSchedule, ...]
    unassigned: tuple[int, ...]
    violations: tuple[Violation, ...]
    kpis: Kpis
    by_tech: dict[int, RouteSchedule] = field(repr=False)

    @property
    def feasible(self) -> bool:
        return not self.violations


def _score(violations: Sequence[Violation]) -> tuple[int, int]:
    return len(violations), sum(v.amount for v in violations)


class Evaluator:
    """Evaluates routes of one instance on one matrix; cheap to call often."""

    def __init__(self, instance: Instance, matrix: TravelMatrix) -> None:
        if matrix.size != len(instance.points):
            msg = (
                f"matrix has {matrix.size} points, the problem has "
                f"{len(instance.points)}."
            )
            raise ValueError(msg)
        self.instance = instance
        self.matrix = matrix
        self._static = type(matrix).travel_s is TravelMatrix.travel_s
        # Python lists index ~10x faster than numpy scalars on this hot path.
        self._dur: list[list[int]] = matrix.duration_s.tolist() if self._static else []
        self._dist: list[list[int]] = matrix.distance_m.tolist()
        self._eligible: list[list[bool]] = instance.eligible.tolist()
        objective = instance.problem.objective
        self._per_drive_s = objective.drive_time_per_hour / 3600
        self._per_m = objective.distance_per_km / 1000
        self._value_weight = objective.value_weight

    # -- legs ----------------------------------------------------------------

    def travel_s(self, origin: int, destination: int, depart_s: int) -> int:
        if self._static:
            return self._dur[origin][destination]
        return self.matrix.travel_s(origin, destination, depart_s)

    # -- one route -----------------------------------------------------------

    def route(
        self, tech: int, jobs: Sequence[int], break_gap: int | None = None
    ) -> RouteSchedule:
        """The best schedule of `jobs` in this order for technician `tech`."""
        info = self.instance.technicians[tech]
        jobs = tuple(jobs)
        if not jobs:
            return self._schedule(info, jobs, info.shift_start_s, None)

        first = self._schedule(info, jobs, info.shift_start_s, None)
        # Candidates: the shift start, just in time for the first service, and
        # the latest departure that keeps the return time (least idle time).
        latest = self._latest_departure(info, first)
        lead = first.stops[0].start_s - first.stops[0].travel_s
        departures = sorted(
            {info.shift_start_s, max(info.shift_start_s, min(lead, latest)), latest}
        )
        plains = [
            first if d == info.shift_start_s else self._schedule(info, jobs, d, None)
            for d in departures
        ]
        rule = info.break_rule
        candidates: list[RouteSchedule] = []
        pending: list[RouteSchedule] = []  # plain days that need a break
        for plain in plains:
            needs_break = (
                rule is not None
                and plain.departure_s < rule.latest_end_s
                and plain.return_s > rule.earliest_s
            )
            (pending if needs_break else candidates).append(plain)
        if pending and rule is not None:
            if break_gap is not None:
                candidates.extend(
                    self._schedule(info, jobs, p.departure_s, break_gap)
                    for p in pending
                )
            else:
                tried = [
                    self._schedule(info, jobs, p.departure_s, gap)
                    for p in pending
                    for gap in _likely_gaps(p, rule.earliest_s, rule.latest_start_s)
                ]
                if not any(r.feasible for r in tried):
                    # The likely gaps failed: try every gap before giving up.
                    tried = [
                        self._schedule(info, jobs, p.departure_s, gap)
                        for p in pending
                        for gap in range(len(jobs) + 1)
                    ]
                candidates.extend(tried)
        over_cap = [
            r
            for r in candidates
            if r.break_ is not None
            and any(v.kind == "max_work_exceeded" for v in r.violations)
        ]
        if over_cap:
            candidates.append(self._leave_later(info, jobs, min(over_cap, key=_rank)))
        return min(candidates, key=_rank)

    def _leave_later(
        self, info: TechnicianData, jobs: tuple[int, ...], day: RouteSchedule
    ) -> RouteSchedule:
        """`day` left as late as keeps its return time (less work time).

        The latest departure is found on the day without its break; a break
        that absorbs waiting can leave more room than that, which matters
        only against a work-time cap. The return time never falls as the
        departure gets later, so a binary search finds it.
        """
        gap = day.break_.gap if day.break_ is not None else None
        lo, hi = day.departure_s, max(day.departure_s, info.shift_end_s)
        best = day
        while lo < hi:
            mid = (lo + hi + 1) // 2
            trial = self._schedule(info, jobs, mid, gap)
            if trial.return_s <= day.return_s:
                lo, best = mid, trial
            else:
                hi = mid - 1
        return best

    def is_surely_infeasible(self, tech: int, jobs: Sequence[int]) -> bool:
        """True if `jobs` in this order cannot work for `tech` whatever the
        break placement: quick rejection for insertion searches.

        Sound because leaving at the shift start without a break is the
        earliest this day can run: if it is already late, over the shift,
        over the job cap or out of stock, every other schedule is too.
        """
        info = self.instance.technicians[tech]
        if info.max_jobs is not None and len(jobs) > info.max_jobs:
            return True
        plain = self._schedule(info, tuple(jobs), info.shift_start_s, None)
        return any(v.kind != "max_work_exceeded" for v in plain.violations)

    def _latest_departure(self, info: TechnicianData, forward: RouteSchedule) -> int:
        """Latest departure that keeps every service start of `forward` feasible
        and the return time unchanged: idle time before the first job is cut."""
        jobs = self.instance.jobs
        latest = forward.return_s
        stops = forward.stops
        nxt_point = self.instance.end_point(info.index)
        for stop in reversed(stops):
            point = self.instance.job_point(stop.job)
            job = jobs[stop.job]
            leg = self.travel_s(point, nxt_point, stop.end_s)
            latest = latest - leg - job.service_s
            if stop.window is not None:
                latest = min(latest, job.windows[stop.window][1])
            latest = max(latest, stop.start_s)  # a late stop cannot get later
            nxt_point = point
        lead = self.travel_s(
            self.instance.start_point(info.index), nxt_point, forward.departure_s
        )
        return max(info.shift_start_s, latest - lead)

    def _schedule(
        self,
        info: TechnicianData,
        jobs: tuple[int, ...],
        departure_s: int,
        break_gap: int | None,
    ) -> RouteSchedule:
        inst = self.instance
        rule = info.break_rule
        tech_id = info.id
        eligible = self._eligible[info.index]
        violations: list[Violation] = []
        stops: list[StopSchedule] = []
        brk: BreakSchedule | None = None
        t = departure_s
        here = inst.start_point(info.index)
        drive = dist = service = 0
        value = 0.0
        n = len(jobs)
        for k in range(n + 1):
            is_return = k == n
            if is_return:
                there = inst.end_point(info.index)
            else:
                job = inst.jobs[jobs[k]]
                there = inst.job_point(job.index)
            leg = self.travel_s(here, there, t)
            if leg >= UNREACHABLE:
                violations.append(
                    Violation(
                        "unreachable",
                        tech_id,
                        None if is_return else job.id,
                        0,
                        f"no road from the previous place to "
                        f"{'the end place' if is_return else 'job ' + job.id}",
                    )
                )
                leg = 0
            leg_m = self._dist[here][there] if leg else 0
            drive += leg
            dist += leg_m
            arrival = t + leg
            ready = arrival
            if break_gap == k and rule is not None:
                b_start = min(max(arrival, rule.earliest_s), rule.latest_start_s)
                b_start = max(b_start, t)
                at_destination = b_start >= arrival
                if not at_destination:
                    arrival += rule.duration_s  # the pause happened on the way
                ready = max(arrival, b_start + rule.duration_s)
                brk = BreakSchedule(
                    b_start, b_start + rule.duration_s, k, at_destination
                )
                if b_start + rule.duration_s > rule.latest_end_s:
                    late = b_start + rule.duration_s - rule.latest_end_s
                    violations.append(
                        Violation(
                            "break_not_placed",
                            tech_id,
                            None,
                            late,
                            f"break ends {late // 60} min after its window",
                        )
                    )
            if is_return:
                t = ready
                return_travel, return_m = leg, leg_m
                break
            start, window, late = ready, None, 0
            if job.windows:
                window = next(
                    (w for w, (_, end) in enumerate(job.windows) if end >= ready),
                    None,
                )
                if window is None:
                    window = len(job.windows) - 1
                    late = ready - job.windows[window][1]
                    violations.append(
                        Violation(
                            "late",
                            tech_id,
                            job.id,
                            late,
                            f"late at job {job.id} by {_min_s(late)}",
                        )
                    )
                else:
                    start = max(ready, job.windows[window][0])
            end = start + job.service_s
            service += job.service_s
            value += job.value
            stops.append(
                StopSchedule(
                    job=job.index,
                    travel_s=leg,
                    distance_m=leg_m,
                    arrival_s=arrival,
                    wait_s=start - ready,
                    start_s=start,
                    end_s=end,
                    window=window,
                    late_s=late,
                )
            )
            if not eligible[job.index]:
                for breach in ineligibility(info, job):
                    if breach.kind != "stock_exceeded":  # checked on the route
                        violations.append(
                            Violation(breach.kind, tech_id, job.id, 0, breach.detail)
                        )
            t = end
            here = there

        return_s = t
        break_s = rule.duration_s if brk is not None and rule is not None else 0
        work = return_s - departure_s - break_s if jobs else 0
        overtime = max(0, return_s - info.shift_end_s) if jobs else 0
        if overtime:
            violations.append(
                Violation(
                    "shift_end_exceeded",
                    tech_id,
                    None,
                    overtime,
                    f"back {_min_s(overtime)} after the shift ends",
                )
            )
        if info.max_work_s is not None and work > info.max_work_s:
            over = work - info.max_work_s
            violations.append(
                Violation(
                    "max_work_exceeded",
                    tech_id,
                    None,
                    over,
                    f"works {_min_s(over)} over the cap of {info.max_work_s // 60} min",
                )
            )
        if info.max_jobs is not None and n > info.max_jobs:
            violations.append(
                Violation(
                    "max_jobs_exceeded",
                    tech_id,
                    None,
                    n - info.max_jobs,
                    f"{n} jobs, cap is {info.max_jobs}",
                )
            )
        if jobs:
            used: dict[str, int] = {}
            for j in jobs:
                for item, need in inst.jobs[j].demand.items():
                    used[item] = used.get(item, 0) + need
            for item, need in sorted(used.items()):
                have = info.capacity.get(item, 0)
                if need > have:
                    violations.append(
                        Violation(
                            "stock_exceeded",
                            tech_id,
                            None,
                            need - have,
                            f"needs {need} {item}, carries {have}",
                        )
                    )
        if (
            rule is not None
            and brk is None
            and jobs
            and departure_s < rule.latest_end_s
            and return_s > rule.earliest_s
            and break_gap is not None
        ):
            violations.append(
                Violation(
                    "break_not_placed", tech_id, None, rule.duration_s, "no break"
                )
            )
        return RouteSchedule(
            tech=info.index,
            stops=tuple(stops),
            departure_s=departure_s,
            return_s=return_s,
            return_travel_s=return_travel,
            return_distance_m=return_m,
            break_=brk,
            drive_s=drive if jobs else 0,
            distance_m=dist if jobs else 0,
            service_s=service,
            wait_s=max(0, work - drive - service) if jobs else 0,
            work_s=work,
            overtime_s=overtime,
            value=value,
            violations=tuple(violations),
        )

    # -- whole plans ---------------------------------------------------------

    def route_cost(self, schedule: RouteSchedule) -> float:
        """Objective contribution of one route (value units; lower is better)."""
        info = self.instance.technicians[schedule.tech]
        return (
            schedule.drive_s * self._per_drive_s
            + schedule.distance_m * self._per_m
            + schedule.work_s / 3600 * info.cost_per_hour
            - schedule.value * self._value_weight
        )

    def plan(self, routes: Iterable[RouteInput]) -> Evaluation:
        """Evaluate a whole plan: every technician, every job, every rule."""
        inst = self.instance
        given: dict[int, RouteInput] = {}
        violations: list[Violation] = []
        seen: set[int] = set()
        for route in routes:
            if route.tech in given:
                violations.append(
                    Violation(
                        "duplicate_route",
                        inst.technicians[route.tech].id,
                        None,
                        0,
                        "technician has two routes",
                    )
                )
                continue
            given[route.tech] = route
            for j in route.jobs:
                if j in seen:
                    violations.append(
                        Violation(
                            "duplicate_job",
                            inst.technicians[route.tech].id,
                            inst.jobs[j].id,
                            0,
                            f"job {inst.jobs[j].id} is in the plan twice",
                        )
                    )
                seen.add(j)
        schedules = []
        for t in range(inst.num_techs):
            spec = given.get(t)
            schedules.append(
                self.route(t, spec.jobs, spec.break_gap) if spec else self.route(t, ())
            )
            violations.extend(schedules[-1].violations)
        unassigned = tuple(j for j in range(inst.num_jobs) if j not in seen)
        return Evaluation(
            routes=tuple(schedules),
            unassigned=unassigned,
            violations=tuple(violations),
            kpis=self._kpis(schedules, unassigned, len(violations)),
            by_tech={s.tech: s for s in schedules},
        )

    def _kpis(
        self, schedules: Sequence[RouteSchedule], unassigned: tuple[int, ...], bad: int
    ) -> Kpis:
        used = [s for s in schedules if s.is_used]
        stops = [stop for s in used for stop in s.stops]
        work = sum(s.work_s for s in used)
        value = sum(s.value for s in used)
        late = sum(1 for stop in stops if stop.late_s > 0)
        return Kpis(
            technicians_used=len(used),
            jobs_done=len(stops),
            jobs_unassigned=len(unassigned),
            mandatory_unassigned=sum(
                1 for j in unassigned if not self.instance.jobs[j].optional
            ),
            drive_s=sum(s.drive_s for s in used),
            distance_m=sum(s.distance_m for s in used),
            service_s=sum(s.service_s for s in used),
            wait_s=sum(s.wait_s for s in used),
            work_s=work,
            overtime_s=sum(s.overtime_s for s in used),
            late_stops=late,
            on_time_rate=1.0 if not stops else (len(stops) - late) / len(stops),
            value=value,
            value_per_field_hour=value / (work / 3600) if work else 0.0,
            cost=sum(self.route_cost(s) for s in used),
            violations=bad,
        )


def _rank(day: RouteSchedule) -> tuple[int, int, int, int, int]:
    """Best schedule first: fewest and smallest violations, earliest return,
    least work, latest departure."""
    return (*_score(day.violations), day.return_s, day.work_s, -day.departure_s)


def _likely_gaps(
    plain: RouteSchedule, earliest_s: int, latest_start_s: int
) -> list[int]:
    """Gaps of a break-free day where a break window can plausibly go.

    Gap k runs from leaving place k-1 to starting service k (or returning).
    A gap left after the latest break start cannot hold the break; among the
    gaps that end before the earliest start only the last one is worth a try.
    """
    leaves = [plain.departure_s] + [s.end_s for s in plain.stops]
    ends = [s.start_s for s in plain.stops] + [plain.return_s]
    gaps = [k for k in range(len(leaves)) if leaves[k] <= latest_start_s]
    early = [k for k in gaps if ends[k] < earliest_s]
    later = [k for k in gaps if ends[k] >= earliest_s]
    return ([early[-1]] if early else []) + later


def _min_s(seconds: int) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"
