"""Benchmark rows to a CSV file and a markdown report with averages."""

from __future__ import annotations

import csv
import dataclasses
import statistics
from collections.abc import Sequence
from pathlib import Path

from fieldroute.bench.runner import BenchRow


def write_csv(rows: Sequence[BenchRow], path: Path) -> None:
    """One line per (instance, engine), every field of `BenchRow`."""
    fields = [f.name for f in dataclasses.fields(BenchRow)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow(dataclasses.asdict(row))


def read_csv(path: Path) -> list[BenchRow]:
    """Rows written by `write_csv`, back as `BenchRow`s."""
    types = {f.name: f.type for f in dataclasses.fields(BenchRow)}
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            values: dict[str, object] = {}
            for name, text in record.items():
                kind = str(types[name])
                if text == "" and "None" in kind:
                    values[name] = None
                elif kind.startswith("bool"):
                    values[name] = text == "True"
                elif kind.startswith("int"):
                    values[name] = int(text)
                elif kind.startswith("float"):
                    values[name] = float(text)
                else:
                    values[name] = text
            rows.append(BenchRow(**values))  # type: ignore[arg-type]
    return rows


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def summary(rows: Sequence[BenchRow], engines: Sequence[str]) -> list[dict[str, str]]:
    """Averages per group and engine, then overall, as display strings."""
    groups = list(dict.fromkeys(r.group for r in rows))
    out = []
    for group in [*groups, "all"]:
        for engine in engines:
            mine = [r for r in rows if r.engine == engine and group in ("all", r.group)]
            if not mine:
                continue
            gaps = [r.gap_pct for r in mine if r.gap_pct is not None]
            savings = [
                r.drive_saving_pct for r in mine if r.drive_saving_pct is not None
            ]
            out.append(
                {
                    "group": group,
                    "engine": engine,
                    "instances": str(len(mine)),
                    "complete": str(sum(r.complete for r in mine)),
                    "mean gap %": _num(_mean(gaps)),
                    "best": str(sum(r.best for r in mine)),
                    "mean routes": _num(_mean([r.routes for r in mine]), 1),
                    "unassigned": str(sum(r.unassigned for r in mine)),
                    "mandatory unassigned": str(
                        sum(r.mandatory_unassigned for r in mine)
                    ),
                    "violations": str(sum(r.violations for r in mine)),
                    "drive saving vs hand-made %": _num(_mean(savings), 1),
                    "mean wall s": _num(_mean([r.wall_s for r in mine]), 1),
                    "errors": str(sum(bool(r.error) for r in mine)),
                }
            )
    return out


def _table(records: Sequence[dict[str, str]]) -> list[str]:
    if not records:
        return ["(no rows)"]
    head = list(records[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r[h] for h in head) + " |" for r in records]
    return lines


def markdown(
    rows: Sequence[BenchRow],
    engines: Sequence[str],
    *,
    title: str,
    command: str,
    notes: Sequence[str] = (),
) -> str:
    """The report: how it was made, averages, then every instance."""
    lines = [f"# {title}", "", "Made with:", "", "```", command, "```", ""]
    lines += [f"{n}" for n in notes]
    lines += ["", "## Averages by class and overall", ""]
    lines += _table(summary(rows, engines))
    lines += [
        "",
        "`complete` = every mandatory job planned and no violation; the mean gap "
        "is over complete plans only; `best` counts instances where the engine "
        "found the best plan of the run (ties count for each).",
        "",
        "## Every instance",
        "",
    ]
    per_instance = [
        {
            "instance": r.instance,
            "engine": r.engine,
            "cost": _num(r.cost),
            "reference": _num(r.reference),
            "gap %": _num(r.gap_pct),
            "routes": str(r.routes),
            "unassigned": f"{r.unassigned} ({r.mandatory_unassigned} mandatory)",
            "violations": str(r.violations),
            "drive h": _num(r.drive_s / 3600, 2),
            "hand-made drive h": _num(r.baseline_drive_s / 3600, 2),
            "wall s": _num(r.wall_s, 1),
            "note": r.error or ("best" if r.best else ""),
        }
        for r in rows
    ]
    lines += _table(per_instance)
    unsupported = sorted({(r.engine, r.unsupported) for r in rows if r.unsupported})
    if unsupported:
        lines += ["", "## What each engine reported it could not express", ""]
        for engine, text in unsupported:
            for part in text.split(" | "):
                line = f"- {engine}: {part}"
                if line not in lines:
                    lines.append(line)
    return "\n".join(lines) + "\n"
