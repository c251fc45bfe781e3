"""Google OR-Tools routing engine (peer): compile -> solve -> decode.

Compilation (native OR-Tools means, one node per place)
-------------------------------------------------------
* Nodes: technician t starts at node t and ends at node T + t (its own
  start and end places), then one node per job to plan.
* Objective: arc costs from `fieldroute.engines.costs` (the same integers
  PyVRP minimises), a span cost per technician for the hourly work cost
  (rounded to an integer per second), and a disjunction per job whose
  penalty is the job's prize: mandatory jobs are droppable only at a price
  larger than any detour. Letting visits drop is also what lets guided local
  search find a first solution on tight instances (see the brief's traps).
* ``Time`` dimension: transit = service at the origin + travel; the cumul
  at a job is its service start, kept inside the union of its windows
  (range of the first-to-last window with the gaps removed). Waiting is
  slack. Start and end cumuls lie in the shift.
* Max work time: span upper bound of max work + the break (the evaluator does
  not count the break as work).
* Lunch break: a fixed-duration interval in the break window per technician
  (`SetBreakIntervalsOfVehicle`), which may fall while driving or waiting
  but never during a service.
* ``Jobs`` dimension counts visits (capacity = max jobs); one dimension per
  stock item (capacity = stock carried, demand = items used).
* Skills, territories, pins and stock: allowed vehicles per job, from
  `Instance.eligible`, set on the job's vehicle variable (what
  `SetAllowedVehiclesForIndex` does; its Python binding is broken in 9.15).

Search: local-cheapest-insertion first solution, guided local search until
the time limit. (Path-cheapest-arc, OR-Tools' usual first choice, found no
solution other than "drop every job" on a 200-job day with breaks in 10 s;
insertion found one in under 2 s; on a 1,000-job, 50-technician day the
first solution took 30 s.) OR-Tools routing has no random seed, so
`params.seed` is not used.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from fieldroute.engines.base import EngineResult, SolveParams
from fieldroute.engines.costs import (
    arc_cost,
    job_prize,
    mandatory_prize,
    work_cost_per_s,
)
from fieldroute.engines.peer_common import (
    allowed_techs,
    break_gap,
    is_time_dependent,
    time_dependent_note,
    work_cost_note,
)
from fieldroute.evaluate.schedule import RouteInput
from fieldroute.model.instance import Instance
from fieldroute.travel.matrix import TravelMatrix

TIME = "Time"
JOBS = "Jobs"


class _Model:
    """The routing model and the maps back to fieldroute indices."""

    def __init__(self, instance: Instance, matrix: TravelMatrix, jobs: Sequence[int]):
        self.instance = instance
        self.jobs = list(jobs)
        num_techs = instance.num_techs
        # node -> instance point; node -> job index (or -1 for depots)
        self.points = [
            *range(2 * num_techs),
            *(instance.job_point(j) for j in self.jobs),
        ]
        self.node_job = [-1] * (2 * num_techs) + self.jobs
        self.manager = pywrapcp.RoutingIndexManager(
            len(self.points),
            num_techs,
            list(range(num_techs)),
            [num_techs + t for t in range(num_techs)],
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.service_s = [
            instance.jobs[j].service_s if j >= 0 else 0 for j in self.node_job
        ]
        self.breaks: dict[int, pywrapcp.IntervalVar] = {}
        self._build(matrix)

    # -- compilation -----------------------------------------------------------

    def _build(self, matrix: TravelMatrix) -> None:
        inst, routing = self.instance, self.routing
        pts = self.points
        cost = arc_cost(inst, matrix)
        duration = matrix.duration_s
        cost_rows = cost[pts][:, pts].tolist()
        time_rows = (duration[pts][:, pts] + [[s] for s in self.service_s]).tolist()
        routing.SetArcCostEvaluatorOfAllVehicles(
            routing.RegisterTransitMatrix(cost_rows)
        )

        horizon = max(t.shift_end_s for t in inst.technicians)
        horizon = max(
            [horizon, *(w[1] for j in self.jobs for w in inst.jobs[j].windows)]
        )
        time_cb = routing.RegisterTransitMatrix(time_rows)
        routing.AddDimension(time_cb, horizon, horizon, False, TIME)
        dim = routing.GetDimensionOrDie(TIME)

        for node in range(2 * inst.num_techs, len(pts)):
            job = inst.jobs[self.node_job[node]]
            if not job.windows:
                continue
            var = dim.CumulVar(self.manager.NodeToIndex(node))
            var.SetRange(job.windows[0][0], min(horizon, job.windows[-1][1]))
            for (_, end), (start, _) in zip(job.windows, job.windows[1:], strict=False):
                if start > end + 1:
                    var.RemoveInterval(end + 1, start - 1)

        for tech in inst.technicians:
            v = tech.index
            for index in (routing.Start(v), routing.End(v)):
                dim.CumulVar(index).SetRange(tech.shift_start_s, tech.shift_end_s)
            rule = tech.break_rule
            if tech.max_work_s is not None:
                extra = rule.duration_s if rule is not None else 0
                dim.SetSpanUpperBoundForVehicle(tech.max_work_s + extra, v)
            rate = round(work_cost_per_s(inst, v))
            if rate:
                dim.SetSpanCostCoefficientForVehicle(rate, v)
            if rule is not None:
                self.breaks[v] = routing.solver().FixedDurationIntervalVar(
                    rule.earliest_s,
                    rule.latest_start_s,
                    rule.duration_s,
                    False,
                    f"b{v}",
                )
        if self.breaks:
            visits = [
                self.service_s[self.manager.IndexToNode(i)]
                for i in range(routing.Size())
            ]
            for v, interval in self.breaks.items():
                dim.SetBreakIntervalsOfVehicle([interval], v, visits)

        self._loads()
        mandatory = mandatory_prize(inst, cost)
        for node in range(2 * inst.num_techs, len(pts)):
            j = self.node_job[node]
            index = self.manager.NodeToIndex(node)
            routing.AddDisjunction([index], job_prize(inst, inst.jobs[j], mandatory))
            allowed = allowed_techs(inst, j)
            if len(allowed) < inst.num_techs:
                # What SetAllowedVehiclesForIndex does; its Python binding
                # rejects every list in OR-Tools 9.15 (absl::Span typemap).
                # -1 keeps the visit droppable.
                routing.VehicleVar(index).SetValues([-1, *allowed])

    def _loads(self) -> None:
        inst, routing = self.instance, self.routing
        counts = [0 if j < 0 else 1 for j in self.node_job]
        caps = [
            t.max_jobs if t.max_jobs is not None else len(self.jobs)
            for t in inst.technicians
        ]
        routing.AddDimensionWithVehicleCapacity(
            routing.RegisterUnaryTransitVector(counts), 0, caps, True, JOBS
        )
        for item in inst.items:
            demand = [
                0 if j < 0 else inst.jobs[j].demand.get(item, 0) for j in self.node_job
            ]
            if not any(demand):
                continue
            stock = [t.capacity.get(item, 0) for t in inst.technicians]
            routing.AddDimensionWithVehicleCapacity(
                routing.RegisterUnaryTransitVector(demand),
                0,
                stock,
                True,
                f"stock:{item}",
            )

    # -- decoding --------------------------------------------------------------

    def decode(self, solution: pywrapcp.Assignment) -> list[RouteInput]:
        routing, dim = self.routing, self.routing.GetDimensionOrDie(TIME)
        routes = []
        for v in range(self.instance.num_techs):
            jobs: list[int] = []
            starts: list[int] = []
            services: list[int] = []
            index = solution.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(index):
                node = self.manager.IndexToNode(index)
                jobs.append(self.node_job[node])
                starts.append(solution.Value(dim.CumulVar(index)))
                services.append(self.service_s[node])
                index = solution.Value(routing.NextVar(index))
            if not jobs:
                continue
            gap = None
            interval = self.breaks.get(v)
            if interval is not None:
                held = solution.IntervalVarContainer()
                for i in range(held.Size()):
                    element = held.Element(i)
                    if (
                        element.Var().Name() == interval.Name()
                        and element.PerformedValue()
                    ):
                        gap = break_gap(starts, services, element.StartValue())
            routes.append(RouteInput(v, tuple(jobs), gap))
        return routes


def unsupported(instance: Instance, matrix: TravelMatrix) -> tuple[str, ...]:
    """What this engine cannot express exactly for `instance`, in words."""
    notes = []
    if is_time_dependent(matrix):
        notes.append(time_dependent_note("OR-Tools"))
    if any(t.max_work_s is not None and t.break_rule for t in instance.technicians):
        notes.append(
            "max work time: bounded as max work + break on the whole day, exact "
            "when the break falls inside the day; a day that ends before or "
            "starts after the break window may run up to the break length over "
            "(the pipeline's evaluator and repair check it)"
        )
    note = work_cost_note(instance, "OR-Tools", exact_integers=True)
    if note:
        notes.append(note)
    return tuple(notes)


class OrToolsEngine:
    """OR-Tools routing with guided local search, on the shared objective."""

    name = "ortools"

    def solve(
        self,
        instance: Instance,
        matrix: TravelMatrix,
        jobs: Sequence[int],
        params: SolveParams,
    ) -> EngineResult:
        """Plan `jobs` over all technicians within `params.time_limit_s`."""
        started = time.perf_counter()
        model = _Model(instance, matrix, jobs)
        search = pywrapcp.DefaultRoutingSearchParameters()
        search.first_solution_strategy = (
            routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
        )
        search.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        remaining_s = max(0.1, params.time_limit_s - (time.perf_counter() - started))
        search.time_limit.FromMilliseconds(int(remaining_s * 1000))
        routing = model.routing
        solutions = [0]

        def on_solution() -> None:
            solutions[0] += 1
            if params.progress is not None:
                params.progress(
                    time.perf_counter() - started, float(routing.CostVar().Value())
                )
            if params.cancel is not None and params.cancel():
                routing.solver().FinishCurrentSearch()

        routing.AddAtSolutionCallback(on_solution)
        solution = routing.SolveWithParameters(search)
        routes = [] if solution is None else model.decode(solution)
        stats = {
            "solve_s": time.perf_counter() - started,
            "solutions": float(solutions[0]),
            "objective": float(solution.ObjectiveValue()) if solution else float("nan"),
        }
        return EngineResult(tuple(routes), unsupported(instance, matrix), stats)
