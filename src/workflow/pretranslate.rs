//! Pre-translation: every segment of an article with its best suggestions from the TM, written as
//! TSV for a translator, TMX, or XLIFF 1.2 / 2.1 for CAT tools.

use std::io::Write;

use crate::formats::{pretranslated, xliff};
use crate::segment::Segmenter;
use crate::store::Store;
use crate::tm::suggest::MatchOptions;
use crate::tm::LangTag;
use crate::Result;

/// The file [`pretranslate`] writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PretranslateFormat {
    /// The pre-translation TSV: index, source, suggestion, score, origin, unit_id, status,
    /// confirmed, original, terms, fragment_words ([`pretranslated::write_tsv`]); every segment
    /// has a line.
    #[default]
    Tsv,
    /// TMX 1.4b: one unreviewed `<tu>` per segment with a suggestion
    /// ([`pretranslated::write_tmx`]).
    Tmx,
    /// XLIFF 1.2: one `<trans-unit>` per segment, the matches as `<alt-trans>`
    /// ([`xliff::write_xliff`]).
    Xliff,
    /// XLIFF 2.1: one `<unit>` per segment, the matches in the matches module
    /// ([`xliff::write_xliff2`]).
    Xliff2,
}

impl PretranslateFormat {
    /// `tsv`, `tmx`, `xliff` (1.2) or `xliff2` (2.1).
    pub fn parse(s: &str) -> Option<PretranslateFormat> {
        match s {
            "tsv" => Some(PretranslateFormat::Tsv),
            "tmx" => Some(PretranslateFormat::Tmx),
            "xliff" => Some(PretranslateFormat::Xliff),
            "xliff2" => Some(PretranslateFormat::Xliff2),
            _ => None,
        }
    }

    /// The name [`PretranslateFormat::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            PretranslateFormat::Tsv => "tsv",
            PretranslateFormat::Tmx => "tmx",
            PretranslateFormat::Xliff => "xliff",
            PretranslateFormat::Xliff2 => "xliff2",
        }
    }
}

/// How to pre-translate ([`pretranslate`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PretranslateOptions {
    /// The article's language (its segmenter, and the source language written).
    pub source_lang: LangTag,
    /// The language of the suggestions.
    pub target_lang: LangTag,
    /// The article's name, written into the file (TMX `x-document`, XLIFF `original`).
    pub document: String,
    /// The file to write.
    pub format: PretranslateFormat,
    /// XLIFF: how to write it (a copy of the source as the target of a segment without a
    /// suggestion, for OmegaT).
    pub xliff: xliff::XliffOptions,
    /// Which suggestions: the lowest ranked score, how many per segment (the first is the
    /// suggestion; XLIFF keeps the others as alternatives), the penalties.
    pub matches: MatchOptions,
}

impl PretranslateOptions {
    /// `mizan pretranslate`'s defaults: TSV, suggestions of ranked score 75 and up, three
    /// matches per segment, the default penalties.
    pub fn new(source_lang: LangTag, target_lang: LangTag, document: impl Into<String>) -> Self {
        PretranslateOptions {
            source_lang,
            target_lang,
            document: document.into(),
            format: PretranslateFormat::default(),
            xliff: xliff::XliffOptions::default(),
            matches: MatchOptions {
                min: 75.0,
                top: 3,
                ..MatchOptions::default()
            },
        }
    }
}

/// What [`pretranslate`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PretranslateReport {
    /// Segments of the article.
    pub segments: usize,
    /// Segments with a suggestion at or above the minimum score.
    pub with_suggestion: usize,
}

/// Segments `text`, looks up the best matches of every segment in `tm` (among the units of its
/// language pair, [`Store::set_language_pair`]) and writes them to `out` as `opts.format` says:
/// every suggestion unreviewed, with its score, unit id and the unit's status, so that importing
/// the edited file back stores only what a person edited or confirmed
/// ([`crate::formats::pretranslated`]). Flushes `out` at the end.
///
/// Load the fuzzy index first ([`Store::prepare_for_queries`]) for long articles or large TMs: the result is
/// the same, only faster.
///
/// ```
/// use mizan::tm::{DuplicatePolicy, LangTag, NewUnit, Origin, Tm};
/// use mizan::workflow::{pretranslate, PretranslateOptions};
/// let mut tm = Tm::open_in_memory()?;
/// tm.add(&NewUnit::new("ar", "en", "زيارة نادرة", "A rare visit", Origin::Human)?, DuplicatePolicy::KeepBoth)?;
/// let opts = PretranslateOptions::new(LangTag::parse("ar")?, LangTag::parse("en")?, "new.ar.txt");
/// let mut tsv = Vec::new();
/// let report = pretranslate(&tm, "زيارة نادرة\n\nوصل الوفد.\n", &mut tsv, &opts)?;
/// assert_eq!((report.segments, report.with_suggestion), (2, 1));
/// assert!(String::from_utf8(tsv)?.lines().nth(1).unwrap().starts_with("0\tزيارة نادرة\tA rare visit\t100.0\thuman"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Tm`](crate::Error::Tm) when the TM cannot be read (nothing is written then),
/// [`Error::Io`](crate::Error::Io) when `out` cannot be written.
pub fn pretranslate(
    tm: &dyn Store,
    text: &str,
    mut out: impl Write,
    opts: &PretranslateOptions,
) -> Result<PretranslateReport> {
    let segmenter = Segmenter::for_language(opts.source_lang.as_str());
    let mut segments = crate::report::pretranslate(tm, text, &segmenter, &opts.matches)?;
    // What the TM knows of a segment that no whole unit covers: its words in fragment matches.
    for s in segments.iter_mut().filter(|s| s.matches.is_empty()) {
        s.fragment_words = Some(crate::report::fragment_words(tm, &s.source)?);
    }
    let glossary = crate::terms::Glossary::load(tm)?;
    if !glossary.is_empty() {
        for s in &mut segments {
            s.terms = glossary.hits(&s.source);
        }
    }
    // Context (101%) matches say more than exact ones; only XLIFF has a word for them.
    let context = match opts.format {
        PretranslateFormat::Xliff | PretranslateFormat::Xliff2 => {
            crate::report::context_matches(tm, text, &segmenter, &opts.matches.penalties)?
        }
        PretranslateFormat::Tsv | PretranslateFormat::Tmx => Vec::new(),
    };
    match opts.format {
        PretranslateFormat::Tsv => pretranslated::write_tsv(&mut out, &segments)?,
        PretranslateFormat::Tmx => pretranslated::write_tmx(
            &mut out,
            &opts.source_lang,
            &opts.target_lang,
            &opts.document,
            &segments,
        )?,
        PretranslateFormat::Xliff | PretranslateFormat::Xliff2 => {
            let write = if opts.format == PretranslateFormat::Xliff {
                xliff::write_xliff
            } else {
                xliff::write_xliff2
            };
            write(
                &mut out,
                &opts.document,
                opts.source_lang.as_str(),
                opts.target_lang.as_str(),
                &segments,
                &context,
                &opts.xliff,
            )?
        }
    }
    out.flush()?;
    Ok(PretranslateReport {
        segments: segments.len(),
        with_suggestion: segments.iter().filter(|s| !s.matches.is_empty()).count(),
    })
}
