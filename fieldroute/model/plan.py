"""The plan as users read it: routes, unassigned jobs with reasons, KPIs.

Times are ISO-8601 local datetimes with offset; durations are integer seconds
and distances integer metres (names say so). The JSON Schema is published in
``docs/plan.schema.json``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PlannedStop(_Out):
    job_id: str
    name: str = ""
    lat: float
    lon: float
    arrival: datetime
    start: datetime
    end: datetime
    travel_s: int = Field(ge=0, description="Driving time of the leg into this stop.")
    distance_m: int = Field(ge=0, description="Length of the leg into this stop.")
    wait_s: int = Field(ge=0, description="Idle time before service starts.")
    late_s: int = Field(default=0, ge=0)


class PlannedBreak(_Out):
    start: datetime
    end: datetime
    before_job_id: str | None = Field(
        default=None, description="Taken before this job; None = before the return."
    )


class RouteTotals(_Out):
    jobs: int
    drive_s: int
    distance_m: int
    service_s: int
    wait_s: int
    work_s: int
    overtime_s: int
    value: float


class PlannedRoute(_Out):
    technician_id: str
    departure: datetime
    return_: datetime = Field(alias="return")
    stops: list[PlannedStop]
    break_: PlannedBreak | None = Field(default=None, alias="break")
    totals: RouteTotals


UnassignedCode = Literal[
    "no_skill",
    "no_eligible_technician",
    "pin_impossible",
    "unreachable",
    "out_of_time",
    "no_capacity",
    "not_worth_it",
    "not_planned",
]


class UnassignedJob(_Out):
    job_id: str
    code: UnassignedCode
    reason: str


class PlanViolation(_Out):
    kind: str
    technician_id: str | None
    job_id: str | None
    amount: int
    message: str


class PlanKpis(_Out):
    technicians_used: int
    jobs_done: int
    jobs_unassigned: int
    mandatory_unassigned: int
    drive_s: int
    distance_m: int
    service_s: int
    wait_s: int
    work_s: int
    overtime_s: int
    late_stops: int
    on_time_rate: float
    value: float
    value_per_field_hour: float
    cost: float
    violations: int


class PlanMeta(_Out):
    engine: str
    travel: str
    time_limit_s: float
    seed: int
    solve_s: float = Field(description="Wall time of the whole solve.")
    unsupported: list[str] = Field(
        default=[], description="Constraints the engine could not express."
    )


class Plan(_Out):
    """One route per technician used, jobs left out with reasons, KPIs."""

    problem: str = ""
    date: str
    timezone: str
    routes: list[PlannedRoute]
    unassigned: list[UnassignedJob]
    violations: list[PlanViolation]
    kpis: PlanKpis
    meta: PlanMeta | None = None

    @property
    def feasible(self) -> bool:
        return not self.violations
