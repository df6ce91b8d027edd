//! The translation memory: one SQLite file holding units (source, target, provenance).
//!
//! Invariants:
//! - stored text (`source`, `target`, inline markup) is byte-exact as given; nothing here normalizes
//!   it — derived matching data lives in other tables (see [`crate::fuzzy`]);
//! - the same source with the same target (for the same language pair, each with the same inline
//!   markup) is stored once;
//! - every multi-row write is one transaction ([`Batch`]): dropping a batch without
//!   [`Batch::commit`] rolls it back, so an interrupted import leaves the TM as it was;
//! - the schema is `schemas/tm.sql`, versioned with `PRAGMA user_version`; the file is marked with
//!   `PRAGMA application_id` so that mizan never writes into somebody else's database;
//! - every unit has a review [`Status`] besides its [`Origin`]; writes only ever raise a unit to
//!   `reviewed` when the incoming unit is reviewed (a person wrote or confirmed it), never because
//!   an unreviewed copy of it arrived again.
//!
//! ```
//! use mizan::tm::{Tm, NewUnit, Origin, DuplicatePolicy};
//! let mut tm = Tm::open_in_memory().unwrap();
//! let unit = NewUnit::new("ar", "en", "زيارة نادرة", "A rare visit", Origin::Human).unwrap();
//! let mut batch = tm.batch(DuplicatePolicy::KeepBoth).unwrap();
//! batch.add(&unit).unwrap();
//! batch.add(&unit).unwrap(); // stored once
//! batch.commit().unwrap();
//! assert_eq!(tm.stats().unwrap().units, 1);
//! ```

pub mod import;
pub mod index;
#[cfg(feature = "postgres")]
mod mirror;
pub mod rank;
pub mod suggest;
mod terms;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::Serialize;

// The unit model lives in `crate::unit`; these names stay reachable here for callers of the store.
pub use crate::unit::{date, lang, BadLangTag, LangTag, NewUnit, Origin, Status, Unit, UnitError, UnitView};

/// `PRAGMA application_id` of a mizan TM ("MZAN").
pub const APPLICATION_ID: i32 = 0x4D5A_414E;

/// One schema migration.
type Migration = fn(&Connection) -> rusqlite::Result<()>;

/// The schema migrations, in order; migration `i` brings the file to `user_version = i + 1`.
/// 1: the units (`schemas/tm.sql`); 2: the fuzzy-match index, built from the units already there;
/// 3: the header children of imported TMX files ([`SCHEMA_V3`]); 4: the review status of every
/// unit ([`SCHEMA_V4`]); 5: the index entries of units whose source holds an invisible mark
/// ([`reindex_invisible_marks`]); 6: the whole fuzzy index rebuilt with morphological keys
/// (index format 2: a word's key is what remains once every letter that could be an affix is
/// removed, see [`crate::text::morph`]; entries with the old keys would hide matches), now left
/// to migration 8, which rebuilds it again; 7: the glossary (`schemas/tm-terms.sql`, [`terms`]);
/// 8: the whole fuzzy index rebuilt in format 3 (the keys of [`crate::text::morph`] as of that
/// version, tags of weight 0), now left to migration 9; 9: the whole fuzzy index rebuilt in
/// format 4 (the keys of [`crate::text::morph`] as of this version): an index of an older format
/// has other keys for some words and would hide their matches, so without this a search would
/// scan every unit.
const MIGRATIONS: &[Migration] = &[
    |c| c.execute_batch(include_str!("../../schemas/tm.sql")),
    |c| {
        index::create_schema(c)?;
        index::rebuild(c)
    },
    |c| c.execute_batch(SCHEMA_V3),
    |c| c.execute_batch(SCHEMA_V4),
    reindex_invisible_marks,
    // Was `index::rebuild` (format 2); migration 8 rebuilds the index anyway, once is enough.
    |_| Ok(()),
    |c| c.execute_batch(terms::SCHEMA),
    // Was `index::rebuild` (format 3); migration 9 rebuilds the index anyway, once is enough.
    |_| Ok(()),
    index::rebuild,
];

/// Schema version 5: tokens no longer split at an invisible mark inside a word (`الرئ‎يس`, with a
/// left-to-right mark, is one word, see [`crate::text::is_invisible_mark`]), so units indexed by an
/// older mizan with such a mark in their source are indexed again; the others' entries are
/// unchanged (re-indexing all would cost a million-unit TM half a minute on open).
fn reindex_invisible_marks(c: &Connection) -> rusqlite::Result<()> {
    let marks: Vec<char> = ('\u{00AD}'..='\u{FEFF}')
        .filter(|&m| crate::text::is_invisible_mark(m))
        .collect();
    let condition = marks
        .iter()
        .map(|m| format!("instr(source, char({})) > 0", *m as u32))
        .collect::<Vec<_>>()
        .join(" OR ");
    let mut stmt = c.prepare(&format!("SELECT id, source FROM unit WHERE {condition} ORDER BY id"))?;
    let found: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut ix = index::Indexer::new(c)?;
    for (id, source) in &found {
        ix.add(*id, source)?;
    }
    ix.finish()
}

/// Schema version 3: the `<prop>`, `<note>` and `<ude>` children of imported TMX headers, as
/// export writes them back (the element's XML as mizan writes it), each distinct one once, in the
/// order first seen.
const SCHEMA_V3: &str = "
CREATE TABLE IF NOT EXISTS tmx_header_item (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('prop', 'note', 'ude')),
    xml  TEXT NOT NULL UNIQUE
);
";

/// Schema version 4: `unit.status`, the review status ([`Status`]). Units already stored get it
/// from what is known of them:
/// - origin `align` → `unreviewed` (aligned pairs are machine output), unless the unit was changed
///   after it was created (`mizan edit` by a person);
/// - a unit whose note says it came from a pre-translation TMX (`mizan suggestion: … from unit …`,
///   which mizan wrote before version 4 and imported as `human`) → `unreviewed`;
/// - everything else (`human`, `import`, `tmx`) → `reviewed`: a person typed it, or it came from
///   a file that did not say otherwise.
///
/// Adding a column with a constant default rewrites no row, so this is quick on a big TM; only the
/// rows that change are written.
const SCHEMA_V4: &str = "
ALTER TABLE unit ADD COLUMN status TEXT NOT NULL DEFAULT 'reviewed' CHECK (status IN ('reviewed', 'unreviewed'));
UPDATE unit SET status = 'unreviewed'
 WHERE (origin = 'align' AND changed_at <= created_at)
    OR note LIKE 'mizan suggestion: % from unit %';
";

/// The schema version this mizan writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Errors of the translation memory.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TmError {
    /// The file does not exist and the command only reads.
    #[error("no translation memory at {0}: create one with `mizan import` or `mizan add`, or point --tm (or MIZAN_TM) at an existing file")]
    Missing(PathBuf),
    /// The directory the TM would be created in does not exist.
    #[error("cannot create a translation memory at {path}: the directory {dir} does not exist")]
    NoDirectory {
        /// The TM path.
        path: PathBuf,
        /// Its missing directory.
        dir: PathBuf,
    },
    /// The file exists but is not an SQLite database.
    #[error("{0} is not a mizan translation memory (not an SQLite database); mizan left it untouched")]
    NotSqlite(PathBuf),
    /// The file is an SQLite database of another application.
    #[error(
        "{0} is an SQLite database of another application, not a mizan translation memory; mizan left it untouched"
    )]
    ForeignDatabase(PathBuf),
    /// The file was written by a newer mizan.
    #[error("{path} has schema version {found}, newer than this mizan knows ({known}): upgrade mizan")]
    TooNew {
        /// The TM path.
        path: PathBuf,
        /// Its schema version.
        found: i32,
        /// The newest version this build knows.
        known: i32,
    },
    /// Reading the file failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The TM path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A unit with an empty source or target.
    #[error("empty {0}: a unit needs both a source and a target")]
    EmptyText(&'static str),
    /// A language tag that is not BCP 47.
    #[error(transparent)]
    Lang(#[from] BadLangTag),
    /// A date that could not be read.
    #[error(transparent)]
    Date(#[from] date::BadDate),
    /// No unit has this id.
    #[error("no unit with id {0}")]
    NoSuchUnit(i64),
    /// Another process held the TM's write lock for longer than mizan was told to wait.
    #[error("{path} is locked: another process is writing it, and mizan waited {} s for it to finish; try again when it is done, or wait longer (--wait SECONDS or MIZAN_WAIT)", waited.as_secs())]
    Locked {
        /// The TM path.
        path: PathBuf,
        /// How long mizan waited.
        waited: std::time::Duration,
    },
    /// A command that writes met a TM it cannot write.
    #[error("cannot write the translation memory {0}: the file or its directory is read-only (commands that only read, such as match, stats and export, still work)")]
    ReadOnlyFile(PathBuf),
    /// A read-only TM whose schema is older than this mizan's.
    #[error("{path} has schema version {found} and cannot be upgraded to {known} because it is read-only: open it once with write access (any command that writes, e.g. `mizan reindex`)")]
    ReadOnlyOld {
        /// The TM path.
        path: PathBuf,
        /// Its schema version.
        found: i32,
        /// The version this build writes.
        known: i32,
    },
    /// A glossary entry that cannot be stored (no source or target).
    #[error(transparent)]
    Term(crate::terms::TermError),
    /// An SQLite error. (The cause is part of the message, not a separate source, so that a
    /// report prints it once.)
    #[error("SQLite: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for TmError {
    fn from(e: rusqlite::Error) -> Self {
        TmError::Sqlite(e)
    }
}

impl TmError {
    /// Whether this is a lock held by another process past the busy timeout
    /// ([`TmError::Locked`], or an SQLite busy/locked error from a later statement).
    pub fn is_locked(&self) -> bool {
        match self {
            TmError::Locked { .. } => true,
            TmError::Sqlite(e) => is_busy(e),
            _ => false,
        }
    }
}

/// Whether an SQLite error says the file (or its directory) cannot be written.
fn is_read_only_error(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
}

/// `file:PATH?immutable=1`, the path percent-encoded as SQLite's URI syntax requires.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Whether an SQLite error is `SQLITE_BUSY` or `SQLITE_LOCKED`.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

type Result<T, E = TmError> = std::result::Result<T, E>;

impl From<UnitError> for TmError {
    fn from(e: UnitError) -> Self {
        match e {
            UnitError::EmptyText(which) => TmError::EmptyText(which),
            UnitError::Lang(e) => TmError::Lang(e),
        }
    }
}

/// What to do when the TM already has the incoming source with a different target.
///
/// An identical unit (same source and same target, each with the same inline markup) is never
/// stored twice, whatever the policy. Sources that differ only in markup are different sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicatePolicy {
    /// Keep the stored unit, drop the incoming one.
    Skip,
    /// Replace the stored target (and metadata) with the incoming one.
    Replace,
    /// Store the incoming unit as an alternative translation (the default).
    #[default]
    KeepBoth,
}

impl DuplicatePolicy {
    /// The policy a user names: `skip`, `replace` or `keep-both`.
    pub fn parse(s: &str) -> Option<DuplicatePolicy> {
        match s {
            "skip" => Some(DuplicatePolicy::Skip),
            "replace" => Some(DuplicatePolicy::Replace),
            "keep-both" => Some(DuplicatePolicy::KeepBoth),
            _ => None,
        }
    }
}

/// What happened to one incoming unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// Stored as a new unit with this id.
    Added(i64),
    /// Replaced the target of this unit.
    Replaced(i64),
    /// This identical unit was already stored; nothing changed.
    Duplicate(i64),
    /// This identical unit was stored unreviewed and the incoming one is reviewed: the stored unit
    /// is now reviewed (a person confirmed it), with the incoming change date and author; its text
    /// is unchanged.
    MarkedReviewed(i64),
    /// The source is stored with another target and the policy said skip.
    Skipped(i64),
}

impl AddOutcome {
    /// The id of the unit concerned.
    pub fn id(self) -> i64 {
        match self {
            AddOutcome::Added(id)
            | AddOutcome::Replaced(id)
            | AddOutcome::Duplicate(id)
            | AddOutcome::MarkedReviewed(id)
            | AddOutcome::Skipped(id) => id,
        }
    }
}

/// Which units an iteration visits.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Only units changed at or after this stored-form date.
    pub since: Option<String>,
    /// Only units of this origin.
    pub origin: Option<Origin>,
    /// Only units of this review status.
    pub status: Option<Status>,
    /// Only units whose source language this tag serves.
    pub source_lang: Option<LangTag>,
    /// Only units whose target language this tag serves.
    pub target_lang: Option<LangTag>,
}

impl UnitFilter {
    /// Whether a unit stored under these tags passes the language part of the filter.
    fn accepts_langs(&self, source: &str, target: &str) -> bool {
        let serves = |want: &Option<LangTag>, stored: &str| match want {
            None => true,
            Some(w) => LangTag::parse(stored).is_ok_and(|s| w.serves(&s)),
        };
        serves(&self.source_lang, source) && serves(&self.target_lang, target)
    }
}

/// Units per language pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairCount {
    /// Source language.
    pub source: String,
    /// Target language.
    pub target: String,
    /// Number of units.
    pub units: u64,
}

/// What the TM holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Number of units.
    pub units: u64,
    /// Units per language pair.
    pub language_pairs: Vec<PairCount>,
    /// Units per origin (`human`, `import`, `align`, `tmx`).
    pub origins: std::collections::BTreeMap<String, u64>,
    /// Units per review status (`reviewed`, `unreviewed`).
    pub statuses: std::collections::BTreeMap<String, u64>,
    /// Number of distinct documents units came from.
    pub documents: u64,
    /// Earliest creation date.
    pub first_created: Option<String>,
    /// Latest change date.
    pub last_changed: Option<String>,
    /// Schema version of the file.
    pub schema_version: i32,
}

/// How to open a TM file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The file must exist and is only read: opened read-only, so it works on a read-only file
    /// or directory, never changes the journal mode and never takes the write lock. (An older
    /// schema is upgraded first through a short read-write connection.)
    ReadOnly,
    /// The file must exist (commands that change existing units).
    Existing,
    /// Create the file and its schema when missing (commands that add units).
    Create,
}

/// How [`Tm::open_with`] opens a TM.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OpenOptions {
    /// Read only, must exist, or create.
    pub mode: OpenMode,
    /// How long a statement waits for another process's write lock before it fails with
    /// [`TmError::Locked`] (default 60 s: a large first import holds the file that long).
    pub wait: std::time::Duration,
}

impl OpenOptions {
    /// Options for `mode` with the default wait.
    pub fn new(mode: OpenMode) -> OpenOptions {
        OpenOptions {
            mode,
            wait: DEFAULT_WAIT,
        }
    }

    /// The same options with another wait.
    pub fn wait(mut self, wait: std::time::Duration) -> OpenOptions {
        self.wait = wait;
        self
    }
}

/// A fuzzy index loaded into memory once and used by several connections to one TM file
/// ([`Tm::load_shared_index`], [`Tm::adopt_index`]): a server's workers share one copy.
///
/// Invariant: the index holds every unit of the file as of the moment the watch connection's
/// `data_version` was `watched`; once that version moves, the copy may miss units and is adopted
/// no more (the connections that use it see their own version move too and stop using it).
#[derive(Clone)]
pub struct SharedIndex {
    index: Arc<index::FuzzyIndex>,
    /// A read-only connection to the file that never writes: its `data_version` moves at every
    /// commit by any connection or process.
    watch: Arc<Mutex<Connection>>,
    watched: i64,
    path: PathBuf,
}

/// `PRAGMA data_version` of `conn`: moves when another connection commits.
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |r| r.get(0))?)
}

impl SharedIndex {
    /// Whether nobody committed to the file since the index was loaded.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn is_current(&self) -> Result<bool> {
        let watch = self.watch.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(data_version(&watch)? == self.watched)
    }
}

impl std::fmt::Debug for SharedIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedIndex")
            .field("path", &self.path)
            .field("watched", &self.watched)
            .finish()
    }
}

/// The default busy wait of [`OpenOptions`].
pub const DEFAULT_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A translation memory file.
pub struct Tm {
    conn: Connection,
    path: PathBuf,
    /// The fuzzy index loaded into memory for many queries ([`Tm::load_index`]), with the
    /// connection's `PRAGMA data_version` when it was loaded; dropped at every write through
    /// this connection, and not used once another connection has committed (the version moved).
    loaded_index: Option<(Arc<index::FuzzyIndex>, i64)>,
    /// The language pair [`Tm::suggest`] looks in (`None`: all units).
    pair: Option<(LangTag, LangTag)>,
}

impl std::fmt::Debug for Tm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tm").field("path", &self.path).finish()
    }
}

/// The first 16 bytes of every SQLite database file.
pub(crate) const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Tm {
    /// Opens (and with [`OpenMode::Create`] creates) the TM at `path`, migrating an older schema,
    /// with the default busy wait ([`DEFAULT_WAIT`]).
    ///
    /// # Errors
    /// As [`Tm::open_with`].
    pub fn open(path: &Path, mode: OpenMode) -> Result<Tm> {
        Tm::open_with(path, &OpenOptions::new(mode))
    }

    /// Opens the TM at `path` as `options` say.
    ///
    /// # Errors
    /// [`TmError::Missing`], [`TmError::NoDirectory`], [`TmError::NotSqlite`],
    /// [`TmError::ForeignDatabase`], [`TmError::TooNew`], [`TmError::ReadOnlyOld`]; nothing is
    /// created or changed then. [`TmError::Locked`] when another process holds the file longer
    /// than `options.wait`.
    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Tm> {
        let locked = |e: TmError| {
            if e.is_locked() {
                TmError::Locked {
                    path: path.to_path_buf(),
                    waited: options.wait,
                }
            } else {
                e
            }
        };
        Tm::open_inner(path, options).map_err(locked)
    }

    fn open_inner(path: &Path, options: &OpenOptions) -> Result<Tm> {
        let mode = options.mode;
        let io = |source| TmError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut exists = match std::fs::metadata(path) {
            Ok(m) => {
                if m.is_dir() {
                    return Err(TmError::NotSqlite(path.to_path_buf()));
                }
                m.len() > 0
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(io(e)),
        };
        if exists {
            use std::io::Read;
            let mut head = [0u8; 16];
            let mut f = std::fs::File::open(path).map_err(io)?;
            let n = f.read(&mut head).map_err(io)?;
            if n < 16 || &head != SQLITE_MAGIC {
                return Err(TmError::NotSqlite(path.to_path_buf()));
            }
        } else {
            if mode != OpenMode::Create {
                return Err(TmError::Missing(path.to_path_buf()));
            }
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            if let Some(dir) = dir {
                if !dir.is_dir() {
                    return Err(TmError::NoDirectory {
                        path: path.to_path_buf(),
                        dir: dir.to_path_buf(),
                    });
                }
            }
            Tm::create_new(path)?;
            exists = true;
        }
        let read_only = mode == OpenMode::ReadOnly;
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        let mut tm = Tm {
            conn,
            path: path.to_path_buf(),
            loaded_index: None,
            pair: None,
        };
        tm.conn.busy_timeout(options.wait)?;
        if exists {
            let app = match tm.conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0)) {
                Ok(app) => app,
                Err(e) if read_only && is_read_only_error(&e) => {
                    // A write-ahead-logged file in a directory this user cannot write: SQLite
                    // cannot create the shared-memory file beside it, so nobody can be writing
                    // it through that directory either; read it as an immutable file.
                    tm.conn = Connection::open_with_flags(
                        immutable_uri(path),
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
                    )?;
                    tm.conn.query_row("PRAGMA application_id", [], |r| r.get(0))?
                }
                Err(e) if is_read_only_error(&e) => return Err(TmError::ReadOnlyFile(path.to_path_buf())),
                Err(e) => return Err(e.into()),
            };
            if app != APPLICATION_ID {
                return Err(TmError::ForeignDatabase(path.to_path_buf()));
            }
        }
        if read_only {
            tm.configure_connection()?;
            let version = tm.schema_version()?;
            if version < SCHEMA_VERSION {
                // Upgrade through a short read-write connection, then read as asked.
                drop(tm);
                let writable = OpenOptions {
                    mode: OpenMode::Existing,
                    wait: options.wait,
                };
                match Tm::open_inner(path, &writable) {
                    Ok(upgraded) => drop(upgraded),
                    Err(TmError::Sqlite(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
                        return Err(TmError::ReadOnlyOld {
                            path: path.to_path_buf(),
                            found: version,
                            known: SCHEMA_VERSION,
                        })
                    }
                    Err(e) => return Err(e),
                }
                return Tm::open_inner(path, options);
            }
            if version > SCHEMA_VERSION {
                return Err(TmError::TooNew {
                    path: path.to_path_buf(),
                    found: version,
                    known: SCHEMA_VERSION,
                });
            }
            return Ok(tm);
        }
        // SQLite opens a file it cannot write read-only without a word; a command that writes
        // must say so now, not fail at its first insert.
        if tm.conn.is_readonly(rusqlite::DatabaseName::Main)? {
            return Err(TmError::ReadOnlyFile(path.to_path_buf()));
        }
        let write_setup = tm.configure().and_then(|()| tm.migrate());
        match write_setup {
            Err(TmError::Sqlite(e)) if is_read_only_error(&e) => Err(TmError::ReadOnlyFile(path.to_path_buf())),
            Err(e) => Err(e),
            Ok(()) => Ok(tm),
        }
    }

    /// Creates a new TM file at `path` whole: the schema is written into a temporary file beside
    /// it, which is then linked into place. Another process never sees a half-created TM, and of
    /// two processes creating the same TM at once one wins and the other opens its file.
    fn create_new(path: &Path) -> Result<()> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.{}.new", std::process::id()));
        let remove_tmp = || {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
            }
        };
        let made = (|| {
            let tm = Tm {
                conn: Connection::open(&tmp)?,
                path: tmp.clone(),
                loaded_index: None,
                pair: None,
            };
            tm.configure()?;
            tm.migrate()?;
            Ok::<_, TmError>(())
        })();
        if let Err(e) = made {
            remove_tmp();
            return Err(match e {
                TmError::Sqlite(e) if is_read_only_error(&e) => TmError::ReadOnlyFile(path.to_path_buf()),
                e => e,
            });
        }
        let placed = match std::fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            // Somebody else created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            // A file system without hard links: a rename, which could only replace a TM created
            // in the same instant by another process.
            Err(_) => std::fs::rename(&tmp, path),
        };
        remove_tmp();
        placed.map_err(|source| TmError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// `PRAGMA user_version`.
    fn schema_version(&self) -> Result<i32> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// A TM that lives in memory only (tests, examples, dry runs).
    ///
    /// # Errors
    /// An SQLite error if the schema cannot be created.
    pub fn open_in_memory() -> Result<Tm> {
        let tm = Tm {
            conn: Connection::open_in_memory()?,
            path: PathBuf::from(":memory:"),
            loaded_index: None,
            pair: None,
        };
        tm.configure()?;
        tm.migrate()?;
        Ok(tm)
    }

    /// Settings of this connection alone (nothing written to the file).
    fn configure_connection(&self) -> Result<()> {
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MiB of page cache at most (allocated only as used): bulk imports touch index pages
        // all over the file, and re-reading them dominates otherwise.
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        self.conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    /// Settings of a connection that writes: the file's page size and journal mode too.
    fn configure(&self) -> Result<()> {
        // Bigger pages for a new file (no effect on an existing one): fewer B-tree splits when
        // millions of units and postings are inserted.
        self.conn.pragma_update(None, "page_size", 16_384)?;
        self.configure_connection()?;
        if !self.in_memory() {
            let _: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        Ok(())
    }

    fn migrate(&self) -> Result<()> {
        let version: i32 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(TmError::TooNew {
                path: self.path.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self.conn.unchecked_transaction()?;
        if version == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        for (i, migrate) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            migrate(&tx)?;
            tx.pragma_update(None, "user_version", i as i32 + 1)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('generator', ?1)",
            [concat!("mizan ", env!("CARGO_PKG_VERSION"))],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The file's path (`:memory:` for an in-memory TM).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads the fuzzy index into memory so that many queries ([`Tm::suggest`]) are answered fast
    /// (about 2 s and 350 MB at a million units); a write drops it again.
    ///
    /// A write by another connection or process makes the loaded copy stale: queries then go to
    /// the index tables in the file (still lossless, slower) until the index is loaded again;
    /// [`Tm::refresh_index`] does that only when needed.
    ///
    /// # Errors
    /// An SQLite error or a damaged index.
    pub fn load_index(&mut self) -> Result<()> {
        self.load_index_arc().map(drop)
    }

    /// [`Tm::load_index`], returning the loaded copy.
    fn load_index_arc(&mut self) -> Result<Arc<index::FuzzyIndex>> {
        self.loaded_index = None;
        // The version is read before the index: a commit in between makes the copy look stale
        // (one needless reload), never current while it misses units.
        let version = self.data_version()?;
        let index = Arc::new(index::FuzzyIndex::load(&self.conn)?);
        self.loaded_index = Some((Arc::clone(&index), version));
        Ok(index)
    }

    /// Loads the fuzzy index into memory as [`Tm::load_index`] does, in a form that other
    /// connections to the same file can use too ([`Tm::adopt_index`]): one copy of the index
    /// for all the workers of a server instead of one each.
    ///
    /// A TM in memory loads its index for itself alone and answers `None`: no other connection
    /// can see it.
    ///
    /// # Errors
    /// An SQLite error or a damaged index.
    pub fn load_shared_index(&mut self) -> Result<Option<SharedIndex>> {
        if self.in_memory() {
            self.load_index()?;
            return Ok(None);
        }
        // The watch connection only reads, so its `data_version` moves at every commit by
        // anyone, this connection's included. It is read before the index (as in `load_index`):
        // a commit in between makes the copy look stale, never current while it misses units.
        let watch = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let watched = data_version(&watch)?;
        let index = self.load_index_arc()?;
        Ok(Some(SharedIndex {
            index,
            watch: Arc::new(Mutex::new(watch)),
            watched,
            path: self.path.clone(),
        }))
    }

    /// Uses `shared` as this connection's loaded index if it is current; returns whether it
    /// did (`false`: the file changed since it was loaded, or it belongs to another file).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn adopt_index(&mut self, shared: &SharedIndex) -> Result<bool> {
        if shared.path != self.path {
            return Ok(false);
        }
        // This connection's version first, then the watch: if nobody committed since the index
        // was loaded (the watch did not move), the index holds what this version sees.
        let version = self.data_version()?;
        if !shared.is_current()? {
            return Ok(false);
        }
        self.loaded_index = Some((Arc::clone(&shared.index), version));
        Ok(true)
    }

    /// Makes the loaded index current, sharing it with other connections to the same file:
    /// nothing if this connection's copy is current, else `shared` if that is current, else a
    /// new shared copy loaded here and put in `shared` (for the next connection to adopt).
    ///
    /// # Errors
    /// An SQLite error or a damaged index.
    pub fn refresh_shared_index(&mut self, shared: &mut Option<SharedIndex>) -> Result<()> {
        if self.loaded_index().is_some() {
            return Ok(());
        }
        if let Some(s) = shared {
            if self.adopt_index(s)? {
                return Ok(());
            }
        }
        if let Some(s) = self.load_shared_index()? {
            *shared = Some(s);
        }
        Ok(())
    }

    /// Loads the fuzzy index unless the loaded copy is current; returns whether it loaded.
    ///
    /// Cheap when nothing changed (one `PRAGMA`): a long-running server calls it between
    /// requests to get the speed back after writes.
    ///
    /// # Errors
    /// An SQLite error or a damaged index.
    pub fn refresh_index(&mut self) -> Result<bool> {
        if self.loaded_index().is_some() {
            return Ok(false);
        }
        self.load_index()?;
        Ok(true)
    }

    /// SQLite's `PRAGMA data_version`: changes when another connection commits.
    fn data_version(&self) -> Result<i64> {
        data_version(&self.conn)
    }

    /// Whether this TM lives in memory ([`Tm::open_in_memory`]): no other connection sees it.
    fn in_memory(&self) -> bool {
        self.path == Path::new(":memory:")
    }

    /// Restricts [`Tm::suggest`] to units of this language pair (`None`: all units).
    pub fn set_language_pair(&mut self, pair: Option<(LangTag, LangTag)>) {
        self.pair = pair;
    }

    /// The language pair [`Tm::suggest`] looks in.
    pub fn language_pair(&self) -> Option<(&LangTag, &LangTag)> {
        self.pair.as_ref().map(|(s, t)| (s, t))
    }

    /// The fuzzy index loaded by [`Tm::load_index`], if any and current: a copy loaded before
    /// another connection's commit could miss that commit's units, so it is not used then.
    pub(crate) fn loaded_index(&self) -> Option<&index::FuzzyIndex> {
        let (index, version) = self.loaded_index.as_ref()?;
        // An error reading the version counts as stale: the file's own tables answer then.
        (self.data_version().ok() == Some(*version)).then_some(&**index)
    }

    /// Rebuilds the fuzzy index from the units (`mizan reindex`), in one transaction.
    ///
    /// # Errors
    /// An SQLite error; the old index stays then.
    pub fn reindex(&mut self) -> Result<()> {
        self.loaded_index = None;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        index::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The underlying connection, for modules that keep derived tables in the same file.
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Starts a write transaction; add units to it and [`Batch::commit`] it.
    ///
    /// # Errors
    /// An SQLite error, e.g. when another process holds the write lock past the busy timeout.
    pub fn batch(&mut self, policy: DuplicatePolicy) -> Result<Batch<'_>> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.loaded_index = None;
        let conn = &self.conn;
        let prepared = (|| {
            let empty: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM unit)", [], |r| r.get(0))?;
            Ok::<_, rusqlite::Error>((
                conn.prepare(FIND_SOURCE)?,
                conn.prepare(INSERT_UNIT)?,
                conn.prepare(INSERT_PROP)?,
                empty,
            ))
        })();
        let (find_source, insert_unit, insert_prop, empty) = match prepared {
            Ok(p) => p,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e.into());
            }
        };
        Ok(Batch {
            conn,
            find_source,
            insert_unit,
            insert_prop,
            new_sources: empty.then(|| vec![0u64; SOURCE_FILTER_WORDS]),
            now: date::now(),
            indexer: None,
            policy,
            open: true,
        })
    }

    /// Prepares a large write into a TM that holds no unit yet: the file then goes through a
    /// rollback journal instead of the write-ahead log, so each page is written once, not twice
    /// (the journal of new pages is nearly empty). Falls back silently (keeps WAL) when the TM has
    /// units, is in memory, or another connection has it open. Returns whether it switched;
    /// pass that to [`Tm::end_bulk`]. An interrupted bulk write still rolls back completely.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn begin_bulk(&mut self) -> Result<bool> {
        if self.in_memory() {
            return Ok(false);
        }
        let empty: bool = self
            .conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM unit)", [], |r| r.get(0))?;
        if !empty {
            return Ok(false);
        }
        let mode: String = match self.conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)) {
            Ok(m) => m,
            Err(_) => return Ok(false),
        };
        Ok(mode.eq_ignore_ascii_case("delete"))
    }

    /// Goes back to write-ahead logging after [`Tm::begin_bulk`] switched away from it.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn end_bulk(&mut self, switched: bool) -> Result<()> {
        if switched {
            let _: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        }
        Ok(())
    }

    /// Stores one unit in its own transaction.
    ///
    /// # Errors
    /// As [`Batch::add`].
    pub fn add(&mut self, unit: &NewUnit, policy: DuplicatePolicy) -> Result<AddOutcome> {
        let mut b = self.batch(policy)?;
        let out = b.add(unit)?;
        b.commit()?;
        Ok(out)
    }

    /// The unit with this id, if any.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn get(&self, id: i64) -> Result<Option<Unit>> {
        let mut stmt = self.conn.prepare_cached(&format!("{UNIT_SELECT} WHERE id = ?1"))?;
        let unit = stmt.query_row([id], unit_from_row).optional()?;
        match unit {
            Some(mut u) => {
                u.props = props_of(&self.conn, id)?;
                Ok(Some(u))
            }
            None => Ok(None),
        }
    }

    /// Visits every unit that passes `filter`, in id order, streaming from the database.
    ///
    /// # Errors
    /// An SQLite error, or the first error `visit` returns (which stops the iteration).
    pub fn for_each_unit<E: From<TmError>>(
        &self,
        filter: &UnitFilter,
        mut visit: impl FnMut(Unit) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.for_each_unit_view(filter, |v| visit(v.to_unit().map_err(TmError::from)?))
    }

    /// Like [`Tm::for_each_unit`], but hands out each unit borrowed from the cursor ([`UnitView`])
    /// instead of copying it: the fast path of export. Memory stays flat whatever the TM size.
    ///
    /// # Errors
    /// An SQLite error, or the first error `visit` returns (which stops the iteration).
    pub fn for_each_unit_view<E: From<TmError>>(
        &self,
        filter: &UnitFilter,
        mut visit: impl FnMut(&UnitView<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut conds = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(since) = &filter.since {
            args.push(since.clone());
            conds.push(format!("changed_at >= ?{}", args.len()));
        }
        if let Some(origin) = filter.origin {
            args.push(origin.as_str().to_string());
            conds.push(format!("origin = ?{}", args.len()));
        }
        if let Some(status) = filter.status {
            args.push(status.as_str().to_string());
            conds.push(format!("status = ?{}", args.len()));
        }
        let where_ = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let sql = format!("{UNIT_SELECT}{where_} ORDER BY id");
        let run = || -> Result<(rusqlite::Statement<'_>, rusqlite::Statement<'_>)> {
            Ok((
                self.conn.prepare(&sql)?,
                self.conn
                    .prepare("SELECT unit_id, type, value FROM unit_prop ORDER BY unit_id, seq")?,
            ))
        };
        let (mut units, mut props) = run()?;
        let mut rows = units
            .query(rusqlite::params_from_iter(args.iter()))
            .map_err(TmError::from)?;
        let mut prop_rows = props.query([]).map_err(TmError::from)?;
        // The properties of the current unit; the strings are reused from unit to unit.
        let mut unit_props: Vec<(String, String)> = Vec::new();
        let mut pending: Option<i64> = None;
        let mut pending_prop = (String::new(), String::new());
        let mut props_done = false;
        // The last language pair seen and whether the filter takes it (pairs repeat).
        let mut last_pair: (String, String, bool) = (String::new(), String::new(), true);
        let filter_langs = filter.source_lang.is_some() || filter.target_lang.is_some();
        while let Some(row) = rows.next().map_err(TmError::from)? {
            let id: i64 = row.get(0).map_err(TmError::from)?;
            let source_lang = text_at(row, 1)?;
            let target_lang = text_at(row, 2)?;
            if filter_langs {
                if last_pair.0 != source_lang || last_pair.1 != target_lang {
                    last_pair = (
                        source_lang.to_string(),
                        target_lang.to_string(),
                        filter.accepts_langs(source_lang, target_lang),
                    );
                }
                if !last_pair.2 {
                    continue;
                }
            }
            // Merge-join the properties (both cursors are in unit id order).
            let mut n = 0;
            loop {
                if pending.is_none() && !props_done {
                    match prop_rows.next().map_err(TmError::from)? {
                        Some(r) => {
                            pending = Some(r.get(0).map_err(TmError::from)?);
                            pending_prop.0.clear();
                            pending_prop.0.push_str(text_at(r, 1)?);
                            pending_prop.1.clear();
                            pending_prop.1.push_str(text_at(r, 2)?);
                        }
                        None => props_done = true,
                    }
                }
                match pending {
                    Some(uid) if uid < id => pending = None,
                    Some(uid) if uid == id => {
                        if unit_props.len() == n {
                            unit_props.push((String::new(), String::new()));
                        }
                        std::mem::swap(&mut unit_props[n], &mut pending_prop);
                        n += 1;
                        pending = None;
                    }
                    _ => break,
                }
            }
            let origin = text_at(row, 7)?;
            let view = UnitView {
                id,
                source_lang,
                target_lang,
                source: text_at(row, 3)?,
                target: text_at(row, 4)?,
                source_markup: opt_text_at(row, 5)?,
                target_markup: opt_text_at(row, 6)?,
                origin: Origin::parse(origin).unwrap_or(Origin::Import),
                status: Status::parse(text_at(row, 18)?).unwrap_or(Status::Unreviewed),
                document: opt_text_at(row, 8)?,
                position: row.get(9).map_err(TmError::from)?,
                tuid: opt_text_at(row, 10)?,
                created_at: text_at(row, 11)?,
                created_by: opt_text_at(row, 12)?,
                changed_at: text_at(row, 13)?,
                changed_by: opt_text_at(row, 14)?,
                usage_count: row.get(15).map_err(TmError::from)?,
                last_used_at: opt_text_at(row, 16)?,
                note: opt_text_at(row, 17)?,
                props: &unit_props[..n],
            };
            visit(&view)?;
        }
        Ok(())
    }

    /// The kept children of imported TMX headers ([`Batch::add_header_item`]), in the order first
    /// seen: the XML of each element.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn tmx_header_items(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT xml FROM tmx_header_item ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    }

    /// The source language of every unit when they all share one (`None` when the TM is empty
    /// or holds several). One pass over the units, without sorting.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn single_source_lang(&self) -> Result<Option<String>> {
        let (lo, hi): (Option<String>, Option<String>) =
            self.conn
                .query_row("SELECT min(source_lang), max(source_lang) FROM unit", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        Ok(lo.filter(|l| Some(l) == hi.as_ref()))
    }

    /// Visits the units that pass `filter`, in id order, until `visit` returns `false`.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn visit_units(&self, filter: &UnitFilter, mut visit: impl FnMut(Unit) -> bool) -> Result<()> {
        /// Why the iteration stopped: the visitor had enough, or the TM failed.
        enum Stop {
            Enough,
            Tm(TmError),
        }
        impl From<TmError> for Stop {
            fn from(e: TmError) -> Self {
                Stop::Tm(e)
            }
        }
        match self.for_each_unit::<Stop>(filter, |u| if visit(u) { Ok(()) } else { Err(Stop::Enough) }) {
            Ok(()) | Err(Stop::Enough) => Ok(()),
            Err(Stop::Tm(e)) => Err(e),
        }
    }

    /// Counts what the TM holds.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn stats(&self) -> Result<Stats> {
        let c = &self.conn;
        let units: i64 = c.query_row("SELECT count(*) FROM unit", [], |r| r.get(0))?;
        let mut language_pairs = Vec::new();
        let mut stmt =
            c.prepare("SELECT source_lang, target_lang, count(*) FROM unit GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            language_pairs.push(PairCount {
                source: r.get(0)?,
                target: r.get(1)?,
                units: r.get::<_, i64>(2)? as u64,
            });
        }
        let mut origins = std::collections::BTreeMap::new();
        for o in [Origin::Human, Origin::Import, Origin::Align, Origin::Tmx] {
            origins.insert(o.as_str().to_string(), 0u64);
        }
        let mut stmt = c.prepare("SELECT origin, count(*) FROM unit GROUP BY 1")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            origins.insert(r.get(0)?, r.get::<_, i64>(1)? as u64);
        }
        let mut statuses = std::collections::BTreeMap::new();
        for st in Status::ALL {
            statuses.insert(st.as_str().to_string(), 0u64);
        }
        let mut stmt = c.prepare("SELECT status, count(*) FROM unit GROUP BY 1")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            statuses.insert(r.get(0)?, r.get::<_, i64>(1)? as u64);
        }
        let documents: i64 = c.query_row("SELECT count(DISTINCT document) FROM unit", [], |r| r.get(0))?;
        let (first_created, last_changed) =
            c.query_row("SELECT min(created_at), max(changed_at) FROM unit", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let schema_version = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(Stats {
            units: units as u64,
            language_pairs,
            origins,
            statuses,
            documents: documents as u64,
            first_created,
            last_changed,
            schema_version,
        })
    }

    /// Deletes units by id; returns the ids that did not exist.
    ///
    /// # Errors
    /// An SQLite error (nothing is deleted then).
    pub fn delete(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        self.loaded_index = None;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut missing = Vec::new();
        {
            let mut ix = index::Indexer::new(&tx)?;
            for &id in ids {
                let n = tx.execute("DELETE FROM unit WHERE id = ?1", [id])?;
                if n == 0 {
                    missing.push(id);
                } else {
                    ix.remove(id)?;
                }
            }
            ix.finish()?;
        }
        tx.commit()?;
        Ok(missing)
    }

    /// Replaces the target of a unit (a translator fixing a wrong translation); the unit is
    /// reviewed from then on.
    ///
    /// # Errors
    /// [`TmError::NoSuchUnit`], [`TmError::EmptyText`], or an SQLite error.
    pub fn edit_target(&mut self, id: i64, target: &str, author: Option<&str>) -> Result<()> {
        if target.trim().is_empty() {
            return Err(TmError::EmptyText("target"));
        }
        let n = self.conn.execute(
            "UPDATE unit SET target = ?2, target_markup = NULL, status = 'reviewed', changed_at = ?3, changed_by = ?4 WHERE id = ?1",
            params![id, target, date::now(), author],
        )?;
        if n == 0 {
            return Err(TmError::NoSuchUnit(id));
        }
        Ok(())
    }

    /// A value kept in the TM's `meta` table (e.g. where `mizan translate` stopped).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a value in the TM's `meta` table.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", [key, value])?;
        Ok(())
    }

    /// Counts one more use of a unit (an accepted suggestion).
    ///
    /// # Errors
    /// [`TmError::NoSuchUnit`] or an SQLite error.
    pub fn record_use(&mut self, id: i64) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE unit SET usage_count = usage_count + 1, last_used_at = ?2 WHERE id = ?1",
            params![id, date::now()],
        )?;
        if n == 0 {
            return Err(TmError::NoSuchUnit(id));
        }
        Ok(())
    }
}

/// A write transaction on the TM. Dropping it without [`Batch::commit`] rolls everything back.
pub struct Batch<'a> {
    conn: &'a Connection,
    /// The statements every added unit runs, prepared once per batch.
    find_source: rusqlite::Statement<'a>,
    insert_unit: rusqlite::Statement<'a>,
    insert_prop: rusqlite::Statement<'a>,
    /// When the TM held no unit as the batch began: one bit per source hash (modulo the size)
    /// set for every unit the batch stored. A clear bit proves the source new, so the look-up
    /// in the TM is skipped; a set bit only means "look". Fixed size, so memory stays flat.
    new_sources: Option<Vec<u64>>,
    /// The creation date of units that bring none: one per batch.
    now: String,
    /// Keeps the fuzzy-match index in step with the units, in the same transaction.
    indexer: Option<index::Indexer<'a>>,
    policy: DuplicatePolicy,
    open: bool,
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.open {
            // The indexer flushes what it buffered when dropped: let it do so inside the
            // transaction, then roll everything back.
            drop(self.indexer.take());
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl<'a> Batch<'a> {
    /// Stores one unit, de-duplicating against the TM (and the batch so far).
    ///
    /// # Errors
    /// [`TmError::EmptyText`] for an empty source or target, or an SQLite error.
    pub fn add(&mut self, u: &NewUnit) -> Result<AddOutcome> {
        self.add_with_keys(u, None)
    }

    /// [`Batch::add`] with the unit's source already keyed for the fuzzy index
    /// (`SourceKeys::new(&u.source)`, computed by the caller, e.g. on the thread that parses the
    /// file). Keys of another text would index the unit wrongly; `None` keys it here.
    ///
    /// # Errors
    /// As [`Batch::add`].
    pub fn add_with_keys(&mut self, u: &NewUnit, keys: Option<&index::SourceKeys>) -> Result<AddOutcome> {
        if is_blank(&u.source) {
            return Err(TmError::EmptyText("source"));
        }
        if is_blank(&u.target) {
            return Err(TmError::EmptyText("target"));
        }
        let hash = source_hash(&u.source_lang, &u.target_lang, &u.source);
        let bit = (hash as u64 % (SOURCE_FILTER_WORDS as u64 * 64)) as usize;
        let surely_new = self
            .new_sources
            .as_ref()
            .is_some_and(|bits| bits[bit / 64] & (1 << (bit % 64)) == 0);
        // The same source is the same text with the same inline markup: a unit whose tags differ
        // is another unit (its markup is what a CAT tool gets back), so it is never a duplicate.
        // (id, target, target markup, stored status) of the units with this source.
        let mut existing: Vec<(i64, String, Option<String>, String)> = Vec::new();
        if !surely_new {
            let mut rows = self.find_source.query(params![
                hash,
                u.source_lang.as_str(),
                u.target_lang.as_str(),
                u.source,
                u.source_markup
            ])?;
            while let Some(r) = rows.next()? {
                existing.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
            }
        }
        if let Some((id, _, _, status)) = existing
            .iter()
            .find(|(_, t, m, _)| *t == u.target && *m == u.target_markup)
        {
            // The same translation again: a reviewed copy confirms an unreviewed unit (a person
            // checked an aligned pair, say); an unreviewed copy never lowers a reviewed one.
            if u.status == Status::Reviewed && status != Status::Reviewed.as_str() {
                self.conn
                    .prepare_cached(
                        "UPDATE unit SET status = 'reviewed', changed_at = ?2, changed_by = coalesce(?3, changed_by) WHERE id = ?1",
                    )?
                    .execute(params![
                        id,
                        u.changed_at.as_deref().unwrap_or(&self.now),
                        u.changed_by.as_ref().or(u.created_by.as_ref())
                    ])?;
                return Ok(AddOutcome::MarkedReviewed(*id));
            }
            return Ok(AddOutcome::Duplicate(*id));
        }
        match (self.policy, existing.first()) {
            (DuplicatePolicy::Skip, Some((id, _, _, _))) => return Ok(AddOutcome::Skipped(*id)),
            (DuplicatePolicy::Replace, Some((id, _, _, _))) => {
                let id = *id;
                let now = date::now();
                self.conn.prepare_cached(
                    "UPDATE unit SET target = ?2, target_markup = ?3, origin = ?4, status = ?5, changed_at = ?6, changed_by = ?7, note = coalesce(?8, note) WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    u.target,
                    u.target_markup,
                    u.origin.as_str(),
                    u.status.as_str(),
                    u.changed_at.clone().unwrap_or(now),
                    u.changed_by.as_ref().or(u.created_by.as_ref()),
                    u.note
                ])?;
                for (other, _, _, _) in &existing[1..] {
                    self.conn
                        .prepare_cached("DELETE FROM unit WHERE id = ?1")?
                        .execute([other])?;
                }
                return Ok(AddOutcome::Replaced(id));
            }
            _ => {}
        }
        let created: &str = u.created_at.as_deref().unwrap_or(&self.now);
        let changed: &str = u.changed_at.as_deref().unwrap_or(created);
        self.insert_unit.execute(params![
            u.source_lang.as_str(),
            u.target_lang.as_str(),
            u.source,
            u.target,
            u.source_markup,
            u.target_markup,
            hash,
            u.origin.as_str(),
            u.document,
            u.position,
            u.tuid,
            created,
            u.created_by,
            changed,
            u.changed_by,
            u.usage_count,
            u.last_used_at,
            u.note,
            u.status.as_str()
        ])?;
        let id = self.conn.last_insert_rowid();
        if let Some(bits) = self.new_sources.as_mut() {
            bits[bit / 64] |= 1 << (bit % 64);
        }
        match keys {
            Some(k) => self.indexer()?.add_keys(id, k)?,
            None => self.indexer()?.add(id, &u.source)?,
        }
        for (seq, (t, v)) in u.props.iter().enumerate() {
            self.insert_prop.execute(params![id, seq as i64, t, v])?;
        }
        Ok(AddOutcome::Added(id))
    }

    /// Keeps a child of an imported TMX header (`kind` is `prop`, `note` or `ude`; `xml` the
    /// element as mizan writes it); one already kept is not stored again.
    ///
    /// # Errors
    /// An SQLite error (also for another `kind`).
    pub fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO tmx_header_item (kind, xml) VALUES (?1, ?2)")?
            .execute([kind, xml])?;
        Ok(())
    }

    /// Stores glossary entries with the batch's units, committed or rolled back with them (see
    /// [`Tm::add_terms`]).
    ///
    /// # Errors
    /// [`TmError::Term`] for an entry without source or target, or an SQLite error.
    pub fn add_terms(&mut self, terms: &[crate::terms::NewTerm]) -> Result<Vec<crate::terms::TermOutcome>> {
        terms::insert_terms(self.conn, terms)
    }

    /// Counts one use of unit `id` if it still holds `u`'s source and target; returns whether it
    /// did. When `u` is reviewed (a person confirmed the match explicitly), an unreviewed unit
    /// becomes reviewed too; an unreviewed `u` leaves the status alone.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn confirm(&mut self, id: i64, u: &NewUnit) -> Result<bool> {
        let n = self
            .conn
            .prepare_cached(
                "UPDATE unit SET usage_count = usage_count + 1, last_used_at = ?4,
                        changed_at = CASE WHEN ?5 = 'reviewed' AND status <> 'reviewed' THEN ?4 ELSE changed_at END,
                        status = CASE WHEN ?5 = 'reviewed' THEN 'reviewed' ELSE status END
                  WHERE id = ?1 AND source = ?2 AND target = ?3",
            )?
            .execute(params![id, u.source, u.target, date::now(), u.status.as_str()])?;
        Ok(n > 0)
    }

    /// Makes every write of the batch durable at once.
    ///
    /// # Errors
    /// An SQLite error; the batch is rolled back then.
    pub fn commit(mut self) -> Result<()> {
        if let Some(ix) = self.indexer.take() {
            ix.finish()?;
        }
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }

    fn indexer(&mut self) -> Result<&mut index::Indexer<'a>> {
        if self.indexer.is_none() {
            self.indexer = Some(index::Indexer::new(self.conn)?);
        }
        Ok(self.indexer.as_mut().expect("set above"))
    }
}

/// Whether `s` is empty or only white space (what `trim().is_empty()` says, looking from the
/// front only: the first character already answers for almost every text).
fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// FNV-1a 64 over the language pair and the source: the de-duplication key (collisions are
/// resolved by comparing the texts, so it need not be unique).
fn source_hash(src: &LangTag, tgt: &LangTag, source: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        src.as_str().as_bytes(),
        b"\0",
        tgt.as_str().as_bytes(),
        b"\0",
        source.as_bytes(),
    ] {
        for &b in part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h as i64
}

const FIND_SOURCE: &str = "SELECT id, target, target_markup, status FROM unit WHERE source_hash = ?1 AND source_lang = ?2 AND target_lang = ?3 AND source = ?4 AND source_markup IS ?5 ORDER BY id";

const INSERT_UNIT: &str = "INSERT INTO unit (source_lang, target_lang, source, target, source_markup, target_markup, source_hash, origin, document, position, tuid, created_at, created_by, changed_at, changed_by, usage_count, last_used_at, note, status)  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

const INSERT_PROP: &str = "INSERT INTO unit_prop (unit_id, seq, type, value) VALUES (?1, ?2, ?3, ?4)";

/// Size of a batch's filter of new sources, in 64-bit words (2 MiB: at a million units about
/// one look-up in 16 is still made).
const SOURCE_FILTER_WORDS: usize = 1 << 18;

const UNIT_SELECT: &str = "SELECT id, source_lang, target_lang, source, target, source_markup, target_markup, origin, document, position, tuid, created_at, created_by, changed_at, changed_by, usage_count, last_used_at, note, status FROM unit";

fn unit_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Unit> {
    let tag = |i: usize| -> rusqlite::Result<LangTag> {
        let s: String = r.get(i)?;
        LangTag::parse(&s)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
    };
    let origin: String = r.get(7)?;
    let status: String = r.get(18)?;
    Ok(Unit {
        id: r.get(0)?,
        source_lang: tag(1)?,
        target_lang: tag(2)?,
        source: r.get(3)?,
        target: r.get(4)?,
        source_markup: r.get(5)?,
        target_markup: r.get(6)?,
        origin: Origin::parse(&origin).unwrap_or(Origin::Import),
        // The column's CHECK allows only the two names; should another writer break it, the
        // unit is not vouched for.
        status: Status::parse(&status).unwrap_or(Status::Unreviewed),
        document: r.get(8)?,
        position: r.get(9)?,
        tuid: r.get(10)?,
        created_at: r.get(11)?,
        created_by: r.get(12)?,
        changed_at: r.get(13)?,
        changed_by: r.get(14)?,
        usage_count: r.get(15)?,
        last_used_at: r.get(16)?,
        note: r.get(17)?,
        props: Vec::new(),
    })
}

/// Column `i` of `row` as borrowed text (validated as UTF-8 with SIMD: export reads every text
/// column of every unit, and the standard check is slow on Arabic).
fn text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    opt_text_at(row, i)?.ok_or_else(|| {
        TmError::Sqlite(rusqlite::Error::InvalidColumnType(
            i,
            String::new(),
            rusqlite::types::Type::Null,
        ))
    })
}

/// Column `i` of `row` as borrowed text, `None` for NULL.
fn opt_text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>> {
    use rusqlite::types::ValueRef;
    let bytes = match row.get_ref(i)? {
        ValueRef::Null => return Ok(None),
        ValueRef::Text(b) => b,
        other => {
            return Err(TmError::Sqlite(rusqlite::Error::InvalidColumnType(
                i,
                String::new(),
                other.data_type(),
            )))
        }
    };
    simdutf8::basic::from_utf8(bytes).map(Some).map_err(|e| {
        TmError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            Box::new(e),
        ))
    })
}

fn props_of(conn: &Connection, id: i64) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT type, value FROM unit_prop WHERE unit_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(src: &str, tgt: &str) -> NewUnit {
        NewUnit::new("ar", "en", src, tgt, Origin::Import).unwrap()
    }

    #[test]
    fn policies_parse_from_their_names() {
        assert_eq!(DuplicatePolicy::parse("skip"), Some(DuplicatePolicy::Skip));
        assert_eq!(DuplicatePolicy::parse("replace"), Some(DuplicatePolicy::Replace));
        assert_eq!(DuplicatePolicy::parse("keep-both"), Some(DuplicatePolicy::KeepBoth));
        assert_eq!(DuplicatePolicy::parse("Skip"), None);
    }

    #[test]
    fn identical_units_are_stored_once_whatever_the_policy() {
        let mut tm = Tm::open_in_memory().unwrap();
        for policy in [
            DuplicatePolicy::KeepBoth,
            DuplicatePolicy::Skip,
            DuplicatePolicy::Replace,
        ] {
            tm.add(&unit("زيارة نادرة", "A rare visit"), policy).unwrap();
        }
        assert_eq!(tm.stats().unwrap().units, 1);
    }

    #[test]
    fn policies_decide_a_second_target() {
        let mut tm = Tm::open_in_memory().unwrap();
        let first = tm
            .add(&unit("زيارة نادرة", "A rare visit"), DuplicatePolicy::KeepBoth)
            .unwrap();
        let skipped = tm
            .add(&unit("زيارة نادرة", "Rare visit"), DuplicatePolicy::Skip)
            .unwrap();
        assert_eq!(skipped, AddOutcome::Skipped(first.id()));
        let both = tm
            .add(&unit("زيارة نادرة", "Rare visit"), DuplicatePolicy::KeepBoth)
            .unwrap();
        assert!(matches!(both, AddOutcome::Added(_)));
        assert_eq!(tm.stats().unwrap().units, 2);
        let replaced = tm
            .add(&unit("زيارة نادرة", "An unusual visit"), DuplicatePolicy::Replace)
            .unwrap();
        assert_eq!(replaced, AddOutcome::Replaced(first.id()));
        assert_eq!(tm.stats().unwrap().units, 1);
        assert_eq!(tm.get(first.id()).unwrap().unwrap().target, "An unusual visit");
    }

    #[test]
    fn language_pairs_are_kept_apart() {
        let mut tm = Tm::open_in_memory().unwrap();
        tm.add(&unit("نص", "text"), DuplicatePolicy::KeepBoth).unwrap();
        let other = NewUnit::new("ar-EG", "en", "نص", "text", Origin::Import).unwrap();
        tm.add(&other, DuplicatePolicy::KeepBoth).unwrap();
        let s = tm.stats().unwrap();
        assert_eq!(s.units, 2);
        assert_eq!(s.language_pairs.len(), 2);
    }

    #[test]
    fn dropped_batch_rolls_back() {
        let mut tm = Tm::open_in_memory().unwrap();
        {
            let mut b = tm.batch(DuplicatePolicy::KeepBoth).unwrap();
            b.add(&unit("أ", "a")).unwrap();
        }
        assert_eq!(tm.stats().unwrap().units, 0);
    }

    #[test]
    fn text_and_props_are_stored_byte_exact_and_iterated_in_order() {
        let mut tm = Tm::open_in_memory().unwrap();
        let mut u = unit("وأكد بوتين أن روسيا “لن تقبل”\u{200f} ", "Putin stressed");
        u.props = vec![("x-domain".into(), "news".into()), ("x-client".into(), "ج".into())];
        tm.add(&u, DuplicatePolicy::KeepBoth).unwrap();
        tm.add(&unit("ثانية", "second"), DuplicatePolicy::KeepBoth).unwrap();
        let mut seen = Vec::new();
        tm.for_each_unit::<TmError>(&UnitFilter::default(), |x| {
            seen.push(x);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].source, u.source);
        assert_eq!(seen[0].props, u.props);
        assert!(seen[1].props.is_empty());
    }

    #[test]
    fn filter_by_language_uses_region_fallback() {
        let mut tm = Tm::open_in_memory().unwrap();
        tm.add(
            &NewUnit::new("ar-SA", "en-US", "س", "s", Origin::Import).unwrap(),
            DuplicatePolicy::KeepBoth,
        )
        .unwrap();
        tm.add(
            &NewUnit::new("fr", "en", "s", "s", Origin::Import).unwrap(),
            DuplicatePolicy::KeepBoth,
        )
        .unwrap();
        let filter = UnitFilter {
            source_lang: Some(LangTag::parse("ar").unwrap()),
            target_lang: Some(LangTag::parse("en").unwrap()),
            ..Default::default()
        };
        let mut n = 0;
        tm.for_each_unit::<TmError>(&filter, |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_version_2_tm_opens_and_upgrades_to_keep_header_items() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut tm = Tm::open(&path, OpenMode::Create).unwrap();
            tm.add(&unit("زيارة نادرة", "A rare visit"), DuplicatePolicy::KeepBoth)
                .unwrap();
            // What mizan with schema version 2 left behind.
            tm.conn
                .execute_batch(
                    "DROP TABLE tmx_header_item; ALTER TABLE unit DROP COLUMN status; PRAGMA user_version = 2;",
                )
                .unwrap();
        }
        let mut tm = Tm::open(&path, OpenMode::Existing).unwrap();
        let s = tm.stats().unwrap();
        assert_eq!((s.schema_version, s.units), (SCHEMA_VERSION, 1));
        assert_eq!(SCHEMA_VERSION, 9);
        let mut b = tm.batch(DuplicatePolicy::KeepBoth).unwrap();
        b.add_header_item("note", "<note>n</note>").unwrap();
        b.add_header_item("note", "<note>n</note>").unwrap();
        b.commit().unwrap();
        assert_eq!(tm.tmx_header_items().unwrap(), ["<note>n</note>"]);
    }

    #[test]
    fn a_loaded_index_never_hides_units_another_connection_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        let mut server = Tm::open(&path, OpenMode::Create).unwrap();
        server
            .add(
                &unit(
                    "وصل الوفد الروسي إلى القاهرة",
                    "The Russian delegation arrived in Cairo",
                ),
                DuplicatePolicy::KeepBoth,
            )
            .unwrap();
        server.load_index().unwrap();
        assert!(!server.refresh_index().unwrap(), "nothing changed: no reload");
        // Another process (here: another connection) adds a unit the loaded copy has never seen.
        let mut other = Tm::open(&path, OpenMode::Existing).unwrap();
        let added = other
            .add(
                &unit(
                    "غادر الوفد الصيني بكين صباح اليوم",
                    "The Chinese delegation left Beijing this morning",
                ),
                DuplicatePolicy::KeepBoth,
            )
            .unwrap()
            .id();
        let opts = suggest::MatchOptions::default();
        let found = server.suggest("غادر الوفد الصيني بكين صباح الأحد", &opts).unwrap();
        assert_eq!(
            found.first().map(|s| s.unit.id),
            Some(added),
            "stale copy must not be used"
        );
        assert!(server.refresh_index().unwrap(), "the copy was stale: reloaded");
        assert!(server.loaded_index().is_some());
        let found = server.suggest("غادر الوفد الصيني بكين صباح الأحد", &opts).unwrap();
        assert_eq!(found.first().map(|s| s.unit.id), Some(added));
        assert!(!server.refresh_index().unwrap());
    }

    #[test]
    fn a_shared_index_serves_every_connection_until_anyone_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        let delegation = |src: &str| unit(src, "A delegation");
        let mut a = Tm::open(&path, OpenMode::Create).unwrap();
        a.add(&delegation("وصل الوفد الروسي إلى القاهرة"), DuplicatePolicy::KeepBoth)
            .unwrap();
        let mut b = Tm::open(&path, OpenMode::Existing).unwrap();
        let mut shared = None;
        a.refresh_shared_index(&mut shared).unwrap();
        b.refresh_shared_index(&mut shared).unwrap();
        let same = |x: &Tm, y: &Tm| match (x.loaded_index(), y.loaded_index()) {
            (Some(p), Some(q)) => std::ptr::eq(p, q),
            _ => false,
        };
        assert!(same(&a, &b), "b uses a's copy");
        let first = shared.clone().expect("a file's index is shared");
        assert!(first.is_current().unwrap());

        // Another process commits: nobody uses the copy any more, and it is adopted no more.
        let mut other = Tm::open(&path, OpenMode::Existing).unwrap();
        let added = other
            .add(
                &delegation("غادر الوفد الصيني بكين صباح اليوم"),
                DuplicatePolicy::KeepBoth,
            )
            .unwrap()
            .id();
        assert!(!first.is_current().unwrap());
        assert!(a.loaded_index().is_none() && b.loaded_index().is_none());
        assert!(!b.adopt_index(&first).unwrap());
        let opts = suggest::MatchOptions::default();
        let query = "غادر الوفد الصيني بكين صباح الأحد";
        assert_eq!(a.suggest(query, &opts).unwrap().first().map(|s| s.unit.id), Some(added));

        // b loads a new shared copy, a adopts it, and both find the new unit through it.
        b.refresh_shared_index(&mut shared).unwrap();
        a.refresh_shared_index(&mut shared).unwrap();
        assert!(same(&a, &b));
        assert!(!std::ptr::eq(a.loaded_index().unwrap(), &*first.index));
        for tm in [&a, &b] {
            assert_eq!(
                tm.suggest(query, &opts).unwrap().first().map(|s| s.unit.id),
                Some(added)
            );
        }

        // A write through one of them: the other stops using the copy too.
        b.add(&delegation("عاد الوفد إلى موسكو مساء اليوم"), DuplicatePolicy::KeepBoth)
            .unwrap();
        assert!(a.loaded_index().is_none());
        assert!(!shared.as_ref().unwrap().is_current().unwrap());

        // A commit between loading and adopting: not adopted.
        let loaded = a.load_shared_index().unwrap().unwrap();
        other
            .add(&delegation("أعلن الوفد عن زيارة جديدة"), DuplicatePolicy::KeepBoth)
            .unwrap();
        assert!(!b.adopt_index(&loaded).unwrap());
        assert!(b.loaded_index().is_none());

        // Another file's copy is never adopted; a TM in memory loads for itself.
        let mut elsewhere = Tm::open(&dir.path().join("other.db"), OpenMode::Create).unwrap();
        let fresh = b.load_shared_index().unwrap().unwrap();
        assert!(fresh.is_current().unwrap());
        assert!(!elsewhere.adopt_index(&fresh).unwrap());
        let mut memory = Tm::open_in_memory().unwrap();
        assert!(memory.load_shared_index().unwrap().is_none());
        assert!(memory.loaded_index().is_some());

        // Through the store seam, as `mizan serve` prepares its workers: a TM file shares.
        let mut stores: Vec<Box<dyn crate::store::Store>> = vec![
            Box::new(Tm::open(&path, OpenMode::Existing).unwrap()),
            Box::new(Tm::open(&path, OpenMode::Existing).unwrap()),
        ];
        let mut shared = None;
        for store in &mut stores {
            store.prepare_for_queries_shared(&mut shared).unwrap();
        }
        assert!(shared.expect("a file's stores share their index").is_current().unwrap());
    }

    /// A unit of `origin` created on `created` and changed on `changed`.
    fn dated(src: &str, tgt: &str, origin: Origin, created: &str, changed: &str) -> NewUnit {
        let mut u = NewUnit::new("ar", "en", src, tgt, origin).unwrap();
        u.created_at = Some(created.into());
        u.changed_at = Some(changed.into());
        u
    }

    #[test]
    fn a_version_3_tm_migrates_statuses_by_origin() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.db");
        let day = "2024-06-19T08:00:00Z";
        let later = "2024-07-01T08:00:00Z";
        let mut suggestion = dated("الخميس", "on Wednesday", Origin::Human, day, day);
        suggestion.note = Some("mizan suggestion: 96.1% from unit 2".into());
        let units = [
            dated("أ", "a", Origin::Human, day, day),
            dated("ب", "b", Origin::Import, day, day),
            dated("ت", "t", Origin::Tmx, day, day),
            dated("ث", "th", Origin::Align, day, day),
            // An aligned pair a person corrected with `mizan edit` after it was stored.
            dated("ج", "j", Origin::Align, day, later),
            // What importing a pre-translation TMX left behind before version 4.
            suggestion,
        ];
        {
            let mut tm = Tm::open(&path, OpenMode::Create).unwrap();
            for u in &units {
                tm.add(u, DuplicatePolicy::KeepBoth).unwrap();
            }
            tm.conn
                .execute_batch("ALTER TABLE unit DROP COLUMN status; PRAGMA user_version = 3;")
                .unwrap();
        }
        let tm = Tm::open(&path, OpenMode::Existing).unwrap();
        let statuses: Vec<Status> = (1..=6).map(|id| tm.get(id).unwrap().unwrap().status).collect();
        use Status::{Reviewed as R, Unreviewed as U};
        assert_eq!(statuses, [R, R, R, U, R, U]);
        assert_eq!(tm.stats().unwrap().statuses["unreviewed"], 2);
    }

    #[test]
    fn a_version_4_tm_reindexes_units_with_invisible_marks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v4.db");
        // A left-to-right mark inside الرئيس, as copied from a web page.
        let marked = "وصل الرئ\u{200E}يس الروسي إلى بيونغ يانغ";
        let plain = "غادر الوفد الكوري العاصمة مساء الخميس";
        {
            let mut tm = Tm::open(&path, OpenMode::Create).unwrap();
            for src in [marked, plain] {
                tm.add(
                    &NewUnit::new("ar", "en", src, "x", Origin::Human).unwrap(),
                    DuplicatePolicy::KeepBoth,
                )
                .unwrap();
            }
            // What mizan 4 indexed: the word split in two at the mark.
            index::index_unit(&tm.conn, 1, &marked.replace('\u{200E}', " ")).unwrap();
            tm.conn.execute_batch("PRAGMA user_version = 4;").unwrap();
            let opts = suggest::MatchOptions {
                min: 90.0,
                ..Default::default()
            };
            assert!(
                tm.suggest("وصل الرئيس الروسي إلى بيونغ يانغ", &opts)
                    .unwrap()
                    .is_empty(),
                "the stale entry hides it"
            );
        }
        let tm = Tm::open(&path, OpenMode::ReadOnly).unwrap();
        assert_eq!(tm.stats().unwrap().schema_version, SCHEMA_VERSION);
        let opts = suggest::MatchOptions {
            min: 90.0,
            ..Default::default()
        };
        let found = tm.suggest("وصل الرئيس الروسي إلى بيونغ يانغ", &opts).unwrap();
        assert_eq!(found.iter().map(|s| s.unit.id).collect::<Vec<_>>(), [1]);
        let exhaustive = suggest::MatchOptions {
            exhaustive: true,
            ..opts
        };
        assert_eq!(
            tm.suggest("وصل الرئيس الروسي إلى بيونغ يانغ", &exhaustive).unwrap(),
            found
        );
    }

    #[test]
    fn a_version_5_tm_rebuilds_its_index_with_the_new_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v5.db");
        {
            let mut tm = Tm::open(&path, OpenMode::Create).unwrap();
            tm.add(
                &NewUnit::new("ar", "en", "وقال الوزير إن الوفد سيعود", "x", Origin::Human).unwrap(),
                DuplicatePolicy::KeepBoth,
            )
            .unwrap();
            // An index whose keys the new scorer does not look up (as format-1 keys of وزير were).
            tm.conn
                .execute_batch(
                    "DELETE FROM fuzzy_posting; UPDATE fuzzy_meta SET value = 1 WHERE name = 'format'; PRAGMA user_version = 5;",
                )
                .unwrap();
        }
        let tm = Tm::open(&path, OpenMode::ReadOnly).unwrap();
        let format: i64 = tm
            .conn
            .query_row("SELECT value FROM fuzzy_meta WHERE name = 'format'", [], |r| r.get(0))
            .unwrap();
        // Migration 9 rebuilds the index in the current format (4).
        assert_eq!(format, 4);
        let opts = suggest::MatchOptions {
            min: 75.0,
            ..Default::default()
        };
        let found = tm.suggest("قال وزير إن الوفد سيعود", &opts).unwrap();
        assert_eq!(found.iter().map(|s| s.unit.id).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_version_7_tm_rebuilds_its_index_with_the_new_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v7.db");
        {
            let mut tm = Tm::open(&path, OpenMode::Create).unwrap();
            tm.add(
                &NewUnit::new(
                    "ar",
                    "en",
                    "قال المسؤول إن الوفد سيعود إلى بلاده غدا",
                    "x",
                    Origin::Human,
                )
                .unwrap(),
                DuplicatePolicy::KeepBoth,
            )
            .unwrap();
            // A format-2 index as a mizan of schema 7 left it, its postings under the old keys.
            tm.conn
                .execute_batch(
                    "DELETE FROM fuzzy_posting; UPDATE fuzzy_meta SET value = 2 WHERE name = 'format'; PRAGMA user_version = 7;",
                )
                .unwrap();
        }
        let tm = Tm::open(&path, OpenMode::Existing).unwrap();
        assert_eq!(tm.stats().unwrap().schema_version, SCHEMA_VERSION);
        assert!(index::is_current(&tm.conn).unwrap(), "migration 9 rebuilds the index");
        let postings: i64 = tm
            .conn
            .query_row("SELECT count(*) FROM fuzzy_posting", [], |r| r.get(0))
            .unwrap();
        assert!(postings > 0, "the rebuilt index has postings again");
        // بلاده has the key of البلاد only since schema 8 (format 3).
        let opts = suggest::MatchOptions {
            min: 75.0,
            ..Default::default()
        };
        let found = tm.suggest("قال المسؤول إن الوفد سيعود إلى البلاد غدا", &opts).unwrap();
        assert_eq!(found.iter().map(|s| s.unit.id).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_reviewed_copy_confirms_an_unreviewed_unit_and_never_the_reverse() {
        let mut tm = Tm::open_in_memory().unwrap();
        let aligned = NewUnit::new("ar", "en", "زيارة نادرة", "A rare visit", Origin::Align).unwrap();
        assert_eq!(aligned.status, Status::Unreviewed, "aligned pairs are machine output");
        let id = tm.add(&aligned, DuplicatePolicy::KeepBoth).unwrap().id();
        assert_eq!(
            tm.add(&aligned, DuplicatePolicy::KeepBoth).unwrap(),
            AddOutcome::Duplicate(id)
        );
        let mut checked = aligned.clone();
        checked.status = Status::Reviewed;
        checked.changed_by = Some("lina".into());
        assert_eq!(
            tm.add(&checked, DuplicatePolicy::KeepBoth).unwrap(),
            AddOutcome::MarkedReviewed(id)
        );
        let u = tm.get(id).unwrap().unwrap();
        assert_eq!((u.status, u.changed_by.as_deref()), (Status::Reviewed, Some("lina")));
        assert_eq!(
            tm.add(&aligned, DuplicatePolicy::KeepBoth).unwrap(),
            AddOutcome::Duplicate(id)
        );
        assert_eq!(tm.get(id).unwrap().unwrap().status, Status::Reviewed);
        // Replacing takes the incoming unit's status along with its target.
        let mut other = aligned.clone();
        other.target = "An unusual visit".into();
        tm.add(&other, DuplicatePolicy::Replace).unwrap();
        assert_eq!(tm.get(id).unwrap().unwrap().status, Status::Unreviewed);
        // A person fixing the target vouches for it.
        tm.edit_target(id, "A rare visit", Some("lina")).unwrap();
        assert_eq!(tm.get(id).unwrap().unwrap().status, Status::Reviewed);
    }

    #[test]
    fn confirming_a_use_raises_the_status_only_when_a_person_confirmed() {
        let mut tm = Tm::open_in_memory().unwrap();
        let aligned = NewUnit::new("ar", "en", "زيارة نادرة", "A rare visit", Origin::Align).unwrap();
        let id = tm.add(&aligned, DuplicatePolicy::KeepBoth).unwrap().id();
        let mut b = tm.batch(DuplicatePolicy::KeepBoth).unwrap();
        assert!(b.confirm(id, &aligned).unwrap());
        b.commit().unwrap();
        let u = tm.get(id).unwrap().unwrap();
        assert_eq!((u.usage_count, u.status), (1, Status::Unreviewed));
        let mut confirmed = aligned.clone();
        confirmed.status = Status::Reviewed;
        let mut b = tm.batch(DuplicatePolicy::KeepBoth).unwrap();
        assert!(b.confirm(id, &confirmed).unwrap());
        b.commit().unwrap();
        let u = tm.get(id).unwrap().unwrap();
        assert_eq!((u.usage_count, u.status), (2, Status::Reviewed));
    }

    #[test]
    fn filters_and_stats_by_status() {
        let mut tm = Tm::open_in_memory().unwrap();
        tm.add(&unit("أ", "a"), DuplicatePolicy::KeepBoth).unwrap();
        tm.add(
            &NewUnit::new("ar", "en", "ب", "b", Origin::Align).unwrap(),
            DuplicatePolicy::KeepBoth,
        )
        .unwrap();
        let s = tm.stats().unwrap();
        assert_eq!((s.statuses["reviewed"], s.statuses["unreviewed"]), (1, 1));
        let mut seen = Vec::new();
        let filter = UnitFilter {
            status: Some(Status::Unreviewed),
            ..Default::default()
        };
        tm.for_each_unit::<TmError>(&filter, |u| {
            seen.push((u.source, u.status));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [("ب".to_string(), Status::Unreviewed)]);
    }

    #[test]
    fn empty_text_is_refused() {
        assert!(matches!(
            NewUnit::new("ar", "en", "  ", "x", Origin::Human),
            Err(UnitError::EmptyText("source"))
        ));
    }
}
