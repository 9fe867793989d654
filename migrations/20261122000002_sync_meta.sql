-- What the sync engine remembers between runs: the last contact with the
-- register, the ready-list cursor. Small key/value pairs.
CREATE TABLE sync_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
