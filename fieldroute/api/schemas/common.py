"""Pieces every resource's schemas share."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

#: The version a client read; an edit made from an older one gets 409.
ReadVersion = Annotated[
    int,
    Field(
        ge=1,
        description="The `version` of the record as you read it; if someone "
        "edited it since, the edit is refused with 409 and the current record.",
    ),
]
