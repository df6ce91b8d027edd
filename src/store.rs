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

use std::path::Path;

use crate::formats::{FormatError, Record, Rejection};
use crate::terms::{NewTerm, Term, TermOutcome};
use crate::tm::import::{ImportBatch, ImportError, ImportOptions, ImportReport};
use crate::tm::index::SourceKeys;
use crate::tm::suggest::{FragmentMatch, FragmentOptions, MatchOptions};
use crate::tm::{
    AddOutcome, Batch, DuplicatePolicy, LangTag, OpenMode, OpenOptions, SharedIndex, Stats, Tm, UnitFilter,
};
use crate::unit::{NewUnit, Suggestion, Unit, UnitView};
use crate::{Error, Result};

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

    /// [`UnitWriter::add`] with the unit's source already keyed for the fuzzy index
    /// ([`SourceKeys::new`] of `unit.source`, computed on another thread by an import); a store
    /// that does not use them ignores them.
    ///
    /// # Errors
    /// As [`UnitWriter::add`].
    fn add_keyed(&mut self, unit: &NewUnit, keys: Option<&SourceKeys>) -> Result<AddOutcome> {
        let _ = keys;
        self.add(unit)
    }

    /// Keeps a child of an imported TMX header (`kind` `prop`, `note` or `ude`, `xml` the element
    /// as mizan writes it), once; export writes them back ([`Store::tmx_header_items`]).
    ///
    /// # Errors
    /// A store error.
    fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<()>;

    /// Stores glossary entries with the writer's units, committed or rolled back with them; an
    /// entry identical to a stored one is not stored again ([`Store::add_terms`]).
    ///
    /// # Errors
    /// An entry without source or target, or a store error.
    fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>>;

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

    /// The file the store lives in, when it is one: output files are never written over it
    /// ([`crate::outfile`]). `None` for a database server.
    fn file(&self) -> Option<&Path> {
        None
    }

    /// Prepares for a large write into an empty store (see [`Tm::begin_bulk`]); returns what to
    /// hand to [`Store::end_bulk`]. The default does nothing.
    ///
    /// # Errors
    /// A store error.
    fn begin_bulk(&mut self) -> Result<bool> {
        Ok(false)
    }

    /// Ends what [`Store::begin_bulk`] began.
    ///
    /// # Errors
    /// A store error.
    fn end_bulk(&mut self, switched: bool) -> Result<()> {
        let _ = switched;
        Ok(())
    }

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

    /// [`Store::prepare_for_queries`], sharing what it loads with the other stores of one
    /// process on the same TM: `shared` holds the copy that the last one loaded, and this store
    /// uses it when it is current instead of loading its own (a TM file: one fuzzy index in
    /// memory for all of a server's workers, [`Tm::refresh_shared_index`]). The default
    /// prepares alone.
    ///
    /// # Errors
    /// A store error.
    fn prepare_for_queries_shared(&mut self, shared: &mut Option<SharedIndex>) -> Result<()> {
        let _ = shared;
        self.prepare_for_queries()
    }

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

    // The glossary ([`crate::terms`]).

    /// Stores glossary entries in one transaction (all or none); an entry identical to a stored
    /// one is not stored again ([`TermOutcome::Duplicate`]).
    ///
    /// # Errors
    /// An entry without source or target, or a store error; nothing is stored then.
    fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>>;

    /// Every glossary entry, in id order, with its targets and forbidden variants.
    ///
    /// # Errors
    /// A store error.
    fn terms(&self) -> Result<Vec<Term>>;

    /// Deletes glossary entries in one transaction; returns the ids that did not exist.
    ///
    /// # Errors
    /// A store error; nothing is deleted then.
    fn delete_terms(&mut self, ids: &[i64]) -> Result<Vec<i64>>;

    /// A short text that changes whenever the glossary does (entries added, changed or
    /// deleted, by any process): a long-running server reloads its recognizer when it moves.
    ///
    /// # Errors
    /// A store error.
    fn terms_stamp(&self) -> Result<String>;
}

impl UnitWriter for Batch<'_> {
    fn add(&mut self, unit: &NewUnit) -> Result<AddOutcome> {
        Ok(Batch::add(self, unit)?)
    }

    fn add_keyed(&mut self, unit: &NewUnit, keys: Option<&SourceKeys>) -> Result<AddOutcome> {
        Ok(Batch::add_with_keys(self, unit, keys)?)
    }

    fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<()> {
        Ok(Batch::add_header_item(self, kind, xml)?)
    }

    fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>> {
        Ok(Batch::add_terms(self, terms)?)
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

    fn file(&self) -> Option<&Path> {
        Some(self.path()).filter(|p| *p != Path::new(":memory:"))
    }

    fn begin_bulk(&mut self) -> Result<bool> {
        Ok(Tm::begin_bulk(self)?)
    }

    fn end_bulk(&mut self, switched: bool) -> Result<()> {
        Ok(Tm::end_bulk(self, switched)?)
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

    fn prepare_for_queries_shared(&mut self, shared: &mut Option<SharedIndex>) -> Result<()> {
        Ok(self.refresh_shared_index(shared)?)
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

    fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>> {
        Ok(Tm::add_terms(self, terms)?)
    }

    fn terms(&self) -> Result<Vec<Term>> {
        Ok(Tm::terms(self)?)
    }

    fn delete_terms(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        Ok(Tm::delete_terms(self, ids)?)
    }

    fn terms_stamp(&self) -> Result<String> {
        Ok(Tm::terms_stamp(self)?)
    }
}

impl ImportBatch for Box<dyn UnitWriter + '_> {
    type Error = Error;
    fn add_keyed(&mut self, unit: &NewUnit, keys: Option<&SourceKeys>) -> Result<AddOutcome> {
        UnitWriter::add_keyed(&mut **self, unit, keys)
    }
    fn confirm(&mut self, id: i64, unit: &NewUnit) -> Result<bool> {
        UnitWriter::confirm(&mut **self, id, unit)
    }
    fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<()> {
        UnitWriter::add_header_item(&mut **self, kind, xml)
    }
    fn commit(self) -> Result<()> {
        UnitWriter::commit(self)
    }
}

impl crate::terms::Glossary {
    /// The recognizer of the terms of `store` in its language pair ([`Store::language_pair`]):
    /// terms whose source language the pair's source serves, with their targets in the pair's
    /// target language (all, without a pair).
    ///
    /// # Errors
    /// The store's.
    pub fn load(store: &dyn Store) -> Result<crate::terms::Glossary> {
        let pair = store.language_pair().map(|(s, t)| (s.clone(), t.clone()));
        let mut terms = store.terms()?;
        if let Some((src, _)) = &pair {
            terms.retain(|t| LangTag::parse(&t.term.source_lang).is_ok_and(|l| src.serves(&l)));
        }
        Ok(crate::terms::Glossary::from_terms(terms).with_target_lang(pair.map(|(_, t)| t)))
    }
}

/// Imports `records` into any store in one transaction, as [`crate::tm::import::import`] does
/// for a TM file (the same invariants: a file's units land together or not at all).
///
/// # Errors
/// [`ImportError`], with the store's error in [`ImportError::Tm`].
pub fn import<I>(
    store: &mut dyn Store,
    records: I,
    opts: &ImportOptions,
    on_reject: impl FnMut(&Rejection),
) -> Result<ImportReport, ImportError<Error>>
where
    I: IntoIterator<Item = Result<Record, FormatError>>,
    I::IntoIter: Send,
{
    let switched = if opts.dry_run {
        false
    } else {
        store.begin_bulk().map_err(ImportError::Tm)?
    };
    let policy = opts.policy;
    let result = crate::tm::import::import_into(|| store.writer(policy), records, opts, on_reject);
    store.end_bulk(switched).map_err(ImportError::Tm)?;
    result
}

/// How [`open`] opens a store.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StoreOptions {
    /// Read only, must exist, or create (for PostgreSQL: whether a database without a mizan
    /// schema gets one).
    pub mode: OpenMode,
    /// How long to wait for another writer of a TM file ([`OpenOptions::wait`]), or for a
    /// PostgreSQL server to answer when connecting.
    pub wait: std::time::Duration,
    /// For a PostgreSQL store: how long a query may trust its in-memory index before reading the
    /// change log again (zero, the default: every query reads it). A TM file ignores it.
    pub catch_up_interval: std::time::Duration,
    /// For a PostgreSQL store: a file in which to keep its in-memory index between runs
    /// (`mizan::pg::PgOpenOptions::mirror_cache`); `None`, the default, keeps it in memory only.
    /// A TM file ignores it.
    pub mirror_cache: Option<std::path::PathBuf>,
}

impl StoreOptions {
    /// Options for `mode` with the default wait, every query current.
    pub fn new(mode: OpenMode) -> StoreOptions {
        StoreOptions {
            mode,
            wait: crate::tm::DEFAULT_WAIT,
            catch_up_interval: std::time::Duration::ZERO,
            mirror_cache: None,
        }
    }

    /// The same options with a mirror cache file for a PostgreSQL store.
    pub fn mirror_cache(mut self, path: Option<std::path::PathBuf>) -> StoreOptions {
        self.mirror_cache = path;
        self
    }

    /// The same options with another catch-up interval.
    pub fn catch_up_interval(mut self, interval: std::time::Duration) -> StoreOptions {
        self.catch_up_interval = interval;
        self
    }

    /// The same options with another wait.
    pub fn wait(mut self, wait: std::time::Duration) -> StoreOptions {
        self.wait = wait;
        self
    }
}

/// Whether `location` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather
/// than a TM file; true whether or not this build can open one.
pub fn is_database_url(location: &str) -> bool {
    let l = location.to_ascii_lowercase();
    l.starts_with("postgres://") || l.starts_with("postgresql://")
}

/// Opens the translation memory at `location`: a PostgreSQL database for a `postgres://` or
/// `postgresql://` URL (with the `postgres` feature), otherwise the TM file at that path.
///
/// The store is `Send`, so a server can move it to a worker thread. A PostgreSQL store sees the
/// writes of every other process at its next query (see `mizan::pg`).
///
/// ```
/// use mizan::store::{open, StoreOptions};
/// use mizan::tm::OpenMode;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("tm.db");
/// let store = open(path.to_str().unwrap(), &StoreOptions::new(OpenMode::Create))?;
/// assert_eq!(store.stats()?.units, 0);
/// assert_eq!(store.file(), Some(path.as_path()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The backend's error opening it ([`crate::tm::TmError`], or `mizan::pg::PgError`);
/// [`Error::Unsupported`] for a URL when this build has no PostgreSQL support.
pub fn open(location: &str, options: &StoreOptions) -> Result<Box<dyn Store + Send>> {
    if is_database_url(location) {
        #[cfg(feature = "postgres")]
        {
            let pg = crate::pg::PgTm::open(
                location,
                &crate::pg::PgOpenOptions {
                    create: options.mode == OpenMode::Create,
                    read_only: options.mode == OpenMode::ReadOnly,
                    catch_up_interval: options.catch_up_interval,
                    connect_timeout: options
                        .wait
                        .clamp(std::time::Duration::from_secs(1), std::time::Duration::from_secs(60)),
                    mirror_cache: options.mirror_cache.clone(),
                    ..crate::pg::PgOpenOptions::default()
                },
            )?;
            return Ok(Box::new(pg));
        }
        #[cfg(not(feature = "postgres"))]
        return Err(Error::Unsupported(
            "this mizan was built without PostgreSQL support (cargo feature `postgres`); a TM location that is not a postgres:// URL is a file path".to_string(),
        ));
    }
    let tm = Tm::open_with(Path::new(location), &OpenOptions::new(options.mode).wait(options.wait))?;
    Ok(Box::new(tm))
}

#[cfg(feature = "postgres")]
mod pg_impl {
    use super::*;
    use crate::pg::{PgTm, PgWriter};

    impl UnitWriter for PgWriter<'_> {
        fn add(&mut self, unit: &NewUnit) -> Result<AddOutcome> {
            Ok(PgWriter::add(self, unit)?)
        }

        fn confirm(&mut self, id: i64, unit: &NewUnit) -> Result<bool> {
            Ok(PgWriter::confirm(self, id, unit)?)
        }

        fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<()> {
            Ok(PgWriter::add_header_item(self, kind, xml)?)
        }

        fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>> {
            Ok(PgWriter::add_terms(self, terms)?)
        }

        fn commit(self: Box<Self>) -> Result<()> {
            Ok(PgWriter::commit(*self)?)
        }
    }

    impl Store for PgTm {
        fn location(&self) -> String {
            PgTm::location(self).to_string()
        }

        fn language_pair(&self) -> Option<(&LangTag, &LangTag)> {
            PgTm::language_pair(self)
        }

        fn set_language_pair(&mut self, pair: Option<(LangTag, LangTag)>) {
            PgTm::set_language_pair(self, pair);
        }

        fn writer(&mut self, policy: DuplicatePolicy) -> Result<Box<dyn UnitWriter + '_>> {
            Ok(Box::new(PgTm::writer(self, policy)?))
        }

        fn get(&self, id: i64) -> Result<Option<Unit>> {
            Ok(PgTm::get(self, id)?)
        }

        fn delete(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
            Ok(PgTm::delete(self, ids)?)
        }

        fn edit_target(&mut self, id: i64, target: &str, author: Option<&str>) -> Result<()> {
            Ok(PgTm::edit_target(self, id, target, author)?)
        }

        fn record_use(&mut self, id: i64) -> Result<()> {
            Ok(PgTm::record_use(self, id)?)
        }

        fn visit_units(&self, filter: &UnitFilter, visit: &mut dyn FnMut(Unit) -> bool) -> Result<()> {
            Ok(PgTm::visit_units(self, filter, visit)?)
        }

        fn for_each_unit_view(
            &self,
            filter: &UnitFilter,
            visit: &mut dyn FnMut(&UnitView<'_>) -> Result<()>,
        ) -> Result<()> {
            PgTm::for_each_unit_view::<Error>(self, filter, visit)
        }

        fn stats(&self) -> Result<Stats> {
            Ok(PgTm::stats(self)?)
        }

        fn suggest(&self, query: &str, opts: &MatchOptions) -> Result<Vec<Suggestion>> {
            Ok(PgTm::suggest(self, query, opts)?)
        }

        fn fragments(&self, query: &str, opts: &FragmentOptions) -> Result<Vec<FragmentMatch>> {
            Ok(PgTm::fragments(self, query, opts)?)
        }

        fn concordance(&self, term: &str, in_target: bool, limit: usize) -> Result<Vec<Unit>> {
            Ok(PgTm::concordance(self, term, in_target, limit)?)
        }

        fn prepare_for_queries(&mut self) -> Result<()> {
            Ok(PgTm::prepare_for_queries(self)?)
        }

        fn reindex(&mut self) -> Result<()> {
            Ok(PgTm::reindex(self)?)
        }

        fn tmx_header_items(&self) -> Result<Vec<String>> {
            Ok(PgTm::tmx_header_items(self)?)
        }

        fn single_source_lang(&self) -> Result<Option<String>> {
            Ok(PgTm::single_source_lang(self)?)
        }

        fn meta(&self, key: &str) -> Result<Option<String>> {
            Ok(PgTm::meta(self, key)?)
        }

        fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
            Ok(PgTm::set_meta(self, key, value)?)
        }

        fn add_terms(&mut self, terms: &[NewTerm]) -> Result<Vec<TermOutcome>> {
            Ok(PgTm::add_terms(self, terms)?)
        }

        fn terms(&self) -> Result<Vec<Term>> {
            Ok(PgTm::terms(self)?)
        }

        fn delete_terms(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
            Ok(PgTm::delete_terms(self, ids)?)
        }

        fn terms_stamp(&self) -> Result<String> {
            Ok(PgTm::terms_stamp(self)?)
        }
    }
}
