//! Pre-translation files — a new article's segments with their best suggestions, as TSV for a
//! translator or TMX for a CAT tool (XLIFF 1.2: [`super::xliff`]) — and the marks by which such a
//! file, back through `mizan import`, says which rows a person vouches for.
//!
//! Invariants:
//! - every suggestion carries its ranked score, the id of the unit it came from, and that unit's
//!   origin and status;
//! - what mizan writes is unreviewed: a row is stored as reviewed only when a person changed its
//!   text (the suggestion differs from the copy mizan wrote beside it, or the segment had no
//!   suggestion) or confirmed it (TSV: a mark in `confirmed`; TMX: `x-mizan-status` set to
//!   `reviewed`). An untouched suggestion is never stored: an exact one only counts one more use
//!   of its unit, a fuzzy one is left out ([`Record::Untouched`]).
//!
//! The TSV layout ([`TSV_COLUMNS`]), one header line, then one line per segment:
//!
//! | column | meaning |
//! |---|---|
//! | `index` | the segment's 0-based position in the article |
//! | `source` | the segment |
//! | `suggestion` | the text to edit: the best suggestion, empty when nothing matched |
//! | `score`, `origin`, `unit_id`, `status` | the suggestion's ranked score, and the origin, id and status of the unit it came from (information: import ignores `status`, it is not the row's) |
//! | `confirmed` | empty; write `yes` (or `y`, `x`, `1`, `true`, `ok`, `✓`) to vouch for a suggestion kept as it is |
//! | `original` | the suggestion as mizan wrote it; leave it alone: import compares it with `suggestion` to tell an edited row from an untouched one |
//! | `terms` | the glossary's terms found in the segment, `source = target \| target` each, `; ` between them ([`terms_field`]; information: import ignores it) |
//! | `fragment_words` | for a segment without a suggestion, how many of its words are inside fragment matches (runs of at least four words that some unit shares with it: `mizan match --fragments` shows them); empty when the segment has a suggestion (information: import ignores it) |
//!
//! Import ([`returned_row`], for TSV, CSV and TMX alike): an edited row is a `human`, `reviewed`
//! unit; a confirmed one too, except that a confirmed exact match only counts a use of its unit
//! and makes it reviewed; an untouched row counts a use of its unit when it is an exact match
//! (the unit still holds the same source and target) and is left out otherwise. A file written
//! before mizan wrote the copy (no `original` column; a TMX `<tu>` known only by its note
//! `mizan suggestion: … from unit N`) cannot show edits: its rows are stored `unreviewed` unless
//! confirmed or exact.
//!
//! The TMX form has one `<tu>` per segment with a suggestion, `x-mizan-origin` `tmx`,
//! `x-mizan-status` `unreviewed`, and the match in [`PROP_MATCH_SCORE`], [`PROP_MATCH_UNIT`],
//! [`PROP_MATCH_ORIGIN`], [`PROP_MATCH_STATUS`] and [`PROP_MATCH_TARGET`] (read back by
//! [`super::tmx`], not stored as properties of the unit).

use std::io::Write;

use super::Record;
use crate::unit::Pretranslated;
use crate::unit::{date, LangTag, NewUnit, Origin, Status, Unit};

/// The columns of the pre-translation TSV, in order.
pub const TSV_COLUMNS: [&str; 11] = [
    "index",
    "source",
    "suggestion",
    "score",
    "origin",
    "unit_id",
    "status",
    "confirmed",
    "original",
    "terms",
    "fragment_words",
];

/// TMX property of a pre-translated `<tu>`: the glossary's terms found in the segment, as in the
/// TSV's `terms` column ([`terms_field`]); information for the translator, not stored on import.
pub const PROP_TERMS: &str = "x-mizan-terms";

/// The terms found in a segment as one field: `source = target | target` per term, terms
/// separated by `; ` (empty when none).
pub fn terms_field(terms: &[crate::unit::TermHit]) -> String {
    terms
        .iter()
        .map(|t| format!("{} = {}", t.source, t.targets.join(" | ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// TMX property of a pre-translated `<tu>`: the suggestion's ranked score.
pub const PROP_MATCH_SCORE: &str = "x-mizan-match-score";
/// TMX property of a pre-translated `<tu>`: the id of the unit the suggestion came from.
pub const PROP_MATCH_UNIT: &str = "x-mizan-match-unit";
/// TMX property of a pre-translated `<tu>`: the origin of that unit.
pub const PROP_MATCH_ORIGIN: &str = "x-mizan-match-origin";
/// TMX property of a pre-translated `<tu>`: the status of that unit.
pub const PROP_MATCH_STATUS: &str = "x-mizan-match-status";
/// TMX property of a pre-translated `<tu>`: the suggestion as mizan wrote it (to tell edits).
pub const PROP_MATCH_TARGET: &str = "x-mizan-match-target";

/// What a row of a pre-translation file that came back becomes (the rules in the module doc).
///
/// `unit` is the row as read (its origin is kept for rows nobody vouched for); `unit_id` the unit
/// its suggestion came from (`None`: the segment had no suggestion, so a person typed the text);
/// `edited` whether its text differs from the suggestion as written (`None`: the file cannot
/// tell); `confirmed` whether a person marked it.
pub fn returned_row(
    line: u64,
    mut unit: NewUnit,
    unit_id: Option<i64>,
    edited: Option<bool>,
    confirmed: bool,
) -> Record {
    let Some(unit_id) = unit_id else {
        unit.origin = Origin::Human;
        unit.status = Status::Reviewed;
        return Record::Unit {
            line,
            unit: Box::new(unit),
        };
    };
    if edited == Some(true) || confirmed {
        unit.origin = Origin::Human;
        unit.status = Status::Reviewed;
    } else {
        unit.status = Status::Unreviewed;
    }
    let unit = Box::new(unit);
    match (edited, confirmed) {
        (Some(true), _) => Record::Unit { line, unit },
        (Some(false), false) => Record::Untouched { line, unit_id, unit },
        // Confirmed, or nobody can tell: a use of an exact match, else stored as marked.
        _ => Record::Confirmed { line, unit_id, unit },
    }
}

/// The unit id in a note that mizan wrote on pre-translated TMX `<tu>`s before it wrote
/// [`PROP_MATCH_UNIT`]: `mizan suggestion: 96.1% from unit 2`.
///
/// ```
/// use mizan::formats::pretranslated::unit_in_note;
/// assert_eq!(unit_in_note("mizan suggestion: 96.1% from unit 2"), Some(2));
/// assert_eq!(unit_in_note("checked by lina"), None);
/// ```
pub fn unit_in_note(note: &str) -> Option<i64> {
    let rest = note.trim().strip_prefix("mizan suggestion: ")?;
    let (_, id) = rest.split_once("% from unit ")?;
    id.trim().parse().ok()
}

/// Reads a confirmation mark (a `confirmed` column or field): `yes`, `y`, `x`, `1`, `true`, `ok`,
/// `confirmed`, `reviewed`, `✓`, `✔` → `Some(true)`; empty, `no`, `n`, `0`, `false` →
/// `Some(false)`; anything else → `None` (the caller rejects the record: a typo must not decide
/// what is trusted). Case and surrounding white space are ignored.
///
/// ```
/// use mizan::formats::pretranslated::confirm_mark;
/// assert_eq!(confirm_mark(" YES "), Some(true));
/// assert_eq!(confirm_mark(""), Some(false));
/// assert_eq!(confirm_mark("later"), None);
/// ```
pub fn confirm_mark(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "x" | "1" | "true" | "ok" | "confirmed" | "reviewed" | "✓" | "✔" => Some(true),
        "" | "no" | "n" | "0" | "false" => Some(false),
        _ => None,
    }
}

/// A text as one TSV field: tabs and line breaks become spaces (the layout has no quoting).
pub fn tsv_field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Writes `segments` as the pre-translation TSV (see the module doc).
///
/// # Errors
/// An I/O error from `out`.
pub fn write_tsv<W: Write>(mut out: W, segments: &[Pretranslated]) -> std::io::Result<()> {
    writeln!(out, "{}", TSV_COLUMNS.join("\t"))?;
    for s in segments {
        let source = tsv_field(&s.source);
        let terms = tsv_field(&terms_field(&s.terms));
        match s.matches.first() {
            Some(m) => {
                let suggestion = tsv_field(&m.suggestion);
                writeln!(
                    out,
                    "{}\t{source}\t{suggestion}\t{:.1}\t{}\t{}\t{}\t\t{suggestion}\t{terms}\t",
                    s.index,
                    m.score,
                    m.unit.origin.as_str(),
                    m.unit.id,
                    m.unit.status.as_str(),
                )?
            }
            None => writeln!(
                out,
                "{}\t{source}{}{terms}\t{}",
                s.index,
                "\t".repeat(TSV_COLUMNS.len() - 3),
                s.fragment_words.map(|n| n.to_string()).unwrap_or_default()
            )?,
        }
    }
    out.flush()
}

/// Writes the segments that have a suggestion as TMX 1.4b `<tu>`s of `document` (see the module
/// doc): unreviewed, with the match in `x-mizan-match-*` properties.
///
/// # Errors
/// An I/O error from `out`.
pub fn write_tmx<W: Write>(
    out: W,
    source_lang: &LangTag,
    target_lang: &LangTag,
    document: &str,
    segments: &[Pretranslated],
) -> std::io::Result<()> {
    let mut w = super::tmx::TmxWriter::new(
        out,
        &super::tmx::TmxHeader {
            srclang: source_lang.to_string(),
        },
    )?;
    let now = date::now();
    for s in segments {
        let Some(m) = s.matches.first() else { continue };
        let mut unit = Unit {
            id: m.unit.id,
            source_lang: source_lang.clone(),
            target_lang: target_lang.clone(),
            source: s.source.clone(),
            target: m.suggestion.clone(),
            source_markup: None,
            target_markup: None,
            origin: Origin::Tmx,
            status: Status::Unreviewed,
            document: Some(document.to_string()),
            position: Some(s.index as i64),
            tuid: None,
            created_at: now.clone(),
            created_by: None,
            changed_at: now.clone(),
            changed_by: None,
            usage_count: 0,
            last_used_at: None,
            note: Some(format!("mizan suggestion: {:.1}% from unit {}", m.score, m.unit.id)),
            props: vec![
                (PROP_MATCH_SCORE.into(), format!("{:.1}", m.score)),
                (PROP_MATCH_UNIT.into(), m.unit.id.to_string()),
                (PROP_MATCH_ORIGIN.into(), m.unit.origin.as_str().into()),
                (PROP_MATCH_STATUS.into(), m.unit.status.as_str().into()),
                (PROP_MATCH_TARGET.into(), m.suggestion.clone()),
            ],
        };
        if !s.terms.is_empty() {
            unit.props.push((PROP_TERMS.into(), terms_field(&s.terms)));
        }
        w.write_unit(&unit)?;
    }
    w.finish()?;
    Ok(())
}
