"""Travel matrices: the provider interface and the built-in providers."""

from fieldroute.travel.haversine import HaversineProvider, great_circle_m
from fieldroute.travel.matrix import UNREACHABLE, MatrixProvider, TravelMatrix
from fieldroute.travel.providers import provider_for
from fieldroute.travel.static import StaticMatrixProvider

__all__ = [
    "UNREACHABLE",
    "HaversineProvider",
    "MatrixProvider",
    "StaticMatrixProvider",
    "TravelMatrix",
    "great_circle_m",
    "provider_for",
]
