-- Schema version 7: the choices a user made for a file layout (its header signature, as
-- lib.ingest.formats.mapped.header_signature computes it), shown pre-filled on the Data
-- page before the next import of a file with the same headers, never applied unseen:
-- the numeric date order (dmy / mdy / ymd) and the time zone of times written without one.

create table if not exists layout_choices (
    header_signature varchar not null,
    date_order varchar,
    time_zone varchar,
    saved_at timestamp
);
