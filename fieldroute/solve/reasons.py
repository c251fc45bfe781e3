"""Why a job is not in the plan, in words a dispatcher can act on.

`impossible_jobs` finds, before solving, the jobs no technician can do at all
(no one with the skill, a pin to someone who cannot, no road, no window
reachable within any shift). `explain_unassigned` explains, after solving,
the others: which rule blocks each technician from taking the job now.
Both ask the evaluator, so a reason never contradicts the plan's check.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldroute.evaluate.schedule import Evaluation, Evaluator, RouteSchedule
from fieldroute.model.eligibility import ineligibility
from fieldroute.model.plan import UnassignedCode
from fieldroute.solve.repair import (
    best_insertion,
    cheapest_position,
    nearest_techs,
)

#: Routes nearest a left-out job, and places in each, tried to explain it.
EXPLAIN_ROUTES = 4
EXPLAIN_POSITIONS = 4
TIME_KINDS = {"late", "shift_end_exceeded", "max_work_exceeded", "break_not_placed"}


@dataclass(frozen=True, slots=True)
class Reason:
    code: UnassignedCode
    text: str


def _solo_check(evaluator: Evaluator, tech: int, job: int) -> RouteSchedule:
    return evaluator.route(tech, (job,))


def impossible_jobs(evaluator: Evaluator) -> dict[int, Reason]:
    """Jobs that no technician can do even alone, with the reason."""
    inst = evaluator.instance
    matrix = evaluator.matrix
    out: dict[int, Reason] = {}
    held = {s for t in inst.technicians for s in t.skills}
    for job in inst.jobs:
        missing = sorted(job.skills - held)
        if missing:
            out[job.index] = Reason(
                "no_skill", f"no technician has skill {', '.join(missing)}"
            )
            continue
        if job.pinned is not None:
            pinned = inst.technicians[job.pinned]
            breaches = [b for b in ineligibility(pinned, job) if b.kind != "pin_broken"]
            if breaches:
                out[job.index] = Reason(
                    "pin_impossible",
                    f"pinned technician {pinned.id} cannot take it: "
                    + "; ".join(b.detail for b in breaches),
                )
                continue
        eligible = [t for t in range(inst.num_techs) if inst.eligible[t, job.index]]
        if not eligible:
            details = "; ".join(
                f"{t.id} " + ", ".join(b.detail for b in ineligibility(t, job))
                for t in inst.technicians
            )
            out[job.index] = Reason(
                "no_eligible_technician", f"no technician meets every rule ({details})"
            )
            continue
        point = inst.job_point(job.index)
        reachable = [
            t
            for t in eligible
            if matrix.is_reachable(inst.start_point(t), point)
            and matrix.is_reachable(point, inst.end_point(t))
        ]
        if not reachable:
            who = inst.technicians[eligible[0]].id
            out[job.index] = Reason(
                "unreachable",
                f"job {job.id} cannot be reached by road from technician {who}'s start",
            )
            continue
        failures: list[str] = []
        for t in reachable:
            solo = _solo_check(evaluator, t, job.index)
            if not solo.violations:
                break
            failures.append(f"{inst.technicians[t].id}: {solo.violations[0].message}")
        else:
            out[job.index] = Reason(
                "out_of_time",
                "no technician can reach its window within a shift ("
                + "; ".join(failures[:3])
                + ("; ..." if len(failures) > 3 else "")
                + ")",
            )
    return out


def explain_unassigned(
    evaluator: Evaluator, evaluation: Evaluation, job: int
) -> Reason:
    """Why a job that some technician could do alone is not in the plan."""
    inst = evaluator.instance
    info = inst.jobs[job]
    schedules = dict(evaluation.by_tech)
    # The nearest routes and their places of least detour: explaining each
    # of many left-out jobs must not cost more than the solve (measured: 7 s
    # for 68 jobs on a 1,000-job day with 8 routes and every place tried).
    nearest = nearest_techs(evaluator, schedules, job, EXPLAIN_ROUTES)
    insertion = best_insertion(
        evaluator, schedules, job, techs=nearest, positions=EXPLAIN_POSITIONS
    )
    if insertion is not None and info.optional:
        detour_min = round(insertion.added_cost / max(1e-9, _per_minute(evaluator)))
        return Reason(
            "not_worth_it",
            f"optional and not worth the detour: the cheapest place "
            f"({inst.technicians[insertion.tech].id}) adds cost "
            f"{insertion.added_cost:.1f} (~{detour_min} min of driving), "
            f"more than its value {info.value:g}",
        )
    if insertion is not None:
        return Reason(
            "not_planned",
            f"fits with {inst.technicians[insertion.tech].id} but the engine left it "
            "out; re-run with a longer time limit",
        )
    blocks: list[str] = []
    capacity_only = True
    # The nearest technicians' days say why; far ones would only add noise.
    for t in nearest:
        tech = inst.technicians[t]
        route = schedules[t]
        if tech.max_jobs is not None and len(route.stops) >= tech.max_jobs:
            blocks.append(f"{tech.id} is at its cap of {tech.max_jobs} jobs")
            continue
        # Explain with the cheapest-detour position: one evaluation per
        # technician keeps this fast on large days.
        jobs = route.jobs
        position = cheapest_position(evaluator, t, jobs, job)
        best = evaluator.route(t, (*jobs[:position], job, *jobs[position:]))
        if best is not None and best.violations:
            first = best.violations[0]
            if first.kind in TIME_KINDS:
                capacity_only = False
            blocks.append(f"{tech.id} would break '{first.kind}' ({first.message})")
    code: UnassignedCode = "no_capacity" if capacity_only else "out_of_time"
    who = "higher value/priority" if not info.optional else "other"
    return Reason(
        code,
        f"capacity or time used up by jobs of {who}: "
        + "; ".join(blocks[:4])
        + ("; ..." if len(blocks) > 4 else ""),
    )


def _per_minute(evaluator: Evaluator) -> float:
    return evaluator.instance.problem.objective.drive_time_per_hour / 60
