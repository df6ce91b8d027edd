//! Importing a stream of records into the TM, all in one transaction.
//!
//! Invariants: a file's units land together or not at all — a fatal read error, a bad line under
//! `strict`, or the process being killed leaves the TM exactly as it was before the file. The one
//! exception is asked for by the caller: with [`ImportOptions::keep_going`], a file that stops
//! being readable (XML that is not well formed) keeps the units read completely before the error,
//! committed in the same single transaction, and the error is still returned
//! ([`ImportError::Partial`]).
//!
//! The file is read and tokenized for the fuzzy index on a second thread while this one writes;
//! at most a few thousand records are in flight between them, so memory does not grow with the
//! file.

use std::sync::mpsc::{sync_channel, SyncSender};

use serde::Serialize;

use super::index::SourceKeys;
use super::{AddOutcome, Batch, DuplicatePolicy, NewUnit, Tm, TmError};
use crate::formats::{FormatError, Record, Rejection};

/// Records handed from the reading thread to the writing one at once.
const CHUNK: usize = 1024;
/// Chunks in flight between the two threads (memory stays flat: at most this many are queued).
const CHUNKS_IN_FLIGHT: usize = 4;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// What to do with a source already stored with another target.
    pub policy: DuplicatePolicy,
    /// Abort at the first bad record, storing nothing.
    pub strict: bool,
    /// Count what would happen, store nothing.
    pub dry_run: bool,
    /// When the file stops being readable part-way (not well-formed XML), keep the units read
    /// before the error instead of storing nothing ([`ImportError::Partial`]).
    pub keep_going: bool,
    /// Document name to record for units that carry none (with their 0-based position).
    pub document: Option<String>,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// New units stored.
    pub added: u64,
    /// Units whose target was replaced.
    pub replaced: u64,
    /// Records already in the TM (or kept out by the `skip` policy).
    pub duplicates: u64,
    /// Exact matches a translator kept unchanged: their units' usage counts went up.
    pub used: u64,
    /// Records identical to a unit stored unreviewed, themselves reviewed: that unit is now
    /// reviewed (e.g. a checked align file imported after `align --import`).
    pub marked_reviewed: u64,
    /// Records with nothing to store (unaligned sentences, TUs without the language pair).
    pub ignored: u64,
    /// Fuzzy suggestions of a pre-translation file that nobody edited or confirmed: not stored.
    pub untouched: u64,
    /// Bad records.
    pub rejected: u64,
}

/// Why an import stored nothing, or (with `keep_going`) stopped part-way. `E` is the store's
/// error: [`TmError`] for a TM file, the crate's error through [`crate::tm::import::import_into`]
/// for any store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError<E = TmError> {
    /// The file could not be read as its format; nothing was stored.
    #[error("{0}; nothing from this file was stored")]
    Format(FormatError),
    /// The file stopped being readable part-way and `keep_going` was set: the units read before
    /// the error were stored (in `report`), nothing after it.
    #[error(
        "{source}; --keep-going: the {} units before the error were imported (added {}, replaced {}), nothing after it",
        .report.added + .report.replaced + .report.duplicates + .report.used + .report.marked_reviewed,
        .report.added,
        .report.replaced
    )]
    Partial {
        /// Where and why reading stopped.
        source: FormatError,
        /// What was done with the records before it (boxed: errors stay small to move around).
        report: Box<ImportReport>,
    },
    /// A bad record under `strict`; nothing was stored.
    #[error("line {}: {} (--strict: nothing from this file was stored)", .0.line, .0.reason)]
    Strict(Rejection),
    /// The TM failed; nothing was stored.
    #[error(transparent)]
    Tm(E),
    /// The thread reading the file stopped before its end (a bug); nothing was stored.
    #[error("reading the file stopped before its end; nothing from this file was stored")]
    Interrupted,
}

impl<E> From<FormatError> for ImportError<E> {
    fn from(e: FormatError) -> Self {
        ImportError::Format(e)
    }
}

impl From<TmError> for ImportError<TmError> {
    fn from(e: TmError) -> Self {
        ImportError::Tm(e)
    }
}

impl<E> ImportError<E> {
    /// Where in the file the error is, when it is at one place: (line, column), 1-based.
    pub fn location(&self) -> Option<(u64, Option<u64>)> {
        match self {
            ImportError::Format(e) | ImportError::Partial { source: e, .. } => e.location(),
            ImportError::Strict(r) => Some((r.line, None)),
            ImportError::Tm(_) | ImportError::Interrupted => None,
        }
    }
}

/// One write transaction that an import writes into: a TM file's [`Batch`], or any store's writer
/// (`crate::store::UnitWriter`).
pub trait ImportBatch {
    /// The store's error.
    type Error;
    /// Stores one unit, its source already keyed for the fuzzy index when `keys` is given.
    ///
    /// # Errors
    /// The store's.
    fn add_keyed(&mut self, unit: &NewUnit, keys: Option<&SourceKeys>) -> Result<AddOutcome, Self::Error>;
    /// Counts one use of unit `id` if it still holds `unit`'s text.
    ///
    /// # Errors
    /// The store's.
    fn confirm(&mut self, id: i64, unit: &NewUnit) -> Result<bool, Self::Error>;
    /// Keeps a child of an imported TMX header.
    ///
    /// # Errors
    /// The store's.
    fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<(), Self::Error>;
    /// Makes everything written durable at once.
    ///
    /// # Errors
    /// The store's; nothing was written then.
    fn commit(self) -> Result<(), Self::Error>;
}

impl ImportBatch for Batch<'_> {
    type Error = TmError;
    fn add_keyed(&mut self, unit: &NewUnit, keys: Option<&SourceKeys>) -> Result<AddOutcome, TmError> {
        self.add_with_keys(unit, keys)
    }
    fn confirm(&mut self, id: i64, unit: &NewUnit) -> Result<bool, TmError> {
        Batch::confirm(self, id, unit)
    }
    fn add_header_item(&mut self, kind: &str, xml: &str) -> Result<(), TmError> {
        Batch::add_header_item(self, kind, xml)
    }
    fn commit(self) -> Result<(), TmError> {
        Batch::commit(self)
    }
}

/// What the reading thread hands over.
enum Item {
    /// A record, with its source keyed for the fuzzy index when it is a unit.
    Record(Result<Record, FormatError>, Option<SourceKeys>),
    /// The records ended. Without it (the reading thread died), nothing is committed.
    End,
}

/// Stores every unit of `records` in one transaction; reports each bad record, and each notice
/// a reader gives about the file ([`Record::Notice`], not counted as rejected), to `on_reject`.
///
/// `records` is read (and each unit's source tokenized for the fuzzy index) on a second thread
/// while this one writes.
///
/// # Errors
/// [`ImportError`]; the transaction is rolled back then, except for [`ImportError::Partial`]
/// (`keep_going`), where what came before the error is committed.
pub fn import<I>(
    tm: &mut Tm,
    records: I,
    opts: &ImportOptions,
    on_reject: impl FnMut(&Rejection),
) -> Result<ImportReport, ImportError>
where
    I: IntoIterator<Item = Result<Record, FormatError>>,
    I::IntoIter: Send,
{
    let switched = if opts.dry_run { false } else { tm.begin_bulk()? };
    let policy = opts.policy;
    let result = import_into(|| tm.batch(policy), records, opts, on_reject);
    tm.end_bulk(switched)?;
    result
}

/// [`import`] into any store: `begin` starts its write transaction (once), into which every unit
/// of `records` goes; committed at the end unless `opts.dry_run`.
///
/// # Errors
/// As [`import`], with the store's error in [`ImportError::Tm`].
pub fn import_into<B, I>(
    begin: impl FnOnce() -> Result<B, B::Error>,
    records: I,
    opts: &ImportOptions,
    mut on_reject: impl FnMut(&Rejection),
) -> Result<ImportReport, ImportError<B::Error>>
where
    B: ImportBatch,
    I: IntoIterator<Item = Result<Record, FormatError>>,
    I::IntoIter: Send,
{
    let records = records.into_iter();
    let key = !opts.dry_run;
    let batch = begin().map_err(ImportError::Tm)?;
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel(CHUNKS_IN_FLIGHT);
        scope.spawn(move || read_ahead(records, key, tx));
        // `rx` goes into the iterator: if writing stops early, dropping it stops the reader.
        import_in_batch(batch, rx.into_iter().flatten(), opts, &mut on_reject)
    })
}

/// The reading thread: records in chunks, each unit's source keyed; stops after the first error
/// or when the writing side has hung up.
fn read_ahead(records: impl Iterator<Item = Result<Record, FormatError>>, key: bool, tx: SyncSender<Vec<Item>>) {
    let mut chunk = Vec::with_capacity(CHUNK);
    for record in records {
        let failed = record.is_err();
        let keys = match &record {
            Ok(Record::Unit { unit, .. }) if key => Some(SourceKeys::new(&unit.source)),
            _ => None,
        };
        chunk.push(Item::Record(record, keys));
        if chunk.len() == CHUNK || failed {
            if tx
                .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                .is_err()
            {
                return;
            }
            if failed {
                return;
            }
        }
    }
    chunk.push(Item::End);
    let _ = tx.send(chunk);
}

fn count(report: &mut ImportReport, outcome: AddOutcome) {
    match outcome {
        AddOutcome::Added(_) => report.added += 1,
        AddOutcome::Replaced(_) => report.replaced += 1,
        AddOutcome::Duplicate(_) | AddOutcome::Skipped(_) => report.duplicates += 1,
        AddOutcome::MarkedReviewed(_) => report.marked_reviewed += 1,
    }
}

fn import_in_batch<B: ImportBatch>(
    mut batch: B,
    items: impl Iterator<Item = Item>,
    opts: &ImportOptions,
    on_reject: &mut impl FnMut(&Rejection),
) -> Result<ImportReport, ImportError<B::Error>> {
    let mut report = ImportReport::default();
    let mut position = 0i64;
    let mut ended = false;
    for item in items {
        let (record, keys) = match item {
            Item::Record(record, keys) => (record, keys),
            Item::End => {
                ended = true;
                break;
            }
        };
        let record = match record {
            Ok(r) => r,
            Err(source) if opts.keep_going => {
                if !opts.dry_run {
                    batch.commit().map_err(ImportError::Tm)?;
                }
                return Err(ImportError::Partial {
                    source,
                    report: Box::new(report),
                });
            }
            Err(e) => return Err(e.into()),
        };
        match record {
            Record::Unit { mut unit, .. } => {
                if unit.document.is_none() {
                    if let Some(doc) = &opts.document {
                        unit.document = Some(doc.clone());
                        unit.position = Some(position);
                    }
                }
                position += 1;
                count(
                    &mut report,
                    batch.add_keyed(&unit, keys.as_ref()).map_err(ImportError::Tm)?,
                );
            }
            Record::Confirmed { unit_id, unit, .. } => {
                if batch.confirm(unit_id, &unit).map_err(ImportError::Tm)? {
                    report.used += 1;
                } else {
                    count(&mut report, batch.add_keyed(&unit, None).map_err(ImportError::Tm)?);
                }
            }
            Record::Untouched { unit_id, unit, .. } => {
                if batch.confirm(unit_id, &unit).map_err(ImportError::Tm)? {
                    report.used += 1;
                } else {
                    report.untouched += 1;
                }
            }
            Record::Rejected(r) => {
                report.rejected += 1;
                if opts.strict {
                    return Err(ImportError::Strict(r));
                }
                on_reject(&r);
            }
            Record::Skipped { .. } => report.ignored += 1,
            // Said, not counted: the caller reports it with the rejections.
            Record::Notice(n) => on_reject(&n),
            Record::HeaderItem(item) => batch
                .add_header_item(item.kind.as_str(), &item.xml)
                .map_err(ImportError::Tm)?,
        }
    }
    if !ended {
        return Err(ImportError::Interrupted);
    }
    if !opts.dry_run {
        batch.commit().map_err(ImportError::Tm)?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{tabular::TsvReader, ReadOptions};
    use crate::tm::LangTag;

    fn opts() -> ReadOptions {
        ReadOptions {
            file: "t".into(),
            source_lang: LangTag::parse("ar").unwrap(),
            target_lang: LangTag::parse("en").unwrap(),
        }
    }

    #[test]
    fn strict_stores_nothing() {
        let mut tm = Tm::open_in_memory().unwrap();
        let input = "أ\ta\nبلا\nب\tb\n";
        let err = import(
            &mut tm,
            TsvReader::new(input.as_bytes(), opts()),
            &ImportOptions {
                strict: true,
                ..Default::default()
            },
            |_| {},
        )
        .unwrap_err();
        assert!(matches!(err, ImportError::Strict(Rejection { line: 2, .. })));
        assert_eq!(tm.stats().unwrap().units, 0);
    }

    #[test]
    fn lenient_import_counts_and_goes_on() {
        let mut tm = Tm::open_in_memory().unwrap();
        let input = "أ\ta\nبلا\nب\tb\nأ\ta\n";
        let mut bad = Vec::new();
        let r = import(
            &mut tm,
            TsvReader::new(input.as_bytes(), opts()),
            &ImportOptions::default(),
            |r| bad.push(r.line),
        )
        .unwrap();
        assert_eq!(
            r,
            ImportReport {
                added: 2,
                duplicates: 1,
                rejected: 1,
                ..Default::default()
            }
        );
        assert_eq!(bad, vec![2]);
    }

    #[test]
    fn keep_going_commits_the_units_before_a_fatal_error_and_nothing_after() {
        let xml = "<tmx version=\"1.4\"><header/><body>\n<tu><tuv xml:lang=\"ar\"><seg>أ</seg></tuv><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n<tu><tuv xml:lang=\"ar\"><seg>ب</tuv></tu>\n<tu><tuv xml:lang=\"ar\"><seg>ج</seg></tuv><tuv xml:lang=\"en\"><seg>c</seg></tuv></tu></body></tmx>";
        let read = || crate::formats::tmx::TmxReader::new(xml.as_bytes(), opts()).unwrap();
        let mut tm = Tm::open_in_memory().unwrap();
        let err = import(&mut tm, read(), &ImportOptions::default(), |_| {}).unwrap_err();
        assert!(
            matches!(err, ImportError::Format(FormatError::Xml { line: 3, .. })),
            "{err}"
        );
        assert_eq!(tm.stats().unwrap().units, 0);
        let keep = ImportOptions {
            keep_going: true,
            ..Default::default()
        };
        match import(&mut tm, read(), &keep, |_| {}).unwrap_err() {
            ImportError::Partial {
                source: FormatError::Xml { line, .. },
                report,
            } => {
                assert_eq!(line, 3);
                assert_eq!(report.added, 1);
            }
            other => panic!("{other}"),
        }
        assert_eq!(tm.stats().unwrap().units, 1);
    }

    #[test]
    fn a_reader_that_dies_part_way_stores_nothing() {
        let mut tm = Tm::open_in_memory().unwrap();
        let records =
            TsvReader::new("أ\ta\nب\tb\n".as_bytes(), opts()).chain(std::iter::from_fn(|| panic!("reader bug")));
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            import(&mut tm, records, &ImportOptions::default(), |_| {})
        }));
        assert!(run.is_err(), "the reader's panic reaches the caller");
        assert_eq!(
            tm.stats().unwrap().units,
            0,
            "nothing committed without the end of the records"
        );
    }

    #[test]
    fn dry_run_changes_nothing() {
        let mut tm = Tm::open_in_memory().unwrap();
        let r = import(
            &mut tm,
            TsvReader::new("أ\ta\n".as_bytes(), opts()),
            &ImportOptions {
                dry_run: true,
                ..Default::default()
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(r.added, 1);
        assert_eq!(tm.stats().unwrap().units, 0);
    }
}
