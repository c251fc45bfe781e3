"""Loaders: our JSON format and a pair of CSV files, all-or-nothing.

Every loader returns a `Problem` that has passed both the per-field checks
(pydantic) and the cross-record checks (`compile_problem`), or raises one
`InputError` listing every problem found, each naming the record and field
(for CSV: the file, line and column).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fieldroute.errors import InputError, InputProblem
from fieldroute.model.instance import compile_problem
from fieldroute.model.problem import Problem

_RECORD_NAMES = {"technicians": "technician", "jobs": "job"}

Locator = Callable[[tuple[str | int, ...]], str]


def _path_text(parts: tuple[str | int, ...]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def _json_locator(data: Any) -> Locator:
    def locate(loc: tuple[str | int, ...]) -> str:
        if len(loc) >= 2 and loc[0] in _RECORD_NAMES and isinstance(loc[1], int):
            records = data.get(loc[0]) if isinstance(data, Mapping) else None
            record_id: Any = None
            if isinstance(records, list) and loc[1] < len(records):
                record = records[loc[1]]
                if isinstance(record, Mapping):
                    record_id = record.get("id")
            name = _RECORD_NAMES[str(loc[0])]
            who = f"{name} {record_id}" if record_id else f"{name} #{loc[1] + 1}"
            rest = _path_text(loc[2:])
            return f"{who}, field {rest}" if rest else who
        return f"problem, field {_path_text(loc)}" if loc else "problem"

    return locate


def _problems_from(error: ValidationError, locate: Locator) -> list[InputProblem]:
    out = []
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not str(p).startswith("function-"))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        out.append(InputProblem(locate(loc), message))
    return out


def problem_from_dict(data: Any, *, locate: Locator | None = None) -> Problem:
    """Validate a parsed JSON document into a `Problem`, checking every rule."""
    try:
        problem = Problem.model_validate(data)
    except ValidationError as error:
        raise InputError(_problems_from(error, locate or _json_locator(data))) from None
    compile_problem(problem)  # raises InputError on cross-record problems
    return problem


def load_json(path: str | Path) -> Problem:
    """Load a problem from our JSON format (schema: docs/problem.schema.json)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(InputProblem(str(path), "no such file")) from None
    except json.JSONDecodeError as error:
        raise InputError(
            InputProblem(
                f"{path.name} line {error.lineno}, column {error.colno}",
                f"not valid JSON: {error.msg}",
            )
        ) from None
    return problem_from_dict(data)


# --- CSV --------------------------------------------------------------------

TECHNICIAN_COLUMNS = (
    "id",
    "name",
    "start_lat",
    "start_lon",
    "end_lat",
    "end_lon",
    "shift_start",
    "shift_end",
    "skills",
    "max_jobs",
    "max_work_minutes",
    "break_earliest_start",
    "break_latest_end",
    "break_duration_minutes",
    "territory",
    "capacity",
    "cost_per_hour",
)
JOB_COLUMNS = (
    "id",
    "name",
    "lat",
    "lon",
    "duration_minutes",
    "time_windows",
    "required_skills",
    "demand",
    "priority",
    "value",
    "optional",
    "pinned_technician",
    "territory",
    "contact",
)
_REQUIRED = {
    "technicians": ("id", "start_lat", "start_lon"),
    "jobs": ("id", "lat", "lon", "duration_minutes"),
}
# Which CSV column a field path of the JSON model came from.
_TECH_FIELD_COLUMN: dict[tuple[str, ...], str] = {
    ("start", "lat"): "start_lat",
    ("start", "lon"): "start_lon",
    ("end", "lat"): "end_lat",
    ("end", "lon"): "end_lon",
    ("shift", "start"): "shift_start",
    ("shift", "end"): "shift_end",
    ("break", "earliest_start"): "break_earliest_start",
    ("break", "latest_end"): "break_latest_end",
    ("break", "duration_minutes"): "break_duration_minutes",
}
_JOB_FIELD_COLUMN: dict[tuple[str, ...], str] = {
    ("location", "lat"): "lat",
    ("location", "lon"): "lon",
}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _pairs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in _split(text):
        key, _, count = part.partition("=")
        out[key.strip()] = count.strip()
    return out


def _windows(text: str) -> list[dict[str, str]]:
    out = []
    for part in _split(text):
        start, sep, end = part.partition("-")
        if not sep:
            # An ISO pair cannot use '-' as separator; accept '/' as ISO does.
            start, _, end = part.partition("/")
        elif "T" in part:
            start, _, end = part.partition("/")
        out.append({"start": start.strip(), "end": end.strip()})
    return out


def _bool(text: str) -> str:
    return {
        "yes": "true",
        "y": "true",
        "1": "true",
        "no": "false",
        "n": "false",
        "0": "false",
    }.get(text.lower(), text)


def _technician_record(row: dict[str, str]) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": row["id"], "name": row.get("name", "")}
    rec["start"] = {"lat": row["start_lat"], "lon": row["start_lon"]}
    if row.get("end_lat") or row.get("end_lon"):
        rec["end"] = {"lat": row.get("end_lat", ""), "lon": row.get("end_lon", "")}
    shift = {k: row[f"shift_{k}"] for k in ("start", "end") if row.get(f"shift_{k}")}
    if shift:
        rec["shift"] = shift
    rec["skills"] = _split(row.get("skills", ""))
    for key in ("max_jobs", "max_work_minutes", "territory", "cost_per_hour"):
        if row.get(key):
            rec[key] = row[key]
    brk = {
        k: row[f"break_{k}"]
        for k in ("earliest_start", "latest_end", "duration_minutes")
        if row.get(f"break_{k}")
    }
    if brk:
        rec["break"] = brk
    if row.get("capacity"):
        rec["capacity"] = _pairs(row["capacity"])
    return rec


def _job_record(row: dict[str, str]) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": row["id"], "name": row.get("name", "")}
    rec["location"] = {"lat": row["lat"], "lon": row["lon"]}
    rec["duration_minutes"] = row["duration_minutes"]
    rec["time_windows"] = _windows(row.get("time_windows", ""))
    rec["required_skills"] = _split(row.get("required_skills", ""))
    if row.get("demand"):
        rec["demand"] = _pairs(row["demand"])
    for key in ("priority", "value", "pinned_technician", "territory", "contact"):
        if row.get(key):
            rec[key] = row[key]
    if row.get("optional"):
        rec["optional"] = _bool(row["optional"])
    return rec


def _read_csv(
    path: Path, kind: str, known: tuple[str, ...], problems: list[InputProblem]
) -> tuple[list[dict[str, str]], list[int]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(InputProblem(str(path), "no such file"))
        return [], []
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    for column in _REQUIRED[kind]:
        if column not in header:
            problems.append(
                InputProblem(f"{path.name} line 1", f"missing column {column}")
            )
    for column in header:
        if column not in known:
            problems.append(
                InputProblem(f"{path.name} line 1, column {column}", "unknown column")
            )
    rows, lines = [], []
    for row in reader:
        clean = {
            (k or "").strip(): (v or "").strip()
            for k, v in row.items()
            if isinstance(v, str | None)
        }
        if not any(clean.values()):
            continue
        rows.append(clean)
        lines.append(reader.line_num)
    return rows, lines


def load_csv(
    technicians_csv: str | Path,
    jobs_csv: str | Path,
    *,
    date: str,
    timezone: str,
    extra: Mapping[str, Any] | None = None,
) -> Problem:
    """Load a problem from `technicians.csv` and `jobs.csv` (columns: README).

    `extra` may carry the rest of the problem document (objective, options,
    skills, name). Lists inside a cell are separated by ``;``; stock is
    ``item=count``; windows are ``HH:MM-HH:MM``.
    """
    tech_path, job_path = Path(technicians_csv), Path(jobs_csv)
    problems: list[InputProblem] = []
    tech_rows, tech_lines = _read_csv(
        tech_path, "technicians", TECHNICIAN_COLUMNS, problems
    )
    job_rows, job_lines = _read_csv(job_path, "jobs", JOB_COLUMNS, problems)
    if problems:
        raise InputError(problems)

    data: dict[str, Any] = dict(extra or {})
    data.update(
        date=date,
        timezone=timezone,
        technicians=[_technician_record(r) for r in tech_rows],
        jobs=[_job_record(r) for r in job_rows],
    )

    def locate(loc: tuple[str | int, ...]) -> str:
        if (
            len(loc) >= 2
            and loc[0] in ("technicians", "jobs")
            and isinstance(loc[1], int)
        ):
            is_tech = loc[0] == "technicians"
            path, lines = (tech_path, tech_lines) if is_tech else (job_path, job_lines)
            field = tuple(str(p) for p in loc[2:] if not isinstance(p, int))
            mapping = _TECH_FIELD_COLUMN if is_tech else _JOB_FIELD_COLUMN
            column = mapping.get(field[:2], field[0] if field else "")
            where = f"{path.name} line {lines[loc[1]]}"
            return f"{where}, column {column}" if column else where
        return _json_locator(data)(loc)

    try:
        problem = Problem.model_validate(data)
    except ValidationError as error:
        raise InputError(_problems_from(error, locate)) from None
    try:
        compile_problem(problem)
    except InputError as error:
        raise InputError(
            [
                _csv_where(p, problem, tech_path, tech_lines, job_path, job_lines)
                for p in error.problems
            ]
        ) from None
    return problem


def _csv_where(
    problem_item: InputProblem,
    problem: Problem,
    tech_path: Path,
    tech_lines: list[int],
    job_path: Path,
    job_lines: list[int],
) -> InputProblem:
    """Re-address a cross-record problem ('job J1, field x') to its CSV cell."""
    head, _, field = problem_item.where.partition(", field ")
    kind, _, record_id = head.partition(" ")
    records: list[Any]
    if kind == "job":
        records, path, lines, mapping = (
            problem.jobs,
            job_path,
            job_lines,
            _JOB_FIELD_COLUMN,
        )
    elif kind == "technician":
        records, path, lines, mapping = (
            problem.technicians,
            tech_path,
            tech_lines,
            _TECH_FIELD_COLUMN,
        )
    else:
        return problem_item
    index = next(
        (i for i, r in enumerate(records) if getattr(r, "id", None) == record_id), None
    )
    if index is None:
        return problem_item
    parts = tuple(p.split("[")[0] for p in field.split(".")) if field else ()
    column = mapping.get(parts[:2], parts[0] if parts else "")
    where = f"{path.name} line {lines[index]}" + (
        f", column {column}" if column else ""
    )
    return InputProblem(where, f"{kind} {record_id}: {problem_item.message}")


def load_problem(
    path: str | Path, *, date: str | None = None, timezone: str | None = None
) -> Problem:
    """Load a JSON problem file, or a folder with technicians.csv and jobs.csv.

    A folder may also hold a ``problem.json`` with the non-tabular parts
    (date, timezone, objective, options); `date`/`timezone` override it.
    """
    path = Path(path)
    if path.is_dir():
        extra: dict[str, Any] = {}
        settings = path / "problem.json"
        if settings.exists():
            extra = json.loads(settings.read_text(encoding="utf-8"))
            extra.pop("technicians", None)
            extra.pop("jobs", None)
        day = date or extra.pop("date", None)
        zone = timezone or extra.pop("timezone", None)
        extra.pop("date", None)
        extra.pop("timezone", None)
        missing = [n for n, v in (("date", day), ("timezone", zone)) if not v]
        if missing:
            raise InputError(
                InputProblem(
                    str(path),
                    f"give the {' and '.join(missing)} (options --date/--timezone "
                    "or a problem.json beside the CSV files)",
                )
            )
        assert day is not None and zone is not None
        return load_csv(
            path / "technicians.csv",
            path / "jobs.csv",
            date=day,
            timezone=zone,
            extra=extra,
        )
    return load_json(path)
