"""Time of day: speed profiles and the time-dependent (FIFO) travel matrix.

The model is Ichoua, Gendreau and Potvin's (2003): the day is cut into
buckets; on each arc the vehicle moves at the arc's free-flow speed times the
bucket's *speed factor* (1 = free flow, 0.5 = half speed). A leg that starts
in one bucket and ends in the next is integrated piece by piece, so leaving
later never means arriving earlier (FIFO), unlike a lookup "the duration of
the bucket the leg starts in", which jumps at bucket edges.

Two sources of factors:

* a `SpeedProfile` (slow periods by weekday, e.g. 0.6 at 07-09 and 16-18),
  applied to any provider's free-flow matrix, to every arc or only to the
  part of each arc inside a `Zone` (a slow city centre): `TrafficProvider`;
* matrices a provider computes for several departure times (Valhalla with
  historical speeds): `from_departure_matrices` / `HourlyProvider`.

Times are seconds since local midnight of the problem's date (the
evaluator's clock); bucket edges are local wall-clock times.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt

from fieldroute.travel.haversine import EARTH_RADIUS_M
from fieldroute.travel.matrix import (
    UNREACHABLE,
    MatrixProvider,
    Points,
    TravelMatrix,
)

FloatArray = npt.NDArray[np.float64]
DAY_S = 24 * 3600
#: Arcs are put in one of this many classes by the share of them in a zone
#: (0 %, 10 %, ... 100 %), so profiles stay a small table, not one per arc.
ZONE_SHARE_LEVELS = 11


@dataclass(frozen=True, eq=False)
class TimeDependentMatrix(TravelMatrix):
    """Travel whose duration depends on the departure time, FIFO by design.

    `duration_s` holds free-flow durations (what engines see unless given a
    snapshot); arc ``(i, j)`` follows profile ``arc_profile[i, j]`` (all arcs
    follow profile 0 when it is None), whose speed factor in bucket ``k``
    (from ``bucket_starts_s[k]`` to the next start, the last one open-ended)
    is ``factors[profile, k]``.
    """

    bucket_starts_s: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(1, dtype=np.int64)
    )
    factors: FloatArray = field(default_factory=lambda: np.ones((1, 1)))
    arc_profile: npt.NDArray[np.int32] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        starts = np.asarray(self.bucket_starts_s)
        if starts.ndim != 1 or len(starts) == 0 or np.any(np.diff(starts) <= 0):
            raise ValueError("bucket_starts_s must be a non-empty increasing array.")
        if self.factors.ndim != 2 or self.factors.shape[1] != len(starts):
            msg = (
                f"factors must be (profiles, {len(starts)} buckets), "
                f"got {self.factors.shape}."
            )
            raise ValueError(msg)
        if not np.all(self.factors > 0):
            raise ValueError("every speed factor must be > 0.")
        if self.arc_profile is not None:
            if self.arc_profile.shape != self.duration_s.shape:
                raise ValueError("arc_profile must have the matrix's shape.")
            if self.arc_profile.min(initial=0) < 0 or self.arc_profile.max(
                initial=0
            ) >= len(self.factors):
                raise ValueError("arc_profile names a profile that does not exist.")

    # Python lists: the evaluator calls travel_s for every leg it schedules.
    @cached_property
    def _lists(
        self,
    ) -> tuple[list[list[int]], list[int], list[list[float]], list[list[int]] | None]:
        return (
            self.duration_s.tolist(),
            [int(s) for s in self.bucket_starts_s],
            self.factors.tolist(),
            None if self.arc_profile is None else self.arc_profile.tolist(),
        )

    def travel_s(self, origin: int, destination: int, depart_s: int) -> int:
        """Seconds from `origin` to `destination` leaving at `depart_s` (FIFO)."""
        free, starts, factors, profiles = self._lists
        free_s = free[origin][destination]
        if free_s <= 0 or free_s >= UNREACHABLE:
            return free_s
        profile = factors[0 if profiles is None else profiles[origin][destination]]
        arrival = _integrate(free_s, depart_s, starts, profile)
        # Rounding a non-decreasing arrival keeps it non-decreasing: FIFO holds.
        return max(1, round(arrival) - depart_s)

    def durations_from(self, leave_s: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """(n, n) durations of every leg when leaving origin i at
        ``leave_s[i]`` (a scalar: everyone at once); vectorised, equal to
        `travel_s` leg by leg."""
        n = self.size
        leave = np.broadcast_to(np.asarray(leave_s, dtype=np.float64), (n,))
        free = self.duration_s.astype(np.float64)
        depart = np.repeat(leave[:, None], n, axis=1)
        profile = (
            np.zeros((n, n), dtype=np.intp)
            if self.arc_profile is None
            else self.arc_profile.astype(np.intp)
        )
        starts = self.bucket_starts_s.astype(np.float64)
        last = len(starts) - 1
        k = np.clip(np.searchsorted(starts, depart, side="right") - 1, 0, last)
        t = depart.copy()
        remaining = free.copy()
        arrival = np.empty((n, n))
        todo = np.ones((n, n), dtype=bool)
        while np.any(todo):
            speed = self.factors[profile[todo], k[todo]]
            rest = remaining[todo]
            now = t[todo]
            at_end = k[todo] == last
            edge = starts[np.minimum(k[todo] + 1, last)]
            room = np.where(at_end, np.inf, (edge - now) * speed)
            fits = room >= rest
            finished = np.where(fits, now + rest / np.where(fits, speed, 1.0), 0.0)
            index = np.flatnonzero(todo)
            arrival.flat[index[fits]] = finished[fits]
            moving = index[~fits]
            remaining.flat[moving] = rest[~fits] - room[~fits]
            t.flat[moving] = edge[~fits]
            k.flat[moving] += 1
            todo.flat[index[fits]] = False
        out = np.maximum(
            1, np.rint(arrival).astype(np.int64) - np.rint(depart).astype(np.int64)
        )
        special = (self.duration_s <= 0) | (self.duration_s >= UNREACHABLE)
        return np.where(special, self.duration_s, out)

    def snapshot(self, depart_s: int) -> TravelMatrix:
        """A static matrix of every arc's duration when leaving at `depart_s`."""
        return TravelMatrix(
            duration_s=self.durations_from(depart_s), distance_m=self.distance_m
        )

    def averaged(self, start_s: int, end_s: int, *, step_s: int = 1800) -> TravelMatrix:
        """A static matrix of durations averaged over departures in a period.

        What a static engine should plan with when the day is time-dependent:
        neither the free-flow optimism nor one hour's snapshot.
        """
        departures = range(start_s, max(start_s + 1, end_s), step_s)
        total = np.zeros(self.duration_s.shape, dtype=np.float64)
        for depart in departures:
            total += self.snapshot(depart).duration_s
        mean = np.rint(total / len(departures)).astype(np.int64)
        mean[self.duration_s >= UNREACHABLE] = UNREACHABLE
        return TravelMatrix(duration_s=mean, distance_m=self.distance_m)


def _integrate(
    free_s: float, depart_s: float, starts: Sequence[int], factors: Sequence[float]
) -> float:
    """Arrival time of a leg needing `free_s` seconds at free flow (IGP)."""
    k = max(0, bisect.bisect_right(starts, depart_s) - 1)
    t = float(depart_s)
    remaining = float(free_s)
    last = len(starts) - 1
    while True:
        speed = factors[k]
        if k == last:
            return t + remaining / speed
        room = (starts[k + 1] - t) * speed  # free-flow seconds done by the edge
        if room >= remaining:
            return t + remaining / speed
        remaining -= room
        t = float(starts[k + 1])
        k += 1


# -- speed profiles ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SlowPeriod:
    """Speeds are `speed_factor` x free flow from `start_s` to `end_s`."""

    start_s: int
    end_s: int
    speed_factor: float
    weekdays: frozenset[int] = frozenset(range(5))  # Monday = 0

    def __post_init__(self) -> None:
        if not 0 <= self.start_s < self.end_s <= DAY_S:
            raise ValueError("a slow period needs 0 <= start_s < end_s <= 86400.")
        if not 0 < self.speed_factor <= 1.5:
            raise ValueError("speed_factor must be in (0, 1.5].")
        if not self.weekdays <= set(range(7)):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday).")


@dataclass(frozen=True, slots=True)
class SpeedProfile:
    """Speed factor by time of day and weekday; 1.0 outside every period."""

    periods: tuple[SlowPeriod, ...]

    @classmethod
    def rush_hours(cls, speed_factor: float = 0.5) -> SpeedProfile:
        """Weekdays slower from 07:00 to 09:00 and from 16:00 to 18:00."""
        return cls(
            (
                SlowPeriod(7 * 3600, 9 * 3600, speed_factor),
                SlowPeriod(16 * 3600, 18 * 3600, speed_factor),
            )
        )

    def buckets(self, weekday: int) -> tuple[list[int], list[float]]:
        """Bucket starts (s since midnight) and their factors on `weekday`.

        Overlapping periods multiply.
        """
        active = [p for p in self.periods if weekday in p.weekdays]
        edges = sorted({0} | {p.start_s for p in active} | {p.end_s for p in active})
        edges = [e for e in edges if e < DAY_S]
        factors = []
        for edge in edges:
            factor = 1.0
            for p in active:
                if p.start_s <= edge < p.end_s:
                    factor *= p.speed_factor
            factors.append(factor)
        # The day after midnight flows freely: the last bucket is open-ended.
        if edges[-1] != DAY_S and factors[-1] != 1.0:
            edges.append(DAY_S)
            factors.append(1.0)
        return edges, factors


@dataclass(frozen=True, slots=True)
class Zone:
    """A disc where the speed profile applies (e.g. a congested centre)."""

    lat: float
    lon: float
    radius_m: float

    def __post_init__(self) -> None:
        if self.radius_m <= 0:
            raise ValueError("radius_m must be > 0.")

    def share_inside(self, points: Points, *, samples: int = 17) -> FloatArray:
        """(n, n) share of each straight segment i -> j lying in the zone.

        Road legs are not straight; the straight line is a cheap, symmetric
        stand-in that needs no geometry from the provider.
        """
        pts = np.asarray(points, dtype=np.float64)
        t = np.linspace(0.0, 1.0, samples)[:, None, None]
        lat = pts[:, 0][None, :, None] * (1 - t) + pts[:, 0][None, None, :] * t
        lon = pts[:, 1][None, :, None] * (1 - t) + pts[:, 1][None, None, :] * t
        # Equirectangular distance: exact enough within a city.
        dy = np.radians(lat - self.lat) * EARTH_RADIUS_M
        dx = (
            np.radians(lon - self.lon)
            * EARTH_RADIUS_M
            * math.cos(math.radians(self.lat))
        )
        inside = dx * dx + dy * dy <= self.radius_m**2
        return np.asarray(inside.mean(axis=0), dtype=np.float64)


def apply_profile(
    matrix: TravelMatrix,
    points: Points,
    profile: SpeedProfile,
    *,
    weekday: int,
    zone: Zone | None = None,
) -> TimeDependentMatrix:
    """Free-flow `matrix` slowed by `profile` (only inside `zone` if given).

    An arc with share ``s`` of its length in the zone drives that part at the
    profile's factor ``f`` and the rest freely: its factor is the harmonic
    blend ``1 / (s / f + (1 - s))`` (time adds up, not speed).
    """
    starts, factors = profile.buckets(weekday)
    f = np.asarray(factors, dtype=np.float64)
    if zone is None:
        table = f[None, :]
        arc_profile = None
    else:
        share = np.linspace(0.0, 1.0, ZONE_SHARE_LEVELS)[:, None]
        table = 1.0 / (share / f[None, :] + (1.0 - share))
        level = np.rint(zone.share_inside(points) * (ZONE_SHARE_LEVELS - 1))
        arc_profile = level.astype(np.int32)
    return TimeDependentMatrix(
        duration_s=matrix.duration_s,
        distance_m=matrix.distance_m,
        bucket_starts_s=np.asarray(starts, dtype=np.int64),
        factors=table,
        arc_profile=arc_profile,
    )


def from_departure_matrices(
    departures_s: Sequence[int], matrices: Sequence[TravelMatrix]
) -> TimeDependentMatrix:
    """Turn durations computed for several departure times into IGP factors.

    Bucket k starts at ``departures_s[k]`` (the first bucket also covers the
    time before it). Each arc's free-flow time is its fastest duration over
    the buckets; its factor in bucket k is ``fastest / duration_k``, so a leg
    that leaves at a bucket's start and ends inside it takes exactly the
    duration the provider gave for that departure.
    """
    if not matrices or len(departures_s) != len(matrices):
        raise ValueError("give one matrix per departure time, at least one.")
    stack = np.stack([m.duration_s for m in matrices]).astype(np.float64)
    unreachable = np.any(stack >= UNREACHABLE, axis=0)
    fastest = stack.min(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(stack > 0, fastest[None] / stack, 1.0)
    ratio = np.clip(np.nan_to_num(ratio, nan=1.0), 1e-3, 1.0)
    n = matrices[0].size
    free = fastest.astype(np.int64)
    free[unreachable] = UNREACHABLE
    starts = np.asarray(departures_s, dtype=np.int64)
    starts[0] = 0
    return TimeDependentMatrix(
        duration_s=free,
        distance_m=matrices[0].distance_m,
        bucket_starts_s=starts,
        factors=ratio.reshape(len(matrices), n * n).T.copy(),
        arc_profile=np.arange(n * n, dtype=np.int32).reshape(n, n),
    )


# -- providers ---------------------------------------------------------------


def _midnight(departure: datetime | None) -> datetime:
    if departure is None:
        raise ValueError("time-dependent travel needs the day: pass `departure`.")
    return datetime.combine(departure.date(), time(0), tzinfo=departure.tzinfo)


class TrafficProvider:
    """Any provider's free-flow matrix slowed by a speed profile."""

    def __init__(
        self, base: MatrixProvider, profile: SpeedProfile, *, zone: Zone | None = None
    ) -> None:
        self.base = base
        self.profile = profile
        self.zone = zone
        self.name = f"{base.name}+traffic"

    def matrix(
        self, points: Points, *, departure: datetime | None = None
    ) -> TimeDependentMatrix:
        """Time-dependent travel for the day of `departure` (its weekday)."""
        day = _midnight(departure)
        free = self.base.matrix(points, departure=None)
        return apply_profile(
            free, points, self.profile, weekday=day.weekday(), zone=self.zone
        )


class HourlyProvider:
    """Asks a departure-aware provider (Valhalla with historical speeds) for
    one matrix per hour of the working day and makes them one FIFO matrix."""

    def __init__(self, base: MatrixProvider, *, hours: Sequence[int] = range(5, 22)):
        if not hours or any(not 0 <= h < 24 for h in hours):
            raise ValueError("hours must be a non-empty list of 0..23.")
        self.base = base
        self.hours = sorted(set(hours))
        self.name = f"{base.name}@hourly"

    def matrix(
        self, points: Points, *, departure: datetime | None = None
    ) -> TimeDependentMatrix:
        """Time-dependent travel for the day of `departure`."""
        day = _midnight(departure)
        matrices = [
            self.base.matrix(points, departure=day + timedelta(hours=h))
            for h in self.hours
        ]
        return from_departure_matrices([h * 3600 for h in self.hours], matrices)
