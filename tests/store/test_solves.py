"""Solve records: a cancellation wins over a plan that arrives with it."""

from __future__ import annotations

import datetime as dt

from fieldroute.store import plans, solves
from fieldroute.store.database import DatabaseConfig, make_engine, make_sessionmaker
from fieldroute.store.tables import SolveStatus

DAY = dt.date(2026, 11, 23)


def test_a_plan_finished_after_cancel_was_asked_is_dropped(
    database: DatabaseConfig,
) -> None:
    """finish() with a plan on a cancel-requested solve stores no plan."""
    engine = make_engine(database)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        row = solves.create_solve(
            session,
            day=DAY,
            problem={},
            job_fingerprints={},
            engine="pyvrp",
            time_limit_s=1,
            seed=0,
        )
        solve_id = row.id
    with sessions.begin() as session:
        assert solves.start(session, solve_id) is not None
        solves.request_cancel(session, solve_id)
    with sessions.begin() as session:
        final = solves.finish(
            session, solve_id, plan_document={"kpis": {}}, elapsed_s=1.0
        )
        assert final.status == SolveStatus.CANCELLED
        assert final.plan_id is None
    with sessions.begin() as session:
        assert plans.list_plans(session, DAY)[1] == 0
    engine.dispose()


def test_a_solve_cancelled_while_queued_never_starts(database: DatabaseConfig) -> None:
    """Cancel before a worker takes it: cancelled at once; start() refuses."""
    engine = make_engine(database)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        solve_id = solves.create_solve(
            session,
            day=DAY,
            problem={},
            job_fingerprints={},
            engine="pyvrp",
            time_limit_s=1,
            seed=0,
        ).id
        solves.request_cancel(session, solve_id)
    with sessions.begin() as session:
        assert solves.get_solve(session, solve_id).status == SolveStatus.CANCELLED
        assert solves.start(session, solve_id) is None
    engine.dispose()
