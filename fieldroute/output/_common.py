"""What every map-like output shares: technician colours and places, job lookup."""

from __future__ import annotations

from dataclasses import dataclass

from fieldroute.model.plan import Plan
from fieldroute.model.problem import Job, Location, Problem

# Twelve colours that stay apart from each other on white and for the common
# colour-vision deficiencies (Tableau 10 plus two dark extras). Yellow-ish
# tones are avoided: white stop numbers and labels must stay legible on them.
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#843c39",
)

UNASSIGNED_COLOUR = "#555555"


@dataclass(frozen=True, slots=True)
class Places:
    """Where a technician's day starts and ends."""

    start: Location
    end: Location


def technician_colours(plan: Plan, problem: Problem) -> dict[str, str]:
    """Colour of every technician, keyed by id.

    Colours follow the technician's position in the problem, not in the plan,
    so a person keeps their colour when a re-plan drops or adds routes.
    Technicians only the plan knows come after, so nothing is left uncoloured.
    """
    ids = [tech.id for tech in problem.technicians]
    ids += [r.technician_id for r in plan.routes if r.technician_id not in ids]
    return {tid: PALETTE[i % len(PALETTE)] for i, tid in enumerate(ids)}


def technician_places(problem: Problem) -> dict[str, Places]:
    """Start and end place of every technician; the end defaults to the start."""
    return {
        tech.id: Places(start=tech.start, end=tech.end or tech.start)
        for tech in problem.technicians
    }


def jobs_by_id(problem: Problem) -> dict[str, Job]:
    """The problem's jobs keyed by id (unassigned entries carry no location)."""
    return {job.id: job for job in problem.jobs}
