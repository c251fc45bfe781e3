"""API tokens: random secrets given once, stored as their sha256 only.

A sha256 (no salt, no stretching) is enough here because the secret is 32
random bytes, not a password a person chose: it cannot be guessed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldroute.errors import InputError, InputProblem
from fieldroute.store.tables import Role, TokenRow

TOKEN_BYTES = 32


def token_sha256(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: the secret is shown this once."""

    token: str
    row: TokenRow


def create_token(
    session: Session, *, role: Role, technician_id: str | None, label: str = ""
) -> IssuedToken:
    """Create a token; a technician token must name its technician."""
    if role is Role.TECHNICIAN and not technician_id:
        raise InputError(
            InputProblem("technician", "a technician token needs a technician id")
        )
    if role is Role.DISPATCHER and technician_id:
        raise InputError(
            InputProblem("technician", "a dispatcher token names no technician")
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = TokenRow(
        token_sha256=token_sha256(token),
        role=role.value,
        technician_id=technician_id,
        label=label,
    )
    session.add(row)
    session.flush()
    return IssuedToken(token=token, row=row)


def find_token(session: Session, token: str) -> TokenRow | None:
    """The stored token matching `token`, if any."""
    return session.scalars(
        select(TokenRow).where(TokenRow.token_sha256 == token_sha256(token))
    ).first()
