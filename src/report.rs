//! Leverage analysis: how much of a new article the TM already covers, in match bands.
//!
//! Invariants: every segment of every file is counted in exactly one band (`context`, `exact`,
//! a fuzzy band, `new`, or `repetitions`); the band counts of a file add up to the file's totals,
//! and the files add up to the total.
//!
//! Definitions (also in the README):
//! - **words**: white-space separated tokens that hold at least one letter or digit. Arabic clitics
//!   are written attached (`وبالرئيس` is one token), so they never make extra words; punctuation on
//!   its own is not a word; a number is one word.
//! - **characters**: every character that is not white space.
//! - **context (101%)**: an exact match whose neighbours also match exactly, in the same order,
//!   units of one TM document: segment *i* matches the unit at position *p* of document *d*, and the
//!   previous and next segments (those that exist) match positions *p − 1* and *p + 1* of *d*.
//! - **exact (100%)**: the source is identical to the segment (white space folded) and the unit has
//!   no penalty (reviewed, no alternative: see [`crate::tm::rank`]).
//! - fuzzy bands: the best ranked score (fuzzy score less penalties) falls in `[t_k, t_(k−1))` for the thresholds given (default
//!   `100,95,85,75,50` → `95-99`, `85-94`, `75-84`, `50-74`); below the lowest threshold: `new`.
//! - **repetitions**: a segment already seen earlier in the same run (any file, white space
//!   folded) counts once in its band and its repeats here.
//! - **fragment words** (a column, not a band): of the words of the `new` segments, those inside
//!   a run of at least four words that some unit shares with the segment (fragment matches,
//!   [`crate::tm::suggest::FragmentMatch`]): what the TM still knows of sentences no whole unit
//!   covers. Never more than the band's words.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::segment::{Segment, Segmenter};
use crate::store::Store;
use crate::tm::rank::Penalties;
use crate::tm::suggest::{FragmentOptions, MatchOptions};

pub use crate::unit::Pretranslated;

/// Counts of one band (or of a whole file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Segments.
    pub segments: u64,
    /// Words (see the module doc).
    pub words: u64,
    /// Characters that are not white space.
    pub characters: u64,
    /// Words of `new` segments inside fragment matches (see the module doc).
    pub fragment_words: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.segments += other.segments;
        self.words += other.words;
        self.characters += other.characters;
        self.fragment_words += other.fragment_words;
    }
}

/// One band's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandCount {
    /// The band's name: `context`, `exact`, `95-99`, …, `new`, `repetitions`.
    pub band: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
}

/// The analysis of one file (or the total).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileAnalysis {
    /// The file's name (`total` for the sum).
    pub file: String,
    /// All segments, words and characters.
    #[serde(flatten)]
    pub counts: Counts,
    /// Counts per band, in band order.
    pub bands: Vec<BandCount>,
}

/// The analysis of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// The bands' fuzzy thresholds, highest first.
    pub thresholds: Vec<u32>,
    /// Per file.
    pub files: Vec<FileAnalysis>,
    /// All files.
    pub total: FileAnalysis,
}

/// Band thresholds that are not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad bands `{0}`: give descending integers from 100 down to at least 50, e.g. 100,95,85,75,50")]
pub struct BadBands(pub String);

/// The match bands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bands {
    thresholds: Vec<u32>,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            thresholds: vec![100, 95, 85, 75, 50],
        }
    }
}

impl Bands {
    /// Parses `100,95,85,75,50`.
    ///
    /// # Errors
    /// [`BadBands`] unless the list starts at 100, descends strictly and stays ≥ 50 (the index is
    /// lossless from 50 up).
    pub fn parse(s: &str) -> Result<Bands, BadBands> {
        let bad = || BadBands(s.to_string());
        let t: Vec<u32> = s
            .split(',')
            .map(|x| x.trim().parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        if t.first() != Some(&100) || t.windows(2).any(|w| w[0] <= w[1]) || t.iter().any(|&x| x < 50) {
            return Err(bad());
        }
        Ok(Bands { thresholds: t })
    }

    /// The band names in order: `context`, `exact`, the fuzzy bands, `new`, `repetitions`.
    pub fn names(&self) -> Vec<String> {
        let mut v = vec!["context".to_string(), "exact".to_string()];
        for w in self.thresholds.windows(2) {
            v.push(format!("{}-{}", w[1], w[0] - 1));
        }
        v.push("new".into());
        v.push("repetitions".into());
        v
    }

    /// Index into [`Bands::names`] of a best score (not context, not a repetition).
    fn index_of(&self, score: Option<f64>) -> usize {
        let Some(score) = score else {
            return self.thresholds.len() + 1;
        };
        if score >= 100.0 {
            return 1;
        }
        for (i, w) in self.thresholds.windows(2).enumerate() {
            if score >= f64::from(w[1]) {
                return 2 + i;
            }
        }
        self.thresholds.len() + 1
    }

    fn lowest(&self) -> f64 {
        f64::from(*self.thresholds.last().unwrap_or(&100))
    }
}

/// Counts the words of a segment (see the module doc).
///
/// ```
/// assert_eq!(mizan::report::count_words("وأكد بوتين، أن 24 «عامًا» - مضت."), 6);
/// ```
pub fn count_words(text: &str) -> u64 {
    text.split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .count() as u64
}

fn counts_of(text: &str) -> Counts {
    Counts {
        segments: 1,
        words: count_words(text),
        characters: text.chars().filter(|c| !c.is_whitespace()).count() as u64,
        fragment_words: 0,
    }
}

/// The fragment matches a coverage count looks at: runs of at least four words, the twenty
/// longest, without their target spans.
fn coverage_options() -> FragmentOptions {
    FragmentOptions {
        top: 20,
        target_spans: false,
        ..FragmentOptions::default()
    }
}

/// The words of `text` (as [`count_words`] counts them) inside some character span of `spans`.
///
/// ```
/// use mizan::report::words_in_spans;
/// // "جميع أنواع" are characters 4..14.
/// assert_eq!(words_in_spans("يجب جميع أنواع المعدات", &[(4, 14)]), 2);
/// assert_eq!(words_in_spans("يجب جميع أنواع المعدات", &[]), 0);
/// ```
pub fn words_in_spans(text: &str, spans: &[(usize, usize)]) -> u64 {
    let mut n = 0;
    let mut start = None;
    let mut has_word = false;
    let overlaps = |a: usize, b: usize| spans.iter().any(|&(s, e)| s < b && a < e);
    // `at`: the character offset of `c`.
    for (at, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        if c.is_whitespace() {
            if let Some(a) = start.take() {
                if has_word && overlaps(a, at) {
                    n += 1;
                }
            }
            has_word = false;
        } else {
            start.get_or_insert(at);
            has_word |= c.is_alphanumeric();
        }
    }
    n
}

/// The words of `segment` that fragment matches cover (runs of at least four words that some
/// unit shares with it; see the module doc).
///
/// # Errors
/// A TM error.
pub fn fragment_words(tm: &dyn Store, segment: &str) -> Result<u64, crate::Error> {
    let spans: Vec<(usize, usize)> = tm
        .fragments(segment, &coverage_options())?
        .iter()
        .map(|f| f.query_span)
        .collect();
    Ok(words_in_spans(segment, &spans))
}

/// Analyzes `files` (name, text) against the TM, ranking matches with `penalties`.
///
/// # Errors
/// A TM error.
pub fn analyze(
    tm: &dyn Store,
    files: &[(String, String)],
    segmenter: &Segmenter,
    bands: &Bands,
    penalties: &Penalties,
) -> Result<Analysis, crate::Error> {
    let best_only = MatchOptions {
        min: bands.lowest(),
        top: 1,
        exhaustive: false,
        penalties: penalties.clone(),
    };
    // Context needs every exact match, not only the best one.
    let exact = MatchOptions {
        min: 100.0,
        top: 64,
        ..best_only.clone()
    };
    let names = bands.names();
    let empty_bands = || {
        names
            .iter()
            .map(|n| BandCount {
                band: n.clone(),
                counts: Counts::default(),
            })
            .collect::<Vec<_>>()
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut total = FileAnalysis {
        file: "total".into(),
        counts: Counts::default(),
        bands: empty_bands(),
    };
    for (name, text) in files {
        let segments = segmenter.segment(text);
        let mut file = FileAnalysis {
            file: name.clone(),
            counts: Counts::default(),
            bands: empty_bands(),
        };
        let mut exact_cache: HashMap<usize, Vec<(String, i64)>> = HashMap::new();
        for (i, seg) in segments.iter().enumerate() {
            let mut c = counts_of(&seg.text);
            let band = if !seen.insert(crate::text::fold_whitespace(&seg.text)) {
                names.len() - 1
            } else {
                let best = tm.suggest(&seg.text, &best_only)?;
                let score = best.first().map(|s| s.score);
                let mut b = bands.index_of(score);
                if b == 1 && is_context(tm, &exact, &segments, i, &mut exact_cache)? {
                    b = 0;
                }
                b
            };
            if band == names.len() - 2 {
                c.fragment_words = fragment_words(tm, &seg.text)?;
            }
            file.counts.add(c);
            file.bands[band].counts.add(c);
        }
        total.counts.add(file.counts);
        for (t, f) in total.bands.iter_mut().zip(&file.bands) {
            t.counts.add(f.counts);
        }
        out.push(file);
    }
    Ok(Analysis {
        thresholds: bands.thresholds.clone(),
        files: out,
        total,
    })
}

/// The (document, position) of every unit that matches segment `i` exactly.
fn exact_places<'c>(
    tm: &dyn Store,
    exact: &MatchOptions,
    segments: &[Segment],
    i: usize,
    cache: &'c mut HashMap<usize, Vec<(String, i64)>>,
) -> Result<&'c Vec<(String, i64)>, crate::Error> {
    if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(i) {
        let places = tm
            .suggest(&segments[i].text, exact)?
            .into_iter()
            .filter(|s| s.score >= 100.0)
            .filter_map(|s| Some((s.unit.document?, s.unit.position?)))
            .collect();
        slot.insert(places);
    }
    Ok(&cache[&i])
}

fn is_context(
    tm: &dyn Store,
    exact: &MatchOptions,
    segments: &[Segment],
    i: usize,
    cache: &mut HashMap<usize, Vec<(String, i64)>>,
) -> Result<bool, crate::Error> {
    if segments.len() < 2 {
        return Ok(false);
    }
    let here = exact_places(tm, exact, segments, i, cache)?.clone();
    let prev = if i > 0 {
        Some(exact_places(tm, exact, segments, i - 1, cache)?.clone())
    } else {
        None
    };
    let next = if i + 1 < segments.len() {
        Some(exact_places(tm, exact, segments, i + 1, cache)?.clone())
    } else {
        None
    };
    Ok(here.iter().any(|(d, p)| {
        prev.as_ref()
            .is_none_or(|v| v.iter().any(|(d2, p2)| d2 == d && *p2 == p - 1))
            && next
                .as_ref()
                .is_none_or(|v| v.iter().any(|(d2, p2)| d2 == d && *p2 == p + 1))
    }))
}

/// For every segment of `text` (as `segmenter` cuts it), whether it is a context (101%) match, as
/// `analyze` defines it (the module doc): an exact match whose neighbours match the neighbouring
/// units of the same TM document.
///
/// # Errors
/// A TM error.
pub fn context_matches(
    tm: &dyn Store,
    text: &str,
    segmenter: &Segmenter,
    penalties: &Penalties,
) -> Result<Vec<bool>, crate::Error> {
    let segments = segmenter.segment(text);
    let exact = MatchOptions {
        min: 100.0,
        top: 64,
        exhaustive: false,
        penalties: penalties.clone(),
    };
    let mut cache = HashMap::new();
    (0..segments.len())
        .map(|i| is_context(tm, &exact, &segments, i, &mut cache))
        .collect()
}

/// Segments `text` and looks up the best matches of every segment as `opts` says (ranked; at
/// least one per segment is asked for).
///
/// # Errors
/// A TM error.
pub fn pretranslate(
    tm: &dyn Store,
    text: &str,
    segmenter: &Segmenter,
    opts: &MatchOptions,
) -> Result<Vec<Pretranslated>, crate::Error> {
    segmenter
        .segment(text)
        .into_iter()
        .map(|seg| {
            let matches = tm.suggest(&seg.text, opts)?;
            Ok(Pretranslated {
                index: seg.index,
                source: seg.text,
                matches,
                terms: Vec::new(),
                fragment_words: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_parse_and_name() {
        let b = Bands::parse("100, 90, 70").unwrap();
        assert_eq!(b.names(), ["context", "exact", "90-99", "70-89", "new", "repetitions"]);
        assert_eq!(b.index_of(Some(100.0)), 1);
        assert_eq!(b.index_of(Some(99.9)), 2);
        assert_eq!(b.index_of(Some(70.0)), 3);
        assert_eq!(b.index_of(Some(69.9)), 4);
        assert_eq!(b.index_of(None), 4);
        for bad in ["95,85", "100,100", "100,40", "x"] {
            assert!(Bands::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn words_ignore_punctuation_and_keep_clitics_attached() {
        assert_eq!(count_words("وبالرئيس «قال» : نعم ، 2022 ."), 4);
        assert_eq!(count_words("U.S. officials said, e.g. twice."), 5);
    }
}
