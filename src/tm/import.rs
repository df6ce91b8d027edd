//! Importing a stream of records into the TM, all in one transaction.
//!
//! Invariant: a file's units land together or not at all — a fatal read error, a bad line under
//! `strict`, or the process being killed leaves the TM exactly as it was before the file.

use serde::Serialize;

use super::{AddOutcome, DuplicatePolicy, Tm, TmError};
use crate::formats::{FormatError, Record, Rejection};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// What to do with a source already stored with another target.
    pub policy: DuplicatePolicy,
    /// Abort at the first bad record, storing nothing.
    pub strict: bool,
    /// Count what would happen, store nothing.
    pub dry_run: bool,
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
    /// Records with nothing to store (unaligned sentences, TUs without the language pair).
    pub ignored: u64,
    /// Bad records.
    pub rejected: u64,
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read as its format; nothing was stored.
    #[error("{0}; nothing from this file was stored")]
    Format(#[from] FormatError),
    /// A bad record under `strict`; nothing was stored.
    #[error("line {}: {} (--strict: nothing from this file was stored)", .0.line, .0.reason)]
    Strict(Rejection),
    /// The TM failed; nothing was stored.
    #[error(transparent)]
    Tm(#[from] TmError),
}

/// Stores every unit of `records` in one transaction; reports each bad record to `on_reject`.
///
/// # Errors
/// [`ImportError`]; the transaction is rolled back then.
pub fn import<I>(
    tm: &mut Tm,
    records: I,
    opts: &ImportOptions,
    mut on_reject: impl FnMut(&Rejection),
) -> Result<ImportReport, ImportError>
where
    I: IntoIterator<Item = Result<Record, FormatError>>,
{
    let switched = if opts.dry_run { false } else { tm.begin_bulk()? };
    let result = import_in_batch(tm, records, opts, &mut on_reject);
    tm.end_bulk(switched)?;
    result
}

fn import_in_batch<I>(
    tm: &mut Tm,
    records: I,
    opts: &ImportOptions,
    on_reject: &mut impl FnMut(&Rejection),
) -> Result<ImportReport, ImportError>
where
    I: IntoIterator<Item = Result<Record, FormatError>>,
{
    let mut report = ImportReport::default();
    let mut batch = tm.batch(opts.policy)?;
    let mut position = 0i64;
    for rec in records {
        match rec? {
            Record::Unit { mut unit, .. } => {
                if unit.document.is_none() {
                    if let Some(doc) = &opts.document {
                        unit.document = Some(doc.clone());
                        unit.position = Some(position);
                    }
                }
                position += 1;
                match batch.add(&unit)? {
                    AddOutcome::Added(_) => report.added += 1,
                    AddOutcome::Replaced(_) => report.replaced += 1,
                    AddOutcome::Duplicate(_) | AddOutcome::Skipped(_) => report.duplicates += 1,
                }
            }
            Record::Confirmed { unit_id, unit, .. } => {
                if batch.confirm(unit_id, &unit)? {
                    report.used += 1;
                } else {
                    match batch.add(&unit)? {
                        AddOutcome::Added(_) => report.added += 1,
                        AddOutcome::Replaced(_) => report.replaced += 1,
                        AddOutcome::Duplicate(_) | AddOutcome::Skipped(_) => report.duplicates += 1,
                    }
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
        }
    }
    if !opts.dry_run {
        batch.commit()?;
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
