"""Solve runs: the record a background solve reads its problem from and
writes its progress and outcome to.

The record is the only channel between the server and a worker: the server
sets ``cancel_requested``; the worker writes ``best_cost``/``elapsed_s`` as it
goes and, at the end, either the plan (succeeded) or the error. So a worker
may run in another process today and on another machine later.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fieldroute.errors import InvalidStateError, NotFoundError
from fieldroute.store.tables import PlanRow, SolveRow, SolveStatus
from fieldroute.store.types import utcnow


def get_solve(session: Session, solve_id: str) -> SolveRow:
    """The solve run `solve_id`, or `NotFoundError`."""
    row = session.get(SolveRow, solve_id)
    if row is None:
        raise NotFoundError(f"solve {solve_id} not found")
    return row


def create_solve(
    session: Session,
    *,
    day: date,
    problem: dict[str, Any],
    job_fingerprints: dict[str, str],
    engine: str,
    time_limit_s: float,
    seed: int,
) -> SolveRow:
    """Record a queued solve of `problem` (already validated)."""
    row = SolveRow(
        date=day,
        status=SolveStatus.QUEUED.value,
        problem=problem,
        job_fingerprints=job_fingerprints,
        engine=engine,
        time_limit_s=time_limit_s,
        seed=seed,
        cancel_requested=False,
    )
    session.add(row)
    session.flush()
    return row


def request_cancel(session: Session, solve_id: str) -> SolveRow:
    """Ask the solve to stop; a queued one is cancelled at once.

    A finished solve refuses (`InvalidStateError`). A running one stops at
    its worker's next check, within a fraction of a second.
    """
    row = get_solve(session, solve_id)
    if SolveStatus(row.status).finished:
        raise InvalidStateError(f"solve {solve_id} has already {row.status}")
    row.cancel_requested = True
    if row.status == SolveStatus.QUEUED.value:
        row.status = SolveStatus.CANCELLED.value
        row.finished_at = utcnow()
    session.flush()
    return row


def start(session: Session, solve_id: str) -> SolveRow | None:
    """Mark a queued solve running; None if it was cancelled or taken already."""
    taken = session.execute(
        update(SolveRow)
        .where(SolveRow.id == solve_id, SolveRow.status == SolveStatus.QUEUED.value)
        .values(status=SolveStatus.RUNNING.value, started_at=utcnow())
    )
    session.flush()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return get_solve(session, solve_id)


def record_progress(
    session: Session, solve_id: str, *, elapsed_s: float, best_cost: float | None
) -> bool:
    """Write progress; returns whether a cancellation has been requested."""
    session.execute(
        update(SolveRow)
        .where(SolveRow.id == solve_id)
        .values(elapsed_s=elapsed_s, best_cost=best_cost)
    )
    return is_cancel_requested(session, solve_id)


def is_cancel_requested(session: Session, solve_id: str) -> bool:
    """Whether someone asked this solve to stop."""
    return bool(
        session.scalar(select(SolveRow.cancel_requested).where(SolveRow.id == solve_id))
    )


def finish(
    session: Session,
    solve_id: str,
    *,
    plan_document: dict[str, Any] | None,
    elapsed_s: float,
    error: tuple[str, str] | None = None,
) -> SolveRow:
    """Close a running solve: store its plan, or its error, or mark cancelled.

    A cancellation requested before this moment wins over a finished plan:
    the plan is then dropped, so a cancelled solve never leaves a plan behind.
    Nothing here touches which plan is published.
    """
    row = session.get(SolveRow, solve_id, with_for_update=True)
    if row is None:
        raise NotFoundError(f"solve {solve_id} not found")
    session.refresh(row)
    row.finished_at = utcnow()
    row.elapsed_s = elapsed_s
    if row.cancel_requested:
        row.status = SolveStatus.CANCELLED.value
    elif error is not None:
        row.status = SolveStatus.FAILED.value
        row.error_code, row.error_message = error
    elif plan_document is not None:
        plan = PlanRow(
            date=row.date,
            source="solve",
            solve_id=row.id,
            document=plan_document,
            job_fingerprints=row.job_fingerprints,
        )
        session.add(plan)
        session.flush()
        row.plan_id = plan.id
        row.status = SolveStatus.SUCCEEDED.value
    session.flush()
    return row


def fail_unfinished(
    session: Session, *, reason: str, solve_id: str | None = None
) -> int:
    """Mark queued/running solves failed (all, or just `solve_id`); count them.

    Used when a worker died, and at server start for runs the previous server
    process left behind.
    """
    query = (
        update(SolveRow)
        .where(
            SolveRow.status.in_([SolveStatus.QUEUED.value, SolveStatus.RUNNING.value])
        )
        .values(
            status=SolveStatus.FAILED.value,
            error_code="worker_lost",
            error_message=reason,
            finished_at=utcnow(),
        )
    )
    if solve_id is not None:
        query = query.where(SolveRow.id == solve_id)
    result = session.execute(query)
    return int(result.rowcount)  # type: ignore[attr-defined]


def list_solves(session: Session, day: date) -> list[SolveRow]:
    """The solves of `day`, newest first."""
    return list(
        session.scalars(
            select(SolveRow)
            .where(SolveRow.date == day)
            .order_by(SolveRow.created_at.desc())
        )
    )
