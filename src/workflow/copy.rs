//! Copying a whole translation memory into another store (`mizan copy`): a TM file into a
//! PostgreSQL database and back, or file to file.
//!
//! Invariants: every unit arrives with its text, markup, origin, review status, provenance,
//! dates, usage and properties, and the TMX header items and the glossary (every entry with its
//! targets, forbidden variants, status, provenance and creation date) with them, in one
//! transaction of the destination (an interrupted copy leaves it as it was); units get the
//! destination's ids, in the source's id order. A destination that already holds units is
//! refused unless the caller asks to add to it ([`CopyOptions::append`]); then identical units
//! are stored once, as by any import, and so are identical glossary entries. Nothing is ever
//! deleted or replaced in the destination.

use serde::Serialize;

use crate::store::Store;
use crate::tm::{AddOutcome, DuplicatePolicy, NewUnit, UnitFilter};
use crate::{Error, Result};

/// How to copy.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// Add to a destination that already holds units (otherwise [`Error::NotEmpty`]).
    pub append: bool,
}

/// What a copy did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    /// Units read from the source.
    pub units: u64,
    /// Units stored as new units in the destination.
    pub added: u64,
    /// Units the destination already held (identical source and target): not stored again.
    pub duplicates: u64,
    /// TMX header items copied.
    pub header_items: u64,
    /// Glossary entries read from the source.
    pub terms: u64,
    /// Glossary entries stored as new entries in the destination (the others it already held).
    pub terms_added: u64,
}

/// Copies every unit (and the TMX header items and the glossary) of `from` into `to`.
///
/// ```
/// use mizan::store::Store;
/// use mizan::tm::{DuplicatePolicy, NewUnit, Origin, Tm};
/// use mizan::workflow::{copy, CopyOptions};
/// let mut a = Tm::open_in_memory()?;
/// a.add(&NewUnit::new("ar", "en", "زيارة نادرة", "A rare visit", Origin::Align)?, DuplicatePolicy::KeepBoth)?;
/// let mut b = Tm::open_in_memory()?;
/// let report = copy(&a, &mut b, &CopyOptions::default())?;
/// assert_eq!(report.added, 1);
/// assert_eq!(Store::get(&b, 1)?.unwrap().status, mizan::tm::Status::Unreviewed);
/// assert!(copy(&a, &mut b, &CopyOptions::default()).is_err(), "not into a TM with units");
/// # Ok::<(), mizan::Error>(())
/// ```
///
/// # Errors
/// [`Error::NotEmpty`]; either store's error (the destination is unchanged then).
pub fn copy(from: &dyn Store, to: &mut dyn Store, opts: &CopyOptions) -> Result<CopyReport> {
    let held = to.stats()?.units;
    if held > 0 && !opts.append {
        return Err(Error::NotEmpty(to.location(), held));
    }
    let mut report = CopyReport::default();
    let items = from.tmx_header_items()?;
    // Every unit as it is: never a replacement of the destination's units.
    let mut w = to.writer(DuplicatePolicy::KeepBoth)?;
    for xml in &items {
        w.add_header_item(header_kind(xml), xml)?;
        report.header_items += 1;
    }
    // The glossary, with the units: a TM that moves keeps its terms. An entry keeps its creation
    // date; its change date is the copy's.
    let terms: Vec<_> = from
        .terms()?
        .into_iter()
        .map(|t| crate::terms::NewTerm {
            created_at: Some(t.created_at),
            ..t.term
        })
        .collect();
    report.terms = terms.len() as u64;
    report.terms_added = w
        .add_terms(&terms)?
        .iter()
        .filter(|o| matches!(o, crate::terms::TermOutcome::Added(_)))
        .count() as u64;
    from.for_each_unit_view(&UnitFilter::default(), &mut |u| {
        let mut n = NewUnit::new(u.source_lang, u.target_lang, u.source, u.target, u.origin)?;
        n.source_markup = u.source_markup.map(str::to_string);
        n.target_markup = u.target_markup.map(str::to_string);
        n.status = u.status;
        n.document = u.document.map(str::to_string);
        n.position = u.position;
        n.tuid = u.tuid.map(str::to_string);
        n.created_at = Some(u.created_at.to_string());
        n.created_by = u.created_by.map(str::to_string);
        n.changed_at = Some(u.changed_at.to_string());
        n.changed_by = u.changed_by.map(str::to_string);
        n.usage_count = u.usage_count;
        n.last_used_at = u.last_used_at.map(str::to_string);
        n.note = u.note.map(str::to_string);
        n.props = u.props.to_vec();
        report.units += 1;
        match w.add(&n)? {
            AddOutcome::Added(_) => report.added += 1,
            _ => report.duplicates += 1,
        }
        Ok(())
    })?;
    w.commit()?;
    Ok(report)
}

/// The kind of a kept header item, from its element name (`<prop`, `<note`, `<ude`).
fn header_kind(xml: &str) -> &'static str {
    if xml.starts_with("<note") {
        "note"
    } else if xml.starts_with("<ude") {
        "ude"
    } else {
        "prop"
    }
}
