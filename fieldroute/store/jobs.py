"""Jobs of a day: create (one or many), read, edit, delete, status changes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from fieldroute.errors import AlreadyExistsError, NotFoundError, VersionConflictError
from fieldroute.model.problem import Job
from fieldroute.store.tables import JobEventRow, JobRow, JobStatus, Role
from fieldroute.store.types import utcnow
from fieldroute.store.validation import validate_as


def job_doc(job: Job) -> dict[str, Any]:
    """The JSON stored for a job."""
    return job.model_dump(mode="json", by_alias=True, exclude_none=True)


def fingerprint(day: date, doc: dict[str, Any]) -> str:
    """sha256 of what a solve reads of a job; any edit of it changes this."""
    text = json.dumps(
        {"date": day.isoformat(), "data": doc}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()


def get_job(session: Session, job_id: str) -> JobRow:
    """The job `job_id`, or `NotFoundError`."""
    row = session.get(JobRow, job_id)
    if row is None:
        raise NotFoundError(f"job {job_id} not found")
    return row


def _filtered(
    query: Select[Any], day: date | None, status: JobStatus | None
) -> Select[Any]:
    if day is not None:
        query = query.where(JobRow.date == day)
    if status is not None:
        query = query.where(JobRow.status == status.value)
    return query


def list_jobs(
    session: Session,
    *,
    day: date | None = None,
    status: JobStatus | None = None,
    skip: int = 0,
    limit: int = 100,
) -> tuple[list[JobRow], int]:
    """One page of jobs (by date, then id), and how many match in all."""
    count = session.scalar(
        _filtered(select(func.count()).select_from(JobRow), day, status)
    )
    rows = session.scalars(
        _filtered(select(JobRow), day, status)
        .order_by(JobRow.date, JobRow.id)
        .offset(skip)
        .limit(limit)
    ).all()
    return list(rows), count or 0


def jobs_of_day(session: Session, day: date) -> list[JobRow]:
    """Every job of `day`, by id."""
    return list(
        session.scalars(select(JobRow).where(JobRow.date == day).order_by(JobRow.id))
    )


def create_jobs(session: Session, jobs: Sequence[tuple[Job, date]]) -> list[JobRow]:
    """Insert all of `jobs` (job, its date) or none; a used id refuses all."""
    ids = [job.id for job, _ in jobs]
    repeated = {i for i in ids if ids.count(i) > 1}
    existing = set(session.scalars(select(JobRow.id).where(JobRow.id.in_(ids))))
    clash = sorted(repeated | existing)
    if clash:
        raise AlreadyExistsError(
            f"job id already used: {', '.join(clash)}", detail=clash
        )
    rows = []
    for job, day in jobs:
        doc = job_doc(job)
        rows.append(
            JobRow(
                id=job.id,
                date=day,
                status=JobStatus.UNPLANNED.value,
                data=doc,
                fingerprint=fingerprint(day, doc),
            )
        )
    session.add_all(rows)
    session.flush()
    return rows


def _flush_or_conflict(session: Session, job_id: str) -> None:
    try:
        session.flush()
    except StaleDataError:
        # Another transaction committed between our read and our write.
        session.rollback()
        raise VersionConflictError(
            f"job {job_id} was edited meanwhile", detail=get_job(session, job_id)
        ) from None


def _check_version(row: JobRow, version: int | None) -> None:
    if version is not None and row.version != version:
        raise VersionConflictError(f"job {row.id} was edited meanwhile", detail=row)


def update_job(
    session: Session,
    job_id: str,
    changes: dict[str, Any],
    *,
    day: date | None,
    version: int,
) -> JobRow:
    """Apply `changes` (and a new date) if the stored version is `version`.

    Raises `VersionConflictError` (detail: the current row) when someone else
    edited the job first, `InputError` naming the field when the result is not
    a valid job.
    """
    row = get_job(session, job_id)
    _check_version(row, version)
    job = validate_as(Job, {**row.data, **changes, "id": job_id})
    row.data = job_doc(job)
    if day is not None:
        row.date = day
    row.fingerprint = fingerprint(row.date, row.data)
    row.updated_at = utcnow()
    _flush_or_conflict(session, job_id)
    return row


def set_status(
    session: Session,
    job_id: str,
    status: JobStatus,
    *,
    role: Role,
    technician_id: str | None = None,
    version: int | None = None,
) -> JobRow:
    """Change a job's status (checked against `version` if given), logging who."""
    row = get_job(session, job_id)
    _check_version(row, version)
    row.status = status.value
    row.updated_at = utcnow()
    session.add(
        JobEventRow(
            job_id=job_id,
            status=status.value,
            role=role.value,
            technician_id=technician_id,
        )
    )
    _flush_or_conflict(session, job_id)
    return row


def delete_job(session: Session, job_id: str) -> None:
    """Remove the job; stored plans keep their copy and become stale."""
    session.delete(get_job(session, job_id))
    session.flush()
