"""Requests per second for reading one technician's published route, with
20 concurrent clients on loopback, while a solve runs in the background.

Starts ``fieldroute serve`` in a subprocess on a fresh SQLite file, loads the
Monday example through the API, publishes a plan, starts a long solve (its
whole time limit used), then hammers ``GET /technicians/{id}/route`` for a
bounded time with technician tokens and prints the rate, latencies and
whether the solve was running throughout.

    .venv/bin/python benchmarks/api_throughput.py [--seconds 10] [--clients 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "monday" / "problem.json"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _token(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "fieldroute.cli", "token", "create", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_up(base: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/docs", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _load_day(base: str, headers: dict[str, str]) -> tuple[str, list[str]]:
    """Monday example in, solved, published; returns the date and technicians."""
    problem: dict[str, Any] = json.loads(EXAMPLE.read_text())
    day = problem["date"]
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        settings = {k: problem[k] for k in ("timezone", "name", "skills", "options")}
        client.put(f"/days/{day}", json=settings).raise_for_status()
        client.post(
            "/technicians/bulk", json={"data": problem["technicians"]}
        ).raise_for_status()
        jobs = [{**job, "date": day} for job in problem["jobs"]]
        client.post("/jobs/bulk", json={"data": jobs}).raise_for_status()
        solve = client.post(f"/days/{day}/solve").json()
        while (state := client.get(f"/solves/{solve['id']}").json())["status"] in (
            "queued",
            "running",
        ):
            time.sleep(0.2)
        assert state["status"] == "succeeded", state
        client.post(f"/plans/{state['plan_id']}/publish").raise_for_status()
    return day, [t["id"] for t in problem["technicians"]]


def _start_long_solve(base: str, headers: dict[str, str], day: str, s: float) -> str:
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        current = client.get(f"/days/{day}").json()
        options = {**current["options"], "stall_iterations": None}
        client.put(
            f"/days/{day}",
            json={
                "timezone": current["timezone"],
                "name": current["name"],
                "skills": current["skills"],
                "options": options,
                "version": current["version"],
            },
        ).raise_for_status()
        solve = client.post(f"/days/{day}/solve", json={"time_limit_s": s}).json()
        while client.get(f"/solves/{solve['id']}").json()["status"] != "running":
            time.sleep(0.1)
        return str(solve["id"])


WRK_SCRIPT = """
-- Cycle through the technicians' routes, each with its own token.
local requests = {}
local i = 0
init = function(args)
  for n = 1, #args, 2 do
    local headers = {["Authorization"] = args[n + 1]}
    requests[#requests + 1] = wrk.format("GET", args[n], headers)
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _wrk(
    base: str, urls: list[tuple[str, dict[str, str]]], clients: int, seconds: float
) -> tuple[int, int, float, float]:
    """Run wrk; returns ok requests, failed ones, p50 and p99 latency in ms."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    args = [part for url, h in urls for part in (url, h["Authorization"])]
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, clients)}",
            f"-c{clients}",
            f"-d{seconds:g}s",
            "-s",
            script.name,
            base,
            "--",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    total, errors, _duration_us, p50, p99 = line.split()[1:]
    return int(total) - int(errors), int(errors), float(p50), float(p99)


async def _hammer(
    base: str, urls: list[tuple[str, dict[str, str]]], clients: int, seconds: float
) -> tuple[int, int, list[float]]:
    ok = failed = 0
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        stop = time.perf_counter() + seconds

        async def one_client(index: int) -> None:
            nonlocal ok, failed
            url, headers = urls[index % len(urls)]
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await client.get(url, headers=headers)
                latencies.append(time.perf_counter() - started)
                if response.status_code == 200:
                    ok += 1
                else:
                    failed += 1

        await asyncio.gather(*(one_client(i) for i in range(clients)))
    return ok, failed, latencies


def _percentile(sorted_s: list[float], p: float) -> float:
    return sorted_s[min(len(sorted_s) - 1, int(p * len(sorted_s)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--load",
        choices=["auto", "wrk", "httpx"],
        default="auto",
        help="Load generator: wrk (C, light; apt install wrk) or httpx "
        "(Python, itself CPU-bound near 250 requests/s here). auto = wrk if found.",
    )
    parser.add_argument(
        "--no-solve", action="store_true", help="No background solve (baseline)."
    )
    args = parser.parse_args()
    load = args.load
    if load == "auto":
        load = "wrk" if shutil.which("wrk") else "httpx"

    folder = Path(tempfile.mkdtemp(prefix="fieldroute-bench-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "FIELDROUTE_DATABASE_URL": f"sqlite:///{folder}/fieldroute.sqlite",
        "FIELDROUTE_PORT": str(port),
        "FIELDROUTE_ACCESS_LOG": "false",
    }
    dispatcher = {"Authorization": f"Bearer {_token(env, '--role', 'dispatcher')}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "fieldroute.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_up(base)
        day, technicians = _load_day(base, dispatcher)
        urls = [
            (
                f"/technicians/{tech}/route?date={day}",
                {
                    "Authorization": "Bearer "
                    + _token(env, "--role", "technician", "--technician", tech)
                },
            )
            for tech in technicians
        ]
        solve_id = (
            None
            if args.no_solve
            else _start_long_solve(base, dispatcher, day, args.seconds + 30)
        )
        server_cpu_before = _cpu_s(server.pid)
        if load == "wrk":
            ok, failed, p50_ms, p99_ms = _wrk(base, urls, args.clients, args.seconds)
        else:
            ok, failed, latencies = asyncio.run(
                _hammer(base, urls, args.clients, args.seconds)
            )
            latencies.sort()
            p50_ms, p99_ms = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
        server_cpu = _cpu_s(server.pid) - server_cpu_before
        solve = None
        if solve_id is not None:
            solve = httpx.get(f"{base}/solves/{solve_id}", headers=dispatcher).json()
            httpx.post(f"{base}/solves/{solve_id}/cancel", headers=dispatcher)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"load generator: {load}, clients: {args.clients}, duration: {args.seconds:g} s"
    )
    print(f"cores: {os.cpu_count()}")
    print(f"requests: {ok} ok, {failed} failed")
    print(f"throughput: {ok / args.seconds:.0f} requests/s")
    print(
        f"server CPU: {server_cpu:.1f} s of {args.seconds:g} s "
        f"({server_cpu / ok * 1000:.2f} ms per request)"
    )
    print(f"latency: p50 {p50_ms:.1f} ms, p99 {p99_ms:.1f} ms")
    if solve is None:
        print("background solve: none (--no-solve)")
    else:
        print(
            f"background solve during the run: status {solve['status']}, "
            f"elapsed {solve['elapsed_s']:.1f} s, best cost {solve['best_cost']}"
        )


if __name__ == "__main__":
    main()
