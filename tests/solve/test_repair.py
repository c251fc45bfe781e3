"""Insertion places for left-out jobs, cheapest detour first."""

from __future__ import annotations

from fieldroute.solve.repair import cheapest_position, positions_by_detour
from tests.factories import evaluator_for, job, problem, technician


def test_places_are_ranked_by_the_driving_they_add() -> None:
    """Home -> A -> B -> home with X halfway between A and B: between them
    adds nothing, next to home adds the most."""
    prob = problem([technician("T1")], [job("A"), job("B"), job("X")])
    legs = {
        ("T1:start", "A"): 600,
        ("A", "B"): 600,
        ("B", "T1:start"): 600,
        ("A", "X"): 300,
        ("X", "B"): 300,
        ("T1:start", "X"): 900,
    }
    evaluator = evaluator_for(prob, legs)
    # Detours: before A 900+300-600, between A and B 0, after B 300+900-600.
    assert positions_by_detour(evaluator, 0, (0, 1), 2) == [1, 0, 2]
    assert cheapest_position(evaluator, 0, (0, 1), 2) == 1
