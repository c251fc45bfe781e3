"""Technicians: CRUD, bulk create, and one technician's published route."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Response

from fieldroute.api.deps import DispatcherDep, PrincipalDep, SessionDep, StateDep
from fieldroute.api.errors import ERROR_RESPONSES
from fieldroute.api.schemas.common import Limit, Skip
from fieldroute.api.schemas.plans import TechnicianRoutePublic
from fieldroute.api.schemas.technicians import (
    TechnicianCreate,
    TechnicianPublic,
    TechniciansCreate,
    TechniciansPublic,
    TechnicianUpdate,
)
from fieldroute.errors import NotFoundError, VersionConflictError
from fieldroute.model.problem import Technician
from fieldroute.store import plans, technicians
from fieldroute.store.tables import TechnicianRow

router = APIRouter(
    prefix="/technicians", tags=["technicians"], responses=ERROR_RESPONSES
)


def _conflict(error: VersionConflictError) -> VersionConflictError:
    """The same conflict, carrying the current record in public form."""
    if isinstance(error.detail, TechnicianRow):
        error.detail = TechnicianPublic.of(error.detail)
    return error


@router.get("")
def read_technicians(
    session: SessionDep,
    _: DispatcherDep,
    skip: Skip = 0,
    limit: Limit = 100,
) -> TechniciansPublic:
    """Retrieve technicians."""
    rows, count = technicians.list_technicians(session, skip=skip, limit=limit)
    return TechniciansPublic(data=[TechnicianPublic.of(r) for r in rows], count=count)


@router.post("", status_code=201)
def create_technician(
    session: SessionDep, _: DispatcherDep, body: TechnicianCreate
) -> TechnicianPublic:
    """Create a technician."""
    (row,) = technicians.create_technicians(
        session, [Technician.model_validate(body.model_dump(by_alias=True))]
    )
    session.commit()
    return TechnicianPublic.of(row)


@router.post("/bulk", status_code=201)
def create_technicians(
    session: SessionDep, _: DispatcherDep, body: TechniciansCreate
) -> TechniciansPublic:
    """Create many technicians, all or none."""
    rows = technicians.create_technicians(
        session,
        [Technician.model_validate(t.model_dump(by_alias=True)) for t in body.data],
    )
    session.commit()
    return TechniciansPublic(
        data=[TechnicianPublic.of(r) for r in rows], count=len(rows)
    )


@router.get("/{technician_id}")
def read_technician(
    session: SessionDep, _: DispatcherDep, technician_id: str
) -> TechnicianPublic:
    """Retrieve one technician."""
    return TechnicianPublic.of(technicians.get_technician(session, technician_id))


@router.patch("/{technician_id}")
def update_technician(
    session: SessionDep, _: DispatcherDep, technician_id: str, body: TechnicianUpdate
) -> TechnicianPublic:
    """Change a technician's fields (409 with the current one if edited since)."""
    changes = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    version = changes.pop("version")
    try:
        row = technicians.update_technician(session, technician_id, changes, version)
    except VersionConflictError as error:
        raise _conflict(error) from None
    session.commit()
    return TechnicianPublic.of(row)


@router.delete("/{technician_id}", status_code=204)
def delete_technician(
    session: SessionDep, _: DispatcherDep, technician_id: str
) -> Response:
    """Delete a technician (stored plans keep their copy)."""
    technicians.delete_technician(session, technician_id)
    session.commit()
    return Response(status_code=204)


@router.get("/{technician_id}/route")
def read_route(
    state: StateDep,
    session: SessionDep,
    principal: PrincipalDep,
    technician_id: str,
    date: dt.date,
) -> TechnicianRoutePublic:
    """Retrieve a technician's route in the published plan of `date`."""
    principal.require_technician(technician_id)
    plan_id = plans.published_plan_id(session, date)
    if plan_id is None:
        raise NotFoundError(f"no plan of {date} is published")
    plan = state.plan(plan_id, lambda: plans.get_plan(session, plan_id).document)
    route = next((r for r in plan.routes if r.technician_id == technician_id), None)
    return TechnicianRoutePublic(
        technician_id=technician_id, date=date, plan_id=plan_id, route=route
    )
