"""Build routing data from an OpenStreetMap extract with the engines' tools.

The binaries come inside the `roads` extra's wheels: ``osrm-bindings`` ships
``osrm/bin/osrm-{extract,partition,customize,contract,routed}`` and the car
profile in ``osrm/share/profiles``; ``pyvalhalla`` ships
``valhalla/bin/valhalla_{build_tiles,add_predicted_traffic,service}``. They
are called by path, so nothing needs to be on ``PATH``.

* `prepare_osrm` runs extract, partition + customize (MLD) and contract (CH)
  and returns the dataset base path (``DIR/<name>.osrm``); in-process tables
  use CH, ``osrm-routed`` may use either.
* `prepare_valhalla` writes ``DIR/valhalla.json`` (quiet logs, sockets inside
  DIR so several servers can run at once, time-dependent matrices allowed,
  1,000 x 1,000 matrices) and builds ``DIR/tiles``.
* `add_predicted_speeds` puts historical speeds into the tiles (from CSVs in
  Valhalla's format, or a synthetic weekly speed curve for tests/benchmarks).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fieldroute.errors import TravelError

#: Valhalla predicted speeds: 5-minute buckets over a week, Monday 00:00 first.
BUCKETS_PER_WEEK = 7 * 24 * 12


def _package_dir(module: str) -> Path:
    try:
        imported = __import__(module)
    except ImportError as exc:
        msg = (
            f"preparing road data needs the {module!r} package: "
            "pip install 'fieldroute[roads]'"
        )
        raise TravelError(msg) from exc
    return Path(str(imported.__file__)).parent


def osrm_binary(name: str) -> Path:
    """Path of an OSRM tool (``osrm-extract``, ``osrm-routed``...)."""
    path = _package_dir("osrm") / "bin" / name
    if not path.exists():
        raise TravelError(f"OSRM tool {name} not found at {path}")
    return path


def valhalla_binary(name: str) -> Path:
    """Path of a Valhalla tool (``valhalla_build_tiles``...)."""
    path = _package_dir("valhalla") / "bin" / name
    if not path.exists():
        raise TravelError(f"Valhalla tool {name} not found at {path}")
    return path


def run_tool(args: Sequence[str | Path], *, log: Path, cwd: Path | None = None) -> None:
    """Run one tool, appending its output to `log`; raise naming the log."""
    with log.open("a") as out:
        out.write(f"$ {' '.join(map(str, args))}\n")
        out.flush()
        done = subprocess.run(
            [str(a) for a in args], stdout=out, stderr=subprocess.STDOUT, cwd=cwd
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-15:])
        msg = (
            f"{Path(args[0]).name} failed (exit {done.returncode}); see {log}:\n{tail}"
        )
        raise TravelError(msg)


def _stem(extract: Path) -> str:
    name = extract.name
    for suffix in (".osm.pbf", ".pbf", ".osm"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return extract.stem


def prepare_osrm(extract: Path, out_dir: Path, *, profile: str = "car") -> Path:
    """Build an OSRM dataset from `extract` in `out_dir`; return its base path."""
    extract = Path(extract).resolve()
    if not extract.is_file():
        raise TravelError(f"no OSM extract at {extract}")
    out_dir.mkdir(parents=True, exist_ok=True)
    local = out_dir / f"{_stem(extract)}.osm.pbf"
    if local.resolve() != extract:
        shutil.copyfile(extract, local)  # osrm-extract writes beside its input
    profile_lua = _package_dir("osrm") / "share" / "profiles" / f"{profile}.lua"
    if not profile_lua.exists():
        raise TravelError(f"no OSRM profile {profile!r} at {profile_lua}")
    base = out_dir / f"{_stem(extract)}.osrm"
    log = out_dir / "prepare-osrm.log"
    run_tool([osrm_binary("osrm-extract"), "-p", profile_lua, local], log=log)
    run_tool([osrm_binary("osrm-partition"), base], log=log)
    run_tool([osrm_binary("osrm-customize"), base], log=log)
    run_tool([osrm_binary("osrm-contract"), base], log=log)
    return base


def valhalla_config(
    out_dir: Path, *, max_matrix_pairs: int = 1_000_000
) -> dict[str, Any]:
    """A Valhalla config for tiles in ``out_dir/tiles`` (see module doc)."""
    from valhalla import get_config

    tiles = out_dir / "tiles"
    tiles.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = get_config(tile_extract="", tile_dir=tiles)
    mjolnir = config["mjolnir"]
    mjolnir["tile_extract"] = ""
    mjolnir["traffic_extract"] = ""
    mjolnir["timezone"] = ""  # no time-zone database: date_time is taken as given
    mjolnir["admin"] = ""
    config["logging"]["type"] = ""
    sockets = out_dir.resolve()
    service = config["httpd"]["service"]
    service["listen"] = "tcp://127.0.0.1:8002"
    service["loopback"] = f"ipc://{sockets}/loopback"
    service["interrupt"] = f"ipc://{sockets}/interrupt"
    for part in ("loki", "thor", "odin"):
        config[part]["service"]["proxy"] = f"ipc://{sockets}/{part}"
    limits = config["service_limits"]
    limits["max_timedep_distance_matrix"] = 500_000
    for costing in ("auto", "truck", "taxi", "bus", "motor_scooter", "motorcycle"):
        if costing in limits:
            limits[costing]["max_matrix_location_pairs"] = max_matrix_pairs
    return config


def prepare_valhalla(extract: Path, out_dir: Path) -> Path:
    """Build Valhalla tiles from `extract` in `out_dir`; return the config."""
    extract = Path(extract).resolve()
    if not extract.is_file():
        raise TravelError(f"no OSM extract at {extract}")
    out_dir.mkdir(parents=True, exist_ok=True)
    config_path = out_dir / "valhalla.json"
    config_path.write_text(json.dumps(valhalla_config(out_dir), indent=2))
    log = out_dir / "prepare-valhalla.log"
    run_tool(
        [valhalla_binary("valhalla_build_tiles"), "-c", config_path, extract],
        log=log,
    )
    return config_path


def weekly_speeds_kph(
    kph_by_hour: Sequence[float], *, weekdays: Sequence[int] = range(7)
) -> npt.NDArray[np.float32]:
    """A week of 5-minute speed buckets: `kph_by_hour` (24 values) on
    `weekdays`, and the day's highest speed on the other days."""
    if len(kph_by_hour) != 24 or min(kph_by_hour) <= 0:
        raise ValueError("kph_by_hour needs 24 positive speeds.")
    day = np.repeat(np.asarray(kph_by_hour, dtype=np.float32), 12)
    week = np.full(BUCKETS_PER_WEEK, max(kph_by_hour), dtype=np.float32)
    for d in weekdays:
        week[d * 288 : (d + 1) * 288] = day
    return week


def add_predicted_speeds(
    config_path: Path,
    *,
    traffic_dir: Path | None = None,
    weekly_kph: npt.NDArray[np.float32] | None = None,
) -> None:
    """Put historical speeds into prepared Valhalla tiles.

    Either `traffic_dir` holds CSVs in Valhalla's format (one per tile, rows
    ``edge_id,freeflow_kph,constrained_kph,base64 DCT speeds``), or
    `weekly_kph` gives one speed for every edge per 5-minute bucket of the
    week (synthetic: for tests and benchmarks, not a model of a real city).
    """
    if (traffic_dir is None) == (weekly_kph is None):
        raise ValueError("give exactly one of traffic_dir and weekly_kph.")
    config_path = Path(config_path)
    config = json.loads(config_path.read_text())
    if weekly_kph is not None:
        traffic_dir = config_path.parent / "traffic"
        _write_uniform_speeds(config, traffic_dir, weekly_kph)
    assert traffic_dir is not None
    run_tool(
        [
            valhalla_binary("valhalla_add_predicted_traffic"),
            "-c",
            config_path,
            traffic_dir,
        ],
        log=config_path.parent / "prepare-valhalla.log",
    )


def _write_uniform_speeds(
    config: dict[str, Any], traffic_dir: Path, weekly_kph: npt.NDArray[np.float32]
) -> None:
    from valhalla.baldr import GraphId
    from valhalla.baldr.utils import (
        GraphUtils,
        compress_speed_buckets,
        encode_compressed_speeds,
    )

    speeds = np.asarray(weekly_kph, dtype=np.float32)
    if speeds.shape != (BUCKETS_PER_WEEK,):
        raise ValueError(f"weekly_kph needs {BUCKETS_PER_WEEK} values.")
    encoded = encode_compressed_speeds(compress_speed_buckets(speeds))
    freeflow = round(float(speeds.max()))
    constrained = round(float(speeds.min()))
    tiles = Path(config["mjolnir"]["tile_dir"])
    graph = GraphUtils(config)
    for tile in sorted(tiles.rglob("*.gph")):
        relative = tile.relative_to(tiles)
        tile_id = GraphId.from_tile_path(str(relative))
        edges = graph.get_graph_tile_header(tile_id).directededgecount
        target = traffic_dir / relative.with_suffix(".csv")
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = f"{tile_id.level()}/{tile_id.tileid()}"
        with target.open("w") as out:
            for edge in range(edges):
                out.write(f"{prefix}/{edge},{freeflow},{constrained},{encoded}\n")
