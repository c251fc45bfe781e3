"""The plan a dispatcher makes without software, for before/after comparisons.

Each job, in order of its earliest window (then input order), goes to the
nearest qualified technician who still has room (the job keeps that
technician's day free of violations, or, if nobody can take it cleanly, the
nearest qualified technician under the job cap); then each technician's day is
driven in "nearest next stop" order from the start place. The result is
evaluated like any plan, violations included.
"""

from __future__ import annotations

from fieldroute.evaluate.schedule import Evaluator, RouteInput


def nearest_first(evaluator: Evaluator, tech: int, jobs: list[int]) -> tuple[int, ...]:
    """Order `jobs` by repeatedly driving to the nearest one not yet done."""
    inst = evaluator.instance
    dur = evaluator.matrix.duration_s
    here = inst.start_point(tech)
    left = list(jobs)
    order = []
    while left:
        nxt = min(left, key=lambda j: (dur[here, inst.job_point(j)], j))
        order.append(nxt)
        left.remove(nxt)
        here = inst.job_point(nxt)
    return tuple(order)


def handmade_routes(evaluator: Evaluator) -> list[RouteInput]:
    """Nearest qualified technician with room, then nearest-next-stop order."""
    inst = evaluator.instance
    dur = evaluator.matrix.duration_s
    assigned: dict[int, list[int]] = {t: [] for t in range(inst.num_techs)}
    order = sorted(
        range(inst.num_jobs),
        key=lambda j: (inst.jobs[j].windows[0][0] if inst.jobs[j].windows else 0, j),
    )
    for j in order:
        point = inst.job_point(j)
        qualified = sorted(
            (t for t in range(inst.num_techs) if inst.eligible[t, j]),
            key=lambda t: dur[inst.start_point(t), point],
        )
        with_room = [
            t
            for t in qualified
            if inst.technicians[t].max_jobs is None
            or len(assigned[t]) < (inst.technicians[t].max_jobs or 0)
        ]
        chosen = next(
            (
                t
                for t in with_room
                if evaluator.route(
                    t, nearest_first(evaluator, t, [*assigned[t], j])
                ).feasible
            ),
            None,
        )
        if chosen is None and with_room and not inst.jobs[j].optional:
            chosen = with_room[0]
        if chosen is not None:
            assigned[chosen].append(j)
    return [
        RouteInput(t, nearest_first(evaluator, t, jobs))
        for t, jobs in assigned.items()
        if jobs
    ]
