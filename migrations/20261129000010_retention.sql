-- Retention: once the register acknowledged an entry and the retention
-- period (`[retention] days`) has passed, its personal data are purged
-- here. The journal row stays (id = idempotency key, kind, record, clerk,
-- times, state, the register's answer) with its payload replaced by JSON
-- `null`; the local rows holding a person (the application, the hand-over
-- and its document, an orphaned photo) are deleted (secure_delete zeroes
-- them in the file).
--
-- The chain hash of a purged entry covered the payload, which is gone,
-- so it cannot be recomputed. What vouches for the entry instead: one row
-- here per purged entry, and one `purge` row in the audit chain (who, when,
-- which entry) whose `detail` is a seal: SHA-256 over the entry's number,
-- id, kind, record, dependency, clerk, device time, chain hash and the
-- payload's SHA-256 taken before it was removed. `journal verify` accepts
-- a row without its payload only with both, the seal matching; the next
-- entry's hash still covers this entry's hash, so the chain holds.
-- Append-only, like the audit chain: nothing updates or deletes a row.
CREATE TABLE purges (
    journal_id     TEXT PRIMARY KEY REFERENCES journal (id),
    -- The audit row that records the purge.
    audit_seq      INTEGER NOT NULL UNIQUE REFERENCES audit_log (seq),
    -- Hex SHA-256 of the payload text as it was stored (and hashed).
    payload_sha256 TEXT NOT NULL CHECK (length(payload_sha256) = 64),
    -- RFC 3339 UTC.
    purged_at      TEXT NOT NULL,
    -- The retention in force (`[retention] days`), for the day's report.
    retention_days INTEGER NOT NULL CHECK (retention_days > 0)
) STRICT;
