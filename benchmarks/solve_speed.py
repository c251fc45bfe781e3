"""Wall time of the Monday solve and of a generated 200-job / 10-technician day.

Run: .venv/bin/python benchmarks/solve_speed.py [--repeat 3]

Goals (issue: daily route optimisation core): Monday under 1 s including the
start-up of the solve (compile, matrix, engine, repair, evaluation; not the
Python interpreter's start), and a feasible 200-job day in under 10 s.
Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from fieldroute.bench.generate import generate_day
from fieldroute.model import load_problem
from fieldroute.solve import solve

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    cases = [
        (
            "Monday (12 jobs, 4 technicians)",
            load_problem(ROOT / "examples/monday/problem.json"),
            2.0,
        ),
        ("generated 200 jobs, 10 technicians", generate_day(200, 10, seed=1), 10.0),
    ]
    print(
        "| case | time limit (s) | wall time (s), median of runs "
        "| jobs done | unassigned | violations |"
    )
    print("|---|---|---|---|---|---|")
    for name, problem, limit in cases:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            plan = solve(problem, time_limit_s=limit)
            times.append(time.perf_counter() - started)
        print(
            f"| {name} | {limit:g} | {statistics.median(times):.2f} "
            f"(min {min(times):.2f}, max {max(times):.2f}) | {plan.kpis.jobs_done} | "
            f"{plan.kpis.jobs_unassigned} | {plan.kpis.violations} |"
        )


if __name__ == "__main__":
    main()
