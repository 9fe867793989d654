-- The local journal and the tables the counter's screens read.
-- Append-only: installed counters have already run this file. Change the
-- schema with a new, later-timestamped file.

-- Which office and workstation this database belongs to. One row.
CREATE TABLE workstation (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    office_code    TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    demo           INTEGER NOT NULL CHECK (demo IN (0, 1)),
    created_at     TEXT NOT NULL
) STRICT;

-- Named monotonic counters (the application-number sequence).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;

-- Every clerk action, in the order it was taken. `seq` is the workstation's
-- sequence number; `id` (UUIDv7) is the idempotency key sent to the register.
-- `entry_hash` chains each entry to the one before, so `counterctl journal
-- verify` can tell an entry was altered, removed or reordered.
CREATE TABLE journal (
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
                     CHECK (sync_state IN ('pending', 'in_flight', 'acknowledged', 'rejected', 'conflict')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    register_reason  TEXT,
    state_changed_at TEXT NOT NULL
) STRICT;

-- The sync queue reads entries by state in order. (Every index is one more
-- page written, and synced, by every clerk action: add them sparingly.)
CREATE INDEX journal_by_state ON journal (sync_state, seq);

-- Photos, stored once by content hash.
CREATE TABLE photos (
    sha256 TEXT PRIMARY KEY,
    mime   TEXT NOT NULL,
    width  INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes  BLOB NOT NULL
) STRICT;

-- Applications taken at this counter. WITHOUT ROWID: the number is the key,
-- so the table is one b-tree rather than a table plus a key index.
CREATE TABLE applications (
    number       TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    pesel        TEXT NOT NULL,
    surname      TEXT NOT NULL,
    -- Upper-case, without diacritics: what a surname search compares.
    surname_key  TEXT NOT NULL,
    given_names  TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    status       TEXT NOT NULL,
    fee_grosz    INTEGER NOT NULL,
    photo_sha256 TEXT NOT NULL REFERENCES photos (sha256),
    journal_id   TEXT NOT NULL REFERENCES journal (id),
    -- The full application is the journal entry's payload: stored once.
    created_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX applications_by_pesel ON applications (pesel);
CREATE INDEX applications_by_surname ON applications (surname_key, number);

-- Documents waiting at this office (the register's ready list, cached so a
-- hand-over can be prepared offline) and documents known to the counter.
CREATE TABLE documents (
    document_number    TEXT PRIMARY KEY,
    application_number TEXT,
    pesel              TEXT NOT NULL,
    surname            TEXT NOT NULL,
    given_names        TEXT NOT NULL,
    mrz_line1          TEXT,
    mrz_line2          TEXT,
    status             TEXT NOT NULL,
    invalidation_reason TEXT,
    synced_at          TEXT
) STRICT;

CREATE INDEX documents_by_application ON documents (application_number);
CREATE INDEX documents_by_pesel ON documents (pesel);

-- Hand-overs recorded at this counter.
CREATE TABLE handovers (
    document_number       TEXT PRIMARY KEY REFERENCES documents (document_number),
    application_number    TEXT,
    collected_by          TEXT NOT NULL,
    identity_check        TEXT NOT NULL,
    chip_check            TEXT NOT NULL,
    previous_passport     TEXT,
    provisional           INTEGER NOT NULL CHECK (provisional IN (0, 1)),
    journal_id            TEXT NOT NULL UNIQUE REFERENCES journal (id),
    recorded_at           TEXT NOT NULL
) STRICT;

-- Invalidations recorded at this counter.
CREATE TABLE invalidations (
    document_number TEXT NOT NULL,
    reason          TEXT NOT NULL,
    journal_id      TEXT NOT NULL UNIQUE REFERENCES journal (id),
    recorded_at     TEXT NOT NULL,
    PRIMARY KEY (document_number)
) STRICT;
