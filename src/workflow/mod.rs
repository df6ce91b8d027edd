//! Whole workflows as library calls: align two documents and store the pairs (with a lexicon
//! learned from the TM), export the TM as TMX to any writer, pre-translate an article, analyze
//! articles against the TM.
//!
//! Each function does one job end to end and returns what it did (a report of counts, or the
//! result itself); none prints. The `mizan` command parses its arguments, calls one of these and
//! prints the report, and `mizan demo` runs them in turn on the seed article.
//!
//! | workflow | function | command |
//! |---|---|---|
//! | align two documents | [`align_documents`] (lexicon from [`aligner_lexicon`]) | `mizan align` |
//! | align and store the pairs | [`align_and_store`], or [`store_aligned`] after [`align_documents`] | `mizan align --import` |
//! | export as TMX 1.4b | [`export_tmx`] | `mizan export` |
//! | pre-translate an article | [`pretranslate`] | `mizan pretranslate` |
//! | leverage analysis | [`analyze`] | `mizan analyze` |
//!
//! Layering: this module sits above [`crate::tm`], [`crate::align`], [`crate::formats`] and
//! [`crate::report`] and only calls them; nothing in the library below imports it.
//!
//! Errors are the crate's [`Error`](crate::Error): [`Error::Tm`](crate::Error::Tm) when the TM
//! fails, [`Error::Io`](crate::Error::Io) when the output cannot be written. To write a file
//! whole or not at all (and never over the TM), hand the writer of
//! [`outfile::write_atomically`](crate::outfile::write_atomically) to these functions.
//!
//! ```
//! use mizan::tm::{LangTag, Tm};
//! use mizan::workflow::{align_and_store, export_tmx, AlignAndStoreOptions};
//!
//! let (ar, en) = (LangTag::parse("ar")?, LangTag::parse("en")?);
//! let mut tm = Tm::open_in_memory()?;
//! let done = align_and_store(
//!     &mut tm,
//!     "زيارة نادرة\n\nوصل الوفد إلى موسكو عام 2024. ثم غادر.\n",
//!     "A rare visit\n\nThe delegation arrived in Moscow in 2024. Then it left.\n",
//!     &AlignAndStoreOptions::new(ar, en),
//! )?;
//! assert_eq!(done.store.stored, 3);
//!
//! let mut tmx = Vec::new();
//! let exported = export_tmx(&tm, &Default::default(), &mut tmx)?;
//! assert_eq!(exported.units, 3);
//! assert!(String::from_utf8(tmx)?.contains("<seg>A rare visit</seg>"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod align;
mod analyze;
mod copy;
mod export;
mod pretranslate;
#[cfg(test)]
mod tests;

pub use align::{
    align_and_store, align_documents, aligner_lexicon, learn_lexicon, store_aligned, AlignAndStoreOptions,
    AlignAndStoreReport, AlignedDocuments, DocumentAlignOptions, SentenceSplit, StoreOptions, StoreReport,
    PROP_CONFIDENCE,
};
pub use analyze::{analyze, AnalyzeOptions};
pub use copy::{copy, CopyOptions, CopyReport};
pub use export::export_tmx;
pub use pretranslate::{pretranslate, PretranslateFormat, PretranslateOptions, PretranslateReport};
