"""JSON Schemas of the problem and plan documents (published in docs/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fieldroute.model.problem import Problem
from fieldroute.output.plan_json import plan_json_schema


def problem_json_schema() -> dict[str, Any]:
    """JSON Schema of the problem document, as loaders accept it."""
    return Problem.model_json_schema(by_alias=True, mode="validation")


def write_schemas(out_dir: Path) -> list[Path]:
    """Write problem.schema.json and plan.schema.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in (
        ("problem", problem_json_schema()),
        ("plan", plan_json_schema()),
    ):
        path = out_dir / f"{name}.schema.json"
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written
