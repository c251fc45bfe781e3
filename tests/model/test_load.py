"""Loaders reject bad input with one clear message per problem, naming where."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldroute.errors import InputError
from fieldroute.model import load_csv, load_json, load_problem, problem_from_dict
from fieldroute.model.clock import DayClock, parse_timezone

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def base() -> dict[str, Any]:
    return json.loads((EXAMPLES / "monday" / "problem.json").read_text())


def messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        problem_from_dict(data)
    return [str(p) for p in caught.value.problems]


def test_monday_example_loads() -> None:
    problem = load_json(EXAMPLES / "monday" / "problem.json")
    assert len(problem.technicians) == 4 and len(problem.jobs) == 12


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # a skill nobody knows
        (
            lambda d: d["jobs"][0].__setitem__("required_skills", ["hvak"]),
            "job J01, field required_skills[0]: unknown skill 'hvak'",
        ),
        # a window that ends before it starts
        (
            lambda d: d["jobs"][1].__setitem__(
                "time_windows", [{"start": "12:00", "end": "09:00"}]
            ),
            "job J02, field time_windows[0].end: window ends (09:00) before it starts",
        ),
        # two jobs with one id
        (
            lambda d: d["jobs"][2].__setitem__("id", "J01"),
            "job J01, field id: duplicate id",
        ),
        # latitude off the planet
        (
            lambda d: d["jobs"][3]["location"].__setitem__("lat", 123.0),
            "job J04, field location.lat: Input should be less than or equal to 90",
        ),
        # longitude off the planet, on a technician
        (
            lambda d: d["technicians"][0]["start"].__setitem__("lon", -200),
            "technician T1, field start.lon: Input should be greater than or equal to -180",
        ),
        # a time nobody can read
        (
            lambda d: d["technicians"][1]["shift"].__setitem__("start", "8 o'clock"),
            'technician T2, field shift.start: cannot read "8 o\'clock" as a time',
        ),
        # an hour that does not exist
        (
            lambda d: d["jobs"][4].__setitem__(
                "time_windows", [{"start": "25:00", "end": "26:00"}]
            ),
            "job J05, field time_windows[0].start: '25:00' is not a valid clock time",
        ),
        # an unknown time zone
        (
            lambda d: d.__setitem__("timezone", "Europe/Helsingfors"),
            "problem, field timezone: unknown time zone 'Europe/Helsingfors'",
        ),
        # a negative duration
        (
            lambda d: d["jobs"][5].__setitem__("duration_minutes", -5),
            "job J06, field duration_minutes: Input should be greater than or equal to 0",
        ),
        # a pin to nobody
        (
            lambda d: d["jobs"][6].__setitem__("pinned_technician", "T9"),
            "job J07, field pinned_technician: unknown technician 'T9'",
        ),
        # a typo in a field name
        (
            lambda d: d["jobs"][7].__setitem__("duraton_minutes", 5),
            "job J08, field duraton_minutes: unknown field",
        ),
        # stock nobody carries
        (
            lambda d: d["jobs"][8].__setitem__("demand", {"gaskets": 1}),
            "job J09, field demand.gaskets: unknown stock item 'gaskets'",
        ),
    ],
)
def test_each_bad_input_class_gets_its_message(edit: Any, expected: str) -> None:
    data = base()
    edit(data)
    found = messages(data)
    assert any(m.startswith(expected) for m in found), found


def test_every_problem_is_reported_at_once() -> None:
    """Three independent mistakes give three messages, not one at a time."""
    data = base()
    data["jobs"][0]["duration_minutes"] = -1
    data["jobs"][1]["location"]["lat"] = 100
    data["technicians"][0]["max_jobs"] = -2
    assert len(messages(data)) == 3


def test_shift_ending_before_it_starts_is_rejected() -> None:
    data = base()
    data["technicians"][0]["shift"] = {"start": "17:00", "end": "08:00"}
    assert any("technician T1, field shift.end" in m for m in messages(data))


def test_break_that_cannot_fit_the_shift_is_rejected() -> None:
    data = base()
    data["technicians"][0]["break"] = {
        "earliest_start": "15:50",
        "latest_end": "18:00",
        "duration_minutes": 30,
    }
    assert any("technician T1, field break" in m for m in messages(data))


def test_unparsable_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"date": "2026-11-23",\n "jobs": [}\n')
    with pytest.raises(InputError) as caught:
        load_json(path)
    assert str(caught.value.problems[0]).startswith("p.json line 2, column")


TECHS = """id,name,start_lat,start_lon,shift_start,shift_end,skills,max_jobs,break_earliest_start,break_latest_end,break_duration_minutes,capacity
T1,Aino,60.17,24.94,08:00,16:00,hvac;electrical,5,11:00,13:00,30,filters=4
T2,Mikko,60.20,24.66,08:00,17:00,plumbing,,,,,valves=2
"""
JOBS = """id,name,lat,lon,duration_minutes,time_windows,required_skills,demand,priority,value,optional,pinned_technician
J1,AC service,60.168,24.93,60,08:00-10:00;13:00-15:00,hvac,filters=1,4,,,
J2,Valve,60.25,25.01,45,,plumbing,valves=1,,,,T2
J3,Prospect,60.19,24.95,30,,,,,120,yes,
"""


def write_csvs(folder: Path, techs: str = TECHS, jobs: str = JOBS) -> None:
    (folder / "technicians.csv").write_text(techs)
    (folder / "jobs.csv").write_text(jobs)


def test_csv_pair_loads_every_column(tmp_path: Path) -> None:
    write_csvs(tmp_path)
    problem = load_problem(tmp_path, date="2026-11-23", timezone="Europe/Helsinki")
    t1, t2 = problem.technicians
    assert t1.skills == ["hvac", "electrical"] and t1.capacity == {"filters": 4}
    assert t1.break_ is not None and t1.break_.duration_minutes == 30
    assert t2.break_ is None and t2.max_jobs is None
    j1, j2, j3 = problem.jobs
    assert [(w.start, w.end) for w in j1.time_windows] == [
        ("08:00", "10:00"),
        ("13:00", "15:00"),
    ]
    assert j1.priority == 4 and j2.pinned_technician == "T2"
    assert j3.optional and j3.value == 120


def test_csv_errors_name_file_line_and_column(tmp_path: Path) -> None:
    jobs = JOBS.replace("J2,Valve,60.25,25.01,45", "J2,Valve,160.25,25.01,-45")
    jobs = jobs.replace("08:00-10:00;13:00-15:00", "08:00-07:00")
    write_csvs(tmp_path, jobs=jobs)
    with pytest.raises(InputError) as caught:
        load_csv(
            tmp_path / "technicians.csv",
            tmp_path / "jobs.csv",
            date="2026-11-23",
            timezone="Europe/Helsinki",
        )
    found = [str(p) for p in caught.value.problems]
    assert any(m.startswith("jobs.csv line 3, column lat:") for m in found), found
    assert any(
        m.startswith("jobs.csv line 3, column duration_minutes:") for m in found
    ), found
    assert len(found) == 2


def test_csv_cross_record_errors_name_the_cell(tmp_path: Path) -> None:
    jobs = JOBS.replace(",plumbing,valves=1", ",plumbnig,valves=1")
    write_csvs(tmp_path, jobs=jobs)
    with pytest.raises(InputError) as caught:
        load_problem(tmp_path, date="2026-11-23", timezone="Europe/Helsinki")
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        "jobs.csv line 3, column required_skills: job J2: unknown skill"
    )


def test_csv_unknown_column_is_rejected(tmp_path: Path) -> None:
    write_csvs(tmp_path, jobs=JOBS.replace("pinned_technician", "pinned_tech"))
    with pytest.raises(InputError) as caught:
        load_problem(tmp_path, date="2026-11-23", timezone="Europe/Helsinki")
    assert "jobs.csv line 1, column pinned_tech: unknown column" in str(caught.value)


def test_clock_counts_real_seconds_across_daylight_saving() -> None:
    """On 29 March 2026 Helsinki skips 03:00-04:00: 08:00 is 7 h after midnight."""
    import datetime as dt

    clock = DayClock(dt.date(2026, 3, 29), parse_timezone("Europe/Helsinki"))
    assert clock.seconds("08:00") == 7 * 3600
    assert clock.iso(7 * 3600) == "2026-03-29T08:00:00+03:00"
    assert clock.seconds("2026-03-29T08:00:00+03:00") == 7 * 3600
    assert clock.seconds("24:00") == 23 * 3600
