-- mizan translation memory, schema version 7: the glossary (src/tm/terms.rs, src/terms).
-- Stored text (source, target text, note) is byte-exact as given; source_norm and first_key are
-- derived (mizan::text::normalize of the source, and the recognition key of its first token) and
-- used only to find entries, never shown.

CREATE TABLE IF NOT EXISTS term (
    id          INTEGER PRIMARY KEY,
    source_lang TEXT    NOT NULL,                 -- BCP 47, canonical case
    source      TEXT    NOT NULL,                 -- exactly as given
    pos         TEXT,                             -- part of speech, as the file gave it
    note        TEXT,
    status      TEXT    NOT NULL DEFAULT 'reviewed' CHECK (status IN ('reviewed', 'unreviewed')),
    created_at  TEXT    NOT NULL,
    created_by  TEXT,
    changed_at  TEXT    NOT NULL,
    document    TEXT,                             -- the file the entry was imported from
    source_norm TEXT    NOT NULL,                 -- derived: normalized source (de-duplication)
    first_key   TEXT    NOT NULL                  -- derived: key of the first token (recognition)
);
CREATE INDEX IF NOT EXISTS term_source_norm ON term (source_norm);
CREATE INDEX IF NOT EXISTS term_first_key ON term (first_key);

-- The target terms of an entry, and its forbidden variants (forbidden = 1), each with its language,
-- in their original order.
CREATE TABLE IF NOT EXISTS term_target (
    term_id   INTEGER NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    lang      TEXT    NOT NULL,
    text      TEXT    NOT NULL,                   -- exactly as given
    forbidden INTEGER NOT NULL DEFAULT 0 CHECK (forbidden IN (0, 1)),
    PRIMARY KEY (term_id, seq)
);
