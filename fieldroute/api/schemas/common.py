"""Pieces every resource's schemas share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import Field

#: The version a client read; an edit made from an older one gets 409.
ReadVersion = Annotated[
    int,
    Field(
        ge=1,
        le=2**31 - 1,
        description="The `version` of the record as you read it; if someone "
        "edited it since, the edit is refused with 409 and the current record.",
    ),
]

#: Largest integer a 32-bit database column holds; bounds what reaches SQL.
MAX_INT32 = 2**31 - 1

#: Paging: how many records to pass over, and how many to return.
Skip = Annotated[int, Query(ge=0, le=MAX_INT32)]
Limit = Annotated[int, Query(ge=1, le=1000)]
