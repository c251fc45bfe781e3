"""JSON Schemas of the problem and plan documents (published in docs/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fieldroute.model.plan import Plan
from fieldroute.model.problem import Problem


def problem_schema() -> dict[str, Any]:
    """JSON Schema of the problem document, as loaders accept it."""
    return Problem.model_json_schema(by_alias=True, mode="validation")


def plan_schema() -> dict[str, Any]:
    """JSON Schema of the plan document, as solves write it."""
    return Plan.model_json_schema(by_alias=True, mode="serialization")


def write_schemas(out_dir: Path) -> list[Path]:
    """Write problem.schema.json and plan.schema.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in (("problem", problem_schema()), ("plan", plan_schema())):
        path = out_dir / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
