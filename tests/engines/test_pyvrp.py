"""The PyVRP engine through the whole pipeline: optimal on small days,
always feasible by the evaluator on random ones."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldroute.engines import SolveParams, get_engine
from fieldroute.engines.pyvrp import (
    PyVRPEngine,
    _anchored,
    _mixed_clock,
    _rescue,
    _warm_start,
    _windows_without_break,
    compile_pyvrp,
)
from fieldroute.evaluate import Evaluator, RouteInput
from fieldroute.evaluate.schedule import RouteSchedule
from fieldroute.model import Problem, compile_problem, problem_from_dict
from fieldroute.model.instance import BreakRule
from fieldroute.solve import solve, solve_instance
from fieldroute.travel import HaversineProvider
from tests.factories import job, problem, static_matrix, technician


def random_day(seed: int, jobs: int, techs: int, **features: bool) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    skills = ["hvac", "elec", "plumb"]
    technicians = []
    for t in range(techs):
        tech: dict[str, Any] = {
            "id": f"T{t}",
            "start": [60.17 + rng.uniform(-0.05, 0.05), 24.94 + rng.uniform(-0.1, 0.1)],
            "shift": {"start": f"{int(rng.integers(7, 10)):02d}:00", "end": "17:00"},
            "skills": sorted(
                set(rng.choice(skills, size=int(rng.integers(1, 3)), replace=False))
            )
            if features.get("skills")
            else [],
        }
        if features.get("caps"):
            tech["max_jobs"] = int(rng.integers(2, 6))
            tech["max_work_minutes"] = int(rng.integers(240, 480))
            tech["capacity"] = {"filters": int(rng.integers(1, 5))}
        if features.get("breaks"):
            tech["break"] = {
                "earliest_start": "11:00",
                "latest_end": "13:30",
                "duration_minutes": 30,
            }
        technicians.append(tech)
    held = sorted({s for t in technicians for s in t["skills"]})
    job_list = []
    for j in range(jobs):
        job: dict[str, Any] = {
            "id": f"J{j}",
            "location": [
                60.17 + rng.uniform(-0.06, 0.06),
                24.94 + rng.uniform(-0.12, 0.12),
            ],
            "duration_minutes": int(rng.choice([20, 30, 45, 60, 90])),
            "priority": int(rng.integers(1, 6)),
        }
        if features.get("skills") and held and rng.random() < 0.6:
            job["required_skills"] = [str(rng.choice(held))]
        if features.get("windows") and rng.random() < 0.6:
            start = int(rng.integers(8, 15))
            job["time_windows"] = [
                {"start": f"{start:02d}:00", "end": f"{start + 2:02d}:00"}
            ]
            if rng.random() < 0.3:
                job["time_windows"].append({"start": "15:00", "end": "16:30"})
        if features.get("caps") and rng.random() < 0.4:
            job["demand"] = {"filters": 1}
        if features.get("optional") and rng.random() < 0.3:
            job["optional"] = True
            job["value"] = float(rng.integers(0, 60))
        job_list.append(job)
    return {
        "date": "2026-11-23",
        "timezone": "Europe/Helsinki",
        "technicians": technicians,
        "jobs": job_list,
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    jobs=st.integers(1, 14),
    techs=st.integers(1, 4),
    skills=st.booleans(),
    windows=st.booleans(),
    caps=st.booleans(),
    breaks=st.booleans(),
    optional=st.booleans(),
)
def test_every_plan_passes_the_evaluator_and_accounts_for_every_job(
    seed: int,
    jobs: int,
    techs: int,
    skills: bool,
    windows: bool,
    caps: bool,
    breaks: bool,
    optional: bool,
) -> None:
    """Random days with skills, windows, caps, breaks and optional jobs."""
    data = random_day(
        seed,
        jobs,
        techs,
        skills=skills,
        windows=windows,
        caps=caps,
        breaks=breaks,
        optional=optional,
    )
    problem = problem_from_dict(data)
    plan = solve(problem, time_limit_s=0.2, stall_iterations=500)
    assert plan.violations == []
    planned = [s.job_id for r in plan.routes for s in r.stops]
    unassigned = [u.job_id for u in plan.unassigned]
    assert sorted(planned + unassigned) == sorted(j["id"] for j in data["jobs"])
    assert len(set(planned)) == len(planned)
    assert all(u.reason for u in plan.unassigned)
    # Re-check independently: the plan's routes, evaluated afresh, are clean.
    instance = compile_problem(problem)
    evaluator = Evaluator(instance, HaversineProvider().matrix(instance.points))
    again = evaluator.plan(
        RouteInput(
            instance.tech_index[r.technician_id],
            tuple(instance.job_index[s.job_id] for s in r.stops),
        )
        for r in plan.routes
    )
    assert again.violations == ()


def brute_force_drive_s(evaluator: Evaluator, jobs: int) -> int:
    best = None
    for order in itertools.permutations(range(jobs)):
        route = evaluator.route(0, order)
        if not route.violations and (best is None or route.drive_s < best):
            best = route.drive_s
    assert best is not None
    return best


def test_optimal_on_one_technician_up_to_seven_jobs() -> None:
    """Equal to brute force over all orders (drive time objective)."""
    for seed, jobs in [(1, 4), (2, 5), (3, 6), (4, 7), (5, 7), (6, 7)]:
        data = random_day(seed, jobs, 1, windows=seed % 2 == 0)
        data["technicians"][0]["shift"] = {"start": "07:00", "end": "20:00"}
        problem = problem_from_dict(data)
        instance = compile_problem(problem)
        matrix = HaversineProvider().matrix(instance.points)
        evaluator = Evaluator(instance, matrix)
        outcome = solve_instance(
            instance, matrix, engine=PyVRPEngine(), params=SolveParams(time_limit_s=0.5)
        )
        assert outcome.evaluation.kpis.jobs_done == jobs
        assert outcome.evaluation.kpis.drive_s == brute_force_drive_s(evaluator, jobs)


def test_forbidden_pairs_are_never_planned() -> None:
    """Skills, territory and pins all hold in the engine's answer."""
    data = random_day(7, 10, 3, skills=True)
    data["technicians"][0]["territory"] = "west"
    data["jobs"][0]["territory"] = "east"
    data["jobs"][1]["pinned_technician"] = "T2"
    data["jobs"][1].pop("required_skills", None)
    problem = problem_from_dict(data)
    instance = compile_problem(problem)
    matrix = HaversineProvider().matrix(instance.points)
    result = get_engine("pyvrp").solve(
        instance, matrix, list(range(instance.num_jobs)), SolveParams(time_limit_s=0.3)
    )
    for route in result.routes:
        for j in route.jobs:
            assert instance.eligible[route.tech, j]
    by_job = {j: r.tech for r in result.routes for j in r.jobs}
    assert by_job.get(1, 2) == 2


LUNCH = BreakRule(earliest_s=11 * 3600, latest_end_s=13 * 3600 + 1800, duration_s=1800)
LUNCH_BREAK = {"earliest_start": "11:00", "latest_end": "13:30", "duration_minutes": 30}


def hm(h: int, m: int = 0) -> int:
    return h * 3600 + m * 60


@pytest.mark.parametrize(
    ("windows", "service_s", "expected"),
    [
        # Before the break on real time, after it 30 min earlier: one window.
        ([(hm(8), hm(12))], 1800, [(hm(8), hm(11, 30))]),
        # An afternoon window is all after the break.
        ([(hm(13), hm(17))], 3600, [(hm(12, 30), hm(16, 30))]),
        # A 3-hour job started before 11:00 must end by 13:00 (the break's
        # latest start): it starts by 10:00 or after the break.
        ([(0, hm(20))], 3 * 3600, [(0, hm(10)), (hm(11), hm(19, 30))]),
    ],
)
def test_windows_on_the_clock_without_the_break(
    windows: list[tuple[int, int]], service_s: int, expected: list[tuple[int, int]]
) -> None:
    assert _windows_without_break(windows, service_s, LUNCH) == expected
    assert _windows_without_break(windows, service_s, None) == windows


def _one_job_day(prob: Problem) -> RouteSchedule:
    """The engine's plan of a one-job day (the job planned), as evaluated."""
    instance = compile_problem(prob)
    matrix = static_matrix(instance, {})
    result = PyVRPEngine().solve(instance, matrix, [0], SolveParams(time_limit_s=0.3))
    assert [r.jobs for r in result.routes] == [(0,)]
    route = result.routes[0]
    schedule = Evaluator(instance, matrix).route(
        route.tech, route.jobs, route.break_gap
    )
    assert schedule.violations == ()
    return schedule


def test_break_that_absorbs_waiting_leaves_the_end_of_the_day_free() -> None:
    """A 4-hour job fixed at 12:30 ends at 16:30, back 16:40 in a shift to
    17:00: feasible with lunch taken while waiting for it. Holding the break
    back at the shift end (16:30) could not plan it; the engine does."""
    prob = problem(
        [technician(**{"break": LUNCH_BREAK})],
        [job("A", 240, time_windows=[{"start": "12:30", "end": "12:30"}])],
    )
    schedule = _one_job_day(prob)
    assert schedule.return_s == hm(16, 40)


def test_rescue_makes_room_for_a_pinned_job_by_moving_others() -> None:
    """T1's morning is full (three 1-hour jobs, back 11:40 of a shift to
    12:00); P, pinned to T1, fits only once a job moves to T2."""
    prob = problem(
        [
            technician("T1", shift={"start": "08:00", "end": "12:00"}),
            technician("T2", shift={"start": "08:00", "end": "12:00"}),
        ],
        [
            job("J1", 60),
            job("J2", 60),
            job("J3", 60),
            job("P", 60, pinned_technician="T1"),
        ],
    )
    instance = compile_problem(prob)
    matrix = static_matrix(instance, {})
    evaluator = Evaluator(instance, matrix)
    full = [RouteInput(0, (0, 1, 2)), RouteInput(1, ())]
    assert evaluator.route(0, (0, 1, 2, 3)).violations  # P does not fit as is
    routes = _rescue(instance, matrix, full, 3, SolveParams(time_limit_s=0.3), 0.3)
    assert routes is not None
    by_job = {j: r.tech for r in routes for j in r.jobs}
    assert sorted(by_job) == [0, 1, 2, 3] and by_job[3] == 0
    assert all(evaluator.route(r.tech, r.jobs).violations == () for r in routes)


def test_a_window_inside_the_first_half_hour_of_lunch_is_reached() -> None:
    """A job that must start 11:00-11:15: on the clock where lunch starts at
    11:00 sharp it is out of reach; with lunch from an hour later (after the
    job) it is not. Small days search both clocks and keep the better."""
    prob = problem(
        [technician(**{"break": LUNCH_BREAK})],
        [job("A", 30, time_windows=[{"start": "11:00", "end": "11:15"}])],
    )
    instance = compile_problem(prob)
    default_clock = compile_pyvrp(instance, static_matrix(instance, {}), [0])
    assert list(default_clock.data.clients()) == []
    schedule = _one_job_day(prob)
    assert schedule.stops[0].start_s == hm(11)
    assert schedule.break_ is not None and schedule.break_.start_s >= hm(11, 30)


def test_warm_start_takes_the_window_each_stop_is_on_time_for() -> None:
    """A job open 08:00-09:00 or 15:00-16:00, planned after a 6-hour job:
    the warm start must use its afternoon client, not the first one."""
    prob = problem(
        [technician()],
        [
            job("LONG", 360, time_windows=[{"start": "08:30", "end": "08:30"}]),
            job(
                "TWO",
                30,
                time_windows=[
                    {"start": "08:00", "end": "09:00"},
                    {"start": "15:00", "end": "16:00"},
                ],
            ),
        ],
    )
    instance = compile_problem(prob)
    compiled = compile_pyvrp(instance, static_matrix(instance, {}), [0, 1])
    warm = _warm_start(compiled.data, compiled.client_job, [RouteInput(0, (0, 1))])
    assert warm.is_feasible()
    visits = [a.idx for a in warm.routes()[0].schedule() if a.is_client()]
    assert compiled.data.client(visits[1]).tw_early == hm(15)


def test_jobs_alike_on_every_break_clock_are_not_copied() -> None:
    """Two lunch rules: a job without a window is the same on both clocks
    (one client any technician may take); a morning window is not (a copy
    per rule, each kept to its technicians by a load dimension)."""
    late_lunch = {**LUNCH_BREAK, "earliest_start": "12:00", "latest_end": "14:00"}
    prob = problem(
        [
            technician("T1", **{"break": LUNCH_BREAK}),
            technician("T2", **{"break": late_lunch}),
        ],
        [
            job("FREE", 30),
            job("AM", 30, time_windows=[{"start": "08:00", "end": "12:00"}]),
        ],
    )
    instance = compile_problem(prob)
    compiled = compile_pyvrp(instance, static_matrix(instance, {}), [0, 1])
    clients = list(compiled.data.clients())
    assert compiled.client_job == (0, 1, 1)
    assert list(clients[0].delivery)[-2:] == [0, 0]
    assert [list(c.delivery)[-2:] for c in clients[1:]] == [[1, 0], [0, 1]]
    assert [list(v.capacity)[-2:] for v in compiled.data.vehicle_types()] == [
        [2, 0],
        [0, 2],
    ]


def test_a_pinned_job_neighbours_the_jobs_near_its_technicians_start() -> None:
    """PyVRP moves a job only next to its neighbours; a job pinned to a
    technician starting elsewhere gets the jobs nearest that start as extra
    neighbours, so the search can move it into that technician's day."""
    far = {"lat": 60.30, "lon": 25.20}
    prob = problem(
        [technician("T1"), technician("T2", start=far)],
        [
            job("P", pinned_technician="T2"),
            job("NEAR_T2", location={"lat": 60.29, "lon": 25.19}),
            job("NEAR_P", location={"lat": 60.181, "lon": 24.951}),
            job("FREE"),
        ],
    )
    instance = compile_problem(prob)
    matrix = HaversineProvider().matrix(instance.points)
    compiled = compile_pyvrp(instance, matrix, [0, 1, 2, 3])
    hints = compiled.hints
    assert list(hints) == [0]  # only the pinned job is restricted
    assert hints[0][0] == 1  # the job nearest T2's start comes first


def test_rescue_can_be_told_to_keep_the_optional_jobs_it_would_drop() -> None:
    """T1's morning (J1, O, X) has no room for P, pinned to T1. Dropping the
    optional O (worth 1) is the cheapest room; told to keep O, the rescue
    moves X to T2 instead."""
    prob = problem(
        [
            technician("T1", shift={"start": "08:00", "end": "12:00"}),
            technician("T2", shift={"start": "08:00", "end": "12:00"}),
        ],
        [
            job("J1", 60),
            job("O", 60, optional=True, value=1),
            job("X", 60),
            job("P", 60, pinned_technician="T1"),
            job("J2", 60),
        ],
    )
    instance = compile_problem(prob)
    matrix = static_matrix(instance, {})
    evaluator = Evaluator(instance, matrix)
    full = [RouteInput(0, (0, 1, 2)), RouteInput(1, (4,))]
    params = SolveParams(time_limit_s=0.3)
    cheapest = _rescue(instance, matrix, full, 3, params, 0.3)
    assert cheapest is not None
    assert 1 not in {j for r in cheapest for j in r.jobs}  # O dropped
    kept = _rescue(instance, matrix, full, 3, params, 0.3, keep=[1])
    assert kept is not None
    by_job = {j: r.tech for r in kept for j in r.jobs}
    assert sorted(by_job) == [0, 1, 2, 3, 4] and by_job[3] == 0
    assert all(evaluator.route(r.tech, r.jobs).violations == () for r in kept)


def test_a_large_day_starts_from_its_pinned_jobs_each_on_time() -> None:
    """The anchored start holds only the jobs one technician may do, in that
    technician's route: A (14:00-15:00), then B in its 16:00-17:00 window
    rather than before A in its morning one (on time both ways, but hours
    of waiting). C, which either technician may do, is left to the search."""
    prob = problem(
        [technician("T1"), technician("T2")],
        [
            job(
                "A",
                time_windows=[{"start": "14:00", "end": "15:00"}],
                pinned_technician="T2",
            ),
            job(
                "B",
                pinned_technician="T2",
                time_windows=[
                    {"start": "08:00", "end": "09:00"},
                    {"start": "16:00", "end": "17:00"},
                ],
            ),
            job("C"),
        ],
    )
    instance = compile_problem(prob)
    compiled = compile_pyvrp(instance, static_matrix(instance, {}), [0, 1, 2])
    anchored = [
        compiled.client_job[c] for clients, _ in compiled.pinned for c in clients
    ]
    assert sorted(anchored) == [0, 1, 1]  # B has a client per window
    start = _anchored(compiled.data, compiled.pinned)
    (route,) = start.routes()
    assert compiled.vehicle_tech[route.vehicle_type()] == 1
    visits = [a.idx for a in route if a.is_client()]
    assert [compiled.client_job[c] for c in visits] == [0, 1]
    b_late = compiled.data.client(visits[1])
    assert b_late.tw_early == instance.clock.seconds("16:00")
    assert route.time_warp() == 0


def test_each_technician_gets_the_clock_their_route_takes_lunch_on() -> None:
    """T1 works 10:00-12:00 and then has a job fixed at 12:30: lunch can only
    come after it (13:00), so T1 goes on the clock from 12:00. T2 waits from
    08:10 for a job at 11:30 and lunches at 11:00: the first clock."""
    fixed = [{"start": "10:00", "end": "10:00"}]
    prob = problem(
        [
            technician("T1", **{"break": LUNCH_BREAK}),
            technician("T2", **{"break": LUNCH_BREAK}),
        ],
        [
            job("A", 120, time_windows=fixed),
            job("B", 30, time_windows=[{"start": "12:30", "end": "12:30"}]),
            job("C", 60, time_windows=[{"start": "11:30", "end": "11:30"}]),
        ],
    )
    instance = compile_problem(prob)
    evaluator = Evaluator(instance, static_matrix(instance, {}))
    routes = [RouteInput(0, (0, 1)), RouteInput(1, (2,))]
    assert [evaluator.route(r.tech, r.jobs).feasible for r in routes] == [True] * 2
    assert _mixed_clock(evaluator, routes) == {0: hm(12)}


def test_a_mandatory_job_only_one_technician_may_do_is_the_last_to_drop() -> None:
    """P is pinned to T1, F may go to either: P's prize is the larger, so
    when one must be left out the search leaves out F, which the rescue can
    still place with T2."""
    prob = problem(
        [technician("T1"), technician("T2")],
        [job("P", pinned_technician="T1"), job("F"), job("O", optional=True)],
    )
    instance = compile_problem(prob)
    compiled = compile_pyvrp(instance, static_matrix(instance, {}), [0, 1, 2])
    prize = {
        compiled.client_job[c]: cl.prize for c, cl in enumerate(compiled.data.clients())
    }
    assert prize[0] > prize[1] > prize[2]
    # The same in a re-plan of T1's route alone: F may still go to T2.
    alone = compile_pyvrp(instance, static_matrix(instance, {}), [0, 1], techs=[0])
    assert alone.data.client(0).prize > alone.data.client(1).prize
