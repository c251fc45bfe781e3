"""Matrix build times per provider, 200 x 200 and 1,000 x 1,000 points.

Usage: python benchmarks/matrix_speed.py [--sizes 200 1000] [--extract PBF]

Road data: the Helsinki test extract (tests/data/osm, © OpenStreetMap
contributors, ODbL), prepared into a temporary directory; points are drawn
uniformly in it (seed 0). Servers run on 127.0.0.1 with 2 threads/workers.
OSRM over HTTP is measured with the default table limit (100 locations, so
1,000 x 1,000 takes 100 blocks) and with ``--max-table-size 1000`` (one
block); Valhalla over HTTP with its default 2,500-pair limit (50 x 50
blocks) and with the prepared config's 1,000,000 pairs. Each build uses a
fresh provider (no cache). Times are wall-clock seconds of one build.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from fieldroute.travel.haversine import HaversineProvider
from fieldroute.travel.matrix import UNREACHABLE, MatrixProvider
from fieldroute.travel.osrm import OsrmHttpProvider, OsrmLocalProvider
from fieldroute.travel.prepare import prepare_osrm, prepare_valhalla
from fieldroute.travel.servers import start_osrm, start_valhalla
from fieldroute.travel.valhalla import ValhallaHttpProvider, ValhallaLocalProvider

EXTRACT = Path(__file__).parents[1] / "tests" / "data" / "osm" / "helsinki.osm.pbf"


def _points(n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.column_stack(
        [rng.uniform(60.1655, 60.1780, n), rng.uniform(24.9370, 24.9520, n)]
    )


def run(sizes: list[int], extract: Path) -> None:
    """Prepare data, start servers, time every provider on every size."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        dataset = prepare_osrm(extract, root / "osrm")
        config = prepare_valhalla(extract, root / "valhalla")
        with (
            start_osrm(dataset, max_table_size=100) as osrm_100,
            start_osrm(dataset, max_table_size=1000) as osrm_1000,
            start_valhalla(config) as valhalla,
        ):
            makers: list[tuple[str, Callable[[], MatrixProvider]]] = [
                ("haversine", HaversineProvider),
                (
                    "osrm http, limit 100 (100 x 100 blocks)",
                    lambda: OsrmHttpProvider(osrm_100.url, block_size=100),
                ),
                (
                    "osrm http, limit 1000 (one block)",
                    lambda: OsrmHttpProvider(osrm_1000.url, block_size=1000),
                ),
                ("osrm in-process (CH)", lambda: OsrmLocalProvider(dataset)),
                (
                    "valhalla http, 50 x 50 blocks",
                    lambda: ValhallaHttpProvider(valhalla.url, block_size=50),
                ),
                (
                    "valhalla http, 500 x 500 blocks",
                    lambda: ValhallaHttpProvider(valhalla.url, block_size=500),
                ),
                ("valhalla in-process", lambda: ValhallaLocalProvider(config)),
            ]
            print("| provider | " + " | ".join(f"{n} x {n} (s)" for n in sizes) + " |")
            print("|---|" + "---|" * len(sizes))
            for name, make in makers:
                cells = []
                for n in sizes:
                    provider = make()
                    points = _points(n)
                    started = time.perf_counter()
                    matrix = provider.matrix(points)
                    elapsed = time.perf_counter() - started
                    reachable = float(np.mean(matrix.duration_s < UNREACHABLE))
                    cells.append(f"{elapsed:.2f} ({reachable:.0%} routed)")
                print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--extract", type=Path, default=EXTRACT)
    args = parser.parse_args(argv)
    run(args.sizes, args.extract)


if __name__ == "__main__":
    main()
