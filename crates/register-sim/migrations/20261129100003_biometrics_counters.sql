-- The workstations the register has accepted an application with a
-- biometrics section from (counters upgraded past release 0.1), with the
-- first such application. From then on an application of theirs without
-- the section is refused whenever the register's rule asks for fingerprints
-- or a signature, whatever its date: the cut-over's backdating defence
-- (`cutover.rs`). Kept here so a restarted register still applies it.
CREATE TABLE reg_biometrics_counters (
    office_code       TEXT NOT NULL,
    workstation_id    TEXT NOT NULL,
    first_application TEXT NOT NULL,
    first_accepted_at TEXT NOT NULL,
    PRIMARY KEY (office_code, workstation_id)
) STRICT;
