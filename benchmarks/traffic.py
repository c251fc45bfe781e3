"""Static vs time-dependent planning in a synthetic rush-hour city.

Usage: python benchmarks/traffic.py [--seeds 5] [--jobs 40] [--technicians 5]
       [--time-limit 5]

The city (generated, seeded): a 12 km disc around Helsinki's centre; travel
is great-circle x 1.3 at 40 km/h free flow. Inside the 4 km centre, traffic
crawls at 30 % of free flow from 08:00 to 09:00 and 16:00 to 18:00 (weekday),
applied with the FIFO speed-bucket model (`fieldroute.travel.traffic`); a leg
is slowed by the share of its straight line inside the centre. Technicians
start 08:00 from homes in the suburbs and must be back by 18:00; 60 % of the
jobs are in the centre. Jobs: 20-45 minutes, half with a 2-hour appointment slot.

Both plans use the same pipeline (PyVRP engine + repair) and time limit:

* static: planned on the free-flow matrix, what a planner without traffic
  does;
* time-dependent: the engine plans in damped linearised rounds
  (`fieldroute.solve.td_search.linearised_solve`), then
  `fieldroute.solve.td_search.improve_routes` re-sequences with exact times.

Both are then evaluated with the time-dependent truth. Printed: per seed and
in total, jobs done, late stops and minutes late, overtime, drive time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time

import numpy as np

from fieldroute.engines import SolveParams, get_engine
from fieldroute.evaluate.schedule import Evaluation, Evaluator
from fieldroute.model.instance import compile_problem
from fieldroute.model.problem import Problem
from fieldroute.solve.pipeline import solve_instance
from fieldroute.travel.haversine import HaversineProvider
from fieldroute.travel.traffic import SlowPeriod, SpeedProfile, Zone, apply_profile

CENTRE = (60.17, 24.94)
CITY_M = 12_000
CENTRE_M = 4_000
MONDAY = dt.date(2026, 11, 23)
H = 3600


def _point(rng: np.random.Generator, low_m: float, high_m: float) -> dict[str, float]:
    radius = math.sqrt(rng.uniform(low_m**2, high_m**2))
    angle = rng.uniform(0, 2 * math.pi)
    lat = CENTRE[0] + radius * math.sin(angle) / 111_320
    lon = CENTRE[1] + radius * math.cos(angle) / (
        111_320 * math.cos(math.radians(CENTRE[0]))
    )
    return {"lat": lat, "lon": lon}


def rush_city_day(jobs: int, technicians: int, seed: int) -> Problem:
    """A generated day in the rush-hour city (see module doc)."""
    rng = np.random.default_rng(seed)
    techs = [
        {
            "id": f"T{t}",
            "start": _point(rng, CENTRE_M * 1.5, CITY_M),
            "shift": {"start": "08:00", "end": "18:00"},
        }
        for t in range(technicians)
    ]
    job_rows = []
    for k in range(jobs):
        in_centre = rng.random() < 0.6
        where = (
            _point(rng, 0, CENTRE_M * 0.9)
            if in_centre
            else _point(rng, CENTRE_M * 1.2, CITY_M)
        )
        row: dict[str, object] = {
            "id": f"J{k}",
            "location": where,
            "duration_minutes": int(rng.choice([20, 30, 45])),
        }
        if rng.random() < 0.5:
            start = int(rng.integers(8, 14))
            row["time_windows"] = [
                {"start": f"{start:02d}:00", "end": f"{start + 2:02d}:00"}
            ]
        job_rows.append(row)
    return Problem.model_validate(
        {
            "name": f"rush city {seed}",
            "date": MONDAY.isoformat(),
            "timezone": "Europe/Helsinki",
            "technicians": techs,
            "jobs": job_rows,
        }
    )


def rush_profile() -> SpeedProfile:
    """30 % of free flow at 08-09 and 16-18 on weekdays."""
    return SpeedProfile(
        (SlowPeriod(8 * H, 9 * H, 0.3), SlowPeriod(16 * H, 18 * H, 0.3))
    )


def _row(name: str, ev: Evaluation) -> dict[str, float]:
    stops = [s for r in ev.routes for s in r.stops]
    return {
        "plan": name,  # type: ignore[dict-item]
        "jobs": ev.kpis.jobs_done,
        "late_stops": ev.kpis.late_stops,
        "late_min": sum(s.late_s for s in stops) / 60,
        "overtime_min": ev.kpis.overtime_s / 60,
        "drive_min": ev.kpis.drive_s / 60,
        "violations": len(ev.violations),
    }


def run(seeds: int, jobs: int, technicians: int, time_limit_s: float) -> None:
    """Plan each seed both ways and print a markdown table."""
    print(
        f"{jobs} jobs, {technicians} technicians, {time_limit_s:g} s per plan, "
        f"seeds 0-{seeds - 1}; all numbers under time-dependent truth\n"
    )
    print(
        "| seed | plan | jobs | late stops | late (min) | overtime (min) "
        "| drive (min) | violations |"
    )
    print("|" + "---|" * 8)
    totals: dict[str, dict[str, float]] = {}
    engine = get_engine("pyvrp")
    params = SolveParams(time_limit_s=time_limit_s, seed=0)
    zone = Zone(CENTRE[0], CENTRE[1], CENTRE_M)
    for seed in range(seeds):
        instance = compile_problem(rush_city_day(jobs, technicians, seed))
        free = HaversineProvider(speed_kph=40).matrix(instance.points)
        truth = apply_profile(
            free, instance.points, rush_profile(), weekday=MONDAY.weekday(), zone=zone
        )
        judge = Evaluator(instance, truth)
        started = time.perf_counter()
        static = solve_instance(instance, free, engine=engine, params=params)
        timed = solve_instance(instance, truth, engine=engine, params=params)
        for name, outcome in (("static", static), ("time-dependent", timed)):
            row = _row(name, judge.plan(outcome.routes))
            sums = totals.setdefault(name, dict.fromkeys(row, 0.0))
            for key, value in row.items():
                if key != "plan":
                    sums[key] += value
            print(
                f"| {seed} | {name} | {row['jobs']} | {row['late_stops']} | "
                f"{row['late_min']:.0f} | {row['overtime_min']:.0f} | "
                f"{row['drive_min']:.0f} | {row['violations']} |"
            )
        print(
            f"<!-- seed {seed}: {time.perf_counter() - started:.1f} s -->",
            file=sys.stderr,
        )
    for name, sums in totals.items():
        print(
            f"| all | **{name}** | {sums['jobs']:.0f} | {sums['late_stops']:.0f} | "
            f"{sums['late_min']:.0f} | {sums['overtime_min']:.0f} | "
            f"{sums['drive_min']:.0f} | {sums['violations']:.0f} |"
        )
    static_drive = totals["static"]["drive_min"]
    timed_drive = totals["time-dependent"]["drive_min"]
    saved = 100 * (1 - timed_drive / static_drive)
    print(
        f"\ntime-dependent plan: drive time {saved:.1f} % lower; late stops "
        f"{totals['static']['late_stops']:.0f} -> "
        f"{totals['time-dependent']['late_stops']:.0f}; jobs done "
        f"{totals['static']['jobs']:.0f} -> {totals['time-dependent']['jobs']:.0f}"
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=65)
    parser.add_argument("--technicians", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args(argv)
    run(args.seeds, args.jobs, args.technicians, args.time_limit)


if __name__ == "__main__":
    main()
