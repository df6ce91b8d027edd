//! The glossary: terms kept beside the units of a translation memory, read and written as TSV,
//! CSV and TBX, and recognized in running Arabic (or English) text.
//!
//! A [`Term`] is one glossary entry: a source term in the source language, one or more target
//! terms each tagged with its language, forbidden target variants (terms a translator must not
//! use), part of speech, note, review status and provenance (who added it, when, from which file).
//!
//! Invariants:
//! - stored text (source, targets, forbidden variants, note) is byte-exact as read or typed; the
//!   store derives its own keyed columns for look-up, never rewriting the text;
//! - reading a file ([`read_file`]) either returns every entry it could read, each with the line it
//!   starts on, or fails with the file and line of the first malformed spot: an import stores a
//!   whole file or nothing ([`crate::store::Store::add_terms`] is one transaction);
//! - recognition ([`Glossary`]) uses the matching form of [`crate::text`] (the normalization of
//!   fuzzy matching, and [`crate::text::morph`] keys), so a term is found whatever clitics,
//!   article or orthographic variant the running text gives it; hits never overlap.
//!
//! ```
//! use mizan::terms::{Glossary, NewTerm};
//! let term = NewTerm::new("ar", "مجلس الأمن", "en", "Security Council").unwrap();
//! let glossary = Glossary::from_terms(vec![term.stored(1)]);
//! let hits = glossary.hits("وطالب لمجلس الأمن بالتحرك");
//! assert_eq!(hits.len(), 1);
//! assert_eq!(hits[0].targets, ["Security Council"]);
//! assert_eq!(&"وطالب لمجلس الأمن بالتحرك"[hits[0].start..hits[0].end], "لمجلس الأمن");
//! ```

mod recognize;
pub mod tabular;
pub mod tbx;

use std::path::Path;

use serde::Serialize;

pub(crate) use recognize::first_key;
pub use recognize::{Glossary, TermHit};

use crate::unit::{date, LangTag, Status};

/// Errors of reading or writing a glossary file, or of a term that cannot be stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TermError {
    /// A file that could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A malformed spot in a glossary file; nothing of the file was stored.
    #[error("{file}:{line}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The line (1-based).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A term without source or target text.
    #[error("empty {0}: a term needs a source and at least one target")]
    Empty(&'static str),
    /// A language tag that is not BCP 47.
    #[error(transparent)]
    Lang(#[from] crate::unit::BadLangTag),
    /// A format name mizan does not know.
    #[error("unknown glossary format `{0}`: use tsv, csv or tbx")]
    UnknownFormat(String),
}

/// A target-language term (or a forbidden variant) with its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermTarget {
    /// BCP 47 tag of the text's language.
    pub lang: String,
    /// The term, byte-exact.
    pub text: String,
}

/// A glossary entry to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTerm {
    /// Language of the source term (BCP 47).
    pub source_lang: String,
    /// The source term, byte-exact.
    pub source: String,
    /// The translations to use, in preference order (at least one).
    pub targets: Vec<TermTarget>,
    /// Target-language variants a translation must not use.
    pub forbidden: Vec<TermTarget>,
    /// Part of speech (`noun`, `properNoun`, …), as the file gives it.
    pub pos: Option<String>,
    /// A free note (definition, usage, context).
    pub note: Option<String>,
    /// Whether a person vouches for the entry.
    pub status: Status,
    /// Who made the entry.
    pub created_by: Option<String>,
    /// When it was made (stored form, `2026-11-27T18:48:30Z`); `None`: now.
    pub created_at: Option<String>,
    /// The file it was imported from.
    pub document: Option<String>,
}

impl NewTerm {
    /// The rows a store keeps for the entry's targets: the targets, then the forbidden
    /// variants, each with whether it is forbidden, in stored order (`seq` is the position).
    pub(crate) fn target_rows(&self) -> impl Iterator<Item = (&TermTarget, bool)> {
        self.targets
            .iter()
            .map(|x| (x, false))
            .chain(self.forbidden.iter().map(|x| (x, true)))
    }

    /// The first of the stored entries `ids` that this entry repeats (same targets and
    /// forbidden variants, in order; the caller found them by source), reading each one's
    /// targets with `stored`: the one rule both stores de-duplicate by.
    pub(crate) fn identical_in<E>(
        &self,
        ids: impl IntoIterator<Item = i64>,
        mut stored: impl FnMut(i64) -> Result<(Vec<TermTarget>, Vec<TermTarget>), E>,
    ) -> Result<Option<i64>, E> {
        for id in ids {
            let (targets, forbidden) = stored(id)?;
            if targets == self.targets && forbidden == self.forbidden {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// An entry with one target, reviewed, no other data.
    ///
    /// # Errors
    /// [`TermError::Empty`] for empty text, [`TermError::Lang`] for a bad tag.
    pub fn new(source_lang: &str, source: &str, target_lang: &str, target: &str) -> Result<NewTerm, TermError> {
        let term = NewTerm {
            source_lang: LangTag::parse(source_lang)?.as_str().to_string(),
            source: source.to_string(),
            targets: vec![TermTarget {
                lang: LangTag::parse(target_lang)?.as_str().to_string(),
                text: target.to_string(),
            }],
            forbidden: Vec::new(),
            pos: None,
            note: None,
            status: Status::Reviewed,
            created_by: None,
            created_at: None,
            document: None,
        };
        term.check()?;
        Ok(term)
    }

    /// Whether the entry can be stored: a source, at least one target, none of them blank.
    ///
    /// # Errors
    /// [`TermError::Empty`].
    pub fn check(&self) -> Result<(), TermError> {
        if self.source.trim().is_empty() {
            return Err(TermError::Empty("source"));
        }
        if self.targets.is_empty() || self.targets.iter().any(|t| t.text.trim().is_empty()) {
            return Err(TermError::Empty("target"));
        }
        if self.forbidden.iter().any(|t| t.text.trim().is_empty()) {
            return Err(TermError::Empty("forbidden variant"));
        }
        Ok(())
    }

    /// The entry as a store would give it back with this id (dates now when not given): for
    /// tests and for a glossary built without a store.
    pub fn stored(self, id: i64) -> Term {
        let now = self.created_at.clone().unwrap_or_else(date::now);
        Term {
            id,
            changed_at: now.clone(),
            created_at: now,
            term: self,
        }
    }
}

/// A stored glossary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The entry's id in its store.
    pub id: i64,
    /// What was stored (its `created_at` as given, if any).
    #[serde(flatten)]
    pub term: NewTerm,
    /// When it was stored (or made, if the file said).
    pub created_at: String,
    /// When it last changed.
    pub changed_at: String,
}

/// What storing one entry did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "id", rename_all = "snake_case")]
pub enum TermOutcome {
    /// Stored as a new entry with this id.
    Added(i64),
    /// An identical entry (same source, targets and forbidden variants) was already stored.
    Duplicate(i64),
}

impl TermOutcome {
    /// The id of the entry concerned.
    pub fn id(self) -> i64 {
        match self {
            TermOutcome::Added(id) | TermOutcome::Duplicate(id) => id,
        }
    }
}

/// The glossary file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermFormat {
    /// Tab-separated: `source`, `target`, then optionally `pos`, `note`, `forbidden` (a header
    /// line naming the columns is optional).
    Tsv,
    /// RFC 4180 CSV with a header naming at least `source` and `target`.
    Csv,
    /// TBX: TBX v3 (TBX-Basic, TBX-Core, `<conceptEntry>`) or TBX 2008 (`<martif>`, `<termEntry>`).
    Tbx,
}

impl TermFormat {
    /// The format a user names (`tsv`, `csv`, `tbx`).
    pub fn parse(s: &str) -> Option<TermFormat> {
        match s.to_ascii_lowercase().as_str() {
            "tsv" | "tab" | "txt" => Some(TermFormat::Tsv),
            "csv" => Some(TermFormat::Csv),
            "tbx" | "xml" => Some(TermFormat::Tbx),
            _ => None,
        }
    }

    /// The format a file's extension says, if any.
    pub fn from_path(path: &Path) -> Option<TermFormat> {
        TermFormat::parse(path.extension()?.to_str()?)
    }

    /// The format the first bytes look like: XML is TBX, a tab in the first line TSV, else CSV.
    pub fn sniff(head: &[u8]) -> TermFormat {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
        if head[start..].starts_with(b"<") {
            return TermFormat::Tbx;
        }
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
        if first_line.contains(&b'\t') {
            TermFormat::Tsv
        } else {
            TermFormat::Csv
        }
    }
}

/// The languages an import reads: which language is the source, which the target.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The file's name, for messages and for the entries' provenance.
    pub file: String,
    /// The source language: TSV and CSV source columns are in it; of a TBX entry, the language
    /// section it serves is the source term.
    pub source_lang: LangTag,
    /// The target language, likewise.
    pub target_lang: LangTag,
    /// Who imports (kept as the entries' author when the file names none).
    pub author: Option<String>,
}

/// An entry as read from a file, with the line it starts on.
#[derive(Debug, Clone)]
pub struct ReadTerm {
    /// The 1-based line where the entry (row, `<termEntry>`, `<conceptEntry>`) starts.
    pub line: u64,
    /// The entry.
    pub term: NewTerm,
}

/// What a file held: the entries to store, and those left out with the reason.
#[derive(Debug, Clone, Default)]
pub struct ReadReport {
    /// Entries to store, in file order.
    pub terms: Vec<ReadTerm>,
    /// Entries left out (no term in the source or target language, say): line and reason.
    pub skipped: Vec<(u64, String)>,
}

/// Reads a whole glossary file in `format`.
///
/// # Errors
/// [`TermError::Syntax`] with the file and line of the first malformed spot (the caller then
/// stores nothing), [`TermError::Io`] when the bytes are not UTF-8 text.
pub fn read_bytes(bytes: &[u8], format: TermFormat, opts: &ReadOptions) -> Result<ReadReport, TermError> {
    let text = utf8(bytes, &opts.file)?;
    match format {
        TermFormat::Tsv => tabular::read_tsv(text, opts),
        TermFormat::Csv => tabular::read_csv(text, opts),
        TermFormat::Tbx => tbx::read(text, opts),
    }
}

/// Reads the glossary file at `path` (format from `format`, else its extension, else its first
/// bytes).
///
/// # Errors
/// As [`read_bytes`]; [`TermError::Io`] when the file cannot be read.
pub fn read_file(path: &Path, format: Option<TermFormat>, opts: &ReadOptions) -> Result<ReadReport, TermError> {
    let bytes = std::fs::read(path).map_err(|source| TermError::Io {
        file: opts.file.clone(),
        source,
    })?;
    let format = format
        .or_else(|| TermFormat::from_path(path))
        .unwrap_or_else(|| TermFormat::sniff(&bytes));
    read_bytes(&bytes, format, opts)
}

/// The text of a file: UTF-8 without a byte-order mark.
fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, TermError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let upto = e.valid_up_to();
        TermError::Syntax {
            file: file.to_string(),
            line: bytes[..upto].iter().filter(|&&b| b == b'\n').count() as u64 + 1,
            message: format!("not UTF-8 (invalid byte at offset {upto}); save the glossary as UTF-8"),
        }
    })
}

/// Splits a list field (`a | b`): targets and forbidden variants in TSV and CSV.
pub(crate) fn split_list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests;
