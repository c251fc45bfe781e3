"""What one running service shares between requests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fieldroute.api.settings import Settings
from fieldroute.model.plan import Plan
from fieldroute.worker.runner import SolveRunner

if TYPE_CHECKING:
    from fieldroute.api.auth import Principal

#: Parsed plans kept in memory (a plan document is some kilobytes).
PLAN_CACHE_SIZE = 256


@dataclass
class ServiceState:
    """Settings, the database, the solve runner and two small caches."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    runner: SolveRunner
    #: token sha256 -> (principal, monotonic expiry).
    token_cache: dict[str, tuple[Principal, float]] = field(default_factory=dict)
    #: plan id -> parsed plan; plans never change once stored, so never stale.
    plan_cache: dict[str, Plan] = field(default_factory=dict)

    def plan(self, plan_id: str, load: Callable[[], dict[str, Any]]) -> Plan:
        """The plan `plan_id`, loaded (by `load`) and parsed once per process."""
        plan = self.plan_cache.get(plan_id)
        if plan is None:
            if len(self.plan_cache) > PLAN_CACHE_SIZE:
                self.plan_cache.clear()
            plan = Plan.model_validate(load())
            self.plan_cache[plan_id] = plan
        return plan
