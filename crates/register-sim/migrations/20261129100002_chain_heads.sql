-- The chain heads the register last accepted from each workstation (the
-- journal's and the audit log's: sequence number and hash), kept in the
-- simulator's database so a restarted register still refuses a history
-- that does not extend them (409 chain_fork), as the real register would.
CREATE TABLE reg_chain_heads (
    office_code    TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    journal_seq    INTEGER NOT NULL CHECK (journal_seq >= 0),
    journal_hash   TEXT NOT NULL,
    audit_seq      INTEGER NOT NULL CHECK (audit_seq >= 0),
    audit_hash     TEXT NOT NULL,
    accepted_at    TEXT NOT NULL,
    PRIMARY KEY (office_code, workstation_id)
) STRICT;
