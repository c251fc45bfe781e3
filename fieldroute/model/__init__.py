"""Domain types, validation and loaders."""

from fieldroute.model.clock import DayClock
from fieldroute.model.instance import (
    BreakRule,
    Instance,
    JobData,
    TechnicianData,
    compile_problem,
)
from fieldroute.model.load import load_csv, load_json, load_problem, problem_from_dict
from fieldroute.model.problem import (
    Break,
    Job,
    Location,
    Objective,
    Options,
    Problem,
    Shift,
    Technician,
    TimeWindow,
    TravelOptions,
)

__all__ = [
    "Break",
    "BreakRule",
    "DayClock",
    "Instance",
    "Job",
    "JobData",
    "Location",
    "Objective",
    "Options",
    "Problem",
    "Shift",
    "Technician",
    "TechnicianData",
    "TimeWindow",
    "TravelOptions",
    "compile_problem",
    "load_csv",
    "load_json",
    "load_problem",
    "problem_from_dict",
]
