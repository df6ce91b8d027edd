//! The storage seam: what the workflows ([`crate::workflow`]) and the command line need from a
//! translation memory, as a trait, so that a store other than the embedded SQLite file (a shared
//! PostgreSQL database) can stand behind the same code.
//!
//! [`crate::tm::Tm`] (one SQLite file, with its fuzzy index in the same file) is the first
//! implementation. What the trait promises, whatever the backend:
//! - units are stored byte-exact, with their origin, status and provenance ([`crate::unit`]);
//! - the fuzzy index belongs to the store and is written in the same transaction as the units, so
//!   [`Store::suggest`] never disagrees with [`Store::visit_units`];
//! - a [`UnitWriter`] is one transaction: nothing it wrote is visible before
//!   [`UnitWriter::commit`], and dropping it uncommitted leaves the store as it was;
//! - no connection or other backend handle leaves the store.
//!
//! ```
//! use mizan::store::Store;
//! use mizan::tm::{suggest::MatchOptions, DuplicatePolicy, NewUnit, Origin, Tm};
//!
//! fn best(store: &dyn Store, query: &str) -> Option<String> {
//!     let found = store.suggest(query, &MatchOptions::default()).ok()?;
//!     found.into_iter().next().map(|s| s.suggestion)
//! }
//!
//! let mut tm = Tm::open_in_memory()?;
//! let store: &mut dyn Store = &mut tm;
//! let mut writer = store.writer(DuplicatePolicy::KeepBoth)?;
//! writer.add(&NewUnit::new("ar", "en", "وصل الوفد عام 2023", "The delegation arrived in 2023", Origin::Human)?)?;
//! writer.commit()?;
//! assert_eq!(best(store, "وصل الوفد عام 2024").as_deref(), Some("The delegation arrived in 2024"));
//! # Ok::<(), mizan::Error>(())
//! ```

use crate::tm::suggest::{FragmentMatch, FragmentOptions, MatchOptions};
use crate::tm::{AddOutcome, Batch, DuplicatePolicy, LangTag, Stats, Tm, UnitFilter};
use crate::unit::{NewUnit, Suggestion, Unit, UnitView};
use crate::Result;

/// One write transaction of a [`Store`]: units added to it become visible together at
/// [`UnitWriter::commit`]; dropped without it, nothing was written.
pub trait UnitWriter {
    /// Stores one unit (de-duplicated by the writer's [`DuplicatePolicy`]).
    ///
    /// # Errors
    /// A store error; the transaction is still open, and rolled back when dropped.
    fn add(&mut self, unit: &NewUnit) -> Result<AddOutcome>;

    /// Counts one use of unit `id` if it still holds `unit`'s source and target (a reviewed
    /// `unit` also marks it reviewed); returns whether it did.
    ///
    /// # Errors
    /// A store error.
    fn confirm(&mut self, id: i64, unit: &NewUnit) -> Result<bool>;

    /// Makes everything written durable at once.
    ///
    /// # Errors
    /// A store error; nothing was written then.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// A translation memory: units with provenance, their fuzzy index, and the queries on them.
pub trait Store {
    /// Where the store is, for messages (a file path, a database URL without password).
    fn location(&self) -> String;

    /// The language pair that [`Store::suggest`] and [`Store::concordance`] look in (`None`: all).
    fn language_pair(&self) -> Option<(&LangTag, &LangTag)>;

    /// Restricts the queries to one language pair (`None`: all units).
    fn set_language_pair(&mut self, pair: Option<(LangTag, LangTag)>);

    /// Starts a write transaction.
    ///
    /// # Errors
    /// A store error (another writer holding the store past its wait, say).
    fn writer(&mut self, policy: DuplicatePolicy) -> Result<Box<dyn UnitWriter + '_>>;

    /// Stores one unit in its own transaction.
    ///
    /// # Errors
    /// A store error, or a unit the store refuses.
    fn add(&mut self, unit: &NewUnit, policy: DuplicatePolicy) -> Result<AddOutcome> {
        let mut w = self.writer(policy)?;
        let outcome = w.add(unit)?;
        w.commit()?;
        Ok(outcome)
    }

    /// The unit with this id, if any.
    ///
    /// # Errors
    /// A store error.
    fn get(&self, id: i64) -> Result<Option<Unit>>;

    /// Deletes units; returns the ids that did not exist.
    ///
    /// # Errors
    /// A store error; nothing was deleted then.
    fn delete(&mut self, ids: &[i64]) -> Result<Vec<i64>>;

    /// Replaces the target of a unit (a person's edit: the unit becomes reviewed).
    ///
    /// # Errors
    /// No such unit, or a store error.
    fn edit_target(&mut self, id: i64, target: &str, author: Option<&str>) -> Result<()>;

    /// Counts one more use of a unit.
    ///
    /// # Errors
    /// No such unit, or a store error.
    fn record_use(&mut self, id: i64) -> Result<()>;

    /// Visits the units that pass `filter`, in id order, until `visit` returns `false`.
    ///
    /// # Errors
    /// A store error.
    fn visit_units(&self, filter: &UnitFilter, visit: &mut dyn FnMut(Unit) -> bool) -> Result<()>;

    /// Hands every unit that passes `filter` to `visit`, borrowed (no copy: the export path),
    /// stopping at the first error `visit` returns.
    ///
    /// # Errors
    /// A store error, or `visit`'s.
    fn for_each_unit_view(&self, filter: &UnitFilter, visit: &mut dyn FnMut(&UnitView<'_>) -> Result<()>)
        -> Result<()>;

    /// What the store holds.
    ///
    /// # Errors
    /// A store error.
    fn stats(&self) -> Result<Stats>;

    /// Fuzzy matches for `query`, ranked, as `opts` say ([`MatchOptions`]).
    ///
    /// # Errors
    /// A store error.
    fn suggest(&self, query: &str, opts: &MatchOptions) -> Result<Vec<Suggestion>>;

    /// Units sharing a run of at least `opts.min_words` words with `query`, longest run first
    /// ([`Tm::fragments`]): what the TM knows of a sentence that no whole unit covers.
    ///
    /// # Errors
    /// A store error.
    fn fragments(&self, query: &str, opts: &FragmentOptions) -> Result<Vec<FragmentMatch>>;

    /// Units whose source (or target) contains `term`, normalization applied.
    ///
    /// # Errors
    /// A store error.
    fn concordance(&self, term: &str, in_target: bool, limit: usize) -> Result<Vec<Unit>>;

    /// Prepares for many queries (loads the index into memory where the backend can).
    ///
    /// Cheap when the prepared state is current; after writes (by this store or another process)
    /// it prepares again. Queries are answered correctly either way: preparing only buys speed.
    /// A long-running server calls it between requests.
    ///
    /// # Errors
    /// A store error.
    fn prepare_for_queries(&mut self) -> Result<()>;

    /// Rebuilds the fuzzy index from the units.
    ///
    /// # Errors
    /// A store error; the old index stays then.
    fn reindex(&mut self) -> Result<()>;

    /// The children of imported TMX headers, as export writes them back.
    ///
    /// # Errors
    /// A store error.
    fn tmx_header_items(&self) -> Result<Vec<String>>;

    /// The one source language of all units, if they share one.
    ///
    /// # Errors
    /// A store error.
    fn single_source_lang(&self) -> Result<Option<String>>;

    /// A value the store keeps for a command (e.g. where `mizan translate` stopped).
    ///
    /// # Errors
    /// A store error.
    fn meta(&self, key: &str) -> Result<Option<String>>;

    /// Sets such a value.
    ///
    /// # Errors
    /// A store error.
    fn set_meta(&mut self, key: &str, value: &str) -> Result<()>;
}

impl UnitWriter for Batch<'_> {
    fn add(&mut self, unit: &NewUnit) -> Result<AddOutcome> {
        Ok(Batch::add(self, unit)?)
    }

    fn confirm(&mut self, id: i64, unit: &NewUnit) -> Result<bool> {
        Ok(Batch::confirm(self, id, unit)?)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        Ok(Batch::commit(*self)?)
    }
}

impl Store for Tm {
    fn location(&self) -> String {
        self.path().display().to_string()
    }

    fn language_pair(&self) -> Option<(&LangTag, &LangTag)> {
        Tm::language_pair(self)
    }

    fn set_language_pair(&mut self, pair: Option<(LangTag, LangTag)>) {
        Tm::set_language_pair(self, pair);
    }

    fn writer(&mut self, policy: DuplicatePolicy) -> Result<Box<dyn UnitWriter + '_>> {
        Ok(Box::new(self.batch(policy)?))
    }

    fn get(&self, id: i64) -> Result<Option<Unit>> {
        Ok(Tm::get(self, id)?)
    }

    fn delete(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        Ok(Tm::delete(self, ids)?)
    }

    fn edit_target(&mut self, id: i64, target: &str, author: Option<&str>) -> Result<()> {
        Ok(Tm::edit_target(self, id, target, author)?)
    }

    fn record_use(&mut self, id: i64) -> Result<()> {
        Ok(Tm::record_use(self, id)?)
    }

    fn visit_units(&self, filter: &UnitFilter, visit: &mut dyn FnMut(Unit) -> bool) -> Result<()> {
        Ok(Tm::visit_units(self, filter, visit)?)
    }

    fn for_each_unit_view(
        &self,
        filter: &UnitFilter,
        visit: &mut dyn FnMut(&UnitView<'_>) -> Result<()>,
    ) -> Result<()> {
        Tm::for_each_unit_view::<crate::Error>(self, filter, visit)
    }

    fn stats(&self) -> Result<Stats> {
        Ok(Tm::stats(self)?)
    }

    fn suggest(&self, query: &str, opts: &MatchOptions) -> Result<Vec<Suggestion>> {
        Ok(Tm::suggest(self, query, opts)?)
    }

    fn fragments(&self, query: &str, opts: &FragmentOptions) -> Result<Vec<FragmentMatch>> {
        Ok(Tm::fragments(self, query, opts)?)
    }

    fn concordance(&self, term: &str, in_target: bool, limit: usize) -> Result<Vec<Unit>> {
        Ok(Tm::concordance(self, term, in_target, limit)?)
    }

    fn prepare_for_queries(&mut self) -> Result<()> {
        self.refresh_index()?;
        Ok(())
    }

    fn reindex(&mut self) -> Result<()> {
        Ok(Tm::reindex(self)?)
    }

    fn tmx_header_items(&self) -> Result<Vec<String>> {
        Ok(Tm::tmx_header_items(self)?)
    }

    fn single_source_lang(&self) -> Result<Option<String>> {
        Ok(Tm::single_source_lang(self)?)
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(Tm::meta(self, key)?)
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        Ok(Tm::set_meta(self, key, value)?)
    }
}
