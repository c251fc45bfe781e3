"""A broken rule, named so a dispatcher knows what to change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ViolationKind = Literal[
    "late",
    "shift_end_exceeded",
    "missing_skill",
    "outside_territory",
    "pin_broken",
    "stock_exceeded",
    "max_jobs_exceeded",
    "max_work_exceeded",
    "break_not_placed",
    "unreachable",
    "duplicate_job",
    "duplicate_route",
    "unknown_job",
    "unknown_technician",
]


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: its kind, who and which job, by how much, in words.

    `amount` is in the rule's unit: seconds for time rules, items for stock,
    jobs for the job cap, 0 where there is no amount.
    """

    kind: ViolationKind
    technician_id: str | None
    job_id: str | None
    amount: int
    message: str

    def __str__(self) -> str:
        who = f"technician {self.technician_id}" if self.technician_id else "plan"
        return f"{who}: {self.kind}: {self.message}"
