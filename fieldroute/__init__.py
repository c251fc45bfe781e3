"""fieldroute: plan and keep on track the working day of field teams."""

from fieldroute.engines import Engine, EngineResult, SolveParams, get_engine
from fieldroute.errors import (
    EngineError,
    FieldrouteError,
    InputError,
    InputProblem,
    TravelError,
)
from fieldroute.evaluate import (
    Evaluation,
    Evaluator,
    RouteInput,
    RouteSchedule,
    Violation,
)
from fieldroute.model import (
    Instance,
    Job,
    Location,
    Objective,
    Options,
    Problem,
    Technician,
    TimeWindow,
    compile_problem,
    load_csv,
    load_json,
    load_problem,
    problem_from_dict,
)
from fieldroute.model.plan import Plan
from fieldroute.solve import check_routes, handmade_routes, solve, solve_instance
from fieldroute.travel import (
    HaversineProvider,
    MatrixProvider,
    StaticMatrixProvider,
    TravelMatrix,
)

__version__ = "0.1.0"

__all__ = [
    "Engine",
    "EngineError",
    "EngineResult",
    "Evaluation",
    "Evaluator",
    "FieldrouteError",
    "HaversineProvider",
    "InputError",
    "InputProblem",
    "Instance",
    "Job",
    "Location",
    "MatrixProvider",
    "Objective",
    "Options",
    "Plan",
    "Problem",
    "RouteInput",
    "RouteSchedule",
    "SolveParams",
    "StaticMatrixProvider",
    "Technician",
    "TimeWindow",
    "TravelError",
    "TravelMatrix",
    "Violation",
    "__version__",
    "check_routes",
    "compile_problem",
    "get_engine",
    "handmade_routes",
    "load_csv",
    "load_json",
    "load_problem",
    "problem_from_dict",
    "solve",
    "solve_instance",
]
