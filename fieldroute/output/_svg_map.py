"""An inline SVG of the plan: routes over points, with no tiles and no network.

The projection is equirectangular with longitude scaled by cos(mid latitude),
which keeps shapes right at city and region scale (where route plans live)
without any projection library.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from html import escape

from fieldroute.model.plan import Plan, PlannedRoute, PlannedStop
from fieldroute.model.problem import Problem
from fieldroute.output._common import (
    UNASSIGNED_COLOUR,
    Places,
    jobs_by_id,
    technician_places,
)

# viewBox units. Small, so marks stay legible when a phone shrinks the map;
# the page caps the drawn size on large screens.
WIDTH = 480.0
PAD = 40.0  # room for labels beside the outermost markers
MIN_HEIGHT, MAX_HEIGHT = 260.0, 640.0
MIN_SPAN_DEG = 0.005  # about 500 m: one lone point still gets a sensible frame
STOP_R = 11.0
SPREAD_R = 15.0  # how far marks at the same spot are pushed apart
LABEL_CHAR_W = 8.0  # about 0.55 em at the 14px phone label size


@dataclass(frozen=True, slots=True)
class _Projection:
    lat0: float
    lon0: float
    kx: float
    scale: float
    ox: float
    oy: float
    height: float

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.ox + (lon - self.lon0) * self.kx * self.scale
        y = self.oy + (self.lat0 - lat) * self.scale
        return x, y


def _fit(points: list[tuple[float, float]]) -> _Projection:
    lats = [p[0] for p in points] or [0.0]
    lons = [p[1] for p in points] or [0.0]
    lat_lo, lat_hi, lon_lo, lon_hi = min(lats), max(lats), min(lons), max(lons)
    kx = math.cos(math.radians((lat_lo + lat_hi) / 2))
    span_x = max((lon_hi - lon_lo) * kx, MIN_SPAN_DEG)
    span_y = max(lat_hi - lat_lo, MIN_SPAN_DEG)
    inner_w = WIDTH - 2 * PAD
    height = min(max(inner_w * span_y / span_x + 2 * PAD, MIN_HEIGHT), MAX_HEIGHT)
    scale = min(inner_w / span_x, (height - 2 * PAD) / span_y)
    # Centre the drawing in whichever direction has room to spare.
    ox = (WIDTH - (lon_hi - lon_lo) * kx * scale) / 2
    oy = (height - (lat_hi - lat_lo) * scale) / 2
    return _Projection(lat_hi, lon_lo, kx, scale, ox, oy, height)


def _spread(
    positions: dict[str, tuple[float, float]],
) -> dict[str, tuple[float, float]]:
    """Push marks that land on the same spot onto a small ring around it.

    Several jobs at one address (or technicians at one depot) would otherwise
    hide each other's numbers.
    """
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, (x, y) in positions.items():
        groups[(round(x), round(y))].append(key)
    out = dict(positions)
    for keys in groups.values():
        if len(keys) < 2:
            continue
        for i, key in enumerate(keys):
            angle = 2 * math.pi * i / len(keys) - math.pi / 2
            x, y = positions[key]
            out[key] = (x + SPREAD_R * math.cos(angle), y + SPREAD_R * math.sin(angle))
    return out


def _hhmm(moment: datetime) -> str:
    # Plan datetimes carry the plan's offset, so this is local clock time.
    return moment.strftime("%H:%M")


def _stop_title(route: PlannedRoute, seq: int, stop: PlannedStop) -> str:
    name = f" — {stop.name}" if stop.name else ""
    lines = [
        f"{route.technician_id} #{seq}: {stop.job_id}{name}",
        f"arrive {_hhmm(stop.arrival)}, work {_hhmm(stop.start)}–{_hhmm(stop.end)}",
    ]
    if stop.wait_s:
        lines.append(f"wait {round(stop.wait_s / 60)} min")
    if stop.late_s:
        lines.append(f"LATE by {round(stop.late_s / 60)} min")
    return "\n".join(lines)


def _label(x: float, y: float, gap: float, text: str, right: bool = True) -> str:
    """Text beside a mark at (x, y), `gap` away, flipped sides near an edge.

    Width is estimated from the phone font size (the larger one) so a label
    never runs off the viewBox, where the SVG would clip it.
    """
    width = len(text) * LABEL_CHAR_W
    if right and x + gap + width > WIDTH:
        right = False
    elif not right and x - gap - width < 0:
        right = True
    tx, anchor = (x + gap, "start") if right else (x - gap, "end")
    return (
        f'<text class="lbl" x="{tx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def _collect_points(plan: Plan, problem: Problem) -> list[tuple[float, float]]:
    points = [(s.lat, s.lon) for r in plan.routes for s in r.stops]
    for place in technician_places(problem).values():
        points += [(place.start.lat, place.start.lon), (place.end.lat, place.end.lon)]
    jobs = jobs_by_id(problem)
    points += [
        (jobs[u.job_id].location.lat, jobs[u.job_id].location.lon)
        for u in plan.unassigned
        if u.job_id in jobs
    ]
    return points


def _marks_positions(
    plan: Plan, problem: Problem, project: _Projection
) -> dict[str, tuple[float, float]]:
    """Projected position of every mark, keyed "kind|tech|id", after spreading."""
    pos: dict[str, tuple[float, float]] = {}
    for tid, place in technician_places(problem).items():
        pos[f"start|{tid}|"] = project(place.start.lat, place.start.lon)
        if place.end != place.start:
            pos[f"end|{tid}|"] = project(place.end.lat, place.end.lon)
    for route in plan.routes:
        for seq, stop in enumerate(route.stops, start=1):
            pos[f"stop|{route.technician_id}|{seq}"] = project(stop.lat, stop.lon)
    jobs = jobs_by_id(problem)
    for item in plan.unassigned:
        if item.job_id in jobs:
            loc = jobs[item.job_id].location
            pos[f"unassigned||{item.job_id}"] = project(loc.lat, loc.lon)
    return _spread(pos)


def _route_svg(
    route: PlannedRoute,
    place: Places | None,
    colour: str,
    pos: dict[str, tuple[float, float]],
) -> tuple[str, str]:
    """(line, marks) of one route: drawn in two layers so marks sit on lines."""
    tid = route.technician_id
    pts = [pos[f"stop|{tid}|{i}"] for i in range(1, len(route.stops) + 1)]
    if place is not None:
        pts.insert(0, pos[f"start|{tid}|"])
        pts.append(pos.get(f"end|{tid}|", pts[0]))
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    line = (
        f'<g class="route"><title>{escape(tid)}</title>'
        f'<polyline class="casing" points="{path}"/>'
        f'<polyline points="{path}" stroke="{colour}"/></g>'
    )
    marks = []
    for seq, stop in enumerate(route.stops, start=1):
        x, y = pos[f"stop|{tid}|{seq}"]
        marks.append(
            f'<g class="stop"><title>{escape(_stop_title(route, seq, stop))}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{STOP_R}" fill="{colour}"/>'
            f'<text class="num" x="{x:.1f}" y="{y:.1f}">{seq}</text>'
            + _label(x, y, STOP_R + 3, _hhmm(stop.start))
            + "</g>"
        )
    return line, "".join(marks)


def _place_svg(
    tid: str,
    kind: str,
    xy: tuple[float, float],
    colour: str,
    route: PlannedRoute | None,
    same_end: bool,
) -> str:
    x, y = xy
    if route is None:
        when = "not used"
    elif kind == "end":
        when = f"back {_hhmm(route.return_)}"
    elif same_end:
        when = f"{_hhmm(route.departure)}–{_hhmm(route.return_)}"
    else:
        when = f"leave {_hhmm(route.departure)}"
    title = f"{tid}: {kind} place, {when}"
    fill = colour if route is not None else "#ffffff"
    shape = (
        f'<rect x="{x - 8:.1f}" y="{y - 8:.1f}" width="16" height="16" '
        f'fill="{fill}" stroke="{colour}" stroke-width="3"/>'
        if kind == "start"
        else f'<polygon points="{x:.1f},{y - 10:.1f} {x + 10:.1f},{y:.1f} '
        f'{x:.1f},{y + 10:.1f} {x - 10:.1f},{y:.1f}" fill="{fill}" '
        f'stroke="{colour}" stroke-width="3"/>'
    )
    return (
        f'<g class="place"><title>{escape(title)}</title>{shape}'
        # Place labels go left, stop labels right: a depot often sits among
        # its first stops, and shared depots stack their marks vertically.
        + _label(x, y, 13, f"{tid} {kind}", right=False)
        + "</g>"
    )


def _unassigned_svg(
    plan: Plan, problem: Problem, pos: dict[str, tuple[float, float]]
) -> str:
    jobs = jobs_by_id(problem)
    marks = []
    for item in plan.unassigned:
        key = f"unassigned||{item.job_id}"
        if key not in pos:
            continue
        x, y = pos[key]
        name = jobs[item.job_id].name
        title = (
            f"{item.job_id}{' — ' + name if name else ''}: not planned\n{item.reason}"
        )
        d = 6.0
        marks.append(
            f'<g class="unassigned"><title>{escape(title)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{STOP_R}" fill="#ffffff" '
            f'stroke="{UNASSIGNED_COLOUR}" stroke-width="2" stroke-dasharray="3 2"/>'
            f'<path d="M{x - d:.1f},{y - d:.1f}L{x + d:.1f},{y + d:.1f}'
            f'M{x - d:.1f},{y + d:.1f}L{x + d:.1f},{y - d:.1f}" '
            f'stroke="{UNASSIGNED_COLOUR}" stroke-width="2"/>'
            + _label(x, y, STOP_R + 3, item.job_id)
            + "</g>"
        )
    return "".join(marks)


def render_svg(plan: Plan, problem: Problem, colours: dict[str, str]) -> str:
    """The plan drawn as one ``<svg>`` element, scaled to its container."""
    project = _fit(_collect_points(plan, problem))
    pos = _marks_positions(plan, problem, project)
    places = technician_places(problem)
    routes = {r.technician_id: r for r in plan.routes}
    lines, marks = [], []
    for route in plan.routes:
        line, mark = _route_svg(
            route, places.get(route.technician_id), colours[route.technician_id], pos
        )
        lines.append(line)
        marks.append(mark)
    place_marks = []
    for tid, place in places.items():
        same_end = place.end == place.start
        for kind in ("start",) if same_end else ("start", "end"):
            place_marks.append(
                _place_svg(
                    tid,
                    kind,
                    pos[f"{kind}|{tid}|"],
                    colours[tid],
                    routes.get(tid),
                    same_end,
                )
            )
    return (
        f'<svg class="map" viewBox="0 0 {WIDTH:.0f} {project.height:.0f}" '
        # No xmlns: inline SVG in HTML needs none, and the page stays free of
        # any URL at all.
        'role="img" '
        'aria-label="Map of the planned routes">'
        f'<rect class="bg" width="{WIDTH:.0f}" height="{project.height:.0f}"/>'
        + "".join(lines)
        + _unassigned_svg(plan, problem, pos)
        + "".join(place_marks)
        + "".join(marks)
        + "</svg>"
    )
