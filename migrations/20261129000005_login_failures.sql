-- Failed log-ins at this counter, for audit and to slow down guessing:
-- who (the clerk identifier typed), when, which counter (office and
-- workstation, so a copied row still says where it happened), and how it
-- failed. A row is never changed except `cleared_at`, set when the same
-- clerk next logs in successfully here (it ends the run of failures the
-- wait is counted from). The hash chain over these rows comes later.
CREATE TABLE login_failures (
    id             INTEGER PRIMARY KEY,
    clerk_id       TEXT NOT NULL,
    office_code    TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    -- RFC 3339 UTC with milliseconds (compared as text).
    failed_at      TEXT NOT NULL,
    -- register_refused: the register refused the password (or the account);
    -- verifier_mismatch: offline, the password did not match the cached
    -- verifier; throttled: refused unchecked while the clerk must wait.
    reason         TEXT NOT NULL
        CHECK (reason IN ('register_refused', 'verifier_mismatch', 'throttled')),
    cleared_at     TEXT
) STRICT;

CREATE INDEX login_failures_by_clerk ON login_failures (clerk_id, failed_at);
