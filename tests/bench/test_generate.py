"""The field-service day generator: seeded, valid, doable, realistic shares."""

from __future__ import annotations

import pytest

from fieldroute.bench.generate import generate_day
from fieldroute.model import compile_problem, problem_from_dict


def test_same_seed_gives_the_same_day() -> None:
    """A benchmark is reproducible: equal arguments, equal problem."""
    assert generate_day(30, 4, seed=7) == generate_day(30, 4, seed=7)
    assert generate_day(30, 4, seed=7) != generate_day(30, 4, seed=8)


@pytest.mark.parametrize(("jobs", "technicians"), [(12, 4), (200, 10), (1000, 50)])
def test_every_job_has_a_technician_allowed_to_do_it(
    jobs: int, technicians: int
) -> None:
    """Skills, territories, pins and stock never leave a job without a taker."""
    instance = compile_problem(generate_day(jobs, technicians, seed=3))
    assert instance.num_jobs == jobs
    assert instance.num_techs == technicians
    assert instance.eligible.any(axis=0).all()


def test_a_day_has_the_features_of_a_field_service_day() -> None:
    """Windows, optional prospects with value, pins, caps, breaks, 3-6 skills."""
    instance = compile_problem(generate_day(100, 20, seed=1))
    jobs, techs = instance.jobs, instance.technicians
    optional = [j for j in jobs if j.optional]
    assert 0.05 * len(jobs) <= len(optional) <= 0.35 * len(jobs)
    assert all(j.value > 0 for j in optional)
    assert any(j.pinned is not None for j in jobs)
    assert any(len(j.windows) == 2 for j in jobs)
    assert any(not j.windows for j in jobs)
    assert any(t.max_jobs is not None for t in techs)
    assert all(t.break_rule is not None for t in techs)
    assert len({t.shift_start_s for t in techs}) > 1
    assert 3 <= len(instance.problem.skills or []) <= 6
    services_min = {j.service_s // 60 for j in jobs}
    assert min(services_min) <= 30
    assert max(services_min) >= 120


def test_a_day_round_trips_through_json() -> None:
    """The JSON the benchmark script writes loads back to the same problem."""
    problem = generate_day(20, 3, seed=2)
    data = problem.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert problem_from_dict(data) == problem


def test_service_load_fits_the_fleet_hours_roughly() -> None:
    """Mandatory service time stays below the fleet's paid hours."""
    instance = compile_problem(generate_day(500, 40, seed=0))
    service_s = sum(j.service_s for j in instance.jobs if not j.optional)
    paid_s = sum(t.shift_end_s - t.shift_start_s - 1800 for t in instance.technicians)
    assert service_s < 0.8 * paid_s
