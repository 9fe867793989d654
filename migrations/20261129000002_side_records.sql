-- Records someone answers for, and what log-in and hand-over depend on,
-- move out of the `sync_meta` key/value table into their own tables with
-- typed columns: cached log-in verifiers, clerk-card bindings, failed chip
-- checks, offline periods, supervisors' decisions and intake overrides.
-- Decisions and overrides taken from now on are journal entries too (hash
-- chained, never sent: state `local`); those recorded by release 0.1 are
-- copied here with no journal entry (`journal_id` NULL).

CREATE TABLE clerk_verifiers (
    clerk_id     TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
    -- argon2id PHC string of what the clerk typed at the last online
    -- log-in; NULL when the account was confirmed by a clerk card only.
    verifier     TEXT,
    verified_at  TEXT NOT NULL
) STRICT;

INSERT INTO clerk_verifiers (clerk_id, display_name, role, verifier, verified_at)
SELECT substr(key, 7), json_extract(value, '$.display_name'), json_extract(value, '$.role'),
       NULLIF(json_extract(value, '$.verifier'), ''), json_extract(value, '$.verified_at')
FROM sync_meta
WHERE key LIKE 'clerk/%' AND json_valid(value)
  AND json_extract(value, '$.role') IN ('clerk', 'supervisor')
  AND json_type(value, '$.display_name') = 'text'
  AND json_type(value, '$.verified_at') = 'text';

CREATE TABLE card_bindings (
    card_id    TEXT PRIMARY KEY,
    clerk_id   TEXT NOT NULL,
    -- The card's P-256 public key, hex.
    public_key TEXT NOT NULL,
    bound_at   TEXT NOT NULL
) STRICT;

INSERT INTO card_bindings (card_id, clerk_id, public_key, bound_at)
SELECT substr(key, 6), json_extract(value, '$.clerk_id'), json_extract(value, '$.public_key'),
       json_extract(value, '$.bound_at')
FROM sync_meta
WHERE key LIKE 'card/%' AND json_valid(value)
  AND json_type(value, '$.clerk_id') = 'text'
  AND json_type(value, '$.public_key') = 'text'
  AND json_type(value, '$.bound_at') = 'text';

-- A document whose chip failed its check: the hand-over stays refused until
-- a later check passes.
CREATE TABLE chip_failures (
    document_number TEXT PRIMARY KEY,
    outcome         TEXT NOT NULL,
    failed_at       TEXT NOT NULL
) STRICT;

INSERT INTO chip_failures (document_number, outcome, failed_at)
SELECT substr(key, 13), value, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM sync_meta WHERE key LIKE 'chip_failed/%';

CREATE TABLE offline_periods (
    started_at TEXT NOT NULL,
    ended_at   TEXT NOT NULL,
    PRIMARY KEY (started_at, ended_at)
) STRICT;

INSERT OR IGNORE INTO offline_periods (started_at, ended_at)
SELECT json_extract(p.value, '$.from'), json_extract(p.value, '$.to')
FROM sync_meta m, json_each(m.value) p
WHERE m.key = 'offline_periods' AND json_valid(m.value)
  AND json_type(p.value, '$.from') = 'text' AND json_type(p.value, '$.to') = 'text';

-- A supervisor's decision on an entry the register refused.
CREATE TABLE decisions (
    entry_id      TEXT PRIMARY KEY REFERENCES journal (id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('accept_refusal', 'corrected_elsewhere', 'escalated')),
    note          TEXT NOT NULL,
    supervisor_id TEXT NOT NULL,
    decided_at    TEXT NOT NULL,
    journal_id    TEXT UNIQUE REFERENCES journal (id)
) STRICT;

INSERT INTO decisions (entry_id, outcome, note, supervisor_id, decided_at, journal_id)
SELECT substr(m.key, 10), json_extract(m.value, '$.outcome'), json_extract(m.value, '$.note'),
       json_extract(m.value, '$.supervisor'), json_extract(m.value, '$.decided_at'), NULL
FROM sync_meta m JOIN journal j ON j.id = substr(m.key, 10)
WHERE m.key LIKE 'decision/%' AND json_valid(m.value)
  AND json_extract(m.value, '$.outcome') IN ('accept_refusal', 'corrected_elsewhere', 'escalated')
  AND json_type(m.value, '$.note') = 'text'
  AND json_type(m.value, '$.supervisor') = 'text'
  AND json_type(m.value, '$.decided_at') = 'text';

-- A supervisor lifting the offline intake caps until a time.
CREATE TABLE intake_overrides (
    until         TEXT NOT NULL,
    supervisor_id TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    journal_id    TEXT UNIQUE REFERENCES journal (id)
) STRICT;

INSERT INTO intake_overrides (until, supervisor_id, recorded_at, journal_id)
SELECT json_extract(value, '$.until'), json_extract(value, '$.supervisor'),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL
FROM sync_meta
WHERE key = 'policy/override_until' AND json_valid(value)
  AND json_type(value, '$.until') = 'text' AND json_type(value, '$.supervisor') = 'text';

-- What did not read back stays in sync_meta for office IT to look at;
-- what moved is removed.
DELETE FROM sync_meta WHERE key LIKE 'clerk/%' AND substr(key, 7) IN (SELECT clerk_id FROM clerk_verifiers);
DELETE FROM sync_meta WHERE key LIKE 'card/%' AND substr(key, 6) IN (SELECT card_id FROM card_bindings);
DELETE FROM sync_meta WHERE key LIKE 'chip_failed/%';
DELETE FROM sync_meta WHERE key = 'offline_periods' AND json_valid(value)
  AND NOT EXISTS (SELECT 1 FROM json_each(sync_meta.value) p
                  WHERE json_type(p.value, '$.from') IS NOT 'text' OR json_type(p.value, '$.to') IS NOT 'text');
DELETE FROM sync_meta WHERE key LIKE 'decision/%' AND substr(key, 10) IN (SELECT entry_id FROM decisions);
DELETE FROM sync_meta WHERE key = 'policy/override_until' AND EXISTS (SELECT 1 FROM intake_overrides);
