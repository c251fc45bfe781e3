"""The tables, as SQLAlchemy 2 ORM rows (the API's schemas live apart).

Conventions: ids of technicians and jobs are the users' own ids; solves,
plans, publications and tokens get generated hex ids. Datetimes are aware
UTC. ``version`` columns count edits and back optimistic concurrency:
SQLAlchemy adds ``WHERE version = <read version>`` to every UPDATE, so of
two concurrent edits of one record exactly one wins.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fieldroute.store.types import JsonDoc, UtcDateTime, utcnow

# Stable constraint names so migrations can refer to them on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A random 32-hex-digit id for generated records."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class JobStatus(StrEnum):
    """Where a job stands in its day."""

    UNPLANNED = "unplanned"
    PLANNED = "planned"
    EN_ROUTE = "en_route"
    ARRIVED = "arrived"
    DONE = "done"
    CANCELLED = "cancelled"


class SolveStatus(StrEnum):
    """A solve run's life: queued -> running -> succeeded | failed | cancelled."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (
            SolveStatus.SUCCEEDED,
            SolveStatus.FAILED,
            SolveStatus.CANCELLED,
        )


class Role(StrEnum):
    """What an API token may do."""

    DISPATCHER = "dispatcher"
    TECHNICIAN = "technician"


class TechnicianRow(Base):
    __tablename__ = "technicians"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(400), default="")
    #: The validated `fieldroute.model.Technician` as JSON (by alias).
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    #: Set when a published plan gives the job to a technician.
    assigned_technician_id: Mapped[str | None] = mapped_column(
        String(200), index=True, default=None
    )
    #: The validated `fieldroute.model.Job` as JSON.
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    #: sha256 of what a solve reads (data + date); a plan made from another
    #: fingerprint is stale.
    fingerprint: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class JobEventRow(Base):
    """Every status change of a job, who made it and when (append-only)."""

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    technician_id: Mapped[str | None] = mapped_column(String(200), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DayRow(Base):
    """The settings of one day's problem and which plan of it is live."""

    __tablename__ = "days"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    timezone: Mapped[str] = mapped_column(String(100))
    #: name, skills, objective, options of the day's `Problem`.
    settings: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    published_plan_id: Mapped[str | None] = mapped_column(
        ForeignKey("plans.id"), default=None
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SolveRow(Base):
    __tablename__ = "solves"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    engine: Mapped[str] = mapped_column(String(40))
    time_limit_s: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    #: The `Problem` as assembled when the solve was asked for.
    problem: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    #: job id -> fingerprint at that moment.
    job_fingerprints: Mapped[dict[str, str]] = mapped_column(JsonDoc)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    best_cost: Mapped[float | None] = mapped_column(Float, default=None)
    elapsed_s: Mapped[float | None] = mapped_column(Float, default=None)
    plan_id: Mapped[str | None] = mapped_column(String(32), default=None)
    error_code: Mapped[str | None] = mapped_column(String(60), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class PlanRow(Base):
    """One version of a day's plan; never updated once inserted."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    date: Mapped[date] = mapped_column(Date, index=True)
    #: "solve" (made by a solve run) or "edit" (a dispatcher's edit, checked).
    source: Mapped[str] = mapped_column(String(20))
    solve_id: Mapped[str | None] = mapped_column(ForeignKey("solves.id"), default=None)
    based_on: Mapped[str | None] = mapped_column(String(32), default=None)
    #: The `fieldroute.model.Plan` document.
    document: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    job_fingerprints: Mapped[dict[str, str]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PublicationRow(Base):
    """Each time a plan was made the live one of its day (append-only)."""

    __tablename__ = "publications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), index=True)
    date: Mapped[date] = mapped_column(Date)
    stale: Mapped[bool] = mapped_column(Boolean)
    changed_jobs: Mapped[list[str]] = mapped_column(JsonDoc)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TokenRow(Base):
    """An API token, stored as the sha256 of the secret only."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    technician_id: Mapped[str | None] = mapped_column(String(200), default=None)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


Index("ix_plans_date_created", PlanRow.date, PlanRow.created_at)
