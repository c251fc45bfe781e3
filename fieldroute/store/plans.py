"""Plan versions of a day, publishing one of them, and staleness.

A plan row is never updated: publishing appends a publication and points
the day at the plan. Publishing also writes each job's technician (and moves
unplanned jobs to planned, planned ones left out back to unplanned), which
is what technicians' tokens are checked against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from fieldroute.errors import NotFoundError, StalePlanError, VersionConflictError
from fieldroute.store.days import ensure_day, get_day
from fieldroute.store.jobs import jobs_of_day
from fieldroute.store.tables import (
    JobRow,
    JobStatus,
    PlanRow,
    PublicationRow,
)
from fieldroute.store.types import utcnow


def get_plan(session: Session, plan_id: str) -> PlanRow:
    """The plan `plan_id`, or `NotFoundError`."""
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"plan {plan_id} not found")
    return row


def list_plans(
    session: Session, day: date, *, skip: int = 0, limit: int = 100
) -> tuple[list[PlanRow], int]:
    """The plans of `day`, newest first, and how many there are."""
    count = session.scalar(
        select(func.count()).select_from(PlanRow).where(PlanRow.date == day)
    )
    rows = session.scalars(
        select(PlanRow)
        .where(PlanRow.date == day)
        .order_by(PlanRow.created_at.desc(), PlanRow.id)
        .offset(skip)
        .limit(limit)
    )
    return list(rows), count or 0


def insert_plan(
    session: Session,
    *,
    day: date,
    document: dict[str, Any],
    job_fingerprints: dict[str, str],
    source: str,
    based_on: str | None = None,
) -> PlanRow:
    """Store a new plan version (a dispatcher's checked edit, say)."""
    row = PlanRow(
        date=day,
        source=source,
        based_on=based_on,
        document=document,
        job_fingerprints=job_fingerprints,
    )
    session.add(row)
    session.flush()
    return row


def changed_jobs(session: Session, plan: PlanRow) -> list[str]:
    """Jobs the plan was made from that were edited or deleted since, by id."""
    current = {
        row.id: row.fingerprint
        for row in session.scalars(
            select(JobRow).where(JobRow.id.in_(list(plan.job_fingerprints)))
        )
    }
    return sorted(
        job_id
        for job_id, seen in plan.job_fingerprints.items()
        if current.get(job_id) != seen
    )


def published_plan_id(session: Session, day: date) -> str | None:
    """The id of the live plan of `day`, if one was published."""
    row = get_day(session, day)
    return row.published_plan_id if row else None


@dataclass(frozen=True)
class Publication:
    row: PublicationRow
    plan: PlanRow


def _routed(document: dict[str, Any]) -> dict[str, str]:
    """job id -> technician id of every stop in a plan document."""
    return {
        stop["job_id"]: route["technician_id"]
        for route in document.get("routes", [])
        for stop in route.get("stops", [])
    }


def publish(
    session: Session, plan_id: str, *, force: bool, default_timezone: str
) -> Publication:
    """Make `plan_id` the live plan of its day.

    A plan whose jobs changed after its solve started is refused with
    `StalePlanError` (detail: the changed job ids) unless `force`; forced, it
    is published and the publication records it as stale with those ids.
    """
    plan = get_plan(session, plan_id)
    changed = changed_jobs(session, plan)
    if changed and not force:
        raise StalePlanError(
            f"{len(changed)} job(s) changed after this plan was made: "
            f"{', '.join(changed)}; solve again or publish with force=true",
            detail=changed,
        )
    day = ensure_day(session, plan.date, default_timezone)
    day.published_plan_id = plan.id
    day.updated_at = utcnow()
    routed = _routed(plan.document)
    for job in jobs_of_day(session, plan.date):
        technician = routed.get(job.id)
        if technician is not None:
            job.assigned_technician_id = technician
            if job.status == JobStatus.UNPLANNED.value:
                job.status = JobStatus.PLANNED.value
        elif job.status == JobStatus.PLANNED.value:
            job.assigned_technician_id = None
            job.status = JobStatus.UNPLANNED.value
    publication = PublicationRow(
        plan_id=plan.id, date=plan.date, stale=bool(changed), changed_jobs=changed
    )
    session.add(publication)
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise VersionConflictError(
            "jobs of the day were edited while publishing; publish again"
        ) from None
    return Publication(row=publication, plan=plan)


def last_publication(session: Session, plan_id: str) -> PublicationRow | None:
    """The latest publication of `plan_id`, if it was ever published."""
    return session.scalars(
        select(PublicationRow)
        .where(PublicationRow.plan_id == plan_id)
        .order_by(PublicationRow.published_at.desc())
        .limit(1)
    ).first()
