"""Solver engines behind one interface; PyVRP is the default.

Peer engines (OR-Tools, VROOM) need the optional extra ``fieldroute[peers]``
and are imported only when asked for.
"""

from __future__ import annotations

from importlib import import_module

from fieldroute.engines.base import Engine, EngineResult, SolveParams
from fieldroute.errors import EngineError

ENGINES = {
    "pyvrp": ("fieldroute.engines.pyvrp", "PyVRPEngine"),
    "ortools": ("fieldroute.engines.ortools", "OrToolsEngine"),
    "vroom": ("fieldroute.engines.vroom", "VroomEngine"),
}


def get_engine(name: str) -> Engine:
    """The engine called `name` (one of `ENGINES`)."""
    try:
        module_name, class_name = ENGINES[name]
    except KeyError:
        msg = f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}"
        raise EngineError(msg) from None
    try:
        module = import_module(module_name)
    except ImportError as error:
        msg = (
            f"engine {name!r} is not installed ({error.name} missing): "
            "pip install 'fieldroute[peers]'"
        )
        raise EngineError(msg) from None
    engine: Engine = getattr(module, class_name)()
    return engine


__all__ = ["ENGINES", "Engine", "EngineResult", "SolveParams", "get_engine"]
