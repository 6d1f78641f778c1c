-- Schema version 2: what the app remembers between sessions.
-- settings: small key/value choices (default time zone, demo flag, anonymity threshold).
-- column_mappings: a user's saved mapping from an unrecognised file's headers to a
-- canonical table, reused when a file with the same header signature comes back.

create table if not exists settings (
    key varchar not null,
    value varchar
);

create table if not exists column_mappings (
    header_signature varchar not null,
    "table" varchar not null,
    mapping_json varchar not null,
    saved_at timestamp
);
