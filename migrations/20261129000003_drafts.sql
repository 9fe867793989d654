-- What a clerk has typed but not yet saved: the new application or the
-- hand-over in progress, one row per clerk and form, rewritten as the clerk
-- types and deleted when the form is saved (in the same transaction) or
-- when the clerk discards it. Not part of the journal: a draft is nobody's
-- record yet, it only keeps typing from being lost (lock, restart, crash).
CREATE TABLE drafts (
    clerk_id   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('application', 'handover')),
    -- The form as JSON of the journal's typed form structs (drafts.rs),
    -- read back into them: a body that does not read back is an error
    -- shown to the clerk, and the row is kept.
    body       TEXT NOT NULL,
    -- The chosen photo beside the body, not inside it (it is far larger
    -- than everything typed).
    photo      BLOB,
    photo_mime TEXT CHECK (photo_mime IN ('image/jpeg', 'image/png')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (clerk_id, kind),
    CHECK ((photo IS NULL) = (photo_mime IS NULL))
) STRICT;
