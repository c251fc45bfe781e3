"""Who may do which job, by the static rules: skills, territory, pin, stock.

The evaluator reports a broken rule as a violation; engines use the same
function to forbid technician-job pairs; the unassigned-job reasons quote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fieldroute.model.instance import JobData, TechnicianData

RuleKind = Literal["missing_skill", "outside_territory", "pin_broken", "stock_exceeded"]


@dataclass(frozen=True, slots=True)
class RuleBreach:
    """Why technician `tech` may not do `job`, in words a dispatcher can act on."""

    kind: RuleKind
    detail: str


def ineligibility(tech: TechnicianData, job: JobData) -> list[RuleBreach]:
    """Every static rule that forbids `tech` from doing `job` (empty: allowed)."""
    out: list[RuleBreach] = []
    missing = job.skills - tech.skills
    if missing:
        out.append(
            RuleBreach("missing_skill", f"lacks skill {', '.join(sorted(missing))}")
        )
    if (
        tech.territory is not None
        and job.territory is not None
        and tech.territory != job.territory
    ):
        out.append(
            RuleBreach(
                "outside_territory",
                f"works territory {tech.territory}, job is in {job.territory}",
            )
        )
    if job.pinned is not None and job.pinned != tech.index:
        out.append(RuleBreach("pin_broken", "job is pinned to another technician"))
    short = [
        item for item, need in job.demand.items() if tech.capacity.get(item, 0) < need
    ]
    if short:
        out.append(
            RuleBreach(
                "stock_exceeded", f"carries too little {', '.join(sorted(short))}"
            )
        )
    return out
