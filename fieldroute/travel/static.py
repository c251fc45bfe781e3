"""A fixed matrix, for tests, benchmarks and users who bring their own table."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from fieldroute.travel.matrix import IntMatrix, Points, TravelMatrix


class StaticMatrixProvider:
    """Returns the given matrices for any request of the same size."""

    name = "static"

    def __init__(
        self, duration_s: IntMatrix, distance_m: IntMatrix | None = None
    ) -> None:
        duration = np.asarray(duration_s, dtype=np.int64)
        distance = (
            duration if distance_m is None else np.asarray(distance_m, dtype=np.int64)
        )
        self._matrix = TravelMatrix(duration_s=duration, distance_m=distance)

    def matrix(
        self, points: Points, *, departure: datetime | None = None
    ) -> TravelMatrix:
        if len(points) != self._matrix.size:
            msg = (
                f"this static matrix has {self._matrix.size} points, "
                f"asked for {len(points)}."
            )
            raise ValueError(msg)
        return self._matrix
