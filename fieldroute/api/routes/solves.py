"""Solves: start one in the background, follow its progress, cancel it."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Response

from fieldroute.api.deps import DispatcherDep, SessionDep, StateDep
from fieldroute.api.errors import ERROR_RESPONSES
from fieldroute.api.schemas.days import SolveCreate
from fieldroute.api.schemas.solves import SolvePublic
from fieldroute.engines import ENGINES
from fieldroute.errors import InputError, InputProblem, ServiceError
from fieldroute.model.load import problem_from_dict
from fieldroute.store import solves
from fieldroute.store.days import day_problem

router = APIRouter(tags=["solves"], responses=ERROR_RESPONSES)


@router.post("/days/{date}/solve", status_code=202)
def start_solve(
    state: StateDep,
    session: SessionDep,
    _: DispatcherDep,
    date: dt.date,
    response: Response,
    body: SolveCreate | None = None,
) -> SolvePublic:
    """Start solving a day in the background; returns the solve at once.

    The day's problem is assembled and checked now, so a problem with bad
    records is refused here (422, each record and field named) rather than
    failing later.
    """
    body = body or SolveCreate()
    settings = state.settings
    if body.engine not in ENGINES:
        known = ", ".join(sorted(ENGINES))
        raise InputError(InputProblem("body.engine", f"unknown engine; one of {known}"))
    day = day_problem(session, date, settings.default_timezone)
    problem = problem_from_dict(day.document)
    time_limit_s = body.time_limit_s or problem.options.time_limit_s
    if time_limit_s > settings.max_time_limit_s:
        raise InputError(
            InputProblem(
                "body.time_limit_s",
                f"must be <= {settings.max_time_limit_s:g} s on this service",
            )
        )
    row = solves.create_solve(
        session,
        day=date,
        problem=problem.model_dump(mode="json", by_alias=True),
        job_fingerprints=day.job_fingerprints,
        engine=body.engine,
        time_limit_s=time_limit_s,
        seed=problem.options.seed if body.seed is None else body.seed,
    )
    session.commit()
    try:
        state.runner.submit(settings.database, row.id)
    except ServiceError as error:
        solves.fail_unfinished(session, reason=str(error), solve_id=row.id)
        session.commit()
        raise
    response.headers["Location"] = f"/solves/{row.id}"
    return SolvePublic.of(row)


@router.get("/days/{date}/solves")
def read_day_solves(
    session: SessionDep, _: DispatcherDep, date: dt.date
) -> list[SolvePublic]:
    """Retrieve the solves of a day, newest first."""
    return [SolvePublic.of(r) for r in solves.list_solves(session, date)]


@router.get("/solves/{solve_id}")
def read_solve(session: SessionDep, _: DispatcherDep, solve_id: str) -> SolvePublic:
    """Retrieve a solve: status, best objective so far, elapsed time."""
    return SolvePublic.of(solves.get_solve(session, solve_id))


@router.post("/solves/{solve_id}/cancel", status_code=202)
def cancel_solve(session: SessionDep, _: DispatcherDep, solve_id: str) -> SolvePublic:
    """Ask a solve to stop; it stores no plan, the published one stays."""
    row = solves.request_cancel(session, solve_id)
    session.commit()
    return SolvePublic.of(row)
