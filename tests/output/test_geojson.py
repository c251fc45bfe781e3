from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fieldroute.model import Problem
from fieldroute.model.plan import Plan
from fieldroute.output import plan_geojson, write_geojson


def _kind(fc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in fc["features"] if f["properties"]["kind"] == kind]


def test_feature_collection_structure(plan: Plan, problem: Problem) -> None:
    fc = plan_geojson(plan, problem)
    assert fc["type"] == "FeatureCollection"
    for feature in fc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] in {"Point", "LineString"}
        coords = geometry["coordinates"]
        positions = [coords] if geometry["type"] == "Point" else coords
        for lon, lat in positions:
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_one_line_per_route_from_start_to_end(plan: Plan, problem: Problem) -> None:
    fc = plan_geojson(plan, problem)
    lines = _kind(fc, "route")
    assert [f["properties"]["technician_id"] for f in lines] == [
        r.technician_id for r in plan.routes
    ]
    techs = {t.id: t for t in problem.technicians}
    for line, route in zip(lines, plan.routes, strict=True):
        assert line["geometry"]["type"] == "LineString"
        coords = line["geometry"]["coordinates"]
        tech = techs[route.technician_id]
        end = tech.end or tech.start
        # RFC 7946: [lon, lat].
        assert coords[0] == [tech.start.lon, tech.start.lat]
        assert coords[-1] == [end.lon, end.lat]
        assert coords[1:-1] == [[s.lon, s.lat] for s in route.stops]
        props = line["properties"]
        assert props["jobs"] == route.totals.jobs
        assert props["drive_s"] == route.totals.drive_s
        assert props["distance_m"] == route.totals.distance_m
        assert props["colour"].startswith("#")


def test_one_point_per_stop(plan: Plan, problem: Problem) -> None:
    fc = plan_geojson(plan, problem)
    stops = _kind(fc, "stop")
    assert len(stops) == sum(len(r.stops) for r in plan.routes)
    first = plan.routes[0].stops[0]
    point = stops[0]
    assert point["geometry"]["coordinates"] == [first.lon, first.lat]
    assert point["properties"]["sequence"] == 1
    assert point["properties"]["job_id"] == first.job_id
    assert point["properties"]["start"] == first.start.isoformat()


def test_unassigned_and_places(plan: Plan, problem: Problem) -> None:
    fc = plan_geojson(plan, problem)
    (j5,) = _kind(fc, "unassigned")
    assert j5["properties"]["job_id"] == "J5"
    assert j5["geometry"]["coordinates"] == [24.99, 60.21]
    assert j5["properties"]["reason"]
    starts = _kind(fc, "start")
    assert {f["properties"]["technician_id"] for f in starts} == {"T1", "T2"}
    # T2 ends elsewhere, so its end place is a feature too; T1 ends at home.
    assert [f["properties"]["technician_id"] for f in _kind(fc, "end")] == ["T2"]


def test_write_is_json(plan: Plan, problem: Problem, tmp_path: Path) -> None:
    path = tmp_path / "plan.geojson"
    write_geojson(plan, problem, path)
    assert json.loads(path.read_text(encoding="utf-8")) == plan_geojson(plan, problem)


def test_unknown_technician_draws_stops_only(plan: Plan, problem: Problem) -> None:
    route = plan.routes[0]
    ghost = route.model_copy(update={"technician_id": "ghost"})
    fc = plan_geojson(plan.model_copy(update={"routes": [ghost]}), problem)
    (line,) = _kind(fc, "route")
    assert line["geometry"]["coordinates"] == [[s.lon, s.lat] for s in route.stops]
