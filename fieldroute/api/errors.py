"""HTTP face of `fieldroute.errors`: one status per code, one JSON shape.

Every error response is ``{"code", "message", "problems", "detail"}``:
`code` is stable (see the tree in `fieldroute.errors`), `problems` names
each field path that is wrong (``body.location.lat``), `detail` carries data
such as the current record on a version conflict.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from fieldroute.errors import (
    ConflictError,
    EngineError,
    FieldrouteError,
    ForbiddenError,
    InputError,
    InputProblem,
    NotFoundError,
    ServiceError,
    TravelError,
    UnauthorizedError,
    UnavailableError,
)
from fieldroute.store.validation import field_path

log = logging.getLogger(__name__)

#: The one table of HTTP statuses; a subclass takes its nearest ancestor's.
HTTP_STATUS: dict[type[FieldrouteError], int] = {
    FieldrouteError: 500,
    InputError: 422,
    TravelError: 503,
    EngineError: 500,
    ServiceError: 400,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    UnavailableError: 503,
}


class ProblemPublic(BaseModel):
    """One thing wrong: where (a field path) and what."""

    where: str
    message: str


class ErrorPublic(BaseModel):
    """The body of every error response."""

    code: str
    message: str
    problems: list[ProblemPublic] = []
    detail: Any = None


def status_of(error: FieldrouteError) -> int:
    """The HTTP status for `error`, from the nearest class in `HTTP_STATUS`."""
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500


def error_response(
    status: int,
    code: str,
    message: str,
    problems: list[InputProblem] | None = None,
    detail: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response in the one shape."""
    body = ErrorPublic(
        code=code,
        message=message,
        problems=[
            ProblemPublic(where=p.where, message=p.message) for p in problems or []
        ],
        detail=jsonable_encoder(detail),
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _fieldroute_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, FieldrouteError)
    status = status_of(error)
    if status >= 500:
        log.error("request failed: %s", error, exc_info=error)
    problems = error.problems if isinstance(error, InputError) else None
    message = error.message if isinstance(error, ServiceError) else str(error)
    if isinstance(error, InputError):
        message = "the request is not valid: see problems"
    detail = error.detail if isinstance(error, ServiceError) else None
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return error_response(status, error.code, message, problems, detail, headers)


def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [
        InputProblem(
            field_path("", tuple(item["loc"])),
            "unknown field"
            if item.get("type") == "extra_forbidden"
            else str(item.get("msg", "invalid")).removeprefix("Value error, "),
        )
        for item in error.errors()
    ]
    return error_response(
        422, InputError.code, "the request is not valid: see problems", problems
    )


def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    codes = {
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
    }
    return error_response(
        error.status_code,
        codes.get(error.status_code, "http_error"),
        str(error.detail),
        headers=dict(error.headers) if error.headers else None,
    )


def _unexpected(_request: Request, error: Exception) -> JSONResponse:
    log.error("unexpected error", exc_info=error)
    return error_response(500, "internal_error", "internal error")


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one JSON shape."""
    app.add_exception_handler(FieldrouteError, _fieldroute_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


#: Documented error responses, for the OpenAPI description of each route.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorPublic, "description": text}
    for status, text in (
        (400, "The body could not be read (not JSON, say)."),
        (401, "No valid API token."),
        (403, "The token's role may not do this."),
        (404, "No such record."),
        (409, "Conflict with the stored state (see code)."),
        (422, "The request is not valid: problems name each field path."),
    )
}
