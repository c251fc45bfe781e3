"""Job schemas: the domain `Job` plus its date, status and bookkeeping."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fieldroute.api.schemas.common import ReadVersion
from fieldroute.model.problem import Identifier, Job, Location, TimeWindow
from fieldroute.store.tables import JobRow, JobStatus


class JobCreate(Job):
    """A new job: a problem's `Job` and the day it is for."""

    date: dt.date


class JobsCreate(BaseModel):
    """Several jobs at once, all or nothing."""

    model_config = ConfigDict(extra="forbid")

    data: list[JobCreate] = Field(min_length=1, max_length=10_000)


class JobUpdate(BaseModel):
    """Fields to change (others are kept), and the version they were read at."""

    model_config = ConfigDict(extra="forbid")

    version: ReadVersion
    date: dt.date | None = None
    name: str | None = None
    location: Location | None = None
    duration_minutes: float | None = Field(default=None, ge=0, le=24 * 60)
    time_windows: list[TimeWindow] | None = None
    required_skills: list[Identifier] | None = None
    demand: dict[Identifier, int] | None = None
    priority: int | None = Field(default=None, ge=1, le=5)
    value: float | None = Field(default=None, ge=0)
    optional: bool | None = None
    pinned_technician: Identifier | None = None
    territory: Identifier | None = None
    contact: str | None = None


class JobStatusUpdate(BaseModel):
    """A new status; technicians may only report en_route, arrived and done."""

    model_config = ConfigDict(extra="forbid")

    status: JobStatus
    version: ReadVersion | None = Field(
        default=None, description="If given, refused with 409 when stale."
    )


class JobPublic(Job):
    """A stored job."""

    date: dt.date
    status: Literal["unplanned", "planned", "en_route", "arrived", "done", "cancelled"]
    assigned_technician_id: str | None = Field(
        description="The technician of the published plan, if any."
    )
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: JobRow) -> JobPublic:
        """The public form of a stored row."""
        return cls.model_validate(
            {
                **row.data,
                "date": row.date,
                "status": row.status,
                "assigned_technician_id": row.assigned_technician_id,
                "version": row.version,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
            }
        )


class JobsPublic(BaseModel):
    """A page of jobs and how many match in all."""

    data: list[JobPublic]
    count: int
