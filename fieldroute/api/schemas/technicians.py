"""Technician schemas: the domain `Technician` plus bookkeeping."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fieldroute.api.schemas.common import ReadVersion
from fieldroute.model.problem import (
    Break,
    Identifier,
    Location,
    Shift,
    Technician,
)
from fieldroute.store.tables import TechnicianRow


class TechnicianCreate(Technician):
    """A new technician: exactly the `Technician` of a problem document."""


class TechniciansCreate(BaseModel):
    """Several technicians at once, all or nothing."""

    model_config = ConfigDict(extra="forbid")

    data: list[TechnicianCreate] = Field(min_length=1, max_length=10_000)


class TechnicianUpdate(BaseModel):
    """Fields to change (others are kept), and the version they were read at."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    version: ReadVersion
    name: str | None = None
    start: Location | None = None
    end: Location | None = None
    shift: Shift | None = None
    skills: list[Identifier] | None = None
    max_jobs: int | None = Field(default=None, ge=0)
    max_work_minutes: float | None = Field(default=None, gt=0, le=24 * 60)
    break_: Break | None = Field(default=None, alias="break")
    territory: Identifier | None = None
    capacity: dict[Identifier, int] | None = None
    cost_per_hour: float | None = Field(default=None, ge=0)


class TechnicianPublic(Technician):
    """A stored technician."""

    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: TechnicianRow) -> TechnicianPublic:
        """The public form of a stored row."""
        return cls.model_validate(
            {
                **row.data,
                "version": row.version,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
            }
        )


class TechniciansPublic(BaseModel):
    """A page of technicians and how many there are in all."""

    data: list[TechnicianPublic]
    count: int
