"""Valhalla over HTTP and in-process, on the real Helsinki extract."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from fieldroute.errors import TravelError
from fieldroute.travel.matrix import UNREACHABLE
from fieldroute.travel.osrm import OsrmHttpProvider, OsrmLocalProvider
from fieldroute.travel.servers import RoadServer, free_port
from fieldroute.travel.valhalla import ValhallaHttpProvider, ValhallaLocalProvider

MONDAY = datetime(2026, 11, 23)


def _median_gap(a: np.ndarray, b: np.ndarray) -> float:
    off = ~np.eye(len(a), dtype=bool) & (a > 0) & (b > 0)
    return float(np.median(np.abs(a[off] - b[off]) / b[off]))


def test_http_and_in_process_give_the_same_matrix(
    valhalla_server: RoadServer,
    valhalla_local: ValhallaLocalProvider,
    road_points: np.ndarray,
) -> None:
    """The server (50 x 50 blocks) and the Actor (one block) agree."""
    over_http = ValhallaHttpProvider(valhalla_server.url, block_size=25).matrix(
        road_points
    )
    in_process = valhalla_local.matrix(road_points)
    np.testing.assert_array_equal(over_http.duration_s, in_process.duration_s)
    np.testing.assert_allclose(over_http.distance_m, in_process.distance_m, atol=1)
    assert np.all(over_http.duration_s < UNREACHABLE)


def test_osrm_and_valhalla_distances_agree_within_5_percent_median(
    osrm_server: RoadServer,
    valhalla_server: RoadServer,
    osrm_local: OsrmLocalProvider,
    valhalla_local: ValhallaLocalProvider,
    road_points: np.ndarray,
) -> None:
    """Two engines on one map: road distances differ by under 5 % (median),
    over HTTP and in-process alike."""
    osrm_http = OsrmHttpProvider(osrm_server.url).matrix(road_points)
    valhalla_http = ValhallaHttpProvider(valhalla_server.url).matrix(road_points)
    assert _median_gap(osrm_http.distance_m, valhalla_http.distance_m) < 0.05
    osrm_here = osrm_local.matrix(road_points)
    valhalla_here = valhalla_local.matrix(road_points)
    assert _median_gap(osrm_here.distance_m, valhalla_here.distance_m) < 0.05


def test_departure_at_noon_and_at_three_give_different_matrices(
    valhalla_traffic_config: Path, road_points: np.ndarray
) -> None:
    """With historical speeds of 15 km/h by day and 45 km/h at night, noon
    trips take longer than 3 a.m. trips; distances stay the same."""
    provider = ValhallaLocalProvider(valhalla_traffic_config)
    points = road_points[:12]
    noon = provider.matrix(points, departure=MONDAY.replace(hour=12))
    night = provider.matrix(points, departure=MONDAY.replace(hour=3))
    off = ~np.eye(len(points), dtype=bool) & (night.duration_s > 0)
    ratio = noon.duration_s[off] / night.duration_s[off]
    # Pure speed ratio is 3; intersection costs do not scale, so allow less.
    assert np.median(ratio) > 2.0
    assert np.all(noon.duration_s[off] > night.duration_s[off])
    assert _median_gap(noon.distance_m, night.distance_m) < 0.05


def test_a_server_that_is_down_raises_travel_error_naming_its_url(
    road_points: np.ndarray,
) -> None:
    """Nothing listens on the port: a TravelError says which server failed."""
    url = f"http://127.0.0.1:{free_port()}"
    provider = ValhallaHttpProvider(url, retries=0, timeout_s=2)
    with pytest.raises(TravelError, match=f"Valhalla server at {url}"):
        provider.matrix(road_points[:3])


def test_missing_config_raises_travel_error(tmp_path: Path) -> None:
    """In-process mode on a config that does not exist names the path."""
    with pytest.raises(TravelError, match=r"valhalla\.json"):
        ValhallaLocalProvider(tmp_path / "valhalla.json")
