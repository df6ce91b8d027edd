//! mizan — an Arabic→English translation memory, sentence segmenter, fuzzy matcher and aligner.
//!
//! The `mizan` command is a thin layer over this library: everything it does is a function here,
//! and the library builds without the command line's crates (`default-features = false`).
//!
//! # A tour
//!
//! ```
//! use mizan::store::Store;
//! use mizan::tm::{suggest::MatchOptions, DuplicatePolicy, NewUnit, Origin, Status, Tm};
//!
//! // Sentences, with rules that get Arabic right (abbreviations, quotes, numbers).
//! let seg = mizan::segment::Segmenter::for_language("ar");
//! let sentences: Vec<String> = seg
//!     .segment("وصل الوفد إلى بيونغ يانغ عام 2023. وقال د. أحمد إن الزيارة ناجحة.")
//!     .into_iter()
//!     .map(|s| s.text)
//!     .collect();
//! assert_eq!(sentences.len(), 2);
//!
//! // A translation memory (a file with `Tm::open`; here in memory) and a human translation.
//! let mut tm = Tm::open_in_memory()?;
//! let unit = NewUnit::new("ar", "en", &sentences[0], "The delegation arrived in Pyongyang in 2023.", Origin::Human)?;
//! tm.add(&unit, DuplicatePolicy::KeepBoth)?;
//!
//! // A fuzzy match for a new sentence: the number differs, the suggestion takes the query's.
//! let found = tm.suggest("وصل الوفد إلى بيونغ يانغ عام 2024.", &MatchOptions::default())?;
//! assert!(found[0].score >= 95.0 && found[0].score < 100.0);
//! assert_eq!(found[0].suggestion, "The delegation arrived in Pyongyang in 2024.");
//! assert_eq!(found[0].unit.status, Status::Reviewed);
//!
//! // Export as TMX 1.4b to any writer, through the storage seam.
//! let mut tmx = Vec::new();
//! let report = mizan::workflow::export_tmx(&tm as &dyn Store, &Default::default(), &mut tmx)?;
//! assert_eq!(report.units, 1);
//! # Ok::<(), mizan::Error>(())
//! ```
//!
//! # Modules, bottom to top (each uses only those above it in this list)
//!
//! - [`text`] — the one place for Arabic (and Latin) text rules: normalization for matching,
//!   tokens, clitics, invisible marks. Stored text is never normalized.
//! - [`segment`] — an SRX 2.0 rule engine and the Arabic and English rules.
//! - [`mod@unit`] — the unit model: [`unit::NewUnit`], [`unit::Unit`], origin, review status,
//!   language tags, dates, suggestions.
//! - [`fuzzy`] — the score, its explanation, number substitution, and the keys and bounds the
//!   index is built on (no storage).
//! - [`align`] — sentence alignment: length model, anchors, lexicon, beads, confidence.
//! - [`formats`] — TMX, TSV, CSV, JSON Lines and XLIFF readers and writers.
//! - [`check`] — quality checks of bilingual segments before delivery (numbers, glossary terms,
//!   inline tags, empty or untranslated targets, white space, punctuation), and reading the
//!   bilingual files they run on.
//! - [`tm`] — the SQLite store: schema and migrations, units, import, the fuzzy index
//!   ([`tm::index`]) in the same file and the same transactions, suggestions with ranking.
//! - `pg` — the PostgreSQL store (cargo feature `postgres`): a TM shared by many processes, each
//!   keeping an in-memory copy of the index current through a change log.
//! - [`outfile`] — output files written whole or not at all, never over a TM.
//! - [`error`] — the crate's top error type, [`Error`].
//! - [`store`] — the storage seam: the [`store::Store`] trait the workflows talk to ([`tm::Tm`]
//!   is its first implementation, `pg::PgTm` the second), and [`store::open`], which opens either
//!   from a location (a path or a `postgres://` URL).
//! - [`report`] — leverage analysis and pre-translation.
//! - [`workflow`] — what a command does, as one function each: align and store, export,
//!   pre-translate, analyze.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod align;
pub mod check;
pub mod error;
pub mod formats;
pub mod fuzzy;
pub mod outfile;
#[cfg(feature = "postgres")]
pub mod pg;
pub mod report;
pub mod segment;
pub mod store;
pub mod terms;
pub mod text;
pub mod tm;
pub mod unit;
pub mod workflow;

pub use error::{Error, Result};
