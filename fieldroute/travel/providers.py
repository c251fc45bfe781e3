"""Pick the matrix provider a problem's options ask for."""

from __future__ import annotations

from fieldroute.model.problem import TravelOptions
from fieldroute.travel.haversine import HaversineProvider
from fieldroute.travel.matrix import MatrixProvider


def provider_for(options: TravelOptions) -> MatrixProvider:
    """The provider named in `options` (default: haversine)."""
    return HaversineProvider(
        speed_kph=options.speed_kph, detour_factor=options.detour_factor
    )
