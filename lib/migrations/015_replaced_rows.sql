-- Schema version 15: the rows an import replaced, so undoing it restores them (issue 18).
--
-- An import upserts on each table's key: a row of the file whose key is already stored
-- replaces the stored row. The stored row is kept here first, whole, as JSON of every
-- column (its import_id included), so `lib.ingest.load.undo_import` can put it back,
-- in whatever order imports are undone (lib/ingest/replaced.py states the rule).
--
-- replaced_by: the import whose upsert replaced the row;
-- table_name:  the canonical table it belongs to;
-- row_key:     the row's key as JSON (`to_json(struct_pack(key columns))`), to find it again;
-- written_by:  the import that wrote the replaced row (its import_id; null for rows
--              written without one);
-- row_json:    every column of the row as it was stored.
--
-- Holds rows of every org unit, but has no team, person or org column: a signed-in person
-- restricted to some org units never sees it (lib/access.py hides such tables).

create table if not exists replaced_rows (
    replaced_by varchar not null,
    table_name varchar not null,
    row_key varchar not null,
    written_by varchar,
    row_json json not null
);
