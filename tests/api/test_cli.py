"""The service's commands: `db upgrade` and `token create` (serve is run by
the throughput benchmark, which starts it as a subprocess)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fieldroute.api import create_app
from fieldroute.cli import app
from fieldroute.store.database import DatabaseConfig
from fieldroute.worker.runner import ProcessSolveRunner
from tests.service_fixtures import settings_for


def test_db_upgrade_then_a_printed_token_authenticates(
    tmp_path: Path, runner: ProcessSolveRunner
) -> None:
    """`fieldroute db upgrade` makes the tables; `token create` prints a
    secret that the API accepts with the right role."""
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    cli = CliRunner()
    upgraded = cli.invoke(app, ["db", "upgrade", "--database", url])
    assert upgraded.exit_code == 0, upgraded.output
    made = cli.invoke(
        app,
        [
            *("token", "create", "--role", "technician"),
            *("--technician", "T1", "--database", url),
        ],
    )
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    dispatcher = cli.invoke(
        app, ["token", "create", "--role", "dispatcher", "--database", url]
    ).output.strip()
    database = DatabaseConfig(url)
    with TestClient(create_app(settings_for(database), runner=runner)) as client:
        as_technician = client.get(
            "/technicians", headers={"Authorization": f"Bearer {token}"}
        )
        as_dispatcher = client.get(
            "/technicians", headers={"Authorization": f"Bearer {dispatcher}"}
        )
    assert as_technician.status_code == 403
    assert as_dispatcher.status_code == 200


def test_a_technician_token_without_a_technician_is_refused(tmp_path: Path) -> None:
    """Exit code 2 and a message naming what is missing."""
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    result = CliRunner().invoke(
        app, ["token", "create", "--role", "technician", "--database", url]
    )
    assert result.exit_code == 2
    assert "technician id" in result.output
