"""``fieldroute travel ...``: prepare road data and serve it.

Mounted by the main CLI as ``app.add_typer(travel_app, name="travel")``.
"""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fieldroute.errors import TravelError
from fieldroute.travel.prepare import prepare_osrm, prepare_valhalla

travel_app = typer.Typer(
    help="Road travel: build routing data from OpenStreetMap and serve it.",
    no_args_is_help=True,
)


class Engine(StrEnum):
    osrm = "osrm"
    valhalla = "valhalla"


@travel_app.command("prepare")
def prepare_command(
    extract: Annotated[
        Path, typer.Argument(help="OpenStreetMap extract (.osm.pbf).", exists=True)
    ],
    out_dir: Annotated[Path, typer.Argument(help="Directory for the routing data.")],
    engine: Annotated[Engine, typer.Option(help="Which engine's data.")] = Engine.osrm,
    traffic_dir: Annotated[
        Path | None,
        typer.Option(
            help="valhalla: historical speed CSVs (Valhalla's format) to add.",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Build OSRM or Valhalla routing data from EXTRACT into OUT_DIR."""
    started = time.perf_counter()
    try:
        if engine is Engine.osrm:
            if traffic_dir is not None:
                raise typer.BadParameter("--traffic-dir is for --engine valhalla")
            made = prepare_osrm(extract, out_dir)
            spec = f"osrm:{made}"
        else:
            made = prepare_valhalla(extract, out_dir)
            if traffic_dir is not None:
                from fieldroute.travel.prepare import add_predicted_speeds

                add_predicted_speeds(made, traffic_dir=traffic_dir)
            spec = f"valhalla:{made}"
    except TravelError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"built {made} in {time.perf_counter() - started:.1f} s")
    typer.echo(f"use it with: --travel {spec}")


@travel_app.command("serve")
def serve_command(
    data: Annotated[
        Path,
        typer.Argument(help="A prepared .osrm base path or a valhalla.json config."),
    ],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 5000,
    max_table_size: Annotated[
        int,
        typer.Option(
            help="osrm: most locations per table (the options' block_size may "
            "go up to this; 1,000 x 1,000 is then one request)."
        ),
    ] = 1000,
) -> None:
    """Run osrm-routed or valhalla_service on DATA until interrupted."""
    from fieldroute.travel.servers import start_osrm, start_valhalla

    try:
        if data.suffix == ".json":
            server = start_valhalla(data, port=port)
            spec = f"valhalla:{server.url}"
        else:
            server = start_osrm(data, port=port, max_table_size=max_table_size)
            spec = f"osrm:{server.url}"
    except TravelError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"serving {data} at {server.url} (pid {server.pid}); --travel {spec}")
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
