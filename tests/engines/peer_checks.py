"""Checks shared by the peer-engine tests (OR-Tools, VROOM)."""

from __future__ import annotations

from fieldroute.bench.generate import generate_day
from fieldroute.engines.base import Engine, EngineResult, SolveParams
from fieldroute.evaluate import Evaluator
from fieldroute.model import compile_problem
from fieldroute.model.instance import Instance
from fieldroute.solve import build_matrix, solve_instance
from fieldroute.travel import HaversineProvider, TravelMatrix

#: Violation kinds an engine may leave when it says it cannot model the rule.
EXCUSED_BY = {"max_work_exceeded": "max work time"}


class RushHourMatrix(TravelMatrix):
    """Legs leaving between 07:00 and 09:00 take twice as long."""

    def travel_s(self, origin: int, destination: int, depart_s: int) -> int:
        base = int(self.duration_s[origin, destination])
        return 2 * base if 7 * 3600 <= depart_s < 9 * 3600 else base


def day(jobs: int, technicians: int, seed: int) -> tuple[Instance, TravelMatrix]:
    instance = compile_problem(generate_day(jobs, technicians, seed=seed))
    return instance, build_matrix(instance, HaversineProvider())


def raw_violations_are_excused(
    instance: Instance, matrix: TravelMatrix, result: EngineResult
) -> None:
    """Every rule the engine's own routes break is one it reported it cannot
    model; every planned job appears once."""
    evaluation = Evaluator(instance, matrix).plan(result.routes)
    notes = " ".join(result.unsupported)
    for violation in evaluation.violations:
        excuse = EXCUSED_BY.get(violation.kind)
        assert excuse is not None and excuse in notes, str(violation)


def pipeline_is_feasible(
    engine: Engine, instance: Instance, matrix: TravelMatrix
) -> None:
    """Through the solve pipeline the plan breaks no rule and plans every
    mandatory job the day can hold."""
    outcome = solve_instance(
        instance, matrix, engine=engine, params=SolveParams(time_limit_s=0.5)
    )
    assert outcome.evaluation.violations == ()
    assert set(outcome.reasons) == set(outcome.evaluation.unassigned)
