"""Solve run schemas: status and progress."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from fieldroute.store.tables import SolveRow, SolveStatus
from fieldroute.store.types import utcnow


class SolveError(BaseModel):
    code: str
    message: str


class SolvePublic(BaseModel):
    """A solve run: where it is, the best objective so far, how long it ran."""

    id: str
    date: dt.date
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    engine: str
    time_limit_s: float
    seed: int
    cancel_requested: bool
    best_cost: float | None
    elapsed_s: float | None
    plan_id: str | None
    error: SolveError | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, row: SolveRow) -> SolvePublic:
        """The public form of a stored row; a running solve's time is live."""
        elapsed = row.elapsed_s
        if row.status == SolveStatus.RUNNING.value and row.started_at is not None:
            elapsed = round((utcnow() - row.started_at).total_seconds(), 3)
        error = None
        if row.error_code is not None:
            error = SolveError(code=row.error_code, message=row.error_message or "")
        return cls(
            id=row.id,
            date=row.date,
            status=row.status,
            engine=row.engine,
            time_limit_s=row.time_limit_s,
            seed=row.seed,
            cancel_requested=row.cancel_requested,
            best_cost=row.best_cost,
            elapsed_s=elapsed,
            plan_id=row.plan_id,
            error=error,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )
