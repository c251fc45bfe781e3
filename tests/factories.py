"""Small problem builders shared by the tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from fieldroute.evaluate import Evaluator
from fieldroute.model import Problem, compile_problem, problem_from_dict
from fieldroute.model.instance import Instance
from fieldroute.travel import StaticMatrixProvider, TravelMatrix


def technician(tid: str = "T1", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": tid,
        "start": {"lat": 60.17, "lon": 24.94},
        "shift": {"start": "08:00", "end": "17:00"},
    }
    base.update(fields)
    return base


def job(jid: str, minutes: float = 30, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": jid,
        "location": {"lat": 60.18, "lon": 24.95},
        "duration_minutes": minutes,
    }
    base.update(fields)
    return base


def problem(
    technicians: list[dict[str, Any]], jobs: list[dict[str, Any]], **fields: Any
) -> Problem:
    data: dict[str, Any] = {
        "date": "2026-11-23",
        "timezone": "Europe/Helsinki",
        "technicians": technicians,
        "jobs": jobs,
    }
    data.update(fields)
    return problem_from_dict(data)


def static_matrix(instance: Instance, legs: dict[tuple[str, str], int]) -> TravelMatrix:
    """A matrix where named legs take the given seconds and others 10 minutes.

    Names: a technician id + ":start" / ":end", or a job id; legs are symmetric.
    """
    names = (
        [f"{t.id}:start" for t in instance.technicians]
        + [f"{t.id}:end" for t in instance.technicians]
        + [j.id for j in instance.jobs]
    )
    index = {name: i for i, name in enumerate(names)}
    n = len(names)
    duration = np.full((n, n), 600, dtype=np.int64)
    np.fill_diagonal(duration, 0)
    for t in instance.technicians:  # start and end places coincide
        duration[index[f"{t.id}:start"], index[f"{t.id}:end"]] = 0
        duration[index[f"{t.id}:end"], index[f"{t.id}:start"]] = 0
    for (a, b), seconds in legs.items():
        # A leg from a start place is also the leg to the (same) end place.
        for x in {a, a.replace(":start", ":end")}:
            for y in {b, b.replace(":start", ":end")}:
                duration[index[x], index[y]] = seconds
                duration[index[y], index[x]] = seconds
    return StaticMatrixProvider(duration, duration * 10).matrix(instance.points)


def evaluator_for(
    prob: Problem, legs: dict[tuple[str, str], int] | None = None
) -> Evaluator:
    instance = compile_problem(prob)
    return Evaluator(instance, static_matrix(instance, legs or {}))
