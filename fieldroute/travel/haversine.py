"""Great-circle travel: the default, needs no server and no data.

Distance is the great-circle distance times a detour factor (road distance is
longer than a straight line; about 1.3 in cities); duration is that distance
at a constant speed. Vectorised numpy: 1,000 x 1,000 points in tens of ms.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt

from fieldroute.travel.matrix import Points, TravelMatrix

EARTH_RADIUS_M = 6_371_008.8


def great_circle_m(points: Points) -> npt.NDArray[np.float64]:
    """(n, n) float great-circle distances in metres between (lat, lon) rows."""
    lat = np.radians(points[:, 0])[:, None]
    lon = np.radians(points[:, 1])[:, None]
    dlat = lat - lat.T
    dlon = lon - lon.T
    a = np.sin(dlat / 2) ** 2 + np.cos(lat) * np.cos(lat.T) * np.sin(dlon / 2) ** 2
    out: npt.NDArray[np.float64] = (
        2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    )
    return out


class HaversineProvider:
    """Straight-line distance x detour factor, at a constant speed."""

    name = "haversine"

    def __init__(self, *, speed_kph: float = 30.0, detour_factor: float = 1.3) -> None:
        if speed_kph <= 0:
            raise ValueError("speed_kph must be > 0.")
        if detour_factor < 1:
            raise ValueError("detour_factor must be >= 1.")
        self.speed_kph = speed_kph
        self.detour_factor = detour_factor

    def matrix(
        self, points: Points, *, departure: datetime | None = None
    ) -> TravelMatrix:
        """Travel between all `points`; `departure` is ignored (no traffic)."""
        road_m = great_circle_m(np.asarray(points, dtype=np.float64))
        road_m *= self.detour_factor
        distance_m = np.rint(road_m).astype(np.int64)
        duration_s = np.rint(road_m / (self.speed_kph / 3.6)).astype(np.int64)
        return TravelMatrix(duration_s=duration_s, distance_m=distance_m)
