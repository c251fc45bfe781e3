"""The benchmark runner and report: every engine scored by the evaluator."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from fieldroute.bench.report import markdown, read_csv, summary, write_csv
from fieldroute.bench.runner import BenchRow, generated_cases, run_bench, solomon_cases
from fieldroute.cli import app

SOLOMON_DIR = Path(__file__).parents[2] / "benchmarks" / "instances" / "solomon"


def test_generated_day_rows_are_ranked_against_the_best_of_the_run() -> None:
    """Each engine gets a row; the best complete plan has gap 0 and is marked."""
    cases = generated_cases([12], [0])
    rows = run_bench(cases, ["pyvrp", "vroom"], time_limit_s=0.3)
    assert [r.engine for r in rows] == ["pyvrp", "vroom"]
    assert all(r.error == "" and r.violations == 0 for r in rows)
    best = [r for r in rows if r.best]
    assert best and all(r.gap_pct == 0 for r in best)
    assert all(r.gap_pct is not None and r.gap_pct >= 0 for r in rows)
    assert all(r.baseline_drive_s > 0 for r in rows)


def test_solomon_gap_is_to_the_best_known_distance() -> None:
    """C101's reference is its published 827.3, and gaps are never negative."""
    (case,) = solomon_cases(SOLOMON_DIR, ["C101"])
    (row,) = run_bench([case], ["vroom"], time_limit_s=0.3)
    assert row.reference == 827.3
    assert row.cost is not None and row.cost >= 827.3
    assert row.gap_pct is not None and row.gap_pct >= 0


def test_unknown_engine_is_a_row_with_an_error_not_a_crash() -> None:
    """One failing engine does not end the run."""
    rows = run_bench(generated_cases([12], [1]), ["nope"], time_limit_s=0.3)
    assert rows[0].error.startswith("EngineError")
    assert summary(rows, ["nope"])[-1]["errors"] == "1"


def test_report_has_averages_and_every_instance() -> None:
    """The markdown shows the command, per-class and overall averages."""
    rows = [
        BenchRow("A1", "A", "x", 10, 2, 1.0, cost=110.0, reference=100.0, gap_pct=10.0),
        BenchRow("B1", "B", "x", 10, 2, 1.0, cost=100.0, reference=100.0, gap_pct=0.0),
    ]
    text = markdown(rows, ["x"], title="T", command="fieldroute bench solomon")
    assert "fieldroute bench solomon" in text
    overall = next(r for r in summary(rows, ["x"]) if r["group"] == "all")
    assert overall["mean gap %"] == "5.00"
    assert "| A1 | x |" in text


def test_cli_bench_solomon_writes_csv_and_markdown(tmp_path: Path) -> None:
    """`fieldroute bench solomon` runs and writes both files."""
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "solomon",
            "--instances",
            "C101",
            "--engines",
            "vroom",
            "--time-limit",
            "0.3",
            "--instance-dir",
            str(SOLOMON_DIR),
            "--out-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "solomon.csv").read_text().count("\n") == 2
    assert "C101" in (tmp_path / "solomon.md").read_text()


def test_csv_round_trips_for_joined_reports(tmp_path: Path) -> None:
    """`bench report` rebuilds rows exactly from the CSV a run wrote."""
    rows = [
        BenchRow("A1", "A", "x", 10, 2, 1.0, cost=110.5, reference=None, best=True),
        BenchRow("B1", "B", "y", 10, 2, 1.0, cost=None, error="EngineError: no"),
    ]
    path = tmp_path / "rows.csv"
    write_csv(rows, path)
    assert read_csv(path) == rows
    out = tmp_path / "joined.md"
    result = CliRunner().invoke(
        app, ["bench", "report", str(path), str(path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().count("| A1 | x |") == 2


def test_a_solve_past_the_wall_limit_becomes_an_error_row() -> None:
    """A pipeline that runs too long is stopped and recorded, not waited for."""
    (row,) = run_bench(
        generated_cases([12], [0]), ["vroom"], time_limit_s=0.3, wall_limit_s=0.01
    )
    assert row.error.startswith("SolveTimeout")
    assert row.cost is None


def test_engine_only_rows_score_the_engines_own_routes() -> None:
    """`--engine-only` skips the repair: rows still come from the evaluator."""
    rows = run_bench(
        generated_cases([12], [0]), ["vroom"], time_limit_s=0.3, engine_only=True
    )
    assert rows[0].error == ""
    assert rows[0].cost is not None
    assert rows[0].unsupported  # VROOM's notes travel with the row
