"""API token schemas."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fieldroute.model.problem import Identifier
from fieldroute.store.tables import Role


class TokenCreate(BaseModel):
    """A new token: a dispatcher's, or a technician's naming that technician."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    technician_id: Identifier | None = None
    label: str = Field(default="", max_length=200)


class TokenPublic(BaseModel):
    """A token just created; `token` is shown only this once."""

    id: str
    token: str
    role: Role
    technician_id: str | None
    created_at: datetime
