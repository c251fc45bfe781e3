"""An in-process LRU cache of matrices, reusing known pairs between requests.

Matrices are kept by (provider data, points, departure bucket). During the
day the dispatcher re-optimises with almost the same points (a job added, a
technician's live position): when a cached matrix of the same provider and
bucket shares most of the new points, only the rows and columns of the new
points are asked of the engine (``new x all`` and ``known x new``); the
known block is copied. Points match when equal to 1e-6 degrees (~10 cm).

Departure bucket: providers whose durations ignore the time (OSRM) use one
bucket; the others use `bucket_s`-long buckets (15 min by default).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from fieldroute.travel.matrix import Points, TravelMatrix
from fieldroute.travel.road import RoadProvider, to_travel_matrix

#: Reuse a cached matrix when it holds at least this share of the points.
MIN_REUSE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class _Entry:
    keys: tuple[tuple[int, int], ...]  # points as 1e-6 degree integers
    duration_s: npt.NDArray[np.float64]
    distance_m: npt.NDArray[np.float64]


class MatrixCache:
    """LRU of recent matrices for any number of road providers."""

    def __init__(self, *, max_entries: int = 32, bucket_s: int = 900) -> None:
        if max_entries < 1 or bucket_s < 1:
            raise ValueError("max_entries and bucket_s must be >= 1.")
        self.max_entries = max_entries
        self.bucket_s = bucket_s
        self._entries: OrderedDict[tuple[str, int | None, bytes], _Entry] = (
            OrderedDict()
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.partial_hits = 0
        self.misses = 0

    def clear(self) -> None:
        """Forget every matrix (e.g. after the road data changed)."""
        with self._lock:
            self._entries.clear()

    def _bucket(self, provider: RoadProvider, departure: datetime | None) -> int | None:
        if departure is None or not provider.uses_departure:
            return None
        return int(departure.timestamp()) // self.bucket_s

    def matrix(
        self, provider: RoadProvider, points: Points, departure: datetime | None
    ) -> TravelMatrix:
        """The provider's matrix of `points`, from the cache where possible."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        grid = np.rint(pts * 1e6).astype(np.int64)
        keys = tuple((int(a), int(b)) for a, b in grid)
        bucket = self._bucket(provider, departure)
        exact = (provider.key, bucket, grid.tobytes())
        with self._lock:
            entry = self._entries.get(exact)
            if entry is not None:
                self._entries.move_to_end(exact)
                self.hits += 1
                return to_travel_matrix(entry.duration_s, entry.distance_m)
            base = self._best_overlap(provider.key, bucket, keys)
        if base is None:
            duration, distance = provider.table(
                pts, range(len(pts)), range(len(pts)), departure=departure
            )
            self.misses += 1
        else:
            duration, distance = _extend(provider, pts, keys, base, departure)
            self.partial_hits += 1
        with self._lock:
            self._entries[exact] = _Entry(keys, duration, distance)
            self._entries.move_to_end(exact)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return to_travel_matrix(duration, distance)

    def _best_overlap(
        self, key: str, bucket: int | None, keys: tuple[tuple[int, int], ...]
    ) -> _Entry | None:
        wanted = set(keys)
        best: _Entry | None = None
        best_share = MIN_REUSE_SHARE
        for (provider_key, entry_bucket, _), entry in reversed(self._entries.items()):
            if provider_key != key or entry_bucket != bucket:
                continue
            share = len(wanted.intersection(entry.keys)) / max(1, len(wanted))
            if share >= best_share:
                best, best_share = entry, share
        return best


def _extend(
    provider: RoadProvider,
    pts: Points,
    keys: tuple[tuple[int, int], ...],
    base: _Entry,
    departure: datetime | None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Copy the pairs `base` knows; ask the provider only for the others."""
    where = {k: i for i, k in enumerate(base.keys)}
    known = [i for i, k in enumerate(keys) if k in where]
    new = [i for i, k in enumerate(keys) if k not in where]
    n = len(pts)
    duration = np.empty((n, n))
    distance = np.empty((n, n))
    old = [where[keys[i]] for i in known]
    duration[np.ix_(known, known)] = base.duration_s[np.ix_(old, old)]
    distance[np.ix_(known, known)] = base.distance_m[np.ix_(old, old)]
    if new:
        everyone = list(range(n))
        dur, dist = provider.table(pts, new, everyone, departure=departure)
        duration[new, :] = dur
        distance[new, :] = dist
        dur, dist = provider.table(pts, known, new, departure=departure)
        duration[np.ix_(known, new)] = dur
        distance[np.ix_(known, new)] = dist
    return duration, distance


#: The cache every provider built by `provider_for` / `provider_from_spec`
#: shares, so re-planning in one process reuses what it already asked.
DEFAULT_CACHE = MatrixCache()


class CachedProvider:
    """A road provider whose matrices go through a `MatrixCache`."""

    def __init__(self, base: RoadProvider, cache: MatrixCache | None = None) -> None:
        self.base = base
        self.cache = DEFAULT_CACHE if cache is None else cache
        self.name = base.name

    def matrix(
        self, points: Points, *, departure: datetime | None = None
    ) -> TravelMatrix:
        """The base provider's matrix, asking it only for pairs not known."""
        return self.cache.matrix(self.base, points, departure)
