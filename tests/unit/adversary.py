"""An adversary against survey anonymity: random surveys, everything published, attacks.

`random_world(seed)` builds a small organisation with awkward surveys: teams of 1–6
people over two orgs, locations, sourcing and acquired cohorts; respondents without a
team; questions left blank and respondents who left everything blank; eNPS answered by
some only; several dates per wave; several waves; and late batches into an existing wave
(new respondents, a corrected score, a respondent removed).

`published(con, world)` collects every survey number that leaves `lib/` for every team
set a filter can select (every subset of teams: the team filter alone reaches them all)
and for periods that cut waves: the catalog and the CLI's JSON, the Overview's tiles,
the page data functions, the CSV download frame, and every number drawn in the charts
(text, hover and custom data). Each figure is recomputed here from the answers the
release claims to publish (`survey_published`), after checking that those answers are
genuine snapshots of what was imported, so the groups of people behind each number are
known exactly.

`attack(figures, k)` then tries to recover a group of fewer than k people, by
differences of nested figures and by linear algebra over everything published in every
state: each number is a sum over people (of answers, of presence), so a group's total is
determined exactly when its indicator vector lies in the row space of the published
groups. Columns no published figure tells apart form atoms; every union of atoms with 1
to k − 1 people is tested with the null space of the published matrix (numpy).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import json
import math
import random
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib import metrics
from lib.charts import engagement as charts
from lib.scope import Scope
from lib.views import engagement, engagement_detail

LIKERT = ("psychological_safety", "autonomy", "trust")
QUESTIONS = {"ps1": "psychological_safety", "ps2": "psychological_safety", "au1": "autonomy",
             "tr1": "trust", "enps": "enps"}  # fmt: skip
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class World:
    seed: int
    teams: list[dict]
    employees: list[dict]
    states: list[tuple[list[dict], list[tuple]]]  # per state: rows to upsert, keys to delete
    truth: list[pd.DataFrame] = field(default_factory=list)  # live person × dimension per state

    @property
    def team_names(self) -> list[str]:
        return [t["team"] for t in self.teams]


def random_world(seed: int, n_teams: int = 4, k: int = 5) -> World:
    rng = random.Random(seed)
    names = ["apollo", "borealis", "cygnus", "draco", "eridanus", "fornax"][:n_teams]
    teams = [
        {
            "team": name,
            "org": rng.choice(["Core", "Edge"]),
            "location": rng.choice(["Berlin", "Lisbon", "Pune"]),
            "sourcing": rng.choice(["onshore", "nearshore", "offshore"]),
            "acquired_from": rng.choice([None, None, "Nimbus"]),
        }
        for name in names
    ]
    waves = {
        "w1": [f"2025-03-{d:02d}" for d in sorted(rng.sample(range(3, 20), rng.randint(2, 3)))],
        "w2": [f"2025-06-{d:02d}" for d in sorted(rng.sample(range(3, 20), rng.randint(2, 3)))],
    }
    counter = itertools.count()

    def person(wave: str, team: str | None) -> list[dict]:
        pid = f"{wave}-{team or 'none'}-{next(counter)}"
        blank = rng.random() < 0.1
        answers_enps = rng.random() < 0.6
        day = rng.choice(waves[wave])
        rows = []
        for question, dimension in QUESTIONS.items():
            if dimension == "enps":
                score = rng.randint(0, 10) if answers_enps and not blank else None
            else:
                score = None if blank or rng.random() < 0.15 else rng.randint(1, 5)
            rows.append(
                {
                    "survey_id": wave,
                    "survey_date": day,
                    "respondent_id": pid,
                    "team": team,
                    "question_id": question,
                    "dimension": "eNPS" if dimension == "enps" else dimension,
                    "score": score,
                }  # fmt: skip
            )
        return rows

    first = []
    for wave in waves:
        for team in names:
            for _ in range(rng.randint(1, 6)):
                first += person(wave, team)
        for _ in range(rng.randint(0, 2)):
            first += person(wave, None)
    # Late batch into w2: a few new people in one or two teams, and a corrected score.
    late = []
    for team in rng.sample(names, rng.randint(1, 2)):
        for _ in range(rng.randint(1, 3)):
            late += person("w2", team)
    corrected = dict(rng.choice([r for r in first if r["survey_id"] == "w2" and r["score"] is not None]))
    corrected["score"] = 5 if corrected["score"] != 5 else 1
    # A second batch: k new people in one team (enough to show), one respondent removed.
    second = []
    for _ in range(k):
        second += person("w2", rng.choice(names))
    removed_id = rng.choice(sorted({r["respondent_id"] for r in first if r["survey_id"] == "w2"}))
    removed = [
        (r["survey_id"], r["respondent_id"], r["question_id"])
        for r in first
        if r["respondent_id"] == removed_id
    ]
    employees = [
        {"employee_id": f"e-{t}-{i}", "team": t, "hire_date": "2020-01-01"} for t in names for i in range(7)
    ]
    return World(seed, teams, employees, [(first, []), (late + [corrected], []), (second, removed)])


def apply_state(con, world: World, state: int) -> None:
    """Upsert the state's rows on the survey_responses key and delete its removed keys."""
    rows, removed = world.states[state]
    keys = removed + [(r["survey_id"], r["respondent_id"], r["question_id"]) for r in rows]
    con.executemany(
        "delete from survey_responses where survey_id = ? and respondent_id = ? and question_id = ?", keys
    )
    if rows:
        con.executemany(
            "insert into survey_responses (survey_id, survey_date, respondent_id, team, question_id, dimension, score) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    r["survey_id"],
                    r["survey_date"],
                    r["respondent_id"],
                    r["team"],
                    r["question_id"],
                    r["dimension"],
                    r["score"],
                ]
                for r in rows
            ],  # fmt: skip
        )
    world.truth.append(_truth(con))


def _truth(con) -> pd.DataFrame:
    """The live answers per respondent × dimension, computed here (not by lib)."""
    raw = con.execute("select * from survey_responses where score is not null").df()
    raw["dimension"] = raw["dimension"].where(raw["dimension"].str.lower() != "enps", "enps")
    raw["fav"] = np.where(raw["dimension"] == "enps", raw["score"] >= 9, raw["score"] >= 4)
    raw["unfav"] = np.where(raw["dimension"] == "enps", raw["score"] <= 6, raw["score"] <= 2)
    raw["neu"] = ~raw["fav"] & ~raw["unfav"]
    out = raw.groupby(["survey_id", "respondent_id", "dimension"], dropna=False).agg(
        team=("team", "first"), answers=("score", "size"), score_sum=("score", "sum"),
        favorable=("fav", "sum"), neutral=("neu", "sum"), unfavorable=("unfav", "sum"),
    ).reset_index()  # fmt: skip
    out["team"] = out["team"].astype(object).where(out["team"].notna(), None)
    return out


# ---------------------------------------------------------------- what leaves lib/


@dataclass(frozen=True)
class Figure:
    """One published number: where it came from and what the recomputation must give."""

    state: int
    source: str
    wave: str
    family: str  # dim / index / respondents
    dimension: str | None
    scope: frozenset | None  # None: the whole organisation
    n: float | None  # the people count published with it, when one is
    values: tuple  # the shares / eNPS published with it (NaN when hidden)


def _scopes(world: World) -> list[tuple | None]:
    names = world.team_names
    return [None] + [c for r in range(1, len(names) + 1) for c in itertools.combinations(names, r)]


def _periods(con) -> list[tuple]:
    """Three periods: all dates; one day inside the last wave (its first answer date, while
    its other answers are dated later); and the period before that day."""
    dates = sorted(
        {d for (d,) in con.execute("select distinct survey_date from survey_responses").fetchall()}
    )
    last_wave_first = con.execute(
        "select min(survey_date) from survey_responses where survey_id = (select max(survey_id) from survey_responses)"
    ).fetchone()[0]
    day = dt.timedelta(days=1)
    cut = Scope(start=last_wave_first, end=last_wave_first + day)
    return [(dates[0], dates[-1] + day), (cut.start, cut.end), (cut.previous().start, cut.previous().end)]


def _nan(v) -> float:
    return float("nan") if v is None else float(v)


def published(con, world: World, state: int, checks: list[str], light: bool = False) -> list[Figure]:
    """Every survey number that leaves lib/ in this state (see the module doc). `light`
    leaves out the charts, the deck, the catalog and the CLI, which only ever repeat numbers
    collected here (checked when not light): for the tests that switch a protection off."""
    out: list[Figure] = []
    periods = _periods(con)

    def add(source, wave, family, dimension, teams, n, *values):
        scope = None if teams is None else frozenset(teams)
        out.append(Figure(state, source, wave, family, dimension, scope, None if n is None else _nan(n),
                          tuple(_nan(v) for v in values)))  # fmt: skip

    sizes = world.truth[state].groupby("team")["respondent_id"].nunique()
    smallest = (str(sizes.idxmin()),)
    for teams in _scopes(world):
        frames = []  # what the pages' tables publish for this team set, to explain the deck's charts
        for start, end in periods:
            scope = Scope(start=start, end=end, teams=teams)
            summary = engagement.engagement_summary(con, scope)
            wave = summary["survey_id"]
            if wave is not None:
                add("summary", wave, "respondents", None, teams, summary["respondents"])
                add("summary", wave, "index", None, teams, None, summary["index"])
                add("summary", wave, "dim", "enps", teams, None, summary["enps"])
                for d, v in summary["favorability"].items():
                    add("summary", wave, "dim", d, teams, None, v)
                _check_reasons(summary["reasons"].values(), checks)
            by_wave = engagement.engagement_by_wave(con, scope)
            frames.append(by_wave)
            for r in by_wave.itertuples():
                add("by_wave", r.survey_id, "respondents", None, teams, r.respondents)
                add("by_wave", r.survey_id, "index", None, teams, None, r.engagement_index)
                add("by_wave", r.survey_id, "dim", "enps", teams, None, r.enps)
                if not pd.isna(r.participation_rate) and not math.isclose(
                    r.participation_rate * r.employees_active, r.respondents
                ):
                    checks.append(f"participation {r} is not respondents ÷ employees")
            for r in engagement.favorability_by_wave(con, scope).itertuples():
                add(
                    "favorability_by_wave",
                    r.survey_id,
                    "dim",
                    r.dimension,
                    teams,
                    r.respondents,
                    r.favorability,
                )
        scope = Scope(
            start=pd.Timestamp("2000-01-01").date(), end=pd.Timestamp("2100-01-01").date(), teams=teams
        )
        ids = tuple(w for w, _ in engagement_detail.waves(con, scope))
        changes = engagement_detail.wave_changes(con, scope, ids)
        frames.append(changes)
        for r in changes.itertuples():
            family = "index" if r.dimension == "index" else "dim"
            add("wave_changes", r.survey_id, family, None if family == "index" else r.dimension, teams,
                None if family == "index" else r.respondents, r.value)  # fmt: skip
        for wave in ids:
            dims = engagement_detail.dimensions(con, scope, wave)
            frames.append(dims)
            for r in dims.itertuples():
                shares = (
                    (r.promoters, r.passives, r.detractors, r.enps)
                    if r.is_enps
                    else (r.favorable, r.neutral, r.unfavorable)
                )
                add("dimensions", wave, "dim", r.dimension, teams, r.respondents, *shares)
            if not light and (teams is None or (state == 0 and len(teams) == 1)):  # any slice alike
                _charted(charts.favorability_bars(dims, "t", "c"), dims, checks, "favorability_bars")
                if dims["is_enps"].any() and not dims.loc[dims["is_enps"], "promoters"].isna().all():
                    _charted(charts.enps_split(dims, "t", "c"), dims, checks, "enps_split")
            if not light and (teams is None or len(teams) == 1):
                # Correlations are no sums (left out of the linear attack); a single team's
                # never reaches 25 respondents here, and a shown r must be a finite number.
                drivers = engagement_detail.drivers(con, scope, wave)
                frames.append(drivers)
                shown = drivers["r"].dropna()
                if (teams is not None and len(shown)) or not shown.between(-1, 1).all():
                    checks.append(f"drivers {list(shown)} for {teams}")
            if teams is None:
                cells = engagement_detail.heatmap(con, scope, wave)
                frames.append(cells)
                for r in cells.itertuples():
                    add("heatmap", wave, "dim", r.dimension, (r.team,), r.respondents, r.value)
                if not cells.empty and not light:
                    _charted(charts.heatmap(cells, "t", "c", [*LIKERT, "enps"]), cells, checks, "heatmap")
                _check_table(engagement_detail.heatmap_table(con, scope, wave), cells, checks)
                link = engagement_detail.delivery_link(con, scope, wave)
                frames.append(link)
                for r in link.itertuples():
                    add("delivery_link", wave, "dim", "psychological_safety", (r.team,), r.respondents,
                        r.psychological_safety)  # fmt: skip
        if not light and len(ids) > 1 and (teams is None or (state == 0 and len(teams) == 1)):
            _charted(charts.wave_changes(changes, list(ids), "t", "c"), changes, checks, "wave_changes")
        first_or_last = state in (0, len(world.states) - 1)
        if not light and ((teams is None and first_or_last) or (state == 0 and teams == smallest)):
            _deck(con, Scope(start=periods[0][0], end=periods[0][1], teams=teams), frames, checks)
    if not light and state in (0, len(world.states) - 1):
        out += _catalog_and_cli(con, world, state, periods[:1] + periods[-1:])
    return out


def _catalog_and_cli(con, world: World, state: int, periods) -> list[Figure]:
    """The catalog, the Overview's engagement tiles and `python -m lib metrics` (in process)
    over the whole organisation and the smallest team, for two periods: each must give
    exactly `engagement_summary`'s values, which `published` collects for every filter and
    period (four catalogs per call make every combination too slow for CI)."""
    from lib import cli, overview

    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    out = []
    sizes = world.truth[state].groupby("team")["respondent_id"].nunique()
    for teams in [None, (str(sizes.idxmin()),)]:
        for start, end in periods:
            scope = Scope(start=start, end=end, teams=teams)
            tree = metrics.catalog(con, scope)["engagement"]
            summary = engagement.engagement_summary(con, scope)
            tiles = {h.key: h.value for h in overview.headlines(con, scope)}
            argv = ["metrics", "--db", path, "--start", str(start), "--end", str(end)]
            argv += ["--team", teams[0]] if teams else []
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                assert cli.main(argv) == 0
            printed = json.loads(buffer.getvalue())["engagement"]
            for name, tree_value in (("catalog", tree), ("cli", printed)):
                for key in (
                    "survey_id",
                    "respondents",
                    "participation_rate",
                    "enps",
                    "index",
                    "favorability",
                ):
                    assert tree_value[key] == summary[key], (name, key, tree_value[key], summary[key])
            for key in ("engagement.index", "engagement.enps"):
                assert tiles[key] == tree[key.split(".")[1]], (key, tiles[key])
    return out


def _deck(con, scope: Scope, frames: list[pd.DataFrame], checks: list[str]) -> None:
    """The board pack's survey charts (the chart registry) draw nothing the pages' data
    functions did not publish for the same team set."""
    from lib.charts import registry

    ids = [c.id for c in registry.charts("engagement")] + ["overview.engagement_trend"]
    known = pd.concat([f.select_dtypes("number") for f in frames if not f.empty], ignore_index=True)
    for chart_id in ids:
        fig = registry.figure(con, chart_id, scope)
        if registry.missing(fig) is None:
            _charted(fig, known, checks, chart_id)


def _check_reasons(reasons, checks: list[str]) -> None:
    for text in reasons:
        if set(NUMBER.findall(text)) - {"5", "3", "25"}:
            checks.append(f"a reason carries a number: {text!r}")


def _check_table(table: pd.DataFrame, cells: pd.DataFrame, checks: list[str]) -> None:
    """The CSV frame holds the heatmap's values (rounded) and "hidden", nothing else."""
    for r in cells.itertuples():
        cell = table.loc[table["team"] == r.team, r.label].iloc[0]
        if pd.isna(r.value):
            ok = cell == "hidden"
        else:
            ok = not isinstance(cell, str) and abs(cell - r.value) <= (0.05 if r.is_enps else 0.0005)
        if not ok:
            checks.append(f"CSV cell {r.team}/{r.label} = {cell!r}, heatmap {r.value}")


def _charted(fig, frame: pd.DataFrame, checks: list[str], name: str) -> None:
    """Every number drawn (values, text, hover, custom data) comes from the frame."""
    known = []
    for column in frame.columns:
        for v in frame[column]:
            if (
                isinstance(v, int | float | np.integer | np.floating)
                and not isinstance(v, bool)
                and not pd.isna(v)
            ):
                known += [float(v), 100 * float(v), (float(v) + 100) / 200]
    known = np.array(known + [0.0, 1.0])
    for trace in fig.data:
        if getattr(trace, "mode", None) == "lines":
            continue  # a least-squares line drawn through shown points
        for attr in ("x", "y", "z", "customdata", "text", "hovertext"):
            values = getattr(trace, attr, None)
            if values is None:
                continue
            for item in np.array(values, dtype=object).ravel():
                if isinstance(item, str):
                    numbers, tol = [float(n) for n in NUMBER.findall(item.replace("−", "-"))], 0.51
                elif item is None or (isinstance(item, float) and math.isnan(item)):
                    continue
                else:
                    try:
                        numbers, tol = [float(item)], 1e-9
                    except (TypeError, ValueError):
                        continue
                for number in numbers:
                    unexplained = known.size == 0 or np.min(np.abs(known - number)) > tol
                    if unexplained and abs(number) not in (5.0, 25.0):  # thresholds named in words
                        checks.append(f"{name}: {attr} shows {number} that no published figure explains")


# ---------------------------------------------------------------- the people behind each number


def claimed(con) -> pd.DataFrame:
    """What the release claims to publish now: one row per survey × respondent × dimension."""
    rows = con.execute("select * from survey_published where to_release is null").df()
    rows["team"] = rows["team"].astype(object).where(rows["team"].notna(), None)
    return rows


def check_genuine(rows: pd.DataFrame, world: World, state: int, checks: list[str]) -> None:
    """Every published answer is what some imported state held for that person."""
    columns = ["team", "answers", "score_sum", "favorable", "neutral", "unfavorable"]
    seen = set()
    for truth in world.truth[: state + 1]:
        for r in truth.itertuples():
            seen.add((r.survey_id, r.respondent_id, r.dimension, *[getattr(r, c) for c in columns]))
    for r in rows.itertuples():
        key = (r.survey_id, r.respondent_id, r.dimension, r.team, *[getattr(r, c) for c in columns[1:]])
        if key not in seen:
            checks.append(f"published answers never imported: {key}")


def groups(
    figures: list[Figure], rows_by_state: dict[int, pd.DataFrame], k: int, checks: list[str]
) -> list[tuple]:
    """(state, wave, space, frozenset of unknowns, people) of every shown figure, after
    recomputing it from the claimed answers and the cells and teams the heatmap and the
    team filters show."""
    shown_cells: dict = {}
    shown_teams: dict = {}
    for f in figures:
        if f.source == "heatmap" and not math.isnan(f.values[0]):
            shown_cells.setdefault((f.state, f.wave), set()).add((next(iter(f.scope)), f.dimension))
        one_team = f.scope is not None and len(f.scope) == 1
        if f.family == "respondents" and one_team and f.n is not None and not math.isnan(f.n):
            shown_teams.setdefault((f.state, f.wave), set()).add(next(iter(f.scope)))
    answers = {}
    for state, rows in rows_by_state.items():
        for r in rows.itertuples():
            answers.setdefault((state, r.survey_id), []).append(r)
    recomputed: dict = {}
    out = []
    for f in figures:
        n_hidden = f.n is None or math.isnan(f.n)
        if (
            (f.n is not None and n_hidden)
            or (f.values and all(math.isnan(v) for v in f.values))
            or (not f.values and n_hidden)
        ):
            continue  # hidden: publishes nothing
        key = (f.state, f.wave, f.family, f.dimension, f.scope)
        if key not in recomputed:
            recomputed[key] = _recompute(
                answers.get((f.state, f.wave), []), f, shown_cells.get((f.state, f.wave), set()),
                shown_teams.get((f.state, f.wave), set()),
            )  # fmt: skip
        people, values, spaces = recomputed[key]
        if f.n is not None and f.n != people:
            checks.append(f"{f}: recomputed {people} people")
        if people < k:
            checks.append(f"{f}: shown over {people} people")
        want = values[f.family if f.family != "dim" else len(f.values)]
        if f.values and not np.allclose(f.values, want):
            checks.append(f"{f}: recomputed {want}")
        for space, unknowns in spaces.items():
            if space != "presence" or f.n is not None:
                out.append((f.state, f.wave, space, unknowns, people))
    return out


def _recompute(rows: list, f: Figure, cells: set, teams: set) -> tuple:
    """(people, values by family or value count, {space: unknowns}) of a figure's group."""
    if f.scope is not None:
        rows = [r for r in rows if r.team in f.scope]
    if f.family == "respondents":
        if f.scope is not None:
            rows = [r for r in rows if r.team in teams]
        people = frozenset(r.respondent_id for r in rows)
        return len(people), {"respondents": (float(len(people)),)}, {"respondents": people}
    if f.scope is not None:
        rows = [r for r in rows if (r.team, r.dimension) in cells]
    if f.family == "index":
        rows = [r for r in rows if r.dimension != "enps"]
    else:
        rows = [r for r in rows if r.dimension == f.dimension]
    total = sum(r.answers for r in rows) or float("nan")
    fav, neu, unfav = (
        sum(getattr(r, c) for r in rows) / total for c in ("favorable", "neutral", "unfavorable")
    )
    enps = 100 * (fav - unfav)
    values = {"index": (fav,), 1: (enps,) if f.dimension == "enps" else (fav,), 3: (fav, neu, unfav),
              4: (fav, neu, unfav, enps)}  # fmt: skip
    unknowns = frozenset(
        (r.respondent_id, r.dimension, r.answers, r.score_sum, r.favorable, r.neutral, r.unfavorable)
        for r in rows
    )
    presence = frozenset((r.respondent_id, r.dimension) for r in rows)
    people = len({r.respondent_id for r in rows})
    return people, values, {"answers": unknowns, "presence": presence}


# ---------------------------------------------------------------- attacks


def _person(unknown) -> str:
    return unknown if isinstance(unknown, str) else unknown[0]


def attack(published_groups: list[tuple], k: int) -> list[str]:
    """Groups of 1 to k − 1 people an observer can work out; empty when none."""
    found = []
    by_space: dict = {}
    for _, wave, space, unknowns, _ in published_groups:
        by_space.setdefault((wave, space), set()).add(unknowns)
    for (wave, space), sets in sorted(by_space.items(), key=str):
        sets = sorted(sets, key=lambda s: (len(s), sorted(map(str, s))))
        found += _differences(wave, space, sets, k)
        found += _linear(wave, space, sets, k)
    return found


def _differences(wave, space, sets, k) -> list[str]:
    out = []
    for small, big in itertools.combinations(sets, 2):
        if small < big:
            people = {_person(u) for u in big - small}
            if 0 < len(people) < k:
                out.append(f"{wave}/{space}: one figure minus another isolates {sorted(people)}")
    return out


def _linear(wave, space, sets, k) -> list[str]:
    unknowns = sorted(set().union(*sets), key=str)
    column = {u: i for i, u in enumerate(unknowns)}
    matrix = np.zeros((len(sets), len(unknowns)))
    for i, s in enumerate(sets):
        matrix[i, [column[u] for u in s]] = 1.0
    # Atoms: unknowns no published figure tells apart.
    atoms: dict = {}
    for u in unknowns:
        atoms.setdefault(matrix[:, column[u]].tobytes(), []).append(u)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:].T  # columns span the null space of the matrix
    small = [a for a in atoms.values() if len({_person(u) for u in a}) < k]
    out = []

    def determined(members) -> bool:
        v = np.zeros(len(unknowns))
        v[[column[u] for u in members]] = 1.0
        return null.shape[1] == 0 or np.abs(null.T @ v).max() < 1e-7

    def search(start, members, people):
        for i in range(start, len(small)):
            union_people = people | {_person(u) for u in small[i]}
            if len(union_people) >= k:
                continue
            union = members + small[i]
            if determined(union):
                out.append(f"{wave}/{space}: the figures determine the group {sorted(union_people)}")
                return
            search(i + 1, union, union_people)

    search(0, [], set())
    return out
