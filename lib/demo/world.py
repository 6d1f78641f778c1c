"""The demo organisation's shape: its teams, their hidden traits, the calendar, random streams.

Every generator reads one `World`. Time is counted in whole days (`day`, 0 = first day of
history, `n_days - 1` = `end`) or in seconds from the first midnight; `NEVER` stands for an
event that has not happened by the end of history. Hidden traits per team drive the
stories the charts must reveal: `safety` (psychological safety, -1..1) moves survey scores,
voluntary attrition and deployment rate; `capability` (-1..1) sets DORA performance.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

NEVER = 10**7
DAY_S = 86_400
ACQUIRED_COMPANY = "Fjordline"
AI_TOOL = "copilot"

# location: (sourcing, UTC offset in hours, loaded monthly cost per engineer in EUR)
LOCATIONS: dict[str, tuple[str, float, float]] = {
    "Berlin": ("onshore", 1.0, 10_500.0),
    "Munich": ("onshore", 1.0, 11_000.0),
    "Lisbon": ("nearshore", 0.0, 6_800.0),
    "Kraków": ("nearshore", 1.0, 6_200.0),
    "Oslo": ("nearshore", 1.0, 11_500.0),
    "Bangalore": ("offshore", 5.5, 3_900.0),
    "Pune": ("offshore", 5.5, 3_600.0),
}


@dataclass(frozen=True)
class TeamSpec:
    team: str
    org: str
    location: str
    size: int  # headcount aimed for at the end of history, leaders included
    safety: float
    capability: float
    prefix: str  # work item keys: PAY-123
    services: tuple[str, ...]
    acquired: bool = False
    shares_manager_with: str | None = None


SMALL_TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("payments", "Commerce", "Berlin", 13, 0.7, 0.9, "PAY", ("payments-api", "ledger")),
    TeamSpec("checkout", "Commerce", "Berlin", 13, -0.6, -0.2, "CHK", ("checkout-web", "cart-api")),
    TeamSpec("catalog", "Commerce", "Bangalore", 12, 0.1, 0.0, "CAT", ("catalog-api", "search")),
    TeamSpec("platform", "Platform", "Berlin", 13, 0.8, 1.0, "PLT", ("k8s-platform", "ci-runners")),
    TeamSpec("developer-experience", "Platform", "Lisbon", 10, 0.5, 0.5, "DX", ("build-tools", "dev-portal")),
    TeamSpec(
        "data-platform", "Platform", "Bangalore", 12, -0.2, -0.4, "DATA", ("event-pipeline", "warehouse")
    ),
    TeamSpec(
        "security",
        "Platform",
        "Berlin",
        4,
        0.3,
        0.2,
        "SEC",
        ("auth-service",),
        shares_manager_with="platform",
    ),
    TeamSpec("mobile-ios", "Mobile", "Lisbon", 11, 0.4, 0.3, "IOS", ("ios-app",)),
    TeamSpec("mobile-android", "Mobile", "Kraków", 11, -0.1, -0.1, "AND", ("android-app",)),
    TeamSpec("growth", "Mobile", "Bangalore", 12, -0.8, -0.7, "GRO", ("growth-api", "notifications")),
    TeamSpec("insights", "Analytics", "Oslo", 10, 0.0, -0.3, "INS", ("insights-api",), acquired=True),
    TeamSpec(
        "reporting", "Analytics", "Oslo", 9, -0.7, -0.9, "REP", ("report-engine", "exports"), acquired=True
    ),
)

_LARGE_ORGS = (
    ("Commerce", "Berlin"),
    ("Payments", "Berlin"),
    ("Marketplace", "Munich"),
    ("Growth", "Lisbon"),
    ("Mobile", "Lisbon"),
    ("Platform", "Berlin"),
    ("Infrastructure", "Kraków"),
    ("Data", "Bangalore"),
    ("Identity", "Pune"),
    ("Enterprise", "Munich"),
    ("Developer Experience", "Kraków"),
    ("Analytics", "Oslo"),  # the acquired company
)
_SQUADS = (
    "atlas",
    "beacon",
    "comet",
    "delta",
    "ember",
    "falcon",
    "granite",
    "harbor",
    "ion",
    "juniper",
    "kestrel",
    "lumen",
    "meridian",
    "nova",
    "orbit",
    "pulse",
    "quartz",
    "raven",
    "summit",
    "tide",
    "umbra",
    "vega",
)


def large_teams(seed: int, engineers: int = 1_850) -> tuple[TeamSpec, ...]:
    """About `engineers` people in ~190 teams over a dozen orgs, one of them acquired."""
    rng = np.random.default_rng([seed, 1])
    sizes: list[int] = []
    while sum(sizes) < engineers:
        sizes.append(int(rng.integers(3, 5)) if rng.random() < 0.05 else int(rng.integers(7, 16)))
    teams = []
    other_locations = list(LOCATIONS)
    for i, size in enumerate(sizes):
        org, home = _LARGE_ORGS[i % len(_LARGE_ORGS)]
        squad = _SQUADS[i // len(_LARGE_ORGS)]
        acquired = org == "Analytics"
        location = home if acquired or rng.random() < 0.6 else other_locations[rng.integers(len(LOCATIONS))]
        safety = float(np.clip(rng.normal(0.0, 0.45), -1, 1))
        capability = float(np.clip(0.65 * safety + rng.normal(0.0, 0.35), -1, 1))
        name = f"{org.lower().replace(' ', '-')}-{squad}"
        teams.append(
            TeamSpec(
                name,
                org,
                location,
                size,
                safety,
                capability,
                f"{org[:3].upper()}{squad[:3].upper()}",
                (f"{name}-api", f"{name}-worker"),
                acquired=acquired,
            )
        )
    return tuple(teams)


@dataclass
class World:
    seed: int
    end: dt.date
    teams: tuple[TeamSpec, ...]
    years: int

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=365 * self.years)

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    # Calendar of the stories, in days from the start of history.
    @property
    def acquisition_day(self) -> int:
        return self.n_days - 540

    @property
    def rollout_day(self) -> int:
        return self.n_days - 400

    @property
    def debt_push(self) -> tuple[int, int]:
        return self.n_days - 365, self.n_days - 275

    @property
    def compliance_day(self) -> int:
        """Risk work (the compliance initiative) picks up 14 months before the end."""
        return self.n_days - 420

    @cached_property
    def wave_days(self) -> np.ndarray:
        """Quarterly survey waves, the last one 25 days before the end."""
        return np.arange(self.n_days - 26, 29, -91)[::-1]

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random stream per generator, so changing one leaves the others alone."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode())])

    # Team attributes as arrays indexed like `teams`.
    @cached_property
    def safety(self) -> np.ndarray:
        return np.array([t.safety for t in self.teams])

    @cached_property
    def capability(self) -> np.ndarray:
        return np.array([t.capability for t in self.teams])

    @cached_property
    def utc_offset_h(self) -> np.ndarray:
        return np.array([LOCATIONS[t.location][1] for t in self.teams])

    @cached_property
    def monthly_cost(self) -> np.ndarray:
        return np.array([LOCATIONS[t.location][2] for t in self.teams])

    @cached_property
    def active_from(self) -> np.ndarray:
        """First day each team exists in our records: acquired teams join at the acquisition."""
        return np.array([self.acquisition_day if t.acquired else 0 for t in self.teams])

    @cached_property
    def ai_enabled_day(self) -> np.ndarray:
        """Pilot teams (the three most capable) get the AI tool at rollout; the rest follow."""
        rng = self.rng("ai-enable")
        order = np.argsort(-self.capability, kind="stable")
        rank = np.empty(len(self.teams), dtype=int)
        rank[order] = np.arange(len(self.teams))
        later = self.rollout_day + 30 + (150 * rank / max(len(self.teams) - 1, 1)).astype(int)
        later += rng.integers(0, 20, len(self.teams))
        day = np.where(rank < 3, self.rollout_day, later)
        return np.maximum(day, self.active_from)

    @cached_property
    def ai_ceiling(self) -> np.ndarray:
        """Share of a team's engineers who end up using the tool."""
        rng = self.rng("ai-ceiling")
        return np.clip(0.72 + 0.12 * self.safety + rng.normal(0, 0.06, len(self.teams)), 0.4, 0.95)

    @cached_property
    def weekday(self) -> np.ndarray:
        """Day of week (Monday 0) of every day of history."""
        return (self.start.weekday() + np.arange(self.n_days)) % 7

    @property
    def progress(self) -> np.ndarray:
        """0 at the start of history, 1 at the end, per day."""
        return np.arange(self.n_days) / (self.n_days - 1)

    def dates(self, days: np.ndarray) -> np.ndarray:
        """Day numbers to datetime64[D]; NEVER becomes NaT."""
        days = np.asarray(days)
        out = np.datetime64(self.start, "D") + np.minimum(days, self.n_days + 10).astype("timedelta64[D]")
        return np.where(days >= NEVER, np.datetime64("NaT"), out)

    def stamps(self, seconds: np.ndarray) -> np.ndarray:
        """Seconds from the first midnight to naive UTC datetime64[s]; NaN becomes NaT."""
        seconds = np.asarray(seconds, dtype=float)
        missing = ~np.isfinite(seconds)
        whole = np.where(missing, 0, np.round(seconds)).astype("int64").astype("timedelta64[s]")
        out = np.datetime64(self.start, "s") + whole
        return np.where(missing, np.datetime64("NaT"), out)

    @property
    def horizon_s(self) -> float:
        """The first second after history ends."""
        return float(self.n_days * DAY_S)

    def working_seconds(self, days: np.ndarray, team: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A moment in local office hours (09:00–18:00) on each day, as UTC seconds."""
        local = 9 * 3600 + rng.random(len(days)) * 9 * 3600
        return days * DAY_S + local - self.utc_offset_h[team] * 3600


def labels(values: np.ndarray, names: list[str] | tuple[str, ...]) -> pd.Categorical:
    """Integer codes to a categorical of names (-1 becomes null)."""
    return pd.Categorical.from_codes(np.asarray(values, dtype=int), categories=list(names))


def numbered(prefix: str | pd.Series, numbers: np.ndarray, width: int = 0) -> pd.Series:
    """Identifiers like d-0000042 or PAY-42, built in bulk."""
    text = pd.Series(np.asarray(numbers)).astype(str)
    if width:
        text = text.str.zfill(width)
    return prefix + text


def poisson_events(rng: np.random.Generator, rates: np.ndarray) -> tuple[np.ndarray, ...]:
    """Draw Poisson counts over an array of rates; return the index tuple of each event."""
    counts = rng.poisson(np.maximum(rates, 0))
    cells = np.nonzero(counts)
    reps = counts[cells]
    return tuple(np.repeat(axis, reps) for axis in cells)
