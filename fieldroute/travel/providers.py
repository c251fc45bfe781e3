"""Pick the matrix provider a problem's options, or a CLI spec, ask for.

Specs (CLI ``--travel``)::

    haversine                         great circle x detour, 30 km/h
    osrm:http://127.0.0.1:5000        an osrm-routed server
    osrm:/data/helsinki.osrm          in-process on a prepared dataset
    valhalla:http://127.0.0.1:8002    a valhalla_service server
    valhalla:/data/valhalla.json      in-process on a config

Road providers go through the process-wide `DEFAULT_CACHE`.
"""

from __future__ import annotations

import functools

from fieldroute.errors import InputError
from fieldroute.model.problem import TrafficOptions, TravelOptions
from fieldroute.travel.cache import CachedProvider
from fieldroute.travel.haversine import HaversineProvider
from fieldroute.travel.matrix import MatrixProvider
from fieldroute.travel.osrm import OsrmHttpProvider, OsrmLocalProvider
from fieldroute.travel.road import RoadProvider
from fieldroute.travel.traffic import (
    HourlyProvider,
    SlowPeriod,
    SpeedProfile,
    TrafficProvider,
    Zone,
)
from fieldroute.travel.valhalla import ValhallaHttpProvider, ValhallaLocalProvider


def _is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


@functools.lru_cache(maxsize=16)
def road_provider(
    engine: str,
    target: str,
    *,
    mode: str | None = None,
    timeout_s: float = 30.0,
    block_size: int | None = None,
) -> RoadProvider:
    """An OSRM or Valhalla provider on a URL or local data (no matrix cache).

    Memoised: in-process engines load their data once per process, not on
    every re-plan.
    """
    sizes = {} if block_size is None else {"block_size": block_size}
    if engine == "osrm":
        if _is_url(target):
            return OsrmHttpProvider(
                target, profile=mode or "driving", timeout_s=timeout_s, **sizes
            )
        return OsrmLocalProvider(target, **sizes)
    if engine == "valhalla":
        if _is_url(target):
            return ValhallaHttpProvider(
                target, costing=mode or "auto", timeout_s=timeout_s, **sizes
            )
        return ValhallaLocalProvider(target, costing=mode or "auto")
    msg = f"unknown road engine {engine!r} (known: osrm, valhalla)"
    raise InputError(msg)


def provider_from_spec(spec: str) -> MatrixProvider:
    """The provider a CLI spec names (see module doc).

    Raises `InputError` for a spec it cannot read and `TravelError` when the
    local data named cannot be loaded.
    """
    engine, _, target = spec.partition(":")
    engine = engine.strip().lower()
    if engine == "haversine" and not target:
        return HaversineProvider()
    if engine in {"osrm", "valhalla"} and target:
        return CachedProvider(road_provider(engine, target))
    msg = (
        f"cannot read travel spec {spec!r}: use 'haversine', 'osrm:URL|PATH.osrm' "
        "or 'valhalla:URL|PATH/valhalla.json'"
    )
    raise InputError(msg)


def _clock_s(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def speed_profile(options: TrafficOptions) -> SpeedProfile:
    """The `SpeedProfile` of a problem's traffic options."""
    return SpeedProfile(
        tuple(
            SlowPeriod(
                _clock_s(period.start),
                _clock_s(period.end),
                period.speed_factor,
                frozenset(period.weekdays),
            )
            for period in options.periods
        )
    )


def provider_for(options: TravelOptions) -> MatrixProvider:
    """The provider named in `options` (default: haversine)."""
    base: MatrixProvider
    if options.provider == "haversine":
        base = HaversineProvider(
            speed_kph=options.speed_kph, detour_factor=options.detour_factor
        )
    else:
        target = options.url or options.dataset
        assert target is not None  # checked by TravelOptions
        base = CachedProvider(
            road_provider(
                options.provider,
                target,
                mode=options.mode,
                timeout_s=options.timeout_s,
                block_size=options.block_size,
            )
        )
        if options.time_dependent:
            base = HourlyProvider(base)
    if options.traffic is not None:
        zone = options.traffic.zone
        base = TrafficProvider(
            base,
            speed_profile(options.traffic),
            zone=None
            if zone is None
            else Zone(zone.center.lat, zone.center.lon, zone.radius_m),
        )
    return base
