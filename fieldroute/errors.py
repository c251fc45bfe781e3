"""Every error fieldroute raises, with a stable code for the API and the CLI.

::

    FieldrouteError            code "fieldroute_error"
    ├── InputError             code "invalid_input"      bad problem or plan data
    ├── TravelError            code "travel_unavailable" a matrix could not be built
    └── EngineError            code "engine_error"       an engine failed or is missing

`InputError` carries one `InputProblem` per thing wrong, each naming the record
and field (or, for CSV, the file, line and column), so a user can fix all of
them in one pass. Nothing is half-loaded: a loader either returns a whole
problem or raises.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One thing wrong with the input: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class FieldrouteError(Exception):
    """Base of every error raised by fieldroute."""

    code = "fieldroute_error"


class InputError(FieldrouteError, ValueError):
    """The input cannot be used; `problems` lists every reason."""

    code = "invalid_input"

    def __init__(self, problems: list[InputProblem] | InputProblem | str) -> None:
        if isinstance(problems, str):
            problems = [InputProblem("input", problems)]
        elif isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: list[InputProblem] = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class TravelError(FieldrouteError):
    """A travel matrix could not be built (provider down, bad answer...)."""

    code = "travel_unavailable"


class EngineError(FieldrouteError):
    """A solver engine is missing or failed."""

    code = "engine_error"
