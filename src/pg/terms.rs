//! The glossary in a PostgreSQL store (schema version 2, [`SCHEMA_V2`]): the tables of the TM
//! file's glossary (`schemas/tm-terms.sql`), in PostgreSQL's types.
//!
//! Every write is one transaction: [`PgTm::add_terms`] stores all its entries or none. Unlike
//! units, terms have no in-memory mirror: a recognizer loads them whole
//! ([`crate::terms::Glossary::load`]).

use super::{PgError, PgTm, Result};
use crate::terms::{NewTerm, Term, TermOutcome, TermTarget};
use crate::tm::{date, Status};

/// The tables of version 2.
pub(super) const SCHEMA_V2: &str = "
CREATE TABLE term (
    id          bigserial PRIMARY KEY,
    source_lang text NOT NULL,
    source      text NOT NULL,
    pos         text,
    note        text,
    status      text NOT NULL DEFAULT 'reviewed' CHECK (status IN ('reviewed', 'unreviewed')),
    created_at  text NOT NULL,
    created_by  text,
    changed_at  text NOT NULL,
    document    text,
    source_norm text NOT NULL,
    first_key   text NOT NULL
);
CREATE INDEX term_source_norm ON term (md5(source_norm));
CREATE INDEX term_first_key ON term (md5(first_key));
CREATE TABLE term_target (
    term_id   bigint  NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    lang      text    NOT NULL,
    text      text    NOT NULL,
    forbidden boolean NOT NULL DEFAULT false,
    PRIMARY KEY (term_id, seq)
);
";

impl PgTm {
    /// Stores glossary entries in one transaction, as [`crate::tm::Tm::add_terms`] does.
    ///
    /// # Errors
    /// An entry without source or target, or a failed query; nothing is stored then.
    pub fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>> {
        let qe = super::query_error_at(self.location.clone());
        let mut tx = self.client.get_mut().transaction().map_err(&qe)?;
        let out = insert_terms(&mut tx, &qe, terms)?;
        tx.commit().map_err(&qe)?;
        Ok(out)
    }

    /// Every glossary entry, in id order.
    ///
    /// # Errors
    /// A failed query.
    pub fn terms(&self) -> Result<Vec<Term>> {
        let qe = self.query_error();
        let mut c = self.client.borrow_mut();
        let mut terms: Vec<Term> = c
            .query(
                "SELECT id, source_lang, source, pos, note, status, created_at, created_by, changed_at, document
                   FROM term ORDER BY id",
                &[],
            )
            .map_err(&qe)?
            .iter()
            .map(|r| {
                let status: String = r.get(5);
                Term {
                    id: r.get(0),
                    term: NewTerm {
                        source_lang: r.get(1),
                        source: r.get(2),
                        targets: Vec::new(),
                        forbidden: Vec::new(),
                        pos: r.get(3),
                        note: r.get(4),
                        status: Status::parse(&status).unwrap_or(Status::Reviewed),
                        created_by: r.get(7),
                        created_at: Some(r.get(6)),
                        document: r.get(9),
                    },
                    created_at: r.get(6),
                    changed_at: r.get(8),
                }
            })
            .collect();
        let rows = c
            .query(
                "SELECT term_id, lang, text, forbidden FROM term_target ORDER BY term_id, seq",
                &[],
            )
            .map_err(&qe)?;
        let mut at = 0;
        for r in rows {
            let id: i64 = r.get(0);
            while at < terms.len() && terms[at].id < id {
                at += 1;
            }
            let Some(t) = terms.get_mut(at).filter(|t| t.id == id) else {
                continue;
            };
            let x = TermTarget {
                lang: r.get(1),
                text: r.get(2),
            };
            if r.get::<_, bool>(3) {
                t.term.forbidden.push(x);
            } else {
                t.term.targets.push(x);
            }
        }
        Ok(terms)
    }

    /// A text that changes whenever the glossary does (see [`crate::tm::Tm::terms_stamp`]).
    ///
    /// # Errors
    /// A failed query.
    pub fn terms_stamp(&self) -> Result<String> {
        let qe = self.query_error();
        let mut c = self.client.borrow_mut();
        // Prepared once: a server asks before every match.
        let stmt = self
            .prepared(
                &mut c,
                "SELECT count(*)::text || ':' || coalesce(max(id), 0)::text || ':' || coalesce(max(changed_at), '') FROM term",
            )
            .map_err(&qe)?;
        let r = c.query_one(&stmt, &[]).map_err(qe)?;
        Ok(r.get(0))
    }

    /// Deletes glossary entries in one transaction; returns the ids that did not exist.
    ///
    /// # Errors
    /// A failed query; nothing is deleted then.
    pub fn delete_terms(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        let qe = super::query_error_at(self.location.clone());
        let mut tx = self.client.get_mut().transaction().map_err(&qe)?;
        let mut missing = Vec::new();
        for &id in ids {
            if tx.execute("DELETE FROM term WHERE id = $1", &[&id]).map_err(&qe)? == 0 {
                missing.push(id);
            }
        }
        tx.commit().map_err(&qe)?;
        Ok(missing)
    }
}

/// Stores glossary entries inside the caller's transaction `tx`, naming failed queries with `qe`
/// (see [`PgTm::add_terms`]; a unit writer copying a TM uses it too, so that units and glossary
/// are stored together or not at all). Every entry is checked before the first is stored.
pub(super) fn insert_terms(
    tx: &mut postgres::Transaction<'_>,
    qe: &dyn Fn(postgres::Error) -> PgError,
    terms: &[NewTerm],
) -> Result<Vec<TermOutcome>> {
    for t in terms {
        t.check().map_err(|e| PgError::Tm(crate::tm::TmError::Term(e)))?;
    }
    let now = date::now();
    let find = tx
        .prepare("SELECT id FROM term WHERE md5(source_norm) = md5($1) AND source_norm = $1 AND source = $2 AND source_lang = $3")
        .map_err(&qe)?;
    let insert = tx
        .prepare(
            "INSERT INTO term (source_lang, source, pos, note, status, created_at, created_by, changed_at, document, source_norm, first_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .map_err(&qe)?;
    let insert_target = tx
        .prepare("INSERT INTO term_target (term_id, seq, lang, text, forbidden) VALUES ($1, $2, $3, $4, $5)")
        .map_err(&qe)?;
    let targets_of = tx
        .prepare("SELECT lang, text, forbidden FROM term_target WHERE term_id = $1 ORDER BY seq")
        .map_err(&qe)?;
    let mut out = Vec::with_capacity(terms.len());
    for t in terms {
        let norm = crate::text::normalize(&t.source);
        let same: Vec<i64> = tx
            .query(&find, &[&norm, &t.source, &t.source_lang])
            .map_err(&qe)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let duplicate = t.identical_in(same, |id| {
            let (mut targets, mut forbidden) = (Vec::new(), Vec::new());
            for r in tx.query(&targets_of, &[&id]).map_err(&qe)? {
                let x = TermTarget {
                    lang: r.get(0),
                    text: r.get(1),
                };
                if r.get::<_, bool>(2) {
                    forbidden.push(x);
                } else {
                    targets.push(x);
                }
            }
            Ok::<_, PgError>((targets, forbidden))
        })?;
        if let Some(id) = duplicate {
            out.push(TermOutcome::Duplicate(id));
            continue;
        }
        let created = t.created_at.clone().unwrap_or_else(|| now.clone());
        let id: i64 = tx
            .query_one(
                &insert,
                &[
                    &t.source_lang,
                    &t.source,
                    &t.pos,
                    &t.note,
                    &t.status.as_str(),
                    &created,
                    &t.created_by,
                    &now,
                    &t.document,
                    &norm,
                    &crate::terms::first_key(&t.source),
                ],
            )
            .map_err(&qe)?
            .get(0);
        for (seq, (x, forbidden)) in t.target_rows().enumerate() {
            tx.execute(&insert_target, &[&id, &(seq as i32), &x.lang, &x.text, &forbidden])
                .map_err(&qe)?;
        }
        out.push(TermOutcome::Added(id));
    }
    Ok(out)
}
