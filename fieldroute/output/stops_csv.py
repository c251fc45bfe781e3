"""The plan as one CSV table: stops, breaks and unassigned jobs.

Meant for spreadsheets and dispatch boards: one row per visit, in route order,
with the break in its place and the jobs nobody got at the bottom.
"""

from __future__ import annotations

import csv
from pathlib import Path

from fieldroute.model.plan import Plan, PlannedBreak, PlannedRoute

COLUMNS: tuple[str, ...] = (
    "technician_id",
    "sequence",
    "job_id",
    "name",
    "lat",
    "lon",
    "arrival",
    "start",
    "end",
    "travel_s",
    "distance_m",
    "wait_s",
    "late_s",
    "code",
    "reason",
)

Row = dict[str, str | int | float]


def _break_row(technician_id: str, brk: PlannedBreak) -> Row:
    # A break has no place of its own and no sequence number: stop numbers
    # must match the map and GeoJSON, so the break is placed by row order.
    return {
        "technician_id": technician_id,
        "name": "break",
        "start": brk.start.isoformat(),
        "end": brk.end.isoformat(),
    }


def _route_rows(route: PlannedRoute) -> list[Row]:
    rows: list[Row] = []
    brk = route.break_
    for sequence, stop in enumerate(route.stops, start=1):
        if brk is not None and brk.before_job_id == stop.job_id:
            rows.append(_break_row(route.technician_id, brk))
        rows.append(
            {
                "technician_id": route.technician_id,
                "sequence": sequence,
                "job_id": stop.job_id,
                "name": stop.name,
                "lat": stop.lat,
                "lon": stop.lon,
                "arrival": stop.arrival.isoformat(),
                "start": stop.start.isoformat(),
                "end": stop.end.isoformat(),
                "travel_s": stop.travel_s,
                "distance_m": stop.distance_m,
                "wait_s": stop.wait_s,
                "late_s": stop.late_s,
            }
        )
    # None means "before the return"; an id not on the route is kept, not lost.
    stop_ids = {stop.job_id for stop in route.stops}
    if brk is not None and brk.before_job_id not in stop_ids:
        rows.append(_break_row(route.technician_id, brk))
    return rows


def plan_rows(plan: Plan) -> list[Row]:
    """The CSV rows as dicts keyed by `COLUMNS`; missing keys are empty cells."""
    rows: list[Row] = []
    for route in plan.routes:
        rows += _route_rows(route)
    for item in plan.unassigned:
        rows.append({"job_id": item.job_id, "code": item.code, "reason": item.reason})
    return rows


def write_stops_csv(plan: Plan, path: str | Path) -> None:
    """Write the plan's stops, breaks and unassigned jobs to `path` as CSV.

    Columns are `COLUMNS`. Stop rows carry the technician, the 1-based stop
    number and the times (ISO-8601 with offset); a break row has an empty
    ``job_id`` and the name ``break``; unassigned rows have an empty
    ``technician_id`` and say why in ``code`` and ``reason``.
    """
    # newline="" lets the csv module write its own line ends (RFC 4180 CRLF).
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(plan_rows(plan))
