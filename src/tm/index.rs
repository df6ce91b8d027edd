//! The persistent candidate index, kept in the TM's SQLite file beside the `unit` table and
//! owned by the store: nothing outside `tm` reads or writes these tables. The scoring it serves
//! (keys, weights, bounds, the score itself) is [`crate::fuzzy`]'s, which knows nothing of SQL.
//!
//! Invariants:
//!
//! - **Same transaction.** Every function here runs on the caller's connection and opens no
//!   transaction of its own: the lead's write transaction that inserts or deletes units also
//!   indexes or un-indexes them, so the index never disagrees with the committed units.
//! - **Lossless.** [`search`] returns exactly what [`search_exhaustive`] returns for any `min` > 0
//!   (in particular every `min` ≥ 50): same units, same scores, same order (score descending, then
//!   closeness ascending, then unit id ascending; see [`Match::closeness`]). Filters only drop units whose score is provably below `min` or below the
//!   `top`-th best score (see the bound in [`crate::fuzzy`]); survivors are scored with
//!   [`crate::fuzzy::score`] itself on the text read from `unit`.
//! - **Ranked searches stay lossless.** A [`Rank`] takes points off a unit's fuzzy score (review
//!   status, origin, alternatives: see [`crate::tm::rank`]) and adds a tie-break key. Points are
//!   only ever taken off ([`Ranking::apply`] never returns more than the fuzzy score), so every
//!   bound above is still a bound of the ranked score: `min` and the `top`-th score found are
//!   compared with ranked scores, candidates are dropped only on fuzzy bounds, and the ranking is
//!   asked only for units whose fuzzy score reached `min`. [`FuzzyIndex::search_ranked`] therefore
//!   returns what [`search_exhaustive_ranked`] returns with the same ranking.
//! - A posting may be *stale* (its unit was removed or re-indexed); stale postings only cost time,
//!   since every candidate is checked against `fuzzy_unit`. [`rebuild`] drops them.
//!
//! # Tables (all prefixed `fuzzy_`)
//!
//! - `fuzzy_meta(name, value)`: format version and the next posting segment number.
//! - `fuzzy_key(id, key, df)`: the interned token keys (normalized stems, punctuation, and one key
//!   each for numbers and tags) with their document frequency (number of indexed units that
//!   contain the key).
//! - `fuzzy_unit(unit_id, weight, syms)`: per indexed unit, its total token weight and its token
//!   sequence as (key id, clitic signature) pairs, varint-encoded: everything the edit-distance
//!   bound needs without reading or re-tokenizing the text.
//! - `fuzzy_posting(key_id, len, seg, units)`: inverted lists, split by source length
//!   (`len` = total weight in half words) so that the length filter is applied by the lookup, and
//!   by segment (`seg`, one per [`Indexer`] flush) so that appending never rewrites a list.
//!   `units` is a delta-varint list of ascending unit ids.
//!
//! # Search
//!
//! Query keys are taken rarest first (by `df`); only the shortest prefix whose complement could not
//! reach `min` is probed, only in the length range that could reach `min` (the lists are split by
//! length). A unit longer than the query needs more shared weight, so each key of the prefix is
//! probed only for the unit lengths at which a unit sharing none of the rarer keys could still
//! reach `min`; for a unit of another length that key counts as unread. Then, for a loaded
//! [`FuzzyIndex`] (batch matching):
//!
//! 1. the prefix lists give the candidates, and the lists of the remaining keys that are not very
//!    common (in at most 1/16 of the units) add to each candidate's shared key weight; a candidate
//!    whose shared weight plus the weight of the unread keys cannot reach `min` is dropped without
//!    touching its entry (count filter);
//! 2. a 128-bit key signature per unit bounds the shared weight again;
//! 3. the exact weighted key overlap, then the weighted token edit distance over interned keys
//!    (two rows, early exit once a row exceeds the allowed distance) give an upper bound of the
//!    score;
//! 4. candidates are scored exactly with [`crate::fuzzy::score`] on their text, best bound first,
//!    stopping once the bound falls below the `top`-th score found.
//!
//! Without loading ([`search`]), which suits a single query, the search runs on the SQLite tables
//! in one read transaction: the prefix and count
//! lists come from `fuzzy_posting`, whose rows carry the unit length, so the count filter is exact
//! per (unit, length) before any unit entry is read; candidates are then verified from `fuzzy_unit`
//! in count-bound order and scored best bound first, stopping as soon as the next bound falls
//! below the `top`-th score found. At 10⁶ units this reads a few hundred unit entries for a
//! typical `--top 5` query instead of every candidate.

use std::collections::HashMap;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

use crate::fuzzy::{
    base_score, distance_bounded, max_distance, token_key, total_weight, PreparedQuery, Sym, PUNCT, TAG, WORD,
};
use crate::text;

/// Version of the index format stored in `fuzzy_meta`. 4: the keys of [`crate::text::morph`] as
/// of schema 9 (a final ت is the feminine ending, a preposition read on a letter of the word does
/// not keep a suffix on, a person prefix may leave two letters) and tags of weight 0. Schema
/// migration 9 rebuilds an older index on open; one found anyway (a file written meanwhile by an
/// older mizan) is not used (searches scan, [`term_candidates`] answers `None`) until [`rebuild`]
/// (`mizan reindex`).
const FORMAT_VERSION: i64 = 4;

/// Keys in more than 1/`EXTRA_DF_DIVISOR` of the units are not read for the count filter (their
/// lists cost more to read than they save; measured at 10⁶ units: 4 and 64 are both slower, and
/// with the loaded index's dense counters 1, 2 and 4 are slower and reading no extra list at all
/// is much slower).
const EXTRA_DF_DIVISOR: i64 = 16;

/// Keys in at most this many units are always read for the count filter. Tiny under test, so that
/// the small test TMs also exercise unread keys.
const EXTRA_DF_FLOOR: i64 = if cfg!(test) { 2 } else { 1000 };

/// A count list of the loaded index is read only when its slots in the query's weight range are
/// at most this many times the prefix lists' slots: a list much longer than the candidates costs
/// more to read than the candidates' signatures and verification it saves (measured at 10⁶
/// units, kit queries at min 75: p50 about 0.5 ms against 0.7 ms reading every list; 1 and 4
/// were in between).
const EXTRA_LIST_RATIO: usize = 2;

/// Pending postings after which an [`Indexer`] writes a segment.
const FLUSH_POSTINGS: usize = 4_000_000;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS fuzzy_meta(
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fuzzy_key(
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    df  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS fuzzy_unit(
    unit_id INTEGER PRIMARY KEY,
    weight  INTEGER NOT NULL,
    syms    BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS fuzzy_posting(
    key_id INTEGER NOT NULL,
    len    INTEGER NOT NULL,
    seg    INTEGER NOT NULL,
    units  BLOB NOT NULL,
    PRIMARY KEY (key_id, len, seg)
) WITHOUT ROWID;
INSERT OR IGNORE INTO fuzzy_meta(name, value) VALUES ('format', 4), ('next_seg', 1);
";

/// A unit returned by a search.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Match {
    /// The `unit.id` of the matching unit.
    pub unit_id: i64,
    /// Its ranked score: the fuzzy score less the ranking's penalty (0–100, one decimal). Results
    /// are ordered by it, and `min` applies to it.
    pub score: f64,
    /// Its fuzzy score against the query ([`crate::fuzzy::score`]), before any penalty.
    pub fuzzy_score: f64,
    /// How close the texts are among equal scores (lower first, before the ranking's
    /// `tie`): [`crate::fuzzy::Explanation::tie_key`], letters that differ, then spelling.
    pub closeness: u32,
    /// The ranking's tie-break key (lower first; 0 without a ranking).
    pub tie: i64,
}

/// How a search ranks a unit beyond its fuzzy score: points taken off, and a tie-break key.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ranking {
    /// Points taken off the fuzzy score; below 0 (or NaN) counts as 0: a ranking never raises a
    /// score, which is what keeps the index's bounds valid.
    pub penalty: f64,
    /// Among equal ranked scores, lower keys come first (then lower unit ids).
    pub tie: i64,
}

impl Ranking {
    /// The ranked score of a unit whose fuzzy score is `fuzzy`: `round₁(max(fuzzy − penalty, 0))`,
    /// never above `fuzzy`.
    ///
    /// ```
    /// use mizan::tm::index::Ranking;
    /// assert_eq!(Ranking { penalty: 5.0, tie: 0 }.apply(96.0), 91.0);
    /// assert_eq!(Ranking { penalty: -3.0, tie: 0 }.apply(96.0), 96.0);
    /// assert_eq!(Ranking { penalty: 120.0, tie: 0 }.apply(96.0), 0.0);
    /// ```
    pub fn apply(self, fuzzy: f64) -> f64 {
        // `> 0.0` is false for NaN too: a broken penalty takes nothing off.
        let penalty = if self.penalty > 0.0 { self.penalty } else { 0.0 };
        crate::fuzzy::round1((fuzzy - penalty).max(0.0)).min(fuzzy)
    }
}

/// The ranking a search applies to each unit whose fuzzy score reached `min`.
///
/// It must answer the same for the same unit during one search (the indexed and the exhaustive
/// search ask in different orders and must agree).
pub trait Rank {
    /// The ranking of unit `unit_id`.
    ///
    /// # Errors
    /// SQLite errors (implementations usually read the unit's row).
    fn rank(&mut self, unit_id: i64) -> rusqlite::Result<Ranking>;
}

/// No penalty and no tie-break: results in fuzzy-score order, then by unit id.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unranked;

impl Rank for Unranked {
    fn rank(&mut self, _unit_id: i64) -> rusqlite::Result<Ranking> {
        Ok(Ranking::default())
    }
}

/// Corrupt index data found while decoding a blob.
#[derive(Debug, thiserror::Error)]
#[error("the fuzzy index is damaged ({0}); run `rebuild` to recreate it from the units")]
pub struct CorruptIndex(&'static str);

fn corrupt(what: &'static str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(CorruptIndex(what)))
}

/// Creates the index tables if they do not exist (idempotent). When they exist it only reads, so
/// it works on a read-only connection.
///
/// # Errors
///
/// SQLite errors, or a newer index format than this mizan understands.
pub fn create_schema(conn: &Connection) -> rusqlite::Result<()> {
    let present: bool = conn.query_row(
        "SELECT count(*) = 4 FROM sqlite_master WHERE type = 'table' AND name IN ('fuzzy_meta', 'fuzzy_key', 'fuzzy_unit', 'fuzzy_posting')",
        [],
        |r| r.get(0),
    )?;
    if !present {
        conn.execute_batch(SCHEMA)?;
    }
    let v: i64 = conn.query_row("SELECT value FROM fuzzy_meta WHERE name = 'format'", [], |r| r.get(0))?;
    if v > FORMAT_VERSION {
        return Err(corrupt("format version newer than this program"));
    }
    Ok(())
}

/// Whether the index was built with this program's keys (else only [`rebuild`] makes it usable).
///
/// # Errors
///
/// SQLite errors.
pub fn is_current(conn: &Connection) -> rusqlite::Result<bool> {
    create_schema(conn)?;
    let v: i64 = conn.query_row("SELECT value FROM fuzzy_meta WHERE name = 'format'", [], |r| r.get(0))?;
    Ok(v == FORMAT_VERSION)
}

/// Indexes one unit; call it in the transaction that inserts the unit.
///
/// Re-indexing an already indexed unit replaces its entry. For many units use an [`Indexer`].
///
/// # Errors
///
/// SQLite errors.
pub fn index_unit(conn: &Connection, unit_id: i64, source: &str) -> rusqlite::Result<()> {
    let mut ix = Indexer::new(conn)?;
    ix.add(unit_id, source)?;
    ix.finish()
}

/// Removes one unit from the index; call it in the transaction that deletes the unit.
///
/// `source` is not needed (the index keeps the unit's keys) and is accepted for symmetry with
/// [`index_unit`]. Its postings stay behind as stale entries until [`rebuild`].
///
/// # Errors
///
/// SQLite errors, or a damaged `fuzzy_unit` entry.
pub fn remove_unit(conn: &Connection, unit_id: i64, source: &str) -> rusqlite::Result<()> {
    let _ = source;
    let mut ix = Indexer::new(conn)?;
    ix.remove(unit_id)?;
    ix.finish()
}

/// Re-creates the whole index from the `unit` table (also drops stale postings).
///
/// Runs in the caller's transaction; wrap it in one (at 10⁶ units it writes a few hundred MB).
///
/// # Errors
///
/// SQLite errors.
pub fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    create_schema(conn)?;
    conn.execute_batch(
        "DELETE FROM fuzzy_posting; DELETE FROM fuzzy_unit; DELETE FROM fuzzy_key;
         UPDATE fuzzy_meta SET value = 1 WHERE name = 'next_seg';
         UPDATE fuzzy_meta SET value = 4 WHERE name = 'format';",
    )?;
    let mut ix = Indexer::new(conn)?;
    ix.fresh = true;
    let mut stmt = conn.prepare("SELECT id, source FROM unit ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let source: String = row.get(1)?;
        ix.add(id, &source)?;
    }
    ix.finish()
}

/// A source text as the index sees it: its token keys, clitic signatures and weights, in order.
///
/// Computing it needs no database, so a bulk import can tokenize on the thread that parses the
/// file while another one writes ([`Indexer::add_keys`]).
#[derive(Debug, Clone, Default)]
pub struct SourceKeys {
    /// The keys, one after the other (two allocations per unit, not one per token).
    keys: String,
    /// Per token: where its key ends in `keys`, its clitic signature and its weight.
    syms: Vec<(u32, u32, u8)>,
}

impl SourceKeys {
    /// Tokenizes `source` and keys each token.
    pub fn new(source: &str) -> Self {
        let tokens = text::tokenize(source);
        let mut out = SourceKeys {
            keys: String::with_capacity(source.len()),
            syms: Vec::with_capacity(tokens.len()),
        };
        for t in &tokens {
            let (key, sig, weight) = token_key(t);
            out.keys.push_str(&key);
            out.syms.push((out.keys.len() as u32, sig, weight));
        }
        out
    }

    /// Each token's key, clitic signature and weight, in order.
    fn iter(&self) -> impl Iterator<Item = (&str, u32, u8)> {
        let mut start = 0;
        self.syms.iter().map(move |&(end, sig, weight)| {
            let key = self.keys.get(start..end as usize).unwrap_or_default();
            start = end as usize;
            (key, sig, weight)
        })
    }
}

/// Bulk indexing inside the caller's transaction, with cached key ids and buffered postings.
///
/// Create it after opening the transaction, [`add`](Indexer::add) each inserted unit and
/// [`remove`](Indexer::remove) each deleted one, then call [`finish`](Indexer::finish) **before
/// committing**: postings are buffered and written in segments. Dropping an `Indexer` without
/// `finish` writes the buffer too, but cannot report an error, so a failed write would go unseen.
///
/// ```
/// # fn main() -> rusqlite::Result<()> {
/// let mut conn = rusqlite::Connection::open_in_memory()?;
/// conn.execute_batch("CREATE TABLE unit(id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL)")?;
/// let tx = conn.transaction()?;
/// {
///     let mut ix = mizan::tm::index::Indexer::new(&tx)?;
///     for (id, ar, en) in [(1, "قال الرئيس", "The president said"), (2, "وقال الوزير", "And the minister said")] {
///         tx.execute("INSERT INTO unit(id, source, target) VALUES (?1, ?2, ?3)", (id, ar, en))?;
///         ix.add(id, ar)?;
///     }
///     ix.finish()?;
/// }
/// tx.commit()?;
/// let m = mizan::tm::index::search(&conn, "وقال الرئيس", 50.0, 5)?;
/// assert_eq!(m[0].unit_id, 1);
/// # Ok(()) }
/// ```
pub struct Indexer<'c> {
    conn: &'c Connection,
    keys: ahash::AHashMap<String, u32>,
    /// Buffered postings: (key id, length in half words, unit id).
    pending: Vec<(u32, u32, i64)>,
    /// Document-frequency changes, by key id.
    df: Vec<i64>,
    /// The index held no units when this indexer started, and every unit added so far had an
    /// id below this: a larger id cannot be indexed yet (no replace check needed).
    fresh_above: Option<i64>,
    /// The index is known to be empty of these units (rebuild): skip the replace check.
    fresh: bool,
    finished: bool,
}

impl<'c> Indexer<'c> {
    /// Starts indexing on `conn` (creating the tables if needed).
    ///
    /// # Errors
    ///
    /// SQLite errors.
    pub fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        create_schema(conn)?;
        let empty: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM fuzzy_unit)", [], |r| r.get(0))?;
        Ok(Indexer {
            conn,
            keys: ahash::AHashMap::new(),
            pending: Vec::new(),
            df: Vec::new(),
            fresh_above: empty.then_some(i64::MIN),
            fresh: false,
            finished: false,
        })
    }

    fn df_add(&mut self, key: u32, d: i64) {
        let k = key as usize;
        if self.df.len() <= k {
            self.df.resize(k + 1, 0);
        }
        self.df[k] += d;
    }

    fn key_id(&mut self, key: &str) -> rusqlite::Result<u32> {
        if let Some(&id) = self.keys.get(key) {
            return Ok(id);
        }
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM fuzzy_key WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                self.conn
                    .prepare_cached("INSERT INTO fuzzy_key(key, df) VALUES (?1, 0)")?
                    .execute([key])?;
                self.conn.last_insert_rowid()
            }
        };
        let id = u32::try_from(id).map_err(|_| corrupt("key id out of range"))?;
        self.keys.insert(key.to_string(), id);
        Ok(id)
    }

    /// Indexes (or re-indexes) unit `unit_id` whose source text is `source`.
    ///
    /// # Errors
    ///
    /// SQLite errors.
    pub fn add(&mut self, unit_id: i64, source: &str) -> rusqlite::Result<()> {
        self.add_keys(unit_id, &SourceKeys::new(source))
    }

    /// [`Indexer::add`] with the source already turned into keys ([`SourceKeys::new`], which
    /// needs no connection and so can run on another thread, e.g. the one that parses the file).
    ///
    /// # Errors
    ///
    /// SQLite errors.
    pub fn add_keys(&mut self, unit_id: i64, keys: &SourceKeys) -> rusqlite::Result<()> {
        let known_new = self.fresh || self.fresh_above.is_some_and(|above| unit_id > above);
        if !known_new {
            self.remove(unit_id)?;
        }
        if let Some(above) = self.fresh_above.as_mut() {
            *above = (*above).max(unit_id);
        }
        let mut syms = Vec::with_capacity(keys.syms.len());
        for (key, sig, weight) in keys.iter() {
            let key = self.key_id(key)?;
            syms.push(Sym { key, sig, weight });
        }
        let weight = total_weight(&syms);
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO fuzzy_unit(unit_id, weight, syms) VALUES (?1, ?2, ?3)")?
            .execute(params![unit_id, weight, encode_syms(&syms)])?;
        let mut distinct: Vec<u32> = syms.iter().map(|s| s.key).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let len = weight / PUNCT;
        for k in distinct {
            self.pending.push((k, len, unit_id));
            self.df_add(k, 1);
        }
        if self.pending.len() >= FLUSH_POSTINGS {
            self.flush()?;
        }
        Ok(())
    }

    /// Removes unit `unit_id` from the index; returns whether it was indexed.
    ///
    /// # Errors
    ///
    /// SQLite errors, or a damaged entry.
    pub fn remove(&mut self, unit_id: i64) -> rusqlite::Result<bool> {
        let old: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT syms FROM fuzzy_unit WHERE unit_id = ?1")?
            .query_row([unit_id], |r| r.get(0))
            .optional()?;
        let Some(old) = old else { return Ok(false) };
        let mut syms = Vec::new();
        decode_syms(&old, &mut syms)?;
        let mut distinct: Vec<u32> = syms.iter().map(|s| s.key).collect();
        distinct.sort_unstable();
        distinct.dedup();
        for k in distinct {
            self.df_add(k, -1);
        }
        self.conn
            .prepare_cached("DELETE FROM fuzzy_unit WHERE unit_id = ?1")?
            .execute([unit_id])?;
        Ok(true)
    }

    /// Writes buffered postings as one new segment, and the document-frequency changes.
    fn flush(&mut self) -> rusqlite::Result<()> {
        if !self.pending.is_empty() {
            let seg: i64 = self.conn.query_row(
                "UPDATE fuzzy_meta SET value = value + 1 WHERE name = 'next_seg' RETURNING value - 1",
                [],
                |r| r.get(0),
            )?;
            // The order of (key, len, unit id), compared as one integer: a third faster than
            // comparing the tuples (4M postings per flush in a bulk import).
            self.pending.sort_unstable_by_key(|&(key, len, unit)| {
                (u128::from(key) << 96) | (u128::from(len) << 64) | u128::from((unit as u64) ^ (1 << 63))
            });
            self.pending.dedup();
            let mut stmt = self
                .conn
                .prepare_cached("INSERT INTO fuzzy_posting(key_id, len, seg, units) VALUES (?1, ?2, ?3, ?4)")?;
            let mut blob = Vec::new();
            let mut ids = Vec::new();
            for run in self.pending.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
                ids.clear();
                ids.extend(run.iter().map(|p| p.2));
                blob.clear();
                encode_ids(&ids, &mut blob);
                stmt.execute(params![run[0].0, run[0].1, seg, blob])?;
            }
            self.pending.clear();
        }
        if !self.df.is_empty() {
            let mut stmt = self
                .conn
                .prepare_cached("UPDATE fuzzy_key SET df = df + ?2 WHERE id = ?1")?;
            for (k, d) in self.df.iter().enumerate() {
                if *d != 0 {
                    stmt.execute(params![k as i64, d])?;
                }
            }
            self.df.clear();
        }

        Ok(())
    }

    /// Writes everything buffered. Call it before committing the transaction.
    ///
    /// # Errors
    ///
    /// SQLite errors.
    pub fn finish(mut self) -> rusqlite::Result<()> {
        self.finished = true;
        self.flush()
    }
}

impl Drop for Indexer<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort; `finish` is the way to see errors.
            let _ = self.flush();
        }
    }
}

fn put_varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(b: &[u8], pos: &mut usize) -> rusqlite::Result<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = *b.get(*pos).ok_or_else(|| corrupt("truncated varint"))?;
        *pos += 1;
        if shift > 63 {
            return Err(corrupt("varint too long"));
        }
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(v);
        }
        shift += 7;
    }
}

/// Encodes symbols: varint(key << 2 | punct << 1 | has_sig), then varint(sig) if has_sig.
/// Per token: a varint of the key id shifted left by two, whose low bits say `10` punctuation
/// (weight [`PUNCT`]), `11` a tag (weight [`TAG`]), `0x` a word or number (weight [`WORD`]) with
/// (`01`) or without an affix signature, which then follows as a varint.
fn encode_syms(syms: &[Sym]) -> Vec<u8> {
    let mut out = Vec::with_capacity(syms.len() * 3);
    for s in syms {
        let low = match u32::from(s.weight) {
            PUNCT => 0b10,
            TAG => 0b11,
            _ => u64::from(s.sig != 0),
        };
        put_varint((u64::from(s.key) << 2) | low, &mut out);
        if low == 1 {
            put_varint(u64::from(s.sig), &mut out);
        }
    }
    out
}

fn decode_syms(b: &[u8], out: &mut Vec<Sym>) -> rusqlite::Result<()> {
    let mut pos = 0;
    while pos < b.len() {
        let v = get_varint(b, &mut pos)?;
        let key = u32::try_from(v >> 2).map_err(|_| corrupt("key id out of range"))?;
        let (weight, sig) = match v & 3 {
            0b10 => (PUNCT, 0),
            0b11 => (TAG, 0),
            0b01 => (
                WORD,
                u32::try_from(get_varint(b, &mut pos)?).map_err(|_| corrupt("affix signature out of range"))?,
            ),
            _ => (WORD, 0),
        };
        out.push(Sym {
            key,
            sig,
            weight: weight as u8,
        });
    }
    Ok(())
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Ascending ids: the first zigzag-encoded, then the gaps.
fn encode_ids(ids: &[i64], out: &mut Vec<u8>) {
    let mut prev = None;
    for &id in ids {
        match prev {
            None => put_varint(zigzag(id), out),
            Some(p) => put_varint(id.wrapping_sub(p) as u64, out),
        }
        prev = Some(id);
    }
}

fn decode_ids(b: &[u8], out: &mut Vec<i64>) -> rusqlite::Result<()> {
    let mut pos = 0;
    let mut prev: Option<i64> = None;
    while pos < b.len() {
        let v = get_varint(b, &mut pos)?;
        let id = match prev {
            None => unzigzag(v),
            Some(p) => p.wrapping_add(v as i64),
        };
        out.push(id);
        prev = Some(id);
    }
    Ok(())
}

/// The index held in memory by [`FuzzyIndex::load`]: units by slot, and inverted lists of slots
/// per key.
///
/// Slots are numbered in (unit weight, unit id) order: the units of one weight are a range of
/// slots, so a list sorted by slot is sorted by weight too, the length filter is a binary search
/// on the list itself, and the candidates of a query lie in one range of slots, which the
/// per-query counters cover densely.
struct Cache {
    /// The index has this program's format ([`is_current`]); else searches scan.
    current: bool,
    keys: HashMap<String, (u32, i64)>,
    /// Unit id of each slot.
    ids: Vec<i64>,
    /// `syms[spans[k].0..spans[k].1]`: the tokens of slot `k` (`syms` is in unit id order).
    spans: Vec<(u32, u32)>,
    /// Each distinct unit weight with its first slot, ascending.
    runs: Vec<(u32, u32)>,
    syms: Vec<Sym>,
    /// 128-bit key signature of each slot (one bit per key, hashed).
    sigs: Vec<u128>,
    /// `post[post_starts[key]..post_starts[key + 1]]`: slots containing `key`, ascending.
    post_starts: Vec<u32>,
    post: Vec<u32>,
    /// Working memory for the queries to come: each query takes one (or makes one) and gives it
    /// back clean, so that threads sharing the index search at once.
    scratch: Mutex<Vec<Scratch>>,
}

impl Cache {
    /// The tokens of slot `k`.
    #[inline]
    fn unit_syms(&self, k: usize) -> &[Sym] {
        let (a, b) = self.spans[k];
        &self.syms[a as usize..b as usize]
    }

    /// The first slot whose unit weight is at least `w` (the slot count if none).
    fn first_slot(&self, w: u32) -> u32 {
        let i = self.runs.partition_point(|r| r.0 < w);
        self.runs.get(i).map_or(self.ids.len() as u32, |r| r.1)
    }

    /// The slots of `key`'s list (empty for a key no unit has).
    fn postings(&self, key: u32) -> &[u32] {
        match (
            self.post_starts.get(key as usize),
            self.post_starts.get(key as usize + 1),
        ) {
            (Some(&a), Some(&b)) => &self.post[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The slots of `key`'s list in `from..to`.
    fn list(&self, key: u32, from: u32, to: u32) -> &[u32] {
        let list = self.postings(key);
        let lo = list.partition_point(|&k| k < from);
        let hi = list.partition_point(|&k| k < to);
        &list[lo..hi.max(lo)]
    }
}

/// Per-query working memory of a loaded index.
#[derive(Default)]
struct Scratch {
    /// Per slot: 0 if the slot is not a candidate of the current query, else 1 + the query
    /// weight found so far in the lists read for it, in the query's units (see
    /// [`candidates_loaded`]). All 0 between queries (phase 2 clears what it reads). One byte
    /// per slot keeps the range of a query's candidates in the CPU cache.
    count: Vec<u8>,
    /// Per slot, one bit: the slot is a candidate of the current query (its counter is not 0).
    /// All 0 between queries, as `count`. A query's candidates are a small share of its range
    /// of slots, and the bits of that range fit in the CPU's first-level cache where the
    /// counters do not: the count lists test the bit before they touch a counter, and phase 2
    /// visits the set bits instead of scanning every counter.
    bits: Vec<u64>,
    /// The candidates found in one count list (see `candidates_in`).
    hits: Vec<u32>,
}

/// The signature bit of a key.
#[inline]
fn sig_bit(key: u32) -> u32 {
    (key.wrapping_mul(0x9E37_79B1) >> 25) & 127
}

/// A searcher over the index.
///
/// [`FuzzyIndex::new`] reads the index from SQLite per query (fine for a single query);
/// [`FuzzyIndex::load`] reads the units' token entries once and keeps them in memory with
/// inverted lists built from them (for batch matching: about 12 bytes per token, ~350 MB at 10⁶
/// units of 20 words).
///
/// A loaded index is a snapshot: after units are added or removed, load it again (until then new
/// units are not found; removed units are skipped since their text is gone).
#[derive(Default)]
pub struct FuzzyIndex {
    cache: Option<Cache>,
}

/// A key of the query's prefix, probed for the candidates of weights `lo..=hi` only.
#[derive(Debug, Clone, Copy)]
struct Probe {
    key: u32,
    /// The query's weight of this key.
    w: u32,
    lo: u32,
    hi: u32,
}

/// What the filters need to know about the query, in the index's key space.
struct Plan {
    wq: u32,
    /// Probed keys (the prefix), rarest first, each over the unit weights where a unit that
    /// shares none of the rarer keys could still reach `min` (a long unit needs more shared
    /// weight than a short one, so a later key of the prefix is probed for fewer lengths).
    probe: Vec<Probe>,
    /// Keys read after the prefix only to count the weight candidates share with the query
    /// (not so common that reading their lists costs more than it saves).
    extra: Vec<(u32, u32)>,
    /// Candidate weight range (inclusive).
    lo: u32,
    hi: u32,
    /// Per candidate weight `ws` in `lo..=hi` (at `ws - lo`): the least key weight a candidate of
    /// that weight must share with the query to reach `min` ([`u32::MAX`]: none can).
    need: Vec<u32>,
    /// Per candidate weight, as `need`: the query weight in keys whose lists were not read for
    /// a candidate of that weight (keys neither probed nor in `extra`, and the probe keys whose
    /// range leaves that weight out): the most it can share beyond what the lists show.
    unread_at: Vec<u32>,
    /// Query symbols with global key ids (unknown keys get ids that no unit has).
    qsyms: Vec<Sym>,
    /// Known query keys with their total weight, sorted by key id.
    qkeys: Vec<(u32, u32)>,
}

impl Plan {
    /// The least shared key weight a unit of weight `ws` needs (see `need`).
    #[inline]
    fn need(&self, ws: u32) -> u32 {
        ws.checked_sub(self.lo)
            .and_then(|i| self.need.get(i as usize))
            .copied()
            .unwrap_or(u32::MAX)
    }

    /// The query weight not read for a unit of weight `ws` (see `unread_at`).
    #[inline]
    fn unread(&self, ws: u32) -> u32 {
        ws.checked_sub(self.lo)
            .and_then(|i| self.unread_at.get(i as usize))
            .copied()
            .unwrap_or(self.wq)
    }

    /// Length, count and edit-distance filters for one candidate; returns its score bound.
    #[inline]
    fn verify(&self, min: f64, ws: u32, ssyms: &[Sym], remaining: &mut [u32], row: &mut Vec<u32>) -> Option<f64> {
        let wq = self.wq;
        let l = wq.max(ws);
        if base_score(l - wq.min(ws), l) < min {
            return None;
        }
        for (r, q) in remaining.iter_mut().zip(&self.qkeys) {
            *r = q.1;
        }
        let mut overlap = 0;
        for s in ssyms {
            if let Ok(k) = self.qkeys.binary_search_by_key(&s.key, |q| q.0) {
                let take = remaining[k].min(u32::from(s.weight));
                remaining[k] -= take;
                overlap += take;
            }
        }
        if base_score(l - overlap, l) < min {
            return None;
        }
        let dmax = max_distance(l, min)?;
        let d = distance_bounded(&self.qsyms, ssyms, dmax, row)?;
        Some(base_score(d, l))
    }
}

impl FuzzyIndex {
    /// A searcher that reads everything from SQLite per query (good for one query).
    pub fn new() -> Self {
        FuzzyIndex::default()
    }

    /// Loads the index's unit entries and keys into memory (for many queries).
    ///
    /// # Errors
    ///
    /// SQLite errors, or damaged index entries.
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let current = is_current(conn)?;
        let mut keys = HashMap::new();
        let mut max_key = 0u32;
        let mut stmt = conn.prepare("SELECT id, key, df FROM fuzzy_key")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let id = u32::try_from(id).map_err(|_| corrupt("key id out of range"))?;
            max_key = max_key.max(id);
            keys.insert(r.get::<_, String>(1)?, (id, r.get::<_, i64>(2)?));
        }
        let mut unit_ids = Vec::new();
        let mut starts = vec![0u32];
        let mut unit_weights = Vec::new();
        let mut syms = Vec::new();
        let mut stmt = conn.prepare("SELECT unit_id, weight, syms FROM fuzzy_unit ORDER BY unit_id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            unit_ids.push(r.get::<_, i64>(0)?);
            unit_weights.push(r.get::<_, u32>(1)?);
            decode_syms(r.get_ref(2)?.as_blob()?, &mut syms)?;
            starts.push(u32::try_from(syms.len()).map_err(|_| corrupt("too many tokens to load"))?);
        }
        if syms.iter().any(|s| s.key > max_key) {
            return Err(corrupt("unit refers to an unknown key"));
        }
        let n = unit_ids.len();
        // Slots in (weight, unit id) order: the sort is stable and the rows came by unit id.
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&k| unit_weights[k as usize]);
        let ids: Vec<i64> = order.iter().map(|&k| unit_ids[k as usize]).collect();
        let spans: Vec<(u32, u32)> = order
            .iter()
            .map(|&k| (starts[k as usize], starts[k as usize + 1]))
            .collect();
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for (k, &u) in order.iter().enumerate() {
            let w = unit_weights[u as usize];
            if runs.last().is_none_or(|r| r.0 != w) {
                runs.push((w, k as u32));
            }
        }
        drop((order, unit_ids, unit_weights, starts));
        let unit_syms = |k: usize| &syms[spans[k].0 as usize..spans[k].1 as usize];
        let sigs: Vec<u128> = (0..n)
            .map(|k| {
                unit_syms(k)
                    .iter()
                    .fold(0u128, |acc, s| acc | (1u128 << sig_bit(s.key)))
            })
            .collect();
        // Inverted lists: ascending slots, each slot once per distinct key.
        let nk = max_key as usize + 1;
        let mut last = vec![u32::MAX; nk];
        let mut post_starts = vec![0u32; nk + 1];
        for k in 0..n as u32 {
            for s in unit_syms(k as usize) {
                if last[s.key as usize] != k {
                    last[s.key as usize] = k;
                    post_starts[s.key as usize + 1] += 1;
                }
            }
        }
        for k in 0..nk {
            post_starts[k + 1] += post_starts[k];
        }
        let mut fill = post_starts.clone();
        let mut post = vec![0u32; post_starts[nk] as usize];
        last.fill(u32::MAX);
        for k in 0..n as u32 {
            for s in unit_syms(k as usize) {
                let key = s.key as usize;
                if last[key] != k {
                    last[key] = k;
                    post[fill[key] as usize] = k;
                    fill[key] += 1;
                }
            }
        }
        Ok(FuzzyIndex {
            cache: Some(Cache {
                current,
                keys,
                ids,
                spans,
                runs,
                syms,
                sigs,
                post_starts,
                post,
                scratch: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Whether the index can answer (else the search scans): see [`is_current`].
    fn current(&self, conn: &Connection) -> rusqlite::Result<bool> {
        match &self.cache {
            Some(c) => Ok(c.current),
            None => is_current(conn),
        }
    }

    fn lookup_key(&self, conn: &Connection, key: &str) -> rusqlite::Result<Option<(u32, i64)>> {
        if let Some(c) = &self.cache {
            return Ok(c.keys.get(key).copied());
        }
        let row: Option<(i64, i64)> = conn
            .prepare_cached("SELECT id, df FROM fuzzy_key WHERE key = ?1")?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(id, df)| Ok((u32::try_from(id).map_err(|_| corrupt("key id out of range"))?, df)))
            .transpose()
    }

    /// The units whose source scores at least `min` against `query`, best first (score
    /// descending, then closeness, then unit id ascending), at most `top` of them (`top == 0`: no
    /// limit).
    ///
    /// Same result as [`search_exhaustive`]; falls back to it when the index cannot help
    /// (`min` ≤ 0, or a query without tokens).
    ///
    /// # Errors
    ///
    /// SQLite errors, or damaged index entries.
    pub fn search(&self, conn: &Connection, query: &str, min: f64, top: usize) -> rusqlite::Result<Vec<Match>> {
        self.search_in(conn, query, min, top, None)
    }

    /// [`search`](FuzzyIndex::search) restricted to units of one language pair (when `pair` is
    /// given): the same result as [`search_exhaustive_in`] with that pair.
    ///
    /// # Errors
    ///
    /// SQLite errors, or damaged index entries.
    pub fn search_in(
        &self,
        conn: &Connection,
        query: &str,
        min: f64,
        top: usize,
        pair: Option<LangPair<'_>>,
    ) -> rusqlite::Result<Vec<Match>> {
        self.search_ranked(conn, query, min, top, pair, &mut Unranked)
    }

    /// [`search_in`](FuzzyIndex::search_in) with a ranking: units are ordered by ranked score
    /// (fuzzy score less the ranking's penalty), then closeness, then the ranking's tie-break key,
    /// then unit id;
    /// `min` and `top` apply to the ranked score. The same result as [`search_exhaustive_ranked`]
    /// with the same ranking.
    ///
    /// # Errors
    ///
    /// SQLite errors (also the ranking's), or damaged index entries.
    pub fn search_ranked(
        &self,
        conn: &Connection,
        query: &str,
        min: f64,
        top: usize,
        pair: Option<LangPair<'_>>,
        rank: &mut dyn Rank,
    ) -> rusqlite::Result<Vec<Match>> {
        self.search_prepared(conn, &PreparedQuery::new(query), min, top, pair, rank)
    }

    /// [`search_ranked`](FuzzyIndex::search_ranked) for a query already prepared (a caller that
    /// needs the prepared query again afterwards prepares it once).
    pub(crate) fn search_prepared(
        &self,
        conn: &Connection,
        pq: &PreparedQuery<'_>,
        min: f64,
        top: usize,
        pair: Option<LangPair<'_>>,
        rank: &mut dyn Rank,
    ) -> rusqlite::Result<Vec<Match>> {
        let _snapshot = ReadSnapshot::begin(conn)?;
        let wq = total_weight(&pq.syms);
        if wq == 0 || min.is_nan() || !self.current(conn)? {
            return exhaustive_prepared(conn, pq, min, top, pair, rank);
        }
        // Per local query key: total weight, global id, document frequency.
        let mut wsum = vec![0u32; pq.keys.len()];
        for s in &pq.syms {
            wsum[s.key as usize] += u32::from(s.weight);
        }
        let mut global = Vec::with_capacity(pq.keys.len());
        for k in &pq.keys {
            global.push(self.lookup_key(conn, k)?);
        }
        let mut order: Vec<usize> = (0..pq.keys.len()).collect();
        order.sort_by_key(|&k| match global[k] {
            None => (0, 0, k),
            Some((id, df)) => (1, df, id as usize),
        });
        if min <= 0.0 {
            // Every unit reaches `min`, even one sharing nothing with the query.
            return exhaustive_prepared(conn, pq, min, top, pair, rank);
        }
        // Length filter, in half words.
        let reach = |ws: u32| {
            let l = wq.max(ws);
            base_score(l - wq.min(ws), l) >= min
        };
        let mut lo = wq;
        while lo >= PUNCT && reach(lo - PUNCT) {
            lo -= PUNCT;
        }
        let mut hi = wq;
        while reach(hi + PUNCT) {
            hi += PUNCT;
        }
        // The least shared weight that lets a unit of each weight reach `min`: score ≤
        // base_score(L − shared, L) with L = max(W(q), W(s)).
        let need: Vec<u32> = (lo..=hi)
            .map(|ws| {
                let l = wq.max(ws);
                max_distance(l, min).map_or(u32::MAX, |d| l - d)
            })
            .collect();
        // A unit of weight `ws` sharing none of the keys taken so far shares at most
        // min(rest, ws): can it still reach `min`?
        let open = |rest: u32, ws: u32| need[(ws - lo) as usize] <= rest.min(ws);
        // Prefix filter: probe rarest keys while a unit sharing none of them could still reach
        // `min`, each key over the unit weights where that is so.
        let mut rest = wq;
        let mut probe = Vec::new();
        for &k in &order {
            let mut open_ws = (lo..=hi).filter(|&ws| open(rest, ws));
            let Some(first) = open_ws.next() else { break };
            let last = open_ws.next_back().unwrap_or(first);
            if let Some((id, _)) = global[k] {
                probe.push(Probe {
                    key: id,
                    w: wsum[k],
                    lo: first,
                    hi: last,
                });
            }
            rest -= wsum[k];
        }
        if (lo..=hi).any(|ws| open(rest, ws)) {
            return exhaustive_prepared(conn, pq, min, top, pair, rank);
        }
        // Count filter material: the lists of keys that are not too common.
        let mut extra = Vec::new();
        let mut unread = rest;
        {
            let units = match &self.cache {
                Some(c) => c.ids.len() as i64,
                // The largest id stands in for the unit count (ids are dense unless units were deleted).
                None => conn.query_row("SELECT coalesce(max(unit_id), 0) FROM fuzzy_unit", [], |r| r.get(0))?,
            };
            let cap = (units / EXTRA_DF_DIVISOR).max(EXTRA_DF_FLOOR);
            for &k in order.iter().skip(probe.len()) {
                if let Some((id, df)) = global[k] {
                    if df <= cap && !probe.iter().any(|p| p.key == id) {
                        extra.push((id, wsum[k]));
                        unread -= wsum[k];
                    }
                }
            }
        }
        let unread_at: Vec<u32> = (lo..=hi)
            .map(|ws| {
                let skipped: u32 = probe.iter().filter(|p| ws < p.lo || ws > p.hi).map(|p| p.w).sum();
                unread + skipped
            })
            .collect();
        let qsyms: Vec<Sym> = pq
            .syms
            .iter()
            .map(|s| Sym {
                key: global[s.key as usize].map_or(u32::MAX - s.key, |g| g.0),
                ..*s
            })
            .collect();
        let mut qkeys: Vec<(u32, u32)> = (0..pq.keys.len())
            .filter_map(|k| global[k].map(|g| (g.0, wsum[k])))
            .collect();
        qkeys.sort_unstable();
        let plan = Plan {
            wq,
            probe,
            extra,
            lo,
            hi,
            need,
            unread_at,
            qsyms,
            qkeys,
        };
        let mut scorer = Scorer::new(conn, pq, pair, min, top, rank)?;
        match &self.cache {
            // 8-bit counts hold at most 254 lists (see `candidates_loaded`).
            Some(c) if plan.probe.len() + plan.extra.len() < usize::from(u8::MAX) => {
                let mut survivors = candidates_loaded(c, &plan, min);
                survivors.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                for (bound, id) in survivors {
                    if scorer.done(bound) {
                        break;
                    }
                    scorer.score(id)?;
                }
            }
            _ => search_sqlite(conn, &plan, min, &mut scorer)?,
        }
        Ok(scorer.results)
    }
}

/// Exact scoring of candidates on their text, keeping the best `top` (ranked score descending,
/// then tie-break key and id ascending).
struct Scorer<'c, 'q, 'r> {
    stmt: rusqlite::CachedStatement<'c>,
    pq: &'q PreparedQuery<'q>,
    pair: Option<LangPair<'q>>,
    min: f64,
    top: usize,
    rank: &'r mut dyn Rank,
    results: Vec<Match>,
}

impl<'c, 'q, 'r> Scorer<'c, 'q, 'r> {
    fn new(
        conn: &'c Connection,
        pq: &'q PreparedQuery<'q>,
        pair: Option<LangPair<'q>>,
        min: f64,
        top: usize,
        rank: &'r mut dyn Rank,
    ) -> rusqlite::Result<Self> {
        let stmt = conn.prepare_cached(if pair.is_some() {
            "SELECT source, source_lang, target_lang FROM unit WHERE id = ?1"
        } else {
            "SELECT source, NULL, NULL FROM unit WHERE id = ?1"
        })?;
        Ok(Scorer {
            stmt,
            pq,
            pair,
            min,
            top,
            rank,
            results: Vec::new(),
        })
    }

    /// Whether no candidate whose fuzzy score is at most `bound` can enter the results any more
    /// (its ranked score is at most its fuzzy score).
    fn done(&self, bound: f64) -> bool {
        self.top > 0 && self.results.len() == self.top && self.results.last().is_some_and(|w| bound < w.score)
    }

    /// The score below which a candidate cannot enter the results.
    fn threshold(&self) -> f64 {
        match self.results.last() {
            Some(w) if self.top > 0 && self.results.len() == self.top => w.score.max(self.min),
            _ => self.min,
        }
    }

    /// Scores unit `id` (if it exists and is in the language pair) and keeps it if good enough.
    fn score(&mut self, id: i64) -> rusqlite::Result<()> {
        let row: Option<(String, Option<String>, Option<String>)> = self
            .stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((source, sl, tl)) = row else {
            return Ok(());
        };
        if self.pair.is_some_and(|p| !p.accepts(sl.as_deref(), tl.as_deref())) {
            return Ok(());
        }
        let (fuzzy, closeness) = self.pq.score_and_tie(&source);
        keep_ranked(
            &mut self.results,
            &mut *self.rank,
            id,
            fuzzy,
            closeness,
            self.min,
            self.top,
        )
    }
}

/// Ranks unit `id` (fuzzy score `fuzzy`) and keeps it in `results` if its ranked score reaches
/// `min` and the best `top`. The ranking is asked only when the unit could still enter: its
/// ranked score is at most `fuzzy`.
fn keep_ranked(
    results: &mut Vec<Match>,
    rank: &mut dyn Rank,
    id: i64,
    fuzzy: f64,
    closeness: u32,
    min: f64,
    top: usize,
) -> rusqlite::Result<()> {
    let full = top > 0 && results.len() == top;
    if fuzzy < min || (full && results.last().is_some_and(|w| fuzzy < w.score)) {
        return Ok(());
    }
    let ranking = rank.rank(id)?;
    let score = ranking.apply(fuzzy);
    if score >= min {
        let m = Match {
            unit_id: id,
            score,
            fuzzy_score: fuzzy,
            closeness,
            tie: ranking.tie,
        };
        insert_ranked(results, m, top);
    }
    Ok(())
}

/// Candidates through the in-memory lists: (score bound, unit id) of those passing all filters.
///
/// The query's candidates lie in the slots of weights `plan.lo..=plan.hi`, one range of slots
/// (see [`Cache`]); an 8-bit counter per slot there counts the weight each candidate shares with
/// the lists read, in units of `unit` twentieths of a word rounded up per list, so that a count
/// never stands for less than the weight found: 2 is exact (token weights are even), and only a
/// query whose lists add up to more than 254 units counts in larger ones (a looser count filter,
/// never a wrong one). Each list read counts at least 1, so at most 254 lists can be read (a
/// query of more distinct keys goes through the SQLite tables).
fn candidates_loaded(c: &Cache, plan: &Plan, min: f64) -> Vec<(f64, i64)> {
    // A scratch of its own (a panic mid-query drops it with whatever counts it held: only
    // clean ones go back).
    let mut scratch = c
        .scratch
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .pop()
        .unwrap_or_default();
    let out = candidates_in(c, plan, min, &mut scratch);
    c.scratch
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(scratch);
    out
}

/// [`candidates_loaded`] with the scratch in hand; leaves every counter and bit 0.
fn candidates_in(c: &Cache, plan: &Plan, min: f64, scratch: &mut Scratch) -> Vec<(f64, i64)> {
    if scratch.count.len() != c.ids.len() {
        scratch.count = vec![0; c.ids.len()];
        scratch.bits = vec![0; c.ids.len().div_ceil(64)];
    }
    // Plain slices: their pointers and lengths stay in registers (a byte store through a `Vec`
    // could alias them, so they would be reloaded at every count).
    let count: &mut [u8] = &mut scratch.count;
    let bits: &mut [u64] = &mut scratch.bits;
    // Signature bound: total weight of query keys whose bit the candidate has.
    let mut bitw = [0u32; 128];
    let mut qsig = 0u128;
    for &(key, w) in &plan.qkeys {
        let b = sig_bit(key);
        bitw[b as usize] += w;
        qsig |= 1 << b;
    }
    let slot_at = |w: u32| c.first_slot(w);
    let (from, to) = (slot_at(plan.lo), slot_at(plan.hi.saturating_add(1)));
    // The count lists that are cheap beside the candidates (see `EXTRA_LIST_RATIO`); the weight
    // of the others counts as unread, as for keys that are not in `extra` at all.
    let probes: Vec<(&[u32], u32)> = plan
        .probe
        .iter()
        .map(|p| (c.list(p.key, slot_at(p.lo), slot_at(p.hi.saturating_add(1))), p.w))
        .collect();
    let probed: usize = probes.iter().map(|p| p.0.len()).sum();
    let mut skipped = 0u32;
    let mut extra = Vec::with_capacity(plan.extra.len());
    for &(key, w) in &plan.extra {
        let list = c.list(key, from, to);
        if list.len() <= EXTRA_LIST_RATIO * probed {
            extra.push((list, w));
        } else {
            skipped += w;
        }
    }
    let lists = || probes.iter().chain(&extra).map(|e| e.1);
    let mut unit = 2;
    while 1 + lists().map(|w| w.div_ceil(unit)).sum::<u32>() > u32::from(u8::MAX) {
        unit *= 2;
    }
    // Phase 1: candidates from the prefix lists, then the weight they share per list read.
    for &(list, w) in &probes {
        let w = w.div_ceil(unit) as u8;
        for &slot in list {
            // The bit first: a new candidate's counter is written without being read (a cache
            // miss that the write does not wait for).
            let (word, bit) = (&mut bits[slot as usize / 64], 1 << (slot % 64));
            let n = &mut count[slot as usize];
            if *word & bit == 0 {
                *word |= bit;
                *n = 1 + w;
            } else {
                *n += w;
            }
        }
    }
    let hits = &mut scratch.hits;
    for &(list, w) in &extra {
        let w = w.div_ceil(unit) as u8;
        // Only candidates count; most slots of a count list are not candidates, and their bit
        // says so without a cache miss on the counter. The candidates are gathered first without
        // a branch (whether a slot is one is as good as random: a branch on it mispredicts
        // often), then counted.
        hits.resize(list.len(), 0);
        let mut n = 0;
        for &slot in list {
            hits[n] = slot;
            n += ((bits[slot as usize / 64] >> (slot % 64)) & 1) as usize;
        }
        for &slot in &hits[..n] {
            count[slot as usize] += w;
        }
    }
    // Phase 2, candidate by candidate in slot order (so weight by weight): count filter on what
    // the lists showed, signatures, then exact overlap and distance. Every counter and bit read
    // is cleared for the next query.
    let mut remaining = vec![0u32; plan.qkeys.len()];
    let mut row = Vec::new();
    let mut out = Vec::new();
    let mut run = c.runs.partition_point(|r| r.0 < plan.lo);
    // The weight of the current run, the first slot after it, and what its candidates need.
    let mut ws = 0;
    let mut run_end = 0usize;
    let mut need = 0;
    let mut pass = u32::MAX;
    let words = from as usize / 64..(to as usize).div_ceil(64);
    for wi in words {
        let mut word = bits[wi];
        if word == 0 {
            // Most words of the range: no store for them.
            continue;
        }
        bits[wi] = 0;
        while word != 0 {
            let k = wi * 64 + word.trailing_zeros() as usize;
            word &= word - 1;
            let v = u32::from(std::mem::take(&mut count[k]));
            if k >= run_end {
                // Slot order is weight order: this candidate starts (or lies past) a new run.
                while c.runs.get(run + 1).is_some_and(|r| r.1 as usize <= k) {
                    run += 1;
                }
                ws = c.runs[run].0;
                run_end = c.runs.get(run + 1).map_or(c.ids.len(), |r| r.1 as usize);
                // Count filter: what the lists showed, plus what was not read for a unit of
                // this weight. The least counter that passes: 1 + the least weight the lists
                // must show, in units.
                need = plan.need(ws);
                let unread = plan.unread(ws) + skipped;
                pass = need.saturating_sub(unread).div_ceil(unit).saturating_add(1);
            }
            if v < pass {
                continue;
            }
            let mut common = qsig & c.sigs[k];
            let mut ub = 0;
            while common != 0 {
                ub += bitw[common.trailing_zeros() as usize];
                common &= common - 1;
            }
            if ub < need {
                continue;
            }
            if let Some(bound) = plan.verify(min, ws, c.unit_syms(k), &mut remaining, &mut row) {
                out.push((bound, c.ids[k]));
            }
        }
    }
    out
}

/// The search through the SQLite tables (one query: no loading).
///
/// The prefix lists give the candidates; each posting row carries the unit's length, so the
/// candidates are counted per (unit, length): a stale posting (its unit was re-indexed with
/// another text) can only add a (unit, length) pair of its own or add weight, never hide weight
/// from the unit's current entry, so the bound stays an upper bound. The `extra` lists add to the
/// shared weight; the count bound orders the candidates, and the first ones are verified and
/// scored until the bound falls below the `top`-th score found.
fn search_sqlite(conn: &Connection, plan: &Plan, min: f64, scorer: &mut Scorer<'_, '_, '_>) -> rusqlite::Result<()> {
    let mut found: ahash::AHashMap<(i64, u32), u32> = ahash::AHashMap::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT len, units FROM fuzzy_posting WHERE key_id = ?1 AND len BETWEEN ?2 AND ?3")?;
        let mut ids = Vec::new();
        let lists = plan
            .probe
            .iter()
            .map(|p| (true, p.key, p.w, p.lo, p.hi))
            .chain(plan.extra.iter().map(|&(key, w)| (false, key, w, plan.lo, plan.hi)));
        for (probing, key, w, lo, hi) in lists {
            let mut rows = stmt.query(params![key, lo.div_ceil(PUNCT), hi / PUNCT])?;
            while let Some(r) = rows.next()? {
                let len: u32 = r.get(0)?;
                ids.clear();
                decode_ids(r.get_ref(1)?.as_blob()?, &mut ids)?;
                for &id in &ids {
                    if probing {
                        *found.entry((id, len)).or_insert(0) += w;
                    } else if let Some(f) = found.get_mut(&(id, len)) {
                        *f += w;
                    }
                }
            }
        }
    }
    let wq = plan.wq;
    let mut cands: Vec<(f64, i64)> = found
        .into_iter()
        .filter_map(|((id, len), f)| {
            let ws = len * PUNCT;
            let l = wq.max(ws);
            let shared = (f + plan.unread(ws)).min(l);
            let bound = base_score(l - shared, l);
            (bound >= min).then_some((bound, id))
        })
        .collect();
    // One entry per unit (the best bound of its (unit, length) pairs), best bound first.
    cands.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)));
    cands.dedup_by_key(|c| c.1);
    cands.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut remaining = vec![0u32; plan.qkeys.len()];
    let mut row = Vec::new();
    let mut buf = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT weight, syms FROM fuzzy_unit WHERE unit_id = ?1")?;
    // Verified candidates by edit-distance bound (in tenths: scores have one decimal), best
    // first, ties by ascending id.
    let mut verified: std::collections::BinaryHeap<(i64, std::cmp::Reverse<i64>)> = std::collections::BinaryHeap::new();
    let tenths = |b: f64| (b * 10.0).round() as i64;
    let mut next = 0;
    // Verify in count-bound order, and score the best verified candidate whenever its bound is
    // at least the next count bound, so that the results fill early and end the loop.
    loop {
        let count_bound = cands.get(next).map(|c| c.0);
        if let Some(&(b, std::cmp::Reverse(id))) = verified.peek() {
            if count_bound.is_none_or(|c| b >= tenths(c)) {
                verified.pop();
                let bound = b as f64 / 10.0;
                if scorer.done(bound) {
                    break;
                }
                scorer.score(id)?;
                continue;
            }
        }
        let Some(count_bound) = count_bound else { break };
        if scorer.done(count_bound) {
            break;
        }
        let id = cands[next].1;
        next += 1;
        let mut rows = stmt.query([id])?;
        let Some(r) = rows.next()? else { continue };
        let ws: u32 = r.get(0)?;
        buf.clear();
        decode_syms(r.get_ref(1)?.as_blob()?, &mut buf)?;
        if let Some(bound) = plan.verify(scorer.threshold(), ws, &buf, &mut remaining, &mut row) {
            verified.push((tenths(bound), std::cmp::Reverse(id)));
        }
    }
    Ok(())
}

/// One read transaction around a search when the caller has none: the postings, unit entries and
/// texts are read from one snapshot, and SQLite takes its file locks once instead of once per
/// statement (thousands per query without this).
pub(crate) struct ReadSnapshot<'c>(Option<&'c Connection>);

impl<'c> ReadSnapshot<'c> {
    pub(crate) fn begin(conn: &'c Connection) -> rusqlite::Result<Self> {
        if conn.is_autocommit() {
            // Cached: a server begins one per request, and parsing it each time showed.
            conn.prepare_cached("BEGIN DEFERRED")?.execute([])?;
            Ok(Self(Some(conn)))
        } else {
            Ok(Self(None))
        }
    }
}

impl Drop for ReadSnapshot<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.0 {
            // A read transaction has nothing to lose: ending it cannot fail in a way that matters.
            let _ = conn.prepare_cached("COMMIT").and_then(|mut s| s.execute([]));
        }
    }
}

/// Inserts `m` into `results` (ranked score descending, then closeness and tie-break key
/// ascending, then id
/// ascending: a total order, so the indexed and the exhaustive search agree), keeping at most
/// `top`.
fn insert_ranked(results: &mut Vec<Match>, m: Match, top: usize) {
    let pos = results.partition_point(|r| {
        r.score > m.score || (r.score == m.score && (r.closeness, r.tie, r.unit_id) < (m.closeness, m.tie, m.unit_id))
    });
    if top > 0 && pos >= top {
        return;
    }
    results.insert(pos, m);
    if top > 0 {
        results.truncate(top);
    }
}

/// The units whose source scores at least `min` against `query`, through the index (see
/// [`FuzzyIndex::search`]; this reads the index from SQLite, use a loaded [`FuzzyIndex`] for
/// many queries).
///
/// ```
/// # fn main() -> rusqlite::Result<()> {
/// let conn = rusqlite::Connection::open_in_memory()?;
/// conn.execute_batch("CREATE TABLE unit(id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL)")?;
/// conn.execute("INSERT INTO unit VALUES (7, 'وصل الرئيس إلى القاهرة', 'The president arrived in Cairo')", [])?;
/// mizan::tm::index::index_unit(&conn, 7, "وصل الرئيس إلى القاهرة")?;
/// let found = mizan::tm::index::search(&conn, "وصل الرئيس الى القاهره", 75.0, 5)?;
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].score, 99.0);
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// SQLite errors, or damaged index entries.
pub fn search(conn: &Connection, query: &str, min: f64, top: usize) -> rusqlite::Result<Vec<Match>> {
    FuzzyIndex::new().search(conn, query, min, top)
}

/// The reference search: scores every row of `unit` (no index), same ordering and `top` rule as
/// [`search`].
///
/// # Errors
///
/// SQLite errors.
pub fn search_exhaustive(conn: &Connection, query: &str, min: f64, top: usize) -> rusqlite::Result<Vec<Match>> {
    search_exhaustive_in(conn, query, min, top, None)
}

/// [`search_exhaustive`] restricted to units of one language pair (when `pair` is given).
///
/// # Errors
///
/// SQLite errors.
pub fn search_exhaustive_in(
    conn: &Connection,
    query: &str,
    min: f64,
    top: usize,
    pair: Option<LangPair<'_>>,
) -> rusqlite::Result<Vec<Match>> {
    search_exhaustive_ranked(conn, query, min, top, pair, &mut Unranked)
}

/// The reference for [`FuzzyIndex::search_ranked`]: scores every unit (of `pair`, when given),
/// ranks those whose fuzzy score reaches `min`, and keeps the best `top` by ranked score.
///
/// # Errors
///
/// SQLite errors (also the ranking's).
pub fn search_exhaustive_ranked(
    conn: &Connection,
    query: &str,
    min: f64,
    top: usize,
    pair: Option<LangPair<'_>>,
    rank: &mut dyn Rank,
) -> rusqlite::Result<Vec<Match>> {
    exhaustive_prepared(conn, &PreparedQuery::new(query), min, top, pair, rank)
}

/// [`search_exhaustive_ranked`] for a query already prepared.
pub(crate) fn exhaustive_prepared(
    conn: &Connection,
    pq: &PreparedQuery<'_>,
    min: f64,
    top: usize,
    pair: Option<LangPair<'_>>,
    rank: &mut dyn Rank,
) -> rusqlite::Result<Vec<Match>> {
    let mut results = Vec::new();
    let mut stmt = conn.prepare_cached(if pair.is_some() {
        "SELECT id, source, source_lang, target_lang FROM unit"
    } else {
        "SELECT id, source, NULL, NULL FROM unit"
    })?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(p) = pair {
            if !p.accepts(r.get_ref(2)?.as_str_or_null()?, r.get_ref(3)?.as_str_or_null()?) {
                continue;
            }
        }
        let id: i64 = r.get(0)?;
        let source = r.get_ref(1)?.as_str()?;
        let (fuzzy, closeness) = pq.score_and_tie(source);
        keep_ranked(&mut results, rank, id, fuzzy, closeness, min, top)?;
    }
    Ok(results)
}

/// A language pair that restricts a search to units whose `unit.source_lang` and
/// `unit.target_lang` have the same primary language subtags (case-insensitive): `ar` accepts
/// `ar`, `AR` and `ar-SA`; `ar-SA` accepts `ar-EG` too (region falls back to language). Units
/// without a language are not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangPair<'a> {
    /// Source language tag (BCP 47).
    pub source: &'a str,
    /// Target language tag (BCP 47).
    pub target: &'a str,
}

impl LangPair<'_> {
    fn accepts(&self, source: Option<&str>, target: Option<&str>) -> bool {
        fn primary(tag: &str) -> &str {
            tag.split(['-', '_']).next().unwrap_or(tag)
        }
        let same =
            |want: &str, have: Option<&str>| have.is_some_and(|h| primary(h).eq_ignore_ascii_case(primary(want)));
        same(self.source, source) && same(self.target, target)
    }
}

/// Units whose source may contain the words of `term`: the posting list of the term's rarest
/// word key (clitics and orthography ignored, as in matching). `None` when the term has no word
/// the index keys on (then only a scan can answer). Ids are ascending and may include units
/// deleted since the last [`rebuild`]; callers verify each candidate.
///
/// # Errors
///
/// SQLite errors, or a damaged posting list.
pub fn term_candidates(conn: &Connection, term: &str) -> rusqlite::Result<Option<Vec<i64>>> {
    if !is_current(conn)? {
        return Ok(None);
    }
    let mut rarest: Option<(i64, i64)> = None;
    for t in text::tokenize(term).iter().filter(|t| t.kind != text::TokenKind::Punct) {
        let (key, _, _) = crate::fuzzy::token_key(t);
        let found: Option<(i64, i64)> = conn
            .prepare_cached("SELECT id, df FROM fuzzy_key WHERE key = ?1")?
            .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match found {
            None => return Ok(Some(Vec::new())),
            Some((id, df)) if rarest.is_none_or(|(_, best)| df < best) => rarest = Some((id, df)),
            Some(_) => {}
        }
    }
    let Some((key_id, _)) = rarest else { return Ok(None) };
    let mut ids = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT units FROM fuzzy_posting WHERE key_id = ?1")?;
    let mut rows = stmt.query([key_id])?;
    while let Some(r) = rows.next()? {
        decode_ids(r.get_ref(0)?.as_blob()?, &mut ids)?;
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

#[path = "fragments.rs"]
mod fragments;
pub use fragments::{fragments_exhaustive, Fragment, TargetEvidence};

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
