"""``fieldroute bench``: route quality against best-known solutions and peers.

Mounted by the main CLI as ``app.add_typer(bench_app, name="bench")``.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from fieldroute.bench.report import markdown, read_csv, summary, write_csv
from fieldroute.bench.runner import (
    BenchCase,
    BenchRow,
    generated_cases,
    run_bench,
    solomon_cases,
)

bench_app = typer.Typer(
    help="Compare engines on Solomon instances and generated field-service days.",
    no_args_is_help=True,
)
console = Console(stderr=True)

DEFAULT_SOLOMON_DIR = Path("benchmarks/instances/solomon")
DEFAULT_SIZES = "50,75,100,150,200,300,400,500,750,1000"

Engines = Annotated[
    str, typer.Option(help="Comma-separated engines, run one after another.")
]
TimeLimit = Annotated[
    float, typer.Option("--time-limit", help="Seconds per engine per instance.")
]
OutDir = Annotated[Path, typer.Option(help="Where the CSV and markdown go.")]
EngineOnly = Annotated[
    bool,
    typer.Option(
        "--engine-only",
        help="Evaluate each engine's own routes, without the pipeline's repair "
        "(to tell the engine from the repair step).",
    ),
]
WallLimit = Annotated[
    float,
    typer.Option(
        "--wall-limit",
        help="Stop a whole solve (engine + repair) after this many seconds and "
        "record it as an error; 0 = no limit (solve in this process).",
    ),
]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _run(
    cases: Sequence[BenchCase],
    engines: list[str],
    time_limit_s: float,
    wall_limit_s: float,
    engine_only: bool,
    out_dir: Path,
    stem: str,
    title: str,
    notes: Sequence[str],
) -> list[BenchRow]:
    out_dir.mkdir(parents=True, exist_ok=True)
    command = (
        "fieldroute bench " + shlex.join(sys.argv[sys.argv.index(stem) :])
        if (stem in sys.argv)
        else f"fieldroute bench {stem}"
    )
    done: list[BenchRow] = []
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("starting", total=len(cases) * len(engines))

        def on_start(case: str, engine: str) -> None:
            progress.update(task, description=f"{case} · {engine}")

        def on_case(rows: list[BenchRow]) -> None:
            done.extend(rows)
            progress.advance(task, len(rows))
            for row in rows:
                status = row.error or (
                    f"cost {row.cost:,.1f}"
                    + (f", gap {row.gap_pct:.2f} %" if row.gap_pct is not None else "")
                    + f", {row.violations} violations, "
                    f"{row.mandatory_unassigned} mandatory left, {row.wall_s:.1f} s"
                )
                progress.console.print(f"{row.instance:>14} {row.engine:>8}: {status}")
            # Partial results survive an interrupted run.
            write_csv(done, out_dir / f"{stem}.csv")

        rows = run_bench(
            cases,
            engines,
            time_limit_s=time_limit_s,
            wall_limit_s=wall_limit_s or None,
            engine_only=engine_only,
            on_start=on_start,
            on_case=on_case,
        )
    write_csv(rows, out_dir / f"{stem}.csv")
    (out_dir / f"{stem}.md").write_text(
        markdown(rows, engines, title=title, command=command, notes=notes),
        encoding="utf-8",
    )
    for record in summary(rows, engines):
        if record["group"] == "all":
            console.print(
                f"{record['engine']:>8}: mean gap {record['mean gap %']} %, "
                f"best on {record['best']}/{record['instances']}, "
                f"complete {record['complete']}, violations {record['violations']}, "
                f"drive saving vs hand-made {record['drive saving vs hand-made %']} %"
            )
    console.print(f"wrote {out_dir / (stem + '.md')} and {out_dir / (stem + '.csv')}")
    return rows


@bench_app.command("solomon")
def solomon_command(
    time_limit: TimeLimit = 10.0,
    engines: Engines = "pyvrp,ortools,vroom",
    instances: Annotated[
        str, typer.Option(help="Comma-separated names (default: all 56).")
    ] = "",
    instance_dir: Annotated[
        Path, typer.Option(help="Folder with NAME.vrp and NAME.sol files.")
    ] = DEFAULT_SOLOMON_DIR,
    out_dir: OutDir = Path("benchmarks/results"),
    wall_limit: WallLimit = 0.0,
    engine_only: EngineOnly = False,
) -> None:
    """Solomon VRPTW instances: cost and gap to the best-known solutions."""
    cases = solomon_cases(instance_dir, _split(instances) or None)
    _run(
        cases,
        _split(engines),
        time_limit,
        wall_limit,
        engine_only,
        out_dir,
        "solomon",
        "Solomon VRPTW: fieldroute engines against best-known solutions",
        [
            "Cost = total distance, DIMACS convention (distances truncated to one "
            "decimal, travel time = distance), fleet of 25; the gap is to the "
            "best-known solution's total distance. Every plan went through "
            "`fieldroute.solve.solve` and was re-evaluated by the evaluator.",
        ],
    )


@bench_app.command("generated")
def generated_command(
    time_limit: TimeLimit = 10.0,
    engines: Engines = "pyvrp,ortools,vroom",
    sizes: Annotated[
        str, typer.Option(help="Comma-separated job counts.")
    ] = DEFAULT_SIZES,
    seeds: Annotated[
        str, typer.Option(help="Comma-separated generator seeds per size.")
    ] = "0,1",
    out_dir: OutDir = Path("benchmarks/results"),
    wall_limit: WallLimit = 0.0,
    engine_only: EngineOnly = False,
) -> None:
    """Generated field-service days: engines against each other and the
    hand-made dispatcher plan."""
    cases = generated_cases(
        [int(s) for s in _split(sizes)], [int(s) for s in _split(seeds)]
    )
    _run(
        cases,
        _split(engines),
        time_limit,
        wall_limit,
        engine_only,
        out_dir,
        "generated",
        "Generated field-service days: engines and the hand-made plan",
        [
            "Days from `fieldroute.bench.generate.generate_day(jobs, technicians, "
            "seed)` with min(50, max(4, jobs / 10)) technicians, haversine travel "
            "at 30 km/h x 1.3. Cost = the objective (drive hours x 60 - value of "
            "optional jobs done) + the value of all optional jobs, i.e. drive cost "
            "+ value left undone; the gap is to the best plan of the run. The "
            "drive saving compares drive time with the hand-made plan (nearest "
            "qualified technician with room, nearest-next-stop order), evaluated "
            "with its own violations.",
        ],
    )


@bench_app.command("report")
def report_command(
    csv_paths: Annotated[
        list[Path], typer.Argument(metavar="CSV", help="Result files to join.")
    ],
    out: Annotated[Path, typer.Option(help="Markdown file to write.")],
    title: Annotated[str, typer.Option()] = "Benchmark results",
    command: Annotated[
        str, typer.Option(help="The command(s) that made the CSV files.")
    ] = "",
) -> None:
    """Rebuild the markdown report from result CSVs (e.g. runs split in parts)."""
    rows = [row for path in csv_paths for row in read_csv(path)]
    engines = list(dict.fromkeys(r.engine for r in rows))
    made_with = command or "fieldroute bench report " + " ".join(map(str, csv_paths))
    out.write_text(
        markdown(rows, engines, title=title, command=made_with), encoding="utf-8"
    )
    console.print(f"wrote {out} from {len(rows)} rows")
