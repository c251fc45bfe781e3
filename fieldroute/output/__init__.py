"""Writers of a solved plan: JSON, GeoJSON, CSV and a self-contained HTML map."""

from fieldroute.output.geojson import plan_geojson, write_geojson
from fieldroute.output.html_map import render_html_map, write_html_map
from fieldroute.output.plan_json import (
    plan_json_schema,
    read_plan_json,
    write_plan_json,
)
from fieldroute.output.schemas import problem_json_schema, write_schemas
from fieldroute.output.stops_csv import COLUMNS as CSV_COLUMNS
from fieldroute.output.stops_csv import plan_rows, write_stops_csv

__all__ = [
    "CSV_COLUMNS",
    "plan_geojson",
    "plan_json_schema",
    "plan_rows",
    "problem_json_schema",
    "read_plan_json",
    "render_html_map",
    "write_geojson",
    "write_html_map",
    "write_plan_json",
    "write_schemas",
    "write_stops_csv",
]
