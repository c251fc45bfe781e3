"""Service commands: ``serve``, ``db upgrade``, ``token create``.

`fieldroute.cli` adds them to the main `fieldroute` command. Settings come
from ``FIELDROUTE_*`` variables (see `fieldroute.api.settings`); options
given here override them. Heavy imports wait until a command runs, so the
rest of the CLI starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fieldroute.api.settings import Settings

db_app = typer.Typer(help="The service's database.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens of the service.", no_args_is_help=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="SQLAlchemy URL (default: $FIELDROUTE_DATABASE_URL or "
        "sqlite:///./fieldroute.sqlite).",
    ),
]


def _settings(database: str | None) -> Settings:
    from fieldroute.api.settings import Settings

    settings = Settings()
    if database:
        settings = settings.model_copy(update={"database_url": database})
    return settings


def serve_command(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    database: DatabaseOption = None,
    workers: Annotated[
        int | None, typer.Option("--solve-workers", help="Solver processes.")
    ] = None,
) -> None:
    """Run the dispatch service (REST API on 127.0.0.1:8000, docs at /docs)."""
    import uvicorn

    from fieldroute.api.app import create_app

    settings = _settings(database)
    updates: dict[str, object] = {}
    if host:
        updates["host"] = host
    if port:
        updates["port"] = port
    if workers:
        updates["solve_workers"] = workers
    settings = settings.model_copy(update=updates)
    typer.echo(
        f"fieldroute service on http://{settings.host}:{settings.port} "
        f"(docs: /docs), database {settings.database_url}"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=settings.access_log,
    )


@db_app.command("upgrade")
def db_upgrade_command(database: DatabaseOption = None) -> None:
    """Create or migrate the tables to the newest schema."""
    from fieldroute.store.migrate import upgrade

    settings = _settings(database)
    upgrade(settings.database)
    typer.echo(f"database {settings.database_url} is up to date")


@token_app.command("create")
def token_create_command(
    role: Annotated[str, typer.Option(help="dispatcher or technician.")],
    technician: Annotated[
        str | None, typer.Option(help="The technician id (technician tokens).")
    ] = None,
    label: Annotated[str, typer.Option(help="A note: who or what uses it.")] = "",
    database: DatabaseOption = None,
) -> None:
    """Create an API token and print it (it is stored hashed, shown once)."""
    from fieldroute.errors import FieldrouteError
    from fieldroute.store.database import make_engine, make_sessionmaker
    from fieldroute.store.migrate import upgrade
    from fieldroute.store.tables import Role
    from fieldroute.store.tokens import create_token

    settings = _settings(database)
    try:
        chosen = Role(role)
    except ValueError:
        typer.echo("error: --role must be dispatcher or technician", err=True)
        raise typer.Exit(2) from None
    upgrade(settings.database)
    engine = make_engine(settings.database)
    try:
        with make_sessionmaker(engine).begin() as session:
            issued = create_token(
                session, role=chosen, technician_id=technician, label=label
            )
    except FieldrouteError as error:
        typer.echo(f"error ({error.code}): {error}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(issued.token)
