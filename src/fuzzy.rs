//! Fuzzy matching (provisional: an exhaustive scan with a word-level edit-distance score; the
//! Arabic-aware score and the persistent index replace it).
//!
//! Invariants: scores are 0–100; 100 only for a source identical to the query (white space folded).

use rusqlite::Connection;

/// One match: a unit and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The unit's id.
    pub unit_id: i64,
    /// Its score, 0–100.
    pub score: f64,
}

/// The score of `source` as a match for `query`, 0–100.
pub fn score(query: &str, source: &str) -> f64 {
    let q: Vec<&str> = query.split_whitespace().collect();
    let s: Vec<&str> = source.split_whitespace().collect();
    if q == s {
        return 100.0;
    }
    let longest = q.len().max(s.len()).max(1);
    let d = strsim::generic_levenshtein(&q, &s);
    ((1.0 - d as f64 / longest as f64) * 1000.0).round() / 10.0
}

/// The target with the query's numbers put in (provisional: the target as is).
pub fn substitute_numbers(_query: &str, _source: &str, target: &str) -> String {
    target.to_string()
}

/// Matches at or above `min`, best first (ties by id), at most `top`.
///
/// # Errors
/// An SQLite error.
pub fn search(conn: &Connection, query: &str, min: f64, top: usize) -> rusqlite::Result<Vec<Match>> {
    search_exhaustive(conn, query, min, top)
}

/// Like [`search`], scanning every unit.
///
/// # Errors
/// An SQLite error.
pub fn search_exhaustive(conn: &Connection, query: &str, min: f64, top: usize) -> rusqlite::Result<Vec<Match>> {
    let mut stmt = conn.prepare_cached("SELECT id, source FROM unit")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let source: String = r.get(1)?;
        let s = score(query, &source);
        if s >= min {
            out.push(Match {
                unit_id: r.get(0)?,
                score: s,
            });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.unit_id.cmp(&b.unit_id)));
    out.truncate(top);
    Ok(out)
}
