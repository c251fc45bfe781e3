"""OSRM over HTTP and in-process, on the real Helsinki extract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fieldroute.errors import TravelError
from fieldroute.travel.matrix import UNREACHABLE
from fieldroute.travel.osrm import OsrmHttpProvider, OsrmLocalProvider
from fieldroute.travel.servers import RoadServer, free_port


def test_http_and_in_process_give_the_same_matrix(
    osrm_server: RoadServer, osrm_local: OsrmLocalProvider, road_points: np.ndarray
) -> None:
    """The server and the bindings route on the same data to the same answer."""
    over_http = OsrmHttpProvider(osrm_server.url).matrix(road_points)
    in_process = osrm_local.matrix(road_points)
    np.testing.assert_array_equal(over_http.duration_s, in_process.duration_s)
    np.testing.assert_array_equal(over_http.distance_m, in_process.distance_m)
    assert np.all(over_http.duration_s < UNREACHABLE)
    assert over_http.duration_s.sum() > 0


def test_tables_beyond_the_server_limit_are_assembled_from_blocks(
    osrm_server: RoadServer,
    osrm_local: OsrmLocalProvider,
    candidate_points: np.ndarray,
) -> None:
    """260 points against a 100-location server: 3 x 3 blocks, same answer as
    one unlimited in-process table."""
    provider = OsrmHttpProvider(osrm_server.url, block_size=100)
    blocked = provider.matrix(candidate_points)
    whole = osrm_local.matrix(candidate_points)
    np.testing.assert_array_equal(blocked.duration_s, whole.duration_s)
    np.testing.assert_array_equal(blocked.distance_m, whole.distance_m)
    assert provider.pairs_fetched == len(candidate_points) ** 2


def test_a_block_the_server_finds_too_big_is_split(
    osrm_server: RoadServer,
    osrm_local: OsrmLocalProvider,
    candidate_points: np.ndarray,
) -> None:
    """Asking 150 x 150 of a 100-limit server: the provider halves its blocks
    (OSRM answers TooBig) and remembers the smaller size."""
    points = candidate_points[:150]
    provider = OsrmHttpProvider(osrm_server.url, block_size=150)
    matrix = provider.matrix(points)
    assert provider.block_size <= 100
    np.testing.assert_array_equal(
        matrix.duration_s, osrm_local.matrix(points).duration_s
    )


def test_pairs_with_no_road_are_unreachable(
    osrm_server: RoadServer, road_points: np.ndarray, cut_off_point: np.ndarray
) -> None:
    """A point cut off from the main network gets UNREACHABLE, never a guess."""
    points = np.vstack([road_points[:5], cut_off_point])
    matrix = OsrmHttpProvider(osrm_server.url).matrix(points)
    last = len(points) - 1
    to_cut = matrix.duration_s[:last, last]
    from_cut = matrix.duration_s[last, :last]
    assert np.all(to_cut == UNREACHABLE) or np.all(from_cut == UNREACHABLE)
    assert matrix.duration_s[last, last] == 0
    assert np.all(matrix.duration_s[:last, :last] < UNREACHABLE)


def test_a_server_that_is_down_raises_travel_error_naming_its_url(
    road_points: np.ndarray,
) -> None:
    """Nothing listens on the port: a TravelError says which server failed."""
    url = f"http://127.0.0.1:{free_port()}"
    provider = OsrmHttpProvider(url, retries=1, timeout_s=2)
    with pytest.raises(TravelError, match=f"OSRM server at {url} is unreachable"):
        provider.matrix(road_points[:3])


def test_missing_dataset_raises_travel_error(tmp_path: Path) -> None:
    """In-process mode on a path with no prepared data says what to do."""
    with pytest.raises(TravelError, match="fieldroute travel prepare"):
        OsrmLocalProvider(tmp_path / "nothing.osrm")
