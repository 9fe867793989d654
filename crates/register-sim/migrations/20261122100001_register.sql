-- The register simulator's own database. Tables are prefixed `reg_` so the
-- query cache can be prepared against one scratch database holding both the
-- counter's schema and this one.

CREATE TABLE reg_offices (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE reg_applications (
    number          TEXT PRIMARY KEY,
    office          TEXT NOT NULL REFERENCES reg_offices (code),
    workstation     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    pesel           TEXT NOT NULL,
    surname         TEXT NOT NULL,
    given_names     TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    sex             TEXT NOT NULL,
    status          TEXT NOT NULL,
    document_number TEXT,
    idempotency_key TEXT NOT NULL,
    accepted_at     TEXT NOT NULL
) STRICT;

CREATE TABLE reg_documents (
    document_number     TEXT PRIMARY KEY,
    application_number  TEXT,
    office              TEXT NOT NULL,
    pesel               TEXT NOT NULL,
    surname             TEXT NOT NULL,
    given_names         TEXT NOT NULL,
    birth_date          TEXT NOT NULL,
    sex                 TEXT NOT NULL,
    mrz_line1           TEXT NOT NULL,
    mrz_line2           TEXT NOT NULL,
    status              TEXT NOT NULL,
    invalidation_reason TEXT,
    ready_seq           INTEGER NOT NULL,
    ready_since         TEXT NOT NULL
) STRICT;

CREATE INDEX reg_documents_ready ON reg_documents (office, ready_seq);
CREATE INDEX reg_documents_pesel ON reg_documents (pesel);

CREATE TABLE reg_handovers (
    document_number   TEXT PRIMARY KEY,
    office            TEXT NOT NULL,
    clerk_id          TEXT NOT NULL,
    collected_by      TEXT NOT NULL,
    chip_check        TEXT NOT NULL,
    previous_passport TEXT,
    provisional       INTEGER NOT NULL,
    idempotency_key   TEXT NOT NULL,
    recorded_at       TEXT NOT NULL
) STRICT;

CREATE TABLE reg_invalidations (
    document_number TEXT PRIMARY KEY,
    reason          TEXT NOT NULL,
    idempotency_key TEXT,
    recorded_at     TEXT NOT NULL
) STRICT;

-- The first answer to every idempotent write, replayed for the same key.
CREATE TABLE reg_idempotency (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
