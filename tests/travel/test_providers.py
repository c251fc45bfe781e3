"""Choosing a provider (options, CLI specs) and planning a day on real roads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from fieldroute.errors import InputError
from fieldroute.model.problem import Problem, TravelOptions
from fieldroute.solve.check import check_routes
from fieldroute.solve.pipeline import solve
from fieldroute.travel.cache import CachedProvider
from fieldroute.travel.haversine import HaversineProvider
from fieldroute.travel.osrm import OsrmHttpProvider, OsrmLocalProvider
from fieldroute.travel.providers import provider_for, provider_from_spec
from fieldroute.travel.servers import RoadServer
from fieldroute.travel.traffic import HourlyProvider, TrafficProvider
from fieldroute.travel.valhalla import ValhallaHttpProvider, ValhallaLocalProvider
from tests.factories import job, problem, technician


def test_specs_name_the_engine_and_where_it_runs(
    osrm_dataset: Path, valhalla_config: Path
) -> None:
    """URL = HTTP client, path = in-process; road providers are cached."""
    cases = {
        "osrm:http://127.0.0.1:5000": OsrmHttpProvider,
        f"osrm:{osrm_dataset}": OsrmLocalProvider,
        "valhalla:http://127.0.0.1:8002": ValhallaHttpProvider,
        f"valhalla:{valhalla_config}": ValhallaLocalProvider,
    }
    for spec, kind in cases.items():
        provider = provider_from_spec(spec)
        assert isinstance(provider, CachedProvider)
        assert isinstance(provider.base, kind)
    assert isinstance(provider_from_spec("haversine"), HaversineProvider)


@pytest.mark.parametrize(
    "spec",
    [
        "osrm",  # no target
        "google:http://x",  # unknown engine
        "valhalla:",  # empty target
    ],
)
def test_unreadable_specs_are_input_errors(spec: str) -> None:
    """A bad --travel value is reported as bad input, not a crash."""
    with pytest.raises(InputError, match="travel spec"):
        provider_from_spec(spec)


@pytest.mark.parametrize(
    "fields",
    [
        {"provider": "osrm"},  # neither url nor dataset
        {"provider": "osrm", "url": "http://x", "dataset": "/d.osrm"},  # both
        {"provider": "haversine", "url": "http://x"},  # url for haversine
        {"provider": "osrm", "url": "http://x", "time_dependent": True},
    ],
)
def test_travel_options_reject_incomplete_road_settings(fields: dict[str, Any]) -> None:
    """Options name exactly one place for road data, and hours only for Valhalla."""
    with pytest.raises(ValidationError):
        TravelOptions(**fields)


def test_options_build_cached_hourly_and_traffic_providers(
    valhalla_config: Path,
) -> None:
    """time_dependent asks Valhalla hour by hour; traffic wraps any provider."""
    hourly = provider_for(
        TravelOptions(
            provider="valhalla", dataset=str(valhalla_config), time_dependent=True
        )
    )
    assert isinstance(hourly, HourlyProvider)
    slowed = provider_for(
        TravelOptions.model_validate(
            {
                "provider": "valhalla",
                "url": "http://127.0.0.1:8002",
                "traffic": {
                    "periods": [
                        {"start": "07:00", "end": "09:00", "speed_factor": 0.5}
                    ],
                    "zone": {"center": [60.17, 24.94], "radius_m": 500},
                },
            }
        )
    )
    assert isinstance(slowed, TrafficProvider)
    assert slowed.zone is not None and slowed.zone.radius_m == 500


def _road_problem(points: np.ndarray, travel: dict[str, Any]) -> Problem:
    techs = [
        technician(f"T{i}", start={"lat": points[i][0], "lon": points[i][1]})
        for i in range(2)
    ]
    jobs = [
        job(
            f"J{k}",
            20,
            location={"lat": points[k][0], "lon": points[k][1]},
            time_windows=[{"start": "08:00", "end": "16:00"}],
        )
        for k in range(2, len(points))
    ]
    return problem(techs, jobs, options={"time_limit_s": 1, "travel": travel})


def test_a_plan_solved_on_osrm_passes_the_evaluator_on_road_times(
    osrm_server: RoadServer, osrm_dataset: Path, road_points: np.ndarray
) -> None:
    """Solve over the OSRM server; re-check the routes with road times from
    the in-process engine: every job planned, no violation, road legs."""
    prob = _road_problem(road_points[:14], {"provider": "osrm", "url": osrm_server.url})
    plan = solve(prob)
    assert plan.kpis.jobs_done == 12 and not plan.violations
    routes = {r.technician_id: [s.job_id for s in r.stops] for r in plan.routes}
    checked = check_routes(prob, routes, provider=OsrmLocalProvider(osrm_dataset))
    assert not checked.violations
    assert checked.kpis.drive_s == plan.kpis.drive_s
    assert checked.kpis.distance_m == plan.kpis.distance_m


def test_a_job_with_no_road_from_the_start_is_unassigned_with_its_reason(
    osrm_server: RoadServer, road_points: np.ndarray, cut_off_point: np.ndarray
) -> None:
    """A job on a piece of road cut off from the technicians' network is left
    out, saying so; the others are planned."""
    points = np.vstack([road_points[:6], cut_off_point])
    prob = _road_problem(points, {"provider": "osrm", "url": osrm_server.url})
    plan = solve(prob)
    (left,) = plan.unassigned
    assert left.job_id == "J6"
    assert left.code == "unreachable"
    assert left.reason == "job J6 cannot be reached by road from technician T0's start"
    assert plan.kpis.jobs_done == 4 and not plan.violations


def test_traffic_options_make_solve_plan_with_time_dependent_travel() -> None:
    """A rush hour in the options: the plan's legs in the rush take longer
    than the same legs at free flow, and the plan is still feasible."""
    techs = [technician("T1", shift={"start": "07:30", "end": "17:00"})]
    jobs = [
        job(f"J{k}", 30, location={"lat": 60.16 + 0.01 * k, "lon": 24.93})
        for k in range(4)
    ]
    rush = {
        "periods": [{"start": "07:00", "end": "10:00", "speed_factor": 0.5}],
    }
    free_plan = solve(problem(techs, jobs, options={"time_limit_s": 0.5}))
    slow_plan = solve(
        problem(
            techs,
            jobs,
            options={"time_limit_s": 0.5, "travel": {"traffic": rush}},
        )
    )
    assert not slow_plan.violations and slow_plan.kpis.jobs_done == 4
    assert slow_plan.kpis.drive_s > free_plan.kpis.drive_s
