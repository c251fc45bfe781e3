"""The public API is what `fieldroute.__all__` says, sorted and importable."""

from __future__ import annotations

import fieldroute


def test_all_is_sorted_and_every_name_exists() -> None:
    names = [n for n in fieldroute.__all__ if n != "__version__"]
    assert names == sorted(names)
    for name in fieldroute.__all__:
        assert hasattr(fieldroute, name), name


def test_readme_example_runs() -> None:
    """The README's Python snippet, as written."""
    from pathlib import Path

    from fieldroute import load_problem, solve

    root = Path(__file__).resolve().parents[1]
    problem = load_problem(root / "examples/monday/problem.json")
    plan = solve(problem, time_limit_s=2)
    assert plan.kpis.jobs_done == 12 and not plan.violations
