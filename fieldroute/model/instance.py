"""A validated problem compiled to integers: seconds, metres, indices.

Point indices, used by every matrix: technician ``t`` starts at point ``t`` and
ends at point ``T + t``; job ``j`` is at point ``2T + j`` (``T`` technicians).

`compile_problem` also runs every check that needs more than one record
(duplicate ids, unknown references, windows out of order) and raises one
`InputError` listing all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from fieldroute.errors import InputError, InputProblem
from fieldroute.model.clock import DayClock, minutes_to_s, parse_timezone
from fieldroute.model.problem import Job, Problem, Technician


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A break inside the shift, in seconds since local midnight."""

    earliest_s: int
    latest_end_s: int
    duration_s: int

    @property
    def latest_start_s(self) -> int:
        return self.latest_end_s - self.duration_s


@dataclass(frozen=True, slots=True)
class TechnicianData:
    index: int
    id: str
    shift_start_s: int
    shift_end_s: int
    skills: frozenset[str]
    max_jobs: int | None
    max_work_s: int | None
    break_rule: BreakRule | None
    territory: str | None
    capacity: dict[str, int]
    cost_per_hour: float


@dataclass(frozen=True, slots=True)
class JobData:
    index: int
    id: str
    service_s: int
    windows: tuple[tuple[int, int], ...]
    skills: frozenset[str]
    demand: dict[str, int]
    priority: int
    value: float
    optional: bool
    pinned: int | None
    territory: str | None


@dataclass(frozen=True)
class Instance:
    """The compiled problem every engine and the evaluator work on."""

    problem: Problem
    clock: DayClock
    technicians: tuple[TechnicianData, ...]
    jobs: tuple[JobData, ...]
    points: npt.NDArray[np.float64]  # (2T + J, 2) lat, lon
    tech_index: dict[str, int] = field(repr=False)
    job_index: dict[str, int] = field(repr=False)

    @property
    def num_techs(self) -> int:
        return len(self.technicians)

    @property
    def num_jobs(self) -> int:
        return len(self.jobs)

    def start_point(self, tech: int) -> int:
        return tech

    def end_point(self, tech: int) -> int:
        return self.num_techs + tech

    def job_point(self, job: int) -> int:
        return 2 * self.num_techs + job

    @cached_property
    def items(self) -> tuple[str, ...]:
        """Stock items, sorted: the load dimensions besides job count."""
        names = {i for t in self.technicians for i in t.capacity}
        names |= {i for j in self.jobs for i in j.demand}
        return tuple(sorted(names))

    @cached_property
    def eligible(self) -> npt.NDArray[np.bool_]:
        """(T, J) matrix: may technician t do job j on its own (static rules)?"""
        from fieldroute.model.eligibility import ineligibility

        out = np.zeros((self.num_techs, self.num_jobs), dtype=bool)
        for tech in self.technicians:
            for job in self.jobs:
                out[tech.index, job.index] = not ineligibility(tech, job)
        return out


def _check_references(problem: Problem) -> list[InputProblem]:
    problems: list[InputProblem] = []
    for kind, records in (("technician", problem.technicians), ("job", problem.jobs)):
        seen: set[str] = set()
        for record in records:
            if record.id in seen:
                problems.append(
                    InputProblem(f"{kind} {record.id}, field id", "duplicate id")
                )
            seen.add(record.id)

    tech_ids = {t.id for t in problem.technicians}
    held = {s for t in problem.technicians for s in t.skills}
    if problem.skills is not None:
        known = set(problem.skills)
        for tech in problem.technicians:
            for i, skill in enumerate(tech.skills):
                if skill not in known:
                    problems.append(
                        InputProblem(
                            f"technician {tech.id}, field skills[{i}]",
                            f"unknown skill {skill!r} (known: {_names(known)})",
                        )
                    )
    else:
        known = held
    carried = {i for t in problem.technicians for i in t.capacity}
    for job in problem.jobs:
        for i, skill in enumerate(job.required_skills):
            if skill not in known:
                hint = (
                    ""
                    if problem.skills is not None
                    else "; list it in the problem's `skills` if no technician "
                    "today holds it"
                )
                problems.append(
                    InputProblem(
                        f"job {job.id}, field required_skills[{i}]",
                        f"unknown skill {skill!r} (known: {_names(known)}){hint}",
                    )
                )
        for item in job.demand:
            if item not in carried:
                problems.append(
                    InputProblem(
                        f"job {job.id}, field demand.{item}",
                        f"unknown stock item {item!r}: no technician carries it "
                        f"(carried: {_names(carried)})",
                    )
                )
        if job.pinned_technician is not None and job.pinned_technician not in tech_ids:
            problems.append(
                InputProblem(
                    f"job {job.id}, field pinned_technician",
                    f"unknown technician {job.pinned_technician!r}",
                )
            )
    return problems


def _names(values: set[str]) -> str:
    return ", ".join(sorted(values)) or "none"


def _compile_technician(
    tech: Technician, index: int, clock: DayClock, problems: list[InputProblem]
) -> TechnicianData:
    where = f"technician {tech.id}"
    shift_start = clock.seconds(tech.shift.start)
    shift_end = clock.seconds(tech.shift.end)
    if shift_end <= shift_start:
        problems.append(
            InputProblem(
                f"{where}, field shift.end",
                f"shift ends ({tech.shift.end}) before it starts ({tech.shift.start})",
            )
        )
    rule = None
    if tech.break_ is not None:
        brk = tech.break_
        rule = BreakRule(
            clock.seconds(brk.earliest_start),
            clock.seconds(brk.latest_end),
            minutes_to_s(brk.duration_minutes),
        )
        room = min(rule.latest_end_s, shift_end) - max(rule.earliest_s, shift_start)
        if rule.latest_end_s <= rule.earliest_s:
            problems.append(
                InputProblem(
                    f"{where}, field break.latest_end",
                    f"break window ends ({brk.latest_end}) before it starts "
                    f"({brk.earliest_start})",
                )
            )
        elif room < rule.duration_s:
            problems.append(
                InputProblem(
                    f"{where}, field break",
                    f"a {brk.duration_minutes:g}-minute break does not fit in its "
                    "window inside the shift",
                )
            )
    return TechnicianData(
        index=index,
        id=tech.id,
        shift_start_s=shift_start,
        shift_end_s=shift_end,
        skills=frozenset(tech.skills),
        max_jobs=tech.max_jobs,
        max_work_s=None
        if tech.max_work_minutes is None
        else minutes_to_s(tech.max_work_minutes),
        break_rule=rule,
        territory=tech.territory,
        capacity=dict(tech.capacity),
        cost_per_hour=tech.cost_per_hour,
    )


def _compile_job(
    job: Job,
    index: int,
    clock: DayClock,
    tech_index: dict[str, int],
    problems: list[InputProblem],
) -> JobData:
    windows: list[tuple[int, int]] = []
    for i, window in enumerate(job.time_windows):
        start, end = clock.seconds(window.start), clock.seconds(window.end)
        if end < start:
            problems.append(
                InputProblem(
                    f"job {job.id}, field time_windows[{i}].end",
                    f"window ends ({window.end}) before it starts ({window.start})",
                )
            )
        windows.append((start, end))
    return JobData(
        index=index,
        id=job.id,
        service_s=minutes_to_s(job.duration_minutes),
        windows=tuple(sorted(windows)),
        skills=frozenset(job.required_skills),
        demand={k: v for k, v in job.demand.items() if v > 0},
        priority=job.priority,
        value=job.value,
        optional=job.optional,
        pinned=None
        if job.pinned_technician is None
        else tech_index.get(job.pinned_technician),
        territory=job.territory,
    )


def compile_problem(problem: Problem) -> Instance:
    """Check cross-record rules and convert `problem` to integers.

    Raises
    ------
    InputError
        Listing every duplicate id, unknown reference and inverted window.
    """
    problems = _check_references(problem)
    clock = DayClock(problem.date, parse_timezone(problem.timezone))
    tech_index = {t.id: i for i, t in enumerate(problem.technicians)}
    techs = tuple(
        _compile_technician(t, i, clock, problems)
        for i, t in enumerate(problem.technicians)
    )
    jobs = tuple(
        _compile_job(j, i, clock, tech_index, problems)
        for i, j in enumerate(problem.jobs)
    )
    if problems:
        raise InputError(problems)
    points = _points(problem)
    return Instance(
        problem=problem,
        clock=clock,
        technicians=techs,
        jobs=jobs,
        points=points,
        tech_index=tech_index,
        job_index={j.id: i for i, j in enumerate(problem.jobs)},
    )


def _points(problem: Problem) -> npt.NDArray[np.float64]:
    rows: Sequence[tuple[float, float]] = (
        [(t.start.lat, t.start.lon) for t in problem.technicians]
        + [
            ((t.end or t.start).lat, (t.end or t.start).lon)
            for t in problem.technicians
        ]
        + [(j.location.lat, j.location.lon) for j in problem.jobs]
    )
    return np.asarray(rows, dtype=np.float64).reshape(-1, 2)
