"""Solomon instances read as fieldroute problems reproduce the published costs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fieldroute.bench.solomon import read_solomon, solomon_paths, truncated_distances
from fieldroute.evaluate.schedule import Evaluator
from fieldroute.model import compile_problem

SOLOMON_DIR = Path(__file__).parents[2] / "benchmarks" / "instances" / "solomon"
PATHS = solomon_paths(SOLOMON_DIR)


def test_all_56_instances_are_shipped() -> None:
    """Six classes, 56 instances, each with its best-known solution."""
    assert len(PATHS) == 56
    assert all(p.with_suffix(".sol").exists() for p in PATHS)


def test_distances_are_truncated_to_one_decimal() -> None:
    """DIMACS rule: 10 x distance, rounded down (3-4-5 triangle and sqrt 2)."""
    coords = np.array([[0, 0], [3, 4], [1, 1]])
    out = truncated_distances(coords)
    assert out[0, 1] == 50
    assert out[0, 2] == 14  # 1.414... -> 1.4
    assert out[1, 2] == 36  # sqrt(13) = 3.605... -> 3.6


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_evaluator_reproduces_best_known_cost(path: Path) -> None:
    """The best-known routes are feasible and cost exactly the published value."""
    case = read_solomon(path)
    instance = compile_problem(case.problem)
    matrix = case.provider.matrix(instance.points)
    evaluation = Evaluator(instance, matrix).plan(case.bks_route_inputs())
    assert evaluation.violations == ()
    assert evaluation.unassigned == ()
    assert evaluation.kpis.drive_s == case.bks_cost
    assert evaluation.kpis.cost == pytest.approx(case.bks_cost)


def test_instance_maps_fleet_capacity_and_windows() -> None:
    """25 identical technicians, capacity as stock, times x 10 from midnight UTC."""
    case = read_solomon(SOLOMON_DIR / "C101.vrp")
    instance = compile_problem(case.problem)
    assert instance.num_techs == 25
    assert instance.num_jobs == 100
    assert {t.capacity["load"] for t in instance.technicians} == {200}
    assert instance.technicians[0].shift_end_s == 12360
    assert instance.jobs[0].windows == ((9120, 9670),)
    assert instance.jobs[0].service_s == 900
    assert case.instance_class == "C1"
    assert read_solomon(SOLOMON_DIR / "RC208.vrp").instance_class == "RC2"
