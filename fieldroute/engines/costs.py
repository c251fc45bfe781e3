"""Integer arc costs and job prizes shared by every engine.

Every engine minimises the same objective as the evaluator
(`fieldroute.model.problem.Objective`), scaled to integers by `COST_SCALE`
(cost units per value unit), so engines are compared on equal terms.

Every job is given to engines as droppable: a mandatory job's prize is larger
than any detour it can cause (`mandatory_prize`) and grows with priority, so a
mandatory job is dropped only when it cannot fit, lowest priority first; an
optional job's prize is its value x the value weight, exactly what the
evaluator subtracts, so an engine never trades a detour against a different
price than the one its plan is judged on.
"""

from __future__ import annotations

import numpy as np

from fieldroute.model.instance import Instance, JobData
from fieldroute.travel.matrix import UNREACHABLE, IntMatrix, TravelMatrix

COST_SCALE = 1000


def arc_cost(instance: Instance, matrix: TravelMatrix) -> IntMatrix:
    """Integer cost of each leg: drive time and distance, weighted and scaled."""
    objective = instance.problem.objective
    per_s = objective.drive_time_per_hour / 3600 * COST_SCALE
    per_m = objective.distance_per_km / 1000 * COST_SCALE
    cost = matrix.duration_s * per_s + matrix.distance_m * per_m
    out = np.rint(cost).astype(np.int64)
    out[matrix.duration_s >= UNREACHABLE] = UNREACHABLE
    return out


def max_arc_cost(cost: IntMatrix) -> int:
    reachable = cost[cost < UNREACHABLE]
    return int(reachable.max()) if reachable.size else 0


def work_cost_per_s(instance: Instance, tech: int) -> float:
    """Scaled cost of one second of a technician's working time."""
    return instance.technicians[tech].cost_per_hour / 3600 * COST_SCALE


def mandatory_prize(instance: Instance, cost: IntMatrix) -> int:
    """A prize no detour can outweigh: dropping a mandatory job never pays."""
    longest_day = max(
        (t.shift_end_s - t.shift_start_s for t in instance.technicians), default=0
    )
    work = max(
        (work_cost_per_s(instance, t.index) for t in instance.technicians), default=0
    )
    return 2 * max_arc_cost(cost) + int(work * longest_day) + COST_SCALE * 1000 + 1


def job_prize(instance: Instance, job: JobData, mandatory: int) -> int:
    """The prize for doing `job`: see the module docstring."""
    value = job.value * instance.problem.objective.value_weight * COST_SCALE
    if job.optional:
        return round(value)
    return mandatory * job.priority + round(value)
