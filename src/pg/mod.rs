//! A translation memory in a PostgreSQL database, shared by many mizan processes on many
//! machines (`--tm postgres://user@host/db`). Built with the `postgres` cargo feature.
//!
//! # Design
//!
//! PostgreSQL is the system of record: units, their properties, TMX header items and the `meta`
//! values live in its tables ([`SCHEMA`]), written in PostgreSQL transactions. The fuzzy index is
//! *not* kept in PostgreSQL. Each process keeps an in-memory SQLite [`Tm`] (the *mirror*) that
//! holds a copy of the units under their PostgreSQL ids, indexed by the same code as a TM file
//! ([`crate::tm::index`]), and answers [`PgTm::suggest`] and [`PgTm::concordance`] from it. So the
//! index, the ranking and their losslessness are the SQLite TM's, not a second implementation.
//!
//! The mirror is kept current through a change log: every transaction that changes units appends
//! their ids to `unit_change` (a `bigserial` sequence) when it commits, and before each query the
//! mirror reads the entries past the last one it applied (`SELECT … WHERE seq > $1`, one cheap
//! round trip when nothing changed) and copies those units (or their absence) from `unit`. A write
//! by any process is therefore found by the next query of every other process.
//!
//! The log is bounded: the writer whose commit carries it past a multiple of a tenth of
//! [`PgOpenOptions::change_log_keep`] (default [`CHANGE_LOG_KEEP`], a million entries) deletes the
//! entries older than the last `change_log_keep` and records how far it deleted
//! (`meta.change_log_pruned_through`). A process whose index stopped before that mark reads the
//! mark with the entries, in one snapshot, and fills its index again from the units instead.
//!
//! A first import into an empty database (a migration, `mizan copy`) is a *bulk load*: the writer
//! locks `unit` against other writers (readers go on), takes ids from the sequence in blocks in
//! the file's order, and sends the units proved new by binary `COPY` in batches rather than one
//! `INSERT` each; a unit whose source it has already seen is looked up as usual.
//!
//! Invariants:
//! - **Change log order is commit order.** A writer takes a transaction-scoped advisory lock
//!   ([`CHANGE_LOCK`]) just before it appends to the log and holds it until its commit, so a
//!   sequence number is never visible before a smaller one that is still to commit: a reader
//!   that has seen entry *n* has seen every entry below *n*. Only the commit is serialized; the
//!   writers' work runs in parallel.
//! - **Catching up is idempotent.** A unit is copied in its state at the time of the copy, which
//!   may be newer than its log entry; later entries copy it again. The mirror's first fill reads
//!   the last sequence number *before* it reads the units, so nothing committed in between is
//!   missed.
//! - **One copy of a unit.** The same source and target (same language pair, same inline markup)
//!   are stored once, also under concurrent importers: a unique constraint on a digest of those
//!   six fields (`unit.identity`) makes a second importer wait for the first one's transaction and
//!   then find its unit. (The policies that compare a source with *other* targets, skip and
//!   replace, see the units committed when they look; two importers racing with different targets
//!   for one source may both keep theirs, as with `keep-both`.)
//! - **Migrations** are numbered like the SQLite schema's and recorded in `mizan_schema`; they run
//!   in one transaction under an advisory lock, so two processes opening a new database at once
//!   do not both create it.
//! - Passwords never appear in [`PgTm::location`] or in any error ([`redact`]).
//!
//! Costs: each process holds the units' text and index in memory (about what the TM file would
//! take on disk), and fills the mirror at its first query (as fast as an SQLite import, no
//! PostgreSQL work beyond one sequential read); a query then costs what it costs on a TM file
//! whose index is not loaded, plus one round trip.

mod terms;
mod tls;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::str::FromStr;

use postgres::{Client, Row, Transaction};

use crate::tm::suggest::{FragmentMatch, FragmentOptions, MatchOptions};
use crate::tm::{
    date, AddOutcome, DuplicatePolicy, LangTag, NewUnit, Origin, PairCount, Stats, Status, Tm, TmError, Unit,
    UnitFilter, UnitView,
};
use crate::unit::Suggestion;

/// The key of the advisory lock that orders change-log appends (and migrations): "MZAN" twice.
pub const CHANGE_LOCK: i64 = 0x4D5A_414E_4D5A_414E;

/// Units fetched from PostgreSQL per round trip when reading many.
const PAGE: i64 = 5_000;

/// The tables, version 1. Dates are text in the SQLite TM's form (`2026-11-27T18:48:30Z`), so
/// they compare and come back byte for byte as there.
pub const SCHEMA: &str = "
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE unit (
    id            bigserial PRIMARY KEY,
    source_lang   text   NOT NULL,
    target_lang   text   NOT NULL,
    source        text   NOT NULL,
    target        text   NOT NULL,
    source_markup text,
    target_markup text,
    origin        text   NOT NULL CHECK (origin IN ('human', 'import', 'align', 'tmx')),
    status        text   NOT NULL CHECK (status IN ('reviewed', 'unreviewed')),
    document      text,
    position      bigint,
    tuid          text,
    created_at    text   NOT NULL,
    created_by    text,
    changed_at    text   NOT NULL,
    changed_by    text,
    usage_count   bigint NOT NULL DEFAULT 0,
    last_used_at  text,
    note          text,
    -- Each field written as its length, a colon and the text (NULL as '-'): no two different
    -- units give the same string, so the digests differ unless md5 collides.
    source_key    text GENERATED ALWAYS AS (md5(
        length(source_lang)::text || ':' || source_lang || length(target_lang)::text || ':' || target_lang
        || length(source)::text || ':' || source
        || coalesce(length(source_markup)::text || ':' || source_markup, '-'))) STORED,
    identity      text GENERATED ALWAYS AS (md5(
        length(source_lang)::text || ':' || source_lang || length(target_lang)::text || ':' || target_lang
        || length(source)::text || ':' || source
        || coalesce(length(source_markup)::text || ':' || source_markup, '-')
        || length(target)::text || ':' || target
        || coalesce(length(target_markup)::text || ':' || target_markup, '-'))) STORED,
    CONSTRAINT unit_identity UNIQUE (identity)
);
CREATE INDEX unit_source_key ON unit (source_key);
CREATE TABLE unit_prop (
    unit_id bigint  NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    seq     integer NOT NULL,
    type    text    NOT NULL,
    value   text    NOT NULL,
    PRIMARY KEY (unit_id, seq)
);
CREATE TABLE tmx_header_item (
    id   bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('prop', 'note', 'ude')),
    xml  text NOT NULL,
    xml_key text GENERATED ALWAYS AS (md5(xml)) STORED UNIQUE
);
-- Every change of a unit (added, changed, deleted), in commit order: what the other processes'
-- in-memory indexes catch up with.
CREATE TABLE unit_change (
    seq     bigserial PRIMARY KEY,
    unit_id bigint NOT NULL
);
";

/// The migrations, in order; migration `i` brings the database to version `i + 1`.
/// 1: the units ([`SCHEMA`]); 2: the glossary (`terms::SCHEMA_V2`).
const MIGRATIONS: &[&str] = &[SCHEMA, terms::SCHEMA_V2];

/// The schema version this mizan writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Errors of the PostgreSQL store. Every message names the database without its password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgError {
    /// The URL could not be read.
    #[error("{location} is not a PostgreSQL URL mizan can use: {reason}")]
    BadUrl {
        /// The URL, password removed.
        location: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The server could not be reached, or refused the connection.
    #[error("cannot connect to the PostgreSQL database {database} on {host}: {reason}")]
    Connect {
        /// Host and port.
        host: String,
        /// Database name.
        database: String,
        /// The cause, as the client words it.
        reason: String,
    },
    /// The database was written by a newer mizan.
    #[error("the PostgreSQL database {location} has mizan schema version {found}, newer than this mizan knows ({known}): upgrade mizan")]
    TooNew {
        /// The database, password removed.
        location: String,
        /// Its version.
        found: i32,
        /// The newest version this build knows.
        known: i32,
    },
    /// The database holds tables of another application where mizan's would go.
    #[error("the PostgreSQL database {0} has a table named unit but no mizan schema; mizan left it untouched (use a database of its own)")]
    Foreign(String),
    /// The command only reads and the database has no mizan TM yet.
    #[error("no translation memory in the PostgreSQL database {0}: create one with `mizan import` or `mizan add`")]
    Missing(String),
    /// A unit the store cannot hold, or the in-memory index failed.
    #[error(transparent)]
    Tm(#[from] TmError),
    /// An edit would make a unit identical to another one.
    #[error("unit {id} would become identical to unit {other} (same source and target); delete one of them instead")]
    WouldDuplicate {
        /// The edited unit.
        id: i64,
        /// The unit it would duplicate.
        other: i64,
    },
    /// A query failed.
    #[error("PostgreSQL ({location}): {reason}")]
    Query {
        /// The database, password removed.
        location: String,
        /// The server's or the client's message.
        reason: String,
    },
}

type Result<T, E = PgError> = std::result::Result<T, E>;

/// `url` without its password (`postgres://user@host:port/db`), for messages; the text up to
/// the scheme only when it cannot be parsed.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(a PostgreSQL URL)".to_string();
    };
    let (auth, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (user, host) = match auth.rsplit_once('@') {
        Some((user, host)) => (Some(user.split(':').next().unwrap_or("")), host),
        None => (None, auth),
    };
    // A password in the query string (`?password=…`) goes too.
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| !kv.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    match user {
        Some(u) => format!("{scheme}://{u}@{host}{tail}"),
        None => format!("{scheme}://{host}{tail}"),
    }
}

/// How to open a PostgreSQL TM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgOpenOptions {
    /// Create the schema when the database has none (commands that add units); otherwise a
    /// database without a mizan TM is [`PgError::Missing`].
    pub create: bool,
    /// Only read: after the schema is brought up to date, the session's transactions are
    /// read-only, so that a command that only reads can never write.
    pub read_only: bool,
    /// How long to wait for the server when connecting.
    pub connect_timeout: std::time::Duration,
    /// How long a query may trust the in-memory index without asking the change log again
    /// (zero, the default: every query asks, so it finds every write committed before it). A
    /// server under load may allow, say, 100 ms: other processes' writes are then found within
    /// that time, and this store's own writes still at its next query.
    pub catch_up_interval: std::time::Duration,
    /// How many change-log entries a writer keeps when it prunes the log ([`CHANGE_LOG_KEEP`]
    /// by default). A process whose index is further behind than that fills it again from the
    /// units, which costs about what applying that many changes would.
    pub change_log_keep: i64,
    /// A file in which to keep the in-memory index between runs (a *mirror cache*; `None`, the
    /// default: the index lives in memory only). A one-shot command then catches up with the
    /// changes since its last run instead of reading every unit again. See
    /// [the module documentation](self) for when a cache is used and when it is filled again.
    pub mirror_cache: Option<std::path::PathBuf>,
}

/// Change-log entries kept when the log is pruned: a writer whose commit carries the log past
/// a multiple of a tenth of this deletes the entries older than the last this many.
pub const CHANGE_LOG_KEEP: i64 = 1_000_000;

impl Default for PgOpenOptions {
    fn default() -> Self {
        PgOpenOptions {
            create: true,
            read_only: false,
            connect_timeout: std::time::Duration::from_secs(10),
            catch_up_interval: std::time::Duration::ZERO,
            change_log_keep: CHANGE_LOG_KEEP,
            mirror_cache: None,
        }
    }
}

/// The in-memory copy of the units and how far it has caught up with the change log.
struct Mirror {
    tm: Tm,
    /// The last change-log entry applied; `None` until the first fill.
    seen: Option<i64>,
    /// When the change log was last read; `None` after a write by this store.
    checked: Option<std::time::Instant>,
    /// [`PgOpenOptions::catch_up_interval`].
    interval: std::time::Duration,
    /// Set when `tm` is a mirror cache file: the lock held on it and the identity of the
    /// database it mirrors.
    cache: Option<CacheLock>,
}

/// A mirror cache in use by this process.
struct CacheLock {
    /// Held (an exclusive lock on `<cache>.lock`) while the cache is open, so one process at a
    /// time reads and writes it.
    _lock: std::fs::File,
}

/// A translation memory in a PostgreSQL database (see the module documentation).
pub struct PgTm {
    client: RefCell<Client>,
    location: String,
    pair: Option<(LangTag, LangTag)>,
    mirror: RefCell<Mirror>,
    /// [`PgOpenOptions::change_log_keep`].
    change_log_keep: i64,
    /// The queries a server runs before every match (the change log, the glossary stamp),
    /// prepared once on `client`: parsed and planned every time, they cost the database more CPU
    /// than the match cost mizan.
    statements: RefCell<std::collections::HashMap<&'static str, postgres::Statement>>,
}

impl std::fmt::Debug for PgTm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTm").field("location", &self.location).finish()
    }
}

impl PgTm {
    /// Connects to the database at `url` and brings its schema to this mizan's version
    /// (creating it when `options.create`).
    ///
    /// # Errors
    /// [`PgError::BadUrl`], [`PgError::Connect`], [`PgError::Missing`], [`PgError::TooNew`],
    /// [`PgError::Foreign`], or a failed query.
    pub fn open(url: &str, options: &PgOpenOptions) -> Result<PgTm> {
        let location = redact(url);
        let (client_url, tls_ask) = tls::split(url).map_err(|reason| PgError::BadUrl {
            location: location.clone(),
            reason,
        })?;
        let mut config = postgres::Config::from_str(&client_url).map_err(|e| PgError::BadUrl {
            location: location.clone(),
            reason: scrub(&e.to_string(), &client_url),
        })?;
        config.connect_timeout(options.connect_timeout);
        if config.get_application_name().is_none() {
            config.application_name("mizan");
        }
        let host = config
            .get_hosts()
            .iter()
            .map(|h| match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .collect::<Vec<_>>()
            .join(",");
        let host = match config.get_ports().first() {
            Some(port) if !host.is_empty() => format!("{host}:{port}"),
            _ if host.is_empty() => "localhost".to_string(),
            _ => host,
        };
        let database = config
            .get_dbname()
            .or(config.get_user())
            .unwrap_or("postgres")
            .to_string();
        let connector = match tls::connector(&tls_ask) {
            Ok(c) => c,
            Err(reason) => return Err(PgError::Connect { host, database, reason }),
        };
        let client = config.connect(connector).map_err(|e| PgError::Connect {
            host,
            database,
            reason: scrub(&error_text(&e), &client_url),
        })?;
        let mut tm = PgTm {
            client: RefCell::new(client),
            location,
            pair: None,
            mirror: RefCell::new(Mirror {
                tm: Tm::open_in_memory()?,
                seen: None,
                checked: None,
                interval: options.catch_up_interval,
                cache: None,
            }),
            change_log_keep: options.change_log_keep.max(1),
            statements: RefCell::default(),
        };
        tm.migrate(options.create)?;
        if let Some(path) = &options.mirror_cache {
            tm.use_cache(path)?;
        }
        if options.read_only {
            let qe = tm.query_error();
            let set = tm
                .client
                .borrow_mut()
                .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            set.map_err(qe)?;
        }
        Ok(tm)
    }

    /// Makes the mirror the cache file at `path` when it can be had (its lock is free). A cache
    /// left by a
    /// run on the same database, not behind the pruned change log and not ahead of it, is
    /// caught up from where it stopped; any other is filled again at the first query. A cache
    /// that cannot be opened is removed and made again; when even that fails, or the lock is
    /// held by another process, the mirror stays in memory (the cache is derived data only).
    fn use_cache(&mut self, path: &std::path::Path) -> Result<()> {
        let qe = self.query_error();
        let row = self
            .client
            .borrow_mut()
            .query_one(
                "SELECT (SELECT oid::bigint FROM pg_database WHERE datname = current_database()),
                        to_regclass('unit')::oid::bigint,
                        (SELECT coalesce(max(seq), 0) FROM unit_change),
                        (SELECT value FROM meta WHERE key = 'change_log_pruned_through')",
                &[],
            )
            .map_err(qe)?;
        // The database and its `unit` table by their oids: a database dropped and made again,
        // or a dump restored, gets new ones, so its cache is not taken for this one's.
        let identity = format!("{}:{}", row.get::<_, i64>(0), row.get::<_, Option<i64>>(1).unwrap_or(0));
        let log_end: i64 = row.get(2);
        let pruned: i64 = row
            .get::<_, Option<String>>(3)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let Some((tm, lock)) = open_cache(path) else {
            return Ok(());
        };
        let mut tm = tm;
        let seen = (tm.meta(CACHE_OF)?.as_deref() == Some(identity.as_str()))
            .then(|| tm.meta(CACHE_SEEN).ok().flatten()?.parse::<i64>().ok())
            .flatten()
            .filter(|&s| s >= pruned && s <= log_end);
        if seen.is_none() {
            // Filled at the first query; marked now so that a half-filled cache is never
            // taken for a whole one.
            tm.set_meta(CACHE_SEEN, "")?;
            tm.set_meta(CACHE_OF, &identity)?;
        }
        let m = self.mirror.get_mut();
        m.tm = tm;
        m.seen = seen;
        m.cache = Some(CacheLock { _lock: lock });
        Ok(())
    }

    /// The error of a failed query on this database (borrowing `self`: nothing is copied
    /// unless a query fails; see [`query_error_at`] for an owned one).
    fn query_error(&self) -> impl Fn(postgres::Error) -> PgError + '_ {
        move |e| PgError::Query {
            location: self.location.clone(),
            reason: error_text(&e),
        }
    }

    fn migrate(&mut self, create: bool) -> Result<()> {
        let location = self.location.clone();
        let qe = &query_error_at(location.clone());
        let client = self.client.get_mut();
        let version = |c: &mut Transaction<'_>| -> Result<Option<i32>, postgres::Error> {
            let has = table_exists(c, "mizan_schema")?;
            if !has {
                return Ok(None);
            }
            Ok(Some(
                c.query_one("SELECT max(version) FROM mizan_schema", &[])?
                    .get::<_, Option<i32>>(0)
                    .unwrap_or(0),
            ))
        };
        let mut tx = client.transaction().map_err(qe)?;
        let found = version(&mut tx).map_err(qe)?;
        if found == Some(SCHEMA_VERSION) {
            return tx.commit().map_err(qe);
        }
        if let Some(v) = found.filter(|&v| v > SCHEMA_VERSION) {
            return Err(PgError::TooNew {
                location,
                found: v,
                known: SCHEMA_VERSION,
            });
        }
        if found.is_none() && !create {
            return Err(PgError::Missing(location));
        }
        // Two processes migrating at once: the second waits here, then sees the first's work.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOCK])
            .map_err(qe)?;
        let found = version(&mut tx).map_err(qe)?;
        if found.is_none() {
            let foreign = table_exists(&mut tx, "unit").map_err(qe)?;
            if foreign {
                return Err(PgError::Foreign(location));
            }
            tx.batch_execute("CREATE TABLE mizan_schema (version integer PRIMARY KEY, applied_at text NOT NULL)")
                .map_err(qe)?;
        }
        let from = found.unwrap_or(0);
        if from > SCHEMA_VERSION {
            return Err(PgError::TooNew {
                location,
                found: from,
                known: SCHEMA_VERSION,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            tx.batch_execute(sql).map_err(qe)?;
            tx.execute(
                "INSERT INTO mizan_schema (version, applied_at) VALUES ($1, $2)",
                &[&(i as i32 + 1), &date::now()],
            )
            .map_err(qe)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('generator', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&concat!("mizan ", env!("CARGO_PKG_VERSION"))],
        )
        .map_err(qe)?;
        tx.commit().map_err(qe)
    }

    /// The database, without its password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Restricts [`PgTm::suggest`] and [`PgTm::concordance`] to one language pair.
    pub fn set_language_pair(&mut self, pair: Option<(LangTag, LangTag)>) {
        self.mirror.get_mut().tm.set_language_pair(pair.clone());
        self.pair = pair;
    }

    /// The language pair queries look in.
    pub fn language_pair(&self) -> Option<(&LangTag, &LangTag)> {
        self.pair.as_ref().map(|(s, t)| (s, t))
    }

    /// Starts a write transaction.
    ///
    /// # Errors
    /// A failed query.
    pub fn writer(&mut self, policy: DuplicatePolicy) -> Result<PgWriter<'_>> {
        // This store's own writes are found by its next query, whatever the interval.
        self.mirror.get_mut().checked = None;
        let location = self.location.clone();
        let tx = self
            .client
            .get_mut()
            .transaction()
            .map_err(query_error_at(location.clone()))?;
        Ok(PgWriter {
            tx: Some(tx),
            location,
            policy,
            now: date::now(),
            changed: Vec::new(),
            new_sources: None,
            pending: Vec::new(),
            reserved: std::collections::VecDeque::new(),
            pending_sources: std::collections::HashSet::new(),
            change_log_keep: self.change_log_keep,
        })
    }

    /// Runs `f` in a transaction that records `changed` units in the change log at its commit.
    fn in_transaction<T>(&mut self, f: impl FnOnce(&mut PgWriter<'_>) -> Result<T>) -> Result<T> {
        let mut w = self.writer(DuplicatePolicy::KeepBoth)?;
        let out = f(&mut w)?;
        w.commit()?;
        Ok(out)
    }

    /// The unit with this id.
    ///
    /// # Errors
    /// A failed query.
    pub fn get(&self, id: i64) -> Result<Option<Unit>> {
        let mut c = self.client.borrow_mut();
        let units = fetch_units(&mut c, &[id]).map_err(self.query_error())?;
        Ok(units.into_iter().next())
    }

    /// Deletes units; returns the ids that did not exist.
    ///
    /// # Errors
    /// A failed query; nothing was deleted then.
    pub fn delete(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        self.in_transaction(|w| {
            let qe = w.qe();
            let tx = w.tx();
            let mut missing = Vec::new();
            let mut gone = Vec::new();
            for &id in ids {
                if tx.execute("DELETE FROM unit WHERE id = $1", &[&id]).map_err(&qe)? == 0 {
                    missing.push(id);
                } else {
                    gone.push(id);
                }
            }
            w.changed.extend(gone);
            Ok(missing)
        })
    }

    /// Replaces the target of a unit (a person's edit: it becomes reviewed).
    ///
    /// # Errors
    /// No such unit, an empty target, [`PgError::WouldDuplicate`], or a failed query.
    pub fn edit_target(&mut self, id: i64, target: &str, author: Option<&str>) -> Result<()> {
        if target.trim().is_empty() {
            return Err(TmError::EmptyText("target").into());
        }
        self.in_transaction(|w| {
            let qe = w.qe();
            let tx = w.tx();
            // Another unit with this source and this target already: refuse rather than break
            // the one-copy rule (the unique constraint would refuse it anyway, less clearly).
            let other = tx
                .query_opt(
                    "SELECT o.id FROM unit u JOIN unit o ON o.source_key = u.source_key AND o.id <> u.id
                      WHERE u.id = $1 AND o.target = $2 AND o.target_markup IS NULL
                        AND o.source = u.source AND o.source_markup IS NOT DISTINCT FROM u.source_markup
                        AND o.source_lang = u.source_lang AND o.target_lang = u.target_lang",
                    &[&id, &target],
                )
                .map_err(&qe)?;
            if let Some(other) = other {
                return Err(PgError::WouldDuplicate { id, other: other.get(0) });
            }
            let n = tx
                .execute(
                    "UPDATE unit SET target = $2, target_markup = NULL, status = 'reviewed', changed_at = $3, changed_by = $4 WHERE id = $1",
                    &[&id, &target, &date::now(), &author],
                )
                .map_err(&qe)?;
            if n == 0 {
                return Err(TmError::NoSuchUnit(id).into());
            }
            w.changed.push(id);
            Ok(())
        })
    }

    /// Counts one more use of a unit.
    ///
    /// # Errors
    /// No such unit, or a failed query.
    pub fn record_use(&mut self, id: i64) -> Result<()> {
        self.in_transaction(|w| {
            let qe = w.qe();
            let n = w
                .tx()
                .execute(
                    "UPDATE unit SET usage_count = usage_count + 1, last_used_at = $2 WHERE id = $1",
                    &[&id, &date::now()],
                )
                .map_err(qe)?;
            if n == 0 {
                return Err(TmError::NoSuchUnit(id).into());
            }
            w.changed.push(id);
            Ok(())
        })
    }

    /// Hands every unit that passes `filter` to `visit`, in id order, a page at a time (each page
    /// read in one statement; a TM written meanwhile is seen as it is when each page is read).
    ///
    /// # Errors
    /// A failed query, or the first error `visit` returns.
    pub fn for_each_unit_view<E: From<PgError>>(
        &self,
        filter: &UnitFilter,
        mut visit: impl FnMut(&UnitView<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.each_page(filter, |page| {
            for u in page.iter().filter(|u| filter_langs(filter, u)) {
                visit(&view_of(u))?;
            }
            Ok(true)
        })
    }

    /// Reads the units that pass `filter` (but for the language part) a page at a time, in id
    /// order, handing each page to `page` until it returns `false`.
    fn each_page<E: From<PgError>>(
        &self,
        filter: &UnitFilter,
        mut page: impl FnMut(Vec<Unit>) -> std::result::Result<bool, E>,
    ) -> std::result::Result<(), E> {
        let mut last = i64::MIN;
        loop {
            let units = {
                let mut c = self.client.borrow_mut();
                fetch_page(&mut c, filter, last).map_err(self.query_error())?
            };
            let Some(end) = units.last().map(|u| u.id) else {
                return Ok(());
            };
            last = end;
            if !page(units)? {
                return Ok(());
            }
        }
    }

    /// Visits the units that pass `filter`, in id order, until `visit` returns `false`.
    ///
    /// # Errors
    /// A failed query.
    pub fn visit_units(&self, filter: &UnitFilter, mut visit: impl FnMut(Unit) -> bool) -> Result<()> {
        self.each_page(filter, |page| {
            for u in page {
                if filter_langs(filter, &u) && !visit(u) {
                    return Ok(false);
                }
            }
            Ok(true)
        })
    }

    /// What the TM holds.
    ///
    /// # Errors
    /// A failed query.
    pub fn stats(&self) -> Result<Stats> {
        let qe = self.query_error();
        let mut c = self.client.borrow_mut();
        let count = |v: i64| v as u64;
        let units: i64 = c.query_one("SELECT count(*) FROM unit", &[]).map_err(&qe)?.get(0);
        let language_pairs = c
            .query(
                "SELECT source_lang, target_lang, count(*) FROM unit GROUP BY 1, 2 ORDER BY 3 DESC, source_lang COLLATE \"C\", target_lang COLLATE \"C\"",
                &[],
            )
            .map_err(&qe)?
            .iter()
            .map(|r| PairCount {
                source: r.get(0),
                target: r.get(1),
                units: count(r.get(2)),
            })
            .collect();
        let mut origins = BTreeMap::new();
        for o in [Origin::Human, Origin::Import, Origin::Align, Origin::Tmx] {
            origins.insert(o.as_str().to_string(), 0u64);
        }
        for r in c
            .query("SELECT origin, count(*) FROM unit GROUP BY 1", &[])
            .map_err(&qe)?
        {
            origins.insert(r.get(0), count(r.get(1)));
        }
        let mut statuses = BTreeMap::new();
        for st in Status::ALL {
            statuses.insert(st.as_str().to_string(), 0u64);
        }
        for r in c
            .query("SELECT status, count(*) FROM unit GROUP BY 1", &[])
            .map_err(&qe)?
        {
            statuses.insert(r.get(0), count(r.get(1)));
        }
        let r = c
            .query_one(
                "SELECT count(DISTINCT document), min(created_at COLLATE \"C\"), max(changed_at COLLATE \"C\") FROM unit",
                &[],
            )
            .map_err(&qe)?;
        let schema_version: i32 = c
            .query_one("SELECT max(version) FROM mizan_schema", &[])
            .map_err(&qe)?
            .get::<_, Option<i32>>(0)
            .unwrap_or(0);
        Ok(Stats {
            units: count(units),
            language_pairs,
            origins,
            statuses,
            documents: count(r.get(0)),
            first_created: r.get(1),
            last_changed: r.get(2),
            schema_version,
        })
    }

    /// `sql` prepared on `c` (this store's client), once.
    fn prepared(&self, c: &mut Client, sql: &'static str) -> std::result::Result<postgres::Statement, postgres::Error> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = c.prepare(sql)?;
        self.statements.borrow_mut().insert(sql, stmt.clone());
        Ok(stmt)
    }

    /// Brings the in-memory index up to date with the database: fills it at the first call, then
    /// applies the change log's new entries. Returns the mirror.
    fn current(&self) -> Result<std::cell::RefMut<'_, Mirror>> {
        let mut mirror = self.mirror.borrow_mut();
        let qe = self.query_error();
        let mut c = self.client.borrow_mut();
        let m = &mut *mirror;
        if m.seen.is_some() && m.checked.is_some_and(|t| t.elapsed() < m.interval) {
            drop(c);
            return Ok(mirror);
        }
        m.checked = Some(std::time::Instant::now());
        match m.seen {
            None => {
                // The log position first: whatever commits after it is caught up later.
                let seen: i64 = c
                    .query_one("SELECT coalesce(max(seq), 0) FROM unit_change", &[])
                    .map_err(&qe)?
                    .get(0);
                if m.cache.is_some() {
                    m.tm.set_meta(CACHE_SEEN, "")?;
                }
                m.tm.mirror_clear()?;
                let mut last = i64::MIN;
                loop {
                    let page = fetch_page(&mut c, &UnitFilter::default(), last).map_err(&qe)?;
                    let Some(end) = page.last().map(|u| u.id) else { break };
                    last = end;
                    m.tm.mirror_apply(&page, &[])?;
                }
                m.seen = Some(seen);
                if m.cache.is_some() {
                    m.tm.set_meta(CACHE_SEEN, &seen.to_string())?;
                }
            }
            Some(seen) => {
                // With the entries, in the same snapshot, how far the log was pruned (as seq 0,
                // which no entry has): entries this index has not applied may be gone.
                let stmt = self
                    .prepared(
                        &mut c,
                        "SELECT seq, unit_id FROM unit_change WHERE seq > $1
                         UNION ALL SELECT 0, value::bigint FROM meta WHERE key = 'change_log_pruned_through'
                         ORDER BY 1",
                    )
                    .map_err(&qe)?;
                let rows = c.query(&stmt, &[&seen]).map_err(&qe)?;
                let (pruned, rows) = match rows.split_first() {
                    Some((r, rest)) if r.get::<_, i64>(0) == 0 => (r.get::<_, i64>(1), rest),
                    _ => (0, &rows[..]),
                };
                if pruned > seen {
                    // Too far behind: fill again from the units.
                    m.seen = None;
                    drop(c);
                    drop(mirror);
                    return self.current();
                }
                let Some(last) = rows.last().map(|r| r.get::<_, i64>(0)) else {
                    return Ok(mirror);
                };
                let mut ids: Vec<i64> = rows.iter().map(|r| r.get(1)).collect();
                ids.sort_unstable();
                ids.dedup();
                for chunk in ids.chunks(PAGE as usize) {
                    let units = fetch_units(&mut c, chunk).map_err(&qe)?;
                    let present: std::collections::HashSet<i64> = units.iter().map(|u| u.id).collect();
                    let gone: Vec<i64> = chunk.iter().copied().filter(|id| !present.contains(id)).collect();
                    m.tm.mirror_apply(&units, &gone)?;
                }
                m.seen = Some(last);
                if m.cache.is_some() {
                    m.tm.set_meta(CACHE_SEEN, &last.to_string())?;
                }
            }
        }
        drop(c);
        Ok(mirror)
    }

    /// Fuzzy matches for `query`, ranked, from the in-memory index after catching up with the
    /// other processes' writes.
    ///
    /// # Errors
    /// A failed query.
    pub fn suggest(&self, query: &str, opts: &MatchOptions) -> Result<Vec<Suggestion>> {
        let m = self.current()?;
        Ok(m.tm.suggest(query, opts)?)
    }

    /// Units sharing a long run of words with `query` ([`Tm::fragments`]), from the in-memory
    /// index after catching up.
    ///
    /// # Errors
    /// A failed query.
    pub fn fragments(&self, query: &str, opts: &FragmentOptions) -> Result<Vec<FragmentMatch>> {
        let m = self.current()?;
        Ok(m.tm.fragments(query, opts)?)
    }

    /// Units whose source (or target) contains `term`, normalization applied, from the in-memory
    /// copy after catching up.
    ///
    /// # Errors
    /// A failed query.
    pub fn concordance(&self, term: &str, in_target: bool, limit: usize) -> Result<Vec<Unit>> {
        let m = self.current()?;
        Ok(m.tm.concordance(term, in_target, limit)?)
    }

    /// Fills the in-memory index and loads it for many queries (the next change drops the loaded
    /// form again; queries still use the in-memory tables then).
    ///
    /// # Errors
    /// A failed query.
    pub fn prepare_for_queries(&mut self) -> Result<()> {
        let mut m = self.current()?;
        // Cheap when the loaded form is current: a server calls this between requests.
        m.tm.refresh_index()?;
        Ok(())
    }

    /// Builds the in-memory index again from the database.
    ///
    /// # Errors
    /// A failed query.
    pub fn reindex(&mut self) -> Result<()> {
        self.mirror.get_mut().seen = None;
        self.mirror.get_mut().checked = None;
        self.current()?;
        Ok(())
    }

    /// The kept children of imported TMX headers, in the order first seen.
    ///
    /// # Errors
    /// A failed query.
    pub fn tmx_header_items(&self) -> Result<Vec<String>> {
        let mut c = self.client.borrow_mut();
        let rows = c
            .query("SELECT xml FROM tmx_header_item ORDER BY id", &[])
            .map_err(self.query_error())?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The source language of every unit when they all share one.
    ///
    /// # Errors
    /// A failed query.
    pub fn single_source_lang(&self) -> Result<Option<String>> {
        let mut c = self.client.borrow_mut();
        let r = c
            .query_one(
                "SELECT min(source_lang COLLATE \"C\"), max(source_lang COLLATE \"C\") FROM unit",
                &[],
            )
            .map_err(self.query_error())?;
        let (lo, hi): (Option<String>, Option<String>) = (r.get(0), r.get(1));
        Ok(lo.filter(|l| Some(l) == hi.as_ref()))
    }

    /// Whether the connection to the server is encrypted (TLS; see the URL's `sslmode`).
    ///
    /// # Errors
    /// A failed query.
    pub fn is_encrypted(&self) -> Result<bool> {
        let qe = self.query_error();
        let mut c = self.client.borrow_mut();
        let r = c
            .query_one(
                "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                &[],
            )
            .map_err(qe)?;
        Ok(r.get(0))
    }

    /// A value kept in the `meta` table.
    ///
    /// # Errors
    /// A failed query.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        let mut c = self.client.borrow_mut();
        let r = c
            .query_opt("SELECT value FROM meta WHERE key = $1", &[&key])
            .map_err(self.query_error())?;
        Ok(r.map(|r| r.get(0)))
    }

    /// Sets a value in the `meta` table.
    ///
    /// # Errors
    /// A failed query.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        let qe = self.query_error();
        let mut c = self.client.borrow_mut();
        c.execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )
        .map_err(qe)?;
        Ok(())
    }
}

/// A write transaction on a [`PgTm`]; dropped without [`PgWriter::commit`], it rolls back.
pub struct PgWriter<'a> {
    tx: Option<Transaction<'a>>,
    location: String,
    policy: DuplicatePolicy,
    now: String,
    /// Units changed so far, for the change log.
    changed: Vec<i64>,
    /// Looked up at the first add: `Some` when the TM held no unit then, with one bit per source
    /// hash set for every unit this writer stored. A clear bit proves the source new, so the
    /// look-up is skipped (the bulk import into a new database); a set bit only means "look".
    /// Such a writer holds a lock that keeps other writers out of `unit` until it commits
    /// ([`PgWriter::start`]), so no other importer can store the same unit meanwhile.
    new_sources: Option<Option<Vec<u64>>>,
    /// The bulk load into an empty TM: units proved new, not yet sent, written with one `COPY`
    /// per [`BULK_ROWS`] units instead of one `INSERT` each ([`PgWriter::flush`]). Sent before
    /// any look-up, confirmation or commit, so every statement sees them.
    pending: Vec<Pending>,
    /// Unit ids taken from the sequence for `pending` units, not yet used (the sequence's next
    /// values, fetched [`PgWriter::reserve`] at a time; unused ones leave a gap, as a rolled-back
    /// insert does).
    reserved: std::collections::VecDeque<i64>,
    /// [`source_hash`] of every unit in `pending`.
    pending_sources: std::collections::HashSet<u64>,
    /// [`PgOpenOptions::change_log_keep`].
    change_log_keep: i64,
}

/// A unit proved new by a bulk-loading writer, with its id and dates decided.
struct Pending {
    id: i64,
    unit: NewUnit,
    created: String,
    changed: String,
}

/// Units sent per `COPY` by a bulk-loading writer (about a few MB of text).
const BULK_ROWS: usize = 20_000;

impl<'a> PgWriter<'a> {
    fn tx(&mut self) -> &mut Transaction<'a> {
        self.tx.as_mut().expect("open until commit")
    }

    fn qe(&self) -> impl Fn(postgres::Error) -> PgError {
        query_error_at(self.location.clone())
    }

    /// Stores one unit, de-duplicated as [`crate::tm::Batch::add`] does.
    ///
    /// # Errors
    /// An empty source or target, or a failed query (the transaction is still open).
    pub fn add(&mut self, u: &NewUnit) -> Result<AddOutcome> {
        self.add_once(u, false)
    }

    fn add_once(&mut self, u: &NewUnit, retried: bool) -> Result<AddOutcome> {
        if u.source.chars().all(char::is_whitespace) {
            return Err(TmError::EmptyText("source").into());
        }
        if u.target.chars().all(char::is_whitespace) {
            return Err(TmError::EmptyText("target").into());
        }
        let qe = self.qe();
        let now = self.now.clone();
        let policy = self.policy;
        if self.new_sources.is_none() {
            self.start()?;
        }
        let hash = source_hash(u);
        let bit = (hash % (SOURCE_FILTER_WORDS as u64 * 64)) as usize;
        let surely_new = !retried
            && self
                .new_sources
                .as_ref()
                .and_then(Option::as_ref)
                .is_some_and(|bits| bits[bit / 64] & (1 << (bit % 64)) == 0);
        if surely_new {
            let id = self.reserve()?;
            let created = u.created_at.clone().unwrap_or_else(|| now.clone());
            let changed = u.changed_at.clone().unwrap_or_else(|| created.clone());
            self.pending.push(Pending {
                id,
                unit: u.clone(),
                created,
                changed,
            });
            self.pending_sources.insert(hash);
            self.changed.push(id);
            if let Some(Some(bits)) = self.new_sources.as_mut() {
                bits[bit / 64] |= 1 << (bit % 64);
            }
            if self.pending.len() >= BULK_ROWS {
                self.flush()?;
            }
            return Ok(AddOutcome::Added(id));
        }
        // The look-up below must see a unit with this source still waiting to be sent (a set
        // bit is mostly another source: the waiting units are sent only when one has this one).
        if self.pending_sources.contains(&hash) {
            self.flush()?;
        }
        let tx = self.tx();
        let created: &str = u.created_at.as_deref().unwrap_or(&now);
        let changed: &str = u.changed_at.as_deref().unwrap_or(created);
        // Look first, as the SQLite TM does; the insert below is guarded by the unique
        // constraint, which also sees importers whose transactions are still open (it waits for
        // them), so two importers of one unit never both store it.
        let existing = |tx: &mut Transaction<'_>| -> Result<Vec<Stored>, postgres::Error> {
            let rows = tx.query(
                "SELECT id, target, target_markup, status FROM unit
                  WHERE source_key = md5(length($1::text)::text || ':' || $1 || length($2::text)::text || ':' || $2
                        || length($3::text)::text || ':' || $3 || coalesce(length($4::text)::text || ':' || $4, '-'))
                    AND source_lang = $1 AND target_lang = $2 AND source = $3 AND source_markup IS NOT DISTINCT FROM $4
                  ORDER BY id",
                &[
                    &u.source_lang.as_str(),
                    &u.target_lang.as_str(),
                    &u.source,
                    &u.source_markup,
                ],
            )?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect())
        };
        let found = existing(tx).map_err(&qe)?;
        if let Some((id, _, _, status)) = found
            .iter()
            .find(|(_, t, m, _)| *t == u.target && *m == u.target_markup)
        {
            let id = *id;
            if u.status == Status::Reviewed && status != Status::Reviewed.as_str() {
                tx.execute(
                    "UPDATE unit SET status = 'reviewed', changed_at = $2, changed_by = coalesce($3, changed_by) WHERE id = $1",
                    &[&id, &u.changed_at.as_deref().unwrap_or(&now), &u.changed_by.as_ref().or(u.created_by.as_ref())],
                )
                .map_err(&qe)?;
                self.changed.push(id);
                return Ok(AddOutcome::MarkedReviewed(id));
            }
            return Ok(AddOutcome::Duplicate(id));
        }
        match (policy, found.first()) {
            (DuplicatePolicy::Skip, Some((id, ..))) => return Ok(AddOutcome::Skipped(*id)),
            (DuplicatePolicy::Replace, Some((id, ..))) => {
                let id = *id;
                tx.execute(
                    "UPDATE unit SET target = $2, target_markup = $3, origin = $4, status = $5, changed_at = $6, changed_by = $7, note = coalesce($8, note) WHERE id = $1",
                    &[
                        &id,
                        &u.target,
                        &u.target_markup,
                        &u.origin.as_str(),
                        &u.status.as_str(),
                        &u.changed_at.clone().unwrap_or_else(date::now),
                        &u.changed_by.as_ref().or(u.created_by.as_ref()),
                        &u.note,
                    ],
                )
                .map_err(&qe)?;
                let others: Vec<i64> = found[1..].iter().map(|f| f.0).collect();
                tx.execute("DELETE FROM unit WHERE id = ANY($1)", &[&others])
                    .map_err(&qe)?;
                self.changed.push(id);
                self.changed.extend(others);
                return Ok(AddOutcome::Replaced(id));
            }
            _ => {}
        }
        // A bulk-loading writer numbers every unit from its reserved ids, so ids follow the
        // order of the file whichever way a unit was sent.
        let id = if self.new_sources.as_ref().is_some_and(Option::is_some) {
            Some(self.reserve()?)
        } else {
            None
        };
        let tx = self.tx();
        let names = RowNames::of(u);
        let inserted = tx
            .query_opt(
                &format!(
                    "INSERT INTO unit ({UNIT_COLUMNS})
                     VALUES (coalesce($1, nextval(pg_get_serial_sequence('unit', 'id'))), $2, $3, $4, $5, $6, $7,
                             $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                     ON CONFLICT ON CONSTRAINT unit_identity DO NOTHING RETURNING id"
                ),
                &unit_row(&id, u, &names, &created, &changed),
            )
            .map_err(&qe)?;
        let Some(row) = inserted else {
            // Another importer committed this very unit after we looked: it is a duplicate now
            // (or a unit to mark reviewed), decided as above. A second conflict could only be
            // a digest collision of two different units.
            if retried {
                return Err(PgError::Query {
                    location: self.location.clone(),
                    reason: format!(
                        "a unit with the source {:?} collides with another unit's digest; not stored",
                        u.source
                    ),
                });
            }
            return self.add_once(u, true);
        };
        let id: i64 = row.get(0);
        for (seq, (t, v)) in u.props.iter().enumerate() {
            tx.execute(
                "INSERT INTO unit_prop (unit_id, seq, type, value) VALUES ($1, $2, $3, $4)",
                &[&id, &(seq as i32), t, v],
            )
            .map_err(&qe)?;
        }
        self.changed.push(id);
        if let Some(Some(bits)) = self.new_sources.as_mut() {
            bits[bit / 64] |= 1 << (bit % 64);
        }
        Ok(AddOutcome::Added(id))
    }

    /// Decides, at the first add, whether this writer bulk-loads an empty TM. An empty `unit`
    /// table is locked against other writers (`SHARE ROW EXCLUSIVE`: readers go on, writers
    /// wait for this commit) and looked at again under the lock; if it is still empty, every
    /// unit this writer has not stored yet is new, which is what lets [`PgWriter::add`] skip
    /// the look-up and send units by `COPY`. A writer that finds units, or that waited for
    /// another's bulk load, looks every unit up as usual.
    fn start(&mut self) -> Result<()> {
        let qe = self.qe();
        let empty = |tx: &mut Transaction<'_>| -> Result<bool, postgres::Error> {
            Ok(tx.query_one("SELECT NOT EXISTS (SELECT 1 FROM unit)", &[])?.get(0))
        };
        let mut bulk = empty(self.tx()).map_err(&qe)?;
        if bulk {
            self.tx()
                .batch_execute("LOCK TABLE unit IN SHARE ROW EXCLUSIVE MODE")
                .map_err(&qe)?;
            bulk = empty(self.tx()).map_err(&qe)?;
        }
        self.new_sources = Some(bulk.then(|| vec![0u64; SOURCE_FILTER_WORDS]));
        Ok(())
    }

    /// The next unit id for a bulk-loaded unit, from ids taken from the sequence in blocks that
    /// grow from 16 to [`BULK_ROWS`] (one round trip a block; a writer that adds one unit wastes
    /// few).
    fn reserve(&mut self) -> Result<i64> {
        if self.reserved.is_empty() {
            let qe = self.qe();
            let block = (self.changed.len().max(8) * 2).min(BULK_ROWS) as i32;
            let rows = self
                .tx()
                .query(
                    "SELECT nextval(pg_get_serial_sequence('unit', 'id')) FROM generate_series(1, $1)",
                    &[&block],
                )
                .map_err(&qe)?;
            self.reserved.extend(rows.iter().map(|r| r.get::<_, i64>(0)));
        }
        Ok(self.reserved.pop_front().expect("a block was just fetched"))
    }

    /// Sends the units waiting in `pending` with one `COPY` for the units and one for their
    /// properties. The unique constraint still holds: a unit that somehow duplicated a stored
    /// one fails the copy, and with it the transaction.
    fn flush(&mut self) -> Result<()> {
        use postgres::binary_copy::BinaryCopyInWriter;
        use postgres::types::Type;
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        self.pending_sources.clear();
        let qe = self.qe();
        let tx = self.tx();
        let sink = tx
            .copy_in(&format!("COPY unit ({UNIT_COLUMNS}) FROM STDIN (FORMAT binary)"))
            .map_err(&qe)?;
        let (i8, t) = (Type::INT8, Type::TEXT);
        let types = [
            i8.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            i8.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            i8,
            t.clone(),
            t.clone(),
            t,
        ];
        let mut w = BinaryCopyInWriter::new(sink, &types);
        for p in &pending {
            let u = &p.unit;
            let (id, names) = (Some(p.id), RowNames::of(u));
            let (created, changed) = (p.created.as_str(), p.changed.as_str());
            w.write(&unit_row(&id, u, &names, &created, &changed)).map_err(&qe)?;
        }
        w.finish().map_err(&qe)?;
        if pending.iter().any(|p| !p.unit.props.is_empty()) {
            let sink = self
                .tx()
                .copy_in("COPY unit_prop (unit_id, seq, type, value) FROM STDIN (FORMAT binary)")
                .map_err(&qe)?;
            let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT4, Type::TEXT, Type::TEXT]);
            for p in &pending {
                for (seq, (kind, value)) in p.unit.props.iter().enumerate() {
                    w.write(&[&p.id, &(seq as i32), kind, value]).map_err(&qe)?;
                }
            }
            w.finish().map_err(&qe)?;
        }
        Ok(())
    }

    /// Keeps a child of an imported TMX header (once).
    ///
    /// # Errors
    /// A failed query.
    pub fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<()> {
        let qe = self.qe();
        self.tx()
            .execute(
                "INSERT INTO tmx_header_item (kind, xml) VALUES ($1, $2) ON CONFLICT (xml_key) DO NOTHING",
                &[&kind, &xml],
            )
            .map_err(qe)?;
        Ok(())
    }

    /// Stores glossary entries with the writer's units, committed or rolled back with them (see
    /// [`PgTm::add_terms`]).
    ///
    /// # Errors
    /// An entry without source or target, or a failed query.
    pub fn add_terms(&mut self, terms: &[crate::terms::NewTerm]) -> Result<Vec<crate::terms::TermOutcome>> {
        let qe = self.qe();
        terms::insert_terms(self.tx(), &qe, terms)
    }

    /// Counts one use of unit `id` if it still holds `u`'s source and target; a reviewed `u`
    /// marks it reviewed too.
    ///
    /// # Errors
    /// A failed query.
    pub fn confirm(&mut self, id: i64, u: &NewUnit) -> Result<bool> {
        self.flush()?;
        let qe = self.qe();
        let n = self
            .tx()
            .execute(
                "UPDATE unit SET usage_count = usage_count + 1, last_used_at = $4,
                        changed_at = CASE WHEN $5 = 'reviewed' AND status <> 'reviewed' THEN $4 ELSE changed_at END,
                        status = CASE WHEN $5 = 'reviewed' THEN 'reviewed' ELSE status END
                  WHERE id = $1 AND source = $2 AND target = $3",
                &[&id, &u.source, &u.target, &date::now(), &u.status.as_str()],
            )
            .map_err(qe)?;
        if n > 0 {
            self.changed.push(id);
        }
        Ok(n > 0)
    }

    /// Records the changed units in the change log and commits.
    ///
    /// # Errors
    /// A failed query; nothing was written then.
    pub fn commit(mut self) -> Result<()> {
        self.flush()?;
        let qe = self.qe();
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        if !self.reserved.is_empty() {
            // Give back the ids reserved and not used, so the next unit stored gets the id it
            // would get in a TM file. Only this writer draws from the sequence while it holds the
            // lock of its bulk load ([`PgWriter::start`]).
            self.tx()
                .batch_execute(
                    "SELECT setval(pg_get_serial_sequence('unit', 'id'), max(id)) FROM unit HAVING max(id) IS NOT NULL",
                )
                .map_err(&qe)?;
        }
        let mut tx = self.tx.take().expect("open until commit");
        if !changed.is_empty() {
            // Held until the commit: change-log numbers become visible in their order.
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOCK])
                .map_err(&qe)?;
            let last: i64 = tx
                .query_one(
                    "WITH added AS (INSERT INTO unit_change (unit_id) SELECT unnest($1::bigint[]) RETURNING seq)
                     SELECT max(seq) FROM added",
                    &[&changed],
                )
                .map_err(&qe)?
                .get(0);
            // Pruned by the writer that carries the log past a multiple of a tenth of what is
            // kept, so the log stays bounded without a separate job; still under the lock, so
            // the mark and the deletion are one step for every reader.
            let keep = self.change_log_keep;
            let every = (keep / 10).max(1);
            let first = last - changed.len() as i64 + 1;
            if last / every != (first - 1) / every && last > keep {
                let through = last - keep;
                tx.execute("DELETE FROM unit_change WHERE seq <= $1", &[&through])
                    .map_err(&qe)?;
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('change_log_pruned_through', $1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[&through.to_string()],
                )
                .map_err(&qe)?;
            }
        }
        tx.commit().map_err(&qe)
    }
}

/// The mirror cache's `meta` key naming the database it mirrors (the oids of the database and
/// of its `unit` table).
const CACHE_OF: &str = "mirror_of";
/// The mirror cache's `meta` key holding the last change-log entry applied (empty while a fill
/// is under way).
const CACHE_SEEN: &str = "mirror_seen";

/// Opens (creating it and its folder when missing) the mirror cache at `path` with its lock
/// taken; `None` when another process holds the lock or the file cannot be made a TM.
fn open_cache(path: &std::path::Path) -> Option<(Tm, std::fs::File)> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(dir).ok()?;
    }
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .ok()?;
    lock.try_lock().ok()?;
    let open = || {
        let tm = Tm::open(path, crate::tm::OpenMode::Create).ok()?;
        // The units of a shared TM, on this machine's disk: for this user only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).ok()?;
        }
        Some(tm)
    };
    if let Some(tm) = open() {
        return Some((tm, lock));
    }
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    open().map(|tm| (tm, lock))
}

/// Whether the schema in use has a table `name`. Read from `pg_class` with the statement's
/// snapshot (`to_regclass` answers from caches that may not yet show a table another session
/// just committed).
fn table_exists(c: &mut Transaction<'_>, name: &str) -> Result<bool, postgres::Error> {
    c.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = current_schema() AND c.relname = $1)",
        &[&name],
    )
    .map(|r| r.get(0))
}

/// A stored unit with the incoming source: id, target, target markup, status.
type Stored = (i64, String, Option<String>, String);

/// Size of a writer's filter of new sources, in 64-bit words (2 MiB).
const SOURCE_FILTER_WORDS: usize = 1 << 18;

/// A hash of a unit's language pair, source and source markup (FNV-1a 64): its bit in a
/// writer's filter of new sources is this modulo the filter's size.
fn source_hash(u: &NewUnit) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let markup = u.source_markup.as_deref().unwrap_or("");
    for part in [
        u.source_lang.as_str().as_bytes(),
        b"\0",
        u.target_lang.as_str().as_bytes(),
        b"\0",
        u.source.as_bytes(),
        b"\0",
        markup.as_bytes(),
    ] {
        for &b in part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The texts of a unit's row that are not fields of [`NewUnit`] as they are.
struct RowNames<'a> {
    source_lang: &'a str,
    target_lang: &'a str,
    origin: &'static str,
    status: &'static str,
}

impl<'a> RowNames<'a> {
    fn of(u: &'a NewUnit) -> RowNames<'a> {
        RowNames {
            source_lang: u.source_lang.as_str(),
            target_lang: u.target_lang.as_str(),
            origin: u.origin.as_str(),
            status: u.status.as_str(),
        }
    }
}

/// `u` as one row of `unit`, in [`UNIT_COLUMNS`] order: the values of the single `INSERT` and
/// of the bulk load's `COPY` alike (`id` `None`: the sequence's next).
fn unit_row<'a>(
    id: &'a Option<i64>,
    u: &'a NewUnit,
    names: &'a RowNames<'a>,
    created: &'a &'a str,
    changed: &'a &'a str,
) -> [&'a (dyn postgres::types::ToSql + Sync); 19] {
    [
        id,
        &names.source_lang,
        &names.target_lang,
        &u.source,
        &u.target,
        &u.source_markup,
        &u.target_markup,
        &names.origin,
        &u.document,
        &u.position,
        &u.tuid,
        created,
        &u.created_by,
        changed,
        &u.changed_by,
        &u.usage_count,
        &u.last_used_at,
        &u.note,
        &names.status,
    ]
}

const UNIT_COLUMNS: &str = "id, source_lang, target_lang, source, target, source_markup, target_markup, origin, document, position, tuid, created_at, created_by, changed_at, changed_by, usage_count, last_used_at, note, status";

/// The units with these ids (those that exist), with their properties, in id order.
fn fetch_units(c: &mut Client, ids: &[i64]) -> Result<Vec<Unit>, postgres::Error> {
    let rows = c.query(
        &format!("SELECT {UNIT_COLUMNS} FROM unit WHERE id = ANY($1) ORDER BY id"),
        &[&ids],
    )?;
    with_props(c, rows)
}

/// The next page of units after id `after` that pass `filter`'s non-language conditions.
fn fetch_page(c: &mut Client, filter: &UnitFilter, after: i64) -> Result<Vec<Unit>, postgres::Error> {
    let since = filter.since.as_deref();
    let origin = filter.origin.map(Origin::as_str);
    let status = filter.status.map(Status::as_str);
    let rows = c.query(
        &format!(
            "SELECT {UNIT_COLUMNS} FROM unit
              WHERE id > $1 AND ($2::text IS NULL OR changed_at COLLATE \"C\" >= $2)
                AND ($3::text IS NULL OR origin = $3) AND ($4::text IS NULL OR status = $4)
              ORDER BY id LIMIT $5"
        ),
        &[&after, &since, &origin, &status, &PAGE],
    )?;
    with_props(c, rows)
}

fn with_props(c: &mut Client, rows: Vec<Row>) -> Result<Vec<Unit>, postgres::Error> {
    let mut units: Vec<Unit> = rows.iter().map(unit_from_row).collect();
    if units.is_empty() {
        return Ok(units);
    }
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let props = c.query(
        "SELECT unit_id, type, value FROM unit_prop WHERE unit_id = ANY($1) ORDER BY unit_id, seq",
        &[&ids],
    )?;
    let mut at = 0;
    for p in props {
        let id: i64 = p.get(0);
        while at < units.len() && units[at].id < id {
            at += 1;
        }
        if at < units.len() && units[at].id == id {
            units[at].props.push((p.get(1), p.get(2)));
        }
    }
    Ok(units)
}

fn unit_from_row(r: &Row) -> Unit {
    let tag = |i: usize| {
        let s: String = r.get(i);
        // Tags were checked when stored; one that no longer parses is kept as it was written.
        LangTag::parse(&s).unwrap_or_else(|_| LangTag::parse("und").expect("und is a tag"))
    };
    let origin: String = r.get(7);
    let status: String = r.get(18);
    Unit {
        id: r.get(0),
        source_lang: tag(1),
        target_lang: tag(2),
        source: r.get(3),
        target: r.get(4),
        source_markup: r.get(5),
        target_markup: r.get(6),
        origin: Origin::parse(&origin).unwrap_or(Origin::Import),
        status: Status::parse(&status).unwrap_or(Status::Unreviewed),
        document: r.get(8),
        position: r.get(9),
        tuid: r.get(10),
        created_at: r.get(11),
        created_by: r.get(12),
        changed_at: r.get(13),
        changed_by: r.get(14),
        usage_count: r.get(15),
        last_used_at: r.get(16),
        note: r.get(17),
        props: Vec::new(),
    }
}

fn filter_langs(filter: &UnitFilter, u: &Unit) -> bool {
    let serves = |want: &Option<LangTag>, stored: &LangTag| want.as_ref().is_none_or(|w| w.serves(stored));
    serves(&filter.source_lang, &u.source_lang) && serves(&filter.target_lang, &u.target_lang)
}

fn view_of(u: &Unit) -> UnitView<'_> {
    UnitView {
        id: u.id,
        source_lang: u.source_lang.as_str(),
        target_lang: u.target_lang.as_str(),
        source: &u.source,
        target: &u.target,
        source_markup: u.source_markup.as_deref(),
        target_markup: u.target_markup.as_deref(),
        origin: u.origin,
        status: u.status,
        document: u.document.as_deref(),
        position: u.position,
        tuid: u.tuid.as_deref(),
        created_at: &u.created_at,
        created_by: u.created_by.as_deref(),
        changed_at: &u.changed_at,
        changed_by: u.changed_by.as_deref(),
        usage_count: u.usage_count,
        last_used_at: u.last_used_at.as_deref(),
        note: u.note.as_deref(),
        props: &u.props,
    }
}

/// The client's message with the server's detail (the `Display` of a server error is only
/// "db error").
fn error_text(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut s = e.to_string();
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                s.push_str(": ");
                s.push_str(&c.to_string());
                cause = c.source();
            }
            s
        }
    }
}

/// `text` with the password of `url` (if any) replaced, should a message ever quote it.
/// The error of a failed query on the database at `location` (for a caller that needs the
/// store mutably while the closure lives).
fn query_error_at(location: String) -> impl Fn(postgres::Error) -> PgError {
    move |e| PgError::Query {
        location: location.clone(),
        reason: error_text(&e),
    }
}

fn scrub(text: &str, url: &str) -> String {
    let password = postgres::Config::from_str(url)
        .ok()
        .and_then(|c| c.get_password().map(|p| String::from_utf8_lossy(p).to_string()))
        .or_else(|| {
            let rest = url.split_once("://")?.1;
            let auth = rest.split(['/', '?']).next()?;
            let user = auth.rsplit_once('@')?.0;
            Some(user.split_once(':')?.1.to_string())
        });
    match password {
        Some(p) if !p.is_empty() => text.replace(&p, "********"),
        _ => text.to_string(),
    }
}

impl From<rusqlite::Error> for PgError {
    fn from(e: rusqlite::Error) -> Self {
        PgError::Tm(TmError::from(e))
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_removes_passwords_everywhere() {
        assert_eq!(
            redact("postgres://lina:s3cret@db.example:5433/tm"),
            "postgres://lina@db.example:5433/tm"
        );
        assert_eq!(
            redact("postgresql://db/tm?password=s3cret&sslmode=disable"),
            "postgresql://db/tm?sslmode=disable"
        );
        assert_eq!(redact("postgres://lina@db/tm"), "postgres://lina@db/tm");
        assert_eq!(redact("postgres://a:b:c@h"), "postgres://a@h");
        assert!(!redact("postgres://u:p%40ss@h/d").contains("p%40ss"));
    }
}
