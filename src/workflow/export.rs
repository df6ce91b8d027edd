//! The TM as TMX 1.4b, streamed from a cursor to any writer.

use std::io::Write;

use crate::formats::tmx::{ExportReport, TmxHeader, TmxWriter};
use crate::store::Store;
use crate::tm::UnitFilter;
use crate::Result;

/// Writes the units that pass `filter` to `out` as a TMX 1.4b document, one at a time from a
/// cursor (memory stays flat whatever the TM size), with the header items kept from imported TMX
/// files; flushes `out` at the end.
///
/// The header's `srclang` is the filter's source language when it names one, else the source
/// language all units share, else `*all*`.
///
/// ```
/// use mizan::tm::{DuplicatePolicy, NewUnit, Origin, Tm, UnitFilter};
/// let mut tm = Tm::open_in_memory()?;
/// tm.add(&NewUnit::new("ar", "en", "زيارة نادرة", "A rare visit", Origin::Human)?, DuplicatePolicy::KeepBoth)?;
/// let mut tmx = Vec::new();
/// let report = mizan::workflow::export_tmx(&tm, &UnitFilter::default(), &mut tmx)?;
/// assert_eq!(report.units, 1);
/// assert!(String::from_utf8(tmx)?.contains(r#"srclang="ar""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Tm`](crate::Error::Tm) when the TM cannot be read, [`Error::Io`](crate::Error::Io)
/// when `out` cannot be written; `out` then holds an incomplete document.
pub fn export_tmx(tm: &dyn Store, filter: &UnitFilter, out: impl Write) -> Result<ExportReport> {
    let header = TmxHeader {
        srclang: header_srclang(tm, filter)?,
    };
    let mut w = TmxWriter::with_header_items(out, &header, &tm.tmx_header_items()?)?;
    tm.for_each_unit_view(filter, &mut |u| Ok(w.write_view(u)?))?;
    Ok(w.finish()?)
}

/// The header's `srclang`: the filter's source language, else the one all units share, else
/// `*all*`.
fn header_srclang(tm: &dyn Store, filter: &UnitFilter) -> Result<String> {
    if let Some(l) = &filter.source_lang {
        return Ok(l.to_string());
    }
    Ok(tm.single_source_lang()?.unwrap_or_else(|| "*all*".to_string()))
}
