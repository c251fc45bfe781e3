"""The plan as GeoJSON (RFC 7946) for GIS tools and web maps.

Every feature carries a ``kind`` property (``route``, ``stop``, ``unassigned``,
``start`` or ``end``) so a consumer can filter and style without guessing from
the geometry type. ``stroke``/``marker-color`` follow the simplestyle spec, which
geojson.io and GitHub's viewer honour.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fieldroute.model.plan import Plan, PlannedRoute
from fieldroute.model.problem import Location, Problem
from fieldroute.output._common import (
    UNASSIGNED_COLOUR,
    jobs_by_id,
    technician_colours,
    technician_places,
)

Feature = dict[str, Any]


def _position(lat: float, lon: float) -> list[float]:
    # RFC 7946 section 3.1.1: longitude first.
    return [lon, lat]


def _point(lat: float, lon: float, properties: dict[str, Any]) -> Feature:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": _position(lat, lon)},
        "properties": properties,
    }


def _route_line(
    route: PlannedRoute, start: Location | None, end: Location | None, colour: str
) -> Feature:
    coords = [_position(s.lat, s.lon) for s in route.stops]
    # A technician the problem does not know has no places: draw stops only.
    if start is not None:
        coords.insert(0, _position(start.lat, start.lon))
    if end is not None:
        coords.append(_position(end.lat, end.lon))
    # RFC 7946 wants two or more positions in a LineString; fewer (one stop,
    # no known places) has no line to draw.
    geometry = (
        {"type": "LineString", "coordinates": coords} if len(coords) > 1 else None
    )
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "kind": "route",
            "technician_id": route.technician_id,
            "colour": colour,
            "stroke": colour,
            "jobs": route.totals.jobs,
            "drive_s": route.totals.drive_s,
            "distance_m": route.totals.distance_m,
            "departure": route.departure.isoformat(),
            "return": route.return_.isoformat(),
        },
    }


def _route_features(
    route: PlannedRoute, start: Location | None, end: Location | None, colour: str
) -> list[Feature]:
    features = [_route_line(route, start, end, colour)]
    for sequence, stop in enumerate(route.stops, start=1):
        props = {
            "kind": "stop",
            "technician_id": route.technician_id,
            "sequence": sequence,
            "job_id": stop.job_id,
            "name": stop.name,
            "arrival": stop.arrival.isoformat(),
            "start": stop.start.isoformat(),
            "end": stop.end.isoformat(),
            "wait_s": stop.wait_s,
            "late_s": stop.late_s,
            "colour": colour,
            "marker-color": colour,
        }
        features.append(_point(stop.lat, stop.lon, props))
    return features


def plan_geojson(plan: Plan, problem: Problem) -> dict[str, Any]:
    """The plan as a GeoJSON FeatureCollection.

    Per route: one LineString (start place, stops in order, end place) and one
    Point per stop. Then every unassigned job (the problem gives its location;
    geometry is null for a job the problem does not have), and every
    technician's start place (plus the end place when it differs), used or not.
    """
    colours = technician_colours(plan, problem)
    places = technician_places(problem)
    features: list[Feature] = []
    for route in plan.routes:
        place = places.get(route.technician_id)
        features += _route_features(
            route,
            place.start if place else None,
            place.end if place else None,
            colours[route.technician_id],
        )
    jobs = jobs_by_id(problem)
    for item in plan.unassigned:
        props: dict[str, Any] = {
            "kind": "unassigned",
            "job_id": item.job_id,
            "name": jobs[item.job_id].name if item.job_id in jobs else "",
            "code": item.code,
            "reason": item.reason,
            "marker-color": UNASSIGNED_COLOUR,
        }
        job = jobs.get(item.job_id)
        if job is None:
            features.append({"type": "Feature", "geometry": None, "properties": props})
        else:
            features.append(_point(job.location.lat, job.location.lon, props))
    used = {r.technician_id for r in plan.routes}
    for tid, place in places.items():
        common = {"technician_id": tid, "used": tid in used, "colour": colours[tid]}
        common["marker-color"] = colours[tid]
        features.append(
            _point(place.start.lat, place.start.lon, {"kind": "start", **common})
        )
        if place.end != place.start:
            features.append(
                _point(place.end.lat, place.end.lon, {"kind": "end", **common})
            )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(plan: Plan, problem: Problem, path: str | Path) -> None:
    """Write `plan_geojson(plan, problem)` to `path` as UTF-8 JSON."""
    text = json.dumps(plan_geojson(plan, problem), ensure_ascii=False, indent=2)
    Path(path).write_text(text + "\n", encoding="utf-8")
