-- Every write the register accepted, exactly as it parsed it (re-serialised
-- from the contract's types), by idempotency key: what the end-to-end tests
-- compare field by field with what the clerk entered.
CREATE TABLE reg_received (
    idempotency_key TEXT PRIMARY KEY,
    path            TEXT NOT NULL,
    body            TEXT NOT NULL,
    received_at     TEXT NOT NULL
) STRICT;
