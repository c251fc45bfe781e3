"""Check a plan made elsewhere (by hand, by another tool, edited) without solving.

Routes are read by technician id and job ids in order; the evaluator computes
the schedule (placing breaks where the plan does not say) and every violation.
Ids the problem does not know are reported as violations, not errors, so a
dispatcher sees everything wrong at once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.evaluate.violations import Violation
from fieldroute.model.instance import compile_problem
from fieldroute.model.plan import Plan, PlanMeta, PlanViolation
from fieldroute.model.problem import Problem
from fieldroute.solve.pipeline import build_matrix
from fieldroute.solve.reasons import Reason, impossible_jobs
from fieldroute.solve.report import to_plan
from fieldroute.travel.matrix import MatrixProvider
from fieldroute.travel.providers import provider_for


def routes_from_document(document: Mapping[str, Any]) -> dict[str, list[str]]:
    """Technician id -> job ids from a plan document (ours or a minimal one).

    Accepts ``{"routes": [{"technician_id": "T1", "stops": [{"job_id": "J1"},
    ...]}]}``; a stop may also be the bare job id string.
    """
    out: dict[str, list[str]] = {}
    for route in document.get("routes", []):
        tech = str(route.get("technician_id", ""))
        stops = route.get("stops", [])
        out.setdefault(tech, []).extend(
            str(s["job_id"]) if isinstance(s, Mapping) else str(s) for s in stops
        )
    return out


def check_routes(
    problem: Problem,
    routes: Mapping[str, Sequence[str]],
    *,
    provider: MatrixProvider | None = None,
) -> Plan:
    """Evaluate `routes` (technician id -> ordered job ids) for `problem`."""
    started = time.perf_counter()
    instance = compile_problem(problem)
    provider = provider or provider_for(problem.options.travel)
    matrix = build_matrix(instance, provider)
    evaluator = Evaluator(instance, matrix)
    unknown: list[Violation] = []
    inputs: list[RouteInput] = []
    for tech_id, job_ids in routes.items():
        if tech_id not in instance.tech_index:
            unknown.append(
                Violation(
                    "unknown_technician",
                    tech_id,
                    None,
                    0,
                    f"technician {tech_id!r} is not in the problem",
                )
            )
            continue
        jobs = []
        for job_id in job_ids:
            if job_id in instance.job_index:
                jobs.append(instance.job_index[job_id])
            else:
                unknown.append(
                    Violation(
                        "unknown_job",
                        tech_id,
                        job_id,
                        0,
                        f"job {job_id!r} is not in the problem",
                    )
                )
        inputs.append(RouteInput(instance.tech_index[tech_id], tuple(jobs)))
    evaluation = evaluator.plan(inputs)
    reasons = impossible_jobs(evaluator)
    for j in evaluation.unassigned:
        reasons.setdefault(j, Reason("not_planned", "not in any route of this plan"))
    plan = to_plan(
        instance,
        evaluation,
        reasons,
        PlanMeta(
            engine="check",
            travel=provider.name,
            time_limit_s=0,
            seed=0,
            solve_s=round(time.perf_counter() - started, 3),
        ),
    )
    if not unknown:
        return plan
    extra = [
        PlanViolation(
            kind=v.kind,
            technician_id=v.technician_id,
            job_id=v.job_id,
            amount=v.amount,
            message=v.message,
        )
        for v in unknown
    ]
    kpis = plan.kpis.model_copy(
        update={"violations": plan.kpis.violations + len(extra)}
    )
    return plan.model_copy(update={"violations": extra + plan.violations, "kpis": kpis})
