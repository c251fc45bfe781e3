"""Plan schemas: stored versions, publication, a dispatcher's edit and its check."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from fieldroute.model.plan import Plan, PlanKpis, PlannedRoute, PlanViolation
from fieldroute.model.problem import Identifier
from fieldroute.store.tables import PlanRow


class PlanSummary(BaseModel):
    """A plan version without its routes."""

    id: str
    date: dt.date
    source: str = Field(description='"solve" or "edit".')
    solve_id: str | None
    based_on: str | None
    created_at: dt.datetime
    published: bool = Field(description="Is this the live plan of its day?")
    kpis: PlanKpis

    @classmethod
    def of(cls, row: PlanRow, *, published: bool) -> PlanSummary:
        """The public summary of a stored row."""
        return cls(
            id=row.id,
            date=row.date,
            source=row.source,
            solve_id=row.solve_id,
            based_on=row.based_on,
            created_at=row.created_at,
            published=published,
            kpis=PlanKpis.model_validate(row.document["kpis"]),
        )


class PlanPublic(PlanSummary):
    """A stored plan version with its document."""

    plan: Plan

    @classmethod
    def full(cls, row: PlanRow, *, published: bool) -> PlanPublic:
        """The public form of a stored row, document included."""
        summary = PlanSummary.of(row, published=published)
        return cls(**summary.__dict__, plan=Plan.model_validate(row.document))


class PlansPublic(BaseModel):
    """A page of a day's plan versions, newest first."""

    data: list[PlanSummary]
    count: int


class PublicationPublic(BaseModel):
    """The answer to a publish: the plan is live; stale tells what changed."""

    plan_id: str
    date: dt.date
    published_at: dt.datetime
    stale: bool = Field(description="Jobs changed after the plan was made.")
    changed_jobs: list[str]


class PlanEdit(BaseModel):
    """A dispatcher's version of the plan: moves, re-orders and pins.

    `routes` gives each technician's jobs in order (a technician left out has
    no jobs; a job in no route is unassigned). `pins` pins jobs to
    technicians for the check, as the job's `pinned_technician` would.
    """

    model_config = ConfigDict(extra="forbid")

    routes: dict[Identifier, list[Identifier]]
    pins: dict[Identifier, Identifier] = {}
    save: bool = Field(
        default=False, description="Store the checked edit as a new plan version."
    )


class PlanCheckPublic(BaseModel):
    """What the evaluator says of an edited plan (nothing is re-solved)."""

    feasible: bool
    violations: list[PlanViolation]
    plan: Plan
    changed_jobs: list[str] = Field(
        description="Jobs of the base plan edited or deleted since it was made."
    )
    saved_plan_id: str | None = None


class TechnicianRoutePublic(BaseModel):
    """One technician's published route of a day (None: no stops that day)."""

    technician_id: str
    date: dt.date
    plan_id: str
    route: PlannedRoute | None
