"""The plan as JSON: the canonical, lossless document, and its JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldroute.model.plan import Plan


def write_plan_json(plan: Plan, path: str | Path) -> None:
    """Write `plan` to `path` as indented JSON with the published field names.

    `by_alias` matters: the document says ``return``/``break``, not the Python
    attribute names ``return_``/``break_``.
    """
    text = plan.model_dump_json(by_alias=True, indent=2)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_plan_json(path: str | Path) -> Plan:
    """Read and validate a plan written by `write_plan_json`."""
    return Plan.model_validate_json(Path(path).read_text(encoding="utf-8"))


def plan_json_schema() -> dict[str, Any]:
    """JSON Schema of the plan document as written (``docs/plan.schema.json``).

    Serialization mode describes what we emit, which is what consumers read.
    """
    return Plan.model_json_schema(by_alias=True, mode="serialization")
