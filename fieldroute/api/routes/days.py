"""Days: a day's problem settings, and loading its records from CSV files."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from fastapi import APIRouter, UploadFile
from pydantic import BaseModel

from fieldroute.api.deps import DispatcherDep, SessionDep, SettingsDep
from fieldroute.api.errors import ERROR_RESPONSES
from fieldroute.api.schemas.days import DayPublic, DayUpdate
from fieldroute.api.schemas.jobs import JobPublic, JobsPublic
from fieldroute.errors import AlreadyExistsError, VersionConflictError
from fieldroute.model.load import load_csv
from fieldroute.model.problem import Objective, Options
from fieldroute.store import days, jobs, technicians
from fieldroute.store.tables import DayRow, TechnicianRow
from fieldroute.store.technicians import technician_doc

router = APIRouter(prefix="/days", tags=["days"], responses=ERROR_RESPONSES)


@router.get("/{date}")
def read_day(
    session: SessionDep, settings: SettingsDep, _: DispatcherDep, date: dt.date
) -> DayPublic:
    """Retrieve a day's settings (defaults if never set)."""
    row = days.get_day(session, date)
    if row is None:
        return DayPublic(
            date=date,
            timezone=settings.default_timezone,
            objective=Objective(),
            options=Options(),
            published_plan_id=None,
            version=None,
            updated_at=None,
        )
    return DayPublic.of(row)


@router.put("/{date}")
def put_day(
    session: SessionDep, _: DispatcherDep, date: dt.date, body: DayUpdate
) -> DayPublic:
    """Set a day's time zone, objective and options (409 if edited since)."""
    settings = body.model_dump(mode="json", exclude={"timezone", "version"})
    try:
        row = days.put_day(
            session,
            date,
            timezone=body.timezone,
            settings=settings,
            version=body.version,
        )
    except VersionConflictError as error:
        if isinstance(error.detail, DayRow):
            error.detail = DayPublic.of(error.detail)
        raise
    session.commit()
    return DayPublic.of(row)


class CsvImportPublic(BaseModel):
    """What a CSV upload stored."""

    technicians_created: list[str]
    technicians_unchanged: list[str]
    jobs: JobsPublic


@router.post("/{date}/csv", status_code=201)
def upload_csv(
    session: SessionDep,
    settings: SettingsDep,
    _: DispatcherDep,
    date: dt.date,
    technicians_csv: UploadFile,
    jobs_csv: UploadFile,
) -> CsvImportPublic:
    """Load a day from technicians.csv and jobs.csv (the CLI's CSV format).

    All or nothing. Technicians already stored must be identical to the
    file's (edit them with PATCH otherwise); every job must be new.
    Problems name the file, line and column.
    """
    day_row = days.get_day(session, date)
    timezone = day_row.timezone if day_row else settings.default_timezone
    extra = dict(day_row.settings) if day_row else {}
    with tempfile.TemporaryDirectory() as folder:
        tech_path, job_path = Path(folder, "technicians.csv"), Path(folder, "jobs.csv")
        tech_path.write_bytes(technicians_csv.file.read())
        job_path.write_bytes(jobs_csv.file.read())
        problem = load_csv(
            tech_path, job_path, date=date.isoformat(), timezone=timezone, extra=extra
        )
    new, same, different = [], [], []
    for tech in problem.technicians:
        stored = session.get(TechnicianRow, tech.id)
        if stored is None:
            new.append(tech)
        elif stored.data == technician_doc(tech):
            same.append(tech.id)
        else:
            different.append(tech.id)
    if different:
        raise AlreadyExistsError(
            "technicians already stored with other data: " + ", ".join(different),
            detail=different,
        )
    technicians.create_technicians(session, new)
    rows = jobs.create_jobs(session, [(job, date) for job in problem.jobs])
    session.commit()
    return CsvImportPublic(
        technicians_created=[t.id for t in new],
        technicians_unchanged=same,
        jobs=JobsPublic(data=[JobPublic.of(r) for r in rows], count=len(rows)),
    )
