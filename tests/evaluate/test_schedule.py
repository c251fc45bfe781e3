"""The evaluator on hand-computed schedules, to the second."""

from __future__ import annotations

import pytest

from fieldroute.evaluate import RouteInput
from tests.factories import evaluator_for, job, problem, technician

H = 3600


def hms(h: int, m: int = 0, s: int = 0) -> int:
    return h * H + m * 60 + s


def test_departs_just_in_time_and_chains_services() -> None:
    """Leave 10 min before a 09:00 window; each leg, service and return adds up."""
    prob = problem(
        [technician()],
        [
            job("J1", 30, time_windows=[{"start": "09:00", "end": "10:00"}]),
            job("J2", 60),
        ],
    )
    ev = evaluator_for(
        prob, {("T1:start", "J1"): 600, ("J1", "J2"): 900, ("J2", "T1:start"): 1200}
    )
    r = ev.route(0, (0, 1))
    assert r.departure_s == hms(8, 50)
    assert [(s.arrival_s, s.start_s, s.end_s) for s in r.stops] == [
        (hms(9), hms(9), hms(9, 30)),
        (hms(9, 45), hms(9, 45), hms(10, 45)),
    ]
    assert r.return_s == hms(11, 5)
    assert (r.drive_s, r.service_s, r.wait_s, r.work_s) == (2700, 5400, 0, 8100)
    assert r.distance_m == 27000
    assert r.violations == ()


def test_late_arrival_is_reported_with_its_amount() -> None:
    """Arriving at 08:10 for a window closing 08:05 is 300 s late."""
    prob = problem(
        [technician()],
        [job("J1", 30, time_windows=[{"start": "08:00", "end": "08:05"}])],
    )
    r = evaluator_for(prob, {("T1:start", "J1"): 600}).route(0, (0,))
    assert [(v.kind, v.job_id, v.amount) for v in r.violations] == [("late", "J1", 300)]
    assert r.stops[0].late_s == 300


def test_second_window_is_used_when_the_first_has_closed() -> None:
    """Several windows mean any one: a 08:30 arrival waits for the 13:00 window."""
    prob = problem(
        [technician(shift={"start": "08:20", "end": "17:00"})],
        [
            job(
                "J1",
                30,
                time_windows=[
                    {"start": "13:00", "end": "14:00"},
                    {"start": "08:00", "end": "08:25"},
                ],
            )
        ],
    )
    r = evaluator_for(prob, {("T1:start", "J1"): 600}).route(0, (0,))
    assert r.stops[0].start_s == hms(13)
    assert r.stops[0].window == 1  # windows are sorted: (08:00, 08:25), (13:00, 14:00)
    assert r.departure_s == hms(12, 50)
    assert r.violations == ()


def test_break_goes_in_the_gap_that_ends_the_day_earliest() -> None:
    """Lunch 12:00-13:00 (30 min): taken on the way home, back at 13:15."""
    prob = problem(
        [
            technician(
                **{
                    "break": {
                        "earliest_start": "12:00",
                        "latest_end": "13:00",
                        "duration_minutes": 30,
                    }
                }
            )
        ],
        [job("J1", 180), job("J2", 60)],
    )
    ev = evaluator_for(
        prob, {("T1:start", "J1"): 600, ("J1", "J2"): 900, ("J2", "T1:start"): 1200}
    )
    r = ev.route(0, (0, 1))
    assert r.departure_s == hms(8)
    assert r.break_ is not None
    assert (r.break_.start_s, r.break_.end_s, r.break_.gap) == (hms(12, 30), hms(13), 2)
    assert r.return_s == hms(13, 15)
    assert r.work_s == hms(13, 15) - hms(8) - 1800
    assert r.violations == ()


def test_break_in_a_named_gap_pushes_the_next_job() -> None:
    """Break forced before J2: arrive 11:25, break 12:00-12:30, J2 12:30-13:30."""
    prob = problem(
        [
            technician(
                **{
                    "break": {
                        "earliest_start": "12:00",
                        "latest_end": "13:00",
                        "duration_minutes": 30,
                    }
                }
            )
        ],
        [job("J1", 180), job("J2", 60)],
    )
    ev = evaluator_for(
        prob, {("T1:start", "J1"): 600, ("J1", "J2"): 900, ("J2", "T1:start"): 1200}
    )
    r = ev.route(0, (0, 1), break_gap=1)
    assert r.break_ is not None and (r.break_.start_s, r.break_.gap) == (hms(12), 1)
    assert (r.stops[1].arrival_s, r.stops[1].start_s) == (hms(11, 25), hms(12, 30))
    assert r.return_s == hms(13, 50)


def test_break_that_cannot_fit_its_window_is_a_violation() -> None:
    """A 3-hour job over the whole break window leaves no room for the break."""
    prob = problem(
        [
            technician(
                **{
                    "break": {
                        "earliest_start": "11:00",
                        "latest_end": "12:00",
                        "duration_minutes": 30,
                    }
                }
            )
        ],
        [job("J1", 240, time_windows=[{"start": "09:00", "end": "09:00"}])],
    )
    r = evaluator_for(prob, {("T1:start", "J1"): 600}).route(0, (0,))
    # Least bad: break right after the job, 13:00-13:30, 90 min past its window.
    assert [(v.kind, v.amount) for v in r.violations] == [("break_not_placed", 5400)]


def test_no_break_when_the_day_ends_before_the_break_window() -> None:
    """A morning-only day needs no lunch break."""
    prob = problem(
        [
            technician(
                **{
                    "break": {
                        "earliest_start": "12:00",
                        "latest_end": "13:00",
                        "duration_minutes": 30,
                    }
                }
            )
        ],
        [job("J1", 60)],
    )
    r = evaluator_for(prob, {("T1:start", "J1"): 600}).route(0, (0,))
    assert r.break_ is None and r.violations == ()
    assert r.return_s == hms(9, 20)


@pytest.mark.parametrize(
    ("tech_fields", "job_fields", "kind", "amount"),
    [
        # cap of one job, two jobs planned
        ({"max_jobs": 1}, [{}, {}], "max_jobs_exceeded", 1),
        # one filter carried, two needed
        (
            {"capacity": {"filters": 1}},
            [{"demand": {"filters": 1}}] * 2,
            "stock_exceeded",
            1,
        ),
        # 40 min of work allowed: 10 + 30 + 10 + 30 + 10 = 90 min planned
        ({"max_work_minutes": 40}, [{}, {}], "max_work_exceeded", 50 * 60),
        # the shift ends at 09:00, the day ends at 09:30
        (
            {"shift": {"start": "08:00", "end": "09:00"}},
            [{}, {}],
            "shift_end_exceeded",
            30 * 60,
        ),
        # a job in another territory
        ({"territory": "north"}, [{"territory": "south"}, {}], "outside_territory", 0),
    ],
)
def test_each_cap_and_rule_is_named_with_its_amount(
    tech_fields: dict[str, object],
    job_fields: list[dict[str, object]],
    kind: str,
    amount: int,
) -> None:
    prob = problem(
        [technician(**tech_fields)],
        [job(f"J{k}", 30, **f) for k, f in enumerate(job_fields, 1)],
    )
    r = evaluator_for(prob).route(0, tuple(range(len(job_fields))))
    found = [(v.kind, v.amount) for v in r.violations]
    assert found == [(kind, amount)]


def test_missing_skill_and_broken_pin_are_named_per_job() -> None:
    prob = problem(
        [technician("T1", skills=["hvac"]), technician("T2", skills=["elec"])],
        [job("J1", required_skills=["elec"]), job("J2", pinned_technician="T2")],
    )
    evaluation = evaluator_for(prob).plan([RouteInput(0, (0, 1))])
    assert {(v.kind, v.job_id) for v in evaluation.violations} == {
        ("missing_skill", "J1"),
        ("pin_broken", "J2"),
    }


def test_plan_reports_duplicates_and_unassigned_jobs() -> None:
    prob = problem(
        [technician("T1"), technician("T2")], [job("J1"), job("J2"), job("J3")]
    )
    evaluation = evaluator_for(prob).plan([RouteInput(0, (0, 1)), RouteInput(1, (1,))])
    assert [v.kind for v in evaluation.violations] == ["duplicate_job"]
    assert evaluation.unassigned == (2,)
    assert evaluation.kpis.jobs_unassigned == 1
    assert evaluation.kpis.technicians_used == 2


def test_kpis_add_up_over_routes() -> None:
    prob = problem(
        [technician("T1"), technician("T2")],
        [job("J1", 60, value=10), job("J2", 30, value=5, optional=True)],
    )
    ev = evaluator_for(prob)
    evaluation = ev.plan([RouteInput(0, (0,)), RouteInput(1, (1,))])
    k = evaluation.kpis
    assert k.drive_s == 4 * 600
    assert k.service_s == 90 * 60
    assert k.value == 15
    assert k.work_s == (600 + 3600 + 600) + (600 + 1800 + 600)
    assert k.value_per_field_hour == pytest.approx(15 / (k.work_s / 3600))
    # cost = 40 min driving at 60/h - value 15
    assert k.cost == pytest.approx(40 - 15)


def test_break_that_fills_waiting_lets_the_day_start_later_under_a_work_cap() -> None:
    """J2 is fixed at 13:00. Leaving at 08:00 waits 3 h 40 (work 340 min, over
    the 200-min cap); the latest departure of the day without its break
    (11:40) makes J2 late once the break is in. Leaving at 11:10 fits: J1
    11:20-12:20, break on arrival 12:30-13:00, J2 13:00-14:00, back 14:10."""
    prob = problem(
        [
            technician(
                max_work_minutes=200,
                **{
                    "break": {
                        "earliest_start": "11:00",
                        "latest_end": "13:30",
                        "duration_minutes": 30,
                    }
                },
            )
        ],
        [
            job("J1", 60),
            job("J2", 60, time_windows=[{"start": "13:00", "end": "13:00"}]),
        ],
    )
    r = evaluator_for(prob).route(0, (0, 1))
    assert r.violations == ()
    assert (r.departure_s, r.return_s) == (hms(11, 10), hms(14, 10))
    assert r.work_s == 150 * 60
