"""Every error fieldroute raises, with a stable code for the API and the CLI.

::

    FieldrouteError            code "fieldroute_error"
    ├── InputError             code "invalid_input"      bad problem or plan data
    ├── TravelError            code "travel_unavailable" a matrix could not be built
    ├── EngineError            code "engine_error"       an engine failed or is missing
    └── ServiceError           code "service_error"      the dispatch service refused
        ├── UnauthorizedError  code "unauthorized"       no valid API token
        ├── ForbiddenError     code "forbidden"          the token's role may not
        ├── NotFoundError      code "not_found"          no such record
        ├── ConflictError      code "conflict"           the request clashes with state
        │   ├── AlreadyExistsError   code "already_exists"
        │   ├── VersionConflictError code "version_conflict" edited meanwhile
        │   ├── StalePlanError       code "stale_plan"  jobs changed since the solve
        │   └── InvalidStateError    code "invalid_state" e.g. cancel a finished solve
        └── UnavailableError   code "unavailable"        e.g. no solve worker

The HTTP status of each code is in `fieldroute.api.errors` (one table).

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


class ServiceError(FieldrouteError):
    """The dispatch service refused a request; `detail` may carry data."""

    code = "service_error"

    def __init__(self, message: str, *, detail: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class UnauthorizedError(ServiceError):
    """No API token, or one the service does not know."""

    code = "unauthorized"


class ForbiddenError(ServiceError):
    """The token is valid but its role may not do this (texts reveal nothing)."""

    code = "forbidden"


class NotFoundError(ServiceError):
    """No record with that id."""

    code = "not_found"


class ConflictError(ServiceError):
    """The request clashes with the stored state."""

    code = "conflict"


class AlreadyExistsError(ConflictError):
    """A record with that id exists already; `detail` lists the ids."""

    code = "already_exists"


class VersionConflictError(ConflictError):
    """The record was edited since the client read it; `detail` is the current one."""

    code = "version_conflict"


class StalePlanError(ConflictError):
    """Jobs the plan relies on changed after its solve started (`detail`: ids)."""

    code = "stale_plan"


class InvalidStateError(ConflictError):
    """The record is not in a state that allows this (e.g. a finished solve)."""

    code = "invalid_state"


class UnavailableError(ServiceError):
    """A needed part of the service is down (e.g. the solve workers)."""

    code = "unavailable"
