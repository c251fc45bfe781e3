"""Validate a stored or merged record into its domain model, naming field paths."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from fieldroute.errors import InputError, InputProblem


def field_path(prefix: str, loc: tuple[int | str, ...]) -> str:
    """``("body", "location", "lat")`` style paths as ``body.location.lat``."""
    text = prefix
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not str(part).startswith("function-"):
            text += ("." if text else "") + str(part)
    return text


def problems_of(error: ValidationError, prefix: str) -> list[InputProblem]:
    """One `InputProblem` per pydantic error, its `where` the field path."""
    return [
        InputProblem(
            field_path(prefix, tuple(item["loc"])),
            "unknown field"
            if item["type"] == "extra_forbidden"
            else item["msg"].removeprefix("Value error, "),
        )
        for item in error.errors(include_url=False)
    ]


def validate_as[M: BaseModel](model: type[M], data: Any, *, prefix: str = "body") -> M:
    """`model.model_validate(data)`, raising `InputError` with field paths."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_of(error, prefix)) from None
