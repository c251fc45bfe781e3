"""Days: a day's problem settings, and assembling its `Problem` from records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldroute.errors import VersionConflictError
from fieldroute.store.jobs import jobs_of_day
from fieldroute.store.tables import DayRow, JobStatus, TechnicianRow
from fieldroute.store.types import utcnow

#: Jobs a solve leaves out: nothing is left to plan for them.
CLOSED_STATUSES = frozenset({JobStatus.DONE.value, JobStatus.CANCELLED.value})
#: Jobs a technician has already started: a new plan keeps them with that person.
STARTED_STATUSES = frozenset({JobStatus.EN_ROUTE.value, JobStatus.ARRIVED.value})


def get_day(session: Session, day: date) -> DayRow | None:
    """The stored settings of `day`, or None if none were ever set."""
    return session.get(DayRow, day)


def put_day(
    session: Session,
    day: date,
    *,
    timezone: str,
    settings: dict[str, Any],
    version: int | None,
) -> DayRow:
    """Create or replace a day's settings (replacing needs the read `version`)."""
    row = session.get(DayRow, day)
    if row is None:
        row = DayRow(date=day, timezone=timezone, settings=settings)
        session.add(row)
    else:
        if version is not None and version != row.version:
            raise VersionConflictError(f"day {day} was edited meanwhile", detail=row)
        row.timezone = timezone
        row.settings = settings
        row.updated_at = utcnow()
    session.flush()
    return row


def ensure_day(session: Session, day: date, default_timezone: str) -> DayRow:
    """The day's row, created with the default time zone if missing."""
    row = session.get(DayRow, day)
    if row is None:
        row = DayRow(date=day, timezone=default_timezone, settings={})
        session.add(row)
        session.flush()
    return row


@dataclass(frozen=True)
class DayProblem:
    """A day's problem document as stored now, and each job's fingerprint."""

    document: dict[str, Any]
    job_fingerprints: dict[str, str]


def day_problem(session: Session, day: date, default_timezone: str) -> DayProblem:
    """Assemble the day's `Problem` document from the stored records.

    Every technician; the day's jobs except done and cancelled ones; a job
    already en route or arrived is pinned to the technician who has it. The
    document is not validated here: `problem_from_dict` does that.
    """
    day_row = get_day(session, day)
    settings = dict(day_row.settings) if day_row else {}
    technicians = session.scalars(select(TechnicianRow).order_by(TechnicianRow.id))
    jobs: list[dict[str, Any]] = []
    fingerprints: dict[str, str] = {}
    for row in jobs_of_day(session, day):
        if row.status in CLOSED_STATUSES:
            continue
        doc = dict(row.data)
        if row.status in STARTED_STATUSES and row.assigned_technician_id:
            doc["pinned_technician"] = row.assigned_technician_id
        jobs.append(doc)
        fingerprints[row.id] = row.fingerprint
    document = {
        **settings,
        "date": day.isoformat(),
        "timezone": day_row.timezone if day_row else default_timezone,
        "technicians": [t.data for t in technicians],
        "jobs": jobs,
    }
    return DayProblem(document=document, job_fingerprints=fingerprints)
