"""The `fieldroute` command line: solve, check, demo, schema.

Exit codes: 0 success (for `check`: the plan is feasible); 1 the plan breaks a
rule; 2 the input is invalid or a tool is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fieldroute.api.cli import db_app, serve_command, token_app
from fieldroute.bench.cli import bench_app
from fieldroute.engines import ENGINES
from fieldroute.errors import FieldrouteError, InputError
from fieldroute.evaluate.schedule import Evaluator
from fieldroute.model.load import load_problem
from fieldroute.model.plan import Plan, PlannedBreak
from fieldroute.model.problem import Problem
from fieldroute.solve.check import check_routes, routes_from_document
from fieldroute.solve.pipeline import solve
from fieldroute.travel.cli import travel_app
from fieldroute.travel.matrix import MatrixProvider

app = typer.Typer(
    help="Plan field technicians' days: routes under skills, windows, shifts, "
    "caps and breaks.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(travel_app, name="travel")
console = Console()
err = Console(stderr=True)
app.add_typer(bench_app, name="bench")


def _fail(error: FieldrouteError) -> typer.Exit:
    err.print(f"[bold red]error[/] ({error.code}): {error}")
    return typer.Exit(2)


def _load(path: Path, date: str | None, timezone: str | None) -> Problem:
    try:
        return load_problem(path, date=date, timezone=timezone)
    except FieldrouteError as error:
        raise _fail(error) from None


def _hm(seconds: float) -> str:
    minutes = round(seconds / 60)
    return (
        f"{minutes // 60} h {minutes % 60:02d} min"
        if minutes >= 60
        else f"{minutes} min"
    )


def _break_row(table: Table, brk: PlannedBreak) -> None:
    start, end = f"{brk.start:%H:%M}", f"{brk.end:%H:%M}"
    table.add_row("", "[dim]break[/]", "", start, end, "", "")


def print_plan(plan: Plan, *, title: str = "") -> None:
    """Routes, unassigned jobs, violations and KPIs as rich tables."""
    for route in plan.routes:
        table = Table(
            title=f"{title}{route.technician_id}: {route.departure:%H:%M} → "
            f"{route.return_:%H:%M}, {route.totals.jobs} jobs, "
            f"drive {_hm(route.totals.drive_s)}, "
            f"{route.totals.distance_m / 1000:.1f} km",
            title_justify="left",
        )
        for column in ("#", "job", "arrive", "start", "end", "drive", "wait"):
            table.add_column(column)
        stops = list(route.stops)
        for k, stop in enumerate(stops, 1):
            if route.break_ is not None and route.break_.before_job_id == stop.job_id:
                _break_row(table, route.break_)
            table.add_row(
                str(k),
                f"{stop.job_id} {stop.name}".strip(),
                f"{stop.arrival:%H:%M}",
                f"{stop.start:%H:%M}",
                f"{stop.end:%H:%M}",
                _hm(stop.travel_s),
                _hm(stop.wait_s) if stop.wait_s else "",
            )
        if route.break_ is not None and route.break_.before_job_id is None:
            _break_row(table, route.break_)
        console.print(table)
    for job in plan.unassigned:
        console.print(f"[yellow]unassigned[/] {job.job_id} ({job.code}): {job.reason}")
    for violation in plan.violations:
        who = violation.technician_id or "plan"
        console.print(f"[red]violation[/] {who}: {violation.kind}: {violation.message}")
    kpis = plan.kpis
    console.print(
        f"[bold]{kpis.jobs_done} jobs[/] by {kpis.technicians_used} technicians, "
        f"{kpis.jobs_unassigned} unassigned, drive {_hm(kpis.drive_s)}, "
        f"{kpis.distance_m / 1000:.1f} km, on time {kpis.on_time_rate:.0%}, "
        f"{kpis.violations} violations"
    )


def _travel(spec: str | None) -> MatrixProvider | None:
    if spec is None:
        return None
    from fieldroute.travel import providers

    from_spec = getattr(providers, "provider_from_spec", None)
    if from_spec is None:
        raise _fail(
            InputError(f"--travel {spec!r}: only the problem's own options work here")
        )
    try:
        provider: MatrixProvider = from_spec(spec)
    except FieldrouteError as error:
        raise _fail(error) from None
    return provider


@app.command("solve")
def solve_command(
    problem_path: Annotated[
        Path,
        typer.Argument(
            metavar="PROBLEM",
            help="problem.json, or a folder with technicians.csv and jobs.csv",
        ),
    ],
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="Seconds (default: the problem's option)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the plan JSON here.")
    ] = None,
    geojson: Annotated[
        Path | None, typer.Option("--geojson", help="Write the routes as GeoJSON.")
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Write one row per stop.")
    ] = None,
    map_path: Annotated[
        Path | None, typer.Option("--map", help="Write a self-contained HTML map.")
    ] = None,
    engine: Annotated[
        str, typer.Option(help=f"One of: {', '.join(ENGINES)}.")
    ] = "pyvrp",
    seed: Annotated[
        int | None, typer.Option(help="Random seed (default: the problem's option).")
    ] = None,
    travel: Annotated[
        str | None, typer.Option(help="Travel source, e.g. osrm:http://127.0.0.1:5000.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Date for CSV input (YYYY-MM-DD).")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone for CSV input.")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the summary.")
    ] = False,
) -> None:
    """Plan the day and print every technician's route."""
    problem = _load(problem_path, date, timezone)
    try:
        plan = solve(
            problem,
            engine=engine,
            provider=_travel(travel),
            time_limit_s=time_limit,
            seed=seed,
        )
    except FieldrouteError as error:
        raise _fail(error) from None
    if not quiet:
        print_plan(plan)
    _write_outputs(
        plan, problem, out=out, geojson=geojson, csv_path=csv_path, map_path=map_path
    )
    if plan.violations:
        raise typer.Exit(1)


def _write_outputs(
    plan: Plan,
    problem: Problem,
    *,
    out: Path | None,
    geojson: Path | None,
    csv_path: Path | None,
    map_path: Path | None,
) -> None:
    from fieldroute import output

    if out is not None:
        output.write_plan_json(plan, out)
        console.print(f"plan written to {out}")
    if geojson is not None:
        output.write_geojson(plan, problem, geojson)
        console.print(f"GeoJSON written to {geojson}")
    if csv_path is not None:
        output.write_stops_csv(plan, csv_path)
        console.print(f"stops CSV written to {csv_path}")
    if map_path is not None:
        output.write_html_map(plan, problem, map_path)
        console.print(f"map written to {map_path}")


@app.command("check")
def check_command(
    problem_path: Annotated[Path, typer.Argument(metavar="PROBLEM")],
    plan_path: Annotated[
        Path,
        typer.Argument(
            metavar="PLAN", help="A plan JSON (ours, or a minimal one made by hand)."
        ),
    ],
    travel: Annotated[
        str | None, typer.Option(help="Travel source (default: the problem's option).")
    ] = None,
    date: Annotated[str | None, typer.Option(help="Date for CSV input.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Time zone for CSV input.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Evaluate any plan and print each violation; exit 0 only if it is feasible."""
    problem = _load(problem_path, date, timezone)
    try:
        document = json.loads(plan_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise _fail(InputError(f"{plan_path}: cannot read plan: {error}")) from None
    plan = check_routes(
        problem, routes_from_document(document), provider=_travel(travel)
    )
    if not quiet:
        print_plan(plan)
    if plan.violations:
        err.print(f"[red]infeasible[/]: {len(plan.violations)} violations")
        raise typer.Exit(1)
    console.print("[green]feasible[/]: no rule is broken")


def examples_dir() -> Path:
    """The bundled examples (repository checkout or installed package)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "examples", here / "examples"):
        if (candidate / "monday" / "problem.json").exists():
            return candidate
    raise _fail(InputError("the bundled examples/ folder was not found"))


DEMO_DATABASE = Path(".fieldroute") / "demo.sqlite"


@app.command("demo")
def demo_command(
    time_limit: Annotated[float, typer.Option("--time-limit")] = 2.0,
    database: Annotated[
        Path,
        typer.Option(help="SQLite file the Monday day is stored in (made anew)."),
    ] = DEMO_DATABASE,
) -> None:
    """Solve the bundled Monday day and 8-stop maintenance run; compare with
    the hand-made "nearest stop first" plan; store and publish Monday in SQLite."""
    from fieldroute.model.instance import compile_problem
    from fieldroute.solve.baseline import handmade_routes
    from fieldroute.solve.pipeline import build_matrix
    from fieldroute.store.database import DatabaseConfig
    from fieldroute.store.session_day import store_solve_publish
    from fieldroute.travel.providers import provider_for

    for name in ("monday", "maintenance-run"):
        problem = load_problem(examples_dir() / name / "problem.json")
        console.rule(f"[bold]{problem.name or name}")
        if name == "monday":
            # The service's own path: store the day, solve it as a background
            # worker does, publish the plan, read it back from the database.
            database.parent.mkdir(parents=True, exist_ok=True)
            database.unlink(missing_ok=True)
            stored = store_solve_publish(
                problem,
                DatabaseConfig(f"sqlite:///{database}"),
                time_limit_s=time_limit,
            )
            if stored.plan is None:
                raise _fail(InputError(f"the stored solve ended {stored.status}"))
            plan = stored.plan
            console.print(
                f"stored in SQLite ({database}); solve {stored.status}, "
                f"plan {stored.plan_id} published"
            )
        else:
            plan = solve(problem, time_limit_s=time_limit)
        print_plan(plan)
        instance = compile_problem(problem)
        evaluator = Evaluator(
            instance, build_matrix(instance, provider_for(problem.options.travel))
        )
        hand = evaluator.plan(handmade_routes(evaluator))
        saved = hand.kpis.drive_s - plan.kpis.drive_s
        share = saved / hand.kpis.drive_s if hand.kpis.drive_s else 0.0
        console.print(
            f"hand-made nearest-stop-first plan: drive {_hm(hand.kpis.drive_s)}, "
            f"{hand.kpis.jobs_done} jobs, {len(hand.violations)} violations; "
            f"optimised: drive {_hm(plan.kpis.drive_s)} → "
            f"[bold green]saves {_hm(saved)} ({share:.0%}) of driving[/]"
        )


@app.command("schema")
def schema_command(
    out_dir: Annotated[Path, typer.Option("--out-dir")] = Path("docs"),
) -> None:
    """Write the JSON Schemas of the problem and plan documents."""
    from fieldroute.output.schemas import write_schemas

    for path in write_schemas(out_dir):
        console.print(f"wrote {path}")


# The dispatch service's commands live with the service (fieldroute.api.cli).
app.command("serve")(serve_command)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
