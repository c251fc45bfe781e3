"""Time of day: the FIFO time-dependent matrix, speed profiles, zones, and
the evaluator scheduling each leg at its own departure time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldroute.evaluate.schedule import Evaluator
from fieldroute.model.instance import compile_problem
from fieldroute.travel.matrix import UNREACHABLE, TravelMatrix
from fieldroute.travel.traffic import (
    HourlyProvider,
    SlowPeriod,
    SpeedProfile,
    TimeDependentMatrix,
    TrafficProvider,
    Zone,
    apply_profile,
    from_departure_matrices,
)
from fieldroute.travel.valhalla import ValhallaLocalProvider
from tests.factories import job, problem, static_matrix, technician

H = 3600
MONDAY = datetime(2026, 11, 23)


def _two_points(
    free_s: int, starts: list[int], factors: list[float]
) -> TimeDependentMatrix:
    duration = np.array([[0, free_s], [free_s, 0]], dtype=np.int64)
    return TimeDependentMatrix(
        duration_s=duration,
        distance_m=duration * 10,
        bucket_starts_s=np.array(starts, dtype=np.int64),
        factors=np.array([factors]),
    )


def test_a_leg_running_into_a_slow_period_is_integrated_piece_by_piece() -> None:
    """600 s at free flow, half speed from 08:00: leaving 07:55 drives 300 s
    freely and the other half at half speed (600 s): 900 s in all."""
    matrix = _two_points(600, [0, 8 * H, 9 * H], [1.0, 0.5, 1.0])
    assert matrix.travel_s(0, 1, 7 * H) == 600
    assert matrix.travel_s(0, 1, 8 * H - 300) == 900
    assert matrix.travel_s(0, 1, 8 * H) == 1200
    # Leaving 08:50: 600 s at half speed covers 300 free-flow s, then 300 s.
    assert matrix.travel_s(0, 1, 8 * H + 3000) == 900
    assert matrix.travel_s(0, 1, 10 * H) == 600
    assert matrix.travel_s(0, 0, 8 * H) == 0


@given(
    free_s=st.integers(1, 5000),
    factors=st.lists(st.floats(0.1, 1.5), min_size=4, max_size=4),
    depart_s=st.integers(0, 20 * H),
    wait_s=st.integers(0, 3 * H),
)
def test_leaving_later_never_arrives_earlier(
    free_s: int, factors: list[float], depart_s: int, wait_s: int
) -> None:
    """FIFO: whatever the speeds, a later departure arrives no earlier."""
    matrix = _two_points(free_s, [0, 7 * H, 9 * H, 16 * H], factors)
    early = depart_s + matrix.travel_s(0, 1, depart_s)
    late = depart_s + wait_s + matrix.travel_s(0, 1, depart_s + wait_s)
    assert late >= early


def test_unreachable_pairs_stay_unreachable_at_any_hour() -> None:
    """No road at free flow is no road in the rush hour either."""
    matrix = _two_points(UNREACHABLE, [0, 8 * H], [1.0, 0.5])
    assert matrix.travel_s(0, 1, 8 * H) == UNREACHABLE


def test_rush_hour_profile_has_slow_buckets_on_weekdays_only() -> None:
    """07-09 and 16-18 at the given factor Monday to Friday; weekends free."""
    profile = SpeedProfile.rush_hours(0.6)
    starts, factors = profile.buckets(0)
    assert starts == [0, 7 * H, 9 * H, 16 * H, 18 * H]
    assert factors == [1.0, 0.6, 1.0, 0.6, 1.0]
    assert profile.buckets(6) == ([0], [1.0])


def test_overlapping_periods_multiply() -> None:
    """Rain on top of the rush hour: 0.5 x 0.8 where both apply."""
    profile = SpeedProfile(
        (SlowPeriod(7 * H, 9 * H, 0.5), SlowPeriod(8 * H, 10 * H, 0.8))
    )
    starts, factors = profile.buckets(2)
    assert starts == [0, 7 * H, 8 * H, 9 * H, 10 * H]
    assert factors == pytest.approx([1.0, 0.5, 0.4, 0.8, 1.0])


def test_a_zone_slows_only_the_legs_through_it() -> None:
    """Three points west to east; the zone covers the eastern one only:
    a leg between the two western points is free, one into the zone is slow."""
    points = np.array([[60.17, 24.90], [60.17, 24.92], [60.17, 24.96]])
    free = TravelMatrix(
        duration_s=np.full((3, 3), 1000, dtype=np.int64)
        - 1000 * np.eye(3, dtype=np.int64),
        distance_m=np.full((3, 3), 5000, dtype=np.int64),
    )
    zone = Zone(60.17, 24.96, radius_m=600)
    matrix = apply_profile(
        free, points, SpeedProfile.rush_hours(0.5), weekday=0, zone=zone
    )
    rush = 7 * H + 600
    assert matrix.travel_s(0, 1, rush) == 1000  # both outside
    inside_share = zone.share_inside(points)[1, 2]
    assert 0 < inside_share < 1
    expected = 1000 * ((1 - inside_share) + inside_share / 0.5)
    # Shares are rounded to tenths to keep one profile per tenth.
    assert matrix.travel_s(1, 2, rush) == pytest.approx(expected, rel=0.06)
    assert matrix.travel_s(1, 2, 12 * H) == 1000


def test_traffic_provider_uses_the_weekday_of_the_departure() -> None:
    """Same points, Monday is slow at 08:00, Sunday is not."""
    from fieldroute.travel.haversine import HaversineProvider

    points = np.array([[60.17, 24.93], [60.18, 24.95]])
    provider = TrafficProvider(HaversineProvider(), SpeedProfile.rush_hours(0.5))
    monday = provider.matrix(points, departure=MONDAY)
    sunday = provider.matrix(points, departure=MONDAY.replace(day=22))
    free = int(monday.duration_s[0, 1])
    assert monday.travel_s(0, 1, 8 * H) == 2 * free
    assert sunday.travel_s(0, 1, 8 * H) == free


def test_departure_matrices_are_reproduced_at_their_own_departure_times() -> None:
    """Built from matrices for 08:00 and 12:00, a leg leaving at 08:00 (or
    12:00) and ending inside that hour takes the given duration."""
    eight = TravelMatrix(
        duration_s=np.array([[0, 900], [600, 0]], dtype=np.int64),
        distance_m=np.array([[0, 5000], [4000, 0]], dtype=np.int64),
    )
    noon = TravelMatrix(
        duration_s=np.array([[0, 300], [400, 0]], dtype=np.int64),
        distance_m=eight.distance_m,
    )
    matrix = from_departure_matrices([8 * H, 12 * H], [eight, noon])
    assert matrix.travel_s(0, 1, 8 * H) == 900
    assert matrix.travel_s(1, 0, 8 * H) == 600
    assert matrix.travel_s(0, 1, 12 * H) == 300
    assert matrix.travel_s(1, 0, 12 * H) == 400
    # 08:00 bucket until noon: leaving 11:55 spends 300 s at 08:00 speed
    # (a third of the leg), the rest at noon speed: 300 + 2/3 x 300 s.
    assert matrix.travel_s(0, 1, 12 * H - 300) == 500


def test_evaluator_arrivals_use_each_legs_departure_time() -> None:
    """Leave 07:50, half speed 08:00-09:00, every leg 600 s at free flow:
    J1 at 08:00 (free), J2 leg leaves 08:30 in the rush (1,200 s, arrives
    08:50), return leaves 09:20 freely (600 s, back 09:30)."""
    prob = problem(
        [technician("T1", shift={"start": "07:50", "end": "17:00"})],
        [job("J1", 30), job("J2", 30)],
    )
    instance = compile_problem(prob)
    free = static_matrix(instance, {})
    timed = TimeDependentMatrix(
        duration_s=free.duration_s,
        distance_m=free.distance_m,
        bucket_starts_s=np.array([0, 8 * H, 9 * H]),
        factors=np.array([[1.0, 0.5, 1.0]]),
    )
    route = Evaluator(instance, timed).route(0, (0, 1))
    first, second = route.stops
    assert route.departure_s == 7 * H + 50 * 60
    assert (first.travel_s, first.arrival_s) == (600, 8 * H)
    assert (second.travel_s, second.arrival_s) == (1200, 8 * H + 50 * 60)
    assert route.return_travel_s == 600
    assert route.return_s == 9 * H + 30 * 60
    static = Evaluator(instance, free).route(0, (0, 1))
    assert static.stops[1].arrival_s == 8 * H + 40 * 60


def test_evaluator_follows_valhalla_historical_speeds_leg_by_leg(
    valhalla_traffic_config: Path, road_points: np.ndarray
) -> None:
    """Valhalla tiles: 45 km/h until 09:00, 15 km/h after. Leaving A at
    08:58, the first 120 s run at the 08:00 duration D8 and the rest at the
    09:00 duration D9: arrival = 09:00 + (1 - 120 / D8) x D9. The return
    leaves inside the 09:00 hour and takes D9 exactly."""
    valhalla = ValhallaLocalProvider(valhalla_traffic_config)
    some = road_points[:10]
    longest = valhalla.matrix(some, departure=MONDAY.replace(hour=8)).duration_s
    i, j = np.unravel_index(np.argmax(longest + longest.T), longest.shape)
    a, b = some[i], some[j]
    pair = np.vstack([a, b])
    d8 = valhalla.matrix(pair, departure=MONDAY.replace(hour=8)).duration_s
    d9 = valhalla.matrix(pair, departure=MONDAY.replace(hour=9)).duration_s
    assert d8[0, 1] > 120 and d9[0, 1] > d8[0, 1]

    prob = problem(
        [
            technician(
                "T1",
                start={"lat": a[0], "lon": a[1]},
                shift={"start": "08:58", "end": "17:00"},
            )
        ],
        [job("J1", 20, location={"lat": b[0], "lon": b[1]})],
    )
    instance = compile_problem(prob)
    hourly = HourlyProvider(valhalla, hours=range(24))
    matrix = hourly.matrix(instance.points, departure=instance.clock.datetime(0))
    route = Evaluator(instance, matrix).route(0, (0,))

    leave = 8 * H + 58 * 60
    arrival = round(9 * H + (1 - 120 / d8[0, 1]) * d9[0, 1])
    assert route.departure_s == leave
    assert route.stops[0].arrival_s == arrival
    assert route.return_travel_s == d9[1, 0]
    assert route.return_s == arrival + 20 * 60 + d9[1, 0]


def test_vectorised_durations_equal_leg_by_leg_travel() -> None:
    """`durations_from` (numpy, for engines) gives exactly `travel_s` (the
    evaluator's) for every leg, with profiles by zone and per-arc factors."""
    from fieldroute.travel.haversine import HaversineProvider

    rng = np.random.default_rng(1)
    points = np.column_stack(
        [rng.uniform(60.1, 60.25, 60), rng.uniform(24.8, 25.1, 60)]
    )
    free = HaversineProvider().matrix(points)
    zoned = apply_profile(
        free,
        points,
        SpeedProfile.rush_hours(0.3),
        weekday=0,
        zone=Zone(60.17, 24.94, 4000),
    )
    hourly = from_departure_matrices(
        [6 * H, 8 * H, 12 * H], [zoned.snapshot(h * H) for h in (6, 8, 12)]
    )
    leave = rng.integers(6 * H, 19 * H, len(points))
    for matrix in (zoned, hourly):
        expected = [
            [matrix.travel_s(i, j, int(leave[i])) for j in range(len(points))]
            for i in range(len(points))
        ]
        np.testing.assert_array_equal(matrix.durations_from(leave), expected)
