"""Day schemas: a day's problem settings, and solve requests."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fieldroute.model.clock import parse_timezone
from fieldroute.model.problem import Identifier, Objective, Options
from fieldroute.store.tables import DayRow


class DayUpdate(BaseModel):
    """What a day's problem takes besides technicians and jobs."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = Field(examples=["Europe/Helsinki"])
    name: str = ""
    skills: list[Identifier] | None = None
    objective: Objective = Objective()
    options: Options = Options()
    version: int | None = Field(
        default=None, ge=1, description="Needed to replace existing settings."
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        parse_timezone(value)
        return value


class DayPublic(BaseModel):
    """A day's settings and its live plan."""

    date: dt.date
    timezone: str
    name: str = ""
    skills: list[str] | None = None
    objective: Objective
    options: Options
    published_plan_id: str | None
    version: int | None = Field(description="None until settings are stored.")
    updated_at: dt.datetime | None

    @classmethod
    def of(cls, row: DayRow) -> DayPublic:
        """The public form of a stored row."""
        settings = row.settings
        return cls(
            date=row.date,
            timezone=row.timezone,
            name=settings.get("name", ""),
            skills=settings.get("skills"),
            objective=Objective.model_validate(settings.get("objective", {})),
            options=Options.model_validate(settings.get("options", {})),
            published_plan_id=row.published_plan_id,
            version=row.version,
            updated_at=row.updated_at,
        )


class SolveCreate(BaseModel):
    """How to solve; defaults come from the day's options."""

    model_config = ConfigDict(extra="forbid")

    time_limit_s: float | None = Field(default=None, gt=0)
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)
    engine: str = Field(default="pyvrp", examples=["pyvrp"])
