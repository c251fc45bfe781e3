"""Plans: a day's versions, one version, publishing, checking an edit."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from fieldroute.api.deps import DispatcherDep, SessionDep, StateDep
from fieldroute.api.errors import ERROR_RESPONSES
from fieldroute.api.schemas.common import Limit, Skip
from fieldroute.api.schemas.plans import (
    PlanCheckPublic,
    PlanEdit,
    PlanPublic,
    PlansPublic,
    PlanSummary,
    PublicationPublic,
)
from fieldroute.errors import InputError, InputProblem
from fieldroute.model.load import problem_from_dict
from fieldroute.model.problem import Problem
from fieldroute.solve.check import check_routes
from fieldroute.store import plans
from fieldroute.store.days import day_problem

router = APIRouter(tags=["plans"], responses=ERROR_RESPONSES)


@router.get("/days/{date}/plans")
def read_day_plans(
    session: SessionDep,
    _: DispatcherDep,
    date: dt.date,
    skip: Skip = 0,
    limit: Limit = 100,
) -> PlansPublic:
    """Retrieve the plan versions of a day, newest first."""
    rows, count = plans.list_plans(session, date, skip=skip, limit=limit)
    live = plans.published_plan_id(session, date)
    return PlansPublic(
        data=[PlanSummary.of(r, published=r.id == live) for r in rows], count=count
    )


@router.get("/plans/{plan_id}")
def read_plan(session: SessionDep, _: DispatcherDep, plan_id: str) -> PlanPublic:
    """Retrieve one plan version with its routes."""
    row = plans.get_plan(session, plan_id)
    live = plans.published_plan_id(session, row.date)
    return PlanPublic.full(row, published=row.id == live)


@router.post("/plans/{plan_id}/publish")
def publish_plan(
    state: StateDep,
    session: SessionDep,
    _: DispatcherDep,
    plan_id: str,
    force: bool = False,
) -> PublicationPublic:
    """Make this plan the live one of its day.

    If jobs it was made from were edited or deleted since, it is refused with
    409 ``stale_plan`` listing them; with ``force=true`` it is published and
    the answer says ``stale: true`` with the same list.
    """
    publication = plans.publish(
        session,
        plan_id,
        force=force,
        default_timezone=state.settings.default_timezone,
    )
    session.commit()
    row = publication.row
    return PublicationPublic(
        plan_id=row.plan_id,
        date=row.date,
        published_at=row.published_at,
        stale=row.stale,
        changed_jobs=row.changed_jobs,
    )


def _pinned(problem: Problem, pins: dict[str, str]) -> Problem:
    known = {job.id for job in problem.jobs}
    unknown = [job_id for job_id in pins if job_id not in known]
    if unknown:
        raise InputError(
            [InputProblem(f"body.pins.{j}", "no such job on this day") for j in unknown]
        )
    jobs = [
        job.model_copy(update={"pinned_technician": pins[job.id]})
        if job.id in pins
        else job
        for job in problem.jobs
    ]
    return problem_from_dict(
        problem.model_copy(update={"jobs": jobs}).model_dump(mode="json", by_alias=True)
    )


@router.post("/plans/{plan_id}/check")
def check_plan(
    state: StateDep,
    session: SessionDep,
    _: DispatcherDep,
    plan_id: str,
    body: PlanEdit,
) -> PlanCheckPublic:
    """Evaluate a dispatcher's edit of this plan, without solving again.

    The edit is checked against the day as stored now; the evaluator computes
    every time and violation. With ``save: true`` the checked edit is stored
    as a new plan version (to publish like any other).
    """
    base = plans.get_plan(session, plan_id)
    day = day_problem(session, base.date, state.settings.default_timezone)
    problem = _pinned(problem_from_dict(day.document), body.pins)
    plan = check_routes(problem, body.routes)
    saved = None
    if body.save:
        saved = plans.insert_plan(
            session,
            day=base.date,
            document=plan.model_dump(mode="json", by_alias=True),
            job_fingerprints=day.job_fingerprints,
            source="edit",
            based_on=base.id,
        ).id
        session.commit()
    return PlanCheckPublic(
        feasible=not plan.violations,
        violations=plan.violations,
        plan=plan,
        changed_jobs=plans.changed_jobs(session, base),
        saved_plan_id=saved,
    )
