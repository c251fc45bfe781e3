"""Technicians: create (one or many, all or nothing), read, edit, delete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from fieldroute.errors import AlreadyExistsError, NotFoundError, VersionConflictError
from fieldroute.model.problem import Technician
from fieldroute.store.tables import TechnicianRow
from fieldroute.store.types import utcnow
from fieldroute.store.validation import validate_as


def technician_doc(technician: Technician) -> dict[str, Any]:
    """The JSON stored for a technician (by alias, so ``break`` not ``break_``)."""
    return technician.model_dump(mode="json", by_alias=True, exclude_none=True)


def get_technician(session: Session, technician_id: str) -> TechnicianRow:
    """The technician `technician_id`, or `NotFoundError`."""
    row = session.get(TechnicianRow, technician_id)
    if row is None:
        raise NotFoundError(f"technician {technician_id} not found")
    return row


def list_technicians(
    session: Session, *, skip: int = 0, limit: int = 100
) -> tuple[list[TechnicianRow], int]:
    """One page of technicians by id, and how many there are in all."""
    count = session.scalar(select(func.count()).select_from(TechnicianRow)) or 0
    rows = session.scalars(
        select(TechnicianRow).order_by(TechnicianRow.id).offset(skip).limit(limit)
    ).all()
    return list(rows), count


def create_technicians(
    session: Session, technicians: Sequence[Technician]
) -> list[TechnicianRow]:
    """Insert all of `technicians` or none (an existing or repeated id refuses)."""
    ids = [t.id for t in technicians]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    existing = sorted(
        session.scalars(select(TechnicianRow.id).where(TechnicianRow.id.in_(ids)))
    )
    if repeated or existing:
        clash = sorted(set(repeated) | set(existing))
        raise AlreadyExistsError(
            f"technician id already used: {', '.join(clash)}", detail=clash
        )
    rows = [
        TechnicianRow(id=t.id, name=t.name, data=technician_doc(t)) for t in technicians
    ]
    session.add_all(rows)
    session.flush()
    return rows


def update_technician(
    session: Session, technician_id: str, changes: dict[str, Any], version: int
) -> TechnicianRow:
    """Apply `changes` (field -> new value) if the stored version is `version`.

    Raises `VersionConflictError` (detail: the current row) when someone else
    edited the technician first, `InputError` naming the field when the result
    is not a valid technician.
    """
    row = get_technician(session, technician_id)
    if row.version != version:
        raise VersionConflictError(
            f"technician {technician_id} was edited meanwhile", detail=row
        )
    merged = {**row.data, **changes, "id": technician_id}
    technician = validate_as(Technician, merged)
    row.data = technician_doc(technician)
    row.name = technician.name
    row.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        # Another transaction committed between our read and our write.
        session.rollback()
        raise VersionConflictError(
            f"technician {technician_id} was edited meanwhile",
            detail=get_technician(session, technician_id),
        ) from None
    return row


def delete_technician(session: Session, technician_id: str) -> None:
    """Remove the technician; plans already stored keep their copy."""
    session.delete(get_technician(session, technician_id))
    session.flush()
