"""VROOM engine (peer, through pyvroom): compile -> solve -> decode.

Compilation (VROOM's native means)
----------------------------------
* Matrices over the instance's points: durations, and the shared integer arc
  costs of `fieldroute.engines.costs` as VROOM's custom cost matrix, so VROOM
  minimises the same travel objective as PyVRP and OR-Tools.
* One vehicle per technician: start and end places, shift as its time
  window, ``max_tasks`` = max jobs, capacity = stock carried per item, and
  its lunch break (window for the break start, break length as service).
* One job per job to plan: service time, time windows (several allowed),
  stock used as delivery, skills and priority.
* Skills are integers in VROOM: each distinct set of technicians allowed to
  do a job (skills, territory, pin, stock; `Instance.eligible`) becomes one
  integer skill, held by exactly the technicians of the set. This is exact.
* Priorities: VROOM first maximises the sum of priorities of the jobs done.
  Mandatory jobs get 20 x their priority (20-100) and optional ones 0, so
  mandatory jobs always come first and lower priorities are dropped first.

What VROOM cannot express is listed in `EngineResult.unsupported` for the
instance at hand (see `unsupported`): prizes of optional jobs (VROOM does
every task that fits; the engine then removes optional jobs whose value does
not pay for their detour, judged by the evaluator), working-time caps, hourly
work costs, breaks on the road, time-dependent travel.

Search: ``Input.solve(exploration_level=5, nb_threads=1, timeout=...)`` with
the time limit; VROOM is deterministic, so `params.seed` is not used.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np
import vroom

from fieldroute.engines.base import EngineResult, SolveParams
from fieldroute.engines.costs import arc_cost
from fieldroute.engines.peer_common import (
    allowed_sets,
    allowed_techs,
    drop_unprofitable_optional,
    is_time_dependent,
    time_dependent_note,
    work_cost_note,
)
from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.model.instance import Instance
from fieldroute.travel.matrix import UNREACHABLE, TravelMatrix

PROFILE = "car"
#: VROOM stores matrices as 32-bit unsigned integers.
_MAX_U32 = 2**32 - 1


def _u32(matrix: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.uint32]]:
    out = np.minimum(np.asarray(matrix, dtype=np.int64), min(UNREACHABLE, _MAX_U32))
    return out.astype(np.uint32)


def compile_vroom(instance: Instance, matrix: TravelMatrix, jobs: Sequence[int]) -> Any:
    """A pyvroom `Input` for `jobs` over every technician."""
    problem = vroom.Input()
    problem.set_durations_matrix(PROFILE, _u32(matrix.duration_s))
    problem.set_costs_matrix(PROFILE, _u32(arc_cost(instance, matrix)))
    items = instance.items
    skill_of = allowed_sets(instance, jobs)
    held: dict[int, set[int]] = {t: set() for t in range(instance.num_techs)}
    for j, skill in skill_of.items():
        for t in allowed_techs(instance, j):
            held[t].add(skill)

    for tech in instance.technicians:
        rule = tech.break_rule
        breaks = (
            [
                vroom.Break(
                    tech.index,
                    time_windows=[
                        vroom.TimeWindow(rule.earliest_s, rule.latest_start_s)
                    ],
                    service=rule.duration_s,
                )
            ]
            if rule is not None
            else []
        )
        extra: dict[str, Any] = {}
        if tech.max_jobs is not None:
            extra["max_tasks"] = tech.max_jobs
        problem.add_vehicle(
            vroom.Vehicle(
                tech.index,
                start=instance.start_point(tech.index),
                end=instance.end_point(tech.index),
                profile=PROFILE,
                capacity=[tech.capacity.get(item, 0) for item in items],
                skills=held[tech.index],
                time_window=vroom.TimeWindow(tech.shift_start_s, tech.shift_end_s),
                breaks=breaks,
                **extra,
            )
        )

    problem.add_job(
        [
            vroom.Job(
                j,
                location=instance.job_point(j),
                default_service=instance.jobs[j].service_s,
                delivery=vroom.Amount(
                    [instance.jobs[j].demand.get(item, 0) for item in items]
                ),
                skills={skill_of[j]},
                priority=0
                if instance.jobs[j].optional
                else 20 * instance.jobs[j].priority,
                time_windows=[
                    vroom.TimeWindow(a, b) for a, b in instance.jobs[j].windows
                ],
            )
            for j in jobs
        ]
    )
    return problem


def decode(solution: Any) -> list[RouteInput]:
    """VROOM's route steps back to fieldroute routes with the break's gap."""
    jobs: dict[int, list[int]] = {}
    gaps: dict[int, int] = {}
    for step in solution.routes.to_dict("records"):
        tech = int(step["vehicle_id"])
        stops = jobs.setdefault(tech, [])
        if step["type"] == "job":
            stops.append(int(step["id"]))
        elif step["type"] == "break":
            gaps[tech] = len(stops)
    return [
        RouteInput(tech, tuple(stops), gaps.get(tech))
        for tech, stops in sorted(jobs.items())
        if stops
    ]


def unsupported(
    instance: Instance, matrix: TravelMatrix, jobs: Sequence[int]
) -> tuple[str, ...]:
    """What VROOM cannot express exactly for `instance`, in words."""
    notes = []
    if is_time_dependent(matrix):
        notes.append(time_dependent_note("VROOM"))
    if any(instance.jobs[j].optional for j in jobs):
        notes.append(
            "optional job value: VROOM has no prizes and does every optional "
            "job that fits (after all mandatory ones); optional jobs whose "
            "value does not pay for their detour are removed afterwards"
        )
    if any(t.max_work_s is not None for t in instance.technicians):
        notes.append(
            "max work time: VROOM caps travel time only, not working time; "
            "not modelled, the pipeline's evaluator and repair enforce it"
        )
    if any(t.break_rule is not None for t in instance.technicians):
        notes.append(
            "lunch break: VROOM takes it at a stop (after a service or before "
            "leaving), never on the road; the evaluator keeps it in the same gap"
        )
    note = work_cost_note(instance, "VROOM", exact_integers=False)
    if note:
        notes.append(note)
    return tuple(notes)


class VroomEngine:
    """VROOM's heuristics at exploration level 5, on one thread."""

    name = "vroom"

    def solve(
        self,
        instance: Instance,
        matrix: TravelMatrix,
        jobs: Sequence[int],
        params: SolveParams,
    ) -> EngineResult:
        """Plan `jobs` over all technicians within `params.time_limit_s`."""
        started = time.perf_counter()
        notes = unsupported(instance, matrix, jobs)
        if not jobs:
            return EngineResult((), notes, {"solve_s": 0.0})
        problem = compile_vroom(instance, matrix, jobs)
        remaining_s = max(0.1, params.time_limit_s - (time.perf_counter() - started))
        solution = problem.solve(
            exploration_level=5, nb_threads=1, timeout=timedelta(seconds=remaining_s)
        )
        routes = decode(solution)
        if any(instance.jobs[j].optional for j in jobs):
            routes = drop_unprofitable_optional(Evaluator(instance, matrix), routes)
        elapsed = time.perf_counter() - started
        if params.progress is not None:
            params.progress(elapsed, float(solution.summary.cost))
        stats = {"solve_s": elapsed, "vroom_cost": float(solution.summary.cost)}
        return EngineResult(tuple(routes), notes, stats)
