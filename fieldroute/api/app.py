"""The FastAPI application: routers, error handlers, start-up and shut-down.

On start: migrate the database (unless told not to), fail the solves a
previous server process left unfinished, start the solve workers. On stop:
the runner asks running solves to cancel and waits for its workers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from fieldroute.api.errors import install_error_handlers
from fieldroute.api.routes import days, jobs, plans, solves, technicians, tokens
from fieldroute.api.settings import Settings
from fieldroute.api.state import ServiceState
from fieldroute.store import solves as solve_store
from fieldroute.store.database import make_engine, make_sessionmaker
from fieldroute.store.migrate import upgrade
from fieldroute.worker.runner import ProcessSolveRunner, SolveRunner


def _operation_id(route: APIRoute) -> str:
    """``tag-name`` operation ids, so generated clients read well."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_app(
    settings: Settings | None = None, *, runner: SolveRunner | None = None
) -> FastAPI:
    """A new application on `settings`' database.

    `runner` defaults to a process pool of ``settings.solve_workers`` owned
    (started and stopped) by the application; a runner passed in is shared
    and left running, as tests do to keep one pool for many apps.
    """
    settings = settings or Settings()
    owns_runner = runner is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database)
        if settings.migrate_on_start:
            upgrade(settings.database, engine=engine)
        service_runner: SolveRunner
        if runner is None:
            pool = ProcessSolveRunner(workers=settings.solve_workers)
            pool.start()
            service_runner = pool
        else:
            service_runner = runner
        state = ServiceState(
            settings=settings,
            engine=engine,
            sessions=make_sessionmaker(engine),
            runner=service_runner,
        )
        with state.sessions.begin() as session:
            solve_store.fail_unfinished(
                session, reason="the server stopped before the solve finished"
            )
        app.state.service = state
        try:
            yield
        finally:
            if owns_runner:
                service_runner.shutdown()
            engine.dispose()

    app = FastAPI(
        title="fieldroute dispatch service",
        summary="Technicians, jobs, background solves, plan versions, publishing.",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    install_error_handlers(app)
    for module in (technicians, jobs, days, solves, plans, tokens):
        app.include_router(module.router)
    return app
