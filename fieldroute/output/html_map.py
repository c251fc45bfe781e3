"""The plan as one self-contained HTML page: map, legend and stop tables.

The page loads nothing: no scripts, no fonts, no map tiles, no URLs at all, so
it opens offline, from an e-mail attachment or a phone's file browser. The map
is an inline SVG (see `fieldroute.output._svg_map`).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from fieldroute.model.plan import Plan, PlannedRoute
from fieldroute.model.problem import Problem
from fieldroute.output._common import jobs_by_id, technician_colours
from fieldroute.output._svg_map import render_svg

_CSS = """
:root { color-scheme: light; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto,
  sans-serif; color: #1b1f24; background: #fff; }
main { max-width: 960px; margin: 0 auto; padding: 12px; }
h1 { font-size: 1.3rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 20px 0 6px; }
.summary { margin: 0 0 10px; color: #444; }
/* max-height letterboxes a tall map inside the viewport (viewBox keeps the
   aspect), so a north-south territory does not push the legend off screen. */
svg.map { display: block; width: 100%; max-width: 100%; height: auto;
  max-height: 75vh;
  border: 1px solid #d0d7de; border-radius: 6px; }
svg .bg { fill: #f6f8fa; }
svg .route polyline { fill: none; stroke-width: 4; stroke-linejoin: round;
  stroke-linecap: round; }
svg .route polyline.casing { stroke: #fff; stroke-width: 8; }
svg .stop circle { stroke: #fff; stroke-width: 2; }
svg .num { fill: #fff; font-size: 12px; font-weight: 700; text-anchor: middle;
  dominant-baseline: central; }
svg .lbl { fill: #1b1f24; font-size: 12px; paint-order: stroke; stroke: #fff;
  stroke-width: 3px; stroke-linejoin: round; }
@media (max-width: 600px) {
  /* A phone shrinks the 480-unit map to ~0.75: enlarge text to stay legible. */
  svg .lbl { font-size: 14px; }
  svg .num { font-size: 13px; }
}
figcaption { font-size: .85rem; color: #555; margin-top: 4px; }
.legend ul { list-style: none; padding: 0; margin: 0; display: flex;
  flex-wrap: wrap; gap: 6px 18px; }
.sw { display: inline-block; width: .9em; height: .9em; border-radius: 2px;
  vertical-align: -.1em; margin-right: 5px; }
.muted { color: #777; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e4e7eb;
  white-space: nowrap; }
td.job, td.why { white-space: normal; }
td.job { min-width: 7em; }
/* On a wide screen a full-width map would blow marks up to poster size. */
figure.map { margin: 0 auto; max-width: 720px; }
small { color: #666; }
tr.brk td, tr.end td { color: #555; font-style: italic; }
tr.late td { background: #fff1f0; }
.warn { color: #b42318; }
"""


def _hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _dur(seconds: int) -> str:
    """Seconds as people read them: '7 min', '1 h 05 min'; zero is a dash."""
    minutes = round(seconds / 60)
    if minutes == 0:
        return "—"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _km(metres: int) -> str:
    return f"{metres / 1000:.1f} km"


def _summary(plan: Plan) -> str:
    k = plan.kpis
    parts = [
        f"{_count(k.jobs_done, 'job')} planned",
        f"{k.jobs_unassigned} unassigned",
        _count(k.technicians_used, "technician"),
        f"drive {_dur(k.drive_s)}",
        _km(k.distance_m),
        f"on time {k.on_time_rate:.0%}",
    ]
    return '<p class="summary">' + escape(" · ".join(parts)) + "</p>"


def _violations(plan: Plan) -> str:
    if not plan.violations:
        return ""
    items = "".join(f"<li>{escape(v.message)}</li>" for v in plan.violations)
    return f'<section class="warn"><h2>Rule violations</h2><ul>{items}</ul></section>'


def _legend(plan: Plan, problem: Problem, colours: dict[str, str]) -> str:
    routes = {r.technician_id: r for r in plan.routes}
    names = {t.id: t.name for t in problem.technicians}
    items = []
    for tid, colour in colours.items():
        who = escape(tid) + (f" ({escape(names[tid])})" if names.get(tid) else "")
        route = routes.get(tid)
        if route is None:
            what = '<span class="muted">not used</span>'
        else:
            t = route.totals
            what = escape(
                f"{_count(t.jobs, 'job')} · drive {_dur(t.drive_s)} · "
                f"{_km(t.distance_m)} · "
                f"{_hhmm(route.departure)}–{_hhmm(route.return_)}"
            )
        items.append(
            f'<li><span class="sw" style="background:{colour}"></span>'
            f"<b>{who}</b> {what}</li>"
        )
    return (
        '<section class="legend"><h2>Legend</h2><ul>' + "".join(items) + "</ul>"
        "<figcaption>■ start place · ◆ end place (when not the start) · "
        "numbered circle = stop in visiting order, labelled with its start time · "
        "✕ = not planned. Hover or tap a mark for details.</figcaption></section>"
    )


def _row(cells: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    tds = "".join(
        # The job cell may wrap: long customer names must not widen the table.
        f'<td class="job">{escape(c)}</td>' if i == 1 else f"<td>{escape(c)}</td>"
        for i, c in enumerate(cells)
    )
    return f"<tr{attr}>{tds}</tr>"


def _note(wait_s: int, late_s: int) -> str:
    notes = []
    if wait_s >= 60:
        notes.append(f"wait {_dur(wait_s)}")
    if late_s:
        notes.append(f"LATE {_dur(late_s)}")
    return ", ".join(notes)


_HEAD = ("#", "Job", "Arrive", "Work", "Drive in", "Note")


def _route_table(route: PlannedRoute, colour: str) -> str:
    blank = ["", "", ""]
    rows = [_row(["", "leave start", _hhmm(route.departure), *blank], "end")]
    brk = route.break_
    brk_row = ""
    if brk is not None:
        brk_row = _row(
            ["", "break", "", f"{_hhmm(brk.start)}–{_hhmm(brk.end)}", "", ""], "brk"
        )
    for seq, stop in enumerate(route.stops, start=1):
        if brk is not None and brk.before_job_id == stop.job_id:
            rows.append(brk_row)
        cells = [
            str(seq),
            stop.job_id + (f" — {stop.name}" if stop.name else ""),
            _hhmm(stop.arrival),
            f"{_hhmm(stop.start)}–{_hhmm(stop.end)}",
            f"{_dur(stop.travel_s)} · {_km(stop.distance_m)}",
            _note(stop.wait_s, stop.late_s),
        ]
        rows.append(_row(cells, "late" if stop.late_s else ""))
    # A break before the return (or before a job not on the route) goes last.
    if brk is not None and brk.before_job_id not in {s.job_id for s in route.stops}:
        rows.append(brk_row)
    rows.append(_row(["", "back at end", _hhmm(route.return_), *blank], "end"))
    t = route.totals
    return (
        f'<section class="route-table"><h2><span class="sw" style="background:'
        f'{colour}"></span>{escape(route.technician_id)} — '
        f"{_count(t.jobs, 'job')}, drive "
        f"{escape(_dur(t.drive_s))}</h2>"
        '<div class="wrap"><table><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in _HEAD)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></section>"
    )


def _unassigned_table(plan: Plan, problem: Problem) -> str:
    if not plan.unassigned:
        return ""
    jobs = jobs_by_id(problem)
    rows = []
    for item in plan.unassigned:
        name = jobs[item.job_id].name if item.job_id in jobs else ""
        job = item.job_id + (f" — {name}" if name else "")
        rows.append(
            f'<tr><td class="job">{escape(job)}</td><td class="why">'
            f"{escape(item.reason)}<br><small>{escape(item.code)}</small></td></tr>"
        )
    return (
        '<section class="unassigned"><h2>Unassigned jobs</h2><div class="wrap">'
        "<table><thead><tr><th>Job</th><th>Reason</th></tr></thead>"
        "<tbody>" + "".join(rows) + "</tbody></table></div></section>"
    )


def render_html_map(plan: Plan, problem: Problem) -> str:
    """The whole page as a string (see `write_html_map`)."""
    colours = technician_colours(plan, problem)
    title = " · ".join(x for x in ("Route plan", plan.problem, plan.date) if x)
    body = (
        f"<h1>{escape(title)}</h1>"
        + _summary(plan)
        + _violations(plan)
        + f'<figure class="map">{render_svg(plan, problem, colours)}</figure>'
        + _legend(plan, problem, colours)
        + "".join(_route_table(r, colours[r.technician_id]) for r in plan.routes)
        + _unassigned_table(plan, problem)
        + f'<p class="muted">Times are local ({escape(plan.timezone)}).</p>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def write_html_map(plan: Plan, problem: Problem, path: str | Path) -> None:
    """Write the plan as one self-contained HTML page to `path`.

    The page holds an inline SVG map (one colour per technician, numbered
    stops labelled with their start time, start/end places, unassigned jobs),
    a legend, a table of stops per technician and the unassigned jobs with
    their reasons. It references no external resource, so it opens offline.
    """
    Path(path).write_text(render_html_map(plan, problem), encoding="utf-8")
