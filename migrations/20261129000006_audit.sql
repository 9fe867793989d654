-- The audit chain: what someone answers for that is not a journal entry,
-- hash chained like the journal (each row's hash covers the previous
-- row's), so `counterctl audit verify` names a row edited, removed,
-- inserted or moved. Supervisors' decisions and intake overrides are
-- journal entries (state `local`) and so already in the journal's chain;
-- this chain holds log-ins (successful and refused), clerk-card bindings
-- and their removal, and (later) purges. Append-only: nothing updates or
-- deletes a row. No personal data: clerks' identifiers, card identifiers,
-- application or document numbers.
CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL CHECK (kind IN ('log_in', 'log_in_refused', 'card_bound', 'card_unbound', 'purge')),
    -- Who: the clerk identifier (typed, for a refused log-in).
    actor          TEXT NOT NULL,
    -- Which record: the card identifier, the application number; empty
    -- for a log-in.
    record_key     TEXT NOT NULL,
    office_code    TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    -- When: RFC 3339 UTC.
    at             TEXT NOT NULL,
    -- What, in a word: how the log-in was checked or why it was refused.
    detail         TEXT NOT NULL,
    entry_hash     TEXT NOT NULL
) STRICT;
