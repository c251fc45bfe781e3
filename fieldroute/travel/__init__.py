"""Travel matrices: the provider interface and the built-in providers."""

from fieldroute.travel.cache import DEFAULT_CACHE, CachedProvider, MatrixCache
from fieldroute.travel.haversine import HaversineProvider, great_circle_m
from fieldroute.travel.matrix import UNREACHABLE, MatrixProvider, TravelMatrix
from fieldroute.travel.osrm import OsrmHttpProvider, OsrmLocalProvider
from fieldroute.travel.providers import provider_for, provider_from_spec
from fieldroute.travel.static import StaticMatrixProvider
from fieldroute.travel.traffic import (
    HourlyProvider,
    SlowPeriod,
    SpeedProfile,
    TimeDependentMatrix,
    TrafficProvider,
    Zone,
)
from fieldroute.travel.valhalla import ValhallaHttpProvider, ValhallaLocalProvider

__all__ = [
    "DEFAULT_CACHE",
    "UNREACHABLE",
    "CachedProvider",
    "HaversineProvider",
    "HourlyProvider",
    "MatrixCache",
    "MatrixProvider",
    "OsrmHttpProvider",
    "OsrmLocalProvider",
    "SlowPeriod",
    "SpeedProfile",
    "StaticMatrixProvider",
    "TimeDependentMatrix",
    "TrafficProvider",
    "TravelMatrix",
    "ValhallaHttpProvider",
    "ValhallaLocalProvider",
    "Zone",
    "great_circle_m",
    "provider_for",
    "provider_from_spec",
]
