"""Orchestration: matrix -> engine -> breaks -> evaluate -> plan."""

from fieldroute.solve.baseline import handmade_routes, nearest_first
from fieldroute.solve.check import check_routes, routes_from_document
from fieldroute.solve.pipeline import SolveOutcome, build_matrix, solve, solve_instance
from fieldroute.solve.reasons import Reason, explain_unassigned, impossible_jobs
from fieldroute.solve.repair import make_feasible
from fieldroute.solve.report import to_plan

__all__ = [
    "Reason",
    "SolveOutcome",
    "build_matrix",
    "check_routes",
    "explain_unassigned",
    "handmade_routes",
    "impossible_jobs",
    "make_feasible",
    "nearest_first",
    "routes_from_document",
    "solve",
    "solve_instance",
    "to_plan",
]
