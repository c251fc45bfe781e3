"""Request dependencies: settings, a database session, who is calling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from fieldroute.api.auth import Principal, authenticate, cached_principal
from fieldroute.api.settings import Settings
from fieldroute.api.state import ServiceState
from fieldroute.errors import ForbiddenError

_bearer = HTTPBearer(auto_error=False, description="An API token.")


# The cheap dependencies are `async def` on purpose: FastAPI runs a plain
# `def` dependency in a worker thread, a hop that costs more than they do.


async def get_state(request: Request) -> ServiceState:
    """The service's shared state (settings, sessions, runner)."""
    state: ServiceState = request.app.state.service
    return state


StateDep = Annotated[ServiceState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(state: StateDep) -> Iterator[Session]:
    """A session for one request; routes commit what they change."""
    with state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_principal(
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Who is calling, from the Bearer token (401 without a valid one).

    A token seen recently is answered from memory; otherwise the look-up
    runs in a worker thread so the event loop never waits on the database.
    """
    token = credentials.credentials if credentials else None
    known = cached_principal(state, token)
    if known is not None:
        return known
    return await run_in_threadpool(authenticate, state, token)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def require_dispatcher(principal: PrincipalDep) -> Principal:
    """Only a dispatcher token passes; others get a 403 that names nothing."""
    if not principal.is_dispatcher:
        raise ForbiddenError("not allowed")
    return principal


DispatcherDep = Annotated[Principal, Depends(require_dispatcher)]
