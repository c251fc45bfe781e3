"""Seeded field-service days in a metro area, for benchmarks and property tests.

`generate_day(jobs, technicians, seed=...)` returns a `Problem` that looks like
a service company's Monday around Helsinki (60.17 N, 24.94 E, ~25 km radius):

* job sites: part in a few dense clusters (neighbourhoods), the rest scattered,
  over a district that grows with the team (10 km radius for a few
  technicians, the whole 25 km metro area from 30 technicians up);
  technicians start from home, spread over the area, some end at the office;
* 3-6 skills; each technician holds a subset, every job asks for at most one
  or two skills that some technician holds (checked: every job is doable);
* job types with their durations, from 15-minute checks and 30-minute
  maintenance to 3-hour installs; when many jobs share few technicians the
  mix tilts toward short visits so the day stays feasible-looking (service +
  estimated driving ~ 70-80 % of the fleet's hours);
* appointment windows: none, AM, PM, a 2-hour slot, or two slots;
* shifts starting 07:00-09:00, a 30-minute lunch between 11:00 and 13:30,
  some max-jobs and max-work caps, filter stock for maintenance jobs,
  10-30 % optional prospects with a value, a few pinned jobs, and on larger
  days two territories (west / east) for some technicians.

Everything is drawn from one `numpy.random.Generator` seeded by `seed`, so
the same arguments always give the same problem.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from fieldroute.model.instance import compile_problem
from fieldroute.model.problem import (
    Break,
    Job,
    Location,
    Options,
    Problem,
    Shift,
    Technician,
    TimeWindow,
)

CENTRE_LAT, CENTRE_LON = 60.17, 24.94
RADIUS_M = 25_000.0
OFFICE = (60.2055, 24.6559)  # Espoo, west of the centre
DAY = dt.date(2026, 11, 23)  # a Monday
TIMEZONE = "Europe/Helsinki"
#: Haversine defaults of `TravelOptions`, used to estimate driving per job.
_SPEED_M_PER_MIN = 30_000 / 60
_DETOUR = 1.3
#: Share of a technician's paid hours (without lunch) the day should fill.
_TARGET_LOAD = 0.75

_SKILLS = ("hvac", "electrical", "plumbing", "refrigeration", "gas", "security")


@dataclass(frozen=True, slots=True)
class JobType:
    """A kind of visit: its length, the skill it needs and its stock use."""

    name: str
    duration_min: int
    skill: str | None
    weight: float  # share in an unconstrained day
    filters: int = 0


_TYPES = (
    JobType("meter check", 15, None, 0.06),
    JobType("inspection", 20, "security", 0.08),
    JobType("maintenance", 30, "hvac", 0.22, filters=1),
    JobType("filter service", 45, "refrigeration", 0.12, filters=2),
    JobType("repair", 60, "electrical", 0.18),
    JobType("leak repair", 90, "plumbing", 0.14),
    JobType("boiler service", 120, "gas", 0.12, filters=1),
    JobType("install", 180, "hvac", 0.08),
)
_PROSPECT = JobType("sales visit", 30, None, 0.0)


def generate_day(jobs: int, technicians: int, *, seed: int = 0) -> Problem:
    """A realistic, seeded technician day with `jobs` jobs and `technicians`.

    Parameters
    ----------
    jobs
        Number of jobs (>= 1), optional prospects included.
    technicians
        Number of technicians (>= 1).
    seed
        Seed of the random generator; the same arguments give the same day.

    Returns
    -------
    Problem
        A valid problem (it compiles) in which every job has at least one
        technician allowed to do it by skills, territory, pin and stock.
    """
    if jobs < 1:
        raise ValueError("jobs must be >= 1.")
    if technicians < 1:
        raise ValueError("technicians must be >= 1.")
    rng = np.random.default_rng([seed, jobs, technicians])
    skills = _SKILLS[: int(rng.integers(3, 7))]
    radius_m = _district_radius_m(technicians)
    techs = _technicians(rng, technicians, skills, radius_m)
    types = _job_types(skills)
    weights = _tilted_weights(types, _minutes_per_job(techs, jobs, radius_m))
    sites = _sites(rng, jobs, radius_m)
    territorial = any(t.territory for t in techs)
    optional_share = float(rng.uniform(0.10, 0.30))
    job_list = []
    for j in range(jobs):
        lat, lon = sites[j]
        prospect = rng.random() < optional_share
        kind = _PROSPECT if prospect else types[int(rng.choice(len(types), p=weights))]
        job_list.append(
            Job(
                id=f"J{j + 1:04d}",
                name=f"{kind.name} {j + 1}",
                location=Location(lat=lat, lon=lon),
                duration_minutes=kind.duration_min,
                time_windows=_windows(rng, kind.duration_min),
                required_skills=_required(rng, kind, skills),
                demand={"filter": kind.filters} if kind.filters else {},
                priority=int(rng.integers(1, 4)) if prospect else _priority(rng),
                value=float(rng.integers(5, 51) * 10) if prospect else 0.0,
                optional=prospect,
                territory=("west" if lon < CENTRE_LON else "east")
                if territorial and rng.random() < 0.5
                else None,
            )
        )
    problem = Problem(
        name=f"generated-{jobs}j-{technicians}t-s{seed}",
        date=DAY,
        timezone=TIMEZONE,
        skills=list(skills),
        technicians=techs,
        jobs=job_list,
        options=Options(time_limit_s=10.0, seed=seed),
    )
    problem = _make_every_job_doable(problem, rng)
    return _pin_a_few(problem, rng)


# -- technicians -------------------------------------------------------------


def _district_radius_m(technicians: int) -> float:
    """A small team serves a district, a large one the whole metro area."""
    return RADIUS_M * float(np.clip(math.sqrt(technicians / 30), 0.4, 1.0))


def _technicians(
    rng: np.random.Generator, count: int, skills: tuple[str, ...], radius_m: float
) -> list[Technician]:
    homes = _scatter(rng, count, radius_m * 0.9)
    with_territory = count >= 8
    out = []
    for t in range(count):
        held = {skills[t % len(skills)]}  # every skill has holders
        held |= {s for s in skills if rng.random() < 0.45}
        start_h = float(rng.choice([7.0, 7.5, 8.0, 8.0, 8.5, 9.0]))
        ends_at_office = rng.random() < 0.25
        territory = None
        if with_territory and rng.random() < 0.3:
            territory = "west" if homes[t][1] < CENTRE_LON else "east"
        record = {
            "id": f"T{t + 1:03d}",
            "name": f"Technician {t + 1}",
            "start": Location(lat=homes[t][0], lon=homes[t][1]),
            "end": Location(lat=OFFICE[0], lon=OFFICE[1]) if ends_at_office else None,
            "shift": Shift(start=_clock(start_h), end=_clock(start_h + 8.5)),
            "skills": sorted(held),
            "max_jobs": None if rng.random() < 0.7 else 0,  # set from the workload
            "max_work_minutes": float(rng.choice([420, 450]))
            if rng.random() < 0.2
            else None,
            "break": Break(
                earliest_start="11:00", latest_end="13:30", duration_minutes=30
            ),
            "territory": territory,
            "capacity": {"filter": int(rng.integers(6, 16))},
        }
        out.append(Technician.model_validate(record))
    return out


def _minutes_per_job(techs: list[Technician], jobs: int, radius_m: float) -> float:
    """Service minutes per job that fill the fleet to the target load."""
    # 8.5 h shift - 30 min lunch, or the work cap.
    paid_min = sum((t.max_work_minutes or 480.0) for t in techs)
    area_m2 = math.pi * radius_m**2
    # A short tour leg between neighbouring sites, with room for detours.
    leg_min = 1.2 * math.sqrt(area_m2 / jobs) * _DETOUR / _SPEED_M_PER_MIN
    return paid_min * _TARGET_LOAD / jobs - leg_min


def _job_types(skills: tuple[str, ...]) -> list[JobType]:
    """Job types whose skill is in the day's catalogue (others need none)."""
    return [
        t if t.skill is None or t.skill in skills else _with_skill(t, None)
        for t in _TYPES
    ]


def _with_skill(kind: JobType, skill: str | None) -> JobType:
    return JobType(kind.name, kind.duration_min, skill, kind.weight, kind.filters)


def _tilted_weights(types: list[JobType], mean_min: float) -> np.ndarray:
    """Type shares w_i ~ weight_i * exp(-lam * d_i) with mean duration <= mean_min.

    lam = 0 keeps the natural mix; a busier day gets a larger lam (shorter
    visits), found by bisection.
    """
    base = np.array([t.weight for t in types])
    dur = np.array([t.duration_min for t in types], dtype=float)

    def shares(lam: float) -> np.ndarray:
        w = base * np.exp(-lam * (dur - dur.min()))
        return np.asarray(w / w.sum())

    if float(shares(0.0) @ dur) <= mean_min:
        return shares(0.0)
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if float(shares(mid) @ dur) > mean_min else (lo, mid)
    return shares(hi)


# -- jobs --------------------------------------------------------------------


def _sites(
    rng: np.random.Generator, count: int, radius_m: float
) -> list[tuple[float, float]]:
    """60 % in 2-12 Gaussian neighbourhood clusters, the rest scattered."""
    clusters = _scatter(rng, int(np.clip(count // 40, 2, 12)), radius_m * 0.8)
    out = []
    scattered = _scatter(rng, count, radius_m)
    for j in range(count):
        if rng.random() < 0.6:
            lat0, lon0 = clusters[int(rng.integers(len(clusters)))]
            north, east = rng.normal(0.0, radius_m * 0.06, size=2)
            out.append(_offset(lat0, lon0, north, east))
        else:
            out.append(scattered[j])
    return out


def _windows(rng: np.random.Generator, duration_min: int) -> list[TimeWindow]:
    """None (40 %), AM, PM, one 2-hour slot, or two 2-hour slots.

    Windows bound the service start; the latest start leaves a 15:30 finish
    or earlier for long jobs so that every shift can still do them.
    """
    latest_start_h = min(15.0, 16.5 - duration_min / 60)
    draw = rng.random()
    if draw < 0.4:
        return []
    if draw < 0.6:
        return [TimeWindow(start="08:00", end=_clock(min(12.0, latest_start_h)))]
    if draw < 0.75 and latest_start_h > 12.0:
        return [TimeWindow(start="12:00", end=_clock(latest_start_h))]
    slots = [h for h in (8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0) if h < latest_start_h]
    picked = [float(rng.choice(slots))]
    later = [h for h in slots if h >= picked[0] + 3]
    if draw >= 0.9 and later:  # "morning or afternoon, whichever suits you"
        picked.append(float(rng.choice(later)))
    return [
        TimeWindow(start=_clock(h), end=_clock(min(h + 2, latest_start_h)))
        for h in picked
    ]


def _required(
    rng: np.random.Generator, kind: JobType, skills: tuple[str, ...]
) -> list[str]:
    if kind.skill is None:
        return []
    need = [kind.skill]
    if rng.random() < 0.1:  # an occasional second trade, e.g. electrical too
        other = str(rng.choice([s for s in skills if s != kind.skill]))
        need.append(other)
    return need


def _priority(rng: np.random.Generator) -> int:
    return int(rng.choice([2, 3, 3, 3, 4, 5]))


def _make_every_job_doable(problem: Problem, rng: np.random.Generator) -> Problem:
    """Give a job's skills to one technician of its territory when nobody holds
    them all, and set the job caps of capped technicians from the workload."""
    techs = list(problem.technicians)
    for job in problem.jobs:
        need = set(job.required_skills)
        ok = [
            t
            for t in techs
            if need <= set(t.skills)
            and (t.territory is None or job.territory in (None, t.territory))
        ]
        if ok:
            continue
        candidates = [
            i
            for i, t in enumerate(techs)
            if t.territory is None or job.territory in (None, t.territory)
        ]
        i = int(rng.choice(candidates))
        techs[i] = techs[i].model_copy(
            update={"skills": sorted(set(techs[i].skills) | need)}
        )
    per_tech = len(problem.jobs) / len(techs)
    techs = [
        t.model_copy(
            update={"max_jobs": max(3, math.ceil(per_tech * rng.uniform(1.2, 1.6)))}
        )
        if t.max_jobs == 0
        else t
        for t in techs
    ]
    return problem.model_copy(update={"technicians": techs})


def _pin_a_few(problem: Problem, rng: np.random.Generator) -> Problem:
    """Pin ~2 % of the mandatory jobs (at least one) to an allowed technician."""
    instance = compile_problem(problem)
    mandatory = [j.index for j in instance.jobs if not j.optional]
    if not mandatory:
        return problem
    count = max(1, round(0.02 * len(mandatory)))
    chosen = rng.choice(mandatory, size=min(count, len(mandatory)), replace=False)
    jobs = list(problem.jobs)
    for j in sorted(int(c) for c in chosen):
        allowed = np.flatnonzero(instance.eligible[:, j])
        tech = problem.technicians[int(rng.choice(allowed))]
        jobs[j] = jobs[j].model_copy(update={"pinned_technician": tech.id})
    return problem.model_copy(update={"jobs": jobs})


# -- geometry and clock ------------------------------------------------------


def _scatter(
    rng: np.random.Generator, count: int, radius_m: float
) -> list[tuple[float, float]]:
    """Uniform points in a disc around the centre."""
    r = radius_m * np.sqrt(rng.random(count))
    theta = rng.random(count) * 2 * math.pi
    return [
        _offset(CENTRE_LAT, CENTRE_LON, float(n), float(e))
        for n, e in zip(r * np.cos(theta), r * np.sin(theta), strict=True)
    ]


def _offset(
    lat: float, lon: float, north_m: float, east_m: float
) -> tuple[float, float]:
    dlat = north_m / 111_320.0
    dlon = east_m / (111_320.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _clock(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
