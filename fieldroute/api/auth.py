"""Who is calling: API tokens with two roles.

A dispatcher token may do everything. A technician token may read only that
technician's published route and post status updates for jobs the published
plan gives that technician; anything else is 403 with the same text whether
the record exists or not, so a token learns nothing of others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from fieldroute.api.state import ServiceState
from fieldroute.errors import ForbiddenError, UnauthorizedError
from fieldroute.store.tables import Role
from fieldroute.store.tokens import find_token, token_sha256

#: How long a known token is trusted without a database look-up. Tokens are
#: never edited (only created), so this only bounds memory, not correctness.
TOKEN_CACHE_TTL_S = 60.0
TOKEN_CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a role, and for technicians which one."""

    role: Role
    technician_id: str | None = None

    @property
    def is_dispatcher(self) -> bool:
        return self.role is Role.DISPATCHER

    def require_technician(self, technician_id: str) -> None:
        """Pass a dispatcher or that very technician; 403 otherwise."""
        if not self.is_dispatcher and self.technician_id != technician_id:
            raise ForbiddenError("not allowed")


def cached_principal(state: ServiceState, token: str | None) -> Principal | None:
    """The principal of a token looked up less than `TOKEN_CACHE_TTL_S` ago."""
    if not token:
        return None
    cached = state.token_cache.get(token_sha256(token))
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    return None


def authenticate(state: ServiceState, token: str | None) -> Principal:
    """The principal of `token` from the database, or `UnauthorizedError`."""
    if not token:
        raise UnauthorizedError("an API token is required (Authorization: Bearer)")
    with state.sessions() as session:
        row = find_token(session, token)
    if row is None:
        raise UnauthorizedError("unknown API token")
    principal = Principal(role=Role(row.role), technician_id=row.technician_id)
    if len(state.token_cache) > TOKEN_CACHE_SIZE:
        state.token_cache.clear()
    state.token_cache[token_sha256(token)] = (
        principal,
        time.monotonic() + TOKEN_CACHE_TTL_S,
    )
    return principal


def forbid() -> ForbiddenError:
    """The one 403 every refusal uses (it must not say why)."""
    return ForbiddenError("not allowed")
