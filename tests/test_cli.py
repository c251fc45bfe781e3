"""The command line, as the README uses it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from fieldroute.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MONDAY = EXAMPLES / "monday" / "problem.json"


def test_monday_solve_then_check_is_feasible(tmp_path: Path) -> None:
    """All 12 jobs assigned, caps kept, every break in its window; check exits 0."""
    plan_path = tmp_path / "p.json"
    solved = runner.invoke(
        app, ["solve", str(MONDAY), "--time-limit", "2", "--out", str(plan_path)]
    )
    assert solved.exit_code == 0, solved.output
    plan = json.loads(plan_path.read_text())
    assert plan["unassigned"] == [] and plan["violations"] == []
    assert sum(len(r["stops"]) for r in plan["routes"]) == 12
    problem = json.loads(MONDAY.read_text())
    techs = {t["id"]: t for t in problem["technicians"]}
    for route in plan["routes"]:
        tech = techs[route["technician_id"]]
        assert len(route["stops"]) <= tech["max_jobs"]
        brk = route["break"]
        if brk is not None:
            window = tech["break"]
            assert brk["start"][11:16] >= window["earliest_start"]
            assert brk["end"][11:16] <= window["latest_end"]
    checked = runner.invoke(app, ["check", str(MONDAY), str(plan_path)])
    assert checked.exit_code == 0, checked.output
    assert "feasible" in checked.output


def test_check_exits_nonzero_and_names_each_violation(tmp_path: Path) -> None:
    """A hand-made plan that gives T1 a plumbing job and too many jobs."""
    hand = {
        "routes": [
            {"technician_id": "T1", "stops": ["J05", "J01", "J02", "J07", "J11"]},
            {"technician_id": "T9", "stops": ["J03"]},
        ]
    }
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(hand))
    result = runner.invoke(app, ["check", str(MONDAY), str(path)])
    assert result.exit_code == 1
    for expected in ("missing_skill", "max_jobs_exceeded", "unknown_technician"):
        assert expected in result.output


def test_bad_problem_exits_2_with_the_message(tmp_path: Path) -> None:
    data = json.loads(MONDAY.read_text())
    data["jobs"][0]["duration_minutes"] = -3
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["solve", str(path)])
    assert result.exit_code == 2
    assert "job J01, field duration_minutes" in result.output


def test_demo_compares_with_the_hand_made_plan(tmp_path: Path) -> None:
    """The demo stores and publishes Monday in SQLite, then compares."""
    database = tmp_path / "demo.sqlite"
    result = runner.invoke(
        app, ["demo", "--time-limit", "1", "--database", str(database)]
    )
    assert result.exit_code == 0, result.output
    assert database.exists() and "published" in result.output
    assert result.output.count("hand-made nearest-stop-first plan") == 2
    assert "saves" in result.output
