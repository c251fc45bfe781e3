"""OSRM: road travel from an `osrm-routed` server or in-process bindings.

* `OsrmHttpProvider` calls ``/table/v1/{profile}/...?annotations=duration,
  distance``. A server refuses tables larger than its ``--max-table-size``
  (100 by default: sources x destinations <= 100^2), so requests go in blocks
  of `block_size` sources by `block_size` destinations, several at once.
* `OsrmLocalProvider` runs the same query in this process through the
  ``osrm-bindings`` package on a prepared ``.osrm`` dataset (see
  `fieldroute.travel.prepare`); no server, no size limit.

OSRM durations ignore the time of day (its speeds are fixed per road type);
combine with a `TrafficProvider` for rush hours.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from fieldroute.errors import TravelError
from fieldroute.travel.http import HttpTableProvider, request_json
from fieldroute.travel.matrix import Points
from fieldroute.travel.road import BlockTooBig, FloatArray, RoadProvider, as_float_table


def _coordinates(sources: Points, destinations: Points) -> list[tuple[float, float]]:
    # OSRM wants (lon, lat); sources first, then destinations.
    return [(float(lon), float(lat)) for lat, lon in (*sources, *destinations)]


def _parse(answer: Any, where: str, n_src: int) -> tuple[FloatArray, FloatArray]:
    code = answer.get("code")
    if code == "TooBig":
        raise BlockTooBig(answer.get("message", ""))
    if code != "Ok":
        msg = f"OSRM at {where} refused the table: {code}: {answer.get('message', '')}"
        raise TravelError(msg)
    try:
        duration = as_float_table(answer["durations"])
        distance = as_float_table(answer["distances"])
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"OSRM at {where} answered a table without durations and distances"
        raise TravelError(msg) from exc
    return duration.reshape(n_src, -1), distance.reshape(n_src, -1)


class OsrmHttpProvider(HttpTableProvider):
    """Travel from an OSRM HTTP server (``osrm-routed``)."""

    name = "osrm"

    def __init__(
        self,
        url: str,
        *,
        profile: str = "driving",
        block_size: int = 100,
        timeout_s: float = 30.0,
        retries: int = 2,
        workers: int = 4,
    ) -> None:
        super().__init__(
            url,
            key="osrm",
            block_size=block_size,
            timeout_s=timeout_s,
            retries=retries,
            workers=workers,
        )
        self.profile = profile
        self.key = f"{self.key}/{profile}"

    def _block(
        self,
        sources: Points,
        destinations: Points,
        departure: datetime | None,
        connection: Any,
    ) -> tuple[FloatArray, FloatArray]:
        n_src = len(sources)
        square = n_src == len(destinations) and np.array_equal(sources, destinations)
        # A square block (every diagonal block) is sent once, all to all:
        # half the URL, which servers cap (about 48 kB by default).
        listed = _coordinates(sources, sources if square else destinations)
        if square:
            listed = listed[:n_src]
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lon, lat in listed)
        params = {"annotations": "duration,distance"}
        if not square:
            params["sources"] = ";".join(str(i) for i in range(n_src))
            params["destinations"] = ";".join(
                str(n_src + i) for i in range(len(destinations))
            )
        url = f"{self.url}/table/v1/{self.profile}/{coords}"
        _, answer = request_json(
            connection, "GET", url, engine="OSRM", retries=self.retries, params=params
        )
        if not isinstance(answer, dict):
            raise TravelError(f"OSRM at {self.url} answered {answer!r}")
        return _parse(answer, self.url, n_src)


class OsrmLocalProvider(RoadProvider):
    """Travel computed in this process on a prepared ``.osrm`` dataset."""

    name = "osrm"

    def __init__(self, dataset: str | Path, *, block_size: int = 1000) -> None:
        super().__init__()
        path = Path(dataset)
        # The data files are "<base>.osrm.*"; there may be no "<base>.osrm".
        if not path.with_name(path.name + ".properties").exists():
            msg = (
                f"no prepared OSRM dataset at {path} (expected {path}.properties and "
                "friends; make one with `fieldroute travel prepare --engine osrm`)"
            )
            raise TravelError(msg)
        try:
            import osrm
        except ImportError as exc:
            msg = (
                "in-process OSRM needs the `roads` extra: "
                "pip install 'fieldroute[roads]'"
            )
            raise TravelError(msg) from exc
        # Contraction hierarchies answer many-to-many tables fastest; MLD data
        # alone (no .hsgr) is used when that is all there is.
        algorithm = "CH" if path.with_name(path.name + ".hsgr").exists() else "MLD"
        try:
            self._engine = osrm.OSRM(
                storage_config=str(path), algorithm=algorithm, use_shared_memory=False
            )
        except RuntimeError as exc:
            raise TravelError(f"OSRM cannot load {path}: {exc}") from exc
        self._osrm = osrm
        self.dataset = path
        self.block_size = block_size
        self.key = f"osrm:{path.resolve()}"

    def _block(
        self,
        sources: Points,
        destinations: Points,
        departure: datetime | None,
        connection: Any,
    ) -> tuple[FloatArray, FloatArray]:
        n_src = len(sources)
        params = self._osrm.TableParameters(
            coordinates=_coordinates(sources, destinations),
            sources=list(range(n_src)),
            destinations=list(range(n_src, n_src + len(destinations))),
            annotations=["duration", "distance"],
            generate_hints=False,
        )
        try:
            answer = self._engine.Table(params)
        except RuntimeError as exc:
            raise TravelError(f"OSRM ({self.dataset}) failed: {exc}") from exc
        table = {
            "code": answer["code"],
            "durations": [list(row) for row in answer["durations"]],
            "distances": [list(row) for row in answer["distances"]],
        }
        return _parse(table, str(self.dataset), n_src)
