"""The matrix cache: known pairs are never asked of the engine again."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from fieldroute.travel.cache import CachedProvider, MatrixCache
from fieldroute.travel.osrm import OsrmLocalProvider
from fieldroute.travel.valhalla import ValhallaLocalProvider


def test_the_same_points_are_answered_from_the_cache(
    osrm_dataset: Path, road_points: np.ndarray
) -> None:
    """A second request for the same points asks the engine nothing."""
    engine = OsrmLocalProvider(osrm_dataset)
    provider = CachedProvider(engine, MatrixCache())
    first = provider.matrix(road_points[:20])
    asked = engine.pairs_fetched
    again = provider.matrix(road_points[:20])
    assert engine.pairs_fetched == asked == 400
    np.testing.assert_array_equal(first.duration_s, again.duration_s)
    assert provider.cache.hits == 1


def test_one_new_point_asks_only_its_row_and_column(
    osrm_dataset: Path, road_points: np.ndarray
) -> None:
    """Re-optimising with one more job: 2n + 1 new pairs, not (n + 1)^2,
    and the same matrix as asking everything afresh."""
    engine = OsrmLocalProvider(osrm_dataset)
    provider = CachedProvider(engine, MatrixCache())
    provider.matrix(road_points[:20])
    before = engine.pairs_fetched
    # The new point goes in the middle: order must not matter.
    points = np.vstack([road_points[:10], road_points[30], road_points[10:20]])
    grown = provider.matrix(points)
    assert engine.pairs_fetched - before == 2 * 20 + 1
    fresh = OsrmLocalProvider(osrm_dataset).matrix(points)
    np.testing.assert_array_equal(grown.duration_s, fresh.duration_s)
    np.testing.assert_array_equal(grown.distance_m, fresh.distance_m)
    assert provider.cache.partial_hits == 1


def test_departure_buckets_keep_time_dependent_answers_apart(
    valhalla_traffic_config: Path, road_points: np.ndarray
) -> None:
    """Valhalla answers depend on the hour: 12:00 is not served from 03:00,
    but 12:05 is served from 12:00 (same 15-minute bucket)."""
    engine = ValhallaLocalProvider(valhalla_traffic_config)
    provider = CachedProvider(engine, MatrixCache(bucket_s=900))
    points = road_points[:8]
    night = provider.matrix(points, departure=datetime(2026, 11, 23, 3))
    noon = provider.matrix(points, departure=datetime(2026, 11, 23, 12))
    assert engine.pairs_fetched == 2 * 64
    assert not np.array_equal(night.duration_s, noon.duration_s)
    provider.matrix(points, departure=datetime(2026, 11, 23, 12, 5))
    assert engine.pairs_fetched == 2 * 64


def test_least_recently_used_matrices_are_dropped(
    osrm_dataset: Path, road_points: np.ndarray
) -> None:
    """A cache of two entries keeps the two latest point sets."""
    engine = OsrmLocalProvider(osrm_dataset)
    provider = CachedProvider(engine, MatrixCache(max_entries=2))
    sets = [road_points[i * 3 : i * 3 + 3] for i in range(3)]
    for points in sets:
        provider.matrix(points)
    asked = engine.pairs_fetched
    provider.matrix(sets[2])
    provider.matrix(sets[1])
    assert engine.pairs_fetched == asked
    provider.matrix(sets[0])
    assert engine.pairs_fetched == asked + 9
