//! Exchange formats: readers of bilingual files (TSV, CSV, JSON Lines, TMX) that stream units
//! into the TM, and the streaming TMX 1.4b writer.
//!
//! Invariants: readers never change the text they read (no trimming inside a field, no
//! normalization); a bad record is reported with its line number and the reading goes on, while a
//! file that cannot be read at all is a [`FormatError`]; the TMX writer always produces
//! well-formed XML (characters XML 1.0 forbids are removed from the text and kept, escaped, in a
//! `x-mizan-*-raw` property so that mizan reads them back exactly).

pub mod pretranslated;
pub mod tabular;
pub mod tmx;
pub mod xliff;

use std::path::Path;

use crate::tm::NewUnit;

/// A file-level error: the file cannot be read as the format at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// An I/O error while reading.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The CSV header does not name the needed columns.
    #[error("{file}:{line}: the CSV header has no `source` and `target` columns (found: {found})")]
    MissingColumns {
        /// The file.
        file: String,
        /// The header line.
        line: u64,
        /// The columns found.
        found: String,
    },
    /// XML that is not well formed.
    #[error("{file}:{line}:{column}: not well-formed XML: {message}")]
    Xml {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column (in characters).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// A file whose format cannot be guessed.
    #[error("{0}: cannot tell the format from the name; give --format tsv|csv|jsonl|tmx")]
    UnknownFormat(String),
    /// A text encoding mizan does not read.
    #[error("{file}: unsupported encoding `{encoding}` (mizan reads UTF-8 and UTF-16)")]
    Encoding {
        /// The file.
        file: String,
        /// The declared encoding.
        encoding: String,
    },
}

/// A format mizan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `source<TAB>target` lines (also mizan's own align and pretranslate TSV layouts).
    Tsv,
    /// RFC 4180 CSV with a header naming `source` and `target`.
    Csv,
    /// One JSON object per line: `{"source", "target"}` plus optional fields.
    Jsonl,
    /// TMX 1.1–1.4b.
    Tmx,
}

impl Format {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "tsv" | "tab" | "txt" => Format::Tsv,
            "csv" => Format::Csv,
            "jsonl" | "ndjson" | "json" => Format::Jsonl,
            "tmx" => Format::Tmx,
            _ => return None,
        })
    }

    /// Guesses the format from a file name's extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        Format::parse(path.extension()?.to_str()?)
    }

    /// Guesses the format from the first bytes of a stream (for standard input).
    pub fn sniff(head: &[u8]) -> Format {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Format::Tmx;
        }
        let first = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|i| &head[i..])
            .unwrap_or(&[]);
        if first.starts_with(b"<") {
            Format::Tmx
        } else if first.starts_with(b"{") {
            Format::Jsonl
        } else {
            Format::Tsv
        }
    }
}

/// One record as a reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A unit to store, with the line it starts on.
    Unit {
        /// 1-based line number.
        line: u64,
        /// The unit.
        unit: Box<NewUnit>,
    },
    /// A line of a pre-translation file whose suggestion a translator kept unchanged (or
    /// confirmed): if unit `unit_id` still holds this source and target (an exact match), only
    /// its usage count goes up (and it becomes reviewed when `unit` is); otherwise `unit` is
    /// stored like any other.
    Confirmed {
        /// 1-based line number.
        line: u64,
        /// The TM unit the suggestion came from.
        unit_id: i64,
        /// The line as a unit.
        unit: Box<NewUnit>,
    },
    /// A line of a pre-translation file whose fuzzy or exact suggestion nobody changed or
    /// confirmed: if unit `unit_id` still holds this source and target (an exact match), only its
    /// usage count goes up; otherwise nothing is stored — the suggestion was written for another
    /// source, so as a unit of this one it would be wrong in just the ways the match differs, and
    /// the unit it came from is still there to be found.
    Untouched {
        /// 1-based line number.
        line: u64,
        /// The TM unit the suggestion came from.
        unit_id: i64,
        /// The line as a unit.
        unit: Box<NewUnit>,
    },
    /// A `<prop>`, `<note>` or `<ude>` of a TMX file's header, kept for export.
    HeaderItem(tmx::HeaderItem),
    /// A record that was refused, with the reason.
    Rejected(Rejection),
    /// A record that holds nothing to store (an unaligned sentence in an align TSV, a TU
    /// without one of the two languages), counted but not an error.
    Skipped {
        /// 1-based line number.
        line: u64,
        /// Why.
        reason: String,
    },
}

/// A refused record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong, in words a user can act on.
    pub reason: String,
}

/// What readers need to know besides the bytes.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The file's name, for messages and as the default document.
    pub file: String,
    /// Language of the source column (TSV, CSV, JSON Lines) or the source to pick (TMX).
    pub source_lang: crate::tm::LangTag,
    /// Language of the target column, or the target to pick (TMX).
    pub target_lang: crate::tm::LangTag,
}

/// Opens a reader for `format` over `input`. The reader can be moved to another thread (an
/// import parses on one thread and writes on another).
///
/// # Errors
/// A [`FormatError`] when the file cannot be read as that format at all (e.g. a CSV header without
/// the needed columns).
pub fn reader<'a, R: std::io::BufRead + Send + 'a>(
    format: Format,
    input: R,
    opts: ReadOptions,
) -> Result<Box<dyn Iterator<Item = Result<Record, FormatError>> + Send + 'a>, FormatError> {
    Ok(match format {
        Format::Tsv => Box::new(tabular::TsvReader::new(input, opts)),
        Format::Csv => Box::new(tabular::CsvReader::new(input, opts)?),
        Format::Jsonl => Box::new(tabular::JsonlReader::new(input, opts)),
        Format::Tmx => Box::new(tmx::TmxReader::new(input, opts)?),
    })
}
