"""Jobs: CRUD, bulk create, and status updates from the field."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Response

from fieldroute.api.auth import forbid
from fieldroute.api.deps import DispatcherDep, PrincipalDep, SessionDep
from fieldroute.api.errors import ERROR_RESPONSES
from fieldroute.api.schemas.common import Limit, Skip
from fieldroute.api.schemas.jobs import (
    JobCreate,
    JobPublic,
    JobsCreate,
    JobsPublic,
    JobStatusUpdate,
    JobUpdate,
)
from fieldroute.errors import NotFoundError, VersionConflictError
from fieldroute.model.problem import Job
from fieldroute.store import jobs
from fieldroute.store.tables import JobRow, JobStatus

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=ERROR_RESPONSES)

#: What a technician may report of its own jobs.
FIELD_STATUSES = frozenset({JobStatus.EN_ROUTE, JobStatus.ARRIVED, JobStatus.DONE})


def _conflict(error: VersionConflictError) -> VersionConflictError:
    """The same conflict, carrying the current record in public form."""
    if isinstance(error.detail, JobRow):
        error.detail = JobPublic.of(error.detail)
    return error


def _job_and_date(body: JobCreate) -> tuple[Job, dt.date]:
    data = body.model_dump(by_alias=True)
    day = data.pop("date")
    return Job.model_validate(data), day


@router.get("")
def read_jobs(
    session: SessionDep,
    _: DispatcherDep,
    date: dt.date | None = None,
    status: JobStatus | None = None,
    skip: Skip = 0,
    limit: Limit = 100,
) -> JobsPublic:
    """Retrieve jobs, optionally of one date and one status."""
    rows, count = jobs.list_jobs(
        session, day=date, status=status, skip=skip, limit=limit
    )
    return JobsPublic(data=[JobPublic.of(r) for r in rows], count=count)


@router.post("", status_code=201)
def create_job(session: SessionDep, _: DispatcherDep, body: JobCreate) -> JobPublic:
    """Create a job."""
    (row,) = jobs.create_jobs(session, [_job_and_date(body)])
    session.commit()
    return JobPublic.of(row)


@router.post("/bulk", status_code=201)
def create_jobs(session: SessionDep, _: DispatcherDep, body: JobsCreate) -> JobsPublic:
    """Create many jobs, all or none."""
    rows = jobs.create_jobs(session, [_job_and_date(j) for j in body.data])
    session.commit()
    return JobsPublic(data=[JobPublic.of(r) for r in rows], count=len(rows))


@router.get("/{job_id}")
def read_job(session: SessionDep, _: DispatcherDep, job_id: str) -> JobPublic:
    """Retrieve one job."""
    return JobPublic.of(jobs.get_job(session, job_id))


@router.patch("/{job_id}")
def update_job(
    session: SessionDep, _: DispatcherDep, job_id: str, body: JobUpdate
) -> JobPublic:
    """Change a job's fields (409 with the current job if edited since)."""
    changes = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    version = changes.pop("version")
    day = changes.pop("date", None)
    try:
        row = jobs.update_job(
            session,
            job_id,
            changes,
            day=dt.date.fromisoformat(day) if day else None,
            version=version,
        )
    except VersionConflictError as error:
        raise _conflict(error) from None
    session.commit()
    return JobPublic.of(row)


@router.delete("/{job_id}", status_code=204)
def delete_job(session: SessionDep, _: DispatcherDep, job_id: str) -> Response:
    """Delete a job (plans made with it become stale)."""
    jobs.delete_job(session, job_id)
    session.commit()
    return Response(status_code=204)


@router.post("/{job_id}/status")
def update_status(
    session: SessionDep, principal: PrincipalDep, job_id: str, body: JobStatusUpdate
) -> JobPublic:
    """Report a job's status: a technician for its own jobs, or a dispatcher."""
    if not principal.is_dispatcher:
        try:
            row = jobs.get_job(session, job_id)
        except NotFoundError:
            raise forbid() from None  # do not reveal which jobs exist
        if (
            row.assigned_technician_id != principal.technician_id
            or body.status not in FIELD_STATUSES
        ):
            raise forbid()
    try:
        row = jobs.set_status(
            session,
            job_id,
            body.status,
            role=principal.role,
            technician_id=principal.technician_id,
            version=body.version,
        )
    except VersionConflictError as error:
        raise _conflict(error) from None
    session.commit()
    return JobPublic.of(row)
