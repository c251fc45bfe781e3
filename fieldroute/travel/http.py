"""One HTTP call to a road server, with timeouts, retries and clear errors.

Connection failures, timeouts and 5xx answers are retried with a short
back-off; anything still failing becomes a `TravelError` that names the URL,
so "the OSRM server at http://... is down" is what a user reads.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from fieldroute.errors import TravelError
from fieldroute.travel.road import RoadProvider


def request_json(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    engine: str,
    retries: int,
    json_body: Any = None,
    params: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """(status, decoded JSON) of one call; raises `TravelError` when the
    server cannot be reached or does not answer JSON after `retries` retries."""
    last: Exception | None = None
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(2.0, 0.2 * 2 ** (attempt - 1)))
        try:
            response = client.request(method, url, json=json_body, params=params)
        except httpx.TimeoutException as exc:
            last = exc
            continue
        except httpx.TransportError as exc:
            last = exc
            continue
        if response.status_code >= 500:
            last = TravelError(
                f"{engine} server at {_base(url)} answered HTTP "
                f"{response.status_code}: {response.text[:200]}"
            )
            continue
        try:
            return response.status_code, response.json()
        except ValueError:
            msg = (
                f"{engine} server at {_base(url)} answered HTTP "
                f"{response.status_code} without JSON: {response.text[:200]!r}"
            )
            raise TravelError(msg) from None
    if isinstance(last, TravelError):
        raise last
    kind = "timed out" if isinstance(last, httpx.TimeoutException) else "is unreachable"
    msg = (
        f"{engine} server at {_base(url)} {kind} after {retries + 1} "
        f"attempt{'s' if retries else ''}: {last}"
    )
    raise TravelError(msg) from last


def _base(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode()}"


class HttpTableProvider(RoadProvider):
    """What the OSRM and Valhalla HTTP clients share: a base URL, blocks of
    `block_size` points, a timeout, retries and parallel requests."""

    def __init__(
        self,
        url: str,
        *,
        key: str,
        block_size: int,
        timeout_s: float,
        retries: int,
        workers: int,
    ) -> None:
        super().__init__()
        if block_size < 1:
            raise ValueError("block_size must be >= 1.")
        self.url = url.rstrip("/")
        self.block_size = block_size
        self.retries = retries
        self.workers = workers
        self.key = f"{key}:{self.url}"
        self.timeout_s = timeout_s

    def _connection(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout_s)
