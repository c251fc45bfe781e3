"""`fieldroute travel prepare` and `fieldroute solve --travel ...`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from fieldroute.cli import app
from fieldroute.travel.osrm import OsrmLocalProvider
from fieldroute.travel.servers import RoadServer
from fieldroute.travel.valhalla import ValhallaLocalProvider
from tests.travel.conftest import EXTRACT

runner = CliRunner()


def test_prepare_builds_osrm_data_the_in_process_provider_loads(
    tmp_path: Path, road_points: np.ndarray
) -> None:
    """The command prints the --travel spec to use, and the data routes."""
    done = runner.invoke(
        app, ["travel", "prepare", str(EXTRACT), str(tmp_path), "--engine", "osrm"]
    )
    assert done.exit_code == 0, done.output
    dataset = tmp_path / "helsinki.osrm"
    assert f"--travel osrm:{dataset}" in done.output
    matrix = OsrmLocalProvider(dataset).matrix(road_points[:4])
    assert matrix.duration_s.sum() > 0


def test_prepare_builds_valhalla_tiles_the_in_process_provider_loads(
    tmp_path: Path, road_points: np.ndarray
) -> None:
    """Valhalla: a config and tiles in the directory."""
    done = runner.invoke(
        app,
        ["travel", "prepare", str(EXTRACT), str(tmp_path), "--engine", "valhalla"],
    )
    assert done.exit_code == 0, done.output
    config = tmp_path / "valhalla.json"
    assert f"--travel valhalla:{config}" in done.output
    assert ValhallaLocalProvider(config).matrix(road_points[:4]).duration_s.sum() > 0


def test_prepare_of_a_missing_extract_fails_with_usage_error(tmp_path: Path) -> None:
    """A wrong path is refused before any tool runs."""
    done = runner.invoke(
        app, ["travel", "prepare", str(tmp_path / "none.osm.pbf"), str(tmp_path)]
    )
    assert done.exit_code == 2


def test_solve_with_travel_spec_plans_on_the_osrm_server(
    tmp_path: Path, osrm_server: RoadServer, road_points: np.ndarray
) -> None:
    """`solve --travel osrm:URL` plans with road times from that server."""
    points = road_points[:6]
    document = {
        "date": "2026-11-23",
        "timezone": "Europe/Helsinki",
        "technicians": [
            {"id": "T1", "start": {"lat": points[0][0], "lon": points[0][1]}}
        ],
        "jobs": [
            {
                "id": f"J{k}",
                "location": {"lat": points[k][0], "lon": points[k][1]},
                "duration_minutes": 15,
            }
            for k in range(1, 6)
        ],
    }
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(document))
    out = tmp_path / "plan.json"
    done = runner.invoke(
        app,
        [
            "solve",
            str(path),
            "--travel",
            f"osrm:{osrm_server.url}",
            "--time-limit",
            "1",
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    plan = json.loads(out.read_text())
    assert sum(len(r["stops"]) for r in plan["routes"]) == 5
    assert plan["meta"]["travel"] == "osrm"
