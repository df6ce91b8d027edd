//! Leverage analysis of new articles against the TM.

use crate::report::{Analysis, Bands};
use crate::segment::Segmenter;
use crate::store::Store;
use crate::tm::rank::Penalties;
use crate::tm::LangTag;
use crate::Result;

/// How to analyze ([`analyze`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyzeOptions {
    /// The articles' language (its segmenter).
    pub source_lang: LangTag,
    /// The match bands.
    pub bands: Bands,
    /// Points taken off per unit before a match is put in a band.
    pub penalties: Penalties,
}

impl AnalyzeOptions {
    /// The default bands (`100,95,85,75,50`) and penalties.
    pub fn new(source_lang: LangTag) -> Self {
        AnalyzeOptions {
            source_lang,
            bands: Bands::default(),
            penalties: Penalties::default(),
        }
    }
}

/// How much of each article the TM already covers: the segments, words and characters of each
/// `(name, text)` in `documents` per match band, and their total ([`crate::report`] defines the
/// bands and the counts).
///
/// The articles are segmented with the rules of `opts.source_lang` and matched among the units of
/// the TM's language pair ([`Store::set_language_pair`]). Load the fuzzy index first
/// ([`Store::prepare_for_queries`]) for long articles or large TMs: the result is the same, only faster.
///
/// # Errors
/// [`Error::Tm`](crate::Error::Tm) when the TM cannot be read.
pub fn analyze(tm: &dyn Store, documents: &[(String, String)], opts: &AnalyzeOptions) -> Result<Analysis> {
    crate::report::analyze(
        tm,
        documents,
        &Segmenter::for_language(opts.source_lang.as_str()),
        &opts.bands,
        &opts.penalties,
    )
}
