from __future__ import annotations

import json
from pathlib import Path

from fieldroute.model.plan import Plan
from fieldroute.output import (
    plan_json_schema,
    read_plan_json,
    write_plan_json,
    write_schemas,
)


def test_round_trip_equals_plan(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_plan_json(plan, path)
    assert read_plan_json(path) == plan


def test_uses_published_names(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_plan_json(plan, path)
    route = json.loads(path.read_text(encoding="utf-8"))["routes"][0]
    assert "return" in route and "return_" not in route
    assert "break" in route and "break_" not in route


def test_schema_describes_the_document(plan: Plan) -> None:
    schema = plan_json_schema()
    assert schema["title"] == "Plan"
    assert set(schema["required"]) >= {"date", "routes", "unassigned", "kpis"}
    route = schema["$defs"]["PlannedRoute"]["properties"]
    assert "return" in route and "break" in route
    json.dumps(schema)  # serialisable as written to docs/plan.schema.json


def test_published_schemas_are_current(tmp_path: Path) -> None:
    """docs/*.schema.json are generated: `make schema` after a model change."""
    docs = Path(__file__).parents[2] / "docs"
    for fresh in write_schemas(tmp_path):
        published = docs / fresh.name
        assert published.read_text(encoding="utf-8") == fresh.read_text(
            encoding="utf-8"
        )
