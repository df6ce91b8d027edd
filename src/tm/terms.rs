//! The glossary in a TM file (schema version 7, `schemas/tm-terms.sql`): entries in `term`, their
//! targets and forbidden variants in `term_target`.
//!
//! Every write is one transaction: [`Tm::add_terms`] stores all its entries or none.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{date, Status, Tm, TmError};
use crate::terms::{NewTerm, Term, TermOutcome, TermTarget};

type Result<T> = std::result::Result<T, TmError>;

/// The tables of schema version 7.
pub(super) const SCHEMA: &str = include_str!("../../schemas/tm-terms.sql");

impl Tm {
    /// Stores glossary entries in one transaction; an entry identical to a stored one (same
    /// source language and source, same targets and forbidden variants, in order) is not stored
    /// again.
    ///
    /// # Errors
    /// [`TmError::Term`] for an entry without source or target, or an SQLite error; nothing is
    /// stored then.
    pub fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = insert_terms(&tx, terms)?;
        tx.commit()?;
        Ok(out)
    }

    /// Every glossary entry, in id order.
    ///
    /// # Errors
    /// An SQLite error.
    pub fn terms(&self) -> Result<Vec<Term>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, source_lang, source, pos, note, status, created_at, created_by, changed_at, document
               FROM term ORDER BY id",
        )?;
        let mut terms: Vec<Term> = stmt
            .query_map([], |r| {
                let status: String = r.get(5)?;
                Ok(Term {
                    id: r.get(0)?,
                    term: NewTerm {
                        source_lang: r.get(1)?,
                        source: r.get(2)?,
                        targets: Vec::new(),
                        forbidden: Vec::new(),
                        pos: r.get(3)?,
                        note: r.get(4)?,
                        status: Status::parse(&status).unwrap_or(Status::Reviewed),
                        created_by: r.get(7)?,
                        created_at: Some(r.get(6)?),
                        document: r.get(9)?,
                    },
                    created_at: r.get(6)?,
                    changed_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self
            .conn
            .prepare("SELECT term_id, lang, text, forbidden FROM term_target ORDER BY term_id, seq")?;
        let mut rows = stmt.query([])?;
        let mut at = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            while at < terms.len() && terms[at].id < id {
                at += 1;
            }
            let Some(t) = terms.get_mut(at).filter(|t| t.id == id) else {
                continue;
            };
            let x = TermTarget {
                lang: r.get(1)?,
                text: r.get(2)?,
            };
            if r.get::<_, bool>(3)? {
                t.term.forbidden.push(x);
            } else {
                t.term.targets.push(x);
            }
        }
        Ok(terms)
    }

    /// Deletes glossary entries by id in one transaction; returns the ids that did not exist.
    ///
    /// # Errors
    /// An SQLite error; nothing is deleted then.
    pub fn delete_terms(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut missing = Vec::new();
        for &id in ids {
            // The targets go first: the foreign key cascades only with foreign_keys on, which a
            // connection of another tool may not have set.
            tx.execute("DELETE FROM term_target WHERE term_id = ?1", [id])?;
            if tx.execute("DELETE FROM term WHERE id = ?1", [id])? == 0 {
                missing.push(id);
            }
        }
        tx.commit()?;
        Ok(missing)
    }

    /// A text that changes whenever the glossary does: the number of entries, the highest id
    /// and the latest change (a deletion lowers the count, an addition raises the id).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn terms_stamp(&self) -> Result<String> {
        // Cached: a server asks this before every match (is its glossary still current?).
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(max(changed_at), '') FROM term",
            )?
            .query_row([], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default())
    }
}

/// Stores glossary entries on `tx`, inside the caller's transaction (see [`Tm::add_terms`]; a
/// unit batch copying a TM uses it too, so that units and glossary are stored together or not
/// at all). Every entry is checked before the first is stored.
pub(super) fn insert_terms(tx: &Connection, terms: &[NewTerm]) -> Result<Vec<TermOutcome>> {
    for t in terms {
        t.check().map_err(TmError::Term)?;
    }
    let now = date::now();
    let mut out = Vec::with_capacity(terms.len());
    {
        let mut find =
            tx.prepare_cached("SELECT id FROM term WHERE source_norm = ?1 AND source = ?2 AND source_lang = ?3")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO term (source_lang, source, pos, note, status, created_at, created_by, changed_at, document, source_norm, first_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut insert_target = tx.prepare_cached(
            "INSERT INTO term_target (term_id, seq, lang, text, forbidden) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for t in terms {
            let norm = crate::text::normalize(&t.source);
            let same: Vec<i64> = find
                .query_map(params![norm, t.source, t.source_lang], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if let Some(id) = t.identical_in(same, |id| targets_of(tx, id))? {
                out.push(TermOutcome::Duplicate(id));
                continue;
            }
            let created = t.created_at.as_deref().unwrap_or(&now);
            insert.execute(params![
                t.source_lang,
                t.source,
                t.pos,
                t.note,
                t.status.as_str(),
                created,
                t.created_by,
                now,
                t.document,
                norm,
                crate::terms::first_key(&t.source),
            ])?;
            let id = tx.last_insert_rowid();
            for (seq, (x, forbidden)) in t.target_rows().enumerate() {
                insert_target.execute(params![id, seq as i64, x.lang, x.text, forbidden])?;
            }
            out.push(TermOutcome::Added(id));
        }
    }
    Ok(out)
}

/// The targets and forbidden variants stored for entry `id`, in order.
fn targets_of(c: &Connection, id: i64) -> rusqlite::Result<(Vec<TermTarget>, Vec<TermTarget>)> {
    let mut stmt = c.prepare_cached("SELECT lang, text, forbidden FROM term_target WHERE term_id = ?1 ORDER BY seq")?;
    let mut targets = Vec::new();
    let mut forbidden = Vec::new();
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let x = TermTarget {
            lang: r.get(0)?,
            text: r.get(1)?,
        };
        if r.get::<_, bool>(2)? {
            forbidden.push(x);
        } else {
            targets.push(x);
        }
    }
    Ok((targets, forbidden))
}
