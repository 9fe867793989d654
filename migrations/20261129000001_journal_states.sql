-- no-transaction
-- Two new sync states. `unsendable`: a journal entry whose stored payload
-- this release cannot read is never sent with guessed values, and a
-- supervisor sees it with the reason. `local`: an entry that records
-- something done at this counter only (a supervisor's decision or
-- override): hash chained like every entry, never sent. SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt (SQLite's documented
-- procedure: new table, copy, drop, rename), every row and its hash
-- unchanged. Foreign keys must be off while the parent table is swapped,
-- which is not allowed inside a transaction: hence no-transaction, with
-- the rebuild itself one transaction. Run again after a crash it rebuilds
-- the same rows again.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS journal_rebuilt;
CREATE TABLE journal_rebuilt (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    record_key       TEXT NOT NULL,
    depends_on       TEXT REFERENCES journal (id),
    payload          TEXT NOT NULL,
    clerk_id         TEXT NOT NULL,
    device_time      TEXT NOT NULL,
    entry_hash       TEXT NOT NULL,
    sync_state       TEXT NOT NULL DEFAULT 'pending'
                     CHECK (sync_state IN ('pending', 'in_flight', 'acknowledged', 'rejected', 'conflict', 'unsendable', 'local')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    register_reason  TEXT,
    state_changed_at TEXT NOT NULL
) STRICT;
INSERT INTO journal_rebuilt (seq, id, kind, record_key, depends_on, payload, clerk_id, device_time,
                             entry_hash, sync_state, attempts, last_error, register_reason, state_changed_at)
    SELECT seq, id, kind, record_key, depends_on, payload, clerk_id, device_time,
           entry_hash, sync_state, attempts, last_error, register_reason, state_changed_at
    FROM journal ORDER BY seq;
-- The sequence's high-water mark is kept too: `journal verify` compares it
-- with the last entry to see a cut tail.
UPDATE sqlite_sequence
   SET seq = MAX(seq, COALESCE((SELECT MAX(seq) FROM sqlite_sequence WHERE name = 'journal'), 0))
 WHERE name = 'journal_rebuilt';
DROP TABLE journal;
ALTER TABLE journal_rebuilt RENAME TO journal;
CREATE INDEX journal_by_state ON journal (sync_state, seq);
COMMIT;
PRAGMA foreign_keys = ON;
