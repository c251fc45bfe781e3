"""The travel matrix and the provider interface every travel source implements.

Conventions: points are ``(lat, lon)`` rows in degrees; durations are integer
seconds and distances integer metres; entry ``[i, j]`` is travel from point i
to point j. A pair with no road between them holds `UNREACHABLE` in both
matrices: the evaluator reports such a leg by name, engines forbid it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

IntMatrix = npt.NDArray[np.int64]
Points = npt.NDArray[np.float64]

#: Marks a pair of points with no route between them (about 31 years).
UNREACHABLE = 10**9


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Durations (s) and distances (m) between all points.

    `travel_s` is what the evaluator asks: the duration of one leg given the
    departure time. This static matrix ignores the departure time; a
    time-dependent matrix overrides `travel_s` and keeps `duration_s` as the
    representative (e.g. free-flow) matrix for engines.
    """

    duration_s: IntMatrix
    distance_m: IntMatrix

    def __post_init__(self) -> None:
        shape = self.duration_s.shape
        if len(shape) != 2 or shape[0] != shape[1] or self.distance_m.shape != shape:
            msg = (
                "duration_s and distance_m must be square and of one shape, "
                f"got {shape} and {self.distance_m.shape}."
            )
            raise ValueError(msg)

    @property
    def size(self) -> int:
        return int(self.duration_s.shape[0])

    def travel_s(self, origin: int, destination: int, depart_s: int) -> int:
        """Seconds to drive from `origin` to `destination` leaving at `depart_s`."""
        return int(self.duration_s[origin, destination])

    def is_reachable(self, origin: int, destination: int) -> bool:
        return bool(self.duration_s[origin, destination] < UNREACHABLE)

    def unreachable_pairs(self) -> npt.NDArray[np.int64]:
        """(k, 2) array of (origin, destination) pairs with no route."""
        return np.argwhere(self.duration_s >= UNREACHABLE)


@runtime_checkable
class MatrixProvider(Protocol):
    """A source of travel matrices (haversine, a road engine, a fixed table)."""

    name: str

    def matrix(
        self, points: Points, *, departure: datetime | None = None
    ) -> TravelMatrix:
        """Travel between every pair of `points`, leaving around `departure`."""
        ...
