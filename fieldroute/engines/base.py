"""The engine interface: compile a problem for a solver, solve, decode.

An engine receives the compiled `Instance`, the `TravelMatrix` and the jobs it
may plan (the solve pipeline has already set aside jobs no technician can
ever do), and returns routes as `RouteInput`s. It never computes times or
costs for the caller: the evaluator re-checks every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from fieldroute.evaluate.schedule import RouteInput
from fieldroute.model.instance import Instance
from fieldroute.travel.matrix import TravelMatrix

#: Called now and then with (elapsed seconds, best objective so far or None).
ProgressCallback = Callable[[float, float | None], None]
#: Returns True when the caller wants the solve to stop as soon as possible.
CancelCheck = Callable[[], bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class SolveParams:
    """How long and how to search."""

    time_limit_s: float = 2.0
    seed: int = 0
    #: Stop after this many iterations without improvement (None: never).
    stall_iterations: int | None = None
    progress: ProgressCallback | None = None
    cancel: CancelCheck | None = None

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be > 0.")


@dataclass(frozen=True)
class EngineResult:
    """Routes an engine proposes, and what it could not express."""

    routes: tuple[RouteInput, ...]
    #: Constraints of the problem this engine could not model, in words.
    unsupported: tuple[str, ...] = ()
    stats: dict[str, float] = field(default_factory=dict)


class Engine(Protocol):
    """A solver adapter."""

    name: str

    def solve(
        self,
        instance: Instance,
        matrix: TravelMatrix,
        jobs: Sequence[int],
        params: SolveParams,
    ) -> EngineResult:
        """Plan `jobs` (indices into `instance.jobs`) over all technicians."""
        ...
