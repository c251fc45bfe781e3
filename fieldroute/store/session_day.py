"""Store a whole day, solve it as the service does, publish it: one call.

Used by `fieldroute demo` so the two-command set-up exercises the embedded
defaults end to end (SQLite store, background-solve task, publication) and by
anyone seeding a database from a problem file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldroute.model.plan import Plan
from fieldroute.model.problem import Problem
from fieldroute.store.database import DatabaseConfig, make_engine, make_sessionmaker
from fieldroute.store.days import day_problem, put_day
from fieldroute.store.jobs import create_jobs
from fieldroute.store.migrate import upgrade
from fieldroute.store.plans import get_plan, publish
from fieldroute.store.solves import create_solve, get_solve
from fieldroute.store.technicians import create_technicians
from fieldroute.worker.task import run_solve


@dataclass(frozen=True)
class StoredDay:
    solve_id: str
    status: str
    plan_id: str | None
    plan: Plan | None


def store_solve_publish(
    problem: Problem,
    database: DatabaseConfig,
    *,
    time_limit_s: float | None = None,
    engine: str = "pyvrp",
) -> StoredDay:
    """Load `problem` into an empty database, solve its day, publish the plan."""
    upgrade(database)
    db = make_engine(database)
    try:
        sessions = make_sessionmaker(db)
        settings: dict[str, Any] = problem.model_dump(
            mode="json",
            by_alias=True,
            include={"name", "skills", "objective", "options"},
        )
        with sessions.begin() as session:
            put_day(
                session,
                problem.date,
                timezone=problem.timezone,
                settings=settings,
                version=None,
            )
            create_technicians(session, problem.technicians)
            create_jobs(session, [(job, problem.date) for job in problem.jobs])
            day = day_problem(session, problem.date, problem.timezone)
            solve_id = create_solve(
                session,
                day=problem.date,
                problem=day.document,
                job_fingerprints=day.job_fingerprints,
                engine=engine,
                time_limit_s=time_limit_s or problem.options.time_limit_s,
                seed=problem.options.seed,
            ).id
        status = run_solve(database, solve_id)
        with sessions.begin() as session:
            plan_id = get_solve(session, solve_id).plan_id
            if plan_id is None:
                return StoredDay(solve_id, status, None, None)
            publish(session, plan_id, force=False, default_timezone=problem.timezone)
            document = get_plan(session, plan_id).document
        return StoredDay(solve_id, status, plan_id, Plan.model_validate(document))
    finally:
        db.dispose()
