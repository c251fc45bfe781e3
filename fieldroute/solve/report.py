"""Turn an `Evaluation` (seconds, indices) into a user-facing `Plan`."""

from __future__ import annotations

from collections.abc import Mapping

from fieldroute.evaluate.schedule import Evaluation, RouteSchedule
from fieldroute.model.instance import Instance
from fieldroute.model.plan import (
    Plan,
    PlanKpis,
    PlanMeta,
    PlannedBreak,
    PlannedRoute,
    PlannedStop,
    PlanViolation,
    RouteTotals,
    UnassignedJob,
)
from fieldroute.solve.reasons import Reason


def _route(instance: Instance, schedule: RouteSchedule) -> PlannedRoute:
    clock = instance.clock
    problem_jobs = instance.problem.jobs
    stops = [
        PlannedStop(
            job_id=instance.jobs[s.job].id,
            name=problem_jobs[s.job].name,
            lat=problem_jobs[s.job].location.lat,
            lon=problem_jobs[s.job].location.lon,
            arrival=clock.datetime(s.arrival_s),
            start=clock.datetime(s.start_s),
            end=clock.datetime(s.end_s),
            travel_s=s.travel_s,
            distance_m=s.distance_m,
            wait_s=s.wait_s,
            late_s=s.late_s,
        )
        for s in schedule.stops
    ]
    brk = None
    if schedule.break_ is not None:
        gap = schedule.break_.gap
        brk = PlannedBreak(
            start=clock.datetime(schedule.break_.start_s),
            end=clock.datetime(schedule.break_.end_s),
            before_job_id=stops[gap].job_id if gap < len(stops) else None,
        )
    return PlannedRoute(
        technician_id=instance.technicians[schedule.tech].id,
        departure=clock.datetime(schedule.departure_s),
        return_=clock.datetime(schedule.return_s),
        stops=stops,
        break_=brk,
        totals=RouteTotals(
            jobs=len(stops),
            drive_s=schedule.drive_s,
            distance_m=schedule.distance_m,
            service_s=schedule.service_s,
            wait_s=schedule.wait_s,
            work_s=schedule.work_s,
            overtime_s=schedule.overtime_s,
            value=schedule.value,
        ),
    )


def to_plan(
    instance: Instance,
    evaluation: Evaluation,
    reasons: Mapping[int, Reason],
    meta: PlanMeta | None = None,
) -> Plan:
    """The plan document for `evaluation`; `reasons` explain unassigned jobs."""
    problem = instance.problem
    unassigned = []
    for j in evaluation.unassigned:
        reason = reasons.get(j, Reason("not_planned", "not in any route"))
        unassigned.append(
            UnassignedJob(
                job_id=instance.jobs[j].id, code=reason.code, reason=reason.text
            )
        )
    kpis = evaluation.kpis
    return Plan(
        problem=problem.name,
        date=problem.date.isoformat(),
        timezone=problem.timezone,
        routes=[_route(instance, r) for r in evaluation.routes if r.is_used],
        unassigned=unassigned,
        violations=[
            PlanViolation(
                kind=v.kind,
                technician_id=v.technician_id,
                job_id=v.job_id,
                amount=v.amount,
                message=v.message,
            )
            for v in evaluation.violations
        ],
        kpis=PlanKpis(**{f: getattr(kpis, f) for f in PlanKpis.model_fields}),
        meta=meta,
    )
