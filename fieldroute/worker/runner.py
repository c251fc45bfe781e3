"""Where background solves run: the `SolveRunner` interface and a process pool.

The server only ever calls `submit(database, solve_id)`; the worker finds
everything else in the solve's record. A runner that puts solves on a queue
for workers on other machines needs nothing more.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from threading import Lock
from typing import Protocol

from fieldroute.errors import FieldrouteError, UnavailableError
from fieldroute.store import solves
from fieldroute.store.database import DatabaseConfig, make_engine, make_sessionmaker
from fieldroute.worker.task import run_solve

log = logging.getLogger(__name__)

#: Niceness of solve workers: the API answers first, the solver takes the rest.
WORKER_NICENESS = 10


class SolveRunner(Protocol):
    """Runs queued solves outside the request that asked for them."""

    def submit(self, database: DatabaseConfig, solve_id: str) -> None:
        """Start (or queue) the solve `solve_id` stored in `database`."""
        ...

    def shutdown(self) -> None:
        """Stop accepting solves and wait for the running ones to end."""
        ...


def _lower_priority() -> None:
    # A solve is CPU-bound; on a 2-core machine it must not starve the API.
    os.nice(WORKER_NICENESS)


def _warm_up() -> None:
    """Import the solver stack once so the first real solve starts at once."""
    import fieldroute.solve.pipeline  # noqa: F401


def _ask_cancel(database: DatabaseConfig, solve_id: str) -> None:
    engine = make_engine(database)
    try:
        with make_sessionmaker(engine).begin() as session:
            solves.request_cancel(session, solve_id)
    except FieldrouteError:
        pass  # finished meanwhile, or gone with its database
    finally:
        engine.dispose()


class ProcessSolveRunner:
    """Solves in a pool of worker processes of this machine.

    Processes are started with "spawn" (no fork of a threaded server). A
    worker that dies (out of memory, a crash in native code) fails its solve
    with code ``worker_lost`` and the pool is rebuilt for the next one.
    """

    def __init__(self, *, workers: int = 1) -> None:
        self._workers = workers
        self._lock = Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        #: Solves submitted and not yet ended, to cancel at shutdown.
        self._in_flight: dict[str, DatabaseConfig] = {}
        self._flight_lock = Lock()

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_lower_priority,
        )
        for _ in range(self._workers):
            pool.submit(_warm_up)
        return pool

    def start(self) -> None:
        """Start the worker processes now rather than at the first solve."""
        with self._lock:
            if self._pool is None:
                self._pool = self._new_pool()

    def submit(self, database: DatabaseConfig, solve_id: str) -> None:
        """Queue the solve on the pool; its end is recorded by the worker."""
        with self._lock:
            if self._closed:
                raise UnavailableError("the solve workers are shutting down")
            if self._pool is None:
                self._pool = self._new_pool()
            try:
                future = self._pool.submit(run_solve, database, solve_id)
            except BrokenProcessPool:
                self._pool = self._new_pool()
                future = self._pool.submit(run_solve, database, solve_id)
            with self._flight_lock:
                self._in_flight[solve_id] = database
        future.add_done_callback(lambda f: self._done(f, database, solve_id))

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for health checks and tests)."""
        with self._lock:
            processes = dict(getattr(self._pool, "_processes", None) or {})
        return sorted(processes)

    def _done(
        self, future: Future[str], database: DatabaseConfig, solve_id: str
    ) -> None:
        # Not self._lock: this runs on the pool's manager thread, which may
        # hold the pool's own lock that a submit() under self._lock waits for.
        with self._flight_lock:
            self._in_flight.pop(solve_id, None)
        error = future.exception() if not future.cancelled() else None
        if error is None and not future.cancelled():
            return
        reason = f"the solve worker stopped: {error or 'cancelled at shutdown'}"
        log.error("solve %s: %s", solve_id, reason)
        # A broken pool is rebuilt by the next submit, not here: this runs
        # on the pool's own manager thread, which must not wait on a new pool.
        engine = make_engine(database)
        try:
            with make_sessionmaker(engine).begin() as session:
                solves.fail_unfinished(session, reason=reason, solve_id=solve_id)
        finally:
            engine.dispose()

    def shutdown(self) -> None:
        """Ask running solves to cancel and wait for them; queued ones are
        dropped (and marked failed)."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        with self._flight_lock:
            in_flight = dict(self._in_flight)
        for solve_id, database in in_flight.items():
            _ask_cancel(database, solve_id)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
