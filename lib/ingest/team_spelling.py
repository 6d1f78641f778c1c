"""One spelling per team across every tool's files.

Jira names a team `payments`, the HRIS `Payments`, PagerDuty ` payments `: one team, or the
filters offer two and each page shows half of it. An import respells the teams of its rows to
the spelling already stored, forgiving only case and surrounding spaces:
- the `teams` table's spelling, when it holds exactly one for the name;
- else the spelling stored by earlier imports of any other table (the first in sort order
  when they disagree, which only data imported before this rule can do);
- a name no earlier import holds keeps the file's spelling; in a table keyed by team
  (teams, skill targets, AI usage) so does a name the file itself spells two ways, since
  folding them could merge two of its rows.
So the first spelling stored wins everywhere, the `teams` table included, and undo never has
to respell rows of another import. Nothing here reads the file's other columns.
"""

from __future__ import annotations

import duckdb

from lib.ingest.stage import ident
from lib.tables import TABLES


def _stored_sql() -> str:
    """SQL: (team, rank) of every stored row naming a team outside import $import_id; rank 0
    for the `teams` table, 1 for the rest."""
    return " union ".join(
        f"select distinct team, {0 if name == 'teams' else 1} as rank from {ident(name)} "
        "where team is not null and import_id is distinct from $import_id"
        for name, table in TABLES.items()
        if "team" in table.column_names
    )


def _canon_sql() -> str:
    """SQL: one row per folded name (`k`) with the spelling to store (`team`)."""
    return (
        "select k, case when count(distinct team) filter (where rank = 0) = 1 "
        "then min(team) filter (where rank = 0) "
        "when count(distinct team) filter (where rank = 0) = 0 then min(team) end as team "
        f"from (select lower(trim(team)) as k, team, rank from ({_stored_sql()})) group by k"
    )


def respell(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    import_id: str,
    in_target: bool = False,
    keyed: bool = False,
) -> int:
    """Respell the `team` of the incoming rows to the stored spelling.

    `relation` is the quoted name of the rows being imported: a staging table holding only
    them, or (`in_target`) the target table itself, where they are the rows of `import_id`;
    rows of `import_id` are never "stored". `keyed`: the team is part of the table's key.
    Returns how many names were respelled (0: nothing was written)."""
    mine = "r.import_id = $import_id" if in_target else "true"
    # the file's distinct names first: folding and matching them costs nothing per row
    names = f"select distinct team from {relation} r where team is not null and {mine}"
    single = "select lower(trim(team)) as k from incoming group by k having count(distinct team) = 1"
    differ = (
        f"with incoming as ({names}) select i.team, c.team as canon from incoming i "
        f"join ({_canon_sql()}) c on c.k = lower(trim(i.team)) where c.team is not null and c.team <> i.team"
        + (f" and c.k in ({single})" if keyed else "")
    )
    pairs = con.execute(differ, {"import_id": import_id}).fetchall()
    if not pairs:
        return 0
    # identifiers only (the relation, our own condition); the names are bound
    update = (
        f"update {relation} as r set team = m.canon "
        "from (select unnest($old) as team, unnest($new) as canon) m "
        f"where r.team = m.team and {mine}"
    )
    con.execute(
        update,
        {"old": [p[0] for p in pairs], "new": [p[1] for p in pairs]}
        | ({"import_id": import_id} if in_target else {}),
    )
    return len(pairs)
