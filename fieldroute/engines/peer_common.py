"""What the peer engines (OR-Tools, VROOM) share: eligibility sets, notes on
constraints they cannot express, break gaps and prize-aware pruning.

Both peers see the same integer objective as PyVRP (`fieldroute.engines.costs`)
and the same eligibility as the evaluator (`Instance.eligible`).
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldroute.engines.costs import COST_SCALE, job_prize
from fieldroute.evaluate.schedule import Evaluator, RouteInput
from fieldroute.model.instance import Instance
from fieldroute.travel.matrix import TravelMatrix


def is_time_dependent(matrix: TravelMatrix) -> bool:
    """True when the matrix's leg durations depend on the departure time."""
    return type(matrix).travel_s is not TravelMatrix.travel_s


def time_dependent_note(engine: str) -> str:
    return (
        f"time-dependent travel: {engine} cannot vary travel time with the hour; "
        "it plans on the matrix's representative durations and the evaluator "
        "re-times every leg"
    )


def allowed_techs(instance: Instance, job: int) -> tuple[int, ...]:
    """Technicians allowed to do `job` by skills, territory, pin and stock."""
    return tuple(int(t) for t in instance.eligible[:, job].nonzero()[0])


def allowed_sets(instance: Instance, jobs: Sequence[int]) -> dict[int, int]:
    """Job -> id of its allowed-technician set; equal sets share an id."""
    ids: dict[tuple[int, ...], int] = {}
    out = {}
    for j in jobs:
        key = allowed_techs(instance, j)
        out[j] = ids.setdefault(key, len(ids))
    return out


def break_gap(
    service_starts_s: Sequence[int], services_s: Sequence[int], at_s: int
) -> int:
    """The evaluator's gap for a break starting at `at_s`: the number of stops
    whose service is over by then (0: before the first stop, len: before the
    return)."""
    return sum(
        1
        for start, service in zip(service_starts_s, services_s, strict=True)
        if start + service <= at_s
    )


def work_cost_note(
    instance: Instance, engine: str, *, exact_integers: bool
) -> str | None:
    """A note when technicians' hourly cost cannot be passed on exactly."""
    rates = [t.cost_per_hour for t in instance.technicians if t.cost_per_hour > 0]
    if not rates:
        return None
    if exact_integers and all(float(r / 3600 * COST_SCALE).is_integer() for r in rates):
        return None
    if exact_integers:
        return (
            f"work cost per hour: {engine} takes an integer cost per second, "
            "so the hourly rates are rounded"
        )
    return (
        f"work cost per hour: {engine} has no cost on working time (only on "
        "travel), so technicians' hourly rates are left out of its objective"
    )


def drop_unprofitable_optional(
    evaluator: Evaluator, routes: Sequence[RouteInput]
) -> list[RouteInput]:
    """Remove optional jobs whose prize does not pay for their detour.

    For engines that do every optional job that fits (VROOM has no prizes):
    each removal is judged by the evaluator on the shared objective, and is
    kept only when it breaks no new rule.
    """
    inst = evaluator.instance
    weight = inst.problem.objective.value_weight

    def cost(route: RouteInput) -> tuple[int, float]:
        schedule = evaluator.route(route.tech, route.jobs, route.break_gap)
        travel_and_work = evaluator.route_cost(schedule) + schedule.value * weight
        return len(schedule.violations), travel_and_work * COST_SCALE

    out = []
    for route in routes:
        current = route
        improved = True
        while improved:
            improved = False
            bad, base = cost(current)
            best: tuple[float, RouteInput] | None = None
            for pos, j in enumerate(current.jobs):
                if not inst.jobs[j].optional:
                    continue
                gap = current.break_gap
                if gap is not None and gap > pos:
                    gap -= 1
                trial = RouteInput(
                    current.tech, current.jobs[:pos] + current.jobs[pos + 1 :], gap
                )
                trial_bad, trial_cost = cost(trial)
                gain = (
                    base - trial_cost - job_prize(inst, inst.jobs[j], 0)
                )  # optional: no base
                if trial_bad <= bad and gain > 0 and (best is None or gain > best[0]):
                    best = (gain, trial)
            if best is not None:
                current = best[1]
                improved = True
        out.append(current)
    return out
