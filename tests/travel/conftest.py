"""Real road data for the travel tests: the Helsinki extract, prepared once.

Session fixtures build OSRM and Valhalla data from ``tests/data/osm`` in a
temporary directory (about a second each), start ``osrm-routed`` and
``valhalla_service`` on free ports of 127.0.0.1, and stop them by PID at the
end. A missing binary fails the fixture: nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fieldroute.travel.matrix import UNREACHABLE
from fieldroute.travel.osrm import OsrmLocalProvider
from fieldroute.travel.prepare import (
    add_predicted_speeds,
    prepare_osrm,
    prepare_valhalla,
    weekly_speeds_kph,
)
from fieldroute.travel.servers import RoadServer, start_osrm, start_valhalla
from fieldroute.travel.valhalla import ValhallaLocalProvider

EXTRACT = Path(__file__).parents[1] / "data" / "osm" / "helsinki.osm.pbf"
#: Inside the extract, away from its clipped edges.
LAT = (60.1655, 60.1780)
LON = (24.9370, 24.9520)
#: Synthetic historical speeds: 45 km/h, but 15 km/h from 09:00 to 17:00.
SLOW_HOURS = range(9, 17)
KPH_BY_HOUR = [15.0 if h in SLOW_HOURS else 45.0 for h in range(24)]


@pytest.fixture(scope="session")
def osrm_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare_osrm(EXTRACT, tmp_path_factory.mktemp("osrm"))


@pytest.fixture(scope="session")
def valhalla_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare_valhalla(EXTRACT, tmp_path_factory.mktemp("valhalla"))


@pytest.fixture(scope="session")
def valhalla_traffic_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Valhalla tiles whose every road has the `KPH_BY_HOUR` speeds."""
    config = prepare_valhalla(EXTRACT, tmp_path_factory.mktemp("valhalla_traffic"))
    add_predicted_speeds(config, weekly_kph=weekly_speeds_kph(KPH_BY_HOUR))
    return config


@pytest.fixture(scope="session")
def osrm_server(osrm_dataset: Path) -> Iterator[RoadServer]:
    with start_osrm(osrm_dataset, max_table_size=100) as server:
        yield server


@pytest.fixture(scope="session")
def valhalla_server(valhalla_config: Path) -> Iterator[RoadServer]:
    with start_valhalla(valhalla_config) as server:
        yield server


@pytest.fixture(scope="session")
def osrm_local(osrm_dataset: Path) -> OsrmLocalProvider:
    return OsrmLocalProvider(osrm_dataset)


@pytest.fixture(scope="session")
def valhalla_local(valhalla_config: Path) -> ValhallaLocalProvider:
    return ValhallaLocalProvider(valhalla_config)


def _mutual_groups(duration: np.ndarray) -> np.ndarray:
    """Label of each point's group of mutually reachable points."""
    both = (duration < UNREACHABLE) & (duration.T < UNREACHABLE)
    labels = np.full(len(duration), -1)
    for i in range(len(duration)):
        if labels[i] < 0:
            labels[both[i] & (labels < 0)] = i
    return labels


@pytest.fixture(scope="session")
def candidate_points() -> np.ndarray:
    rng = np.random.default_rng(7)
    return np.column_stack([rng.uniform(*LAT, 260), rng.uniform(*LON, 260)])


@pytest.fixture(scope="session")
def connected_and_cut_off(
    candidate_points: np.ndarray,
    osrm_local: OsrmLocalProvider,
    valhalla_local: ValhallaLocalProvider,
) -> tuple[np.ndarray, np.ndarray]:
    """(points on the largest strongly connected part for both engines,
    points that OSRM cannot reach from it nor leave it for it)."""
    keep = np.ones(len(candidate_points), dtype=bool)
    osrm_labels = None
    for provider in (osrm_local, valhalla_local):
        labels = _mutual_groups(provider.matrix(candidate_points).duration_s)
        biggest = np.bincount(labels).argmax()
        keep &= labels == biggest
        if osrm_labels is None:
            osrm_labels = labels == biggest
    assert osrm_labels is not None
    cut_off = ~osrm_labels
    return candidate_points[keep], candidate_points[cut_off]


@pytest.fixture(scope="session")
def road_points(connected_and_cut_off: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """40 points mutually reachable by car with both engines."""
    points = connected_and_cut_off[0]
    assert len(points) >= 40, "too few connected points in the extract"
    return points[:40]


@pytest.fixture(scope="session")
def cut_off_point(connected_and_cut_off: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """A point OSRM cannot reach from the main road network (or leave it)."""
    cut = connected_and_cut_off[1]
    assert len(cut) > 0, "no cut-off point among the candidates"
    return cut[0]
