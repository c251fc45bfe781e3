"""The evaluator: schedule, feasibility, costs and KPIs of any plan."""

from fieldroute.evaluate.schedule import (
    BreakSchedule,
    Evaluation,
    Evaluator,
    Kpis,
    RouteInput,
    RouteSchedule,
    StopSchedule,
)
from fieldroute.evaluate.violations import Violation, ViolationKind

__all__ = [
    "BreakSchedule",
    "Evaluation",
    "Evaluator",
    "Kpis",
    "RouteInput",
    "RouteSchedule",
    "StopSchedule",
    "Violation",
    "ViolationKind",
]
