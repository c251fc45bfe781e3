"""API tokens: a dispatcher creates tokens for people and integrations."""

from __future__ import annotations

from fastapi import APIRouter

from fieldroute.api.deps import DispatcherDep, SessionDep
from fieldroute.api.errors import ERROR_RESPONSES
from fieldroute.api.schemas.tokens import TokenCreate, TokenPublic
from fieldroute.store.tables import Role
from fieldroute.store.tokens import create_token

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=ERROR_RESPONSES)


@router.post("", status_code=201)
def create(session: SessionDep, _: DispatcherDep, body: TokenCreate) -> TokenPublic:
    """Create a token; its secret is in this answer only (stored hashed)."""
    issued = create_token(
        session, role=body.role, technician_id=body.technician_id, label=body.label
    )
    session.commit()
    row = issued.row
    return TokenPublic(
        id=row.id,
        token=issued.token,
        role=Role(row.role),
        technician_id=row.technician_id,
        created_at=row.created_at,
    )
