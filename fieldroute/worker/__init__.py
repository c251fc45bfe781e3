"""Background solves: the runner interface, a process-pool runner, the task."""

from fieldroute.worker.runner import ProcessSolveRunner, SolveRunner
from fieldroute.worker.task import run_solve

__all__ = ["ProcessSolveRunner", "SolveRunner", "run_solve"]
