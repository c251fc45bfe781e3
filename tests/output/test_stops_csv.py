from __future__ import annotations

import csv
from pathlib import Path

from fieldroute.model.plan import Plan
from fieldroute.output import CSV_COLUMNS, plan_rows, write_stops_csv


def _rows(plan: Plan, tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "stops.csv"
    write_stops_csv(plan, path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        return list(reader)


def test_columns() -> None:
    expected = "technician_id sequence job_id name lat lon arrival start end"
    expected += " travel_s distance_m wait_s late_s code reason"
    assert tuple(expected.split()) == CSV_COLUMNS


def test_row_count(plan: Plan, tmp_path: Path) -> None:
    rows = _rows(plan, tmp_path)
    stops = sum(len(r.stops) for r in plan.routes)
    breaks = sum(r.break_ is not None for r in plan.routes)
    assert len(rows) == stops + breaks + len(plan.unassigned)


def test_stop_rows_follow_routes(plan: Plan, tmp_path: Path) -> None:
    rows = [r for r in _rows(plan, tmp_path) if r["job_id"] and r["technician_id"]]
    expected = [
        (route.technician_id, str(seq), stop.job_id, stop.start.isoformat())
        for route in plan.routes
        for seq, stop in enumerate(route.stops, start=1)
    ]
    got = [(r["technician_id"], r["sequence"], r["job_id"], r["start"]) for r in rows]
    assert got == expected
    first = plan.routes[0].stops[0]
    assert float(rows[0]["lat"]) == first.lat and float(rows[0]["lon"]) == first.lon
    assert int(rows[0]["travel_s"]) == first.travel_s


def test_break_row_sits_before_its_job(plan: Plan, tmp_path: Path) -> None:
    rows = _rows(plan, tmp_path)
    route = next(r for r in plan.routes if r.break_ is not None)
    assert route.break_ is not None
    own = [r for r in rows if r["technician_id"] == route.technician_id]
    (at,) = [i for i, r in enumerate(own) if r["name"] == "break"]
    brk = own[at]
    assert brk["job_id"] == "" and brk["sequence"] == ""
    assert brk["start"] == route.break_.start.isoformat()
    if route.break_.before_job_id is None:
        assert at == len(own) - 1
    else:
        assert own[at + 1]["job_id"] == route.break_.before_job_id


def test_unassigned_rows(plan: Plan, tmp_path: Path) -> None:
    rows = [r for r in _rows(plan, tmp_path) if not r["technician_id"]]
    assert [(r["job_id"], r["code"]) for r in rows] == [
        (u.job_id, u.code) for u in plan.unassigned
    ]
    assert all(r["reason"] for r in rows)


def test_break_before_return_comes_last(plan: Plan) -> None:
    route = next(r for r in plan.routes if r.break_ is not None)
    assert route.break_ is not None
    at_end = route.break_.model_copy(update={"before_job_id": None})
    changed = plan.model_copy(
        update={"routes": [route.model_copy(update={"break_": at_end})]}
    )
    rows = [r for r in plan_rows(changed) if r.get("technician_id")]
    assert rows[-1]["name"] == "break"
    assert len(rows) == len(route.stops) + 1
