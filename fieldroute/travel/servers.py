"""Start and stop local ``osrm-routed`` / ``valhalla_service`` servers.

For tests, benchmarks and ``fieldroute travel serve``: a server listens on
127.0.0.1 on a free port, `start_*` returns once it answers HTTP, and
`RoadServer.stop` ends exactly that process (by its PID).
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import httpx

from fieldroute.errors import TravelError
from fieldroute.travel.prepare import osrm_binary, valhalla_binary


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RoadServer:
    """A running engine process and its URL; a context manager that stops it."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """Terminate the server process (kill it if it lingers)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> RoadServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def _wait_ready(server: RoadServer, probe: str, timeout_s: float) -> RoadServer:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = "\n".join(server.log.read_text().splitlines()[-15:])
            msg = f"road server exited with {server.process.returncode}:\n{tail}"
            raise TravelError(msg)
        try:
            httpx.get(server.url + probe, timeout=1.0)
            return server  # any HTTP answer means it is listening
        except httpx.TransportError:
            time.sleep(0.05)
    server.stop()
    raise TravelError(f"road server at {server.url} not ready after {timeout_s} s")


def start_osrm(
    dataset: Path,
    *,
    port: int | None = None,
    max_table_size: int = 100,
    threads: int = 2,
    timeout_s: float = 30.0,
) -> RoadServer:
    """``osrm-routed`` on `dataset` (a prepared ``.osrm`` base path)."""
    port = port or free_port()
    dataset = Path(dataset)
    algorithm = "CH" if dataset.with_name(dataset.name + ".hsgr").exists() else "MLD"
    log = dataset.with_name(f"osrm-routed-{port}.log")
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(osrm_binary("osrm-routed")),
                "--ip",
                "127.0.0.1",
                "--port",
                str(port),
                "--algorithm",
                algorithm,
                "--threads",
                str(threads),
                "--max-table-size",
                str(max_table_size),
                str(dataset),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = RoadServer(process, f"http://127.0.0.1:{port}", log)
    return _wait_ready(server, "/", timeout_s)


def start_valhalla(
    config_path: Path,
    *,
    port: int | None = None,
    workers: int = 2,
    timeout_s: float = 30.0,
) -> RoadServer:
    """``valhalla_service`` on a config (copied with the port filled in)."""
    port = port or free_port()
    config_path = Path(config_path)
    config = json.loads(config_path.read_text())
    service = config["httpd"]["service"]
    service["listen"] = f"tcp://127.0.0.1:{port}"
    # Stop at once on SIGTERM instead of draining requests for half a minute.
    service["drain_seconds"] = 0
    service["shutdown_seconds"] = 0
    own = config_path.with_name(f"valhalla-{port}.json")
    own.write_text(json.dumps(config, indent=2))
    log = config_path.with_name(f"valhalla_service-{port}.log")
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(valhalla_binary("valhalla_service")), str(own), str(workers)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = RoadServer(process, f"http://127.0.0.1:{port}", log)
    return _wait_ready(server, "/status", timeout_s)
