"""The problem as users write it: pydantic models that validate at the edge.

Units at this edge are the ones people use: minutes, clock times, kilometres
per hour, lat/lon degrees. `fieldroute.model.instance.compile_problem` turns a
valid `Problem` into integer seconds and metres for everything inside.

Conventions: a time window constrains the *start of service* (arrival may be
earlier and then the technician waits); windows are inclusive; several windows
on a job mean "any one of them". Priority runs from 1 (lowest) to 5 (highest).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from fieldroute.model.clock import check_time_text, parse_timezone

ClockTime = Annotated[
    str,
    AfterValidator(check_time_text),
    Field(
        description="Local clock time 'HH:MM[:SS]' on the problem's date, or an "
        "ISO-8601 datetime (read in the problem's time zone if it has no offset).",
        examples=["08:00", "2026-11-23T13:30:00+02:00"],
    ),
]
Identifier = Annotated[str, Field(min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Location(_Model):
    """A point on Earth in WGS84 degrees."""

    lat: float = Field(ge=-90, le=90, description="Latitude in degrees.")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees.")

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, data: Any) -> Any:
        if isinstance(data, list | tuple) and len(data) == 2:
            return {"lat": data[0], "lon": data[1]}
        return data


class TimeWindow(_Model):
    """An inclusive interval in which service may start."""

    start: ClockTime
    end: ClockTime


class Shift(_Model):
    """When a technician may leave the start place and must be back at the end."""

    start: ClockTime = "08:00"
    end: ClockTime = "17:00"


class Break(_Model):
    """A break of `duration_minutes`, wholly inside [earliest_start, latest_end]."""

    earliest_start: ClockTime
    latest_end: ClockTime
    duration_minutes: float = Field(gt=0, le=24 * 60)


class Technician(_Model):
    """A person with a vehicle, a shift, skills, caps, stock and a break."""

    id: Identifier
    name: str = ""
    start: Location
    end: Location | None = Field(
        default=None, description="Where the day ends; defaults to `start`."
    )
    shift: Shift = Shift()
    skills: list[Identifier] = []
    max_jobs: int | None = Field(default=None, ge=0)
    max_work_minutes: float | None = Field(
        default=None,
        gt=0,
        le=24 * 60,
        description="Cap on travel + service + waiting between leaving and "
        "returning (the break does not count).",
    )
    break_: Break | None = Field(default=None, alias="break")
    territory: Identifier | None = Field(
        default=None,
        description="Service area: the technician takes only jobs of this "
        "territory or jobs without one. None = may work anywhere.",
    )
    capacity: dict[Identifier, int] = Field(
        default={},
        description="Stock carried, per item; an item not listed is not carried.",
    )
    cost_per_hour: float = Field(
        default=0.0, ge=0, description="Cost of one hour of this technician's work."
    )

    @field_validator("capacity")
    @classmethod
    def _stock_non_negative(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [item for item, count in value.items() if count < 0]
        if bad:
            msg = f"stock of {', '.join(map(repr, bad))} must be >= 0"
            raise ValueError(msg)
        return value


class Job(_Model):
    """One visit at a customer's site."""

    id: Identifier
    name: str = ""
    location: Location
    duration_minutes: float = Field(ge=0, le=24 * 60)
    time_windows: list[TimeWindow] = Field(
        default=[], description="Zero or more; several mean 'any one of them'."
    )
    required_skills: list[Identifier] = []
    demand: dict[Identifier, int] = Field(
        default={}, description="Stock used, per item of technician capacity."
    )
    priority: int = Field(default=3, ge=1, le=5, description="1 lowest, 5 highest.")
    value: float = Field(default=0.0, ge=0)
    optional: bool = Field(
        default=False, description="A prospect or fill-in: done only if worth it."
    )
    pinned_technician: Identifier | None = None
    territory: Identifier | None = None
    contact: str | None = Field(default=None, description="Free text for notices.")

    @field_validator("demand")
    @classmethod
    def _demand_non_negative(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [item for item, count in value.items() if count < 0]
        if bad:
            msg = f"demand of {', '.join(map(repr, bad))} must be >= 0"
            raise ValueError(msg)
        return value


class Objective(_Model):
    """Weights of the cost the solver minimises, in the same unit as job values.

    cost = drive hours x `drive_time_per_hour` + km x `distance_per_km`
    + work hours x each technician's `cost_per_hour`
    - value of optional jobs done x `value_weight`.
    Mandatory jobs are always preferred to any saving; among them the solver
    drops the lowest priority first when not all fit.
    """

    drive_time_per_hour: float = Field(default=60.0, ge=0)
    distance_per_km: float = Field(default=0.0, ge=0)
    value_weight: float = Field(default=1.0, ge=0)


class SlowTraffic(_Model):
    """Roads are slower by `speed_factor` during a period of the day."""

    start: str = Field(pattern=r"^\d{1,2}:\d{2}$", examples=["07:00"])
    end: str = Field(pattern=r"^\d{1,2}:\d{2}$", examples=["09:00"])
    speed_factor: float = Field(
        gt=0, le=1.5, description="Speed / free-flow speed, e.g. 0.6 = 40 % slower."
    )
    weekdays: list[int] = Field(
        default=[0, 1, 2, 3, 4], description="0 = Monday ... 6 = Sunday."
    )

    @field_validator("weekdays")
    @classmethod
    def _known_weekdays(cls, value: list[int]) -> list[int]:
        if any(not 0 <= d <= 6 for d in value):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        return value


class TrafficZone(_Model):
    """A disc where the traffic profile applies (e.g. a congested centre)."""

    center: Location
    radius_m: float = Field(gt=0)


class TrafficOptions(_Model):
    """Time-of-day speed profile applied to the provider's free-flow times."""

    periods: list[SlowTraffic] = Field(min_length=1)
    zone: TrafficZone | None = Field(
        default=None, description="Slow only inside this zone; None = everywhere."
    )


class TravelOptions(_Model):
    """How travel durations and distances are obtained.

    ``haversine`` needs nothing; ``osrm`` and ``valhalla`` take either `url`
    (an HTTP server) or `dataset` (a prepared ``.osrm`` base path or a
    ``valhalla.json`` config, run in-process).
    """

    provider: Literal["haversine", "osrm", "valhalla"] = "haversine"
    url: str | None = Field(
        default=None, examples=["http://127.0.0.1:5000"], description="Server URL."
    )
    dataset: str | None = Field(
        default=None,
        examples=["/data/helsinki.osrm", "/data/valhalla.json"],
        description="Prepared data to route on in-process.",
    )
    mode: str | None = Field(
        default=None,
        description="OSRM profile in the URL (default 'driving') or Valhalla "
        "costing (default 'auto').",
    )
    timeout_s: float = Field(default=30.0, gt=0, le=3600)
    block_size: int | None = Field(
        default=None,
        ge=1,
        description="Most sources (and destinations) per request; default: "
        "the engine's default limit (OSRM 100, Valhalla 50).",
    )
    time_dependent: bool = Field(
        default=False,
        description="valhalla only: ask one matrix per hour (historical speeds "
        "in the tiles) and plan with time-dependent travel.",
    )
    traffic: TrafficOptions | None = None
    speed_kph: float = Field(default=30.0, gt=0, le=200)
    detour_factor: float = Field(
        default=1.3,
        ge=1.0,
        le=5.0,
        description="Road distance / great-circle distance (about 1.3 in cities).",
    )

    @model_validator(mode="after")
    def _source_given(self) -> TravelOptions:
        if self.provider == "haversine":
            if self.url or self.dataset:
                raise ValueError("url and dataset are for osrm and valhalla")
        elif (self.url is None) == (self.dataset is None):
            msg = f"provider {self.provider!r} needs exactly one of url and dataset"
            raise ValueError(msg)
        if self.time_dependent and self.provider != "valhalla":
            raise ValueError("time_dependent needs provider 'valhalla'")
        if self.time_dependent and self.traffic is not None:
            raise ValueError("use either time_dependent (historical speeds) or traffic")
        return self


class Options(_Model):
    """How to solve."""

    time_limit_s: float = Field(default=2.0, gt=0, le=24 * 3600)
    seed: int = Field(default=0, ge=0)
    stall_iterations: int | None = Field(
        default=5000,
        ge=1,
        description="Stop early after this many search iterations without a "
        "better plan (small days finish in a fraction of the time limit); "
        "null = always use the whole time limit.",
    )
    travel: TravelOptions = TravelOptions()


class Problem(_Model):
    """A day to plan: technicians, jobs, what to minimise and how to solve."""

    name: str = ""
    date: dt.date
    timezone: str = Field(examples=["Europe/Helsinki"])
    skills: list[Identifier] | None = Field(
        default=None,
        description="Catalogue of known skills. When omitted, the known skills "
        "are those technicians hold, and a job asking for another is an error.",
    )
    technicians: list[Technician] = Field(min_length=1)
    jobs: list[Job] = []
    objective: Objective = Objective()
    options: Options = Options()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        parse_timezone(value)
        return value
