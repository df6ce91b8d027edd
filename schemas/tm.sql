-- mizan translation memory, schema version 1 (PRAGMA user_version = 1).
-- One SQLite file. Stored text (source, target, markup) is kept byte-exact as given;
-- everything used for matching is derived and lives in other columns or tables.
-- Dates are UTC, ISO 8601 with seconds: 2026-11-27T18:48:30Z.
-- Later versions add tables in src/tm/mod.rs (MIGRATIONS); version 7, the glossary, is
-- schemas/tm-terms.sql.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS unit (
    id            INTEGER PRIMARY KEY,
    source_lang   TEXT    NOT NULL,             -- BCP 47, canonical case: ar, ar-SA, en-US
    target_lang   TEXT    NOT NULL,
    source        TEXT    NOT NULL,             -- exactly as given
    target        TEXT    NOT NULL,             -- exactly as given
    source_markup TEXT,                         -- inner XML of the TMX <seg> when it had inline tags
    target_markup TEXT,
    source_hash   INTEGER NOT NULL,             -- FNV-1a 64 of source_lang, target_lang and source (de-duplication)
    origin        TEXT    NOT NULL CHECK (origin IN ('human', 'import', 'align', 'tmx')),
    document      TEXT,                         -- document the unit came from (articles, aligned files)
    position      INTEGER,                      -- 0-based segment index in that document
    tuid          TEXT,                         -- TMX tuid when imported from TMX
    created_at    TEXT    NOT NULL,
    created_by    TEXT,
    changed_at    TEXT    NOT NULL,
    changed_by    TEXT,
    usage_count   INTEGER NOT NULL DEFAULT 0,
    last_used_at  TEXT,
    note          TEXT
);
CREATE INDEX IF NOT EXISTS unit_source_hash ON unit (source_hash);

-- Free properties (TMX <prop type="...">), in their original order.
CREATE TABLE IF NOT EXISTS unit_prop (
    unit_id INTEGER NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    type    TEXT    NOT NULL,
    value   TEXT    NOT NULL,
    PRIMARY KEY (unit_id, seq)
) WITHOUT ROWID;
