"""What every road-network provider shares: blocks, limits, whole matrices.

A road engine answers "durations and distances from these sources to these
destinations", up to a size limit per request. `RoadProvider.table` cuts any
request into blocks under that limit (halving a block the engine still finds
too big), runs them, and assembles the answer; `matrix` is the square case.
The answer is whole or not at all: a failed block raises `TravelError` and
nothing is returned, so no matrix is ever half-filled.

Engines give no route as null: such pairs become `UNREACHABLE`.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from fieldroute.errors import TravelError
from fieldroute.travel.matrix import UNREACHABLE, Points, TravelMatrix

FloatArray = npt.NDArray[np.float64]


class BlockTooBig(Exception):
    """The engine refused a block as larger than its table limit."""


class RoadProvider(ABC):
    """A road engine reached over HTTP or in-process, answering in blocks.

    Subclasses set `name`, `key` (what identifies the data, for caches),
    `block_size` (most sources and most destinations per request) and
    `uses_departure` (whether durations depend on the departure time), and
    implement `_block`.
    """

    name: str
    key: str
    block_size: int
    uses_departure: bool = False
    #: Blocks run at once (an HTTP server answers several in parallel).
    workers: int = 1

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: Source-destination pairs asked of the engine so far (for caches
        #: and tests: a cache hit asks none).
        self.pairs_fetched = 0

    def _connection(self) -> AbstractContextManager[Any]:
        """What `_block` gets as `connection` for one table (an HTTP client,
        closed when the table is done; nothing in-process)."""
        return nullcontext()

    @abstractmethod
    def _block(
        self,
        sources: Points,
        destinations: Points,
        departure: datetime | None,
        connection: Any,
    ) -> tuple[FloatArray, FloatArray]:
        """Seconds and metres from each source to each destination; NaN where
        the engine finds no route. Raises `BlockTooBig` or `TravelError`."""

    def matrix(
        self, points: Points, *, departure: datetime | None = None
    ) -> TravelMatrix:
        """Travel between every pair of `points` (see module doc)."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        everyone = list(range(len(pts)))
        duration, distance = self.table(pts, everyone, everyone, departure=departure)
        return to_travel_matrix(duration, distance)

    def table(
        self,
        points: Points,
        sources: Sequence[int],
        destinations: Sequence[int],
        *,
        departure: datetime | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """(len(sources), len(destinations)) seconds and metres, NaN = no route."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        src = list(sources)
        dst = list(destinations)
        duration = np.full((len(src), len(dst)), -1.0)
        distance = np.full((len(src), len(dst)), -1.0)
        if not src or not dst:
            return duration, distance
        size = self.block_size
        jobs = [
            (r, c) for r in range(0, len(src), size) for c in range(0, len(dst), size)
        ]

        with self._connection() as connection:

            def run(job: tuple[int, int]) -> None:
                r, c = job
                rows = src[r : r + size]
                cols = dst[c : c + size]
                dur, dist = self._fetch(pts[rows], pts[cols], departure, connection)
                duration[r : r + len(rows), c : c + len(cols)] = dur
                distance[r : r + len(rows), c : c + len(cols)] = dist

            if self.workers > 1 and len(jobs) > 1:
                with ThreadPoolExecutor(max_workers=self.workers) as pool:
                    # list() re-raises the first failure: the table is dropped.
                    list(pool.map(run, jobs))
            else:
                for job in jobs:
                    run(job)
        if np.any(duration == -1.0) or np.any(distance == -1.0):  # pragma: no cover
            raise AssertionError("a block of the table was not filled")
        return duration, distance

    def _fetch(
        self,
        sources: Points,
        destinations: Points,
        departure: datetime | None,
        connection: Any,
    ) -> tuple[FloatArray, FloatArray]:
        """One block, split in halves while the engine says it is too big."""
        try:
            dur, dist = self._block(sources, destinations, departure, connection)
        except BlockTooBig:
            if len(sources) <= 1 and len(destinations) <= 1:
                raise
            with self._lock:  # remember: later tables start at the smaller size
                self.block_size = max(
                    1, min(self.block_size, _half(sources, destinations))
                )
            if len(sources) >= len(destinations):
                mid = len(sources) // 2
                top = self._fetch(sources[:mid], destinations, departure, connection)
                low = self._fetch(sources[mid:], destinations, departure, connection)
                return np.vstack([top[0], low[0]]), np.vstack([top[1], low[1]])
            mid = len(destinations) // 2
            left = self._fetch(sources, destinations[:mid], departure, connection)
            right = self._fetch(sources, destinations[mid:], departure, connection)
            return np.hstack([left[0], right[0]]), np.hstack([left[1], right[1]])
        expected = (len(sources), len(destinations))
        if dur.shape != expected or dist.shape != expected:
            msg = (
                f"{self.name} answered a {dur.shape} table for {expected} "
                f"sources x destinations ({self.key})."
            )
            raise TravelError(msg)
        with self._lock:
            self.pairs_fetched += expected[0] * expected[1]
        return dur, dist


def _half(sources: Points, destinations: Points) -> int:
    return max(len(sources), len(destinations)) // 2


def to_travel_matrix(duration: FloatArray, distance: FloatArray) -> TravelMatrix:
    """Round seconds and metres to integers; no route becomes `UNREACHABLE`."""
    missing = ~np.isfinite(duration) | ~np.isfinite(distance)
    dur = np.rint(np.where(missing, 0.0, duration)).astype(np.int64)
    dist = np.rint(np.where(missing, 0.0, distance)).astype(np.int64)
    dur[missing] = UNREACHABLE
    dist[missing] = UNREACHABLE
    if dur.shape[0] == dur.shape[1]:
        np.fill_diagonal(dur, 0)  # staying put is free, even off the road
        np.fill_diagonal(dist, 0)
    return TravelMatrix(duration_s=dur, distance_m=dist)


def as_float_table(rows: object) -> FloatArray:
    """An engine's nested lists (None = no route) as a float array with NaN."""
    return np.array(rows, dtype=np.float64)
