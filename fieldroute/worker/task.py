"""One background solve, as a worker runs it: read, solve, write back.

Everything goes through the solve's database record (`fieldroute.store.solves`),
so the task needs only the database config and the solve id: it runs the same
in a local process pool or, later, on another machine fed by a queue.
"""

from __future__ import annotations

import math
import time

from sqlalchemy import Engine

from fieldroute.errors import FieldrouteError
from fieldroute.model.problem import Problem
from fieldroute.solve.pipeline import solve
from fieldroute.store import solves
from fieldroute.store.database import DatabaseConfig, make_engine, make_sessionmaker

#: How often progress is written and cancellation is looked up, at most.
#: Often enough that cancelling feels immediate, rare enough to cost nothing.
POLL_INTERVAL_S = 0.2


class _Channel:
    """Progress out and cancellation in, through the solve record, throttled."""

    def __init__(self, engine: Engine, solve_id: str) -> None:
        self._sessions = make_sessionmaker(engine)
        self._solve_id = solve_id
        self._started = time.perf_counter()
        self._last_poll = 0.0
        self._cancelled = False
        self.best_cost: float | None = None

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self._started

    def progress(self, _engine_elapsed_s: float, best_cost: float | None) -> None:
        if best_cost is not None and math.isfinite(best_cost):
            self.best_cost = best_cost
        self._poll(write=True)

    def cancelled(self) -> bool:
        self._poll(write=False)
        return self._cancelled

    def _poll(self, *, write: bool) -> None:
        now = time.perf_counter()
        if now - self._last_poll < POLL_INTERVAL_S:
            return
        self._last_poll = now
        with self._sessions.begin() as session:
            if write:
                self._cancelled = solves.record_progress(
                    session,
                    self._solve_id,
                    elapsed_s=round(self.elapsed_s, 3),
                    best_cost=self.best_cost,
                )
            else:
                self._cancelled = solves.is_cancel_requested(session, self._solve_id)


def run_solve(database: DatabaseConfig, solve_id: str) -> str:
    """Run the queued solve `solve_id` to its end; returns its final status.

    A failure of the solver is recorded on the solve (code and message), never
    raised; a cancelled solve stores no plan. The published plan is never
    touched: publishing is the dispatcher's act.
    """
    engine = make_engine(database)
    sessions = make_sessionmaker(engine)
    try:
        with sessions.begin() as session:
            row = solves.start(session, solve_id)
            if row is None:  # cancelled while queued, or taken by another worker
                return solves.get_solve(session, solve_id).status
            problem = Problem.model_validate(row.problem)
            time_limit_s, seed, engine_name = row.time_limit_s, row.seed, row.engine
        channel = _Channel(engine, solve_id)
        document = None
        error: tuple[str, str] | None = None
        try:
            plan = solve(
                problem,
                engine=engine_name,
                time_limit_s=time_limit_s,
                seed=seed,
                progress=channel.progress,
                cancel=channel.cancelled,
            )
            document = plan.model_dump(mode="json", by_alias=True)
        except FieldrouteError as failure:
            error = (failure.code, str(failure))
        except Exception as failure:  # a bug must still close the record
            error = ("internal_error", f"{type(failure).__name__}: {failure}")
        with sessions.begin() as session:
            final = solves.finish(
                session,
                solve_id,
                plan_document=document,
                elapsed_s=round(channel.elapsed_s, 3),
                error=error,
            )
            if channel.best_cost is not None and final.best_cost is None:
                final.best_cost = channel.best_cost
            return final.status
    finally:
        engine.dispose()
