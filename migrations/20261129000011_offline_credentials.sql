-- Offline credentials bound to this counter. What lets a clerk log in
-- while the register is down — the cached account (role, argon2 verifier,
-- when the register last confirmed it) and clerk-card bindings — moves
-- into tables whose every row carries a MAC (HMAC-SHA256 under a key
-- derived from the journal's key, never the key itself) over the clerk,
-- the office and workstation, and the row's values, its expiry included
-- (`passport_journal::credentials`). A row edited (clerk → supervisor, an
-- expiry pushed) or copied from another clerk or counter no longer matches
-- its MAC and is refused at log-in.
--
-- A migration cannot compute a MAC (it has no key): the rows of the old
-- tables are sealed and moved by the journal when it is first opened after
-- this migration, once (`credentials_to_adopt` marks that it has not
-- happened yet; the journal deletes the mark in the same transaction).

CREATE TABLE offline_credentials (
    clerk_id       TEXT PRIMARY KEY,
    office_code    TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
    -- argon2id PHC string of what the clerk typed at the last online
    -- log-in; NULL when the account was confirmed by a clerk card only.
    verifier       TEXT,
    -- RFC 3339: when the register last confirmed the account here.
    verified_at    TEXT NOT NULL,
    -- RFC 3339: the last moment this row may log anyone in offline.
    expires_at     TEXT NOT NULL,
    -- Lower-case hex HMAC-SHA256 over the columns above.
    mac            TEXT NOT NULL
) STRICT;

CREATE TABLE clerk_cards (
    card_id        TEXT PRIMARY KEY,
    clerk_id       TEXT NOT NULL,
    office_code    TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    -- The card's P-256 public key, hex.
    public_key     TEXT NOT NULL,
    bound_at       TEXT NOT NULL,
    -- Lower-case hex HMAC-SHA256 over the columns above.
    mac            TEXT NOT NULL
) STRICT;

CREATE TABLE credentials_to_adopt (
    id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;
INSERT INTO credentials_to_adopt (id) VALUES (1);

-- A refused credential is a refused log-in like the others (audited, in
-- `login_failures`): the reason's CHECK gains `credential_refused`. SQLite
-- cannot change a CHECK in place: the table is rebuilt, rows and ids kept.
CREATE TABLE login_failures_v2 (
    id             INTEGER PRIMARY KEY,
    clerk_id       TEXT NOT NULL,
    office_code    TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    failed_at      TEXT NOT NULL,
    -- as before, and credential_refused: the cached offline credential or
    -- card binding did not match its MAC (edited, or copied from another
    -- clerk or counter); nothing was checked against it.
    reason         TEXT NOT NULL
        CHECK (reason IN ('register_refused', 'verifier_mismatch', 'throttled', 'credential_refused')),
    cleared_at     TEXT
) STRICT;
INSERT INTO login_failures_v2 (id, clerk_id, office_code, workstation_id, failed_at, reason, cleared_at)
SELECT id, clerk_id, office_code, workstation_id, failed_at, reason, cleared_at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_v2 RENAME TO login_failures;
CREATE INDEX login_failures_by_clerk ON login_failures (clerk_id, failed_at);

-- A register that refused this workstation's history as a fork (409
-- chain_fork): kept until a later report is accepted, so the refusal is a
-- state the supervisor sees (and counterctl status shows) across restarts,
-- not a round that quietly fails again.
CREATE TABLE chain_fork (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    -- The register's own words, for office IT.
    register_text    TEXT NOT NULL,
    first_refused_at TEXT NOT NULL,
    last_refused_at  TEXT NOT NULL,
    refusals         INTEGER NOT NULL CHECK (refusals >= 1)
) STRICT;
