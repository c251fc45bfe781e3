"""Solomon VRPTW instances (VRPLIB files) as fieldroute problems.

Convention (DIMACS VRPTW track, the one the best-known solutions assume; see
``benchmarks/instances/solomon/README.md``): the distance between two nodes
is their Euclidean distance truncated to one decimal; travel time equals
distance; the objective is total distance. fieldroute works in integers, so
every length and time is multiplied by 10: ``d10 = isqrt(100 * (dx^2 + dy^2))``
seconds (and metres), windows and service times x 10 seconds on a day that
starts at 00:00 UTC. A plan's total distance is then ``drive_s / 10``
exactly, and the problem's objective (``drive_time_per_hour=3600``, one cost
unit per second of driving) equals ``drive_s``.

Mapping: one depot where every technician starts and ends; ``VEHICLES`` (25)
identical technicians whose shift is the depot's window; every customer is a
mandatory job with one window and its service time; vehicle capacity is the
stock item ``"load"`` and a customer's demand uses it. The coordinates are
kept as fake degrees (x / 1000, y / 1000) only so the problem validates; the
matrix comes from `SolomonCase.provider`, never from the map.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from fieldroute.evaluate.schedule import RouteInput
from fieldroute.model.problem import (
    Job,
    Location,
    Objective,
    Problem,
    Shift,
    Technician,
    TimeWindow,
)
from fieldroute.travel.static import StaticMatrixProvider

#: Integer units per Solomon unit of time or distance (one decimal kept).
SCALE = 10
STOCK_ITEM = "load"
_DAY = dt.date(2026, 1, 5)


@dataclass(frozen=True)
class SolomonCase:
    """One instance: the problem, its matrix and its best-known solution."""

    name: str
    problem: Problem
    provider: StaticMatrixProvider
    #: Best-known total distance x `SCALE` (an integer, e.g. 8273 for C101).
    bks_cost: int | None
    #: Best-known routes as job indices (customer id i -> job i - 1).
    bks_routes: tuple[tuple[int, ...], ...] | None

    @property
    def instance_class(self) -> str:
        """Solomon class: C1, C2, R1, R2, RC1 or RC2."""
        return self.name.rstrip("0123456789") + self.name.lstrip("CR")[:1]

    def bks_route_inputs(self) -> list[RouteInput]:
        """The best-known solution as routes, route k on technician k."""
        if self.bks_routes is None:
            raise ValueError(f"{self.name} has no best-known solution file.")
        return [RouteInput(k, route) for k, route in enumerate(self.bks_routes)]


def truncated_distances(coords: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(n, n) Euclidean distances x 10, truncated: ``isqrt(100 (dx^2 + dy^2))``.

    Integer square roots, so no float rounding can move a value across a
    decimal boundary.
    """
    xy = np.asarray(coords, dtype=np.int64)
    diff = xy[:, None, :] - xy[None, :, :]
    squared = 100 * (diff**2).sum(axis=2)
    isqrt = np.vectorize(math.isqrt, otypes=[np.int64])
    return np.asarray(isqrt(squared), dtype=np.int64)


def read_solomon(
    vrp_path: str | Path, sol_path: str | Path | None = None
) -> SolomonCase:
    """Read a Solomon ``.vrp`` file (and its ``.sol``, found beside it by default).

    Parameters
    ----------
    vrp_path
        VRPLIB CVRPTW file with one depot.
    sol_path
        Best-known solution; defaults to the ``.sol`` next to `vrp_path`, and
        is skipped when missing.
    """
    import vrplib  # the `peers` extra; imported here so the CLI loads without it

    vrp_path = Path(vrp_path)
    data = vrplib.read_instance(str(vrp_path), compute_edge_weights=False)
    name = str(data["name"])
    coords = np.asarray(data["node_coord"], dtype=np.int64)
    windows = np.asarray(data["time_window"], dtype=np.int64) * SCALE
    demand = np.asarray(data["demand"], dtype=np.int64)
    service = np.broadcast_to(
        np.asarray(data["service_time"], dtype=np.int64) * SCALE, demand.shape
    )
    (depot,) = np.asarray(data["depot"]).tolist()
    if depot != 0:
        raise ValueError(f"{name}: the depot must be the first node, got {depot}.")
    fleet = int(data["vehicles"])
    capacity = int(data["capacity"])

    depot_at = _location(coords[0])
    technicians = [
        Technician(
            id=f"V{k + 1:02d}",
            start=depot_at,
            shift=Shift(
                start=_clock(int(windows[0, 0])), end=_clock(int(windows[0, 1]))
            ),
            capacity={STOCK_ITEM: capacity},
        )
        for k in range(fleet)
    ]
    jobs = [
        Job(
            id=f"c{i}",
            location=_location(coords[i]),
            duration_minutes=int(service[i]) / 60,
            time_windows=[
                TimeWindow(
                    start=_clock(int(windows[i, 0])), end=_clock(int(windows[i, 1]))
                )
            ],
            demand={STOCK_ITEM: int(demand[i])} if demand[i] else {},
        )
        for i in range(1, len(coords))
    ]
    problem = Problem(
        name=name,
        date=_DAY,
        timezone="UTC",
        technicians=technicians,
        jobs=jobs,
        objective=Objective(
            drive_time_per_hour=3600, distance_per_km=0, value_weight=0
        ),
    )
    provider = StaticMatrixProvider(_point_matrix(coords, fleet))

    sol = vrp_path.with_suffix(".sol") if sol_path is None else Path(sol_path)
    bks_cost, bks_routes = None, None
    if sol.exists():
        solution = vrplib.read_solution(str(sol))
        bks_cost = round(float(solution["cost"]) * SCALE)
        bks_routes = tuple(
            tuple(int(node) - 1 for node in route) for route in solution["routes"]
        )
    return SolomonCase(name, problem, provider, bks_cost, bks_routes)


def solomon_paths(directory: str | Path, names: list[str] | None = None) -> list[Path]:
    """The ``.vrp`` files of `directory`, in C1, C2, R1, R2, RC1, RC2 order, or
    only `names` (e.g. ``["C101", "R205"]``), which must all exist."""
    directory = Path(directory)
    if names:
        paths = [directory / f"{n.upper()}.vrp" for n in names]
        missing = [p.name for p in paths if not p.exists()]
        if missing:
            raise FileNotFoundError(
                f"no such instance in {directory}: {', '.join(missing)}"
            )
        return paths
    return sorted(directory.glob("*.vrp"), key=lambda p: _order(p.stem))


def _order(name: str) -> tuple[int, str]:
    prefix = name.rstrip("0123456789")
    return ({"C": 0, "R": 1, "RC": 2}.get(prefix, 3), name)


def _point_matrix(coords: npt.NDArray[np.int64], fleet: int) -> npt.NDArray[np.int64]:
    """Matrix over fieldroute's points: 2 x `fleet` depot copies, then customers."""
    node = np.concatenate(
        [np.zeros(2 * fleet, dtype=np.int64), np.arange(1, len(coords))]
    )
    full = truncated_distances(coords)
    return np.asarray(full[np.ix_(node, node)], dtype=np.int64)


def _location(xy: npt.NDArray[np.int64]) -> Location:
    return Location(lat=float(xy[1]) / 1000, lon=float(xy[0]) / 1000)


def _clock(seconds: int) -> str:
    if not 0 <= seconds <= 24 * 3600:
        raise ValueError(f"a Solomon time of {seconds} s does not fit in one day.")
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
