//! Writing units with ids given by another store: the in-memory copy that a shared store
//! ([`crate::pg`]) keeps of its units, so that the same fuzzy index, ranking and concordance code
//! answers its queries.
//!
//! Invariants: a unit put here keeps the id it has in the store of record (so a suggestion names
//! the shared unit), replaces whatever this TM held under that id, and is indexed in the same
//! transaction; a loaded index ([`Tm::load_index`]) is dropped by every change, as by every write.

use rusqlite::params;

use super::{index, source_hash, Result, Tm, Unit, INSERT_PROP};

impl Tm {
    /// Makes this TM hold exactly `put` under their ids and nothing under the ids of `removed`,
    /// in one transaction (units not named are left alone).
    ///
    /// # Errors
    /// An SQLite error; nothing changed then.
    pub(crate) fn mirror_apply(&mut self, put: &[Unit], removed: &[i64]) -> Result<()> {
        if put.is_empty() && removed.is_empty() {
            return Ok(());
        }
        self.loaded_index = None;
        let tx = self.conn.transaction()?;
        {
            let mut ix = index::Indexer::new(&tx)?;
            let mut delete = tx.prepare_cached("DELETE FROM unit WHERE id = ?1")?;
            for &id in removed {
                if delete.execute([id])? > 0 {
                    ix.remove(id)?;
                }
            }
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO unit (id, source_lang, target_lang, source, target, source_markup, target_markup, source_hash, origin, document, position, tuid, created_at, created_by, changed_at, changed_by, usage_count, last_used_at, note, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )?;
            let mut clear_props = tx.prepare_cached("DELETE FROM unit_prop WHERE unit_id = ?1")?;
            let mut insert_prop = tx.prepare_cached(INSERT_PROP)?;
            for u in put {
                // The old row's text may differ (an edit, a replaced target): its source decides
                // the index entry, which `Indexer::add` replaces.
                clear_props.execute([u.id])?;
                insert.execute(params![
                    u.id,
                    u.source_lang.as_str(),
                    u.target_lang.as_str(),
                    u.source,
                    u.target,
                    u.source_markup,
                    u.target_markup,
                    source_hash(&u.source_lang, &u.target_lang, &u.source),
                    u.origin.as_str(),
                    u.document,
                    u.position,
                    u.tuid,
                    u.created_at,
                    u.created_by,
                    u.changed_at,
                    u.changed_by,
                    u.usage_count,
                    u.last_used_at,
                    u.note,
                    u.status.as_str()
                ])?;
                for (seq, (t, v)) in u.props.iter().enumerate() {
                    insert_prop.execute(params![u.id, seq as i64, t, v])?;
                }
                ix.add(u.id, &u.source)?;
            }
            ix.finish()?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Empties this TM (units, properties and index), in one transaction.
    ///
    /// # Errors
    /// An SQLite error; nothing changed then.
    pub(crate) fn mirror_clear(&mut self) -> Result<()> {
        self.loaded_index = None;
        let tx = self.conn.transaction()?;
        tx.execute_batch("DELETE FROM unit_prop; DELETE FROM unit;")?;
        index::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }
}
