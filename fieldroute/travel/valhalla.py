"""Valhalla: road travel from a ``valhalla_service`` server or in-process.

* `ValhallaHttpProvider` posts to ``/sources_to_targets``. Servers cap the
  pairs of one request (``service_limits.<costing>.max_matrix_location_pairs``,
  2,500 by default), so requests go in blocks of `block_size` x `block_size`.
* `ValhallaLocalProvider` calls ``valhalla.Actor.matrix`` from the
  ``pyvalhalla`` package on a ``valhalla.json`` config (see
  `fieldroute.travel.prepare`); the block size follows the config's limit.

Given a `departure`, the request carries ``date_time`` (type 1, "depart at",
local time): on tiles with historical (predicted) speeds the durations are
those of that time of day. The server must allow it
(``service_limits.max_timedep_distance_matrix`` > 0; prepared configs do).
`fieldroute.travel.traffic.HourlyProvider` turns such answers into one
time-dependent matrix.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from fieldroute.errors import TravelError
from fieldroute.travel.http import HttpTableProvider, request_json
from fieldroute.travel.matrix import Points
from fieldroute.travel.road import BlockTooBig, FloatArray, RoadProvider, as_float_table

#: Valhalla's error codes for "too many locations / pairs" in a matrix.
_TOO_BIG_CODES = {150, 154, 155, 157}


def _request(
    sources: Points, destinations: Points, departure: datetime | None, costing: str
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sources": [{"lat": float(lat), "lon": float(lon)} for lat, lon in sources],
        "targets": [
            {"lat": float(lat), "lon": float(lon)} for lat, lon in destinations
        ],
        "costing": costing,
        "units": "kilometers",
        "verbose": False,  # plain duration/distance arrays: smaller, faster
    }
    if departure is not None:
        # Valhalla reads the value as local time at the location.
        body["date_time"] = {"type": 1, "value": departure.strftime("%Y-%m-%dT%H:%M")}
    return body


def _parse(
    answer: Any, where: str, shape: tuple[int, int]
) -> tuple[FloatArray, FloatArray]:
    if isinstance(answer, dict) and "error_code" in answer:
        if answer["error_code"] in _TOO_BIG_CODES:
            raise BlockTooBig(str(answer.get("error")))
        msg = (
            f"Valhalla at {where} refused the matrix: error {answer['error_code']}: "
            f"{answer.get('error', '')}"
        )
        raise TravelError(msg)
    try:
        table = answer["sources_to_targets"]
        duration = as_float_table(table["durations"]).reshape(shape)
        distance_km = as_float_table(table["distances"]).reshape(shape)
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"Valhalla at {where} answered a matrix without durations and distances"
        raise TravelError(msg) from exc
    return duration, distance_km * 1000.0


class ValhallaHttpProvider(HttpTableProvider):
    """Travel from a Valhalla HTTP server (``valhalla_service``)."""

    name = "valhalla"
    uses_departure = True

    def __init__(
        self,
        url: str,
        *,
        costing: str = "auto",
        block_size: int = 50,
        timeout_s: float = 60.0,
        retries: int = 2,
        workers: int = 2,
    ) -> None:
        super().__init__(
            url,
            key="valhalla",
            block_size=block_size,
            timeout_s=timeout_s,
            retries=retries,
            workers=workers,
        )
        self.costing = costing
        self.key = f"{self.key}/{costing}"

    def _block(
        self,
        sources: Points,
        destinations: Points,
        departure: datetime | None,
        connection: Any,
    ) -> tuple[FloatArray, FloatArray]:
        body = _request(sources, destinations, departure, self.costing)
        _, answer = request_json(
            connection,
            "POST",
            f"{self.url}/sources_to_targets",
            engine="Valhalla",
            retries=self.retries,
            json_body=body,
        )
        return _parse(answer, self.url, (len(sources), len(destinations)))


class ValhallaLocalProvider(RoadProvider):
    """Travel computed in this process by ``valhalla.Actor`` on a config."""

    name = "valhalla"
    uses_departure = True

    def __init__(self, config: str | Path, *, costing: str = "auto") -> None:
        super().__init__()
        path = Path(config)
        try:
            settings = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            msg = f"cannot read the Valhalla config {path}: {exc}"
            raise TravelError(msg) from exc
        try:
            import valhalla
        except ImportError as exc:
            msg = (
                "in-process Valhalla needs the `roads` extra: "
                "pip install 'fieldroute[roads]'"
            )
            raise TravelError(msg) from exc
        try:
            self._actor = valhalla.Actor(str(path))
        except (RuntimeError, FileNotFoundError, AttributeError) as exc:
            raise TravelError(f"Valhalla cannot start on {path}: {exc}") from exc
        self._error: type[Exception] = valhalla.ValhallaError
        limits = settings.get("service_limits", {}).get(costing, {})
        pairs = int(limits.get("max_matrix_location_pairs", 2500))
        self.block_size = max(1, math.isqrt(pairs))
        self.costing = costing
        self.config = path
        self.key = f"valhalla:{path.resolve()}/{costing}"

    def _block(
        self,
        sources: Points,
        destinations: Points,
        departure: datetime | None,
        connection: Any,
    ) -> tuple[FloatArray, FloatArray]:
        body = _request(sources, destinations, departure, self.costing)
        try:
            answer = json.loads(self._actor.matrix(json.dumps(body)))
        except self._error as exc:
            answer = _error_answer(exc)
        except RuntimeError as exc:
            raise TravelError(f"Valhalla ({self.config}) failed: {exc}") from exc
        return _parse(answer, str(self.config), (len(sources), len(destinations)))


def _error_answer(exc: Exception) -> dict[str, Any]:
    code = getattr(exc, "code", None)
    if code is None and exc.args:
        # Some builds raise with a JSON body as the message.
        try:
            parsed = json.loads(str(exc.args[0]))
            if isinstance(parsed, dict):
                return parsed
        except ValueError:
            pass
    return {"error_code": code if code is not None else -1, "error": str(exc)}
